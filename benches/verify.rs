//! Verification and creation cost beside jsonwebtoken's, measured in the same run.
//!
//! ```text
//! cargo bench --bench verify
//! ```
//!
//! Every group has the jsonwebtoken baseline first, so the ratios in the README come
//! from one run on one machine. The token is a flask-style HS256 access token (the
//! layout flask-jwt-extended writes, about 330 bytes).
//!
//! The `RS256`, `ES256` and `EdDSA` groups (`cargo bench --bench verify --
//! 'RS256|ES256|EdDSA'`) put the default backend's bare signature check and signature,
//! aws-lc-rs on the same bytes with the key parsed outside the loop, beside
//! `decode_token` and `access_token().build()` with the flask fixture keys.

use std::{
    hint::black_box,
    sync::{Arc, OnceLock},
    time::Duration,
};

use actix_jwt_extended::{
    Claims, DecodedToken, JwtConfig, JwtManager, Location, MemoryBlocklist, VerifyOptions, claims,
};
use actix_web::{HttpRequest, http::Method, test::TestRequest};
use aws_lc_rs::{
    rand::SystemRandom,
    signature::{self as aws, EcdsaKeyPair, Ed25519KeyPair, ParsedPublicKey, RsaKeyPair},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use criterion::{Criterion, criterion_group, criterion_main};
use futures_util::FutureExt;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

const SECRET: &str = "a benchmark secret of forty bytes, really";

/// The claims a hand-written jsonwebtoken extractor reads (flask's layout, owned): the
/// `jsonwebtoken::decode` and `encode` baselines of the README's ratios.
#[derive(Debug, Serialize, Deserialize)]
struct FlaskClaims {
    fresh: bool,
    iat: u64,
    jti: String,
    #[serde(rename = "type")]
    kind: String,
    sub: String,
    nbf: u64,
    csrf: String,
    exp: u64,
}

fn make_manager(locations: Vec<Location>) -> JwtManager {
    JwtManager::new(JwtConfig {
        secret_key: Some(SECRET.to_owned()),
        token_location: locations,
        ..JwtConfig::default()
    })
    .expect("valid config")
}

fn jsonwebtoken_validation() -> Validation {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.validate_nbf = true;
    validation
}

/// What a protected route does before its handler: `verify_jwt_in_request` with the
/// default options, which completes in one poll without a blocklist.
fn verify_now(request: &HttpRequest) -> Arc<DecodedToken> {
    actix_jwt_extended::verify_jwt_in_request(request, &VerifyOptions::DEFAULT)
        .now_or_never()
        .expect("no await without a blocklist")
        .expect("valid")
        .expect("a token")
}

fn verify(c: &mut Criterion) {
    let manager = make_manager(vec![Location::Headers]);
    let token = manager.access_token("alice").build().expect("token");
    let key = DecodingKey::from_secret(SECRET.as_bytes());
    let validation = jsonwebtoken_validation();

    let mut group = c.benchmark_group("verify");
    group.bench_function("jsonwebtoken::decode", |b| {
        b.iter(|| {
            jsonwebtoken::decode::<FlaskClaims>(black_box(&token), &key, &validation)
                .expect("valid")
        });
    });
    group.bench_function("decode_token", |b| {
        b.iter(|| {
            manager
                .decode_token(black_box(&token), None, false)
                .expect("valid")
        });
    });

    // Locate + decode + verify + all checks, as a protected route does.
    let header_request = TestRequest::default()
        .insert_header(("Authorization", format!("Bearer {token}")))
        .app_data(manager.clone())
        .to_http_request();
    group.bench_function("header: verify_jwt_in_request", |b| {
        b.iter(|| verify_now(black_box(&header_request)));
    });

    let cookie_manager = make_manager(vec![Location::Cookies]);
    let cookie_token = cookie_manager.access_token("alice").build().expect("token");
    let csrf = cookie_manager
        .decode_token(&cookie_token, None, false)
        .expect("valid")
        .csrf()
        .expect("csrf claim")
        .to_owned();
    let cookie_request = TestRequest::default()
        .method(Method::POST)
        .insert_header(("Cookie", format!("access_token_cookie={cookie_token}")))
        .insert_header(("X-CSRF-TOKEN", csrf))
        .app_data(cookie_manager.clone())
        .to_http_request();
    group.bench_function("cookie+csrf: verify_jwt_in_request", |b| {
        b.iter(|| verify_now(black_box(&cookie_request)));
    });

    // The cookie token carries a `csrf` claim, so it is longer than a header-only
    // token. To compare the two *paths* on the same token, an app that accepts both
    // (headers first) verifies that very token from the Authorization header.
    let both_manager = make_manager(vec![Location::Headers, Location::Cookies]);
    let both_request = TestRequest::default()
        .method(Method::POST)
        .insert_header(("Authorization", format!("Bearer {cookie_token}")))
        .app_data(both_manager.clone())
        .to_http_request();
    group.bench_function("header, cookie's token: verify_jwt_in_request", |b| {
        b.iter(|| verify_now(black_box(&both_request)));
    });
    group.finish();
}

/// Application claims beside flask's, read typed by both sides.
#[claims]
#[derive(Debug, PartialEq)]
struct Roles {
    role: String,
    tenant: u64,
}

/// What a hand-written jsonwebtoken extractor deserializes for the same token.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // read by serde; the benchmark only times the decode
struct FlaskClaimsWithRoles {
    fresh: bool,
    iat: u64,
    jti: String,
    #[serde(rename = "type")]
    kind: String,
    sub: String,
    nbf: u64,
    exp: u64,
    role: String,
    tenant: u64,
}

/// Full verification with typed claims: `#[jwt_required]` + `Jwt<Roles>` against
/// `jsonwebtoken::decode::<FlaskClaimsWithRoles>`, on one token.
fn typed(c: &mut Criterion) {
    let manager = make_manager(vec![Location::Headers]);
    let roles = Roles {
        role: "admin".to_owned(),
        tenant: 42,
    };
    let token = manager
        .access_token("alice")
        .claims(&roles)
        .build()
        .expect("token");
    let key = DecodingKey::from_secret(SECRET.as_bytes());
    let validation = jsonwebtoken_validation();
    let request = TestRequest::default()
        .insert_header(("Authorization", format!("Bearer {token}")))
        .app_data(manager.clone())
        .to_http_request();

    let mut group = c.benchmark_group("typed");
    group.bench_function("jsonwebtoken::decode::<FlaskClaimsWithRoles>", |b| {
        b.iter(|| {
            jsonwebtoken::decode::<FlaskClaimsWithRoles>(black_box(&token), &key, &validation)
                .expect("valid")
        });
    });
    group.bench_function("header: verify_jwt_in_request + Roles", |b| {
        b.iter(|| {
            let verified = verify_now(black_box(&request));
            Roles::from_token(&verified).expect("fits")
        });
    });
    group.finish();
}

fn create(c: &mut Criterion) {
    let manager = make_manager(vec![Location::Headers]);
    let key = EncodingKey::from_secret(SECRET.as_bytes());
    let header = Header::new(Algorithm::HS256);
    let mut group = c.benchmark_group("create");
    group.bench_function("jsonwebtoken::encode", |b| {
        b.iter(|| {
            let now = jsonwebtoken::get_current_timestamp();
            let claims = FlaskClaims {
                fresh: false,
                iat: now,
                jti: uuid_like(),
                kind: "access".to_owned(),
                sub: "alice".to_owned(),
                nbf: now,
                csrf: uuid_like(),
                exp: now + 900,
            };
            jsonwebtoken::encode(&header, black_box(&claims), &key).expect("token")
        });
    });
    group.bench_function("access_token().build()", |b| {
        b.iter(|| {
            manager
                .access_token(black_box("alice"))
                .build()
                .expect("token")
        });
    });
    group.finish();
}

/// What the baseline pays for its two random ids, so creation compares like for like.
fn uuid_like() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

/// One million revoked tokens, built only when a blocklist benchmark runs.
struct RevokedMillion {
    blocklist: MemoryBlocklist,
    revoked: String,
    unknown: String,
}

fn revoked_million() -> &'static RevokedMillion {
    static REVOKED: OnceLock<RevokedMillion> = OnceLock::new();
    REVOKED.get_or_init(|| {
        const COUNT: usize = 1_000_000;
        let far_future = i64::MAX / 2;
        let jtis: Vec<String> = (0..COUNT).map(|_| uuid_like()).collect();
        let blocklist = MemoryBlocklist::new();
        let before = resident_bytes();
        for jti in &jtis {
            blocklist.insert(jti, Some(far_future), 0);
        }
        if let (Some(before), Some(after)) = (before, resident_bytes()) {
            println!(
                "blocklist memory: {:.1} bytes per revoked token ({COUNT} tokens, resident set growth)",
                after.saturating_sub(before) as f64 / COUNT as f64
            );
        }
        RevokedMillion {
            blocklist,
            revoked: jtis[COUNT / 2].clone(),
            unknown: uuid_like(),
        }
    })
}

fn blocklist(c: &mut Criterion) {
    let mut group = c.benchmark_group("blocklist");
    group.bench_function("memory: revoked jti, 1M entries", |b| {
        let million = revoked_million();
        b.iter(|| assert!(million.blocklist.contains(black_box(&million.revoked), 1)));
    });
    group.bench_function("memory: unknown jti, 1M entries", |b| {
        let million = revoked_million();
        b.iter(|| assert!(!million.blocklist.contains(black_box(&million.unknown), 1)));
    });
    group.finish();
}

/// The resident set size of this process, from `/proc/self/statm` (Linux).
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// The private key of a manager's algorithm, parsed once, as the bare baseline signs.
enum BareSigner {
    Rsa(RsaKeyPair),
    Ecdsa(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

impl BareSigner {
    fn sign(&self, message: &[u8]) -> usize {
        match self {
            BareSigner::Rsa(pair) => {
                let mut raw = vec![0_u8; pair.public_modulus_len()];
                pair.sign(
                    &aws::RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    message,
                    &mut raw,
                )
                .expect("RSA signature");
                raw.len()
            }
            BareSigner::Ecdsa(pair) => pair
                .sign(&SystemRandom::new(), message)
                .expect("ECDSA signature")
                .as_ref()
                .len(),
            BareSigner::Ed25519(pair) => pair.sign(message).as_ref().len(),
        }
    }
}

/// One asymmetric algorithm: the bare aws-lc-rs verification and signature on a token's
/// own bytes, beside the manager's `decode_token` and `access_token().build()`.
fn asymmetric_group(c: &mut Criterion, algorithm: Algorithm, private: &str, public: &str) {
    let manager = JwtManager::new(JwtConfig {
        algorithm,
        private_key: Some(private.to_owned()),
        public_key: Some(public.to_owned()),
        ..JwtConfig::default()
    })
    .expect("valid keys");
    let token = manager.access_token("alice").build().expect("token");
    let (signing_input, signature) = token.rsplit_once('.').expect("three segments");
    let signature = URL_SAFE_NO_PAD.decode(signature).expect("base64url");

    // The DER jsonwebtoken's PEM parsers give, parsed as the runtime parses it.
    let (decoding, verification, signer): (_, &'static dyn aws::VerificationAlgorithm, _) =
        match algorithm {
            Algorithm::RS256 => {
                let encoding = EncodingKey::from_rsa_pem(private.as_bytes()).expect("RSA");
                let signer =
                    BareSigner::Rsa(RsaKeyPair::from_der(encoding.as_bytes()).expect("RSA"));
                (
                    DecodingKey::from_rsa_pem(public.as_bytes()).expect("RSA"),
                    &aws::RSA_PKCS1_2048_8192_SHA256,
                    signer,
                )
            }
            Algorithm::ES256 => {
                let encoding = EncodingKey::from_ec_pem(private.as_bytes()).expect("EC");
                let signer = BareSigner::Ecdsa(
                    EcdsaKeyPair::from_pkcs8(
                        &aws::ECDSA_P256_SHA256_FIXED_SIGNING,
                        encoding.as_bytes(),
                    )
                    .expect("EC"),
                );
                (
                    DecodingKey::from_ec_pem(public.as_bytes()).expect("EC"),
                    &aws::ECDSA_P256_SHA256_FIXED,
                    signer,
                )
            }
            _ => {
                let encoding = EncodingKey::from_ed_pem(private.as_bytes()).expect("Ed25519");
                let signer = BareSigner::Ed25519(
                    Ed25519KeyPair::from_pkcs8(encoding.as_bytes()).expect("Ed25519"),
                );
                (
                    DecodingKey::from_ed_pem(public.as_bytes()).expect("Ed25519"),
                    &aws::ED25519,
                    signer,
                )
            }
        };
    let public_key =
        ParsedPublicKey::new(verification, decoding.try_get_as_bytes().expect("DER")).expect("key");

    let mut group = c.benchmark_group(format!("{algorithm:?}"));
    group.bench_function("bare verify", |b| {
        b.iter(|| {
            public_key
                .verify_sig(black_box(signing_input.as_bytes()), black_box(&signature))
                .expect("valid")
        });
    });
    group.bench_function("decode_token", |b| {
        b.iter(|| {
            manager
                .decode_token(black_box(&token), None, false)
                .expect("valid")
        });
    });
    group.bench_function("bare sign", |b| {
        b.iter(|| signer.sign(black_box(signing_input.as_bytes())));
    });
    group.bench_function("access_token().build()", |b| {
        b.iter(|| {
            manager
                .access_token(black_box("alice"))
                .build()
                .expect("token")
        });
    });
    group.finish();
}

fn asymmetric(c: &mut Criterion) {
    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../tests/fixtures/flask/", $name))
        };
    }
    asymmetric_group(
        c,
        Algorithm::RS256,
        fixture!("rsa_private.pem"),
        fixture!("rsa_public.pem"),
    );
    asymmetric_group(
        c,
        Algorithm::ES256,
        fixture!("ec256_private.pem"),
        fixture!("ec256_public.pem"),
    );
    asymmetric_group(
        c,
        Algorithm::EdDSA,
        fixture!("ed25519_private.pem"),
        fixture!("ed25519_public.pem"),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = verify, typed, create, asymmetric, blocklist
}
criterion_main!(benches);
