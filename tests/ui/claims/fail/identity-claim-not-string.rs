use actix_jwt_extended::claims;

#[claims(identity_claim = user_id)]
struct Roles {
    role: String,
}

fn main() {}
