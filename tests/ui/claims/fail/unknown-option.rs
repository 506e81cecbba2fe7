use actix_jwt_extended::claims;

#[claims(strict)]
struct Roles {
    role: String,
}

fn main() {}
