//! The load-test server: one unprotected route, one `#[jwt_required]` route and one
//! route behind a hand-written jsonwebtoken extractor, side by side in one binary.
//!
//! ```text
//! cargo run --release --example bench_server                 # serves on 127.0.0.1:8000
//! cargo run --release --example bench_server -- --print-token # prints a token, exits
//! wrk -t1 -c64 -d10s --latency -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/protected
//! ```
//!
//! `scripts/loadtest.sh` drives it. Environment: `WORKERS` (actix workers, default 1),
//! `PORT` (default 8000), `JWT_SECRET_KEY` (default: a fixed 40-byte benchmark secret).
//!
//! | route | answers |
//! | --- | --- |
//! | `GET /hello` | `{"msg":"hello"}`, no authentication |
//! | `GET /protected` | `{"sub":"<identity>"}`, `#[jwt_required]` with [`Jwt`] (default config: headers, no blocklist) |
//! | `GET /handwritten` | `{"sub":"<identity>"}`, a `FromRequest` over `jsonwebtoken::decode` |
//! | `GET /token` | `{"access_token":"<token>"}`, a flask-layout access token valid for 7 days |
//! | `GET /rs256/protected`, `GET /es256/protected` | `/protected` under a manager signing with RS256 (2048-bit) or ES256 (the flask fixture keys) |
//!
//! `--print-token rs256` (or `es256`) prints a token for those routes.
//!
//! The hand-written extractor is what a Rust service typically writes by hand: read
//! `Authorization`, strip `Bearer `, `jsonwebtoken::decode` into an owned claims struct
//! with `Validation::new(HS256)`, leeway 0 and `validate_nbf`, then check
//! `type == "access"`. Its key and validation are built once, at start-up.

use std::{
    future::{Ready, ready},
    time::Duration,
};

use actix_jwt_extended::{Algorithm as JwtAlgorithm, Jwt, JwtConfig, JwtManager, jwt_required};
use actix_web::{
    App, FromRequest, HttpRequest, HttpResponse, HttpServer, dev::Payload, error, get,
    http::header, web,
};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};

/// The secret when `JWT_SECRET_KEY` is unset: 40 bytes, the same in every benchmark
/// (benches/, scripts/loadtest.sh), so their figures compare.
pub(crate) const DEFAULT_SECRET: &str = "a benchmark secret of forty bytes, really";

/// How long the load generator's token stays valid.
const TOKEN_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);

/// `{"msg": "hello"}`.
#[derive(Serialize)]
struct Msg {
    msg: &'static str,
}

/// `{"sub": "<identity>"}`.
#[derive(Serialize)]
struct Sub<'a> {
    sub: &'a str,
}

#[get("/hello")]
async fn hello() -> HttpResponse {
    HttpResponse::Ok().json(Msg { msg: "hello" })
}

#[get("/protected")]
#[jwt_required]
async fn protected(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(Sub {
        sub: jwt.identity_str().unwrap_or_default(),
    })
}

#[get("/handwritten")]
async fn handwritten(auth: Handwritten) -> HttpResponse {
    HttpResponse::Ok().json(Sub { sub: &auth.0.sub })
}

#[get("/token")]
async fn issue_token(manager: web::Data<JwtManager>) -> HttpResponse {
    match long_lived_token(&manager) {
        Ok(access_token) => {
            HttpResponse::Ok().json(serde_json::json!({ "access_token": access_token }))
        }
        Err(message) => HttpResponse::InternalServerError().json(Msg { msg: message }),
    }
}

/// A flask-layout access token for `alice` (8 claims, `csrf` included, as flask writes it).
pub(crate) fn long_lived_token(manager: &JwtManager) -> Result<String, &'static str> {
    manager
        .access_token("alice")
        .expires_in(TOKEN_LIFETIME)
        .build()
        .map_err(|_| "token creation failed")
}

/// The claims flask-jwt-extended writes, owned, as a hand-written extractor reads them.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // Deserialized (and so paid for) like a real extractor would; not all read.
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

/// The hand-written extractor's key and rules, built once.
pub(crate) struct HandwrittenKey {
    key: DecodingKey,
    validation: Validation,
}

impl HandwrittenKey {
    pub(crate) fn new(secret: &str) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.validate_nbf = true;
        HandwrittenKey {
            key: DecodingKey::from_secret(secret.as_bytes()),
            validation,
        }
    }
}

/// Verified claims from a hand-written `Authorization: Bearer` extractor.
struct Handwritten(FlaskClaims);

impl FromRequest for Handwritten {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(verify_handwritten(req))
    }
}

fn verify_handwritten(req: &HttpRequest) -> Result<Handwritten, actix_web::Error> {
    let keys = req
        .app_data::<web::Data<HandwrittenKey>>()
        .ok_or_else(|| error::ErrorInternalServerError("no key"))?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or_else(|| error::ErrorUnauthorized("Missing Authorization Header"))?;
    let data = jsonwebtoken::decode::<FlaskClaims>(token, &keys.key, &keys.validation)
        .map_err(error::ErrorUnauthorized)?;
    if data.claims.kind != "access" {
        return Err(error::ErrorUnprocessableEntity(
            "Only non-refresh tokens are allowed",
        ));
    }
    Ok(Handwritten(data.claims))
}

/// The four routes (`benches/routes.rs` serves the same ones in process).
pub(crate) fn routes(config: &mut web::ServiceConfig) {
    config
        .service(hello)
        .service(protected)
        .service(handwritten)
        .service(issue_token);
}

/// The asymmetric algorithms the load test compares with HS256, each with the flask
/// fixture key pair (`tests/fixtures/flask`).
const ASYMMETRIC: [(&str, JwtAlgorithm, &str, &str); 2] = [
    (
        "rs256",
        JwtAlgorithm::RS256,
        include_str!("../tests/fixtures/flask/rsa_private.pem"),
        include_str!("../tests/fixtures/flask/rsa_public.pem"),
    ),
    (
        "es256",
        JwtAlgorithm::ES256,
        include_str!("../tests/fixtures/flask/ec256_private.pem"),
        include_str!("../tests/fixtures/flask/ec256_public.pem"),
    ),
];

/// The manager of the `/<name>/protected` route.
fn asymmetric_manager(
    algorithm: JwtAlgorithm,
    private: &str,
    public: &str,
) -> Result<JwtManager, actix_jwt_extended::ConfigError> {
    JwtManager::new(JwtConfig {
        algorithm,
        private_key: Some(private.to_owned()),
        public_key: Some(public.to_owned()),
        ..JwtConfig::default()
    })
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .map_err(|_| format!("{name}={value:?} is not valid")),
        Err(_) => Ok(default),
    }
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("JWT_SECRET_KEY").unwrap_or_else(|_| DEFAULT_SECRET.to_owned());
    let manager = JwtManager::new(JwtConfig {
        secret_key: Some(secret.clone()),
        ..JwtConfig::default()
    })?;

    let asymmetric = ASYMMETRIC
        .iter()
        .map(|(name, algorithm, private, public)| {
            Ok((*name, asymmetric_manager(*algorithm, private, public)?))
        })
        .collect::<Result<Vec<_>, actix_jwt_extended::ConfigError>>()?;

    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|arg| arg == "--print-token") {
        let token = match args.get(at + 1) {
            None => long_lived_token(&manager)?,
            Some(name) => {
                let (_, manager) = asymmetric
                    .iter()
                    .find(|(known, _)| known == name)
                    .ok_or_else(|| format!("--print-token: no route {name:?}"))?;
                long_lived_token(manager)?
            }
        };
        println!("{token}");
        return Ok(());
    }

    let workers: usize = env_or("WORKERS", 1)?;
    let port: u16 = env_or("PORT", 8000)?;
    let manager = web::Data::new(manager);
    let keys = web::Data::new(HandwrittenKey::new(&secret));

    let asymmetric: Vec<(&str, web::Data<JwtManager>)> = asymmetric
        .into_iter()
        .map(|(name, manager)| (name, web::Data::new(manager)))
        .collect();

    let server = HttpServer::new(move || {
        // Each algorithm's route finds its own manager in its scope's app data.
        let mut app = App::new()
            .app_data(manager.clone())
            .app_data(keys.clone())
            .configure(routes);
        for (name, manager) in &asymmetric {
            app = app.service(
                web::scope(&format!("/{name}"))
                    .app_data(manager.clone())
                    .service(protected),
            );
        }
        app
    })
    .workers(workers)
    .bind(("127.0.0.1", port))?;
    println!("bench_server listening on http://127.0.0.1:{port} ({workers} worker(s))");
    server.run().await?;
    Ok(())
}
