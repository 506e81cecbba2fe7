//! What a macro emits when the input has errors, and the collector for those errors.
//!
//! Every pass reports into one [`Errors`] instead of returning at the first problem, so
//! a single build shows every mistake in an attribute and its item. When there is any,
//! the macro emits the user's item unchanged followed by the `compile_error!`s
//! ([`item_with_errors`]), so the only errors the user sees are ours.

use proc_macro2::{Span, TokenStream};
use syn::{
    Attribute, Error,
    parse::{ParseStream, Parser},
};

/// The errors found so far, in the order they were found.
#[derive(Default)]
pub(crate) struct Errors {
    combined: Option<syn::Error>,
}

impl Errors {
    /// Records `error` after the ones already found.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.combined {
            Some(combined) => combined.combine(error),
            None => self.combined = Some(error),
        }
    }

    /// The messages found so far, for tests.
    #[cfg(test)]
    pub(crate) fn messages(self) -> Vec<String> {
        self.finish()
            .err()
            .into_iter()
            .flatten()
            .map(|error| error.to_string())
            .collect()
    }

    /// `Err` with all errors found as one `syn::Error`, if there were any.
    pub(crate) fn finish(self) -> syn::Result<()> {
        match self.combined {
            Some(combined) => Err(combined),
            None => Ok(()),
        }
    }
}

/// Runs `parse` over `input` as the tokens inside an attribute; gives what it parsed
/// and the messages it reported, for tests.
#[cfg(test)]
pub(crate) fn parse_for_test<T>(
    input: &str,
    parse: impl FnOnce(TokenStream, &mut Errors) -> T,
) -> (T, Vec<String>) {
    let tokens: TokenStream = match input.parse() {
        Ok(tokens) => tokens,
        Err(error) => panic!("bad test input {input:?}: {error}"),
    };
    let mut errors = Errors::default();
    let parsed = parse(tokens, &mut errors);
    (parsed, errors.messages())
}

/// The user's original `item`, then one `compile_error!` per error.
///
/// Keeping the item, as actix-web-codegen's `input_and_compile_error` does, avoids
/// follow-on errors (an actix `#[get]` route whose handler vanished, uses of the
/// function elsewhere) and keeps IDEs working inside the item
/// (<https://github.com/rust-lang/rust-analyzer/issues/10468>).
pub(crate) fn item_with_errors(item: TokenStream, error: &syn::Error) -> TokenStream {
    let mut output = item;
    output.extend(error.to_compile_error());
    output
}

/// The error `message` for an item a macro cannot be used on, spanning the item
/// without its outer attributes (which may be other macros' and are not at fault).
pub(crate) fn error_at_item(item: TokenStream, message: &str) -> Error {
    let unattributed = |input: ParseStream<'_>| {
        input.call(Attribute::parse_outer)?;
        input.parse::<TokenStream>()
    };
    match unattributed.parse2(item) {
        Ok(rest) if !rest.is_empty() => Error::new_spanned(rest, message),
        // Rustc only hands items to attribute macros, so this is defensive: point at
        // the attribute itself.
        _ => Error::new(Span::call_site(), message),
    }
}
