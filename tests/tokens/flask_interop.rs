//! Interoperability with the real flask-jwt-extended 4.7.4, through the tokens it
//! minted in `tests/fixtures/flask/tokens.json` (see the README there).
//!
//! Flask → Rust: every case is decoded by `JwtManager::decode_token` (claims equal to
//! flask's `decode_token`) and sent over HTTP to the same kind of route flask used
//! (`jwt_required()`, `jwt_required(refresh=True)`, `jwt_required(fresh=True)`), which
//! must answer flask's recorded status and body.
//!
//! Rust → flask: the same `create_*_token` call made on our manager gives a token with
//! flask's exact layout (header text, claim order, claim kinds).

use std::time::Duration;

use crate::support::{self, bearer, error_body, fixture, key_order, raw_segments, send};
use actix_jwt_extended::{
    Expiry, Jwt, JwtConfig, JwtManager, VerifyOptions, verify_jwt_in_request,
};
use actix_web::{App, HttpRequest, HttpResponse, test as actix_test, web};
use serde_json::{Map, Value, json};

const TOKENS_JSON: &str = include_str!("../fixtures/flask/tokens.json");

const WRONG_TYPE_MESSAGES: [&str; 2] = [
    "Only non-refresh tokens are allowed",
    "Only refresh tokens are allowed",
];

fn fixtures() -> Value {
    serde_json::from_str(TOKENS_JSON).expect("tokens.json is JSON")
}

fn case(name: &str) -> Value {
    fixtures()["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|case| case["name"] == name)
        .unwrap_or_else(|| panic!("no fixture case {name}"))
        .clone()
}

/// A config from flask's `JWT_*` options as recorded (`config` or `verify_config`) and
/// the PEM files named by `key_files`, read through `JwtConfig::from_vars` with flask's
/// variable names.
fn config_from(options: &Value, key_files: &Value) -> JwtConfig {
    let mut vars: Vec<(String, String)> = Vec::new();
    for (name, value) in options.as_object().expect("config object") {
        let text = match value {
            Value::Null => continue,
            Value::String(text) => text.clone(),
            Value::Bool(flag) => flag.to_string(),
            Value::Number(number) => number.to_string(),
            Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().expect("string list").to_owned())
                .collect::<Vec<_>>()
                .join(","),
            Value::Object(_) => panic!("unexpected object option {name}"),
        };
        vars.push((name.clone(), text));
    }
    if let Some(files) = key_files.as_object() {
        for (name, file) in files {
            vars.push((name.clone(), fixture(file.as_str().expect("file name"))));
        }
    }
    JwtConfig::from_vars(vars).expect("flask options read")
}

/// The manager that minted the case's token.
fn minting_manager(case: &Value) -> JwtManager {
    JwtManager::new(config_from(&case["config"], &case["key_files"])).expect("valid config")
}

/// The config that verified it in flask (the minting one unless `verify_config`).
fn verifying_config(case: &Value) -> JwtConfig {
    if case["verify_config"].is_null() {
        config_from(&case["config"], &case["key_files"])
    } else {
        config_from(&case["verify_config"], &case["verify_key_files"])
    }
}

/// The manager that verified it in flask (the minting one unless `verify_config`).
fn verifying_manager(case: &Value) -> JwtManager {
    JwtManager::new(verifying_config(case)).expect("valid verify config")
}

/// Whether flask minted the case's token with `expires_delta=False` (no `exp`).
fn never_expires(case: &Value) -> bool {
    case["create"]["expires_delta"] == json!(false)
}

/// The verifying manager for a token made with `expires_delta=False`: here tokens
/// without `exp` are accepted only where their kind is configured never to expire.
fn never_expiring_manager(case: &Value) -> JwtManager {
    JwtManager::new(JwtConfig {
        access_token_expires: Expiry::Never,
        refresh_token_expires: Expiry::Never,
        ..verifying_config(case)
    })
    .expect("valid verify config")
}

/// `jwt_required()`: returns `jsonify(get_jwt())`.
async fn protected(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(jwt.all_claims())
}

/// `jwt_required(refresh=True)`.
async fn refresh(req: HttpRequest) -> actix_web::Result<HttpResponse> {
    const OPTIONS: VerifyOptions = VerifyOptions {
        refresh: true,
        ..VerifyOptions::DEFAULT
    };
    let token = verify_jwt_in_request(&req, &OPTIONS).await?;
    let token = token.expect("a non-optional check returns the token");
    Ok(HttpResponse::Ok().json(token.all_claims()))
}

/// `jwt_required(fresh=True)`.
async fn fresh(req: HttpRequest) -> actix_web::Result<HttpResponse> {
    const OPTIONS: VerifyOptions = VerifyOptions {
        fresh: true,
        ..VerifyOptions::DEFAULT
    };
    let token = verify_jwt_in_request(&req, &OPTIONS).await?;
    let token = token.expect("a non-optional check returns the token");
    Ok(HttpResponse::Ok().json(token.all_claims()))
}

/// Asserts an HTTP reply equals flask's recorded `status` and `body`.
#[track_caller]
fn assert_flask_reply(reply: &support::Reply, status: u64, body: &Value) {
    let status = u16::try_from(status).expect("status");
    if status == 200 {
        reply.assert_json(200, body);
    } else {
        let message = body["msg"].as_str().expect("flask error body has msg");
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (status, error_body("msg", message).as_str()),
            "{reply:?}"
        );
        assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    }
}

/// Flask → Rust for one fixture case.
async fn run_case(name: &str) {
    let case = case(name);
    let token = case["token"].as_str().expect("token");
    let mut manager = verifying_manager(&case);
    let expect = &case["expect"];
    if never_expires(&case) {
        // Stricter than flask-jwt-extended: a token without `exp` is refused while its
        // kind's expiry is configured (docs/security.md B08); flask's own config accepts it.
        support::assert_decode_error(
            &manager,
            manager.decode_token(token, None, false),
            422,
            "Token is missing the \"exp\" claim",
        );
        // With the kind configured never to expire, it decodes to flask's claims.
        manager = never_expiring_manager(&case);
    }

    // 1. decode_token directly.
    let decoded = manager.decode_token(token, None, false);
    match expect {
        Value::String(kind) if kind == "valid" => {
            let decoded = decoded.unwrap_or_else(|error| panic!("{name}: {error:?}"));
            assert_eq!(
                &Value::Object(decoded.all_claims().clone()),
                &case["claims"],
                "{name} claims"
            );
            assert_eq!(
                &Value::Object(decoded.header().clone()),
                &case["header"],
                "{name} header"
            );
        }
        Value::String(kind) if kind == "expired" => {
            support::assert_decode_error(&manager, decoded, 401, "Token has expired");
            let decoded = manager
                .decode_token(token, None, true)
                .unwrap_or_else(|error| panic!("{name} allow_expired: {error:?}"));
            assert_eq!(
                &Value::Object(decoded.all_claims().clone()),
                &case["claims"],
                "{name} claims"
            );
        }
        Value::Object(error) => {
            let message = error["msg"].as_str().expect("msg");
            let status = error["status"].as_u64().expect("status");
            if WRONG_TYPE_MESSAGES.contains(&message) {
                // The type is checked by the route, not by decode_token.
                let decoded = decoded.unwrap_or_else(|error| panic!("{name}: {error:?}"));
                assert_eq!(
                    &Value::Object(decoded.all_claims().clone()),
                    &case["claims"],
                    "{name} claims"
                );
            } else {
                support::assert_decode_error(
                    &manager,
                    decoded,
                    u16::try_from(status).expect("status"),
                    message,
                );
            }
        }
        other => panic!("{name}: unknown expect {other}"),
    }

    // 2. The route flask used, over HTTP.
    let app = actix_test::init_service(
        App::new()
            .app_data(manager.clone())
            .route("/protected", web::get().to(protected))
            .route("/refresh", web::get().to(refresh))
            .route("/fresh", web::get().to(fresh)),
    )
    .await;
    let get = |path: &str| {
        actix_test::TestRequest::get()
            .uri(path)
            .insert_header(bearer(token))
            .to_request()
    };
    let path = case["route"]["path"].as_str().expect("route path");
    let reply = send(&app, get(path)).await;
    let flask_status = case["flask_status"].as_u64().expect("flask_status");
    assert_flask_reply(&reply, flask_status, &case["flask_body"]);

    // 3. The same token on `jwt_required(fresh=True)`, when flask tried it.
    let fresh_route = &case["fresh_route"];
    if fresh_route.is_object() {
        let reply = send(&app, get("/fresh")).await;
        let fresh_until = case["claims"]["fresh"].as_f64();
        match fresh_until {
            // A float `fresh` goes stale: flask's answer depends on when it is asked.
            Some(until) if case["claims"]["fresh"].is_f64() => {
                if support::now() as f64 > until {
                    reply.assert_error(401, "Fresh token required");
                } else {
                    reply.assert_json(200, &case["claims"]);
                }
            }
            _ => assert_flask_reply(
                &reply,
                fresh_route["flask_status"].as_u64().expect("status"),
                &fresh_route["flask_body"],
            ),
        }
    }
}

macro_rules! fixture_cases {
    ($($name:ident),* $(,)?) => {
        /// Every case name this file runs, to check none is left out.
        const CASES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[actix_web::test]
            async fn $name() {
                run_case(stringify!($name)).await;
            }
        )*
    };
}

fixture_cases!(
    access_default_hs256,
    refresh_default_hs256,
    access_fresh_true,
    access_fresh_timedelta,
    access_never_expires,
    refresh_never_expires,
    access_additional_claims_headers,
    access_identity_claim_int,
    access_aud_iss,
    access_no_nbf,
    access_no_csrf,
    access_hs384,
    access_hs512,
    access_rs256,
    access_rs384,
    access_rs512,
    access_ps256,
    access_ps384,
    access_ps512,
    access_es256,
    access_es384,
    access_eddsa,
    access_expired,
    access_bad_signature_hs256,
    access_bad_signature_rs256,
    access_sub_int_rejected,
    refresh_on_access_route,
    access_on_refresh_route,
    access_alg_not_allowed,
    access_wrong_audience,
    access_missing_audience,
    access_wrong_issuer,
);

#[test]
fn test_every_fixture_case_is_covered() {
    let fixtures = fixtures();
    let names: Vec<&str> = fixtures["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|case| case["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, CASES);
}

#[test]
fn test_fixture_versions() {
    let fixtures = fixtures();
    assert_eq!(fixtures["versions"]["flask-jwt-extended"], "4.7.4");
}

/// Rust → flask: our manager, given flask's `create_*_token` arguments, writes a token
/// with flask's layout.
fn check_layout(case: &Value) {
    let name = case["name"].as_str().expect("name");
    let manager = minting_manager(case);
    let create = &case["create"];
    let identity = create["identity"].clone();
    let delta = &create["expires_delta"];
    let expires = |lifetime: Option<Duration>| -> Option<actix_jwt_extended::Expiry> {
        lifetime.map(actix_jwt_extended::Expiry::After)
    };
    let lifetime = match delta {
        Value::Bool(false) => Some(actix_jwt_extended::Expiry::Never),
        Value::Number(seconds) => match seconds.as_u64() {
            Some(seconds) => expires(Some(Duration::from_secs(seconds))),
            // A negative delta (already expired): written over below.
            None => expires(Some(Duration::from_secs(1))),
        },
        other => panic!("{name}: expires_delta {other}"),
    };
    // Additional claims, one by one in the order flask wrote them (a Python dict keeps
    // insertion order; `tokens.json` is read here without it).
    let (flask_header, flask_payload) = raw_segments(case["token"].as_str().expect("token"));
    let additional: Vec<(String, Value)> = match create["additional_claims"].as_object() {
        None => Vec::new(),
        Some(claims) => key_order(&flask_payload)
            .into_iter()
            .filter_map(|claim| claims.get(&claim).map(|value| (claim, value.clone())))
            .collect(),
    };
    let additional_headers = create["additional_headers"].clone();
    let token = match create["function"].as_str() {
        Some("create_access_token") => {
            let mut builder = manager.access_token(&identity).expiry(lifetime);
            builder = match &create["fresh"] {
                Value::Bool(flag) => builder.fresh(*flag),
                Value::Object(window) => builder.fresh_for(Duration::from_secs(
                    window["timedelta_seconds"].as_u64().expect("seconds"),
                )),
                other => panic!("{name}: fresh {other}"),
            };
            if let Some(seconds) = delta.as_i64().filter(|seconds| *seconds < 0) {
                builder = builder.claim("exp", support::now() + seconds);
            }
            for (claim, value) in &additional {
                builder = builder.claim(claim, value);
            }
            builder.headers(&additional_headers).build()
        }
        Some("create_refresh_token") => {
            let mut builder = manager.refresh_token(&identity).expiry(lifetime);
            for (claim, value) in &additional {
                builder = builder.claim(claim, value);
            }
            builder.headers(&additional_headers).build()
        }
        other => panic!("{name}: function {other:?}"),
    }
    .unwrap_or_else(|error| panic!("{name}: {error}"));

    let (our_header, our_payload) = raw_segments(&token);
    assert_eq!(our_header, flask_header, "{name}: header text");
    assert_eq!(
        key_order(&our_payload),
        key_order(&flask_payload),
        "{name}: claim order"
    );

    let flask: Map<String, Value> = serde_json::from_str(&flask_payload).expect("payload");
    let ours: Map<String, Value> = serde_json::from_str(&our_payload).expect("payload");
    for (claim, flask_value) in &flask {
        let our_value = &ours[claim];
        match claim.as_str() {
            "iat" | "nbf" => assert!(our_value.is_i64(), "{name}: {claim} {our_value}"),
            "jti" | "csrf" => {
                let text = our_value.as_str().expect("uuid string");
                assert_eq!(text.len(), 36, "{name}: {claim}");
                assert_eq!(text.to_ascii_lowercase(), text, "{name}: {claim}");
            }
            "exp" => {
                assert!(our_value.is_i64(), "{name}: exp {our_value}");
                let lifetime = |claims: &Map<String, Value>| {
                    claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat")
                };
                if delta.as_u64().is_some() {
                    assert_eq!(lifetime(&ours), lifetime(&flask), "{name}: exp - iat");
                }
            }
            "fresh" if flask_value.is_f64() => {
                assert!(our_value.is_f64(), "{name}: fresh {our_value}");
                let window = |claims: &Map<String, Value>| {
                    claims["fresh"].as_f64().expect("fresh") - claims["iat"].as_f64().expect("iat")
                };
                assert!(
                    (window(&ours) - window(&flask)).abs() < 2.0,
                    "{name}: fresh window {} vs {}",
                    window(&ours),
                    window(&flask)
                );
            }
            _ => assert_eq!(our_value, flask_value, "{name}: {claim}"),
        }
    }
    if let (Some(iat), Some(nbf)) = (ours.get("iat"), ours.get("nbf")) {
        assert_eq!(iat, nbf, "{name}: nbf = iat");
    }
}

#[test]
fn test_our_tokens_have_flasks_layout() {
    let fixtures = fixtures();
    for case in fixtures["cases"].as_array().expect("cases") {
        if case["name"] != "access_additional_claims_headers" {
            check_layout(case);
        }
    }
}

#[test]
fn test_our_tokens_have_flasks_layout_with_additional_claims() {
    // flask writes `roles, tenant, nested` as given; the builder's claim map sorts them.
    check_layout(&case("access_additional_claims_headers"));
}

#[actix_web::test]
async fn test_our_tokens_decode_like_flasks() {
    // A token of ours and flask's, made with the same config and arguments, decode to
    // claims of the same names, and pass the same route.
    let case = case("access_additional_claims_headers");
    let manager = minting_manager(&case);
    let token = manager
        .access_token("test")
        .claims(&json!({"roles": ["admin"], "tenant": 42, "nested": {"a": [1, 2]}}))
        .header("kid", "k1")
        .build()
        .expect("token");
    let decoded = manager.decode_token(&token, None, false).expect("decodes");
    let flask_claims = case["claims"].as_object().expect("claims");
    let names = |claims: &Map<String, Value>| {
        let mut names: Vec<String> = claims.keys().cloned().collect();
        names.sort();
        names
    };
    assert_eq!(names(decoded.all_claims()), names(flask_claims));
    assert_eq!(
        Value::Object(decoded.header().clone()),
        json!({"alg": "HS256", "kid": "k1", "typ": "JWT"})
    );
}
