//! `#[claims]`: parse the options and the struct's own attributes (`attr`) into a
//! model of its claim names (`ast`), check them (`valid`), then emit the struct with
//! serde's derives and a `Claims` impl (`expand`), or on any error the struct with a
//! stub impl and every error (`expand::fallback`, `crate::fallback`).

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{
    Attribute, DeriveInput, Error, Item,
    parse::{ParseStream, Parser},
};

use crate::{
    fallback::{self, Errors},
    jwt_required::DEBUG_VAR,
};
use ast::Input;
use attr::Args;

/// The whole macro: `args` are the tokens inside `#[claims(..)]`, `item` the item it
/// is on.
pub(crate) fn claims(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = Args::parse(args, &mut errors);
    let output = match syn::parse2::<DeriveInput>(item.clone()) {
        Ok(derive_input) => {
            let input = Input::from_syn(&derive_input, &mut errors);
            valid::check(&args, &input, &mut errors);
            match errors.finish() {
                Ok(()) => expand::claims(&derive_input, item),
                Err(error) => fallback::item_with_errors(expand::fallback(&input), &error),
            }
        }
        Err(_) => {
            errors.push(not_a_struct(item.clone()));
            match errors.finish() {
                Ok(()) => item,
                Err(error) => fallback::item_with_errors(item, &error),
            }
        }
    };
    if std::env::var_os(DEBUG_VAR).is_some() {
        eprintln!("{output}");
    }
    output
}

/// The error for an item that is not a struct, enum or union (a function, a module),
/// pointing at its keyword and name (`fn roles`), or at the whole item without its
/// attributes when it has no name.
fn not_a_struct(item: TokenStream) -> Error {
    const MESSAGE: &str = "`#[claims]` can only be used on a struct with named fields";
    let head = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Fn(item)) => {
            let (keyword, name) = (item.sig.fn_token, item.sig.ident);
            Some(quote!(#keyword #name))
        }
        Ok(Item::Mod(item)) => {
            let (keyword, name) = (item.mod_token, item.ident);
            Some(quote!(#keyword #name))
        }
        Ok(Item::Trait(item)) => {
            let (keyword, name) = (item.trait_token, item.ident);
            Some(quote!(#keyword #name))
        }
        Ok(Item::Type(item)) => {
            let (keyword, name) = (item.type_token, item.ident);
            Some(quote!(#keyword #name))
        }
        Ok(Item::Impl(item)) => {
            let keyword = item.impl_token;
            Some(quote!(#keyword))
        }
        _ => None,
    };
    if let Some(head) = head {
        return Error::new_spanned(head, MESSAGE);
    }
    let unattributed = |input: ParseStream<'_>| {
        input.call(Attribute::parse_outer)?;
        input.parse::<TokenStream>()
    };
    match unattributed.parse2(item) {
        Ok(rest) if !rest.is_empty() => Error::new_spanned(rest, MESSAGE),
        // Rustc only hands items to attribute macros, so this is defensive: point at
        // the attribute itself.
        _ => Error::new(Span::call_site(), MESSAGE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(attr: &str, item: &str) -> String {
        let (Ok(attr), Ok(item)) = (attr.parse(), item.parse()) else {
            panic!("bad test input");
        };
        claims(attr, item).to_string()
    }

    #[test]
    fn errors_keep_the_item_and_come_together() {
        let out = run(
            "identity = \"uid\"",
            "#[derive(Debug)] pub struct Roles { exp: u64, role: String, #[serde(rename = \"role\")] kind: u8 }",
        );
        assert!(
            out.contains(
                "# [derive (Debug)] pub struct Roles { exp : u64 , role : String , kind : u8 }"
            ),
            "{out}"
        );
        assert!(out.contains("unreachable"), "{out}");
        assert_eq!(out.matches("compile_error").count(), 3, "{out}");
    }

    #[test]
    fn items_that_are_not_structs() {
        for item in [
            "fn f() {}",
            "#[doc = \"x\"] mod m {}",
            "impl X { }",
            "struct A {} struct B {}",
            "",
            "#[doc = \"x\"]",
        ] {
            let out = run("", item);
            assert!(
                out.contains("\"`#[claims]` can only be used on a struct with named fields\""),
                "{item}: {out}"
            );
        }
    }

    #[test]
    fn odd_input_is_an_error_not_a_panic() {
        for (attr, item) in [
            ("identity_claim", "struct S;"),
            ("=", "enum E { A(u8) }"),
            (
                "",
                "struct S { #[serde(rename_all = )] a: u8, #[serde] b: u8 }",
            ),
            (
                "",
                "#[serde(rename_all(serialize = 1, deserialize))] struct S { r#a: u8 }",
            ),
            (
                "",
                "#[derive] #[derive = 1] #[claims = 1] struct S<'a, const N: usize> { a: &'a [u8; N] }",
            ),
            (
                "",
                "struct S { #[serde(alias)] a: u8, #[serde(rename(serialize))] b: u8 }",
            ),
        ] {
            let _ = run(attr, item);
        }
    }
}
