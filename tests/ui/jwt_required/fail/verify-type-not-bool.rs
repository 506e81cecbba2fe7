use actix_jwt_extended::jwt_required;

// flask-jwt-extended's `verify_type=False`.
#[jwt_required(verify_type = False)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
