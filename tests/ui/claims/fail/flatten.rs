use std::collections::HashMap;

use actix_jwt_extended::claims;

#[claims]
struct Roles {
    role: String,
    #[serde(flatten)]
    extra: HashMap<String, String>,
}

fn main() {}
