//! Finding the token in a request, one module per location.
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

/// What a location holds, as far as it can tell without the body.
pub(crate) enum Lookup<'r> {
    /// The token (and CSRF value) it carries.
    Found(Found<'r>),
    /// Only the body can tell: call [`find_in_body`].
    NeedsBody,
}

/// Looks for the token at `location` without reading the body; `refresh` selects the
/// refresh cookie, CSRF header and field, and JSON key.
pub(crate) fn find_now<'r>(
    manager: &JwtManager,
    req: &'r HttpRequest,
    location: Location,
    refresh: bool,
) -> Result<Lookup<'r>> {
    let config = manager.config();
    let names = manager.header_names();
    match location {
        Location::Headers => headers::find(config, &names.token, req).map(Lookup::Found),
        Location::Cookies => cookies::find_now(config, names.csrf(refresh), req, refresh),
        Location::QueryString => query::find(config, req).map(Lookup::Found),
        Location::Json => json::check_content_type(req).map(|()| Lookup::NeedsBody),
    }
}

/// Looks for the token at a `location` whose [`find_now`] answered
/// [`Lookup::NeedsBody`] (so what it checked holds), reading the body and putting it
/// back for the handler.
pub(crate) async fn find_in_body<'r>(
    manager: &JwtManager,
    req: &'r HttpRequest,
    payload: &mut Payload,
    location: Location,
    refresh: bool,
) -> Result<Found<'r>> {
    let config = manager.config();
    match location {
        Location::Cookies => cookies::find_with_form(config, req, payload, refresh).await,
        Location::Json => json::find(config, req, payload, refresh).await,
        // These never need the body.
        Location::Headers | Location::QueryString => Err(crate::error::Error::internal(
            "a location that needs no body was read from the body",
        )),
    }
}
