//! A trait method declaration has no body to protect.
use actix_jwt_extended::jwt_required;

trait Handlers {
    #[jwt_required]
    async fn handler() -> String;
}

fn main() {}
