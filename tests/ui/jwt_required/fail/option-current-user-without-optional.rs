//! `Option<CurrentUser<U>>` on a route that is not `optional` would always be `Some`.
use actix_jwt_extended::{CurrentUser, jwt_required};
use actix_web::{Responder, get};

struct User {
    name: String,
}

#[get("/")]
#[jwt_required(fresh)]
async fn handler(user: std::option::Option<CurrentUser<User>>) -> impl Responder {
    user.map(|user| user.name.clone()).unwrap_or_default()
}

fn main() {}
