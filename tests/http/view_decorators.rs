//! `#[jwt_required(...)]` over HTTP: flask-jwt-extended's `tests/test_view_decorators.py`,
//! plus what the macro guarantees by verifying before the handler's extractors run:
//! the JWT error wins over a body extractor's error, the `json` location
//! works with `web::Json<T>`, both attribute orders work, generics survive.

use std::{convert::Infallible, time::Duration};

use crate::support::{
    self, Reply, access_token, bearer, encode_token, manager, manager_with, now, send,
};
use actix_jwt_extended::{
    Jwt, JwtManager, OneOrMany, VerifyOptions, jwt_required, verify_jwt_in_request,
};
use actix_web::{
    App, HttpRequest, HttpResponse, Responder, cookie::Cookie, get, post, test as actix_test, web,
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Value, json};

// ---- routes (flask's test app) --------------------------------------------------

#[get("/protected")]
#[jwt_required]
async fn protected() -> impl Responder {
    HttpResponse::Ok().json(json!({"foo": "bar"}))
}

#[get("/protected_parens")]
#[jwt_required()]
async fn protected_parens(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok().json(json!({"foo": "bar", "identity": jwt.identity()}))
}

#[get("/fresh_protected")]
#[jwt_required(fresh)]
async fn fresh_protected(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok().json(json!({"foo": "bar", "fresh": jwt.all_claims()["fresh"]}))
}

#[get("/refresh_protected")]
#[jwt_required(refresh)]
async fn refresh_protected(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok().json(json!({"foo": "bar", "type": jwt.token_type()}))
}

#[get("/optional_protected")]
#[jwt_required(optional)]
async fn optional_protected(jwt: Option<Jwt>) -> impl Responder {
    match jwt {
        Some(_) => HttpResponse::Ok().json(json!({"foo": "baz"})),
        None => HttpResponse::Ok().json(json!({"foo": "bar"})),
    }
}

#[get("/any_type")]
#[jwt_required(verify_type = false)]
async fn any_type(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok().json(json!({"type": jwt.token_type()}))
}

#[get("/refresh_any_type")]
#[jwt_required(refresh, verify_type = false)]
async fn refresh_any_type(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok().json(json!({"type": jwt.token_type()}))
}

#[get("/optional_refresh")]
#[jwt_required(optional, refresh)]
async fn optional_refresh(jwt: Option<Jwt>) -> impl Responder {
    HttpResponse::Ok().json(json!({"type": jwt.as_ref().map(|jwt| jwt.token_type())}))
}

#[get("/query_protected")]
#[jwt_required(locations = "query_string")]
async fn query_protected(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok()
        .json(json!({"identity": jwt.identity(), "location": jwt.location().map(|l| l.as_str())}))
}

#[get("/cookie_protected")]
#[jwt_required(locations = "cookies")]
async fn cookie_protected(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok()
        .json(json!({"identity": jwt.identity(), "location": jwt.location().map(|l| l.as_str())}))
}

#[get("/headers_or_query")]
#[jwt_required(locations = "headers,query_string")]
async fn headers_or_query(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok().json(json!({"location": jwt.location().map(|l| l.as_str())}))
}

#[get("/skip_revocation")]
#[jwt_required(skip_revocation_check)]
async fn skip_revocation(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok().json(json!({"identity": jwt.identity()}))
}

/// The attribute above the routing attribute.
#[jwt_required]
#[get("/above")]
async fn above(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok().json(json!({"identity": jwt.identity()}))
}

#[derive(Debug, Serialize, Deserialize)]
struct Comment {
    text: String,
}

#[post("/comment")]
#[jwt_required]
async fn comment(jwt: Jwt, body: web::Json<Comment>) -> impl Responder {
    HttpResponse::Ok().json(json!({"by": jwt.identity(), "text": body.text}))
}

#[post("/comment_optional")]
#[jwt_required(optional)]
async fn comment_optional(jwt: Option<Jwt>, body: web::Json<Comment>) -> impl Responder {
    let by = jwt.map(|jwt| jwt.identity().clone());
    HttpResponse::Ok().json(json!({"by": by, "text": body.text}))
}

#[post("/json_location")]
#[jwt_required(locations = "json")]
async fn json_location(jwt: Jwt, body: web::Json<Value>) -> impl Responder {
    HttpResponse::Ok().json(json!({
        "identity": jwt.identity(),
        "location": jwt.location().map(|l| l.as_str()),
        "body": body.into_inner(),
    }))
}

/// Generics, a where-clause, doc comments and visibility survive the macro.
#[jwt_required(fresh)]
pub(crate) async fn generic_echo<T>(jwt: Jwt, body: web::Json<T>) -> impl Responder
where
    T: DeserializeOwned + Serialize + 'static,
{
    HttpResponse::Ok().json(json!({"identity": jwt.identity(), "body": body.into_inner()}))
}

/// `decode_token` inside an ordinary view: its error is the JWT error response.
async fn decode_in_view(
    req: HttpRequest,
    manager: web::Data<JwtManager>,
) -> actix_web::Result<HttpResponse> {
    let token = req
        .headers()
        .get("X-Token")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let decoded = manager.decode_token(token, None, false)?;
    Ok(HttpResponse::Ok().json(json!({"identity": decoded.identity()})))
}

/// `verify_jwt_in_request()` and its return value.
async fn verify_in_view(req: HttpRequest) -> actix_web::Result<HttpResponse> {
    let verified = verify_jwt_in_request(&req, &VerifyOptions::DEFAULT).await?;
    Ok(HttpResponse::Ok().json(match verified {
        Some(token) => json!({"header": token.header(), "claims": token.all_claims()}),
        None => json!(null),
    }))
}

fn app_with(
    manager: JwtManager,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(manager.clone())
        .app_data(web::Data::new(manager))
        .service(protected)
        .service(protected_parens)
        .service(fresh_protected)
        .service(refresh_protected)
        .service(optional_protected)
        .service(any_type)
        .service(refresh_any_type)
        .service(optional_refresh)
        .service(query_protected)
        .service(cookie_protected)
        .service(headers_or_query)
        .service(skip_revocation)
        .service(above)
        .service(comment)
        .service(comment_optional)
        .service(json_location)
        .route("/generic", web::post().to(generic_echo::<Comment>))
        .route("/decode_in_view", web::get().to(decode_in_view))
        .route("/verify_in_view", web::get().to(verify_in_view))
        .route("/verify_in_view", web::route().to(verify_in_view))
}

/// `GET uri` with an optional bearer token.
async fn get_as(manager: &JwtManager, uri: &str, token: Option<&str>) -> Reply {
    let app = actix_test::init_service(app_with(manager.clone())).await;
    let mut req = actix_test::TestRequest::get().uri(uri);
    if let Some(token) = token {
        req = req.insert_header(bearer(token));
    }
    send(&app, req.to_request()).await
}

/// `GET uri` with `Authorization: <value>`.
async fn get_with_auth(manager: &JwtManager, uri: &str, value: &str) -> Reply {
    let app = actix_test::init_service(app_with(manager.clone())).await;
    let req = actix_test::TestRequest::get()
        .uri(uri)
        .insert_header(("Authorization", value))
        .to_request();
    send(&app, req).await
}

fn fresh_token(manager: &JwtManager) -> String {
    manager
        .access_token("username")
        .fresh(true)
        .build()
        .expect("token")
}

fn refresh_token(manager: &JwtManager) -> String {
    support::refresh_token(manager, "username")
}

fn expired_token(manager: &JwtManager) -> String {
    manager
        .access_token("username")
        .claim("exp", now() - 60)
        .build()
        .expect("token")
}

// ---- flask's test_view_decorators.py ----------------------------------------------

#[actix_web::test]
async fn test_jwt_required() {
    let manager = manager();
    let url = "/protected";
    for token in [access_token(&manager, "username"), fresh_token(&manager)] {
        get_as(&manager, url, Some(&token))
            .await
            .assert_json(200, &json!({"foo": "bar"}));
    }
    get_as(&manager, url, None)
        .await
        .assert_error(401, "Missing Authorization Header");
    get_as(&manager, url, Some(&refresh_token(&manager)))
        .await
        .assert_error(422, "Only non-refresh tokens are allowed");

    // `#[jwt_required()]` is the same, and the handler sees the token.
    let token = access_token(&manager, "username");
    get_as(&manager, "/protected_parens", Some(&token))
        .await
        .assert_json(200, &json!({"foo": "bar", "identity": "username"}));
    get_as(&manager, "/protected_parens", None)
        .await
        .assert_error(401, "Missing Authorization Header");
}

#[actix_web::test]
async fn test_fresh_jwt_required() {
    let manager = manager();
    let url = "/fresh_protected";

    get_as(&manager, url, Some(&fresh_token(&manager)))
        .await
        .assert_json(200, &json!({"foo": "bar", "fresh": true}));
    get_as(&manager, url, Some(&access_token(&manager, "username")))
        .await
        .assert_error(401, "Fresh token required");

    // A freshness window (flask's fresh=timedelta(minutes=5)).
    let timed = manager
        .access_token("username")
        .fresh_for(Duration::from_secs(300))
        .build()
        .expect("token");
    let reply = get_as(&manager, url, Some(&timed)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert!(reply.json()["fresh"].is_f64(), "{reply:?}");

    // A window that has passed, and the epoch.
    for until in [now() as f64 - 60.0, 0.0] {
        let stale = manager
            .access_token("username")
            .fresh_until(until)
            .build()
            .expect("token");
        get_as(&manager, url, Some(&stale))
            .await
            .assert_error(401, "Fresh token required");
    }
    // A fresh claim of 0 or false is stale, never a 500.
    for fresh in [json!(0), json!(false)] {
        let token = encode_token(&json!({
            "sub": "username",
            "type": "access",
            "exp": now() + 600,
            "fresh": fresh,
        }));
        get_as(&manager, url, Some(&token))
            .await
            .assert_error(401, "Fresh token required");
    }
    // Stricter than flask-jwt-extended (a 500 there): a string `fresh` is invalid (R27).
    let token = encode_token(&json!({
        "sub": "username",
        "type": "access",
        "exp": now() + 600,
        "fresh": "yes",
    }));
    get_as(&manager, url, Some(&token))
        .await
        .assert_error(422, "Invalid claim: fresh must be a boolean or a number");

    get_as(&manager, url, None)
        .await
        .assert_error(401, "Missing Authorization Header");
    get_as(&manager, url, Some(&refresh_token(&manager)))
        .await
        .assert_error(422, "Only non-refresh tokens are allowed");
}

#[actix_web::test]
async fn test_refresh_jwt_required() {
    let manager = manager();
    let url = "/refresh_protected";
    for token in [fresh_token(&manager), access_token(&manager, "username")] {
        get_as(&manager, url, Some(&token))
            .await
            .assert_error(422, "Only refresh tokens are allowed");
    }
    // Any type other than "refresh" is refused on a refresh route.
    // Stricter than flask-jwt-extended: a type that is neither "access" nor "refresh" is
    // refused for every route, before the route's kind is looked at (RFC 8725 §3.12).
    let other = encode_token(&json!({
        "sub": "username",
        "type": "other",
        "exp": now() + 600,
    }));
    get_as(&manager, url, Some(&other))
        .await
        .assert_error(422, "Invalid claim: type must be \"access\" or \"refresh\"");
    get_as(&manager, url, None)
        .await
        .assert_error(401, "Missing Authorization Header");
    get_as(&manager, url, Some(&refresh_token(&manager)))
        .await
        .assert_json(200, &json!({"foo": "bar", "type": "refresh"}));
}

#[actix_web::test]
async fn test_custom_token_type_on_access_route() {
    let manager = manager();
    let other = encode_token(&json!({
        "sub": "username",
        "type": "other",
        "exp": now() + 600,
    }));
    // Stricter than flask-jwt-extended: flask treats an unknown type as an access token;
    // token kinds must be mutually exclusive (RFC 8725 §3.12, docs/security.md T04).
    get_as(&manager, "/protected", Some(&other))
        .await
        .assert_error(422, "Invalid claim: type must be \"access\" or \"refresh\"");
    // Stricter than flask-jwt-extended: a token without `type` is not taken for an
    // access token (docs/security.md T03).
    let untyped = encode_token(&json!({"sub": "username", "exp": now() + 600}));
    get_as(&manager, "/protected", Some(&untyped))
        .await
        .assert_error(422, "Missing claim: type");
    // Not even when the route does not check the kind.
    get_as(&manager, "/any_type", Some(&other))
        .await
        .assert_error(422, "Invalid claim: type must be \"access\" or \"refresh\"");
}

#[actix_web::test]
async fn test_verify_type_false() {
    let manager = manager();
    for (token, kind) in [
        (access_token(&manager, "username"), "access"),
        (refresh_token(&manager), "refresh"),
    ] {
        for url in ["/any_type", "/refresh_any_type"] {
            get_as(&manager, url, Some(&token))
                .await
                .assert_json(200, &json!({"type": kind}));
        }
    }
    get_as(&manager, "/any_type", None)
        .await
        .assert_error(401, "Missing Authorization Header");
}

#[actix_web::test]
async fn test_jwt_optional() {
    let manager = manager();
    let url = "/optional_protected";
    for token in [fresh_token(&manager), access_token(&manager, "username")] {
        get_as(&manager, url, Some(&token))
            .await
            .assert_json(200, &json!({"foo": "baz"}));
    }
    get_as(&manager, url, Some(&refresh_token(&manager)))
        .await
        .assert_error(422, "Only non-refresh tokens are allowed");
    get_as(&manager, url, None)
        .await
        .assert_json(200, &json!({"foo": "bar"}));
    get_as(&manager, url, Some(&expired_token(&manager)))
        .await
        .assert_error(401, "Token has expired");
}

#[actix_web::test]
async fn test_jwt_optional_with_no_valid_jwt() {
    // Only a missing token is tolerated: a present but invalid one still fails.
    let manager = manager();
    let url = "/optional_protected";
    get_with_auth(&manager, url, "Bearer aaaaa.bbbbb.ccccc")
        .await
        .assert_error(422, "Invalid header padding");
    get_with_auth(&manager, url, "Bearer banana")
        .await
        .assert_error(422, "Not enough segments");
    let forged = support::encode_token_with(
        &json!({"alg": "HS256", "typ": "JWT"}),
        &json!({"sub": "username"}),
        "another secret that is long enough",
    );
    get_as(&manager, url, Some(&forged))
        .await
        .assert_error(422, "Signature verification failed");
}

#[actix_web::test]
async fn test_optional_jwt_with_malformed_comma_headers() {
    let manager = manager();
    let url = "/optional_protected";
    // Nothing usable: the same as no token.
    for value in [
        ",",
        " , ,",
        "Basic abc",
        "Basic abc, Digest def",
        "bearer abc",
    ] {
        get_with_auth(&manager, url, value)
            .await
            .assert_json(200, &json!({"foo": "bar"}));
    }
    // A Bearer field of the wrong shape is an error even here.
    for value in ["Bearer", "Bearer a b", "Basic abc, Bearer", "Bearer ,,0"] {
        get_with_auth(&manager, url, value).await.assert_error(
            422,
            "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'",
        );
    }
    let token = access_token(&manager, "username");
    get_with_auth(&manager, url, &format!("Basic abc, Bearer {token},"))
        .await
        .assert_json(200, &json!({"foo": "baz"}));
}

#[actix_web::test]
async fn test_optional_refresh() {
    let manager = manager();
    let url = "/optional_refresh";
    get_as(&manager, url, None)
        .await
        .assert_json(200, &json!({"type": null}));
    get_as(&manager, url, Some(&refresh_token(&manager)))
        .await
        .assert_json(200, &json!({"type": "refresh"}));
    get_as(&manager, url, Some(&access_token(&manager, "username")))
        .await
        .assert_error(422, "Only refresh tokens are allowed");
}

#[actix_web::test]
async fn test_override_jwt_location() {
    // The app is configured for headers; the routes override it.
    let manager = manager();
    let token = access_token(&manager, "username");
    let app = actix_test::init_service(app_with(manager.clone())).await;

    // query_string
    let req = actix_test::TestRequest::get()
        .uri(&format!("/query_protected?jwt={token}"))
        .to_request();
    send(&app, req).await.assert_json(
        200,
        &json!({"identity": "username", "location": "query_string"}),
    );
    let req = actix_test::TestRequest::get()
        .uri("/query_protected")
        .insert_header(bearer(&token))
        .to_request();
    send(&app, req)
        .await
        .assert_error(401, "Missing 'jwt' query paramater");

    // cookies (GET: no CSRF value needed)
    let req = actix_test::TestRequest::get()
        .uri("/cookie_protected")
        .cookie(Cookie::new("access_token_cookie", token.clone()))
        .to_request();
    send(&app, req)
        .await
        .assert_json(200, &json!({"identity": "username", "location": "cookies"}));
    let req = actix_test::TestRequest::get()
        .uri("/cookie_protected")
        .insert_header(bearer(&token))
        .to_request();
    send(&app, req)
        .await
        .assert_error(401, "Missing cookie \"access_token_cookie\"");

    // The plain route still reads headers only.
    let req = actix_test::TestRequest::get()
        .uri(&format!("/protected?jwt={token}"))
        .to_request();
    send(&app, req)
        .await
        .assert_error(401, "Missing Authorization Header");

    // Several locations, in order.
    let req = actix_test::TestRequest::get()
        .uri(&format!("/headers_or_query?jwt={token}"))
        .to_request();
    send(&app, req)
        .await
        .assert_json(200, &json!({"location": "query_string"}));
    let req = actix_test::TestRequest::get()
        .uri("/headers_or_query")
        .insert_header(bearer(&token))
        .to_request();
    send(&app, req)
        .await
        .assert_json(200, &json!({"location": "headers"}));
    let req = actix_test::TestRequest::get()
        .uri("/headers_or_query")
        .to_request();
    send(&app, req).await.assert_error(
        401,
        "Missing JWT in headers or query_string (Missing Authorization Header; \
         Missing 'jwt' query paramater)",
    );
    // A malformed header stops the search: the query token is not looked at.
    let req = actix_test::TestRequest::get()
        .uri(&format!("/headers_or_query?jwt={token}"))
        .insert_header(("Authorization", "Bearer aaaaa.bbbbb.ccccc"))
        .to_request();
    send(&app, req)
        .await
        .assert_error(422, "Invalid header padding");
}

#[actix_web::test]
async fn test_invalid_jwt() {
    let manager = manager();
    get_with_auth(&manager, "/protected", "Bearer aaaaa.bbbbb.ccccc")
        .await
        .assert_error(422, "Invalid header padding");
}

#[actix_web::test]
async fn test_jwt_missing_claims() {
    let manager = manager();
    let token = encode_token(&json!({"foo": "bar"}));
    get_as(&manager, "/protected", Some(&token))
        .await
        .assert_error(422, "Missing claim: sub");
}

#[actix_web::test]
async fn test_jwt_invalid_audience() {
    // No audience expected or provided: OK.
    let manager = manager();
    let token = encode_token(&json!({"sub": "me", "type": "access", "exp": now() + 600}));
    get_as(&manager, "/protected", Some(&token))
        .await
        .assert_json(200, &json!({"foo": "bar"}));
    // Stricter than flask-jwt-extended: a token meant for an audience is refused by a
    // service that expects none (RFC 7519 §4.1.3; flask skips the check).
    let aimed = encode_token(&json!({
        "sub": "me",
        "type": "access",
        "exp": now() + 600,
        "aud": "my_audience",
    }));
    get_as(&manager, "/protected", Some(&aimed))
        .await
        .assert_error(422, "Invalid audience");

    // Expected and not provided.
    let manager = manager_with(|config| {
        config.decode_audience = Some(OneOrMany::from("my_audience"));
    });
    get_as(&manager, "/protected", Some(&token))
        .await
        .assert_error(422, "Token is missing the \"aud\" claim");

    // Expected and a wrong one provided.
    let token = encode_token(
        &json!({"sub": "me", "type": "access", "exp": now() + 600, "aud": "different_audience"}),
    );
    get_as(&manager, "/protected", Some(&token))
        .await
        .assert_error(422, "Audience doesn't match");

    // Expected and provided.
    let token = encode_token(
        &json!({"sub": "me", "type": "access", "exp": now() + 600, "aud": "my_audience"}),
    );
    get_as(&manager, "/protected", Some(&token))
        .await
        .assert_json(200, &json!({"foo": "bar"}));
}

#[actix_web::test]
async fn test_jwt_invalid_issuer() {
    let manager = manager_with(|config| {
        config.decode_issuer = Some(OneOrMany::from("my_issuer"));
    });
    let token = encode_token(&json!({"sub": "me", "type": "access", "exp": now() + 600}));
    get_as(&manager, "/protected", Some(&token))
        .await
        .assert_error(422, "Token is missing the \"iss\" claim");
    let token = encode_token(
        &json!({"sub": "me", "type": "access", "exp": now() + 600, "iss": "different_issuer"}),
    );
    get_as(&manager, "/protected", Some(&token))
        .await
        .assert_error(422, "Invalid issuer");
    let token = encode_token(
        &json!({"sub": "me", "type": "access", "exp": now() + 600, "iss": "my_issuer"}),
    );
    get_as(&manager, "/protected", Some(&token))
        .await
        .assert_json(200, &json!({"foo": "bar"}));
}

#[actix_web::test]
async fn test_malformed_token() {
    let manager = manager();
    for (token, message) in [
        ("banana", "Not enough segments"),
        ("a.b", "Not enough segments"),
        ("aaaaa.bbbbb.ccccc", "Invalid header padding"),
    ] {
        get_as(&manager, "/protected", Some(token))
            .await
            .assert_error(422, message);
    }
}

#[actix_web::test]
async fn test_expired_token() {
    let manager = manager();
    let token = expired_token(&manager);
    for url in ["/protected", "/fresh_protected", "/any_type"] {
        get_as(&manager, url, Some(&token))
            .await
            .assert_error(401, "Token has expired");
    }
    // A bad signature wins over expiry.
    let forged = support::encode_token_with(
        &json!({"alg": "HS256", "typ": "JWT"}),
        &json!({"sub": "username", "exp": now() - 60}),
        "another secret that is long enough",
    );
    get_as(&manager, "/protected", Some(&forged))
        .await
        .assert_error(422, "Signature verification failed");
}

#[actix_web::test]
async fn test_expired_token_via_decode_token() {
    let manager = manager();
    let app = actix_test::init_service(app_with(manager.clone())).await;
    let req = actix_test::TestRequest::get()
        .uri("/decode_in_view")
        .insert_header(("X-Token", expired_token(&manager)))
        .to_request();
    send(&app, req).await.assert_error(401, "Token has expired");
    let req = actix_test::TestRequest::get()
        .uri("/decode_in_view")
        .insert_header(("X-Token", access_token(&manager, "username")))
        .to_request();
    send(&app, req)
        .await
        .assert_json(200, &json!({"identity": "username"}));
}

#[actix_web::test]
async fn test_no_token() {
    let manager = manager();
    for url in [
        "/protected",
        "/fresh_protected",
        "/refresh_protected",
        "/any_type",
        "/above",
    ] {
        get_as(&manager, url, None)
            .await
            .assert_error(401, "Missing Authorization Header");
    }
}

#[actix_web::test]
async fn test_different_token_algorithm() {
    let hs256 = manager();
    let token = access_token(&hs256, "username");
    let hs512 = manager_with(|config| config.algorithm = actix_jwt_extended::Algorithm::HS512);
    get_as(&hs512, "/protected", Some(&token))
        .await
        .assert_error(422, "The specified alg value is not allowed");
}

#[actix_web::test]
async fn test_verify_jwt_in_request_return_value() {
    let manager = manager();
    let token = manager
        .access_token("username")
        .header("kid", "k1")
        .build()
        .expect("token");
    let reply = get_as(&manager, "/verify_in_view", Some(&token)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let body = reply.json();
    assert_eq!(
        body["header"],
        json!({"alg": "HS256", "kid": "k1", "typ": "JWT"})
    );
    let expected = manager
        .decode_token(&token, None, false)
        .expect("decodes")
        .all_claims()
        .clone();
    assert_eq!(body["claims"], serde_json::Value::Object(expected));

    // OPTIONS is exempt: nothing verified, nothing returned.
    let app = actix_test::init_service(app_with(manager.clone())).await;
    let req = actix_test::TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/verify_in_view")
        .to_request();
    send(&app, req).await.assert_json(200, &json!(null));

    get_as(&manager, "/verify_in_view", None)
        .await
        .assert_error(401, "Missing Authorization Header");
}

#[actix_web::test]
async fn test_jwt_required_with_non_string_identity() {
    let manager = manager();
    let token = manager.access_token(1).build().expect("token");
    get_as(&manager, "/protected", Some(&token))
        .await
        .assert_error(422, "Subject must be a string");
    // Not with JWT_VERIFY_SUB off.
    let lenient = manager_with(|config| config.verify_sub = false);
    let token = lenient.access_token(1).build().expect("token");
    get_as(&lenient, "/protected_parens", Some(&token))
        .await
        .assert_json(200, &json!({"foo": "bar", "identity": 1}));
}

#[actix_web::test]
async fn test_skip_revocation_check() {
    let manager = JwtManager::builder(support::config())
        .token_in_blocklist_loader(|_token| async move { Ok::<_, Infallible>(true) })
        .build()
        .expect("manager with blocklist");
    let token = access_token(&manager, "username");
    get_as(&manager, "/protected", Some(&token))
        .await
        .assert_error(401, "Token has been revoked");
    get_as(&manager, "/skip_revocation", Some(&token))
        .await
        .assert_json(200, &json!({"identity": "username"}));
}

// ---- verification before the handler's extractors --------------------------------

async fn post_json(manager: &JwtManager, uri: &str, token: Option<&str>, body: &str) -> Reply {
    let app = actix_test::init_service(app_with(manager.clone())).await;
    let mut req = actix_test::TestRequest::post()
        .uri(uri)
        .insert_header(("Content-Type", "application/json"))
        .set_payload(body.to_owned());
    if let Some(token) = token {
        req = req.insert_header(bearer(token));
    }
    send(&app, req.to_request()).await
}

#[actix_web::test]
async fn test_jwt_error_wins_over_body_extractor() {
    let manager = manager();
    // No token and an invalid JSON body: the JWT error, not a JSON parse error.
    for body in ["{not json", "", "[1, 2]", r#"{"text": 5}"#] {
        post_json(&manager, "/comment", None, body)
            .await
            .assert_error(401, "Missing Authorization Header");
        post_json(&manager, "/comment", Some("aaaaa.bbbbb.ccccc"), body)
            .await
            .assert_error(422, "Invalid header padding");
    }
    // A valid token and a valid body: the handler gets both.
    let token = access_token(&manager, "username");
    post_json(&manager, "/comment", Some(&token), r#"{"text": "hi"}"#)
        .await
        .assert_json(200, &json!({"by": "username", "text": "hi"}));
    // A valid token and an invalid body: now the body extractor answers.
    let reply = post_json(&manager, "/comment", Some(&token), "{not json").await;
    assert_eq!(reply.status, 400, "{reply:?}");

    // On an optional route, no token lets the body through.
    post_json(&manager, "/comment_optional", None, r#"{"text": "hi"}"#)
        .await
        .assert_json(200, &json!({"by": null, "text": "hi"}));
    post_json(&manager, "/comment_optional", Some("banana"), "{not json")
        .await
        .assert_error(422, "Not enough segments");
}

#[actix_web::test]
async fn test_json_location_with_json_extractor() {
    let manager = manager();
    let token = access_token(&manager, "username");
    let body = json!({"access_token": token, "text": "hi"});
    post_json(&manager, "/json_location", None, &body.to_string())
        .await
        .assert_json(
            200,
            &json!({"identity": "username", "location": "json", "body": body}),
        );
    post_json(&manager, "/json_location", None, r#"{"text": "hi"}"#)
        .await
        .assert_error(401, "Missing \"access_token\" key in json data.");
    post_json(&manager, "/json_location", None, "{not json")
        .await
        .assert_error(401, "Missing \"access_token\" key in json data.");
}

#[actix_web::test]
async fn test_attribute_above_and_below_route() {
    let manager = manager();
    let token = access_token(&manager, "username");
    get_as(&manager, "/above", Some(&token))
        .await
        .assert_json(200, &json!({"identity": "username"}));
    get_as(&manager, "/above", None)
        .await
        .assert_error(401, "Missing Authorization Header");
}

#[actix_web::test]
async fn test_generic_handler() {
    let manager = manager();
    let fresh = fresh_token(&manager);
    post_json(&manager, "/generic", Some(&fresh), r#"{"text": "hi"}"#)
        .await
        .assert_json(
            200,
            &json!({"identity": "username", "body": {"text": "hi"}}),
        );
    // The options of the generic route apply (fresh).
    let stale = access_token(&manager, "username");
    post_json(&manager, "/generic", Some(&stale), r#"{"text": "hi"}"#)
        .await
        .assert_error(401, "Fresh token required");
    post_json(&manager, "/generic", None, "{not json")
        .await
        .assert_error(401, "Missing Authorization Header");
}

#[actix_web::test]
async fn test_no_jwt_manager_registered() {
    // A macro route without a registered manager: 500, not a panic.
    let app =
        actix_test::init_service(App::new().service(protected).service(optional_protected)).await;
    for uri in ["/protected", "/optional_protected"] {
        let req = actix_test::TestRequest::get().uri(uri).to_request();
        send(&app, req)
            .await
            .assert_error(500, "Internal Server Error");
    }
}
