//! Parses the arguments of `#[jwt_required(..)]`, e.g. `fresh, locations = "headers,cookies"`.
//!
//! Contract: each option is checked on its own here (a known key, given once, with a
//! value of the right kind) and keeps the span of its key. Rules between options live
//! in `valid.rs`. Every problem is pushed to the shared [`Errors`] and parsing goes on
//! with the next option, so one build reports every bad option; an option with a bad
//! value is left unset.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::{
    Error, LitBool, LitStr, Path, Token, bracketed,
    ext::IdentExt,
    meta::ParseNestedMeta,
    parse::{ParseStream, Parser},
    punctuated::Punctuated,
};

use crate::{
    fallback::Errors,
    suggest::{backticked, hint, path_name},
    value::Value,
};

/// Every option of `#[jwt_required]`, in the order the docs list them.
///
/// The one list used to recognise keys, for "expected one of" and for near misses.
const OPTIONS: &[(&str, Key)] = &[
    ("optional", Key::Optional),
    ("fresh", Key::Fresh),
    ("refresh", Key::Refresh),
    ("locations", Key::Locations),
    ("verify_type", Key::VerifyType),
    ("skip_revocation_check", Key::SkipRevocationCheck),
];

/// Every entry `locations = ".."` accepts: flask-jwt-extended's token locations.
const LOCATIONS: &[(&str, Location)] = &[
    ("headers", Location::Headers),
    ("cookies", Location::Cookies),
    ("query_string", Location::QueryString),
    ("json", Location::Json),
];

/// The options of one `#[jwt_required(..)]`; `None` when not given (or given wrongly).
#[derive(Default)]
pub(crate) struct Args {
    /// `optional`: a request without a token passes.
    pub(crate) optional: Option<Opt<()>>,
    /// `fresh`: only fresh access tokens pass.
    pub(crate) fresh: Option<Opt<()>>,
    /// `refresh`: only refresh tokens pass.
    pub(crate) refresh: Option<Opt<()>>,
    /// `locations = "headers,cookies"`: where to look for the token, in order.
    pub(crate) locations: Option<Opt<Vec<Location>>>,
    /// `verify_type = false`: accept both token types.
    pub(crate) verify_type: Option<Opt<bool>>,
    /// `skip_revocation_check`: do not ask the blocklist.
    pub(crate) skip_revocation_check: Option<Opt<()>>,
}

/// One option as written.
pub(crate) struct Opt<T> {
    /// The key, where errors about the option point.
    pub(crate) key: Ident,
    /// Position among the options, to tell which of two conflicting ones came last.
    pub(crate) index: usize,
    /// The parsed value (`()` for flags).
    pub(crate) value: T,
}

/// A place to look for the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Location {
    /// `headers`: the `Authorization: Bearer` header.
    Headers,
    /// `cookies`: the access or refresh cookie.
    Cookies,
    /// `query_string`: the `jwt` query parameter.
    QueryString,
    /// `json`: the `access_token` or `refresh_token` key of a JSON body.
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Optional,
    Fresh,
    Refresh,
    Locations,
    VerifyType,
    SkipRevocationCheck,
}

impl Args {
    /// Parses the tokens inside `#[jwt_required(..)]`, reporting problems to `errors`.
    pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> Self {
        let mut args = Self::default();
        let mut seen = Vec::new();
        let parser = syn::meta::parser(|meta| args.parse_option(&meta, &mut seen, errors));
        // Only malformed syntax (`fresh refresh`, `"fresh"`) ends up here; it stops
        // parsing, but the options before it have been checked already.
        if let Err(error) = parser.parse2(tokens) {
            errors.push(error);
        }
        args
    }

    fn parse_option(
        &mut self,
        meta: &ParseNestedMeta<'_>,
        seen: &mut Vec<Key>,
        errors: &mut Errors,
    ) -> syn::Result<()> {
        // Take the value first, so that after any error below parsing can go on
        // with the next option.
        let value = Value::parse(meta.input)?;
        let Some((key, ident)) = lookup(&meta.path) else {
            errors.push(unknown_option(&meta.path));
            return Ok(());
        };
        if seen.contains(&key) {
            errors.push(Error::new(
                ident.span(),
                format!("duplicate `jwt_required` option `{ident}`"),
            ));
            return Ok(());
        }
        let index = seen.len();
        seen.push(key);

        match key {
            // `optional`
            Key::Optional => self.optional = flag(ident, index, &value, errors),
            // `fresh`
            Key::Fresh => self.fresh = flag(ident, index, &value, errors),
            // `refresh`
            Key::Refresh => self.refresh = flag(ident, index, &value, errors),
            // `locations = "headers,cookies"`
            Key::Locations => {
                self.locations = locations(&ident, value, errors).map(|value| Opt {
                    key: ident,
                    index,
                    value,
                });
            }
            // `verify_type = false`
            Key::VerifyType => {
                self.verify_type = verify_type(&ident, value, errors).map(|value| Opt {
                    key: ident,
                    index,
                    value,
                });
            }
            // `skip_revocation_check`
            Key::SkipRevocationCheck => {
                self.skip_revocation_check = flag(ident, index, &value, errors);
            }
        }
        Ok(())
    }
}

/// The option `path` names, if it is one of ours.
fn lookup(path: &Path) -> Option<(Key, Ident)> {
    let ident = path.get_ident()?;
    let name = ident.unraw();
    OPTIONS
        .iter()
        .find(|(option, _)| name == option)
        .map(|(_, key)| (*key, ident.clone()))
}

fn unknown_option(path: &Path) -> Error {
    let name = path_name(path);
    let names: Vec<&str> = OPTIONS.iter().map(|(name, _)| *name).collect();
    let hint = hint(&name, &names);
    Error::new_spanned(
        path,
        format!("unknown `jwt_required` option `{name}`; {hint}"),
    )
}

/// A bare-word option: `fresh`.
fn flag(key: Ident, index: usize, value: &Value, errors: &mut Errors) -> Option<Opt<()>> {
    if let Value::Absent = value {
        return Some(Opt {
            key,
            index,
            value: (),
        });
    }
    // Read `fresh = true` as meant, so the checks between options still run.
    let meant = value.as_bool();
    let hint = match meant {
        Some(false) => format!("leave `{key}` out to turn it off"),
        _ => format!("write `{key}`"),
    };
    errors.push(Error::new_spanned(
        quote!(#key #value),
        format!("`{key}` takes no value; {hint}"),
    ));
    (meant == Some(true)).then_some(Opt {
        key,
        index,
        value: (),
    })
}

/// `verify_type = true|false`.
fn verify_type(key: &Ident, value: Value, errors: &mut Errors) -> Option<bool> {
    let tokens = value.into_assigned(
        key,
        errors,
        &format!("expected `true` or `false` after `{key} =`"),
        &format!("`{key}` takes a value; write `{key} = false`"),
    )?;
    if let Ok(lit) = syn::parse2::<LitBool>(tokens.clone()) {
        return Some(lit.value);
    }
    // A string (`"false"`) or Python's `False`: what was meant is clear.
    let meant = syn::parse2::<LitStr>(tokens.clone())
        .map(|lit| lit.value())
        .or_else(|_| syn::parse2::<Ident>(tokens.clone()).map(|ident| ident.to_string()))
        .ok()
        .map(|text| text.to_ascii_lowercase())
        .filter(|text| text == "true" || text == "false");
    let message = match meant {
        Some(text) => {
            format!("expected `true` or `false` as the value of `{key}`; write `{key} = {text}`")
        }
        None => format!("expected `true` or `false` as the value of `{key}`"),
    };
    errors.push(Error::new_spanned(tokens, message));
    None
}

/// `locations = "headers,cookies"`.
fn locations(key: &Ident, value: Value, errors: &mut Errors) -> Option<Vec<Location>> {
    let example = format!("`{key} = \"headers,cookies\"`");
    let tokens = value.into_assigned(
        key,
        errors,
        &format!("expected a string literal after `{key} =`, like {example}"),
        &format!("`{key}` takes a value; write {example}"),
    )?;
    if let Ok(lit) = syn::parse2::<LitStr>(tokens.clone()) {
        return location_list(&lit, errors);
    }
    // An unquoted `headers`, or flask's list `["headers", "cookies"]`.
    let meant = syn::parse2::<Ident>(tokens.clone())
        .map(|ident| ident.to_string())
        .or_else(|_| string_list.parse2(tokens.clone()));
    let message = match meant {
        Ok(text) => {
            format!("expected a string literal as the value of `{key}`; write `{key} = \"{text}\"`")
        }
        Err(_) => format!("expected a string literal as the value of `{key}`, like {example}"),
    };
    errors.push(Error::new_spanned(tokens, message));
    None
}

/// `["headers", "cookies"]` as `"headers,cookies"`.
fn string_list(input: ParseStream<'_>) -> syn::Result<String> {
    let content;
    bracketed!(content in input);
    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    Ok(list.iter().map(LitStr::value).collect::<Vec<_>>().join(","))
}

/// The entries of `"headers, cookies"`, in order. Errors point at the literal, since
/// stable Rust cannot point inside it, and name the bad entry.
fn location_list(lit: &LitStr, errors: &mut Errors) -> Option<Vec<Location>> {
    let names: Vec<&str> = LOCATIONS.iter().map(|(name, _)| *name).collect();
    let text = lit.value();
    if text.trim().is_empty() {
        errors.push(Error::new(
            lit.span(),
            format!(
                "`locations` is empty; list one or more of {}, or leave `locations` out to use the configured locations",
                backticked(&names)
            ),
        ));
        return None;
    }

    let mut locations = Vec::new();
    let mut ok = true;
    let mut reported_empty = false;
    for entry in text.split(',').map(str::trim) {
        if entry.is_empty() {
            if !reported_empty {
                errors.push(Error::new(
                    lit.span(),
                    "`locations` has an empty entry; remove the extra `,`",
                ));
                reported_empty = true;
            }
            ok = false;
            continue;
        }
        let Some((_, location)) = LOCATIONS.iter().find(|(name, _)| *name == entry) else {
            let hint = hint(entry, &names);
            errors.push(Error::new(
                lit.span(),
                format!("unknown token location `{entry}` in `locations`; {hint}"),
            ));
            ok = false;
            continue;
        };
        if locations.contains(location) {
            errors.push(Error::new(
                lit.span(),
                format!("duplicate token location `{entry}` in `locations`"),
            ));
            ok = false;
            continue;
        }
        locations.push(*location);
    }
    ok.then_some(locations)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `input` as the inside of `#[jwt_required(..)]`; returns the messages too.
    fn parse(input: &str) -> (Args, Vec<String>) {
        crate::fallback::parse_for_test(input, Args::parse)
    }

    fn ok(input: &str) -> Args {
        let (args, messages) = parse(input);
        assert!(messages.is_empty(), "{input:?}: {messages:?}");
        args
    }

    fn errors(input: &str) -> Vec<String> {
        parse(input).1
    }

    #[test]
    fn no_options() {
        let args = ok("");
        assert!(args.optional.is_none() && args.fresh.is_none() && args.refresh.is_none());
        assert!(args.locations.is_none() && args.verify_type.is_none());
        assert!(args.skip_revocation_check.is_none());
    }

    #[test]
    fn every_listed_option_is_accepted() {
        for (name, key) in OPTIONS {
            let input = match key {
                Key::Locations => format!("{name} = \"headers\""),
                Key::VerifyType => format!("{name} = false"),
                _ => (*name).to_owned(),
            };
            ok(&input);
        }
    }

    #[test]
    fn all_options_in_any_order() {
        let args = ok(
            "skip_revocation_check, verify_type = false, locations = \" cookies , headers,json,query_string \", refresh, optional,",
        );
        assert!(args.optional.is_some() && args.refresh.is_some());
        assert!(args.skip_revocation_check.is_some() && args.fresh.is_none());
        assert_eq!(args.verify_type.map(|opt| opt.value), Some(false));
        let locations = args.locations.map(|opt| opt.value);
        assert_eq!(
            locations,
            Some(vec![
                Location::Cookies,
                Location::Headers,
                Location::Json,
                Location::QueryString
            ])
        );
    }

    #[test]
    fn verify_type_true_is_allowed() {
        assert_eq!(
            ok("verify_type = true").verify_type.map(|opt| opt.value),
            Some(true)
        );
    }

    #[test]
    fn unknown_options() {
        assert_eq!(
            errors("frsh"),
            ["unknown `jwt_required` option `frsh`; did you mean `fresh`?"]
        );
        assert_eq!(
            errors("admin = 1"),
            [
                "unknown `jwt_required` option `admin`; expected one of `optional`, `fresh`, `refresh`, `locations`, `verify_type`, `skip_revocation_check`"
            ]
        );
        assert_eq!(errors("a::fresh").len(), 1);
        // Parsing goes on after an unknown option with a value.
        assert_eq!(errors("frsh(x, y), fresh = 1, refresh").len(), 2);
    }

    #[test]
    fn duplicates_are_reported_once_each() {
        assert_eq!(
            errors("fresh, optional, fresh"),
            ["duplicate `jwt_required` option `fresh`"]
        );
        assert_eq!(
            errors("locations = \"json\", locations = \"headers\", locations = \"x\""),
            [
                "duplicate `jwt_required` option `locations`",
                "duplicate `jwt_required` option `locations`"
            ]
        );
    }

    #[test]
    fn flags_take_no_value() {
        assert_eq!(
            errors("fresh = true"),
            ["`fresh` takes no value; write `fresh`"]
        );
        assert_eq!(
            errors("optional = false"),
            ["`optional` takes no value; leave `optional` out to turn it off"]
        );
        assert_eq!(
            errors("refresh(yes)"),
            ["`refresh` takes no value; write `refresh`"]
        );
        // `= true` still counts, so the checks between options can run.
        assert!(parse("fresh = true").0.fresh.is_some());
        assert!(parse("fresh = false").0.fresh.is_none());
    }

    #[test]
    fn valued_options_need_a_value() {
        assert_eq!(
            errors("locations"),
            ["`locations` takes a value; write `locations = \"headers,cookies\"`"]
        );
        assert_eq!(
            errors("verify_type"),
            ["`verify_type` takes a value; write `verify_type = false`"]
        );
        assert_eq!(
            errors("verify_type =, fresh"),
            ["expected `true` or `false` after `verify_type =`"]
        );
        assert_eq!(
            errors("locations ="),
            [
                "expected a string literal after `locations =`, like `locations = \"headers,cookies\"`"
            ]
        );
    }

    #[test]
    fn values_of_the_wrong_kind() {
        assert_eq!(
            errors("verify_type = 0"),
            ["expected `true` or `false` as the value of `verify_type`"]
        );
        assert_eq!(
            errors("verify_type = \"false\""),
            [
                "expected `true` or `false` as the value of `verify_type`; write `verify_type = false`"
            ]
        );
        assert_eq!(
            errors("verify_type = False"),
            [
                "expected `true` or `false` as the value of `verify_type`; write `verify_type = false`"
            ]
        );
        assert_eq!(
            errors("locations = headers"),
            [
                "expected a string literal as the value of `locations`; write `locations = \"headers\"`"
            ]
        );
        assert_eq!(
            errors("locations = [\"headers\", \"cookies\"]"),
            [
                "expected a string literal as the value of `locations`; write `locations = \"headers,cookies\"`"
            ]
        );
        assert_eq!(
            errors("locations = 1"),
            [
                "expected a string literal as the value of `locations`, like `locations = \"headers,cookies\"`"
            ]
        );
    }

    #[test]
    fn bad_location_entries() {
        assert_eq!(
            errors("locations = \"header\""),
            ["unknown token location `header` in `locations`; did you mean `headers`?"]
        );
        assert_eq!(
            errors("locations = \"query\""),
            ["unknown token location `query` in `locations`; did you mean `query_string`?"]
        );
        assert_eq!(
            errors("locations = \"body\""),
            [
                "unknown token location `body` in `locations`; expected one of `headers`, `cookies`, `query_string`, `json`"
            ]
        );
        assert_eq!(
            errors("locations = \"headers, cookies, headers\""),
            ["duplicate token location `headers` in `locations`"]
        );
        assert_eq!(
            errors("locations = \"headers,,cookies,\""),
            ["`locations` has an empty entry; remove the extra `,`"]
        );
        assert_eq!(
            errors("locations = \" \""),
            [
                "`locations` is empty; list one or more of `headers`, `cookies`, `query_string`, `json`, or leave `locations` out to use the configured locations"
            ]
        );
        assert_eq!(errors("locations = \"header, cookie\"").len(), 2);
        assert!(parse("locations = \"header\"").0.locations.is_none());
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        for input in [
            "\"fresh\"",
            "fresh refresh",
            ",",
            "fresh,,",
            "= true",
            "fresh = ",
            "locations = \"headers\" \"cookies\"",
            "::",
            "fresh::",
            "#",
            "123",
            "crate, self, super, Self",
            "r#fresh",
            "locations = r\"headers\"",
            "locations = b\"headers\"",
            "locations = \"headers\"suffix",
        ] {
            let _ = parse(input);
        }
        assert_eq!(errors("fresh refresh"), ["expected `,`"]);
        assert_eq!(
            errors("frsh, fresh refresh"),
            [
                "unknown `jwt_required` option `frsh`; did you mean `fresh`?",
                "expected `,`"
            ]
        );
    }
}
