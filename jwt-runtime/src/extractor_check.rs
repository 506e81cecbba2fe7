//! The check `#[jwt_required]` emits for every handler parameter.
//!
//! A parameter that is not an extractor otherwise surfaces as one error at actix-web's
//! `#[get(..)]` about the whole tuple of extractors (the gate included), which never
//! names the parameter. The macro emits `let _ = extractor::<T>;` spanned at each
//! parameter's type, inside the handler's body where its generics are in scope, so
//! the first error points at the type and says what it lacks. Naming the function
//! without calling it costs nothing at run time.

use actix_web::FromRequest;

/// A type actix-web can extract a handler argument as: one that implements
/// [`FromRequest`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an extractor: every parameter of a handler must implement actix-web's `FromRequest`",
    label = "not an extractor",
    note = "take it through an extractor such as `web::Data<{Self}>` or `web::Json<{Self}>`, or implement `FromRequest` for it"
)]
pub trait Extractor {}

impl<T: FromRequest> Extractor for T {}

/// Compiles only when `T` is an extractor; never called.
pub const fn extractor<T: Extractor>() {}
