//! Typed claims in one pass: verification notes where each custom claim is (every claim
//! but the ones the library sets), and a `#[claims]` type is deserialized from those
//! alone, value by value, instead of from the whole claims JSON again.

use serde::de::{self, DeserializeSeed, MapAccess, Visitor, value::BorrowedStrDeserializer};

use super::{CustomClaim, DecodedToken};

impl DecodedToken {
    /// The custom claims, as a deserializer of one JSON object holding just them.
    pub(crate) fn custom_claims(&self) -> CustomClaims<'_> {
        CustomClaims {
            claims: &self.custom,
            payload: &self.payload_json,
        }
    }
}

/// A deserializer of the custom claims, for a type that reads none of the registered
/// ones (which `#[claims]` ensures).
pub(crate) struct CustomClaims<'a> {
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
