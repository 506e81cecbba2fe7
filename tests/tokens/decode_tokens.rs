//! `JwtManager::decode_token` and the token layout: flask-jwt-extended's
//! `tests/test_decode_tokens.py`, PyJWT's messages and the exact token
//! layout flask-jwt-extended writes (claims and their order).
//!
//! Hostile tokens are crafted by hand: base64url segments from the `base64` crate,
//! signatures from `jsonwebtoken::crypto::sign`.

use std::time::Duration;

use crate::support::{
    self, SECRET, assert_decode_error, b64, encode_token, encode_token_with, key_order, manager,
    manager_with, now, raw_segments, sign_raw, with_claim as with, without_claim as remove,
};
use actix_jwt_extended::{Algorithm, ErrorKind, Expiry, JwtManager, OneOrMany};
use jsonwebtoken::EncodingKey;
use serde_json::{Value, json};

/// flask's `default_access_token` fixture: a minimal token in flask's claim names,
/// plus an `exp` (flask's fixture has none; here `exp` is required while access tokens
/// expire, see `test_never_expire_token`).
fn default_access_token() -> Value {
    json!({
        "jti": "1234",
        "sub": "username",
        "type": "access",
        "fresh": true,
        "csrf": "abcd",
        "exp": now() + 600,
    })
}

/// Decodes `token` with `manager`, expecting success.
fn decode(manager: &JwtManager, token: &str) -> actix_jwt_extended::DecodedToken {
    manager
        .decode_token(token, None, false)
        .unwrap_or_else(|error| panic!("decode failed: {error:?}"))
}

/// Asserts `token` fails to decode under `manager` with 422 `message`.
#[track_caller]
fn assert_invalid(manager: &JwtManager, token: &str, message: &str) {
    assert_decode_error(
        manager,
        manager.decode_token(token, None, false),
        422,
        message,
    );
}

/// A 36-character lower-case hyphenated UUID version 4 (`str(uuid.uuid4())`).
#[track_caller]
fn assert_uuid4(value: &Value) {
    let text = value.as_str().expect("uuid is a string");
    assert_eq!(text.len(), 36, "{text}");
    for (index, byte) in text.bytes().enumerate() {
        match index {
            8 | 13 | 18 | 23 => assert_eq!(byte, b'-', "{text}"),
            14 => assert_eq!(byte, b'4', "version nibble: {text}"),
            19 => assert!(b"89ab".contains(&byte), "variant nibble: {text}"),
            _ => assert!(
                byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte),
                "{text}"
            ),
        }
    }
}

// ---- missing claims and defaults -------------------------------------------------

#[test]
fn test_missing_claims() {
    let manager = manager();
    // No identity claim.
    let token = encode_token(&remove(default_access_token(), "sub"));
    assert_decode_error(
        &manager,
        manager.decode_token(&token, Some("abcd"), false),
        422,
        "Missing claim: sub",
    );
    assert_invalid(&manager, &token, "Missing claim: sub");

    // No csrf claim, while a csrf value is given.
    let token = encode_token(&remove(default_access_token(), "csrf"));
    assert_decode_error(
        &manager,
        manager.decode_token(&token, Some("abcd"), false),
        422,
        "Missing claim: csrf",
    );
    // Without a csrf value the claim is not needed.
    decode(&manager, &token);
}

#[test]
fn test_csrf_value_must_match() {
    let manager = manager();
    let token = encode_token(&default_access_token());
    let decoded = manager
        .decode_token(&token, Some("abcd"), false)
        .expect("matching csrf value");
    assert_eq!(decoded.csrf(), Some("abcd"));
    assert_decode_error(
        &manager,
        manager.decode_token(&token, Some("abce"), false),
        401,
        "CSRF double submit tokens do not match",
    );
}

#[test]
fn test_default_decode_token_values() {
    let manager = manager();
    // `jti` and `fresh` take flask's defaults when missing.
    let claims = remove(remove(default_access_token(), "jti"), "fresh");
    let exp = claims["exp"].clone();
    let decoded = decode(&manager, &encode_token(&claims));
    assert_eq!(decoded.claim("type"), Some(&json!("access")));
    assert_eq!(decoded.claim("jti"), Some(&Value::Null));
    assert_eq!(decoded.claim("fresh"), Some(&json!(false)));
    assert_eq!(decoded.token_type(), "access");
    assert_eq!(decoded.jti(), None);
    assert!(!decoded.is_fresh());
    assert_eq!(
        Value::Object(decoded.all_claims().clone()),
        json!({
            "sub": "username",
            "type": "access",
            "csrf": "abcd",
            "exp": exp,
            "jti": null,
            "fresh": false,
        })
    );

    // Stricter than flask-jwt-extended: a missing `type` is not defaulted to "access";
    // token kinds must be told apart (RFC 8725 §3.12, docs/security.md T03).
    let untyped = encode_token(&remove(default_access_token(), "type"));
    assert_invalid(&manager, &untyped, "Missing claim: type");
}

#[test]
fn test_supports_decoding_other_token_types() {
    let manager = manager();
    // Stricter than flask-jwt-extended: a `type` other than "access" or "refresh" is
    // refused, not treated as an access token (RFC 8725 §3.12, docs/security.md T04).
    for kind in [
        json!("app"),
        json!("admin"),
        json!("ACCESS"),
        json!(1),
        json!(null),
    ] {
        let claims = with(default_access_token(), "type", kind);
        assert_invalid(
            &manager,
            &encode_token(&claims),
            "Invalid claim: type must be \"access\" or \"refresh\"",
        );
    }
    let refresh = with(default_access_token(), "type", json!("refresh"));
    assert!(decode(&manager, &encode_token(&refresh)).is_refresh());
}

#[test]
fn test_get_jti() {
    let manager = manager();
    let decoded = decode(&manager, &encode_token(&default_access_token()));
    assert_eq!(decoded.jti(), Some("1234"));
}

#[test]
fn test_jti_must_be_a_string() {
    let manager = manager();
    let token = encode_token(&with(default_access_token(), "jti", json!(1234)));
    assert_invalid(&manager, &token, "JWT ID must be a string");
}

// ---- audience ------------------------------------------------------------------

#[test]
fn test_encode_decode_audience() {
    // A single audience is written as a string.
    let manager = manager_with(|config| {
        config.encode_audience = Some(OneOrMany::from("foo"));
        config.decode_audience = Some(OneOrMany::from("foo"));
    });
    let token = support::access_token(&manager, "username");
    let (_, payload) = raw_segments(&token);
    assert_eq!(
        serde_json::from_str::<Value>(&payload).expect("payload")["aud"],
        json!("foo")
    );
    assert_eq!(decode(&manager, &token).claim("aud"), Some(&json!("foo")));

    // Several audiences are written as a list; one in common is enough.
    let manager = manager_with(|config| {
        config.encode_audience = Some(OneOrMany::from(vec!["foo".to_owned(), "bar".to_owned()]));
        config.decode_audience = Some(OneOrMany::from(vec!["bar".to_owned(), "baz".to_owned()]));
    });
    let token = support::access_token(&manager, "username");
    assert_eq!(
        decode(&manager, &token).claim("aud"),
        Some(&json!(["foo", "bar"]))
    );
    let refresh = support::refresh_token(&manager, "username");
    assert_eq!(
        decode(&manager, &refresh).claim("aud"),
        Some(&json!(["foo", "bar"]))
    );
}

#[test]
fn test_valid_aud() {
    let manager = manager_with(|config| config.decode_audience = Some(OneOrMany::from("foo")));
    for aud in [json!("foo"), json!(["foo"]), json!(["bar", "foo"])] {
        let token = encode_token(&with(default_access_token(), "aud", aud.clone()));
        assert_eq!(decode(&manager, &token).claim("aud"), Some(&aud));
    }
}

#[test]
fn test_invalid_aud() {
    let manager = manager_with(|config| config.decode_audience = Some(OneOrMany::from("foo")));
    for aud in [json!("bar"), json!(["bar", "baz"])] {
        let token = encode_token(&with(default_access_token(), "aud", aud));
        assert_invalid(&manager, &token, "Audience doesn't match");
    }
    let token = encode_token(&with(default_access_token(), "aud", json!([1, 2])));
    assert_invalid(&manager, &token, "Invalid claim format in token");
}

#[test]
fn test_missing_aud() {
    let manager = manager_with(|config| config.decode_audience = Some(OneOrMany::from("foo")));
    let token = encode_token(&default_access_token());
    assert_invalid(&manager, &token, "Token is missing the \"aud\" claim");
    // A token made without JWT_ENCODE_AUDIENCE has no aud either.
    let token = support::access_token(&manager, "username");
    assert_invalid(&manager, &token, "Token is missing the \"aud\" claim");
}

#[test]
fn test_verify_no_aud() {
    // Stricter than flask-jwt-extended: without JWT_DECODE_AUDIENCE, a token that carries
    // an aud is refused (RFC 7519 §4.1.3; flask passes verify_aud=False).
    let manager = manager();
    for aud in [json!("foo"), json!(["foo", "bar"]), json!([]), json!(null)] {
        let token = encode_token(&with(default_access_token(), "aud", aud));
        assert_invalid(&manager, &token, "Invalid audience");
    }
    // A token without aud is fine.
    decode(&manager, &encode_token(&default_access_token()));
}

// ---- expiry --------------------------------------------------------------------

#[test]
fn test_expired_token() {
    let manager = manager();
    let past = now() - 300;
    let access = manager
        .access_token("username")
        .claim("exp", past)
        .build()
        .expect("token");
    let refresh = manager
        .refresh_token("username")
        .claim("exp", past)
        .build()
        .expect("token");
    for token in [access, refresh] {
        let error = manager
            .decode_token(&token, None, false)
            .expect_err("expired");
        assert_eq!(error.kind(), &ErrorKind::Expired);
        assert_eq!(error.status().as_u16(), 401);
        assert_eq!(error.message(), "Token has expired");
        // The expired-token loader receives the decoded token.
        let expired = error.token().expect("expired token attached");
        assert_eq!(expired.identity(), &json!("username"));
        assert_eq!(expired.expires_at(), Some(past));
    }
}

#[test]
fn test_allow_expired_token() {
    let manager = manager();
    let past = now() - 300;
    for token in [
        manager
            .access_token("username")
            .claim("exp", past)
            .build()
            .expect("token"),
        manager
            .refresh_token("username")
            .claim("exp", past)
            .build()
            .expect("token"),
    ] {
        let decoded = manager
            .decode_token(&token, None, true)
            .expect("allow_expired");
        assert_eq!(decoded.identity_str(), Some("username"));
        assert_eq!(decoded.expires_at(), Some(past));
    }
}

#[test]
fn test_expired_token_still_runs_later_checks() {
    // flask decodes an expired token a second time without exp to feed the expired
    // loader, so an expired token without identity is "Missing claim: sub".
    let manager = manager();
    let claims = json!({"jti": "1", "type": "access", "exp": now() - 10});
    assert_invalid(&manager, &encode_token(&claims), "Missing claim: sub");
}

#[test]
fn test_expiry_leeway() {
    let manager = manager_with(|config| config.decode_leeway = Duration::from_secs(30));
    let token = encode_token(&with(default_access_token(), "exp", json!(now() - 10)));
    decode(&manager, &token);
    let token = encode_token(&with(default_access_token(), "exp", json!(now() - 60)));
    assert_decode_error(
        &manager,
        manager.decode_token(&token, None, false),
        401,
        "Token has expired",
    );
}

#[test]
fn test_float_exp_accepted() {
    let manager = manager();
    let exp = (now() + 600) as f64 + 0.5;
    let token = encode_token(&with(default_access_token(), "exp", json!(exp)));
    decode(&manager, &token);
}

#[test]
fn test_never_expire_token() {
    let manager = manager();
    let access = manager
        .access_token("username")
        .never_expires()
        .build()
        .expect("token");
    let refresh = manager
        .refresh_token("username")
        .never_expires()
        .build()
        .expect("token");
    // A manager whose tokens never expire decodes them.
    let never = manager_with(|config| {
        config.access_token_expires = Expiry::Never;
        config.refresh_token_expires = Expiry::Never;
    });
    for token in [&access, &refresh] {
        let decoded = decode(&never, token);
        assert!(decoded.claim("exp").is_none(), "{:?}", decoded.all_claims());
        assert_eq!(decoded.expires_at(), None);
        // Stricter than flask-jwt-extended: while the kind's expiry is configured, a
        // token without `exp` was not made here and is refused (docs/security.md B08).
        assert_invalid(&manager, token, "Token is missing the \"exp\" claim");
    }
    // Only the kind that never expires may lack `exp`.
    let access_never = manager_with(|config| config.access_token_expires = Expiry::Never);
    decode(&access_never, &access);
    assert_invalid(
        &access_never,
        &refresh,
        "Token is missing the \"exp\" claim",
    );

    // JWT_*_TOKEN_EXPIRES = False, and 0 (falsy in flask), also mean "no exp".
    for expiry in [Expiry::Never, Expiry::After(Duration::ZERO)] {
        let manager = manager_with(|config| {
            config.access_token_expires = expiry;
            config.refresh_token_expires = expiry;
        });
        for token in [
            support::access_token(&manager, "username"),
            support::refresh_token(&manager, "username"),
        ] {
            let (_, payload) = raw_segments(&token);
            assert!(!payload.contains("\"exp\""), "{payload}");
            decode(&manager, &token);
        }
    }
}

// ---- nbf and iat ---------------------------------------------------------------

#[test]
fn test_nbf_token_in_future() {
    let manager = manager();
    let token = encode_token(&with(default_access_token(), "nbf", json!(now() + 60)));
    assert_invalid(&manager, &token, "The token is not yet valid (nbf)");

    let lenient = manager_with(|config| config.decode_leeway = Duration::from_secs(120));
    decode(&lenient, &token);
}

#[test]
fn test_iat_in_future() {
    let manager = manager();
    let token = encode_token(&with(default_access_token(), "iat", json!(now() + 60)));
    assert_invalid(&manager, &token, "The token is not yet valid (iat)");

    let lenient = manager_with(|config| config.decode_leeway = Duration::from_secs(120));
    decode(&lenient, &token);
}

#[test]
fn test_time_claims_must_be_numbers() {
    let manager = manager();
    for (claim, message) in [
        ("iat", "Issued At claim (iat) must be an integer."),
        ("nbf", "Not Before claim (nbf) must be an integer."),
        ("exp", "Expiration Time claim (exp) must be an integer."),
    ] {
        let token = encode_token(&with(default_access_token(), claim, json!("soon")));
        assert_invalid(&manager, &token, message);
    }
}

#[test]
fn test_check_order_signature_before_time_claims() {
    // PyJWT: signature, then iat, nbf, exp.
    let manager = manager();
    let claims = with(
        with(default_access_token(), "exp", json!(now() - 10)),
        "nbf",
        json!(now() + 60),
    );
    assert_invalid(
        &manager,
        &encode_token(&claims),
        "The token is not yet valid (nbf)",
    );
    let forged = encode_token_with(&json!({"alg": "HS256", "typ": "JWT"}), &claims, "nope");
    assert_invalid(&manager, &forged, "Signature verification failed");
}

// ---- identity ------------------------------------------------------------------

#[test]
fn test_alternate_identity_claim() {
    let manager = manager_with(|config| config.identity_claim = "identity".to_owned());

    // Decoding fails if the claim is not there.
    let token = encode_token(&default_access_token());
    assert_invalid(&manager, &token, "Missing claim: identity");

    // The claim is there after decoding.
    let claims = with(
        remove(default_access_token(), "sub"),
        "identity",
        json!("username"),
    );
    let decoded = decode(&manager, &encode_token(&claims));
    assert_eq!(decoded.identity(), &json!("username"));
    assert!(decoded.claim("sub").is_none());

    // Tokens made by the manager carry it under that name.
    let token = support::access_token(&manager, "username");
    let (_, payload) = raw_segments(&token);
    let keys = key_order(&payload);
    assert!(keys.contains(&"identity".to_owned()), "{keys:?}");
    assert!(!keys.contains(&"sub".to_owned()), "{keys:?}");
    assert_eq!(decode(&manager, &token).identity_str(), Some("username"));
}

#[test]
fn test_alternate_identity_claim_allows_non_string_identity() {
    // PyJWT's sub check does not apply to another identity claim.
    let manager = manager_with(|config| config.identity_claim = "identity".to_owned());
    let token = manager.access_token(7).build().expect("token");
    assert_eq!(decode(&manager, &token).identity(), &json!(7));
}

#[test]
fn test_invalid_sub_values() {
    let manager = manager();
    for sub in [
        json!(1),
        json!(1.5),
        json!(null),
        json!(true),
        json!(["username"]),
        json!({"id": 1}),
    ] {
        let token = encode_token(&with(default_access_token(), "sub", sub.clone()));
        assert_invalid(&manager, &token, "Subject must be a string");
    }
    // Creating such a token succeeds; decoding refuses it.
    let token = manager.access_token(7).build().expect("token");
    assert_invalid(&manager, &token, "Subject must be a string");
}

#[test]
fn test_invalid_sub_values_allowed_with_no_verify() {
    let manager = manager_with(|config| config.verify_sub = false);
    for sub in [
        json!(1),
        json!(null),
        json!(true),
        json!(["username"]),
        json!({"id": 1}),
    ] {
        let token = encode_token(&with(default_access_token(), "sub", sub.clone()));
        assert_eq!(decode(&manager, &token).identity(), &sub);
    }
}

#[test]
fn test_valid_sub_values() {
    let manager = manager();
    for sub in ["", "username", "1"] {
        let token = encode_token(&with(default_access_token(), "sub", json!(sub)));
        assert_eq!(decode(&manager, &token).identity_str(), Some(sub));
    }
}

// ---- issuer --------------------------------------------------------------------

#[test]
fn test_encode_iss() {
    let manager = manager_with(|config| config.encode_issuer = Some("foobar".to_owned()));
    for token in [
        support::access_token(&manager, "username"),
        support::refresh_token(&manager, "username"),
    ] {
        assert_eq!(
            decode(&manager, &token).claim("iss"),
            Some(&json!("foobar"))
        );
    }
}

#[test]
fn test_mismatch_iss() {
    let encoder = manager_with(|config| config.encode_issuer = Some("foobar".to_owned()));
    let decoder = manager_with(|config| config.decode_issuer = Some(OneOrMany::from("baz")));
    let token = support::access_token(&encoder, "username");
    assert_invalid(&decoder, &token, "Invalid issuer");
}

#[test]
fn test_missing_iss() {
    let manager = manager_with(|config| config.decode_issuer = Some(OneOrMany::from("baz")));
    let token = encode_token(&default_access_token());
    assert_invalid(&manager, &token, "Token is missing the \"iss\" claim");
}

#[test]
fn test_valid_decode_issuer() {
    let manager = manager_with(|config| {
        config.encode_issuer = Some("foobar".to_owned());
        config.decode_issuer = Some(OneOrMany::from("foobar"));
    });
    let token = support::access_token(&manager, "username");
    assert_eq!(
        decode(&manager, &token).claim("iss"),
        Some(&json!("foobar"))
    );
}

// ---- malformed tokens (PyJWT's messages) ----------------------------------------

#[test]
fn test_malformed_token() {
    let manager = manager();
    for token in ["abc", "a.b", "foobarbaz", ""] {
        assert_invalid(&manager, token, "Not enough segments");
    }
    // A base64 length PyJWT cannot pad (1 more than a multiple of 4).
    assert_invalid(&manager, "aaaaa.bbbbb.ccccc", "Invalid header padding");
    assert_invalid(&manager, "a.bbbb.cccc", "Invalid header padding");
}

#[test]
fn test_header_and_payload_not_json() {
    let manager = manager();
    let payload = b64(default_access_token().to_string());
    let header = b64(r#"{"alg":"HS256","typ":"JWT"}"#);

    assert_invalid(
        &manager,
        &format!("{}.{payload}.sig", b64("xyz")),
        "Invalid header string: Expecting value: line 1 column 1 (char 0)",
    );
    for not_object in ["[1, 2]", "\"HS256\"", "1", "null"] {
        assert_invalid(
            &manager,
            &format!("{}.{payload}.sig", b64(not_object)),
            "Invalid header string: must be a json object",
        );
    }
    assert_invalid(
        &manager,
        &format!("{header}.a.sig"),
        "Invalid payload padding",
    );
    assert_invalid(
        &manager,
        &format!("{header}.{}.sig", b64("xyz")),
        "Invalid payload string: Expecting value: line 1 column 1 (char 0)",
    );
    assert_invalid(
        &manager,
        &format!("{header}.{}.sig", b64("[\"sub\"]")),
        "Invalid payload string: must be a json object",
    );
    // A fourth segment lands in the payload (PyJWT splits the signature off last).
    assert_invalid(
        &manager,
        &format!("{header}.{payload}.sig.extra"),
        "Invalid payload padding",
    );
}

#[test]
fn test_header_not_json_python_message() {
    // Python's json.loads("not json") says "Expecting value: line 1 column 1 (char 0)";
    // serde_json stops at column 2 ("expected ident"), and the runtime passes that on.
    let manager = manager();
    let payload = b64(default_access_token().to_string());
    assert_invalid(
        &manager,
        &format!("{}.{payload}.sig", b64("not json")),
        "Invalid header string: Expecting value: line 1 column 1 (char 0)",
    );
}

#[test]
fn test_algorithm_not_specified() {
    let manager = manager();
    let token = sign_raw(
        r#"{"typ":"JWT"}"#,
        &default_access_token().to_string(),
        &EncodingKey::from_secret(SECRET.as_bytes()),
        Algorithm::HS256,
    );
    assert_invalid(&manager, &token, "Algorithm not specified");
}

#[test]
fn test_alg_not_allowed() {
    let manager = manager();
    let claims = default_access_token();
    // HS512 token under an HS256 config (same secret).
    let hs512 = encode_token_with(&json!({"alg": "HS512", "typ": "JWT"}), &claims, SECRET);
    assert_invalid(&manager, &hs512, "The specified alg value is not allowed");
    // alg none, with and without a signature.
    let none_header = b64(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = b64(claims.to_string());
    for token in [
        format!("{none_header}.{payload}."),
        format!("{none_header}.{payload}.c2ln"),
    ] {
        assert_invalid(&manager, &token, "The specified alg value is not allowed");
    }
    // Unknown and non-string algorithms.
    for header in [r#"{"alg":"XYZ","typ":"JWT"}"#, r#"{"alg":256,"typ":"JWT"}"#] {
        let token = format!("{}.{payload}.c2ln", b64(header));
        assert_invalid(&manager, &token, "The specified alg value is not allowed");
    }
    // An RS256 token under an HS256 config (alg confusion).
    let rs_header = b64(r#"{"alg":"RS256","typ":"JWT"}"#);
    let token = format!("{rs_header}.{payload}.c2ln");
    assert_invalid(&manager, &token, "The specified alg value is not allowed");
}

#[test]
fn test_kid_must_be_a_string() {
    let manager = manager();
    let token = encode_token_with(
        &json!({"alg": "HS256", "kid": 123, "typ": "JWT"}),
        &default_access_token(),
        SECRET,
    );
    assert_invalid(&manager, &token, "Key ID header parameter must be a string");
    let token = encode_token_with(
        &json!({"alg": "HS256", "kid": "k1", "typ": "JWT"}),
        &default_access_token(),
        SECRET,
    );
    decode(&manager, &token);
}

#[test]
fn test_signature_verification_failed() {
    let manager = manager();
    let claims = default_access_token();
    let header = json!({"alg": "HS256", "typ": "JWT"});
    // Another secret.
    let forged = encode_token_with(&header, &claims, "another secret entirely, 32+ bytes");
    assert_invalid(&manager, &forged, "Signature verification failed");

    // Empty signature, and one of other bytes.
    let valid = encode_token(&claims);
    let signing_input = valid.rsplit_once('.').expect("three segments").0;
    for signature in ["", "c2ln", "AAAA"] {
        assert_invalid(
            &manager,
            &format!("{signing_input}.{signature}"),
            "Signature verification failed",
        );
    }

    // A payload changed after signing.
    let (header_segment, _) = signing_input.split_once('.').expect("two segments");
    let signature = valid.rsplit_once('.').expect("three segments").1;
    let tampered_payload = b64(with(claims, "sub", json!("admin")).to_string());
    assert_invalid(
        &manager,
        &format!("{header_segment}.{tampered_payload}.{signature}"),
        "Signature verification failed",
    );
}

// ---- headers -------------------------------------------------------------------

#[test]
fn test_jwt_headers() {
    let manager = manager();
    let token = support::access_token(&manager, "username");
    let (header, _) = raw_segments(&token);
    assert_eq!(header, r#"{"alg":"HS256","typ":"JWT"}"#);
    let decoded = decode(&manager, &token);
    assert_eq!(
        Value::Object(decoded.header().clone()),
        json!({"alg": "HS256", "typ": "JWT"})
    );
}

#[test]
fn test_additional_headers_round_trip() {
    let manager = manager();
    let token = manager
        .access_token("username")
        .header("kid", "k1")
        .headers(&json!({"foo": "bar", "zzz": 1}))
        .build()
        .expect("token");
    let (header, _) = raw_segments(&token);
    // PyJWT writes header keys sorted.
    assert_eq!(
        header,
        r#"{"alg":"HS256","foo":"bar","kid":"k1","typ":"JWT","zzz":1}"#
    );
    let decoded = decode(&manager, &token);
    assert_eq!(
        Value::Object(decoded.header().clone()),
        json!({"alg": "HS256", "foo": "bar", "kid": "k1", "typ": "JWT", "zzz": 1})
    );

    // typ can be overridden, as in flask.
    let token = manager
        .refresh_token("username")
        .header("typ", "at+jwt")
        .build()
        .expect("token");
    let (header, _) = raw_segments(&token);
    assert_eq!(header, r#"{"alg":"HS256","typ":"at+jwt"}"#);
    decode(&manager, &token);
}

// ---- claims layout -------------------------------------------------------------

#[test]
fn test_token_expires_time() {
    let manager = manager();
    let access = decode(&manager, &support::access_token(&manager, "username"));
    let iat = access.claim("iat").and_then(Value::as_i64).expect("iat");
    assert_eq!(access.expires_at(), Some(iat + 900));

    let refresh = decode(&manager, &support::refresh_token(&manager, "username"));
    let iat = refresh.claim("iat").and_then(Value::as_i64).expect("iat");
    assert_eq!(refresh.expires_at(), Some(iat + 2_592_000));

    let custom = manager
        .access_token("username")
        .expires_in(Duration::from_secs(60))
        .build()
        .expect("token");
    let custom = decode(&manager, &custom);
    let iat = custom.claim("iat").and_then(Value::as_i64).expect("iat");
    assert_eq!(custom.expires_at(), Some(iat + 60));

    // The configured lifetimes are used.
    let manager = manager_with(|config| {
        config.access_token_expires = Expiry::After(Duration::from_secs(300));
        config.refresh_token_expires = Duration::from_secs(432_000).into();
    });
    let access = decode(&manager, &support::access_token(&manager, "username"));
    let iat = access.claim("iat").and_then(Value::as_i64).expect("iat");
    assert_eq!(access.expires_at(), Some(iat + 300));
    let refresh = decode(&manager, &support::refresh_token(&manager, "username"));
    let iat = refresh.claim("iat").and_then(Value::as_i64).expect("iat");
    assert_eq!(refresh.expires_at(), Some(iat + 432_000));
}

#[test]
fn test_iat_is_now() {
    let manager = manager();
    let before = now();
    let decoded = decode(&manager, &support::access_token(&manager, "username"));
    let after = now();
    let iat = decoded.claim("iat").expect("iat");
    assert!(iat.is_i64(), "iat is an integer: {iat}");
    let iat = iat.as_i64().expect("integer iat");
    assert!(
        (before..=after).contains(&iat),
        "{before} <= {iat} <= {after}"
    );
}

#[test]
fn test_nbf_is_present() {
    let manager = manager();
    for token in [
        support::access_token(&manager, "username"),
        support::refresh_token(&manager, "username"),
    ] {
        let decoded = decode(&manager, &token);
        assert!(decoded.claim("nbf").is_some_and(Value::is_i64));
        assert_eq!(decoded.claim("nbf"), decoded.claim("iat"));
    }
}

#[test]
fn test_nbf_is_disabled() {
    let manager = manager_with(|config| config.encode_nbf = false);
    for token in [
        support::access_token(&manager, "username"),
        support::refresh_token(&manager, "username"),
    ] {
        let decoded = decode(&manager, &token);
        assert!(decoded.claim("nbf").is_none(), "{:?}", decoded.all_claims());
    }
}

#[test]
fn test_claim_order() {
    let manager = manager();
    for (token, kind) in [
        (support::access_token(&manager, "username"), "access"),
        (support::refresh_token(&manager, "username"), "refresh"),
    ] {
        let (_, payload) = raw_segments(&token);
        assert_eq!(
            key_order(&payload),
            ["fresh", "iat", "jti", "type", "sub", "nbf", "csrf", "exp"],
            "{payload}"
        );
        // Compact JSON, as PyJWT writes it.
        assert!(
            !payload.contains(": ") && !payload.contains(", "),
            "{payload}"
        );
        let claims: Value = serde_json::from_str(&payload).expect("payload");
        assert_eq!(claims["fresh"], json!(false));
        assert_eq!(claims["type"], json!(kind));
        assert_eq!(claims["sub"], json!("username"));
        assert_uuid4(&claims["jti"]);
        assert_uuid4(&claims["csrf"]);
        assert_ne!(claims["jti"], claims["csrf"]);
    }

    // With aud and iss, and extra claims after them.
    let manager = manager_with(|config| {
        config.encode_audience = Some(OneOrMany::from("aud"));
        config.encode_issuer = Some("iss".to_owned());
    });
    let token = manager
        .access_token("username")
        .claim("roles", ["admin"])
        .claim("tenant", 42)
        .build()
        .expect("token");
    let (_, payload) = raw_segments(&token);
    assert_eq!(
        key_order(&payload),
        [
            "fresh", "iat", "jti", "type", "sub", "nbf", "csrf", "aud", "iss", "exp", "roles",
            "tenant"
        ],
        "{payload}"
    );

    // Without nbf and csrf.
    let manager = manager_with(|config| {
        config.encode_nbf = false;
        config.cookie_csrf_protect = false;
    });
    let (_, payload) = raw_segments(&support::access_token(&manager, "username"));
    assert_eq!(
        key_order(&payload),
        ["fresh", "iat", "jti", "type", "sub", "exp"],
        "{payload}"
    );
}

#[test]
fn test_additional_claims_override_in_place() {
    // flask merges additional claims over the reserved ones (a dict update): the key
    // keeps its place and takes the new value.
    let manager = manager();
    let token = manager
        .access_token("username")
        .claim("type", "custom")
        .claims(&json!({"sub": "someone-else", "extra": true}))
        .build()
        .expect("token");
    let (_, payload) = raw_segments(&token);
    assert_eq!(
        key_order(&payload),
        [
            "fresh", "iat", "jti", "type", "sub", "nbf", "csrf", "exp", "extra"
        ],
        "{payload}"
    );
    // Stricter than flask-jwt-extended: the made-up type is refused when decoding
    // (RFC 8725 §3.12); flask would treat it as an access token.
    assert_invalid(
        &manager,
        &token,
        "Invalid claim: type must be \"access\" or \"refresh\"",
    );

    // An override the decoder accepts keeps its place and takes effect.
    let token = manager
        .access_token("username")
        .claim("type", "refresh")
        .claims(&json!({"sub": "someone-else", "extra": true}))
        .build()
        .expect("token");
    let (_, payload) = raw_segments(&token);
    assert_eq!(
        key_order(&payload),
        [
            "fresh", "iat", "jti", "type", "sub", "nbf", "csrf", "exp", "extra"
        ],
        "{payload}"
    );
    let decoded = decode(&manager, &token);
    assert_eq!(decoded.token_type(), "refresh");
    assert_eq!(decoded.identity_str(), Some("someone-else"));
    assert_eq!(decoded.claim("extra"), Some(&json!(true)));
}

#[test]
fn test_uuids_are_unique() {
    let manager = manager();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..20 {
        let decoded = decode(&manager, &support::access_token(&manager, "username"));
        for claim in ["jti", "csrf"] {
            let value = decoded.claim(claim).expect("uuid claim").clone();
            assert_uuid4(&value);
            assert!(seen.insert(value.to_string()), "duplicate {claim}");
        }
    }
}

#[test]
fn test_fresh_values() {
    let manager = manager();
    let fresh = decode(
        &manager,
        &manager
            .access_token("username")
            .fresh(true)
            .build()
            .expect("token"),
    );
    assert_eq!(fresh.claim("fresh"), Some(&json!(true)));
    assert!(fresh.is_fresh());

    let before = now() as f64;
    let timed = manager
        .access_token("username")
        .fresh_for(Duration::from_secs(300))
        .build()
        .expect("token");
    let after = now() as f64 + 1.0;
    let (_, payload) = raw_segments(&timed);
    let claims: Value = serde_json::from_str(&payload).expect("payload");
    assert!(claims["fresh"].is_f64(), "fresh is a float: {payload}");
    let until = claims["fresh"].as_f64().expect("float fresh");
    assert!(
        (before + 300.0..=after + 300.0).contains(&until),
        "{before} + 300 <= {until} <= {after} + 300"
    );
    assert!(decode(&manager, &timed).is_fresh());

    let refresh = decode(&manager, &support::refresh_token(&manager, "username"));
    assert_eq!(refresh.claim("fresh"), Some(&json!(false)));
    assert_eq!(refresh.token_type(), "refresh");
    assert!(refresh.is_refresh());
}

#[test]
fn test_no_csrf_claim_when_csrf_protect_is_off() {
    let manager = manager_with(|config| config.cookie_csrf_protect = false);
    let decoded = decode(&manager, &support::access_token(&manager, "username"));
    assert!(decoded.claim("csrf").is_none());
    assert_eq!(decoded.csrf(), None);
}

#[test]
fn test_additional_claims_keep_their_order() {
    // flask merges `additional_claims` (a dict, insertion-ordered) after the reserved
    // claims; a struct's fields, or claims added one by one, should keep their order.
    #[derive(serde::Serialize)]
    struct Extra {
        roles: Vec<&'static str>,
        tenant: u32,
        nested: Value,
    }
    let manager = manager();
    let reserved = ["fresh", "iat", "jti", "type", "sub", "nbf", "csrf", "exp"];
    let expected: Vec<&str> = reserved
        .iter()
        .copied()
        .chain(["roles", "tenant", "nested"])
        .collect();

    let token = manager
        .access_token("username")
        .claims(&Extra {
            roles: vec!["admin"],
            tenant: 42,
            nested: json!({"a": [1, 2]}),
        })
        .build()
        .expect("token");
    assert_eq!(key_order(&raw_segments(&token).1), expected);

    let token = manager
        .access_token("username")
        .claim("roles", ["admin"])
        .claim("tenant", 42)
        .claim("nested", json!({"a": [1, 2]}))
        .build()
        .expect("token");
    assert_eq!(key_order(&raw_segments(&token).1), expected);
}
