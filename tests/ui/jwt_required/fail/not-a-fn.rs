use actix_jwt_extended::jwt_required;

#[jwt_required]
struct Handler;

fn main() {}
