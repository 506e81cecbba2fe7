//! actix-jwt-extended (user guide is written in the crate docs below).
#![forbid(unsafe_code)]

#[doc(inline)]
pub use actix_jwt_extended_macros::jwt_required;
pub use actix_jwt_extended_runtime::*;

/// Items the macros' generated code refers to. Not public API: no semver guarantees.
#[doc(hidden)]
pub mod __private {
    pub use actix_jwt_extended_runtime::__private::*;
}
