//! `OPTIONS` requests pass `#[jwt_required]` routes without verification:
//! flask-jwt-extended's `tests/test_options_method.py`. flask exempts `OPTIONS` (not configurable) as the
//! very first step of verification, before any location is looked at.

use crate::support::{Reply, access_token, bearer, manager, send};
use actix_jwt_extended::{Jwt, JwtManager, jwt_required};
use actix_web::{App, HttpResponse, Responder, http::Method, route, test as actix_test, web};
use serde_json::json;

#[route("/jwt_required", method = "GET", method = "OPTIONS")]
#[jwt_required]
async fn jwt_required_endpoint() -> impl Responder {
    "ok"
}

#[route("/fresh_jwt_required", method = "GET", method = "OPTIONS")]
#[jwt_required(fresh)]
async fn fresh_jwt_required_endpoint() -> impl Responder {
    "ok"
}

#[route("/refresh_jwt_required", method = "GET", method = "OPTIONS")]
#[jwt_required(refresh)]
async fn refresh_jwt_required_endpoint() -> impl Responder {
    "ok"
}

/// The attribute above the routing attribute.
#[jwt_required(fresh, locations = "cookies")]
#[route(
    "/cookie_fresh_required",
    method = "GET",
    method = "OPTIONS",
    method = "POST"
)]
async fn cookie_fresh_required_endpoint() -> impl Responder {
    "ok"
}

/// An optional route: on OPTIONS the token extractor is `None`.
#[route("/optional", method = "GET", method = "OPTIONS")]
#[jwt_required(optional)]
async fn optional_endpoint(jwt: Option<Jwt>) -> impl Responder {
    HttpResponse::Ok().json(json!({"identity": jwt.map(|jwt| jwt.identity().clone())}))
}

/// Registered with `web::route().method(Method::OPTIONS)`.
#[jwt_required]
async fn registered_by_hand() -> impl Responder {
    "ok"
}

async fn request(manager: &JwtManager, method: Method, uri: &str, token: Option<&str>) -> Reply {
    let app = actix_test::init_service(
        App::new()
            .app_data(manager.clone())
            .service(jwt_required_endpoint)
            .service(fresh_jwt_required_endpoint)
            .service(refresh_jwt_required_endpoint)
            .service(cookie_fresh_required_endpoint)
            .service(optional_endpoint)
            .route(
                "/by_hand",
                web::route().method(Method::OPTIONS).to(registered_by_hand),
            )
            .route("/by_hand", web::get().to(registered_by_hand)),
    )
    .await;
    let mut req = actix_test::TestRequest::default().method(method).uri(uri);
    if let Some(token) = token {
        req = req.insert_header(bearer(token));
    }
    send(&app, req.to_request()).await
}

#[actix_web::test]
async fn test_access_jwt_required_endpoint() {
    let manager = manager();
    request(&manager, Method::OPTIONS, "/jwt_required", None)
        .await
        .assert_text(200, "ok");
    // GET is still protected.
    request(&manager, Method::GET, "/jwt_required", None)
        .await
        .assert_error(401, "Missing Authorization Header");
}

#[actix_web::test]
async fn test_access_jwt_refresh_token_required_endpoint() {
    let manager = manager();
    request(&manager, Method::OPTIONS, "/refresh_jwt_required", None)
        .await
        .assert_text(200, "ok");
    // Even with the wrong kind of token: nothing is verified.
    let access = access_token(&manager, "username");
    request(
        &manager,
        Method::OPTIONS,
        "/refresh_jwt_required",
        Some(&access),
    )
    .await
    .assert_text(200, "ok");
    request(
        &manager,
        Method::GET,
        "/refresh_jwt_required",
        Some(&access),
    )
    .await
    .assert_error(422, "Only refresh tokens are allowed");
}

#[actix_web::test]
async fn test_access_fresh_jwt_required_endpoint() {
    let manager = manager();
    request(&manager, Method::OPTIONS, "/fresh_jwt_required", None)
        .await
        .assert_text(200, "ok");
    // Even with an invalid token.
    request(
        &manager,
        Method::OPTIONS,
        "/fresh_jwt_required",
        Some("aaaaa.bbbbb.ccccc"),
    )
    .await
    .assert_text(200, "ok");
    let stale = access_token(&manager, "username");
    request(&manager, Method::GET, "/fresh_jwt_required", Some(&stale))
        .await
        .assert_error(401, "Fresh token required");
}

#[actix_web::test]
async fn test_options_with_cookie_location_and_attribute_above_route() {
    let manager = manager();
    request(&manager, Method::OPTIONS, "/cookie_fresh_required", None)
        .await
        .assert_text(200, "ok");
    request(&manager, Method::GET, "/cookie_fresh_required", None)
        .await
        .assert_error(401, "Missing cookie \"access_token_cookie\"");
    request(&manager, Method::POST, "/cookie_fresh_required", None)
        .await
        .assert_error(401, "Missing cookie \"access_token_cookie\"");
}

#[actix_web::test]
async fn test_options_on_optional_route() {
    let manager = manager();
    let token = access_token(&manager, "username");
    // OPTIONS: the token is not even read.
    request(&manager, Method::OPTIONS, "/optional", Some(&token))
        .await
        .assert_json(200, &json!({"identity": null}));
    request(&manager, Method::GET, "/optional", Some(&token))
        .await
        .assert_json(200, &json!({"identity": "username"}));
}

#[actix_web::test]
async fn test_options_route_registered_by_hand() {
    let manager = manager();
    request(&manager, Method::OPTIONS, "/by_hand", None)
        .await
        .assert_text(200, "ok");
    request(&manager, Method::GET, "/by_hand", None)
        .await
        .assert_error(401, "Missing Authorization Header");
}
