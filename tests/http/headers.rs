//! The `headers` token location over HTTP: flask-jwt-extended's `tests/test_headers.py`
//! and flask's answers for a missing, malformed or doubled `Authorization` header.
//!
//! The route takes the `Jwt` extractor without the macro, so it verifies with the
//! default options (access token from the configured locations).

use crate::support::{Reply, access_token, bearer, foo_bar, manager, manager_with, send};
use actix_jwt_extended::JwtManager;
use actix_web::{App, test, web};
use serde_json::json;

const MISSING_BEARER: &str = "Missing 'Bearer' type in 'Authorization' header. \
                              Expected 'Authorization: Bearer <JWT>'";
const BAD_BEARER: &str = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'";

/// Sends `GET /protected` with the given headers to an app protected by `manager`.
async fn get(manager: &JwtManager, headers: &[(&str, &str)]) -> Reply {
    let app = test::init_service(
        App::new()
            .app_data(manager.clone())
            .route("/protected", web::get().to(foo_bar)),
    )
    .await;
    let mut req = test::TestRequest::get().uri("/protected");
    for (name, value) in headers {
        req = req.insert_header((*name, *value));
    }
    send(&app, req.to_request()).await
}

/// `GET /protected` with `Authorization: <value>`.
async fn get_with_auth(manager: &JwtManager, value: &str) -> Reply {
    get(manager, &[("Authorization", value)]).await
}

fn foo_bar_json() -> serde_json::Value {
    json!({"foo": "bar"})
}

#[actix_web::test]
async fn test_default_headers() {
    let manager = manager();
    let token = access_token(&manager, "username");
    let (name, value) = bearer(&token);
    get(&manager, &[(name, &value)])
        .await
        .assert_json(200, &foo_bar_json());
}

#[actix_web::test]
async fn test_other_schemes_rejected() {
    let manager = manager();
    let token = access_token(&manager, "username");
    for value in [
        format!("Basic {token}"),
        format!("Token {token}"),
        format!("JWT {token}"),
        "Basic dXNlcjpwYXNz".to_owned(),
        // The type word must be a whole word.
        format!("Bearerx {token}"),
    ] {
        get_with_auth(&manager, &value)
            .await
            .assert_error(401, MISSING_BEARER);
    }
}

#[actix_web::test]
async fn test_multiple_schemes_in_any_position() {
    let manager = manager();
    let token = access_token(&manager, "username");
    for value in [
        format!("Bearer {token}, Basic dXNlcjpwYXNz"),
        format!("Basic dXNlcjpwYXNz, Bearer {token}"),
        format!("Basic dXNlcjpwYXNz,Bearer {token}"),
        format!("Basic dXNlcjpwYXNz, Bearer {token}, Digest username=\"x\""),
        format!("Digest a=b,   Bearer {token},Basic c"),
    ] {
        get_with_auth(&manager, &value)
            .await
            .assert_json(200, &foo_bar_json());
    }
}

#[actix_web::test]
async fn test_lowercase_bearer_refused() {
    let manager = manager();
    let token = access_token(&manager, "username");
    for value in [format!("bearer {token}"), format!("BEARER {token}")] {
        get_with_auth(&manager, &value)
            .await
            .assert_error(401, MISSING_BEARER);
    }
}

#[actix_web::test]
async fn test_two_bearer_fields_refused() {
    let manager = manager();
    let token = access_token(&manager, "username");
    let other = access_token(&manager, "other");
    for value in [
        format!("Bearer {token}, Bearer {token}"),
        format!("Bearer {token}, Basic abc, Bearer {other}"),
    ] {
        get_with_auth(&manager, &value)
            .await
            .assert_error(401, MISSING_BEARER);
    }
}

#[actix_web::test]
async fn test_trailing_spaces_and_commas() {
    let manager = manager();
    let token = access_token(&manager, "username");
    for value in [
        format!("Bearer {token} "),
        format!("  Bearer {token}"),
        format!("Bearer {token},"),
        format!("Bearer {token}, "),
        format!("Bearer {token},,"),
        format!(",Bearer {token}"),
        format!(", Bearer {token} ,"),
        format!("Bearer   {token}"),
    ] {
        get_with_auth(&manager, &value)
            .await
            .assert_json(200, &foo_bar_json());
    }
}

#[actix_web::test]
async fn test_custom_header_name() {
    let manager = manager_with(|config| config.header_name = "Foo".to_owned());
    let token = access_token(&manager, "username");

    // The default header no longer works.
    get_with_auth(&manager, &format!("Bearer {token}"))
        .await
        .assert_error(401, "Missing Foo Header");

    // The new one does (header names are case-insensitive).
    get(&manager, &[("Foo", &format!("Bearer {token}"))])
        .await
        .assert_json(200, &foo_bar_json());
    get(&manager, &[("foo", &format!("Bearer {token}"))])
        .await
        .assert_json(200, &foo_bar_json());

    // Messages name the custom header.
    get(&manager, &[("Foo", &format!("Basic {token}"))])
        .await
        .assert_error(
            401,
            "Missing 'Bearer' type in 'Foo' header. Expected 'Foo: Bearer <JWT>'",
        );
    get(&manager, &[("Foo", "Bearer a b")])
        .await
        .assert_error(422, "Bad Foo header. Expected 'Foo: Bearer <JWT>'");
}

#[actix_web::test]
async fn test_custom_header_type() {
    let manager = manager_with(|config| config.header_type = "JWT".to_owned());
    let token = access_token(&manager, "username");

    // The default type no longer works.
    get_with_auth(&manager, &format!("Bearer {token}"))
        .await
        .assert_error(
            401,
            "Missing 'JWT' type in 'Authorization' header. Expected 'Authorization: JWT <JWT>'",
        );

    // The new type does.
    get_with_auth(&manager, &format!("JWT {token}"))
        .await
        .assert_json(200, &foo_bar_json());
    get_with_auth(&manager, &format!("Basic abc, JWT {token}"))
        .await
        .assert_json(200, &foo_bar_json());
    get_with_auth(&manager, &format!("JWT {token} extra"))
        .await
        .assert_error(
            422,
            "Bad Authorization header. Expected 'Authorization: JWT <JWT>'",
        );
}

#[actix_web::test]
async fn test_empty_header_type() {
    let manager = manager_with(|config| config.header_type = String::new());
    let token = access_token(&manager, "username");

    // The header holds the bare token.
    get_with_auth(&manager, &token)
        .await
        .assert_json(200, &foo_bar_json());
    get_with_auth(&manager, &format!(" {token} "))
        .await
        .assert_json(200, &foo_bar_json());

    // Anything with more than one part is refused.
    for value in [
        format!("Bearer {token}"),
        format!("{token} {token}"),
        "a b c".to_owned(),
    ] {
        get_with_auth(&manager, &value).await.assert_error(
            422,
            "Bad Authorization header. Expected 'Authorization: <JWT>'",
        );
    }

    // An empty header is still a missing one.
    get(&manager, &[])
        .await
        .assert_error(401, "Missing Authorization Header");
}

#[actix_web::test]
async fn test_missing_headers() {
    let manager = manager();
    get(&manager, &[])
        .await
        .assert_error(401, "Missing Authorization Header");
    // Another header is no substitute.
    get(&manager, &[("X-Authorization", "Bearer abc")])
        .await
        .assert_error(401, "Missing Authorization Header");
    // An empty header counts as missing.
    get_with_auth(&manager, "")
        .await
        .assert_error(401, "Missing Authorization Header");
}

#[actix_web::test]
async fn test_header_with_only_commas_and_spaces() {
    let manager = manager();
    for value in [" ", "   ", ",", ",,,", " , ", ", ,", " ,, , "] {
        let reply = get_with_auth(&manager, value).await;
        reply.assert_error(401, "Missing Authorization Header");
    }
}

#[actix_web::test]
async fn test_header_without_jwt() {
    let manager = manager();
    let token = access_token(&manager, "username");
    for value in [
        "Bearer".to_owned(),
        "Bearer ".to_owned(),
        "Bearer a b".to_owned(),
        format!("Bearer {token} {token}"),
        "Bearer ,,0".to_owned(),
        "Basic abc, Bearer".to_owned(),
    ] {
        get_with_auth(&manager, &value)
            .await
            .assert_error(422, BAD_BEARER);
    }
}

#[actix_web::test]
async fn test_invalid_token_in_header() {
    let manager = manager();
    get_with_auth(&manager, "Bearer aaaaa.bbbbb.ccccc")
        .await
        .assert_error(422, "Invalid header padding");
    get_with_auth(&manager, "Bearer abc")
        .await
        .assert_error(422, "Not enough segments");
}

#[actix_web::test]
async fn test_custom_error_msg_key() {
    let manager = manager_with(|config| config.error_message_key = "message".to_owned());
    get(&manager, &[])
        .await
        .assert_error_with_key(401, "message", "Missing Authorization Header");
    get_with_auth(&manager, "Bearer a b")
        .await
        .assert_error_with_key(422, "message", BAD_BEARER);
}
