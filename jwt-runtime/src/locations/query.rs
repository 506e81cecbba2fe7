//! The `query_string` location: `?jwt=<JWT>`, with an optional required value prefix.

use actix_web::{HttpRequest, web};

use super::Found;
use crate::{
    config::JwtConfig,
    error::{Error, ErrorKind, Result},
};

pub(super) fn find(config: &JwtConfig, req: &HttpRequest) -> Result<Found<'static>> {
    let name = &config.query_string_name;
    let prefix = &config.query_string_value_prefix;
    // The first value of the parameter, as Werkzeug's `request.args.get`. A query string
    // that does not decode holds no token.
    let value = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|pairs| {
            pairs
                .into_inner()
                .into_iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value)
        })
        .filter(|value| !value.is_empty());
    // "paramater" is flask's spelling; clients may match on the message.
    let value = value
        .ok_or_else(|| Error::no_authorization(format!("Missing '{name}' query paramater")))?;
    super::check_size(config, value.len(), ErrorKind::UriTooLong, || {
        format!("Query parameter '{name}'")
    })?;
    match value.strip_prefix(prefix.as_str()) {
        Some(token) => Ok(Found::token(token.to_owned())),
        None => Err(Error::invalid_carrier(format!(
            "Invalid value for query parameter '{name}'. Expected the value to start with '{prefix}'"
        ))),
    }
}
