//! Code generation for `#[claims]`; infallible.
//!
//! The struct is emitted token for token after serde's derives, which go through the
//! facade so that users need no serde dependency, and is followed by its `Claims` impl:
//!
//! ```text
//! #[derive(::actix_jwt_extended::__private::serde::Serialize,
//!          ::actix_jwt_extended::__private::serde::Deserialize)]
//! #[serde(crate = "::actix_jwt_extended::__private::serde")]
//! /* the struct, its own attributes (`#[serde(..)]` included) first */
//! const _: () = {
//!     impl<..> ::actix_jwt_extended::__private::Claims for Name<..> where .. {
//!         fn from_token(token: &DecodedToken) -> Result<Self, JwtError> {
//!             ::actix_jwt_extended::__private::deserialize_custom_claims::<Self>(token)
//!         }
//!     }
//! };
//! ```

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, Data, DeriveInput, WherePredicate, parse_quote};

use super::ast::{Input, is_claims};

/// The path serde's derives are told to use (`#[serde(crate = "..")]`).
const SERDE: &str = "::actix_jwt_extended::__private::serde";

/// The struct with serde's derives, and its `Claims` impl.
pub(crate) fn claims(input: &DeriveInput, item: TokenStream) -> TokenStream {
    let derives = serde_derives();
    let claims_impl = claims_impl(input, false);
    quote! {
        #derives
        #item
        const _: () = {
            #claims_impl
        };
    }
}

/// What to emit instead when there are errors: the item with stub impls of the traits
/// `#[claims]` would have given it, so that code using it (`Jwt<Name>`,
/// `.claims(&value)`) adds no errors and the only ones the user sees are ours, as
/// thiserror's `fallback.rs` does for `Error`.
///
/// serde's derives are not run: on a struct we reject they may warn or fail themselves
/// (two fields of one name are an unreachable pattern in their code). So the item's
/// `#[serde(..)]` attributes, which only those derives make known, are left out, unless
/// the item derives a serde trait itself (an error of its own, reported).
pub(crate) fn fallback(input: &Input<'_>) -> TokenStream {
    let mut item = input.original.clone();
    // Another `#[claims]` would only report our errors a second time.
    item.attrs.retain(|attr| !is_claims(attr));
    let derived = |name: &str| {
        input
            .attrs
            .derives
            .iter()
            .any(|path| path.segments.last().is_some_and(|last| last.ident == name))
    };
    let (serialize, deserialize) = (derived("Serialize"), derived("Deserialize"));
    if !serialize && !deserialize {
        strip_serde_attributes(&mut item);
    }
    let serialize = (!serialize).then(|| serialize_stub(&item));
    let deserialize = (!deserialize).then(|| deserialize_stub(&item));
    let claims_impl = claims_impl(&item, true);
    quote! {
        #item
        const _: () = {
            #serialize
            #deserialize
            #claims_impl
        };
    }
}

/// Removes every `#[serde(..)]` from the item, its variants and its fields.
fn strip_serde_attributes(item: &mut DeriveInput) {
    fn strip(attrs: &mut Vec<Attribute>) {
        attrs.retain(|attr| !attr.path().is_ident("serde"));
    }
    strip(&mut item.attrs);
    match &mut item.data {
        Data::Struct(data) => data
            .fields
            .iter_mut()
            .for_each(|field| strip(&mut field.attrs)),
        Data::Enum(data) => {
            for variant in &mut data.variants {
                strip(&mut variant.attrs);
                variant
                    .fields
                    .iter_mut()
                    .for_each(|field| strip(&mut field.attrs));
            }
        }
        Data::Union(data) => data
            .fields
            .named
            .iter_mut()
            .for_each(|field| strip(&mut field.attrs)),
    }
}

/// `#[derive(..)]` of serde's traits through the facade.
fn serde_derives() -> TokenStream {
    quote! {
        #[derive(
            ::actix_jwt_extended::__private::serde::Serialize,
            ::actix_jwt_extended::__private::serde::Deserialize
        )]
        #[serde(crate = #SERDE)]
    }
}

/// `impl Claims for Name`, reading the claims with serde or, as a `stub`, never called.
fn claims_impl(input: &DeriveInput, stub: bool) -> TokenStream {
    let private = quote!(::actix_jwt_extended::__private);
    let ident = &input.ident;
    let mut generics = input.generics.clone();
    let (param, body) = if stub {
        (quote!(_), quote!(::core::unreachable!()))
    } else {
        // A generic struct is a claims type whenever serde's derive makes it one.
        if !generics.params.is_empty() {
            let bound: WherePredicate = parse_quote!(Self: #private::serde::de::DeserializeOwned);
            generics.make_where_clause().predicates.push(bound);
        }
        (
            quote!(token),
            quote!(#private::deserialize_custom_claims::<Self>(token)),
        )
    };
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        #[allow(unused_qualifications)]
        impl #impl_generics #private::Claims for #ident #ty_generics #where_clause {
            #[inline]
            fn from_token(
                #param: &#private::DecodedToken,
            ) -> ::core::result::Result<Self, #private::JwtError> {
                #body
            }
        }
    }
}

/// `impl Serialize for Name` that is never called.
fn serialize_stub(input: &DeriveInput) -> TokenStream {
    let serde = quote!(::actix_jwt_extended::__private::serde);
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #serde::Serialize for #ident #ty_generics #where_clause {
            fn serialize<__S: #serde::Serializer>(
                &self,
                _: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                ::core::unreachable!()
            }
        }
    }
}

/// `impl Deserialize for Name` that is never called.
fn deserialize_stub(input: &DeriveInput) -> TokenStream {
    let serde = quote!(::actix_jwt_extended::__private::serde);
    let ident = &input.ident;
    let (_, ty_generics, where_clause) = input.generics.split_for_impl();
    let mut generics = input.generics.clone();
    generics.params.insert(0, parse_quote!('__jwt_de));
    let (impl_generics, _, _) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #serde::Deserialize<'__jwt_de> for #ident #ty_generics #where_clause {
            fn deserialize<__D: #serde::Deserializer<'__jwt_de>>(
                _: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                ::core::unreachable!()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fallback::Errors;

    fn squash(code: &str) -> String {
        code.split_whitespace().collect()
    }

    fn expand(item: &str) -> String {
        let (Ok(tokens), Ok(input)) = (item.parse::<TokenStream>(), syn::parse_str(item)) else {
            panic!("bad test input");
        };
        claims(&input, tokens).to_string()
    }

    fn fallback_of(item: &str) -> String {
        let Ok(derive_input) = syn::parse_str(item) else {
            panic!("bad test input");
        };
        let mut errors = Errors::default();
        let input = Input::from_syn(&derive_input, &mut errors);
        fallback(&input).to_string()
    }

    #[test]
    fn plain_struct() {
        let out = expand(
            "/// Docs.\n#[derive(Debug)] pub struct Roles { #[serde(default)] role: String }",
        );
        let expected = quote! {
            #[derive(
                ::actix_jwt_extended::__private::serde::Serialize,
                ::actix_jwt_extended::__private::serde::Deserialize
            )]
            #[serde(crate = "::actix_jwt_extended::__private::serde")]
            #[doc = " Docs."]
            #[derive(Debug)]
            pub struct Roles { #[serde(default)] role: String }
            const _: () = {
                #[automatically_derived]
                #[allow(unused_qualifications)]
                impl ::actix_jwt_extended::__private::Claims for Roles {
                    #[inline]
                    fn from_token(
                        token: &::actix_jwt_extended::__private::DecodedToken,
                    ) -> ::core::result::Result<Self, ::actix_jwt_extended::__private::JwtError> {
                        ::actix_jwt_extended::__private::deserialize_custom_claims::<Self>(token)
                    }
                }
            };
        };
        assert_eq!(squash(&out), squash(&expected.to_string()));
    }

    #[test]
    fn generic_struct() {
        let out = squash(&expand(
            "struct C<T: Clone, const N: usize> where T: Send { a: [T; N] }",
        ));
        assert!(
            out.contains(&squash(
                "impl<T: Clone, const N: usize> ::actix_jwt_extended::__private::Claims for C<T, N> where T: Send, Self: ::actix_jwt_extended::__private::serde::de::DeserializeOwned {"
            )),
            "{out}"
        );
    }

    #[test]
    fn fallbacks() {
        let out = squash(&fallback_of(
            "#[derive(serde::Serialize)] #[claims] #[serde(default)] struct S { #[serde(skip)] exp: u8 }",
        ));
        // The item's own derive needs its `#[serde(..)]`; only `Deserialize` is stubbed.
        assert!(
            out.starts_with(&squash(
                "#[derive(serde::Serialize)] #[serde(default)] struct S { #[serde(skip)] exp: u8 } const _: () = { #[automatically_derived] impl<'__jwt_de> ::actix_jwt_extended::__private::serde::Deserialize<'__jwt_de> for S"
            )),
            "{out}"
        );
        assert!(!out.contains("Serializefor"), "{out}");
        assert_eq!(out.matches("::core::unreachable!()").count(), 2, "{out}");

        let out = squash(&fallback_of(
            "#[serde(x)] enum E<'a, T: X> where T: Y { #[serde(y)] A { #[serde(z)] a: &'a T } }",
        ));
        assert!(!out.contains("serde("), "{out}");
        assert!(
            out.contains(&squash(
                "impl<'__jwt_de, 'a, T: X> ::actix_jwt_extended::__private::serde::Deserialize<'__jwt_de> for E<'a, T> where T: Y {"
            )),
            "{out}"
        );
        assert_eq!(out.matches("::core::unreachable!()").count(), 3, "{out}");
        let out = squash(&fallback_of("#[serde(x)] union U { #[serde(y)] a: u8 }"));
        assert!(out.starts_with("unionU{a:u8}const_"), "{out}");
    }
}
