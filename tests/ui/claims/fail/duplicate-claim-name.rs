use actix_jwt_extended::claims;

#[claims]
struct Roles {
    role: String,
    #[serde(rename = "role")]
    kind: String,
}

fn main() {}
