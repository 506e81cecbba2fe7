//! flask-jwt-extended's basic-usage app, in actix-web.
//!
//! ```text
//! cargo run --example quickstart
//! curl -s -X POST localhost:5000/login -H 'Content-Type: application/json' \
//!      -d '{"username": "test", "password": "test"}'
//! curl -s localhost:5000/protected -H "Authorization: Bearer <access_token>"
//! ```
//!
//! Listens on 127.0.0.1:5000 (or `PORT`). Every `JWT_*` variable flask-jwt-extended
//! knows is read from the environment; `JWT_SECRET_KEY` falls back to flask's example
//! value `super-secret`, with a warning.

use actix_jwt_extended::{Jwt, JwtConfig, JwtManager, jwt_required};
use actix_web::{App, HttpResponse, HttpServer, Responder, error, get, post, web};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct Credentials {
    username: Option<String>,
    password: Option<String>,
}

/// Checks the (hard-coded) credentials and answers an access token.
#[post("/login")]
async fn login(
    manager: web::Data<JwtManager>,
    body: web::Json<Credentials>,
) -> actix_web::Result<HttpResponse> {
    let Credentials { username, password } = body.into_inner();
    if username.as_deref() != Some("test") || password.as_deref() != Some("test") {
        return Ok(HttpResponse::Unauthorized().json(json!({"msg": "Bad username or password"})));
    }
    // A token that cannot be made (a failing callback) answers 500, as flask does.
    let access_token = manager.access_token("test").build()?;
    Ok(HttpResponse::Ok().json(json!({ "access_token": access_token })))
}

/// Answers who the token belongs to; verification happens before this runs.
#[get("/protected")]
#[jwt_required]
async fn protected(jwt: Jwt) -> impl Responder {
    web::Json(json!({ "logged_in_as": jwt.identity() }))
}

/// The manager from the `JWT_*` environment, with flask's example secret as fallback.
fn manager_from_env() -> Result<JwtManager, Box<dyn std::error::Error>> {
    let mut config = JwtConfig::from_env()?;
    if config.secret_key.is_none() {
        eprintln!(
            "WARNING: JWT_SECRET_KEY is not set; using the example secret \"super-secret\". \
             Anyone can forge tokens for this server. Set JWT_SECRET_KEY in production."
        );
        config.secret_key = Some("super-secret".to_owned());
    }
    Ok(JwtManager::new(config)?)
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manager = web::Data::new(manager_from_env()?);
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse()?,
        Err(_) => 5000,
    };
    // A malformed login body answers 400 with a JSON message, like the other errors.
    let json_config = web::JsonConfig::default().error_handler(|err, _req| {
        let body = json!({ "msg": err.to_string() });
        error::InternalError::from_response(err, HttpResponse::BadRequest().json(body)).into()
    });

    println!("quickstart listening on http://127.0.0.1:{port}");
    HttpServer::new(move || {
        App::new()
            .app_data(manager.clone())
            .app_data(json_config.clone())
            .service(login)
            .service(protected)
    })
    .bind(("127.0.0.1", port))?
    .run()
    .await?;
    Ok(())
}
