//! Parses the options of `#[claims(..)]`, e.g. `identity_claim = "user_id"`.
//!
//! Contract: each option is checked here (a known key, given once, a string value) and
//! keeps the span of what it is about; problems go to the shared [`Errors`] and parsing
//! goes on with the next option, so one build reports every bad option. The item's own
//! `#[serde(..)]` attributes are read by `serde_attrs.rs`, not here.

use proc_macro2::{Ident, TokenStream};
use syn::{Error, LitStr, Path, ext::IdentExt, parse::Parser};

use crate::{
    fallback::Errors,
    suggest::{hint, path_name},
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
    let name = path_name(path);
    let hint = if SERDE_OPTIONS.contains(&name.as_str()) {
        format!("serde's options go in their own attribute below it: `#[serde({name} ..)]`")
    } else {
        hint(&name, OPTIONS)
    };
    Error::new_spanned(path, format!("unknown `claims` option `{name}`; {hint}"))
}

/// `identity_claim = "user_id"`.
fn identity_claim(key: &Ident, value: Value, errors: &mut Errors) -> Option<LitStr> {
    let example = format!("`{key} = \"user_id\"`");
    let tokens = value.into_assigned(
        key,
        errors,
        &format!("expected a string literal after `{key} =`, like {example}"),
        &format!(
            "`{key}` takes a value, the configured `JwtConfig::identity_claim`; write {example}"
        ),
    )?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(input: &str) -> (Args, Vec<String>) {
        crate::fallback::parse_for_test(input, Args::parse)
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
}
