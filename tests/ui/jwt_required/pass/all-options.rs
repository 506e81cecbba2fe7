//! Every option, alone and together.
#![deny(warnings)]

use actix_jwt_extended::{Jwt, jwt_required};
use actix_web::{App, Responder, get, post, web};

#[get("/everything")]
#[jwt_required(
    optional,
    skip_revocation_check,
    verify_type = false,
    locations = " headers, cookies ,query_string,json "
)]
async fn everything(jwt: Option<Jwt>) -> impl Responder {
    jwt.map(|jwt| jwt.identity().to_string())
        .unwrap_or_default()
}

#[get("/fresh")]
#[jwt_required(fresh, verify_type = true)]
async fn fresh(jwt: Jwt) -> impl Responder {
    jwt.identity().to_string()
}

#[post("/refresh")]
#[jwt_required(refresh, locations = "cookies")]
async fn refresh(jwt: Jwt, _body: web::Bytes) -> impl Responder {
    jwt.identity().to_string()
}

#[get("/optional")]
#[jwt_required(optional)]
async fn optional(jwt: Option<Jwt>) -> impl Responder {
    jwt.is_some().to_string()
}

fn main() {
    let _app = App::new()
        .service(everything)
        .service(fresh)
        .service(refresh)
        .service(optional);
}
