//! Tokens: flask-jwt-extended's claim layout, creating tokens ([`encode`]) and decoding
//! them with PyJWT's checks and messages ([`crate::JwtManager::decode_token`]).

pub(crate) mod decode;
pub mod encode;
pub(crate) mod fields;
pub(crate) mod strict_json;

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::config::Location;

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

/// A verified token: its header and its claims, with flask's defaults filled in
/// (`type` = `"access"`, `fresh` = `false`, `jti` = `null` when missing), exactly what
/// flask's `get_jwt_header()` and `get_jwt()` return.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedToken {
    header: Map<String, Value>,
    /// Always a JSON object; kept as a `Value` so typed claims deserialize from it
    /// without copying.
    claims: Value,
    identity_claim: Arc<str>,
    location: Option<Location>,
}

impl DecodedToken {
    pub(crate) fn new(
        header: Map<String, Value>,
        claims: Map<String, Value>,
        identity_claim: Arc<str>,
    ) -> Self {
        DecodedToken {
            header,
            claims: Value::Object(claims),
            identity_claim,
            location: None,
        }
    }

    pub(crate) fn set_location(&mut self, location: Location) {
        self.location = Some(location);
    }

    /// The JOSE header (`alg`, `typ`, and any additional headers such as `kid`).
    pub fn header(&self) -> &Map<String, Value> {
        &self.header
    }

    /// Every claim, with flask's defaults filled in (flask's `get_jwt()`).
    pub fn claims(&self) -> &Map<String, Value> {
        match &self.claims {
            Value::Object(claims) => claims,
            _ => unreachable_claims(),
        }
    }

    /// The claims as one JSON value (an object), e.g. to deserialize a typed view of them.
    pub fn claims_value(&self) -> &Value {
        &self.claims
    }

    /// One claim by name.
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.claims().get(name)
    }

    /// The identity: the value of the identity claim (`sub` unless configured otherwise),
    /// which verification guarantees is present.
    pub fn identity(&self) -> &Value {
        self.claim(&self.identity_claim).unwrap_or(&Value::Null)
    }

    /// The identity when it is a string (the usual case; flask requires it for `sub`).
    pub fn identity_str(&self) -> Option<&str> {
        self.identity().as_str()
    }

    /// The `jti` claim (unique token id), used by the blocklist.
    pub fn jti(&self) -> Option<&str> {
        self.claim("jti").and_then(Value::as_str)
    }

    /// The `type` claim: `"access"`, `"refresh"`, or a custom value from another issuer.
    pub fn token_type(&self) -> &str {
        self.claim("type")
            .and_then(Value::as_str)
            .unwrap_or("access")
    }

    /// Whether this is a refresh token (the only type access routes refuse).
    pub fn is_refresh(&self) -> bool {
        self.token_type() == TokenType::Refresh.as_str()
    }

    /// The `fresh` claim; `None` if it holds something flask cannot compare (e.g. a string).
    pub fn freshness(&self) -> Option<Freshness> {
        match self.claim("fresh")? {
            Value::Bool(flag) => Some(Freshness::Flag(*flag)),
            Value::Number(number) => number.as_f64().map(Freshness::Until),
            _ => None,
        }
    }

    /// Whether the token is fresh now.
    pub fn is_fresh(&self) -> bool {
        self.freshness()
            .is_some_and(|freshness| freshness.is_fresh_at(crate::time::now()))
    }

    /// The `exp` claim as whole UNIX seconds, `None` for tokens that never expire.
    pub fn expires_at(&self) -> Option<i64> {
        self.claim("exp")
            .and_then(Value::as_f64)
            .map(|exp| exp.trunc() as i64)
    }

    /// The `csrf` claim (double-submit value), present when CSRF protection is on.
    pub fn csrf(&self) -> Option<&str> {
        self.claim("csrf").and_then(Value::as_str)
    }

    /// Where the token was found in the request; `None` for tokens decoded directly.
    pub fn location(&self) -> Option<Location> {
        self.location
    }
}

#[cold]
fn unreachable_claims() -> &'static Map<String, Value> {
    // `DecodedToken::new` only ever stores an object; an empty map is a safe answer
    // should that ever change, where a panic would take the worker down.
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Map::new)
}
