//! JSON parsing that refuses duplicate member names at any depth.
//!
//! `serde_json` keeps the last of two members with the same name, so
//! `{"alg":"none","alg":"HS256"}` reads differently here and in a parser that keeps the
//! first: a classic parser-differential attack (RFC 8725 §3.7, docs/security.md R08). The
//! values are otherwise exactly what `serde_json::Value` holds, and serde_json's
//! nesting limit (128) still applies.

use std::{borrow::Cow, collections::HashSet, fmt};

use serde::{
    Deserialize, Deserializer,
    de::{Error as _, MapAccess, SeqAccess, Visitor},
};
use serde_json::{Map, Value};

/// Parses `bytes` as JSON, refusing duplicate member names.
pub(crate) fn parse(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    serde_json::from_slice::<StrictValue>(bytes).map(|strict| strict.0)
}

/// A `serde_json::Value` that refuses duplicate member names at any depth.
pub(crate) struct StrictValue(pub(crate) Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

pub(crate) struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(StrictValue(value)) = seq.next_element()? {
            values.push(value);
        }
        Ok(Value::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            // Refused at the name, before its value is read: the same position as the
            // verification path reports.
            if object.contains_key(&name) {
                return Err(A::Error::custom(format_args!(
                    "duplicate member name \"{name}\""
                )));
            }
            let StrictValue(value) = map.next_value()?;
            object.insert(name, value);
        }
        Ok(Value::Object(object))
    }
}

/// Skips any JSON value without building it, still refusing duplicate member names
/// inside it: what verification uses for the claims it does not read.
pub(crate) struct StrictIgnored;

impl<'de> Deserialize<'de> for StrictIgnored {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(IgnoreVisitor)
            .map(|()| StrictIgnored)
    }
}

struct IgnoreVisitor;

impl<'de> Visitor<'de> for IgnoreVisitor {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<StrictIgnored>()?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = MemberNames::default();
        while let Some(Key(name)) = map.next_key()? {
            seen.insert::<A::Error>(name)?;
            map.next_value::<StrictIgnored>()?;
        }
        Ok(())
    }
}

/// A member name, borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(name)))
            }

            fn visit_str<E>(self, name: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(name.to_owned())))
            }

            fn visit_string<E>(self, name: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(name)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The error for a member name seen twice in one object.
#[cold]
pub(crate) fn duplicate<E: serde::de::Error>(name: &str) -> E {
    E::custom(format_args!("duplicate member name \"{name}\""))
}

/// The member names of one object so far, to refuse a duplicate. Objects in tokens are
/// small, so the first [`INLINE_NAMES`] names live on the stack (no allocation on the
/// hot path) and a linear scan beats hashing; the names of a larger object spill into a
/// hash set, so a hostile token with a thousand members costs linear, not quadratic,
/// time.
#[derive(Default)]
pub(crate) struct MemberNames<'de> {
    inline: [Option<Cow<'de, str>>; INLINE_NAMES],
    len: usize,
    spilled: HashSet<Cow<'de, str>>,
}

/// How many member names [`MemberNames`] keeps without allocating: the custom claims of
/// a typical token, or the members of a header or of a nested object.
const INLINE_NAMES: usize = 8;

impl<'de> MemberNames<'de> {
    pub(crate) fn insert<E: serde::de::Error>(&mut self, name: Cow<'de, str>) -> Result<(), E> {
        let seen = self.inline[..self.len.min(INLINE_NAMES)]
            .iter()
            .flatten()
            .any(|seen| *seen == name)
            || self.spilled.contains(&name);
        if seen {
            return Err(duplicate(&name));
        }
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = Some(name),
            None => {
                self.spilled.insert(name);
            }
        }
        self.len += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_refused_at_any_depth() {
        assert!(parse(br#"{"alg":"none","alg":"HS256"}"#).is_err());
        assert!(parse(br#"{"a":[{"b":1,"b":2}]}"#).is_err());
        // Past the names kept inline, duplicates are still found, in both directions.
        let many: Vec<String> = (0..40).map(|i| format!("\"m{i}\":{i}")).collect();
        let object = |extra: &str| format!("{{{},{extra}}}", many.join(","));
        assert!(parse(object("\"m3\":0").as_bytes()).is_err());
        assert!(parse(object("\"m39\":0").as_bytes()).is_err());
        assert!(parse(object("\"m40\":0").as_bytes()).is_ok());
        assert_eq!(
            parse(br#"{"a":[1,2.5,"x",null,true],"b":{"c":{}}}"#).ok(),
            serde_json::from_str(r#"{"a":[1,2.5,"x",null,true],"b":{"c":{}}}"#).ok()
        );
    }
}
