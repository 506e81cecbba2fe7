use actix_jwt_extended::{Jwt, JwtManager, claims};

// Every mistake is reported in one build, and the struct is still emitted with its
// traits: the code using it below adds no errors of its own.
#[claims(identity_claim = "uid", strict)]
#[derive(Debug, Clone)]
struct Roles {
    uid: u64,
    role: String,
    #[serde(rename = "role")]
    kind: String,
    #[serde(rename = "exp", default)]
    expires: u64,
}

fn issue(manager: &JwtManager, roles: &Roles) -> String {
    manager
        .access_token("alice")
        .claims(roles)
        .build()
        .unwrap_or_default()
}

fn read(jwt: Jwt<Roles>) -> String {
    format!("{} {}", jwt.role, jwt.claims().kind)
}

fn main() {
    let _ = (issue, read);
}
