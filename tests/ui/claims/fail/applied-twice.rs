use actix_jwt_extended::claims;

#[claims]
#[actix_jwt_extended::claims]
struct Roles {
    role: String,
}

fn main() {}
