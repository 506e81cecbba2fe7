//! A single-page app authenticated by cookies: flask-jwt-extended's "JWT in cookies"
//! set-up, in actix-web.
//!
//! ```text
//! cargo run --example spa
//! # then open http://127.0.0.1:5001/ and log in as test / test
//! ```
//!
//! The page (`examples/spa/index.html`) logs in (`POST /login` sets an HttpOnly access
//! and refresh cookie plus two readable CSRF cookies), calls a protected GET, sends a
//! protected POST with the CSRF cookie's value in `X-CSRF-TOKEN`, refreshes the access
//! cookie through the refresh cookie, and logs out. JavaScript never sees the tokens.
//! `tests/apps/browser_spa.rs` drives this page in headless Chromium.
//!
//! Listens on 127.0.0.1:5001, or the port in `PORT` (`PORT=0` picks a free one), and
//! prints the URL as its first line. Tokens are signed with `JWT_SECRET_KEY`, falling
//! back to an example secret with a warning.

#[path = "spa/server.rs"]
mod server;

use std::{io::Write as _, net::TcpListener};

use actix_web::{App, HttpServer, web};

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = match std::env::var("JWT_SECRET_KEY") {
        Ok(secret) if !secret.is_empty() => secret,
        _ => {
            eprintln!(
                "WARNING: JWT_SECRET_KEY is not set; using an example secret. Anyone can \
                 forge tokens for this server. Set JWT_SECRET_KEY in production."
            );
            "spa-example-secret-do-not-use-in-production".to_owned()
        }
    };
    let manager = web::Data::new(server::manager(&secret));
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse()?,
        Err(_) => 5001,
    };

    let listener = TcpListener::bind(("127.0.0.1", port))?;
    println!("http://{}/", listener.local_addr()?);
    std::io::stdout().flush()?;

    HttpServer::new(move || {
        App::new()
            .app_data(manager.clone())
            .configure(server::configure)
    })
    .listen(listener)?
    .run()
    .await?;
    Ok(())
}
