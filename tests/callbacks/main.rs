//! Test binary `callbacks`: every loader of `JwtManagerBuilder` over HTTP (claims, headers,
//! keys, claims verification, user lookup, error loaders) and the blocklist with its
//! in-memory store.

#[path = "../support/mod.rs"]
mod support;

mod additional_claims_loader;
mod blocklist;
mod claims_verification;
mod error_loaders;
mod jwt_header_loader;
mod user_lookup;
