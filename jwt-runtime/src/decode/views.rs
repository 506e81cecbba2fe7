//! Borrowed serde views of the header and the claims: what verification reads, without
//! building a JSON map.
//!
//! Each view reads only the members verification checks, borrowing their text from the
//! token where it has no escapes, skips every other member unparsed (but strictly), and
//! refuses a duplicate member name at any depth, so no two parsers can read two
//! different tokens out of one.

use std::{borrow::Cow, fmt};

use serde::{
    Deserialize, Deserializer,
    de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor},
};
use serde_json::{Value, value::RawValue};

use crate::token::{
    REFRESH_JTI_CLAIM,
    strict_json::{self, Key, MemberNames, StrictIgnored},
};

/// Header parameters that mean nothing in a JWS, or change how it must be processed
/// (JWE-only, RFC 7797 unencoded payloads, PBES2): refused, never ignored (docs/security.md R18).
const REFUSED_HEADER_PARAMETERS: [&str; 10] = [
    "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c", "b64",
];

/// What the header and claims visitors expect, recognisable in serde's type error.
pub(super) const NOT_AN_OBJECT: &str = "a JSON object (token segment)";

/// Reads the claims verification needs from `deserializer`, which must hold exactly one
/// JSON object; `capture` also keeps where each custom claim is.
pub(super) fn parse_claims<'de, R: serde_json::de::Read<'de>>(
    identity_claim: &str,
    capture: bool,
    mut deserializer: serde_json::Deserializer<R>,
) -> serde_json::Result<ClaimsView<'de>> {
    let claims = ClaimsSeed {
        identity_claim,
        capture,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(claims)
}

/// The header members verification reads; every other member is skipped unparsed, but
/// duplicates are refused everywhere.
pub(super) struct HeaderView<'de> {
    /// `None`: absent; `Some(None)`: present but not a string.
    pub(super) alg: Option<Option<Cow<'de, str>>>,
    pub(super) kid_not_string: bool,
    pub(super) crit: Option<Value>,
    pub(super) refused: Option<&'static str>,
}

impl<'de> Deserialize<'de> for HeaderView<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct HeaderVisitor;

        impl<'de> Visitor<'de> for HeaderVisitor {
            type Value = HeaderView<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(NOT_AN_OBJECT)
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<HeaderView<'de>, A::Error> {
                let mut view = HeaderView {
                    alg: None,
                    kid_not_string: false,
                    crit: None,
                    refused: None,
                };
                let mut seen = MemberNames::default();
                while let Some(Key(name)) = map.next_key()? {
                    seen.insert(name.clone())?;
                    match name.as_ref() {
                        "alg" => view.alg = Some(map.next_value::<MaybeStr<'de>>()?.0),
                        "kid" => {
                            view.kid_not_string = map.next_value::<MaybeStr<'de>>()?.0.is_none()
                        }
                        "crit" => view.crit = Some(map.next_value::<strict_json::StrictValue>()?.0),
                        other => {
                            if view.refused.is_none() {
                                view.refused = REFUSED_HEADER_PARAMETERS
                                    .iter()
                                    .find(|refused| **refused == other)
                                    .copied();
                            }
                            map.next_value::<StrictIgnored>()?;
                        }
                    }
                }
                Ok(view)
            }
        }

        deserializer.deserialize_any(HeaderVisitor)
    }
}

impl HeaderView<'_> {
    /// The view without borrows, so the header bytes it was read from can be kept.
    pub(super) fn into_owned(self) -> HeaderView<'static> {
        HeaderView {
            alg: self
                .alg
                .map(|alg| alg.map(|alg| Cow::Owned(alg.into_owned()))),
            kid_not_string: self.kid_not_string,
            crit: self.crit,
            refused: self.refused,
        }
    }
}

/// A string member, borrowed when it has no escapes; `None` when it is not a string
/// (any other JSON value, skipped strictly).
pub(super) struct MaybeStr<'de>(pub(super) Option<Cow<'de, str>>);

impl<'de> Deserialize<'de> for MaybeStr<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct MaybeStrVisitor;

        impl<'de> Visitor<'de> for MaybeStrVisitor {
            type Value = MaybeStr<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_borrowed_str<E>(self, text: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(Some(Cow::Borrowed(text))))
            }

            fn visit_str<E>(self, text: &str) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(Some(Cow::Owned(text.to_owned()))))
            }

            fn visit_bool<E>(self, _: bool) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }

            fn visit_i64<E>(self, _: i64) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }

            fn visit_u64<E>(self, _: u64) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }

            fn visit_f64<E>(self, _: f64) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }

            fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }

            fn visit_seq<A: SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                StrictIgnored::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(MaybeStr(None))
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                StrictIgnored::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(MaybeStr(None))
            }
        }

        deserializer.deserialize_any(MaybeStrVisitor)
    }
}

/// A claim that is usually a string (`sub`, the identity claim): the text, borrowed when
/// it has no escapes, else the strict JSON value.
pub(super) enum TextOrValue<'de> {
    Text(Cow<'de, str>),
    Value(Value),
}

impl<'de> Deserialize<'de> for TextOrValue<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct TextOrValueVisitor;

        impl<'de> Visitor<'de> for TextOrValueVisitor {
            type Value = TextOrValue<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_borrowed_str<E>(self, text: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(TextOrValue::Text(Cow::Borrowed(text)))
            }

            fn visit_str<E>(self, text: &str) -> std::result::Result<Self::Value, E> {
                Ok(TextOrValue::Text(Cow::Owned(text.to_owned())))
            }

            fn visit_bool<E>(self, value: bool) -> std::result::Result<Self::Value, E> {
                Ok(TextOrValue::Value(Value::Bool(value)))
            }

            fn visit_i64<E>(self, value: i64) -> std::result::Result<Self::Value, E> {
                Ok(TextOrValue::Value(Value::from(value)))
            }

            fn visit_u64<E>(self, value: u64) -> std::result::Result<Self::Value, E> {
                Ok(TextOrValue::Value(Value::from(value)))
            }

            fn visit_f64<E: serde::de::Error>(
                self,
                value: f64,
            ) -> std::result::Result<Self::Value, E> {
                strict_json::StrictVisitor
                    .visit_f64(value)
                    .map(TextOrValue::Value)
            }

            fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
                Ok(TextOrValue::Value(Value::Null))
            }

            fn visit_seq<A: SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                strict_json::StrictVisitor
                    .visit_seq(seq)
                    .map(TextOrValue::Value)
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                strict_json::StrictVisitor
                    .visit_map(map)
                    .map(TextOrValue::Value)
            }
        }

        deserializer.deserialize_any(TextOrValueVisitor)
    }
}

/// The claims verification reads, as JSON values; the others are skipped unparsed.
/// Text claims stay borrowed from the payload when they have no escapes.
#[derive(Default)]
pub(super) struct ClaimsView<'de> {
    pub(super) iat: Option<Value>,
    pub(super) nbf: Option<Value>,
    pub(super) exp: Option<Value>,
    pub(super) iss: Option<Value>,
    pub(super) aud: Option<Value>,
    pub(super) sub: Option<TextOrValue<'de>>,
    pub(super) jti: Option<MaybeStr<'de>>,
    pub(super) kind: Option<MaybeStr<'de>>,
    pub(super) fresh: Option<Value>,
    pub(super) csrf: Option<MaybeStr<'de>>,
    pub(super) refresh_jti: Option<MaybeStr<'de>>,
    /// The identity claim, when it is not `sub`.
    pub(super) identity: Option<TextOrValue<'de>>,
    /// Every claim but the registered ones, as raw JSON (only when capturing).
    pub(super) custom: Vec<(Cow<'de, str>, &'de RawValue)>,
}

pub(super) struct ClaimsSeed<'a> {
    pub(super) identity_claim: &'a str,
    /// Keep the raw text of the custom claims, for typed claims to read in one pass.
    pub(super) capture: bool,
}

impl<'de> DeserializeSeed<'de> for ClaimsSeed<'_> {
    type Value = ClaimsView<'de>;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<ClaimsView<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ClaimsSeed<'_> {
    type Value = ClaimsView<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(NOT_AN_OBJECT)
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<ClaimsView<'de>, A::Error> {
        let mut view = ClaimsView::default();
        // Duplicates: a bit per registered claim, names only for the custom ones.
        let mut registered_seen = 0_u16;
        let mut custom_seen = MemberNames::default();
        while let Some(Key(name)) = map.next_key()? {
            // The claims the library sets, which verification reads (and `#[claims]`
            // refuses as field names); every other claim is custom.
            let (member, bit) = match name.as_ref() {
                "iat" => (Member::Value(&mut view.iat), 1 << 0),
                "nbf" => (Member::Value(&mut view.nbf), 1 << 1),
                "exp" => (Member::Value(&mut view.exp), 1 << 2),
                "iss" => (Member::Value(&mut view.iss), 1 << 3),
                "aud" => (Member::Value(&mut view.aud), 1 << 4),
                "sub" => (Member::Identity(&mut view.sub), 1 << 5),
                "fresh" => (Member::Value(&mut view.fresh), 1 << 6),
                "jti" => (Member::Text(&mut view.jti), 1 << 7),
                "type" => (Member::Text(&mut view.kind), 1 << 8),
                "csrf" => (Member::Text(&mut view.csrf), 1 << 9),
                _ => (Member::Custom, 0),
            };
            if bit != 0 {
                if registered_seen & bit != 0 {
                    return Err(strict_json::duplicate(&name));
                }
                registered_seen |= bit;
            }
            match member {
                Member::Value(slot) => {
                    *slot = Some(map.next_value::<strict_json::StrictValue>()?.0)
                }
                Member::Text(slot) => *slot = Some(map.next_value::<MaybeStr<'de>>()?),
                Member::Identity(slot) => *slot = Some(map.next_value::<TextOrValue<'de>>()?),
                Member::Custom => {
                    custom_seen.insert(name.clone())?;
                    self.custom_claim(name, &mut map, &mut view)?;
                }
            }
        }
        Ok(view)
    }
}

/// Where a claim's value goes: a registered claim's slot, or the custom claims.
enum Member<'v, 'de> {
    Value(&'v mut Option<Value>),
    Text(&'v mut Option<MaybeStr<'de>>),
    Identity(&'v mut Option<TextOrValue<'de>>),
    Custom,
}

impl ClaimsSeed<'_> {
    /// A custom claim. Verification reads two of them (the identity claim, when it is
    /// not `sub`, and `refresh_jti`); capturing also keeps each one's raw text, so a
    /// `#[claims]` type can read them (those two included) without parsing the whole
    /// payload again.
    fn custom_claim<'de, A: MapAccess<'de>>(
        &self,
        name: Cow<'de, str>,
        map: &mut A,
        view: &mut ClaimsView<'de>,
    ) -> std::result::Result<(), A::Error> {
        let identity = name == self.identity_claim;
        let refresh_jti = name == REFRESH_JTI_CLAIM;
        if !self.capture {
            if identity {
                view.identity = Some(map.next_value::<TextOrValue<'de>>()?);
            } else if refresh_jti {
                view.refresh_jti = Some(map.next_value::<MaybeStr<'de>>()?);
            } else {
                map.next_value::<StrictIgnored>()?;
            }
            return Ok(());
        }
        let raw: &'de RawValue = map.next_value()?;
        let value = raw.get();
        // Capturing skips the value without reading it, so what the reference pass
        // refuses must be refused here too, or the fast pass would accept a token the
        // full claims cannot be read from: duplicate members inside containers, and
        // numbers out of range (`1E400`, which only a parse finds). Strings and
        // literals are checked by the skip itself.
        if value.starts_with([
            '{', '[', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
        ]) {
            serde_json::from_str::<StrictIgnored>(value).map_err(A::Error::custom)?;
        }
        if identity {
            view.identity =
                Some(serde_json::from_str::<TextOrValue<'de>>(value).map_err(A::Error::custom)?);
        } else if refresh_jti {
            view.refresh_jti =
                Some(serde_json::from_str::<MaybeStr<'de>>(value).map_err(A::Error::custom)?);
        }
        view.custom.push((name, raw));
        Ok(())
    }
}
