//! Errors: why a request was refused ([`Error`]) and why a config was refused
//! ([`ConfigError`]).
//!
//! Every request error has flask-jwt-extended's status code and message (reference §4),
//! and renders as flask does: a compact JSON body `{"msg": …}` with a trailing newline.
//! Inside a request the manager renders it, so the configured message key and the
//! registered error loaders apply; used on its own ([`actix_web::ResponseError`]), it
//! renders with the default key `msg`.

use std::{fmt, sync::Arc};

use actix_web::{HttpResponse, ResponseError, http::StatusCode};

use crate::{config::Location, token::DecodedToken};

/// Why a token or request was refused.
///
/// Cheap to move (one box). [`Error::kind`] tells what happened; [`Error::token`] holds
/// the decoded token for the errors flask hands to a `(jwt_header, jwt_payload)` loader
/// (expired, needs fresh, revoked, verification failed, user lookup).
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    token: Option<Arc<DecodedToken>>,
}

/// What went wrong, with the message flask-jwt-extended sends.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No token in the request (401, flask's `NoAuthorizationError`), e.g.
    /// `Missing Authorization Header`. The only error an `optional` route tolerates.
    NoAuthorization(String),
    /// CSRF double submit failed (401, flask's `CSRFError`): `Missing CSRF token` or
    /// `CSRF double submit tokens do not match`.
    Csrf(String),
    /// The token's carrier is malformed (422, flask's `InvalidHeaderError` and
    /// `InvalidQueryParamError`), e.g. `Bad Authorization header. Expected
    /// 'Authorization: Bearer <JWT>'`.
    InvalidCarrier(String),
    /// The token itself is invalid (422: PyJWT's errors and flask's `JWTDecodeError`),
    /// e.g. `Signature verification failed` or `Missing claim: sub`.
    InvalidToken(String),
    /// Wrong token type for the route (422, flask's `WrongTokenError`):
    /// `Only non-refresh tokens are allowed` or `Only refresh tokens are allowed`.
    WrongTokenType(String),
    /// The token has expired (401, `Token has expired`).
    Expired,
    /// The route needs a fresh token (401, `Fresh token required`).
    FreshTokenRequired,
    /// The token is in the blocklist (401, `Token has been revoked`).
    Revoked,
    /// The token verification callback refused the token (400,
    /// `User claims verification failed`).
    UserClaimsVerificationFailed,
    /// The user lookup callback found no user (401, `Error loading the user <identity>`);
    /// holds the identity as flask prints it.
    UserLookup(String),
    /// The request body was larger than allowed (413).
    PayloadTooLarge(String),
    /// A header or cookie carrying the token is larger than `JWT_MAX_TOKEN_SIZE` (431).
    HeaderTooLarge(String),
    /// The query value carrying the token is larger than `JWT_MAX_TOKEN_SIZE` (414).
    UriTooLong(String),
    /// The blocklist store could not be asked (503); verification fails closed.
    BlocklistUnavailable(String),
    /// The server is set up wrongly, e.g. no [`crate::JwtManager`] registered (500).
    /// Never caused by request input; the details are logged, not sent.
    Internal(String),
}

impl ErrorKind {
    /// The HTTP status flask-jwt-extended answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            ErrorKind::NoAuthorization(_)
            | ErrorKind::Csrf(_)
            | ErrorKind::Expired
            | ErrorKind::FreshTokenRequired
            | ErrorKind::Revoked
            | ErrorKind::UserLookup(_) => StatusCode::UNAUTHORIZED,
            ErrorKind::InvalidCarrier(_)
            | ErrorKind::InvalidToken(_)
            | ErrorKind::WrongTokenType(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::UserClaimsVerificationFailed => StatusCode::BAD_REQUEST,
            ErrorKind::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::HeaderTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ErrorKind::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ErrorKind::BlocklistUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message of the default response body.
    pub fn message(&self) -> String {
        match self {
            ErrorKind::NoAuthorization(message)
            | ErrorKind::Csrf(message)
            | ErrorKind::InvalidCarrier(message)
            | ErrorKind::InvalidToken(message)
            | ErrorKind::WrongTokenType(message)
            | ErrorKind::PayloadTooLarge(message)
            | ErrorKind::HeaderTooLarge(message)
            | ErrorKind::UriTooLong(message) => message.clone(),
            ErrorKind::Expired => "Token has expired".to_owned(),
            ErrorKind::FreshTokenRequired => "Fresh token required".to_owned(),
            ErrorKind::Revoked => "Token has been revoked".to_owned(),
            ErrorKind::UserClaimsVerificationFailed => "User claims verification failed".to_owned(),
            ErrorKind::UserLookup(identity) => format!("Error loading the user {identity}"),
            ErrorKind::BlocklistUnavailable(_) => {
                "Token revocation status is unavailable, try again later".to_owned()
            }
            ErrorKind::Internal(_) => "Internal Server Error".to_owned(),
        }
    }
}

impl Error {
    /// An error of `kind` with no token attached.
    pub fn new(kind: ErrorKind) -> Self {
        Error(Box::new(Inner { kind, token: None }))
    }

    /// An error of `kind` about `token`.
    pub(crate) fn with_token(kind: ErrorKind, token: Arc<DecodedToken>) -> Self {
        Error(Box::new(Inner {
            kind,
            token: Some(token),
        }))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// Consumes the error, returning what went wrong.
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }

    /// The decoded token the error is about, for expired, needs-fresh, revoked,
    /// verification-failed and user-lookup errors.
    pub fn token(&self) -> Option<&DecodedToken> {
        self.0.token.as_deref()
    }

    /// The HTTP status of the default response.
    pub fn status(&self) -> StatusCode {
        self.0.kind.status()
    }

    /// The message of the default response.
    pub fn message(&self) -> String {
        self.0.kind.message()
    }

    /// Whether the request simply carried no token (the error `optional` tolerates).
    pub fn is_missing_token(&self) -> bool {
        matches!(self.0.kind, ErrorKind::NoAuthorization(_))
    }

    pub(crate) fn no_authorization(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::NoAuthorization(message.into()))
    }

    pub(crate) fn invalid_token(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidToken(message.into()))
    }

    pub(crate) fn invalid_carrier(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidCarrier(message.into()))
    }

    pub(crate) fn blocklist_unavailable(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::BlocklistUnavailable(message.into()))
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal(message.into()))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("has_token", &self.0.token.is_some())
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.kind {
            ErrorKind::Internal(details) | ErrorKind::BlocklistUnavailable(details) => {
                write!(f, "{}: {details}", self.message())
            }
            _ => f.write_str(&self.message()),
        }
    }
}

impl std::error::Error for Error {}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error::new(kind)
    }
}

/// Renders with flask's default body under the default key `msg`. Inside a request the
/// manager renders instead, with the configured key and error loaders.
impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        crate::response::json_message(self.status(), "msg", &self.message())
    }
}

/// A result whose error is a request [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a [`crate::JwtConfig`] was refused when building the [`crate::JwtManager`].
///
/// Every variant names the flask option at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// `JWT_SECRET_KEY` is missing or empty while an `HS*` algorithm is used.
    MissingSecretKey(jsonwebtoken::Algorithm),
    /// `JWT_PRIVATE_KEY` is missing while an asymmetric algorithm is used.
    MissingPrivateKey(jsonwebtoken::Algorithm),
    /// `JWT_PUBLIC_KEY` is missing while an asymmetric algorithm is used.
    MissingPublicKey(jsonwebtoken::Algorithm),
    /// A PEM key could not be parsed for the algorithm.
    InvalidKey {
        /// `JWT_PRIVATE_KEY` or `JWT_PUBLIC_KEY`.
        option: &'static str,
        /// The algorithm the key was read for.
        algorithm: jsonwebtoken::Algorithm,
        /// What the PEM parser said.
        reason: String,
    },
    /// `JWT_DECODE_ALGORITHMS` holds an algorithm whose key family differs from
    /// `JWT_ALGORITHM`'s (one key cannot verify both; accepting both invites key confusion).
    MixedAlgorithmFamilies {
        /// The signing algorithm.
        algorithm: jsonwebtoken::Algorithm,
        /// The decode algorithm of another family.
        other: jsonwebtoken::Algorithm,
    },
    /// An algorithm name that is not supported.
    UnknownAlgorithm {
        /// The option (environment variable) that held it.
        option: String,
        /// The name given.
        value: String,
    },
    /// `JWT_TOKEN_LOCATION` is empty.
    EmptyTokenLocation,
    /// `JWT_TOKEN_LOCATION` names something other than `headers`, `cookies`,
    /// `query_string` or `json`.
    UnknownTokenLocation(String),
    /// `JWT_TOKEN_LOCATION` names a location twice.
    DuplicateTokenLocation(Location),
    /// An option that must not be empty is empty.
    Empty(&'static str),
    /// A size option is below its minimum.
    TooSmall {
        /// The option.
        option: &'static str,
        /// The smallest accepted value.
        minimum: usize,
    },
    /// A header-name option is not a valid HTTP header name.
    InvalidHeaderName {
        /// The option.
        option: &'static str,
        /// Its value.
        value: String,
    },
    /// `JWT_HEADER_TYPE` contains whitespace (it is one word, or empty).
    InvalidHeaderType(String),
    /// A cookie-name option is not a valid cookie name.
    InvalidCookieName {
        /// The option.
        option: &'static str,
        /// Its value.
        value: String,
    },
    /// A cookie path or domain option is empty or holds a space, `;` or a control
    /// character.
    InvalidCookieAttribute {
        /// The option.
        option: &'static str,
        /// Its value.
        value: String,
    },
    /// `JWT_COOKIE_SAMESITE` is not `Strict`, `Lax` or `None`.
    InvalidSameSite(String),
    /// `JWT_CSRF_METHODS` holds an entry that is not an upper-case method name
    /// (flask compares with the upper-case request method, so it would never match).
    InvalidCsrfMethod(String),
    /// An environment variable could not be parsed.
    InvalidEnvVar {
        /// The variable.
        name: String,
        /// Its value.
        value: String,
        /// What was expected.
        expected: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingSecretKey(algorithm) => write!(
                f,
                "JWT_SECRET_KEY must be set when using symmetric algorithm \"{algorithm:?}\""
            ),
            ConfigError::MissingPrivateKey(algorithm) => write!(
                f,
                "JWT_PRIVATE_KEY must be set to use asymmetric cryptography algorithm \"{algorithm:?}\""
            ),
            ConfigError::MissingPublicKey(algorithm) => write!(
                f,
                "JWT_PUBLIC_KEY must be set to use asymmetric cryptography algorithm \"{algorithm:?}\""
            ),
            ConfigError::InvalidKey {
                option,
                algorithm,
                reason,
            } => write!(
                f,
                "{option} is not a valid PEM key for algorithm \"{algorithm:?}\": {reason}"
            ),
            ConfigError::MixedAlgorithmFamilies { algorithm, other } => write!(
                f,
                "JWT_DECODE_ALGORITHMS contains \"{other:?}\", whose key family differs from JWT_ALGORITHM \"{algorithm:?}\""
            ),
            ConfigError::UnknownAlgorithm { option, value } => {
                write!(f, "{option} names an unsupported algorithm \"{value}\"")
            }
            ConfigError::EmptyTokenLocation => f.write_str(
                "JWT_TOKEN_LOCATION must contain at least one of \"headers\", \"cookies\", \"query_string\", or \"json\"",
            ),
            ConfigError::UnknownTokenLocation(name) => write!(
                f,
                "JWT_TOKEN_LOCATION can only contain \"headers\", \"cookies\", \"query_string\", or \"json\", not \"{name}\""
            ),
            ConfigError::DuplicateTokenLocation(location) => {
                write!(f, "JWT_TOKEN_LOCATION contains \"{location}\" twice")
            }
            ConfigError::Empty(option) => write!(f, "{option} cannot be empty"),
            ConfigError::TooSmall { option, minimum } => {
                write!(f, "{option} must be at least {minimum}")
            }
            ConfigError::InvalidHeaderName { option, value } => {
                write!(f, "{option} is not a valid HTTP header name: \"{value}\"")
            }
            ConfigError::InvalidHeaderType(value) => write!(
                f,
                "JWT_HEADER_TYPE must be one word without whitespace (or empty), not \"{value}\""
            ),
            ConfigError::InvalidCookieName { option, value } => {
                write!(f, "{option} is not a valid cookie name: \"{value}\"")
            }
            ConfigError::InvalidCookieAttribute { option, value } => {
                write!(f, "{option} is not a valid cookie attribute value: \"{value}\"")
            }
            ConfigError::InvalidSameSite(value) => write!(
                f,
                "JWT_COOKIE_SAMESITE must be 'Strict', 'Lax', or 'None', not \"{value}\""
            ),
            ConfigError::InvalidCsrfMethod(value) => write!(
                f,
                "JWT_CSRF_METHODS must hold upper-case method names, not \"{value}\""
            ),
            ConfigError::InvalidEnvVar {
                name,
                value,
                expected,
            } => write!(f, "{name}={value:?} is invalid: expected {expected}"),
        }
    }
}

impl std::error::Error for ConfigError {}
