//! The verification pipeline, in flask-jwt-extended's order:
//!
//! exempt method → each location in order (only "not found" moves on) → decode and
//! verify → token type → freshness → blocklist → custom verification → user lookup →
//! store the outcome in the request for the extractors.
//!
//! The pipeline runs in two parts, so a request pays for a future only when something
//! really awaits. [`start`] runs every step it can without awaiting and either finishes
//! ([`Progress::Done`]) or says exactly where it must wait ([`Progress::Pending`]): for
//! the body (the `json` location, a CSRF form field), for the blocklist, or for the
//! user lookup. [`resume`] carries on from there. Nothing has to predict whether a
//! request will await; the steps themselves tell.

use std::{any::Any, fmt, rc::Rc, sync::Arc};

use actix_web::{HttpMessage, HttpRequest, dev::Payload, http::Method};
use futures_util::{
    FutureExt,
    future::{LocalBoxFuture, Shared},
};
use serde_json::Value;

use crate::{
    callbacks::{guard, guard_async},
    config::Location,
    error::{Error, ErrorKind, Result},
    locations::{self, Found, Lookup},
    manager::JwtManager,
    options::VerifyOptions,
    token::DecodedToken,
};

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

/// How far [`start`] got.
pub(crate) enum Progress {
    /// Verification is over: every step ran without awaiting.
    Done(Result<Verified>),
    /// Verification must await; [`resume`] continues from here.
    Pending(Continuation),
}

/// Where verification continues after [`start`].
pub(crate) enum Continuation {
    /// The location at index `next` (of the route's locations) needs the body; the
    /// earlier ones held no token, for the reasons in `missing`.
    Locate {
        next: usize,
        missing: Vec<(Location, Error)>,
    },
    /// A token passed the checks up to `step`, which awaits.
    Check {
        token: Arc<DecodedToken>,
        step: AsyncStep,
    },
}

/// The steps after freshness that may await.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum AsyncStep {
    /// The blocklist, then custom verification and user lookup.
    Revocation,
    /// User lookup only.
    UserLookup,
}

/// The registered manager, or a 500 whose log line says how to register it (as
/// actix-web's `Data<T>` extractor does).
pub(crate) fn manager(req: &HttpRequest) -> std::result::Result<&JwtManager, actix_web::Error> {
    JwtManager::from_app_data(req).ok_or_else(|| {
        log::error!(
            "actix-jwt-extended: no JwtManager registered for {}; register one with \
             `App::new().app_data(manager.clone())` (or `web::Data<JwtManager>`)",
            req.path()
        );
        Error::internal("JwtManager is not registered").into()
    })
}

/// Runs every step of the pipeline that needs no await.
pub(crate) fn start(manager: &JwtManager, req: &HttpRequest, options: &VerifyOptions) -> Progress {
    // Exempt before anything else, so a preflight never fails.
    if req.method() == Method::OPTIONS {
        return Progress::Done(Ok(Verified::Exempt));
    }
    let mut missing = Vec::new();
    let token = match locate_now(manager, req, options, 0, &mut missing) {
        Ok(Located::Token(token)) => token,
        Ok(Located::NeedsBody(next)) => {
            return Progress::Pending(Continuation::Locate { next, missing });
        }
        Ok(Located::Nowhere) => return Progress::Done(no_token(options, missing)),
        Err(error) => return Progress::Done(Err(error)),
    };
    match checks_now(manager, token, options) {
        Ok((token, None)) => Progress::Done(Ok(Verified::Token { token, user: None })),
        Ok((token, Some(step))) => Progress::Pending(Continuation::Check { token, step }),
        Err(error) => Progress::Done(Err(error)),
    }
}

/// Continues verification from where [`start`] stopped. `payload` is the request body,
/// for the locations that read it.
pub(crate) async fn resume(
    manager: &JwtManager,
    req: &HttpRequest,
    payload: &mut Payload,
    options: &VerifyOptions,
    continuation: Continuation,
) -> Result<Verified> {
    let (token, step) = match continuation {
        Continuation::Check { token, step } => (token, step),
        Continuation::Locate {
            mut next,
            mut missing,
        } => {
            let token = loop {
                // `next` needs the body; the locations after it may not.
                let location = options.locations(manager.config())[next];
                let found =
                    locations::find_in_body(manager, req, payload, location, options.refresh).await;
                if let Some(token) = located(manager, location, found, &mut missing)? {
                    break token;
                }
                match locate_now(manager, req, options, next + 1, &mut missing)? {
                    Located::Token(token) => break token,
                    Located::NeedsBody(after) => next = after,
                    Located::Nowhere => return no_token(options, missing),
                }
            };
            match checks_now(manager, token, options)? {
                (token, None) => return Ok(Verified::Token { token, user: None }),
                (token, Some(step)) => (token, step),
            }
        }
    };
    if step == AsyncStep::Revocation {
        manager.revocation().check(&token).await?;
        custom_verification(manager, &token)?;
    }
    let user = load_user(manager, &token).await?;
    Ok(Verified::Token { token, user })
}

/// What the locations from `from` on hold, as far as they tell without the body.
// Moved once per request; boxing the token would cost an allocation.
#[allow(clippy::large_enum_variant)]
enum Located {
    /// A location held this token.
    Token(DecodedToken),
    /// The location at this index needs the body.
    NeedsBody(usize),
    /// None holds a token; the reasons are in `missing`.
    Nowhere,
}

/// Searches the route's locations in order from index `from`, stopping at a token, at
/// a location that needs the body, or at an error other than "not found".
fn locate_now(
    manager: &JwtManager,
    req: &HttpRequest,
    options: &VerifyOptions,
    from: usize,
    missing: &mut Vec<(Location, Error)>,
) -> Result<Located> {
    let locations = options.locations(manager.config());
    for (index, &location) in locations.iter().enumerate().skip(from) {
        let found = match locations::find_now(manager, req, location, options.refresh) {
            Ok(Lookup::Found(found)) => Ok(found),
            Ok(Lookup::NeedsBody) => return Ok(Located::NeedsBody(index)),
            Err(error) => Err(error),
        };
        if let Some(token) = located(manager, location, found, missing)? {
            return Ok(Located::Token(token));
        }
    }
    Ok(Located::Nowhere)
}

/// Stores a successful outcome in the request for the extractors.
pub(crate) fn store(req: &HttpRequest, verified: Result<Verified>) -> Result<Verified> {
    if let Ok(verified) = &verified {
        req.extensions_mut().insert(verified.clone());
    }
    verified
}

/// The outcome of one location: a decoded token, `None` when it held none (its reason
/// kept in `missing` for the combined message), or the error that ends verification.
fn located(
    manager: &JwtManager,
    location: Location,
    found: Result<Found<'_>>,
    missing: &mut Vec<(Location, Error)>,
) -> Result<Option<DecodedToken>> {
    match found {
        Ok(found) => {
            let mut decoded =
                manager.decode_token(&found.token, found.csrf_value.as_deref(), false)?;
            decoded.set_location(location);
            Ok(Some(decoded))
        }
        Err(error) if error.is_missing_token() => {
            missing.push((location, error));
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// No location held a token: fine on an `optional` route, else the missing-token error.
fn no_token(options: &VerifyOptions, missing: Vec<(Location, Error)>) -> Result<Verified> {
    if options.optional {
        Ok(Verified::Anonymous)
    } else {
        Err(combine_missing(missing))
    }
}

/// The checks after decoding, up to the first one that awaits: the token, and the step
/// that must await next (`None` when every check has passed).
fn checks_now(
    manager: &JwtManager,
    token: DecodedToken,
    options: &VerifyOptions,
) -> Result<(Arc<DecodedToken>, Option<AsyncStep>)> {
    let token = kind_and_freshness(token, options)?;
    if !options.skip_revocation_check && manager.revocation().is_enabled() {
        return Ok((token, Some(AsyncStep::Revocation)));
    }
    custom_verification(manager, &token)?;
    let step = manager
        .callbacks()
        .user_lookup
        .is_some()
        .then_some(AsyncStep::UserLookup);
    Ok((token, step))
}

/// The route's token type and freshness.
fn kind_and_freshness(token: DecodedToken, options: &VerifyOptions) -> Result<Arc<DecodedToken>> {
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
    Ok(token)
}

/// flask's `token_verification_loader`.
fn custom_verification(manager: &JwtManager, token: &Arc<DecodedToken>) -> Result<()> {
    if let Some(check) = &manager.callbacks().token_verification
        && !guard("token_verification_loader", || check(token))?
    {
        return Err(Error::with_token(
            ErrorKind::UserClaimsVerificationFailed,
            token.clone(),
        ));
    }
    Ok(())
}

/// flask's `user_lookup_loader`: the user, or `None` without a loader.
async fn load_user(manager: &JwtManager, token: &Arc<DecodedToken>) -> Result<Option<Rc<dyn Any>>> {
    let Some(lookup) = &manager.callbacks().user_lookup else {
        return Ok(None);
    };
    let future = guard("user_lookup_loader", || lookup(token.clone()))?;
    let loaded = guard_async("user_lookup_loader", future)
        .await?
        .map_err(|error| {
            Error::internal(format!("the user_lookup_loader callback failed: {error}"))
        })?;
    match loaded {
        Some(user) => Ok(Some(user)),
        None => {
            let identity = python_str(token.identity());
            Err(Error::with_token(
                ErrorKind::UserLookup(identity),
                token.clone(),
            ))
        }
    }
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

/// Verifies `req` with `options` from start to end and stores the outcome: for callers
/// that await anyway (extractors used without the macro, `verify_jwt_in_request`).
pub(crate) async fn verify(
    manager: &JwtManager,
    req: &HttpRequest,
    payload: &mut Payload,
    options: &VerifyOptions,
) -> Result<Verified> {
    let verified = match start(manager, req, options) {
        Progress::Done(result) => result,
        Progress::Pending(continuation) => {
            resume(manager, req, payload, options, continuation).await
        }
    };
    store(req, verified)
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
        return Box::pin(futures_util::future::ready(Ok(verified)));
    }
    let existing = req.extensions().get::<PendingVerification>().cloned();
    let pending = match existing {
        Some(pending) => pending,
        None => {
            let manager = match manager(req) {
                Ok(manager) => manager.clone(),
                Err(missing) => return Box::pin(futures_util::future::ready(Err(missing))),
            };
            // Only the `json` location reads the body; take it only then.
            let wants_body = manager.config().token_location.contains(&Location::Json);
            let mut payload = if wants_body {
                payload.take()
            } else {
                Payload::None
            };
            let request = req.clone();
            let future: LocalBoxFuture<'static, Result<Verified>> = Box::pin(async move {
                verify(&manager, &request, &mut payload, &VerifyOptions::DEFAULT).await
            });
            let pending = PendingVerification(future.shared());
            req.extensions_mut().insert(pending.clone());
            pending
        }
    };
    let req = req.clone();
    Box::pin(async move {
        // Removes the pending verification from the request when this extractor is done
        // or dropped, so the request it holds never keeps itself alive.
        let cleanup = PendingCleanup(req);
        match pending.0.await {
            Ok(verified) => Ok(verified),
            Err(error) => Err(manager(&cleanup.0)?.error_into_actix(error)),
        }
    })
}

/// A default verification in flight, shared by the request's extractors.
#[derive(Clone)]
struct PendingVerification(Shared<LocalBoxFuture<'static, Result<Verified>>>);

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
/// use actix_jwt_extended::{VerifyOptions, verify_jwt_in_request};
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
    // Exempt before anything else, so a preflight never fails, even on a misconfigured app.
    if req.method() == Method::OPTIONS {
        return Ok(None);
    }
    let manager = manager(req)?;
    let mut payload = Payload::None;
    match verify(manager, req, &mut payload, options).await {
        Ok(verified) => Ok(verified.token().cloned()),
        Err(error) => Err(manager.error_into_actix(error)),
    }
}
