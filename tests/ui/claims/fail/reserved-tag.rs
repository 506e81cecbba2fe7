use actix_jwt_extended::claims;

#[claims]
#[serde(tag = "type")]
struct Session {
    role: String,
}

fn main() {}
