//! `#[jwt_required(..)]`: parse the options (`args`) and the handler (`ast`), check
//! them together (`valid`), then generate the verifying handler (`expand`), or on any
//! error emit the handler unchanged with every error (`crate::fallback`).

mod args;
mod ast;
mod expand;
mod valid;

use proc_macro2::TokenStream;

use crate::{
    debug,
    fallback::{self, Errors},
};
use args::Args;
use ast::Handler;

/// The whole macro: `args` are the tokens inside `#[jwt_required(..)]`, `item` the
/// item it is on.
pub(crate) fn jwt_required(args: TokenStream, item: TokenStream) -> TokenStream {
    let output = match parse_and_check(args, item.clone()) {
        Ok((args, handler)) => expand::handler(&args, handler),
        Err(error) => fallback::item_with_errors(item, &error),
    };
    debug::print_expansion(output)
}

fn parse_and_check(args: TokenStream, item: TokenStream) -> syn::Result<(Args, Handler)> {
    let mut errors = Errors::default();
    let args = Args::parse(args, &mut errors);
    valid::check_options(&args, &mut errors);
    let handler = Handler::from_item(item);
    match &handler {
        Ok(handler) => valid::check_handler(&args, handler, &mut errors),
        Err(error) => errors.push(error.clone()),
    }
    errors.finish()?;
    Ok((args, handler?))
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
    fn body_is_never_parsed() {
        let out = run("", "async fn h() -> u8 { let = ; 1 }");
        assert!(out.contains(") -> u8 { let = ; 1 }"), "{out}");
        assert!(!out.contains("compile_error"), "{out}");
    }
}
