//! The one support module of the test binaries (flask-jwt-extended's `tests/utils.py`:
//! `encode_token`, `make_headers`, plus request builders, response assertions and call
//! counters). Every group's `main.rs` declares it; each test module uses a subset.
//!
//! Submodules: [`keys`] holds private keys that are not the fixtures', [`logs`] captures the library's log lines, [`raw_http`] talks HTTP/1.1 to
//! a real server, [`redis_server`] runs a `redis-server` for the Redis tests.
#![allow(dead_code)]

pub(crate) mod keys;
pub(crate) mod logs;
pub(crate) mod raw_http;
pub(crate) mod redis_server;

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};

use actix_jwt_extended::{Algorithm, Error, Jwt, JwtConfig, JwtManager, JwtManagerBuilder};

use actix_web::{
    App, HttpResponse,
    body::MessageBody,
    dev::{Service, ServiceResponse},
    http::header::CONTENT_TYPE,
    test, web,
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

/// A builder on the default config plus [`SECRET`].
pub(crate) fn builder() -> JwtManagerBuilder {
    JwtManager::builder(config())
}

/// flask's `create_access_token(identity)`.
pub(crate) fn access_token(manager: &JwtManager, identity: &str) -> String {
    manager
        .access_token(identity)
        .build()
        .expect("access token")
}

/// flask's `create_access_token(identity, fresh=True)`.
pub(crate) fn fresh_access_token(manager: &JwtManager, identity: &str) -> String {
    manager
        .access_token(identity)
        .fresh(true)
        .build()
        .expect("fresh access token")
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

/// `claims` with `name` set to `value`.
pub(crate) fn with_claim(mut claims: Value, name: &str, value: Value) -> Value {
    claims
        .as_object_mut()
        .expect("claims object")
        .insert(name.to_owned(), value);
    claims
}

/// `claims` without `name`.
pub(crate) fn without_claim(mut claims: Value, name: &str) -> Value {
    claims.as_object_mut().expect("claims object").remove(name);
    claims
}

/// Signs `header.payload` (raw JSON texts, used verbatim) with `key` and `alg`.
pub(crate) fn sign_raw(header: &str, payload: &str, key: &EncodingKey, alg: Algorithm) -> String {
    let signing_input = format!("{}.{}", b64(header), b64(payload));
    // jsonwebtoken needs a provider when both its backends are built.
    actix_jwt_extended::install_crypto_provider();
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

/// An access token for `identity` that expired a minute ago, with flask's layout.
pub(crate) fn expired_access_token(identity: &str) -> String {
    let now = now();
    encode_token(&json!({
        "fresh": false, "iat": now - 120, "jti": "expired-jti", "type": "access",
        "sub": identity, "nbf": now - 120, "exp": now - 60,
    }))
}

/// flask's `tests/utils.make_headers`: `("Authorization", "Bearer <token>")`.
pub(crate) fn bearer(token: &str) -> (&'static str, String) {
    ("Authorization", format!("Bearer {token}"))
}

/// `GET uri` without a token.
pub(crate) fn get(uri: &str) -> actix_http::Request {
    test::TestRequest::get().uri(uri).to_request()
}

/// `GET uri` with a Bearer token.
pub(crate) fn get_with(uri: &str, token: &str) -> actix_http::Request {
    test::TestRequest::get()
        .uri(uri)
        .insert_header(bearer(token))
        .to_request()
}

/// `POST uri` with a Bearer token.
pub(crate) fn post_with(uri: &str, token: &str) -> actix_http::Request {
    test::TestRequest::post()
        .uri(uri)
        .insert_header(bearer(token))
        .to_request()
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
    #[track_caller]
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {self:?}"))
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

/// flask's test app: `routes` with `manager` as app data, ready for [`send`].
pub(crate) async fn init_app(
    manager: &JwtManager,
    routes: fn(&mut web::ServiceConfig),
) -> impl Service<actix_http::Request, Response = ServiceResponse, Error = actix_web::Error> + use<>
{
    test::init_service(
        App::new()
            .app_data(web::Data::new(manager.clone()))
            .configure(routes),
    )
    .await
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

/// A call counter shared between a callback and the test.
#[derive(Debug, Clone, Default)]
pub(crate) struct Counter(Arc<AtomicUsize>);

impl Counter {
    /// Counts one call.
    pub(crate) fn hit(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    /// How many calls were counted.
    pub(crate) fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }

    /// Forgets the calls counted so far.
    pub(crate) fn reset(&self) {
        self.0.store(0, Ordering::SeqCst);
    }
}

/// A response body as JSON, or as a JSON string of its text when it is not JSON.
pub(crate) fn json_or_text(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

/// Sends `req` to `app`; answers the status and the body as [`json_or_text`].
pub(crate) async fn status_and_body<S, R, B>(app: &S, req: R) -> (u16, Value)
where
    S: Service<R, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let response = test::call_service(app, req).await;
    let status = response.status().as_u16();
    let bytes = test::read_body(response).await;
    (status, json_or_text(&bytes))
}

/// flask's default error answer, `status` and `{"msg": message}`, to compare with
/// [`status_and_body`].
pub(crate) fn msg(status: u16, message: &str) -> (u16, Value) {
    (status, json!({ "msg": message }))
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
