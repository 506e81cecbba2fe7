//! The `cookies` location, with flask's double-submit CSRF check.
//!
//! For methods in `JWT_CSRF_METHODS`, the CSRF value must come in a header (or, with
//! `JWT_CSRF_CHECK_FORM`, a form field); it is checked for presence here, before the
//! token is decoded, and later compared in constant time with the token's signed
//! `csrf` claim (never with the CSRF cookie, which an attacker may plant).

use std::borrow::Cow;

use actix_web::{
    HttpRequest,
    dev::Payload,
    http::header::{COOKIE, HeaderName},
};

use super::{Found, Lookup, body};
use crate::{
    config::JwtConfig,
    error::{Error, ErrorKind, Result},
};

/// The cookie's token, and the CSRF value from the header when the method needs one.
/// Needs the body only for a CSRF form field (`JWT_CSRF_CHECK_FORM`) when the header is
/// absent.
pub(super) fn find_now<'r>(
    config: &JwtConfig,
    csrf_header: &HeaderName,
    req: &'r HttpRequest,
    refresh: bool,
) -> Result<Lookup<'r>> {
    let token = token_cookie(config, req, refresh)?;
    if !needs_csrf(config, req) {
        return Ok(Lookup::Found(Found {
            token,
            csrf_value: None,
        }));
    }
    match csrf_from_header(csrf_header, req) {
        Some(csrf_value) => Ok(Lookup::Found(Found {
            token,
            csrf_value: Some(csrf_value),
        })),
        None if form_may_hold_csrf(config, req) => Ok(Lookup::NeedsBody),
        None => Err(missing_csrf()),
    }
}

/// What [`find_now`] could not tell without the body: the CSRF value from the form
/// field, for a request whose method needs one and that sent no CSRF header.
pub(super) async fn find_with_form<'r>(
    config: &JwtConfig,
    req: &'r HttpRequest,
    payload: &mut Payload,
    refresh: bool,
) -> Result<Found<'r>> {
    let token = token_cookie(config, req, refresh)?;
    let field_name = if refresh {
        &config.refresh_csrf_field_name
    } else {
        &config.access_csrf_field_name
    };
    let bytes = body::buffer(req, payload).await?;
    let csrf_value = body::form_pairs(&bytes)
        .into_iter()
        .find(|(key, _)| key == field_name)
        .map(|(_, value)| Cow::<str>::Owned(value))
        .filter(|value| !value.is_empty())
        .ok_or_else(missing_csrf)?;
    Ok(Found {
        token,
        csrf_value: Some(csrf_value),
    })
}

/// The access or refresh token cookie, within the size limit.
fn token_cookie<'r>(
    config: &JwtConfig,
    req: &'r HttpRequest,
    refresh: bool,
) -> Result<Cow<'r, str>> {
    let cookie_name = if refresh {
        &config.refresh_cookie_name
    } else {
        &config.access_cookie_name
    };
    let token = cookie_value(req, cookie_name)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| Error::no_authorization(format!("Missing cookie \"{cookie_name}\"")))?;
    super::check_size(config, token.len(), ErrorKind::HeaderTooLarge, || {
        format!("Cookie \"{cookie_name}\"")
    })?;
    Ok(token)
}

/// Whether the request's method needs the double-submit value.
fn needs_csrf(config: &JwtConfig, req: &HttpRequest) -> bool {
    let method = req.method().as_str();
    config.cookie_csrf_protect && config.csrf_methods.iter().any(|m| m == method)
}

fn csrf_from_header<'r>(csrf_header: &HeaderName, req: &'r HttpRequest) -> Option<Cow<'r, str>> {
    req.headers()
        .get(csrf_header)
        .map(|value| match value.to_str() {
            Ok(value) => Cow::Borrowed(value),
            Err(_) => String::from_utf8_lossy(value.as_bytes()),
        })
        .filter(|value| !value.is_empty())
}

fn form_may_hold_csrf(config: &JwtConfig, req: &HttpRequest) -> bool {
    config.csrf_check_form && body::mime_type(req) == "application/x-www-form-urlencoded"
}

fn missing_csrf() -> Error {
    Error::new(ErrorKind::Csrf("Missing CSRF token".to_owned()))
}

/// The value of the first cookie called `name` in the request's `Cookie` headers, read
/// leniently as Werkzeug reads them: an entry that is not `name=value` is skipped, and
/// bytes that are not UTF-8 (another app's Latin-1 cookie on the same domain) spoil
/// only their own entry. actix-web's `HttpRequest::cookie` drops every cookie of a
/// header that is not UTF-8, which would hide the token. Values are taken as sent,
/// without percent-decoding (JWTs and CSRF values need none, and Werkzeug does none); a
/// double-quoted value is unquoted.
fn cookie_value<'r>(req: &'r HttpRequest, name: &str) -> Option<Cow<'r, str>> {
    req.headers().get_all(COOKIE).find_map(|header| {
        let header = header.as_bytes();
        // The usual header is UTF-8 (ASCII): one fast check, then `str` searches, which
        // use memchr. Otherwise, each entry on its own.
        match std::str::from_utf8(header) {
            Ok(header) => cookie_in_text(header, name).map(Cow::Borrowed),
            Err(_) => cookie_in_bytes(header, name).map(String::from_utf8_lossy),
        }
    })
}

fn cookie_in_text<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key.trim_ascii() == name).then(|| unquote(value.trim_ascii()))
    })
}

fn cookie_in_bytes<'h>(header: &'h [u8], name: &str) -> Option<&'h [u8]> {
    header.split(|byte| *byte == b';').find_map(|pair| {
        let split = pair.iter().position(|byte| *byte == b'=')?;
        let (key, value) = (&pair[..split], &pair[split + 1..]);
        (key.trim_ascii() == name.as_bytes()).then(|| unquote_bytes(value.trim_ascii()))
    })
}

/// A double-quoted cookie value without its quotes.
fn unquote(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|value| value.strip_suffix('"'))
        .unwrap_or(value)
}

fn unquote_bytes(value: &[u8]) -> &[u8] {
    value
        .strip_prefix(b"\"")
        .and_then(|value| value.strip_suffix(b"\""))
        .unwrap_or(value)
}
