//! `user_lookup_loader`, `user_lookup_error_loader` and the `CurrentUser<U>` extractor
//! over HTTP: flask-jwt-extended's `tests/test_user_lookup.py`, plus what the port adds
//! (async lookup, one lookup per request, a missing loader is a 500).

use std::{convert::Infallible, rc::Rc, sync::Arc, time::Duration};

use crate::support::{self, Counter, access_token, builder, get_with, init_app, send};
use actix_jwt_extended::{CurrentUser, DecodedToken, Jwt, JwtManager, jwt_required};
use actix_web::{HttpResponse, get, web};
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq)]
struct User {
    username: String,
}

/// flask's `get_user1`: the user through the extractor's accessor.
#[get("/get_user1")]
#[jwt_required]
async fn get_user1(user: CurrentUser<User>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "foo": user.user().username }))
}

/// flask's `get_user2`: the user through `Deref` (flask's `current_user` proxy).
#[get("/get_user2")]
#[jwt_required]
async fn get_user2(user: CurrentUser<User>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "foo": user.username }))
}

/// Two `CurrentUser` extractors and a `Jwt`: the user must be loaded once, shared.
#[get("/two_users")]
#[jwt_required]
async fn two_users(a: CurrentUser<User>, b: CurrentUser<User>, jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "same": Rc::ptr_eq(&a.user_rc(), &b.user_rc()),
        "user": a.username,
        "identity": jwt.identity(),
        "token_identity": b.token().identity(),
    }))
}

/// The same without the macro: the extractors verify the request themselves.
async fn two_users_without_macro(
    a: CurrentUser<User>,
    b: CurrentUser<User>,
    jwt: Jwt,
) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "same": Rc::ptr_eq(&a.user_rc(), &b.user_rc()),
        "identity": jwt.identity(),
    }))
}

/// A route reading only the token: works without any lookup registered.
#[get("/identity")]
#[jwt_required]
async fn identity_only(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "identity": jwt.identity() }))
}

/// Asks for a user of another type than the loader returns.
#[get("/wrong_type")]
#[jwt_required]
async fn wrong_type(user: CurrentUser<String>) -> HttpResponse {
    HttpResponse::Ok().body(user.user().clone())
}

/// A user that is a plain number (flask accepts falsy users such as `0`).
#[get("/number")]
#[jwt_required]
async fn number(user: CurrentUser<u32>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "user": *user }))
}

fn app_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(get_user1)
        .service(get_user2)
        .service(two_users)
        .service(identity_only)
        .service(wrong_type)
        .service(number)
        .route(
            "/two_users_without_macro",
            web::get().to(two_users_without_macro),
        );
}

/// A manager whose lookup returns a `User` named after the identity, counting calls.
fn looking_up(calls: &Counter) -> JwtManager {
    let calls = calls.clone();
    builder()
        .user_lookup_loader(move |token: Arc<DecodedToken>| {
            calls.hit();
            let username = token.identity_str().map(str::to_owned);
            async move { Ok::<_, Infallible>(username.map(|username| User { username })) }
        })
        .build()
        .expect("valid manager")
}

/// A manager whose lookup finds nobody.
fn finding_nobody() -> JwtManager {
    builder()
        .user_lookup_loader(|_token| async { Ok::<Option<User>, Infallible>(None) })
        .build()
        .expect("valid manager")
}

#[actix_web::test]
async fn test_load_valid_user() {
    let calls = Counter::default();
    let manager = looking_up(&calls);
    let app = init_app(&manager, app_routes).await;
    let token = access_token(&manager, "username");
    for url in ["/get_user1", "/get_user2"] {
        send(&app, get_with(url, &token))
            .await
            .assert_json(200, &json!({"foo": "username"}));
    }
    assert_eq!(calls.get(), 2, "one lookup per request");
}

#[actix_web::test]
async fn test_load_invalid_user() {
    let manager = finding_nobody();
    let app = init_app(&manager, app_routes).await;
    let token = access_token(&manager, "username");
    for url in ["/get_user1", "/get_user2"] {
        send(&app, get_with(url, &token))
            .await
            .assert_error(401, "Error loading the user username");
    }
}

#[actix_web::test]
async fn test_custom_user_lookup_errors() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let manager = builder()
        .user_lookup_loader(|_token| async { Ok::<Option<User>, Infallible>(None) })
        .user_lookup_error_loader(move |token| {
            record.lock().expect("lock").push((
                token.header().get("alg").cloned(),
                token.claim("sub").cloned(),
            ));
            HttpResponse::Created().json(json!({"foo": "bar"}))
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, app_routes).await;
    let token = access_token(&manager, "username");
    for url in ["/get_user1", "/get_user2"] {
        send(&app, get_with(url, &token))
            .await
            .assert_json(201, &json!({"foo": "bar"}));
    }
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(
        seen,
        vec![(Some(json!("HS256")), Some(json!("username"))); 2],
        "the error loader gets the token's header and claims"
    );
}

/// flask: `get_current_user()` without a `user_lookup_loader` raises RuntimeError (a
/// 500). Routes that only read the token still work.
#[actix_web::test]
async fn test_no_user_lookup_loader_is_500() {
    support::logs::capture();
    let manager = builder().build().expect("valid manager");
    let app = init_app(&manager, app_routes).await;
    let token = access_token(&manager, "username");
    for url in ["/get_user1", "/get_user2", "/two_users"] {
        send(&app, get_with(url, &token))
            .await
            .assert_error(500, "Internal Server Error");
    }
    send(&app, get_with("/identity", &token))
        .await
        .assert_json(200, &json!({"identity": "username"}));
    // The log line names the missing loader and how to register it.
    let lines = support::logs::containing(&[
        "ERROR",
        "CurrentUser needs a user lookup",
        "user_lookup_loader",
    ]);
    assert!(lines.len() >= 3, "log lines: {lines:?}");
}

#[actix_web::test]
async fn test_current_user_of_another_type_is_500() {
    support::logs::capture();
    let calls = Counter::default();
    let manager = looking_up(&calls);
    let app = init_app(&manager, app_routes).await;
    let token = access_token(&manager, "username");
    send(&app, get_with("/wrong_type", &token))
        .await
        .assert_error(500, "Internal Server Error");
    let lines = support::logs::containing(&["ERROR", "CurrentUser<alloc::string::String>", "User"]);
    assert!(!lines.is_empty(), "no log line names the types");
}

/// A lookup that fails (a database error) is a 500, not a 401, and not a panic.
#[actix_web::test]
async fn test_lookup_error_is_500() {
    let manager = builder()
        .user_lookup_loader(|_token| async { Err::<Option<User>, _>("database is down") })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, app_routes).await;
    let token = access_token(&manager, "username");
    send(&app, get_with("/get_user1", &token))
        .await
        .assert_error(500, "Internal Server Error");
}

#[actix_web::test]
async fn test_user_loaded_once_per_request_with_two_extractors() {
    let calls = Counter::default();
    let manager = looking_up(&calls);
    let app = init_app(&manager, app_routes).await;
    let token = access_token(&manager, "username");
    send(&app, get_with("/two_users", &token))
        .await
        .assert_json(
            200,
            &json!({
                "same": true,
                "user": "username",
                "identity": "username",
                "token_identity": "username",
            }),
        );
    assert_eq!(calls.get(), 1);
}

/// Without the macro, `Jwt` and each `CurrentUser` start verification on their own; the
/// lookup must still run once per request.
#[actix_web::test]
async fn test_user_loaded_once_per_request_without_macro() {
    let calls = Counter::default();
    let manager = looking_up(&calls);
    let app = init_app(&manager, app_routes).await;
    let token = access_token(&manager, "username");
    send(&app, get_with("/two_users_without_macro", &token))
        .await
        .assert_json(200, &json!({"same": true, "identity": "username"}));
    assert_eq!(calls.get(), 1);
}

/// The loader is async: it may await (a database query) before answering.
#[actix_web::test]
async fn test_async_lookup_awaits() {
    let calls = Counter::default();
    let counted = calls.clone();
    let manager = builder()
        .user_lookup_loader(move |token: Arc<DecodedToken>| {
            counted.hit();
            let username = token.identity_str().unwrap_or_default().to_owned();
            async move {
                actix_web::rt::time::sleep(Duration::from_millis(20)).await;
                Ok::<_, Infallible>((username == "alice").then_some(User { username }))
            }
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, app_routes).await;
    send(
        &app,
        get_with("/get_user2", &access_token(&manager, "alice")),
    )
    .await
    .assert_json(200, &json!({"foo": "alice"}));
    send(&app, get_with("/get_user2", &access_token(&manager, "bob")))
        .await
        .assert_error(401, "Error loading the user bob");
    assert_eq!(calls.get(), 2);
}

/// flask accepts any user but `None`, falsy ones like `0` included.
#[actix_web::test]
async fn test_falsy_user_is_accepted() {
    let manager = builder()
        .user_lookup_loader(|_token| async { Ok::<_, Infallible>(Some(0_u32)) })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, app_routes).await;
    send(
        &app,
        get_with("/number", &access_token(&manager, "username")),
    )
    .await
    .assert_json(200, &json!({"user": 0}));
}

/// The identity in the message is printed as Python's `str()` would.
#[actix_web::test]
async fn test_lookup_error_message_with_non_string_identity() {
    let mut config = support::config();
    config.identity_claim = "user_id".to_owned();
    let manager = JwtManager::builder(config)
        .user_lookup_loader(|_token| async { Ok::<Option<User>, Infallible>(None) })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, app_routes).await;
    for (sub, message) in [
        (json!(42), "Error loading the user 42"),
        (json!(true), "Error loading the user True"),
    ] {
        let token = manager.access_token(&sub).build().expect("access token");
        send(&app, get_with("/get_user1", &token))
            .await
            .assert_error(401, message);
    }
}

/// With a custom message key, the default lookup error uses it.
#[actix_web::test]
async fn test_lookup_error_uses_the_message_key() {
    let mut config = support::config();
    config.error_message_key = "error".to_owned();
    let manager = JwtManager::builder(config)
        .user_lookup_loader(|_token| async { Ok::<Option<User>, Infallible>(None) })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, app_routes).await;
    send(&app, get_with("/get_user1", &access_token(&manager, "x")))
        .await
        .assert_error_with_key(401, "error", "Error loading the user x");
}

/// The lookup gets the verified token: header and every claim.
#[actix_web::test]
async fn test_lookup_sees_the_claims() {
    let manager = builder()
        .user_lookup_loader(|token: Arc<DecodedToken>| {
            let tenant = token.claim("tenant").cloned();
            let alg = token.header().get("alg").cloned();
            async move {
                Ok::<_, Infallible>(Some(User {
                    username: format!(
                        "{}@{}",
                        alg.unwrap_or(Value::Null),
                        tenant.unwrap_or(Value::Null)
                    ),
                }))
            }
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, app_routes).await;
    let token = manager
        .access_token("username")
        .claim("tenant", "acme")
        .build()
        .expect("access token");
    send(&app, get_with("/get_user1", &token))
        .await
        .assert_json(200, &json!({"foo": "\"HS256\"@\"acme\""}));
}
