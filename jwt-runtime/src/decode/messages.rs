//! PyJWT's wording of decoding errors, so clients that match on flask-jwt-extended's
//! messages keep working.

use super::views::{NOT_AN_OBJECT, parse_claims};
use crate::error::Error;

/// Maps a header or claims parse error to PyJWT's message (`Invalid header string: …`).
pub(super) fn json_error(bytes: &[u8], what: &str, error: &serde_json::Error) -> Error {
    let text = error.to_string();
    let not_an_object =
        error.classify() == serde_json::error::Category::Data && text.contains(NOT_AN_OBJECT);
    if not_an_object {
        Error::invalid_token(format!("Invalid {what} string: must be a json object"))
    } else {
        Error::invalid_token(format!(
            "Invalid {what} string: {}",
            python_json_message(bytes, error)
        ))
    }
}

/// Words serde_json's error as Python's `json` module would for the common case (no
/// JSON value at the start: `not json`, `nul`, `}`), else serde_json's own text.
fn python_json_message(bytes: &[u8], error: &serde_json::Error) -> String {
    let leading = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let starts_a_container = matches!(bytes.get(leading), Some(b'{' | b'[' | b'"'));
    let text = error.to_string();
    let no_value = text.starts_with("expected value")
        || text.starts_with("expected ident")
        || text.starts_with("EOF while parsing a value");
    if !starts_a_container && (no_value || (error.line() <= 1 && error.column() <= 1)) {
        format!(
            "Expecting value: line 1 column {} (char {leading})",
            leading + 1
        )
    } else {
        match text.split_once(" at line ") {
            Some((reason, _)) => {
                format!("{reason}: line {} column {}", error.line(), error.column())
            }
            None => text,
        }
    }
}

/// The error for a payload that is not UTF-8: the JSON error it has where the parser
/// reaches the bad bytes, else Python's decoding error (`json.loads` decodes the bytes
/// before parsing them).
#[cold]
pub(super) fn payload_not_utf8(
    identity_claim: &str,
    bytes: &[u8],
    error: std::str::Utf8Error,
) -> Error {
    let parsed = parse_claims(
        identity_claim,
        false,
        serde_json::Deserializer::from_slice(bytes),
    );
    if let Err(json) = parsed {
        return json_error(bytes, "payload", &json);
    }
    let position = error.valid_up_to();
    let byte = bytes.get(position).copied().unwrap_or_default();
    let reason = match error.error_len() {
        None => "unexpected end of data",
        Some(_) if (0x80..0xC2).contains(&byte) || byte > 0xF4 => "invalid start byte",
        Some(_) => "invalid continuation byte",
    };
    Error::invalid_token(format!(
        "Invalid payload string: 'utf-8' codec can't decode byte 0x{byte:02x} in position \
         {position}: {reason}"
    ))
}
