//! An ordered JSON object: claims as flask writes them, in insertion order.
//!
//! `serde_json::Map` sorts its keys (unless the crate-wide `preserve_order` feature is
//! on, which would change every map in the user's program), so top-level members are
//! kept here as a vector instead. Inserting an existing name replaces its value in
//! place, as a Python dict's `update` does. Tokens hold about ten claims, so a linear
//! search beats hashing.

use std::fmt;

use serde::{
    Deserialize, Deserializer, Serialize, Serializer,
    de::{MapAccess, Visitor},
};
use serde_json::Value;

/// Top-level members of a JSON object, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Fields(Vec<(String, Value)>);

impl Fields {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Fields(Vec::with_capacity(capacity))
    }

    /// The members of whatever `value` serializes to, in its serialization order: a
    /// struct's field order, a map's iteration order. `null` has none; anything but an
    /// object is an error.
    pub(crate) fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, String> {
        let text = serde_json::to_string(value).map_err(|error| error.to_string())?;
        serde_json::from_str(&text).map_err(|error| error.to_string())
    }

    pub(crate) fn insert(&mut self, name: &str, value: Value) {
        match self.0.iter_mut().find(|(existing, _)| existing == name) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((name.to_owned(), value)),
        }
    }

    pub(crate) fn extend(&mut self, other: Fields) {
        for (name, value) in other.0 {
            self.insert(&name, value);
        }
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|(existing, _)| existing == name)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(existing, _)| existing == name)
            .map(|(_, value)| value)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(name, value)| (name.as_str(), value))
    }

    pub(crate) fn into_iter(self) -> impl Iterator<Item = (String, Value)> {
        self.0.into_iter()
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;

        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_unit<E>(self) -> Result<Fields, E> {
                Ok(Fields::default())
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut fields = Fields::with_capacity(map.size_hint().unwrap_or(4));
                while let Some((name, value)) = map.next_entry::<String, Value>()? {
                    fields.insert(&name, value);
                }
                Ok(fields)
            }
        }

        deserializer.deserialize_any(FieldsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Extra {
        roles: Vec<&'static str>,
        tenant: u64,
        nested: (u8, u8),
    }

    #[test]
    fn struct_field_order_is_kept() {
        let fields = Fields::from_serialize(&Extra {
            roles: vec!["admin"],
            tenant: 42,
            nested: (1, 2),
        })
        .expect("an object");
        let names: Vec<String> = fields.into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["roles", "tenant", "nested"]);
    }

    #[test]
    fn null_is_empty_and_scalars_are_refused() {
        assert_eq!(Fields::from_serialize(&()), Ok(Fields::default()));
        assert!(Fields::from_serialize(&5).is_err());
        assert!(Fields::from_serialize(&[1, 2]).is_err());
    }
}
