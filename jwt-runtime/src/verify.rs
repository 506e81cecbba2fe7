//! The verification pipeline, in flask-jwt-extended's order (reference §7):
//!
//! exempt method → each location in order (only "not found" moves on) → decode and
//! verify → token type → freshness → (blocklist → custom verification → user lookup,
//! once registered) → store the result in the request for the extractors.

use std::{any::Any, fmt, rc::Rc, sync::Arc};

use actix_web::{
    HttpMessage, HttpRequest, HttpResponse, dev::Payload, error::InternalError, http::Method,
};
use futures_util::{
    FutureExt,
    future::{LocalBoxFuture, Shared, ready},
};
use serde_json::Value;

use crate::{
    callbacks::{guard, guard_async},
    config::Location,
    error::{Error, ErrorKind, Result},
    locations,
    manager::{JwtManager, Revocation},
    token::DecodedToken,
};

/// What to require of a request: flask-jwt-extended's `jwt_required` /
/// `verify_jwt_in_request` arguments. `#[jwt_required(..)]` builds one per route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyOptions {
    /// A request without any token passes (with no token); an invalid token still fails.
    pub optional: bool,
    /// Only a fresh access token passes.
    pub fresh: bool,
    /// Only a refresh token passes (and the refresh cookie, CSRF header and JSON key are used).
    pub refresh: bool,
    /// `false` accepts access and refresh tokens alike.
    pub verify_type: bool,
    /// Do not ask the blocklist.
    pub skip_revocation_check: bool,
    /// Where to look for the token, in order; empty means the configured locations.
    pub locations: &'static [Location],
}

impl VerifyOptions {
    /// A non-optional access-token route using the configured locations (flask's
    /// `jwt_required()` without arguments).
    pub const DEFAULT: Self = Self {
        optional: false,
        fresh: false,
        refresh: false,
        verify_type: true,
        skip_revocation_check: false,
        locations: &[],
    };
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The outcome of verification, stored in the request extensions for the extractors.
#[derive(Clone)]
pub(crate) enum Verified {
    /// A token passed every check; `user` is what user lookup loaded, if registered.
    Token {
        token: Arc<DecodedToken>,
        user: Option<Rc<dyn Any>>,
    },
    /// An `optional` route was called without a token.
    Anonymous,
    /// The method is exempt (`OPTIONS`): nothing was verified.
    Exempt,
}

impl fmt::Debug for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verified::Token { token, user } => f
                .debug_struct("Token")
                .field("token", token)
                .field("user_loaded", &user.is_some())
                .finish(),
            Verified::Anonymous => f.write_str("Anonymous"),
            Verified::Exempt => f.write_str("Exempt"),
        }
    }
}

impl Verified {
    pub(crate) fn token(&self) -> Option<&Arc<DecodedToken>> {
        match self {
            Verified::Token { token, .. } => Some(token),
            Verified::Anonymous | Verified::Exempt => None,
        }
    }
}

/// The registered manager, or a 500 whose log line says how to register it (as
/// actix-web's `Data<T>` extractor does).
pub(crate) fn manager(req: &HttpRequest) -> std::result::Result<&JwtManager, actix_web::Error> {
    JwtManager::from_request(req).ok_or_else(|| {
        log::error!(
            "actix-jwt-extended: no JwtManager registered for {}; register one with \
             `App::new().app_data(manager.clone())` (or `web::Data<JwtManager>`)",
            req.path()
        );
        Error::internal("JwtManager is not registered").into()
    })
}

/// Whether verifying `req` with `options` may await: a blocklist to ask, a user to
/// load, or a body to read. Otherwise the whole pipeline completes in its first poll.
pub(crate) fn may_await(req: &HttpRequest, options: &VerifyOptions) -> bool {
    if req.method() == Method::OPTIONS {
        return false;
    }
    // Without a manager, verification fails at once.
    let Some(manager) = JwtManager::from_request(req) else {
        return false;
    };
    let asks_blocklist = !options.skip_revocation_check && manager.revocation().is_some();
    if asks_blocklist || manager.callbacks().user_lookup.is_some() {
        return true;
    }
    let config = manager.config();
    let locations: &[Location] = if options.locations.is_empty() {
        &config.token_location
    } else {
        options.locations
    };
    locations.iter().any(|location| match location {
        Location::Json => true,
        Location::Cookies => config.csrf_check_form,
        Location::Headers | Location::QueryString => false,
    })
}

/// Verifies `req` for a route and stores the outcome; on failure, the error carries the
/// response the manager renders for it.
pub(crate) async fn verify_route(
    req: &HttpRequest,
    payload: &mut Payload,
    options: &VerifyOptions,
) -> std::result::Result<Verified, actix_web::Error> {
    verify_and_store(req, payload, options)
        .await
        .map_err(|error| refusal(req, error))
}

/// The one way into the pipeline: verifies `req` and stores the outcome in it for the
/// extractors. `Err(None)` means no manager is registered.
async fn verify_and_store(
    req: &HttpRequest,
    payload: &mut Payload,
    options: &VerifyOptions,
) -> std::result::Result<Verified, Option<Error>> {
    // Exempt before anything else, so a preflight never fails, even on a misconfigured app.
    let verified = if req.method() == Method::OPTIONS {
        Verified::Exempt
    } else {
        let manager = JwtManager::from_request(req).ok_or(None)?;
        verify_request(manager, req, payload, options)
            .await
            .map_err(Some)?
    };
    req.extensions_mut().insert(verified.clone());
    Ok(verified)
}

/// The actix-web error for a failed verification: the manager's response for `error`,
/// or the 500 (and log line) of a missing manager.
fn refusal(req: &HttpRequest, error: Option<Error>) -> actix_web::Error {
    match (manager(req), error) {
        (Ok(manager), Some(error)) => manager.error_into_actix(error),
        (Ok(_), None) => Error::internal("JwtManager is not registered").into(),
        (Err(missing), _) => missing,
    }
}

/// The verification an extractor needs: what the route already verified, or else a
/// verification with the default options, shared by every extractor of the request
/// (actix-web creates them all before polling any, so the first one to ask starts it
/// and the others await the same result: one blocklist check, one user lookup).
pub(crate) fn verified_for_extractor(
    req: &HttpRequest,
    payload: &mut Payload,
) -> LocalBoxFuture<'static, std::result::Result<Verified, actix_web::Error>> {
    if let Some(verified) = req.extensions().get::<Verified>().cloned() {
        return Box::pin(ready(Ok(verified)));
    }
    let existing = req.extensions().get::<PendingVerification>().cloned();
    let pending = existing.unwrap_or_else(|| {
        // Only the `json` location reads the body; take it only then.
        let wants_body = JwtManager::from_request(req)
            .is_some_and(|manager| manager.config().token_location.contains(&Location::Json));
        let mut payload = if wants_body {
            payload.take()
        } else {
            Payload::None
        };
        let request = req.clone();
        let future: LocalBoxFuture<'static, std::result::Result<Verified, Option<Error>>> =
            Box::pin(async move {
                verify_and_store(&request, &mut payload, &VerifyOptions::DEFAULT).await
            });
        let pending = PendingVerification(future.shared());
        req.extensions_mut().insert(pending.clone());
        pending
    });
    let req = req.clone();
    Box::pin(async move {
        // Removes the pending verification from the request when this extractor is done
        // or dropped, so the request it holds never keeps itself alive.
        let _cleanup = PendingCleanup(req.clone());
        pending.0.await.map_err(|error| refusal(&req, error))
    })
}

/// A default verification in flight, shared by the request's extractors.
#[derive(Clone)]
struct PendingVerification(
    Shared<LocalBoxFuture<'static, std::result::Result<Verified, Option<Error>>>>,
);

struct PendingCleanup(HttpRequest);

impl Drop for PendingCleanup {
    fn drop(&mut self) {
        // No extensions borrow is held across an await, so this cannot conflict.
        self.0.extensions_mut().remove::<PendingVerification>();
    }
}

/// flask's `verify_jwt_in_request`, for conditional protection inside a handler.
///
/// Returns the verified token, or `None` for an `OPTIONS` request or an `optional`
/// check of a request without a token. On success the token is also stored in the
/// request, so `Jwt<C>` extractors and later calls see it. The `json` location cannot
/// be read here (the handler's extractors have taken the body); it counts as missing.
///
/// ```no_run
/// use actix_web::{HttpRequest, HttpResponse};
/// use actix_jwt_extended_runtime::{VerifyOptions, verify_jwt_in_request};
///
/// async fn greet(req: HttpRequest) -> actix_web::Result<HttpResponse> {
///     let options = VerifyOptions { optional: true, ..VerifyOptions::DEFAULT };
///     let token = verify_jwt_in_request(&req, &options).await?;
///     Ok(match token {
///         Some(token) => HttpResponse::Ok().body(format!("hello {}", token.identity())),
///         None => HttpResponse::Ok().body("hello stranger"),
///     })
/// }
/// ```
pub async fn verify_jwt_in_request(
    req: &HttpRequest,
    options: &VerifyOptions,
) -> std::result::Result<Option<Arc<DecodedToken>>, actix_web::Error> {
    let mut payload = Payload::None;
    let verified = verify_route(req, &mut payload, options).await?;
    Ok(verified.token().cloned())
}

/// The whole pipeline for a request that is not exempt, without rendering or storing.
async fn verify_request(
    manager: &JwtManager,
    req: &HttpRequest,
    payload: &mut Payload,
    options: &VerifyOptions,
) -> Result<Verified> {
    let locations: &[Location] = if options.locations.is_empty() {
        &manager.config().token_location
    } else {
        options.locations
    };

    let mut missing = Vec::new();
    let mut token = None;
    for &location in locations {
        match locations::find(manager, req, payload, location, options.refresh).await {
            Ok(found) => {
                let mut decoded =
                    manager.decode_token(&found.token, found.csrf_value.as_deref(), false)?;
                decoded.set_location(location);
                token = Some(decoded);
                break;
            }
            Err(error) if error.is_missing_token() => missing.push((location, error)),
            Err(error) => return Err(error),
        }
    }
    let Some(token) = token else {
        if options.optional {
            return Ok(Verified::Anonymous);
        }
        return Err(combine_missing(missing));
    };

    if options.verify_type {
        if options.refresh && !token.is_refresh() {
            return Err(Error::new(ErrorKind::WrongTokenType(
                "Only refresh tokens are allowed".to_owned(),
            )));
        }
        if !options.refresh && token.is_refresh() {
            return Err(Error::new(ErrorKind::WrongTokenType(
                "Only non-refresh tokens are allowed".to_owned(),
            )));
        }
    }
    let token = Arc::new(token);
    if options.fresh && !token.is_fresh() {
        return Err(Error::with_token(ErrorKind::FreshTokenRequired, token));
    }
    if !options.skip_revocation_check {
        check_revocation(manager, &token).await?;
    }
    let callbacks = manager.callbacks();
    if let Some(check) = &callbacks.token_verification
        && !guard("token_verification_loader", || check(&token))?
    {
        return Err(Error::with_token(
            ErrorKind::UserClaimsVerificationFailed,
            token,
        ));
    }
    let user = match &callbacks.user_lookup {
        None => None,
        Some(lookup) => {
            let future = guard("user_lookup_loader", || lookup(token.clone()))?;
            let loaded = guard_async("user_lookup_loader", future)
                .await?
                .map_err(|error| {
                    Error::internal(format!("the user_lookup_loader callback failed: {error}"))
                })?;
            match loaded {
                Some(user) => Some(user),
                None => {
                    let identity = python_str(token.identity());
                    return Err(Error::with_token(ErrorKind::UserLookup(identity), token));
                }
            }
        }
    };
    Ok(Verified::Token { token, user })
}

/// Asks the blocklist store or callback; fails closed when it cannot answer.
async fn check_revocation(manager: &JwtManager, token: &Arc<DecodedToken>) -> Result<()> {
    let revoked = match manager.revocation() {
        None => false,
        Some(Revocation::Callback(callback)) => {
            let future = guard("token_in_blocklist_loader", || callback(token.clone()))?;
            guard_async("token_in_blocklist_loader", future)
                .await?
                .map_err(|error| {
                    log::error!("actix-jwt-extended: token_in_blocklist_loader failed: {error}");
                    Error::blocklist_unavailable(error)
                })?
        }
        Some(Revocation::Store(store)) => {
            // A token without `jti` could never be revoked: refuse it while a store is on.
            let jti = token
                .jti()
                .ok_or_else(|| Error::invalid_token("Missing claim: jti"))?;
            let mut jtis = vec![jti];
            if let Some(refresh_jti) = token.refresh_jti() {
                jtis.push(refresh_jti);
            }
            guard_async("blocklist store", store.any_revoked(&jtis))
                .await?
                .map_err(|error| {
                    log::error!("actix-jwt-extended: blocklist store failed: {error}");
                    Error::blocklist_unavailable(error.to_string())
                })?
        }
    };
    if revoked {
        return Err(Error::with_token(ErrorKind::Revoked, token.clone()));
    }
    Ok(())
}

/// The identity as Python's `str()` prints it in flask's user-lookup message.
fn python_str(identity: &Value) -> String {
    match identity {
        Value::String(text) => text.clone(),
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        other => other.to_string(),
    }
}

fn token_loader(
    loader: &Option<crate::callbacks::TokenResponse>,
    token: Option<&DecodedToken>,
    name: &str,
) -> Option<Result<HttpResponse>> {
    let (loader, token) = (loader.as_ref()?, token?);
    Some(guard(name, || loader(token)))
}

/// One location's own message, or flask's combined one:
/// `Missing JWT in headers, cookies or json (msg1; msg2; msg3)`.
fn combine_missing(mut missing: Vec<(Location, Error)>) -> Error {
    if missing.len() == 1 {
        return missing.remove(0).1;
    }
    let names: Vec<&str> = missing
        .iter()
        .map(|(location, _)| location.as_str())
        .collect();
    let details: Vec<String> = missing.iter().map(|(_, error)| error.message()).collect();
    let (last, first) = names.split_last().unwrap_or((&"", &[]));
    Error::no_authorization(format!(
        "Missing JWT in {} or {last} ({})",
        first.join(", "),
        details.join("; ")
    ))
}

impl JwtManager {
    /// The response for `error`: the registered error loader's, else flask-jwt-extended's
    /// default with the configured message key.
    pub fn error_response(&self, error: &Error) -> HttpResponse {
        let callbacks = self.callbacks();
        let message = error.message();
        let token = error.token();
        let custom = match error.kind() {
            ErrorKind::NoAuthorization(_) | ErrorKind::Csrf(_) => callbacks
                .unauthorized
                .as_ref()
                .map(|loader| guard("unauthorized_loader", || loader(&message))),
            ErrorKind::InvalidCarrier(_)
            | ErrorKind::InvalidToken(_)
            | ErrorKind::WrongTokenType(_) => callbacks
                .invalid_token
                .as_ref()
                .map(|loader| guard("invalid_token_loader", || loader(&message))),
            ErrorKind::Expired => {
                token_loader(&callbacks.expired_token, token, "expired_token_loader")
            }
            ErrorKind::FreshTokenRequired => token_loader(
                &callbacks.needs_fresh_token,
                token,
                "needs_fresh_token_loader",
            ),
            ErrorKind::Revoked => {
                token_loader(&callbacks.revoked_token, token, "revoked_token_loader")
            }
            ErrorKind::UserClaimsVerificationFailed => token_loader(
                &callbacks.token_verification_failed,
                token,
                "token_verification_failed_loader",
            ),
            ErrorKind::UserLookup(_) => token_loader(
                &callbacks.user_lookup_error,
                token,
                "user_lookup_error_loader",
            ),
            ErrorKind::Internal(details) => {
                log::error!("actix-jwt-extended: {details}");
                None
            }
            _ => None,
        };
        match custom {
            Some(Ok(response)) => response,
            Some(Err(panic)) => self.error_response(&panic),
            None => crate::response::json_message(
                error.status(),
                &self.config().error_message_key,
                &message,
            ),
        }
    }

    /// `error` as an actix error carrying this manager's response for it.
    pub(crate) fn error_into_actix(&self, error: Error) -> actix_web::Error {
        let response = self.error_response(&error);
        InternalError::from_response(error, response).into()
    }
}
