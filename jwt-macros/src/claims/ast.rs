//! The item under `#[claims]` as the macro sees it: a struct with named fields, each
//! with the claim names serde will read and write for it.
//!
//! Contract: borrows the parsed item (`original` keeps the syn node for spans) and
//! never fails: an item of another shape is reported here, and has no fields to check.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::{Attribute, Data, DeriveInput, Error, Fields, Item, ext::IdentExt};

use super::serde_attrs::{Container, FieldAttrs, Rule};
use crate::fallback::{self, Errors};

/// What every error about the item's shape starts with.
const NEEDS_NAMED_FIELDS: &str = "`#[claims]` needs a struct with named fields, one per claim";

/// The item under `#[claims]`.
pub(crate) struct Input<'a> {
    /// The item as parsed.
    pub(crate) original: &'a DeriveInput,
    /// What its serde attributes and derives say.
    pub(crate) attrs: Container,
    /// Another `#[claims]` on the same item.
    pub(crate) repeated: Option<&'a Attribute>,
    /// The named fields; `None` when the item has another shape (already reported).
    pub(crate) fields: Option<Vec<Field<'a>>>,
}

/// A named field of the struct.
pub(crate) struct Field<'a> {
    /// The field's name, where errors about it point.
    pub(crate) ident: &'a Ident,
    /// What its serde attributes say.
    pub(crate) attrs: FieldAttrs,
}

/// One JSON key that the struct reads or writes.
pub(crate) struct ClaimName {
    /// The key.
    pub(crate) name: String,
    /// The narrowest token that decided it: the field's name or the string literal.
    pub(crate) span: Span,
    /// Written by `Serialize`.
    pub(crate) serialize: bool,
    /// Read by `Deserialize`.
    pub(crate) deserialize: bool,
    /// What made it, to say so in errors.
    pub(crate) origin: Origin,
}

/// Where a claim name comes from, to say so in errors.
pub(crate) enum Origin {
    /// The field `ident`, as written or through `rename_all = "rule"`.
    Field {
        /// The field's name, without `r#`.
        ident: String,
        /// The `rename_all` rule, when it changed the name.
        rule: Option<String>,
    },
    /// `rename = ".."` or `alias = ".."` on the field `ident`.
    Attribute {
        /// The field's name, without `r#`.
        ident: String,
    },
    /// The struct's `#[serde(tag = "..")]`.
    Tag,
}

impl Origin {
    /// "field `role`", for "already used by ...".
    pub(crate) fn owner(&self) -> String {
        match self {
            Self::Field { ident, .. } | Self::Attribute { ident } => format!("field `{ident}`"),
            Self::Tag => "`#[serde(tag = ..)]`".to_owned(),
        }
    }
}

impl<'a> Input<'a> {
    /// The model of `original`, reporting a shape other than a struct with named fields.
    pub(crate) fn from_syn(original: &'a DeriveInput, errors: &mut Errors) -> Self {
        let attrs = Container::from_attrs(&original.attrs);
        let repeated = original.attrs.iter().find(|attr| is_claims(attr));
        let fields = match &original.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(fields) => {
                    Some(fields.named.iter().filter_map(Field::from_syn).collect())
                }
                Fields::Unnamed(fields) => {
                    errors.push(Error::new(
                        fields.paren_token.span.join(),
                        format!("{NEEDS_NAMED_FIELDS}, not a tuple struct"),
                    ));
                    None
                }
                Fields::Unit => {
                    errors.push(Error::new(
                        original.ident.span(),
                        format!(
                            "{NEEDS_NAMED_FIELDS}, not a unit struct; for a token without custom \
                             claims, take `Jwt` (that is `Jwt<()>`)"
                        ),
                    ));
                    None
                }
            },
            Data::Enum(data) => {
                errors.push(Error::new(
                    data.enum_token.span,
                    format!(
                        "{NEEDS_NAMED_FIELDS}, not an enum; make the enum the type of a field: \
                         `struct Claims {{ role: Role }}`"
                    ),
                ));
                None
            }
            Data::Union(data) => {
                errors.push(Error::new(
                    data.union_token.span,
                    format!("{NEEDS_NAMED_FIELDS}, not a union"),
                ));
                None
            }
        };
        Self {
            original,
            attrs,
            repeated,
            fields,
        }
    }

    /// Every claim name, in source order: the struct's tag, then each field's.
    pub(crate) fn claim_names(&self) -> Vec<ClaimName> {
        let mut names = Vec::new();
        if let Some(tag) = &self.attrs.tag {
            names.push(ClaimName {
                name: tag.value(),
                span: tag.span(),
                serialize: true,
                deserialize: false,
                origin: Origin::Tag,
            });
        }
        for field in self.fields.iter().flatten() {
            field.claim_names(&self.attrs, &mut names);
        }
        names
    }
}

impl<'a> Field<'a> {
    fn from_syn(original: &'a syn::Field) -> Option<Self> {
        Some(Self {
            ident: original.ident.as_ref()?,
            attrs: FieldAttrs::from_attrs(&original.attrs),
        })
    }

    /// The names serde reads and writes for this field, as serde decides them: an
    /// explicit `rename` wins over the struct's `rename_all`; raw identifiers lose their
    /// `r#`; skipped directions have no name; a flattened field has none of its own.
    fn claim_names(&self, container: &Container, names: &mut Vec<ClaimName>) {
        if self.attrs.flatten.is_some() {
            return;
        }
        let ident = self.ident.unraw().to_string();
        let named = |rename: Option<&syn::LitStr>, rule: Option<&Rule>| match (rename, rule) {
            (Some(lit), _) => Some(ClaimName {
                name: lit.value(),
                span: lit.span(),
                serialize: false,
                deserialize: false,
                origin: Origin::Attribute {
                    ident: ident.clone(),
                },
            }),
            (None, Some(Rule { rule: None, .. })) => None,
            (
                None,
                Some(Rule {
                    rule: Some(rule),
                    lit,
                }),
            ) => {
                let name = rule.apply(&ident);
                let rule = (name != ident).then(|| lit.value());
                Some(ClaimName {
                    name,
                    span: self.ident.span(),
                    serialize: false,
                    deserialize: false,
                    origin: Origin::Field {
                        ident: ident.clone(),
                        rule,
                    },
                })
            }
            (None, None) => Some(ClaimName {
                name: ident.clone(),
                span: self.ident.span(),
                serialize: false,
                deserialize: false,
                origin: Origin::Field {
                    ident: ident.clone(),
                    rule: None,
                },
            }),
        };

        let serialized = (!self.attrs.skip_serializing)
            .then(|| {
                named(
                    self.attrs.rename.serialize.as_ref(),
                    container.rename_all.serialize.as_ref(),
                )
            })
            .flatten();
        let deserialized = (!self.attrs.skip_deserializing)
            .then(|| {
                named(
                    self.attrs.rename.deserialize.as_ref(),
                    container.rename_all.deserialize.as_ref(),
                )
            })
            .flatten();
        match (serialized, deserialized) {
            // One name both ways: one entry, so one error.
            (Some(mut ser), Some(de)) if ser.name == de.name => {
                ser.serialize = true;
                ser.deserialize = true;
                names.push(ser);
            }
            (ser, de) => {
                names.extend(ser.map(|ser| ClaimName {
                    serialize: true,
                    ..ser
                }));
                names.extend(de.map(|de| ClaimName {
                    deserialize: true,
                    ..de
                }));
            }
        }
        if !self.attrs.skip_deserializing {
            names.extend(self.attrs.aliases.iter().map(|alias| ClaimName {
                name: alias.value(),
                span: alias.span(),
                serialize: false,
                deserialize: true,
                origin: Origin::Attribute {
                    ident: ident.clone(),
                },
            }));
        }
    }
}

/// Whether `attr` is (most likely) another `#[claims]`: `claims` or `path::claims`.
pub(crate) fn is_claims(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|last| last.ident == "claims")
}

/// The error for an item that is not a struct, enum or union (a function, a module),
/// pointing at its keyword and name (`fn roles`), or at the whole item without its
/// attributes when it has no name.
pub(crate) fn not_a_struct(item: TokenStream) -> Error {
    const MESSAGE: &str = "`#[claims]` can only be used on a struct with named fields";
    let head = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Fn(item)) => {
            let (keyword, name) = (item.sig.fn_token, item.sig.ident);
            Some(quote!(#keyword #name))
        }
        Ok(Item::Mod(item)) => {
            let (keyword, name) = (item.mod_token, item.ident);
            Some(quote!(#keyword #name))
        }
        Ok(Item::Trait(item)) => {
            let (keyword, name) = (item.trait_token, item.ident);
            Some(quote!(#keyword #name))
        }
        Ok(Item::Type(item)) => {
            let (keyword, name) = (item.type_token, item.ident);
            Some(quote!(#keyword #name))
        }
        Ok(Item::Impl(item)) => {
            let keyword = item.impl_token;
            Some(quote!(#keyword))
        }
        _ => None,
    };
    match head {
        Some(head) => Error::new_spanned(head, MESSAGE),
        None => fallback::error_at_item(item, MESSAGE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(name, serialize, deserialize)` of every claim name of `item`.
    fn names(item: &str) -> Vec<(String, bool, bool)> {
        let Ok(input) = syn::parse_str::<DeriveInput>(item) else {
            panic!("bad test input");
        };
        let mut errors = Errors::default();
        let input = Input::from_syn(&input, &mut errors);
        assert!(errors.finish().is_ok());
        input
            .claim_names()
            .into_iter()
            .map(|name| (name.name, name.serialize, name.deserialize))
            .collect()
    }

    fn both(name: &str) -> (String, bool, bool) {
        (name.to_owned(), true, true)
    }

    #[test]
    fn plain_and_raw_fields() {
        assert_eq!(
            names("struct S { a: u8, r#type: u8 }"),
            [both("a"), both("type")]
        );
    }

    #[test]
    fn rename_wins_over_rename_all() {
        assert_eq!(
            names(
                "#[serde(rename_all = \"camelCase\")] struct S { user_id: u8, #[serde(rename = \"x_y\")] a_b: u8 }"
            ),
            [both("userId"), both("x_y")]
        );
    }

    #[test]
    fn directions() {
        assert_eq!(
            names(
                "#[serde(rename_all(deserialize = \"UPPERCASE\"))] struct S { #[serde(rename(serialize = \"s\"))] a: u8 }"
            ),
            [("s".to_owned(), true, false), ("A".to_owned(), false, true)]
        );
        assert_eq!(
            names(
                "struct S { #[serde(skip)] a: u8, #[serde(skip_serializing)] b: u8, #[serde(skip_deserializing, alias = \"z\")] c: u8 }"
            ),
            [("b".to_owned(), false, true), ("c".to_owned(), true, false)]
        );
    }

    #[test]
    fn aliases_tag_and_flatten() {
        assert_eq!(
            names(
                "#[serde(tag = \"kind\")] struct S { #[serde(alias = \"b\", alias = \"c\")] a: u8, #[serde(flatten)] rest: M }"
            ),
            [
                ("kind".to_owned(), true, false),
                both("a"),
                ("b".to_owned(), false, true),
                ("c".to_owned(), false, true)
            ]
        );
    }

    #[test]
    fn unknown_rules_leave_names_unknown() {
        assert_eq!(
            names(
                "#[serde(rename_all = \"camelcase\")] struct S { a: u8, #[serde(rename = \"b\")] c: u8 }"
            ),
            [both("b")]
        );
    }

    #[test]
    fn malformed_serde_attributes_are_left_to_serde() {
        assert_eq!(
            names(
                "#[serde(rename_all = 1, tag)] struct S { #[serde(rename)] a: u8, #[serde(rename = b, alias = \"c\")] d: u8, #[serde(=)] e: u8, #[serde] f: u8 }"
            ),
            [
                both("a"),
                both("d"),
                ("c".to_owned(), false, true),
                both("e"),
                both("f")
            ]
        );
    }
}
