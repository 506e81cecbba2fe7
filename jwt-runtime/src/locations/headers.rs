//! The `headers` location: `Authorization: Bearer <JWT>`, flask's rules exactly.
//!
//! The header may hold several comma-separated credentials (`Basic x, Bearer y`);
//! exactly one must start with the type word, which is matched case-sensitively.

use actix_web::HttpRequest;

use super::Found;
use crate::{
    config::JwtConfig,
    error::{Error, ErrorKind, Result},
};

pub(super) fn find(config: &JwtConfig, req: &HttpRequest) -> Result<Found> {
    let name = &config.header_name;
    let kind = &config.header_type;
    // Several header lines are joined with commas, as a WSGI server does for flask.
    let raw = req
        .headers()
        .get_all(name.as_str())
        .map(|value| String::from_utf8_lossy(value.as_bytes()))
        .collect::<Vec<_>>()
        .join(", ");
    // flask strips whitespace, then commas; stripping both until neither is left also
    // covers `" , "`, where flask crashes.
    // Several credentials may share the header; allow room for a few short ones.
    super::check_size(
        config,
        raw.len().saturating_sub(1024),
        ErrorKind::HeaderTooLarge,
        &format!("{name} header"),
    )?;
    let value = raw.trim_matches(|c: char| c == ',' || c.is_whitespace());
    if value.is_empty() {
        return Err(Error::no_authorization(format!("Missing {name} Header")));
    }

    if kind.is_empty() {
        let mut parts = value.split_whitespace();
        return match (parts.next(), parts.next()) {
            (Some(token), None) => {
                super::check_size(config, token.len(), ErrorKind::HeaderTooLarge, "Token")?;
                Ok(Found::token(token))
            }
            _ => Err(Error::invalid_carrier(format!(
                "Bad {name} header. Expected '{name}: <JWT>'"
            ))),
        };
    }

    // flask splits on `,\s*` and keeps the fields whose first word is the type.
    let mut matching = value
        .split(',')
        .map(str::trim_start)
        .filter(|field| field.split_whitespace().next() == Some(kind.as_str()));
    let field = match (matching.next(), matching.next()) {
        (Some(field), None) => field,
        _ => {
            return Err(Error::no_authorization(format!(
                "Missing '{kind}' type in '{name}' header. Expected '{name}: {kind} <JWT>'"
            )));
        }
    };
    let mut parts = field.split_whitespace();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(token), None) => {
            super::check_size(config, token.len(), ErrorKind::HeaderTooLarge, "Token")?;
            Ok(Found::token(token))
        }
        _ => Err(Error::invalid_carrier(format!(
            "Bad {name} header. Expected '{name}: {kind} <JWT>'"
        ))),
    }
}
