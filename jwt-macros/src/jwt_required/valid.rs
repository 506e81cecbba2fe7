//! Rules between the options, and between the options and the handler.
//!
//! Contract: runs on whatever `args.rs` could parse (an option given wrongly is
//! `None`), reports every broken rule to the shared [`Errors`] and never stops early,
//! so these errors show up in the same build as the parse errors.

use proc_macro2::Ident;
use syn::{Error, FnArg, GenericArgument, PathArguments, Safety, Type};

use super::{
    args::{Args, Opt},
    ast::Handler,
};
use crate::fallback::Errors;

/// Extractors that fail when a request has no token, so an `optional` route must
/// take them as `Option<..>`.
const NEEDS_A_TOKEN: &[&str] = &["Jwt", "CurrentUser"];

/// Rules between options.
pub(crate) fn check_options(args: &Args, errors: &mut Errors) {
    if let (Some(fresh), Some(refresh)) = (&args.fresh, &args.refresh) {
        let later = later(fresh, refresh);
        errors.push(Error::new(
            later.span(),
            "`fresh` and `refresh` cannot be used together; a refresh token is never fresh",
        ));
    }
}

/// Rules for the handler itself, and for its parameters given the options.
pub(crate) fn check_handler(args: &Args, handler: &Handler, errors: &mut Errors) {
    let sig = &handler.sig;
    if let Safety::Unsafe(unsafe_token) = &sig.safety {
        errors.push(Error::new(
            unsafe_token.span,
            "a `#[jwt_required]` handler cannot be `unsafe`",
        ));
    }
    if sig.asyncness.is_none() {
        errors.push(Error::new(
            sig.fn_token.span,
            "`#[jwt_required]` can only be used on an `async fn` handler; add `async` before `fn`",
        ));
    }
    if let Some(receiver) = sig.receiver() {
        errors.push(Error::new_spanned(
            receiver,
            "a `#[jwt_required]` handler cannot take `self`; make it a free `async fn`",
        ));
    }

    for input in &sig.inputs {
        let FnArg::Typed(param) = input else {
            continue;
        };
        if args.optional.is_some() {
            if let Some(extractor) = needs_a_token(&param.ty) {
                errors.push(optional_needs_option(&param.ty, extractor));
            }
        } else if let Some(extractor) = optional_extractor(&param.ty) {
            errors.push(option_needs_optional(&param.ty, extractor));
        }
    }
}

/// The one of two options written last.
fn later<'a, A, B>(a: &'a Opt<A>, b: &'a Opt<B>) -> &'a Ident {
    if a.index > b.index { &a.key } else { &b.key }
}

/// The last segment of the path `ty` is, through parentheses: the macro only sees
/// tokens, so `Jwt`, `actix_jwt_extended::Jwt` and a renamed import's original path
/// all end in `Jwt`.
fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Paren(paren) => last_segment(&paren.elem),
        Type::Group(group) => last_segment(&group.elem),
        Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        _ => None,
    }
}

/// The extractor `ty` names if it is one that fails without a token: `Jwt<Claims>`
/// and `x::CurrentUser<U>` count, `Option<Jwt<..>>` does not.
fn needs_a_token(ty: &Type) -> Option<&syn::PathSegment> {
    last_segment(ty).filter(|last| NEEDS_A_TOKEN.iter().any(|name| last.ident == name))
}

/// The token extractor in `Option<..>`, if `ty` is one: `std::option::Option<Jwt<C>>`
/// counts, `Option<String>` does not.
fn optional_extractor(ty: &Type) -> Option<&syn::PathSegment> {
    let last = last_segment(ty).filter(|last| last.ident == "Option")?;
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first() {
        Some(GenericArgument::Type(inner)) if arguments.args.len() == 1 => needs_a_token(inner),
        _ => None,
    }
}

/// `Jwt` or `Jwt<..>`: how errors name an extractor, whatever its arguments.
fn extractor_name(extractor: &syn::PathSegment) -> String {
    match extractor.arguments {
        PathArguments::None => extractor.ident.to_string(),
        PathArguments::AngleBracketed(_) | PathArguments::Parenthesized(_) => {
            format!("{}<..>", extractor.ident)
        }
    }
}

fn option_needs_optional(ty: &Type, extractor: &syn::PathSegment) -> Error {
    let name = extractor_name(extractor);
    Error::new_spanned(
        ty,
        format!(
            "`Option<{name}>` is always `Some` on a route that is not `optional`; add \
             `optional` to `#[jwt_required(..)]` to let requests without a token through, \
             or take `{name}`"
        ),
    )
}

fn optional_needs_option(ty: &Type, extractor: &syn::PathSegment) -> Error {
    let name = extractor_name(extractor);
    Error::new_spanned(
        ty,
        format!(
            "`{name}` cannot be extracted on an `optional` route when the request has no token; \
             use `Option<{name}>`"
        ),
    )
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;

    use super::*;

    fn messages(attr: &str, item: &str) -> Vec<String> {
        let (Ok(attr), Ok(item)) = (attr.parse::<TokenStream>(), syn::parse_str::<Handler>(item))
        else {
            panic!("bad test input");
        };
        let mut errors = Errors::default();
        let args = Args::parse(attr, &mut errors);
        check_options(&args, &mut errors);
        check_handler(&args, &item, &mut errors);
        errors.messages()
    }

    #[test]
    fn fresh_and_refresh() {
        assert_eq!(
            messages("refresh, optional, fresh", "async fn h() {}"),
            ["`fresh` and `refresh` cannot be used together; a refresh token is never fresh"]
        );
    }

    #[test]
    fn handler_shape() {
        assert!(messages("", "pub async fn h<T>(a: A) -> R where T: X {}").is_empty());
        assert_eq!(
            messages("", "fn h() {}"),
            [
                "`#[jwt_required]` can only be used on an `async fn` handler; add `async` before `fn`"
            ]
        );
        assert_eq!(
            messages("", "async fn h(&self) {}"),
            ["a `#[jwt_required]` handler cannot take `self`; make it a free `async fn`"]
        );
        assert_eq!(messages("", "unsafe fn h(self: Box<Self>) {}").len(), 3);
    }

    #[test]
    fn optional_routes_need_option() {
        let item = "async fn h(a: Jwt<C>, b: x::CurrentUser<U>, c: Option<Jwt<C>>, d: (Jwt), e: Jwt, f: Data<Jwt>) {}";
        assert_eq!(
            messages("optional", item),
            [
                "`Jwt<..>` cannot be extracted on an `optional` route when the request has no token; use `Option<Jwt<..>>`",
                "`CurrentUser<..>` cannot be extracted on an `optional` route when the request has no token; use `Option<CurrentUser<..>>`",
                "`Jwt` cannot be extracted on an `optional` route when the request has no token; use `Option<Jwt>`",
                "`Jwt` cannot be extracted on an `optional` route when the request has no token; use `Option<Jwt>`",
            ]
        );
        assert!(
            messages(
                "fresh",
                "async fn h(a: Jwt<C>, b: Option<String>, c: Data<Option<Jwt>>) {}"
            )
            .is_empty()
        );
    }

    #[test]
    fn option_needs_an_optional_route() {
        let item = "async fn h(a: Option<Jwt<C>>, b: std::option::Option<x::CurrentUser<U>>, c: (Option<Jwt>), d: Option<String>, e: Option<Jwt, X>, f: Jwt) {}";
        assert_eq!(
            messages("fresh", item),
            [
                "`Option<Jwt<..>>` is always `Some` on a route that is not `optional`; add `optional` to `#[jwt_required(..)]` to let requests without a token through, or take `Jwt<..>`",
                "`Option<CurrentUser<..>>` is always `Some` on a route that is not `optional`; add `optional` to `#[jwt_required(..)]` to let requests without a token through, or take `CurrentUser<..>`",
                "`Option<Jwt>` is always `Some` on a route that is not `optional`; add `optional` to `#[jwt_required(..)]` to let requests without a token through, or take `Jwt`",
            ]
        );
        assert!(messages("optional", item).len() == 1);
    }
}
