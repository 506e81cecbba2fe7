//! The extractors a handler takes: the verified token with typed claims ([`Jwt`]) and
//! the loaded user ([`CurrentUser`]). Both read the outcome the gate stored; used
//! without the macro, they verify the request themselves (one shared verification).

use std::{fmt, ops::Deref, rc::Rc, sync::Arc};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use futures_util::future::{Either, LocalBoxFuture, Ready, ready};
use serde_json::{Map, Value};

use crate::{
    claims::Claims,
    config::Location,
    error::{Error, ErrorKind},
    manager::JwtManager,
    pipeline::{self, Verified},
    token::{DecodedToken, Freshness, TokenType},
};

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

    /// The custom claims, typed (every claim, defaults included, is
    /// [`Jwt::all_claims`]).
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

    /// The `type` claim: [`TokenType::Access`] or [`TokenType::Refresh`] (compares with
    /// `"access"` and `"refresh"` too).
    pub fn token_type(&self) -> TokenType {
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
        self.token.all_claims()
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
        let verified = pipeline::verified_for_extractor(req, payload);
        let req = req.clone();
        Either::Right(Box::pin(async move {
            let verified = verified.await?;
            let token = match verified {
                Verified::Token { token, .. } => token,
                Verified::Anonymous | Verified::Exempt => {
                    return Err(pipeline::manager(&req)?.error_into_actix(no_token()));
                }
            };
            let claims =
                C::from_token(&token).map_err(|error| failure_after_verification(&req, error))?;
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
        let verified = pipeline::verified_for_extractor(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let verified = verified.await?;
            let (token, user) = match verified {
                Verified::Token { token, user } => (token, user),
                Verified::Anonymous | Verified::Exempt => {
                    return Err(pipeline::manager(&req)?.error_into_actix(no_token()));
                }
            };
            let Some(user) = user else {
                let error = Error::internal(
                    "CurrentUser needs a user lookup: register one with \
                     `JwtManager::builder(config).user_lookup_loader(..)`",
                );
                return Err(failure_after_verification(&req, error));
            };
            match user.downcast::<U>() {
                Ok(user) => Ok(CurrentUser { user, token }),
                Err(_) => {
                    let error = Error::internal(format!(
                        "CurrentUser<{}> does not match the type user_lookup_loader returns ({})",
                        std::any::type_name::<U>(),
                        JwtManager::from_app_data(&req)
                            .and_then(|manager| manager.callbacks().user_type)
                            .unwrap_or("unknown"),
                    ));
                    Err(failure_after_verification(&req, error))
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

fn failure_after_verification(req: &HttpRequest, error: Error) -> actix_web::Error {
    req.extensions_mut().insert(ExtractorFailure(error.clone()));
    match pipeline::manager(req) {
        Ok(manager) => manager.error_into_actix(error),
        Err(missing) => missing,
    }
}

/// A token extractor on a request that verified none: only reachable without
/// `Option<..>` on an optional or `OPTIONS` route (the macro rejects the former at
/// compile time).
fn no_token() -> Error {
    Error::new(ErrorKind::NoAuthorization(
        "Missing JWT: this route does not require one".to_owned(),
    ))
}
