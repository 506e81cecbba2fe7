//! The callbacks ("loaders") of flask-jwt-extended, stored type-erased on
//! the manager.
//!
//! Sync callbacks are `Fn + Send + Sync`; the async ones (user lookup, blocklist) return
//! futures that may be `!Send`, as actix-web handlers may. A panic inside any callback
//! is caught and becomes a 500 with a log line, never a dead worker.

use std::{
    any::Any,
    fmt,
    future::Future,
    panic::{AssertUnwindSafe, catch_unwind},
    rc::Rc,
    sync::Arc,
};

use actix_web::HttpResponse;
use futures_util::{FutureExt, future::LocalBoxFuture};
use jsonwebtoken::{DecodingKey, EncodingKey};
use serde_json::{Map, Value};

use crate::{
    error::Error,
    token::{DecodedToken, fields::Fields},
};

pub(crate) type ValueMapper = Arc<dyn Fn(&Value) -> Value + Send + Sync>;
pub(crate) type ObjectLoader = Arc<dyn Fn(&Value) -> Result<Fields, String> + Send + Sync>;
pub(crate) type EncodeKeyLoader = Arc<dyn Fn(&Value) -> Option<EncodingKey> + Send + Sync>;
pub(crate) type DecodeKeyLoader =
    Arc<dyn Fn(&Map<String, Value>, &Map<String, Value>) -> Option<DecodingKey> + Send + Sync>;
pub(crate) type TokenCheck = Arc<dyn Fn(&DecodedToken) -> bool + Send + Sync>;
pub(crate) type UserLookup = Arc<
    dyn Fn(Arc<DecodedToken>) -> LocalBoxFuture<'static, Result<Option<Rc<dyn Any>>, String>>
        + Send
        + Sync,
>;
pub(crate) type TokenResponse = Arc<dyn Fn(&DecodedToken) -> HttpResponse + Send + Sync>;
pub(crate) type MessageResponse = Arc<dyn Fn(&str) -> HttpResponse + Send + Sync>;

/// Every registered callback; `None` means flask's default behaviour.
#[derive(Clone, Default)]
pub(crate) struct Callbacks {
    pub(crate) user_identity: Option<ValueMapper>,
    pub(crate) additional_claims: Option<ObjectLoader>,
    pub(crate) additional_headers: Option<ObjectLoader>,
    pub(crate) encode_key: Option<EncodeKeyLoader>,
    pub(crate) decode_key: Option<DecodeKeyLoader>,
    pub(crate) token_verification: Option<TokenCheck>,
    pub(crate) user_lookup: Option<UserLookup>,
    /// The type name user lookup returns, for the error when `CurrentUser<U>` differs.
    pub(crate) user_type: Option<&'static str>,
    pub(crate) expired_token: Option<TokenResponse>,
    pub(crate) invalid_token: Option<MessageResponse>,
    pub(crate) unauthorized: Option<MessageResponse>,
    pub(crate) needs_fresh_token: Option<TokenResponse>,
    pub(crate) revoked_token: Option<TokenResponse>,
    pub(crate) token_verification_failed: Option<TokenResponse>,
    pub(crate) user_lookup_error: Option<TokenResponse>,
}

impl fmt::Debug for Callbacks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let registered: Vec<&str> = [
            ("user_identity_loader", self.user_identity.is_some()),
            ("additional_claims_loader", self.additional_claims.is_some()),
            (
                "additional_headers_loader",
                self.additional_headers.is_some(),
            ),
            ("encode_key_loader", self.encode_key.is_some()),
            ("decode_key_loader", self.decode_key.is_some()),
            (
                "token_verification_loader",
                self.token_verification.is_some(),
            ),
            ("user_lookup_loader", self.user_lookup.is_some()),
            ("expired_token_loader", self.expired_token.is_some()),
            ("invalid_token_loader", self.invalid_token.is_some()),
            ("unauthorized_loader", self.unauthorized.is_some()),
            ("needs_fresh_token_loader", self.needs_fresh_token.is_some()),
            ("revoked_token_loader", self.revoked_token.is_some()),
            (
                "token_verification_failed_loader",
                self.token_verification_failed.is_some(),
            ),
            ("user_lookup_error_loader", self.user_lookup_error.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect();
        f.debug_struct("Callbacks")
            .field("registered", &registered)
            .finish()
    }
}

/// Runs a sync callback, turning a panic into an internal error naming it.
pub(crate) fn guard<T>(name: &str, call: impl FnOnce() -> T) -> Result<T, Error> {
    catch_unwind(AssertUnwindSafe(call)).map_err(|panic| {
        Error::internal(format!(
            "the {name} callback panicked: {}",
            panic_text(&panic)
        ))
    })
}

/// Awaits an async callback, turning a panic into an internal error naming it.
pub(crate) async fn guard_async<T>(
    name: &str,
    future: impl Future<Output = T>,
) -> Result<T, Error> {
    AssertUnwindSafe(future)
        .catch_unwind()
        .await
        .map_err(|panic| {
            Error::internal(format!(
                "the {name} callback panicked: {}",
                panic_text(&panic)
            ))
        })
}

fn panic_text(panic: &Box<dyn Any + Send>) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
