use actix_jwt_extended::claims;

#[claims]
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Roles {
    role: String,
}

fn main() {}
