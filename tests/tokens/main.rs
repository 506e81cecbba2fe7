//! Test binary `tokens`: configuration, creating and decoding tokens, every signing
//! algorithm, and interoperability with tokens minted by flask-jwt-extended itself.

#[path = "../support/mod.rs"]
mod support;

mod asymmetric_crypto;
mod config;
mod decode_tokens;
mod flask_interop;
