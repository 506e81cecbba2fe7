use actix_jwt_extended::claims;

#[claims]
struct Session {
    #[serde(rename = "fresh")]
    is_fresh: bool,
}

fn main() {}
