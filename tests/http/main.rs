//! Test binary `http`: the token locations (headers, cookies with CSRF, query string,
//! JSON body, several at once) and the route macros over HTTP, one module per behaviour
//! (`cargo test --test http cookies::` runs one module).

#[path = "../support/mod.rs"]
mod support;

mod cookies;
mod headers;
mod json;
mod multiple_token_locations;
mod non_protected_contexts;
mod optional_endpoint;
mod options_method;
mod query_string;
mod short_forms;
mod typed_claims;
mod verification_order;
mod view_decorators;
