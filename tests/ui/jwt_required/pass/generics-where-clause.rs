//! Generic handlers keep their parameters and where-clause, and are registered by
//! naming the type (`greet::<English>`).
#![deny(warnings)]

use actix_jwt_extended::{Jwt, jwt_required};
use actix_web::{App, Responder, web};
use serde::{Serialize, de::DeserializeOwned};

trait Greeting {
    const WORD: &'static str;
}

struct English;

impl Greeting for English {
    const WORD: &'static str = "hello";
}

#[jwt_required]
async fn greet<G>(jwt: Jwt, name: web::Path<String>) -> String
where
    G: Greeting,
{
    format!("{} {}, from {}", G::WORD, name, jwt.identity())
}

#[jwt_required(optional)]
async fn echo<'a, T, const LIMIT: usize>(jwt: Option<Jwt>, body: web::Json<T>) -> impl Responder
where
    T: DeserializeOwned + Serialize,
{
    let _ = jwt.is_some() && LIMIT > 0;
    body
}

fn main() {
    let _app = App::new()
        .service(web::resource("/greet/{name}").to(greet::<English>))
        .service(web::resource("/echo").post(echo::<serde_json::Value, 16>));
}
