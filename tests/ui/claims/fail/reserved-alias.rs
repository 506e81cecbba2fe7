use actix_jwt_extended::claims;

#[claims]
struct Session {
    #[serde(alias = "iat")]
    issued_at: u64,
}

fn main() {}
