use actix_jwt_extended::claims;

#[claims]
struct Session {
    role: String,
    exp: u64,
}

fn main() {}
