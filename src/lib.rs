//! # actix-jwt-extended
//!
//! JWT authentication for [actix-web] with everything Python's [flask-jwt-extended]
//! offers, as attribute macros checked at compile time over a small runtime. Tokens,
//! cookies, error bodies and status codes are flask-jwt-extended 4.7.4's, so a service
//! can move from Flask (or run beside it) without its clients noticing.
//!
//! [actix-web]: https://docs.rs/actix-web
//! [flask-jwt-extended]: https://flask-jwt-extended.readthedocs.io
//!
//! ## Quick start
//!
//! ```no_run
//! use actix_jwt_extended::{Jwt, JwtConfig, JwtManager, jwt_required};
//! use actix_web::{App, HttpResponse, HttpServer, Responder, get, post, web};
//! use serde_json::json;
//!
//! #[post("/login")]
//! async fn login(manager: web::Data<JwtManager>) -> HttpResponse {
//!     // ... check the user's credentials first ...
//!     let token = manager.access_token("alice").build().expect("serializable identity");
//!     HttpResponse::Ok().json(json!({ "access_token": token }))
//! }
//!
//! #[get("/protected")]
//! #[jwt_required]
//! async fn protected(jwt: Jwt) -> impl Responder {
//!     web::Json(json!({ "logged_in_as": jwt.identity() }))
//! }
//!
//! #[actix_web::main]
//! async fn main() -> std::io::Result<()> {
//!     let config = JwtConfig {
//!         secret_key: Some(std::env::var("JWT_SECRET_KEY").expect("a secret")),
//!         ..JwtConfig::default()
//!     };
//!     // Every option is validated here: a bad configuration fails at start-up.
//!     let manager = web::Data::new(JwtManager::new(config).expect("valid configuration"));
//!     HttpServer::new(move || {
//!         App::new().app_data(manager.clone()).service(login).service(protected)
//!     })
//!     .bind(("127.0.0.1", 5000))?
//!     .run()
//!     .await
//! }
//! ```
//!
//! A request without a token gets flask's answer, `401 {"msg": "Missing Authorization
//! Header"}`; an expired one `401 {"msg": "Token has expired"}`; a forged one
//! `422 {"msg": "Signature verification failed"}`.
//!
//! ## Configuration
//!
//! [`JwtConfig`] has one field per flask option (`JWT_ACCESS_TOKEN_EXPIRES` is
//! [`JwtConfig::access_token_expires`], and so on), with flask's defaults.
//! [`JwtConfig::from_env`] reads flask's `JWT_*` variable names, so an existing
//! deployment keeps its settings. [`JwtManager::new`] validates the whole config and the
//! keys once and returns a [`ConfigError`] naming the option at fault, where flask would
//! answer the first request with an HTML 500.
//!
//! Algorithms: `HS256/384/512` with [`JwtConfig::secret_key`]; `RS256/384/512`,
//! `PS256/384/512`, `ES256`, `ES384` and `EdDSA` with PEM [`JwtConfig::private_key`] and
//! [`JwtConfig::public_key`]. The signing algorithm is always accepted for decoding;
//! [`JwtConfig::decode_algorithms`] may add others of the same key family.
//!
//! ### Crypto backend
//!
//! `HS*` always runs on HMAC states keyed once per manager. RS/PS/ES/EdDSA run on one
//! of two backends, chosen by cargo feature:
//!
//! - `aws-lc-rs` (default): aws-lc-rs, with the keys parsed once when the manager is
//!   built, so a request does no PEM or DER work. Building it needs a C compiler.
//!   RSA keys must have 2048 to 8192 bits.
//! - `rust-crypto`: jsonwebtoken's pure-Rust backend (RustCrypto), for targets without
//!   a C toolchain: `actix-jwt-extended = { version = "0.1", default-features = false,
//!   features = ["rust-crypto"] }`. Several times slower for RSA and ECDSA.
//!
//! With both on, `aws-lc-rs` is used; with neither, the build fails with a message
//! naming them. The manager also makes the chosen backend jsonwebtoken's process-wide
//! provider (used by the encode and decode key loaders); code that signs with
//! jsonwebtoken itself before any manager exists calls [`install_crypto_provider`].
//!
//! ## Protecting routes: `#[jwt_required]`
//!
//! Put `#[jwt_required]` on an `async fn` handler, above or below `#[get(..)]`. The
//! token is verified before any of the handler's extractors runs (so an unauthenticated
//! request never has its body parsed), and the handler runs only if it passes. Options,
//! as in flask's `jwt_required()`:
//!
//! | option | meaning |
//! | --- | --- |
//! | `optional` | a request without a token passes; take `Option<Jwt<..>>` |
//! | `fresh` | only a fresh access token passes |
//! | `refresh` | only a refresh token passes |
//! | `locations = "headers,cookies"` | where to look, in order (default: the config) |
//! | `verify_type = false` | accept access and refresh tokens alike |
//! | `skip_revocation_check` | do not ask the blocklist |
//!
//! A mistake in the options is a compile error: an unknown option (with the near miss
//! suggested), a duplicate, an unknown location, `fresh` with `refresh`, or a handler on
//! an `optional` route that takes `Jwt<..>` without `Option<..>`.
//!
//! ```
//! use actix_jwt_extended::{Jwt, jwt_required};
//! use actix_web::{Responder, get, post, web};
//!
//! #[get("/account")]
//! #[jwt_required(fresh, locations = "headers,cookies")]
//! async fn account(jwt: Jwt) -> impl Responder {
//!     format!("fresh token of {}", jwt.identity())
//! }
//!
//! #[post("/refresh")]
//! #[jwt_required(refresh)]
//! async fn refresh(jwt: Jwt, manager: web::Data<actix_jwt_extended::JwtManager>) -> String {
//!     manager.access_token(jwt.identity()).build().unwrap_or_default()
//! }
//!
//! #[get("/hello")]
//! #[jwt_required(optional)]
//! async fn hello(jwt: Option<Jwt>) -> String {
//!     match jwt {
//!         Some(jwt) => format!("hello {}", jwt.identity()),
//!         None => "hello stranger".to_owned(),
//!     }
//! }
//! ```
//!
//! `OPTIONS` requests pass without verification, as in flask.
//!
//! ## Reading the token: `Jwt<C>`
//!
//! [`Jwt<C>`] gives the identity ([`Jwt::identity`], flask's `get_jwt_identity()`), every
//! claim ([`Jwt::all_claims`], `get_jwt()`), the header ([`Jwt::header`],
//! `get_jwt_header()`), the location ([`Jwt::location`], `get_jwt_request_location()`),
//! `jti`, type and freshness; the location and the type serialize as flask's names, so
//! `json!({"where": jwt.location()})` answers `{"where": "headers"}`. `C` is a custom-claims type ([`Claims`]); `()` by default,
//! `serde_json::Value` for all claims untyped. Used on a route without the macro, `Jwt`
//! verifies the request itself with the default options.
//!
//! For conditional protection inside a handler, [`verify_jwt_in_request`] is flask's
//! function of the same name.
//!
//! ## Creating tokens
//!
//! [`JwtManager::access_token`] and [`JwtManager::refresh_token`] start a
//! [`TokenBuilder`]: `.fresh(true)`, `.fresh_for(window)`, `.expires_in(d)`,
//! `.never_expires()`, `.claims(&value)`, `.claim(name, value)`, `.header(name, value)`,
//! then `.build()`, which a handler returning `actix_web::Result` can end with `?` (a
//! token that cannot be made, say a failing callback, answers 500). Tokens have flask's exact layout (`fresh, iat, jti, type, sub, nbf,
//! csrf, [aud, iss], exp`), so flask-jwt-extended accepts them and the other way round.
//! [`JwtManager::decode_token`] is flask's `decode_token`.
//!
//! ## Token locations
//!
//! `headers` (`Authorization: Bearer <JWT>`, with flask's rules for several schemes),
//! `cookies` (with CSRF double submit for the configured methods), `query_string`
//! (`?jwt=<JWT>`) and `json` (`{"access_token": "<JWT>"}`, read once and handed on to the
//! handler's own `web::Json<T>`). Several locations are tried in order; only "not found"
//! moves on to the next one, and when none has a token the message is flask's combined
//! one.
//!
//! ## Cookies and CSRF
//!
//! With the `cookies` location, log in by setting the cookies and log out by unsetting
//! them; the `Set-Cookie` strings are flask's, attribute for attribute:
//!
//! ```
//! use actix_jwt_extended::JwtManager;
//! use actix_web::{HttpResponse, web};
//!
//! async fn login(manager: web::Data<JwtManager>) -> actix_web::Result<HttpResponse> {
//!     // ... check the credentials ...
//!     let access = manager.access_token("alice").build()?;
//!     let mut response = HttpResponse::Ok().json(serde_json::json!({ "login": true }));
//!     manager.set_access_cookies(&mut response, &access)?;
//!     Ok(response)
//! }
//!
//! async fn logout(manager: web::Data<JwtManager>) -> HttpResponse {
//!     let mut response = HttpResponse::Ok().json(serde_json::json!({ "logout": true }));
//!     manager.unset_jwt_cookies(&mut response);
//!     response
//! }
//! # let _ = actix_web::App::new()
//! #     .route("/login", web::post().to(login))
//! #     .route("/logout", web::post().to(logout));
//! ```
//!
//! The token cookie is `HttpOnly`; the CSRF cookie is readable by your JavaScript, which
//! sends its value in `X-CSRF-TOKEN` on `POST`, `PUT`, `PATCH` and `DELETE`. The header
//! is compared, in constant time, with the `csrf` claim *inside the signed token*, so a
//! planted CSRF cookie proves nothing. For production, set `cookie_secure = true`,
//! `cookie_samesite = Some(SameSite::Lax)` (or `Strict`) and consider the `__Host-`
//! name prefix (`access_cookie_name = "__Host-access_token"`, which requires `Secure`,
//! `Path=/` and no `Domain`); a release build logs a warning for each weak setting
//! ([`weak_settings`]).
//!
//! ## Callbacks, users and revocation
//!
//! [`JwtManager::builder`] registers flask's loaders: `user_identity_loader`,
//! `additional_claims_loader`, `additional_headers_loader`, `encode_key_loader`,
//! `decode_key_loader`, `token_verification_loader`, `user_lookup_loader` (async),
//! `token_in_blocklist_loader` (a `bool`, a future of one, or a fallible future), and
//! the error loaders (`expired_token_loader`,
//! `invalid_token_loader`, `unauthorized_loader`, `needs_fresh_token_loader`,
//! `revoked_token_loader`, `token_verification_failed_loader`,
//! `user_lookup_error_loader`). They run in flask's order, each only when its turn
//! comes: type → freshness → blocklist → custom verification → user lookup. A panic in
//! a callback answers 500 and the worker keeps serving.
//!
//! [`CurrentUser<U>`] is what the user lookup loaded (flask's `current_user`), loaded
//! once per request. A [`Blocklist`] store keeps revoked `jti`s until their tokens
//! expire: [`MemoryBlocklist`] in one process, `RedisBlocklist` (cargo feature `redis`)
//! across many, failing closed with 503 when Redis cannot be reached. A store and a
//! `token_in_blocklist_loader` may be registered together: a token is revoked when
//! either says so, and [`JwtManager::revoke`] writes to the store.
//! [`JwtManager::token_pair`] and [`JwtManager::revoke_login`] revoke the access and
//! refresh token of one login together on logout.
//!
//! ```
//! use actix_jwt_extended::{CurrentUser, Jwt, JwtConfig, JwtManager, MemoryBlocklist, jwt_required};
//! use actix_web::{get, post, web, HttpResponse};
//!
//! #[derive(Debug)]
//! struct User { name: String }
//!
//! #[get("/me")]
//! #[jwt_required]
//! async fn me(user: CurrentUser<User>) -> String {
//!     format!("hello {}", user.name)
//! }
//!
//! #[post("/logout")]
//! #[jwt_required(verify_type = false)]
//! async fn logout(jwt: Jwt, manager: web::Data<JwtManager>) -> actix_web::Result<HttpResponse> {
//!     manager.revoke_login(jwt.token()).await?;
//!     Ok(HttpResponse::Ok().json(serde_json::json!({ "msg": "logged out" })))
//! }
//!
//! # fn main() {
//! let manager = JwtManager::builder(JwtConfig {
//!     secret_key: Some("a secret of at least thirty-two bytes!".into()),
//!     ..JwtConfig::default()
//! })
//! .user_lookup_loader(|token| async move {
//!     // Look the user up in your database here.
//!     let name = token.identity_str().unwrap_or_default().to_owned();
//!     Ok::<_, std::convert::Infallible>(Some(User { name }))
//! })
//! .blocklist(MemoryBlocklist::new())
//! .build()
//! .expect("valid configuration");
//! let _app = actix_web::App::new()
//!     .app_data(web::Data::new(manager))
//!     .service(me)
//!     .service(logout);
//! # }
//! ```
//!
//! ## Errors
//!
//! Every refusal is an [`Error`] whose status and message are flask-jwt-extended's,
//! rendered as `{"msg": "..."}` (key configurable with
//! [`JwtConfig::error_message_key`]), or by your error loader. No input produces a 500.
//!
//! ## Security
//!
//! Verification follows the standards where flask-jwt-extended is lenient (RFC 8725):
//! duplicate JSON members, `crit`, JWE-only header parameters, out-of-range dates, an
//! `aud` nobody expects, tokens without `type` (or, while tokens expire, without `exp`)
//! are refused, and oversized tokens are refused before any decoding
//! ([`JwtConfig::max_token_size`]). `docs/security.md` in the repository lists each
//! rule with its id, the standard or CVE it comes from and the test that proves it (the
//! attack corpus in `tests/hostile/attacks.rs`); the README gives the messages. HMAC secrets
//! should be at least 32 random bytes.
//!
//! ## Typed claims: `#[claims]`
//!
//! flask-jwt-extended's custom claims are an untyped dict. Here a struct with
//! [`#[claims]`](claims) is a typed view of them: the token builder writes it
//! (`.claims(&value)`) and [`Jwt<C>`] reads it back, dereferencing to it. The macro
//! derives serde's traits through this crate (no serde dependency of your own needed;
//! `#[serde(..)]` attributes such as `rename`, `rename_all`, `default` and
//! `skip_serializing_if` keep working) and implements [`Claims`].
//!
//! ```
//! use actix_jwt_extended::{Jwt, JwtConfig, JwtManager, claims, jwt_required};
//! use actix_web::get;
//!
//! #[claims]
//! #[derive(Debug, Clone)]
//! struct Roles {
//!     role: String,
//!     tenant: u64,
//!     team: Option<String>, // may be absent from the token
//! }
//!
//! #[get("/tenant")]
//! #[jwt_required]
//! async fn tenant(jwt: Jwt<Roles>) -> String {
//!     format!("{} is {} of tenant {}", jwt.identity(), jwt.role, jwt.tenant)
//! }
//!
//! # let manager = JwtManager::new(JwtConfig {
//! #     secret_key: Some("a secret of at least thirty-two bytes!".into()),
//! #     ..JwtConfig::default()
//! # }).unwrap();
//! let roles = Roles { role: "admin".into(), tenant: 7, team: None };
//! let token = manager.access_token("alice").claims(&roles).build().unwrap();
//! # let _ = token;
//! ```
//!
//! Misuse is a compile error at the field or literal at fault: a field whose JSON name
//! (after `rename`/`rename_all`/`alias`) is a claim the library sets itself (`exp`,
//! `iat`, `nbf`, `jti`, `type`, `fresh`, `csrf`, `sub`, `iss`, `aud`, or the
//! `#[claims(identity_claim = "..")]` you configured), with the builder method or
//! option to use instead; two fields with one JSON name; a tuple or unit struct, an
//! enum or a union; an unknown option. `#[serde(flatten)]` is refused too, since the
//! names it adds cannot be checked: read such claims untyped with
//! [`Jwt::all_claims`] (or `Jwt<serde_json::Value>`).
//!
//! ```compile_fail
//! #[actix_jwt_extended::claims]
//! struct Session {
//!     exp: u64, // `exp` is a claim the library sets itself; set it with
//!               // `.expires_in(..)` or `.never_expires()` on the token builder
//! }
//! ```
//!
//! A token whose claims do not fit the struct is refused before the handler runs with
//! flask's status for an invalid token and a message naming the claim: `422
//! {"msg": "Missing claim: role"}`, or `Invalid claim: tenant (invalid type: string
//! "seven", expected u64)`. The typed view is read in one pass from the token's JSON
//! ([`deserialize_claims`]), which costs less than building the untyped claim map.
//!
//! A role check that many routes share is an extractor built on `Jwt<C>`, the
//! counterpart of flask's "custom decorators": see `examples/roles.rs`, whose `Admin`
//! parameter answers `403 {"msg": "Admins only!"}` to anyone else.
#![forbid(unsafe_code)]
#![doc(test(attr(deny(warnings))))]

#[doc(inline)]
pub use actix_jwt_extended_macros::{claims, jwt_required};
pub use actix_jwt_extended_runtime::*;

/// Items the macros' generated code refers to. Not public API: no semver guarantees.
#[doc(hidden)]
pub mod __private {
    pub use actix_jwt_extended_runtime::__private::*;
}
