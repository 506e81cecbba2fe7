//! Configuration: every one of flask-jwt-extended's 43 `JWT_*` options.
//!
//! [`JwtConfig`] is a plain struct whose [`Default`] is flask-jwt-extended 4.7.4's
//! defaults, field for field. [`JwtConfig::from_env`] reads flask's variable names so a
//! deployment keeps its settings. Nothing here is validated: [`crate::JwtManager`]
//! validates the whole config once, when it is built, and refuses to start with an
//! error naming the option (flask only notices at the first request and answers 500).

use std::{fmt, str::FromStr, time::Duration};

use crate::error::ConfigError;

pub use jsonwebtoken::Algorithm;

/// Where a token may be found in a request (flask's `JWT_TOKEN_LOCATION` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// The `Authorization` header (see [`JwtConfig::header_name`]), `"headers"`.
    Headers,
    /// The access or refresh cookie, with CSRF double submit, `"cookies"`.
    Cookies,
    /// A query-string parameter (see [`JwtConfig::query_string_name`]), `"query_string"`.
    QueryString,
    /// A key of a JSON request body, `"json"`.
    Json,
}

impl Location {
    /// Every location, in flask's documentation order.
    pub const ALL: [Location; 4] = [
        Location::Headers,
        Location::Cookies,
        Location::QueryString,
        Location::Json,
    ];

    /// The flask name of the location: `headers`, `cookies`, `query_string` or `json`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Location::Headers => "headers",
            Location::Cookies => "cookies",
            Location::QueryString => "query_string",
            Location::Json => "json",
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Location {
    type Err = ConfigError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Location::ALL
            .into_iter()
            .find(|location| location.as_str() == name)
            .ok_or_else(|| ConfigError::UnknownTokenLocation(name.to_owned()))
    }
}

/// How long a kind of token lives (flask's `JWT_*_TOKEN_EXPIRES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// The token carries `exp = iat + duration`. A zero duration means [`Expiry::Never`],
    /// as in flask, where `0` is falsy.
    After(Duration),
    /// The token carries no `exp` claim (flask's `False`).
    Never,
}

impl Expiry {
    /// The lifetime, or `None` for tokens that never expire (including a zero duration).
    pub fn duration(self) -> Option<Duration> {
        match self {
            Expiry::After(duration) if !duration.is_zero() => Some(duration),
            _ => None,
        }
    }
}

impl From<Duration> for Expiry {
    fn from(duration: Duration) -> Self {
        Expiry::After(duration)
    }
}

/// The `SameSite` attribute of the cookies the library sets (flask's `JWT_COOKIE_SAMESITE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=Strict`.
    Strict,
    /// `SameSite=Lax`.
    Lax,
    /// `SameSite=None` (browsers also require `Secure`).
    None,
}

impl SameSite {
    /// The attribute value as written in `Set-Cookie`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }
}

impl FromStr for SameSite {
    type Err = ConfigError;

    /// Parses `Strict`, `Lax` or `None`, case-insensitively (Werkzeug title-cases it).
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.to_ascii_lowercase().as_str() {
            "strict" => Ok(SameSite::Strict),
            "lax" => Ok(SameSite::Lax),
            "none" => Ok(SameSite::None),
            _ => Err(ConfigError::InvalidSameSite(value.to_owned())),
        }
    }
}

/// A string or a list of strings: the shapes flask accepts for audiences and issuers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OneOrMany {
    /// A single value, written as a JSON string.
    One(String),
    /// Several values, written as a JSON array.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The values as a slice-like iterator.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let values: &[String] = match self {
            OneOrMany::One(value) => std::slice::from_ref(value),
            OneOrMany::Many(values) => values,
        };
        values.iter().map(String::as_str)
    }

    /// Whether `value` is one of the values.
    pub fn contains(&self, value: &str) -> bool {
        self.iter().any(|candidate| candidate == value)
    }

    fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

impl From<&str> for OneOrMany {
    fn from(value: &str) -> Self {
        OneOrMany::One(value.to_owned())
    }
}

impl From<String> for OneOrMany {
    fn from(value: String) -> Self {
        OneOrMany::One(value)
    }
}

impl From<Vec<String>> for OneOrMany {
    fn from(values: Vec<String>) -> Self {
        OneOrMany::Many(values)
    }
}

impl From<&[&str]> for OneOrMany {
    fn from(values: &[&str]) -> Self {
        OneOrMany::Many(values.iter().map(|value| (*value).to_owned()).collect())
    }
}

/// Every flask-jwt-extended option, with flask's defaults.
///
/// Field `x` is flask's `JWT_X`; the doc line of each field gives its default. Build a
/// [`crate::JwtManager`] from it, which validates everything at once:
///
/// ```
/// use std::time::Duration;
/// use actix_jwt_extended_runtime::{JwtConfig, JwtManager, Location};
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
    // ---- general (reference §1.1) ----
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

    // ---- headers (reference §1.2) ----
    /// `JWT_HEADER_NAME`: request header carrying the token. Defaults to `"Authorization"`.
    pub header_name: String,
    /// `JWT_HEADER_TYPE`: scheme word before the token, matched case-sensitively; empty
    /// means the header holds the bare token. Defaults to `"Bearer"`.
    pub header_type: String,

    // ---- cookies (reference §1.3) ----
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

    // ---- CSRF (reference §1.4) ----
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

    // ---- query string and JSON body (reference §1.5) ----
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

/// Reading flask's `JWT_*` environment variables.
impl JwtConfig {
    /// The defaults, overridden by every `JWT_*` variable set in the process environment.
    ///
    /// Variable names are flask's (`JWT_SECRET_KEY`, `JWT_TOKEN_LOCATION`, …). Durations
    /// are whole seconds, `false` means "never expires"; lists are comma-separated;
    /// booleans are `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`); an empty
    /// variable of an optional setting unsets it. A malformed value is an error naming
    /// the variable.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(std::env::vars())
    }

    /// Like [`Self::from_env`], reading the variables from an iterator of pairs.
    pub fn from_vars<I, K, V>(vars: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut config = JwtConfig::default();
        for (name, value) in vars {
            config.set_var(name.as_ref(), value.as_ref())?;
        }
        Ok(config)
    }

    fn set_var(&mut self, name: &str, value: &str) -> Result<(), ConfigError> {
        let invalid = |expected: &str| ConfigError::InvalidEnvVar {
            name: name.to_owned(),
            value: value.to_owned(),
            expected: expected.to_owned(),
        };
        let string = || value.to_owned();
        let optional = || (!value.is_empty()).then(|| value.to_owned());
        let one_or_many = || {
            let values = split_list(value);
            match values.len() {
                0 => None,
                1 => values.into_iter().next().map(OneOrMany::One),
                _ => Some(OneOrMany::Many(values)),
            }
        };
        let boolean = || parse_bool(value).ok_or_else(|| invalid("`true` or `false`"));
        let expiry = || parse_expiry(value).ok_or_else(|| invalid("whole seconds or `false`"));
        let algorithm = |text: &str| {
            Algorithm::from_str(text.trim()).map_err(|_| ConfigError::UnknownAlgorithm {
                option: name.to_owned(),
                value: text.trim().to_owned(),
            })
        };
        match name {
            "JWT_ACCESS_TOKEN_EXPIRES" => self.access_token_expires = expiry()?,
            "JWT_REFRESH_TOKEN_EXPIRES" => self.refresh_token_expires = expiry()?,
            "JWT_ALGORITHM" => self.algorithm = algorithm(value)?,
            "JWT_DECODE_ALGORITHMS" => {
                self.decode_algorithms = split_list(value)
                    .iter()
                    .map(|text| algorithm(text))
                    .collect::<Result<_, _>>()?;
            }
            "JWT_SECRET_KEY" => self.secret_key = optional(),
            "JWT_PRIVATE_KEY" => self.private_key = optional(),
            "JWT_PUBLIC_KEY" => self.public_key = optional(),
            "JWT_DECODE_AUDIENCE" => self.decode_audience = one_or_many(),
            "JWT_ENCODE_AUDIENCE" => self.encode_audience = one_or_many(),
            "JWT_DECODE_ISSUER" => self.decode_issuer = one_or_many(),
            "JWT_ENCODE_ISSUER" => self.encode_issuer = optional(),
            "JWT_DECODE_LEEWAY" => {
                self.decode_leeway = value
                    .trim()
                    .parse()
                    .map(Duration::from_secs)
                    .map_err(|_| invalid("whole seconds"))?;
            }
            "JWT_ENCODE_NBF" => self.encode_nbf = boolean()?,
            "JWT_IDENTITY_CLAIM" => self.identity_claim = string(),
            "JWT_VERIFY_SUB" => self.verify_sub = boolean()?,
            "JWT_ERROR_MESSAGE_KEY" => self.error_message_key = string(),
            "JWT_TOKEN_LOCATION" => {
                self.token_location = split_list(value)
                    .iter()
                    .map(|text| text.parse())
                    .collect::<Result<_, _>>()?;
            }
            "JWT_HEADER_NAME" => self.header_name = string(),
            "JWT_HEADER_TYPE" => self.header_type = string(),
            "JWT_ACCESS_COOKIE_NAME" => self.access_cookie_name = string(),
            "JWT_REFRESH_COOKIE_NAME" => self.refresh_cookie_name = string(),
            "JWT_ACCESS_COOKIE_PATH" => self.access_cookie_path = string(),
            "JWT_REFRESH_COOKIE_PATH" => self.refresh_cookie_path = string(),
            "JWT_COOKIE_SECURE" => self.cookie_secure = boolean()?,
            "JWT_COOKIE_DOMAIN" => self.cookie_domain = optional(),
            "JWT_COOKIE_SAMESITE" => {
                self.cookie_samesite = match value.trim() {
                    "" => None,
                    text => Some(text.parse()?),
                };
            }
            "JWT_SESSION_COOKIE" => self.session_cookie = boolean()?,
            "JWT_COOKIE_CSRF_PROTECT" => self.cookie_csrf_protect = boolean()?,
            "JWT_CSRF_METHODS" => self.csrf_methods = split_list(value),
            "JWT_CSRF_IN_COOKIES" => self.csrf_in_cookies = boolean()?,
            "JWT_ACCESS_CSRF_COOKIE_NAME" => self.access_csrf_cookie_name = string(),
            "JWT_REFRESH_CSRF_COOKIE_NAME" => self.refresh_csrf_cookie_name = string(),
            "JWT_ACCESS_CSRF_COOKIE_PATH" => self.access_csrf_cookie_path = string(),
            "JWT_REFRESH_CSRF_COOKIE_PATH" => self.refresh_csrf_cookie_path = string(),
            "JWT_ACCESS_CSRF_HEADER_NAME" => self.access_csrf_header_name = string(),
            "JWT_REFRESH_CSRF_HEADER_NAME" => self.refresh_csrf_header_name = string(),
            "JWT_CSRF_CHECK_FORM" => self.csrf_check_form = boolean()?,
            "JWT_ACCESS_CSRF_FIELD_NAME" => self.access_csrf_field_name = string(),
            "JWT_REFRESH_CSRF_FIELD_NAME" => self.refresh_csrf_field_name = string(),
            "JWT_QUERY_STRING_NAME" => self.query_string_name = string(),
            "JWT_QUERY_STRING_VALUE_PREFIX" => self.query_string_value_prefix = string(),
            "JWT_JSON_KEY" => self.json_key = string(),
            "JWT_REFRESH_JSON_KEY" => self.refresh_json_key = string(),
            "JWT_REQUIRE_EXP" => self.require_exp = boolean()?,
            "JWT_MAX_TOKEN_SIZE" => {
                self.max_token_size = value
                    .trim()
                    .parse()
                    .map_err(|_| invalid("a size in bytes"))?;
            }
            // Other variables, including options flask 4 removed, are ignored as flask does.
            _ => {}
        }
        Ok(())
    }
}

fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn parse_expiry(value: &str) -> Option<Expiry> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("false") {
        return Some(Expiry::Never);
    }
    value
        .parse()
        .ok()
        .map(|seconds| Expiry::After(Duration::from_secs(seconds)))
}

impl JwtConfig {
    /// Checks every option that does not need keys (the manager checks those), in a
    /// fixed order, and returns the first problem.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.max_token_size < 64 {
            return Err(ConfigError::TooSmall {
                option: "JWT_MAX_TOKEN_SIZE",
                minimum: 64,
            });
        }
        if self.token_location.is_empty() {
            return Err(ConfigError::EmptyTokenLocation);
        }
        if let Some(duplicate) = first_duplicate(&self.token_location) {
            return Err(ConfigError::DuplicateTokenLocation(duplicate));
        }
        let non_empty = [
            ("JWT_HEADER_NAME", &self.header_name),
            ("JWT_IDENTITY_CLAIM", &self.identity_claim),
            ("JWT_ERROR_MESSAGE_KEY", &self.error_message_key),
            ("JWT_ACCESS_COOKIE_NAME", &self.access_cookie_name),
            ("JWT_REFRESH_COOKIE_NAME", &self.refresh_cookie_name),
            ("JWT_ACCESS_CSRF_COOKIE_NAME", &self.access_csrf_cookie_name),
            (
                "JWT_REFRESH_CSRF_COOKIE_NAME",
                &self.refresh_csrf_cookie_name,
            ),
            ("JWT_ACCESS_CSRF_HEADER_NAME", &self.access_csrf_header_name),
            (
                "JWT_REFRESH_CSRF_HEADER_NAME",
                &self.refresh_csrf_header_name,
            ),
            ("JWT_ACCESS_CSRF_FIELD_NAME", &self.access_csrf_field_name),
            ("JWT_REFRESH_CSRF_FIELD_NAME", &self.refresh_csrf_field_name),
            ("JWT_QUERY_STRING_NAME", &self.query_string_name),
            ("JWT_JSON_KEY", &self.json_key),
            ("JWT_REFRESH_JSON_KEY", &self.refresh_json_key),
        ];
        for (option, value) in non_empty {
            if value.trim().is_empty() {
                return Err(ConfigError::Empty(option));
            }
        }
        let header_names = [
            ("JWT_HEADER_NAME", &self.header_name),
            ("JWT_ACCESS_CSRF_HEADER_NAME", &self.access_csrf_header_name),
            (
                "JWT_REFRESH_CSRF_HEADER_NAME",
                &self.refresh_csrf_header_name,
            ),
        ];
        for (option, value) in header_names {
            if actix_web::http::header::HeaderName::from_bytes(value.as_bytes()).is_err() {
                return Err(ConfigError::InvalidHeaderName {
                    option,
                    value: value.clone(),
                });
            }
        }
        if self.header_type.chars().any(char::is_whitespace) {
            return Err(ConfigError::InvalidHeaderType(self.header_type.clone()));
        }
        let cookie_names = [
            ("JWT_ACCESS_COOKIE_NAME", &self.access_cookie_name),
            ("JWT_REFRESH_COOKIE_NAME", &self.refresh_cookie_name),
            ("JWT_ACCESS_CSRF_COOKIE_NAME", &self.access_csrf_cookie_name),
            (
                "JWT_REFRESH_CSRF_COOKIE_NAME",
                &self.refresh_csrf_cookie_name,
            ),
        ];
        for (option, value) in cookie_names {
            if !value.bytes().all(is_cookie_name_byte) {
                return Err(ConfigError::InvalidCookieName {
                    option,
                    value: value.clone(),
                });
            }
        }
        let cookie_attributes = [
            ("JWT_ACCESS_COOKIE_PATH", Some(&self.access_cookie_path)),
            ("JWT_REFRESH_COOKIE_PATH", Some(&self.refresh_cookie_path)),
            (
                "JWT_ACCESS_CSRF_COOKIE_PATH",
                Some(&self.access_csrf_cookie_path),
            ),
            (
                "JWT_REFRESH_CSRF_COOKIE_PATH",
                Some(&self.refresh_csrf_cookie_path),
            ),
            ("JWT_COOKIE_DOMAIN", self.cookie_domain.as_ref()),
        ];
        for (option, value) in cookie_attributes {
            let Some(value) = value else { continue };
            let valid =
                !value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic() && b != b';');
            if !valid {
                return Err(ConfigError::InvalidCookieAttribute {
                    option,
                    value: value.clone(),
                });
            }
        }
        for method in &self.csrf_methods {
            let valid = !method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase());
            if !valid {
                return Err(ConfigError::InvalidCsrfMethod(method.clone()));
            }
        }
        for (option, value) in [
            ("JWT_DECODE_AUDIENCE", &self.decode_audience),
            ("JWT_ENCODE_AUDIENCE", &self.encode_audience),
            ("JWT_DECODE_ISSUER", &self.decode_issuer),
        ] {
            if value.as_ref().is_some_and(OneOrMany::is_empty) {
                return Err(ConfigError::Empty(option));
            }
        }
        Ok(())
    }
}

/// RFC 6265 `token` characters: what a cookie name may contain.
fn is_cookie_name_byte(byte: u8) -> bool {
    byte.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&byte)
}

fn first_duplicate(locations: &[Location]) -> Option<Location> {
    locations
        .iter()
        .enumerate()
        .find(|(index, location)| locations[..*index].contains(location))
        .map(|(_, location)| *location)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn from_vars_reads_flask_names() {
        let config = JwtConfig::from_vars([
            ("JWT_ACCESS_TOKEN_EXPIRES", "60"),
            ("JWT_REFRESH_TOKEN_EXPIRES", "false"),
            ("JWT_TOKEN_LOCATION", "headers, cookies"),
            ("JWT_COOKIE_SAMESITE", "lax"),
            ("JWT_DECODE_AUDIENCE", "a,b"),
            ("JWT_SESSION_COOKIE", "False"),
            ("UNRELATED", "x"),
        ])
        .expect("valid variables");
        assert_eq!(
            config.access_token_expires,
            Expiry::After(Duration::from_secs(60))
        );
        assert_eq!(config.refresh_token_expires, Expiry::Never);
        assert_eq!(
            config.token_location,
            vec![Location::Headers, Location::Cookies]
        );
        assert_eq!(config.cookie_samesite, Some(SameSite::Lax));
        assert_eq!(
            config.decode_audience,
            Some(OneOrMany::Many(vec!["a".into(), "b".into()]))
        );
        assert!(!config.session_cookie);
    }

    #[test]
    fn from_vars_names_the_bad_variable() {
        let error = JwtConfig::from_vars([("JWT_ENCODE_NBF", "maybe")]).unwrap_err();
        assert!(error.to_string().contains("JWT_ENCODE_NBF"), "{error}");
        let error = JwtConfig::from_vars([("JWT_TOKEN_LOCATION", "header")]).unwrap_err();
        assert!(error.to_string().contains("header"), "{error}");
    }
}
