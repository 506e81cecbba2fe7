//! flask-jwt-extended's "changing default behaviors" example, in actix-web: every error
//! response replaced once, for the whole app, by the error loaders.
//!
//! ```text
//! cargo run --example custom_errors
//! curl -s localhost:5000/protected                      # {"code":"missing_token",...}
//! curl -s -X POST localhost:5000/login                  # two tokens, one expiring in 5 s
//! curl -s localhost:5000/protected -H "Authorization: Bearer <short_lived>"   # after 5 s:
//!                                                       # {"code":"dave","err":"I can't let you do that"}
//! curl -s localhost:5000/protected -H "Authorization: Bearer garbage"
//! ```
//!
//! Listens on 127.0.0.1:5000 (or `PORT`). `JWT_SECRET_KEY` defaults to an example
//! secret, with a warning.

use std::time::Duration;

use actix_jwt_extended::{DecodedToken, Jwt, JwtConfig, JwtManager, MemoryBlocklist, jwt_required};
use actix_web::{App, HttpResponse, HttpServer, delete, get, http::StatusCode, post, web};
use serde_json::json;

/// One error body shape for the whole API: `{"code": .., "err": ..}`.
fn error(status: StatusCode, code: &str, err: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "code": code, "err": err }))
}

/// The error of a token flask hands to a `(jwt_header, jwt_payload)` loader.
fn token_error(status: StatusCode, code: &str, err: &str, token: &DecodedToken) -> HttpResponse {
    HttpResponse::build(status).json(json!({
        "code": code,
        "err": err,
        "sub": token.identity(),
    }))
}

/// A normal and a short-lived access token (to see the expired-token response).
#[post("/login")]
async fn login(manager: web::Data<JwtManager>) -> HttpResponse {
    let access = manager.access_token("example_user").fresh(true).build();
    let short = manager
        .access_token("example_user")
        .expires_in(Duration::from_secs(5))
        .build();
    match (access, short) {
        (Ok(access_token), Ok(short_lived)) => HttpResponse::Ok()
            .json(json!({ "access_token": access_token, "short_lived": short_lived })),
        (Err(err), _) | (_, Err(err)) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "token_error",
            &err.to_string(),
        ),
    }
}

#[get("/protected")]
#[jwt_required]
async fn protected(jwt: Jwt) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "hello": jwt.identity() }))
}

/// Needs a fresh token: the short-lived one is not.
#[get("/fresh")]
#[jwt_required(fresh)]
async fn fresh() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "fresh": true }))
}

/// Revokes the current token (then `/protected` answers the revoked-token error).
#[delete("/logout")]
#[jwt_required]
async fn logout(jwt: Jwt, manager: web::Data<JwtManager>) -> HttpResponse {
    match manager.revoke(jwt.token()).await {
        Ok(()) => HttpResponse::Ok().json(json!({ "msg": "revoked" })),
        Err(err) => manager.error_response(&err),
    }
}

/// The manager with every error loader replaced.
fn manager(config: JwtConfig) -> Result<JwtManager, actix_jwt_extended::ConfigError> {
    JwtManager::builder(config)
        .blocklist(MemoryBlocklist::new())
        // flask's documented example, word for word.
        .expired_token_loader(|_token| {
            error(StatusCode::UNAUTHORIZED, "dave", "I can't let you do that")
        })
        .invalid_token_loader(|message| {
            error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_token", message)
        })
        .unauthorized_loader(|message| error(StatusCode::UNAUTHORIZED, "missing_token", message))
        .needs_fresh_token_loader(|token| {
            token_error(
                StatusCode::UNAUTHORIZED,
                "fresh_token_required",
                "Please log in again",
                token,
            )
        })
        .revoked_token_loader(|token| {
            token_error(
                StatusCode::UNAUTHORIZED,
                "token_revoked",
                "This token was revoked",
                token,
            )
        })
        .token_verification_failed_loader(|token| {
            token_error(
                StatusCode::FORBIDDEN,
                "claims_rejected",
                "Claims verification failed",
                token,
            )
        })
        .user_lookup_error_loader(|token| {
            token_error(
                StatusCode::NOT_FOUND,
                "user_not_found",
                "No such user",
                token,
            )
        })
        .build()
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
    let manager = web::Data::new(manager(config)?);
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse()?,
        Err(_) => 5000,
    };
    println!("custom_errors listening on http://127.0.0.1:{port}");
    HttpServer::new(move || {
        App::new()
            .app_data(manager.clone())
            .service(login)
            .service(protected)
            .service(fresh)
            .service(logout)
    })
    .bind(("127.0.0.1", port))?
    .run()
    .await?;
    Ok(())
}
