//! `token_verification_loader` and `token_verification_failed_loader` over HTTP:
//! flask-jwt-extended's `tests/test_claims_verification.py`, and the order in which the
//! callbacks run, as in flask-jwt-extended: type → fresh → blocklist → custom verification → user
//! lookup, each only when its turn comes.

use std::{
    convert::Infallible,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
};

use crate::support::{
    self, Counter, access_token, builder, fresh_access_token, get_with, init_app, refresh_token,
    send,
};
use actix_jwt_extended::{
    CurrentUser, DecodedToken, Jwt, JwtManager, JwtManagerBuilder, jwt_required,
};
use actix_web::{HttpResponse, get, web};
use serde_json::{Value, json};

const FAILED: &str = "User claims verification failed";

#[get("/protected1")]
#[jwt_required]
async fn protected1() -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

#[get("/protected2")]
#[jwt_required(fresh)]
async fn protected2() -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

#[get("/protected3")]
#[jwt_required(optional)]
async fn protected3(jwt: Option<Jwt>) -> HttpResponse {
    HttpResponse::Ok()
        .json(json!({"foo": "bar", "identity": jwt.map(|jwt| jwt.identity().clone())}))
}

#[get("/refresh")]
#[jwt_required(refresh)]
async fn refresh_page() -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

#[get("/skip")]
#[jwt_required(skip_revocation_check)]
async fn skip() -> HttpResponse {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

#[get("/user")]
#[jwt_required]
async fn user_page(user: CurrentUser<String>) -> HttpResponse {
    HttpResponse::Ok().json(json!({"user": *user}))
}

#[get("/fresh_user")]
#[jwt_required(fresh)]
async fn fresh_user_page(user: CurrentUser<String>) -> HttpResponse {
    HttpResponse::Ok().json(json!({"user": *user}))
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(protected1)
        .service(protected2)
        .service(protected3)
        .service(refresh_page)
        .service(skip)
        .service(user_page)
        .service(fresh_user_page);
}

const URLS: [&str; 3] = ["/protected1", "/protected2", "/protected3"];

/// flask's fixture: every token carries `{"foo": "bar"}` from the claims loader.
fn fixture() -> JwtManagerBuilder {
    builder().additional_claims_loader(|_identity| json!({"foo": "bar"}))
}

/// What the verification callback was called with: `(alg, sub, foo)`.
type Seen = Arc<Mutex<Vec<(Value, Value, Value)>>>;

fn verifying(result: bool, seen: &Seen) -> JwtManagerBuilder {
    let seen = seen.clone();
    fixture().token_verification_loader(move |token: &DecodedToken| {
        seen.lock().expect("lock").push((
            token.header()["alg"].clone(),
            token.claim("sub").cloned().unwrap_or(Value::Null),
            token.claim("foo").cloned().unwrap_or(Value::Null),
        ));
        result
    })
}

#[actix_web::test]
async fn test_successful_claims_validation() {
    let seen = Seen::default();
    let manager = verifying(true, &seen).build().expect("valid manager");
    let app = init_app(&manager, routes).await;
    let token = fresh_access_token(&manager, "username");
    for url in URLS {
        let reply = send(&app, get_with(url, &token)).await;
        assert_eq!(reply.status, 200, "{url}: {reply:?}");
        assert_eq!(reply.json()["foo"], "bar", "{url}: {reply:?}");
    }
    assert_eq!(
        seen.lock().expect("lock").clone(),
        vec![(json!("HS256"), json!("username"), json!("bar")); 3]
    );
}

#[actix_web::test]
async fn test_unsuccessful_claims_validation() {
    let seen = Seen::default();
    let manager = verifying(false, &seen).build().expect("valid manager");
    let app = init_app(&manager, routes).await;
    let token = fresh_access_token(&manager, "username");
    for url in URLS {
        send(&app, get_with(url, &token))
            .await
            .assert_error(400, FAILED);
    }
    assert_eq!(
        seen.lock().expect("lock").clone(),
        vec![(json!("HS256"), json!("username"), json!("bar")); 3]
    );
}

#[actix_web::test]
async fn test_claims_validation_custom_error() {
    let seen = Seen::default();
    let record = seen.clone();
    let manager = fixture()
        .token_verification_loader(|_token| false)
        .token_verification_failed_loader(move |token| {
            record.lock().expect("lock").push((
                token.header()["alg"].clone(),
                token.claim("sub").cloned().unwrap_or(Value::Null),
                token.claim("foo").cloned().unwrap_or(Value::Null),
            ));
            HttpResponse::NotFound().json(json!({
                "msg": format!("claims failed for {}", token.identity_str().unwrap_or("?"))
            }))
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    let token = fresh_access_token(&manager, "username");
    for url in URLS {
        send(&app, get_with(url, &token))
            .await
            .assert_json(404, &json!({"msg": "claims failed for username"}));
    }
    assert_eq!(seen.lock().expect("lock").len(), 3);
}

/// The usual use: a custom claim check, here on a claim the loader did not add.
#[actix_web::test]
async fn test_claims_validation_on_a_custom_claim() {
    let manager = builder()
        .token_verification_loader(|token| {
            token.claim("role").and_then(Value::as_str) == Some("admin")
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    let admin = manager
        .access_token("username")
        .claim("role", "admin")
        .build()
        .expect("token");
    let guest = manager
        .access_token("username")
        .claim("role", "guest")
        .build()
        .expect("token");
    send(&app, get_with("/protected1", &admin))
        .await
        .assert_json(200, &json!({"foo": "bar"}));
    send(&app, get_with("/protected1", &guest))
        .await
        .assert_error(400, FAILED);
    send(&app, get_with("/protected1", &access_token(&manager, "x")))
        .await
        .assert_error(400, FAILED);
}

/// flask runs the verification on refresh routes too, and `skip_revocation_check`
/// does not skip it.
#[actix_web::test]
async fn test_claims_validation_on_refresh_and_skip_routes() {
    let seen = Seen::default();
    let manager = verifying(false, &seen).build().expect("valid manager");
    let app = init_app(&manager, routes).await;
    send(
        &app,
        get_with("/refresh", &refresh_token(&manager, "username")),
    )
    .await
    .assert_error(400, FAILED);
    send(&app, get_with("/skip", &access_token(&manager, "username")))
        .await
        .assert_error(400, FAILED);
    assert_eq!(seen.lock().expect("lock").len(), 2);
}

/// On an optional route without a token there is nothing to verify.
#[actix_web::test]
async fn test_claims_validation_not_run_without_token() {
    let seen = Seen::default();
    let manager = verifying(false, &seen).build().expect("valid manager");
    let app = init_app(&manager, routes).await;
    send(&app, support::get("/protected3"))
        .await
        .assert_json(200, &json!({"foo": "bar", "identity": null}));
    assert!(seen.lock().expect("lock").is_empty());
}

// ---- the order of the checks (flask-jwt-extended's) ------------------------------

/// Callbacks that refuse everything (each can be switched to accept) and count calls.
#[derive(Clone, Default)]
struct Gate {
    accept_blocklist: Arc<AtomicBool>,
    accept_verification: Arc<AtomicBool>,
    accept_lookup: Arc<AtomicBool>,
    blocklist: Counter,
    verification: Counter,
    lookup: Counter,
}

impl Gate {
    fn manager(&self) -> JwtManager {
        let (blocklist, verification, lookup) = (self.clone(), self.clone(), self.clone());
        builder()
            .token_in_blocklist_loader(move |_token| {
                blocklist.blocklist.hit();
                let revoked = !blocklist.accept_blocklist.load(Ordering::SeqCst);
                async move { Ok::<_, Infallible>(revoked) }
            })
            .token_verification_loader(move |_token| {
                verification.verification.hit();
                verification.accept_verification.load(Ordering::SeqCst)
            })
            .user_lookup_loader(move |token: Arc<DecodedToken>| {
                lookup.lookup.hit();
                let user = lookup
                    .accept_lookup
                    .load(Ordering::SeqCst)
                    .then(|| token.identity_str().unwrap_or_default().to_owned());
                async move { Ok::<_, Infallible>(user) }
            })
            .build()
            .expect("valid manager")
    }

    /// Calls so far: `(blocklist, verification, lookup)`; then forgets them.
    fn take(&self) -> (usize, usize, usize) {
        let calls = (
            self.blocklist.get(),
            self.verification.get(),
            self.lookup.get(),
        );
        self.blocklist.reset();
        self.verification.reset();
        self.lookup.reset();
        calls
    }
}

/// flask's observed precedence: with a refresh token on a fresh access route, where the
/// blocklist says revoked, verification fails and the lookup would fail, the type error
/// wins and no callback runs; then freshness; then each callback in turn.
#[actix_web::test]
async fn test_callbacks_run_only_when_their_turn_comes() {
    let gate = Gate::default();
    let manager = gate.manager();
    let app = init_app(&manager, routes).await;
    let refresh = refresh_token(&manager, "username");
    let stale = access_token(&manager, "username");
    let fresh = fresh_access_token(&manager, "username");

    send(&app, get_with("/fresh_user", &refresh))
        .await
        .assert_error(422, "Only non-refresh tokens are allowed");
    assert_eq!(gate.take(), (0, 0, 0));

    send(&app, get_with("/fresh_user", &stale))
        .await
        .assert_error(401, "Fresh token required");
    assert_eq!(gate.take(), (0, 0, 0));

    send(&app, get_with("/fresh_user", &fresh))
        .await
        .assert_error(401, "Token has been revoked");
    assert_eq!(gate.take(), (1, 0, 0));

    send(&app, get_with("/user", &stale))
        .await
        .assert_error(401, "Token has been revoked");
    assert_eq!(gate.take(), (1, 0, 0));

    gate.accept_blocklist.store(true, Ordering::SeqCst);
    send(&app, get_with("/user", &stale))
        .await
        .assert_error(400, FAILED);
    assert_eq!(gate.take(), (1, 1, 0));

    gate.accept_verification.store(true, Ordering::SeqCst);
    send(&app, get_with("/user", &stale))
        .await
        .assert_error(401, "Error loading the user username");
    assert_eq!(gate.take(), (1, 1, 1));

    gate.accept_lookup.store(true, Ordering::SeqCst);
    send(&app, get_with("/user", &stale))
        .await
        .assert_json(200, &json!({"user": "username"}));
    assert_eq!(gate.take(), (1, 1, 1));
    send(&app, get_with("/fresh_user", &fresh))
        .await
        .assert_json(200, &json!({"user": "username"}));
    assert_eq!(gate.take(), (1, 1, 1));
}

/// Errors found before the callbacks' turn (missing, expired, forged, wrong type)
/// never reach them.
#[actix_web::test]
async fn test_callbacks_not_run_for_rejected_tokens() {
    let gate = Gate::default();
    gate.accept_blocklist.store(true, Ordering::SeqCst);
    gate.accept_verification.store(true, Ordering::SeqCst);
    gate.accept_lookup.store(true, Ordering::SeqCst);
    let manager = gate.manager();
    let app = init_app(&manager, routes).await;

    send(&app, support::get("/user"))
        .await
        .assert_error(401, "Missing Authorization Header");
    send(
        &app,
        get_with("/user", &support::expired_access_token("username")),
    )
    .await
    .assert_error(401, "Token has expired");
    let mut other_config = support::config();
    other_config.secret_key = Some("another secret, at least thirty-two bytes".to_owned());
    let other = JwtManager::new(other_config).expect("valid manager");
    send(&app, get_with("/user", &access_token(&other, "username")))
        .await
        .assert_error(422, "Signature verification failed");
    send(
        &app,
        get_with("/refresh", &access_token(&manager, "username")),
    )
    .await
    .assert_error(422, "Only refresh tokens are allowed");
    assert_eq!(gate.take(), (0, 0, 0));

    // And a route without `CurrentUser` still loads the user (flask loads it for
    // every protected route once a loader is registered).
    send(
        &app,
        get_with("/protected1", &access_token(&manager, "username")),
    )
    .await
    .assert_json(200, &json!({"foo": "bar"}));
    assert_eq!(gate.take(), (1, 1, 1));
}
