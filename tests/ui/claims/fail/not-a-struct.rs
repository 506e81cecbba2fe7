use actix_jwt_extended::claims;

#[claims]
fn roles() -> String {
    "admin".to_owned()
}

fn main() {}
