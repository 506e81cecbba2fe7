//! The responses for refused requests: the registered error loader's, else
//! flask-jwt-extended's default, a compact JSON body with a trailing newline.

use actix_web::{HttpResponse, ResponseError, error::InternalError, http::StatusCode};

use crate::{
    callbacks::{TokenResponse, guard},
    error::{Error, ErrorKind, Result},
    manager::JwtManager,
    token::DecodedToken,
};

/// `{"<key>": "<message>"}\n` with `Content-Type: application/json`, as Flask's
/// `jsonify` writes it.
pub fn json_message(status: StatusCode, key: &str, message: &str) -> HttpResponse {
    let mut body = serde_json::Map::with_capacity(1);
    body.insert(key.to_owned(), serde_json::Value::from(message));
    let mut text = serde_json::Value::Object(body).to_string();
    text.push('\n');
    HttpResponse::build(status)
        .content_type("application/json")
        .body(text)
}

/// Renders with flask's default body under the default key `msg`. Inside a request the
/// manager renders instead, with the configured key and error loaders.
impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        json_message(self.status(), "msg", &self.message())
    }
}

impl JwtManager {
    /// The response for `error`: the registered error loader's, else flask-jwt-extended's
    /// default with the configured message key.
    pub fn error_response(&self, error: &Error) -> HttpResponse {
        let callbacks = self.callbacks();
        let message = error.message();
        let token = error.token();
        let custom = match error.kind() {
            ErrorKind::NoAuthorization(_) | ErrorKind::Csrf(_) => callbacks
                .unauthorized
                .as_ref()
                .map(|loader| guard("unauthorized_loader", || loader(&message))),
            ErrorKind::InvalidCarrier(_)
            | ErrorKind::InvalidToken(_)
            | ErrorKind::WrongTokenType(_) => callbacks
                .invalid_token
                .as_ref()
                .map(|loader| guard("invalid_token_loader", || loader(&message))),
            ErrorKind::Expired => {
                token_loader(&callbacks.expired_token, token, "expired_token_loader")
            }
            ErrorKind::FreshTokenRequired => token_loader(
                &callbacks.needs_fresh_token,
                token,
                "needs_fresh_token_loader",
            ),
            ErrorKind::Revoked => {
                token_loader(&callbacks.revoked_token, token, "revoked_token_loader")
            }
            ErrorKind::UserClaimsVerificationFailed => token_loader(
                &callbacks.token_verification_failed,
                token,
                "token_verification_failed_loader",
            ),
            ErrorKind::UserLookup(_) => token_loader(
                &callbacks.user_lookup_error,
                token,
                "user_lookup_error_loader",
            ),
            ErrorKind::Internal(details) => {
                log::error!("actix-jwt-extended: {details}");
                None
            }
            _ => None,
        };
        match custom {
            Some(Ok(response)) => response,
            Some(Err(panic)) => self.error_response(&panic),
            None => json_message(error.status(), &self.config().error_message_key, &message),
        }
    }

    /// `error` as an actix error carrying this manager's response for it.
    pub(crate) fn error_into_actix(&self, error: Error) -> actix_web::Error {
        let response = self.error_response(&error);
        InternalError::from_response(error, response).into()
    }
}

fn token_loader(
    loader: &Option<TokenResponse>,
    token: Option<&DecodedToken>,
    name: &str,
) -> Option<Result<HttpResponse>> {
    let (loader, token) = (loader.as_ref()?, token?);
    Some(guard(name, || loader(token)))
}
