use actix_jwt_extended::jwt_required;

#[jwt_required]
fn handler() -> &'static str {
    "hello"
}

fn main() {}
