//! Several token locations over HTTP: what flask-jwt-extended 4.7.4's
//! `tests/test_multiple_token_locations.py` covers. Locations come from the config or
//! from `locations = ".."` on the route, are tried in order (only "not found" moves on),
//! and when none has a token the message is flask's combined one (`Missing JWT in headers or cookies (…; …)`).

use crate::support::{msg, status_and_body};
use actix_jwt_extended::{Jwt, JwtConfig, JwtManager, Location, jwt_required};
use actix_web::{App, Responder, get, post, test, web};
use serde_json::{Value, json};

fn reply(jwt: &Jwt) -> web::Json<Value> {
    web::Json(json!({"foo": "bar", "location": jwt.location().map(|l| l.as_str())}))
}

/// Uses the configured locations.
#[get("/protected")]
#[jwt_required]
async fn get_configured(jwt: Jwt) -> impl Responder {
    reply(&jwt)
}

#[post("/protected")]
#[jwt_required]
async fn post_configured(jwt: Jwt) -> impl Responder {
    reply(&jwt)
}

#[get("/all")]
#[jwt_required(locations = "headers,cookies,query_string,json")]
async fn get_all(jwt: Jwt) -> impl Responder {
    reply(&jwt)
}

#[post("/all")]
#[jwt_required(locations = "headers,cookies,query_string,json")]
async fn post_all(jwt: Jwt, body: Option<web::Json<Value>>) -> impl Responder {
    web::Json(json!({
        "location": jwt.location().map(|l| l.as_str()),
        "body": body.map(web::Json::into_inner),
    }))
}

#[get("/headers_cookies")]
#[jwt_required(locations = "headers,cookies")]
async fn headers_cookies(jwt: Jwt) -> impl Responder {
    reply(&jwt)
}

#[get("/cookies_headers")]
#[jwt_required(locations = "cookies,headers")]
async fn cookies_headers(jwt: Jwt) -> impl Responder {
    reply(&jwt)
}

#[post("/cookies_headers")]
#[jwt_required(locations = "cookies,headers")]
async fn post_cookies_headers(jwt: Jwt) -> impl Responder {
    reply(&jwt)
}

#[get("/three")]
#[jwt_required(locations = "headers,cookies,query_string")]
async fn three(jwt: Jwt) -> impl Responder {
    reply(&jwt)
}

#[post("/reversed")]
#[jwt_required(locations = "json,query_string,cookies,headers")]
async fn reversed(jwt: Jwt) -> impl Responder {
    reply(&jwt)
}

#[get("/refresh")]
#[jwt_required(refresh, locations = "headers,cookies,query_string,json")]
async fn refresh_all(jwt: Jwt) -> impl Responder {
    reply(&jwt)
}

#[get("/optional")]
#[jwt_required(optional, locations = "headers,cookies,query_string,json")]
async fn optional_all(jwt: Option<Jwt>) -> impl Responder {
    web::Json(json!({"location": jwt.and_then(|jwt| jwt.location()).map(|l| l.as_str())}))
}

/// A route without the macro: `Jwt` verifies with the default options, which use the
/// configured locations.
#[get("/plain")]
async fn plain(jwt: Jwt) -> impl Responder {
    reply(&jwt)
}

fn config(locations: &[Location]) -> JwtConfig {
    JwtConfig {
        secret_key: Some("foobarbaz".to_owned()),
        token_location: locations.to_vec(),
        ..JwtConfig::default()
    }
}

fn all_locations() -> JwtConfig {
    config(&Location::ALL)
}

async fn send(config: &JwtConfig, req: test::TestRequest) -> (u16, Value) {
    let manager = JwtManager::new(config.clone()).expect("valid config");
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(manager))
            .service(get_configured)
            .service(post_configured)
            .service(get_all)
            .service(post_all)
            .service(headers_cookies)
            .service(cookies_headers)
            .service(post_cookies_headers)
            .service(three)
            .service(reversed)
            .service(refresh_all)
            .service(optional_all)
            .service(plain),
    )
    .await;
    status_and_body(&app, req.to_request()).await
}

fn token(config: &JwtConfig) -> String {
    let manager = JwtManager::new(config.clone()).expect("valid config");
    manager.access_token("username").build().expect("token")
}

fn refresh_token(config: &JwtConfig) -> String {
    let manager = JwtManager::new(config.clone()).expect("valid config");
    manager.refresh_token("username").build().expect("token")
}

fn get(uri: &str) -> test::TestRequest {
    test::TestRequest::get().uri(uri)
}

fn with_header(req: test::TestRequest, token: &str) -> test::TestRequest {
    req.insert_header(("Authorization", format!("Bearer {token}")))
}

fn with_cookie(req: test::TestRequest, token: &str) -> test::TestRequest {
    req.insert_header(("Cookie", format!("access_token_cookie={token}")))
}

fn with_json(req: test::TestRequest, body: &Value) -> test::TestRequest {
    req.insert_header(("Content-Type", "application/json"))
        .set_payload(body.to_string())
}

fn found_in(location: &str) -> (u16, Value) {
    (200, json!({"foo": "bar", "location": location}))
}

const MISSING_ALL: &str = "Missing JWT in headers, cookies, query_string or json (Missing \
     Authorization Header; Missing cookie \"access_token_cookie\"; Missing 'jwt' query \
     paramater; Invalid content-type. Must be application/json.)";

#[actix_web::test]
async fn every_location_from_the_config() {
    let config = all_locations();
    let token = token(&config);
    for path in ["/protected", "/plain"] {
        assert_eq!(
            send(&config, with_header(get(path), &token)).await,
            found_in("headers")
        );
        assert_eq!(
            send(&config, with_cookie(get(path), &token)).await,
            found_in("cookies")
        );
        assert_eq!(
            send(&config, get(&format!("{path}?jwt={token}"))).await,
            found_in("query_string")
        );
    }
    let post = test::TestRequest::post().uri("/protected");
    assert_eq!(
        send(&config, with_json(post, &json!({ "access_token": token }))).await,
        found_in("json")
    );
}

#[actix_web::test]
async fn every_location_from_the_route() {
    // The config has only the headers; the route names all four.
    let config = config(&[Location::Headers]);
    let token = token(&config);
    assert_eq!(
        send(&config, with_header(get("/all"), &token)).await,
        found_in("headers")
    );
    assert_eq!(
        send(&config, with_cookie(get("/all"), &token)).await,
        found_in("cookies")
    );
    assert_eq!(
        send(&config, get(&format!("/all?jwt={token}"))).await,
        found_in("query_string")
    );
    // The json location reads the body and hands it on to the handler.
    let body = json!({"access_token": token, "n": 1});
    let post = test::TestRequest::post().uri("/all");
    assert_eq!(
        send(&config, with_json(post, &body)).await,
        (200, json!({"location": "json", "body": body}))
    );
    // The configured route still only looks at the headers.
    assert_eq!(
        send(&config, with_cookie(get("/protected"), &token)).await,
        msg(401, "Missing Authorization Header")
    );
}

#[actix_web::test]
async fn the_first_location_with_a_token_wins() {
    let config = all_locations();
    let token = token(&config);
    let request = with_cookie(
        with_header(get(&format!("/protected?jwt={token}")), &token),
        &token,
    );
    assert_eq!(send(&config, request).await, found_in("headers"));
    let request = with_cookie(get(&format!("/protected?jwt={token}")), &token);
    assert_eq!(send(&config, request).await, found_in("cookies"));
    // Reversed order on the route: the JSON body wins over every other location.
    let post = test::TestRequest::post().uri(&format!("/reversed?jwt={token}"));
    let request = with_json(
        with_cookie(with_header(post, &token), &token),
        &json!({"access_token": token}),
    );
    assert_eq!(send(&config, request).await, found_in("json"));
}

#[actix_web::test]
async fn no_token_anywhere_gives_the_combined_message() {
    let config = all_locations();
    assert_eq!(
        send(&config, get("/protected")).await,
        msg(401, MISSING_ALL)
    );
    assert_eq!(send(&config, get("/plain")).await, msg(401, MISSING_ALL));

    // A JSON body without the key: json's own message in the list.
    let post = test::TestRequest::post().uri("/protected");
    assert_eq!(
        send(&config, with_json(post, &json!({"other": 1}))).await,
        msg(
            401,
            "Missing JWT in headers, cookies, query_string or json (Missing Authorization \
             Header; Missing cookie \"access_token_cookie\"; Missing 'jwt' query paramater; \
             Missing \"access_token\" key in json data.)"
        )
    );
    // A header of another scheme is "not found" too.
    let request = get("/protected").insert_header(("Authorization", "Basic dXNlcjpwYXNz"));
    assert_eq!(
        send(&config, request).await,
        msg(
            401,
            "Missing JWT in headers, cookies, query_string or json (Missing 'Bearer' type in \
             'Authorization' header. Expected 'Authorization: Bearer <JWT>'; Missing cookie \
             \"access_token_cookie\"; Missing 'jwt' query paramater; Invalid content-type. \
             Must be application/json.)"
        )
    );
}

#[actix_web::test]
async fn combined_messages_for_two_and_three_locations() {
    let config = config(&[Location::Headers]);
    assert_eq!(
        send(&config, get("/headers_cookies")).await,
        msg(
            401,
            "Missing JWT in headers or cookies (Missing Authorization Header; Missing cookie \
             \"access_token_cookie\")"
        )
    );
    assert_eq!(
        send(&config, get("/cookies_headers")).await,
        msg(
            401,
            "Missing JWT in cookies or headers (Missing cookie \"access_token_cookie\"; Missing \
             Authorization Header)"
        )
    );
    assert_eq!(
        send(&config, get("/three")).await,
        msg(
            401,
            "Missing JWT in headers, cookies or query_string (Missing Authorization Header; \
             Missing cookie \"access_token_cookie\"; Missing 'jwt' query paramater)"
        )
    );
    let post = test::TestRequest::post().uri("/reversed");
    assert_eq!(
        send(&config, post).await,
        msg(
            401,
            "Missing JWT in json, query_string, cookies or headers (Invalid content-type. Must \
             be application/json.; Missing 'jwt' query paramater; Missing cookie \
             \"access_token_cookie\"; Missing Authorization Header)"
        )
    );
    // Two locations from the config, as in flask's test.
    let config = self::config(&[Location::Headers, Location::Cookies]);
    assert_eq!(
        send(&config, get("/protected")).await,
        msg(
            401,
            "Missing JWT in headers or cookies (Missing Authorization Header; Missing cookie \
             \"access_token_cookie\")"
        )
    );
    // One location: its own message, not the combined one.
    let config = self::config(&[Location::Cookies]);
    assert_eq!(
        send(&config, get("/protected")).await,
        msg(401, "Missing cookie \"access_token_cookie\"")
    );
}

#[actix_web::test]
async fn refresh_routes_name_the_refresh_carriers() {
    let config = config(&[Location::Headers]);
    assert_eq!(
        send(&config, get("/refresh")).await,
        msg(
            401,
            "Missing JWT in headers, cookies, query_string or json (Missing Authorization \
             Header; Missing cookie \"refresh_token_cookie\"; Missing 'jwt' query paramater; \
             Invalid content-type. Must be application/json.)"
        )
    );
    let refresh = refresh_token(&config);
    let request =
        get("/refresh").insert_header(("Cookie", format!("refresh_token_cookie={refresh}")));
    assert_eq!(send(&config, request).await, found_in("cookies"));
}

#[actix_web::test]
async fn an_invalid_token_stops_the_search() {
    let config = config(&[Location::Headers]);
    let token = token(&config);
    // A malformed Bearer token in the header and a valid cookie: with the headers
    // first, the header's error is the answer; with the cookies first, the cookie wins.
    let malformed = |req: test::TestRequest| {
        with_cookie(req, &token).insert_header(("Authorization", "Bearer aaaaa.bbbbb.ccccc"))
    };
    assert_eq!(
        send(&config, malformed(get("/headers_cookies"))).await,
        msg(422, "Invalid header padding")
    );
    assert_eq!(
        send(&config, malformed(get("/cookies_headers"))).await,
        found_in("cookies")
    );
    // A header that is not a Bearer header is "not found": on to the cookie.
    let basic =
        with_cookie(get("/headers_cookies"), &token).insert_header(("Authorization", "Basic abc"));
    assert_eq!(send(&config, basic).await, found_in("cookies"));
    // A Bearer header of the wrong shape is an error, not "not found".
    let bad_shape =
        with_cookie(get("/headers_cookies"), &token).insert_header(("Authorization", "Bearer a b"));
    assert_eq!(
        send(&config, bad_shape).await,
        msg(
            422,
            "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"
        )
    );
    // An expired cookie token is an error too: the valid header is not looked at.
    let expired = JwtManager::new(config.clone())
        .expect("valid config")
        .access_token("username")
        .claim("exp", 1_000_000_000)
        .build()
        .expect("token");
    let request = with_header(with_cookie(get("/cookies_headers"), &expired), &token);
    assert_eq!(send(&config, request).await, msg(401, "Token has expired"));
}

#[actix_web::test]
async fn a_csrf_failure_stops_the_search() {
    // Cookies first, a POST with the cookie but no CSRF header, and a valid Bearer
    // header: the CSRF error is the answer, as in flask.
    let config = config(&[Location::Headers]);
    let token = token(&config);
    let post = test::TestRequest::post().uri("/cookies_headers");
    let request = with_header(with_cookie(post, &token), &token);
    assert_eq!(send(&config, request).await, msg(401, "Missing CSRF token"));
    // Without the cookie, the header is used.
    let post = test::TestRequest::post().uri("/cookies_headers");
    assert_eq!(
        send(&config, with_header(post, &token)).await,
        found_in("headers")
    );
}

#[actix_web::test]
async fn optional_routes_with_several_locations() {
    let config = config(&[Location::Headers]);
    let token = token(&config);
    assert_eq!(
        send(&config, get("/optional")).await,
        (200, json!({"location": null}))
    );
    assert_eq!(
        send(&config, get(&format!("/optional?jwt={token}"))).await,
        (200, json!({"location": "query_string"}))
    );
    // An invalid token still fails an optional route.
    assert_eq!(
        send(&config, get("/optional?jwt=abc")).await,
        msg(422, "Not enough segments")
    );
}
