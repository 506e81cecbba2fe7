//! `Option<Jwt>` on a route that is not `optional` would always be `Some`.
use actix_jwt_extended::{Jwt, jwt_required};
use actix_web::{Responder, get};

#[get("/")]
#[jwt_required]
async fn handler(jwt: Option<Jwt>) -> impl Responder {
    jwt.map(|jwt| jwt.identity().to_string()).unwrap_or_default()
}

fn main() {}
