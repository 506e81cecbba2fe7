//! With a custom identity claim, `sub` is still reserved but other names are free.
#![deny(warnings)]

use actix_jwt_extended::{Jwt, claims};

#[claims(identity_claim = "user_id")]
struct Roles {
    role: String,
    // Not the identity claim: names are case-sensitive.
    #[serde(rename = "USER_ID")]
    upper: String,
}

fn main() {
    let _ = |jwt: Jwt<Roles>| format!("{} {}", jwt.role, jwt.upper);
}
