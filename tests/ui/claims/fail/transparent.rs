use actix_jwt_extended::claims;

#[claims]
#[serde(transparent)]
struct Roles {
    role: String,
}

fn main() {}
