//! [`JwtManager`]: the validated config and keys, shared by every worker.

use std::{collections::BTreeMap, fmt, sync::Arc};

use actix_web::{HttpRequest, web};
use serde_json::Value;

use crate::{
    config::JwtConfig,
    error::{ConfigError, Error},
    keys::Keys,
    token::{
        DecodedToken,
        decode::{self, DecodeOptions},
        encode::{Access, EncodeError, OrderedClaims, Refresh, TokenBuilder},
    },
};

/// The JWT setup of an application: validated configuration and keys.
///
/// Build it once at start-up with [`JwtManager::new`] (every option is checked then, and
/// a bad one is an error naming it), and register it on the `App`:
///
/// ```no_run
/// use actix_web::{App, HttpServer};
/// use actix_jwt_extended_runtime::{JwtConfig, JwtManager};
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
}

impl fmt::Debug for JwtManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtManager")
            .field("config", &self.inner.config)
            .field("keys", &self.inner.keys)
            .finish()
    }
}

impl JwtManager {
    /// Validates `config`, reads its keys, and builds the manager.
    ///
    /// Fails on the first invalid option, naming it: a missing secret or key, a PEM key
    /// that does not parse or does not fit the algorithm, decode algorithms of another
    /// key family, an empty or duplicate token location, an empty or invalid header or
    /// cookie name, CSRF methods that are not upper-case, and so on.
    pub fn new(config: JwtConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        let keys = Keys::from_config(&config)?;
        let identity_claim = Arc::from(config.identity_claim.as_str());
        Ok(JwtManager {
            inner: Arc::new(Inner {
                config,
                keys,
                identity_claim,
            }),
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
    pub fn access_token(&self, identity: impl serde::Serialize) -> TokenBuilder<'_, Access> {
        TokenBuilder::new(self, identity)
    }

    /// Starts a refresh token for `identity` (flask's `create_refresh_token`).
    pub fn refresh_token(&self, identity: impl serde::Serialize) -> TokenBuilder<'_, Refresh> {
        TokenBuilder::new(self, identity)
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
        decode::decode(
            &self.inner.config,
            &self.inner.keys,
            &self.inner.identity_claim,
            token,
            DecodeOptions {
                csrf_value,
                allow_expired,
            },
        )
    }

    /// The manager registered on the request's app, as `JwtManager` or
    /// `web::Data<JwtManager>`.
    pub fn from_request(req: &HttpRequest) -> Option<&JwtManager> {
        req.app_data::<JwtManager>().or_else(|| {
            req.app_data::<web::Data<JwtManager>>()
                .map(|data| data.get_ref())
        })
    }

    pub(crate) fn sign(
        &self,
        header: &BTreeMap<String, Value>,
        claims: &OrderedClaims,
    ) -> Result<String, EncodeError> {
        use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
        let to_json = |value: &dyn erased::Json| value.to_json();
        let header = to_json(header)?;
        let claims = to_json(claims)?;
        let mut token = String::with_capacity((header.len() + claims.len()) * 4 / 3 + 100);
        URL_SAFE_NO_PAD.encode_string(header, &mut token);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(claims, &mut token);
        let signature = jsonwebtoken::crypto::sign(
            token.as_bytes(),
            &self.inner.keys.encoding,
            self.inner.keys.algorithm,
        )
        .map_err(|error| EncodeError::signing(error.to_string()))?;
        token.push('.');
        token.push_str(&signature);
        Ok(token)
    }
}

mod erased {
    use super::EncodeError;

    /// Serializes a header or claims map to compact JSON.
    pub(super) trait Json {
        fn to_json(&self) -> Result<Vec<u8>, EncodeError>;
    }

    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> Result<Vec<u8>, EncodeError> {
            serde_json::to_vec(self).map_err(|error| EncodeError::signing(error.to_string()))
        }
    }
}
