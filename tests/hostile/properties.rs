//! Property tests (proptest): hostile input in any token location never makes the server
//! panic or answer 500 (docs/security.md R24).
//!
//! Every property sends generated requests to one
//! `#[jwt_required(locations = "headers,cookies,query_string,json")]` route and asserts
//! the status is one of 401, 413, 414, 422 or 431, with flask's `{"msg": "..."}` body.
//! Random data never carries a valid signature, so a 200 is a failure too; only the
//! properties that sign their tokens with the app's secret may see one, and there the
//! answer must match what [`JwtManager::decode_token`] says of the same token.
//!
//! The inputs are arbitrary bytes plus strategies biased towards what a JWT parser
//! meets: three base64url segments, extra dots and commas, `Bearer ` prefixes, JSON
//! fragments, padding, obs-text header bytes, percent-encoded query values, JSON bodies.
//! The limits are lowered (`max_token_size` 1 KiB, a 4 KiB `web::PayloadConfig`) so the
//! generated inputs also reach the 413 / 414 / 431 refusals.
//!
//! Each property runs proptest's default 256 cases, which keeps this file to a few
//! seconds. For a longer soak, raise the count:
//! `PROPTEST_CASES=20000 cargo test --release --test properties`.
//! (`PROPTEST_RNG_SEED=<n>` replays one run.) A failure is shrunk and printed as the
//! smallest request that fails; add it below as a plain `#[test]` regression case.
//!
//! The cargo-fuzz targets in `fuzz/` cover the same ground with coverage guidance.

use std::{cell::RefCell, collections::BTreeMap, fmt::Debug, str::FromStr};

use crate::support::{SECRET, b64, manager_with, now};
use actix_http::Request;
use actix_jwt_extended::{Jwt, JwtManager, Location, jwt_required};
use actix_web::test as actix_test;
use actix_web::{
    App, HttpResponse,
    body::MessageBody,
    dev::{Service, ServiceResponse},
    http::{
        Method, Uri,
        header::{HeaderName, HeaderValue},
    },
    web,
};
use jsonwebtoken::{Algorithm, EncodingKey};
use proptest::{
    collection::vec,
    prelude::*,
    test_runner::{Config, TestRunner},
};
use serde_json::{Value, json};

/// What hostile input may get: missing/CSRF (401), too large (413, 414, 431), invalid (422).
const REFUSED: &[u16] = &[401, 413, 414, 422, 431];
/// The longest token the test app accepts (lowered so generated inputs reach 414/431).
const MAX_TOKEN_SIZE: usize = 1024;
/// The test app's body limit (lowered so generated bodies reach 413).
const PAYLOAD_LIMIT: usize = 4096;

#[jwt_required(locations = "headers,cookies,query_string,json")]
async fn protected(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "identity": jwt.identity() }))
}

fn test_manager() -> JwtManager {
    manager_with(|config| {
        config.max_token_size = MAX_TOKEN_SIZE;
        config.token_location = vec![
            Location::Headers,
            Location::Cookies,
            Location::QueryString,
            Location::Json,
        ];
    })
}

// ---------------------------------------------------------------------------------------
// The request under test.
// ---------------------------------------------------------------------------------------

/// One generated request: any subset of the four locations, plus a CSRF header.
#[derive(Debug, Clone, Default)]
struct Hostile {
    method: Method,
    authorization: Option<Vec<u8>>,
    cookie: Option<Vec<u8>>,
    csrf: Option<Vec<u8>>,
    /// The raw query string (after `?`).
    query: Option<String>,
    /// Content type and body.
    body: Option<(String, Vec<u8>)>,
}

impl Hostile {
    fn to_request(&self) -> Request {
        let uri = match &self.query {
            None => "/protected".to_owned(),
            Some(query) => {
                let uri = format!("/protected?{query}");
                // `TestRequest::uri` panics on what `http` would not parse; a server
                // never sees such a URI, so send the query fully percent-encoded instead.
                if Uri::from_str(&uri).is_ok() {
                    uri
                } else {
                    format!("/protected?{}", percent_encode(query.as_bytes()))
                }
            }
        };
        let mut req = actix_test::TestRequest::default()
            .method(self.method.clone())
            .uri(&uri);
        // A value `HeaderValue::from_bytes` refuses (control bytes) cannot reach a
        // handler: actix-web's parser refuses the request first.
        let headers = [
            ("authorization", &self.authorization),
            ("cookie", &self.cookie),
            ("x-csrf-token", &self.csrf),
        ];
        for (name, value) in headers {
            if let Some(value) = value
                .as_deref()
                .and_then(|v| HeaderValue::from_bytes(v).ok())
            {
                req = req.insert_header((HeaderName::from_static(name), value));
            }
        }
        if let Some((content_type, body)) = &self.body {
            if let Ok(content_type) = HeaderValue::from_str(content_type) {
                req = req.insert_header(("content-type", content_type));
            }
            req = req.set_payload(body.clone());
        }
        req.to_request()
    }
}

/// Every byte but the unreserved ones as `%XX`.
fn percent_encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&byte| {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// Status and body of one request; an error the service returns (rather than renders)
/// counts with its own status.
async fn send<S, B>(app: &S, req: Request) -> (u16, Vec<u8>)
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    match actix_test::try_call_service(app, req).await {
        Ok(response) => {
            let status = response.status().as_u16();
            (status, actix_test::read_body(response).await.to_vec())
        }
        Err(error) => (error.as_response_error().status_code().as_u16(), Vec::new()),
    }
}

/// proptest's config (`PROPTEST_CASES` and friends from the environment), without
/// regression files: a failure is turned into a plain `#[test]` below by hand.
fn runner() -> TestRunner {
    TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    })
}

/// Checks `property` for every value of `strategy`, with one app and one current-thread
/// runtime for all cases. `property` gets the status and body of the request it built.
///
/// Returns how many cases got each status (printed with `PROPERTIES_STATS=1`), so a
/// property can check its generator reaches what it means to test.
fn check_requests<S>(
    name: &str,
    strategy: S,
    to_request: impl Fn(&S::Value) -> Request,
    property: impl Fn(&S::Value, u16, &[u8]) -> Result<(), TestCaseError>,
) -> BTreeMap<u16, u32>
where
    S: Strategy,
    S::Value: Debug,
{
    let system = actix_rt::System::new();
    let manager = test_manager();
    let app = system.block_on(actix_test::init_service(
        App::new()
            .app_data(manager)
            .app_data(web::PayloadConfig::new(PAYLOAD_LIMIT))
            .service(web::resource("/protected").to(protected)),
    ));
    let statuses = RefCell::new(BTreeMap::new());
    let result = runner().run(&strategy, |value| {
        let (status, body) = system.block_on(send(&app, to_request(&value)));
        *statuses.borrow_mut().entry(status).or_insert(0) += 1;
        property(&value, status, &body)
    });
    if let Err(error) = result {
        panic!("{error}");
    }
    let statuses = statuses.into_inner();
    if std::env::var_os("PROPERTIES_STATS").is_some() {
        eprintln!("{name}: statuses {statuses:?}");
    }
    statuses
}

/// The refusal property: one of [`REFUSED`], with a `{"msg": "<text>"}` body.
fn refused(status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    prop_assert!(
        REFUSED.contains(&status),
        "status {status}, body {}",
        String::from_utf8_lossy(body)
    );
    let body: Value = serde_json::from_slice(body)
        .map_err(|error| TestCaseError::fail(format!("body is not JSON: {error}")))?;
    prop_assert!(body["msg"].is_string(), "body {body}");
    Ok(())
}

fn check_refused<S>(name: &str, strategy: S) -> BTreeMap<u16, u32>
where
    S: Strategy<Value = Hostile>,
{
    check_requests(name, strategy, Hostile::to_request, |_, status, body| {
        refused(status, body)
    })
}

/// Whether enough cases ran for a generator-reach check to be meaningful (a run with
/// `PROPTEST_CASES=1` cannot be expected to see every status).
fn enough_cases(statuses: &BTreeMap<u16, u32>) -> bool {
    statuses.values().sum::<u32>() >= 200
}

// ---------------------------------------------------------------------------------------
// Strategies.
// ---------------------------------------------------------------------------------------

fn method() -> BoxedStrategy<Method> {
    prop_oneof![
        Just(Method::GET),
        Just(Method::POST),
        Just(Method::PUT),
        Just(Method::PATCH),
        Just(Method::DELETE),
        Just(Method::HEAD),
    ]
    .boxed()
}

/// Claim and header names a verifier looks at, and a few it should not.
fn member_name() -> BoxedStrategy<String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "alg", "typ", "kid", "crit", "zip", "b64", "jku", "jwk", "sub", "type", "exp",
            "nbf", "iat", "jti", "fresh", "csrf", "aud", "iss", "refresh_jti", "",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z_]{1,8}",
    ]
    .boxed()
}

/// Any JSON value, a few levels deep.
fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|n| serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            "HS256", "none", "None", "access", "refresh", "JWT", "", "1e400",
        ])
        .prop_map(Value::from),
        ".{0,16}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            vec((member_name(), inner), 0..5)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
    .boxed()
}

/// JSON text: well-formed headers and claims, arbitrary values, and JSON-like junk.
fn json_text() -> BoxedStrategy<String> {
    prop_oneof![
        prop::sample::select(vec![
            r#"{"alg":"HS256","typ":"JWT"}"#,
            r#"{"alg":"HS256","alg":"HS256"}"#,
            r#"{"alg":"none","typ":"JWT"}"#,
            r#"{"alg":"HS256","crit":["exp"]}"#,
            r#"{"alg":"HS256","zip":"DEF"}"#,
            r#"{"sub":"alice","type":"access","fresh":false,"jti":"j","exp":99999999999}"#,
            r#"{"sub":"alice","sub":"bob"}"#,
            r#"{"exp":1e400}"#,
            r#"{"exp":"99999999999"}"#,
            "[]",
            "null",
            "",
        ])
        .prop_map(str::to_owned),
        json_value().prop_map(|value| value.to_string()),
        r#"[\[\]{}":,. a-z0-9\\-]{0,40}"#,
    ]
    .boxed()
}

/// One base64url-ish segment: canonical base64url of JSON, random alphabet soup, or
/// text with padding and the standard alphabet's `+` and `/`.
fn segment() -> BoxedStrategy<String> {
    prop_oneof![
        2 => json_text().prop_map(b64),
        2 => "[A-Za-z0-9_-]{0,48}",
        1 => "[A-Za-z0-9_+/=-]{0,48}",
        1 => json_text().prop_map(|text| format!("{}=", b64(text))),
    ]
    .boxed()
}

/// Token-shaped text: three segments, any number of segments, dots and commas.
fn jwt_like() -> BoxedStrategy<String> {
    prop_oneof![
        4 => (segment(), segment(), segment()).prop_map(|(h, p, s)| format!("{h}.{p}.{s}")),
        2 => vec(segment(), 0..7).prop_map(|segments| segments.join(".")),
        1 => "[A-Za-z0-9_.,= -]{0,80}",
        1 => (1usize..64).prop_map(|n| ".".repeat(n)),
    ]
    .boxed()
}

/// What comes before a token in an `Authorization` header.
fn scheme_prefix() -> BoxedStrategy<&'static str> {
    prop::sample::select(vec![
        "Bearer ",
        "Bearer  ",
        "Bearer\t",
        "bearer ",
        "Bearer",
        "Basic dXNlcjpwYXNz, Bearer ",
        "Bearer x, Bearer ",
        ", Bearer ",
        " , ",
        "Token ",
        "",
    ])
    .boxed()
}

/// Any bytes, biased towards tokens.
fn hostile_bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        3 => vec(any::<u8>(), 0..200),
        4 => jwt_like().prop_map(String::into_bytes),
        1 => vec(any::<u8>(), 0..(2 * PAYLOAD_LIMIT)),
        1 => (jwt_like(), 1usize..80).prop_map(|(token, n)| token.repeat(n).into_bytes()),
    ]
    .boxed()
}

/// `Authorization` header values: arbitrary bytes, header-legal bytes with obs-text
/// (0x80..=0xFF, which `HeaderValue::from_bytes` accepts), and scheme + token.
fn authorization() -> BoxedStrategy<Vec<u8>> {
    let header_byte = prop_oneof![0x20u8..=0x7e, 0x80u8..=0xff, Just(b'\t')];
    prop_oneof![
        2 => hostile_bytes(),
        2 => vec(header_byte.clone(), 0..200),
        4 => (scheme_prefix(), jwt_like()).prop_map(|(p, t)| format!("{p}{t}").into_bytes()),
        1 => (scheme_prefix(), vec(header_byte, 0..100)).prop_map(|(p, t)| {
            let mut value = p.as_bytes().to_vec();
            value.extend(t);
            value
        }),
    ]
    .boxed()
}

/// `Cookie` header values: raw bytes, or the token cookie (quoted or not, among others).
fn cookie() -> BoxedStrategy<Vec<u8>> {
    let name = prop::sample::select(vec![
        "access_token_cookie",
        "refresh_token_cookie",
        "csrf_access_token",
        " access_token_cookie ",
        "other",
    ]);
    prop_oneof![
        2 => hostile_bytes(),
        4 => (name.clone(), hostile_bytes()).prop_map(|(name, value)| {
            let mut cookie = format!("{name}=").into_bytes();
            cookie.extend(value);
            cookie
        }),
        1 => (name, jwt_like()).prop_map(|(name, token)| {
            format!("a=b; {name}=\"{token}\"; access_token_cookie=x").into_bytes()
        }),
    ]
    .boxed()
}

/// Query strings: `jwt=<percent-encoded bytes>`, and raw query syntax soup.
fn query() -> BoxedStrategy<String> {
    prop_oneof![
        4 => hostile_bytes().prop_map(|value| format!("jwt={}", percent_encode(&value))),
        2 => jwt_like().prop_map(|token| format!("jwt={token}&jwt=other")),
        2 => "[A-Za-z0-9%&=+._~-]{0,100}",
        1 => hostile_bytes().prop_map(|value| percent_encode(&value)),
    ]
    .boxed()
}

/// Content types, JSON or not.
fn content_type() -> BoxedStrategy<String> {
    prop_oneof![
        4 => Just("application/json".to_owned()),
        1 => prop::sample::select(vec![
            "application/json; charset=utf-8",
            "application/vnd.api+json",
            "APPLICATION/JSON",
            "text/plain",
            "application/x-www-form-urlencoded",
            "",
        ])
        .prop_map(str::to_owned),
    ]
    .boxed()
}

/// Request bodies: the token string in `{"access_token": ...}`, any JSON value under the
/// key, any JSON document, any bytes.
fn body() -> BoxedStrategy<(String, Vec<u8>)> {
    let token_string = prop_oneof![
        jwt_like(),
        hostile_bytes().prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
    ];
    let document = prop_oneof![
        3 => token_string.prop_map(|token| json!({ "access_token": token }).to_string().into_bytes()),
        1 => json_value().prop_map(|value| json!({ "access_token": value }).to_string().into_bytes()),
        1 => json_value().prop_map(|value| value.to_string().into_bytes()),
        2 => hostile_bytes(),
    ];
    (content_type(), document).boxed()
}

// ---------------------------------------------------------------------------------------
// Properties: hostile input in each location, and in all at once.
// ---------------------------------------------------------------------------------------

#[test]
fn any_authorization_header_is_refused_cleanly() {
    check_refused(
        "authorization",
        (method(), authorization()).prop_map(|(method, value)| Hostile {
            method,
            authorization: Some(value),
            ..Hostile::default()
        }),
    );
}

#[test]
fn any_cookie_and_csrf_header_is_refused_cleanly() {
    check_refused(
        "cookie",
        (method(), cookie(), prop::option::of(hostile_bytes())).prop_map(
            |(method, cookie, csrf)| Hostile {
                method,
                cookie: Some(cookie),
                csrf,
                ..Hostile::default()
            },
        ),
    );
}

#[test]
fn any_query_string_is_refused_cleanly() {
    check_refused(
        "query",
        (method(), query()).prop_map(|(method, query)| Hostile {
            method,
            query: Some(query),
            ..Hostile::default()
        }),
    );
}

#[test]
fn any_json_body_is_refused_cleanly() {
    check_refused(
        "json",
        (method(), body()).prop_map(|(method, body)| Hostile {
            method,
            body: Some(body),
            ..Hostile::default()
        }),
    );
}

#[test]
fn any_input_in_every_location_at_once_is_refused_cleanly() {
    let every_location = (
        method(),
        prop::option::of(authorization()),
        prop::option::of(cookie()),
        prop::option::of(hostile_bytes()),
        prop::option::of(query()),
        prop::option::of(body()),
    );
    check_refused(
        "every location",
        every_location.prop_map(
            |(method, authorization, cookie, csrf, query, body)| Hostile {
                method,
                authorization,
                cookie,
                csrf,
                query,
                body,
            },
        ),
    );
}

// ---------------------------------------------------------------------------------------
// `JwtManager::decode_token` on its own.
// ---------------------------------------------------------------------------------------

#[test]
fn decode_token_refuses_any_string_with_401_or_422() {
    let manager = test_manager();
    let strategy = (
        prop_oneof![
            jwt_like(),
            hostile_bytes().prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        ],
        prop::option::of(".{0,16}"),
        any::<bool>(),
    );
    let result = runner().run(&strategy, |(token, csrf, allow_expired)| {
        match manager.decode_token(&token, csrf.as_deref(), allow_expired) {
            Ok(decoded) => Err(TestCaseError::fail(format!("accepted: {decoded:?}"))),
            Err(error) => {
                let status = error.status().as_u16();
                prop_assert!(status == 401 || status == 422, "{status} {error:?}");
                Ok(())
            }
        }
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}

// ---------------------------------------------------------------------------------------
// Tokens signed with the app's secret: the fuzzer's trick of signing mutated claims, so
// every claim check past the signature is reached.
// ---------------------------------------------------------------------------------------

/// A NumericDate value: past, future, out of range, or of the wrong type.
fn numeric_date() -> BoxedStrategy<Value> {
    let now = now();
    prop_oneof![
        // Never within a few seconds of now, so the answer cannot flip between two reads
        // of the clock.
        2 => (-200_000i64..200_000).prop_map(move |delta| json!(now + delta + 10 * delta.signum())),
        1 => (-200_000.0f64..200_000.0).prop_map(move |delta| json!(now as f64 + delta + 10.0 * delta.signum())),
        1 => prop::sample::select(vec![
            json!(0), json!(-1), json!(1e300), json!(253_402_300_799_i64),
            json!(253_402_300_800_i64), json!(u64::MAX), json!(i64::MIN), json!(0.5),
            json!("1700000000"), json!(true), json!(null), json!([]),
        ]),
    ]
    .boxed()
}

/// One change to a valid token's claims.
#[derive(Debug, Clone)]
enum Mutation {
    Set(String, Value),
    Remove(String),
}

fn mutation() -> BoxedStrategy<Mutation> {
    let date_claim = prop::sample::select(vec!["exp", "nbf", "iat", "fresh"]);
    prop_oneof![
        3 => (member_name(), json_value()).prop_map(|(name, value)| Mutation::Set(name, value)),
        2 => (date_claim, numeric_date())
            .prop_map(|(name, value)| Mutation::Set(name.to_owned(), value)),
        1 => prop::sample::select(vec!["type", "sub", "jti", "fresh", "csrf"])
            .prop_map(|name| Mutation::Set(name.to_owned(), json!("refresh"))),
        2 => member_name().prop_map(Mutation::Remove),
    ]
    .boxed()
}

/// `(header JSON text, payload JSON text, signing algorithm)`: flask's claims for a
/// valid access or refresh token, with up to three claims changed or removed, under a
/// header that is usually the standard one.
fn signed_parts() -> BoxedStrategy<(String, String, Algorithm)> {
    let header = prop_oneof![
        12 => Just(json!({"alg": "HS256", "typ": "JWT"})),
        2 => (member_name(), json_value()).prop_map(|(name, value)| {
            let mut header = json!({"alg": "HS256", "typ": "JWT"});
            header[name] = value;
            header
        }),
        1 => json_value(),
    ];
    let now = now();
    let claims = (
        prop::sample::select(vec!["access", "refresh"]),
        any::<bool>(),
        vec(mutation(), 0..4),
    )
        .prop_map(move |(kind, fresh, mutations)| {
            let mut claims = json!({
                "fresh": fresh,
                "iat": now - 10,
                "jti": "d0c5f1a2-0000-4000-8000-000000000000",
                "type": kind,
                "sub": "alice",
                "nbf": now - 10,
                "csrf": "csrf-value",
                "exp": now + 900,
            });
            if let Value::Object(members) = &mut claims {
                for mutation in mutations {
                    match mutation {
                        Mutation::Set(name, value) => members.insert(name, value),
                        Mutation::Remove(name) => members.remove(&name),
                    };
                }
            }
            claims
        });
    let algorithm = prop_oneof![
        8 => Just(Algorithm::HS256),
        1 => Just(Algorithm::HS384),
        1 => Just(Algorithm::HS512),
    ];
    let duplicate = prop::sample::select(vec![
        None,
        None,
        None,
        None,
        None,
        None,
        Some("sub"),
        Some("type"),
    ]);
    (header, claims, algorithm, duplicate)
        .prop_map(|(header, claims, algorithm, duplicate)| {
            let mut payload = claims.to_string();
            // A duplicated member, which serde_json alone would quietly resolve (last wins).
            if let Some(name) = duplicate
                && payload.len() > 2
            {
                payload.insert_str(1, &format!(r#""{name}":"mallory","#));
            }
            (header.to_string(), payload, algorithm)
        })
        .boxed()
}

fn sign((header, payload, algorithm): &(String, String, Algorithm)) -> String {
    let signing_input = format!("{}.{}", b64(header), b64(payload));
    let key = EncodingKey::from_secret(SECRET.as_bytes());
    // jsonwebtoken needs a provider when both its backends are built.
    actix_jwt_extended::install_crypto_provider();
    let signature = jsonwebtoken::crypto::sign(signing_input.as_bytes(), &key, *algorithm)
        .expect("HMAC signing");
    format!("{signing_input}.{signature}")
}

/// What the access-token route must answer for a signed token, by
/// [`JwtManager::decode_token`]: 200, or 422 for a refresh token, or the decode error's
/// status; 431 for a token over the size limit, which the carrier refuses first.
fn expected_status(manager: &JwtManager, token: &str, csrf_value: Option<&str>) -> u16 {
    if token.len() > MAX_TOKEN_SIZE {
        return 431;
    }
    match manager.decode_token(token, csrf_value, false) {
        Ok(decoded) if decoded.is_refresh() => 422,
        Ok(_) => 200,
        Err(error) => error.status().as_u16(),
    }
}

/// Asserts a signed-token property reached both sides of verification: some tokens
/// accepted, and some refused past the signature.
fn assert_reached_both_sides(statuses: &BTreeMap<u16, u32>) {
    if enough_cases(statuses) {
        assert!(statuses.contains_key(&200), "no case passed: {statuses:?}");
        assert!(
            statuses.contains_key(&401) && statuses.contains_key(&422),
            "no case failed a claim check: {statuses:?}"
        );
    }
}

#[test]
fn signed_tokens_in_the_header_get_the_answer_decode_token_gives() {
    let manager = test_manager();
    let statuses = check_requests(
        "signed header",
        signed_parts(),
        |parts| {
            actix_test::TestRequest::get()
                .uri("/protected")
                .insert_header(("authorization", format!("Bearer {}", sign(parts))))
                .to_request()
        },
        |parts, status, body| {
            let expected = expected_status(&manager, &sign(parts), None);
            prop_assert_eq!(status, expected, "body {}", String::from_utf8_lossy(body));
            prop_assert!([200, 401, 422, 431].contains(&status));
            Ok(())
        },
    );
    assert_reached_both_sides(&statuses);
}

#[test]
fn signed_cookie_tokens_with_any_csrf_header_get_the_answer_decode_token_gives() {
    let manager = test_manager();
    let strategy = (
        method(),
        signed_parts(),
        prop::option::of(prop_oneof![
            3 => Just(b"csrf-value".to_vec()),
            1 => hostile_bytes(),
        ]),
    );
    let statuses = check_requests(
        "signed cookie",
        strategy,
        |(method, parts, csrf)| {
            Hostile {
                method: method.clone(),
                cookie: Some(format!("access_token_cookie={}", sign(parts)).into_bytes()),
                csrf: csrf.clone(),
                ..Hostile::default()
            }
            .to_request()
        },
        |(method, parts, csrf), status, body| {
            let token = sign(parts);
            let csrf_method = ["POST", "PUT", "PATCH", "DELETE"].contains(&method.as_str());
            // The CSRF header as the server can see it: a legal, non-empty header value.
            let csrf = csrf
                .as_deref()
                .filter(|value| HeaderValue::from_bytes(value).is_ok())
                .map(String::from_utf8_lossy)
                .filter(|value| !value.is_empty());
            let expected = match (csrf_method, &csrf) {
                _ if token.len() > MAX_TOKEN_SIZE => 431,
                // Missing CSRF token: refused before the token is decoded.
                (true, None) => 401,
                (true, Some(csrf)) => expected_status(&manager, &token, Some(csrf)),
                (false, _) => expected_status(&manager, &token, None),
            };
            prop_assert_eq!(status, expected, "body {}", String::from_utf8_lossy(body));
            Ok(())
        },
    );
    assert_reached_both_sides(&statuses);
}

#[test]
fn decode_token_on_signed_tokens_answers_401_or_422_or_a_token() {
    let manager = test_manager();
    let strategy = (signed_parts(), prop::option::of(".{0,12}"), any::<bool>());
    let result = runner().run(&strategy, |(parts, csrf, allow_expired)| {
        match manager.decode_token(&sign(&parts), csrf.as_deref(), allow_expired) {
            Ok(decoded) => {
                // What a verified token guarantees.
                prop_assert!(decoded.identity_str().is_some());
                prop_assert!(["access", "refresh"].contains(&decoded.token_type().as_str()));
                Ok(())
            }
            Err(error) => {
                let status = error.status().as_u16();
                prop_assert!(status == 401 || status == 422, "{status} {error:?}");
                Ok(())
            }
        }
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}
