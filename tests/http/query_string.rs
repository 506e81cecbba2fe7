//! The `query_string` location over HTTP: what flask-jwt-extended 4.7.4's
//! `tests/test_query_string.py` covers (default and custom parameter name, value
//! prefix, missing parameter), with flask's exact messages.

use crate::support::{msg, status_and_body};
use actix_jwt_extended::{Jwt, JwtConfig, JwtManager, Location, jwt_required};
use actix_web::{App, Responder, get, test, web};
use serde_json::{Value, json};

#[get("/protected")]
#[jwt_required]
async fn protected(jwt: Jwt) -> impl Responder {
    web::Json(json!({"foo": "bar", "location": jwt.location().map(|l| l.as_str())}))
}

#[get("/refresh")]
#[jwt_required(refresh)]
async fn refresh(jwt: Jwt) -> impl Responder {
    web::Json(json!({"identity": jwt.identity()}))
}

fn config() -> JwtConfig {
    JwtConfig {
        secret_key: Some("foobarbaz".to_owned()),
        token_location: vec![Location::QueryString],
        ..JwtConfig::default()
    }
}

/// Sends `GET uri` to an app built from `config`; answers status and JSON body.
async fn get(config: JwtConfig, uri: &str) -> (u16, Value) {
    let manager = JwtManager::new(config).expect("valid config");
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(manager))
            .service(protected)
            .service(refresh),
    )
    .await;
    status_and_body(&app, test::TestRequest::get().uri(uri).to_request()).await
}

fn access_token(config: &JwtConfig) -> String {
    let manager = JwtManager::new(config.clone()).expect("valid config");
    manager.access_token("username").build().expect("token")
}

fn ok() -> (u16, Value) {
    (200, json!({"foo": "bar", "location": "query_string"}))
}

#[actix_web::test]
async fn default_query_parameter() {
    let config = config();
    let token = access_token(&config);
    assert_eq!(
        get(config.clone(), &format!("/protected?jwt={token}")).await,
        ok()
    );
    // The first value counts, as with Werkzeug's `request.args.get`.
    assert_eq!(
        get(
            config.clone(),
            &format!("/protected?foo=1&jwt={token}&jwt=garbage")
        )
        .await,
        ok()
    );
    // A present but bad token is a token error, not "missing".
    assert_eq!(
        get(config, "/protected?jwt=garbage").await,
        msg(422, "Not enough segments")
    );
}

#[actix_web::test]
async fn custom_query_parameter_name() {
    let mut config = config();
    config.query_string_name = "b".into();
    let token = access_token(&config);
    assert_eq!(
        get(config.clone(), &format!("/protected?b={token}")).await,
        ok()
    );
    assert_eq!(
        get(config, &format!("/protected?jwt={token}")).await,
        msg(401, "Missing 'b' query paramater")
    );
}

#[actix_web::test]
async fn query_value_prefix() {
    let mut config = config();
    config.query_string_value_prefix = "Bearer ".into();
    let token = access_token(&config);
    // `+` and `%20` both decode to the space of the prefix.
    assert_eq!(
        get(config.clone(), &format!("/protected?jwt=Bearer+{token}")).await,
        ok()
    );
    assert_eq!(
        get(config.clone(), &format!("/protected?jwt=Bearer%20{token}")).await,
        ok()
    );
    let invalid = msg(
        422,
        "Invalid value for query parameter 'jwt'. Expected the value to start with 'Bearer '",
    );
    assert_eq!(
        get(config.clone(), &format!("/protected?jwt={token}")).await,
        invalid
    );
    // The prefix is matched case-sensitively, like the header type.
    assert_eq!(
        get(config.clone(), &format!("/protected?jwt=bearer+{token}")).await,
        invalid
    );
    // The prefix alone leaves an empty token, which PyJWT cannot split.
    assert_eq!(
        get(config, "/protected?jwt=Bearer+").await,
        msg(422, "Not enough segments")
    );
}

#[actix_web::test]
async fn custom_prefix_and_name_in_the_message() {
    let mut config = config();
    config.query_string_name = "token".into();
    config.query_string_value_prefix = "JWT:".into();
    let token = access_token(&config);
    assert_eq!(
        get(config.clone(), &format!("/protected?token=JWT:{token}")).await,
        ok()
    );
    assert_eq!(
        get(config, &format!("/protected?token={token}")).await,
        msg(
            422,
            "Invalid value for query parameter 'token'. Expected the value to start with 'JWT:'"
        )
    );
}

#[actix_web::test]
async fn missing_query_parameter() {
    let missing = msg(401, "Missing 'jwt' query paramater");
    assert_eq!(get(config(), "/protected").await, missing);
    assert_eq!(get(config(), "/protected?").await, missing);
    assert_eq!(get(config(), "/protected?other=1").await, missing);
    // An empty value is missing, as in flask.
    assert_eq!(get(config(), "/protected?jwt=").await, missing);
    // A header token is not looked at when only the query string is configured.
    let config = config();
    let token = access_token(&config);
    let manager = JwtManager::new(config).expect("valid config");
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(manager))
            .service(protected),
    )
    .await;
    let request = test::TestRequest::get()
        .uri("/protected")
        .insert_header(("Authorization", format!("Bearer {token}")))
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status().as_u16(), 401);
    let body: Value = test::read_body_json(response).await;
    assert_eq!(body, missing.1);
}

#[actix_web::test]
async fn refresh_tokens_in_the_query_string() {
    let config = config();
    let manager = JwtManager::new(config.clone()).expect("valid config");
    let refresh_token = manager.refresh_token("username").build().expect("token");
    let access_token = manager.access_token("username").build().expect("token");
    assert_eq!(
        get(config.clone(), &format!("/refresh?jwt={refresh_token}")).await,
        (200, json!({"identity": "username"}))
    );
    assert_eq!(
        get(config.clone(), &format!("/refresh?jwt={access_token}")).await,
        msg(422, "Only refresh tokens are allowed")
    );
    assert_eq!(
        get(config, &format!("/protected?jwt={refresh_token}")).await,
        msg(422, "Only non-refresh tokens are allowed")
    );
}

#[actix_web::test]
async fn a_query_value_that_is_not_utf8_is_no_token() {
    // Invalid UTF-8 after percent-decoding is replaced, as Werkzeug does, and the
    // result is no JWT: never a 500.
    assert_eq!(
        get(config(), "/protected?jwt=%FF%FE").await,
        msg(422, "Not enough segments")
    );
}
