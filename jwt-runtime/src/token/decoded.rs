//! The verified token as the request path hands it on: the header and claims JSON as
//! the token carries them, the claims verification read (kept typed, so the hot path
//! builds no map), and where each custom claim lies for typed claims.

use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};

use super::{Freshness, TokenType, strict_json};
use crate::config::Location;

/// A verified token: its header and its claims, with flask's defaults filled in
/// (`fresh` = `false` and `jti` = `null` when missing), exactly what flask's
/// `get_jwt_header()` and `get_jwt()` return.
///
/// Verification reads only the claims it checks; the full header and claim maps are
/// parsed from the token's JSON the first time [`DecodedToken::header`] or
/// [`DecodedToken::all_claims`] asks for them, so a request that never looks pays nothing.
#[derive(Debug, Clone)]
pub struct DecodedToken {
    header_json: Arc<str>,
    payload_json: String,
    header: OnceLock<Map<String, Value>>,
    claims: OnceLock<Value>,
    /// The identity as a JSON value, made from its text the first time it is asked for.
    identity: OnceLock<Value>,
    registered: Registered,
    /// Where each claim that is not a registered one is, so typed claims read only those.
    custom: Vec<CustomClaim>,
    location: Option<Location>,
}

/// A claim that is not one the library sets: its name and its raw JSON value, as spans
/// of the payload JSON.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CustomClaim {
    pub(crate) name: TextClaim,
    pub(crate) value: TextClaim,
}

/// The claims verification reads, kept typed so the hot path needs no map.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Registered {
    pub(crate) identity: Identity,
    pub(crate) token_type: TokenType,
    pub(crate) jti: Option<TextClaim>,
    pub(crate) fresh: Option<Value>,
    pub(crate) exp: Option<i64>,
    pub(crate) csrf: Option<TextClaim>,
    pub(crate) refresh_jti: Option<TextClaim>,
}

/// The identity claim: its text when it is a string (flask's usual case, kept without a
/// copy), else its JSON value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Identity {
    Text(TextClaim),
    Value(Value),
}

/// A string claim: a span of the payload JSON when it has no escapes (no copy), or its
/// unescaped text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TextClaim {
    Span(std::ops::Range<usize>),
    Owned(String),
}

impl TextClaim {
    /// `text`, as a span when it borrows from the payload buffer at address `base` of
    /// length `len`.
    pub(crate) fn new(text: std::borrow::Cow<'_, str>, base: usize, len: usize) -> Self {
        if let std::borrow::Cow::Borrowed(borrowed) = &text {
            let start = (borrowed.as_ptr() as usize).wrapping_sub(base);
            if start <= len && borrowed.len() <= len - start {
                return TextClaim::Span(start..start + borrowed.len());
            }
        }
        TextClaim::Owned(text.into_owned())
    }

    pub(crate) fn get<'a>(&'a self, payload: &'a str) -> &'a str {
        match self {
            TextClaim::Span(range) => payload.get(range.clone()).unwrap_or_default(),
            TextClaim::Owned(text) => text,
        }
    }
}

impl PartialEq for DecodedToken {
    fn eq(&self, other: &Self) -> bool {
        self.header_json == other.header_json
            && self.payload_json == other.payload_json
            && self.location == other.location
    }
}

impl DecodedToken {
    pub(crate) fn new(
        header_json: Arc<str>,
        payload_json: String,
        registered: Registered,
        custom: Vec<CustomClaim>,
    ) -> Self {
        DecodedToken {
            header_json,
            payload_json,
            header: OnceLock::new(),
            claims: OnceLock::new(),
            identity: OnceLock::new(),
            registered,
            custom,
            location: None,
        }
    }

    pub(crate) fn set_location(&mut self, location: Location) {
        self.location = Some(location);
    }

    /// The JOSE header (`alg`, `typ`, and any additional headers such as `kid`).
    pub fn header(&self) -> &Map<String, Value> {
        self.header
            .get_or_init(|| match strict_json::parse(self.header_json.as_bytes()) {
                Ok(Value::Object(header)) => header,
                // Verification parsed this exact text as an object already.
                _ => Map::new(),
            })
    }

    /// Every claim, with flask's defaults filled in (flask's `get_jwt()`).
    pub fn all_claims(&self) -> &Map<String, Value> {
        match self.all_claims_value() {
            Value::Object(claims) => claims,
            _ => unreachable_claims(),
        }
    }

    /// [`DecodedToken::all_claims`] as one JSON value (an object).
    pub(crate) fn all_claims_value(&self) -> &Value {
        self.claims.get_or_init(|| {
            let mut claims = match strict_json::parse(self.payload_json.as_bytes()) {
                Ok(Value::Object(claims)) => claims,
                _ => Map::new(),
            };
            claims.entry("fresh").or_insert(Value::Bool(false));
            claims.entry("jti").or_insert(Value::Null);
            Value::Object(claims)
        })
    }

    /// The claims JSON exactly as the token carries it (no defaults filled in), e.g. to
    /// deserialize a typed view of the claims in one pass.
    pub fn claims_json(&self) -> &str {
        &self.payload_json
    }

    /// The header JSON exactly as the token carries it.
    pub fn header_json(&self) -> &str {
        &self.header_json
    }

    /// One claim by name.
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.all_claims().get(name)
    }

    /// The identity: the value of the identity claim (`sub` unless configured otherwise),
    /// which verification guarantees is present.
    pub fn identity(&self) -> &Value {
        match &self.registered.identity {
            Identity::Value(value) => value,
            Identity::Text(text) => self
                .identity
                .get_or_init(|| Value::String(text.get(&self.payload_json).to_owned())),
        }
    }

    /// The identity when it is a string (the usual case; flask requires it for `sub`).
    pub fn identity_str(&self) -> Option<&str> {
        match &self.registered.identity {
            Identity::Value(value) => value.as_str(),
            Identity::Text(text) => Some(text.get(&self.payload_json)),
        }
    }

    /// The `jti` claim (unique token id), used by the blocklist.
    pub fn jti(&self) -> Option<&str> {
        self.registered
            .jti
            .as_ref()
            .map(|jti| jti.get(&self.payload_json))
    }

    /// The `type` claim: [`TokenType::Access`] or [`TokenType::Refresh`] (verification
    /// refuses any other). Compares with the claim's text too: `token_type() == "access"`.
    pub fn token_type(&self) -> TokenType {
        self.registered.token_type
    }

    /// Whether this is a refresh token (the only type access routes refuse).
    pub fn is_refresh(&self) -> bool {
        self.registered.token_type == TokenType::Refresh
    }

    /// The `fresh` claim; `None` if it holds something flask cannot compare (e.g. a string).
    pub fn freshness(&self) -> Option<Freshness> {
        match self.registered.fresh.as_ref() {
            None => Some(Freshness::Flag(false)),
            Some(Value::Bool(flag)) => Some(Freshness::Flag(*flag)),
            Some(Value::Number(number)) => number.as_f64().map(Freshness::Until),
            Some(_) => None,
        }
    }

    /// Whether the token is fresh now.
    pub fn is_fresh(&self) -> bool {
        self.freshness()
            .is_some_and(|freshness| freshness.is_fresh_at(crate::time::now()))
    }

    /// The `exp` claim as whole UNIX seconds, `None` for tokens that never expire.
    pub fn expires_at(&self) -> Option<i64> {
        self.registered.exp
    }

    /// The `csrf` claim (double-submit value), present when CSRF protection is on.
    pub fn csrf(&self) -> Option<&str> {
        self.registered
            .csrf
            .as_ref()
            .map(|csrf| csrf.get(&self.payload_json))
    }

    /// The `refresh_jti` claim linking an access token to its login's refresh token.
    pub(crate) fn refresh_jti(&self) -> Option<&str> {
        self.registered
            .refresh_jti
            .as_ref()
            .map(|jti| jti.get(&self.payload_json))
    }

    /// The custom claims as verification located them, and the payload JSON their
    /// spans point into.
    pub(crate) fn custom_claims_raw(&self) -> (&[CustomClaim], &str) {
        (&self.custom, &self.payload_json)
    }

    /// Where the token was found in the request; `None` for tokens decoded directly.
    pub fn location(&self) -> Option<Location> {
        self.location
    }
}

#[cold]
fn unreachable_claims() -> &'static Map<String, Value> {
    // `claims_value` only ever stores an object; an empty map is a safe answer should
    // that ever change, where a panic would take the worker down.
    static EMPTY: OnceLock<Map<String, Value>> = OnceLock::new();
    EMPTY.get_or_init(Map::new)
}
