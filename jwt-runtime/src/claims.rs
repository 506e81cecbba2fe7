//! Typed custom claims: the [`Claims`] trait that [`crate::Jwt<C>`] reads, and the
//! deserializers behind it.
//!
//! Typed claims cost one pass over the custom claims only: verification notes where each
//! claim that is not a registered one lies (every claim but the ones the library sets),
//! and a `#[claims]` type is deserialized from those alone, value by value, instead of
//! from the whole claims JSON again. A claim that does not fit is a 422 naming it.

use std::cell::Cell;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, MapAccess, Visitor, value::BorrowedStrDeserializer,
};
use serde_json::{Map, Value};

use crate::{
    error::Error,
    token::{CustomClaim, DecodedToken},
};

/// Custom claims that [`Jwt<C>`](crate::Jwt) reads from a verified token.
///
/// Implemented for `()` (no custom claims), for `serde_json::Map<String, Value>` and
/// `serde_json::Value` (every claim, untyped). `#[claims]` implements it for a struct.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a claims type",
    label = "not a claims type",
    note = "put `#[claims]` on the definition of `{Self}`, or read every claim untyped with `serde_json::Value`"
)]
pub trait Claims: Sized {
    /// Reads the claims from a verified token. A mismatch is a 422 naming the claim.
    fn from_token(token: &DecodedToken) -> Result<Self, Error>;
}

impl Claims for () {
    fn from_token(_: &DecodedToken) -> Result<Self, Error> {
        Ok(())
    }
}

impl Claims for Map<String, Value> {
    fn from_token(token: &DecodedToken) -> Result<Self, Error> {
        Ok(token.all_claims().clone())
    }
}

impl Claims for Value {
    fn from_token(token: &DecodedToken) -> Result<Self, Error> {
        Ok(token.all_claims_value().clone())
    }
}

/// Deserializes a typed view of `token`'s claims; what `#[claims]` types use.
///
/// The claims are read in one pass straight from the token's JSON (as written: flask's
/// defaults for `fresh` and `jti` are not filled in), without building the claim map
/// that [`DecodedToken::all_claims`] holds.
///
/// A missing or mistyped claim is a 422 whose message names it, never a 500:
/// `Missing claim: role`, or `Invalid claim: role (invalid type: …)` with serde's
/// reason.
pub fn deserialize_claims<C: DeserializeOwned>(token: &DecodedToken) -> Result<C, Error> {
    serde_json::from_str(token.claims_json())
        .map_err(|error| Error::invalid_token(mismatch::<C>(token.claims_json(), &error)))
}

/// Deserializes a `#[claims]` type from the token's custom claims only: every claim but
/// the ones the library sets (`sub`, `exp`, `iat`, `nbf`, `jti`, `type`, `fresh`,
/// `csrf`, `iss`, `aud`), which `#[claims]` refuses as field names. Verification noted
/// where each one is, so this reads just their values, not the whole claims JSON again.
/// Errors are the same as [`deserialize_claims`]'s.
#[doc(hidden)]
pub fn deserialize_custom_claims<C: DeserializeOwned>(token: &DecodedToken) -> Result<C, Error> {
    C::deserialize(custom_claims(token))
        .map_err(|error| Error::invalid_token(mismatch::<C>(token.claims_json(), &error)))
}

/// The message for claims that do not fit `C`: serde_json's streaming errors name a
/// claim only when it is missing, so a token that failed is read again, through a map
/// that remembers which claim's value failed. Only failing requests pay for this.
fn mismatch<C: DeserializeOwned>(json: &str, error: &serde_json::Error) -> String {
    let Ok(claims) = serde_json::from_str::<Map<String, Value>>(json) else {
        // Verification parsed this text as an object already.
        return format!("Invalid claims: {}", without_position(error));
    };
    let failed = Cell::new(None);
    let deserializer = ClaimsDeserializer {
        claims: &claims,
        failed: &failed,
    };
    let error = match C::deserialize(deserializer) {
        Err(error) => error,
        // Only a `Deserialize` impl that reads JSON text differently from parsed JSON.
        Ok(_) => return format!("Invalid claims: {}", without_position(error)),
    };
    let text = error.to_string();
    match (failed.take(), text.strip_prefix("missing field `")) {
        // Only when this very error came out of that claim's value: a type that
        // recovers from an error in one claim may fail later for another reason.
        (Some(failed), _) if failed.error == text => {
            format!("Invalid claim: {} ({text})", failed.claim)
        }
        (_, Some(rest)) => format!("Missing claim: {}", rest.trim_end_matches('`')),
        _ => format!("Invalid claims: {text}"),
    }
}

/// serde_json's message without its ` at line 1 column 42`.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// The claim whose value failed to deserialize, and how.
struct FailedClaim {
    claim: String,
    error: String,
}

/// The claims object as a serde map that remembers which claim's value failed; values
/// are handed to `&serde_json::Value`'s deserializer.
struct ClaimsDeserializer<'de, 'f> {
    claims: &'de Map<String, Value>,
    failed: &'f Cell<Option<FailedClaim>>,
}

impl<'de> de::Deserializer<'de> for ClaimsDeserializer<'de, '_> {
    type Error = serde_json::Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(ClaimsMap {
            entries: self.claims.iter(),
            value: None,
            failed: self.failed,
        })
    }

    fn deserialize_option<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct ClaimsMap<'de, 'f> {
    entries: serde_json::map::Iter<'de>,
    /// The claim whose key was just handed out, for `next_value_seed`.
    value: Option<(&'de String, &'de Value)>,
    failed: &'f Cell<Option<FailedClaim>>,
}

impl<'de> de::MapAccess<'de> for ClaimsMap<'de, '_> {
    type Error = serde_json::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((name, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some((name, value));
        seed.deserialize(BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let Some((name, value)) = self.value.take() else {
            return Err(de::Error::custom("claim value requested before its name"));
        };
        seed.deserialize(value).inspect_err(|error| {
            self.failed.set(Some(FailedClaim {
                claim: name.clone(),
                error: error.to_string(),
            }));
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// The custom claims of `token`, as a deserializer of one JSON object holding just them.
fn custom_claims(token: &DecodedToken) -> CustomClaims<'_> {
    let (claims, payload) = token.custom_claims_raw();
    CustomClaims { claims, payload }
}

/// A deserializer of the custom claims, for a type that reads none of the registered
/// ones (which `#[claims]` ensures).
struct CustomClaims<'a> {
    claims: &'a [CustomClaim],
    payload: &'a str,
}

impl<'de> de::Deserializer<'de> for CustomClaims<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(CustomClaimsMap {
            claims: self.claims.iter(),
            payload: self.payload,
            value: "null",
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map struct
        enum identifier ignored_any
    }
}

struct CustomClaimsMap<'de> {
    claims: std::slice::Iter<'de, CustomClaim>,
    payload: &'de str,
    /// The raw JSON of the value after the last key handed out.
    value: &'de str,
}

impl<'de> MapAccess<'de> for CustomClaimsMap<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some(claim) = self.claims.next() else {
            return Ok(None);
        };
        self.value = claim.value.get(self.payload);
        seed.deserialize(BorrowedStrDeserializer::new(claim.name.get(self.payload)))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(self.value);
        let value = seed.deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(value)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.claims.len())
    }
}
