use actix_jwt_extended::claims;

#[claims]
enum Role {
    Admin,
    User,
}

fn main() {}
