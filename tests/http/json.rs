//! The `json` location over HTTP: what flask-jwt-extended 4.7.4's `tests/test_json.py`
//! covers (content types, custom keys, missing key), the bodies flask answers with a
//! 500 (a JSON array) answered as flask's 401/422 instead, the body handed on to the
//! handler's own `web::Json<T>`, and the body-size limit.

use crate::support::{msg, status_and_body};
use actix_jwt_extended::{Jwt, JwtConfig, JwtManager, Location, jwt_required};
use actix_web::{App, Responder, post, test, web};
use serde::Deserialize;
use serde_json::{Value, json};

#[post("/protected")]
#[jwt_required]
async fn protected(jwt: Jwt) -> impl Responder {
    web::Json(json!({"foo": "bar", "location": jwt.location().map(|l| l.as_str())}))
}

#[post("/refresh")]
#[jwt_required(refresh)]
async fn refresh_protected(jwt: Jwt) -> impl Responder {
    web::Json(json!({"refreshed": jwt.identity()}))
}

/// The handler's own typed body, read after the token was taken from it.
#[derive(Deserialize)]
struct Comment {
    access_token: String,
    text: String,
    tags: Vec<String>,
}

#[post("/comment")]
#[jwt_required]
async fn comment(jwt: Jwt, body: web::Json<Comment>) -> impl Responder {
    let Comment {
        access_token,
        text,
        tags,
    } = body.into_inner();
    web::Json(json!({
        "by": jwt.identity(),
        "text": text,
        "tags": tags,
        "token_length": access_token.len(),
    }))
}

/// Any JSON body, echoed.
#[post("/echo")]
#[jwt_required(optional)]
async fn echo(jwt: Option<Jwt>, body: web::Json<Value>) -> impl Responder {
    web::Json(json!({"by": jwt.map(|jwt| jwt.identity().clone()), "body": body.into_inner()}))
}

fn config() -> JwtConfig {
    JwtConfig {
        secret_key: Some("foobarbaz".to_owned()),
        token_location: vec![Location::Json],
        ..JwtConfig::default()
    }
}

fn manager(config: &JwtConfig) -> JwtManager {
    JwtManager::new(config.clone()).expect("valid config")
}

/// Sends `req` to an app built from `config` (and `payload_limit` as the app's
/// `web::PayloadConfig`, when given); answers status and JSON body.
async fn send_with(
    config: &JwtConfig,
    payload_limit: Option<usize>,
    req: test::TestRequest,
) -> (u16, Value) {
    let mut app = App::new()
        .app_data(web::Data::new(manager(config)))
        .service(protected)
        .service(refresh_protected)
        .service(comment)
        .service(echo);
    if let Some(limit) = payload_limit {
        app = app.app_data(web::PayloadConfig::new(limit));
    }
    let app = test::init_service(app).await;
    status_and_body(&app, req.to_request()).await
}

async fn send(config: &JwtConfig, req: test::TestRequest) -> (u16, Value) {
    send_with(config, None, req).await
}

/// `POST uri` with `body` and `content_type`.
fn post_raw(uri: &str, content_type: &str, body: impl Into<Vec<u8>>) -> test::TestRequest {
    test::TestRequest::post()
        .uri(uri)
        .insert_header(("Content-Type", content_type))
        .set_payload(body.into())
}

fn post_json(uri: &str, body: &Value) -> test::TestRequest {
    post_raw(uri, "application/json", body.to_string())
}

fn ok() -> (u16, Value) {
    (200, json!({"foo": "bar", "location": "json"}))
}

const MISSING_ACCESS: &str = "Missing \"access_token\" key in json data.";
const WRONG_CONTENT_TYPE: &str = "Invalid content-type. Must be application/json.";

#[actix_web::test]
async fn default_access_token_key() {
    let config = config();
    let token = manager(&config)
        .access_token("username")
        .build()
        .expect("token");
    assert_eq!(
        send(
            &config,
            post_json("/protected", &json!({"access_token": token}))
        )
        .await,
        ok()
    );
}

#[actix_web::test]
async fn content_types() {
    let config = config();
    let token = manager(&config)
        .access_token("username")
        .build()
        .expect("token");
    let body = json!({ "access_token": token }).to_string();
    for content_type in [
        "application/json",
        "application/json;charset=UTF-8",
        "application/json; charset=utf-8",
        "Application/JSON",
        "application/vnd.api+json",
        "application/merge-patch+json; charset=utf-8",
    ] {
        assert_eq!(
            send(&config, post_raw("/protected", content_type, body.clone())).await,
            ok(),
            "{content_type}"
        );
    }
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/jsonp",
        "text/json",
        "application/json-seq",
    ] {
        assert_eq!(
            send(&config, post_raw("/protected", content_type, body.clone())).await,
            msg(401, WRONG_CONTENT_TYPE),
            "{content_type}"
        );
    }
}

#[actix_web::test]
async fn wrong_or_no_content_type() {
    let config = config();
    let token = manager(&config)
        .access_token("username")
        .build()
        .expect("token");
    // A form post carrying the token is not JSON.
    let form = format!("access_token={token}");
    assert_eq!(
        send(
            &config,
            post_raw("/protected", "application/x-www-form-urlencoded", form)
        )
        .await,
        msg(401, WRONG_CONTENT_TYPE)
    );
    // No content type at all, with a JSON body.
    let request = test::TestRequest::post()
        .uri("/protected")
        .set_payload(json!({ "access_token": token }).to_string());
    assert_eq!(send(&config, request).await, msg(401, WRONG_CONTENT_TYPE));
    // No body at all.
    let request = test::TestRequest::post().uri("/protected");
    assert_eq!(send(&config, request).await, msg(401, WRONG_CONTENT_TYPE));
}

#[actix_web::test]
async fn custom_access_and_refresh_keys() {
    let mut config = config();
    config.json_key = "Foo".into();
    config.refresh_json_key = "Bar".into();
    let manager = manager(&config);
    let access = manager.access_token("username").build().expect("token");
    let refresh = manager.refresh_token("username").build().expect("token");

    assert_eq!(
        send(&config, post_json("/protected", &json!({"Foo": access}))).await,
        ok()
    );
    assert_eq!(
        send(
            &config,
            post_json("/protected", &json!({"access_token": access}))
        )
        .await,
        msg(401, "Missing \"Foo\" key in json data.")
    );
    assert_eq!(
        send(&config, post_json("/refresh", &json!({"Bar": refresh}))).await,
        (200, json!({"refreshed": "username"}))
    );
    assert_eq!(
        send(&config, post_json("/refresh", &json!({"Foo": refresh}))).await,
        msg(401, "Missing \"Bar\" key in json data.")
    );
}

#[actix_web::test]
async fn default_refresh_key() {
    let config = config();
    let manager = manager(&config);
    let access = manager.access_token("username").build().expect("token");
    let refresh = manager.refresh_token("username").build().expect("token");
    assert_eq!(
        send(
            &config,
            post_json("/refresh", &json!({"refresh_token": refresh}))
        )
        .await,
        (200, json!({"refreshed": "username"}))
    );
    // The refresh route reads `refresh_token`, not `access_token`.
    assert_eq!(
        send(
            &config,
            post_json("/refresh", &json!({"access_token": refresh}))
        )
        .await,
        msg(401, "Missing \"refresh_token\" key in json data.")
    );
    assert_eq!(
        send(
            &config,
            post_json("/refresh", &json!({"refresh_token": access}))
        )
        .await,
        msg(422, "Only refresh tokens are allowed")
    );
    assert_eq!(
        send(
            &config,
            post_json("/protected", &json!({"access_token": refresh}))
        )
        .await,
        msg(422, "Only non-refresh tokens are allowed")
    );
}

#[actix_web::test]
async fn missing_or_falsy_key() {
    let config = config();
    for body in [
        json!({}),
        json!({"other": "x"}),
        json!({"access_token": ""}),
        json!({"access_token": null}),
        json!({"access_token": false}),
        json!({"access_token": 0}),
        json!({"access_token": 0.0}),
        json!({"access_token": []}),
        json!({"access_token": {}}),
        json!(null),
    ] {
        assert_eq!(
            send(&config, post_json("/protected", &body)).await,
            msg(401, MISSING_ACCESS),
            "{body}"
        );
    }
}

#[actix_web::test]
async fn bodies_flask_answers_with_a_500() {
    let config = config();
    let token = manager(&config)
        .access_token("username")
        .build()
        .expect("token");
    // A JSON array (flask: AttributeError, a 500), a string, a number: no key.
    for body in [
        json!([token]),
        json!([{"access_token": token}]),
        json!("x"),
        json!(1),
    ] {
        assert_eq!(
            send(&config, post_json("/protected", &body)).await,
            msg(401, MISSING_ACCESS),
            "{body}"
        );
    }
}

#[actix_web::test]
async fn invalid_json() {
    let config = config();
    for body in [
        &b"{"[..],
        b"",
        b"{\"access_token\": }",
        b"\xff\xfe",
        b"access_token=x",
    ] {
        assert_eq!(
            send(&config, post_raw("/protected", "application/json", body)).await,
            msg(401, MISSING_ACCESS),
            "{body:?}"
        );
    }
}

#[actix_web::test]
async fn a_truthy_non_string_token_is_422() {
    // PyJWT refuses anything but str/bytes with this message.
    let config = config();
    for token in [
        json!(123),
        json!(1.5),
        json!(true),
        json!(["a.b.c"]),
        json!({"a": 1}),
    ] {
        assert_eq!(
            send(
                &config,
                post_json("/protected", &json!({ "access_token": token }))
            )
            .await,
            msg(422, "Invalid token type. Token must be a <class 'bytes'>"),
            "{token}"
        );
    }
    // A string that is no JWT is PyJWT's structural error.
    assert_eq!(
        send(
            &config,
            post_json("/protected", &json!({"access_token": "abc"}))
        )
        .await,
        msg(422, "Not enough segments")
    );
}

#[actix_web::test]
async fn the_handler_still_gets_the_json_body() {
    let config = config();
    let token = manager(&config)
        .access_token("username")
        .build()
        .expect("token");
    let body = json!({"access_token": token, "text": "hello", "tags": ["a", "b"]});
    assert_eq!(
        send(&config, post_json("/comment", &body)).await,
        (
            200,
            json!({"by": "username", "text": "hello", "tags": ["a", "b"], "token_length": token.len()})
        )
    );
    // On an optional route, with and without a token.
    assert_eq!(
        send(&config, post_json("/echo", &body)).await,
        (200, json!({"by": "username", "body": body}))
    );
    let anonymous = json!({"text": "hi"});
    assert_eq!(
        send(&config, post_json("/echo", &anonymous)).await,
        (200, json!({"by": null, "body": anonymous}))
    );
}

#[actix_web::test]
async fn the_jwt_error_wins_over_the_handlers_body_error() {
    // Verification runs before the handler's `web::Json<Comment>`: a body that
    // `Comment` cannot parse still gets the JWT answer.
    let config = config();
    assert_eq!(
        send(
            &config,
            post_raw("/comment", "application/json", "{not json")
        )
        .await,
        msg(401, MISSING_ACCESS)
    );
    assert_eq!(
        send(&config, post_json("/comment", &json!({"text": 1}))).await,
        msg(401, MISSING_ACCESS)
    );
    // With a valid token, the handler's own extractor answers (400, actix's error).
    let token = manager(&config)
        .access_token("username")
        .build()
        .expect("token");
    let (status, _) = send(
        &config,
        post_json("/comment", &json!({"access_token": token})),
    )
    .await;
    assert_eq!(status, 400);
}

#[actix_web::test]
async fn the_body_is_read_within_the_payload_limit() {
    let config = config();
    let token = manager(&config)
        .access_token("username")
        .build()
        .expect("token");
    let padding = "x".repeat(4096);
    let body = json!({"access_token": token, "padding": padding});
    let too_large = msg(413, "Request body is too large");

    // The app's `web::PayloadConfig` limit applies.
    assert_eq!(
        send_with(&config, Some(1024), post_json("/protected", &body)).await,
        too_large
    );
    assert_eq!(
        send_with(&config, Some(64 * 1024), post_json("/protected", &body)).await,
        ok()
    );
    // The default limit is actix-web's 256 KiB.
    let huge = json!({"access_token": token, "padding": "x".repeat(300 * 1024)});
    assert_eq!(
        send(&config, post_json("/protected", &huge)).await,
        too_large
    );
    // Even on an optional route, where no token would be fine: an unreadable body
    // is not "no token".
    assert_eq!(
        send_with(
            &config,
            Some(1024),
            post_json("/echo", &json!({"padding": padding}))
        )
        .await,
        too_large
    );
}
