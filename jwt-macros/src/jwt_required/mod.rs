//! `#[jwt_required(..)]`: parse the options (`args`) and the handler (here), check them
//! together (`valid`), then generate the verifying handler (`expand`), or on any
//! error emit the handler unchanged with every error (`crate::fallback`).

mod args;
mod expand;
mod valid;

use proc_macro2::{Span, TokenStream};
use syn::{
    Attribute, Error, Signature, Visibility, braced,
    parse::{Parse, ParseStream},
    token,
};

use crate::fallback::{self, Errors};
use args::Args;

/// Set this environment variable to print every expansion to stderr (of
/// `#[jwt_required]` and `#[claims]`).
pub(crate) const DEBUG_VAR: &str = "ACTIX_JWT_EXTENDED_MACROS_DEBUG";

/// The whole macro: `args` are the tokens inside `#[jwt_required(..)]`, `item` the
/// item it is on.
pub(crate) fn jwt_required(args: TokenStream, item: TokenStream) -> TokenStream {
    let output = match parse_and_check(args, item.clone()) {
        Ok((args, handler)) => expand::handler(&args, handler),
        Err(error) => fallback::item_with_errors(item, &error),
    };
    if std::env::var_os(DEBUG_VAR).is_some() {
        eprintln!("{output}");
    }
    output
}

fn parse_and_check(args: TokenStream, item: TokenStream) -> syn::Result<(Args, Handler)> {
    let mut errors = Errors::default();
    let args = Args::parse(args, &mut errors);
    valid::check_options(&args, &mut errors);
    let handler = syn::parse2::<Handler>(item.clone()).map_err(|_| not_a_handler(item));
    match &handler {
        Ok(handler) => valid::check_handler(&args, handler, &mut errors),
        Err(error) => errors.push(error.clone()),
    }
    errors.finish()?;
    Ok((args, handler?))
}

/// A function item whose body is kept as raw tokens.
///
/// The body is never parsed (tokio's `ItemFn`, tracing's `MaybeItemFn`): the macro
/// does not look inside it, it is re-emitted token for token, and a syntax error in
/// it is reported by rustc at the right place instead of failing the macro.
pub(crate) struct Handler {
    /// Outer attributes, in order: docs, `#[get(..)]` when written above ours, lints.
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    pub(crate) brace_token: token::Brace,
    /// Everything between the braces, inner attributes included.
    pub(crate) body: TokenStream,
}

impl Parse for Handler {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let content;
        let brace_token = braced!(content in input);
        let body = content.parse()?;
        Ok(Self {
            attrs,
            vis,
            sig,
            brace_token,
            body,
        })
    }
}

/// The error for an item that is not a function with a body (a struct, a trait
/// method declaration), pointing at the item without its attributes.
fn not_a_handler(item: TokenStream) -> Error {
    const MESSAGE: &str = "`#[jwt_required]` can only be used on an `async fn` handler";
    let unattributed = |input: ParseStream<'_>| {
        input.call(Attribute::parse_outer)?;
        input.parse::<TokenStream>()
    };
    match syn::parse::Parser::parse2(unattributed, item) {
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
        jwt_required(attr, item).to_string()
    }

    #[test]
    fn errors_keep_the_item_and_come_together() {
        let out = run("frsh, fresh, refresh", "fn handler(&self) -> u8 { 1 }");
        assert!(out.starts_with("fn handler (& self) -> u8 { 1 }"), "{out}");
        assert_eq!(out.matches("compile_error").count(), 4, "{out}");
    }

    #[test]
    fn items_that_are_not_handlers() {
        for item in [
            "struct NotAHandler;",
            "#[doc = \"x\"] pub struct NotAHandler { a: u8 }",
            "fn declared_only();",
            "impl X { async fn a() {} }",
            "async fn h() {} async fn second() {}",
            "",
            "#[doc = \"x\"]",
        ] {
            let out = run("", item);
            assert!(
                out.contains("\"`#[jwt_required]` can only be used on an `async fn` handler\""),
                "{item}: {out}"
            );
        }
    }

    #[test]
    fn body_is_never_parsed() {
        let out = run("", "async fn h() -> u8 { let = ; 1 }");
        assert!(out.contains(") -> u8 { let = ; 1 }"), "{out}");
        assert!(!out.contains("compile_error"), "{out}");
    }
}
