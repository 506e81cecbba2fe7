//! A parameter that is not an extractor is reported first at its type, by the check
//! the macro emits, then by actix-web at `#[get]` as without the macro.
use actix_jwt_extended::{Jwt, jwt_required};
use actix_web::{HttpResponse, get};

struct NotAnExtractor;

#[get("/")]
#[jwt_required]
async fn handler(_jwt: Jwt, _other: NotAnExtractor) -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = handler;
}
