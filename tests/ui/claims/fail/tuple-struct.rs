use actix_jwt_extended::claims;

#[claims]
struct Roles(String, u64);

fn main() {}
