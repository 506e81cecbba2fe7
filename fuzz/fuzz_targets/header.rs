//! The `headers` location through the whole verification: arbitrary bytes as the
//! `Authorization` value, through `verify_jwt_in_request` on a current-thread runtime.
//!
//! Input: one selector byte, then NUL-separated fields.
//! - mode 0: the rest is the header value (control bytes made spaces if the raw value
//!   is not a legal header value).
//! - mode 1: the rest is the payload JSON of a token signed with the app's secret, sent
//!   as `Bearer <token>`.
//! - mode 2: `prefix \0 payload \0 suffix`: `<prefix><signed token><suffix>`, for the
//!   comma-separated credential lists around a token that verifies.
//! - mode 3: up to four `Authorization` lines, NUL-separated.
//!
//! Selector bits: 2 `refresh`, 3 `fresh`, 4 `optional`, 5 `verify_type = false`,
//! 6 an app whose `JWT_HEADER_TYPE` is empty (bare tokens).
//!
//! Property: no panic; a refusal is 401, 422 or 431 with flask's `{"msg": ..}` body; an
//! accepted token passes the oracle and the route's type and freshness options.
#![no_main]

use std::sync::LazyLock;

use actix_jwt_extended::{JwtManager, Location, VerifyOptions, verify_jwt_in_request};
use actix_jwt_extended_fuzz::{
    HEADER, algorithm, assert_claims, assert_error_body, assert_signed, assert_status, block_on,
    fields, header_safe, manager_with, now, sign,
};
use actix_web::{
    http::header::{AUTHORIZATION, HeaderValue},
    test::TestRequest,
};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

static BEARER: LazyLock<JwtManager> = LazyLock::new(|| manager_with(|_| {}));
static BARE: LazyLock<JwtManager> =
    LazyLock::new(|| manager_with(|config| config.header_type = String::new()));

const HEADERS: &[Location] = &[Location::Headers];

fn header_value(bytes: &[u8]) -> HeaderValue {
    HeaderValue::from_bytes(bytes)
        .or_else(|_| HeaderValue::from_bytes(&header_safe(bytes)))
        .expect("header-safe bytes")
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let options = VerifyOptions {
        refresh: selector & 0b0000_0100 != 0,
        fresh: selector & 0b0000_1000 != 0,
        optional: selector & 0b0001_0000 != 0,
        verify_type: selector & 0b0010_0000 == 0,
        skip_revocation_check: false,
        locations: HEADERS,
    };
    let manager = if selector & 0b0100_0000 != 0 {
        &*BARE
    } else {
        &*BEARER
    };
    let prefix = if manager.config().header_type.is_empty() {
        ""
    } else {
        "Bearer "
    };

    let mut signed = None;
    let values: Vec<HeaderValue> = match selector % 4 {
        0 => vec![header_value(rest)],
        1 => {
            let token = sign(HEADER, rest, algorithm(0));
            let value = header_value(format!("{prefix}{token}").as_bytes());
            signed = Some(token);
            vec![value]
        }
        2 => {
            let [before, payload, after] = fields(rest);
            let token = sign(HEADER, payload, algorithm(0));
            let mut value = header_safe(before);
            value.extend_from_slice(token.as_bytes());
            value.extend(header_safe(after));
            vec![header_value(&value)]
        }
        _ => fields::<4>(rest)
            .iter()
            .map(|line| header_value(line))
            .collect(),
    };
    let mut request = TestRequest::get().app_data(manager.clone());
    for value in values {
        request = request.append_header((AUTHORIZATION, value));
    }
    let request = request.to_http_request();

    let checked_at = now();
    match block_on(verify_jwt_in_request(&request, &options)) {
        Ok(None) => assert!(
            options.optional,
            "no token and no error on a required route"
        ),
        Ok(Some(token)) => {
            let claims = Value::Object(token.all_claims().clone());
            assert_claims(&claims, false, checked_at);
            if options.verify_type {
                assert_eq!(token.is_refresh(), options.refresh, "claims {claims}");
            }
            if options.fresh {
                let freshness = token.freshness().expect("fresh route: a freshness");
                assert!(freshness.is_fresh_at(checked_at), "claims {claims}");
            }
            // When the value was exactly `Bearer <signed token>`, that token was accepted.
            if let Some(signed) = signed {
                let (_, signed_claims) = assert_signed(&signed);
                assert_eq!(signed_claims.get("sub"), claims.get("sub"));
                assert_eq!(signed_claims.get("type"), claims.get("type"));
            }
        }
        Err(error) => {
            let status = error.as_response_error().status_code();
            assert_status(status, &[401, 422, 431], &request.headers());
            assert_error_body(error.error_response());
        }
    }
});
