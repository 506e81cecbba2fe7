use actix_jwt_extended::claims;

#[claims(identity = "user_id")]
struct Roles {
    role: String,
}

fn main() {}
