use actix_jwt_extended::claims;

#[claims]
union Roles {
    role: u32,
    level: f32,
}

fn main() {}
