//! Runtime of [actix-jwt-extended](https://docs.rs/actix-jwt-extended): configuration,
//! token creation and verification with flask-jwt-extended's semantics, and the
//! actix-web extractors. Use it through the `actix-jwt-extended` facade, whose crate
//! documentation is the user guide.
//!
//! The modules follow a request's path: the `Gate` that `#[jwt_required]` adds
//! (`gate`, with the route's `options`) runs the `pipeline`, which finds the token in the
//! request (`locations`), decodes and verifies it (`decode`, with `keys` and
//! `csrf`), asks the blocklist (`revocation`, `blocklist`), and stores the outcome for
//! the extractors (`extract`, `claims`). A refusal becomes a response in `response`.
//! Beside the path: `encode` makes tokens, `set_cookies` writes them as
//! cookies, `config` and `manager` hold the setup, `callbacks` the registered loaders.
#![forbid(unsafe_code)]

#[cfg(not(any(feature = "aws-lc-rs", feature = "rust-crypto")))]
compile_error!(
    "actix-jwt-extended needs a signature backend: enable its `aws-lc-rs` feature (the \
     default) or, for a pure-Rust build, `rust-crypto`"
);

pub mod blocklist;
mod callbacks;
mod claims;
mod config;
mod csrf;
mod decode;
mod encode;
mod error;
mod extract;
mod extractor_check;
mod gate;
mod keys;
mod locations;
mod manager;
mod options;
mod pipeline;
mod response;
mod revocation;
mod set_cookies;
mod time;
mod token;

#[cfg(feature = "redis")]
pub use blocklist::RedisBlocklist;
pub use blocklist::{Blocklist, BlocklistAnswer, BlocklistError, MemoryBlocklist};
pub use claims::{Claims, deserialize_claims};
pub use config::{Algorithm, ConfigError, Expiry, JwtConfig, Location, OneOrMany, SameSite};
pub use encode::{Access, EncodeError, Refresh, TokenBuilder, TokenKind};
pub use error::{Error, ErrorKind};
pub use extract::{CurrentUser, Jwt};
pub use keys::install_crypto_provider;
pub use manager::{JwtManager, JwtManagerBuilder, TokenPair, weak_settings};
pub use options::VerifyOptions;
pub use pipeline::verify_jwt_in_request;
pub use response::json_message;
pub use set_cookies::{CookieOptions, PERSISTENT_COOKIE_MAX_AGE, SetCookieTarget};
pub use token::{DecodedToken, Freshness, TokenType};

/// Items the macros' generated code refers to, through the facade. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use actix_web::{Error, HttpRequest, HttpResponse, web::Payload};
    /// `#[claims]` derives serde's traits through this path (`#[serde(crate = ..)]`), so
    /// users need no serde dependency of their own.
    pub use serde;

    pub use crate::extractor_check::{Extractor, extractor};
    pub use crate::{
        claims::{Claims, deserialize_claims, deserialize_custom_claims},
        config::Location,
        error::Error as JwtError,
        gate::{After, AfterFuture, Gate},
        options::{VerifyOptions, spec},
        token::DecodedToken,
    };
}
