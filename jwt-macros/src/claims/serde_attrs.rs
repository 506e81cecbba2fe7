//! Reads the item's own `#[serde(..)]` attributes and `#[derive(..)]`s, as far as they
//! decide which JSON names the struct reads and writes.
//!
//! Contract: read leniently and never an error of our own. Only the keys that decide
//! claim names (`rename`, `rename_all`, `alias`, `skip*`, `tag`) or that cannot work
//! for claims (`flatten`, `transparent`, `deny_unknown_fields`) are looked at. Anything
//! else, malformed input included, is left for serde's derive to report, so no error
//! is reported twice.

use proc_macro2::{Ident, TokenTree};
use syn::{
    Attribute, LitStr, Path, Token, meta::ParseNestedMeta, parse::Parser, punctuated::Punctuated,
};

use crate::value::Value;

/// A setting that may differ between serializing and deserializing, as serde's
/// `rename(serialize = "a", deserialize = "b")`.
pub(crate) struct Directions<T> {
    /// What `Serialize` uses.
    pub(crate) serialize: Option<T>,
    /// What `Deserialize` uses.
    pub(crate) deserialize: Option<T>,
}

impl<T> Default for Directions<T> {
    fn default() -> Self {
        Self {
            serialize: None,
            deserialize: None,
        }
    }
}

impl<T: Clone> Directions<T> {
    /// Reads `key = value` (both directions) or `key(serialize = .., deserialize = ..)`;
    /// the first occurrence of each direction wins, as serde reports the others.
    fn set(&mut self, value: &Value, read: impl Fn(&Value) -> Option<T>) {
        match value {
            Value::Assigned(..) => {
                if let Some(both) = read(value) {
                    self.serialize.get_or_insert_with(|| both.clone());
                    self.deserialize.get_or_insert(both);
                }
            }
            Value::List(TokenTree::Group(group)) => {
                let parser = syn::meta::parser(|meta| {
                    let value = Value::parse(meta.input)?;
                    if meta.path.is_ident("serialize") {
                        if let Some(ser) = read(&value) {
                            self.serialize.get_or_insert(ser);
                        }
                    } else if meta.path.is_ident("deserialize")
                        && let Some(de) = read(&value)
                    {
                        self.deserialize.get_or_insert(de);
                    }
                    Ok(())
                });
                // Malformed: serde reports it.
                let _ = parser.parse2(group.stream());
            }
            Value::List(_) | Value::Absent => {}
        }
    }
}

/// How serde's `rename_all` renames fields.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum RenameRule {
    /// `lowercase`, `snake_case`: field names stay as written.
    Unchanged,
    /// `UPPERCASE`, `SCREAMING_SNAKE_CASE`.
    Upper,
    /// `PascalCase`.
    Pascal,
    /// `camelCase`.
    Camel,
    /// `kebab-case`.
    Kebab,
    /// `SCREAMING-KEBAB-CASE`.
    ScreamingKebab,
}

/// serde's rule names (`serde_derive/src/internals/case.rs`).
const RENAME_RULES: &[(&str, RenameRule)] = &[
    ("lowercase", RenameRule::Unchanged),
    ("UPPERCASE", RenameRule::Upper),
    ("PascalCase", RenameRule::Pascal),
    ("camelCase", RenameRule::Camel),
    ("snake_case", RenameRule::Unchanged),
    ("SCREAMING_SNAKE_CASE", RenameRule::Upper),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
];

/// A `rename_all` rule as written.
#[derive(Clone)]
pub(crate) struct Rule {
    /// `None` for a name serde does not know (serde reports it): claim names that
    /// depend on it are then unknown, and not checked.
    pub(crate) rule: Option<RenameRule>,
    /// The rule's name as written, where errors about names it made point.
    pub(crate) lit: LitStr,
}

impl RenameRule {
    /// The name serde gives a field called `field` (`apply_to_field` in serde).
    pub(crate) fn apply(self, field: &str) -> String {
        match self {
            Self::Unchanged => field.to_owned(),
            Self::Upper => field.to_ascii_uppercase(),
            Self::Pascal => {
                let mut pascal = String::with_capacity(field.len());
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            Self::Camel => {
                let pascal = Self::Pascal.apply(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            Self::Kebab => field.replace('_', "-"),
            Self::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

/// What the item's own serde attributes and derives say, as far as `#[claims]` cares.
#[derive(Default)]
pub(crate) struct Container {
    /// `#[serde(rename_all = "..")]`.
    pub(crate) rename_all: Directions<Rule>,
    /// `#[serde(tag = "type")]`: serde writes this key with the struct's name.
    pub(crate) tag: Option<LitStr>,
    /// `#[serde(transparent)]`, at its key.
    pub(crate) transparent: Option<Ident>,
    /// `#[serde(deny_unknown_fields)]`, at its key.
    pub(crate) deny_unknown_fields: Option<Ident>,
    /// `Serialize` and `Deserialize` in the item's own `#[derive(..)]`s.
    pub(crate) derives: Vec<Path>,
}

impl Container {
    /// Reads the item's outer attributes.
    pub(crate) fn from_attrs(attrs: &[Attribute]) -> Self {
        let mut container = Self::default();
        for attr in attrs.iter().filter(|attr| attr.path().is_ident("derive")) {
            container.derives.extend(serde_derives(attr));
        }
        for_each_serde_key(attrs, |key, value| {
            match key.to_string().as_str() {
                // `rename_all = "camelCase"`, `rename_all(serialize = "..")`
                "rename_all" => container.rename_all.set(value, |value| {
                    value.lit_str().map(|lit| Rule {
                        rule: RENAME_RULES
                            .iter()
                            .find(|(name, _)| lit.value() == *name)
                            .map(|(_, rule)| *rule),
                        lit,
                    })
                }),
                // `tag = "type"`
                "tag" if container.tag.is_none() => container.tag = value.lit_str(),
                // `transparent`
                "transparent" => {
                    container.transparent.get_or_insert_with(|| key.clone());
                }
                // `deny_unknown_fields`
                "deny_unknown_fields" => {
                    container
                        .deny_unknown_fields
                        .get_or_insert_with(|| key.clone());
                }
                _ => {}
            }
        });
        container
    }
}

/// What a field's `#[serde(..)]` attributes say about its claim names.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// `#[serde(rename = "..")]`, `#[serde(rename(serialize = ".."))]`.
    pub(crate) rename: Directions<LitStr>,
    /// `#[serde(alias = "..")]`: more names it is read from.
    pub(crate) aliases: Vec<LitStr>,
    /// `#[serde(skip)]` or `#[serde(skip_serializing)]`.
    pub(crate) skip_serializing: bool,
    /// `#[serde(skip)]` or `#[serde(skip_deserializing)]`.
    pub(crate) skip_deserializing: bool,
    /// `#[serde(flatten)]`, at its key.
    pub(crate) flatten: Option<Ident>,
}

impl FieldAttrs {
    /// Reads a field's attributes.
    pub(crate) fn from_attrs(attrs: &[Attribute]) -> Self {
        let mut field = Self::default();
        for_each_serde_key(attrs, |key, value| match key.to_string().as_str() {
            // `rename = ".."`, `rename(serialize = "..", deserialize = "..")`
            "rename" => field.rename.set(value, Value::lit_str),
            // `alias = ".."`
            "alias" => field.aliases.extend(value.lit_str()),
            // `skip`
            "skip" => {
                field.skip_serializing = true;
                field.skip_deserializing = true;
            }
            // `skip_serializing`
            "skip_serializing" => field.skip_serializing = true,
            // `skip_deserializing`
            "skip_deserializing" => field.skip_deserializing = true,
            // `flatten`
            "flatten" => {
                field.flatten.get_or_insert_with(|| key.clone());
            }
            _ => {}
        });
        field
    }
}

/// Calls `each` with every `key` and its value in the `#[serde(..)]` attributes, in
/// order. Stops at the first malformed part of an attribute, which serde reports.
fn for_each_serde_key(attrs: &[Attribute], mut each: impl FnMut(&Ident, &Value)) {
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta: ParseNestedMeta<'_>| {
            let value = Value::parse(meta.input)?;
            if let Some(key) = meta.path.get_ident() {
                each(key, &value);
            }
            Ok(())
        });
    }
}

/// The `Serialize` and `Deserialize` paths in one `#[derive(..)]`.
fn serde_derives(attr: &Attribute) -> Vec<Path> {
    let paths = attr
        .parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
        .unwrap_or_default();
    paths
        .into_iter()
        .filter(|path| {
            path.segments
                .last()
                .is_some_and(|last| last.ident == "Serialize" || last.ident == "Deserialize")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_rules_match_serde() {
        let cases = [
            ("lowercase", "user_id", "user_id"),
            ("UPPERCASE", "user_id", "USER_ID"),
            ("PascalCase", "user_id", "UserId"),
            ("camelCase", "user_id", "userId"),
            ("camelCase", "Exp", "exp"),
            ("snake_case", "user_id", "user_id"),
            ("SCREAMING_SNAKE_CASE", "user_id", "USER_ID"),
            ("kebab-case", "user_id", "user-id"),
            ("SCREAMING-KEBAB-CASE", "user_id", "USER-ID"),
        ];
        for (name, field, expected) in cases {
            let Some((_, rule)) = RENAME_RULES.iter().find(|(rule, _)| *rule == name) else {
                panic!("no rule {name}");
            };
            assert_eq!(rule.apply(field), expected, "{name}");
        }
        assert_eq!(RenameRule::Camel.apply(""), "");
        assert_eq!(RenameRule::Camel.apply("_"), "");
        assert_eq!(RenameRule::Camel.apply("éa_b"), "éaB");
    }
}
