//! Configuration: every one of flask-jwt-extended's 43 `JWT_*` options.
//!
//! [`JwtConfig`] is a plain struct whose [`Default`] is flask-jwt-extended 4.7.4's
//! defaults, field for field ([`types`] holds the value types). [`JwtConfig::from_env`]
//! ([`env`]) reads flask's variable names so a deployment keeps its settings. Nothing is
//! checked while the struct is filled in: [`crate::JwtManager`] validates the whole
//! config once, when it is built ([`validate`]), and refuses to start with a
//! [`ConfigError`] naming the option (flask only notices at the first request and
//! answers 500).

mod env;
mod error;
mod types;
mod validate;

use std::{fmt, time::Duration};

pub use error::ConfigError;
pub use types::{Algorithm, Expiry, Location, OneOrMany, SameSite};
pub(crate) use validate::HeaderNames;

/// Every flask-jwt-extended option, with flask's defaults.
///
/// Field `x` is flask's `JWT_X`; the doc line of each field gives its default. Build a
/// [`crate::JwtManager`] from it, which validates everything at once:
///
/// ```
/// use std::time::Duration;
/// use actix_jwt_extended::{JwtConfig, JwtManager, Location};
///
/// let config = JwtConfig {
///     secret_key: Some("change me: at least 32 bytes of secret".into()),
///     access_token_expires: Duration::from_secs(600).into(),
///     token_location: vec![Location::Headers, Location::Cookies],
///     ..JwtConfig::default()
/// };
/// let manager = JwtManager::new(config).expect("valid config");
/// # let _ = manager;
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct JwtConfig {
    // ---- general ----
    /// `JWT_ACCESS_TOKEN_EXPIRES`: lifetime of access tokens. Defaults to 15 minutes.
    pub access_token_expires: Expiry,
    /// `JWT_REFRESH_TOKEN_EXPIRES`: lifetime of refresh tokens. Defaults to 30 days.
    pub refresh_token_expires: Expiry,
    /// `JWT_ALGORITHM`: signing algorithm of new tokens, always accepted when decoding.
    /// Defaults to `HS256`.
    pub algorithm: Algorithm,
    /// `JWT_DECODE_ALGORITHMS`: algorithms accepted when decoding. Defaults to empty,
    /// meaning `[algorithm]`. [`Self::algorithm`] is always accepted as well (without
    /// changing this list, unlike flask, which appends to the user's list in place).
    pub decode_algorithms: Vec<Algorithm>,
    /// `JWT_SECRET_KEY`: the HMAC secret for `HS*` algorithms. Defaults to `None`; required
    /// for `HS*` (flask falls back to Flask's `SECRET_KEY`, which does not exist here).
    pub secret_key: Option<String>,
    /// `JWT_PRIVATE_KEY`: PEM private key for signing with asymmetric algorithms.
    /// Defaults to `None`; required for `RS*`, `PS*`, `ES*` and `EdDSA`.
    pub private_key: Option<String>,
    /// `JWT_PUBLIC_KEY`: PEM public key for verifying with asymmetric algorithms.
    /// Defaults to `None`; required for `RS*`, `PS*`, `ES*` and `EdDSA`.
    pub public_key: Option<String>,
    /// `JWT_DECODE_AUDIENCE`: expected `aud`; checked only when set. Defaults to `None`.
    pub decode_audience: Option<OneOrMany>,
    /// `JWT_ENCODE_AUDIENCE`: `aud` written into new tokens. Defaults to `None`.
    pub encode_audience: Option<OneOrMany>,
    /// `JWT_DECODE_ISSUER`: expected `iss`; checked only when set. Defaults to `None`.
    pub decode_issuer: Option<OneOrMany>,
    /// `JWT_ENCODE_ISSUER`: `iss` written into new tokens. Defaults to `None`.
    pub encode_issuer: Option<String>,
    /// `JWT_DECODE_LEEWAY`: clock skew allowed for `exp`, `nbf` and `iat`. Defaults to 0.
    pub decode_leeway: Duration,
    /// `JWT_ENCODE_NBF`: write `nbf` (equal to `iat`) into new tokens. Defaults to `true`.
    pub encode_nbf: bool,
    /// `JWT_IDENTITY_CLAIM`: the claim that carries the identity. Defaults to `"sub"`.
    pub identity_claim: String,
    /// `JWT_VERIFY_SUB`: a `sub` claim, when present, must be a string. Defaults to `true`.
    pub verify_sub: bool,
    /// `JWT_ERROR_MESSAGE_KEY`: key of the message in error bodies. Defaults to `"msg"`.
    pub error_message_key: String,
    /// `JWT_TOKEN_LOCATION`: where to look for tokens, in order. Defaults to `[Headers]`.
    pub token_location: Vec<Location>,

    // ---- headers ----
    /// `JWT_HEADER_NAME`: request header carrying the token. Defaults to `"Authorization"`.
    pub header_name: String,
    /// `JWT_HEADER_TYPE`: scheme word before the token, matched case-sensitively; empty
    /// means the header holds the bare token. Defaults to `"Bearer"`.
    pub header_type: String,

    // ---- cookies ----
    /// `JWT_ACCESS_COOKIE_NAME`. Defaults to `"access_token_cookie"`.
    pub access_cookie_name: String,
    /// `JWT_REFRESH_COOKIE_NAME`. Defaults to `"refresh_token_cookie"`.
    pub refresh_cookie_name: String,
    /// `JWT_ACCESS_COOKIE_PATH`: `Path` of the access token cookie. Defaults to `"/"`.
    pub access_cookie_path: String,
    /// `JWT_REFRESH_COOKIE_PATH`: `Path` of the refresh token cookie. Defaults to `"/"`.
    pub refresh_cookie_path: String,
    /// `JWT_COOKIE_SECURE`: add `Secure` to every cookie set or unset. Defaults to `false`.
    pub cookie_secure: bool,
    /// `JWT_COOKIE_DOMAIN`: `Domain` attribute (a leading dot is dropped, as Werkzeug
    /// does). Defaults to `None`.
    pub cookie_domain: Option<String>,
    /// `JWT_COOKIE_SAMESITE`: `SameSite` attribute. Defaults to `None` (left out).
    pub cookie_samesite: Option<SameSite>,
    /// `JWT_SESSION_COOKIE`: `true` makes browser-session cookies (no `Max-Age`); `false`
    /// makes them last 31,540,000 s. Defaults to `true`.
    pub session_cookie: bool,
    /// `JWT_COOKIE_CSRF_PROTECT`: double-submit CSRF for cookie tokens, and a `csrf`
    /// claim in every new token. Defaults to `true`.
    pub cookie_csrf_protect: bool,

    // ---- CSRF ----
    /// `JWT_CSRF_METHODS`: methods that need the CSRF value, upper-case. Defaults to
    /// `POST`, `PUT`, `PATCH`, `DELETE`.
    pub csrf_methods: Vec<String>,
    /// `JWT_CSRF_IN_COOKIES`: the cookie helpers also set the readable CSRF cookie.
    /// Defaults to `true`.
    pub csrf_in_cookies: bool,
    /// `JWT_ACCESS_CSRF_COOKIE_NAME`. Defaults to `"csrf_access_token"`.
    pub access_csrf_cookie_name: String,
    /// `JWT_REFRESH_CSRF_COOKIE_NAME`. Defaults to `"csrf_refresh_token"`.
    pub refresh_csrf_cookie_name: String,
    /// `JWT_ACCESS_CSRF_COOKIE_PATH`. Defaults to `"/"`.
    pub access_csrf_cookie_path: String,
    /// `JWT_REFRESH_CSRF_COOKIE_PATH`. Defaults to `"/"`.
    pub refresh_csrf_cookie_path: String,
    /// `JWT_ACCESS_CSRF_HEADER_NAME`. Defaults to `"X-CSRF-TOKEN"`.
    pub access_csrf_header_name: String,
    /// `JWT_REFRESH_CSRF_HEADER_NAME`. Defaults to `"X-CSRF-TOKEN"`.
    pub refresh_csrf_header_name: String,
    /// `JWT_CSRF_CHECK_FORM`: also read the CSRF value from a form field. Defaults to `false`.
    pub csrf_check_form: bool,
    /// `JWT_ACCESS_CSRF_FIELD_NAME`. Defaults to `"csrf_token"`.
    pub access_csrf_field_name: String,
    /// `JWT_REFRESH_CSRF_FIELD_NAME`. Defaults to `"csrf_token"`.
    pub refresh_csrf_field_name: String,

    // ---- query string and JSON body ----
    /// `JWT_QUERY_STRING_NAME`: query parameter carrying the token. Defaults to `"jwt"`.
    pub query_string_name: String,
    /// `JWT_QUERY_STRING_VALUE_PREFIX`: required prefix of the value. Defaults to `""`.
    pub query_string_value_prefix: String,
    /// `JWT_JSON_KEY`: JSON body key of access tokens. Defaults to `"access_token"`.
    pub json_key: String,
    /// `JWT_REFRESH_JSON_KEY`: JSON body key of refresh tokens. Defaults to `"refresh_token"`.
    pub refresh_json_key: String,

    // ---- not in flask-jwt-extended ----
    /// `JWT_MAX_TOKEN_SIZE` (not a flask option): the longest token accepted, in bytes.
    /// A longer `Authorization` header answers 431, a longer cookie 431, a longer query
    /// value 414, before any base64 or JSON work. (A JSON body is limited by actix-web's
    /// `web::PayloadConfig`, 256 KiB by default, and answers 413.) Defaults to 8192.
    pub max_token_size: usize,
    /// `JWT_REQUIRE_EXP` (not a flask option): refuse a token without `exp` while tokens
    /// of its kind are configured to expire (flask accepts it). Turn off only to keep
    /// accepting long-lived service tokens minted with `expires_delta=False` under an
    /// expiring configuration. Defaults to `true`.
    pub require_exp: bool,
}

impl Default for JwtConfig {
    fn default() -> Self {
        let s = str::to_owned;
        JwtConfig {
            access_token_expires: Expiry::After(Duration::from_secs(15 * 60)),
            refresh_token_expires: Expiry::After(Duration::from_secs(30 * 24 * 3600)),
            algorithm: Algorithm::HS256,
            decode_algorithms: Vec::new(),
            secret_key: None,
            private_key: None,
            public_key: None,
            decode_audience: None,
            encode_audience: None,
            decode_issuer: None,
            encode_issuer: None,
            decode_leeway: Duration::ZERO,
            encode_nbf: true,
            identity_claim: s("sub"),
            verify_sub: true,
            error_message_key: s("msg"),
            token_location: vec![Location::Headers],
            header_name: s("Authorization"),
            header_type: s("Bearer"),
            access_cookie_name: s("access_token_cookie"),
            refresh_cookie_name: s("refresh_token_cookie"),
            access_cookie_path: s("/"),
            refresh_cookie_path: s("/"),
            cookie_secure: false,
            cookie_domain: None,
            cookie_samesite: None,
            session_cookie: true,
            cookie_csrf_protect: true,
            csrf_methods: ["POST", "PUT", "PATCH", "DELETE"].map(s).to_vec(),
            csrf_in_cookies: true,
            access_csrf_cookie_name: s("csrf_access_token"),
            refresh_csrf_cookie_name: s("csrf_refresh_token"),
            access_csrf_cookie_path: s("/"),
            refresh_csrf_cookie_path: s("/"),
            access_csrf_header_name: s("X-CSRF-TOKEN"),
            refresh_csrf_header_name: s("X-CSRF-TOKEN"),
            csrf_check_form: false,
            access_csrf_field_name: s("csrf_token"),
            refresh_csrf_field_name: s("csrf_token"),
            query_string_name: s("jwt"),
            query_string_value_prefix: String::new(),
            json_key: s("access_token"),
            refresh_json_key: s("refresh_token"),
            max_token_size: 8 * 1024,
            require_exp: true,
        }
    }
}

/// Secrets are never printed.
impl fmt::Debug for JwtConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |key: &Option<String>| key.as_ref().map(|_| "<redacted>");
        f.debug_struct("JwtConfig")
            .field("access_token_expires", &self.access_token_expires)
            .field("refresh_token_expires", &self.refresh_token_expires)
            .field("algorithm", &self.algorithm)
            .field("decode_algorithms", &self.decode_algorithms)
            .field("secret_key", &redacted(&self.secret_key))
            .field("private_key", &redacted(&self.private_key))
            .field("public_key", &self.public_key)
            .field("decode_audience", &self.decode_audience)
            .field("encode_audience", &self.encode_audience)
            .field("decode_issuer", &self.decode_issuer)
            .field("encode_issuer", &self.encode_issuer)
            .field("decode_leeway", &self.decode_leeway)
            .field("encode_nbf", &self.encode_nbf)
            .field("identity_claim", &self.identity_claim)
            .field("verify_sub", &self.verify_sub)
            .field("error_message_key", &self.error_message_key)
            .field("token_location", &self.token_location)
            .field("header_name", &self.header_name)
            .field("header_type", &self.header_type)
            .field("cookie_secure", &self.cookie_secure)
            .field("cookie_domain", &self.cookie_domain)
            .field("cookie_samesite", &self.cookie_samesite)
            .field("session_cookie", &self.session_cookie)
            .field("cookie_csrf_protect", &self.cookie_csrf_protect)
            .field("csrf_methods", &self.csrf_methods)
            .field("max_token_size", &self.max_token_size)
            .field("require_exp", &self.require_exp)
            .finish_non_exhaustive()
    }
}
