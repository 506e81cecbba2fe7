//! Creating tokens with flask-jwt-extended's exact layout.
//!
//! Claims are written in flask's order, `fresh, iat, jti, type, <identity>, nbf, csrf,
//! [aud], [iss], [exp]`, then the additional claims are merged over them (a key that
//! already exists keeps its place, as in a Python dict; [`layout`]). Header keys are
//! sorted, as PyJWT writes them. Tokens therefore decode under flask-jwt-extended
//! unchanged. [`sign`] runs the loaders and signs.

mod error;
mod layout;
mod sign;

use std::{fmt, marker::PhantomData, time::Duration};

use serde::Serialize;
use serde_json::Value;

pub use self::error::EncodeError;
use self::layout::{Claim, ClaimsOut};
pub(crate) use self::sign::Signer;
use crate::{
    config::{Expiry, OneOrMany},
    time,
    token::{Freshness, TokenType, fields::Fields},
};

/// Marker for a builder of access tokens.
#[derive(Debug, Clone, Copy)]
pub enum Access {}

/// Marker for a builder of refresh tokens.
#[derive(Debug, Clone, Copy)]
pub enum Refresh {}

/// The token type a builder makes: [`Access`] or [`Refresh`].
pub trait TokenKind: sealed::Sealed {
    /// The `type` claim written.
    const TYPE: TokenType;
}

impl TokenKind for Access {
    const TYPE: TokenType = TokenType::Access;
}

impl TokenKind for Refresh {
    const TYPE: TokenType = TokenType::Refresh;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Access {}
    impl Sealed for super::Refresh {}
}

/// Builds one access or refresh token; made by [`crate::JwtManager::access_token`] and
/// [`crate::JwtManager::refresh_token`], finished by [`TokenBuilder::build`].
///
/// ```
/// # use actix_jwt_extended::{JwtConfig, JwtManager};
/// # use std::time::Duration;
/// # let manager = JwtManager::new(JwtConfig {
/// #     secret_key: Some("a secret of at least thirty-two bytes!".into()),
/// #     ..JwtConfig::default()
/// # }).unwrap();
/// let token = manager
///     .access_token("alice")
///     .fresh(true)
///     .expires_in(Duration::from_secs(300))
///     .claim("role", "admin")
///     .header("kid", "k1")
///     .build()?;
/// # let _ = token;
/// # Ok::<(), actix_jwt_extended::EncodeError>(())
/// ```
#[must_use = "a token builder does nothing until `.build()` is called"]
pub struct TokenBuilder<'m, K: TokenKind> {
    signer: Signer<'m>,
    identity: Result<Value, EncodeError>,
    fresh: Freshness,
    expiry: Option<Expiry>,
    claims: Result<Fields, EncodeError>,
    headers: Result<Fields, EncodeError>,
    jti: Option<String>,
    kind: PhantomData<K>,
}

impl<K: TokenKind> fmt::Debug for TokenBuilder<'_, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenBuilder")
            .field("type", &K::TYPE)
            .field("identity", &self.identity)
            .field("fresh", &self.fresh)
            .field("expiry", &self.expiry)
            .finish_non_exhaustive()
    }
}

impl<'m, K: TokenKind> TokenBuilder<'m, K> {
    pub(crate) fn new(signer: Signer<'m>, identity: impl Serialize) -> Self {
        TokenBuilder {
            signer,
            identity: serde_json::to_value(identity)
                .map_err(|error| EncodeError::identity(error.to_string())),
            fresh: Freshness::Flag(false),
            expiry: None,
            claims: Ok(Fields::default()),
            headers: Ok(Fields::default()),
            jti: None,
            kind: PhantomData,
        }
    }

    /// Sets the lifetime (instead of the configured `JWT_*_TOKEN_EXPIRES`).
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expiry = Some(Expiry::After(lifetime));
        self
    }

    /// Makes a token without `exp` that never expires (flask's `expires_delta=False`).
    pub fn never_expires(mut self) -> Self {
        self.expiry = Some(Expiry::Never);
        self
    }

    /// Sets the expiry; `None` means the configured default.
    pub fn expiry(mut self, expiry: Option<Expiry>) -> Self {
        self.expiry = expiry;
        self
    }

    /// Merges every field of `claims` (a struct or map that serializes to a JSON object)
    /// into the token, over the registered claims, as flask's `additional_claims` does.
    pub fn claims<T: Serialize + ?Sized>(mut self, claims: &T) -> Self {
        self.claims = merge_object(self.claims, claims, "additional claims");
        self
    }

    /// Adds one claim, over any registered claim of the same name.
    pub fn claim(mut self, name: &str, value: impl Serialize) -> Self {
        self.claims = insert_value(self.claims, name, value, "claim");
        self
    }

    /// Merges every field of `headers` into the JOSE header (flask's `additional_headers`).
    pub fn headers<T: Serialize + ?Sized>(mut self, headers: &T) -> Self {
        self.headers = merge_object(self.headers, headers, "additional headers");
        self
    }

    /// Adds one JOSE header parameter, such as `kid`.
    pub fn header(mut self, name: &str, value: impl Serialize) -> Self {
        self.headers = insert_value(self.headers, name, value, "header");
        self
    }

    /// Sets the `jti` (unique id) instead of a random UUIDv4, e.g. to link tokens.
    pub fn jti(mut self, jti: &str) -> Self {
        self.jti = Some(jti.to_owned());
        self
    }

    /// Signs the token.
    pub fn build(self) -> Result<String, EncodeError> {
        let signer = self.signer;
        let config = signer.config;
        let raw_identity = self.identity?;
        let loaded = signer.loaded_for(&raw_identity)?;
        let (identity, mut additional_claims, mut additional_headers) =
            (loaded.identity, loaded.claims, loaded.headers);
        // What the builder was given wins over the loaders, as flask's arguments do.
        additional_claims.extend(self.claims?);
        additional_headers.extend(self.headers?);
        if additional_headers.contains("alg") {
            // flask lets this through and makes a token that never verifies.
            return Err(EncodeError::new(
                "the `alg` header is set from JWT_ALGORITHM and cannot be overridden",
            ));
        }

        let now = time::now();
        let iat = now.trunc() as i64;
        let expiry = self.expiry.unwrap_or(match K::TYPE {
            TokenType::Access => config.access_token_expires,
            TokenType::Refresh => config.refresh_token_expires,
        });

        // flask's layout, written straight to JSON without building a map.
        let mut jti_buffer = [0_u8; 36];
        let mut csrf_buffer = [0_u8; 36];
        let jti = match &self.jti {
            Some(jti) => jti.as_str(),
            None => &*uuid::Uuid::new_v4()
                .hyphenated()
                .encode_lower(&mut jti_buffer),
        };
        let audience = config.encode_audience.as_ref().map(one_or_many);
        let mut registered = [None; 10];
        registered[0] = Some(("fresh", Claim::Fresh(self.fresh)));
        registered[1] = Some(("iat", Claim::Int(iat)));
        registered[2] = Some(("jti", Claim::Str(jti)));
        registered[3] = Some(("type", Claim::Str(K::TYPE.as_str())));
        registered[4] = Some((config.identity_claim.as_str(), Claim::Json(&identity)));
        if config.encode_nbf {
            registered[5] = Some(("nbf", Claim::Int(iat)));
        }
        if config.cookie_csrf_protect {
            let csrf = &*uuid::Uuid::new_v4()
                .hyphenated()
                .encode_lower(&mut csrf_buffer);
            registered[6] = Some(("csrf", Claim::Str(csrf)));
        }
        if let Some(audience) = &audience {
            registered[7] = Some(("aud", Claim::Json(audience)));
        }
        if let Some(issuer) = config
            .encode_issuer
            .as_deref()
            .filter(|iss| !iss.is_empty())
        {
            registered[8] = Some(("iss", Claim::Str(issuer)));
        }
        if let Some(lifetime) = expiry.duration() {
            let exp = (now + lifetime.as_secs_f64()).trunc() as i64;
            registered[9] = Some(("exp", Claim::Int(exp)));
        }
        let claims = ClaimsOut {
            registered: &registered,
            additional: &additional_claims,
        };

        if additional_headers.is_empty() {
            return signer.sign(&raw_identity, None, &claims);
        }
        // Sorted keys, like PyJWT: `alg`, then any extra, then `typ` (overridable).
        let mut header = std::collections::BTreeMap::new();
        header.insert(
            "alg".to_owned(),
            Value::from(signer.keys.algorithm_name.as_str()),
        );
        header.insert("typ".to_owned(), Value::from("JWT"));
        header.extend(additional_headers.into_iter());
        signer.sign(&raw_identity, Some(&header), &claims)
    }
}

impl<K: TokenKind> TokenBuilder<'_, K> {
    fn set_fresh(mut self, fresh: Freshness) -> Self {
        self.fresh = fresh;
        self
    }
}

/// Freshness, for access tokens only: refresh tokens are never fresh.
impl TokenBuilder<'_, Access> {
    /// Marks the token fresh (`true`) or not (`false`, the default).
    pub fn fresh(self, fresh: bool) -> Self {
        self.set_fresh(Freshness::Flag(fresh))
    }

    /// Makes the token fresh for `window` from now: flask stores `now + window` as a
    /// float timestamp (its `fresh=timedelta(...)`).
    pub fn fresh_for(self, window: Duration) -> Self {
        self.set_fresh(Freshness::Until(time::now() + window.as_secs_f64()))
    }

    /// Makes the token fresh until the UNIX timestamp `until` (flask's `fresh=<float>`).
    pub fn fresh_until(self, until: f64) -> Self {
        self.set_fresh(Freshness::Until(until))
    }
}

fn one_or_many(values: &OneOrMany) -> Value {
    match values {
        OneOrMany::One(value) => Value::from(value.as_str()),
        OneOrMany::Many(values) => Value::from(values.clone()),
    }
}

pub(crate) fn new_uuid() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

fn merge_object<T: Serialize + ?Sized>(
    target: Result<Fields, EncodeError>,
    source: &T,
    what: &str,
) -> Result<Fields, EncodeError> {
    let mut target = target?;
    let fields = Fields::from_serialize(source).map_err(|error| {
        EncodeError::new(format!("{what} must serialize to a JSON object: {error}"))
    })?;
    target.extend(fields);
    Ok(target)
}

fn insert_value(
    target: Result<Fields, EncodeError>,
    name: &str,
    value: impl Serialize,
    what: &str,
) -> Result<Fields, EncodeError> {
    let mut target = target?;
    let value = serde_json::to_value(value).map_err(|error| {
        EncodeError::new(format!("{what} `{name}` is not serializable: {error}"))
    })?;
    target.insert(name, value);
    Ok(target)
}
