//! [`JwtManager`]: the validated config, the keys and the callbacks, shared by every
//! worker; [`JwtManagerBuilder`] registers flask's callbacks ("loaders").

use std::{any::Any, collections::BTreeMap, fmt, future::Future, rc::Rc, sync::Arc};

use actix_web::{HttpRequest, HttpResponse, http::header::HeaderName, web};
use futures_util::future::LocalBoxFuture;
use jsonwebtoken::{DecodingKey, EncodingKey};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{
    blocklist::Blocklist,
    callbacks::{Callbacks, guard},
    config::JwtConfig,
    error::{ConfigError, Error},
    keys::Keys,
    token::{
        DecodedToken,
        decode::{self, DecodeOptions},
        encode::{Access, EncodeError, Refresh, TokenBuilder, new_uuid},
        fields::Fields,
    },
};

/// The JWT setup of an application: validated configuration, keys and callbacks.
///
/// Build it once at start-up with [`JwtManager::new`] or [`JwtManager::builder`] (every
/// option is checked then, and a bad one is an error naming it), and register it on the
/// `App`:
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
    callbacks: Callbacks,
    revocation: Option<Revocation>,
    header_names: HeaderNames,
}

/// The configured header names, parsed once: looking a header up by a `&str` name parses
/// (and for mixed case, lower-cases into a new allocation) on every request.
#[derive(Debug, Clone)]
pub(crate) struct HeaderNames {
    pub(crate) token: HeaderName,
    pub(crate) access_csrf: HeaderName,
    pub(crate) refresh_csrf: HeaderName,
}

/// flask's `token_in_blocklist_loader`, type-erased.
pub(crate) type BlocklistCallback =
    Arc<dyn Fn(Arc<DecodedToken>) -> LocalBoxFuture<'static, Result<bool, String>> + Send + Sync>;

/// How revocation is decided: a store, or flask's `token_in_blocklist_loader`.
#[derive(Clone)]
pub(crate) enum Revocation {
    Store(Arc<dyn Blocklist>),
    Callback(BlocklistCallback),
}

impl fmt::Debug for JwtManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let revocation = match &self.inner.revocation {
            None => "none",
            Some(Revocation::Store(_)) => "store",
            Some(Revocation::Callback(_)) => "callback",
        };
        f.debug_struct("JwtManager")
            .field("config", &self.inner.config)
            .field("keys", &self.inner.keys)
            .field("callbacks", &self.inner.callbacks)
            .field("revocation", &revocation)
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
        JwtManagerBuilder {
            config,
            callbacks: Callbacks::default(),
            revocation: None,
        }
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
        TokenBuilder::new(self, identity)
    }

    /// Starts a refresh token for `identity` (flask's `create_refresh_token`).
    pub fn refresh_token(&self, identity: impl Serialize) -> TokenBuilder<'_, Refresh> {
        TokenBuilder::new(self, identity)
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
    /// Fails when no store is registered (a `token_in_blocklist_loader` callback keeps
    /// its own records), when the token has no `jti`, or when the store fails.
    pub async fn revoke(&self, token: &DecodedToken) -> Result<(), Error> {
        let store = self.store()?;
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
                .map(|lifetime| (crate::time::now() + lifetime.as_secs_f64()).trunc() as i64);
            self.store()?
                .revoke(refresh_jti, refresh_exp)
                .await
                .map_err(|error| Error::blocklist_unavailable(error.to_string()))?;
        }
        Ok(())
    }

    fn store(&self) -> Result<&Arc<dyn Blocklist>, Error> {
        match &self.inner.revocation {
            Some(Revocation::Store(store)) => Ok(store),
            _ => Err(Error::internal(
                "revoking needs a blocklist store: register one with `JwtManager::builder(config).blocklist(MemoryBlocklist::new())`",
            )),
        }
    }

    /// The manager registered on the request's app, as `JwtManager` or
    /// `web::Data<JwtManager>`.
    pub fn from_request(req: &HttpRequest) -> Option<&JwtManager> {
        req.app_data::<JwtManager>().or_else(|| {
            req.app_data::<web::Data<JwtManager>>()
                .map(|data| data.get_ref())
        })
    }

    pub(crate) fn header_names(&self) -> &HeaderNames {
        &self.inner.header_names
    }

    pub(crate) fn callbacks(&self) -> &Callbacks {
        &self.inner.callbacks
    }

    pub(crate) fn revocation(&self) -> Option<&Revocation> {
        self.inner.revocation.as_ref()
    }

    /// The identity as stored in the token (after `user_identity_loader`), and the
    /// loaders' additional claims and headers for it.
    pub(crate) fn loaded_for(&self, identity: &Value) -> Result<Loaded, EncodeError> {
        let callbacks = &self.inner.callbacks;
        let run = |name: &str, loader: Option<&crate::callbacks::ObjectLoader>| match loader {
            None => Ok(Fields::default()),
            Some(loader) => guard(name, || loader(identity))
                .map_err(|error| EncodeError::callback(error.to_string()))
                .and_then(|fields| fields.map_err(EncodeError::callback)),
        };
        let stored = match &callbacks.user_identity {
            None => identity.clone(),
            Some(loader) => guard("user_identity_loader", || loader(identity))
                .map_err(|error| EncodeError::callback(error.to_string()))?,
        };
        let claims = run(
            "additional_claims_loader",
            callbacks.additional_claims.as_ref(),
        )?;
        let headers = run(
            "additional_headers_loader",
            callbacks.additional_headers.as_ref(),
        )?;
        Ok((stored, claims, headers))
    }

    /// Encodes `header` (the default `{"alg":…,"typ":"JWT"}` when `None`) and `claims`,
    /// and signs them with the configured key, or the encode key loader's for `identity`.
    pub(crate) fn sign(
        &self,
        identity: &Value,
        header: Option<&BTreeMap<String, Value>>,
        claims: &impl Serialize,
    ) -> Result<String, EncodeError> {
        use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
        let claims = serde_json::to_vec(claims).map_err(EncodeError::serialize)?;
        let mut token = String::with_capacity(claims.len() * 4 / 3 + 200);
        match header {
            None => token.push_str(&self.inner.keys.default_header_segment),
            Some(header) => {
                let header = serde_json::to_vec(header).map_err(EncodeError::serialize)?;
                URL_SAFE_NO_PAD.encode_string(header, &mut token);
            }
        }
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(claims, &mut token);
        let custom_key = match &self.inner.callbacks.encode_key {
            None => None,
            Some(loader) => Some(
                guard("encode_key_loader", || loader(identity))
                    .map_err(|error| EncodeError::callback(error.to_string()))?
                    .ok_or_else(|| {
                        EncodeError::callback("encode_key_loader returned no key".to_owned())
                    })?,
            ),
        };
        match custom_key {
            Some(key) => {
                let signature =
                    jsonwebtoken::crypto::sign(token.as_bytes(), &key, self.algorithm())
                        .map_err(|error| EncodeError::signing(error.to_string()))?;
                token.push('.');
                token.push_str(&signature);
            }
            None => self
                .inner
                .keys
                .sign_token(&mut token)
                .map_err(EncodeError::signing)?,
        }
        Ok(token)
    }
}

/// What the loaders give for an identity: the stored identity, additional claims and
/// additional headers.
pub(crate) type Loaded = (Value, Fields, Fields);

/// The claim linking an access token to its login's refresh token.
pub(crate) const REFRESH_JTI_CLAIM: &str = "refresh_jti";

/// An access token and a refresh token of one login ([`JwtManager::token_pair`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenPair {
    /// A fresh access token linked to the refresh token.
    pub access_token: String,
    /// The refresh token.
    pub refresh_token: String,
}

/// Registers flask-jwt-extended's callbacks, then builds the [`JwtManager`].
///
/// Each method is one of flask's `@jwt.*_loader` decorators; registering one twice
/// keeps the last, as flask does.
///
/// ```
/// use actix_jwt_extended_runtime::{JwtConfig, JwtManager, MemoryBlocklist};
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
    revocation: Option<Revocation>,
}

impl fmt::Debug for JwtManagerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtManagerBuilder")
            .field("config", &self.config)
            .field("callbacks", &self.callbacks)
            .finish_non_exhaustive()
    }
}

fn object_loader<T: Serialize>(
    what: &'static str,
    loader: impl Fn(&Value) -> T + Send + Sync + 'static,
) -> crate::callbacks::ObjectLoader {
    Arc::new(move |identity| {
        Fields::from_serialize(&loader(identity))
            .map_err(|error| format!("{what} must return a JSON object: {error}"))
    })
}

impl JwtManagerBuilder {
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
    /// # use actix_jwt_extended_runtime::{JwtConfig, JwtManager};
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

    /// flask's `token_in_blocklist_loader`: decides whether a token is revoked (`true`
    /// refuses it with 401 `Token has been revoked`; `Err` fails closed with 503).
    /// Replaces a registered [`JwtManagerBuilder::blocklist`] store.
    pub fn token_in_blocklist_loader<E, Fut, F>(mut self, loader: F) -> Self
    where
        F: Fn(Arc<DecodedToken>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<bool, E>> + 'static,
        E: fmt::Display,
    {
        self.revocation = Some(Revocation::Callback(Arc::new(move |token| {
            let future = loader(token);
            Box::pin(async move { future.await.map_err(|error| error.to_string()) })
        })));
        self
    }

    /// Uses `store` to record and check revoked tokens, such as
    /// [`crate::MemoryBlocklist`] or `RedisBlocklist`. Replaces a registered
    /// [`JwtManagerBuilder::token_in_blocklist_loader`].
    pub fn blocklist(mut self, store: impl Blocklist) -> Self {
        self.revocation = Some(Revocation::Store(Arc::new(store)));
        self
    }

    /// Like [`JwtManagerBuilder::blocklist`], with a store shared elsewhere too.
    pub fn shared_blocklist(mut self, store: Arc<dyn Blocklist>) -> Self {
        self.revocation = Some(Revocation::Store(store));
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
        self.config.validate()?;
        if !cfg!(debug_assertions) {
            for warning in weak_settings(&self.config) {
                log::warn!("actix-jwt-extended: {warning}");
            }
        }
        let keys = Keys::from_config(&self.config)?;
        let identity_claim = Arc::from(self.config.identity_claim.as_str());
        // Validated as header names by `JwtConfig::validate`.
        let parse = |option: &'static str, name: &str| {
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| ConfigError::InvalidHeaderName {
                option,
                value: name.to_owned(),
            })
        };
        let header_names = HeaderNames {
            token: parse("JWT_HEADER_NAME", &self.config.header_name)?,
            access_csrf: parse(
                "JWT_ACCESS_CSRF_HEADER_NAME",
                &self.config.access_csrf_header_name,
            )?,
            refresh_csrf: parse(
                "JWT_REFRESH_CSRF_HEADER_NAME",
                &self.config.refresh_csrf_header_name,
            )?,
        };
        Ok(JwtManager {
            inner: Arc::new(Inner {
                config: self.config,
                keys,
                identity_claim,
                callbacks: self.callbacks,
                revocation: self.revocation,
                header_names,
            }),
        })
    }
}

/// The settings kept at flask's defaults for parity that are weak in production, each
/// with the fix: cookies without `Secure` or `SameSite`, and an HMAC secret shorter than
/// 32 bytes. Logged as warnings when a release build creates its manager.
pub fn weak_settings(config: &JwtConfig) -> Vec<String> {
    let mut warnings = Vec::new();
    let uses_cookies = config
        .token_location
        .contains(&crate::config::Location::Cookies);
    if uses_cookies && !config.cookie_secure {
        warnings.push(
            "cookies are sent without `Secure` (JWT_COOKIE_SECURE=false): browsers will send \
             the token over plain HTTP; set `cookie_secure = true` in production"
                .to_owned(),
        );
    }
    if uses_cookies && config.cookie_samesite.is_none() {
        warnings.push(
            "cookies are sent without `SameSite` (JWT_COOKIE_SAMESITE unset): set \
             `cookie_samesite = Some(SameSite::Lax)` (or `Strict`) as a second line of CSRF defence"
                .to_owned(),
        );
    }
    let hmac = config.algorithm.family() == jsonwebtoken::AlgorithmFamily::Hmac;
    let secret_len = config.secret_key.as_ref().map_or(0, String::len);
    if hmac && secret_len < 32 {
        warnings.push(format!(
            "JWT_SECRET_KEY is {secret_len} bytes: an HMAC secret shorter than 32 bytes can be \
             brute-forced offline from one token; use at least 32 random bytes (RFC 7518 §3.2)"
        ));
    }
    warnings
}
