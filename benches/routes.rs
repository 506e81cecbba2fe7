//! What a whole request costs in process, route against route: the load-test server's
//! routes (`examples/bench_server.rs`) called through actix-web's service stack without
//! sockets, so the difference between routes is the protection layer alone, free of
//! the network and scheduler noise a load test carries.
//!
//! ```text
//! cargo bench --bench routes
//! ```
//!
//! Every request carries the same `Authorization: Bearer <token>` header (a flask-layout
//! access token), so the three routes parse requests of equal size:
//!
//! - `GET /hello`: unprotected;
//! - `GET /protected`: `#[jwt_required]` with `Jwt`;
//! - `GET /handwritten`: a hand-written `jsonwebtoken` extractor.

#[allow(dead_code)] // its `main`
#[path = "../examples/bench_server.rs"]
mod bench_server;

use std::hint::black_box;

use actix_jwt_extended::{JwtConfig, JwtManager};
use actix_web::{App, dev::Service, http::StatusCode, test, web};
use criterion::{Criterion, criterion_group, criterion_main};
use futures_util::FutureExt;

fn routes(c: &mut Criterion) {
    let manager = JwtManager::new(JwtConfig {
        secret_key: Some(bench_server::DEFAULT_SECRET.to_owned()),
        ..JwtConfig::default()
    })
    .expect("valid config");
    let token = bench_server::long_lived_token(&manager).expect("token");
    let keys = web::Data::new(bench_server::HandwrittenKey::new(
        bench_server::DEFAULT_SECRET,
    ));
    let system = actix_rt::System::new();
    let app = system.block_on(test::init_service(
        App::new()
            .app_data(web::Data::new(manager))
            .app_data(keys)
            .configure(bench_server::routes),
    ));
    let authorization = format!("Bearer {token}");

    let mut group = c.benchmark_group("route");
    for path in ["/hello", "/protected", "/handwritten"] {
        group.bench_function(format!("GET {path}"), |b| {
            b.iter(|| {
                let req = test::TestRequest::get()
                    .uri(path)
                    .insert_header(("Authorization", authorization.as_str()))
                    .to_request();
                let response = app
                    .call(black_box(req))
                    .now_or_never()
                    .expect("no route awaits anything")
                    .expect("a response");
                assert_eq!(response.status(), StatusCode::OK);
                response
            });
        });
    }
    group.finish();
}

criterion_group!(benches, routes);
criterion_main!(benches);
