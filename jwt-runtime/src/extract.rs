//! Extractors: the verified token, typed.

use std::{cell::Cell, fmt, ops::Deref, rc::Rc, sync::Arc};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use futures_util::future::{Either, LocalBoxFuture, Ready, ready};
use serde::de::{self, DeserializeOwned, value::BorrowedStrDeserializer};
use serde_json::{Map, Value};

use crate::{
    config::Location,
    error::{Error, ErrorKind},
    token::{DecodedToken, Freshness},
    verify::{self, Verified},
};

/// Custom claims that [`Jwt<C>`] reads from a verified token.
///
/// Implemented for `()` (no custom claims), for `serde_json::Map<String, Value>` and
/// `serde_json::Value` (every claim, untyped). `#[claims]` implements it for a struct.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a claims type",
    label = "not a claims type",
    note = "put `#[claims]` on the definition of `{Self}`, or read every claim untyped with `serde_json::Value`"
)]
pub trait Claims: Sized {
    /// Reads the claims from a verified token. A mismatch is a 422 naming the claim.
    fn from_token(token: &DecodedToken) -> Result<Self, Error>;
}

impl Claims for () {
    fn from_token(_: &DecodedToken) -> Result<Self, Error> {
        Ok(())
    }
}

impl Claims for Map<String, Value> {
    fn from_token(token: &DecodedToken) -> Result<Self, Error> {
        Ok(token.claims().clone())
    }
}

impl Claims for Value {
    fn from_token(token: &DecodedToken) -> Result<Self, Error> {
        Ok(token.claims_value().clone())
    }
}

/// Deserializes a typed view of `token`'s claims; what `#[claims]` types use.
///
/// The claims are read in one pass straight from the token's JSON (as written: flask's
/// defaults for `fresh` and `jti` are not filled in), without building the claim map
/// that [`DecodedToken::claims`] holds.
///
/// A missing or mistyped claim is a 422 whose message names it, never a 500:
/// `Missing claim: role`, or `Invalid claim: role (invalid type: …)` with serde's
/// reason.
pub fn deserialize_claims<C: DeserializeOwned>(token: &DecodedToken) -> Result<C, Error> {
    serde_json::from_str(token.claims_json())
        .map_err(|error| Error::invalid_token(mismatch::<C>(token.claims_json(), &error)))
}

/// Deserializes a `#[claims]` type from the token's custom claims only: every claim but
/// the ones the library sets (`sub`, `exp`, `iat`, `nbf`, `jti`, `type`, `fresh`,
/// `csrf`, `iss`, `aud`), which `#[claims]` refuses as field names. Verification noted
/// where each one is, so this reads just their values, not the whole claims JSON again.
/// Errors are the same as [`deserialize_claims`]'s.
#[doc(hidden)]
pub fn deserialize_custom_claims<C: DeserializeOwned>(token: &DecodedToken) -> Result<C, Error> {
    C::deserialize(token.custom_claims())
        .map_err(|error| Error::invalid_token(mismatch::<C>(token.claims_json(), &error)))
}

/// The message for claims that do not fit `C`: serde_json's streaming errors name a
/// claim only when it is missing, so a token that failed is read again, through a map
/// that remembers which claim's value failed. Only failing requests pay for this.
fn mismatch<C: DeserializeOwned>(json: &str, error: &serde_json::Error) -> String {
    let Ok(claims) = serde_json::from_str::<Map<String, Value>>(json) else {
        // Verification parsed this text as an object already.
        return format!("Invalid claims: {}", without_position(error));
    };
    let failed = Cell::new(None);
    let deserializer = ClaimsDeserializer {
        claims: &claims,
        failed: &failed,
    };
    let error = match C::deserialize(deserializer) {
        Err(error) => error,
        // Only a `Deserialize` impl that reads JSON text differently from parsed JSON.
        Ok(_) => return format!("Invalid claims: {}", without_position(error)),
    };
    let text = error.to_string();
    match (failed.take(), text.strip_prefix("missing field `")) {
        // Only when this very error came out of that claim's value: a type that
        // recovers from an error in one claim may fail later for another reason.
        (Some(failed), _) if failed.error == text => {
            format!("Invalid claim: {} ({text})", failed.claim)
        }
        (_, Some(rest)) => format!("Missing claim: {}", rest.trim_end_matches('`')),
        _ => format!("Invalid claims: {text}"),
    }
}

/// serde_json's message without its ` at line 1 column 42`.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// The claim whose value failed to deserialize, and how.
struct FailedClaim {
    claim: String,
    error: String,
}

/// The claims object as a serde map that remembers which claim's value failed; values
/// are handed to `&serde_json::Value`'s deserializer.
struct ClaimsDeserializer<'de, 'f> {
    claims: &'de Map<String, Value>,
    failed: &'f Cell<Option<FailedClaim>>,
}

impl<'de> de::Deserializer<'de> for ClaimsDeserializer<'de, '_> {
    type Error = serde_json::Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(ClaimsMap {
            entries: self.claims.iter(),
            value: None,
            failed: self.failed,
        })
    }

    fn deserialize_option<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct ClaimsMap<'de, 'f> {
    entries: serde_json::map::Iter<'de>,
    /// The claim whose key was just handed out, for `next_value_seed`.
    value: Option<(&'de String, &'de Value)>,
    failed: &'f Cell<Option<FailedClaim>>,
}

impl<'de> de::MapAccess<'de> for ClaimsMap<'de, '_> {
    type Error = serde_json::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((name, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some((name, value));
        seed.deserialize(BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let Some((name, value)) = self.value.take() else {
            return Err(de::Error::custom("claim value requested before its name"));
        };
        seed.deserialize(value).inspect_err(|error| {
            self.failed.set(Some(FailedClaim {
                claim: name.clone(),
                error: error.to_string(),
            }));
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// The verified JWT of the request, with custom claims `C` (`()` when none).
///
/// On a `#[jwt_required]` route it is what the route verified; take `Option<Jwt<C>>` on
/// an `optional` route. Used on a route without the macro, it verifies the request
/// itself with the default options (headers etc. from the config, access tokens).
/// Dereferences to `C`, so typed claims read as fields: `jwt.role`.
///
/// `Option<Jwt<C>>` without the macro follows actix-web's rule for `Option`: *any*
/// failure, an invalid or expired token included, becomes `None`. flask's `optional`
/// only tolerates a missing token; for that, use `#[jwt_required(optional)]`.
///
/// With the `json` token location, only `#[jwt_required]` can share the body between
/// the token and a `web::Json<T>` parameter: actix-web creates all of a handler's
/// extractors before running any, so a `Jwt` used without the macro cannot read the
/// body first and hand it on.
pub struct Jwt<C = ()> {
    token: Arc<DecodedToken>,
    claims: C,
}

impl<C> Jwt<C> {
    /// The decoded token: header, every claim, location.
    pub fn token(&self) -> &DecodedToken {
        &self.token
    }

    /// A shared handle to the decoded token.
    pub fn token_arc(&self) -> Arc<DecodedToken> {
        self.token.clone()
    }

    /// The custom claims.
    pub fn claims(&self) -> &C {
        &self.claims
    }

    /// Consumes the extractor, returning the custom claims.
    pub fn into_claims(self) -> C {
        self.claims
    }

    /// The identity (flask's `get_jwt_identity()`).
    pub fn identity(&self) -> &Value {
        self.token.identity()
    }

    /// The identity, when it is a string.
    pub fn identity_str(&self) -> Option<&str> {
        self.token.identity_str()
    }

    /// The `jti` claim.
    pub fn jti(&self) -> Option<&str> {
        self.token.jti()
    }

    /// The `type` claim: `"access"` or `"refresh"`.
    pub fn token_type(&self) -> &str {
        self.token.token_type()
    }

    /// The `fresh` claim.
    pub fn freshness(&self) -> Option<Freshness> {
        self.token.freshness()
    }

    /// Whether the token is fresh now.
    pub fn is_fresh(&self) -> bool {
        self.token.is_fresh()
    }

    /// Every claim, defaults filled in (flask's `get_jwt()`).
    pub fn all_claims(&self) -> &Map<String, Value> {
        self.token.claims()
    }

    /// The JOSE header (flask's `get_jwt_header()`).
    pub fn header(&self) -> &Map<String, Value> {
        self.token.header()
    }

    /// Where the token was found (flask's `get_jwt_request_location()`).
    pub fn location(&self) -> Option<Location> {
        self.token.location()
    }
}

impl<C> Deref for Jwt<C> {
    type Target = C;

    fn deref(&self) -> &C {
        &self.claims
    }
}

impl<C: fmt::Debug> fmt::Debug for Jwt<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwt")
            .field("token", &self.token)
            .field("claims", &self.claims)
            .finish()
    }
}

impl<C: Clone> Clone for Jwt<C> {
    fn clone(&self) -> Self {
        Jwt {
            token: self.token.clone(),
            claims: self.claims.clone(),
        }
    }
}

impl<C: Claims + 'static> FromRequest for Jwt<C> {
    type Error = actix_web::Error;
    type Future = Either<
        Ready<Result<Self, Self::Error>>,
        LocalBoxFuture<'static, Result<Self, Self::Error>>,
    >;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // The common case under `#[jwt_required]`: the route verified a token, and the
        // claims fit. No allocation, no await.
        let verified_token = match req.extensions().get::<Verified>() {
            Some(Verified::Token { token, .. }) => Some(token.clone()),
            _ => None,
        };
        if let Some(token) = verified_token
            && let Ok(claims) = C::from_token(&token)
        {
            return Either::Left(ready(Ok(Jwt { token, claims })));
        }
        // What the route verified, or (without the macro) a default verification
        // shared with the request's other extractors; errors are rendered here.
        let verified = verify::verified_for_extractor(req, payload);
        let req = req.clone();
        Either::Right(Box::pin(async move {
            let verified = verified.await?;
            let manager = verify::manager(&req)?;
            let token = match verified {
                Verified::Token { token, .. } => token,
                Verified::Anonymous | Verified::Exempt => {
                    return Err(manager.error_into_actix(no_token()));
                }
            };
            let claims = C::from_token(&token)
                .map_err(|error| failure_after_verification(&req, manager, error))?;
            Ok(Jwt { token, claims })
        }))
    }
}

/// The user that `user_lookup_loader` loaded for the request's token (flask's
/// `current_user`). Looked up once per request, however many extractors ask.
///
/// Take `Option<CurrentUser<U>>` on an `optional` route: it is `None` without a token,
/// and the lookup is not called. `U` must be the type the registered loader returns;
/// without a loader, or with another type, the request fails with 500 and a log line
/// saying so.
pub struct CurrentUser<U> {
    user: Rc<U>,
    token: Arc<DecodedToken>,
}

impl<U> CurrentUser<U> {
    /// The loaded user.
    pub fn user(&self) -> &U {
        &self.user
    }

    /// A shared handle to the loaded user.
    pub fn user_rc(&self) -> Rc<U> {
        self.user.clone()
    }

    /// The token the user was loaded for.
    pub fn token(&self) -> &DecodedToken {
        &self.token
    }
}

impl<U> Deref for CurrentUser<U> {
    type Target = U;

    fn deref(&self) -> &U {
        &self.user
    }
}

impl<U> Clone for CurrentUser<U> {
    fn clone(&self) -> Self {
        CurrentUser {
            user: self.user.clone(),
            token: self.token.clone(),
        }
    }
}

impl<U: fmt::Debug> fmt::Debug for CurrentUser<U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CurrentUser").field(&self.user).finish()
    }
}

impl<U: 'static> FromRequest for CurrentUser<U> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // What the route verified, or (without the macro) a default verification
        // shared with the request's other extractors.
        let verified = verify::verified_for_extractor(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let verified = verified.await?;
            let manager = verify::manager(&req)?;
            let (token, user) = match verified {
                Verified::Token { token, user } => (token, user),
                Verified::Anonymous | Verified::Exempt => {
                    return Err(manager.error_into_actix(no_token()));
                }
            };
            let Some(user) = user else {
                let error = Error::internal(
                    "CurrentUser needs a user lookup: register one with \
                     `JwtManager::builder(config).user_lookup_loader(..)`",
                );
                return Err(failure_after_verification(&req, manager, error));
            };
            match user.downcast::<U>() {
                Ok(user) => Ok(CurrentUser { user, token }),
                Err(_) => {
                    let error = Error::internal(format!(
                        "CurrentUser<{}> does not match the type user_lookup_loader returns ({})",
                        std::any::type_name::<U>(),
                        manager.callbacks().user_type.unwrap_or("unknown"),
                    ));
                    Err(failure_after_verification(&req, manager, error))
                }
            }
        })
    }
}

/// An extractor failure that happened *after* a token was verified: claims that do not
/// fit `C`, or a user that cannot be given as `U`. actix-web's `Option<T>` extractor
/// would turn it into `None`, treating a caller with a valid token as anonymous; so it
/// is also recorded in the request, and `#[jwt_required]` answers with it.
#[derive(Debug, Clone)]
pub(crate) struct ExtractorFailure(pub(crate) Error);

fn failure_after_verification(
    req: &HttpRequest,
    manager: &crate::JwtManager,
    error: Error,
) -> actix_web::Error {
    req.extensions_mut().insert(ExtractorFailure(error.clone()));
    manager.error_into_actix(error)
}

/// A token extractor on a request that verified none: only reachable without
/// `Option<..>` on an optional or `OPTIONS` route (the macro rejects the former at
/// compile time).
fn no_token() -> Error {
    Error::new(ErrorKind::NoAuthorization(
        "Missing JWT: this route does not require one".to_owned(),
    ))
}
