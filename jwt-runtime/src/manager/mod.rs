//! [`JwtManager`]: the validated config, the keys and the callbacks, shared by every
//! worker. [`JwtManagerBuilder`] ([`builder`]) registers flask's callbacks ("loaders");
//! [`weak_settings`] lists the defaults that are weak in production.

mod builder;
mod weak_settings;

use std::{fmt, sync::Arc};

use actix_web::{HttpRequest, web};
use serde::Serialize;

pub use self::{builder::JwtManagerBuilder, weak_settings::weak_settings};
use crate::{
    callbacks::Callbacks,
    config::{ConfigError, HeaderNames, JwtConfig},
    decode::{self, DecodeOptions},
    encode::{Access, EncodeError, Refresh, Signer, TokenBuilder, new_uuid},
    error::Error,
    keys::Keys,
    revocation::Revocation,
    time,
    token::{DecodedToken, REFRESH_JTI_CLAIM},
};

/// The JWT setup of an application: validated configuration, keys and callbacks.
///
/// Build it once at start-up with [`JwtManager::new`] or [`JwtManager::builder`] (every
/// option is checked then, and a bad one is an error naming it), and register it on the
/// `App`:
///
/// ```no_run
/// use actix_web::{App, HttpServer};
/// use actix_jwt_extended::{JwtConfig, JwtManager};
///
/// # async fn run() -> std::io::Result<()> {
/// let manager = JwtManager::new(JwtConfig::from_env().expect("JWT_* variables"))
///     .expect("valid JWT configuration");
/// HttpServer::new(move || App::new().app_data(manager.clone()))
///     .bind(("127.0.0.1", 5000))?
///     .run()
///     .await
/// # }
/// ```
///
/// Cloning is cheap (one reference count); every clone shares the same state. A
/// `web::Data<JwtManager>` registered with `app_data` is found as well.
#[derive(Clone)]
pub struct JwtManager {
    inner: Arc<Inner>,
}

struct Inner {
    config: JwtConfig,
    keys: Keys,
    identity_claim: Arc<str>,
    callbacks: Callbacks,
    revocation: Revocation,
    header_names: HeaderNames,
}

impl fmt::Debug for JwtManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtManager")
            .field("config", &self.inner.config)
            .field("keys", &self.inner.keys)
            .field("callbacks", &self.inner.callbacks)
            .field("revocation", &self.inner.revocation)
            .finish()
    }
}

impl JwtManager {
    /// Validates `config`, reads its keys, and builds a manager with flask's default
    /// callbacks. Use [`JwtManager::builder`] to register callbacks.
    ///
    /// Fails on the first invalid option, naming it: a missing secret or key, a PEM key
    /// that does not parse or does not fit the algorithm, decode algorithms of another
    /// key family, an empty or duplicate token location, an empty or invalid header or
    /// cookie name, CSRF methods that are not upper-case, and so on.
    pub fn new(config: JwtConfig) -> Result<Self, ConfigError> {
        JwtManager::builder(config).build()
    }

    /// Starts a manager whose callbacks are registered before [`JwtManagerBuilder::build`].
    pub fn builder(config: JwtConfig) -> JwtManagerBuilder {
        JwtManagerBuilder::new(config)
    }

    /// Builds the manager from a validated config; see [`JwtManagerBuilder::build`].
    fn from_parts(
        config: JwtConfig,
        callbacks: Callbacks,
        revocation: Revocation,
    ) -> Result<Self, ConfigError> {
        let validated = config.validate()?;
        let keys = Keys::from_config(&config)?;
        let identity_claim = Arc::from(config.identity_claim.as_str());
        Ok(JwtManager {
            inner: Arc::new(Inner {
                config,
                keys,
                identity_claim,
                callbacks,
                revocation,
                header_names: validated.header_names,
            }),
        })
    }

    /// The manager registered on the request's app, as `JwtManager` or
    /// `web::Data<JwtManager>`; `None` when there is none.
    pub fn from_app_data(req: &HttpRequest) -> Option<&JwtManager> {
        req.app_data::<JwtManager>().or_else(|| {
            req.app_data::<web::Data<JwtManager>>()
                .map(|data| data.get_ref())
        })
    }

    /// The configuration the manager was built with.
    pub fn config(&self) -> &JwtConfig {
        &self.inner.config
    }

    /// The signing algorithm (`JWT_ALGORITHM`).
    pub fn algorithm(&self) -> jsonwebtoken::Algorithm {
        self.inner.keys.algorithm
    }

    /// Starts an access token for `identity` (flask's `create_access_token`).
    ///
    /// With the default `verify_sub`, the identity should serialize to a string: flask
    /// and this library refuse a non-string `sub` when decoding.
    pub fn access_token(&self, identity: impl Serialize) -> TokenBuilder<'_, Access> {
        TokenBuilder::new(self.signer(), identity)
    }

    /// Starts a refresh token for `identity` (flask's `create_refresh_token`).
    pub fn refresh_token(&self, identity: impl Serialize) -> TokenBuilder<'_, Refresh> {
        TokenBuilder::new(self.signer(), identity)
    }

    /// Creates a fresh access token and a refresh token for one login. The access token
    /// carries the refresh token's `jti` in its `refresh_jti` claim, so
    /// [`JwtManager::revoke_login`] with either token revokes both.
    pub fn token_pair(&self, identity: impl Serialize) -> Result<TokenPair, EncodeError> {
        let identity = serde_json::to_value(identity)
            .map_err(|error| EncodeError::identity(error.to_string()))?;
        let refresh_jti = new_uuid();
        let refresh_token = self.refresh_token(&identity).jti(&refresh_jti).build()?;
        let access_token = self
            .access_token(&identity)
            .fresh(true)
            .claim(REFRESH_JTI_CLAIM, &refresh_jti)
            .build()?;
        Ok(TokenPair {
            access_token,
            refresh_token,
        })
    }

    /// Decodes and fully verifies `token` (flask's `decode_token`): signature, `iat`,
    /// `nbf`, `exp` (unless `allow_expired`), `iss`, `aud`, `sub`, `jti`, the identity
    /// claim, and the `csrf` claim against `csrf_value` when one is given.
    ///
    /// Like flask, it does not check the token type, freshness or the blocklist.
    pub fn decode_token(
        &self,
        token: &str,
        csrf_value: Option<&str>,
        allow_expired: bool,
    ) -> Result<DecodedToken, Error> {
        let decode_key = self.inner.callbacks.decode_key.as_ref();
        decode::decode(
            &self.inner.config,
            &self.inner.keys,
            &self.inner.identity_claim,
            token,
            DecodeOptions {
                csrf_value,
                allow_expired,
                decode_key: decode_key.map(|loader| &**loader),
            },
        )
    }

    /// Revokes `token` until it expires, in the registered blocklist store (flask users
    /// revoke "the current token" this way, from `Jwt::token`).
    ///
    /// Fails when no store is registered (a `token_in_blocklist_loader` callback alone
    /// has nowhere to write), when the token has no `jti`, or when the store fails.
    pub async fn revoke(&self, token: &DecodedToken) -> Result<(), Error> {
        let store = self.inner.revocation.store()?;
        let jti = token
            .jti()
            .ok_or_else(|| Error::invalid_token("Missing claim: jti"))?;
        store
            .revoke(jti, token.expires_at())
            .await
            .map_err(|error| Error::blocklist_unavailable(error.to_string()))
    }

    /// Revokes `token` and the other token of its login: the refresh token named by an
    /// access token's `refresh_jti` claim (see [`JwtManager::token_pair`]). Access
    /// tokens linked to a revoked refresh token are refused as well, so logging out with
    /// either token ends the whole login.
    pub async fn revoke_login(&self, token: &DecodedToken) -> Result<(), Error> {
        self.revoke(token).await?;
        if let Some(refresh_jti) = token.refresh_jti() {
            let refresh_exp = self
                .config()
                .refresh_token_expires
                .duration()
                .map(|lifetime| (time::now() + lifetime.as_secs_f64()).trunc() as i64);
            self.inner
                .revocation
                .store()?
                .revoke(refresh_jti, refresh_exp)
                .await
                .map_err(|error| Error::blocklist_unavailable(error.to_string()))?;
        }
        Ok(())
    }

    fn signer(&self) -> Signer<'_> {
        Signer {
            config: &self.inner.config,
            keys: &self.inner.keys,
            callbacks: &self.inner.callbacks,
        }
    }

    pub(crate) fn header_names(&self) -> &HeaderNames {
        &self.inner.header_names
    }

    pub(crate) fn callbacks(&self) -> &Callbacks {
        &self.inner.callbacks
    }

    pub(crate) fn revocation(&self) -> &Revocation {
        &self.inner.revocation
    }
}

/// An access token and a refresh token of one login ([`JwtManager::token_pair`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenPair {
    /// A fresh access token linked to the refresh token.
    pub access_token: String,
    /// The refresh token.
    pub refresh_token: String,
}
