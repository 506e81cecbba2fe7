//! What follows an attribute option's key, up to the next `,` at the top level: the
//! one syntax both `#[jwt_required(..)]` and `#[claims(..)]` (and serde's own
//! attributes, which `#[claims]` reads) use.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::{Error, LitBool, LitStr, Token, parse::ParseStream, token};

use crate::fallback::Errors;

/// What follows an option's key.
pub(crate) enum Value {
    /// Nothing: `fresh`, `flatten`.
    Absent,
    /// `= tokens`, where `tokens` may be empty.
    Assigned(Token![=], TokenStream),
    /// `(tokens)`: `rename(serialize = "a")`.
    List(TokenTree),
}

impl Value {
    pub(crate) fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(Token![=]) {
            let eq = input.parse()?;
            let tokens = input.step(|cursor| {
                let mut tokens = TokenStream::new();
                let mut rest = *cursor;
                while let Some((tree, next)) = rest.token_tree() {
                    if matches!(&tree, TokenTree::Punct(punct) if punct.as_char() == ',') {
                        break;
                    }
                    tokens.extend([tree]);
                    rest = next;
                }
                Ok((tokens, rest))
            })?;
            Ok(Self::Assigned(eq, tokens))
        } else if input.peek(token::Paren) {
            Ok(Self::List(input.parse()?))
        } else {
            Ok(Self::Absent)
        }
    }

    /// The tokens after `key =` of an option that takes a value. Else reports `empty`
    /// at the `=` of a `key =` with nothing after it, or `missing` at a bare `key` or
    /// `key(..)`, and gives `None`.
    pub(crate) fn into_assigned(
        self,
        key: &Ident,
        errors: &mut Errors,
        empty: &str,
        missing: &str,
    ) -> Option<TokenStream> {
        match self {
            Self::Assigned(eq, tokens) if tokens.is_empty() => {
                errors.push(Error::new(eq.span, empty));
                None
            }
            Self::Assigned(_, tokens) => Some(tokens),
            Self::Absent | Self::List(_) => {
                errors.push(Error::new_spanned(quote!(#key #self), missing));
                None
            }
        }
    }

    /// The string literal of `= "lit"`, if that is what it is.
    pub(crate) fn lit_str(&self) -> Option<LitStr> {
        match self {
            Self::Assigned(_, tokens) => syn::parse2(tokens.clone()).ok(),
            Self::Absent | Self::List(_) => None,
        }
    }

    /// `true` for `= true`, `false` for `= false`.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Assigned(_, tokens) => syn::parse2::<LitBool>(tokens.clone())
                .ok()
                .map(|lit| lit.value),
            Self::Absent | Self::List(_) => None,
        }
    }
}

impl ToTokens for Value {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Self::Absent => {}
            Self::Assigned(eq, value) => {
                eq.to_tokens(tokens);
                value.to_tokens(tokens);
            }
            Self::List(group) => group.to_tokens(tokens),
        }
    }
}
