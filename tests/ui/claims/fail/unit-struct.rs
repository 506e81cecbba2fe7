use actix_jwt_extended::claims;

#[claims]
struct NoClaims;

fn main() {}
