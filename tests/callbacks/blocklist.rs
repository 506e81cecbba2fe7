//! Revocation over HTTP: flask-jwt-extended's `tests/test_blocklist.py` (the
//! `token_in_blocklist_loader` callback and `revoked_token_loader`), plus the port's
//! in-memory store: revoking the current token, revoking both tokens of a login,
//! entries that expire with their tokens, and concurrent revocations.

use std::{
    convert::Infallible,
    sync::{Arc, Mutex},
    time::Duration,
};

use crate::support::{
    self, Counter, access_token, builder, get_with, init_app, post_with, refresh_token, send,
};
use actix_jwt_extended::{Blocklist, DecodedToken, Jwt, JwtManager, MemoryBlocklist, jwt_required};
use actix_web::{HttpResponse, get, post, web};
use futures_util::future::join_all;
use serde_json::{Value, json};

const REVOKED: &str = "Token has been revoked";
const UNAVAILABLE: &str = "Token revocation status is unavailable, try again later";

#[get("/protected")]
#[jwt_required]
async fn access_protected() -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

#[get("/refresh_protected")]
#[jwt_required(refresh)]
async fn refresh_protected() -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

#[get("/skip")]
#[jwt_required(skip_revocation_check)]
async fn skip() -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

#[get("/refresh_skip")]
#[jwt_required(refresh, skip_revocation_check)]
async fn refresh_skip() -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

/// flask's "revoke the current token" logout: `jti` of the access token.
#[post("/logout")]
#[jwt_required]
async fn logout(jwt: Jwt, manager: web::Data<JwtManager>) -> HttpResponse {
    match manager.revoke(jwt.token()).await {
        Ok(()) => HttpResponse::Ok().json(json!({"msg": "Access token revoked"})),
        Err(error) => manager.error_response(&error),
    }
}

/// Logout of the whole login (access and refresh), with either token.
#[post("/logout_login")]
#[jwt_required(verify_type = false)]
async fn logout_login(jwt: Jwt, manager: web::Data<JwtManager>) -> HttpResponse {
    match manager.revoke_login(jwt.token()).await {
        Ok(()) => HttpResponse::Ok().json(json!({"msg": "Logged out", "with": jwt.token_type()})),
        Err(error) => manager.error_response(&error),
    }
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(access_protected)
        .service(refresh_protected)
        .service(skip)
        .service(refresh_skip)
        .service(logout)
        .service(logout_login);
}

fn foo_bar() -> Value {
    json!({"foo": "bar"})
}

/// What a blocklist callback was called with: `(alg, sub, type)`.
type Seen = Arc<Mutex<Vec<(Value, Value, Value)>>>;

/// A manager whose `token_in_blocklist_loader` answers `revoked`, recording its calls.
fn with_callback(revoked: bool, seen: &Seen) -> JwtManager {
    let seen = seen.clone();
    builder()
        .token_in_blocklist_loader(move |token: Arc<DecodedToken>| {
            seen.lock().expect("lock").push((
                token.header()["alg"].clone(),
                token.claim("sub").cloned().unwrap_or(Value::Null),
                token.claim("type").cloned().unwrap_or(Value::Null),
            ));
            async move { Ok::<_, Infallible>(revoked) }
        })
        .build()
        .expect("valid manager")
}

fn calls(seen: &Seen) -> Vec<(Value, Value, Value)> {
    seen.lock().expect("lock").clone()
}

#[actix_web::test]
async fn test_non_blocklisted_access_token() {
    let seen = Seen::default();
    let manager = with_callback(false, &seen);
    let app = init_app(&manager, routes).await;
    let token = access_token(&manager, "username");
    send(&app, get_with("/protected", &token))
        .await
        .assert_json(200, &foo_bar());
    assert_eq!(
        calls(&seen),
        vec![(json!("HS256"), json!("username"), json!("access"))]
    );
}

#[actix_web::test]
async fn test_blocklisted_access_token() {
    let seen = Seen::default();
    let manager = with_callback(true, &seen);
    let app = init_app(&manager, routes).await;
    let token = access_token(&manager, "username");
    send(&app, get_with("/protected", &token))
        .await
        .assert_error(401, REVOKED);
    assert_eq!(calls(&seen).len(), 1);
}

#[actix_web::test]
async fn test_non_blocklisted_refresh_token() {
    let seen = Seen::default();
    let manager = with_callback(false, &seen);
    let app = init_app(&manager, routes).await;
    let token = refresh_token(&manager, "username");
    send(&app, get_with("/refresh_protected", &token))
        .await
        .assert_json(200, &foo_bar());
    assert_eq!(
        calls(&seen),
        vec![(json!("HS256"), json!("username"), json!("refresh"))]
    );
}

#[actix_web::test]
async fn test_blocklisted_refresh_token() {
    let seen = Seen::default();
    let manager = with_callback(true, &seen);
    let app = init_app(&manager, routes).await;
    let token = refresh_token(&manager, "username");
    send(&app, get_with("/refresh_protected", &token))
        .await
        .assert_error(401, REVOKED);
}

#[actix_web::test]
async fn test_custom_blocklisted_message() {
    let seen = Seen::default();
    let record = seen.clone();
    let manager = builder()
        .token_in_blocklist_loader(|_token| async { Ok::<_, Infallible>(true) })
        .revoked_token_loader(move |token| {
            record.lock().expect("lock").push((
                token.header()["alg"].clone(),
                token.claim("sub").cloned().unwrap_or(Value::Null),
                token.claim("type").cloned().unwrap_or(Value::Null),
            ));
            HttpResponse::NotFound().json(json!({"baz": "foo"}))
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    let token = access_token(&manager, "username");
    send(&app, get_with("/protected", &token))
        .await
        .assert_json(404, &json!({"baz": "foo"}));
    assert_eq!(
        calls(&seen),
        vec![(json!("HS256"), json!("username"), json!("access"))]
    );
}

#[actix_web::test]
async fn test_no_blocklist_callback_method_provided() {
    let manager = builder().build().expect("valid manager");
    let app = init_app(&manager, routes).await;
    send(
        &app,
        get_with("/protected", &access_token(&manager, "username")),
    )
    .await
    .assert_json(200, &foo_bar());
    send(
        &app,
        get_with("/refresh_protected", &refresh_token(&manager, "username")),
    )
    .await
    .assert_json(200, &foo_bar());
}

/// The type check comes first: a revoked token of the wrong type gets the type error,
/// and the blocklist is not asked.
#[actix_web::test]
async fn test_revoked_token_of_different_type() {
    let seen = Seen::default();
    let manager = with_callback(true, &seen);
    let app = init_app(&manager, routes).await;
    send(
        &app,
        get_with("/protected", &refresh_token(&manager, "username")),
    )
    .await
    .assert_error(422, "Only non-refresh tokens are allowed");
    send(
        &app,
        get_with("/refresh_protected", &access_token(&manager, "username")),
    )
    .await
    .assert_error(422, "Only refresh tokens are allowed");
    assert!(
        calls(&seen).is_empty(),
        "blocklist asked: {:?}",
        calls(&seen)
    );
}

#[actix_web::test]
async fn test_skip_revocation_check_with_callback() {
    let seen = Seen::default();
    let manager = with_callback(true, &seen);
    let app = init_app(&manager, routes).await;
    let access = access_token(&manager, "username");
    let refresh = refresh_token(&manager, "username");
    send(&app, get_with("/skip", &access))
        .await
        .assert_json(200, &foo_bar());
    send(&app, get_with("/refresh_skip", &refresh))
        .await
        .assert_json(200, &foo_bar());
    assert!(
        calls(&seen).is_empty(),
        "blocklist asked: {:?}",
        calls(&seen)
    );
    send(&app, get_with("/protected", &access))
        .await
        .assert_error(401, REVOKED);
    assert_eq!(calls(&seen).len(), 1);
}

#[actix_web::test]
async fn test_skip_revocation_check_with_store() {
    let store = Arc::new(MemoryBlocklist::new());
    let manager = builder()
        .shared_blocklist(store.clone())
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    let token = access_token(&manager, "username");
    send(&app, post_with("/logout", &token))
        .await
        .assert_json(200, &json!({"msg": "Access token revoked"}));
    send(&app, get_with("/protected", &token))
        .await
        .assert_error(401, REVOKED);
    send(&app, get_with("/skip", &token))
        .await
        .assert_json(200, &foo_bar());
}

/// A blocklist callback that cannot answer fails closed: 503, never let through.
#[actix_web::test]
async fn test_blocklist_callback_error_fails_closed() {
    let manager = builder()
        .token_in_blocklist_loader(|_token| async { Err::<bool, _>("store unreachable") })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    send(
        &app,
        get_with("/protected", &access_token(&manager, "username")),
    )
    .await
    .assert_error(503, UNAVAILABLE);
    send(
        &app,
        get_with("/refresh_protected", &refresh_token(&manager, "username")),
    )
    .await
    .assert_error(503, UNAVAILABLE);
    // `skip_revocation_check` does not ask, so it still works.
    send(&app, get_with("/skip", &access_token(&manager, "username")))
        .await
        .assert_json(200, &foo_bar());
}

/// The callback is async: it may await (a database) before answering.
#[actix_web::test]
async fn test_async_blocklist_callback() {
    let revoked_jti = Arc::new(Mutex::new(String::new()));
    let lookup = revoked_jti.clone();
    let manager = builder()
        .token_in_blocklist_loader(move |token: Arc<DecodedToken>| {
            let lookup = lookup.clone();
            async move {
                actix_web::rt::time::sleep(Duration::from_millis(10)).await;
                let revoked = lookup.lock().expect("lock").clone();
                Ok::<_, Infallible>(token.jti() == Some(revoked.as_str()))
            }
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    let first = access_token(&manager, "username");
    let second = access_token(&manager, "username");
    let jti = manager
        .decode_token(&first, None, false)
        .expect("valid token")
        .jti()
        .expect("jti")
        .to_owned();
    *revoked_jti.lock().expect("lock") = jti;
    send(&app, get_with("/protected", &first))
        .await
        .assert_error(401, REVOKED);
    send(&app, get_with("/protected", &second))
        .await
        .assert_json(200, &foo_bar());
}

/// A store and the callback work together (flask needs both halves written by hand):
/// a store registered after the callback keeps it, and a token is revoked when either
/// says so.
#[actix_web::test]
async fn test_store_keeps_callback() {
    let manager = builder()
        .token_in_blocklist_loader(|_token| async { Ok::<_, Infallible>(true) })
        .blocklist(MemoryBlocklist::new())
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    send(
        &app,
        get_with("/protected", &access_token(&manager, "username")),
    )
    .await
    .assert_error(401, REVOKED);
}

// ---- the in-memory store -------------------------------------------------------

fn memory_manager(store: &Arc<MemoryBlocklist>) -> JwtManager {
    builder()
        .shared_blocklist(store.clone())
        .build()
        .expect("valid manager")
}

#[actix_web::test]
async fn test_revoke_current_token() {
    let store = Arc::new(MemoryBlocklist::new());
    let manager = memory_manager(&store);
    let app = init_app(&manager, routes).await;
    let token = access_token(&manager, "username");
    let other = access_token(&manager, "username");
    send(&app, get_with("/protected", &token))
        .await
        .assert_json(200, &foo_bar());
    send(&app, post_with("/logout", &token))
        .await
        .assert_json(200, &json!({"msg": "Access token revoked"}));
    assert_eq!(store.len(), 1);
    send(&app, get_with("/protected", &token))
        .await
        .assert_error(401, REVOKED);
    send(&app, post_with("/logout", &token))
        .await
        .assert_error(401, REVOKED);
    // Only that token: another token of the same user still works.
    send(&app, get_with("/protected", &other))
        .await
        .assert_json(200, &foo_bar());
}

#[actix_web::test]
async fn test_revoke_login_with_access_token() {
    let store = Arc::new(MemoryBlocklist::new());
    let manager = memory_manager(&store);
    let app = init_app(&manager, routes).await;
    let pair = manager.token_pair("username").expect("token pair");
    let other = manager.token_pair("username").expect("token pair");
    send(&app, get_with("/protected", &pair.access_token))
        .await
        .assert_json(200, &foo_bar());
    send(&app, get_with("/refresh_protected", &pair.refresh_token))
        .await
        .assert_json(200, &foo_bar());

    send(&app, post_with("/logout_login", &pair.access_token))
        .await
        .assert_json(200, &json!({"msg": "Logged out", "with": "access"}));
    assert_eq!(store.len(), 2, "both tokens of the login are recorded");
    send(&app, get_with("/protected", &pair.access_token))
        .await
        .assert_error(401, REVOKED);
    send(&app, get_with("/refresh_protected", &pair.refresh_token))
        .await
        .assert_error(401, REVOKED);
    // Another login of the same user is untouched.
    send(&app, get_with("/protected", &other.access_token))
        .await
        .assert_json(200, &foo_bar());
    send(&app, get_with("/refresh_protected", &other.refresh_token))
        .await
        .assert_json(200, &foo_bar());
}

#[actix_web::test]
async fn test_revoke_login_with_refresh_token() {
    let store = Arc::new(MemoryBlocklist::new());
    let manager = memory_manager(&store);
    let app = init_app(&manager, routes).await;
    let pair = manager.token_pair("username").expect("token pair");
    send(&app, post_with("/logout_login", &pair.refresh_token))
        .await
        .assert_json(200, &json!({"msg": "Logged out", "with": "refresh"}));
    send(&app, get_with("/refresh_protected", &pair.refresh_token))
        .await
        .assert_error(401, REVOKED);
    // The access token names its refresh token, so it is refused as well.
    send(&app, get_with("/protected", &pair.access_token))
        .await
        .assert_error(401, REVOKED);
}

/// The pair is flask-compatible: a fresh access token and a refresh token.
#[actix_web::test]
async fn test_token_pair_layout() {
    let manager = builder().build().expect("valid manager");
    let pair = manager.token_pair("username").expect("token pair");
    let access = manager
        .decode_token(&pair.access_token, None, false)
        .expect("access token");
    let refresh = manager
        .decode_token(&pair.refresh_token, None, false)
        .expect("refresh token");
    assert_eq!(access.token_type(), "access");
    assert!(access.is_fresh());
    assert_eq!(refresh.token_type(), "refresh");
    assert_eq!(access.identity(), &json!("username"));
    assert_eq!(refresh.identity(), &json!("username"));
    assert_eq!(
        access.claim("refresh_jti").and_then(Value::as_str),
        refresh.jti()
    );
    assert_ne!(access.jti(), refresh.jti());
}

/// Revoking needs a store: without one the handler gets an error (a 500 when
/// rendered), never a silent success.
#[actix_web::test]
async fn test_revoke_without_store_is_an_error() {
    let manager = builder().build().expect("valid manager");
    let app = init_app(&manager, routes).await;
    let token = access_token(&manager, "username");
    send(&app, post_with("/logout", &token))
        .await
        .assert_error(500, "Internal Server Error");
    send(&app, get_with("/protected", &token))
        .await
        .assert_json(200, &foo_bar());
}

/// A token without `jti` could never be revoked: refused while a store is on,
/// accepted (as flask does) without one.
#[actix_web::test]
async fn test_token_without_jti() {
    let now = support::now();
    let token = support::encode_token(&json!({
        "fresh": false, "iat": now, "type": "access", "sub": "username",
        "nbf": now, "exp": now + 600,
    }));

    let plain = builder().build().expect("valid manager");
    let app = init_app(&plain, routes).await;
    send(&app, get_with("/protected", &token))
        .await
        .assert_json(200, &foo_bar());

    let store = Arc::new(MemoryBlocklist::new());
    let guarded = memory_manager(&store);
    let app = init_app(&guarded, routes).await;
    send(&app, get_with("/protected", &token))
        .await
        .assert_error(422, "Missing claim: jti");
}

/// One store shared by two apps (two managers, e.g. two servers in one process): a
/// revocation through one is refused by the other.
#[actix_web::test]
async fn test_store_shared_by_two_apps() {
    let store = Arc::new(MemoryBlocklist::new());
    let first = memory_manager(&store);
    let second = memory_manager(&store);
    let app_one = init_app(&first, routes).await;
    let app_two = init_app(&second, routes).await;
    let token = access_token(&first, "username");
    send(&app_two, get_with("/protected", &token))
        .await
        .assert_json(200, &foo_bar());
    send(&app_one, post_with("/logout", &token))
        .await
        .assert_json(200, &json!({"msg": "Access token revoked"}));
    send(&app_two, get_with("/protected", &token))
        .await
        .assert_error(401, REVOKED);
}

/// A revocation lasts until the token's own `exp`, then the store forgets it.
#[actix_web::test]
async fn test_entries_expire_with_their_tokens() {
    let store = MemoryBlocklist::new();
    let now = support::now();
    store
        .revoke("short", Some(now + 1))
        .await
        .expect("memory revoke");
    store
        .revoke("long", Some(now + 600))
        .await
        .expect("memory revoke");
    store.revoke("forever", None).await.expect("memory revoke");
    assert!(store.is_revoked("short").await.expect("memory check"));
    assert!(!store.is_revoked("unknown").await.expect("memory check"));
    actix_web::rt::time::sleep(Duration::from_millis(2100)).await;
    assert!(!store.is_revoked("short").await.expect("memory check"));
    assert!(store.is_revoked("long").await.expect("memory check"));
    assert!(store.is_revoked("forever").await.expect("memory check"));
    assert!(
        store
            .any_revoked(&["unknown", "long"])
            .await
            .expect("memory check")
    );
    assert!(
        !store
            .any_revoked(&["unknown", "short"])
            .await
            .expect("memory check")
    );
}

/// Memory stays bounded by the tokens still alive: a steady stream of short-lived
/// revocations never grows the store past its purge threshold.
#[test]
fn test_entries_are_purged() {
    let store = MemoryBlocklist::new();
    let start = 1_000_000_i64;
    let mut max_len = 0;
    for step in 0..20_000_i64 {
        let now = start + step;
        // Each token lives 10 "seconds": at most 10 are alive at any time.
        store.insert(&format!("jti-{step}"), Some(now + 10), now);
        max_len = max_len.max(store.len());
    }
    assert!(max_len <= 1024, "store grew to {max_len} entries");
    assert!(store.len() < 1024);
    let now = start + 19_999;
    for step in 19_990..20_000 {
        assert!(
            store.contains(&format!("jti-{step}"), now),
            "live entry {step}"
        );
    }
    assert!(!store.contains("jti-0", now));

    // Expired entries also go once they are dead, with the real clock.
    let store = MemoryBlocklist::new();
    let now = support::now();
    for index in 0..1024 {
        store.insert(&format!("old-{index}"), Some(now - 1), now - 2);
    }
    assert_eq!(store.len(), 1024);
    store.insert("new", Some(now + 600), now);
    assert_eq!(store.len(), 1, "dead entries purged on insertion");
    assert!(store.contains("new", now));
}

/// Revocations from many threads at once are all kept.
#[test]
fn test_concurrent_revocations_from_threads() {
    let store = Arc::new(MemoryBlocklist::new());
    let now = support::now();
    let threads: Vec<_> = (0..8)
        .map(|thread| {
            let store = store.clone();
            std::thread::spawn(move || {
                for index in 0..1000 {
                    store.insert(&format!("{thread}-{index}"), Some(now + 600), now);
                    assert!(store.contains(&format!("{thread}-{index}"), now));
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("revoking thread");
    }
    assert_eq!(store.len(), 8000);
    for thread in 0..8 {
        for index in 0..1000 {
            assert!(store.contains(&format!("{thread}-{index}"), now));
        }
    }
}

/// Many logouts in flight at once over HTTP: every one is recorded and refused after.
#[actix_web::test]
async fn test_concurrent_revocations_over_http() {
    let store = Arc::new(MemoryBlocklist::new());
    let manager = memory_manager(&store);
    let app = init_app(&manager, routes).await;
    let tokens: Vec<String> = (0..200)
        .map(|index| access_token(&manager, &format!("user{index}")))
        .collect();
    let logouts = join_all(
        tokens
            .iter()
            .map(|token| send(&app, post_with("/logout", token))),
    )
    .await;
    for reply in logouts {
        reply.assert_json(200, &json!({"msg": "Access token revoked"}));
    }
    assert_eq!(store.len(), 200);
    let checks = join_all(
        tokens
            .iter()
            .map(|token| send(&app, get_with("/protected", token))),
    )
    .await;
    for reply in checks {
        reply.assert_error(401, REVOKED);
    }
}

/// Revocation runs only when its turn comes: a missing or invalid token never reaches
/// the blocklist.
#[actix_web::test]
async fn test_blocklist_not_asked_for_invalid_requests() {
    let calls = Counter::default();
    let counted = calls.clone();
    let manager = builder()
        .token_in_blocklist_loader(move |_token| {
            counted.hit();
            async { Ok::<_, Infallible>(true) }
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    send(&app, support::get("/protected"))
        .await
        .assert_error(401, "Missing Authorization Header");
    send(
        &app,
        get_with("/protected", &support::expired_access_token("username")),
    )
    .await
    .assert_error(401, "Token has expired");
    let mut other_config = support::config();
    other_config.secret_key = Some("another secret, at least thirty-two bytes".to_owned());
    let other = JwtManager::new(other_config).expect("valid manager");
    let forged = access_token(&other, "username");
    send(&app, get_with("/protected", &forged))
        .await
        .assert_error(422, "Signature verification failed");
    assert_eq!(calls.get(), 0);
}
