//! The `headers` location: `Authorization: Bearer <JWT>`, flask's rules exactly.
//!
//! The header may hold several comma-separated credentials (`Basic x, Bearer y`);
//! exactly one must start with the type word, which is matched case-sensitively.

use std::borrow::Cow;

use actix_web::{HttpRequest, http::header::HeaderName};

use super::Found;
use crate::{
    config::JwtConfig,
    error::{Error, ErrorKind, Result},
};

pub(super) fn find<'r>(
    config: &JwtConfig,
    header: &HeaderName,
    req: &'r HttpRequest,
) -> Result<Found<'r>> {
    let name = &config.header_name;
    // Several header lines are joined with commas, as a WSGI server does for flask.
    let mut lines = req.headers().get_all(header);
    if let (Some(line), None) = (lines.next(), lines.clone().next())
        && let Some(token) = plain_bearer(line.as_bytes(), &config.header_type)
    {
        // The same checks, in the same order, as the general path below.
        super::check_size(
            config,
            line.len().saturating_sub(1024),
            ErrorKind::HeaderTooLarge,
            || format!("{name} header"),
        )?;
        super::check_size(config, token.len(), ErrorKind::HeaderTooLarge, || {
            "Token".to_owned()
        })?;
        return Ok(Found::token(token));
    }
    let mut lines = req.headers().get_all(header);
    let raw: Cow<'r, str> = match (lines.next(), lines.next()) {
        (None, _) => Cow::Borrowed(""),
        (Some(line), None) => String::from_utf8_lossy(line.as_bytes()),
        (Some(first), Some(second)) => {
            let all = [first, second].into_iter().chain(lines);
            Cow::Owned(
                all.map(|line| String::from_utf8_lossy(line.as_bytes()))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        }
    };
    // Several credentials may share the header; allow room for a few short ones.
    super::check_size(
        config,
        raw.len().saturating_sub(1024),
        ErrorKind::HeaderTooLarge,
        || format!("{name} header"),
    )?;
    let token = match raw {
        Cow::Borrowed(raw) => Cow::Borrowed(token_in(config, raw)?),
        Cow::Owned(raw) => Cow::Owned(token_in(config, &raw)?.to_owned()),
    };
    Ok(Found::token(token))
}

/// The common case in one pass: `<type> <token>` where the token holds no whitespace,
/// comma or non-ASCII byte, so flask's rules (split on commas, then on whitespace) can
/// only find that token. Anything else (other schemes, commas, extra spaces) takes the
/// general path. Bytes that are not base64url fail later, in decoding, on both paths.
fn plain_bearer<'r>(line: &'r [u8], kind: &str) -> Option<&'r str> {
    if kind.is_empty() {
        return None;
    }
    let token = line.strip_prefix(kind.as_bytes())?.strip_prefix(b" ")?;
    if token.is_empty() || !all_plain_bytes(token) {
        return None;
    }
    std::str::from_utf8(token).ok()
}

/// Whether every byte is printable ASCII other than space and comma. No early exit and
/// no table: the compiler turns this into a vector loop, several times faster than
/// `all()` on a 300-byte token.
fn all_plain_bytes(bytes: &[u8]) -> bool {
    let outside = bytes.iter().fold(0_u8, |outside, &byte| {
        // `!`..=`~` is 0x21..=0x7E; whitespace, control bytes and non-ASCII fall outside.
        let unprintable = byte.wrapping_sub(0x21) > 0x7E - 0x21;
        outside | u8::from(unprintable | (byte == b','))
    });
    outside == 0
}

/// The token in the header value `raw`, by flask's rules.
fn token_in<'a>(config: &JwtConfig, raw: &'a str) -> Result<&'a str> {
    let name = &config.header_name;
    let kind = &config.header_type;
    // flask strips whitespace, then commas; stripping both until neither is left also
    // covers `" , "`, where flask crashes.
    let value = raw.trim_matches(|c: char| c == ',' || c.is_whitespace());
    if value.is_empty() {
        return Err(Error::no_authorization(format!("Missing {name} Header")));
    }

    if kind.is_empty() {
        let mut parts = value.split_whitespace();
        return match (parts.next(), parts.next()) {
            (Some(token), None) => {
                super::check_size(config, token.len(), ErrorKind::HeaderTooLarge, || {
                    "Token".to_owned()
                })?;
                Ok(token)
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
        .filter(|field| first_word_is(field, kind));
    let field = match (matching.next(), matching.next()) {
        (Some(field), None) => field,
        _ => {
            return Err(Error::no_authorization(format!(
                "Missing '{kind}' type in '{name}' header. Expected '{name}: {kind} <JWT>'"
            )));
        }
    };
    // `<type> <token>` and nothing else: exactly two whitespace-separated words.
    let rest = field[kind.len()..].trim_start();
    let token = rest.trim_end();
    if token.is_empty() || contains_whitespace(token) {
        return Err(Error::invalid_carrier(format!(
            "Bad {name} header. Expected '{name}: {kind} <JWT>'"
        )));
    }
    super::check_size(config, token.len(), ErrorKind::HeaderTooLarge, || {
        "Token".to_owned()
    })?;
    Ok(token)
}

/// Whether the first whitespace-separated word of `field` is `word` (Python's
/// `field.split()[0] == word`), without scanning the rest of the field.
fn first_word_is(field: &str, word: &str) -> bool {
    field
        .strip_prefix(word)
        .is_some_and(|rest| rest.chars().next().is_none_or(char::is_whitespace))
}

/// Python's notion of whitespace in `str.split()`, with a fast path for ASCII.
fn contains_whitespace(text: &str) -> bool {
    if text.is_ascii() {
        text.bytes()
            .any(|byte| byte.is_ascii_whitespace() || (0x1c..=0x1f).contains(&byte) || byte == 0x0b)
    } else {
        text.chars().any(char::is_whitespace)
    }
}

#[cfg(test)]
mod tests {
    use super::all_plain_bytes;

    #[test]
    fn plain_bytes_are_printable_ascii_but_comma() {
        for byte in 0..=u8::MAX {
            let expected = (b'!'..=b'~').contains(&byte) && byte != b',';
            assert_eq!(
                all_plain_bytes(&[b'a', byte, b'z']),
                expected,
                "byte {byte:#04x}"
            );
        }
        assert!(all_plain_bytes(b""));
    }
}
