//! Helpers shared by the callback, user-loading and blocklist tests (flask-jwt-extended's
//! `tests/utils.py`: `make_headers`, plus response assertions and call counters).
//!
//! Every test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use actix_jwt_extended::{JwtConfig, JwtManager, JwtManagerBuilder};
use actix_web::{
    body::MessageBody,
    dev::{Service, ServiceResponse},
    http::header::CONTENT_TYPE,
    test,
};
use serde_json::Value;

/// The HMAC secret of the test apps.
pub(crate) const SECRET: &str = "actix-jwt-extended-callback-tests-0123456789";

/// The default config with [`SECRET`].
pub(crate) fn config() -> JwtConfig {
    JwtConfig {
        secret_key: Some(SECRET.to_owned()),
        ..JwtConfig::default()
    }
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

/// flask's `tests/utils.make_headers`: `("Authorization", "Bearer <token>")`.
pub(crate) fn bearer(token: &str) -> (&'static str, String) {
    ("Authorization", format!("Bearer {token}"))
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

/// `GET uri` without a token.
pub(crate) fn get(uri: &str) -> actix_http::Request {
    test::TestRequest::get().uri(uri).to_request()
}

/// The default error body for `message`: flask's `jsonify({"msg": message})`, compact
/// JSON with a trailing newline.
pub(crate) fn error_body(key: &str, message: &str) -> String {
    let mut body = serde_json::Map::new();
    body.insert(key.to_owned(), Value::from(message));
    format!("{}\n", Value::Object(body))
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

    /// [`Reply::assert_error`] with a custom message key.
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

    /// Asserts a JSON response equal to `expected`.
    #[track_caller]
    pub(crate) fn assert_json(&self, status: u16, expected: &Value) {
        assert_eq!(self.status, status, "unexpected response: {self:?}");
        assert_eq!(&self.json(), expected, "unexpected body: {self:?}");
    }
}

/// Sends `req` to `app` and reads the whole response.
pub(crate) async fn send<S, B>(app: &S, req: actix_http::Request) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
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

/// A response read from a real server over TCP.
#[derive(Debug)]
pub(crate) struct RawReply {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// Sends one HTTP/1.1 request to `addr` over a fresh connection (`Connection: close`)
/// and reads the whole response.
pub(crate) fn raw_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> RawReply {
    let mut stream = TcpStream::connect(addr).expect("connect to the test server");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("read timeout");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream
        .write_all(request.as_bytes())
        .expect("write the request");
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .expect("read the response");
    let text = String::from_utf8(response).expect("utf-8 response");
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {text:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    let chunked = head
        .lines()
        .any(|line| line.eq_ignore_ascii_case("transfer-encoding: chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    RawReply { status, body }
}

/// Decodes a `Transfer-Encoding: chunked` body.
fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    loop {
        let Some((size, rest)) = body.split_once("\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(size.trim(), 16).expect("chunk size");
        if size == 0 {
            return out;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
}

/// Current UNIX time in whole seconds.
pub(crate) fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A raw HS256 token of exactly `claims`, signed with [`SECRET`] (flask's
/// `tests/utils.encode_token`).
pub(crate) fn encode_token(claims: &Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .expect("raw token")
}

/// An access token for `identity` that expired a minute ago, with flask's layout.
pub(crate) fn expired_access_token(identity: &str) -> String {
    let now = now();
    encode_token(&serde_json::json!({
        "fresh": false, "iat": now - 120, "jti": "expired-jti", "type": "access",
        "sub": identity, "nbf": now - 120, "exp": now - 60,
    }))
}

/// The log lines the library writes (through the `log` crate), captured for
/// assertions. Tests of one binary run in parallel: look for lines naming your case.
pub(crate) mod logs {
    use std::sync::Mutex;

    static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

    struct Capture;

    impl log::Log for Capture {
        fn enabled(&self, _metadata: &log::Metadata<'_>) -> bool {
            true
        }

        fn log(&self, record: &log::Record<'_>) {
            let line = format!("{} {}", record.level(), record.args());
            LINES
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(line);
        }

        fn flush(&self) {}
    }

    static LOGGER: Capture = Capture;

    /// Starts capturing (once per test binary).
    pub(crate) fn capture() {
        if log::set_logger(&LOGGER).is_ok() {
            log::set_max_level(log::LevelFilter::Debug);
        }
    }

    /// The captured lines that contain every one of `needles`.
    pub(crate) fn containing(needles: &[&str]) -> Vec<String> {
        LINES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .filter(|line| needles.iter().all(|needle| line.contains(needle)))
            .cloned()
            .collect()
    }
}
