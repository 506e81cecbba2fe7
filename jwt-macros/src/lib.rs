//! Procedural macros of [actix-jwt-extended](https://docs.rs/actix-jwt-extended).
//!
//! Do not depend on this crate directly: use the macros through `actix-jwt-extended`,
//! which re-exports them together with the runtime their generated code calls.
//!
//! Every macro reports all mistakes of one invocation in a single build, each at the
//! token it is about, and on error emits the annotated item unchanged, so the only
//! errors are its own.
//!
//! Layout: the two macros are sibling modules with the same passes, one file each:
//! `args` parses the attribute's own options (each keeps its span), `ast` is the item
//! as the macro sees it, `valid` holds the rules between options and item, `expand`
//! generates code. `claims` also has `serde_attrs`, the reader of the struct's serde
//! attributes. Shared by both: `fallback` (the error collector and what to emit on
//! error), `value` (the syntax after an option's key), `suggest` (near misses) and
//! `debug` (printing expansions).
#![forbid(unsafe_code)]

mod claims;
mod debug;
mod fallback;
mod jwt_required;
mod suggest;
mod value;

use proc_macro::TokenStream;

/// Protects an actix-web handler with a JWT, like flask-jwt-extended's
/// `@jwt_required()`.
///
/// Before any of the handler's extractors runs (so before a body is read), the request
/// must carry a valid token: otherwise it is answered with the error response of the
/// `JwtManager` (`401 {"msg": "Missing Authorization Header"}` and the like) and the
/// handler is not called. `OPTIONS` requests pass without a token, as in flask.
///
/// The handler must be an `async fn` without `self`. It works above or below actix's
/// routing attributes (`#[get("/")]` …), and keeps its name, visibility, generics,
/// where-clause, doc comments and other attributes. A generic handler has to state
/// the bounds its extractors need (`T: DeserializeOwned` for `web::Json<T>`) in its own
/// signature, since every parameter is checked to be an extractor in the handler
/// itself.
///
/// # Options
///
/// All are optional; write them comma separated, in any order, each at most once.
///
/// | Option | Meaning | flask-jwt-extended |
/// |---|---|---|
/// | `optional` | A request without a token passes; a request with an invalid token still fails. Token extractors must then be `Option<Jwt<..>>`, `Option<CurrentUser<..>>`. | `optional=True` |
/// | `fresh` | Only a fresh access token passes. | `fresh=True` |
/// | `refresh` | Only a refresh token passes (read from the refresh cookie, CSRF header and JSON key). Cannot be combined with `fresh`. | `refresh=True` |
/// | `locations = "headers,cookies"` | Where to look for the token, in this order: a comma-separated list of `headers`, `cookies`, `query_string` and `json`. Without it, the locations configured on the `JwtManager` are used. | `locations=["headers", "cookies"]` |
/// | `verify_type = false` | Accept access and refresh tokens alike. `verify_type = true` is the default. | `verify_type=False` |
/// | `skip_revocation_check` | Do not ask the blocklist about this token. | `skip_revocation_check=True` |
///
/// Unknown or repeated options, values of the wrong kind, unknown or repeated
/// locations, `fresh` with `refresh`, a bare `Jwt<..>` or `CurrentUser<..>` parameter
/// on an `optional` route, an `Option<Jwt<..>>` or `Option<CurrentUser<..>>` one on a
/// route that is not `optional` (it would always be `Some`), and the attribute on a
/// function declared without a body are compile errors. A parameter that is not an
/// extractor is reported at its type: "`T` is not an extractor: every parameter of a
/// handler must implement actix-web's `FromRequest`".
///
/// # Example
///
/// ```ignore
/// use actix_jwt_extended::{CurrentUser, Jwt, jwt_required};
/// use actix_web::{Responder, get, post, web};
///
/// #[get("/admin")]
/// #[jwt_required(fresh, locations = "headers,cookies")]
/// async fn admin(jwt: Jwt<Roles>, user: CurrentUser<User>) -> impl Responder {
///     format!("hello {}, {}", user.name, jwt.claims().role)
/// }
///
/// #[post("/comment")]
/// #[jwt_required(optional)]
/// async fn comment(jwt: Option<Jwt>, body: web::Json<Comment>) -> impl Responder {
///     match jwt {
///         Some(jwt) => format!("comment by {}", jwt.identity()),
///         None => "anonymous comment".to_owned(),
///     }
/// }
/// ```
///
/// # Equivalent code without the macro
///
/// The handler stays the function actix-web registers, with its name, visibility,
/// generics, attributes and body as written. A first parameter is added, a gate whose
/// extractor verifies the token with the route's options, and every parameter is
/// wrapped in `After`, whose extractor creates yours only once verification has
/// passed: no body is read and no other extractor's error can answer first. The body
/// starts by naming `extractor::<T>` for every parameter type `T`, which compiles only
/// for extractors, so a parameter that is not one is reported at its type. For `admin`
/// above it is, in substance (the runtime items live in the facade's hidden `__private`
/// module, not public API):
///
/// ```ignore
/// use actix_jwt_extended::__private::{After, Gate, Location, VerifyOptions, extractor, spec};
///
/// #[get("/admin")]
/// async fn admin(
///     _: Gate<{
///         spec(&VerifyOptions {
///             optional: false,
///             fresh: true,
///             refresh: false,
///             verify_type: true,
///             skip_revocation_check: false,
///             locations: &[Location::Headers, Location::Cookies],
///         })
///     }>,
///     After(jwt): After<Jwt<Roles>>,
///     After(user): After<CurrentUser<User>>,
/// ) -> impl Responder {
///     let _ = extractor::<Jwt<Roles>>;
///     let _ = extractor::<CurrentUser<User>>;
///     format!("hello {}, {}", user.name, jwt.claims().role)
/// }
/// ```
///
/// When nothing in the verification awaits (no blocklist, no user lookup, no token in
/// the body), the gate verifies as actix-web creates the extractors and costs no
/// allocation; otherwise it keeps the body until verification has passed. Because the
/// handler is not wrapped in another function, it compiles about as fast as a handler
/// without the macro.
///
/// Set the environment variable `ACTIX_JWT_EXTENDED_MACROS_DEBUG` while building to
/// print every expansion to stderr.
#[proc_macro_attribute]
pub fn jwt_required(args: TokenStream, item: TokenStream) -> TokenStream {
    jwt_required::jwt_required(args.into(), item.into()).into()
}

/// Makes a struct a typed view of a token's custom claims: it can be put into tokens
/// (`.claims(&value)` on the token builder) and read from them (`Jwt<Name>`).
///
/// The struct gets serde's `Serialize` and `Deserialize`, derived through
/// `actix-jwt-extended` so no serde dependency of your own is needed, and an impl of
/// `actix_jwt_extended::Claims` that deserializes it from the verified token. Put
/// `#[claims]` above any `#[serde(..)]` attribute (serde's attribute exists only once
/// the derive is there); every serde attribute keeps working: `rename`, `rename_all`,
/// `alias`, `default`, `skip`, `skip_serializing_if`, `with` and so on. An `Option<T>`
/// field may be absent from the token.
///
/// A token whose claims do not fit the struct is refused with flask's status for an
/// invalid token, `422`, and a message naming the claim: `{"msg": "Missing claim: role"}`,
/// or `Invalid claim: tenant (invalid type: string "seven", expected u64)`.
///
/// # Compile-time checks
///
/// Each of these is a compile error pointing at the field name or string literal at
/// fault, all of them in one build:
///
/// - a field whose serialized name (after `rename`, `rename_all` or `alias`) is a claim
///   the library sets itself: `exp`, `iat`, `nbf`, `jti`, `type`, `fresh`, `csrf`,
///   `sub`, `iss`, `aud`, or the `identity_claim` option's value. The message says what
///   to use instead, such as `.expires_in(..)` on the token builder for `exp`;
/// - two fields with the same serialized name (or one that is the `tag`'s);
/// - `#[serde(flatten)]`, whose claim names cannot be checked (read such claims untyped
///   with `Jwt::all_claims`), `#[serde(transparent)]` and
///   `#[serde(deny_unknown_fields)]` (every token carries claims besides yours);
/// - a `Serialize` or `Deserialize` of your own in `#[derive(..)]`;
/// - a tuple or unit struct, an enum or a union;
/// - a lifetime parameter (`struct Extra<'a> { role: &'a str }`): claims are read
///   from a token that does not outlive the request, so they own their data (`String`,
///   not `&'a str`); type parameters are fine;
/// - an unknown option in `#[claims(..)]` (a near miss is suggested).
///
/// # Options
///
/// | Option | Meaning |
/// |---|---|
/// | `identity_claim = "user_id"` | The identity claim the `JwtManager` is configured with (`JwtConfig::identity_claim`), so that a field of that name is rejected too. `sub` is always rejected. |
///
/// # Example
///
/// ```ignore
/// use actix_jwt_extended::{Jwt, JwtManager, claims, jwt_required};
/// use actix_web::{get, web};
///
/// #[claims]
/// #[derive(Debug, Clone)]
/// #[serde(rename_all = "camelCase")]
/// struct Roles {
///     role: String,
///     tenant_id: u64,                   // the claim `tenantId`
///     #[serde(default, skip_serializing_if = "Vec::is_empty")]
///     scopes: Vec<String>,
///     team: Option<String>,             // may be absent
/// }
///
/// fn issue(manager: &JwtManager) -> String {
///     let roles = Roles { role: "admin".into(), tenant_id: 7, scopes: vec![], team: None };
///     manager.access_token("alice").claims(&roles).build().expect("serializable")
/// }
///
/// #[get("/tenant")]
/// #[jwt_required]
/// async fn tenant(jwt: Jwt<Roles>) -> String {
///     format!("{} of tenant {}", jwt.role, jwt.tenant_id) // `Jwt<C>` derefs to `C`
/// }
/// ```
///
/// ```ignore
/// #[claims]
/// struct Session {
///     exp: u64, // error: `exp` is a claim the library sets itself; set it with
///               // `.expires_in(..)` or `.never_expires()` on the token builder
/// }
/// ```
///
/// # Equivalent code without the macro
///
/// ```ignore
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Roles { role: String }
///
/// impl actix_jwt_extended::Claims for Roles {
///     fn from_token(
///         token: &actix_jwt_extended::DecodedToken,
///     ) -> Result<Self, actix_jwt_extended::Error> {
///         actix_jwt_extended::deserialize_claims(token)
///     }
/// }
/// ```
#[proc_macro_attribute]
pub fn claims(args: TokenStream, item: TokenStream) -> TokenStream {
    claims::claims(args.into(), item.into()).into()
}
