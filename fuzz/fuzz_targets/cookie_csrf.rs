//! The `cookies` location with flask's double-submit CSRF check, through a real
//! `#[jwt_required(locations = "cookies")]` handler (its arguments extracted and the
//! handler called as actix-web does, on a current-thread runtime): any `Cookie` header,
//! any CSRF header, any method, any form body.
//!
//! Input: one selector byte, then NUL-separated fields.
//! - mode 0: `cookie header \0 csrf header \0 form body`.
//! - mode 1: `payload JSON \0 csrf header \0 form body`: the token cookie holds a token
//!   signed with the app's secret, so CSRF is compared with a real `csrf` claim.
//! - mode 2: `cookie prefix \0 payload JSON \0 csrf header`: `<prefix><signed token>`.
//! - mode 3: `cookie line 1 \0 cookie line 2 \0 csrf header \0 form body`.
//!
//! Selector bits: 0..=2 the method (GET, POST, PUT, PATCH, DELETE, HEAD), 3 the refresh
//! route (refresh cookie and CSRF names), 4 an app with `JWT_CSRF_CHECK_FORM` on. A
//! non-empty form body is sent as `application/x-www-form-urlencoded`.
//!
//! Property: no panic; a refusal is 401, 413, 422 or 431 with flask's `{"msg": ..}`
//! body; an accepted request carried a token that passes the oracle, and on a CSRF
//! method its signed `csrf` claim equals the CSRF value sent.
#![no_main]

use std::sync::LazyLock;

use actix_jwt_extended::{Jwt, JwtManager, jwt_required};
use actix_jwt_extended_fuzz::{
    HEADER, algorithm, assert_claims, assert_error_body, assert_status, block_on, fields,
    header_safe, manager_with, now, sign,
};
use actix_web::{
    FromRequest, Handler, HttpRequest, HttpResponse,
    body::MessageBody,
    dev::Payload,
    http::{
        Method,
        header::{CONTENT_TYPE, COOKIE, HeaderValue},
    },
    test::TestRequest,
};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

static HEADER_ONLY: LazyLock<JwtManager> = LazyLock::new(|| manager_with(|_| {}));
static WITH_FORM: LazyLock<JwtManager> =
    LazyLock::new(|| manager_with(|config| config.csrf_check_form = true));

#[jwt_required(locations = "cookies")]
async fn access(jwt: Jwt<Value>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "claims": jwt.all_claims() }))
}

#[jwt_required(refresh, locations = "cookies")]
async fn refresh(jwt: Jwt<Value>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "claims": jwt.all_claims() }))
}

const METHODS: [Method; 6] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
    Method::HEAD,
];

/// What actix-web does with a request for `handler`: extract its arguments (the
/// `#[jwt_required]` gate first), then call it; an extraction error is the response.
async fn serve<F, Args>(handler: F, request: &HttpRequest, payload: &mut Payload) -> HttpResponse
where
    F: Handler<Args, Output = HttpResponse>,
    Args: FromRequest,
{
    match Args::from_request(request, payload).await {
        Ok(args) => handler.call(args).await,
        Err(error) => {
            let error: actix_web::Error = error.into();
            let status = error.as_response_error().status_code();
            assert_status(status, &[401, 413, 422, 431], &request.headers());
            error.error_response()
        }
    }
}

fn header_value(bytes: &[u8]) -> HeaderValue {
    HeaderValue::from_bytes(bytes)
        .or_else(|_| HeaderValue::from_bytes(&header_safe(bytes)))
        .expect("header-safe bytes")
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let method = METHODS[usize::from(selector & 0b111) % METHODS.len()].clone();
    let refresh_route = selector & 0b1000 != 0;
    let manager = if selector & 0b1_0000 != 0 {
        &*WITH_FORM
    } else {
        &*HEADER_ONLY
    };
    let cookie_name = if refresh_route {
        "refresh_token_cookie"
    } else {
        "access_token_cookie"
    };

    let (cookies, csrf, body): (Vec<Vec<u8>>, &[u8], &[u8]) = match (selector >> 5) % 4 {
        0 => {
            let [cookie, csrf, body] = fields(rest);
            (vec![cookie.to_vec()], csrf, body)
        }
        1 => {
            let [payload, csrf, body] = fields(rest);
            let token = sign(HEADER, payload, algorithm(0));
            (
                vec![format!("{cookie_name}={token}").into_bytes()],
                csrf,
                body,
            )
        }
        2 => {
            let [prefix, payload, csrf] = fields(rest);
            let mut cookie = prefix.to_vec();
            cookie.extend_from_slice(sign(HEADER, payload, algorithm(0)).as_bytes());
            (vec![cookie], csrf, &[][..])
        }
        _ => {
            let [first, second, csrf, body] = fields(rest);
            (vec![first.to_vec(), second.to_vec()], csrf, body)
        }
    };

    let mut request = TestRequest::default()
        .method(method.clone())
        .app_data(manager.clone());
    for cookie in &cookies {
        request = request.append_header((COOKIE, header_value(cookie)));
    }
    if !csrf.is_empty() {
        request = request.insert_header(("X-CSRF-TOKEN", header_value(csrf)));
    }
    if !body.is_empty() {
        request = request
            .insert_header((CONTENT_TYPE, "application/x-www-form-urlencoded"))
            .set_payload(body.to_vec());
    }
    let (request, mut payload) = request.to_http_parts();
    let sent_csrf = request
        .headers()
        .get("X-CSRF-TOKEN")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());

    let checked_at = now();
    let response = block_on(async {
        if refresh_route {
            serve(refresh, &request, &mut payload).await
        } else {
            serve(access, &request, &mut payload).await
        }
    });
    if !response.status().is_success() {
        assert_error_body(response);
        return;
    }
    let body = response
        .into_body()
        .try_into_bytes()
        .expect("the handler's body is in memory");
    let claims = serde_json::from_slice::<Value>(&body).expect("JSON")["claims"].take();
    assert_claims(&claims, false, checked_at);
    assert_eq!(
        claims["type"] == "refresh",
        refresh_route,
        "claims {claims}"
    );
    let csrf_method = ["POST", "PUT", "PATCH", "DELETE"].contains(&method.as_str());
    if csrf_method {
        let claim = claims["csrf"]
            .as_str()
            .expect("a CSRF method passed without a csrf claim");
        // Header first; the form field only when the header is missing.
        if let Some(sent) = sent_csrf.filter(|sent| !sent.is_empty()) {
            assert_eq!(claim, sent, "CSRF claim and header differ");
        } else {
            assert!(
                manager.config().csrf_check_form,
                "passed without a CSRF value"
            );
        }
    }
});
