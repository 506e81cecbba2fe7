//! The SPA example's server: a browser app authenticated by cookies, with CSRF double
//! submit. Shared by `examples/spa.rs` (which runs it) and `tests/apps/browser_spa.rs`
//! (which starts it on a free port and drives the page in headless Chromium).
//!
//! | route | what it does |
//! | --- | --- |
//! | `GET /` | the page (`index.html`) |
//! | `POST /login` | checks `{"username": "test", "password": "test"}`, sets the access and refresh cookies |
//! | `GET /api/me` | protected: the identity (GET needs no CSRF value) |
//! | `POST /api/echo` | protected: echoes the JSON body; needs `X-CSRF-TOKEN` = the `csrf_access_token` cookie |
//! | `POST /refresh` | refresh token (cookie + `X-CSRF-TOKEN` = `csrf_refresh_token`): a new access cookie |
//! | `POST /logout` | unsets every cookie |

use actix_jwt_extended::{Jwt, JwtConfig, JwtManager, Location, SameSite, jwt_required};
use actix_web::{HttpResponse, Responder, error, get, post, web};
use serde::Deserialize;
use serde_json::{Value, json};

/// The page: plain HTML and JavaScript, no build step.
const INDEX_HTML: &str = include_str!("index.html");

/// The example's manager: tokens in cookies only, CSRF protection on (flask's defaults),
/// `SameSite=Lax` cookies, signed with `secret`.
pub(crate) fn manager(secret: &str) -> JwtManager {
    let config = JwtConfig {
        secret_key: Some(secret.to_owned()),
        token_location: vec![Location::Cookies],
        cookie_samesite: Some(SameSite::Lax),
        ..JwtConfig::default()
    };
    JwtManager::new(config).expect("the example's configuration is valid")
}

/// Registers the routes. The `JwtManager` must be registered on the app as
/// `web::Data<JwtManager>`.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    // A malformed login body answers 400 with a JSON message, like every other error.
    let json_config = web::JsonConfig::default().error_handler(|err, _req| {
        let body = json!({ "msg": err.to_string() });
        error::InternalError::from_response(err, HttpResponse::BadRequest().json(body)).into()
    });
    cfg.app_data(json_config)
        .service(index)
        .service(login)
        .service(me)
        .service(echo)
        .service(refresh_access_cookie)
        .service(logout);
}

#[get("/")]
async fn index() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(INDEX_HTML)
}

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

/// Answers a JSON error message with `status`.
fn message(status: actix_web::http::StatusCode, msg: impl std::fmt::Display) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "msg": msg.to_string() }))
}

/// Checks the (hard-coded) credentials and sets the access and refresh cookies.
#[post("/login")]
async fn login(manager: web::Data<JwtManager>, body: web::Json<Credentials>) -> HttpResponse {
    let Credentials { username, password } = body.into_inner();
    if username.as_deref() != Some("test") || password.as_deref() != Some("test") {
        return message(
            actix_web::http::StatusCode::UNAUTHORIZED,
            "Bad username or password",
        );
    }
    let tokens = manager
        .access_token("test")
        .build()
        .and_then(|access| Ok((access, manager.refresh_token("test").build()?)));
    let (access, refresh) = match tokens {
        Ok(tokens) => tokens,
        Err(error) => return message(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, error),
    };
    let mut response = HttpResponse::Ok();
    let set = manager
        .set_access_cookies(&mut response, &access)
        .and_then(|()| manager.set_refresh_cookies(&mut response, &refresh));
    match set {
        Ok(()) => response.json(json!({"login": true})),
        Err(error) => manager.error_response(&error),
    }
}

/// Who the access cookie belongs to. A GET needs no CSRF value.
#[get("/api/me")]
#[jwt_required(locations = "cookies")]
async fn me(jwt: Jwt) -> impl Responder {
    web::Json(json!({
        "identity": jwt.identity(),
        "location": jwt.location(),
    }))
}

/// Echoes the JSON body; as a POST from a cookie token, it needs the CSRF header.
#[post("/api/echo")]
#[jwt_required(locations = "cookies")]
async fn echo(jwt: Jwt, body: web::Json<Value>) -> impl Responder {
    web::Json(json!({"identity": jwt.identity(), "echo": body.into_inner()}))
}

/// Exchanges the refresh cookie (and its CSRF value) for a new access cookie.
#[post("/refresh")]
#[jwt_required(refresh, locations = "cookies")]
async fn refresh_access_cookie(jwt: Jwt, manager: web::Data<JwtManager>) -> HttpResponse {
    let access = match manager.access_token(jwt.identity()).build() {
        Ok(access) => access,
        Err(error) => return message(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, error),
    };
    let mut response = HttpResponse::Ok();
    match manager.set_access_cookies(&mut response, &access) {
        Ok(()) => response.json(json!({"refresh": true})),
        Err(error) => manager.error_response(&error),
    }
}

/// Deletes every cookie. Needs no token, as in flask's example.
#[post("/logout")]
async fn logout(manager: web::Data<JwtManager>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    manager.unset_jwt_cookies(&mut response);
    response.json(json!({"logout": true}))
}
