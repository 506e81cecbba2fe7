//! Why a token could not be created, and how that answers a request.

use std::fmt;

use actix_web::{HttpResponse, ResponseError, http::StatusCode};

use crate::error::Error;

/// Why a token could not be created (flask raises `TypeError` in these cases).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError(String);

impl EncodeError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        EncodeError(message.into())
    }

    pub(crate) fn signing(reason: String) -> Self {
        EncodeError(format!("cannot sign the token: {reason}"))
    }

    pub(crate) fn serialize(error: serde_json::Error) -> Self {
        EncodeError(format!("cannot serialize the token: {error}"))
    }

    pub(crate) fn identity(reason: String) -> Self {
        EncodeError(format!("identity is not serializable: {reason}"))
    }

    pub(crate) fn callback(reason: String) -> Self {
        EncodeError(reason)
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

/// A token that cannot be made is the server's fault (a callback or a claim that does
/// not serialize), never the client's: 500 with flask's generic body, and the reason in
/// the log. This makes `manager.access_token(..).build()?` work in a handler.
impl ResponseError for EncodeError {
    fn status_code(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }

    fn error_response(&self) -> HttpResponse {
        log::error!("actix-jwt-extended: {self}");
        Error::from(self.clone()).error_response()
    }
}

/// So token building and the cookie helpers share one error type in a handler.
impl From<EncodeError> for Error {
    fn from(error: EncodeError) -> Self {
        Error::internal(format!("cannot create a token: {error}"))
    }
}
