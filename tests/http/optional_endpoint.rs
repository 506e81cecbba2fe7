//! Optional routes: flask-jwt-extended's `tests/test_get_methods_in_optional_endpoint.py`
//! (no token: no claims, no header, no user, and the user lookup is not called), plus
//! what an optional route still refuses.

use std::{convert::Infallible, sync::Arc};

use crate::support::{
    self, Counter, access_token, builder, get_with, init_app, post_with, refresh_token, send,
};
use actix_jwt_extended::{
    CurrentUser, DecodedToken, Jwt, JwtManager, MemoryBlocklist, VerifyOptions, jwt_required,
    verify_jwt_in_request,
};
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde_json::json;

#[derive(Debug)]
struct User {
    username: String,
}

/// flask's `/optional`: answers what `get_jwt()`, `get_jwt_header()` and
/// `current_user` saw.
#[get("/optional")]
#[jwt_required(optional)]
async fn optional(jwt: Option<Jwt>, user: Option<CurrentUser<User>>) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "foo": "bar",
        "claims": jwt.as_ref().map(|jwt| jwt.all_claims().len()),
        "header_alg": jwt.as_ref().map(|jwt| jwt.header()["alg"].clone()),
        "identity": jwt.as_ref().map(|jwt| jwt.identity().clone()),
        "location": jwt.as_ref().and_then(|jwt| jwt.location()).map(|location| location.as_str()),
        "user": user.map(|user| user.username.clone()),
    }))
}

/// An optional route reading only the token.
#[get("/optional_jwt")]
#[jwt_required(optional)]
async fn optional_jwt(jwt: Option<Jwt>) -> HttpResponse {
    HttpResponse::Ok().json(json!({"identity": jwt.map(|jwt| jwt.identity().clone())}))
}

/// flask's `verify_jwt_in_request(optional=True)` inside a handler.
async fn conditional(req: HttpRequest) -> actix_web::Result<HttpResponse> {
    let options = VerifyOptions {
        optional: true,
        ..VerifyOptions::DEFAULT
    };
    let token = verify_jwt_in_request(&req, &options).await?;
    Ok(HttpResponse::Ok().json(json!({
        "identity": token.map(|token| token.identity().clone()),
    })))
}

/// Revokes the current token.
#[actix_web::post("/logout")]
#[jwt_required]
async fn logout(jwt: Jwt, manager: web::Data<JwtManager>) -> HttpResponse {
    match manager.revoke(jwt.token()).await {
        Ok(()) => HttpResponse::Ok().json(json!({"msg": "revoked"})),
        Err(error) => manager.error_response(&error),
    }
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(optional)
        .service(optional_jwt)
        .service(logout)
        .route("/conditional", web::get().to(conditional));
}

/// A manager whose lookup finds users not named `nobody`, counting calls, with an
/// in-memory blocklist.
fn counting(calls: &Counter) -> JwtManager {
    let calls = calls.clone();
    builder()
        .user_lookup_loader(move |token: Arc<DecodedToken>| {
            calls.hit();
            let username = token.identity_str().unwrap_or_default().to_owned();
            async move { Ok::<_, Infallible>((username != "nobody").then_some(User { username })) }
        })
        .blocklist(MemoryBlocklist::new())
        .build()
        .expect("valid manager")
}

#[actix_web::test]
async fn test_get_jwt_in_optional_route() {
    let calls = Counter::default();
    let manager = counting(&calls);
    let app = init_app(&manager, routes).await;
    send(&app, support::get("/optional")).await.assert_json(
        200,
        &json!({
            "foo": "bar", "claims": null, "header_alg": null, "identity": null,
            "location": null, "user": null,
        }),
    );
    assert_eq!(calls.get(), 0, "the user lookup must not be called");
}

/// flask's fixture registers a lookup that fails when called; a panicking one here.
#[actix_web::test]
async fn test_lookup_that_would_fail_is_not_called() {
    let manager = builder()
        .user_lookup_loader(|_token| async {
            panic!("user lookup called on an optional route without a token");
            #[allow(unreachable_code)]
            Ok::<Option<User>, Infallible>(None)
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    let reply = send(&app, support::get("/optional")).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.json()["foo"], "bar");
}

#[actix_web::test]
async fn test_optional_route_with_token() {
    let calls = Counter::default();
    let manager = counting(&calls);
    let app = init_app(&manager, routes).await;
    send(
        &app,
        get_with("/optional", &access_token(&manager, "username")),
    )
    .await
    .assert_json(
        200,
        &json!({
            "foo": "bar", "claims": 8, "header_alg": "HS256", "identity": "username",
            "location": "headers", "user": "username",
        }),
    );
    assert_eq!(calls.get(), 1);
}

/// Only a missing token is tolerated: an invalid, expired, revoked or wrong-type
/// token, or a user that cannot be loaded, still fails.
#[actix_web::test]
async fn test_optional_route_still_refuses_bad_tokens() {
    let calls = Counter::default();
    let manager = counting(&calls);
    let app = init_app(&manager, routes).await;

    send(
        &app,
        get_with("/optional", &support::expired_access_token("username")),
    )
    .await
    .assert_error(401, "Token has expired");
    send(
        &app,
        get_with("/optional", &refresh_token(&manager, "username")),
    )
    .await
    .assert_error(422, "Only non-refresh tokens are allowed");
    let bad_header = actix_web::test::TestRequest::get()
        .uri("/optional")
        .insert_header(("Authorization", "Bearer"))
        .to_request();
    send(&app, bad_header).await.assert_error(
        422,
        "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'",
    );
    assert_eq!(calls.get(), 0);

    send(
        &app,
        get_with("/optional", &access_token(&manager, "nobody")),
    )
    .await
    .assert_error(401, "Error loading the user nobody");
    assert_eq!(calls.get(), 1);

    let token = access_token(&manager, "username");
    send(&app, post_with("/logout", &token))
        .await
        .assert_json(200, &json!({"msg": "revoked"}));
    send(&app, get_with("/optional", &token))
        .await
        .assert_error(401, "Token has been revoked");
}

#[actix_web::test]
async fn test_verify_jwt_in_request_optional() {
    let calls = Counter::default();
    let manager = counting(&calls);
    let app = init_app(&manager, routes).await;
    send(&app, support::get("/conditional"))
        .await
        .assert_json(200, &json!({"identity": null}));
    assert_eq!(calls.get(), 0);
    send(
        &app,
        get_with("/conditional", &access_token(&manager, "username")),
    )
    .await
    .assert_json(200, &json!({"identity": "username"}));
    assert_eq!(calls.get(), 1);
    send(
        &app,
        get_with("/conditional", &support::expired_access_token("username")),
    )
    .await
    .assert_error(401, "Token has expired");
}

/// Without any user lookup, an optional route reading only the token works either way.
#[actix_web::test]
async fn test_optional_route_without_lookup() {
    let manager = builder().build().expect("valid manager");
    let app = init_app(&manager, routes).await;
    send(&app, support::get("/optional_jwt"))
        .await
        .assert_json(200, &json!({"identity": null}));
    send(
        &app,
        get_with("/optional_jwt", &access_token(&manager, "username")),
    )
    .await
    .assert_json(200, &json!({"identity": "username"}));
    // Without a token, `Option<CurrentUser<..>>` is simply `None`.
    let reply = send(&app, support::get("/optional")).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.json()["user"], json!(null));
}

/// flask raises (500) when `current_user` is read with a token but no lookup loader;
/// `Option<CurrentUser<..>>` must not hide that as "no user".
#[actix_web::test]
async fn test_optional_current_user_without_loader_is_500() {
    let manager = builder().build().expect("valid manager");
    let app = init_app(&manager, routes).await;
    send(
        &app,
        get_with("/optional", &access_token(&manager, "username")),
    )
    .await
    .assert_error(500, "Internal Server Error");
}
