//! `JwtManager::decode_token` (flask's `decode_token`) on any input.
//!
//! Input: one selector byte, then NUL-separated fields.
//! - mode 0: the rest is the token text (lossy UTF-8); no CSRF value.
//! - mode 1: the rest is the payload JSON, signed under the standard HS256 header, so
//!   mutations reach the claim checks past the signature.
//! - mode 2: `header JSON \0 payload JSON`, both signed verbatim (algorithm from the
//!   selector: mostly HS256, sometimes HS384/HS512, which the config refuses).
//! - mode 3: `token \0 csrf value`.
//!
//! Selector bits 2 and 3: pass the CSRF value `csrf-value` (modes 1 and 2) and
//! `allow_expired`.
//!
//! Property: no panic; an error is 401 or 422; an accepted token passes the oracle
//! (its signature verifies, its claims pass every configured check).
#![no_main]

use std::sync::LazyLock;

use actix_jwt_extended::JwtManager;
use actix_jwt_extended_fuzz::{
    HEADER, algorithm, assert_accepted, fields, manager_with, now, sign,
};
use libfuzzer_sys::fuzz_target;

static MANAGER: LazyLock<JwtManager> = LazyLock::new(|| manager_with(|_| {}));

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let with_csrf = selector & 0b0100 != 0;
    let allow_expired = selector & 0b1000 != 0;
    let (token, csrf) = match selector % 4 {
        0 => (String::from_utf8_lossy(rest).into_owned(), None),
        1 => (
            sign(HEADER, rest, algorithm(0)),
            with_csrf.then(|| "csrf-value".to_owned()),
        ),
        2 => {
            let [header, payload] = fields(rest);
            (
                sign(header, payload, algorithm(selector >> 4)),
                with_csrf.then(|| "csrf-value".to_owned()),
            )
        }
        _ => {
            let [token, csrf] = fields(rest);
            (
                String::from_utf8_lossy(token).into_owned(),
                Some(String::from_utf8_lossy(csrf).into_owned()),
            )
        }
    };
    let checked_at = now();
    match MANAGER.decode_token(&token, csrf.as_deref(), allow_expired) {
        Ok(decoded) => assert_accepted(&token, &decoded, allow_expired, checked_at),
        Err(error) => {
            let status = error.status().as_u16();
            assert!(
                status == 401 || status == 422,
                "{status} {error:?} for {token:?}"
            );
        }
    }
});
