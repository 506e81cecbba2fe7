//! Parses the options of `#[claims(..)]`, and the parts of the item's own attributes
//! that decide which JSON names the struct reads and writes.
//!
//! Contract: each option is checked here (a known key, given once, a string value) and
//! keeps the span of what it is about; problems go to the shared [`Errors`] and parsing
//! goes on. `#[serde(..)]` attributes are read leniently: only the keys that decide
//! claim names (`rename`, `rename_all`, `alias`, `skip*`, `tag`) or that cannot work
//! for claims (`flatten`, `transparent`, `deny_unknown_fields`) are looked at. Anything
//! else, malformed input included, is left for serde's derive to report, so no error
//! is reported twice.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::quote;
use syn::{
    Attribute, Error, LitStr, Path, Token, ext::IdentExt, meta::ParseNestedMeta, parse::Parser,
    punctuated::Punctuated,
};

use crate::{
    fallback::Errors,
    suggest::{backticked, near_miss},
    value::Value,
};

/// Every option of `#[claims(..)]`: the one list used to recognise keys and for near
/// misses.
const OPTIONS: &[&str] = &["identity_claim"];

/// serde's container attributes: written in `#[claims(..)]`, they were meant for
/// `#[serde(..)]`.
const SERDE_OPTIONS: &[&str] = &[
    "rename",
    "rename_all",
    "rename_all_fields",
    "default",
    "deny_unknown_fields",
    "tag",
    "content",
    "untagged",
    "transparent",
    "bound",
    "crate",
    "from",
    "try_from",
    "into",
    "remote",
    "expecting",
];

/// The options of one `#[claims(..)]`; `None` when not given (or given wrongly).
#[derive(Default)]
pub(crate) struct Args {
    /// `identity_claim = "user_id"`: the configured `JwtConfig::identity_claim`, so
    /// that a field of that name is rejected too.
    pub(crate) identity_claim: Option<LitStr>,
}

impl Args {
    /// Parses the tokens inside `#[claims(..)]`, reporting problems to `errors`.
    pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> Self {
        let mut args = Self::default();
        let mut seen_identity_claim = false;
        let parser = syn::meta::parser(|meta| {
            // Take the value first, so that after any error below parsing can go on
            // with the next option.
            let value = Value::parse(meta.input)?;
            let name = meta.path.get_ident().map(IdentExt::unraw);
            match name {
                // `identity_claim = "user_id"`
                Some(name) if name == "identity_claim" => {
                    if seen_identity_claim {
                        errors.push(Error::new(
                            name.span(),
                            format!("duplicate `claims` option `{name}`"),
                        ));
                    } else {
                        seen_identity_claim = true;
                        args.identity_claim = identity_claim(&name, value, errors);
                    }
                }
                _ => errors.push(unknown_option(&meta.path)),
            }
            Ok(())
        });
        // Only malformed syntax (`identity_claim "x"`, `"x"`) ends up here; it stops
        // parsing, but the options before it have been checked already.
        if let Err(error) = parser.parse2(tokens) {
            errors.push(error);
        }
        args
    }
}

fn unknown_option(path: &Path) -> Error {
    let name = path
        .segments
        .iter()
        .map(|segment| segment.ident.unraw().to_string())
        .collect::<Vec<_>>()
        .join("::");
    let hint = if SERDE_OPTIONS.contains(&name.as_str()) {
        format!("serde's options go in their own attribute below it: `#[serde({name} ..)]`")
    } else {
        match near_miss(&name, OPTIONS) {
            Some(near) => format!("did you mean `{near}`?"),
            None if OPTIONS.len() == 1 => format!("the only option is {}", backticked(OPTIONS)),
            None => format!("expected one of {}", backticked(OPTIONS)),
        }
    };
    Error::new_spanned(path, format!("unknown `claims` option `{name}`; {hint}"))
}

/// `identity_claim = "user_id"`.
fn identity_claim(key: &Ident, value: Value, errors: &mut Errors) -> Option<LitStr> {
    let example = format!("`{key} = \"user_id\"`");
    let tokens = match value {
        Value::Assigned(eq, tokens) if tokens.is_empty() => {
            errors.push(Error::new(
                eq.span,
                format!("expected a string literal after `{key} =`, like {example}"),
            ));
            return None;
        }
        Value::Assigned(_, tokens) => tokens,
        Value::Absent | Value::List(_) => {
            errors.push(Error::new_spanned(
                quote!(#key #value),
                format!("`{key}` takes a value, the configured `JwtConfig::identity_claim`; write {example}"),
            ));
            return None;
        }
    };
    let Ok(lit) = syn::parse2::<LitStr>(tokens.clone()) else {
        // An unquoted `user_id`: what was meant is clear.
        let message = match syn::parse2::<Ident>(tokens.clone()) {
            Ok(ident) => format!(
                "expected a string literal as the value of `{key}`; write `{key} = \"{}\"`",
                ident.unraw()
            ),
            Err(_) => format!("expected a string literal as the value of `{key}`, like {example}"),
        };
        errors.push(Error::new_spanned(tokens, message));
        return None;
    };
    if lit.value().is_empty() {
        errors.push(Error::new(
            lit.span(),
            format!("`{key}` cannot be empty; leave it out when the identity claim is `sub`"),
        ));
        return None;
    }
    Some(lit)
}

/// A setting that may differ between serializing and deserializing, as serde's
/// `rename(serialize = "a", deserialize = "b")`.
pub(crate) struct Directions<T> {
    pub(crate) serialize: Option<T>,
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

/// What the item's own attributes say, as far as `#[claims]` cares.
#[derive(Default)]
pub(crate) struct Container<'a> {
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
    /// Another `#[claims]` on the same item.
    pub(crate) repeated: Option<&'a Attribute>,
}

impl<'a> Container<'a> {
    pub(crate) fn from_attrs(attrs: &'a [Attribute]) -> Self {
        let mut container = Self::default();
        for attr in attrs {
            let path = attr.path();
            if path.is_ident("derive") {
                container.derives.extend(serde_derives(attr));
            } else if is_claims(attr) {
                container.repeated.get_or_insert(attr);
            }
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

/// Whether `attr` is (most likely) another `#[claims]`: `claims` or `path::claims`.
pub(crate) fn is_claims(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|last| last.ident == "claims")
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

    fn parse(input: &str) -> (Args, Vec<String>) {
        let tokens: TokenStream = match input.parse() {
            Ok(tokens) => tokens,
            Err(error) => panic!("bad test input {input:?}: {error}"),
        };
        let mut errors = Errors::default();
        let args = Args::parse(tokens, &mut errors);
        let messages = errors
            .finish()
            .err()
            .into_iter()
            .flatten()
            .map(|error| error.to_string())
            .collect();
        (args, messages)
    }

    fn errors(input: &str) -> Vec<String> {
        parse(input).1
    }

    #[test]
    fn options() {
        let (args, messages) = parse("");
        assert!(args.identity_claim.is_none() && messages.is_empty());
        let (args, messages) = parse("identity_claim = \"user_id\",");
        assert!(messages.is_empty(), "{messages:?}");
        assert_eq!(
            args.identity_claim.map(|lit| lit.value()).as_deref(),
            Some("user_id")
        );
    }

    #[test]
    fn unknown_options() {
        assert_eq!(
            errors("identity = \"x\""),
            ["unknown `claims` option `identity`; did you mean `identity_claim`?"]
        );
        assert_eq!(
            errors("identiy_claim = \"x\""),
            ["unknown `claims` option `identiy_claim`; did you mean `identity_claim`?"]
        );
        assert_eq!(
            errors("admin"),
            ["unknown `claims` option `admin`; the only option is `identity_claim`"]
        );
        assert_eq!(
            errors("rename_all = \"camelCase\""),
            [
                "unknown `claims` option `rename_all`; serde's options go in their own attribute below it: `#[serde(rename_all ..)]`"
            ]
        );
        assert_eq!(errors("a::b(c), x = 1, identity_claim = \"u\"").len(), 2);
    }

    #[test]
    fn identity_claim_values() {
        assert_eq!(
            errors("identity_claim = \"a\", identity_claim = \"b\""),
            ["duplicate `claims` option `identity_claim`"]
        );
        assert_eq!(
            errors("identity_claim"),
            [
                "`identity_claim` takes a value, the configured `JwtConfig::identity_claim`; write `identity_claim = \"user_id\"`"
            ]
        );
        assert_eq!(
            errors("identity_claim = user_id"),
            [
                "expected a string literal as the value of `identity_claim`; write `identity_claim = \"user_id\"`"
            ]
        );
        assert_eq!(
            errors("identity_claim = 1"),
            [
                "expected a string literal as the value of `identity_claim`, like `identity_claim = \"user_id\"`"
            ]
        );
        assert_eq!(
            errors("identity_claim ="),
            [
                "expected a string literal after `identity_claim =`, like `identity_claim = \"user_id\"`"
            ]
        );
        assert_eq!(
            errors("identity_claim = \"\""),
            ["`identity_claim` cannot be empty; leave it out when the identity claim is `sub`"]
        );
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        for input in [
            "\"x\"",
            "identity_claim \"x\"",
            ",",
            "= \"x\"",
            "::",
            "#",
            "123",
            "crate, self, super, Self",
            "r#identity_claim = \"x\"",
            "identity_claim = b\"x\"",
            "identity_claim = \"x\"suffix",
            "identity_claim(\"x\")",
        ] {
            let _ = parse(input);
        }
        assert_eq!(errors("identity_claim \"x\"").len(), 2);
        assert_eq!(errors("x identity_claim").len(), 2);
    }

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
