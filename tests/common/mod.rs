//! Helpers shared by the HTTP behaviour tests (flask-jwt-extended's `tests/utils.py`:
//! `encode_token`, `make_headers`, plus response assertions).
//!
//! Every test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::time::{SystemTime, UNIX_EPOCH};

use actix_jwt_extended::{Algorithm, Error, Jwt, JwtConfig, JwtManager};
use actix_web::{
    HttpResponse,
    body::MessageBody,
    dev::{Service, ServiceResponse},
    http::header::CONTENT_TYPE,
    test,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::EncodingKey;
use serde_json::{Value, json};

/// The HMAC secret of the test apps (flask's tests use short secrets; ours is long
/// enough for every HS algorithm).
pub(crate) const SECRET: &str = "actix-jwt-extended-test-secret-0123456789abcdef";

/// The default config with [`SECRET`].
pub(crate) fn config() -> JwtConfig {
    JwtConfig {
        secret_key: Some(SECRET.to_owned()),
        ..JwtConfig::default()
    }
}

/// A manager with the default config plus [`SECRET`].
pub(crate) fn manager() -> JwtManager {
    manager_with(|_| {})
}

/// A manager with the default config plus [`SECRET`], changed by `edit`.
pub(crate) fn manager_with(edit: impl FnOnce(&mut JwtConfig)) -> JwtManager {
    let mut config = config();
    edit(&mut config);
    JwtManager::new(config).expect("valid test config")
}

/// flask's `create_access_token(identity)`.
pub(crate) fn access_token(manager: &JwtManager, identity: &str) -> String {
    manager
        .access_token(identity)
        .build()
        .expect("access token")
}

/// flask's `create_refresh_token(identity)`.
pub(crate) fn refresh_token(manager: &JwtManager, identity: &str) -> String {
    manager
        .refresh_token(identity)
        .build()
        .expect("refresh token")
}

/// Current UNIX time in whole seconds.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

/// base64url without padding, as JWT segments are written.
pub(crate) fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes one base64url segment to text.
pub(crate) fn unb64(segment: &str) -> String {
    let bytes = URL_SAFE_NO_PAD.decode(segment).expect("base64url segment");
    String::from_utf8(bytes).expect("utf-8 segment")
}

/// The raw JSON text of a token's header and payload segments.
pub(crate) fn raw_segments(token: &str) -> (String, String) {
    let mut parts = token.split('.');
    let header = parts.next().expect("header segment");
    let payload = parts.next().expect("payload segment");
    (unb64(header), unb64(payload))
}

/// Signs `header.payload` (raw JSON texts, used verbatim) with `key` and `alg`.
pub(crate) fn sign_raw(header: &str, payload: &str, key: &EncodingKey, alg: Algorithm) -> String {
    let signing_input = format!("{}.{}", b64(header), b64(payload));
    let signature =
        jsonwebtoken::crypto::sign(signing_input.as_bytes(), key, alg).expect("signature");
    format!("{signing_input}.{signature}")
}

/// flask's `tests/utils.encode_token`: a raw PyJWT-style encode of `claims` with the
/// app's secret and HS256, no claims added.
pub(crate) fn encode_token(claims: &Value) -> String {
    encode_token_with(&json!({"alg": "HS256", "typ": "JWT"}), claims, SECRET)
}

/// Raw HS256 encode of `claims` under `header`, signed with `secret`.
pub(crate) fn encode_token_with(header: &Value, claims: &Value, secret: &str) -> String {
    let alg = match header.get("alg").and_then(Value::as_str) {
        Some("HS384") => Algorithm::HS384,
        Some("HS512") => Algorithm::HS512,
        _ => Algorithm::HS256,
    };
    sign_raw(
        &header.to_string(),
        &claims.to_string(),
        &EncodingKey::from_secret(secret.as_bytes()),
        alg,
    )
}

/// flask's `tests/utils.make_headers`: `("Authorization", "Bearer <token>")`.
pub(crate) fn bearer(token: &str) -> (&'static str, String) {
    ("Authorization", format!("Bearer {token}"))
}

/// The default error body for `message` under `key`: flask's `jsonify({key: message})`,
/// compact JSON with a trailing newline.
pub(crate) fn error_body(key: &str, message: &str) -> String {
    let mut body = serde_json::Map::new();
    body.insert(key.to_owned(), Value::from(message));
    format!("{}\n", Value::Object(body))
}

/// A route without the macro: the `Jwt` extractor verifies with default options.
/// Answers flask's test view body `{"foo": "bar"}`.
pub(crate) async fn foo_bar(_jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

/// A route without the macro answering the identity and every claim.
pub(crate) async fn claims(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(jwt.all_claims())
}

/// A response, read whole.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    pub(crate) body: String,
}

impl Reply {
    /// The body parsed as JSON.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {:?}", self.body))
    }

    /// Asserts flask's default error response: `status`, `application/json`, and the
    /// exact body `{"msg":"<message>"}\n`.
    #[track_caller]
    pub(crate) fn assert_error(&self, status: u16, message: &str) {
        self.assert_error_with_key(status, "msg", message);
    }

    /// [`Reply::assert_error`] with a custom `JWT_ERROR_MESSAGE_KEY`.
    #[track_caller]
    pub(crate) fn assert_error_with_key(&self, status: u16, key: &str, message: &str) {
        assert_eq!(
            (self.status, self.body.as_str()),
            (status, error_body(key, message).as_str()),
            "unexpected response: {self:?}"
        );
        assert_eq!(
            self.content_type.as_deref(),
            Some("application/json"),
            "error content type: {self:?}"
        );
    }

    /// Asserts a successful JSON response equal to `expected`.
    #[track_caller]
    pub(crate) fn assert_json(&self, status: u16, expected: &Value) {
        assert_eq!(self.status, status, "unexpected response: {self:?}");
        assert_eq!(&self.json(), expected, "unexpected body: {self:?}");
    }

    /// Asserts a plain-text response.
    #[track_caller]
    pub(crate) fn assert_text(&self, status: u16, expected: &str) {
        assert_eq!(
            (self.status, self.body.as_str()),
            (status, expected),
            "unexpected response: {self:?}"
        );
    }
}

/// Sends `req` to `app` and reads the whole response.
pub(crate) async fn send<S, R, B>(app: &S, req: R) -> Reply
where
    S: Service<R, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let response = test::call_service(app, req).await;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .map(|value| value.to_str().expect("ascii content type").to_owned());
    let body = test::read_body(response).await;
    Reply {
        status,
        content_type,
        body: String::from_utf8(body.to_vec()).expect("utf-8 body"),
    }
}

/// Asserts that a direct `decode_token` failed as flask's would: `status`, `message`,
/// and the manager's rendered response.
#[track_caller]
pub(crate) fn assert_decode_error<T: std::fmt::Debug>(
    manager: &JwtManager,
    result: Result<T, Error>,
    status: u16,
    message: &str,
) {
    let error = match result {
        Ok(value) => panic!("expected {status} {message:?}, decoded {value:?}"),
        Err(error) => error,
    };
    assert_eq!(
        (error.status().as_u16(), error.message().as_str()),
        (status, message),
        "unexpected error {error:?}"
    );
    let response = manager.error_response(&error);
    assert_eq!(response.status().as_u16(), status);
}

/// The path of a file in `tests/fixtures/flask/`.
pub(crate) fn fixture_path(name: &str) -> String {
    format!("{}/tests/fixtures/flask/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The text of a file in `tests/fixtures/flask/`.
pub(crate) fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_path(name))
        .unwrap_or_else(|error| panic!("fixture {name}: {error}"))
}

/// The top-level keys of a JSON object text, in the order they are written.
pub(crate) fn key_order(json_text: &str) -> Vec<String> {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut keys = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                map.next_value::<IgnoredAny>()?;
                keys.push(key);
            }
            Ok(keys)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_str(json_text);
    deserializer.deserialize_map(Keys).expect("JSON object")
}
