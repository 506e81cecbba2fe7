//! Claims that borrow cannot be read from a token: the error is at the lifetime, and
//! the handler that takes them adds none of its own.
use actix_jwt_extended::{Jwt, claims, jwt_required};
use actix_web::get;

#[claims]
struct Extra<'a> {
    role: &'a str,
}

#[get("/")]
#[jwt_required]
async fn handler(jwt: Jwt<Extra<'static>>) -> String {
    jwt.role.to_owned()
}

fn main() {
    let _ = handler;
}
