use actix_jwt_extended::claims;

// The manager is configured with `JwtConfig { identity_claim: "user_id".into(), .. }`.
#[claims(identity_claim = "user_id")]
struct Session {
    user_id: u64,
    role: String,
}

fn main() {}
