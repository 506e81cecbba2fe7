//! The Redis blocklist against a real `redis-server` that each test starts on a free
//! loopback port: revocations shared by apps with separate managers and connections,
//! fail-closed 503 while Redis is down, recovery without rebuilding the app, the key
//! prefix and the TTL that makes Redis forget a revocation with its token.
//!
//! Needs `--features redis`. Without `redis-server` on `PATH` the tests print
//! `SKIPPED redis tests: redis-server not found` and pass, unless
//! `ACTIX_JWT_EXTENDED_REQUIRE_REDIS=1` (as in CI), where they fail.
#![cfg(feature = "redis")]

use std::time::{Duration, Instant};

use crate::support::redis_server::RedisServer;
use crate::support::{self, Reply, access_token, builder, get_with, init_app, post_with, send};
use actix_jwt_extended::{
    Expiry, Jwt, JwtConfig, JwtManager, blocklist::RedisBlocklist, jwt_required,
};
use actix_web::{HttpResponse, get, post, web};
use serde_json::json;

const REVOKED: &str = "Token has been revoked";
const UNAVAILABLE: &str = "Token revocation status is unavailable, try again later";

#[get("/protected")]
#[jwt_required]
async fn protected(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(json!({"identity": jwt.identity()}))
}

#[get("/refresh_protected")]
#[jwt_required(refresh)]
async fn refresh_protected() -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

#[get("/unchecked")]
#[jwt_required(skip_revocation_check)]
async fn unchecked() -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

#[post("/logout")]
#[jwt_required]
async fn logout(jwt: Jwt, manager: web::Data<JwtManager>) -> HttpResponse {
    match manager.revoke(jwt.token()).await {
        Ok(()) => HttpResponse::Ok().json(json!({"msg": "Access token revoked"})),
        Err(error) => manager.error_response(&error),
    }
}

#[post("/logout_login")]
#[jwt_required(verify_type = false)]
async fn logout_login(jwt: Jwt, manager: web::Data<JwtManager>) -> HttpResponse {
    match manager.revoke_login(jwt.token()).await {
        Ok(()) => HttpResponse::Ok().json(json!({"msg": "Logged out"})),
        Err(error) => manager.error_response(&error),
    }
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(protected)
        .service(refresh_protected)
        .service(unchecked)
        .service(logout)
        .service(logout_login);
}

/// A manager with its own connection to the Redis at `url`.
fn redis_manager(url: &str) -> JwtManager {
    builder()
        .blocklist(RedisBlocklist::new(url).expect("valid Redis URL"))
        .build()
        .expect("valid manager")
}

fn identity_of(name: &str) -> serde_json::Value {
    json!({"identity": name})
}

fn jti_of(manager: &JwtManager, token: &str) -> String {
    manager
        .decode_token(token, None, false)
        .expect("valid token")
        .jti()
        .expect("jti")
        .to_owned()
}

/// Two apps, each with its own manager and Redis connection (two server processes in
/// production): a revocation through one is refused by the other at once.
#[actix_web::test]
async fn test_revocation_shared_by_two_apps() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let first = redis_manager(&redis.url());
    let second = redis_manager(&redis.url());
    let app_one = init_app(&first, routes).await;
    let app_two = init_app(&second, routes).await;

    let token = access_token(&first, "alice");
    send(&app_two, get_with("/protected", &token))
        .await
        .assert_json(200, &identity_of("alice"));
    send(&app_one, post_with("/logout", &token))
        .await
        .assert_json(200, &json!({"msg": "Access token revoked"}));
    send(&app_two, get_with("/protected", &token))
        .await
        .assert_error(401, REVOKED);
    send(&app_one, get_with("/protected", &token))
        .await
        .assert_error(401, REVOKED);

    // Both tokens of a login, revoked through the second app, refused by the first.
    let pair = second.token_pair("bob").expect("token pair");
    send(&app_one, get_with("/protected", &pair.access_token))
        .await
        .assert_json(200, &identity_of("bob"));
    send(&app_two, post_with("/logout_login", &pair.access_token))
        .await
        .assert_json(200, &json!({"msg": "Logged out"}));
    send(&app_one, get_with("/protected", &pair.access_token))
        .await
        .assert_error(401, REVOKED);
    send(
        &app_one,
        get_with("/refresh_protected", &pair.refresh_token),
    )
    .await
    .assert_error(401, REVOKED);
    // Other tokens are untouched.
    send(
        &app_one,
        get_with("/protected", &access_token(&second, "alice")),
    )
    .await
    .assert_json(200, &identity_of("alice"));
}

/// Sends `req`, asserting it is answered within a bounded time (no hang while Redis
/// is unreachable).
async fn send_timed<S, B>(app: &S, req: actix_http::Request) -> Reply
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let started = Instant::now();
    let reply = send(app, req).await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "took {took:?}: {reply:?}");
    reply
}

/// Redis stopped mid-run: every check fails closed with 503 and no token is accepted;
/// Redis back on the same port: the same app recovers by itself.
#[actix_web::test]
async fn test_redis_down_fails_closed_then_recovers() {
    support::logs::capture();
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let first = redis_manager(&redis.url());
    let second = redis_manager(&redis.url());
    let app_one = init_app(&first, routes).await;
    let app_two = init_app(&second, routes).await;
    let valid = access_token(&first, "alice");
    let revoked = access_token(&first, "mallory");
    send(&app_one, get_with("/protected", &valid))
        .await
        .assert_json(200, &identity_of("alice"));
    send(&app_one, post_with("/logout", &revoked))
        .await
        .assert_json(200, &json!({"msg": "Access token revoked"}));

    redis.stop();
    for app_reply in [
        send_timed(&app_one, get_with("/protected", &valid)).await,
        send_timed(&app_one, get_with("/protected", &revoked)).await,
        send_timed(&app_two, get_with("/protected", &valid)).await,
        send_timed(&app_two, get_with("/protected", &revoked)).await,
        send_timed(&app_one, post_with("/logout", &valid)).await,
    ] {
        app_reply.assert_error(503, UNAVAILABLE);
    }
    // Each refusal is logged with the store's error.
    let lines = support::logs::containing(&["ERROR", "blocklist store failed", "redis"]);
    assert!(lines.len() >= 5, "log lines: {lines:?}");
    // Revoking outside a protected route (its own check skipped) fails as well.
    let store = RedisBlocklist::new(&redis.url()).expect("valid Redis URL");
    assert!(store.ping().await.is_err());
    // Routes that skip the revocation check do not need Redis.
    send(&app_one, get_with("/unchecked", &valid))
        .await
        .assert_json(200, &json!({"foo": "bar"}));

    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let reply = send_timed(&app_one, get_with("/protected", &valid)).await;
        if reply.status == 200 {
            reply.assert_json(200, &identity_of("alice"));
            break;
        }
        reply.assert_error(503, UNAVAILABLE);
        assert!(
            Instant::now() < deadline,
            "no recovery after Redis came back"
        );
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    while send_timed(&app_two, get_with("/protected", &valid))
        .await
        .status
        != 200
    {
        assert!(Instant::now() < deadline, "second app did not recover");
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    // Revocation works again and is shared again.
    send(&app_two, post_with("/logout", &valid))
        .await
        .assert_json(200, &json!({"msg": "Access token revoked"}));
    send(&app_one, get_with("/protected", &valid))
        .await
        .assert_error(401, REVOKED);
}

/// Keys are `<prefix><jti>` with a TTL of the token's remaining lifetime.
#[actix_web::test]
async fn test_key_prefix_and_ttl() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let prefix = "myapp:revoked:";
    let manager = builder()
        .blocklist(RedisBlocklist::with_prefix(&redis.url(), prefix).expect("valid Redis URL"))
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;

    let token = manager
        .access_token("alice")
        .expires_in(Duration::from_secs(60))
        .build()
        .expect("token");
    let jti = jti_of(&manager, &token);
    send(&app, post_with("/logout", &token))
        .await
        .assert_json(200, &json!({"msg": "Access token revoked"}));
    let ttl: i64 = redis
        .query(&["TTL", &format!("{prefix}{jti}")])
        .parse()
        .expect("TTL is an integer");
    assert!((55..=60).contains(&ttl), "TTL {ttl}");
    assert_eq!(
        redis.query(&["EXISTS", &format!("jwt_blocklist:{jti}")]),
        "0"
    );
    assert_eq!(redis.query(&["EXISTS", &jti]), "0");

    // A token that never expires is revoked for good (no TTL). It is accepted only by a
    // manager whose access tokens never expire (a token without `exp` is refused while
    // an expiry is configured).
    let never = JwtManager::builder(JwtConfig {
        access_token_expires: Expiry::Never,
        ..support::config()
    })
    .blocklist(RedisBlocklist::with_prefix(&redis.url(), prefix).expect("valid Redis URL"))
    .build()
    .expect("valid manager");
    let never_app = init_app(&never, routes).await;
    let forever = never
        .access_token("alice")
        .never_expires()
        .build()
        .expect("token");
    send(&app, post_with("/logout", &forever))
        .await
        .assert_error(422, "Token is missing the \"exp\" claim");
    send(&never_app, post_with("/logout", &forever))
        .await
        .assert_json(200, &json!({"msg": "Access token revoked"}));
    let key = format!("{prefix}{}", jti_of(&never, &forever));
    assert_eq!(redis.query(&["TTL", &key]), "-1");
    send(&never_app, get_with("/protected", &forever))
        .await
        .assert_error(401, REVOKED);

    // A short-lived token: Redis forgets the revocation when the token expires.
    let short = manager
        .access_token("alice")
        .expires_in(Duration::from_secs(3))
        .build()
        .expect("token");
    let key = format!("{prefix}{}", jti_of(&manager, &short));
    send(&app, post_with("/logout", &short))
        .await
        .assert_json(200, &json!({"msg": "Access token revoked"}));
    assert_eq!(redis.query(&["EXISTS", &key]), "1");
    let ttl: i64 = redis
        .query(&["TTL", &key])
        .parse()
        .expect("TTL is an integer");
    assert!((1..=3).contains(&ttl), "TTL {ttl}");
    let deadline = Instant::now() + Duration::from_secs(8);
    while redis.query(&["EXISTS", &key]) != "0" {
        assert!(Instant::now() < deadline, "{key} outlived its token");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    send(&app, get_with("/protected", &short))
        .await
        .assert_error(401, "Token has expired");
}

/// The default prefix is `jwt_blocklist:`; a login revocation writes both `jti`s.
#[actix_web::test]
async fn test_default_prefix_and_login_keys() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    assert_eq!(RedisBlocklist::DEFAULT_PREFIX, "jwt_blocklist:");
    let manager = redis_manager(&redis.url());
    let app = init_app(&manager, routes).await;
    let pair = manager.token_pair("alice").expect("token pair");
    send(&app, post_with("/logout_login", &pair.refresh_token))
        .await
        .assert_json(200, &json!({"msg": "Logged out"}));
    let refresh_key = format!("jwt_blocklist:{}", jti_of(&manager, &pair.refresh_token));
    assert_eq!(redis.query(&["EXISTS", &refresh_key]), "1");
    // The access token is refused through its link to the revoked refresh token.
    send(&app, get_with("/protected", &pair.access_token))
        .await
        .assert_error(401, REVOKED);
    assert_eq!(redis.query(&["DBSIZE"]), "1");
}

/// `connect` checks Redis at once; `new` connects lazily and accepts a down server;
/// a malformed URL is refused by both.
#[actix_web::test]
async fn test_connect_checks_the_server() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let url = redis.url();
    let store = RedisBlocklist::connect(&url)
        .await
        .expect("connect to a running Redis");
    store.ping().await.expect("PING");
    redis.stop();
    assert!(RedisBlocklist::connect(&url).await.is_err());
    assert!(RedisBlocklist::new(&url).is_ok());
    assert!(RedisBlocklist::new("not a url").is_err());
}
