//! Decoding and verifying a token, in PyJWT's order and with its messages, as
//! flask-jwt-extended's `decode_token` does.
//!
//! The token is parsed here, strictly and once, rather than by `jsonwebtoken::decode`:
//! that crate's errors are coarser than PyJWT's, it checks neither `iat` nor (by
//! default) `nbf`, and it parses the claims twice. Verification reads only the members
//! it checks ([`views`], borrowed where it can) and notes where each custom claim's raw
//! value lies (so typed claims read just those), refusing duplicate member names at any
//! depth; the full maps are built later, only if asked for. Should that fast pass fail,
//! a second, plain pass words the error exactly ([`messages`]).
//! `jsonwebtoken` still does the cryptography, except HMAC, whose key schedule is
//! computed once per manager (see `keys`).
//!
//! Order, one function per step: segments → header base64 → header JSON → payload
//! base64 → payload JSON ([`read_header`], [`read_claims`]) → `kid` type → `alg` present
//! and allowed ([`check_header`]) → signature ([`verify_signature`]) → `iat` → `nbf` →
//! `exp` ([`check_times`]) → `iss` → `aud`, only when configured ([`check_audience`])
//! → `sub` type → `jti` type → identity claim present → `type` → `exp` required →
//! `fresh` type ([`registered_claims`]) → CSRF. An expired token still runs every later
//! check, and fails as expired only if they pass (flask decodes it a second time
//! without `exp`).

mod messages;
mod views;

use std::{borrow::Cow, str::FromStr, sync::Arc};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::Algorithm;
use serde_json::{Map, Value};

use self::{
    messages::{json_error, payload_not_utf8},
    views::{ClaimsView, HeaderView, MaybeStr, TextOrValue, parse_claims},
};
use crate::{
    callbacks::guard,
    config::{JwtConfig, OneOrMany},
    csrf,
    error::{Error, ErrorKind, Result},
    keys::Keys,
    time,
    token::{CustomClaim, DecodedToken, Identity, Registered, TextClaim, TokenType, strict_json},
};

/// NumericDate bounds: 1970 to the end of year 9999. A larger `exp` would never expire
/// and overflows the integer types other verifiers read it into (docs/security.md R10).
const MAX_NUMERIC_DATE: f64 = 253_402_300_799.0;

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

/// Decodes and verifies `token` with `config` and `keys` (flask's `decode_token`).
pub(crate) fn decode(
    config: &JwtConfig,
    keys: &Keys,
    identity_claim: &Arc<str>,
    token: &str,
    options: DecodeOptions<'_>,
) -> Result<DecodedToken> {
    // Bounded work before any base64 or JSON: a hostile token of megabytes, or of
    // thousands of dots, costs nothing (docs/security.md R23).
    if token.len() > config.max_token_size {
        return Err(Error::invalid_token("Token is too large"));
    }
    let segments = Segments::split(token)?;
    // Structure: what PyJWT's unverified decode (run first by flask) rejects.
    let (header_json, header) = read_header(keys, segments.header)?;
    let payload_json = read_payload(identity_claim, segments.payload)?;
    let claims = read_claims(identity_claim, &payload_json)?;

    let algorithm = check_header(keys, &header)?;
    verify_signature(
        keys,
        &segments,
        algorithm,
        (&header_json, &payload_json),
        options.decode_key,
    )?;
    let times = check_times(config, &claims)?;
    check_issuer(config, &claims)?;
    match &config.decode_audience {
        Some(audience) => check_audience(claims.aud.as_ref(), audience)?,
        // A token meant for some audience is not meant for a service that has none
        // (RFC 7519 §4.1.3; flask skips the check).
        None if claims.aud.is_some() => {
            return Err(Error::invalid_token("Invalid audience"));
        }
        None => {}
    }
    let (registered, custom) =
        registered_claims(config, identity_claim, &payload_json, claims, times.exp)?;
    csrf::check_double_submit(
        registered.csrf.as_ref().map(|csrf| csrf.get(&payload_json)),
        options.csrf_value,
    )?;
    // The spans in `registered` and `custom` point into `payload_json`, which the token
    // keeps.
    let token = DecodedToken::new(header_json, payload_json, registered, custom);
    if times.expired && !options.allow_expired {
        return Err(Error::with_token(ErrorKind::Expired, Arc::new(token)));
    }
    Ok(token)
}

/// The header's JSON and its view. Tokens made by this manager without additional
/// headers all share one header; it needs no decoding.
fn read_header<'k>(keys: &'k Keys, segment: &str) -> Result<(Arc<str>, HeaderView<'k>)> {
    if segment == keys.default_header_segment {
        let header = HeaderView {
            alg: Some(Some(Cow::Borrowed(keys.algorithm_name.as_str()))),
            kid_not_string: false,
            crit: None,
            refused: None,
        };
        return Ok((keys.default_header_json.clone(), header));
    }
    let header_bytes =
        base64url(segment).ok_or_else(|| Error::invalid_token("Invalid header padding"))?;
    let header: HeaderView<'static> = serde_json::from_slice::<HeaderView<'_>>(&header_bytes)
        .map_err(|error| json_error(&header_bytes, "header", &error))?
        .into_owned();
    let json = String::from_utf8(header_bytes).unwrap_or_default();
    Ok((Arc::from(json), header))
}

/// The payload's JSON text. One UTF-8 check over the whole payload, so the parser need
/// not check each string again; the text is kept as the token's claims JSON.
fn read_payload(identity_claim: &str, segment: &str) -> Result<String> {
    let payload_bytes =
        base64url(segment).ok_or_else(|| Error::invalid_token("Invalid payload padding"))?;
    String::from_utf8(payload_bytes)
        .map_err(|error| payload_not_utf8(identity_claim, error.as_bytes(), error.utf8_error()))
}

/// The claims verification reads. The fast pass keeps the custom claims' raw text for
/// typed claims; should it fail, the reference pass (which builds nothing) words the
/// error exactly.
fn read_claims<'p>(identity_claim: &str, payload_json: &'p str) -> Result<ClaimsView<'p>> {
    let parse = |capture| {
        parse_claims(
            identity_claim,
            capture,
            serde_json::Deserializer::from_str(payload_json),
        )
    };
    parse(true).map_err(|error| {
        let error = parse(false).err().unwrap_or(error);
        json_error(payload_json.as_bytes(), "payload", &error)
    })
}

/// `kid` (checked by `get_unverified_header`), the parameters we refuse, then the
/// algorithm, which must be one the keys accept.
fn check_header(keys: &Keys, header: &HeaderView<'_>) -> Result<Algorithm> {
    if header.kid_not_string {
        return Err(Error::invalid_token(
            "Key ID header parameter must be a string",
        ));
    }
    if let Some(crit) = &header.crit {
        // We understand no extension, so any `crit` is a reason to refuse (RFC 7515
        // §4.1.11).
        let name = crit
            .as_array()
            .and_then(|names| names.first())
            .and_then(Value::as_str);
        return Err(Error::invalid_token(match name {
            Some(name) => format!("Unsupported critical header parameter \"{name}\""),
            None => "Invalid \"crit\" header parameter".to_owned(),
        }));
    }
    if let Some(name) = header.refused {
        return Err(Error::invalid_token(format!(
            "Unsupported header parameter \"{name}\""
        )));
    }
    match &header.alg {
        None => Err(Error::invalid_token("Algorithm not specified")),
        Some(alg) => alg
            .as_deref()
            .and_then(|name| Algorithm::from_str(name).ok())
            .filter(|alg| keys.decode_algorithms.contains(alg))
            .ok_or_else(|| Error::invalid_token("The specified alg value is not allowed")),
    }
}

/// The signature, with the configured key or the decode key loader's. A signature
/// segment that is not canonical base64url fails here too, and so does a key the loader
/// could not find.
fn verify_signature(
    keys: &Keys,
    segments: &Segments<'_>,
    algorithm: Algorithm,
    (header_json, payload_json): (&str, &str),
    decode_key: Option<&DecodeKeyFn>,
) -> Result<()> {
    let signing_input = segments.signing_input.as_bytes();
    let verified = match decode_key {
        None => keys.verify(algorithm, signing_input, segments.signature),
        Some(loader) => {
            // The loader sees the unverified header and claims, as flask's does.
            let full = |json: &str| match strict_json::parse(json.as_bytes()) {
                Ok(Value::Object(map)) => map,
                _ => Map::new(),
            };
            let (header_map, claims_map) = (full(header_json), full(payload_json));
            let key = guard("decode_key_loader", || loader(&header_map, &claims_map))?;
            let key = key.ok_or_else(|| Error::invalid_token("Signature verification failed"))?;
            jsonwebtoken::crypto::verify(segments.signature, signing_input, &key, algorithm)
                .unwrap_or(false)
        }
    };
    if verified {
        Ok(())
    } else {
        Err(Error::invalid_token("Signature verification failed"))
    }
}

/// `exp` as read, and whether it has passed.
struct Times {
    exp: Option<f64>,
    expired: bool,
}

/// `iat`, `nbf` and `exp`, in PyJWT's order, with the configured leeway.
fn check_times(config: &JwtConfig, claims: &ClaimsView<'_>) -> Result<Times> {
    let now = time::now();
    let leeway = config.decode_leeway.as_secs_f64();
    let iat = numeric_date(claims.iat.as_ref())
        .map_err(|()| Error::invalid_token("Issued At claim (iat) must be an integer."))?;
    if iat.is_some_and(|iat| iat > now + leeway) {
        return Err(Error::invalid_token("The token is not yet valid (iat)"));
    }
    let nbf = numeric_date(claims.nbf.as_ref())
        .map_err(|()| Error::invalid_token("Not Before claim (nbf) must be an integer."))?;
    if nbf.is_some_and(|nbf| nbf > now + leeway) {
        return Err(Error::invalid_token("The token is not yet valid (nbf)"));
    }
    let exp = numeric_date(claims.exp.as_ref())
        .map_err(|()| Error::invalid_token("Expiration Time claim (exp) must be an integer."))?;
    Ok(Times {
        exp,
        expired: exp.is_some_and(|exp| exp <= now - leeway),
    })
}

/// `iss`, checked only when an issuer is configured.
fn check_issuer(config: &JwtConfig, claims: &ClaimsView<'_>) -> Result<()> {
    let Some(issuer) = &config.decode_issuer else {
        return Ok(());
    };
    match &claims.iss {
        None => Err(Error::invalid_token("Token is missing the \"iss\" claim")),
        Some(Value::String(iss)) if issuer.contains(iss) => Ok(()),
        Some(_) => Err(Error::invalid_token("Invalid issuer")),
    }
}

/// The claims the token keeps typed (`sub` and the identity, `jti`, `type`, `fresh`,
/// `csrf`, `refresh_jti`) after their checks, and where each custom claim lies.
fn registered_claims(
    config: &JwtConfig,
    identity_claim: &str,
    payload_json: &str,
    claims: ClaimsView<'_>,
    exp: Option<f64>,
) -> Result<(Registered, Vec<CustomClaim>)> {
    if config.verify_sub
        && claims
            .sub
            .as_ref()
            .is_some_and(|sub| matches!(sub, TextOrValue::Value(_)))
    {
        return Err(Error::invalid_token("Subject must be a string"));
    }
    let jti = match claims.jti {
        None => None,
        Some(MaybeStr(Some(jti))) => Some(jti),
        Some(MaybeStr(None)) => return Err(Error::invalid_token("JWT ID must be a string")),
    };
    let identity = if identity_claim == "sub" {
        claims.sub
    } else {
        claims.identity
    };
    let Some(identity) = identity else {
        return Err(Error::invalid_token(format!(
            "Missing claim: {identity_claim}"
        )));
    };

    // Token kinds are mutually exclusive (RFC 8725 §3.12): a token must say which it is
    // (flask treats a missing or unknown `type` as an access token).
    let token_type = match claims.kind.as_ref().map(|kind| kind.0.as_deref()) {
        None => return Err(Error::invalid_token("Missing claim: type")),
        Some(Some("access")) => TokenType::Access,
        Some(Some("refresh")) => TokenType::Refresh,
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
    if config.require_exp && exp.is_none() && lifetime.duration().is_some() {
        return Err(Error::invalid_token("Token is missing the \"exp\" claim"));
    }

    // `fresh` is a flag or a timestamp; flask answers 500 to anything else
    // (docs/security.md R27).
    if claims
        .fresh
        .as_ref()
        .is_some_and(|fresh| !fresh.is_boolean() && !fresh.is_number())
    {
        return Err(Error::invalid_token(
            "Invalid claim: fresh must be a boolean or a number",
        ));
    }

    let csrf = match claims.csrf {
        Some(MaybeStr(Some(csrf))) => Some(csrf),
        // A `csrf` claim that is not a string can never match a double-submit value.
        Some(MaybeStr(None)) => Some(Cow::Borrowed("")),
        None => None,
    };
    let base = payload_json.as_ptr() as usize;
    let span = |text: Cow<'_, str>| TextClaim::new(text, base, payload_json.len());
    let registered = Registered {
        identity: match identity {
            TextOrValue::Text(text) => Identity::Text(span(text)),
            TextOrValue::Value(value) => Identity::Value(value),
        },
        token_type,
        jti: jti.map(span),
        fresh: claims.fresh,
        exp: exp.map(|exp| exp as i64),
        csrf: csrf.map(span),
        refresh_jti: claims.refresh_jti.and_then(|jti| jti.0).map(span),
    };
    let custom = claims
        .custom
        .into_iter()
        .map(|(name, value)| CustomClaim {
            name: span(name),
            value: span(Cow::Borrowed(value.get())),
        })
        .collect();
    Ok((registered, custom))
}

/// A NumericDate claim as PyJWT reads it (`int(value)`): a JSON number, truncated.
/// `Err` when present but not a number in range (PyJWT also takes numeric strings).
fn numeric_date(value: Option<&Value>) -> std::result::Result<Option<f64>, ()> {
    match value {
        None => Ok(None),
        Some(Value::Number(number)) => number
            .as_f64()
            .filter(|value| value.is_finite() && (0.0..=MAX_NUMERIC_DATE).contains(value))
            .map(|value| Some(value.trunc()))
            .ok_or(()),
        Some(_) => Err(()),
    }
}

/// PyJWT's non-strict audience check: the claim must be present and non-empty, a string
/// or a list of strings, and share one value with the configured audience.
fn check_audience(aud: Option<&Value>, audience: &OneOrMany) -> Result<()> {
    let missing = || Error::invalid_token("Token is missing the \"aud\" claim");
    let bad_format = || Error::invalid_token("Invalid claim format in token");
    let claimed: Vec<&str> = match aud {
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
