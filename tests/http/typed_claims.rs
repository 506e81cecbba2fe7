//! `#[claims]` over HTTP: typed custom claims put into tokens with `.claims(&value)`,
//! verified and read back through `Jwt<C>`, with and without `#[jwt_required]`. A token
//! whose custom claims do not fit the type is a 422 naming the claim, never a 500, and
//! serde's attributes keep working.

#[allow(dead_code)] // its `main`
#[path = "../../examples/roles.rs"]
mod roles_example;

use crate::support::{
    self, Reply, access_token, bearer, encode_token, manager, now, raw_segments, send,
};
use actix_jwt_extended::{Jwt, JwtManager, claims, deserialize_claims, jwt_required};
use actix_web::{App, HttpResponse, get, test as actix_test, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// A role, written in lower case in the token (`"admin"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Role {
    Admin,
    User,
}

#[claims]
#[derive(Debug, Clone, PartialEq)]
struct Roles {
    role: Role,
    tenant: u64,
    /// May be absent from the token.
    team: Option<String>,
}

/// serde's attributes at work: names changed by `rename_all`, `rename` and `alias`,
/// defaults, and a field left out of tokens when empty.
#[claims]
#[derive(Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Profile {
    display_name: String,
    #[serde(rename = "grp")]
    group: String,
    #[serde(default)]
    level: u8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    scopes: Vec<String>,
    #[serde(alias = "mail")]
    email: Option<String>,
}

#[get("/roles")]
#[jwt_required]
async fn roles(jwt: Jwt<Roles>) -> HttpResponse {
    // `Jwt<C>` dereferences to `C`.
    HttpResponse::Ok().json(json!({
        "identity": jwt.identity(),
        "role": jwt.role,
        "tenant": jwt.tenant,
        "team": jwt.team,
    }))
}

#[get("/admin")]
#[jwt_required]
async fn admin(jwt: Jwt<Roles>) -> HttpResponse {
    if jwt.role == Role::Admin {
        HttpResponse::Ok().json(json!({"tenant": jwt.tenant}))
    } else {
        HttpResponse::Forbidden().json(json!({"msg": "Admins only!"}))
    }
}

#[get("/profile")]
#[jwt_required]
async fn profile(jwt: Jwt<Profile>) -> HttpResponse {
    HttpResponse::Ok().json(jwt.into_claims())
}

#[get("/optional")]
#[jwt_required(optional)]
async fn optional(jwt: Option<Jwt<Roles>>) -> HttpResponse {
    HttpResponse::Ok().json(jwt.map(|jwt| jwt.tenant))
}

/// `Jwt<Roles>` on a route without the macro verifies by itself.
async fn without_macro(jwt: Jwt<Roles>) -> HttpResponse {
    HttpResponse::Ok().json(json!({"role": jwt.role}))
}

async fn get_as(manager: &JwtManager, uri: &str, token: Option<&str>) -> Reply {
    let app = actix_test::init_service(
        App::new()
            .app_data(manager.clone())
            .service(roles)
            .service(admin)
            .service(profile)
            .service(optional)
            .route("/without_macro", web::get().to(without_macro)),
    )
    .await;
    let mut req = actix_test::TestRequest::get().uri(uri);
    if let Some(token) = token {
        req = req.insert_header(bearer(token));
    }
    send(&app, req.to_request()).await
}

fn roles_token(manager: &JwtManager, claims: &Roles) -> String {
    manager
        .access_token("alice")
        .claims(claims)
        .build()
        .expect("token")
}

/// A token with `claims` added to the registered ones.
fn token_with(manager: &JwtManager, claims: &Value) -> String {
    manager
        .access_token("alice")
        .claims(claims)
        .build()
        .expect("token")
}

fn payload(token: &str) -> Value {
    serde_json::from_str(&raw_segments(token).1).expect("JSON payload")
}

#[actix_web::test]
async fn typed_claims_round_trip_ok() {
    let manager = manager();
    let claims = Roles {
        role: Role::Admin,
        tenant: 7,
        team: Some("ops".to_owned()),
    };
    let token = roles_token(&manager, &claims);

    // The fields are plain claims next to flask's registered ones.
    let payload = payload(&token);
    assert_eq!(payload["role"], "admin");
    assert_eq!(payload["tenant"], 7);
    assert_eq!(payload["team"], "ops");
    assert_eq!(payload["sub"], "alice");
    assert_eq!(payload["type"], "access");

    let decoded = manager.decode_token(&token, None, false).expect("valid");
    assert_eq!(deserialize_claims::<Roles>(&decoded).expect("fits"), claims);

    get_as(&manager, "/roles", Some(&token)).await.assert_json(
        200,
        &json!({"identity": "alice", "role": "admin", "tenant": 7, "team": "ops"}),
    );
    get_as(&manager, "/admin", Some(&token))
        .await
        .assert_json(200, &json!({"tenant": 7}));
    get_as(&manager, "/without_macro", Some(&token))
        .await
        .assert_json(200, &json!({"role": "admin"}));
    get_as(&manager, "/optional", Some(&token))
        .await
        .assert_json(200, &json!(7));
}

#[actix_web::test]
async fn role_check_in_handler_fails_for_users() {
    let manager = manager();
    let token = roles_token(
        &manager,
        &Roles {
            role: Role::User,
            tenant: 1,
            team: None,
        },
    );
    get_as(&manager, "/admin", Some(&token))
        .await
        .assert_json(403, &json!({"msg": "Admins only!"}));
}

#[actix_web::test]
async fn option_field_absent_ok() {
    let manager = manager();
    // Written as `null` by `Serialize`, and absent in a token made by hand.
    let written = roles_token(
        &manager,
        &Roles {
            role: Role::User,
            tenant: 2,
            team: None,
        },
    );
    assert_eq!(payload(&written)["team"], Value::Null);
    let absent = token_with(&manager, &json!({"role": "user", "tenant": 2}));
    assert!(payload(&absent).get("team").is_none());
    for token in [written, absent] {
        get_as(&manager, "/roles", Some(&token)).await.assert_json(
            200,
            &json!({"identity": "alice", "role": "user", "tenant": 2, "team": null}),
        );
    }
}

#[actix_web::test]
async fn missing_claim_fails() {
    let manager = manager();
    // A token without any custom claim, and one without `role`.
    for token in [
        access_token(&manager, "alice"),
        token_with(&manager, &json!({"tenant": 2})),
    ] {
        for uri in ["/roles", "/without_macro", "/optional"] {
            get_as(&manager, uri, Some(&token))
                .await
                .assert_error(422, "Missing claim: role");
        }
    }
    let token = token_with(&manager, &json!({"role": "user"}));
    get_as(&manager, "/roles", Some(&token))
        .await
        .assert_error(422, "Missing claim: tenant");
}

#[actix_web::test]
async fn wrong_type_fails_naming_the_claim() {
    let manager = manager();
    let cases = [
        (
            json!({"role": "user", "tenant": "seven"}),
            "Invalid claim: tenant (invalid type: string \"seven\", expected u64)",
        ),
        (
            json!({"role": "user", "tenant": -1}),
            "Invalid claim: tenant (invalid value: integer `-1`, expected u64)",
        ),
        (
            json!({"role": "root", "tenant": 1}),
            "Invalid claim: role (unknown variant `root`, expected `admin` or `user`)",
        ),
        (
            json!({"role": "user", "tenant": 1, "team": 5}),
            "Invalid claim: team (invalid type: integer `5`, expected a string)",
        ),
        (
            json!({"role": null, "tenant": 1}),
            "Invalid claim: role (invalid type: null, expected string or map)",
        ),
    ];
    for (claims, message) in cases {
        let token = token_with(&manager, &claims);
        for uri in ["/roles", "/without_macro", "/optional"] {
            get_as(&manager, uri, Some(&token))
                .await
                .assert_error(422, message);
        }
    }
}

#[actix_web::test]
async fn registered_claims_of_the_wrong_shape_are_not_ours_to_report() {
    // A hand-made token whose claims fit `Roles` and whose registered claims are
    // flask's: the custom claims are read from the same parsed payload.
    let manager = manager();
    let token = encode_token(&json!({
        "sub": "alice", "type": "access", "fresh": false, "jti": "j", "iat": now(),
        "nbf": now(), "exp": now() + 60, "role": "admin", "tenant": 3,
    }));
    get_as(&manager, "/roles", Some(&token)).await.assert_json(
        200,
        &json!({"identity": "alice", "role": "admin", "tenant": 3, "team": null}),
    );
}

#[actix_web::test]
async fn optional_route_without_token_ok() {
    let manager = manager();
    get_as(&manager, "/optional", None)
        .await
        .assert_json(200, &Value::Null);
    get_as(&manager, "/roles", None)
        .await
        .assert_error(401, "Missing Authorization Header");
}

#[actix_web::test]
async fn serde_attributes_ok() {
    let manager = manager();
    let claims = Profile {
        display_name: "Alice".to_owned(),
        group: "ops".to_owned(),
        level: 3,
        scopes: Vec::new(),
        email: Some("alice@example.com".to_owned()),
    };
    let token = manager
        .access_token("alice")
        .claims(&claims)
        .build()
        .expect("token");
    let written = payload(&token);
    assert_eq!(written["displayName"], "Alice");
    assert_eq!(written["grp"], "ops");
    assert_eq!(written["level"], 3);
    assert_eq!(written["email"], "alice@example.com");
    // `skip_serializing_if`: an empty list is left out.
    assert!(written.get("scopes").is_none(), "{written}");
    assert!(written.get("display_name").is_none() && written.get("group").is_none());

    get_as(&manager, "/profile", Some(&token)).await.assert_json(
        200,
        &json!({"displayName": "Alice", "grp": "ops", "level": 3, "email": "alice@example.com"}),
    );

    // `default` fills in `level` and `scopes`; `alias` reads `mail`.
    let token = token_with(
        &manager,
        &json!({"displayName": "Bob", "grp": "dev", "mail": "bob@example.com"}),
    );
    get_as(&manager, "/profile", Some(&token))
        .await
        .assert_json(
            200,
            &json!({"displayName": "Bob", "grp": "dev", "level": 0, "email": "bob@example.com"}),
        );

    // Errors name the claim as it is written in the token.
    let token = token_with(&manager, &json!({"grp": "dev"}));
    get_as(&manager, "/profile", Some(&token))
        .await
        .assert_error(422, "Missing claim: displayName");
    let token = token_with(
        &manager,
        &json!({"displayName": "Bob", "grp": "dev", "scopes": "all"}),
    );
    get_as(&manager, "/profile", Some(&token))
        .await
        .assert_error(
            422,
            "Invalid claim: scopes (invalid type: string \"all\", expected a sequence)",
        );
}

#[actix_web::test]
async fn untyped_claims_still_read_everything() {
    let manager = manager();
    let token = token_with(&manager, &json!({"role": "admin", "tenant": 1}));
    let decoded = manager.decode_token(&token, None, false).expect("valid");
    let all: Value = deserialize_claims(&decoded).expect("any object");
    assert_eq!(all["role"], "admin");
    assert_eq!(all["sub"], "alice");
    let map: std::collections::HashMap<String, Value> =
        deserialize_claims(&decoded).expect("any object");
    assert_eq!(map["tenant"], 1);
}

/// A claims type reading the identity claim of an app that renamed it: the macro was not
/// told, so the field is allowed, and it must see the identity like any custom claim.
#[claims]
#[derive(Debug, Clone, PartialEq)]
struct Account {
    uid: String,
    role: Role,
    /// An object value, read from its raw text.
    limits: Limits,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Limits {
    requests: u32,
    tags: Vec<String>,
}

#[get("/account")]
#[jwt_required]
async fn account(jwt: Jwt<Account>) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "uid": jwt.uid,
        "role": jwt.role,
        "requests": jwt.limits.requests,
        "tags": jwt.limits.tags,
    }))
}

/// `Jwt<C>` reads a `#[claims]` type from the custom claims alone, located during
/// verification: every way a claim can be written in JSON must read as it did when the
/// whole claims JSON was deserialized.
#[actix_web::test]
async fn custom_claims_read_in_one_pass_ok() {
    let manager = manager();
    let exp = now() + 600;
    let send_raw = |payload: String| {
        let manager = manager.clone();
        async move {
            let token = support::sign_raw(
                r#"{"alg":"HS256","typ":"JWT"}"#,
                &payload,
                &jsonwebtoken::EncodingKey::from_secret(support::SECRET.as_bytes()),
                jsonwebtoken::Algorithm::HS256,
            );
            get_as(&manager, "/roles", Some(&token)).await
        }
    };
    // Escapes in names and values, whitespace around members, claims before and after
    // the registered ones.
    send_raw(format!(
        "{{ \"r\\u006fle\" : \"admin\" , \"sub\":\"alice\",\"type\":\"access\",\
         \"exp\":{exp}, \"tenant\" :\t7, \"team\":\"a\\\"b\\u00e9\" }}"
    ))
    .await
    .assert_json(
        200,
        &json!({"identity": "alice", "role": "admin", "tenant": 7, "team": "a\"b\u{e9}"}),
    );
    // `null` for an `Option`, and an unknown nested claim skipped.
    send_raw(format!(
        r#"{{"sub":"alice","type":"access","exp":{exp},"role":"user","tenant":1,"team":null,"extra":{{"a":[1,{{"b":2}}]}}}}"#
    ))
    .await
    .assert_json(
        200,
        &json!({"identity": "alice", "role": "user", "tenant": 1, "team": null}),
    );
    // Duplicates inside a custom claim are still refused, with the message (and the
    // position in the whole payload) of the strict parser.
    let payload = format!(
        r#"{{"sub":"alice","type":"access","exp":{exp},"role":"user","tenant":1,"extra":{{"b":1,"b":2}}}}"#
    );
    let column = payload.rfind(r#""b""#).expect("second b") + 3;
    send_raw(payload).await.assert_error(
        422,
        &format!("Invalid payload string: duplicate member name \"b\": line 1 column {column}"),
    );
    // A claim that does not fit is still named.
    send_raw(format!(
        r#"{{"sub":"alice","type":"access","exp":{exp},"role":"user","tenant":"1"}}"#
    ))
    .await
    .assert_error(
        422,
        "Invalid claim: tenant (invalid type: string \"1\", expected u64)",
    );
}

#[actix_web::test]
async fn identity_claim_renamed_is_a_custom_claim_ok() {
    let manager = support::manager_with(|config| config.identity_claim = "uid".to_owned());
    let token = manager
        .access_token("alice")
        .claims(&json!({"role": "admin", "limits": {"requests": 10, "tags": ["a", "b"]}}))
        .build()
        .expect("token");
    let app = actix_test::init_service(App::new().app_data(manager.clone()).service(account)).await;
    let req = actix_test::TestRequest::get()
        .uri("/account")
        .insert_header(bearer(&token));
    send(&app, req.to_request()).await.assert_json(
        200,
        &json!({"uid": "alice", "role": "admin", "requests": 10, "tags": ["a", "b"]}),
    );
}

// ---- examples/roles.rs ---------------------------------------------------------------

async fn example_request(manager: &JwtManager, req: actix_test::TestRequest) -> Reply {
    let app = actix_test::init_service(
        App::new()
            .app_data(web::Data::new(manager.clone()))
            .configure(roles_example::routes),
    )
    .await;
    send(&app, req.to_request()).await
}

async fn example_login(manager: &JwtManager, username: &str, password: &str) -> Reply {
    let req = actix_test::TestRequest::post()
        .uri("/login")
        .set_json(json!({"username": username, "password": password}));
    example_request(manager, req).await
}

async fn example_get(manager: &JwtManager, uri: &str, token: Option<&str>) -> Reply {
    let mut req = actix_test::TestRequest::get().uri(uri);
    if let Some(token) = token {
        req = req.insert_header(bearer(token));
    }
    example_request(manager, req).await
}

#[actix_web::test]
async fn example_admin_required_ok_for_admins_only() {
    let manager = manager();
    let admin_login = example_login(&manager, "admin", "admin").await.json();
    let admin_token = admin_login["access_token"]
        .as_str()
        .expect("admin token")
        .to_owned();
    assert_eq!(payload(&admin_token)["role"], "admin");
    let user_login = example_login(&manager, "user", "user").await.json();
    let user_token = user_login["access_token"]
        .as_str()
        .expect("user token")
        .to_owned();

    example_get(&manager, "/whoami", Some(&admin_token))
        .await
        .assert_json(
            200,
            &json!({"user": "admin", "role": "admin", "can_administer": true}),
        );
    example_get(&manager, "/whoami", Some(&user_token))
        .await
        .assert_json(
            200,
            &json!({"user": "user", "role": "user", "can_administer": false}),
        );

    example_get(&manager, "/protected", Some(&admin_token))
        .await
        .assert_json(200, &json!({"foo": "bar", "admin": "admin"}));
    example_get(&manager, "/protected", Some(&user_token))
        .await
        .assert_json(403, &json!({"msg": "Admins only!"}));
}

#[actix_web::test]
async fn example_admin_required_keeps_the_library_errors() {
    let manager = manager();
    example_get(&manager, "/protected", None)
        .await
        .assert_error(401, "Missing Authorization Header");
    // A token made elsewhere without the `role` claim.
    example_get(
        &manager,
        "/protected",
        Some(&access_token(&manager, "admin")),
    )
    .await
    .assert_error(422, "Missing claim: role");
    example_login(&manager, "admin", "nope")
        .await
        .assert_json(401, &json!({"msg": "Bad username or password"}));
}
