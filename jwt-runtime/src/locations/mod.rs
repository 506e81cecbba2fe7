//! Finding the token in a request, one module per location (reference §4.1, §6, §7).
//!
//! Each finder answers [`Error::is_missing_token`] when its location holds no token
//! (verification then tries the next location) and any other error when the location
//! holds something malformed (verification stops there).

mod body;
mod cookies;
mod headers;
mod json;
mod query;

use std::borrow::Cow;

use actix_web::{HttpRequest, dev::Payload};

use crate::{config::Location, error::Result, manager::JwtManager};

/// A token found in a request, with the CSRF value sent beside it (cookies only).
/// Borrowed from the request where it can be, so the common case copies nothing.
#[derive(Debug)]
pub(crate) struct Found<'r> {
    pub(crate) token: Cow<'r, str>,
    pub(crate) csrf_value: Option<Cow<'r, str>>,
}

/// Refuses a token carrier longer than `JWT_MAX_TOKEN_SIZE` before any work on it.
/// `what` names the carrier in the message; it is only called on failure.
fn check_size(
    config: &crate::config::JwtConfig,
    len: usize,
    kind: fn(String) -> crate::error::ErrorKind,
    what: impl FnOnce() -> String,
) -> Result<()> {
    if len > config.max_token_size {
        return Err(crate::error::Error::new(kind(format!(
            "{} is too large",
            what()
        ))));
    }
    Ok(())
}

impl<'r> Found<'r> {
    fn token(token: impl Into<Cow<'r, str>>) -> Self {
        Found {
            token: token.into(),
            csrf_value: None,
        }
    }
}

/// Looks for the token at `location`; `refresh` selects the refresh cookie, CSRF
/// header and field, and JSON key.
pub(crate) async fn find<'r>(
    manager: &JwtManager,
    req: &'r HttpRequest,
    payload: &mut Payload,
    location: Location,
    refresh: bool,
) -> Result<Found<'r>> {
    let config = manager.config();
    match location {
        Location::Headers => headers::find(config, &manager.header_names().token, req),
        Location::Cookies => {
            let names = manager.header_names();
            let csrf_header = if refresh {
                &names.refresh_csrf
            } else {
                &names.access_csrf
            };
            cookies::find(config, csrf_header, req, payload, refresh).await
        }
        Location::QueryString => query::find(config, req),
        Location::Json => json::find(config, req, payload, refresh).await,
    }
}
