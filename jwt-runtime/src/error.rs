//! Why a request was refused ([`Error`]). (Why a configuration was refused is
//! [`crate::ConfigError`], beside the configuration.)
//!
//! Every request error has flask-jwt-extended's status code and message, and renders
//! as flask does: a compact JSON body `{"msg": …}` with a trailing newline.
//! Inside a request the manager renders it, so the configured message key and the
//! registered error loaders apply; used on its own ([`actix_web::ResponseError`]), it
//! renders with the default key `msg`.

use std::{fmt, sync::Arc};

use actix_web::http::StatusCode;

use crate::token::DecodedToken;

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

/// A result whose error is a request [`Error`].
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
