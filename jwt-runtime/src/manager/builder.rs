//! [`JwtManagerBuilder`]: flask's `@jwt.*_loader` decorators, as builder methods.

use std::{any::Any, fmt, future::Future, rc::Rc, sync::Arc};

use actix_web::HttpResponse;
use jsonwebtoken::{DecodingKey, EncodingKey};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{JwtManager, weak_settings};
use crate::{
    blocklist::{Blocklist, BlocklistAnswer},
    callbacks::{Callbacks, ObjectLoader},
    config::{ConfigError, JwtConfig},
    revocation::Revocation,
    token::{DecodedToken, fields::Fields},
};

/// Registers flask-jwt-extended's callbacks, then builds the [`JwtManager`].
///
/// Each method is one of flask's `@jwt.*_loader` decorators; registering one twice
/// keeps the last, as flask does.
///
/// ```
/// use actix_jwt_extended::{JwtConfig, JwtManager, MemoryBlocklist};
/// use actix_web::HttpResponse;
/// use serde_json::json;
///
/// let manager = JwtManager::builder(JwtConfig {
///     secret_key: Some("a secret of at least thirty-two bytes!".into()),
///     ..JwtConfig::default()
/// })
/// .additional_claims_loader(|identity| json!({ "greeting": format!("hi {identity}") }))
/// .blocklist(MemoryBlocklist::new())
/// .expired_token_loader(|_token| {
///     HttpResponse::Unauthorized().json(json!({ "error": "token_expired" }))
/// })
/// .build()
/// .expect("valid configuration");
/// # let _ = manager;
/// ```
#[must_use = "call `.build()` to make the manager"]
pub struct JwtManagerBuilder {
    config: JwtConfig,
    callbacks: Callbacks,
    revocation: Revocation,
}

impl fmt::Debug for JwtManagerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtManagerBuilder")
            .field("config", &self.config)
            .field("callbacks", &self.callbacks)
            .field("revocation", &self.revocation)
            .finish()
    }
}

fn object_loader<T: Serialize>(
    what: &'static str,
    loader: impl Fn(&Value) -> T + Send + Sync + 'static,
) -> ObjectLoader {
    Arc::new(move |identity| {
        Fields::from_serialize(&loader(identity))
            .map_err(|error| format!("{what} must return a JSON object: {error}"))
    })
}

impl JwtManagerBuilder {
    pub(super) fn new(config: JwtConfig) -> Self {
        JwtManagerBuilder {
            config,
            callbacks: Callbacks::default(),
            revocation: Revocation::default(),
        }
    }

    /// flask's `user_identity_loader`: maps the identity given to `access_token` /
    /// `refresh_token` (serialized to JSON) to the value stored in the identity claim.
    pub fn user_identity_loader(
        mut self,
        loader: impl Fn(&Value) -> Value + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.user_identity = Some(Arc::new(loader));
        self
    }

    /// flask's `additional_claims_loader`: claims (a struct or map) added to every new
    /// token for an identity; claims given to the builder win ties.
    pub fn additional_claims_loader<T: Serialize>(
        mut self,
        loader: impl Fn(&Value) -> T + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.additional_claims = Some(object_loader("additional_claims_loader", loader));
        self
    }

    /// flask's `additional_headers_loader`: JOSE headers added to every new token for an
    /// identity; headers given to the builder win ties.
    pub fn additional_headers_loader<T: Serialize>(
        mut self,
        loader: impl Fn(&Value) -> T + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.additional_headers =
            Some(object_loader("additional_headers_loader", loader));
        self
    }

    /// flask's `encode_key_loader`: the key that signs a token for an identity (e.g. a
    /// per-tenant key). `None` fails token creation.
    pub fn encode_key_loader(
        mut self,
        loader: impl Fn(&Value) -> Option<EncodingKey> + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.encode_key = Some(Arc::new(loader));
        self
    }

    /// flask's `decode_key_loader`: the key that verifies a token, chosen from its
    /// **unverified** header and claims (e.g. by `kid`). `None` (an unknown `kid`) is
    /// answered like a bad signature, 422 `Signature verification failed`. The key must
    /// be of the configured algorithm's family.
    pub fn decode_key_loader(
        mut self,
        loader: impl Fn(&Map<String, Value>, &Map<String, Value>) -> Option<DecodingKey>
        + Send
        + Sync
        + 'static,
    ) -> Self {
        self.callbacks.decode_key = Some(Arc::new(loader));
        self
    }

    /// flask's `token_verification_loader`: custom checks of a decoded token; `false`
    /// refuses it with 400 `User claims verification failed`.
    pub fn token_verification_loader(
        mut self,
        loader: impl Fn(&DecodedToken) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.token_verification = Some(Arc::new(loader));
        self
    }

    /// flask's `user_lookup_loader`: loads the user a token belongs to, once per
    /// request, for the [`crate::CurrentUser<U>`] extractor. `Ok(None)` refuses the
    /// request with 401 `Error loading the user <identity>`; `Err` is logged and answers
    /// 500.
    ///
    /// ```
    /// # use actix_jwt_extended::{JwtConfig, JwtManager};
    /// #[derive(Clone)]
    /// struct User { name: String }
    ///
    /// let manager = JwtManager::builder(JwtConfig {
    ///     secret_key: Some("a secret of at least thirty-two bytes!".into()),
    ///     ..JwtConfig::default()
    /// })
    /// .user_lookup_loader(|token| async move {
    ///     let name = token.identity_str().unwrap_or_default().to_owned();
    ///     Ok::<_, std::convert::Infallible>((name == "alice").then(|| User { name }))
    /// })
    /// .build()
    /// .unwrap();
    /// # let _ = manager;
    /// ```
    pub fn user_lookup_loader<U, E, Fut, F>(mut self, loader: F) -> Self
    where
        F: Fn(Arc<DecodedToken>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Option<U>, E>> + 'static,
        U: 'static,
        E: fmt::Display,
    {
        self.callbacks.user_lookup = Some(Arc::new(move |token| {
            let future = loader(token);
            Box::pin(async move {
                match future.await {
                    Ok(user) => Ok(user.map(|user| Rc::new(user) as Rc<dyn Any>)),
                    Err(error) => Err(error.to_string()),
                }
            })
        }));
        self.callbacks.user_type = Some(std::any::type_name::<U>());
        self
    }

    /// flask's `token_in_blocklist_loader`: decides whether a token is revoked; `true`
    /// refuses it with 401 `Token has been revoked`.
    ///
    /// The loader may answer at once (`bool`, as flask's does), later (a future of
    /// `bool`), or fallibly (a future of `Result<bool, E>`, where `Err` fails closed with
    /// 503). It works beside a [`JwtManagerBuilder::blocklist`] store: a token is
    /// revoked when either says so, and [`JwtManager::revoke`] writes to the store. So
    /// flask's pattern, "my own rule plus a set of revoked tokens", is one store and one
    /// callback.
    ///
    /// ```
    /// # use actix_jwt_extended::{JwtConfig, JwtManager, MemoryBlocklist};
    /// let manager = JwtManager::builder(JwtConfig {
    ///     secret_key: Some("a secret of at least thirty-two bytes!".into()),
    ///     ..JwtConfig::default()
    /// })
    /// .blocklist(MemoryBlocklist::new())
    /// .token_in_blocklist_loader(|token| token.identity_str() == Some("banned"))
    /// .build()
    /// .unwrap();
    /// # let _ = manager;
    /// ```
    pub fn token_in_blocklist_loader<M, R, F>(mut self, loader: F) -> Self
    where
        F: Fn(Arc<DecodedToken>) -> R + Send + Sync + 'static,
        R: BlocklistAnswer<M>,
    {
        self.revocation.callback = Some(Arc::new(move |token| loader(token).into_answer()));
        self
    }

    /// Uses `store` to record and check revoked tokens, such as
    /// [`crate::MemoryBlocklist`] or `RedisBlocklist` (replacing an earlier store; a
    /// [`JwtManagerBuilder::token_in_blocklist_loader`] callback stays and is asked too).
    pub fn blocklist(mut self, store: impl Blocklist) -> Self {
        self.revocation.store = Some(Arc::new(store));
        self
    }

    /// Like [`JwtManagerBuilder::blocklist`], with a store shared elsewhere too.
    pub fn shared_blocklist(mut self, store: Arc<dyn Blocklist>) -> Self {
        self.revocation.store = Some(store);
        self
    }

    /// flask's `expired_token_loader`: the response for an expired token (default
    /// 401 `Token has expired`).
    pub fn expired_token_loader(
        mut self,
        loader: impl Fn(&DecodedToken) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.expired_token = Some(Arc::new(loader));
        self
    }

    /// flask's `invalid_token_loader`: the response for an invalid token or carrier,
    /// given the message (default 422 `{"msg": message}`).
    pub fn invalid_token_loader(
        mut self,
        loader: impl Fn(&str) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.invalid_token = Some(Arc::new(loader));
        self
    }

    /// flask's `unauthorized_loader`: the response for a missing token or a CSRF
    /// failure, given the message (default 401 `{"msg": message}`).
    pub fn unauthorized_loader(
        mut self,
        loader: impl Fn(&str) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.unauthorized = Some(Arc::new(loader));
        self
    }

    /// flask's `needs_fresh_token_loader` (default 401 `Fresh token required`).
    pub fn needs_fresh_token_loader(
        mut self,
        loader: impl Fn(&DecodedToken) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.needs_fresh_token = Some(Arc::new(loader));
        self
    }

    /// flask's `revoked_token_loader` (default 401 `Token has been revoked`).
    pub fn revoked_token_loader(
        mut self,
        loader: impl Fn(&DecodedToken) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.revoked_token = Some(Arc::new(loader));
        self
    }

    /// flask's `token_verification_failed_loader` (default 400
    /// `User claims verification failed`).
    pub fn token_verification_failed_loader(
        mut self,
        loader: impl Fn(&DecodedToken) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.token_verification_failed = Some(Arc::new(loader));
        self
    }

    /// flask's `user_lookup_error_loader` (default 401 `Error loading the user <identity>`).
    pub fn user_lookup_error_loader(
        mut self,
        loader: impl Fn(&DecodedToken) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.callbacks.user_lookup_error = Some(Arc::new(loader));
        self
    }

    /// Validates the configuration and keys and builds the manager.
    ///
    /// In release builds it also logs a warning for each setting that is fine for
    /// parity with flask but weak in production (see [`weak_settings`]).
    pub fn build(self) -> Result<JwtManager, ConfigError> {
        let manager = JwtManager::from_parts(self.config, self.callbacks, self.revocation)?;
        if !cfg!(debug_assertions) {
            for warning in weak_settings(manager.config()) {
                log::warn!("actix-jwt-extended: {warning}");
            }
        }
        Ok(manager)
    }
}
