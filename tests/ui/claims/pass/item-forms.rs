//! `#[claims]` above or below `#[derive]`, with docs, visibility, generics, a
//! where-clause, a raw field name, inside a function and by path.
#![deny(warnings, missing_docs)]

use actix_jwt_extended::{Claims, Jwt, claims};

/// Claims, documented.
#[claims]
#[derive(Debug, Clone, PartialEq)]
pub struct Above {
    /// A role.
    pub role: String,
}

/// Claims, documented.
#[derive(Debug, Clone, PartialEq)]
#[claims]
pub struct Below {
    /// A role.
    pub role: String,
}

/// Generic claims.
#[actix_jwt_extended::claims]
pub(crate) struct Tenant<T>
where
    T: Clone,
{
    pub(crate) tenant: T,
    pub(crate) r#match: String,
}

fn needs_claims<C: Claims>() {}

fn main() {
    #[claims]
    struct Local {
        inner: Option<u8>,
    }

    needs_claims::<Above>();
    needs_claims::<Below>();
    needs_claims::<Tenant<String>>();
    needs_claims::<Local>();
    let _ = |jwt: Jwt<Local>| jwt.inner;
}
