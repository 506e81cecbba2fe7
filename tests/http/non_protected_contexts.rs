//! What the token accessors do outside a protected route: flask-jwt-extended's
//! `tests/test_get_jwt_in_non_protected_contexts.py`.
//!
//! In flask, `get_jwt()`, `get_jwt_header()`, `get_jwt_identity()` and `current_user`
//! raise RuntimeError (a 500) when no `@jwt_required()` ran. Here the accessors are
//! extractors: used on a route without the macro, `Jwt` verifies the request itself
//! with the default options, `Option<Jwt>` is `None` without a token, and a missing
//! `JwtManager` or user lookup is a 500 with a log line, never a panic.

use crate::support::{self, Reply, access_token, bearer, manager, refresh_token, send};
use actix_jwt_extended::{CurrentUser, Jwt, JwtManager, VerifyOptions, verify_jwt_in_request};
use actix_web::{
    App, FromRequest, HttpRequest, HttpResponse, Responder, http::Method, test as actix_test, web,
};
use serde_json::json;

/// `get_jwt()` and `get_jwt_identity()`.
async fn jwt_route(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok().json(json!({"identity": jwt.identity(), "type": jwt.token_type()}))
}

/// `get_jwt_header()`.
async fn header_route(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok().json(jwt.header())
}

/// flask's `jwt_required(optional=True)` + `get_jwt_identity()`, without the macro.
async fn optional_route(jwt: Option<Jwt>) -> impl Responder {
    match jwt {
        Some(jwt) => HttpResponse::Ok().json(json!({"identity": jwt.identity()})),
        None => HttpResponse::Ok().json(json!({"identity": null})),
    }
}

/// `current_user`.
async fn user_route(user: CurrentUser<String>) -> impl Responder {
    HttpResponse::Ok().json(json!({"user": user.user()}))
}

/// `verify_jwt_in_request(optional=True)` and its return value; then the `Jwt`
/// extractor sees the stored token.
async fn verify_optional_route(req: HttpRequest) -> actix_web::Result<HttpResponse> {
    const OPTIONS: VerifyOptions = VerifyOptions {
        optional: true,
        ..VerifyOptions::DEFAULT
    };
    let Some(token) = verify_jwt_in_request(&req, &OPTIONS).await? else {
        return Ok(HttpResponse::Ok().json(json!({"verified": null})));
    };
    let jwt = Jwt::<()>::extract(&req).await?;
    Ok(HttpResponse::Ok().json(json!({
        "verified": token.identity(),
        "extracted": jwt.identity(),
        "same_jti": token.jti() == jwt.jti(),
    })))
}

/// `verify_jwt_in_request()` (not optional).
async fn verify_route(req: HttpRequest) -> actix_web::Result<HttpResponse> {
    let token = verify_jwt_in_request(&req, &VerifyOptions::DEFAULT).await?;
    Ok(HttpResponse::Ok().json(json!({"verified": token.map(|token| token.identity().clone())})))
}

fn app(
    manager: Option<JwtManager>,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let mut app = App::new();
    if let Some(manager) = manager {
        app = app.app_data(manager);
    }
    app.route("/jwt", web::get().to(jwt_route))
        .route("/jwt", web::method(Method::OPTIONS).to(jwt_route))
        .route("/header", web::get().to(header_route))
        .route("/optional", web::get().to(optional_route))
        .route("/user", web::get().to(user_route))
        .route("/verify_optional", web::get().to(verify_optional_route))
        .route("/verify", web::get().to(verify_route))
}

async fn get(manager: Option<JwtManager>, path: &str, token: Option<&str>) -> Reply {
    let service = actix_test::init_service(app(manager)).await;
    let mut req = actix_test::TestRequest::get().uri(path);
    if let Some(token) = token {
        req = req.insert_header(bearer(token));
    }
    send(&service, req.to_request()).await
}

#[actix_web::test]
async fn test_get_jwt_in_non_protected_contexts() {
    let manager = manager();
    // No token: the extractor verified the request itself and refused it.
    get(Some(manager.clone()), "/jwt", None)
        .await
        .assert_error(401, "Missing Authorization Header");
    // With a token it verifies it.
    let token = access_token(&manager, "username");
    get(Some(manager.clone()), "/jwt", Some(&token))
        .await
        .assert_json(200, &json!({"identity": "username", "type": "access"}));
    // ... with the default options: access tokens only.
    let refresh = refresh_token(&manager, "username");
    get(Some(manager.clone()), "/jwt", Some(&refresh))
        .await
        .assert_error(422, "Only non-refresh tokens are allowed");
    get(Some(manager), "/jwt", Some("not.a.token"))
        .await
        .assert_error(422, "Invalid header padding");
}

#[actix_web::test]
async fn test_get_jwt_header_in_non_protected_contexts() {
    let manager = manager();
    get(Some(manager.clone()), "/header", None)
        .await
        .assert_error(401, "Missing Authorization Header");
    let token = manager
        .access_token("username")
        .header("kid", "k1")
        .build()
        .expect("token");
    get(Some(manager), "/header", Some(&token))
        .await
        .assert_json(200, &json!({"alg": "HS256", "kid": "k1", "typ": "JWT"}));
}

#[actix_web::test]
async fn test_get_jwt_identity_in_non_protected_contexts() {
    // `Option<Jwt>` without the macro: no token is `None`.
    let manager = manager();
    get(Some(manager.clone()), "/optional", None)
        .await
        .assert_json(200, &json!({"identity": null}));
    let token = access_token(&manager, "username");
    get(Some(manager), "/optional", Some(&token))
        .await
        .assert_json(200, &json!({"identity": "username"}));
}

#[actix_web::test]
async fn test_get_current_user_in_non_protected_contexts() {
    // No token: refused like `Jwt`.
    let manager = manager();
    get(Some(manager.clone()), "/user", None)
        .await
        .assert_error(401, "Missing Authorization Header");

    // A valid token but no user lookup registered: flask's RuntimeError is a 500.
    let token = access_token(&manager, "username");
    get(Some(manager), "/user", Some(&token))
        .await
        .assert_error(500, "Internal Server Error");

    // With a lookup registered, the user is loaded.
    let manager = JwtManager::builder(support::config())
        .user_lookup_loader(|token| async move {
            Ok::<_, std::convert::Infallible>(token.identity_str().map(str::to_uppercase))
        })
        .build()
        .expect("manager with user lookup");
    let token = access_token(&manager, "username");
    get(Some(manager), "/user", Some(&token))
        .await
        .assert_json(200, &json!({"user": "USERNAME"}));
}

#[actix_web::test]
async fn test_current_user_of_another_type() {
    // The lookup returns a u64, the route asks for a String: a 500, not a panic.
    let manager = JwtManager::builder(support::config())
        .user_lookup_loader(|_token| async move { Ok::<_, std::convert::Infallible>(Some(7_u64)) })
        .build()
        .expect("manager with user lookup");
    let token = access_token(&manager, "username");
    get(Some(manager), "/user", Some(&token))
        .await
        .assert_error(500, "Internal Server Error");
}

#[actix_web::test]
async fn test_verify_jwt_in_request_optional_without_token() {
    let manager = manager();
    get(Some(manager.clone()), "/verify_optional", None)
        .await
        .assert_json(200, &json!({"verified": null}));

    // With a token: returned, and stored for the extractors.
    let token = access_token(&manager, "username");
    get(Some(manager.clone()), "/verify_optional", Some(&token))
        .await
        .assert_json(
            200,
            &json!({"verified": "username", "extracted": "username", "same_jti": true}),
        );

    // optional only tolerates a missing token.
    get(Some(manager), "/verify_optional", Some("aaaaa.bbbbb.ccccc"))
        .await
        .assert_error(422, "Invalid header padding");
}

#[actix_web::test]
async fn test_verify_jwt_in_request_without_token() {
    let manager = manager();
    get(Some(manager.clone()), "/verify", None)
        .await
        .assert_error(401, "Missing Authorization Header");
    let token = access_token(&manager, "username");
    get(Some(manager), "/verify", Some(&token))
        .await
        .assert_json(200, &json!({"verified": "username"}));
}

#[actix_web::test]
async fn test_no_jwt_manager_registered() {
    // flask: "You must initialize a JWTManager with this flask application" (500).
    for path in ["/jwt", "/header", "/user", "/verify", "/verify_optional"] {
        for token in [None, Some("aaaaa.bbbbb.ccccc")] {
            let reply = get(None, path, token).await;
            reply.assert_error(500, "Internal Server Error");
        }
    }
    // `Option<Jwt>` swallows the extractor's error.
    get(None, "/optional", None)
        .await
        .assert_json(200, &json!({"identity": null}));
}

#[actix_web::test]
async fn test_manager_as_web_data() {
    // A `web::Data<JwtManager>` is found as well.
    let manager = manager();
    let token = access_token(&manager, "username");
    let service = actix_test::init_service(
        App::new()
            .app_data(web::Data::new(manager))
            .route("/jwt", web::get().to(jwt_route)),
    )
    .await;
    let req = actix_test::TestRequest::get()
        .uri("/jwt")
        .insert_header(bearer(&token))
        .to_request();
    send(&service, req)
        .await
        .assert_json(200, &json!({"identity": "username", "type": "access"}));
    let req = actix_test::TestRequest::get().uri("/jwt").to_request();
    send(&service, req)
        .await
        .assert_error(401, "Missing Authorization Header");
}

#[actix_web::test]
async fn test_options_request_on_a_route_without_the_macro() {
    // OPTIONS is exempt from verification; a `Jwt` extractor then has no token to give
    // and answers 401 (flask's `get_jwt()` would raise a 500 here).
    let manager = manager();
    let service = actix_test::init_service(app(Some(manager.clone()))).await;
    let token = access_token(&manager, "username");
    let req = actix_test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/jwt")
        .insert_header(bearer(&token))
        .to_request();
    send(&service, req)
        .await
        .assert_error(401, "Missing JWT: this route does not require one");
}
