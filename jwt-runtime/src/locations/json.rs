//! The `json` location: a key of a JSON request body (`{"access_token": "<JWT>"}`).

use actix_web::{HttpRequest, dev::Payload};
use serde_json::Value;

use super::{Found, body};
use crate::{
    config::JwtConfig,
    error::{Error, ErrorKind, Result},
};

/// A body that is not JSON holds no token, and need not be read to know it.
pub(super) fn check_content_type(req: &HttpRequest) -> Result<()> {
    if body::is_json(req) {
        Ok(())
    } else {
        Err(Error::no_authorization(
            "Invalid content-type. Must be application/json.",
        ))
    }
}

/// The token in a JSON body whose content type [`check_content_type`] accepted.
pub(super) async fn find(
    config: &JwtConfig,
    req: &HttpRequest,
    payload: &mut Payload,
    refresh: bool,
) -> Result<Found<'static>> {
    let key = if refresh {
        &config.refresh_json_key
    } else {
        &config.json_key
    };
    let missing = || Error::no_authorization(format!("Missing \"{key}\" key in json data."));
    let bytes = body::buffer(req, payload).await?;
    // Invalid JSON, `null`, an array (a 500 in flask) or a body without the key: missing.
    let Ok(Value::Object(mut object)) = serde_json::from_slice::<Value>(&bytes) else {
        return Err(missing());
    };
    match object.remove(key.as_str()) {
        Some(Value::String(token)) if !token.is_empty() => {
            super::check_size(config, token.len(), ErrorKind::PayloadTooLarge, || {
                "Token".to_owned()
            })?;
            Ok(Found::token(token))
        }
        // Falsy values count as missing in flask.
        None | Some(Value::Null | Value::Bool(false) | Value::String(_)) => Err(missing()),
        Some(Value::Number(number)) if number.as_f64() == Some(0.0) => Err(missing()),
        Some(Value::Array(list)) if list.is_empty() => Err(missing()),
        Some(Value::Object(map)) if map.is_empty() => Err(missing()),
        // A truthy non-string reaches PyJWT, which refuses it with this message.
        Some(_) => Err(Error::invalid_token(
            "Invalid token type. Token must be a <class 'bytes'>",
        )),
    }
}
