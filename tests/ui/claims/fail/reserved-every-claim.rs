use actix_jwt_extended::claims;

// Every claim the library sets itself, each with what to use instead.
#[claims]
struct Everything {
    exp: u64,
    iat: u64,
    nbf: u64,
    jti: String,
    r#type: String,
    fresh: bool,
    csrf: String,
    sub: String,
    iss: String,
    aud: String,
}

fn main() {}
