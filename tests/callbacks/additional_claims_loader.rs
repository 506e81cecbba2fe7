//! `additional_claims_loader` and `user_identity_loader` over HTTP: flask-jwt-extended's
//! `tests/test_additional_claims_loader.py`, plus claims given to the token builder
//! (which win ties, as flask's `additional_claims=` does) and callback failures.

use std::collections::{BTreeMap, HashMap};

use crate::support::{Counter, access_token, builder, get_with, init_app, refresh_token, send};
use actix_jwt_extended::{Jwt, JwtManager, jwt_required};
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// flask's `get_claims`: every claim of the token (`get_jwt()`).
#[get("/protected")]
#[jwt_required]
async fn get_claims(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(jwt.all_claims())
}

/// flask's `get_refresh_claims`.
#[get("/protected2")]
#[jwt_required(refresh)]
async fn get_refresh_claims(jwt: Jwt<Map<String, Value>>) -> HttpResponse {
    HttpResponse::Ok().json(jwt.claims())
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(get_claims).service(get_refresh_claims);
}

/// `GET url` with `token`; asserts 200 and returns the claims.
async fn claims_of(manager: &JwtManager, url: &str, token: &str) -> Value {
    let app = init_app(manager, routes).await;
    let reply = send(&app, get_with(url, token)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    reply.json()
}

#[actix_web::test]
async fn test_additional_claims_in_access_token() {
    let manager = builder()
        .additional_claims_loader(|_identity| json!({"foo": "bar"}))
        .build()
        .expect("valid manager");
    let token = access_token(&manager, "username");
    let claims = claims_of(&manager, "/protected", &token).await;
    assert_eq!(claims["foo"], "bar");
    assert_eq!(claims["sub"], "username");
    assert_eq!(claims["type"], "access");
}

/// flask raises TypeError when the claims cannot be serialized; here token creation
/// returns an error naming the loader (never a panic).
#[actix_web::test]
async fn test_non_serializable_claims() {
    let manager = builder()
        .additional_claims_loader(|_identity| HashMap::from([((1, 2), "tuple keys")]))
        .build()
        .expect("valid manager");
    let error = manager
        .access_token("username")
        .build()
        .expect_err("claims with non-string keys");
    assert!(
        error.to_string().starts_with(
            "additional_claims_loader must return a JSON object: key must be a string"
        ),
        "{error}"
    );

    let manager = builder()
        .additional_claims_loader(|_identity| vec![1, 2, 3])
        .build()
        .expect("valid manager");
    let error = manager
        .refresh_token("username")
        .build()
        .expect_err("claims that are not an object");
    assert!(
        error
            .to_string()
            .starts_with("additional_claims_loader must return a JSON object"),
        "{error}"
    );
}

#[derive(Serialize)]
struct TestObject {
    username: String,
    id: u64,
}

/// The loaders see the raw identity; `user_identity_loader` picks what goes in `sub`.
#[actix_web::test]
async fn test_token_from_complex_object() {
    let manager = builder()
        .additional_claims_loader(
            |test_obj| json!({"username": test_obj["username"], "raw_identity": test_obj}),
        )
        .user_identity_loader(|test_obj| test_obj["username"].clone())
        .build()
        .expect("valid manager");
    let token = manager
        .access_token(TestObject {
            username: "username".to_owned(),
            id: 7,
        })
        .build()
        .expect("access token");

    // The changes appear in the token.
    let decoded = manager
        .decode_token(&token, None, false)
        .expect("valid token");
    assert_eq!(decoded.identity(), &json!("username"));
    assert_eq!(decoded.claim("username"), Some(&json!("username")));

    let claims = claims_of(&manager, "/protected", &token).await;
    assert_eq!(claims["username"], "username");
    assert_eq!(claims["sub"], "username");
    assert_eq!(
        claims["raw_identity"],
        json!({"username": "username", "id": 7})
    );
}

#[actix_web::test]
async fn test_additional_claims_in_refresh_token() {
    let manager = builder()
        .additional_claims_loader(|_identity| json!({"foo": "bar"}))
        .build()
        .expect("valid manager");
    let token = refresh_token(&manager, "username");
    let claims = claims_of(&manager, "/protected2", &token).await;
    assert_eq!(claims["foo"], "bar");
    assert_eq!(claims["type"], "refresh");
}

#[actix_web::test]
async fn test_additional_claims_in_refresh_token_specified_at_creation() {
    let manager = builder().build().expect("valid manager");
    let token = manager
        .refresh_token("username")
        .claims(&json!({"foo": "bar"}))
        .build()
        .expect("refresh token");
    let claims = claims_of(&manager, "/protected2", &token).await;
    assert_eq!(claims["foo"], "bar");
}

#[actix_web::test]
async fn test_additional_claims_in_access_token_specified_at_creation() {
    let manager = builder().build().expect("valid manager");
    let token = manager
        .access_token("username")
        .claims(&json!({"foo": "bar"}))
        .build()
        .expect("access token");
    let claims = claims_of(&manager, "/protected", &token).await;
    assert_eq!(claims["foo"], "bar");
}

#[actix_web::test]
async fn test_addition_claims_merge() {
    let manager = builder()
        .additional_claims_loader(|_identity| json!({"default": "value"}))
        .build()
        .expect("valid manager");
    let token = manager
        .access_token("username")
        .claims(&json!({"foo": "bar"}))
        .build()
        .expect("access token");
    let claims = claims_of(&manager, "/protected", &token).await;
    assert_eq!(claims["foo"], "bar");
    assert_eq!(claims["default"], "value");
}

#[actix_web::test]
async fn test_addition_claims_merge_tie_goes_to_create_access_token() {
    let manager = builder()
        .additional_claims_loader(|_identity| json!({"default": "value"}))
        .build()
        .expect("valid manager");
    let token = manager
        .access_token("username")
        .claims(&json!({"default": "foo"}))
        .build()
        .expect("access token");
    let claims = claims_of(&manager, "/protected", &token).await;
    assert_eq!(claims["default"], "foo");
}

#[derive(Serialize)]
struct Extra {
    role: &'static str,
    tenant: u64,
}

/// The loader may return a struct; the builder's `.claims(..)` and `.claim(..)` win
/// ties with it, the later builder call winning over the earlier.
#[actix_web::test]
async fn test_typed_loader_claims_merged_with_builder_claims() {
    let manager = builder()
        .additional_claims_loader(|_identity| Extra {
            role: "user",
            tenant: 1,
        })
        .build()
        .expect("valid manager");
    let token = manager
        .access_token("username")
        .claims(&Extra {
            role: "admin",
            tenant: 2,
        })
        .claim("tenant", 3)
        .claim("extra", true)
        .build()
        .expect("access token");
    let claims = claims_of(&manager, "/protected", &token).await;
    assert_eq!(claims["role"], "admin");
    assert_eq!(claims["tenant"], 3);
    assert_eq!(claims["extra"], true);

    let plain = access_token(&manager, "username");
    let claims = claims_of(&manager, "/protected", &plain).await;
    assert_eq!(claims["role"], "user");
    assert_eq!(claims["tenant"], 1);
}

/// A loader returning nothing (`None` / `null`) adds no claims.
#[actix_web::test]
async fn test_loader_returning_nothing() {
    let manager = builder()
        .additional_claims_loader(|identity| {
            (identity == "admin").then(|| BTreeMap::from([("role", "admin")]))
        })
        .build()
        .expect("valid manager");
    let claims = claims_of(&manager, "/protected", &access_token(&manager, "admin")).await;
    assert_eq!(claims["role"], "admin");
    let claims = claims_of(&manager, "/protected", &access_token(&manager, "guest")).await;
    assert_eq!(claims.get("role"), None);
    let keys: Vec<&str> = claims
        .as_object()
        .expect("claims object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec!["csrf", "exp", "fresh", "iat", "jti", "nbf", "sub", "type"];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
}

/// The loader runs once per token created, with the raw identity; the identity loader
/// too.
#[actix_web::test]
async fn test_loaders_run_once_per_token() {
    let (claims_calls, identity_calls) = (Counter::default(), Counter::default());
    let (counted_claims, counted_identity) = (claims_calls.clone(), identity_calls.clone());
    let manager = builder()
        .additional_claims_loader(move |identity| {
            counted_claims.hit();
            json!({"seen": identity})
        })
        .user_identity_loader(move |identity| {
            counted_identity.hit();
            json!(identity["name"])
        })
        .build()
        .expect("valid manager");
    let pair = manager
        .token_pair(json!({"name": "alice"}))
        .expect("token pair");
    assert_eq!((claims_calls.get(), identity_calls.get()), (2, 2));
    let claims = claims_of(&manager, "/protected", &pair.access_token).await;
    assert_eq!(claims["seen"], json!({"name": "alice"}));
    assert_eq!(claims["sub"], "alice");
    let claims = claims_of(&manager, "/protected2", &pair.refresh_token).await;
    assert_eq!(claims["seen"], json!({"name": "alice"}));
}

/// A panicking loader fails token creation with an error; nothing else breaks.
#[actix_web::test]
async fn test_panicking_loader_is_an_error() {
    let manager = builder()
        .additional_claims_loader(|identity| {
            if identity == "boom" {
                panic!("claims loader exploded");
            }
            json!({"ok": true})
        })
        .build()
        .expect("valid manager");
    let error = manager
        .access_token("boom")
        .build()
        .expect_err("panicking loader");
    assert!(
        error.to_string().contains("claims loader exploded"),
        "{error}"
    );
    let claims = claims_of(&manager, "/protected", &access_token(&manager, "fine")).await;
    assert_eq!(claims["ok"], true);
}
