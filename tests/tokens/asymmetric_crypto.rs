//! Asymmetric algorithms end to end: flask-jwt-extended's
//! `tests/test_asymmetric_crypto.py` (RS256 only there), here for every family
//! `jsonwebtoken` supports, with the PEM keys of `tests/fixtures/flask/`.
//!
//! The route takes the `Jwt` extractor without the macro, so it verifies with the
//! default options.

use crate::support::{
    self, bearer, fixture,
    keys::{OTHER_EC256_PRIVATE, OTHER_EC384_PRIVATE, OTHER_ED25519_PRIVATE, OTHER_RSA_PRIVATE},
    raw_segments, send,
};
use actix_jwt_extended::{Algorithm, ConfigError, Jwt, JwtConfig, JwtManager};
use actix_web::{App, HttpResponse, Responder, test, web};
use jsonwebtoken::EncodingKey;
use serde_json::json;

/// The fixture key files of `algorithm`, and another private key of the same family.
fn keys(algorithm: Algorithm) -> (&'static str, &'static str, EncodingKey) {
    let rsa = || EncodingKey::from_rsa_pem(OTHER_RSA_PRIVATE.as_bytes()).expect("RSA key");
    match algorithm {
        Algorithm::RS256
        | Algorithm::RS384
        | Algorithm::RS512
        | Algorithm::PS256
        | Algorithm::PS384
        | Algorithm::PS512 => ("rsa_private.pem", "rsa_public.pem", rsa()),
        Algorithm::ES256 => (
            "ec256_private.pem",
            "ec256_public.pem",
            EncodingKey::from_ec_pem(OTHER_EC256_PRIVATE.as_bytes()).expect("P-256 key"),
        ),
        Algorithm::ES384 => (
            "ec384_private.pem",
            "ec384_public.pem",
            EncodingKey::from_ec_pem(OTHER_EC384_PRIVATE.as_bytes()).expect("P-384 key"),
        ),
        Algorithm::EdDSA => (
            "ed25519_private.pem",
            "ed25519_public.pem",
            EncodingKey::from_ed_pem(OTHER_ED25519_PRIVATE.as_bytes()).expect("Ed25519 key"),
        ),
        other => panic!("not an asymmetric algorithm: {other:?}"),
    }
}

fn manager(algorithm: Algorithm) -> JwtManager {
    let (private, public, _) = keys(algorithm);
    let config = JwtConfig {
        algorithm,
        private_key: Some(fixture(private)),
        public_key: Some(fixture(public)),
        // A secret is set too: it must not be used for asymmetric algorithms.
        secret_key: Some(support::SECRET.to_owned()),
        ..JwtConfig::default()
    };
    JwtManager::new(config).expect("valid asymmetric config")
}

async fn protected(jwt: Jwt) -> impl Responder {
    HttpResponse::Ok().json(json!({"foo": "bar", "identity": jwt.identity()}))
}

/// Re-signs the header and payload of `token` with `key`: the same token, signed by
/// another key.
fn resign(token: &str, key: &EncodingKey, algorithm: Algorithm) -> String {
    let (signing_input, _) = token.rsplit_once('.').expect("three segments");
    // jsonwebtoken needs a provider when both its backends are built.
    actix_jwt_extended::install_crypto_provider();
    let signature =
        jsonwebtoken::crypto::sign(signing_input.as_bytes(), key, algorithm).expect("signature");
    format!("{signing_input}.{signature}")
}

async fn check_algorithm(algorithm: Algorithm) {
    let manager = manager(algorithm);
    let app = test::init_service(
        App::new()
            .app_data(manager.clone())
            .route("/protected", web::get().to(protected)),
    )
    .await;
    let get = |token: &str| {
        test::TestRequest::get()
            .uri("/protected")
            .insert_header(bearer(token))
            .to_request()
    };

    let token = manager
        .access_token("username")
        .build()
        .expect("access token");
    let (header, _) = raw_segments(&token);
    assert_eq!(header, format!(r#"{{"alg":"{algorithm:?}","typ":"JWT"}}"#));
    send(&app, get(&token))
        .await
        .assert_json(200, &json!({"foo": "bar", "identity": "username"}));

    // The refresh token is signed the same way (and refused on an access route).
    let refresh = manager
        .refresh_token("username")
        .build()
        .expect("refresh token");
    assert_eq!(
        manager
            .decode_token(&refresh, None, false)
            .expect("refresh token decodes")
            .token_type(),
        "refresh"
    );
    send(&app, get(&refresh))
        .await
        .assert_error(422, "Only non-refresh tokens are allowed");

    // The same token signed by another key of the family.
    let (_, _, other_key) = keys(algorithm);
    send(&app, get(&resign(&token, &other_key, algorithm)))
        .await
        .assert_error(422, "Signature verification failed");

    // The token with its payload changed after signing.
    let mut parts: Vec<&str> = token.split('.').collect();
    let forged_payload = support::b64(
        support::raw_segments(&token)
            .1
            .replace("\"username\"", "\"admin\""),
    );
    parts[1] = &forged_payload;
    send(&app, get(&parts.join(".")))
        .await
        .assert_error(422, "Signature verification failed");

    // Algorithm confusion: an HS256 token keyed with the public key PEM.
    let (_, public, _) = keys(algorithm);
    let confused = support::encode_token_with(
        &json!({"alg": "HS256", "typ": "JWT"}),
        &json!({"sub": "admin", "type": "access"}),
        &fixture(public),
    );
    send(&app, get(&confused))
        .await
        .assert_error(422, "The specified alg value is not allowed");
    // Nor is the configured secret used.
    let with_secret = support::encode_token(&json!({"sub": "admin", "type": "access"}));
    send(&app, get(&with_secret))
        .await
        .assert_error(422, "The specified alg value is not allowed");
}

#[actix_web::test]
async fn test_asymmetric_cropto_rs256() {
    check_algorithm(Algorithm::RS256).await;
}

#[actix_web::test]
async fn test_asymmetric_cropto_rs384() {
    check_algorithm(Algorithm::RS384).await;
}

#[actix_web::test]
async fn test_asymmetric_cropto_rs512() {
    check_algorithm(Algorithm::RS512).await;
}

#[actix_web::test]
async fn test_asymmetric_cropto_ps256() {
    check_algorithm(Algorithm::PS256).await;
}

#[actix_web::test]
async fn test_asymmetric_cropto_ps384() {
    check_algorithm(Algorithm::PS384).await;
}

#[actix_web::test]
async fn test_asymmetric_cropto_ps512() {
    check_algorithm(Algorithm::PS512).await;
}

#[actix_web::test]
async fn test_asymmetric_cropto_es256() {
    check_algorithm(Algorithm::ES256).await;
}

#[actix_web::test]
async fn test_asymmetric_cropto_es384() {
    check_algorithm(Algorithm::ES384).await;
}

#[actix_web::test]
async fn test_asymmetric_cropto_eddsa() {
    check_algorithm(Algorithm::EdDSA).await;
}

#[actix_web::test]
async fn test_rs_and_ps_share_keys_when_both_allowed() {
    // JWT_DECODE_ALGORITHMS can list other algorithms of the same family.
    let (private, public, _) = keys(Algorithm::RS256);
    let config = JwtConfig {
        algorithm: Algorithm::RS256,
        decode_algorithms: vec![Algorithm::PS256],
        private_key: Some(fixture(private)),
        public_key: Some(fixture(public)),
        ..JwtConfig::default()
    };
    let rs_manager = JwtManager::new(config).expect("RS256 + PS256");
    let ps_manager = manager(Algorithm::PS256);
    let app = test::init_service(
        App::new()
            .app_data(rs_manager.clone())
            .route("/protected", web::get().to(protected)),
    )
    .await;
    for token in [
        rs_manager.access_token("rs").build().expect("RS256 token"),
        ps_manager.access_token("ps").build().expect("PS256 token"),
    ] {
        let identity = rs_manager
            .decode_token(&token, None, false)
            .expect("decodes")
            .identity()
            .clone();
        let req = test::TestRequest::get()
            .uri("/protected")
            .insert_header(bearer(&token))
            .to_request();
        send(&app, req)
            .await
            .assert_json(200, &json!({"foo": "bar", "identity": identity}));
    }
    // PS512 is of the family but not allowed.
    let ps512 = manager(Algorithm::PS512)
        .access_token("ps512")
        .build()
        .expect("PS512 token");
    let req = test::TestRequest::get()
        .uri("/protected")
        .insert_header(bearer(&ps512))
        .to_request();
    send(&app, req)
        .await
        .assert_error(422, "The specified alg value is not allowed");
}

/// A 1024-bit RSA key pair in PKCS#1 PEM (`BEGIN RSA PRIVATE KEY` / `BEGIN RSA PUBLIC
/// KEY`): flask's own test key. aws-lc-rs refuses RSA keys under 2048 bits, so
/// [`test_asymmetric_cropto`] runs flask's scenario with a 2048-bit PKCS#1 pair and
/// this one is a start-up error under the default backend.
const PKCS1_1024_PRIVATE: &str = "-----BEGIN RSA PRIVATE KEY-----
MIICXAIBAAKBgQDZN4bFDV6Dh7nOU8BwNS5oTea2qlbqva49TsCFuyPZTNhjAZJq
nrGX48VUm8vRc2PUdCYULqNEak6dQELx4mv7ne70NmoiTPdpXDih5h+2digLoRiM
hPcV1nvWzHn7iOFPwBGjkVTNCMlK+xcmjK3D2fTV2XQ9Dhvjksuvgfzj8QIDAQAB
AoGAcsgTsDcDVY+4EJ5TFzgTAM0BeE8ExOBcnUrrEv+zztT7lz2yaCLZh4C1uqLl
DhXij9acdJe8cJ+YUSIu/fB+zCqj45cQ0tLMB1PXTSfcHPyp8WoXpU2pZKEUMH8S
znf9Tps4BD4gBP3XkxRfNbpZBivIs9NvMUjbriEZgmvfpj0CQQD5xmRfXK9vWW8m
jSCTOgQm4DEJnKqkk2o4T+ID/72+9RUan5CMtSh0f1MvZwFAUdKi7lhAGduZBwhs
tkqYoyTfAkEA3qFof71twMndNBsEUBJJm6DIHkm7BzNjv0hlrrxNN8PzrVQYbZk9
iGA5/Gpa4V+VMMtt/jhCoaRcf91hJWPBLwJANXenktZXY6Gkbn81Yu6/ZscFGEam
LLa1vTo0aqC7MH5sNxfDLKu27kE3QGVvWiJp0aDt2ULvxDFCN2tKSqRZxwJAZ5ox
aRCcHJVUDUVtUl3QR04hEoc5M/akOoXUW+ZhAMx9f3GdFJO1YNt24JIVzL+QS+6/
NwizaUl1ikNZS+8KHQJBAJunXy+CFeipxXeldcBlvnHvchWeMhQaxWpGoh04V7X6
41SpxtkIhEbX9T4xyBatwyCbbOCdFa78td8/twdjGhU=
-----END RSA PRIVATE KEY-----
";

const PKCS1_1024_PUBLIC: &str = "-----BEGIN RSA PUBLIC KEY-----
MIGJAoGBANk3hsUNXoOHuc5TwHA1LmhN5raqVuq9rj1OwIW7I9lM2GMBkmqesZfj
xVSby9FzY9R0JhQuo0RqTp1AQvHia/ud7vQ2aiJM92lcOKHmH7Z2KAuhGIyE9xXW
e9bMefuI4U/AEaORVM0IyUr7FyaMrcPZ9NXZdD0OG+OSy6+B/OPxAgMBAAE=
-----END RSA PUBLIC KEY-----
";

/// A 2048-bit RSA key pair in PKCS#1 PEM.
const PKCS1_PRIVATE: &str = "-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAuYN5j2Iln1eKvZC7HIRAeN21L6Fa/EgnxO8qIbfcoLHLx4HJ
zrs3YBRaD4mtepKRKdtXo8akhW+gp7ZRMvaj14ig4CKxh7bpri2OfeD27pKvpqum
E/h1+hN6A0ls7wOn1R1h1w6J5n9iIj4wNxF4bK7LX7eKpXqwWSLJM41XAqIFBGLx
e1z1wHO8Cl4vWzh2w7HQqWFD6MCfEYlNgpe7yHFATMOKqyxLvidc9M51SFjukswO
dwux1FmH23kjsBcnbmxaC6ShOGf4jxPR9OqKDaWoR3zTYAtIGXOc3enr5LpkVJGz
1bLvvm36rIboV7N4Yw9dFguJq0miiyqw25QL9QIDAQABAoIBACxWNsRE8bbuZjM+
FuoO1ZXNbxMuHh+zYwXXHxul5K3nMEvDQicNaYOl+YxDHFnyE42MZZq3y/Q0JJJQ
qYFjnu7RMZm/0OwdlCXTr314Oav1FNPhrDSTqiaVZxDICKfrGL5/YjXSvLSA90Q1
1rIik8Rt1h9PL2yzMNhszudqPURcaZ+5fB9sImhSdH54g1sH/UGQwNIR9VU8Pe3l
jc0tW13pp2g54SywohVpuFrQZ6zzOwmvYpwBG6zg+Z2D4Ke35zk4VUno1PePAbfO
6quW/HdnErUg6JKLsTvE38oppsGr7cKHOdmopNThyj8S/x1ZcKCMM3kG8qOB0fic
Ja+ZJRUCgYEA9nGRumoJCSG8DKWYLIzWMtbwxkNK5WmofNWISrCuLMv4y+XBXPPo
yGiQLst3Qlh3Lc8c4zjG6e6RUNnhai3VQ0ayPLfgkz6DLlrkz3iZ3koG08c2ZtLz
iyyIZ/YYfTbU3kBLfajSOABjkjvp0J2coV2yEmf2jqkjkYtJGLHFmvsCgYEAwLUO
gi/4FrcfKeDwzZSVvrn46lFiAPSEsIZxsXZyg7RLQfMbU2mqE6+eLfC2Mzm12j8X
wD9V7mN1cIN9HQkay/azlbs5FNnHFnxIuk0V+lMZCMRGAQPQIy8UG3DKw+SW7vxH
+HpGrndwjrQ50IrDd+GbI1XuN6eLhhD94aa2Qc8CgYAEovRb7nzHCDRyhHcNd4Tc
JgEXqdJx6H/8AUR0K0jLnPbMV0FBD3G0u4ri5n8S53kuinP/rmTHp+5h+AduqPgX
MPBPhiIagxWSvLELWjiC3x+rwla6roNYffj/A7lIOczddZY2AgQae59j8+6dNyno
O0wLXptb6cC6j0VLyqRuGwKBgQCt6jk/0R7rETU0zGdGgdRrHtfAUNZL2mFuFsfA
yw8qQaqxyD9fFjuCLLpq55TnwiuW3d4HiKF61ZQFiQV/ENp4PRtyBFfNs4Vzi5Lv
X+Z31kr/mHM9Mz3CoxhYc4DrLf/xiwlA/MmRZwXUJF8REEq8hIVIbKLi43iN9APM
hHJ0DQKBgHC15q+/zMBpgrgiLF1uvUJSP4WsAwhl+3GhwfffUerkoB2T6pIVhzrh
vEMKayX9suZL5HvKW4dhC04nUObpj9jKS5S13xmqUC26snLbrVtaB5cjsoyyXhP5
vztqRrKg8otdH8hCokMvFMw4wkc3i42E2DHZewrw85Svm5qGYvDK
-----END RSA PRIVATE KEY-----
";

const PKCS1_PUBLIC: &str = "-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAuYN5j2Iln1eKvZC7HIRAeN21L6Fa/EgnxO8qIbfcoLHLx4HJzrs3
YBRaD4mtepKRKdtXo8akhW+gp7ZRMvaj14ig4CKxh7bpri2OfeD27pKvpqumE/h1
+hN6A0ls7wOn1R1h1w6J5n9iIj4wNxF4bK7LX7eKpXqwWSLJM41XAqIFBGLxe1z1
wHO8Cl4vWzh2w7HQqWFD6MCfEYlNgpe7yHFATMOKqyxLvidc9M51SFjukswOdwux
1FmH23kjsBcnbmxaC6ShOGf4jxPR9OqKDaWoR3zTYAtIGXOc3enr5LpkVJGz1bLv
vm36rIboV7N4Yw9dFguJq0miiyqw25QL9QIDAQAB
-----END RSA PUBLIC KEY-----
";

/// aws-lc-rs accepts RSA keys of 2048 to 8192 bits: flask's 1024-bit test key is a
/// start-up error naming the option, not a panic or a per-request failure. The
/// pure-Rust backend accepts it.
#[actix_web::test]
async fn test_rsa_key_under_2048_bits() {
    let mut config = support::config();
    config.algorithm = Algorithm::RS256;
    config.private_key = Some(PKCS1_1024_PRIVATE.to_owned());
    config.public_key = Some(PKCS1_1024_PUBLIC.to_owned());
    let outcome = JwtManager::new(config);
    if cfg!(feature = "aws-lc-rs") {
        match outcome {
            Err(ConfigError::InvalidKey { option, .. }) => assert_eq!(option, "JWT_PRIVATE_KEY"),
            other => panic!("expected InvalidKey, got {other:?}"),
        }
    } else {
        outcome.expect("the pure-Rust backend takes 1024-bit RSA keys");
    }
}

#[actix_web::test]
async fn test_asymmetric_cropto() {
    // flask's scenario: a token made while the app used HS256 is refused once the app
    // uses RS256 (with PKCS#1 PEM keys, 2048 bits instead of flask's 1024); the RS256
    // token works.
    let hs256 = support::manager();
    let hs256_token = support::access_token(&hs256, "username");

    let mut config = support::config();
    config.algorithm = Algorithm::RS256;
    config.private_key = Some(PKCS1_PRIVATE.to_owned());
    config.public_key = Some(PKCS1_PUBLIC.to_owned());
    let rs256 = JwtManager::new(config).expect("PKCS#1 RSA keys");
    let rs256_token = support::access_token(&rs256, "username");

    let app = test::init_service(
        App::new()
            .app_data(rs256.clone())
            .route("/protected", web::get().to(support::foo_bar)),
    )
    .await;
    let req = test::TestRequest::get()
        .uri("/protected")
        .insert_header(bearer(&hs256_token))
        .to_request();
    send(&app, req)
        .await
        .assert_error(422, "The specified alg value is not allowed");
    let req = test::TestRequest::get()
        .uri("/protected")
        .insert_header(bearer(&rs256_token))
        .to_request();
    send(&app, req)
        .await
        .assert_json(200, &json!({"foo": "bar"}));
}
