//! The `cookies` location, CSRF double submit and the cookie helpers over HTTP: what
//! flask-jwt-extended 4.7.4's `tests/test_cookies.py` covers, with the exact
//! `Set-Cookie` strings flask-jwt-extended writes and its error messages.

use std::{
    collections::BTreeMap,
    future::Future,
    pin::Pin,
    rc::Rc,
    time::{Duration, SystemTime},
};

use crate::support::json_or_text;
use actix_jwt_extended::{
    CookieOptions, Jwt, JwtConfig, JwtManager, Location, SameSite, jwt_required,
};
use actix_web::{
    App, HttpResponse, Responder,
    dev::ServiceResponse,
    get,
    http::header::{HeaderValue, SET_COOKIE},
    post,
    test::{self, TestRequest},
    web,
};
use serde::Deserialize;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------
// The app: flask's test app, one route per helper and per kind of protected route.
// ---------------------------------------------------------------------------------

/// Per-call overrides of the cookie helpers, from the query string.
#[derive(Deserialize)]
struct Overrides {
    max_age: Option<u64>,
    domain: Option<String>,
}

impl Overrides {
    fn options(&self) -> CookieOptions {
        CookieOptions {
            max_age: self.max_age.map(Duration::from_secs),
            domain: self.domain.clone(),
        }
    }
}

/// Sets the access cookies on an `HttpResponse`.
#[get("/access_token")]
async fn access_token(
    manager: web::Data<JwtManager>,
    query: web::Query<Overrides>,
) -> HttpResponse {
    let token = manager.access_token("username").build().expect("token");
    let mut response = HttpResponse::Ok().json(json!({"login": true}));
    manager
        .set_access_cookies_with(&mut response, &token, &query.options())
        .expect("set access cookies");
    response
}

/// Sets the refresh cookies through an `HttpResponseBuilder`.
#[get("/refresh_token")]
async fn refresh_token(
    manager: web::Data<JwtManager>,
    query: web::Query<Overrides>,
) -> HttpResponse {
    let token = manager.refresh_token("username").build().expect("token");
    let mut builder = HttpResponse::Ok();
    manager
        .set_refresh_cookies_with(&mut builder, &token, &query.options())
        .expect("set refresh cookies");
    builder.json(json!({"login": true}))
}

#[get("/delete_tokens")]
async fn delete_tokens(
    manager: web::Data<JwtManager>,
    query: web::Query<Overrides>,
) -> HttpResponse {
    let mut response = HttpResponse::Ok().json(json!({"logout": true}));
    manager.unset_jwt_cookies_with(&mut response, &query.options());
    response
}

#[get("/delete_access_tokens")]
async fn delete_access_tokens(
    manager: web::Data<JwtManager>,
    query: web::Query<Overrides>,
) -> HttpResponse {
    let mut builder = HttpResponse::Ok();
    manager.unset_access_cookies_with(&mut builder, &query.options());
    builder.json(json!({"logout": true}))
}

#[get("/delete_refresh_tokens")]
async fn delete_refresh_tokens(
    manager: web::Data<JwtManager>,
    query: web::Query<Overrides>,
) -> HttpResponse {
    let mut response = HttpResponse::Ok().json(json!({"logout": true}));
    manager.unset_refresh_cookies_with(&mut response, &query.options());
    response
}

#[get("/protected")]
#[jwt_required]
async fn protected() -> impl Responder {
    web::Json(json!({"foo": "bar"}))
}

#[post("/post_protected")]
#[jwt_required]
async fn post_protected(jwt: Jwt) -> impl Responder {
    web::Json(json!({"foo": "bar", "location": jwt.location().map(|l| l.as_str())}))
}

#[get("/refresh_protected")]
#[jwt_required(refresh)]
async fn refresh_protected() -> impl Responder {
    web::Json(json!({"foo": "bar"}))
}

#[post("/post_refresh_protected")]
#[jwt_required(refresh)]
async fn post_refresh_protected() -> impl Responder {
    web::Json(json!({"foo": "bar"}))
}

#[post("/optional_post_protected")]
#[jwt_required(optional)]
async fn optional_post_protected(jwt: Option<Jwt>) -> impl Responder {
    web::Json(json!({"foo": jwt.map(|jwt| jwt.identity().clone())}))
}

/// A form handler: the CSRF form field is read before the handler's own `web::Form`,
/// which must still get the whole body.
#[post("/form_protected")]
#[jwt_required]
async fn form_protected(jwt: Jwt, form: web::Form<BTreeMap<String, String>>) -> impl Responder {
    web::Json(json!({"identity": jwt.identity(), "form": form.into_inner()}))
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(access_token)
        .service(refresh_token)
        .service(delete_tokens)
        .service(delete_access_tokens)
        .service(delete_refresh_tokens)
        .service(protected)
        .service(post_protected)
        .service(refresh_protected)
        .service(post_refresh_protected)
        .service(optional_post_protected)
        .service(form_protected);
}

/// flask's test config: a secret and the `cookies` location.
fn config() -> JwtConfig {
    JwtConfig {
        secret_key: Some("foobarbaz".to_owned()),
        token_location: vec![Location::Cookies],
        ..JwtConfig::default()
    }
}

fn manager(config: JwtConfig) -> JwtManager {
    JwtManager::new(config).expect("valid config")
}

// ---------------------------------------------------------------------------------
// A test client with a cookie jar (as flask's test client keeps cookies).
// ---------------------------------------------------------------------------------

type Call = Rc<dyn Fn(TestRequest) -> Pin<Box<dyn Future<Output = ServiceResponse>>>>;

struct Client {
    call: Call,
    jar: BTreeMap<String, String>,
}

#[derive(Debug)]
struct Reply {
    status: u16,
    body: Value,
    set_cookies: Vec<String>,
}

impl Reply {
    #[track_caller]
    fn assert(&self, status: u16, body: Value) {
        assert_eq!((self.status, &self.body), (status, &body), "{self:?}");
    }

    #[track_caller]
    fn assert_msg(&self, status: u16, msg: &str) {
        self.assert(status, json!({ "msg": msg }));
    }

    /// The value of cookie `name` as set by this reply.
    #[track_caller]
    fn cookie(&self, name: &str) -> String {
        self.set_cookies
            .iter()
            .find_map(|header| {
                let (pair, _) = header.split_once(';').unwrap_or((header, ""));
                let (key, value) = pair.split_once('=')?;
                (key == name).then(|| value.to_owned())
            })
            .unwrap_or_else(|| panic!("no Set-Cookie for {name}: {:?}", self.set_cookies))
    }
}

async fn client(config: JwtConfig) -> Client {
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(manager(config)))
            .configure(routes),
    )
    .await;
    let app = Rc::new(app);
    let call: Call = Rc::new(move |req: TestRequest| {
        let app = app.clone();
        Box::pin(async move { test::call_service(&*app, req.to_request()).await })
    });
    Client {
        call,
        jar: BTreeMap::new(),
    }
}

impl Client {
    /// Sends `req` with the jar's cookies, then stores the cookies the reply sets or
    /// deletes.
    async fn send(&mut self, mut req: TestRequest) -> Reply {
        if !self.jar.is_empty() {
            let cookies: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req = req.insert_header(("Cookie", cookies.join("; ")));
        }
        let response = (self.call)(req).await;
        let status = response.status().as_u16();
        let set_cookies: Vec<String> = response
            .headers()
            .get_all(SET_COOKIE)
            .map(|value| value.to_str().expect("ASCII Set-Cookie").to_owned())
            .collect();
        for header in &set_cookies {
            let (pair, attributes) = header.split_once(';').unwrap_or((header, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            let deleted = value.is_empty()
                || attributes.contains("Expires=Thu, 01 Jan 1970 00:00:00 GMT")
                || attributes.contains("Max-Age=0");
            if deleted {
                self.jar.remove(name);
            } else {
                self.jar.insert(name.to_owned(), value.to_owned());
            }
        }
        let bytes = test::read_body(response).await;
        Reply {
            status,
            body: json_or_text(&bytes),
            set_cookies,
        }
    }

    async fn get(&mut self, path: &str) -> Reply {
        self.send(TestRequest::get().uri(path)).await
    }

    async fn post(&mut self, path: &str) -> Reply {
        self.send(TestRequest::post().uri(path)).await
    }

    async fn post_with_header(&mut self, path: &str, name: &str, value: &str) -> Reply {
        self.send(TestRequest::post().uri(path).insert_header((name, value)))
            .await
    }
}

/// Compares a `Set-Cookie` header with `expected`, in which `<value>` stands for the
/// cookie's value and `<expires>` for an `Expires` date that must be `max_age` seconds
/// from now (within a few seconds). Returns the value.
#[track_caller]
fn check_set_cookie(header: &str, expected: &str, max_age: Option<u64>) -> String {
    let (name, _) = expected.split_once('=').expect("expected name=");
    let rest = header
        .strip_prefix(name)
        .and_then(|rest| rest.strip_prefix('='))
        .unwrap_or_else(|| panic!("{header:?} does not set {name}"));
    let value = rest.split(';').next().unwrap_or_default().to_owned();
    let mut normalized = format!("{name}=<value>{}", &rest[value.len()..]);
    if let Some(max_age) = max_age {
        let start = normalized.find("Expires=").expect("an Expires attribute") + "Expires=".len();
        let end = normalized[start..]
            .find(';')
            .map_or(normalized.len(), |end| start + end);
        let date = chrono::DateTime::parse_from_rfc2822(&normalized[start..end])
            .unwrap_or_else(|error| panic!("bad Expires in {header:?}: {error}"));
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs() as i64;
        let expected_at = now + max_age as i64;
        assert!(
            (date.timestamp() - expected_at).abs() <= 5,
            "Expires in {header:?} is not about {max_age}s from now"
        );
        normalized.replace_range(start..end, "<expires>");
    }
    assert_eq!(normalized, expected, "Set-Cookie header {header:?}");
    value
}

/// Checks the usual pair: the token cookie (a valid token) then its CSRF cookie, whose
/// value must be the token's `csrf` claim.
#[track_caller]
fn check_pair(
    manager: &JwtManager,
    headers: &[String],
    jwt: &str,
    csrf: &str,
    max_age: Option<u64>,
) {
    assert_eq!(headers.len(), 2, "{headers:?}");
    let token = check_set_cookie(&headers[0], jwt, max_age);
    let csrf_value = check_set_cookie(&headers[1], csrf, max_age);
    let decoded = manager
        .decode_token(&token, None, false)
        .expect("a valid token");
    assert_eq!(decoded.csrf(), Some(csrf_value.as_str()));
}

const EPOCH: &str = "Thu, 01 Jan 1970 00:00:00 GMT";

// ---------------------------------------------------------------------------------
// Reading tokens from cookies (test_jwt_refresh_required_with_cookies)
// ---------------------------------------------------------------------------------

#[actix_web::test]
async fn access_and_refresh_cookies_authenticate_until_logout() {
    for (login, cookie, protected_url) in [
        (
            "/refresh_token",
            "refresh_token_cookie",
            "/refresh_protected",
        ),
        ("/access_token", "access_token_cookie", "/protected"),
    ] {
        let mut client = client(config()).await;
        let missing = format!("Missing cookie \"{cookie}\"");
        client.get(protected_url).await.assert_msg(401, &missing);

        client.get(login).await.assert(200, json!({"login": true}));
        client
            .get(protected_url)
            .await
            .assert(200, json!({"foo": "bar"}));

        client
            .get("/delete_tokens")
            .await
            .assert(200, json!({"logout": true}));
        assert!(
            client.jar.is_empty(),
            "logout left cookies: {:?}",
            client.jar
        );
        client.get(protected_url).await.assert_msg(401, &missing);
    }
}

#[actix_web::test]
async fn an_empty_cookie_is_missing() {
    let mut client = client(config()).await;
    client
        .jar
        .insert("access_token_cookie".into(), String::new());
    client
        .get("/protected")
        .await
        .assert_msg(401, "Missing cookie \"access_token_cookie\"");
}

#[actix_web::test]
async fn the_wrong_kind_of_token_in_a_cookie_is_refused() {
    let mut client = client(config()).await;
    client.get("/access_token").await;
    client.get("/refresh_token").await;
    // Each route reads its own cookie; swap the values to send the wrong type.
    let access = client.jar["access_token_cookie"].clone();
    let refresh = client.jar["refresh_token_cookie"].clone();
    client.jar.insert("access_token_cookie".into(), refresh);
    client.jar.insert("refresh_token_cookie".into(), access);
    client
        .get("/protected")
        .await
        .assert_msg(422, "Only non-refresh tokens are allowed");
    client
        .get("/refresh_protected")
        .await
        .assert_msg(422, "Only refresh tokens are allowed");
}

#[actix_web::test]
async fn a_malformed_cookie_header_entry_does_not_hide_the_token() {
    let mut client = client(config()).await;
    client.get("/access_token").await;
    let token = client.jar["access_token_cookie"].clone();
    client.jar.clear();
    // An entry that is not `name=value`, a bad percent escape and a Latin-1 byte in
    // another app's cookie: actix-web's own parser drops every cookie of a header that
    // is not UTF-8; Werkzeug, and this library, skip only what they cannot read.
    let mut cookie = b"junk; other=%zz; latin=caf\xe9; access_token_cookie=".to_vec();
    cookie.extend_from_slice(token.as_bytes());
    let cookie = HeaderValue::from_bytes(&cookie).expect("obs-text is allowed");
    let reply = client
        .send(
            TestRequest::get()
                .uri("/protected")
                .insert_header(("Cookie", cookie)),
        )
        .await;
    reply.assert(200, json!({"foo": "bar"}));
}

// ---------------------------------------------------------------------------------
// CSRF double submit
// ---------------------------------------------------------------------------------

#[actix_web::test]
async fn csrf_is_required_by_default_for_post() {
    for (login, csrf_cookie, post_url) in [
        (
            "/refresh_token",
            "csrf_refresh_token",
            "/post_refresh_protected",
        ),
        ("/access_token", "csrf_access_token", "/post_protected"),
    ] {
        let mut client = client(config()).await;
        let csrf = client.get(login).await.cookie(csrf_cookie);

        client
            .post(post_url)
            .await
            .assert_msg(401, "Missing CSRF token");
        let reply = client
            .post_with_header(post_url, "X-CSRF-TOKEN", &csrf)
            .await;
        assert_eq!(reply.status, 200, "{reply:?}");
        assert_eq!(reply.body["foo"], "bar");
        // Header names are case-insensitive.
        let reply = client
            .post_with_header(post_url, "x-csrf-token", &csrf)
            .await;
        assert_eq!(reply.status, 200, "{reply:?}");
        // An empty header is no header.
        client
            .post_with_header(post_url, "X-CSRF-TOKEN", "")
            .await
            .assert_msg(401, "Missing CSRF token");
    }
}

#[actix_web::test]
async fn the_location_of_a_cookie_token_is_cookies() {
    let mut client = client(config()).await;
    let csrf = client
        .get("/access_token")
        .await
        .cookie("csrf_access_token");
    client
        .post_with_header("/post_protected", "X-CSRF-TOKEN", &csrf)
        .await
        .assert(200, json!({"foo": "bar", "location": "cookies"}));
}

#[actix_web::test]
async fn non_matching_csrf_token() {
    for (login, post_url) in [
        ("/refresh_token", "/post_refresh_protected"),
        ("/access_token", "/post_protected"),
    ] {
        let mut client = client(config()).await;
        client.get(login).await;
        client
            .post_with_header(post_url, "X-CSRF-TOKEN", "totally_wrong_token")
            .await
            .assert_msg(401, "CSRF double submit tokens do not match");
    }
}

#[actix_web::test]
async fn a_planted_csrf_cookie_is_not_trusted() {
    // An attacker who can plant cookies sets the CSRF cookie and sends the matching
    // header; the value is compared with the token's signed claim, not the cookie.
    let mut client = client(config()).await;
    client.get("/access_token").await;
    client
        .jar
        .insert("csrf_access_token".into(), "planted".into());
    client
        .post_with_header("/post_protected", "X-CSRF-TOKEN", "planted")
        .await
        .assert_msg(401, "CSRF double submit tokens do not match");
}

#[actix_web::test]
async fn refresh_routes_need_the_refresh_csrf_value() {
    let mut client = client(config()).await;
    let access_csrf = client
        .get("/access_token")
        .await
        .cookie("csrf_access_token");
    let refresh_csrf = client
        .get("/refresh_token")
        .await
        .cookie("csrf_refresh_token");
    assert_ne!(access_csrf, refresh_csrf);
    client
        .post_with_header("/post_refresh_protected", "X-CSRF-TOKEN", &access_csrf)
        .await
        .assert_msg(401, "CSRF double submit tokens do not match");
    client
        .post_with_header("/post_refresh_protected", "X-CSRF-TOKEN", &refresh_csrf)
        .await
        .assert(200, json!({"foo": "bar"}));
    client
        .post_with_header("/post_protected", "X-CSRF-TOKEN", &refresh_csrf)
        .await
        .assert_msg(401, "CSRF double submit tokens do not match");
}

#[actix_web::test]
async fn a_token_without_csrf_claim_and_a_csrf_header_is_422() {
    // Same secret, CSRF protection off: the token carries no `csrf` claim.
    let mut no_csrf = config();
    no_csrf.cookie_csrf_protect = false;
    let token = manager(no_csrf)
        .access_token("username")
        .build()
        .expect("token");
    assert!(!token.is_empty());

    let mut client = client(config()).await;
    client.jar.insert("access_token_cookie".into(), token);
    client
        .post_with_header("/post_protected", "X-CSRF-TOKEN", "anything")
        .await
        .assert_msg(422, "Missing claim: csrf");
    // Without the header, the missing CSRF value is found first.
    client
        .post("/post_protected")
        .await
        .assert_msg(401, "Missing CSRF token");
}

#[actix_web::test]
async fn missing_csrf_is_checked_before_the_token_is_decoded() {
    let manager = manager(config());
    let expired = manager
        .access_token("username")
        .claim("exp", 1_000_000_000)
        .build()
        .expect("token");
    let mut client = client(config()).await;
    client
        .jar
        .insert("access_token_cookie".into(), "not-even-a-jwt".into());
    client
        .post("/post_protected")
        .await
        .assert_msg(401, "Missing CSRF token");

    // flask decodes an expired token again without `exp` to run the later checks, so a
    // wrong CSRF value wins over the expiry, and a right one answers "expired".
    let csrf = manager
        .decode_token(&expired, None, true)
        .expect("decodes with allow_expired")
        .csrf()
        .expect("a csrf claim")
        .to_owned();
    client.jar.insert("access_token_cookie".into(), expired);
    client
        .post("/post_protected")
        .await
        .assert_msg(401, "Missing CSRF token");
    client
        .post_with_header("/post_protected", "X-CSRF-TOKEN", "wrong")
        .await
        .assert_msg(401, "CSRF double submit tokens do not match");
    client
        .post_with_header("/post_protected", "X-CSRF-TOKEN", &csrf)
        .await
        .assert_msg(401, "Token has expired");
}

#[actix_web::test]
async fn csrf_disabled() {
    for (login, post_url) in [
        ("/refresh_token", "/post_refresh_protected"),
        ("/access_token", "/post_protected"),
    ] {
        let mut config = config();
        config.cookie_csrf_protect = false;
        let mut client = client(config).await;
        let reply = client.get(login).await;
        assert_eq!(reply.set_cookies.len(), 1, "{reply:?}");
        let reply = client.post(post_url).await;
        assert_eq!(
            (reply.status, &reply.body["foo"]),
            (200, &json!("bar")),
            "{reply:?}"
        );
        // A stray CSRF header is ignored too.
        let reply = client
            .post_with_header(post_url, "X-CSRF-TOKEN", "whatever")
            .await;
        assert_eq!(reply.status, 200, "{reply:?}");
    }
}

#[actix_web::test]
async fn csrf_with_custom_header_names() {
    for (login, csrf_cookie, post_url) in [
        (
            "/refresh_token",
            "csrf_refresh_token",
            "/post_refresh_protected",
        ),
        ("/access_token", "csrf_access_token", "/post_protected"),
    ] {
        let mut config = config();
        config.access_csrf_header_name = "FOO".into();
        config.refresh_csrf_header_name = "BAR".into();
        let header = if login == "/access_token" {
            "FOO"
        } else {
            "BAR"
        };
        let other = if login == "/access_token" {
            "BAR"
        } else {
            "FOO"
        };
        let mut client = client(config).await;
        let csrf = client.get(login).await.cookie(csrf_cookie);

        let reply = client.post_with_header(post_url, header, &csrf).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        client
            .post_with_header(post_url, "X-CSRF-TOKEN", &csrf)
            .await
            .assert_msg(401, "Missing CSRF token");
        client
            .post_with_header(post_url, other, &csrf)
            .await
            .assert_msg(401, "Missing CSRF token");
    }
}

fn form_post(path: &str, body: &str) -> TestRequest {
    TestRequest::post()
        .uri(path)
        .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
        .set_payload(body.to_owned())
}

#[actix_web::test]
async fn csrf_from_the_default_form_field() {
    let mut config = config();
    config.csrf_check_form = true;
    let mut client = client(config).await;
    let csrf = client
        .get("/access_token")
        .await
        .cookie("csrf_access_token");

    let body = format!("csrf_token={csrf}&name=alice");
    client
        .send(form_post("/form_protected", &body))
        .await
        // The handler's own `web::Form` still gets the whole body.
        .assert(
            200,
            json!({"identity": "username", "form": {"csrf_token": csrf, "name": "alice"}}),
        );
    client
        .send(form_post("/form_protected", "csrf_token=wrong"))
        .await
        .assert_msg(401, "CSRF double submit tokens do not match");
    client
        .send(form_post("/form_protected", "name=alice"))
        .await
        .assert_msg(401, "Missing CSRF token");
    client
        .send(form_post("/form_protected", "csrf_token="))
        .await
        .assert_msg(401, "Missing CSRF token");
    // The header still works, and is looked at first.
    let reply = client
        .send(
            form_post("/form_protected", "csrf_token=wrong")
                .insert_header(("X-CSRF-TOKEN", csrf.as_str())),
        )
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
}

#[actix_web::test]
async fn csrf_form_field_is_ignored_unless_configured() {
    let mut client = client(config()).await;
    let csrf = client
        .get("/access_token")
        .await
        .cookie("csrf_access_token");
    client
        .send(form_post("/form_protected", &format!("csrf_token={csrf}")))
        .await
        .assert_msg(401, "Missing CSRF token");
}

#[actix_web::test]
async fn csrf_from_a_custom_form_field() {
    let mut config = config();
    config.csrf_check_form = true;
    config.access_csrf_field_name = "my_csrf".into();
    config.refresh_csrf_field_name = "my_refresh_csrf".into();
    let mut client = client(config).await;
    let csrf = client
        .get("/access_token")
        .await
        .cookie("csrf_access_token");
    client
        .send(form_post("/form_protected", &format!("my_csrf={csrf}")))
        .await
        .assert(
            200,
            json!({"identity": "username", "form": {"my_csrf": csrf}}),
        );
    client
        .send(form_post("/form_protected", &format!("csrf_token={csrf}")))
        .await
        .assert_msg(401, "Missing CSRF token");

    let refresh_csrf = client
        .get("/refresh_token")
        .await
        .cookie("csrf_refresh_token");
    let reply = client
        .send(form_post(
            "/post_refresh_protected",
            &format!("my_refresh_csrf={refresh_csrf}"),
        ))
        .await;
    reply.assert(200, json!({"foo": "bar"}));
}

#[actix_web::test]
async fn custom_csrf_methods() {
    for (login, csrf_cookie, get_url, post_url) in [
        (
            "/refresh_token",
            "csrf_refresh_token",
            "/refresh_protected",
            "/post_refresh_protected",
        ),
        (
            "/access_token",
            "csrf_access_token",
            "/protected",
            "/post_protected",
        ),
    ] {
        let mut config = config();
        config.csrf_methods = vec!["GET".into()];
        let mut client = client(config).await;
        let csrf = client.get(login).await.cookie(csrf_cookie);

        let reply = client.post(post_url).await;
        assert_eq!(reply.status, 200, "POST without CSRF: {reply:?}");
        client
            .get(get_url)
            .await
            .assert_msg(401, "Missing CSRF token");
        client
            .send(
                TestRequest::get()
                    .uri(get_url)
                    .insert_header(("X-CSRF-TOKEN", csrf.as_str())),
            )
            .await
            .assert(200, json!({"foo": "bar"}));
    }
}

#[actix_web::test]
async fn optional_route_with_csrf() {
    let mut client = client(config()).await;
    // No cookie: anonymous.
    client
        .post("/optional_post_protected")
        .await
        .assert(200, json!({"foo": null}));

    let csrf = client
        .get("/access_token")
        .await
        .cookie("csrf_access_token");
    // A cookie without the CSRF header is still refused.
    client
        .post("/optional_post_protected")
        .await
        .assert_msg(401, "Missing CSRF token");
    client
        .post_with_header("/optional_post_protected", "X-CSRF-TOKEN", "nope")
        .await
        .assert_msg(401, "CSRF double submit tokens do not match");
    client
        .post_with_header("/optional_post_protected", "X-CSRF-TOKEN", &csrf)
        .await
        .assert(200, json!({"foo": "username"}));
}

// ---------------------------------------------------------------------------------
// Set-Cookie strings, as flask-jwt-extended writes them
// ---------------------------------------------------------------------------------

#[actix_web::test]
async fn default_cookie_strings() {
    let manager = manager(config());
    let mut client = client(config()).await;
    let reply = client.get("/access_token").await;
    check_pair(
        &manager,
        &reply.set_cookies,
        "access_token_cookie=<value>; HttpOnly; Path=/",
        "csrf_access_token=<value>; Path=/",
        None,
    );
    let reply = client.get("/refresh_token").await;
    check_pair(
        &manager,
        &reply.set_cookies,
        "refresh_token_cookie=<value>; HttpOnly; Path=/",
        "csrf_refresh_token=<value>; Path=/",
        None,
    );
}

#[actix_web::test]
async fn unset_cookie_strings() {
    let mut client = client(config()).await;
    let reply = client.get("/delete_tokens").await;
    assert_eq!(
        reply.set_cookies,
        [
            format!("access_token_cookie=; Expires={EPOCH}; HttpOnly; Path=/"),
            format!("csrf_access_token=; Expires={EPOCH}; Path=/"),
            format!("refresh_token_cookie=; Expires={EPOCH}; HttpOnly; Path=/"),
            format!("csrf_refresh_token=; Expires={EPOCH}; Path=/"),
        ]
    );
    let reply = client.get("/delete_access_tokens").await;
    assert_eq!(
        reply.set_cookies,
        [
            format!("access_token_cookie=; Expires={EPOCH}; HttpOnly; Path=/"),
            format!("csrf_access_token=; Expires={EPOCH}; Path=/"),
        ]
    );
    let reply = client.get("/delete_refresh_tokens").await;
    assert_eq!(
        reply.set_cookies,
        [
            format!("refresh_token_cookie=; Expires={EPOCH}; HttpOnly; Path=/"),
            format!("csrf_refresh_token=; Expires={EPOCH}; Path=/"),
        ]
    );
}

#[actix_web::test]
async fn custom_cookie_attributes() {
    let mut config = config();
    config.cookie_secure = true;
    config.cookie_domain = Some(".example.com".into());
    config.session_cookie = false;
    config.cookie_samesite = Some(SameSite::Strict);
    config.access_cookie_path = "/api/".into();
    let manager = manager(config.clone());
    let mut client = client(config).await;

    let reply = client.get("/access_token").await;
    check_pair(
        &manager,
        &reply.set_cookies,
        "access_token_cookie=<value>; Domain=example.com; Expires=<expires>; Max-Age=31540000; \
         Secure; HttpOnly; Path=/api/; SameSite=Strict",
        // The CSRF cookie keeps its own path.
        "csrf_access_token=<value>; Domain=example.com; Expires=<expires>; Max-Age=31540000; \
         Secure; Path=/; SameSite=Strict",
        Some(31_540_000),
    );
    let reply = client.get("/refresh_token").await;
    check_pair(
        &manager,
        &reply.set_cookies,
        "refresh_token_cookie=<value>; Domain=example.com; Expires=<expires>; Max-Age=31540000; \
         Secure; HttpOnly; Path=/; SameSite=Strict",
        "csrf_refresh_token=<value>; Domain=example.com; Expires=<expires>; Max-Age=31540000; \
         Secure; Path=/; SameSite=Strict",
        Some(31_540_000),
    );
    // Unsetting keeps Domain, Secure, HttpOnly, Path and SameSite, and sends no Max-Age.
    let reply = client.get("/delete_tokens").await;
    assert_eq!(
        reply.set_cookies,
        [
            format!(
                "access_token_cookie=; Domain=example.com; Expires={EPOCH}; Secure; HttpOnly; \
                 Path=/api/; SameSite=Strict"
            ),
            format!(
                "csrf_access_token=; Domain=example.com; Expires={EPOCH}; Secure; Path=/; SameSite=Strict"
            ),
            format!(
                "refresh_token_cookie=; Domain=example.com; Expires={EPOCH}; Secure; HttpOnly; \
                 Path=/; SameSite=Strict"
            ),
            format!(
                "csrf_refresh_token=; Domain=example.com; Expires={EPOCH}; Secure; Path=/; SameSite=Strict"
            ),
        ]
    );
}

#[actix_web::test]
async fn samesite_values() {
    for (same_site, text) in [
        (SameSite::None, "None"),
        (SameSite::Lax, "Lax"),
        (SameSite::Strict, "Strict"),
    ] {
        let mut config = config();
        config.cookie_samesite = Some(same_site);
        let manager = manager(config.clone());
        let mut client = client(config).await;
        let reply = client.get("/access_token").await;
        check_pair(
            &manager,
            &reply.set_cookies,
            &format!("access_token_cookie=<value>; HttpOnly; Path=/; SameSite={text}"),
            &format!("csrf_access_token=<value>; Path=/; SameSite={text}"),
            None,
        );
    }
}

#[actix_web::test]
async fn custom_cookie_names_and_paths() {
    let mut config = config();
    config.access_csrf_cookie_name = "access_foo_csrf".into();
    config.refresh_csrf_cookie_name = "refresh_foo_csrf".into();
    config.access_csrf_cookie_path = "/protected".into();
    config.refresh_csrf_cookie_path = "/refresh_protected".into();
    config.access_cookie_name = "access_foo".into();
    config.refresh_cookie_name = "refresh_foo".into();
    config.access_cookie_path = "/protected".into();
    config.refresh_cookie_path = "/refresh_protected".into();
    let manager = manager(config.clone());
    let mut client = client(config).await;

    let reply = client.get("/access_token").await;
    check_pair(
        &manager,
        &reply.set_cookies,
        "access_foo=<value>; HttpOnly; Path=/protected",
        "access_foo_csrf=<value>; Path=/protected",
        None,
    );
    let reply = client.get("/refresh_token").await;
    check_pair(
        &manager,
        &reply.set_cookies,
        "refresh_foo=<value>; HttpOnly; Path=/refresh_protected",
        "refresh_foo_csrf=<value>; Path=/refresh_protected",
        None,
    );
    // The custom names are the ones read.
    client
        .get("/protected")
        .await
        .assert(200, json!({"foo": "bar"}));
    client
        .get("/refresh_protected")
        .await
        .assert(200, json!({"foo": "bar"}));
    let reply = client.get("/delete_tokens").await;
    assert_eq!(
        reply.set_cookies,
        [
            format!("access_foo=; Expires={EPOCH}; HttpOnly; Path=/protected"),
            format!("access_foo_csrf=; Expires={EPOCH}; Path=/protected"),
            format!("refresh_foo=; Expires={EPOCH}; HttpOnly; Path=/refresh_protected"),
            format!("refresh_foo_csrf=; Expires={EPOCH}; Path=/refresh_protected"),
        ]
    );
    client
        .get("/protected")
        .await
        .assert_msg(401, "Missing cookie \"access_foo\"");
}

#[actix_web::test]
async fn csrf_token_not_in_cookies() {
    let mut config = config();
    config.csrf_in_cookies = false;
    let manager = manager(config.clone());
    let mut client = client(config).await;

    let reply = client.get("/access_token").await;
    assert_eq!(reply.set_cookies.len(), 1, "{reply:?}");
    let token = check_set_cookie(
        &reply.set_cookies[0],
        "access_token_cookie=<value>; HttpOnly; Path=/",
        None,
    );
    // CSRF protection is still on: the token carries the claim and POST needs it.
    let csrf = manager
        .decode_token(&token, None, false)
        .expect("valid token")
        .csrf()
        .expect("csrf claim")
        .to_owned();
    client
        .post("/post_protected")
        .await
        .assert_msg(401, "Missing CSRF token");
    let reply = client
        .post_with_header("/post_protected", "X-CSRF-TOKEN", &csrf)
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");

    let reply = client.get("/refresh_token").await;
    assert_eq!(reply.set_cookies.len(), 1, "{reply:?}");
    check_set_cookie(
        &reply.set_cookies[0],
        "refresh_token_cookie=<value>; HttpOnly; Path=/",
        None,
    );

    let reply = client.get("/delete_tokens").await;
    assert_eq!(
        reply.set_cookies,
        [
            format!("access_token_cookie=; Expires={EPOCH}; HttpOnly; Path=/"),
            format!("refresh_token_cookie=; Expires={EPOCH}; HttpOnly; Path=/"),
        ]
    );
}

#[actix_web::test]
async fn cookies_without_csrf_protection() {
    let mut config = config();
    config.cookie_csrf_protect = false;
    let manager = manager(config.clone());
    let mut client = client(config).await;
    for (login, expected) in [
        (
            "/access_token",
            "access_token_cookie=<value>; HttpOnly; Path=/",
        ),
        (
            "/refresh_token",
            "refresh_token_cookie=<value>; HttpOnly; Path=/",
        ),
    ] {
        let reply = client.get(login).await;
        assert_eq!(reply.set_cookies.len(), 1, "{reply:?}");
        let token = check_set_cookie(&reply.set_cookies[0], expected, None);
        let decoded = manager
            .decode_token(&token, None, false)
            .expect("valid token");
        assert_eq!(
            decoded.csrf(),
            None,
            "no csrf claim without CSRF protection"
        );
    }
    let reply = client.get("/delete_tokens").await;
    assert_eq!(reply.set_cookies.len(), 2, "{reply:?}");
}

#[actix_web::test]
async fn domain_argument_overrides_config_in_set_and_unset() {
    let mut config = config();
    config.cookie_domain = Some("config.com".into());
    let manager = manager(config.clone());
    let mut client = client(config).await;

    let reply = client.get("/access_token").await;
    check_pair(
        &manager,
        &reply.set_cookies,
        "access_token_cookie=<value>; Domain=config.com; HttpOnly; Path=/",
        "csrf_access_token=<value>; Domain=config.com; Path=/",
        None,
    );
    let reply = client.get("/access_token?domain=.foo.com").await;
    check_pair(
        &manager,
        &reply.set_cookies,
        "access_token_cookie=<value>; Domain=foo.com; HttpOnly; Path=/",
        "csrf_access_token=<value>; Domain=foo.com; Path=/",
        None,
    );
    let reply = client.get("/refresh_token?domain=bar.com").await;
    check_pair(
        &manager,
        &reply.set_cookies,
        "refresh_token_cookie=<value>; Domain=bar.com; HttpOnly; Path=/",
        "csrf_refresh_token=<value>; Domain=bar.com; Path=/",
        None,
    );
    let reply = client.get("/delete_access_tokens?domain=d.com").await;
    assert_eq!(
        reply.set_cookies,
        [
            format!("access_token_cookie=; Domain=d.com; Expires={EPOCH}; HttpOnly; Path=/"),
            format!("csrf_access_token=; Domain=d.com; Expires={EPOCH}; Path=/"),
        ]
    );
    let reply = client.get("/delete_refresh_tokens?domain=d.com").await;
    assert_eq!(
        reply.set_cookies,
        [
            format!("refresh_token_cookie=; Domain=d.com; Expires={EPOCH}; HttpOnly; Path=/"),
            format!("csrf_refresh_token=; Domain=d.com; Expires={EPOCH}; Path=/"),
        ]
    );
    let reply = client.get("/delete_tokens").await;
    assert_eq!(
        reply.set_cookies[0],
        format!("access_token_cookie=; Domain=config.com; Expires={EPOCH}; HttpOnly; Path=/")
    );
}

#[actix_web::test]
async fn max_age_argument_overrides_the_session_setting() {
    // Session cookies by default; an explicit max_age makes them persistent.
    let manager = manager(config());
    let mut client = client(config()).await;
    let reply = client.get("/access_token?max_age=60&domain=foo.com").await;
    check_pair(
        &manager,
        &reply.set_cookies,
        "access_token_cookie=<value>; Domain=foo.com; Expires=<expires>; Max-Age=60; HttpOnly; Path=/",
        "csrf_access_token=<value>; Domain=foo.com; Expires=<expires>; Max-Age=60; Path=/",
        Some(60),
    );
    let reply = client.get("/refresh_token?max_age=3600").await;
    check_pair(
        &manager,
        &reply.set_cookies,
        "refresh_token_cookie=<value>; Expires=<expires>; Max-Age=3600; HttpOnly; Path=/",
        "csrf_refresh_token=<value>; Expires=<expires>; Max-Age=3600; Path=/",
        Some(3600),
    );

    // And overrides a persistent config's one year.
    let mut persistent = config();
    persistent.session_cookie = false;
    let mut client = self::client(persistent).await;
    let reply = client.get("/access_token?max_age=120").await;
    check_pair(
        &manager,
        &reply.set_cookies,
        "access_token_cookie=<value>; Expires=<expires>; Max-Age=120; HttpOnly; Path=/",
        "csrf_access_token=<value>; Expires=<expires>; Max-Age=120; Path=/",
        Some(120),
    );
}

#[actix_web::test]
async fn max_age_zero_deletes_the_cookies_now() {
    // flask falls back to the config for `max_age=0`; here it means "delete now".
    let mut client = client(config()).await;
    client.get("/access_token").await;
    assert!(client.jar.contains_key("access_token_cookie"));
    let reply = client.get("/access_token?max_age=0").await;
    assert_eq!(reply.set_cookies.len(), 2, "{reply:?}");
    check_set_cookie(
        &reply.set_cookies[0],
        &format!("access_token_cookie=<value>; Expires={EPOCH}; Max-Age=0; HttpOnly; Path=/"),
        None,
    );
    check_set_cookie(
        &reply.set_cookies[1],
        &format!("csrf_access_token=<value>; Expires={EPOCH}; Max-Age=0; Path=/"),
        None,
    );
    assert!(client.jar.is_empty(), "{:?}", client.jar);
    client
        .get("/protected")
        .await
        .assert_msg(401, "Missing cookie \"access_token_cookie\"");
}

#[actix_web::test]
async fn setting_cookies_for_an_invalid_token_fails() {
    let manager = manager(config());
    let mut response = HttpResponse::Ok().finish();
    let error = manager
        .set_access_cookies(&mut response, "not-a-token")
        .expect_err("an invalid token");
    assert_eq!(error.message(), "Not enough segments");
    assert!(
        response.headers().get(SET_COOKIE).is_none(),
        "nothing set on failure"
    );

    // A per-call domain that would inject attributes is refused.
    let token = manager.access_token("username").build().expect("token");
    let options = CookieOptions {
        domain: Some("evil.com; HttpOnly=false".into()),
        ..CookieOptions::default()
    };
    assert!(
        manager
            .set_access_cookies_with(&mut response, &token, &options)
            .is_err()
    );
    assert!(
        response.headers().get(SET_COOKIE).is_none(),
        "nothing set on failure"
    );
}
