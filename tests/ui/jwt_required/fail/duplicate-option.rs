use actix_jwt_extended::jwt_required;

#[jwt_required(fresh, skip_revocation_check, fresh)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
