//! What a token is, apart from how it is made (`encode`) or checked (`decode`): the
//! verified token ([`DecodedToken`]), its type and freshness, the ordered JSON object
//! claims are written as (`fields`), and the strict JSON reading every member goes
//! through (`strict_json`).

mod decoded;
pub(crate) mod fields;
pub(crate) mod strict_json;

use std::fmt;

use serde::{Serialize, Serializer};

pub use decoded::DecodedToken;
pub(crate) use decoded::{CustomClaim, Identity, Registered, TextClaim};

/// The claim linking an access token to its login's refresh token
/// ([`crate::JwtManager::token_pair`]), so revoking either revokes the login.
pub(crate) const REFRESH_JTI_CLAIM: &str = "refresh_jti";

/// The kind of a token: flask's `type` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenType {
    /// `"access"`: sent with requests to protected routes.
    Access,
    /// `"refresh"`: exchanged for new access tokens on `refresh` routes.
    Refresh,
}

impl TokenType {
    /// The value of the `type` claim.
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenType::Access => "access",
            TokenType::Refresh => "refresh",
        }
    }
}

impl fmt::Display for TokenType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serializes as the `type` claim's value (`"access"`).
impl Serialize for TokenType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Compares with the `type` claim's value: `token.token_type() == "access"`.
impl PartialEq<str> for TokenType {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for TokenType {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The `fresh` claim as flask stores it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Freshness {
    /// `true` or `false`.
    Flag(bool),
    /// A UNIX timestamp (seconds, with fractions) until which the token is fresh.
    Until(f64),
}

impl Freshness {
    /// Whether a token with this claim counts as fresh at `now` (UNIX seconds), as flask
    /// decides: a flag must be `true`, a timestamp must not be in the past.
    pub fn is_fresh_at(self, now: f64) -> bool {
        match self {
            Freshness::Flag(fresh) => fresh,
            Freshness::Until(until) => until >= now,
        }
    }
}
