//! `#[claims]`: parse the options (`args`) and the struct with what its serde
//! attributes say (`serde_attrs`) into a model of its claim names (`ast`), check them
//! (`valid`), then emit the struct with serde's derives and a `Claims` impl
//! (`expand`), or on any error the struct with stub impls and every error
//! (`expand::fallback`, `crate::fallback`).

mod args;
mod ast;
mod expand;
mod serde_attrs;
mod valid;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::{
    debug,
    fallback::{self, Errors},
};
use args::Args;
use ast::Input;

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
            errors.push(ast::not_a_struct(item.clone()));
            match errors.finish() {
                Ok(()) => item,
                Err(error) => fallback::item_with_errors(item, &error),
            }
        }
    };
    debug::print_expansion(output)
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
