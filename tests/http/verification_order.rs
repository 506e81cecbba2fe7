//! `#[jwt_required]` verifies before any of the handler's extractors exists:
//! a refused request never creates them, so no body is read and no extractor's error
//! answers first. Proven for both ways the gate runs: synchronously (nothing in the
//! pipeline awaits) and through a future (a blocklist that really awaits), with a
//! counting extractor and a `web::Json<T>` parameter.

use std::{
    convert::Infallible,
    future::{Ready, ready},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use crate::support::{self, Reply, access_token, bearer, manager, send};
use actix_jwt_extended::{DecodedToken, Jwt, JwtManager, jwt_required};
use actix_web::{
    App, FromRequest, HttpRequest, HttpResponse, dev::Payload, post, test as actix_test, web,
};
use serde_json::{Value, json};

/// Counts how often actix-web creates it (its `from_request` runs).
struct Counted;

impl FromRequest for Counted {
    type Error = Infallible;
    type Future = Ready<Result<Self, Infallible>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if let Some(counter) = req.app_data::<web::Data<AtomicUsize>>() {
            counter.fetch_add(1, Ordering::SeqCst);
        }
        ready(Ok(Counted))
    }
}

#[post("/echo")]
#[jwt_required]
async fn echo(_counted: Counted, jwt: Jwt, body: web::Json<Value>) -> HttpResponse {
    HttpResponse::Ok().json(json!({"sub": jwt.identity(), "body": body.into_inner()}))
}

/// A manager whose blocklist answers after a real await, revoking the token of `bob`.
fn awaiting_manager() -> JwtManager {
    JwtManager::builder(support::config())
        .token_in_blocklist_loader(|token: Arc<DecodedToken>| async move {
            actix_rt::time::sleep(Duration::from_millis(5)).await;
            Ok::<_, Infallible>(token.identity_str() == Some("bob"))
        })
        .build()
        .expect("valid config")
}

async fn post_echo(manager: &JwtManager, token: Option<&str>, body: &str) -> (Reply, usize) {
    let created = web::Data::new(AtomicUsize::new(0));
    let app = actix_test::init_service(
        App::new()
            .app_data(manager.clone())
            .app_data(created.clone())
            .service(echo),
    )
    .await;
    let mut req = actix_test::TestRequest::post()
        .uri("/echo")
        .insert_header(("Content-Type", "application/json"))
        .set_payload(body.to_owned());
    if let Some(token) = token {
        req = req.insert_header(bearer(token));
    }
    let reply = send(&app, req.to_request()).await;
    (reply, created.load(Ordering::SeqCst))
}

async fn check_order(manager: &JwtManager, revoked: Option<&str>) {
    let alice = access_token(manager, "alice");

    // Verified: every extractor runs, once, and reads the body.
    let (reply, created) = post_echo(manager, Some(&alice), r#"{"a":1}"#).await;
    reply.assert_json(200, &json!({"sub": "alice", "body": {"a": 1}}));
    assert_eq!(created, 1);

    // Verified, then the JSON extractor's own error.
    let (reply, created) = post_echo(manager, Some(&alice), "{not json").await;
    assert_eq!(reply.status, 400, "{reply:?}");
    assert_eq!(created, 1);

    // Refused: the JWT error answers, and no extractor was created.
    let (reply, created) = post_echo(manager, None, "{not json").await;
    reply.assert_error(401, "Missing Authorization Header");
    assert_eq!(created, 0);
    let (reply, created) = post_echo(manager, Some("not.a.token"), "{not json").await;
    assert_eq!(reply.status, 422, "{reply:?}");
    assert_eq!(created, 0);
    if let Some(revoked) = revoked {
        let (reply, created) = post_echo(manager, Some(revoked), "{not json").await;
        reply.assert_error(401, "Token has been revoked");
        assert_eq!(created, 0);
    }
}

#[actix_web::test]
async fn synchronous_gate_verifies_before_any_extractor() {
    check_order(&manager(), None).await;
}

#[actix_web::test]
async fn awaiting_gate_verifies_before_any_extractor() {
    let manager = awaiting_manager();
    let bob = access_token(&manager, "bob");
    check_order(&manager, Some(&bob)).await;
}
