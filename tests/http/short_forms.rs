//! The short forms a handler writes, over HTTP: `?` on token building, `jwt.location()`
//! and `jwt.token_type()` straight into JSON, the cookie helpers without options, every
//! form of `token_in_blocklist_loader`, and a blocklist store beside the callback.

use std::{
    convert::Infallible,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use actix_jwt_extended::{
    Jwt, JwtConfig, JwtManager, JwtManagerBuilder, Location, MemoryBlocklist, jwt_required,
};

use crate::support::SECRET;
use actix_web::{
    App, HttpResponse, get,
    http::header::{AUTHORIZATION, SET_COOKIE},
    post, test, web,
};
use serde_json::{Value, json};

fn builder() -> JwtManagerBuilder {
    JwtManager::builder(JwtConfig {
        secret_key: Some(SECRET.to_owned()),
        token_location: vec![Location::Headers, Location::Cookies],
        ..JwtConfig::default()
    })
}

/// Token building and the cookie helpers with `?`, in a handler returning
/// `actix_web::Result`.
#[post("/login")]
async fn login(manager: web::Data<JwtManager>) -> actix_web::Result<HttpResponse> {
    let access = manager.access_token("alice").build()?;
    let refresh = manager.refresh_token("alice").build()?;
    let mut response = HttpResponse::Ok().json(json!({ "access_token": access }));
    manager.set_access_cookies(&mut response, &access)?;
    manager.set_refresh_cookies(&mut response, &refresh)?;
    Ok(response)
}

/// Claims that are not a JSON object make `build()?` answer 500.
#[post("/login_broken")]
async fn login_broken(manager: web::Data<JwtManager>) -> actix_web::Result<HttpResponse> {
    let token = manager.access_token("alice").claims(&5).build()?;
    Ok(HttpResponse::Ok().body(token))
}

#[post("/logout")]
async fn logout(manager: web::Data<JwtManager>) -> HttpResponse {
    let mut response = HttpResponse::Ok().json(json!({ "logout": true }));
    manager.unset_jwt_cookies(&mut response);
    response
}

/// flask's `get_jwt_request_location()` and the token type, serialized as they are.
#[get("/where")]
#[jwt_required]
async fn where_from(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "location": jwt.location(),
        "type": jwt.token_type(),
        "is_access": jwt.token_type() == "access",
    }))
}

fn app(
    manager: JwtManager,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(manager))
        .service(login)
        .service(login_broken)
        .service(logout)
        .service(where_from)
}

fn bearer(token: &str) -> (actix_web::http::header::HeaderName, String) {
    (AUTHORIZATION, format!("Bearer {token}"))
}

#[actix_web::test]
async fn token_building_and_cookie_helpers_take_question_mark() {
    let manager = builder().build().expect("valid manager");
    let app = test::init_service(app(manager)).await;
    let response =
        test::call_service(&app, test::TestRequest::post().uri("/login").to_request()).await;
    assert_eq!(response.status(), 200);
    let cookies: Vec<String> = response
        .headers()
        .get_all(SET_COOKIE)
        .map(|value| value.to_str().expect("ASCII").to_owned())
        .collect();
    let names: Vec<&str> = cookies
        .iter()
        .map(|cookie| cookie.split('=').next().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        [
            "access_token_cookie",
            "csrf_access_token",
            "refresh_token_cookie",
            "csrf_refresh_token"
        ]
    );
    assert!(cookies[0].ends_with("; HttpOnly; Path=/"), "{}", cookies[0]);

    let response =
        test::call_service(&app, test::TestRequest::post().uri("/logout").to_request()).await;
    let unset: Vec<&str> = response
        .headers()
        .get_all(SET_COOKIE)
        .map(|value| value.to_str().expect("ASCII"))
        .collect();
    assert_eq!(unset.len(), 4);
    assert!(
        unset
            .iter()
            .all(|cookie| cookie.contains("=; Expires=Thu, 01 Jan 1970 00:00:00 GMT")),
        "{unset:?}"
    );
}

#[actix_web::test]
async fn a_token_that_cannot_be_built_answers_500_with_flask_body() {
    let manager = builder().build().expect("valid manager");
    let app = test::init_service(app(manager)).await;
    let response = test::call_service(
        &app,
        test::TestRequest::post().uri("/login_broken").to_request(),
    )
    .await;
    assert_eq!(response.status(), 500);
    let body: Value = test::read_body_json(response).await;
    assert_eq!(body, json!({"msg": "Internal Server Error"}));
}

#[actix_web::test]
async fn location_and_token_type_serialize_as_flask_names() {
    let manager = builder().build().expect("valid manager");
    let token = manager.access_token("alice").build().expect("token");
    let app = test::init_service(app(manager)).await;
    let request = test::TestRequest::get()
        .uri("/where")
        .insert_header(bearer(&token))
        .to_request();
    let body: Value = test::call_and_read_body_json(&app, request).await;
    assert_eq!(
        body,
        json!({"location": "headers", "type": "access", "is_access": true})
    );
    let request = test::TestRequest::get()
        .uri("/where")
        .insert_header(("Cookie", format!("access_token_cookie={token}")))
        .to_request();
    let body: Value = test::call_and_read_body_json(&app, request).await;
    assert_eq!(body["location"], "cookies");
}

/// Status of `/where` for `token` under `manager`.
async fn status_of(manager: &JwtManager, token: &str) -> u16 {
    let app = test::init_service(app(manager.clone())).await;
    let request = test::TestRequest::get()
        .uri("/where")
        .insert_header(bearer(token))
        .to_request();
    test::call_service(&app, request).await.status().as_u16()
}

#[actix_web::test]
async fn blocklist_loader_may_answer_a_plain_bool() {
    let manager = builder()
        .token_in_blocklist_loader(|token| token.identity_str() == Some("banned"))
        .build()
        .expect("valid manager");
    let banned = manager.access_token("banned").build().expect("token");
    let alice = manager.access_token("alice").build().expect("token");
    assert_eq!(status_of(&manager, &banned).await, 401);
    assert_eq!(status_of(&manager, &alice).await, 200);
}

#[actix_web::test]
async fn blocklist_loader_may_answer_a_future_of_bool() {
    let manager = builder()
        .token_in_blocklist_loader(|token| async move { token.identity_str() == Some("banned") })
        .build()
        .expect("valid manager");
    let banned = manager.access_token("banned").build().expect("token");
    let alice = manager.access_token("alice").build().expect("token");
    assert_eq!(status_of(&manager, &banned).await, 401);
    assert_eq!(status_of(&manager, &alice).await, 200);
}

#[actix_web::test]
async fn blocklist_loader_may_answer_a_fallible_future() {
    let manager = builder()
        .token_in_blocklist_loader(|token| async move {
            match token.identity_str() {
                Some("down") => Err("the revocation database is down"),
                identity => Ok(identity == Some("banned")),
            }
        })
        .build()
        .expect("valid manager");
    for (identity, status) in [("banned", 401), ("alice", 200), ("down", 503)] {
        let token = manager.access_token(identity).build().expect("token");
        assert_eq!(status_of(&manager, &token).await, status, "{identity}");
    }
}

/// flask's own pattern, "my own rule plus a set of revoked tokens", in one store and one
/// callback: both are asked, and `revoke` writes to the store.
#[actix_web::test]
async fn store_and_callback_both_revoke() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let manager = builder()
        .blocklist(MemoryBlocklist::new())
        .token_in_blocklist_loader(move |token| {
            counted.fetch_add(1, Ordering::SeqCst);
            let banned = token.identity_str() == Some("banned");
            async move { Ok::<_, Infallible>(banned) }
        })
        .build()
        .expect("valid manager");
    let alice = manager.access_token("alice").build().expect("token");
    let banned = manager.access_token("banned").build().expect("token");
    assert_eq!(status_of(&manager, &alice).await, 200);
    assert_eq!(
        status_of(&manager, &banned).await,
        401,
        "the callback revokes"
    );

    let decoded = manager.decode_token(&alice, None, false).expect("decodes");
    manager.revoke(&decoded).await.expect("the store takes it");
    let before = calls.load(Ordering::SeqCst);
    assert_eq!(status_of(&manager, &alice).await, 401, "the store revokes");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        before,
        "a token the store refuses needs no callback"
    );
}
