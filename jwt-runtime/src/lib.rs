//! Runtime of [actix-jwt-extended](https://docs.rs/actix-jwt-extended): configuration,
//! token creation and verification with flask-jwt-extended's semantics, and the
//! actix-web extractors. Use it through the `actix-jwt-extended` facade, whose crate
//! documentation is the user guide.
#![forbid(unsafe_code)]

pub mod blocklist;
mod callbacks;
pub mod config;
mod cookies;
pub mod error;
mod extract;
mod extractor_check;
mod keys;
mod locations;
mod manager;
pub mod response;
mod route;
mod time;
pub mod token;
mod verify;

pub use blocklist::{Blocklist, BlocklistError, MemoryBlocklist};
pub use config::{Algorithm, Expiry, JwtConfig, Location, OneOrMany, SameSite};
pub use cookies::{CookieOptions, PERSISTENT_COOKIE_MAX_AGE, SetCookieTarget};
pub use error::{ConfigError, Error, ErrorKind};
pub use extract::{Claims, CurrentUser, Jwt, deserialize_claims};
pub use manager::{JwtManager, JwtManagerBuilder, TokenPair, weak_settings};
pub use token::{
    DecodedToken, Freshness, TokenType,
    encode::{EncodeError, TokenBuilder},
};
pub use verify::{VerifyOptions, verify_jwt_in_request};

/// Items the macros' generated code refers to, through the facade. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use actix_web::{Error, HttpRequest, HttpResponse, web::Payload};
    /// `#[claims]` derives serde's traits through this path (`#[serde(crate = ..)]`), so
    /// users need no serde dependency of their own.
    pub use serde;

    pub use crate::extractor_check::{Extractor, extractor};
    pub use crate::{
        config::Location,
        error::Error as JwtError,
        extract::{Claims, deserialize_claims, deserialize_custom_claims},
        route::{After, AfterFuture, Gate, RouteOptions, spec},
        token::DecodedToken,
    };
}
