//! What typed claims cost on top of decoding a token.
//!
//! `decode_token` verifies the token reading only the registered claims it checks, and
//! keeps the payload's JSON text; `Jwt<Roles>` then deserializes `Roles` from that text
//! in one pass, without building the untyped claim map. The groups compare, on the
//! same token:
//!
//! - `decode_token`: decoding and verifying with the registered claims only;
//! - `decode_token + Roles::from_token`: what `Jwt<Roles>` does (reads only the custom
//!   claims, which verification located);
//! - `decode_token + deserialize_claims::<Roles>`: the same type read from the whole
//!   claims JSON, as a hand-written `Claims` impl would;
//! - `decode_token + claims()`: what untyped access (`Jwt::all_claims`) costs, for
//!   comparison;
//! - `deserialize_claims::<Roles>` alone, against serde_json's plain `from_str` of the
//!   same text (the claim-naming error path must not slow the success path down).
//!
//! ```text
//! cargo bench --bench typed_claims
//! ```

use std::hint::black_box;

use actix_jwt_extended::{Claims, JwtConfig, JwtManager, claims, deserialize_claims};
use criterion::{Criterion, criterion_group, criterion_main};
use serde::{Deserialize, Serialize};

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
    team: Option<String>,
    scopes: Vec<String>,
}

fn manager() -> JwtManager {
    JwtManager::new(JwtConfig {
        secret_key: Some("actix-jwt-extended-bench-secret-0123456789abcdef".to_owned()),
        ..JwtConfig::default()
    })
    .expect("valid config")
}

fn typed_claims(c: &mut Criterion) {
    let manager = manager();
    let roles = Roles {
        role: Role::Admin,
        tenant: 42,
        team: Some("platform".to_owned()),
        scopes: vec!["read".to_owned(), "write".to_owned()],
    };
    let token = manager
        .access_token("alice")
        .claims(&roles)
        .build()
        .expect("token");
    let decoded = manager.decode_token(&token, None, false).expect("valid");
    assert_eq!(deserialize_claims::<Roles>(&decoded).expect("fits"), roles);
    assert_eq!(Roles::from_token(&decoded).expect("fits"), roles);

    let mut group = c.benchmark_group("decode");
    group.bench_function("decode_token", |b| {
        b.iter(|| manager.decode_token(black_box(&token), None, false))
    });
    group.bench_function("decode_token + Roles::from_token", |b| {
        b.iter(|| {
            let decoded = manager.decode_token(black_box(&token), None, false)?;
            Roles::from_token(&decoded)
        })
    });
    group.bench_function("decode_token + deserialize_claims::<Roles>", |b| {
        b.iter(|| {
            let decoded = manager.decode_token(black_box(&token), None, false)?;
            deserialize_claims::<Roles>(&decoded)
        })
    });
    group.bench_function("decode_token + claims()", |b| {
        b.iter(|| {
            let decoded = manager.decode_token(black_box(&token), None, false)?;
            Ok::<_, actix_jwt_extended::Error>(decoded.all_claims().len())
        })
    });
    group.finish();

    let mut group = c.benchmark_group("claims");
    group.bench_function("Roles::from_token", |b| {
        b.iter(|| Roles::from_token(black_box(&decoded)))
    });
    group.bench_function("deserialize_claims::<Roles>", |b| {
        b.iter(|| deserialize_claims::<Roles>(black_box(&decoded)))
    });
    group.bench_function("serde_json::from_str::<Roles>", |b| {
        b.iter(|| serde_json::from_str::<Roles>(black_box(decoded.claims_json())))
    });
    group.finish();
}

criterion_group!(benches, typed_claims);
criterion_main!(benches);
