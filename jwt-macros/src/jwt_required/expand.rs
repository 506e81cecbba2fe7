//! Code generation for `#[jwt_required]`; infallible, runs only on checked input.
//!
//! The handler stays the function actix-web registers, with its name, visibility,
//! generics, attributes and body as written. Only its parameters change: a leading
//! gate that verifies the token, whose const parameter packs the route's options, and
//! every parameter of the user's wrapped in `After`, which creates the user's
//! extractor only once verification has passed:
//!
//! ```text
//! #[get("/x")]
//! pub async fn name<T: Foo>(
//!     _: ::actix_jwt_extended::__private::Gate<{ spec(&VerifyOptions { .. }) }>,
//!     ::actix_jwt_extended::__private::After(a): ::actix_jwt_extended::__private::After<A>,
//!     ::actix_jwt_extended::__private::After(b): ::actix_jwt_extended::__private::After<web::Json<B>>,
//! ) -> R
//! where T: Bar
//! { body }
//! ```
//!
//! The body starts, after its inner attributes, with one `let _ =
//! ::actix_jwt_extended::__private::extractor::<T>;` per parameter, spanned at the
//! parameter's type `T`: a parameter that is not an extractor is then reported at its
//! type, before actix-web's error about the whole handler (which never names it). It
//! sits in the body because the handler's generics, where-clause and `Self` are in
//! scope there; it names a function without calling it, so it costs no run time.
//!
//! Generating no second function keeps the cost per handler close to a plain
//! handler's: actix-web instantiates its extraction and call code once, as for any
//! handler.

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::{
    Attribute, FnArg, Token,
    parse::{ParseStream, Parser},
    parse_quote,
    punctuated::Punctuated,
    spanned::Spanned,
};

use super::{
    args::{Args, Location},
    ast::Handler,
};

/// The handler with the gate and its parameters wrapped.
pub(crate) fn handler(args: &Args, handler: Handler) -> TokenStream {
    let Handler {
        attrs,
        vis,
        mut sig,
        brace_token,
        body,
    } = handler;
    let private = quote!(::actix_jwt_extended::__private);

    let checks = extractor_checks(&sig.inputs, &private);
    let route = route_options(args, &private);
    let gate: FnArg = parse_quote! {
        _: #private::Gate<{ #private::spec(&#route) }>
    };
    let mut inputs = Punctuated::<FnArg, Token![,]>::new();
    inputs.push(gate);
    for input in std::mem::take(&mut sig.inputs) {
        // `check_handler` refused receivers; a typed parameter is all that is left.
        let FnArg::Typed(param) = input else {
            inputs.push(input);
            continue;
        };
        let (param_attrs, pat, ty) = (&param.attrs, &param.pat, &param.ty);
        // rustc reports a parameter that is not an extractor at the type: keep the
        // user's span on the wrapper, so the message points at their parameter.
        let wrapper = quote_spanned!(ty.span()=> #private::After);
        inputs.push(parse_quote! {
            #(#param_attrs)* #wrapper(#pat): #wrapper<#ty>
        });
    }
    sig.inputs = inputs;

    let mut item = quote! {
        #(#attrs)*
        #vis #sig
    };
    brace_token.surround(&mut item, |tokens| tokens.extend(with_checks(body, checks)));
    item
}

/// `let _ = extractor::<T>;` for the type `T` of every parameter, spanned at `T`.
///
/// A type with `impl Trait` in it cannot be named there; such a handler cannot be
/// registered anyway, and rustc says so.
fn extractor_checks(inputs: &Punctuated<FnArg, Token![,]>, private: &TokenStream) -> TokenStream {
    inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(param) => Some(&param.ty),
            FnArg::Receiver(_) => None,
        })
        .filter(|ty| !has_impl_trait(ty.to_token_stream()))
        .map(|ty| {
            // The span of the whole type, so rustc underlines all of it: on stable a
            // span cannot be joined, but rustc spans the check from its first token
            // to its last.
            let first = ty.span();
            let last = ty
                .to_token_stream()
                .into_iter()
                .last()
                .map_or(first, |tree| tree.span());
            let close = Token![>](last);
            quote_spanned!(first=> let _ = #private::extractor::<#ty #close;)
        })
        .collect()
}

fn has_impl_trait(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == "impl",
        TokenTree::Group(group) => has_impl_trait(group.stream()),
        TokenTree::Punct(_) | TokenTree::Literal(_) => false,
    })
}

/// The body with `checks` after its inner attributes (`#![allow(..)]` must stay
/// first). A body whose inner attributes do not parse is left as it is, for rustc to
/// report.
fn with_checks(body: TokenStream, checks: TokenStream) -> TokenStream {
    let split = |input: ParseStream<'_>| {
        let inner = input.call(Attribute::parse_inner)?;
        let rest: TokenStream = input.parse()?;
        Ok((inner, rest))
    };
    match split.parse2(body.clone()) {
        Ok((inner, rest)) => quote!(#(#inner)* #checks #rest),
        Err(_) => body,
    }
}

/// The `VerifyOptions` literal for `args`, defaults filled in.
fn route_options(args: &Args, private: &TokenStream) -> TokenStream {
    let optional = args.optional.is_some();
    let fresh = args.fresh.is_some();
    let refresh = args.refresh.is_some();
    let verify_type = args.verify_type.as_ref().is_none_or(|opt| opt.value);
    let skip_revocation_check = args.skip_revocation_check.is_some();
    // Empty means "the locations configured on the manager".
    let locations = args
        .locations
        .iter()
        .flat_map(|opt| &opt.value)
        .map(|location| {
            let variant = match location {
                Location::Headers => quote!(Headers),
                Location::Cookies => quote!(Cookies),
                Location::QueryString => quote!(QueryString),
                Location::Json => quote!(Json),
            };
            quote!(#private::Location::#variant)
        });
    quote! {
        #private::VerifyOptions {
            optional: #optional,
            fresh: #fresh,
            refresh: #refresh,
            verify_type: #verify_type,
            skip_revocation_check: #skip_revocation_check,
            locations: &[#(#locations),*],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fallback::Errors;

    fn expand(attr: &str, item: &str) -> String {
        let (Ok(attr), Ok(item)) = (attr.parse::<TokenStream>(), syn::parse_str::<Handler>(item))
        else {
            panic!("bad test input");
        };
        let mut errors = Errors::default();
        let args = Args::parse(attr, &mut errors);
        assert!(errors.finish().is_ok());
        handler(&args, item).to_string()
    }

    fn squash(code: &str) -> String {
        code.split_whitespace().collect()
    }

    #[test]
    fn plain_handler() {
        let out = expand("", "async fn index() -> &'static str { \"hi\" }");
        let expected = quote! {
            async fn index(
                _: ::actix_jwt_extended::__private::Gate<{
                    ::actix_jwt_extended::__private::spec(&::actix_jwt_extended::__private::VerifyOptions {
                        optional: false,
                        fresh: false,
                        refresh: false,
                        verify_type: true,
                        skip_revocation_check: false,
                        locations: &[],
                    })
                }>
            ) -> &'static str { "hi" }
        };
        assert_eq!(squash(&out), squash(&expected.to_string()));
    }

    #[test]
    fn attributes_generics_and_options() {
        let out = expand(
            "fresh, optional, locations = \"cookies,headers\"",
            "#[get(\"/x\")] /// Docs.\n #[allow(unused)] pub(crate) async fn name<'a, T: Foo, const N: usize>(mut a: A, web::Json(b): web::Json<B>) -> R where T: Bar { body }",
        );
        let expected = quote! {
            #[get("/x")]
            #[doc = " Docs."]
            #[allow(unused)]
            pub(crate) async fn name<'a, T: Foo, const N: usize>(
                _: ::actix_jwt_extended::__private::Gate<{
                    ::actix_jwt_extended::__private::spec(&::actix_jwt_extended::__private::VerifyOptions {
                        optional: true,
                        fresh: true,
                        refresh: false,
                        verify_type: true,
                        skip_revocation_check: false,
                        locations: &[
                            ::actix_jwt_extended::__private::Location::Cookies,
                            ::actix_jwt_extended::__private::Location::Headers
                        ],
                    })
                }>,
                ::actix_jwt_extended::__private::After(mut a): ::actix_jwt_extended::__private::After<A>,
                ::actix_jwt_extended::__private::After(web::Json(b)): ::actix_jwt_extended::__private::After<web::Json<B> >
            ) -> R where T: Bar {
                let _ = ::actix_jwt_extended::__private::extractor::<A>;
                let _ = ::actix_jwt_extended::__private::extractor::<web::Json<B> >;
                body
            }
        };
        assert_eq!(squash(&out), squash(&expected.to_string()));
    }

    #[test]
    fn checks_follow_inner_attributes() {
        let out = squash(&expand(
            "",
            "async fn h(a: A, b: impl X, c: Vec<(impl Y, u8)>) { #![allow(unused)] #![doc = \"x\"] body }",
        ));
        assert!(
            out.ends_with(&squash(
                "{ #![allow(unused)] #![doc = \"x\"] let _ = ::actix_jwt_extended::__private::extractor::<A>; body }"
            )),
            "{out}"
        );
        // Inner attributes that do not parse are left for rustc, without checks.
        let out = squash(&expand("", "async fn h(a: A) { #![] body }"));
        assert!(out.ends_with("{#![]body}"), "{out}");
    }
}
