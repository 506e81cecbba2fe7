use actix_jwt_extended::claims;

#[claims]
#[serde(deny_unknown_fields)]
struct Roles {
    role: String,
}

fn main() {}
