//! The claims of a new token, serialized in flask-jwt-extended's order without building
//! a map.

use serde::Serialize;
use serde_json::Value;

use crate::token::{Freshness, fields::Fields};

/// One registered claim's value, borrowed.
#[derive(Clone, Copy)]
pub(super) enum Claim<'a> {
    Fresh(Freshness),
    Int(i64),
    Str(&'a str),
    Json(&'a Value),
}

impl Serialize for Claim<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Claim::Fresh(Freshness::Flag(flag)) => serializer.serialize_bool(*flag),
            Claim::Fresh(Freshness::Until(until)) => serializer.serialize_f64(*until),
            Claim::Int(value) => serializer.serialize_i64(*value),
            Claim::Str(value) => serializer.serialize_str(value),
            Claim::Json(value) => value.serialize(serializer),
        }
    }
}

/// The claims of a new token in flask's order: the registered ones, each replaced in
/// place by an additional claim of the same name (a Python dict's `update`), then the
/// other additional claims in the order given.
pub(super) struct ClaimsOut<'a> {
    pub(super) registered: &'a [Option<(&'a str, Claim<'a>)>],
    pub(super) additional: &'a Fields,
}

impl Serialize for ClaimsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let registered = self.registered.iter().flatten();
        let mut map = serializer.serialize_map(None)?;
        for (name, value) in registered.clone() {
            match self.additional.get(name) {
                Some(replacement) => map.serialize_entry(name, replacement)?,
                None => map.serialize_entry(name, value)?,
            }
        }
        for (name, value) in self.additional.iter() {
            if !registered
                .clone()
                .any(|(registered, _)| *registered == name)
            {
                map.serialize_entry(name, value)?;
            }
        }
        map.end()
    }
}
