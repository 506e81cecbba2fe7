//! Code generation for `#[jwt_required]`; infallible, runs only on checked input.
//!
//! The handler becomes an outer handler of the same name, visibility, generics and
//! attributes that takes only the request and the raw payload, verifies the token,
//! then runs the user's extractors and calls the user's function, which is nested
//! inside it unchanged but for its name (DESIGN.md, design 2):
//!
//! ```text
//! #[get("/x")]
//! pub async fn name<T: Foo>(
//!     __jwt_request: ::actix_jwt_extended::__private::HttpRequest,
//!     __jwt_payload: ::actix_jwt_extended::__private::Payload,
//! ) -> ::core::result::Result<HttpResponse, Error>
//! where T: Bar, T: 'static
//! {
//!     async fn __jwt_handler<T: Foo>(a: A, b: web::Json<B>) -> R where T: Bar { body }
//!     const __JWT_ROUTE: RouteOptions = RouteOptions { .. };
//!     serve(__jwt_request, __jwt_payload, &__JWT_ROUTE, __jwt_handler::<T>).await
//! }
//! ```

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{GenericParam, WherePredicate, parse_quote};

use super::{
    Handler,
    args::{Args, Location},
};

/// The outer handler replacing `handler`.
pub(crate) fn handler(args: &Args, handler: Handler) -> TokenStream {
    let Handler {
        attrs,
        vis,
        sig,
        brace_token,
        body,
    } = handler;
    let private = quote!(::actix_jwt_extended::__private);

    // The user's function keeps its signature and body token for token, so errors in
    // it point at the user's code. Its attributes belong to the route (docs, `#[get]`,
    // `#[cfg]`) and stay on the outer function; only lint levels are copied.
    let lint_levels = attrs.iter().filter(|attr| attr.path().is_ident("allow"));
    let mut inner_sig = sig.clone();
    inner_sig.ident = Ident::new("__jwt_handler", sig.ident.span());
    let mut inner_body = TokenStream::new();
    brace_token.surround(&mut inner_body, |tokens| tokens.extend(body));

    // Name the nested function with its type and const parameters, which the outer
    // function declares under the same names. Lifetimes are left to inference.
    let params: Vec<&Ident> = sig
        .generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(param) => Some(&param.ident),
            GenericParam::Const(param) => Some(&param.ident),
            GenericParam::Lifetime(_) => None,
        })
        .collect();
    let turbofish = (!params.is_empty()).then(|| quote!(::<#(#params),*>));
    // rustc reports an unmet bound of `serve` at the call (and again at its `.await`),
    // so span both at the user's parameter list rather than at our attribute: most
    // often a parameter is not an extractor, and the message names the type either
    // way. One span for both lets rustc drop the duplicate.
    let params_span = Span::call_site().located_at(sig.paren_token.span.join());
    let call = quote_spanned! {params_span=>
        ::actix_jwt_extended::__private::serve(
            __jwt_request,
            __jwt_payload,
            &__JWT_ROUTE,
            __jwt_handler #turbofish,
        )
        .await
    };

    let mut outer_sig = sig;
    outer_sig.inputs = parse_quote! {
        __jwt_request: #private::HttpRequest,
        __jwt_payload: #private::Payload,
    };
    outer_sig.output = parse_quote! {
        -> ::core::result::Result<#private::HttpResponse, #private::Error>
    };
    // actix handlers are `'static`, so registering `name::<T>` already requires it;
    // saying so here lets the body pass `__jwt_handler::<T>` on to `serve`.
    let static_bounds: Vec<WherePredicate> = outer_sig
        .generics
        .type_params()
        .map(|param| {
            let ident = &param.ident;
            parse_quote!(#ident: 'static)
        })
        .collect();
    if !static_bounds.is_empty() {
        outer_sig
            .generics
            .make_where_clause()
            .predicates
            .extend(static_bounds);
    }

    let route = route_options(args, &private);
    let outer_body = quote! {
        #(#lint_levels)*
        // `#[jwt_required]` requires `async`, so clippy's advice to drop it cannot be
        // followed (and actix-web's own `.to(handler)` silences it in the same way).
        #[allow(clippy::unused_async)]
        #inner_sig #inner_body
        const __JWT_ROUTE: #private::RouteOptions = #route;
        #call
    };
    // The outer function's braces are the user's too, so that it spans the user's
    // function and lints about it (`missing_docs`) point there, not at our attribute.
    let mut outer_fn = quote! {
        #(#attrs)*
        // The `Result` is ours; the user has no errors to document.
        #[allow(clippy::missing_errors_doc)]
        #vis #outer_sig
    };
    brace_token.surround(&mut outer_fn, |tokens| tokens.extend(outer_body));
    outer_fn
}

/// The `RouteOptions` literal for `args`, defaults filled in.
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
        #private::RouteOptions {
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
            #[allow(clippy::missing_errors_doc)]
            async fn index(
                __jwt_request: ::actix_jwt_extended::__private::HttpRequest,
                __jwt_payload: ::actix_jwt_extended::__private::Payload,
            ) -> ::core::result::Result<
                ::actix_jwt_extended::__private::HttpResponse,
                ::actix_jwt_extended::__private::Error
            > {
                #[allow(clippy::unused_async)]
                async fn __jwt_handler() -> &'static str { "hi" }
                const __JWT_ROUTE: ::actix_jwt_extended::__private::RouteOptions =
                    ::actix_jwt_extended::__private::RouteOptions {
                        optional: false,
                        fresh: false,
                        refresh: false,
                        verify_type: true,
                        skip_revocation_check: false,
                        locations: &[],
                    };
                ::actix_jwt_extended::__private::serve(
                    __jwt_request, __jwt_payload, &__JWT_ROUTE, __jwt_handler,
                ).await
            }
        };
        assert_eq!(squash(&out), squash(&expected.to_string()));
    }

    #[test]
    fn attributes_generics_and_options() {
        let out = expand(
            "fresh, verify_type = false, locations = \"cookies, headers\"",
            "#[get(\"/x\")] /// Docs.\n #[allow(unused)] pub(crate) async fn name<'a, T: Foo, const N: usize>(a: A, b: web::Json<B>) -> R where T: Bar { body }",
        );
        let expected = quote! {
            #[get("/x")]
            #[doc = " Docs."]
            #[allow(unused)]
            #[allow(clippy::missing_errors_doc)]
            pub(crate) async fn name<'a, T: Foo, const N: usize>(
                __jwt_request: ::actix_jwt_extended::__private::HttpRequest,
                __jwt_payload: ::actix_jwt_extended::__private::Payload,
            ) -> ::core::result::Result<
                ::actix_jwt_extended::__private::HttpResponse,
                ::actix_jwt_extended::__private::Error
            >
            where T: Bar, T: 'static
            {
                #[allow(unused)]
                #[allow(clippy::unused_async)]
                async fn __jwt_handler<'a, T: Foo, const N: usize>(a: A, b: web::Json<B>) -> R where T: Bar { body }
                const __JWT_ROUTE: ::actix_jwt_extended::__private::RouteOptions =
                    ::actix_jwt_extended::__private::RouteOptions {
                        optional: false,
                        fresh: true,
                        refresh: false,
                        verify_type: false,
                        skip_revocation_check: false,
                        locations: &[
                            ::actix_jwt_extended::__private::Location::Cookies,
                            ::actix_jwt_extended::__private::Location::Headers
                        ],
                    };
                ::actix_jwt_extended::__private::serve(
                    __jwt_request, __jwt_payload, &__JWT_ROUTE, __jwt_handler::<T, N>,
                ).await
            }
        };
        assert_eq!(squash(&out), squash(&expected.to_string()));
    }

    #[test]
    fn where_clause_is_added_when_missing() {
        let out = expand("", "async fn h<T>() {}");
        assert!(squash(&out).contains("->::core::result::Result<::actix_jwt_extended::__private::HttpResponse,::actix_jwt_extended::__private::Error>whereT:'static{"));
    }
}
