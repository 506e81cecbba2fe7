//! `#[jwt_required]` above and below actix's routing attributes.
#![deny(warnings)]

use actix_jwt_extended::{Jwt, jwt_required};
use actix_web::{App, Responder, get, post, web};

// Expanded first: `#[get]` is among the handler's attributes and must be kept.
#[jwt_required]
#[get("/above")]
async fn jwt_above(jwt: Jwt) -> impl Responder {
    jwt.identity().to_string()
}

// Expanded inside the `register` fn that `#[post]` generates.
#[post("/below")]
#[jwt_required(locations = "json")]
async fn jwt_below(jwt: Jwt, body: web::Json<serde_json::Value>) -> impl Responder {
    format!("{} sent {}", jwt.identity(), body.into_inner())
}

fn main() {
    let _app = App::new().service(jwt_above).service(jwt_below);
}
