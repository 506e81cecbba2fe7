use actix_jwt_extended::{CurrentUser, jwt_required};

struct User;

#[jwt_required(optional)]
async fn handler(_user: CurrentUser<User>) -> &'static str {
    "hello"
}

fn main() {}
