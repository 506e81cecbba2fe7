//! The attack corpus: hostile requests against `#[jwt_required]` routes, one table row
//! per case, each with the exact status and message it must get. Each row names its
//! source: an RFC, a CVE, flask-jwt-extended's own answer, or a rule id (A24, B20, R27,
//! T10, L02, …) of `docs/security.md`, which says what each rule requires and why.
//!
//! Every token is made when the test runs (times relative to now), by hand where the
//! attack needs it: base64url of the exact header and claims bytes (so duplicates,
//! padding and odd encodings are possible), signed with the real key when the attack
//! needs a valid signature. Four apps, each configured as the attack needs:
//!
//! - `Hs`: HS256, every location (headers, cookies, query string, JSON body), CSRF
//!   double submit on, an in-memory blocklist store;
//! - `Rs`: RS256 (the fixtures' 2048-bit key), headers;
//! - `Es`: ES256 (the fixtures' P-256 key), headers, an in-memory blocklist store;
//! - `Aud`: HS256 with decode audience `api` and decode issuer `issuer-a`, headers.
//!
//! Each row is checked on its own and every mismatch is reported at the end, in one
//! failure listing them all. No row may answer 500, and a loopback listener named by
//! `jku`, `x5u` and `kid` must see no connection.

use std::{
    io::ErrorKind as IoErrorKind,
    net::TcpListener,
    sync::atomic::{AtomicUsize, Ordering},
};

use crate::support::{
    SECRET, b64, error_body, fixture,
    keys::{
        OTHER_EC256_PRIVATE as ATTACKER_EC256_PRIVATE,
        OTHER_EC384_PRIVATE as ATTACKER_EC384_PRIVATE, OTHER_RSA_PRIVATE as ATTACKER_RSA_PRIVATE,
    },
    now, with_claim as with, without_claim as without,
};
use actix_jwt_extended::{
    Algorithm, Jwt, JwtConfig, JwtManager, Location, MemoryBlocklist, OneOrMany, jwt_required,
};
use actix_web::{
    App, HttpResponse,
    http::{Method, header::HeaderValue},
    test::{self as actix_test, TestRequest},
    web,
};
use base64::{
    Engine,
    engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD},
};
use jsonwebtoken::EncodingKey;
use serde_json::{Value, json};

// ---- messages ------------------------------------------------------------------------

const SIG: &str = "Signature verification failed";
const ALG: &str = "The specified alg value is not allowed";
const HEADER_PADDING: &str = "Invalid header padding";
const PAYLOAD_PADDING: &str = "Invalid payload padding";
const SEGMENTS: &str = "Not enough segments";
const EXPIRED: &str = "Token has expired";
const REVOKED: &str = "Token has been revoked";
const FRESH: &str = "Fresh token required";
const NOT_REFRESH: &str = "Only non-refresh tokens are allowed";
const ONLY_REFRESH: &str = "Only refresh tokens are allowed";
const TYPE_INVALID: &str = "Invalid claim: type must be \"access\" or \"refresh\"";
const KID_TYPE: &str = "Key ID header parameter must be a string";
const EXP_TYPE: &str = "Expiration Time claim (exp) must be an integer.";
const NBF_TYPE: &str = "Not Before claim (nbf) must be an integer.";
const IAT_TYPE: &str = "Issued At claim (iat) must be an integer.";
const CSRF_MISSING: &str = "Missing CSRF token";
const CSRF_MISMATCH: &str = "CSRF double submit tokens do not match";
const NOT_OBJECT_HEADER: &str = "Invalid header string: must be a json object";
const NOT_OBJECT_PAYLOAD: &str = "Invalid payload string: must be a json object";
const BAD_BEARER: &str = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'";
const NO_BEARER: &str =
    "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'";

/// The identity of every token the corpus makes; a 200 answers `hello alice`.
const ALICE: &str = "alice";
const OK: &str = "hello alice";
/// The `csrf` claim of hand-made tokens.
const CSRF: &str = "7a1b3c5d-csrf-value-of-the-token";
/// The HS256 header PyJWT writes.
const HS256: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// The P-256 group order n, big-endian (SEC 2 §2.4.2).
const P256_N: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
];

// ---- routes --------------------------------------------------------------------------

fn hello(jwt: &Jwt) -> HttpResponse {
    let who = jwt.identity().as_str().unwrap_or("?").to_owned();
    HttpResponse::Ok().json(json!({ "msg": format!("hello {who}") }))
}

#[jwt_required]
async fn protected(jwt: Jwt) -> HttpResponse {
    hello(&jwt)
}

#[jwt_required(fresh)]
async fn fresh(jwt: Jwt) -> HttpResponse {
    hello(&jwt)
}

#[jwt_required(refresh)]
async fn refresh(jwt: Jwt) -> HttpResponse {
    hello(&jwt)
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/protected")
            .route(web::get().to(protected))
            .route(web::post().to(protected)),
    )
    .service(web::resource("/fresh").route(web::get().to(fresh)))
    .service(
        web::resource("/refresh")
            .route(web::get().to(refresh))
            .route(web::post().to(refresh)),
    );
}

// ---- apps ----------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Hs,
    Rs,
    Es,
    Aud,
}

struct Managers {
    hs: JwtManager,
    rs: JwtManager,
    es: JwtManager,
    aud: JwtManager,
}

impl Managers {
    fn new() -> Self {
        let hs = JwtManager::builder(JwtConfig {
            secret_key: Some(SECRET.to_owned()),
            token_location: Location::ALL.to_vec(),
            ..JwtConfig::default()
        })
        .blocklist(MemoryBlocklist::new())
        .build()
        .expect("HS256 manager");
        let rs = JwtManager::new(JwtConfig {
            algorithm: Algorithm::RS256,
            private_key: Some(fixture("rsa_private.pem")),
            public_key: Some(fixture("rsa_public.pem")),
            ..JwtConfig::default()
        })
        .expect("RS256 manager");
        let es = JwtManager::builder(JwtConfig {
            algorithm: Algorithm::ES256,
            private_key: Some(fixture("ec256_private.pem")),
            public_key: Some(fixture("ec256_public.pem")),
            ..JwtConfig::default()
        })
        .blocklist(MemoryBlocklist::new())
        .build()
        .expect("ES256 manager");
        let aud = JwtManager::new(JwtConfig {
            secret_key: Some(SECRET.to_owned()),
            decode_audience: Some(OneOrMany::from("api")),
            decode_issuer: Some(OneOrMany::from("issuer-a")),
            encode_audience: Some(OneOrMany::from("api")),
            encode_issuer: Some("issuer-a".to_owned()),
            ..JwtConfig::default()
        })
        .expect("audience manager");
        Managers { hs, rs, es, aud }
    }

    fn get(&self, target: Target) -> &JwtManager {
        match target {
            Target::Hs => &self.hs,
            Target::Rs => &self.rs,
            Target::Es => &self.es,
            Target::Aud => &self.aud,
        }
    }
}

// ---- tokens --------------------------------------------------------------------------

static NEXT_JTI: AtomicUsize = AtomicUsize::new(1);

fn jti() -> String {
    format!("jti-{}", NEXT_JTI.fetch_add(1, Ordering::Relaxed))
}

/// The claims flask writes, with a fresh `jti`, valid for 15 minutes.
fn claims(kind: &str) -> Value {
    let now = now();
    json!({
        "fresh": false,
        "iat": now,
        "jti": jti(),
        "type": kind,
        "sub": ALICE,
        "nbf": now,
        "csrf": CSRF,
        "exp": now + 900,
    })
}

fn access() -> Value {
    claims("access")
}

/// A JSON object text with `members` (raw `"name":value` text) appended.
fn append(object: &str, members: &str) -> String {
    let body = object.strip_suffix('}').expect("a JSON object");
    format!("{body},{members}}}")
}

fn hmac(secret: &[u8]) -> EncodingKey {
    EncodingKey::from_secret(secret)
}

fn key(target: Target) -> EncodingKey {
    match target {
        Target::Hs | Target::Aud => hmac(SECRET.as_bytes()),
        Target::Rs => {
            EncodingKey::from_rsa_pem(fixture("rsa_private.pem").as_bytes()).expect("RSA key")
        }
        Target::Es => {
            EncodingKey::from_ec_pem(fixture("ec256_private.pem").as_bytes()).expect("EC key")
        }
    }
}

/// Signs an already encoded `header.payload` with `key` and `alg`.
fn sign_input(signing_input: &str, key: &EncodingKey, alg: Algorithm) -> String {
    // jsonwebtoken needs a provider when both its backends are built.
    actix_jwt_extended::install_crypto_provider();
    let signature =
        jsonwebtoken::crypto::sign(signing_input.as_bytes(), key, alg).expect("signature");
    format!("{signing_input}.{signature}")
}

/// Signs the raw JSON texts `header` and `payload`, used verbatim.
fn sign(header: &str, payload: impl AsRef<[u8]>, key: &EncodingKey, alg: Algorithm) -> String {
    sign_input(&format!("{}.{}", b64(header), b64(payload)), key, alg)
}

/// HS256 with the apps' secret over raw header and payload texts.
fn hs(header: &str, payload: impl AsRef<[u8]>) -> String {
    sign(header, payload, &hmac(SECRET.as_bytes()), Algorithm::HS256)
}

/// A valid HS256 token of `claims` (for the `Hs` and `Aud` apps).
fn hs_token(claims: &Value) -> String {
    hs(HS256, claims.to_string())
}

/// A token of `claims` signed with `target`'s own key and algorithm.
fn token_for(target: Target, claims: &Value) -> String {
    let (header, alg) = match target {
        Target::Hs | Target::Aud => (HS256, Algorithm::HS256),
        Target::Rs => (r#"{"alg":"RS256","typ":"JWT"}"#, Algorithm::RS256),
        Target::Es => (r#"{"alg":"ES256","typ":"JWT"}"#, Algorithm::ES256),
    };
    sign(header, claims.to_string(), &key(target), alg)
}

/// An unsigned token: `header.payload.signature` with `signature` as given.
fn unsigned(header: &str, payload: &str, signature: &str) -> String {
    format!("{}.{}.{signature}", b64(header), b64(payload))
}

fn split(token: &str) -> (&str, &str) {
    token.rsplit_once('.').expect("three segments")
}

fn with_signature(token: &str, signature: &[u8]) -> String {
    format!("{}.{}", split(token).0, b64(signature))
}

fn signature_bytes(token: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(split(token).1)
        .expect("base64url signature")
}

/// The same segment with the unused low bits of its last character set: it decodes to
/// the same bytes in a lenient decoder, but is not the canonical encoding.
fn non_canonical(segment: &str) -> String {
    assert!(
        !segment.len().is_multiple_of(4),
        "{segment} has no spare bits"
    );
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let (head, last) = segment.split_at(segment.len() - 1);
    let index = ALPHABET
        .iter()
        .position(|&c| c == last.as_bytes()[0])
        .expect("base64url character");
    assert_eq!(index & 1, 0, "canonical encodings end in zero bits");
    format!("{head}{}", ALPHABET[index | 1] as char)
}

/// `n − s` on 32-byte big-endian integers.
fn p256_negate(s: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut digit = i16::from(P256_N[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(digit < 0);
        if digit < 0 {
            digit += 256;
        }
        out[i] = u8::try_from(digit).expect("a byte");
    }
    assert_eq!(borrow, 0, "s < n");
    out
}

/// The malleated twin of an ES256 token: (r, s) becomes (r, n − s), which verifies too.
fn ecdsa_twin(token: &str) -> String {
    let signature = signature_bytes(token);
    assert_eq!(signature.len(), 64, "raw r‖s");
    let mut twin = signature[..32].to_vec();
    twin.extend_from_slice(&p256_negate(&signature[32..]));
    assert_ne!(twin, signature);
    with_signature(token, &twin)
}

/// An ECDSA signature as DER (`SEQUENCE { INTEGER r, INTEGER s }`), not JWS's raw r‖s.
fn der_signature(raw: &[u8]) -> Vec<u8> {
    fn integer(bytes: &[u8]) -> Vec<u8> {
        let start = bytes
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(bytes.len() - 1);
        let mut value = bytes[start..].to_vec();
        if value[0] & 0x80 != 0 {
            value.insert(0, 0);
        }
        let mut out = vec![0x02, u8::try_from(value.len()).expect("short integer")];
        out.extend(value);
        out
    }
    let mut body = integer(&raw[..32]);
    body.extend(integer(&raw[32..]));
    let mut out = vec![0x30, u8::try_from(body.len()).expect("short sequence")];
    out.extend(body);
    out
}

/// A JSON array nested `depth` levels deep.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// The message for a duplicate member anywhere: it is refused at its name, so
/// serde_json's position is the closing quote of the duplicate's name, `needle` being
/// the last `"name":value` text.
fn duplicate(what: &str, name: &str, text: &str, needle: &str) -> String {
    let start = text.rfind(needle).expect("needle in text");
    let column = start + name.len() + 2;
    format!("Invalid {what} string: duplicate member name \"{name}\": line 1 column {column}")
}

/// The message for a duplicate member inside a claim verification skips unparsed: the
/// position is the closing quote of the duplicate's name, `needle` starting with it.
fn duplicate_at_name(what: &str, name: &str, text: &str, needle: &str) -> String {
    let start = text.rfind(needle).expect("needle in text");
    let column = start + name.len() + 2;
    format!("Invalid {what} string: duplicate member name \"{name}\": line 1 column {column}")
}

/// The combined message when no location holds a token (the `Hs` app looks in all four).
fn missing_everywhere(header_detail: &str) -> String {
    missing_in_all(
        header_detail,
        "Invalid content-type. Must be application/json.",
    )
}

/// [`missing_everywhere`] with the JSON location's own detail.
fn missing_in_all(header_detail: &str, json_detail: &str) -> String {
    format!(
        "Missing JWT in headers, cookies, query_string or json ({header_detail}; Missing cookie \
         \"access_token_cookie\"; Missing 'jwt' query paramater; {json_detail})"
    )
}

// ---- requests ------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Req {
    method: Method,
    uri: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Option<Vec<u8>>,
}

impl Req {
    fn new(method: Method, uri: &str) -> Self {
        Req {
            method,
            uri: uri.to_owned(),
            headers: Vec::new(),
            body: None,
        }
    }

    fn get(uri: &str) -> Self {
        Req::new(Method::GET, uri)
    }

    fn post(uri: &str) -> Self {
        Req::new(Method::POST, uri)
    }

    fn header(mut self, name: &str, value: impl Into<Vec<u8>>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    fn bearer(self, token: &str) -> Self {
        self.header("Authorization", format!("Bearer {token}"))
    }

    /// One `Cookie` header holding `pairs` in order.
    fn cookies(self, pairs: &[(&str, &str)]) -> Self {
        let text = pairs
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        self.header("Cookie", text)
    }

    fn access_cookie(self, token: &str) -> Self {
        self.cookies(&[("access_token_cookie", token)])
    }

    fn csrf(self, value: &str) -> Self {
        self.header("X-CSRF-TOKEN", value)
    }

    fn body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self.header("Content-Type", content_type)
    }

    fn json(self, body: &Value) -> Self {
        self.body("application/json", body.to_string())
    }

    fn to_request(&self) -> actix_http::Request {
        let mut req = TestRequest::default()
            .method(self.method.clone())
            .uri(&self.uri);
        for (name, value) in &self.headers {
            let value = HeaderValue::from_bytes(value).expect("valid header value");
            req = req.append_header((name.as_str(), value));
        }
        if let Some(body) = &self.body {
            req = req.set_payload(body.clone());
        }
        req.to_request()
    }

    /// The request, shortened for a failure report.
    fn summary(&self) -> String {
        let mut text = format!("{} {}", self.method, shorten(&self.uri));
        for (name, value) in &self.headers {
            text.push_str(&format!(
                " [{name}: {}]",
                shorten(&String::from_utf8_lossy(value))
            ));
        }
        if let Some(body) = &self.body {
            text.push_str(&format!(
                " body {}",
                shorten(&String::from_utf8_lossy(body))
            ));
        }
        text
    }
}

fn shorten(text: &str) -> String {
    if text.len() <= 160 {
        text.to_owned()
    } else {
        let head: String = text.chars().take(150).collect();
        format!("{head}…({} bytes)", text.len())
    }
}

/// A token in each location of the `Hs` app, for `path` (GET; the JSON body needs POST).
fn in_location(location: Location, path: &str, token: &str) -> Req {
    let refresh = path == "/refresh";
    match location {
        Location::Headers => Req::get(path).bearer(token),
        Location::Cookies => Req::get(path).cookies(&[(
            if refresh {
                "refresh_token_cookie"
            } else {
                "access_token_cookie"
            },
            token,
        )]),
        Location::QueryString => Req::get(&format!("{path}?jwt={token}")),
        Location::Json => {
            let key = if refresh {
                "refresh_token"
            } else {
                "access_token"
            };
            let mut body = serde_json::Map::new();
            body.insert(key.to_owned(), Value::from(token));
            Req::post(path).json(&Value::Object(body))
        }
    }
}

// ---- the table -----------------------------------------------------------------------

/// One attack: what it is, where it comes from, what is sent, what must come back.
struct Case {
    id: String,
    what: String,
    source: &'static str,
    target: Target,
    request: Req,
    status: u16,
    message: String,
}

struct Table(Vec<Case>);

impl Table {
    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        id: &str,
        what: &str,
        source: &'static str,
        target: Target,
        request: Req,
        status: u16,
        message: impl Into<String>,
    ) {
        self.0.push(Case {
            id: id.to_owned(),
            what: what.to_owned(),
            source,
            target,
            request,
            status,
            message: message.into(),
        });
    }

    /// A `GET /protected` with a Bearer token.
    #[allow(clippy::too_many_arguments)]
    fn bearer(
        &mut self,
        id: &str,
        what: &str,
        source: &'static str,
        target: Target,
        token: &str,
        status: u16,
        message: impl Into<String>,
    ) {
        let request = Req::get("/protected").bearer(token);
        self.row(id, what, source, target, request, status, message);
    }
}

/// What the setup made before the table is built: revoked tokens and the listener.
struct Prepared {
    listener_url: String,
    revoked_access: String,
    revoked_fresh: String,
    revoked_refresh: String,
    revoked_es: String,
}

fn corpus(managers: &Managers, prepared: &Prepared) -> Vec<Case> {
    use Target::{Aud, Es, Hs, Rs};
    let mut t = Table(Vec::new());
    let listener = &prepared.listener_url;

    // ---- controls: what a legitimate client gets (not counted as attacks) ----------
    let valid = hs_token(&access());
    for location in Location::ALL {
        t.row(
            &format!("CTL-{}", location.as_str()),
            "control: a valid access token",
            "—",
            Hs,
            in_location(location, "/protected", &valid),
            200,
            OK,
        );
    }
    t.bearer(
        "CTL-rs",
        "control: valid RS256",
        "—",
        Rs,
        &token_for(Rs, &access()),
        200,
        OK,
    );
    let es_valid = token_for(Es, &access());
    t.bearer(
        "CTL-es",
        "control: valid ES256",
        "—",
        Es,
        &es_valid,
        200,
        OK,
    );
    t.bearer(
        "CTL-es-twin",
        "control: a malleated ES256 twin verifies (so revocation must key on jti)",
        "ECDSA malleability (s → n − s)",
        Es,
        &ecdsa_twin(&es_valid),
        200,
        OK,
    );
    let aud_claims = with(
        with(access(), "aud", json!("api")),
        "iss",
        json!("issuer-a"),
    );
    t.bearer(
        "CTL-aud",
        "control: aud and iss as configured",
        "—",
        Aud,
        &hs_token(&aud_claims),
        200,
        OK,
    );
    t.bearer(
        "CTL-aud-list",
        "control: aud list containing the audience",
        "RFC 7519 §4.1.3",
        Aud,
        &hs_token(&with(aud_claims.clone(), "aud", json!(["other", "api"]))),
        200,
        OK,
    );
    t.bearer(
        "CTL-typ",
        "control: an unexpected typ is accepted (parity, strict typ is opt-in)",
        "docs/security.md A36",
        Hs,
        &hs(r#"{"alg":"HS256","typ":"at+jwt"}"#, access().to_string()),
        200,
        OK,
    );
    t.bearer(
        "CTL-float-exp",
        "control: a float exp in range (PyJWT accepts it)",
        "RFC 7519 §2 NumericDate",
        Hs,
        &hs_token(&with(access(), "exp", json!(now() as f64 + 600.5))),
        200,
        OK,
    );
    t.row(
        "CTL-fresh",
        "control: a fresh token on a fresh route",
        "—",
        Hs,
        Req::get("/fresh").bearer(&hs_token(&with(access(), "fresh", json!(true)))),
        200,
        OK,
    );
    t.row(
        "CTL-csrf",
        "control: cookie POST with the matching CSRF header",
        "—",
        Hs,
        Req::post("/protected").access_cookie(&valid).csrf(CSRF),
        200,
        OK,
    );

    // ---- signature ------------------------------------------------------------------
    let good = hs_token(&access());
    let (input, signature) = split(&good);
    let mut flipped = signature_bytes(&good);
    flipped[0] ^= 0x01;
    t.bearer(
        "SIG-01",
        "signature: one bit flipped in the first byte",
        "RFC 7515 §5.2",
        Hs,
        &with_signature(&good, &flipped),
        422,
        SIG,
    );
    let mut flipped_last = signature_bytes(&good);
    flipped_last[31] ^= 0x80;
    t.bearer(
        "SIG-02",
        "signature: one bit flipped in the last byte",
        "RFC 7515 §5.2",
        Hs,
        &with_signature(&good, &flipped_last),
        422,
        SIG,
    );
    t.bearer(
        "SIG-03",
        "signature: empty",
        "CVE-2020-28042",
        Hs,
        &format!("{input}."),
        422,
        SIG,
    );
    t.bearer(
        "SIG-04",
        "signature: truncated to 20 characters",
        "RFC 7518 §3.2",
        Hs,
        &format!("{input}.{}", &signature[..20]),
        422,
        SIG,
    );
    t.bearer(
        "SIG-05",
        "signature: doubled",
        "RFC 7518 §3.2",
        Hs,
        &format!("{input}.{signature}{signature}"),
        422,
        SIG,
    );
    t.bearer(
        "SIG-06",
        "signature: made with another secret",
        "RFC 7515 §5.2",
        Hs,
        &sign(
            HS256,
            access().to_string(),
            &hmac(b"another secret that is long enough!"),
            Algorithm::HS256,
        ),
        422,
        SIG,
    );
    t.bearer(
        "SIG-07",
        "signature: made with an empty secret",
        "CVE-2019-20933",
        Hs,
        &sign(HS256, access().to_string(), &hmac(b""), Algorithm::HS256),
        422,
        SIG,
    );
    let other = hs_token(&access());
    t.bearer(
        "SIG-08",
        "signature: taken from another valid token",
        "RFC 7515 §5.2",
        Hs,
        &format!("{input}.{}", split(&other).1),
        422,
        SIG,
    );
    let (header_segment, _) = input.split_once('.').expect("header.payload");
    let admin = b64(with(access(), "sub", json!("admin")).to_string());
    t.bearer(
        "SIG-09",
        "signature: payload changed after signing (sub → admin)",
        "RFC 7515 §5.2",
        Hs,
        &format!("{header_segment}.{admin}.{signature}"),
        422,
        SIG,
    );
    let (_, payload_segment) = input.split_once('.').expect("header.payload");
    t.bearer(
        "SIG-10",
        "signature: header changed after signing",
        "RFC 7515 §5.2",
        Hs,
        &format!(
            "{}.{payload_segment}.{signature}",
            b64(r#"{"alg":"HS256","typ":"JWS"}"#)
        ),
        422,
        SIG,
    );
    t.bearer(
        "SIG-11",
        "signature: '=' padding appended",
        "RFC 7515 §2, docs/security.md A24",
        Hs,
        &format!("{good}="),
        422,
        SIG,
    );
    t.bearer(
        "SIG-12",
        "signature: non-canonical trailing bits",
        "RFC 7515 App. C",
        Hs,
        &format!("{input}.{}", non_canonical(signature)),
        422,
        SIG,
    );
    t.bearer(
        "SIG-13",
        "signature: standard base64 with padding instead of base64url",
        "RFC 7515 §2",
        Hs,
        &format!("{input}.{}", URL_SAFE.encode(signature_bytes(&good))),
        422,
        SIG,
    );

    // ---- algorithm ------------------------------------------------------------------
    let payload = access().to_string();
    for (index, name) in ["none", "None", "NONE", "nOnE"].into_iter().enumerate() {
        let header = format!(r#"{{"alg":"{name}","typ":"JWT"}}"#);
        t.bearer(
            &format!("ALG-{:02}", index * 2 + 1),
            &format!("alg {name}, no signature"),
            "RFC 8725 §3.2, CVE-2015-2951",
            Hs,
            &unsigned(&header, &payload, ""),
            422,
            ALG,
        );
        let signed = hs(&header, &payload);
        t.bearer(
            &format!("ALG-{:02}", index * 2 + 2),
            &format!("alg {name}, with an HS256 signature"),
            "RFC 8725 §3.2, CVE-2022-23540",
            Hs,
            &signed,
            422,
            ALG,
        );
    }
    t.bearer(
        "ALG-09",
        "alg hs256 (lower case)",
        "RFC 7515 §4.1.1, 8725bis §2.11",
        Hs,
        &hs(r#"{"alg":"hs256","typ":"JWT"}"#, access().to_string()),
        422,
        ALG,
    );
    t.bearer(
        "ALG-10",
        "alg 'HS256 ' (trailing space)",
        "RFC 7515 §4.1.1",
        Hs,
        &hs(r#"{"alg":"HS256 ","typ":"JWT"}"#, access().to_string()),
        422,
        ALG,
    );
    t.bearer(
        "ALG-11",
        "HS512 token under an HS256 config (same secret)",
        "RFC 8725 §3.1, R01",
        Hs,
        &sign(
            r#"{"alg":"HS512","typ":"JWT"}"#,
            access().to_string(),
            &hmac(SECRET.as_bytes()),
            Algorithm::HS512,
        ),
        422,
        ALG,
    );
    t.bearer(
        "ALG-12",
        "HS384 token under an HS256 config (same secret)",
        "RFC 8725 §3.1, R01",
        Hs,
        &sign(
            r#"{"alg":"HS384","typ":"JWT"}"#,
            access().to_string(),
            &hmac(SECRET.as_bytes()),
            Algorithm::HS384,
        ),
        422,
        ALG,
    );
    let public_pem = fixture("rsa_public.pem");
    t.bearer(
        "ALG-13",
        "HS/RS confusion: HS256 keyed with the server's RSA public key PEM",
        "CVE-2015-9235, CVE-2016-10555, R04",
        Rs,
        &sign(
            HS256,
            access().to_string(),
            &hmac(public_pem.as_bytes()),
            Algorithm::HS256,
        ),
        422,
        ALG,
    );
    t.bearer(
        "ALG-14",
        "HS/RS confusion: the PEM without its final newline",
        "CVE-2017-11424, R04",
        Rs,
        &sign(
            HS256,
            access().to_string(),
            &hmac(public_pem.trim_end().as_bytes()),
            Algorithm::HS256,
        ),
        422,
        ALG,
    );
    let der: String = public_pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(der)
        .expect("PEM body");
    t.bearer(
        "ALG-15",
        "HS/RS confusion: HS256 keyed with the public key's DER bytes",
        "CVE-2022-29217 class, R04",
        Rs,
        &sign(HS256, access().to_string(), &hmac(&der), Algorithm::HS256),
        422,
        ALG,
    );
    let es_public_pem = fixture("ec256_public.pem");
    t.bearer(
        "ALG-16",
        "HS/EC confusion: HS256 keyed with the server's EC public key PEM",
        "CVE-2024-33663, R04",
        Es,
        &sign(
            HS256,
            access().to_string(),
            &hmac(es_public_pem.as_bytes()),
            Algorithm::HS256,
        ),
        422,
        ALG,
    );
    let rsa_key = key(Rs);
    t.bearer(
        "ALG-17",
        "PS256 (same RSA key, valid signature) outside the RS256 allow-list",
        "RFC 8725 §3.1, R01",
        Rs,
        &sign(
            r#"{"alg":"PS256","typ":"JWT"}"#,
            access().to_string(),
            &rsa_key,
            Algorithm::PS256,
        ),
        422,
        ALG,
    );
    t.bearer(
        "ALG-18",
        "RS512 (same RSA key, valid signature) outside the RS256 allow-list",
        "RFC 8725 §3.1, R01",
        Rs,
        &sign(
            r#"{"alg":"RS512","typ":"JWT"}"#,
            access().to_string(),
            &rsa_key,
            Algorithm::RS512,
        ),
        422,
        ALG,
    );
    t.bearer(
        "ALG-19",
        "RS256 header on the HS256 app",
        "RFC 8725 §3.1",
        Hs,
        &unsigned(r#"{"alg":"RS256","typ":"JWT"}"#, &payload, "c2ln"),
        422,
        ALG,
    );
    t.bearer(
        "ALG-20",
        "ES384 token (attacker's P-384 key) on the ES256 app",
        "RFC 8725 §3.1",
        Es,
        &sign(
            r#"{"alg":"ES384","typ":"JWT"}"#,
            access().to_string(),
            &EncodingKey::from_ec_pem(ATTACKER_EC384_PRIVATE.as_bytes()).expect("P-384 key"),
            Algorithm::ES384,
        ),
        422,
        ALG,
    );
    t.bearer(
        "ALG-21",
        "EdDSA header on the ES256 app",
        "RFC 8725 §3.1",
        Es,
        &unsigned(r#"{"alg":"EdDSA","typ":"JWT"}"#, &payload, "c2ln"),
        422,
        ALG,
    );
    t.bearer(
        "ALG-22",
        "no alg",
        "RFC 7515 §4.1.1",
        Hs,
        &hs(r#"{"typ":"JWT"}"#, access().to_string()),
        422,
        "Algorithm not specified",
    );
    for (index, alg) in [
        "null",
        "256",
        r#"["HS256"]"#,
        r#"{"name":"HS256"}"#,
        r#""""#,
    ]
    .into_iter()
    .enumerate()
    {
        t.bearer(
            &format!("ALG-{}", 23 + index),
            &format!("alg {alg}"),
            "RFC 7515 §4.1.1",
            Hs,
            &hs(
                &format!(r#"{{"alg":{alg},"typ":"JWT"}}"#),
                access().to_string(),
            ),
            422,
            ALG,
        );
    }
    t.bearer(
        "ALG-28",
        "alg dir with enc (a JWE header on a JWS)",
        "8725bis §3.3, CVE-2023-51774",
        Hs,
        &hs(r#"{"alg":"dir","enc":"A256GCM"}"#, access().to_string()),
        422,
        "Unsupported header parameter \"enc\"",
    );

    // ---- ECDSA ----------------------------------------------------------------------
    let es_payload = access().to_string();
    let es_header = r#"{"alg":"ES256","typ":"JWT"}"#;
    t.bearer(
        "ECD-01",
        "psychic signature: r = s = 0 (64 zero bytes)",
        "CVE-2022-21449, R19",
        Es,
        &unsigned(es_header, &es_payload, &b64([0u8; 64])),
        422,
        SIG,
    );
    t.bearer(
        "ECD-02",
        "psychic signature in DER: SEQUENCE { 0, 0 }",
        "CVE-2022-21449, R19",
        Es,
        &unsigned(
            es_header,
            &es_payload,
            &b64([0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]),
        ),
        422,
        SIG,
    );
    let mut n_n = P256_N.to_vec();
    n_n.extend_from_slice(&P256_N);
    t.bearer(
        "ECD-03",
        "r = s = n (out of range)",
        "RFC 7518 §3.4, Wycheproof",
        Es,
        &unsigned(es_header, &es_payload, &b64(&n_n)),
        422,
        SIG,
    );
    let es_good = token_for(Es, &access());
    let raw = signature_bytes(&es_good);
    let mut zero_r = vec![0u8; 32];
    zero_r.extend_from_slice(&raw[32..]);
    t.bearer(
        "ECD-04",
        "r = 0 with the real s",
        "RFC 7518 §3.4",
        Es,
        &with_signature(&es_good, &zero_r),
        422,
        SIG,
    );
    t.bearer(
        "ECD-05",
        "a valid signature DER-encoded instead of raw r‖s",
        "RFC 7518 §3.4, R19",
        Es,
        &with_signature(&es_good, &der_signature(&raw)),
        422,
        SIG,
    );
    t.bearer(
        "ECD-06",
        "signature one byte short (63 bytes)",
        "RFC 7518 §3.4",
        Es,
        &with_signature(&es_good, &raw[..63]),
        422,
        SIG,
    );
    let mut long = raw.clone();
    long.push(0);
    t.bearer(
        "ECD-07",
        "signature one byte long (65 bytes)",
        "RFC 7518 §3.4",
        Es,
        &with_signature(&es_good, &long),
        422,
        SIG,
    );
    t.bearer(
        "ECD-08",
        "ES256 signed with an attacker's P-256 key",
        "RFC 7515 §5.2",
        Es,
        &sign(
            es_header,
            access().to_string(),
            &EncodingKey::from_ec_pem(ATTACKER_EC256_PRIVATE.as_bytes()).expect("P-256 key"),
            Algorithm::ES256,
        ),
        422,
        SIG,
    );
    t.bearer(
        "ECD-09",
        "revoked ES256 token",
        "R20, R26",
        Es,
        &prepared.revoked_es,
        401,
        REVOKED,
    );
    t.bearer(
        "ECD-10",
        "malleated twin (s' = n − s) of the revoked token: still revoked (jti)",
        "OWASP JWT CS denylist, ECDSA malleability, docs/security.md T09, R20",
        Es,
        &ecdsa_twin(&prepared.revoked_es),
        401,
        REVOKED,
    );
    t.bearer(
        "ECD-11",
        "ES256 token without jti while a blocklist store is on",
        "R26, docs/security.md T10",
        Es,
        &token_for(Es, &without(access(), "jti")),
        422,
        "Missing claim: jti",
    );

    // ---- claims ---------------------------------------------------------------------
    // `exp` values written verbatim into the claims text.
    let soon = now() + 600;
    let exp_cases: [(&str, &str, String, &str); 12] = [
        (
            "CLM-01",
            "exp as a numeric string",
            format!("\"{soon}\""),
            "docs/security.md B02",
        ),
        (
            "CLM-02",
            "exp = 2^64",
            "18446744073709551616".to_owned(),
            "docs/security.md B06",
        ),
        ("CLM-03", "exp negative", "-1".to_owned(), "R10"),
        ("CLM-04", "exp boolean", "true".to_owned(), "CVE-2026-25537"),
        ("CLM-05", "exp null", "null".to_owned(), "CVE-2026-25537"),
        ("CLM-06", "exp 1e300", "1e300".to_owned(), "R10"),
        (
            "CLM-07",
            "exp one past 9999-12-31T23:59:59Z",
            "253402300800".to_owned(),
            "R10",
        ),
        ("CLM-08", "exp as an array", format!("[{soon}]"), "R10"),
        (
            "CLM-09",
            "exp as an object",
            format!(r#"{{"t":{soon}}}"#),
            "R10",
        ),
        ("CLM-10", "exp -0.5", "-0.5".to_owned(), "R10"),
        ("CLM-11", "exp i64::MIN", i64::MIN.to_string(), "R10"),
        (
            "CLM-35",
            "exp 2^53 + 1",
            "9007199254740993".to_owned(),
            "R10",
        ),
    ];
    for (id, what, value, source) in exp_cases {
        let text = append(
            &without(access(), "exp").to_string(),
            &format!(r#""exp":{value}"#),
        );
        t.bearer(id, what, source, Hs, &hs(HS256, &text), 422, EXP_TYPE);
    }
    t.bearer(
        "CLM-12",
        "exp in the past",
        "RFC 7519 §4.1.4",
        Hs,
        &hs_token(&with(access(), "exp", json!(now() - 1))),
        401,
        EXPIRED,
    );
    t.bearer(
        "CLM-13",
        "exp = 0",
        "RFC 7519 §4.1.4 (0 is a time in the past, not a missing exp)",
        Hs,
        &hs_token(&with(access(), "exp", json!(0))),
        401,
        EXPIRED,
    );
    t.bearer(
        "CLM-14",
        "exp missing while access tokens expire",
        "docs/security.md B08, R10",
        Hs,
        &hs_token(&without(access(), "exp")),
        422,
        "Token is missing the \"exp\" claim",
    );
    t.bearer(
        "CLM-15",
        "nbf in the future",
        "RFC 7519 §4.1.5, R11",
        Hs,
        &hs_token(&with(access(), "nbf", json!(now() + 600))),
        422,
        "The token is not yet valid (nbf)",
    );
    t.bearer(
        "CLM-16",
        "nbf as a string",
        "R11",
        Hs,
        &hs_token(&with(access(), "nbf", json!("0"))),
        422,
        NBF_TYPE,
    );
    t.bearer(
        "CLM-17",
        "nbf negative",
        "R11",
        Hs,
        &hs_token(&with(access(), "nbf", json!(-100))),
        422,
        NBF_TYPE,
    );
    t.bearer(
        "CLM-18",
        "iat in the future",
        "RFC 7519 §4.1.6, R12",
        Hs,
        &hs_token(&with(access(), "iat", json!(now() + 600))),
        422,
        "The token is not yet valid (iat)",
    );
    t.bearer(
        "CLM-19",
        "iat as a string",
        "R12",
        Hs,
        &hs_token(&with(access(), "iat", json!("now"))),
        422,
        IAT_TYPE,
    );
    t.bearer(
        "CLM-20",
        "iat boolean",
        "R12",
        Hs,
        &hs_token(&with(access(), "iat", json!(false))),
        422,
        IAT_TYPE,
    );
    t.bearer(
        "CLM-21",
        "nbf in the future and exp in the past: nbf wins (PyJWT order)",
        "flask-jwt-extended's order of checks",
        Hs,
        &hs_token(&with(
            with(access(), "nbf", json!(now() + 600)),
            "exp",
            json!(now() - 600),
        )),
        422,
        "The token is not yet valid (nbf)",
    );
    t.bearer(
        "CLM-22",
        "no identity claim",
        "R15",
        Hs,
        &hs_token(&without(access(), "sub")),
        422,
        "Missing claim: sub",
    );
    for (index, sub) in [
        json!(1),
        json!(null),
        json!(true),
        json!(["alice"]),
        json!({"id": "alice"}),
    ]
    .into_iter()
    .enumerate()
    {
        t.bearer(
            &format!("CLM-{}", 23 + index),
            &format!("sub {sub}"),
            "R15, RFC 7519 §4.1.2",
            Hs,
            &hs_token(&with(access(), "sub", sub)),
            422,
            "Subject must be a string",
        );
    }
    for (index, value) in [json!(1234), json!(null), json!(["a"]), json!({"a": 1})]
        .into_iter()
        .enumerate()
    {
        t.bearer(
            &format!("CLM-{}", 28 + index),
            &format!("jti {value}"),
            "RFC 7519 §4.1.7",
            Hs,
            &hs_token(&with(access(), "jti", value)),
            422,
            "JWT ID must be a string",
        );
    }
    t.bearer(
        "CLM-32",
        "aud present while no audience is configured",
        "RFC 7519 §4.1.3, docs/security.md B20",
        Hs,
        &hs_token(&with(access(), "aud", json!("api"))),
        422,
        "Invalid audience",
    );
    t.bearer(
        "CLM-33",
        "aud list present while no audience is configured",
        "RFC 7519 §4.1.3",
        Hs,
        &hs_token(&with(access(), "aud", json!(["api", "other"]))),
        422,
        "Invalid audience",
    );
    t.bearer(
        "CLM-34",
        "token without jti while a blocklist store is on",
        "R26, docs/security.md T10",
        Hs,
        &hs_token(&without(access(), "jti")),
        422,
        "Missing claim: jti",
    );

    // ---- audience and issuer --------------------------------------------------------
    let aud_cases: [(&str, &str, Value, &str, &str); 8] = [
        (
            "AUD-01",
            "aud missing",
            Value::Null,
            "Token is missing the \"aud\" claim",
            "R13",
        ),
        (
            "AUD-02",
            "aud in other case (API)",
            json!("API"),
            "Audience doesn't match",
            "RFC 7519 §4.1.3",
        ),
        (
            "AUD-03",
            "aud superstring (api2)",
            json!("api2"),
            "Audience doesn't match",
            "RFC 8725 §3.9",
        ),
        (
            "AUD-04",
            "aud prefix (ap)",
            json!("ap"),
            "Audience doesn't match",
            "RFC 8725 §3.9",
        ),
        (
            "AUD-05",
            "aud list of numbers",
            json!([1]),
            "Invalid claim format in token",
            "RFC 7519 §4.1.3",
        ),
        (
            "AUD-06",
            "aud object",
            json!({"api": true}),
            "Invalid claim format in token",
            "RFC 7519 §4.1.3",
        ),
        (
            "AUD-07",
            "aud empty string",
            json!(""),
            "Token is missing the \"aud\" claim",
            "R13",
        ),
        (
            "AUD-08",
            "aud list with the audience inside a longer string",
            json!(["api,other"]),
            "Audience doesn't match",
            "RFC 8725 §3.9",
        ),
    ];
    for (id, what, aud, message, source) in aud_cases {
        let claims = if aud.is_null() {
            without(aud_claims.clone(), "aud")
        } else {
            with(aud_claims.clone(), "aud", aud)
        };
        let claims = with(claims, "jti", json!(jti()));
        t.bearer(id, what, source, Aud, &hs_token(&claims), 422, message);
    }
    let iss_cases: [(&str, &str, Value, &str, &str); 7] = [
        (
            "ISS-01",
            "iss missing",
            Value::Null,
            "Token is missing the \"iss\" claim",
            "R14",
        ),
        (
            "ISS-02",
            "iss superstring (issuer-a-evil)",
            json!("issuer-a-evil"),
            "Invalid issuer",
            "CVE-2024-53861",
        ),
        (
            "ISS-03",
            "iss prefix (issuer)",
            json!("issuer"),
            "Invalid issuer",
            "CVE-2024-53861",
        ),
        (
            "ISS-04",
            "iss substring (suer-a)",
            json!("suer-a"),
            "Invalid issuer",
            "CVE-2024-53861",
        ),
        (
            "ISS-05",
            "iss in other case",
            json!("ISSUER-A"),
            "Invalid issuer",
            "RFC 7519 §4.1.1",
        ),
        (
            "ISS-06",
            "iss as a list",
            json!(["issuer-a"]),
            "Invalid issuer",
            "RFC 7519 §4.1.1",
        ),
        (
            "ISS-07",
            "iss as a number",
            json!(1),
            "Invalid issuer",
            "RFC 7519 §4.1.1",
        ),
    ];
    for (id, what, iss, message, source) in iss_cases {
        let claims = if iss.is_null() {
            without(aud_claims.clone(), "iss")
        } else {
            with(aud_claims.clone(), "iss", iss)
        };
        let claims = with(claims, "jti", json!(jti()));
        t.bearer(id, what, source, Aud, &hs_token(&claims), 422, message);
    }
    let dup_aud = append(
        &without(aud_claims.clone(), "aud").to_string(),
        r#""aud":"evil","aud":"api""#,
    );
    t.bearer(
        "AUD-09",
        "duplicate aud members (evil, then api)",
        "RFC 7519 §4, docs/security.md A38",
        Aud,
        &hs(HS256, &dup_aud),
        422,
        duplicate("payload", "aud", &dup_aud, r#""aud":"api""#),
    );

    // ---- structure ------------------------------------------------------------------
    let good = hs_token(&access());
    let (input, signature) = split(&good);
    let (header_segment, payload_segment) = input.split_once('.').expect("header.payload");
    t.bearer(
        "STR-01",
        "one segment",
        "RFC 7519 §7.2, R06",
        Hs,
        header_segment,
        422,
        SEGMENTS,
    );
    t.bearer(
        "STR-02",
        "two segments",
        "RFC 7519 §7.2, R06",
        Hs,
        input,
        422,
        SEGMENTS,
    );
    t.bearer(
        "STR-03",
        "four segments",
        "RFC 7519 §7.2, R06",
        Hs,
        &format!("{good}.{signature}"),
        422,
        PAYLOAD_PADDING,
    );
    t.bearer(
        "STR-04",
        "five segments (JWE compact)",
        "8725bis §3.3, CVE-2023-51774, R06",
        Hs,
        &format!(
            "{}.{}.{}.{}.{}",
            b64(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#),
            b64("encrypted key"),
            b64("iv"),
            b64("ciphertext"),
            b64("tag")
        ),
        422,
        PAYLOAD_PADDING,
    );
    t.bearer(
        "STR-05",
        "only dots",
        "RFC 7519 §7.2",
        Hs,
        "..",
        422,
        "Invalid header string: Expecting value: line 1 column 1 (char 0)",
    );
    t.bearer(
        "STR-06",
        "8000 dots (CVE-2025-30204 class, under the size limit)",
        "CVE-2025-30204, CVE-2025-27144, R23",
        Hs,
        &".".repeat(8000),
        422,
        "Invalid header string: Expecting value: line 1 column 1 (char 0)",
    );
    let padded_header = format!(
        "{}.{payload_segment}",
        URL_SAFE.encode(r#"{"alg":"HS256","typ":"JWT"} "#)
    );
    assert!(padded_header.contains('='), "{padded_header}");
    t.bearer(
        "STR-07",
        "header with '=' padding (validly signed)",
        "RFC 7515 §2, R07",
        Hs,
        &sign_input(&padded_header, &hmac(SECRET.as_bytes()), Algorithm::HS256),
        422,
        HEADER_PADDING,
    );
    let padded_payload = format!(
        "{header_segment}.{}",
        URL_SAFE.encode(format!("{} ", access()))
    );
    let padded_payload = if padded_payload.ends_with('=') {
        padded_payload
    } else {
        format!(
            "{header_segment}.{}",
            URL_SAFE.encode(format!("{}  ", access()))
        )
    };
    assert!(padded_payload.ends_with('='), "{padded_payload}");
    t.bearer(
        "STR-08",
        "payload with '=' padding (validly signed)",
        "RFC 7515 §2, R07",
        Hs,
        &sign_input(&padded_payload, &hmac(SECRET.as_bytes()), Algorithm::HS256),
        422,
        PAYLOAD_PADDING,
    );
    // `?????` holds an aligned `???`, which standard base64 writes as `Pz8/`.
    let slash_header = STANDARD_NO_PAD.encode(r#"{"alg":"HS256","kid":"?????","typ":"JWT"}"#);
    assert!(slash_header.contains('/'), "{slash_header}");
    t.bearer(
        "STR-09",
        "header in standard base64 ('/' character, validly signed)",
        "RFC 7515 §2, 8725bis §3.14, R07",
        Hs,
        &sign_input(
            &format!("{slash_header}.{payload_segment}"),
            &hmac(SECRET.as_bytes()),
            Algorithm::HS256,
        ),
        422,
        HEADER_PADDING,
    );
    let plus_payload = STANDARD_NO_PAD.encode(with(access(), "note", json!("~~~~~")).to_string());
    assert!(plus_payload.contains('+'), "{plus_payload}");
    t.bearer(
        "STR-10",
        "payload in standard base64 ('+' character, validly signed)",
        "RFC 7515 §2, 8725bis §3.14, R07",
        Hs,
        &sign_input(
            &format!("{header_segment}.{plus_payload}"),
            &hmac(SECRET.as_bytes()),
            Algorithm::HS256,
        ),
        422,
        PAYLOAD_PADDING,
    );
    // Non-canonical trailing bits need a segment length that is not a multiple of 4.
    let odd_header = b64(r#"{"alg":"HS256","typ":"JWT","x":12}"#);
    assert!(!odd_header.len().is_multiple_of(4), "{odd_header}");
    t.bearer(
        "STR-11",
        "header with non-canonical trailing bits (validly signed)",
        "RFC 7515 App. C, R07",
        Hs,
        &sign_input(
            &format!("{}.{payload_segment}", non_canonical(&odd_header)),
            &hmac(SECRET.as_bytes()),
            Algorithm::HS256,
        ),
        422,
        HEADER_PADDING,
    );
    let mut odd_claims = access();
    let mut pad = String::new();
    while b64(odd_claims.to_string()).len().is_multiple_of(4) {
        pad.push('x');
        odd_claims = with(odd_claims, "pad", json!(pad));
    }
    t.bearer(
        "STR-12",
        "payload with non-canonical trailing bits (validly signed)",
        "RFC 7515 App. C, R07",
        Hs,
        &sign_input(
            &format!(
                "{header_segment}.{}",
                non_canonical(&b64(odd_claims.to_string()))
            ),
            &hmac(SECRET.as_bytes()),
            Algorithm::HS256,
        ),
        422,
        PAYLOAD_PADDING,
    );
    t.row(
        "STR-13",
        "space inside the header segment (JSON body location)",
        "RFC 7515 §2, R07",
        Hs,
        Req::post("/protected").json(&json!({
            "access_token": format!("{} {}", &header_segment[..10], &good[10..])
        })),
        422,
        HEADER_PADDING,
    );
    t.row(
        "STR-14",
        "line break inside the payload segment (JSON body location)",
        "RFC 7515 §2, R07",
        Hs,
        Req::post("/protected").json(&json!({
            "access_token": format!(
                "{header_segment}.{}\n{}.{signature}",
                &payload_segment[..8],
                &payload_segment[8..]
            )
        })),
        422,
        PAYLOAD_PADDING,
    );
    let utf16: Vec<u8> = access()
        .to_string()
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    t.bearer(
        "STR-15",
        "claims in UTF-16LE (validly signed)",
        "RFC 8725 §3.7, docs/security.md B17",
        Hs,
        &hs(HS256, &utf16),
        422,
        "Invalid payload string: key must be a string: line 1 column 2",
    );
    let mut bom = vec![0xFF, 0xFE];
    bom.extend(&utf16);
    t.bearer(
        "STR-16",
        "claims in UTF-16LE with a byte-order mark (validly signed)",
        "RFC 8725 §3.7",
        Hs,
        &hs(HS256, &bom),
        422,
        "Invalid payload string: Expecting value: line 1 column 1 (char 0)",
    );
    let header16: Vec<u8> = HS256.encode_utf16().flat_map(u16::to_be_bytes).collect();
    t.bearer(
        "STR-17",
        "header in UTF-16BE",
        "RFC 8725 §3.7",
        Hs,
        &sign_input(
            &format!("{}.{payload_segment}", b64(&header16)),
            &hmac(SECRET.as_bytes()),
            Algorithm::HS256,
        ),
        422,
        "Invalid header string: Expecting value: line 1 column 1 (char 0)",
    );
    let mut invalid_utf8 = access().to_string().into_bytes();
    let at = invalid_utf8
        .windows(ALICE.len())
        .position(|window| window == ALICE.as_bytes())
        .expect("sub value");
    invalid_utf8[at] = 0xFF;
    let column = at + 1;
    t.bearer(
        "STR-18",
        "invalid UTF-8 inside the sub string (validly signed)",
        "RFC 8725 §3.7",
        Hs,
        &hs(HS256, &invalid_utf8),
        422,
        format!("Invalid payload string: invalid unicode code point: line 1 column {column}"),
    );
    let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
    utf8_bom.extend(access().to_string().into_bytes());
    t.bearer(
        "STR-19",
        "claims with a UTF-8 byte-order mark (validly signed)",
        "RFC 8259 §8.1",
        Hs,
        &hs(HS256, &utf8_bom),
        422,
        "Invalid payload string: Expecting value: line 1 column 1 (char 0)",
    );
    for (index, text) in ["[]", r#""alice""#, "123", "null", "true"]
        .into_iter()
        .enumerate()
    {
        t.bearer(
            &format!("STR-{}", 20 + index),
            &format!("claims are JSON {text}, not an object"),
            "RFC 7519 §7.2, R08",
            Hs,
            &hs(HS256, text),
            422,
            NOT_OBJECT_PAYLOAD,
        );
    }
    t.bearer(
        "STR-25",
        "header is a JSON array",
        "RFC 7515 §4, R08",
        Hs,
        &hs(r#"["HS256"]"#, access().to_string()),
        422,
        NOT_OBJECT_HEADER,
    );
    // serde_json stops at 128 levels, the enclosing object included: at the 127th `[`.
    let deep_claims = append(&access().to_string(), &format!(r#""deep":{}"#, nested(200)));
    t.bearer(
        "STR-26",
        "claims nested 200 levels deep",
        "CVE-2025-53864, R23",
        Hs,
        &hs(HS256, &deep_claims),
        422,
        format!(
            "Invalid payload string: recursion limit exceeded: line 1 column {}",
            deep_claims.find('[').expect("array") + 127
        ),
    );
    let deep_header = format!(r#"{{"alg":"HS256","x":{}}}"#, nested(200));
    t.bearer(
        "STR-27",
        "header nested 200 levels deep",
        "CVE-2025-53864, R23",
        Hs,
        &hs(&deep_header, access().to_string()),
        422,
        format!(
            "Invalid header string: recursion limit exceeded: line 1 column {}",
            deep_header.find('[').expect("array") + 127
        ),
    );
    let none_then_hs = r#"{"alg":"none","alg":"HS256"}"#;
    t.bearer(
        "STR-28",
        r#"duplicate header alg: {"alg":"none","alg":"HS256"}"#,
        "RFC 7515 §4, docs/security.md A34",
        Hs,
        &hs(none_then_hs, access().to_string()),
        422,
        duplicate("header", "alg", none_then_hs, r#""alg":"HS256""#),
    );
    let hs_then_none = r#"{"alg":"HS256","alg":"none"}"#;
    t.bearer(
        "STR-29",
        r#"duplicate header alg: {"alg":"HS256","alg":"none"}"#,
        "RFC 7515 §4",
        Hs,
        &hs(hs_then_none, access().to_string()),
        422,
        duplicate("header", "alg", hs_then_none, r#""alg":"none""#),
    );
    let dup_kid = r#"{"alg":"HS256","kid":"a","kid":"b"}"#;
    t.bearer(
        "STR-30",
        "duplicate header kid",
        "RFC 7515 §4",
        Hs,
        &hs(dup_kid, access().to_string()),
        422,
        duplicate("header", "kid", dup_kid, r#""kid":"b""#),
    );
    let dup_sub = append(&access().to_string(), r#""sub":"admin""#);
    t.bearer(
        "STR-31",
        "duplicate sub (alice, then admin)",
        "RFC 7519 §4, docs/security.md B30",
        Hs,
        &hs(HS256, &dup_sub),
        422,
        duplicate("payload", "sub", &dup_sub, r#""sub":"admin""#),
    );
    let dup_exp = append(
        &access().to_string(),
        &format!(r#""exp":{}"#, now() + 86_400_000),
    );
    t.bearer(
        "STR-32",
        "duplicate exp (a later expiry appended)",
        "RFC 7519 §4, docs/security.md B28",
        Hs,
        &hs(HS256, &dup_exp),
        422,
        duplicate(
            "payload",
            "exp",
            &dup_exp,
            &format!(r#""exp":{}"#, now() + 86_400_000),
        ),
    );
    let dup_type = append(
        &without(access(), "type").to_string(),
        r#""type":"refresh","type":"access""#,
    );
    t.bearer(
        "STR-33",
        "duplicate type (refresh, then access)",
        "RFC 7519 §4, RFC 8725 §3.12",
        Hs,
        &hs(HS256, &dup_type),
        422,
        duplicate("payload", "type", &dup_type, r#""type":"access""#),
    );
    let dup_nested = append(
        &access().to_string(),
        r#""roles":{"admin":false,"admin":true}"#,
    );
    t.bearer(
        "STR-34",
        "duplicate member in a nested custom claim",
        "RFC 8259 §4, docs/security.md B31",
        Hs,
        &hs(HS256, &dup_nested),
        422,
        duplicate_at_name("payload", "admin", &dup_nested, r#""admin":true"#),
    );
    let trailing = format!("{} x", access());
    t.bearer(
        "STR-35",
        "characters after the claims object",
        "RFC 8259 §2",
        Hs,
        &hs(HS256, &trailing),
        422,
        format!(
            "Invalid payload string: trailing characters: line 1 column {}",
            trailing.len()
        ),
    );
    // Found by the `decode_token` fuzz target: skipping a custom claim must refuse what
    // reading it would, or the token verifies while its claims cannot be read.
    let out_of_range = append(&access().to_string(), r#""ziat":1E822446869"#);
    t.bearer(
        "STR-37",
        "custom claim a number out of range (1E822446869)",
        "RFC 8259 §6, docs/security.md R08",
        Hs,
        &hs(HS256, &out_of_range),
        422,
        format!(
            "Invalid payload string: number out of range: line 1 column {}",
            out_of_range.len() - 1
        ),
    );
    let nested_out_of_range = append(&access().to_string(), r#""limits":[1,-2E999]"#);
    t.bearer(
        "STR-38",
        "number out of range inside a custom claim's array",
        "RFC 8259 §6, docs/security.md R08",
        Hs,
        &hs(HS256, &nested_out_of_range),
        422,
        format!(
            "Invalid payload string: number out of range: line 1 column {}",
            nested_out_of_range.len() - 2
        ),
    );
    let json_serialization = json!({
        "payload": payload_segment,
        "protected": header_segment,
        "signature": signature,
    })
    .to_string();
    t.row(
        "STR-36",
        "JWS JSON serialization instead of compact (JSON body location)",
        "CVE-2022-39227, R06",
        Hs,
        Req::post("/protected").json(&json!({ "access_token": json_serialization })),
        422,
        SEGMENTS,
    );

    // ---- headers --------------------------------------------------------------------
    let kid_attacks: [(&str, &str, &str, &[u8]); 5] = [
        (
            "HDR-01",
            "kid path traversal to /dev/null, signed with an empty key",
            "../../../../../../dev/null",
            b"",
        ),
        (
            "HDR-02",
            "kid SQL injection selecting a known key",
            "x' UNION SELECT 'attacker-key' -- ",
            b"attacker-key",
        ),
        (
            "HDR-03",
            "kid command injection",
            "key.pem; curl http://127.0.0.1/ | sh",
            b"attacker-key",
        ),
        (
            "HDR-04",
            "kid with a NUL byte",
            "key\u{0}.pem",
            b"attacker-key",
        ),
        (
            "HDR-05",
            "kid as a URL to the loopback listener",
            listener,
            b"attacker-key",
        ),
    ];
    for (id, what, kid, secret) in kid_attacks {
        let header = json!({"alg": "HS256", "kid": kid, "typ": "JWT"}).to_string();
        t.bearer(
            id,
            what,
            "8725bis §3.10, WSTG kid, R05",
            Hs,
            &sign(
                &header,
                access().to_string(),
                &hmac(secret),
                Algorithm::HS256,
            ),
            422,
            SIG,
        );
    }
    for (index, kid) in [
        json!(123),
        json!(null),
        json!(true),
        json!(["k"]),
        json!({"k": 1}),
    ]
    .into_iter()
    .enumerate()
    {
        let header = json!({"alg": "HS256", "kid": kid, "typ": "JWT"}).to_string();
        t.bearer(
            &format!("HDR-{:02}", 6 + index),
            &format!("kid {kid} (validly signed)"),
            "RFC 7515 §4.1.4",
            Hs,
            &hs(&header, access().to_string()),
            422,
            KID_TYPE,
        );
    }
    let attacker_rsa = EncodingKey::from_rsa_pem(ATTACKER_RSA_PRIVATE.as_bytes()).expect("RSA key");
    let url_headers: [(&str, &str, String); 4] = [
        (
            "HDR-11",
            "jku to the loopback listener, signed with the attacker's key",
            json!({"alg": "RS256", "jku": format!("{listener}/jwks.json"), "typ": "JWT"})
                .to_string(),
        ),
        (
            "HDR-12",
            "x5u to the loopback listener, signed with the attacker's key",
            json!({"alg": "RS256", "x5u": format!("{listener}/cert.pem"), "typ": "JWT"})
                .to_string(),
        ),
        (
            "HDR-13",
            "embedded jwk (attacker's key), signed with the attacker's key",
            json!({"alg": "RS256", "jwk": {"kty": "RSA", "e": "AQAB", "n": b64([0xC3u8; 256])}, "typ": "JWT"})
                .to_string(),
        ),
        (
            "HDR-14",
            "embedded x5c chain, signed with the attacker's key",
            json!({"alg": "RS256", "x5c": [b64([0x30u8; 64])], "typ": "JWT"}).to_string(),
        ),
    ];
    for (id, what, header) in url_headers {
        t.bearer(
            id,
            what,
            "8725bis §3.10, CVE-2018-0114, R05",
            Rs,
            &sign(
                &header,
                access().to_string(),
                &attacker_rsa,
                Algorithm::RS256,
            ),
            422,
            SIG,
        );
    }
    let oct_jwk = json!({
        "alg": "HS256",
        "jwk": {"kty": "oct", "k": b64("attacker-key")},
        "jku": format!("{listener}/oct.json"),
        "typ": "JWT",
    })
    .to_string();
    t.bearer(
        "HDR-15",
        "embedded oct jwk and jku, HS256 signed with that key",
        "CVE-2018-0114, R05",
        Hs,
        &sign(
            &oct_jwk,
            access().to_string(),
            &hmac(b"attacker-key"),
            Algorithm::HS256,
        ),
        422,
        SIG,
    );
    let crit_cases: [(&str, &str, &str, &str); 6] = [
        (
            "HDR-16",
            "crit naming an unknown extension",
            r#"{"alg":"HS256","crit":["x-custom"],"x-custom":1,"typ":"JWT"}"#,
            "Unsupported critical header parameter \"x-custom\"",
        ),
        (
            "HDR-17",
            "crit naming a registered claim (exp)",
            r#"{"alg":"HS256","crit":["exp"],"typ":"JWT"}"#,
            "Unsupported critical header parameter \"exp\"",
        ),
        (
            "HDR-18",
            "crit empty list",
            r#"{"alg":"HS256","crit":[],"typ":"JWT"}"#,
            "Invalid \"crit\" header parameter",
        ),
        (
            "HDR-19",
            "crit [\"b64\"] with b64 false (RFC 7797 unencoded payload)",
            r#"{"alg":"HS256","b64":false,"crit":["b64"],"typ":"JWT"}"#,
            "Unsupported critical header parameter \"b64\"",
        ),
        (
            "HDR-20",
            "crit as a string",
            r#"{"alg":"HS256","crit":"x-custom","typ":"JWT"}"#,
            "Invalid \"crit\" header parameter",
        ),
        (
            "HDR-21",
            "crit list of a number",
            r#"{"alg":"HS256","crit":[1],"typ":"JWT"}"#,
            "Invalid \"crit\" header parameter",
        ),
    ];
    for (id, what, header, message) in crit_cases {
        t.bearer(
            id,
            what,
            "RFC 7515 §4.1.11, CVE-2025-59420, CVE-2026-32597, R09",
            Hs,
            &hs(header, access().to_string()),
            422,
            message,
        );
    }
    let refused: [(&str, &str, &str); 10] = [
        ("enc", r#""A256GCM""#, "RFC 7516 §4.1.2, 8725bis §3.3"),
        ("zip", r#""DEF""#, "8725bis §3.15, CVE-2024-33664"),
        ("epk", r#"{"kty":"EC"}"#, "RFC 7518 §4.6.1.1"),
        ("apu", r#""QWxpY2U""#, "RFC 7518 §4.6.1.2"),
        ("apv", r#""Qm9i""#, "RFC 7518 §4.6.1.3"),
        ("iv", r#""AAAAAAAAAAAAAAAA""#, "RFC 7518 §4.7.1.1"),
        ("tag", r#""AAAAAAAAAAAAAAAAAAAAAA""#, "RFC 7518 §4.7.1.2"),
        ("p2s", r#""c2FsdA""#, "RFC 7518 §4.8.1.1"),
        ("p2c", "2000000000", "8725bis §3.13, CVE-2023-52428"),
        ("b64", "false", "RFC 7797 §3"),
    ];
    for (index, (name, value, source)) in refused.into_iter().enumerate() {
        let header = format!(r#"{{"alg":"HS256","{name}":{value},"typ":"JWT"}}"#);
        t.bearer(
            &format!("HDR-{}", 22 + index),
            &format!("{name} header parameter (validly signed)"),
            source,
            Hs,
            &hs(&header, access().to_string()),
            422,
            format!("Unsupported header parameter \"{name}\""),
        );
    }
    t.bearer(
        "HDR-32",
        "crit with alg none: crit is refused first",
        "RFC 7515 §4.1.11",
        Hs,
        &unsigned(r#"{"alg":"none","crit":["x"]}"#, &payload, ""),
        422,
        "Unsupported critical header parameter \"x\"",
    );

    // ---- token type confusion -------------------------------------------------------
    let refresh_token = hs_token(&claims("refresh"));
    t.bearer(
        "TYP-01",
        "refresh token on an access route",
        "RFC 8725 §3.12, R16",
        Hs,
        &refresh_token,
        422,
        NOT_REFRESH,
    );
    t.row(
        "TYP-02",
        "access token on a refresh route",
        "RFC 8725 §3.12, R16",
        Hs,
        Req::get("/refresh").bearer(&hs_token(&access())),
        422,
        ONLY_REFRESH,
    );
    t.bearer(
        "TYP-03",
        "no type claim",
        "RFC 8725 §3.12, docs/security.md T03",
        Hs,
        &hs_token(&without(access(), "type")),
        422,
        "Missing claim: type",
    );
    t.row(
        "TYP-04",
        "no type claim on a refresh route",
        "RFC 8725 §3.12, docs/security.md T03",
        Hs,
        Req::get("/refresh").bearer(&hs_token(&without(claims("refresh"), "type"))),
        422,
        "Missing claim: type",
    );
    for (index, kind) in [
        json!("admin"),
        json!("Access"),
        json!("refresh "),
        json!(["access"]),
        json!(null),
        json!(1),
    ]
    .into_iter()
    .enumerate()
    {
        t.bearer(
            &format!("TYP-{:02}", 5 + index),
            &format!("type {kind}"),
            "RFC 8725 §3.12, docs/security.md T04",
            Hs,
            &hs_token(&with(access(), "type", kind)),
            422,
            TYPE_INVALID,
        );
    }
    t.row(
        "TYP-11",
        "refresh token on a fresh route (type is checked before freshness)",
        "flask-jwt-extended's order of checks",
        Hs,
        Req::get("/fresh").bearer(&hs_token(&with(claims("refresh"), "fresh", json!(true)))),
        422,
        NOT_REFRESH,
    );
    t.row(
        "TYP-12",
        "refresh token in the access cookie on a POST with its CSRF value",
        "RFC 8725 §3.12",
        Hs,
        Req::post("/protected")
            .access_cookie(&refresh_token)
            .csrf(CSRF),
        422,
        NOT_REFRESH,
    );
    t.row(
        "TYP-13",
        "access token in the refresh cookie on a refresh route",
        "RFC 8725 §3.12",
        Hs,
        Req::get("/refresh").cookies(&[("refresh_token_cookie", &hs_token(&access()))]),
        422,
        ONLY_REFRESH,
    );
    t.row(
        "TYP-14",
        "refresh token under the access_token key of a JSON body",
        "RFC 8725 §3.12",
        Hs,
        Req::post("/protected").json(&json!({ "access_token": refresh_token })),
        422,
        NOT_REFRESH,
    );

    // ---- freshness ------------------------------------------------------------------
    let fresh_cases: [(&str, &str, Option<Value>); 9] = [
        ("FRS-01", "fresh false", Some(json!(false))),
        ("FRS-02", "fresh missing", None),
        (
            "FRS-03",
            "fresh timestamp in the past",
            Some(json!(now() as f64 - 1.0)),
        ),
        (
            "FRS-04",
            "fresh \"true\" (a 500 in flask)",
            Some(json!("true")),
        ),
        ("FRS-05", "fresh 0", Some(json!(0))),
        ("FRS-06", "fresh null", Some(json!(null))),
        ("FRS-07", "fresh [true]", Some(json!([true]))),
        ("FRS-08", "fresh {\"v\": true}", Some(json!({"v": true}))),
        (
            "FRS-09",
            "fresh as a numeric string in the future",
            Some(json!((now() + 600).to_string())),
        ),
    ];
    for (id, what, value) in fresh_cases {
        // A flag or a number is compared (stale: 401); any other type is refused as
        // invalid (R27: 422), on every route.
        let invalid = value
            .as_ref()
            .is_some_and(|value| !value.is_boolean() && !value.is_number());
        let claims = match value {
            Some(value) => with(access(), "fresh", value),
            None => without(access(), "fresh"),
        };
        let (status, message) = if invalid {
            (422, "Invalid claim: fresh must be a boolean or a number")
        } else {
            (401, FRESH)
        };
        t.row(
            id,
            what,
            "ASVS 7.5.1, R27, docs/security.md T07",
            Hs,
            Req::get("/fresh").bearer(&hs_token(&claims)),
            status,
            message,
        );
    }

    // ---- revocation -----------------------------------------------------------------
    for location in Location::ALL {
        t.row(
            &format!("REV-{}", location.as_str()),
            &format!("revoked access token in {}", location.as_str()),
            "R20, R26",
            Hs,
            in_location(location, "/protected", &prepared.revoked_access),
            401,
            REVOKED,
        );
    }
    t.row(
        "REV-fresh",
        "revoked fresh token on a fresh route",
        "R26",
        Hs,
        Req::get("/fresh").bearer(&prepared.revoked_fresh),
        401,
        REVOKED,
    );
    t.row(
        "REV-refresh",
        "revoked refresh token on a refresh route",
        "R26",
        Hs,
        Req::get("/refresh").bearer(&prepared.revoked_refresh),
        401,
        REVOKED,
    );
    t.row(
        "REV-refresh-cookie",
        "revoked refresh token in the refresh cookie",
        "R26",
        Hs,
        Req::get("/refresh").cookies(&[("refresh_token_cookie", &prepared.revoked_refresh)]),
        401,
        REVOKED,
    );
    let (revoked_input, _) = split(&prepared.revoked_access);
    let (revoked_header, revoked_payload) = revoked_input.split_once('.').expect("header.payload");
    let respaced = URL_SAFE_NO_PAD
        .decode(revoked_payload)
        .map(|bytes| format!("{} ", String::from_utf8_lossy(&bytes)))
        .expect("payload");
    t.bearer(
        "REV-resigned",
        "revoked token re-encoded (a space added) with its old signature",
        "R20",
        Hs,
        &format!(
            "{revoked_header}.{}.{}",
            b64(respaced),
            split(&prepared.revoked_access).1
        ),
        422,
        SIG,
    );

    // ---- cookies and CSRF -----------------------------------------------------------
    let cookie_token = hs_token(&access());
    t.row(
        "CSRF-01",
        "cookie POST without a CSRF header",
        "OWASP CSRF CS, R25",
        Hs,
        Req::post("/protected").access_cookie(&cookie_token),
        401,
        CSRF_MISSING,
    );
    t.row(
        "CSRF-02",
        "cookie POST with a wrong CSRF header",
        "R25",
        Hs,
        Req::post("/protected")
            .access_cookie(&cookie_token)
            .csrf("not-the-token-csrf"),
        401,
        CSRF_MISMATCH,
    );
    t.row(
        "CSRF-03",
        "planted CSRF cookie + matching header, token's signed csrf differs",
        "OWASP signed double submit, docs/security.md L10, R25",
        Hs,
        Req::post("/protected")
            .cookies(&[
                ("access_token_cookie", &cookie_token),
                ("csrf_access_token", "planted-by-attacker"),
            ])
            .csrf("planted-by-attacker"),
        401,
        CSRF_MISMATCH,
    );
    t.row(
        "CSRF-04",
        "CSRF value in a query parameter only",
        "R25",
        Hs,
        Req::post(&format!("/protected?csrf_token={CSRF}")).access_cookie(&cookie_token),
        401,
        CSRF_MISSING,
    );
    t.row(
        "CSRF-05",
        "CSRF value in a form field while form checking is off",
        "R25",
        Hs,
        Req::post("/protected").access_cookie(&cookie_token).body(
            "application/x-www-form-urlencoded",
            format!("csrf_token={CSRF}"),
        ),
        401,
        CSRF_MISSING,
    );
    t.row(
        "CSRF-06",
        "empty CSRF header",
        "R25",
        Hs,
        Req::post("/protected")
            .access_cookie(&cookie_token)
            .csrf(""),
        401,
        CSRF_MISSING,
    );
    t.row(
        "CSRF-07",
        "CSRF header in other case",
        "R25",
        Hs,
        Req::post("/protected")
            .access_cookie(&cookie_token)
            .csrf(&CSRF.to_uppercase()),
        401,
        CSRF_MISMATCH,
    );
    t.row(
        "CSRF-08",
        "CSRF header with the claim as prefix",
        "R25",
        Hs,
        Req::post("/protected")
            .access_cookie(&cookie_token)
            .csrf(&format!("{CSRF}x")),
        401,
        CSRF_MISMATCH,
    );
    t.row(
        "CSRF-09",
        "token without a csrf claim, CSRF header sent",
        "R25",
        Hs,
        Req::post("/protected")
            .access_cookie(&hs_token(&without(access(), "csrf")))
            .csrf(CSRF),
        422,
        "Missing claim: csrf",
    );
    t.row(
        "CSRF-10",
        "csrf claim a number, header the same digits",
        "R25",
        Hs,
        Req::post("/protected")
            .access_cookie(&hs_token(&with(access(), "csrf", json!(123))))
            .csrf("123"),
        401,
        CSRF_MISMATCH,
    );
    t.row(
        "CSRF-11",
        "expired cookie token without a CSRF header: the CSRF check comes first",
        "flask-jwt-extended's order of checks",
        Hs,
        Req::post("/protected").access_cookie(&hs_token(&with(access(), "exp", json!(now() - 60)))),
        401,
        CSRF_MISSING,
    );
    t.row(
        "CSRF-12",
        "forged cookie token with its own CSRF value",
        "R25",
        Hs,
        Req::post("/protected")
            .access_cookie(&sign(
                HS256,
                access().to_string(),
                &hmac(b"attacker-key"),
                Algorithm::HS256,
            ))
            .csrf(CSRF),
        422,
        SIG,
    );
    t.row(
        "CSRF-13",
        "two access cookies, the first forged: the first is used",
        "RFC 6265 §5.4",
        Hs,
        Req::post("/protected")
            .cookies(&[
                (
                    "access_token_cookie",
                    &sign(
                        HS256,
                        access().to_string(),
                        &hmac(b"attacker-key"),
                        Algorithm::HS256,
                    ),
                ),
                ("access_token_cookie", &cookie_token),
            ])
            .csrf(CSRF),
        422,
        SIG,
    );
    t.row(
        "CSRF-14",
        "refresh cookie POST without a CSRF header",
        "R25",
        Hs,
        Req::post("/refresh").cookies(&[("refresh_token_cookie", &hs_token(&claims("refresh")))]),
        401,
        CSRF_MISSING,
    );
    t.row(
        "CSRF-15",
        "CSRF header under another name (X-CSRF-Token-Other)",
        "R25",
        Hs,
        Req::post("/protected")
            .access_cookie(&cookie_token)
            .header("X-CSRF-Token-Other", CSRF),
        401,
        CSRF_MISSING,
    );

    // ---- every location: hostile tokens in each -------------------------------------
    let none_token = unsigned(r#"{"alg":"none","typ":"JWT"}"#, &access().to_string(), "");
    let forged = sign(
        HS256,
        access().to_string(),
        &hmac(b"attacker-key"),
        Algorithm::HS256,
    );
    let expired = hs_token(&with(access(), "exp", json!(now() - 60)));
    let dup = append(&access().to_string(), r#""sub":"admin""#);
    let dup_token = hs(HS256, &dup);
    let dup_message = duplicate("payload", "sub", &dup, r#""sub":"admin""#);
    let per_location: [(&str, &str, &str, &str, u16, &str); 5] = [
        ("none", "alg none", "RFC 8725 §3.2", &none_token, 422, ALG),
        (
            "forged",
            "forged signature",
            "RFC 7515 §5.2",
            &forged,
            422,
            SIG,
        ),
        (
            "expired",
            "expired token",
            "RFC 7519 §4.1.4",
            &expired,
            401,
            EXPIRED,
        ),
        (
            "refresh",
            "refresh token",
            "R16",
            &refresh_token,
            422,
            NOT_REFRESH,
        ),
        (
            "dup-sub",
            "duplicate sub",
            "R08",
            &dup_token,
            422,
            &dup_message,
        ),
    ];
    for (name, what, source, token, status, message) in per_location {
        for location in Location::ALL {
            t.row(
                &format!("LOC-{name}-{}", location.as_str()),
                &format!("{what} in {}", location.as_str()),
                source,
                Hs,
                in_location(location, "/protected", token),
                status,
                message,
            );
        }
    }

    // ---- carriers and sizes ---------------------------------------------------------
    let max = managers.hs.config().max_token_size;
    t.row(
        "LOC-01",
        "lower-case bearer (parity: scheme matched case-sensitively)",
        "docs/security.md L02, RFC 7235 §2.1",
        Hs,
        Req::get("/protected").header("Authorization", format!("bearer {valid}")),
        401,
        missing_everywhere(NO_BEARER),
    );
    t.row(
        "LOC-02",
        "two Bearer credentials in one header",
        "flask-jwt-extended's answer",
        Hs,
        Req::get("/protected").header("Authorization", format!("Bearer {valid}, Bearer {forged}")),
        401,
        missing_everywhere(NO_BEARER),
    );
    t.row(
        "LOC-03",
        "Bearer with two words",
        "flask-jwt-extended's answer",
        Hs,
        Req::get("/protected").header("Authorization", format!("Bearer {valid} extra")),
        422,
        BAD_BEARER,
    );
    t.row(
        "LOC-04",
        "Bearer with nothing after it",
        "flask-jwt-extended's answer",
        Hs,
        Req::get("/protected").header("Authorization", "Bearer "),
        422,
        BAD_BEARER,
    );
    t.row(
        "LOC-05",
        "a bad header stops the search: a valid cookie is not looked at",
        "flask-jwt-extended's order of checks",
        Hs,
        Req::get("/protected").bearer(&forged).access_cookie(&valid),
        422,
        SIG,
    );
    t.row(
        "LOC-06",
        "two jwt query parameters, the first forged: the first is used",
        "flask-jwt-extended's answer",
        Hs,
        Req::get(&format!("/protected?jwt={forged}&jwt={valid}")),
        422,
        SIG,
    );
    t.row(
        "LOC-07",
        "JSON token a number",
        "PyJWT's message",
        Hs,
        Req::post("/protected").json(&json!({"access_token": 12345})),
        422,
        "Invalid token type. Token must be a <class 'bytes'>",
    );
    t.row(
        "LOC-08",
        "JSON token an array of the token",
        "PyJWT's message",
        Hs,
        Req::post("/protected").json(&json!({"access_token": [valid]})),
        422,
        "Invalid token type. Token must be a <class 'bytes'>",
    );
    t.row(
        "LOC-09",
        "JSON body an array",
        "flask-jwt-extended answers 500 here",
        Hs,
        Req::post("/protected").json(&json!([valid])),
        401,
        missing_in_all(
            "Missing Authorization Header",
            "Missing \"access_token\" key in json data.",
        ),
    );
    t.row(
        "LOC-10",
        "token of exactly the size limit (no size error)",
        "R23",
        Hs,
        Req::get("/protected").bearer(&"a".repeat(max)),
        422,
        SEGMENTS,
    );
    t.row(
        "LOC-11",
        "Authorization token one byte over the size limit",
        "R23, ASVS 3.3.5",
        Hs,
        Req::get("/protected").bearer(&"a".repeat(max + 1)),
        431,
        "Token is too large",
    );
    t.row(
        "LOC-12",
        "1 MiB Authorization header",
        "R23, CVE-2025-30204",
        Hs,
        Req::get("/protected").bearer(&"a".repeat(1 << 20)),
        431,
        "Authorization header is too large",
    );
    t.row(
        "LOC-20",
        "1 MiB Authorization header of two credentials",
        "R23, CVE-2025-30204",
        Hs,
        Req::get("/protected").header(
            "Authorization",
            format!(
                "Basic {}, Bearer {}",
                "b".repeat(1 << 19),
                "a".repeat(1 << 19)
            ),
        ),
        431,
        "Authorization header is too large",
    );
    t.row(
        "LOC-13",
        "64 KiB of dots in the Authorization header",
        "CVE-2025-30204, CVE-2025-27144",
        Hs,
        Req::get("/protected").bearer(&".".repeat(64 << 10)),
        431,
        "Authorization header is too large",
    );
    t.row(
        "LOC-14",
        "oversized access cookie",
        "R23",
        Hs,
        Req::get("/protected").access_cookie(&"a".repeat(max + 1)),
        431,
        "Cookie \"access_token_cookie\" is too large",
    );
    t.row(
        "LOC-15",
        "oversized query value",
        "R23",
        Hs,
        Req::get(&format!("/protected?jwt={}", "a".repeat(max + 1))),
        414,
        "Query parameter 'jwt' is too large",
    );
    t.row(
        "LOC-16",
        "oversized token in the JSON body",
        "R23",
        Hs,
        Req::post("/protected").json(&json!({"access_token": "a".repeat(max + 1)})),
        413,
        "Token is too large",
    );
    t.row(
        "LOC-17",
        "JSON body over the 256 KiB payload limit",
        "R23",
        Hs,
        Req::post("/protected").json(&json!({"access_token": valid, "pad": "x".repeat(300 << 10)})),
        413,
        "Request body is too large",
    );
    t.row(
        "LOC-18",
        "oversized refresh cookie on a refresh route",
        "R23",
        Hs,
        Req::get("/refresh").cookies(&[("refresh_token_cookie", &"a".repeat(max + 1))]),
        431,
        "Cookie \"refresh_token_cookie\" is too large",
    );
    t.row(
        "LOC-19",
        "query value with a 'Bearer ' prefix that is not configured",
        "flask-jwt-extended's answer",
        Hs,
        Req::get(&format!("/protected?jwt=Bearer%20{valid}")),
        422,
        HEADER_PADDING,
    );

    t.0
}

// ---- running the table ---------------------------------------------------------------

/// What came back: status and the `msg` of a JSON body (or the body as text).
fn read_message(status: u16, content_type: Option<&str>, body: &[u8]) -> (String, bool) {
    let text = String::from_utf8_lossy(body).into_owned();
    let json = content_type == Some("application/json");
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) if json && object.len() == 1 => match object.get("msg") {
            Some(Value::String(message)) => {
                // Errors are flask's exact body; successes are the handler's JSON.
                let exact = status == 200 || text == error_body("msg", message);
                (message.clone(), exact)
            }
            _ => (text, false),
        },
        _ => (text, false),
    }
}

#[actix_web::test]
async fn attack_corpus() {
    // A loopback listener that `jku`, `x5u` and `kid` URLs point at.
    let listener = TcpListener::bind("127.0.0.1:0").expect("loopback listener");
    listener.set_nonblocking(true).expect("non-blocking");
    let listener_url = format!("http://{}", listener.local_addr().expect("address"));

    let managers = Managers::new();
    let revoke = |manager: &JwtManager, token: String| {
        let manager = manager.clone();
        async move {
            let decoded = manager
                .decode_token(&token, None, false)
                .expect("a valid token to revoke");
            manager.revoke(&decoded).await.expect("revoked");
            token
        }
    };
    let prepared = Prepared {
        listener_url,
        revoked_access: revoke(&managers.hs, hs_token(&access())).await,
        revoked_fresh: revoke(
            &managers.hs,
            hs_token(&with(access(), "fresh", json!(true))),
        )
        .await,
        revoked_refresh: revoke(&managers.hs, hs_token(&claims("refresh"))).await,
        revoked_es: revoke(&managers.es, token_for(Target::Es, &access())).await,
    };

    let cases = corpus(&managers, &prepared);
    let mut ids = std::collections::HashSet::new();
    for case in &cases {
        assert!(ids.insert(case.id.clone()), "duplicate row id {}", case.id);
    }
    let attacks = cases.iter().filter(|case| case.status != 200).count();
    assert!(attacks >= 100, "only {attacks} attack rows");
    let mut categories = std::collections::BTreeMap::<&str, usize>::new();
    for case in &cases {
        let category = case.id.split('-').next().unwrap_or_default();
        *categories.entry(category).or_default() += 1;
    }
    println!(
        "{} rows: {attacks} attacks, {} controls; by category {categories:?}",
        cases.len(),
        cases.len() - attacks
    );

    let app = |target: Target| {
        let manager = managers.get(target).clone();
        actix_test::init_service(
            App::new()
                .app_data(manager.clone())
                .app_data(web::Data::new(manager))
                .configure(routes),
        )
    };
    let hs_app = app(Target::Hs).await;
    let rs_app = app(Target::Rs).await;
    let es_app = app(Target::Es).await;
    let aud_app = app(Target::Aud).await;

    let mut failures = Vec::new();
    let mut server_errors = Vec::new();
    for case in &cases {
        let req = case.request.to_request();
        let response = match case.target {
            Target::Hs => actix_test::call_service(&hs_app, req)
                .await
                .map_into_boxed_body(),
            Target::Rs => actix_test::call_service(&rs_app, req)
                .await
                .map_into_boxed_body(),
            Target::Es => actix_test::call_service(&es_app, req)
                .await
                .map_into_boxed_body(),
            Target::Aud => actix_test::call_service(&aud_app, req)
                .await
                .map_into_boxed_body(),
        };
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let body = actix_test::read_body(response).await;
        let (message, exact_body) = read_message(status, content_type.as_deref(), &body);
        if status >= 500 {
            server_errors.push(format!("{} answered {status}", case.id));
        }
        if (status, message.as_str()) != (case.status, case.message.as_str()) || !exact_body {
            failures.push(format!(
                "{id} ({what}; {source}; {target:?} app)\n    request:  {request}\n    \
                 expected: {expected_status} {expected:?}\n    got:      {status} {message:?}{note}",
                id = case.id,
                what = case.what,
                source = case.source,
                target = case.target,
                request = case.request.summary(),
                expected_status = case.status,
                expected = case.message,
                note = if exact_body {
                    String::new()
                } else {
                    format!(" (body {:?}, content type {content_type:?})", shorten(&String::from_utf8_lossy(&body)))
                },
            ));
        }
    }

    // Nothing fetched `jku`, `x5u` or a `kid` URL.
    let mut connections = 0;
    loop {
        match listener.accept() {
            Ok(_) => connections += 1,
            Err(error) if error.kind() == IoErrorKind::WouldBlock => break,
            Err(error) => panic!("listener: {error}"),
        }
    }

    assert!(
        server_errors.is_empty(),
        "rows answering 5xx:\n{}",
        server_errors.join("\n")
    );
    assert_eq!(connections, 0, "the loopback listener was contacted");
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
