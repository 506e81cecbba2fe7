//! What the fuzz targets share: the test app's manager and secret, a signer that lets
//! fuzzer-chosen header and claims reach the checks past the signature, a
//! current-thread runtime, and the oracle every accepted token must satisfy.
//!
//! Input layout of every target: the first byte selects a mode and options, the rest
//! is split on NUL bytes into the fields the mode needs (see each target).

use std::{cell::RefCell, future::Future};

use actix_jwt_extended::{DecodedToken, JwtConfig, JwtManager, Location};
use actix_web::{HttpResponse, body::MessageBody, http::StatusCode};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use serde_json::Value;

/// The test apps' HMAC secret (the same as the integration tests').
pub const SECRET: &str = "actix-jwt-extended-test-secret-0123456789abcdef";

/// The standard header of the tokens the signing modes build.
pub const HEADER: &[u8] = br#"{"alg":"HS256","typ":"JWT"}"#;

/// The default config with [`SECRET`], every location on, changed by `edit`.
pub fn manager_with(edit: impl FnOnce(&mut JwtConfig)) -> JwtManager {
    let mut config = JwtConfig {
        secret_key: Some(SECRET.to_owned()),
        token_location: vec![
            Location::Headers,
            Location::Cookies,
            Location::QueryString,
            Location::Json,
        ],
        ..JwtConfig::default()
    };
    edit(&mut config);
    JwtManager::new(config).expect("valid fuzz config")
}

/// `base64url(header).base64url(payload).signature`, signed with [`SECRET`]: the bytes
/// are used verbatim, so the fuzzer controls the JSON text (duplicates, odd numbers,
/// invalid UTF-8) and still passes the signature check.
pub fn sign(header: &[u8], payload: &[u8], algorithm: Algorithm) -> String {
    let mut token = URL_SAFE_NO_PAD.encode(header);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(payload, &mut token);
    let key = EncodingKey::from_secret(SECRET.as_bytes());
    let signature =
        jsonwebtoken::crypto::sign(token.as_bytes(), &key, algorithm).expect("HMAC signing");
    token.push('.');
    token.push_str(&signature);
    token
}

/// One of the HMAC algorithms, from a selector byte (HS256 most often: the only one the
/// default config accepts).
pub fn algorithm(selector: u8) -> Algorithm {
    match selector % 8 {
        6 => Algorithm::HS384,
        7 => Algorithm::HS512,
        _ => Algorithm::HS256,
    }
}

/// `data` split on NUL bytes into exactly `N` fields (missing ones empty; the last one
/// keeps any further NULs).
pub fn fields<const N: usize>(data: &[u8]) -> [&[u8]; N] {
    let mut out = [&data[data.len()..]; N];
    let mut rest = data;
    for (index, slot) in out.iter_mut().enumerate() {
        if index + 1 == N {
            *slot = rest;
            break;
        }
        match rest.iter().position(|&byte| byte == 0) {
            Some(at) => {
                *slot = &rest[..at];
                rest = &rest[at + 1..];
            }
            None => {
                *slot = rest;
                rest = &rest[rest.len()..];
            }
        }
    }
    out
}

/// Bytes a header value may hold (`HeaderValue::from_bytes`): control bytes other than
/// tab become spaces, so a mutated value still reaches the parser instead of being
/// dropped.
pub fn header_safe(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .map(|&byte| match byte {
            b'\t' | 0x20..=0x7e | 0x80..=0xff => byte,
            _ => b' ',
        })
        .collect()
}

thread_local! {
    static RUNTIME: RefCell<Option<actix_rt::Runtime>> = const { RefCell::new(None) };
}

/// Runs `future` to completion on this thread's current-thread actix runtime.
pub fn block_on<F: Future>(future: F) -> F::Output {
    RUNTIME.with(|runtime| {
        let mut runtime = runtime.borrow_mut();
        let runtime =
            runtime.get_or_insert_with(|| actix_rt::Runtime::new().expect("actix runtime"));
        runtime.block_on(future)
    })
}

/// The UNIX time now, in seconds.
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |elapsed| elapsed.as_secs_f64())
}

/// Panics unless `status` is one a request may get from verification.
pub fn assert_status(status: StatusCode, allowed: &[u16], what: &dyn std::fmt::Debug) {
    assert!(
        allowed.contains(&status.as_u16()),
        "status {status} not in {allowed:?} for {what:?}"
    );
}

/// Panics unless `response` is flask's error body: JSON `{"msg": "<text>"}`.
pub fn assert_error_body(response: HttpResponse) {
    let status = response.status();
    let body = response
        .into_body()
        .try_into_bytes()
        .unwrap_or_else(|_| panic!("a {status} error body that is not in memory"));
    let json: Value = serde_json::from_slice(&body).unwrap_or_else(|error| {
        panic!("a {status} error body that is not JSON ({error}): {body:?}")
    });
    assert!(
        json["msg"].is_string(),
        "a {status} error body without msg: {json}"
    );
}

/// The oracle for a token the library accepted, checked independently of it: the
/// signature verifies with the secret under HS256 (the only algorithm configured), and
/// the claims pass every check of the default config as of `checked_at` (the time
/// before verification started).
pub fn assert_accepted(token: &str, decoded: &DecodedToken, allow_expired: bool, checked_at: f64) {
    let (header, claims) = assert_signed(token);
    assert_eq!(&Value::Object(decoded.header().clone()), &header);
    assert_eq!(decoded.all_claims().get("sub"), claims.get("sub"));
    assert_claims(&claims, allow_expired, checked_at);
}

/// Panics unless `token`'s HS256 signature verifies with [`SECRET`] and its header
/// names HS256 without `crit`; returns the header and the claims.
pub fn assert_signed(token: &str) -> (Value, Value) {
    let (signing_input, signature) = token.rsplit_once('.').expect("three segments");
    let (header, payload) = signing_input.split_once('.').expect("three segments");
    let key = DecodingKey::from_secret(SECRET.as_bytes());
    assert!(
        jsonwebtoken::crypto::verify(signature, signing_input.as_bytes(), &key, Algorithm::HS256)
            .unwrap_or(false),
        "accepted a token whose HS256 signature does not verify: {token}"
    );
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).expect("b64")).expect("header JSON");
    assert_eq!(header["alg"], "HS256", "accepted header {header}");
    assert!(header.get("crit").is_none(), "accepted header {header}");
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64"))
        .expect("payload JSON");
    (header, claims)
}

/// Panics unless accepted `claims` pass the default config's checks as of `checked_at`:
/// a string `sub`, a known `type`, a numeric `exp` in the future (unless
/// `allow_expired`), numeric `nbf`/`iat` not in the future, a string (or null) `jti`.
pub fn assert_claims(claims: &Value, allow_expired: bool, checked_at: f64) {
    assert!(claims["sub"].is_string(), "accepted claims {claims}");
    assert!(
        claims["type"] == "access" || claims["type"] == "refresh",
        "accepted claims {claims}"
    );
    let exp = claims["exp"]
        .as_f64()
        .expect("accepted a token without a numeric exp");
    assert!(
        allow_expired || exp.trunc() > checked_at,
        "accepted an expired token: {claims}"
    );
    for name in ["nbf", "iat"] {
        if let Some(value) = claims.get(name) {
            let value = value.as_f64().expect("accepted a non-numeric nbf/iat");
            assert!(value.trunc() <= now(), "accepted a future {name}: {claims}");
        }
    }
    assert!(
        claims
            .get("jti")
            .is_none_or(|jti| jti.is_string() || jti.is_null()),
        "accepted claims {claims}"
    );
}
