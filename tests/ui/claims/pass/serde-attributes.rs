//! serde's attributes on a claims struct, with no serde dependency in sight: a local
//! `serde` module would break any generated path that is not absolute.
#![deny(warnings, unused_qualifications)]

mod serde {}

use actix_jwt_extended::{Jwt, JwtManager, claims};

#[claims]
#[serde(rename_all = "camelCase")]
struct Profile {
    display_name: String,
    #[serde(rename = "grp")]
    group: String,
    #[serde(rename(serialize = "lvl", deserialize = "level"), alias = "lvl")]
    level: u8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    scopes: Vec<String>,
    #[serde(alias = "mail")]
    email: Option<String>,
    #[serde(skip)]
    cache: Option<u64>,
    // Skipped, so it is no claim: no clash with `exp`.
    #[serde(skip)]
    exp: (),
    // Same name both ways.
    #[serde(rename = "EXP")]
    upper: bool,
}

#[claims]
struct Empty {}

fn issue(manager: &JwtManager, profile: &Profile) -> String {
    manager
        .access_token("alice")
        .claims(profile)
        .build()
        .unwrap_or_default()
}

fn read(jwt: Jwt<Profile>, empty: Jwt<Empty>) -> String {
    let Empty {} = empty.into_claims();
    format!(
        "{} {} {} {:?} {:?} {:?} {:?} {}",
        jwt.display_name,
        jwt.group,
        jwt.level,
        jwt.scopes,
        jwt.email,
        jwt.cache,
        jwt.exp,
        jwt.upper
    )
}

fn main() {
    let _ = (issue, read);
}
