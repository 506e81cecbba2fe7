//! Decoding and verifying a token, in PyJWT's order and with its messages (reference
//! §4.2 and §7), as flask-jwt-extended's `decode_token` does.
//!
//! The token is parsed here, strictly and once, rather than by `jsonwebtoken::decode`:
//! that crate's errors are coarser than PyJWT's, it checks neither `iat` nor (by
//! default) `nbf`, and it parses the claims twice. Verification reads only the members
//! it checks (borrowed where it can) and notes where each custom claim's raw value lies
//! (so typed claims read just those), refusing duplicate member names at any depth; the
//! full maps are built later, only if asked for. Should that fast pass fail, a second,
//! plain pass words the error exactly.
//! `jsonwebtoken` still does the cryptography, except HMAC, whose key schedule is
//! computed once per manager (see `keys`).
//!
//! Order: segments → header base64 → header JSON → payload base64 → payload JSON →
//! `kid` type → `alg` present and allowed → signature → `iat` → `nbf` → `exp` → `iss` →
//! `aud` (only when configured) → `sub` type → `jti` type → identity claim present →
//! defaults → CSRF. An expired token still runs every later check, and fails as
//! expired only if they pass (flask decodes it a second time without `exp`).

use std::{borrow::Cow, fmt, str::FromStr, sync::Arc};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::Algorithm;
use serde::{
    Deserialize, Deserializer,
    de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor},
};
use serde_json::{Map, Value, value::RawValue};
use subtle::ConstantTimeEq;

use crate::{
    config::JwtConfig,
    error::{Error, ErrorKind, Result},
    keys::Keys,
    manager::REFRESH_JTI_CLAIM,
    time,
    token::{
        CustomClaim, DecodedToken, Identity, Registered, TextClaim, TokenType,
        strict_json::{self, Key, MemberNames, StrictIgnored},
    },
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

/// Maps a header or claims parse error to PyJWT's message (`Invalid header string: …`).
fn json_error(bytes: &[u8], what: &str, error: &serde_json::Error) -> Error {
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

/// What the header and claims visitors expect, recognisable in serde's type error.
const NOT_AN_OBJECT: &str = "a JSON object (token segment)";

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

/// Reads the claims verification needs from `deserializer`, which must hold exactly one
/// JSON object; `capture` also keeps where each custom claim is.
fn parse_claims<'de, R: serde_json::de::Read<'de>>(
    identity_claim: &str,
    capture: bool,
    mut deserializer: serde_json::Deserializer<R>,
) -> serde_json::Result<ClaimsView<'de>> {
    let claims = ClaimsSeed {
        identity_claim,
        capture,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(claims)
}

/// The error for a payload that is not UTF-8: the JSON error it has where the parser
/// reaches the bad bytes, else Python's decoding error (`json.loads` decodes the bytes
/// before parsing them).
#[cold]
fn payload_not_utf8(identity_claim: &str, bytes: &[u8], error: std::str::Utf8Error) -> Error {
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
    // Tokens made by this manager without additional headers all share one header;
    // it needs no decoding.
    let (header_json, header): (Arc<str>, HeaderView<'_>) = if segments.header
        == keys.default_header_segment
    {
        let header = HeaderView {
            alg: Some(Some(Cow::Borrowed(keys.algorithm_name.as_str()))),
            kid_not_string: false,
            crit: None,
            refused: None,
        };
        (keys.default_header_json.clone(), header)
    } else {
        let header_bytes = base64url(segments.header)
            .ok_or_else(|| Error::invalid_token("Invalid header padding"))?;
        let header: HeaderView<'static> = serde_json::from_slice::<HeaderView<'_>>(&header_bytes)
            .map_err(|error| json_error(&header_bytes, "header", &error))?
            .into_owned();
        let json = String::from_utf8(header_bytes).unwrap_or_default();
        (Arc::from(json), header)
    };
    let payload_bytes = base64url(segments.payload)
        .ok_or_else(|| Error::invalid_token("Invalid payload padding"))?;
    // One UTF-8 check over the whole payload, so the parser need not check each string
    // again; the text is kept as the token's claims JSON.
    let payload_json = String::from_utf8(payload_bytes)
        .map_err(|error| payload_not_utf8(identity_claim, error.as_bytes(), error.utf8_error()))?;
    // The fast pass keeps the custom claims' raw text for typed claims; should it fail,
    // the reference pass (which builds nothing) words the error exactly.
    let parse = |capture| {
        parse_claims(
            identity_claim,
            capture,
            serde_json::Deserializer::from_str(&payload_json),
        )
    };
    let claims = parse(true).map_err(|error| {
        let error = parse(false).err().unwrap_or(error);
        json_error(payload_json.as_bytes(), "payload", &error)
    })?;

    // Header: `kid` (checked by `get_unverified_header`), parameters we refuse, then
    // the algorithm.
    if header.kid_not_string {
        return Err(Error::invalid_token(
            "Key ID header parameter must be a string",
        ));
    }
    if let Some(crit) = &header.crit {
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
    let algorithm = match &header.alg {
        None => return Err(Error::invalid_token("Algorithm not specified")),
        Some(alg) => alg
            .as_deref()
            .and_then(|name| Algorithm::from_str(name).ok())
            .filter(|alg| keys.decode_algorithms.contains(alg))
            .ok_or_else(|| Error::invalid_token("The specified alg value is not allowed"))?,
    };

    // Signature. A signature segment that is not canonical base64url fails here too, and
    // so does a key the decode key loader could not find.
    let signing_input = segments.signing_input.as_bytes();
    let verified = match options.decode_key {
        None => keys.verify(algorithm, signing_input, segments.signature),
        Some(loader) => {
            // The loader sees the unverified header and claims, as flask's does.
            let full = |bytes: &[u8]| match strict_json::parse(bytes) {
                Ok(Value::Object(map)) => map,
                _ => Map::new(),
            };
            let (header_map, claims_map) =
                (full(header_json.as_bytes()), full(payload_json.as_bytes()));
            let key =
                crate::callbacks::guard("decode_key_loader", || loader(&header_map, &claims_map))?;
            let key = key.ok_or_else(|| Error::invalid_token("Signature verification failed"))?;
            jsonwebtoken::crypto::verify(segments.signature, signing_input, &key, algorithm)
                .unwrap_or(false)
        }
    };
    if !verified {
        return Err(Error::invalid_token("Signature verification failed"));
    }

    // Registered claims, in PyJWT's order.
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
    let expired = exp.is_some_and(|exp| exp <= now - leeway);

    if let Some(issuer) = &config.decode_issuer {
        match &claims.iss {
            None => return Err(Error::invalid_token("Token is missing the \"iss\" claim")),
            Some(Value::String(iss)) if issuer.contains(iss) => {}
            Some(_) => return Err(Error::invalid_token("Invalid issuer")),
        }
    }
    match &config.decode_audience {
        Some(audience) => check_audience(claims.aud.as_ref(), audience)?,
        // A token meant for some audience is not meant for a service that has none
        // (RFC 7519 §4.1.3; flask skips the check).
        None if claims.aud.is_some() => {
            return Err(Error::invalid_token("Invalid audience"));
        }
        None => {}
    }
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
    let identity = if identity_claim.as_ref() == "sub" {
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

    // `fresh` is a flag or a timestamp (security.md R27; flask answers 500 otherwise).
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
    if let Some(csrf_value) = options.csrf_value.filter(|value| !value.is_empty()) {
        match &csrf {
            None => return Err(Error::invalid_token("Missing claim: csrf")),
            Some(claim) => {
                let matches =
                    !claim.is_empty() && constant_time_eq(claim.as_bytes(), csrf_value.as_bytes());
                if !matches {
                    return Err(Error::new(ErrorKind::Csrf(
                        "CSRF double submit tokens do not match".to_owned(),
                    )));
                }
            }
        }
    }

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
            value: TextClaim::new(Cow::Borrowed(value.get()), base, payload_json.len()),
        })
        .collect();
    // The spans above point into `payload_json`, which the token keeps.
    let token = DecodedToken::new(header_json, payload_json, registered, custom);
    if expired && !options.allow_expired {
        return Err(Error::with_token(ErrorKind::Expired, Arc::new(token)));
    }
    Ok(token)
}

/// Whether `a` equals `b`, in time that depends on their lengths only. The bytes are
/// compared eight at a time with no branch on their values, and `subtle` makes the
/// final test; `subtle`'s byte-slice comparison, one optimisation barrier per byte,
/// costs as much as the rest of the CSRF check.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (a_words, a_rest) = a.as_chunks::<8>();
    let (b_words, b_rest) = b.as_chunks::<8>();
    let words = a_words.iter().zip(b_words).fold(0, |diff, (x, y)| {
        diff | (u64::from_ne_bytes(*x) ^ u64::from_ne_bytes(*y))
    });
    let rest = a_rest
        .iter()
        .zip(b_rest)
        .fold(0, |diff, (x, y)| diff | u64::from(x ^ y));
    bool::from((words | rest).ct_eq(&0))
}

/// The header members verification reads; every other member is skipped unparsed, but
/// duplicates are refused everywhere.
struct HeaderView<'de> {
    /// `None`: absent; `Some(None)`: present but not a string.
    alg: Option<Option<Cow<'de, str>>>,
    kid_not_string: bool,
    crit: Option<Value>,
    refused: Option<&'static str>,
}

impl<'de> Deserialize<'de> for HeaderView<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct HeaderVisitor;

        impl<'de> Visitor<'de> for HeaderVisitor {
            type Value = HeaderView<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(NOT_AN_OBJECT)
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<HeaderView<'de>, A::Error> {
                let mut view = HeaderView {
                    alg: None,
                    kid_not_string: false,
                    crit: None,
                    refused: None,
                };
                let mut seen = MemberNames::default();
                while let Some(Key(name)) = map.next_key()? {
                    seen.insert(name.clone())?;
                    match name.as_ref() {
                        "alg" => view.alg = Some(map.next_value::<MaybeStr<'de>>()?.0),
                        "kid" => {
                            view.kid_not_string = map.next_value::<MaybeStr<'de>>()?.0.is_none()
                        }
                        "crit" => view.crit = Some(map.next_value::<strict_json::StrictValue>()?.0),
                        other => {
                            if view.refused.is_none() {
                                view.refused = REFUSED_HEADER_PARAMETERS
                                    .iter()
                                    .find(|refused| **refused == other)
                                    .copied();
                            }
                            map.next_value::<StrictIgnored>()?;
                        }
                    }
                }
                Ok(view)
            }
        }

        deserializer.deserialize_any(HeaderVisitor)
    }
}

impl HeaderView<'_> {
    /// The view without borrows, so the header bytes it was read from can be kept.
    fn into_owned(self) -> HeaderView<'static> {
        HeaderView {
            alg: self
                .alg
                .map(|alg| alg.map(|alg| Cow::Owned(alg.into_owned()))),
            kid_not_string: self.kid_not_string,
            crit: self.crit,
            refused: self.refused,
        }
    }
}

/// A string member, borrowed when it has no escapes; `None` when it is not a string
/// (any other JSON value, skipped strictly).
struct MaybeStr<'de>(Option<Cow<'de, str>>);

impl<'de> Deserialize<'de> for MaybeStr<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct MaybeStrVisitor;

        impl<'de> Visitor<'de> for MaybeStrVisitor {
            type Value = MaybeStr<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_borrowed_str<E>(self, text: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(Some(Cow::Borrowed(text))))
            }

            fn visit_str<E>(self, text: &str) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(Some(Cow::Owned(text.to_owned()))))
            }

            fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }

            fn visit_i64<E>(self, _: i64) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }

            fn visit_u64<E>(self, _: u64) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }

            fn visit_f64<E>(self, _: f64) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }

            fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }

            fn visit_seq<A: SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                StrictIgnored::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(MaybeStr(None))
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                StrictIgnored::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(MaybeStr(None))
            }
        }

        deserializer.deserialize_any(MaybeStrVisitor)
    }
}

/// A claim that is usually a string (`sub`, the identity claim): the text, borrowed when
/// it has no escapes, else the strict JSON value.
enum TextOrValue<'de> {
    Text(Cow<'de, str>),
    Value(Value),
}

impl<'de> Deserialize<'de> for TextOrValue<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct TextOrValueVisitor;

        impl<'de> Visitor<'de> for TextOrValueVisitor {
            type Value = TextOrValue<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_borrowed_str<E>(self, text: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(TextOrValue::Text(Cow::Borrowed(text)))
            }

            fn visit_str<E>(self, text: &str) -> std::result::Result<Self::Value, E> {
                Ok(TextOrValue::Text(Cow::Owned(text.to_owned())))
            }

            fn visit_bool<E>(self, value: bool) -> std::result::Result<Self::Value, E> {
                Ok(TextOrValue::Value(Value::Bool(value)))
            }

            fn visit_i64<E>(self, value: i64) -> std::result::Result<Self::Value, E> {
                Ok(TextOrValue::Value(Value::from(value)))
            }

            fn visit_u64<E>(self, value: u64) -> std::result::Result<Self::Value, E> {
                Ok(TextOrValue::Value(Value::from(value)))
            }

            fn visit_f64<E: serde::de::Error>(
                self,
                value: f64,
            ) -> std::result::Result<Self::Value, E> {
                strict_json::StrictVisitor
                    .visit_f64(value)
                    .map(TextOrValue::Value)
            }

            fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
                Ok(TextOrValue::Value(Value::Null))
            }

            fn visit_seq<A: SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                strict_json::StrictVisitor
                    .visit_seq(seq)
                    .map(TextOrValue::Value)
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                strict_json::StrictVisitor
                    .visit_map(map)
                    .map(TextOrValue::Value)
            }
        }

        deserializer.deserialize_any(TextOrValueVisitor)
    }
}

/// The claims verification reads, as JSON values; the others are skipped unparsed.
/// Text claims stay borrowed from the payload when they have no escapes.
#[derive(Default)]
struct ClaimsView<'de> {
    iat: Option<Value>,
    nbf: Option<Value>,
    exp: Option<Value>,
    iss: Option<Value>,
    aud: Option<Value>,
    sub: Option<TextOrValue<'de>>,
    jti: Option<MaybeStr<'de>>,
    kind: Option<MaybeStr<'de>>,
    fresh: Option<Value>,
    csrf: Option<MaybeStr<'de>>,
    refresh_jti: Option<MaybeStr<'de>>,
    /// The identity claim, when it is not `sub`.
    identity: Option<TextOrValue<'de>>,
    /// Every claim but the registered ones, as raw JSON (only when capturing).
    custom: Vec<(Cow<'de, str>, &'de RawValue)>,
}

struct ClaimsSeed<'a> {
    identity_claim: &'a str,
    /// Keep the raw text of the custom claims, for typed claims to read in one pass.
    capture: bool,
}

impl<'de> DeserializeSeed<'de> for ClaimsSeed<'_> {
    type Value = ClaimsView<'de>;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<ClaimsView<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ClaimsSeed<'_> {
    type Value = ClaimsView<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(NOT_AN_OBJECT)
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<ClaimsView<'de>, A::Error> {
        let mut view = ClaimsView::default();
        // Duplicates: a bit per registered claim, names only for the custom ones.
        let mut registered_seen = 0_u16;
        let mut custom_seen = MemberNames::default();
        while let Some(Key(name)) = map.next_key()? {
            // The claims the library sets, which verification reads (and `#[claims]`
            // refuses as field names); every other claim is custom.
            let (member, bit) = match name.as_ref() {
                "iat" => (Member::Value(&mut view.iat), 1 << 0),
                "nbf" => (Member::Value(&mut view.nbf), 1 << 1),
                "exp" => (Member::Value(&mut view.exp), 1 << 2),
                "iss" => (Member::Value(&mut view.iss), 1 << 3),
                "aud" => (Member::Value(&mut view.aud), 1 << 4),
                "sub" => (Member::Identity(&mut view.sub), 1 << 5),
                "fresh" => (Member::Value(&mut view.fresh), 1 << 6),
                "jti" => (Member::Text(&mut view.jti), 1 << 7),
                "type" => (Member::Text(&mut view.kind), 1 << 8),
                "csrf" => (Member::Text(&mut view.csrf), 1 << 9),
                _ => (Member::Custom, 0),
            };
            if bit != 0 {
                if registered_seen & bit != 0 {
                    return Err(strict_json::duplicate(&name));
                }
                registered_seen |= bit;
            }
            match member {
                Member::Value(slot) => {
                    *slot = Some(map.next_value::<strict_json::StrictValue>()?.0)
                }
                Member::Text(slot) => *slot = Some(map.next_value::<MaybeStr<'de>>()?),
                Member::Identity(slot) => *slot = Some(map.next_value::<TextOrValue<'de>>()?),
                Member::Custom => {
                    custom_seen.insert(name.clone())?;
                    self.custom_claim(name, &mut map, &mut view)?;
                }
            }
        }
        Ok(view)
    }
}

/// Where a claim's value goes: a registered claim's slot, or the custom claims.
enum Member<'v, 'de> {
    Value(&'v mut Option<Value>),
    Text(&'v mut Option<MaybeStr<'de>>),
    Identity(&'v mut Option<TextOrValue<'de>>),
    Custom,
}

impl ClaimsSeed<'_> {
    /// A custom claim. Verification reads two of them (the identity claim, when it is
    /// not `sub`, and `refresh_jti`); capturing also keeps each one's raw text, so a
    /// `#[claims]` type can read them (those two included) without parsing the whole
    /// payload again.
    fn custom_claim<'de, A: MapAccess<'de>>(
        &self,
        name: Cow<'de, str>,
        map: &mut A,
        view: &mut ClaimsView<'de>,
    ) -> std::result::Result<(), A::Error> {
        let identity = name == self.identity_claim;
        let refresh_jti = name == REFRESH_JTI_CLAIM;
        if !self.capture {
            if identity {
                view.identity = Some(map.next_value::<TextOrValue<'de>>()?);
            } else if refresh_jti {
                view.refresh_jti = Some(map.next_value::<MaybeStr<'de>>()?);
            } else {
                map.next_value::<StrictIgnored>()?;
            }
            return Ok(());
        }
        let raw: &'de RawValue = map.next_value()?;
        let value = raw.get();
        if value.starts_with(['{', '[']) {
            // Duplicate members inside it are refused, as everywhere else.
            serde_json::from_str::<StrictIgnored>(value).map_err(A::Error::custom)?;
        }
        if identity {
            view.identity =
                Some(serde_json::from_str::<TextOrValue<'de>>(value).map_err(A::Error::custom)?);
        } else if refresh_jti {
            view.refresh_jti =
                Some(serde_json::from_str::<MaybeStr<'de>>(value).map_err(A::Error::custom)?);
        }
        view.custom.push((name, raw));
        Ok(())
    }
}

/// PyJWT's non-strict audience check: the claim must be present and non-empty, a string
/// or a list of strings, and share one value with the configured audience.
fn check_audience(aud: Option<&Value>, audience: &crate::config::OneOrMany) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn constant_time_eq_is_equality() {
        let text = b"0123456789abcdef0123456789abcdef-xyz";
        for len in 0..=text.len() {
            let a = &text[..len];
            assert!(constant_time_eq(a, a));
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] ^= 0x01;
                assert!(!constant_time_eq(a, &b), "differs at {at} of {len}");
            }
            assert!(!constant_time_eq(a, &text[..len.saturating_sub(1)]) || len == 0);
        }
    }
}
