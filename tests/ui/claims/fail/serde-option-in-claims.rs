use actix_jwt_extended::claims;

#[claims(rename_all = "camelCase")]
struct Roles {
    tenant_id: u64,
}

fn main() {}
