//! flask-jwt-extended's "blocklist and token revoking" example with Redis, in actix-web.
//!
//! ```text
//! redis-server --port 6379 &            # any Redis; REDIS_URL says where
//! cargo run --example redis_blocklist --features redis
//! curl -s -X POST localhost:5000/login
//! curl -s localhost:5000/protected -H "Authorization: Bearer <access_token>"
//! curl -s -X DELETE localhost:5000/logout -H "Authorization: Bearer <access_token>"
//! curl -s localhost:5000/protected -H "Authorization: Bearer <access_token>"   # 401 revoked
//! ```
//!
//! Revoked tokens are stored in Redis as `jwt_blocklist:<jti>` with a TTL of the
//! token's remaining lifetime, so every server process sharing the Redis refuses them
//! at once and Redis forgets them when they expire. If Redis is unreachable, protected
//! routes answer 503 (fail closed) until it is back; no restart is needed.
//!
//! Listens on 127.0.0.1:5000 (or `PORT`). `REDIS_URL` defaults to
//! `redis://127.0.0.1:6379/0`; `JWT_SECRET_KEY` to an example secret, with a warning.

use std::time::Duration;

use actix_jwt_extended::{
    Expiry, Jwt, JwtConfig, JwtManager, blocklist::RedisBlocklist, jwt_required,
};
use actix_web::{App, HttpResponse, HttpServer, Responder, delete, get, post, web};
use serde_json::json;

/// flask's example: access tokens live one hour, and so do their revocations.
const ACCESS_EXPIRES: Duration = Duration::from_secs(3600);

/// Logs in the example user: a fresh access token and a refresh token of one login.
#[post("/login")]
async fn login(manager: web::Data<JwtManager>) -> HttpResponse {
    match manager.token_pair("example_user") {
        Ok(pair) => HttpResponse::Ok().json(pair),
        Err(error) => HttpResponse::InternalServerError().json(json!({"msg": error.to_string()})),
    }
}

/// Revokes the access token of the request (flask's `/logout`).
#[delete("/logout")]
#[jwt_required]
async fn logout(jwt: Jwt, manager: web::Data<JwtManager>) -> HttpResponse {
    match manager.revoke(jwt.token()).await {
        Ok(()) => HttpResponse::Ok().json(json!({"msg": "Access token revoked"})),
        // Redis is down: 503, and the token stays usable only once Redis says so.
        Err(error) => manager.error_response(&error),
    }
}

/// Revokes the whole login, access and refresh token, with either of them.
#[delete("/logout_all")]
#[jwt_required(verify_type = false)]
async fn logout_all(jwt: Jwt, manager: web::Data<JwtManager>) -> HttpResponse {
    match manager.revoke_login(jwt.token()).await {
        Ok(()) => HttpResponse::Ok().json(json!({"msg": "Access and refresh tokens revoked"})),
        Err(error) => manager.error_response(&error),
    }
}

/// A new access token for a refresh token that is not revoked.
#[post("/refresh")]
#[jwt_required(refresh)]
async fn refresh(jwt: Jwt, manager: web::Data<JwtManager>) -> actix_web::Result<HttpResponse> {
    let access_token = manager.access_token(jwt.identity()).build()?;
    Ok(HttpResponse::Ok().json(json!({ "access_token": access_token })))
}

/// Only for tokens that are valid and not revoked.
#[get("/protected")]
#[jwt_required]
async fn protected() -> impl Responder {
    web::Json(json!({"hello": "world"}))
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = JwtConfig::from_env()?;
    if config.secret_key.is_none() {
        eprintln!(
            "WARNING: JWT_SECRET_KEY is not set; using an example secret. Anyone can forge \
             tokens for this server. Set JWT_SECRET_KEY in production."
        );
        config.secret_key = Some("super-secret-example-key-change-me!".to_owned());
    }
    config.access_token_expires = Expiry::After(ACCESS_EXPIRES);

    let redis_url =
        std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".to_owned());
    // Connects lazily and reconnects by itself; check once to tell the operator.
    let store = RedisBlocklist::new(&redis_url)?;
    if let Err(error) = store.ping().await {
        eprintln!(
            "WARNING: Redis at {redis_url} does not answer ({error}); protected routes \
             answer 503 until it does"
        );
    }
    let manager = web::Data::new(JwtManager::builder(config).blocklist(store).build()?);

    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse()?,
        Err(_) => 5000,
    };
    println!("redis_blocklist listening on http://127.0.0.1:{port} (Redis: {redis_url})");
    HttpServer::new(move || {
        App::new()
            .app_data(manager.clone())
            .service(login)
            .service(logout)
            .service(logout_all)
            .service(refresh)
            .service(protected)
    })
    .bind(("127.0.0.1", port))?
    .run()
    .await?;
    Ok(())
}
