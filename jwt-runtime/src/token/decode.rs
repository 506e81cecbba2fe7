//! Decoding and verifying a token, in PyJWT's order and with its messages (reference
//! §4.2 and §7), as flask-jwt-extended's `decode_token` does.
//!
//! The token is parsed here, strictly, rather than by `jsonwebtoken::decode`: that
//! crate's errors are coarser than PyJWT's, it checks neither `iat` nor (by default)
//! `nbf`, and it parses the claims twice. `jsonwebtoken` still does the cryptography:
//! [`jsonwebtoken::crypto::verify`] checks the signature.
//!
//! Order: segments → header base64 → header JSON → payload base64 → payload JSON →
//! `kid` type → `alg` present and allowed → signature → `iat` → `nbf` → `exp` → `iss` →
//! `aud` (only when configured) → `sub` type → `jti` type → identity claim present →
//! defaults → CSRF. An expired token still runs every later check, and fails as
//! expired only if they pass (flask decodes it a second time without `exp`).

use std::{str::FromStr, sync::Arc};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::Algorithm;
use serde_json::{Map, Value};
use subtle::ConstantTimeEq;

use crate::{
    config::JwtConfig,
    error::{Error, ErrorKind, Result},
    keys::Keys,
    time,
    token::{DecodedToken, TokenType, strict_json},
};

/// NumericDate bounds: 1970 to the end of year 9999 (security.md R10, CVE-2026-25537).
const MAX_NUMERIC_DATE: f64 = 253_402_300_799.0;

/// Header parameters that mean nothing in a JWS, or change how it must be processed
/// (JWE-only, RFC 7797 unencoded payloads, PBES2): refused, never ignored (R18).
const REFUSED_HEADER_PARAMETERS: [&str; 10] = [
    "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c", "b64",
];

/// Chooses the verification key from the unverified header and claims.
pub(crate) type DecodeKeyFn = dyn Fn(&Map<String, Value>, &Map<String, Value>) -> Option<jsonwebtoken::DecodingKey>
    + Send
    + Sync;

/// What a caller asks of one decode beyond the configured checks.
#[derive(Clone, Copy, Default)]
pub(crate) struct DecodeOptions<'a> {
    /// The double-submit value sent with a cookie token: the `csrf` claim must equal it.
    pub(crate) csrf_value: Option<&'a str>,
    /// Accept an expired token (flask's `allow_expired`).
    pub(crate) allow_expired: bool,
    /// flask's `decode_key_loader`; `None` uses the configured key.
    pub(crate) decode_key: Option<&'a DecodeKeyFn>,
}

/// The three segments of a compact JWS, split as PyJWT splits them.
struct Segments<'a> {
    signing_input: &'a str,
    header: &'a str,
    payload: &'a str,
    signature: &'a str,
}

impl<'a> Segments<'a> {
    /// PyJWT splits the signature off at the *last* dot and the header at the *first*,
    /// so a fourth segment ends up inside the payload and fails its base64.
    fn split(token: &'a str) -> Result<Self> {
        let not_enough = || Error::invalid_token("Not enough segments");
        let (signing_input, signature) = token.rsplit_once('.').ok_or_else(not_enough)?;
        let (header, payload) = signing_input.split_once('.').ok_or_else(not_enough)?;
        Ok(Segments {
            signing_input,
            header,
            payload,
            signature,
        })
    }
}

/// Strict base64url without padding: canonical encodings only.
fn base64url(segment: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(segment).ok()
}

/// Parses a JSON object, with PyJWT's messages (`Invalid header string: …`).
fn json_object(bytes: &[u8], what: &str) -> Result<Map<String, Value>> {
    match strict_json::parse(bytes) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(Error::invalid_token(format!(
            "Invalid {what} string: must be a json object"
        ))),
        Err(error) => Err(Error::invalid_token(format!(
            "Invalid {what} string: {}",
            python_json_message(bytes, &error)
        ))),
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

/// A NumericDate claim as PyJWT reads it (`int(value)`): a JSON number, truncated.
/// `None` when present but not a number in range (PyJWT also takes numeric strings).
fn numeric_date(claims: &Map<String, Value>, name: &str) -> Option<Option<f64>> {
    match claims.get(name) {
        None => Some(None),
        Some(Value::Number(number)) => number
            .as_f64()
            .filter(|value| value.is_finite() && (0.0..=MAX_NUMERIC_DATE).contains(value))
            .map(|value| Some(value.trunc())),
        Some(_) => None,
    }
}

/// Decodes and verifies `token` with `config` and `keys` (flask's `decode_token`).
pub(crate) fn decode(
    config: &JwtConfig,
    keys: &Keys,
    identity_claim: &Arc<str>,
    token: &str,
    options: DecodeOptions<'_>,
) -> Result<DecodedToken> {
    // Bounded work before any base64 or JSON (security.md R23).
    if token.len() > config.max_token_size {
        return Err(Error::invalid_token("Token is too large"));
    }
    let segments = Segments::split(token)?;

    // Structure: what PyJWT's unverified decode (run first by flask) rejects.
    let header_bytes =
        base64url(segments.header).ok_or_else(|| Error::invalid_token("Invalid header padding"))?;
    let header = json_object(&header_bytes, "header")?;
    let payload_bytes = base64url(segments.payload)
        .ok_or_else(|| Error::invalid_token("Invalid payload padding"))?;
    let mut claims = json_object(&payload_bytes, "payload")?;

    // Header: `kid` (checked by `get_unverified_header`), then the algorithm.
    if header.get("kid").is_some_and(|kid| !kid.is_string()) {
        return Err(Error::invalid_token(
            "Key ID header parameter must be a string",
        ));
    }
    check_header_parameters(&header)?;
    let algorithm = match header.get("alg") {
        None => return Err(Error::invalid_token("Algorithm not specified")),
        Some(alg) => alg
            .as_str()
            .and_then(|name| Algorithm::from_str(name).ok())
            .filter(|alg| keys.decode_algorithms.contains(alg))
            .ok_or_else(|| Error::invalid_token("The specified alg value is not allowed"))?,
    };

    // Signature. A signature segment that is not canonical base64url fails here too, and
    // so does a key the decode key loader could not find.
    let custom_key = match options.decode_key {
        None => None,
        Some(loader) => {
            let key = crate::callbacks::guard("decode_key_loader", || loader(&header, &claims))?;
            Some(key.ok_or_else(|| Error::invalid_token("Signature verification failed"))?)
        }
    };
    let verified = jsonwebtoken::crypto::verify(
        segments.signature,
        segments.signing_input.as_bytes(),
        custom_key.as_ref().unwrap_or(&keys.decoding),
        algorithm,
    )
    .unwrap_or(false);
    if !verified {
        return Err(Error::invalid_token("Signature verification failed"));
    }

    // Registered claims, in PyJWT's order.
    let now = time::now();
    let leeway = config.decode_leeway.as_secs_f64();
    let iat = numeric_date(&claims, "iat")
        .ok_or_else(|| Error::invalid_token("Issued At claim (iat) must be an integer."))?;
    if iat.is_some_and(|iat| iat > now + leeway) {
        return Err(Error::invalid_token("The token is not yet valid (iat)"));
    }
    let nbf = numeric_date(&claims, "nbf")
        .ok_or_else(|| Error::invalid_token("Not Before claim (nbf) must be an integer."))?;
    if nbf.is_some_and(|nbf| nbf > now + leeway) {
        return Err(Error::invalid_token("The token is not yet valid (nbf)"));
    }
    let exp = numeric_date(&claims, "exp")
        .ok_or_else(|| Error::invalid_token("Expiration Time claim (exp) must be an integer."))?;
    let expired = exp.is_some_and(|exp| exp <= now - leeway);

    if let Some(issuer) = &config.decode_issuer {
        match claims.get("iss") {
            None => return Err(Error::invalid_token("Token is missing the \"iss\" claim")),
            Some(Value::String(iss)) if issuer.contains(iss) => {}
            Some(_) => return Err(Error::invalid_token("Invalid issuer")),
        }
    }
    match &config.decode_audience {
        Some(audience) => check_audience(&claims, audience)?,
        // A token meant for some audience is not meant for a service that has none
        // (RFC 7519 §4.1.3; flask skips the check).
        None if claims.contains_key("aud") => {
            return Err(Error::invalid_token("Invalid audience"));
        }
        None => {}
    }
    if config.verify_sub && claims.get("sub").is_some_and(|sub| !sub.is_string()) {
        return Err(Error::invalid_token("Subject must be a string"));
    }
    if claims.get("jti").is_some_and(|jti| !jti.is_string()) {
        return Err(Error::invalid_token("JWT ID must be a string"));
    }
    if !claims.contains_key(&**identity_claim) {
        return Err(Error::invalid_token(format!(
            "Missing claim: {identity_claim}"
        )));
    }

    // Token kinds are mutually exclusive (RFC 8725 §3.12): a token must say which it is
    // (flask treats a missing or unknown `type` as an access token).
    let token_type = match claims.get("type") {
        None => return Err(Error::invalid_token("Missing claim: type")),
        Some(Value::String(kind)) if kind == "access" => TokenType::Access,
        Some(Value::String(kind)) if kind == "refresh" => TokenType::Refresh,
        Some(_) => {
            return Err(Error::invalid_token(
                "Invalid claim: type must be \"access\" or \"refresh\"",
            ));
        }
    };
    // While tokens of this kind expire, one that never does was not made here.
    let lifetime = match token_type {
        TokenType::Access => config.access_token_expires,
        TokenType::Refresh => config.refresh_token_expires,
    };
    if exp.is_none() && lifetime.duration().is_some() {
        return Err(Error::invalid_token("Token is missing the \"exp\" claim"));
    }

    // flask's defaults, visible through `get_jwt()`.
    claims.entry("fresh").or_insert(Value::Bool(false));
    claims.entry("jti").or_insert(Value::Null);

    if let Some(csrf_value) = options.csrf_value.filter(|value| !value.is_empty()) {
        match claims.get("csrf") {
            None => return Err(Error::invalid_token("Missing claim: csrf")),
            Some(claim) => {
                let matches = claim
                    .as_str()
                    .is_some_and(|claim| bool::from(claim.as_bytes().ct_eq(csrf_value.as_bytes())));
                if !matches {
                    return Err(Error::new(ErrorKind::Csrf(
                        "CSRF double submit tokens do not match".to_owned(),
                    )));
                }
            }
        }
    }

    let token = DecodedToken::new(header, claims, identity_claim.clone());
    if expired && !options.allow_expired {
        return Err(Error::with_token(ErrorKind::Expired, Arc::new(token)));
    }
    Ok(token)
}

/// Header parameters PyJWT does not look at, refused here: `crit` (we understand no
/// extension, so any is a reason to refuse, RFC 7515 §4.1.11) and the parameters that
/// have no meaning in a JWS.
fn check_header_parameters(header: &Map<String, Value>) -> Result<()> {
    if let Some(crit) = header.get("crit") {
        let names = crit.as_array().filter(|names| !names.is_empty());
        let name = names
            .and_then(|names| names.first())
            .and_then(Value::as_str);
        return Err(Error::invalid_token(match name {
            Some(name) => format!("Unsupported critical header parameter \"{name}\""),
            None => "Invalid \"crit\" header parameter".to_owned(),
        }));
    }
    if let Some(name) = REFUSED_HEADER_PARAMETERS
        .iter()
        .find(|name| header.contains_key(**name))
    {
        return Err(Error::invalid_token(format!(
            "Unsupported header parameter \"{name}\""
        )));
    }
    Ok(())
}

/// PyJWT's non-strict audience check: the claim must be present and non-empty, a string
/// or a list of strings, and share one value with the configured audience.
fn check_audience(claims: &Map<String, Value>, audience: &crate::config::OneOrMany) -> Result<()> {
    let missing = || Error::invalid_token("Token is missing the \"aud\" claim");
    let bad_format = || Error::invalid_token("Invalid claim format in token");
    let claimed: Vec<&str> = match claims.get("aud") {
        None | Some(Value::Null) => return Err(missing()),
        Some(Value::String(aud)) if aud.is_empty() => return Err(missing()),
        Some(Value::String(aud)) => vec![aud.as_str()],
        Some(Value::Array(list)) if list.is_empty() => return Err(missing()),
        Some(Value::Array(list)) => list
            .iter()
            .map(Value::as_str)
            .collect::<Option<_>>()
            .ok_or_else(bad_format)?,
        // PyJWT treats falsy values (false, 0, {}) as missing.
        Some(Value::Bool(false)) => return Err(missing()),
        Some(Value::Number(number)) if number.as_f64() == Some(0.0) => return Err(missing()),
        Some(Value::Object(object)) if object.is_empty() => return Err(missing()),
        Some(_) => return Err(bad_format()),
    };
    if claimed.iter().any(|aud| audience.contains(aud)) {
        Ok(())
    } else {
        Err(Error::invalid_token("Audience doesn't match"))
    }
}
