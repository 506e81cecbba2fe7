use actix_jwt_extended::jwt_required;

// The check is on the type's name, so a stand-in for the runtime's extractor will do.
struct CurrentUser<U>(U);

struct User;

#[jwt_required(optional)]
async fn handler(_user: CurrentUser<User>) -> &'static str {
    "hello"
}

fn main() {}
