//! The item under `#[jwt_required]` as the macro sees it: a function whose body is
//! kept as raw tokens.
//!
//! Contract: [`Handler::from_item`] never panics; an item that is not a function with
//! a body gets one error at the narrowest token that says what to do instead.

use proc_macro2::TokenStream;
use syn::{
    Attribute, Error, Signature, Token, Visibility, braced,
    parse::{Parse, ParseStream},
    token,
};

use crate::fallback;

/// A function item whose body is kept as raw tokens.
///
/// The body is never parsed (tokio's `ItemFn`, tracing's `MaybeItemFn`): the macro
/// does not look inside it, it is re-emitted token for token, and a syntax error in
/// it is reported by rustc at the right place instead of failing the macro.
pub(crate) struct Handler {
    /// Outer attributes, in order: docs, `#[get(..)]` when written above ours, lints.
    pub(crate) attrs: Vec<Attribute>,
    /// `pub`, `pub(crate)` or nothing.
    pub(crate) vis: Visibility,
    /// Everything from `const`/`async`/`fn` to the where-clause.
    pub(crate) sig: Signature,
    /// The braces around the body, whose spans are kept.
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

impl Handler {
    /// The handler in `item`, or the error saying why it is none.
    pub(crate) fn from_item(item: TokenStream) -> syn::Result<Self> {
        syn::parse2(item.clone()).map_err(|_| not_a_handler(item))
    }
}

/// A function declared without a body, as in a trait or an `extern` block.
struct Declaration {
    semi_token: Token![;],
}

impl Parse for Declaration {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        input.call(Attribute::parse_outer)?;
        input.parse::<Visibility>()?;
        input.parse::<Signature>()?;
        let semi_token = input.parse()?;
        Ok(Self { semi_token })
    }
}

/// The error for an item that is not a function with a body: at the `;` of a
/// declaration (`async fn handler() -> String;` in a trait), else at the item without
/// its attributes (a struct).
fn not_a_handler(item: TokenStream) -> Error {
    if let Ok(declaration) = syn::parse2::<Declaration>(item.clone()) {
        return Error::new(
            declaration.semi_token.span,
            "`#[jwt_required]` needs the handler's body; put it on the `async fn` \
             definition with a body, not on a declaration",
        );
    }
    fallback::error_at_item(
        item,
        "`#[jwt_required]` can only be used on an `async fn` handler",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(item: &str) -> String {
        let Ok(item) = item.parse() else {
            panic!("bad test input");
        };
        match Handler::from_item(item) {
            Ok(_) => String::new(),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn handlers() {
        assert_eq!(message("async fn h() {}"), "");
        assert_eq!(
            message("#[get(\"/\")] pub fn h<T>(a: A) -> R where T: X { x }"),
            ""
        );
    }

    #[test]
    fn declarations_need_a_body() {
        for item in [
            "async fn handler() -> String;",
            "#[doc = \"x\"] fn declared_only(a: A);",
            "pub async fn h<T>() where T: X;",
        ] {
            assert_eq!(
                message(item),
                "`#[jwt_required]` needs the handler's body; put it on the `async fn` \
                 definition with a body, not on a declaration",
                "{item}"
            );
        }
    }

    #[test]
    fn items_that_are_not_handlers() {
        for item in [
            "struct NotAHandler;",
            "#[doc = \"x\"] pub struct NotAHandler { a: u8 }",
            "impl X { async fn a() {} }",
            "async fn h() {} async fn second() {}",
            "async fn h();;",
            "",
            "#[doc = \"x\"]",
        ] {
            assert_eq!(
                message(item),
                "`#[jwt_required]` can only be used on an `async fn` handler",
                "{item}"
            );
        }
    }
}
