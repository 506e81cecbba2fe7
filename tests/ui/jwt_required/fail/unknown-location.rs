use actix_jwt_extended::jwt_required;

#[jwt_required(locations = "headers, query")]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
