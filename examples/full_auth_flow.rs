//! The full authentication flow on a real embedded database: a SQLite user table
//! (through `sqlx`), registration with argon2-hashed passwords, login issuing an access
//! and a refresh token, refresh, the current user loaded by the user-lookup callback, a
//! role-checked admin route, and logout revoking both tokens.
//!
//! ```text
//! cargo run --example full_auth_flow
//! curl -s -X POST localhost:5000/register -H 'Content-Type: application/json' \
//!      -d '{"username": "alice", "password": "correct horse"}'
//! curl -s -X POST localhost:5000/login -H 'Content-Type: application/json' \
//!      -d '{"username": "alice", "password": "correct horse"}'
//! curl -s localhost:5000/me -H "Authorization: Bearer <access_token>"
//! curl -s localhost:5000/admin -H "Authorization: Bearer <access_token>"      # 403
//! curl -s -X POST localhost:5000/refresh -H "Authorization: Bearer <refresh_token>"
//! curl -s -X POST localhost:5000/logout -H "Authorization: Bearer <access_token>"
//! ```
//!
//! Environment:
//!
//! - `DATABASE_PATH`: the SQLite file, created and migrated at start-up (default
//!   `full_auth_flow.db` in the system's temporary directory).
//! - `ADMIN_PASSWORD`: if set, an admin user `ADMIN_USERNAME` (default `admin`) is created
//!   at start-up unless that name exists. Registration only ever creates plain users.
//! - `PORT`: the port on 127.0.0.1 (default 5000).
//! - `JWT_SECRET_KEY` and every other `JWT_*` option flask-jwt-extended knows; the
//!   secret defaults to an example value, with a warning.
//!
//! Routes and answers: see `examples/full_auth_flow/app.rs`.

#[path = "full_auth_flow/app.rs"]
mod app;

use std::path::PathBuf;

use actix_jwt_extended::JwtConfig;
use actix_web::{App, HttpServer};

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

    let database = std::env::var_os("DATABASE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("full_auth_flow.db"));
    let pool = app::open_database(&database).await?;
    println!("database: {}", database.display());

    if let Ok(password) = std::env::var("ADMIN_PASSWORD") {
        let username = std::env::var("ADMIN_USERNAME").unwrap_or_else(|_| "admin".to_owned());
        match app::create_user(&pool, &username, &password, app::Role::Admin).await {
            Ok(user) => println!("created admin {:?} (id {})", user.username, user.id),
            Err(app::CreateError::Taken) => println!("admin {username:?} exists"),
            Err(app::CreateError::Invalid(reason)) => return Err(reason.into()),
            Err(app::CreateError::Internal(error)) => return Err(error.into()),
        }
    }

    let manager = app::jwt_manager(config, pool.clone())?;
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse()?,
        Err(_) => 5000,
    };
    println!("full_auth_flow listening on http://127.0.0.1:{port}");
    HttpServer::new(move || App::new().configure(|cfg| app::configure(cfg, &pool, &manager)))
        .bind(("127.0.0.1", port))?
        .run()
        .await?;
    Ok(())
}
