//! Doc comments, lint attributes and visibility survive the expansion.
#![deny(warnings, missing_docs)]

use actix_jwt_extended::{Jwt, jwt_required};
use actix_web::{App, Responder, get};

/// Routes of the API.
pub mod api {
    use super::*;

    /// Shows the caller's identity.
    ///
    /// Needs a fresh token.
    #[get("/me")]
    #[jwt_required(fresh)]
    #[allow(unused_variables, non_snake_case)]
    pub(crate) async fn me(jwt: Jwt, Unused: actix_web::HttpRequest) -> impl Responder {
        #![allow(clippy::needless_return)]
        return jwt.identity().to_string();
    }

    /// A public handler, documented.
    #[jwt_required]
    pub async fn public(jwt: Jwt) -> impl Responder {
        jwt.identity().to_string()
    }
}

fn main() {
    let _app = App::new()
        .service(api::me)
        .route("/public", actix_web::web::get().to(api::public));
}
