//! The value types of the options: where tokens are looked for, how long they live, the
//! cookies' `SameSite`, and the one-or-many shape of audiences and issuers.

use std::{fmt, time::Duration};

use serde::{Serialize, Serializer};

pub use jsonwebtoken::Algorithm;

/// Where a token may be found in a request (flask's `JWT_TOKEN_LOCATION` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// The `Authorization` header (see [`JwtConfig::header_name`](crate::JwtConfig::header_name)), `"headers"`.
    Headers,
    /// The access or refresh cookie, with CSRF double submit, `"cookies"`.
    Cookies,
    /// A query-string parameter (see [`JwtConfig::query_string_name`](crate::JwtConfig::query_string_name)), `"query_string"`.
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

/// Serializes as the flask name (`"headers"`), so a handler can answer with
/// `jwt.location()` directly, as flask's `get_jwt_request_location()` does.
impl Serialize for Location {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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

    pub(crate) fn is_empty(&self) -> bool {
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
