use actix_jwt_extended::{Jwt, jwt_required};
use actix_web::{Responder, get};

#[get("/")]
#[jwt_required(optional)]
async fn handler(jwt: Jwt) -> impl Responder {
    jwt.identity().to_string()
}

fn main() {}
