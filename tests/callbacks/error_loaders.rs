//! Error responses: every default (flask's status and `{"msg": ..}` body, under a custom
//! message key too), every error loader replacing its default once for the whole app,
//! and callback failures (a panic in any callback is a clean 500, and the server keeps
//! serving).

use std::{convert::Infallible, sync::Arc};

use crate::support::raw_http::raw_request;
use crate::support::{
    self, Counter, access_token, fresh_access_token, get_with, init_app, refresh_token, send,
};
use actix_jwt_extended::{
    CurrentUser, DecodedToken, Jwt, JwtConfig, JwtManager, JwtManagerBuilder, Location,
    jwt_required,
};
use actix_web::{App, HttpResponse, HttpServer, get, post, web};
use serde_json::{Value, json};

const UNAVAILABLE: &str = "Token revocation status is unavailable, try again later";

#[get("/protected")]
#[jwt_required]
async fn protected(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(json!({"identity": jwt.identity()}))
}

#[get("/fresh")]
#[jwt_required(fresh)]
async fn fresh() -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

#[get("/user")]
#[jwt_required]
async fn user_page(user: CurrentUser<String>) -> HttpResponse {
    HttpResponse::Ok().json(json!({"user": *user}))
}

/// A cookie route with CSRF double submit (POST is a CSRF method).
#[post("/cookie")]
#[jwt_required(locations = "cookies")]
async fn cookie() -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(protected)
        .service(fresh)
        .service(user_page)
        .service(cookie);
}

/// Callbacks that make every error reachable: the blocklist refuses identity
/// `revoked` and cannot answer for `unavailable`, the verification refuses `unverified`,
/// the lookup finds nobody called `ghost`.
fn with_callbacks(config: JwtConfig) -> JwtManagerBuilder {
    JwtManager::builder(config)
        .token_in_blocklist_loader(|token: Arc<DecodedToken>| {
            let identity = token.identity_str().unwrap_or_default().to_owned();
            async move {
                match identity.as_str() {
                    "unavailable" => Err("connection refused"),
                    other => Ok(other == "revoked"),
                }
            }
        })
        .token_verification_loader(|token| token.identity_str() != Some("unverified"))
        .user_lookup_loader(|token: Arc<DecodedToken>| {
            let identity = token.identity_str().unwrap_or_default().to_owned();
            async move { Ok::<_, Infallible>((identity != "ghost").then_some(identity)) }
        })
}

/// A manager signing with another secret, for forged tokens.
fn forger() -> JwtManager {
    let mut config = support::config();
    config.secret_key = Some("another secret, at least thirty-two bytes".to_owned());
    JwtManager::new(config).expect("valid manager")
}

/// `(request, status, default message)` for every error kind a route can answer.
fn cases(manager: &JwtManager) -> Vec<(actix_http::Request, u16, &'static str)> {
    let cookie_without_csrf = actix_web::test::TestRequest::post()
        .uri("/cookie")
        .insert_header((
            "Cookie",
            format!("access_token_cookie={}", access_token(manager, "username")),
        ))
        .to_request();
    let bad_header = actix_web::test::TestRequest::get()
        .uri("/protected")
        .insert_header(("Authorization", "Bearer a b"))
        .to_request();
    vec![
        (
            support::get("/protected"),
            401,
            "Missing Authorization Header",
        ),
        (cookie_without_csrf, 401, "Missing CSRF token"),
        (
            bad_header,
            422,
            "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'",
        ),
        (
            get_with("/protected", &access_token(&forger(), "username")),
            422,
            "Signature verification failed",
        ),
        (
            get_with("/protected", &refresh_token(manager, "username")),
            422,
            "Only non-refresh tokens are allowed",
        ),
        (
            get_with("/protected", &support::expired_access_token("username")),
            401,
            "Token has expired",
        ),
        (
            get_with("/fresh", &access_token(manager, "username")),
            401,
            "Fresh token required",
        ),
        (
            get_with("/protected", &access_token(manager, "revoked")),
            401,
            "Token has been revoked",
        ),
        (
            get_with("/protected", &access_token(manager, "unavailable")),
            503,
            UNAVAILABLE,
        ),
        (
            get_with("/protected", &access_token(manager, "unverified")),
            400,
            "User claims verification failed",
        ),
        (
            get_with("/user", &access_token(manager, "ghost")),
            401,
            "Error loading the user ghost",
        ),
    ]
}

#[actix_web::test]
async fn test_default_error_responses() {
    let manager = with_callbacks(support::config())
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    for (request, status, message) in cases(&manager) {
        send(&app, request).await.assert_error(status, message);
    }
    send(&app, get_with("/user", &access_token(&manager, "username")))
        .await
        .assert_json(200, &json!({"user": "username"}));
}

#[actix_web::test]
async fn test_default_error_responses_use_the_message_key() {
    let mut config = support::config();
    config.error_message_key = "error".to_owned();
    let manager = with_callbacks(config).build().expect("valid manager");
    let app = init_app(&manager, routes).await;
    for (request, status, message) in cases(&manager) {
        send(&app, request)
            .await
            .assert_error_with_key(status, "error", message);
    }
}

/// Every error loader registered: each replaces its default for the whole app, gets
/// the message or the decoded token, and may choose any status and body.
#[actix_web::test]
async fn test_custom_error_loaders() {
    fn token_body(kind: &str, token: &DecodedToken) -> Value {
        json!({"error": kind, "sub": token.identity(), "alg": token.header()["alg"]})
    }
    let manager = with_callbacks(support::config())
        .expired_token_loader(|token| {
            HttpResponse::Unauthorized().json(token_body("token_expired", token))
        })
        .invalid_token_loader(|message| {
            HttpResponse::BadRequest().json(json!({"error": "invalid_token", "detail": message}))
        })
        .unauthorized_loader(|message| {
            HttpResponse::Unauthorized()
                .insert_header(("WWW-Authenticate", "Bearer"))
                .json(json!({"error": "authorization_required", "detail": message}))
        })
        .needs_fresh_token_loader(|token| {
            HttpResponse::Forbidden().json(token_body("fresh_token_required", token))
        })
        .revoked_token_loader(|token| HttpResponse::Gone().json(token_body("token_revoked", token)))
        .token_verification_failed_loader(|token| {
            HttpResponse::Forbidden().json(token_body("claims_rejected", token))
        })
        .user_lookup_error_loader(|token| {
            HttpResponse::NotFound().json(token_body("user_not_found", token))
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    let expected = [
        (
            401,
            json!({"error": "authorization_required", "detail": "Missing Authorization Header"}),
        ),
        (
            401,
            json!({"error": "authorization_required", "detail": "Missing CSRF token"}),
        ),
        (
            400,
            json!({"error": "invalid_token", "detail": "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"}),
        ),
        (
            400,
            json!({"error": "invalid_token", "detail": "Signature verification failed"}),
        ),
        (
            400,
            json!({"error": "invalid_token", "detail": "Only non-refresh tokens are allowed"}),
        ),
        (
            401,
            json!({"error": "token_expired", "sub": "username", "alg": "HS256"}),
        ),
        (
            403,
            json!({"error": "fresh_token_required", "sub": "username", "alg": "HS256"}),
        ),
        (
            410,
            json!({"error": "token_revoked", "sub": "revoked", "alg": "HS256"}),
        ),
        // No loader for an unreachable blocklist: the default stays.
        (503, json!({"msg": UNAVAILABLE})),
        (
            403,
            json!({"error": "claims_rejected", "sub": "unverified", "alg": "HS256"}),
        ),
        (
            404,
            json!({"error": "user_not_found", "sub": "ghost", "alg": "HS256"}),
        ),
    ];
    let cases = cases(&manager);
    assert_eq!(cases.len(), expected.len());
    for ((request, _, message), (status, body)) in cases.into_iter().zip(expected) {
        let reply = send(&app, request).await;
        assert_eq!(reply.status, status, "{message}: {reply:?}");
        assert_eq!(reply.json(), body, "{message}: {reply:?}");
    }
    // Successful requests are untouched by the loaders.
    send(
        &app,
        get_with("/fresh", &fresh_access_token(&manager, "username")),
    )
    .await
    .assert_json(200, &json!({"foo": "bar"}));
}

/// The unauthorized loader also answers CSRF mismatches (flask's CSRFError handler).
#[actix_web::test]
async fn test_unauthorized_loader_answers_csrf_mismatch() {
    let manager = JwtManager::builder(support::config())
        .unauthorized_loader(|message| HttpResponse::Unauthorized().body(message.to_owned()))
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    let request = actix_web::test::TestRequest::post()
        .uri("/cookie")
        .insert_header((
            "Cookie",
            format!("access_token_cookie={}", access_token(&manager, "username")),
        ))
        .insert_header(("X-CSRF-TOKEN", "not-the-right-value"))
        .to_request();
    let reply = send(&app, request).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (401, "CSRF double submit tokens do not match")
    );
}

/// A panicking error loader falls back to a clean 500.
#[actix_web::test]
async fn test_panicking_error_loader_is_500() {
    let manager = JwtManager::builder(support::config())
        .expired_token_loader(|_token| panic!("expired loader exploded"))
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    send(
        &app,
        get_with("/protected", &support::expired_access_token("username")),
    )
    .await
    .assert_error(500, "Internal Server Error");
    send(
        &app,
        get_with("/protected", &access_token(&manager, "username")),
    )
    .await
    .assert_json(200, &json!({"identity": "username"}));
}

// ---- panics in callbacks, on a real server -------------------------------------

/// Callbacks that panic for identity `boom-*` (the part after `boom-` names which one).
fn panicking(calls: &Counter) -> JwtManager {
    let calls = calls.clone();
    JwtManager::builder(support::config())
        .token_in_blocklist_loader(|token: Arc<DecodedToken>| {
            let identity = token.identity_str().unwrap_or_default().to_owned();
            async move {
                if identity == "boom-blocklist" {
                    panic!("blocklist exploded");
                }
                Ok::<_, Infallible>(false)
            }
        })
        .token_verification_loader(|token| {
            if token.identity_str() == Some("boom-verification") {
                panic!("verification exploded");
            }
            true
        })
        .user_lookup_loader(move |token: Arc<DecodedToken>| {
            calls.hit();
            let identity = token.identity_str().unwrap_or_default().to_owned();
            async move {
                if identity == "boom-lookup" {
                    panic!("lookup exploded");
                }
                Ok::<_, Infallible>(Some(identity))
            }
        })
        .revoked_token_loader(|_token| panic!("revoked loader exploded"))
        .build()
        .expect("valid manager")
}

/// A panic in any callback answers that request with 500; the one worker of a real
/// server keeps answering the next requests.
#[actix_web::test]
async fn test_panicking_callbacks_on_a_real_server() {
    support::logs::capture();
    let calls = Counter::default();
    let manager = panicking(&calls);
    let data = web::Data::new(manager.clone());
    let server = HttpServer::new(move || App::new().app_data(data.clone()).configure(routes))
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))
        .expect("bind a free port");
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(server);

    let tokens: Vec<(String, u16)> = [
        ("boom-blocklist", 500),
        ("fine", 200),
        ("boom-verification", 500),
        ("fine", 200),
        ("boom-lookup", 500),
        ("fine", 200),
    ]
    .into_iter()
    .map(|(identity, status)| (access_token(&manager, identity), status))
    .collect();
    let replies = actix_web::rt::task::spawn_blocking(move || {
        tokens
            .iter()
            .map(|(token, status)| {
                let auth = format!("Bearer {token}");
                let reply = raw_request(addr, "GET", "/user", &[("Authorization", &auth)], "");
                (reply, *status)
            })
            .collect::<Vec<_>>()
    })
    .await
    .expect("client thread");
    for (reply, status) in replies {
        assert_eq!(reply.status, status, "{reply:?}");
        let expected = if status == 200 {
            json!({"user": "fine"})
        } else {
            json!({"msg": "Internal Server Error"})
        };
        let body: Value = serde_json::from_str(&reply.body).expect("JSON body");
        assert_eq!(body, expected, "{reply:?}");
    }
    handle.stop(true).await;
    // Each panic is logged, naming the callback.
    for (name, text) in [
        ("token_in_blocklist_loader", "blocklist exploded"),
        ("token_verification_loader", "verification exploded"),
        ("user_lookup_loader", "lookup exploded"),
    ] {
        let lines = support::logs::containing(&["ERROR", name, "panicked", text]);
        assert!(!lines.is_empty(), "no log line for the {name} panic");
    }
}

/// Async callbacks (user lookup, blocklist) whose closure panics before it returns its
/// future are caught too.
#[actix_web::test]
async fn test_callback_panicking_before_its_future() {
    let manager = JwtManager::builder(support::config())
        .token_in_blocklist_loader(|token: Arc<DecodedToken>| {
            if token.identity_str() == Some("boom-blocklist") {
                panic!("blocklist exploded synchronously");
            }
            async { Ok::<_, Infallible>(false) }
        })
        .user_lookup_loader(|token: Arc<DecodedToken>| {
            if token.identity_str() == Some("boom-lookup") {
                panic!("lookup exploded synchronously");
            }
            async { Ok::<_, Infallible>(Some("fine".to_owned())) }
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    for identity in ["boom-blocklist", "boom-lookup"] {
        send(&app, get_with("/user", &access_token(&manager, identity)))
            .await
            .assert_error(500, "Internal Server Error");
    }
    send(&app, get_with("/user", &access_token(&manager, "ok")))
        .await
        .assert_json(200, &json!({"user": "fine"}));
}

/// A store or callback that cannot answer never lets a token through, on any route
/// that checks revocation; the cookie location is no exception.
#[actix_web::test]
async fn test_unavailable_blocklist_fails_closed_everywhere() {
    let mut config = support::config();
    config.token_location = vec![Location::Headers, Location::Cookies];
    let manager = JwtManager::builder(config)
        .token_in_blocklist_loader(|_token| async { Err::<bool, _>("down") })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    let token = fresh_access_token(&manager, "username");
    for url in ["/protected", "/fresh"] {
        send(&app, get_with(url, &token))
            .await
            .assert_error(503, UNAVAILABLE);
    }
    let csrf = manager
        .decode_token(&token, None, false)
        .expect("valid token")
        .csrf()
        .expect("csrf claim")
        .to_owned();
    let request = actix_web::test::TestRequest::post()
        .uri("/cookie")
        .insert_header(("Cookie", format!("access_token_cookie={token}")))
        .insert_header(("X-CSRF-TOKEN", csrf))
        .to_request();
    send(&app, request).await.assert_error(503, UNAVAILABLE);
}
