//! `additional_headers_loader` over HTTP (flask-jwt-extended's
//! `tests/test_jwt_header_loader.py`), and the key loaders that use headers:
//! `encode_key_loader` choosing a key per identity and `decode_key_loader` choosing it
//! back by `kid` (or by an unverified claim).

use std::collections::HashMap;

use crate::support::{
    self, Counter, access_token, builder, get_with, init_app, refresh_token, send,
};
use actix_jwt_extended::{Jwt, JwtManager, JwtManagerBuilder, jwt_required};
use actix_web::{HttpResponse, get, web};
use jsonwebtoken::{DecodingKey, EncodingKey};
use serde_json::{Value, json};

/// flask's `get_claims` here answers `get_jwt_header()`.
#[get("/protected")]
#[jwt_required]
async fn get_header(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(jwt.header())
}

#[get("/protected2")]
#[jwt_required(refresh)]
async fn get_refresh_header(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(jwt.header())
}

/// A route answering the identity, for the key-loader tests.
#[get("/whoami")]
#[jwt_required]
async fn whoami(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(json!({"identity": jwt.identity(), "kid": jwt.header().get("kid")}))
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(get_header)
        .service(get_refresh_header)
        .service(whoami);
}

/// `GET url` with `token`; asserts 200 and returns the JSON body.
async fn header_of(manager: &JwtManager, url: &str, token: &str) -> Value {
    let app = init_app(manager, routes).await;
    let reply = send(&app, get_with(url, token)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    reply.json()
}

fn foo_bar_headers() -> JwtManager {
    builder()
        .additional_headers_loader(|_identity| json!({"foo": "bar"}))
        .build()
        .expect("valid manager")
}

#[actix_web::test]
async fn test_jwt_headers_in_access_token() {
    let manager = foo_bar_headers();
    let header = header_of(&manager, "/protected", &access_token(&manager, "username")).await;
    assert_eq!(header, json!({"alg": "HS256", "foo": "bar", "typ": "JWT"}));
}

#[actix_web::test]
async fn test_non_serializable_headers() {
    let manager = builder()
        .additional_headers_loader(|_identity| HashMap::from([((1, 2), 3)]))
        .build()
        .expect("valid manager");
    let error = manager
        .access_token("username")
        .build()
        .expect_err("headers with non-string keys");
    assert!(
        error.to_string().starts_with(
            "additional_headers_loader must return a JSON object: key must be a string"
        ),
        "{error}"
    );
    let manager = builder()
        .additional_headers_loader(|_identity| "not an object")
        .build()
        .expect("valid manager");
    let error = manager
        .access_token("username")
        .build()
        .expect_err("headers that are not an object");
    assert!(
        error
            .to_string()
            .starts_with("additional_headers_loader must return a JSON object"),
        "{error}"
    );
}

#[actix_web::test]
async fn test_jwt_headers_in_refresh_token() {
    let manager = foo_bar_headers();
    let header = header_of(
        &manager,
        "/protected2",
        &refresh_token(&manager, "username"),
    )
    .await;
    assert_eq!(header["foo"], "bar");
}

#[actix_web::test]
async fn test_jwt_header_in_refresh_token_specified_at_creation() {
    let manager = builder().build().expect("valid manager");
    let token = manager
        .refresh_token("username")
        .headers(&json!({"foo": "bar"}))
        .build()
        .expect("refresh token");
    let header = header_of(&manager, "/protected2", &token).await;
    assert_eq!(header["foo"], "bar");
}

#[actix_web::test]
async fn test_jwt_header_in_access_token_specified_at_creation() {
    let manager = builder().build().expect("valid manager");
    let token = manager
        .access_token("username")
        .header("foo", "bar")
        .build()
        .expect("access token");
    let header = header_of(&manager, "/protected", &token).await;
    assert_eq!(header["foo"], "bar");
}

fn ping_pong_headers() -> JwtManager {
    builder()
        .additional_headers_loader(|_identity| json!({"ping": "pong"}))
        .build()
        .expect("valid manager")
}

#[actix_web::test]
async fn test_jwt_header_in_access_token_specified_at_creation_override() {
    let manager = ping_pong_headers();
    let token = manager
        .access_token("username")
        .headers(&json!({"foo": "bar"}))
        .build()
        .expect("access token");
    let header = header_of(&manager, "/protected", &token).await;
    assert_eq!(
        header,
        json!({"alg": "HS256", "foo": "bar", "ping": "pong", "typ": "JWT"})
    );
}

#[actix_web::test]
async fn test_jwt_header_in_refresh_token_specified_at_creation_override() {
    let manager = ping_pong_headers();
    let token = manager
        .refresh_token("username")
        .headers(&json!({"foo": "bar"}))
        .build()
        .expect("refresh token");
    let header = header_of(&manager, "/protected2", &token).await;
    assert_eq!(header["foo"], "bar");
    assert_eq!(header["ping"], "pong");
}

/// Headers given to the builder win ties with the loader's; `typ` may be replaced,
/// `alg` may not (flask lets it through and makes a token that never verifies).
#[actix_web::test]
async fn test_builder_headers_win_ties() {
    let manager = ping_pong_headers();
    let token = manager
        .access_token("username")
        .header("ping", "override")
        .header("typ", "at+jwt")
        .build()
        .expect("access token");
    let header = header_of(&manager, "/protected", &token).await;
    assert_eq!(
        header,
        json!({"alg": "HS256", "ping": "override", "typ": "at+jwt"})
    );

    let error = manager
        .access_token("username")
        .header("alg", "none")
        .build()
        .expect_err("alg override");
    assert!(error.to_string().contains("`alg`"), "{error}");
    let loader_alg = builder()
        .additional_headers_loader(|_identity| json!({"alg": "HS512"}))
        .build()
        .expect("valid manager");
    assert!(loader_alg.access_token("username").build().is_err());
}

// ---- key loaders ----------------------------------------------------------------

const TENANT_A_SECRET: &str = "tenant-a secret, thirty-two bytes or more";
const TENANT_B_SECRET: &str = "tenant-b secret, thirty-two bytes or more";

/// Which tenant (and so which `kid`) an identity belongs to.
fn tenant_of(identity: &Value) -> Option<&'static str> {
    match identity.as_str()? {
        "alice" => Some("a"),
        "bob" => Some("b"),
        _ => None,
    }
}

fn secret_of(kid: &str) -> Option<&'static str> {
    match kid {
        "a" => Some(TENANT_A_SECRET),
        "b" => Some(TENANT_B_SECRET),
        _ => None,
    }
}

/// Per-tenant keys: signed with the identity's tenant key under its `kid`, verified
/// with the key the (unverified) `kid` names.
fn per_tenant(decode_calls: &Counter) -> JwtManagerBuilder {
    let decode_calls = decode_calls.clone();
    builder()
        .additional_headers_loader(|identity| tenant_of(identity).map(|kid| json!({"kid": kid})))
        .encode_key_loader(|identity| {
            let secret = secret_of(tenant_of(identity)?)?;
            Some(EncodingKey::from_secret(secret.as_bytes()))
        })
        .decode_key_loader(move |header, _claims| {
            decode_calls.hit();
            let secret = secret_of(header.get("kid")?.as_str()?)?;
            Some(DecodingKey::from_secret(secret.as_bytes()))
        })
}

#[actix_web::test]
async fn test_keys_chosen_by_kid() {
    let decode_calls = Counter::default();
    let manager = per_tenant(&decode_calls).build().expect("valid manager");
    let app = init_app(&manager, routes).await;
    for (identity, kid) in [("alice", "a"), ("bob", "b")] {
        send(&app, get_with("/whoami", &access_token(&manager, identity)))
            .await
            .assert_json(200, &json!({"identity": identity, "kid": kid}));
    }
    assert_eq!(decode_calls.get(), 2);

    // Each token is signed with its tenant's key, not the configured secret.
    let default_keys = builder().build().expect("valid manager");
    let default_app = init_app(&default_keys, routes).await;
    send(
        &default_app,
        get_with("/whoami", &access_token(&manager, "alice")),
    )
    .await
    .assert_error(422, "Signature verification failed");
}

#[actix_web::test]
async fn test_unknown_or_wrong_kid_is_refused() {
    let decode_calls = Counter::default();
    let manager = per_tenant(&decode_calls).build().expect("valid manager");
    let app = init_app(&manager, routes).await;
    // Signed with tenant b's key, but claiming tenant a's kid.
    let wrong_kid = manager
        .access_token("bob")
        .header("kid", "a")
        .build()
        .expect("token");
    // A kid nobody knows.
    let unknown_kid = manager
        .access_token("alice")
        .header("kid", "zzz")
        .build()
        .expect("token");
    // No kid at all: signed with the configured secret by a manager without loaders.
    let no_kid = access_token(&builder().build().expect("valid manager"), "alice");
    for token in [&wrong_kid, &unknown_kid, &no_kid] {
        send(&app, get_with("/whoami", token))
            .await
            .assert_error(422, "Signature verification failed");
    }
    assert_eq!(decode_calls.get(), 3);
    // No token: the loader is not asked.
    send(&app, support::get("/whoami"))
        .await
        .assert_error(401, "Missing Authorization Header");
    assert_eq!(decode_calls.get(), 3);
}

/// An identity the encode key loader has no key for cannot get a token.
#[actix_web::test]
async fn test_encode_key_loader_without_key() {
    let manager = per_tenant(&Counter::default())
        .build()
        .expect("valid manager");
    let error = manager
        .access_token("mallory")
        .build()
        .expect_err("no key for this identity");
    assert_eq!(error.to_string(), "encode_key_loader returned no key");
}

/// The decode key may be chosen from the unverified claims too (flask passes both).
#[actix_web::test]
async fn test_decode_key_chosen_by_unverified_claim() {
    let manager = builder()
        .encode_key_loader(|identity| {
            let secret = secret_of(tenant_of(identity)?)?;
            Some(EncodingKey::from_secret(secret.as_bytes()))
        })
        .additional_claims_loader(|identity| json!({"tenant": tenant_of(identity)}))
        .decode_key_loader(|_header, claims| {
            let secret = secret_of(claims.get("tenant")?.as_str()?)?;
            Some(DecodingKey::from_secret(secret.as_bytes()))
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    send(&app, get_with("/whoami", &access_token(&manager, "bob")))
        .await
        .assert_json(200, &json!({"identity": "bob", "kid": null}));
    // Claiming another tenant than the key that signed it.
    let forged = manager
        .access_token("bob")
        .claim("tenant", "a")
        .build()
        .expect("token");
    send(&app, get_with("/whoami", &forged))
        .await
        .assert_error(422, "Signature verification failed");
}

/// A panicking key loader answers 500 for that request; the app keeps serving.
#[actix_web::test]
async fn test_panicking_decode_key_loader() {
    let manager = builder()
        .decode_key_loader(|header, _claims| {
            if header.get("kid") == Some(&json!("boom")) {
                panic!("key store exploded");
            }
            Some(DecodingKey::from_secret(support::SECRET.as_bytes()))
        })
        .build()
        .expect("valid manager");
    let app = init_app(&manager, routes).await;
    let boom = manager
        .access_token("username")
        .header("kid", "boom")
        .build()
        .expect("token");
    send(&app, get_with("/whoami", &boom))
        .await
        .assert_error(500, "Internal Server Error");
    send(
        &app,
        get_with("/whoami", &access_token(&manager, "username")),
    )
    .await
    .assert_json(200, &json!({"identity": "username", "kid": null}));
}
