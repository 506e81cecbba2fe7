use actix_jwt_extended::jwt_required;

#[jwt_required(admin_only)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
