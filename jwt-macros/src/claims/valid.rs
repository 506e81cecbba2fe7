//! The rules a claims struct must follow: no claim the library sets itself, no claim
//! name twice, nothing whose names cannot be checked, serde's derives left to us.
//!
//! Contract: runs on whatever `args.rs` and `ast.rs` could read, reports every broken
//! rule to the shared [`Errors`] at the narrowest token and never stops early.

use syn::Error;

use super::{
    args::Args,
    ast::{ClaimName, Input, Origin},
};
use crate::fallback::Errors;

/// The claims the library writes itself, and what to use instead of a field.
const RESERVED: &[(&str, &str)] = &[
    (
        "exp",
        "set it with `.expires_in(..)` or `.never_expires()` on the token builder",
    ),
    (
        "iat",
        "it is the time the token was made, set by the library",
    ),
    (
        "nbf",
        "it is set by the library, when `JwtConfig::encode_nbf` is on",
    ),
    ("jti", "set it with `.jti(..)` on the token builder"),
    (
        "type",
        "it is set by `access_token(..)` or `refresh_token(..)` to `access` or `refresh`",
    ),
    ("fresh", "set it with `.fresh(..)` on the token builder"),
    (
        "csrf",
        "it is set by the library when CSRF protection is on",
    ),
    (
        "sub",
        "it is the identity passed to `access_token(identity)`",
    ),
    ("iss", "configure it with `JwtConfig::encode_issuer`"),
    ("aud", "configure it with `JwtConfig::encode_audience`"),
];

/// Every rule, in the order of the tokens they are about: attributes, generics, fields.
pub(crate) fn check(args: &Args, input: &Input<'_>, errors: &mut Errors) {
    check_attributes(input, errors);
    check_lifetimes(input, errors);
    for field in input.fields.iter().flatten() {
        if let Some(flatten) = &field.attrs.flatten {
            errors.push(Error::new(
                flatten.span(),
                "`#[serde(flatten)]` cannot be used in `#[claims]`: the claims it adds cannot \
                 be checked against the ones the library sets; make them fields, or read \
                 them untyped with `Jwt::all_claims`",
            ));
        }
    }
    check_names(args, &input.claim_names(), errors);
}

/// Attributes that clash with what `#[claims]` generates.
fn check_attributes(input: &Input<'_>, errors: &mut Errors) {
    if let Some(repeated) = input.repeated {
        errors.push(Error::new_spanned(
            repeated,
            "`#[claims]` is applied twice; remove this one",
        ));
    }
    for path in &input.attrs.derives {
        let name = path
            .segments
            .last()
            .map(|last| last.ident.to_string())
            .unwrap_or_default();
        errors.push(Error::new_spanned(
            path,
            format!("`#[claims]` derives `{name}` already; remove it from this `#[derive(..)]`"),
        ));
    }
    if let Some(transparent) = &input.attrs.transparent {
        errors.push(Error::new(
            transparent.span(),
            "`#[serde(transparent)]` cannot be used on claims: they are a JSON object with \
             one key per field",
        ));
    }
    if let Some(deny) = &input.attrs.deny_unknown_fields {
        errors.push(Error::new(
            deny.span(),
            "`#[serde(deny_unknown_fields)]` would reject every token: tokens always carry \
             claims the library sets (`exp`, `iat`, `jti`, `type`, ..) besides yours",
        ));
    }
}

/// Lifetime parameters, each at its lifetime. A claims type can only be read owned
/// (`Claims` needs `DeserializeOwned`): the token's JSON is dropped with the request,
/// so a borrowing struct (`role: &'a str`) would never be a claims type, and the
/// error would come from deep inside the handler's registration instead. Type
/// parameters are fine: `Tenant<T>` is a claims type whenever serde can read `T`.
fn check_lifetimes(input: &Input<'_>, errors: &mut Errors) {
    for param in input.original.generics.lifetimes() {
        let lifetime = &param.lifetime;
        errors.push(Error::new_spanned(
            lifetime,
            format!(
                "claims cannot have a lifetime parameter: they are read from a token that \
                 does not outlive the request, so they must own their data; remove \
                 `{lifetime}` and use owned types (`String`, not `&{lifetime} str`)"
            ),
        ));
    }
}

/// Reserved names and names used twice, in source order.
fn check_names(args: &Args, names: &[ClaimName], errors: &mut Errors) {
    let identity_claim = args.identity_claim.as_ref().map(syn::LitStr::value);
    for (index, claim) in names.iter().enumerate() {
        if let Some(hint) = reserved(&claim.name, identity_claim.as_deref()) {
            let via = match &claim.origin {
                Origin::Field {
                    ident,
                    rule: Some(rule),
                } => format!(" (the name of field `{ident}` under `rename_all = \"{rule}\"`)"),
                Origin::Field { rule: None, .. } | Origin::Attribute { .. } | Origin::Tag => {
                    String::new()
                }
            };
            errors.push(Error::new(
                claim.span,
                format!(
                    "`{}`{via} is a claim the library sets itself; {hint}",
                    claim.name
                ),
            ));
            continue;
        }
        // A field may use one name both ways, or alias its own name; serde only mixes
        // up two fields (or the tag and a field) written or read under one name.
        let owner = claim.origin.owner();
        let earlier = names[..index].iter().find(|earlier| {
            earlier.name == claim.name
                && ((earlier.serialize && claim.serialize)
                    || (earlier.deserialize && claim.deserialize))
                && earlier.origin.owner() != owner
        });
        if let Some(earlier) = earlier {
            errors.push(Error::new(
                claim.span,
                format!(
                    "duplicate claim name `{}`, already used by {}",
                    claim.name,
                    earlier.origin.owner()
                ),
            ));
        }
    }
}

/// What to use instead, if `name` is a claim the library sets.
fn reserved(name: &str, identity_claim: Option<&str>) -> Option<String> {
    if let Some((_, hint)) = RESERVED.iter().find(|(reserved, _)| *reserved == name) {
        return Some((*hint).to_owned());
    }
    (identity_claim == Some(name)).then(|| {
        format!(
            "it is the identity claim (`identity_claim = \"{name}\"`), the identity passed to \
             `access_token(identity)`"
        )
    })
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use syn::DeriveInput;

    use super::*;

    fn messages(args: &str, item: &str) -> Vec<String> {
        let (Ok(args), Ok(item)) = (
            args.parse::<TokenStream>(),
            syn::parse_str::<DeriveInput>(item),
        ) else {
            panic!("bad test input");
        };
        let mut errors = Errors::default();
        let args = Args::parse(args, &mut errors);
        let input = Input::from_syn(&item, &mut errors);
        check(&args, &input, &mut errors);
        errors.messages()
    }

    #[test]
    fn ordinary_claims_pass() {
        let item = "#[derive(Debug, Clone)] #[serde(rename_all = \"camelCase\")] pub struct Roles<T> where T: X { role: Role, tenant_id: u64, #[serde(default, skip_serializing_if = \"Option::is_none\")] scope: Option<T>, #[serde(skip)] cache: u8, #[serde(alias = \"grp\")] group: String, EXP: u8 }";
        assert!(messages("", item).is_empty());
        assert!(messages("", "struct Empty {}").is_empty());
        // Same name both ways from different literals, and a field's alias of itself.
        assert!(
            messages(
                "",
                "struct S { #[serde(rename(serialize = \"a\", deserialize = \"a\"), alias = \"a\")] b: u8 }"
            )
            .is_empty()
        );
        // One field written as `x`, another read as `x`: serde keeps them apart.
        assert!(
            messages(
                "",
                "struct S { #[serde(skip_deserializing)] x: u8, #[serde(rename(deserialize = \"x\"))] y: u8 }"
            )
            .is_empty()
        );
    }

    #[test]
    fn lifetimes_are_refused_type_parameters_are_not() {
        assert_eq!(
            messages("", "struct S<'a, T, 'b: 'a> { a: &'a T, b: &'b str }"),
            [
                "claims cannot have a lifetime parameter: they are read from a token that does not outlive the request, so they must own their data; remove `'a` and use owned types (`String`, not `&'a str`)",
                "claims cannot have a lifetime parameter: they are read from a token that does not outlive the request, so they must own their data; remove `'b` and use owned types (`String`, not `&'b str`)",
            ]
        );
        assert!(
            messages(
                "",
                "struct S<T: Clone, const N: usize> where T: Send { a: [T; N] }"
            )
            .is_empty()
        );
    }

    #[test]
    fn every_reserved_claim() {
        let fields: Vec<String> = RESERVED
            .iter()
            .map(|(name, _)| format!("r#{name}: u8"))
            .collect();
        let found = messages("", &format!("struct S {{ {} }}", fields.join(", ")));
        assert_eq!(found.len(), RESERVED.len(), "{found:?}");
        for ((name, hint), message) in RESERVED.iter().zip(&found) {
            assert_eq!(
                message,
                &format!("`{name}` is a claim the library sets itself; {hint}")
            );
        }
    }

    #[test]
    fn reserved_through_serde_attributes() {
        assert_eq!(
            messages(
                "",
                "#[serde(tag = \"type\")] struct S { #[serde(rename = \"jti\")] id: u8, #[serde(alias = \"iat\")] at: u8, #[serde(rename(deserialize = \"nbf\"))] nb: u8 }"
            ),
            [
                "`type` is a claim the library sets itself; it is set by `access_token(..)` or `refresh_token(..)` to `access` or `refresh`",
                "`jti` is a claim the library sets itself; set it with `.jti(..)` on the token builder",
                "`iat` is a claim the library sets itself; it is the time the token was made, set by the library",
                "`nbf` is a claim the library sets itself; it is set by the library, when `JwtConfig::encode_nbf` is on",
            ]
        );
        assert_eq!(
            messages(
                "",
                "#[serde(rename_all = \"camelCase\")] struct S { Exp: u8 }"
            ),
            [
                "`exp` (the name of field `Exp` under `rename_all = \"camelCase\"`) is a claim the library sets itself; set it with `.expires_in(..)` or `.never_expires()` on the token builder"
            ]
        );
        // Skipped fields have no name.
        assert!(messages("", "struct S { #[serde(skip)] exp: u8 }").is_empty());
    }

    #[test]
    fn identity_claim() {
        let item = "struct S { user_id: u8, sub: u8 }";
        assert_eq!(messages("", item).len(), 1);
        assert_eq!(
            messages("identity_claim = \"user_id\"", item),
            [
                "`user_id` is a claim the library sets itself; it is the identity claim (`identity_claim = \"user_id\"`), the identity passed to `access_token(identity)`",
                "`sub` is a claim the library sets itself; it is the identity passed to `access_token(identity)`",
            ]
        );
    }

    #[test]
    fn duplicate_names() {
        assert_eq!(
            messages(
                "",
                "struct S { role: u8, #[serde(rename = \"role\")] kind: u8, #[serde(alias = \"role\")] other: u8 }"
            ),
            [
                "duplicate claim name `role`, already used by field `role`",
                "duplicate claim name `role`, already used by field `role`",
            ]
        );
        assert_eq!(
            messages(
                "",
                "#[serde(tag = \"kind\", rename_all = \"UPPERCASE\")] struct S { #[serde(rename = \"kind\")] k: u8, a: u8, #[serde(rename = \"A\")] b: u8 }"
            ),
            [
                "duplicate claim name `kind`, already used by `#[serde(tag = ..)]`",
                "duplicate claim name `A`, already used by field `a`",
            ]
        );
    }

    #[test]
    fn shapes() {
        for (item, end) in [
            ("struct S(u8);", "not a tuple struct"),
            (
                "struct S;",
                "not a unit struct; for a token without custom claims, take `Jwt` (that is `Jwt<()>`)",
            ),
            (
                "enum Role { Admin }",
                "not an enum; make the enum the type of a field: `struct Claims { role: Role }`",
            ),
            ("union U { a: u8 }", "not a union"),
        ] {
            assert_eq!(
                messages("", item),
                [format!(
                    "`#[claims]` needs a struct with named fields, one per claim, {end}"
                )]
            );
        }
    }

    #[test]
    fn clashing_attributes() {
        assert_eq!(
            messages(
                "",
                "#[derive(Debug, serde::Serialize, Deserialize)] #[actix_jwt_extended::claims] #[serde(transparent, deny_unknown_fields)] struct S { #[serde(flatten)] rest: M }"
            ),
            [
                "`#[claims]` is applied twice; remove this one",
                "`#[claims]` derives `Serialize` already; remove it from this `#[derive(..)]`",
                "`#[claims]` derives `Deserialize` already; remove it from this `#[derive(..)]`",
                "`#[serde(transparent)]` cannot be used on claims: they are a JSON object with one key per field",
                "`#[serde(deny_unknown_fields)]` would reject every token: tokens always carry claims the library sets (`exp`, `iat`, `jti`, `type`, ..) besides yours",
                "`#[serde(flatten)]` cannot be used in `#[claims]`: the claims it adds cannot be checked against the ones the library sets; make them fields, or read them untyped with `Jwt::all_claims`",
            ]
        );
    }
}
