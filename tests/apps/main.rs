//! Test binary `apps`: whole example apps end to end, the SQLite + argon2 auth flow over
//! HTTP and on a real socket, and the SPA example in headless Chromium.

#[path = "../support/mod.rs"]
mod support;

mod browser_spa;
mod full_auth_flow;
