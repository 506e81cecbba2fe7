use actix_jwt_extended::jwt_required;

// flask-jwt-extended's `locations=["headers", "cookies"]`.
#[jwt_required(locations = ["headers", "cookies"])]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
