use actix_jwt_extended::claims;

#[claims]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
struct Session {
    user_role: String,
    Jti: String,
}

fn main() {}
