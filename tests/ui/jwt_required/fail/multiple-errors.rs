use actix_jwt_extended::{Jwt, jwt_required};

// Every mistake of an attribute and its handler is reported in one build.
#[jwt_required(optional, frsh, locations = "headers,header", refresh, fresh)]
fn handler(jwt: Jwt) -> String {
    jwt.identity().to_string()
}

fn main() {}
