//! What `#[jwt_required]` expands to at run time.
//!
//! The macro keeps the user's handler as actix-web registers it, with two changes to its
//! parameters (DESIGN.md, design 1):
//!
//! ```text
//! async fn admin(_: Gate<SPEC>, After(jwt): After<Jwt>, After(body): After<web::Json<T>>)
//! ```
//!
//! - a leading [`Gate`], whose const parameter packs the route's options ([`spec`]),
//!   verifies the request when actix-web creates the extractors: synchronously when
//!   nothing in the pipeline awaits (the usual case), else by a shared future that it
//!   starts before any other extractor exists;
//! - every parameter of the user's is wrapped in [`After`], which creates the user's
//!   extractor only once verification has passed, in the parameters' order, so no body
//!   is read and no `web::Json<T>` error can win over the JWT error, and the `json`
//!   token location can read the body and hand it on.
//!
//! actix-web polls a tuple of extractors in order, every one in every round, and stops
//! at the first error: the gate is first, so its error is the answer, and the wrapped
//! extractors wait for it. The handler is registered by actix-web itself, so it costs
//! what any handler costs to compile: no second layer of generic code per handler.

use std::{cell::RefCell, rc::Rc};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use futures_util::{
    FutureExt,
    future::{Either, LocalBoxFuture, Ready, ready},
};
use pin_project_lite::pin_project;

use crate::{
    config::Location,
    error::Error,
    extract::ExtractorFailure,
    verify::{self, VerifyOptions},
};

/// The options of one route, as `#[jwt_required(..)]` writes them.
pub type RouteOptions = VerifyOptions;

/// Bits of a route's packed options ([`spec`]).
const OPTIONAL: u32 = 1;
const FRESH: u32 = 1 << 1;
const REFRESH: u32 = 1 << 2;
const VERIFY_TYPE: u32 = 1 << 3;
const SKIP_REVOCATION_CHECK: u32 = 1 << 4;
/// The number of locations (0 to 4) at bits 5..8, then two bits per location, in order.
const LOCATION_COUNT_SHIFT: u32 = 5;
const LOCATIONS_SHIFT: u32 = 8;

/// Packs `options` into the `u32` that [`Gate`] carries as its const parameter.
/// Locations beyond the fourth are dropped (there are only four, and the macro refuses
/// duplicates).
pub const fn spec(options: &VerifyOptions) -> u32 {
    let mut packed = 0;
    if options.optional {
        packed |= OPTIONAL;
    }
    if options.fresh {
        packed |= FRESH;
    }
    if options.refresh {
        packed |= REFRESH;
    }
    if options.verify_type {
        packed |= VERIFY_TYPE;
    }
    if options.skip_revocation_check {
        packed |= SKIP_REVOCATION_CHECK;
    }
    let count = if options.locations.len() > 4 {
        4
    } else {
        options.locations.len()
    };
    packed |= (count as u32) << LOCATION_COUNT_SHIFT;
    let mut index = 0;
    while index < count {
        let code = match options.locations[index] {
            Location::Headers => 0,
            Location::Cookies => 1,
            Location::QueryString => 2,
            Location::Json => 3,
        };
        packed |= code << (LOCATIONS_SHIFT + 2 * index as u32);
        index += 1;
    }
    packed
}

/// The options packed in `SPEC`, as constants (so the locations are `'static`).
struct Unpacked<const SPEC: u32>;

impl<const SPEC: u32> Unpacked<SPEC> {
    const LOCATIONS: &'static [Location; 4] = &[
        location(SPEC, 0),
        location(SPEC, 1),
        location(SPEC, 2),
        location(SPEC, 3),
    ];

    const OPTIONS: VerifyOptions = VerifyOptions {
        optional: SPEC & OPTIONAL != 0,
        fresh: SPEC & FRESH != 0,
        refresh: SPEC & REFRESH != 0,
        verify_type: SPEC & VERIFY_TYPE != 0,
        skip_revocation_check: SPEC & SKIP_REVOCATION_CHECK != 0,
        locations: Self::LOCATIONS
            .split_at(((SPEC >> LOCATION_COUNT_SHIFT) & 0b111) as usize)
            .0,
    };
}

const fn location(spec: u32, index: u32) -> Location {
    match (spec >> (LOCATIONS_SHIFT + 2 * index)) & 0b11 {
        0 => Location::Headers,
        1 => Location::Cookies,
        2 => Location::QueryString,
        _ => Location::Json,
    }
}

/// The verification of a `#[jwt_required]` route: the handler's first parameter. Its
/// const parameter is the route's options, packed by [`spec`].
#[derive(Debug)]
pub struct Gate<const SPEC: u32>;

/// The gate's state, left in the request for the [`After`] extractors.
#[derive(Clone)]
enum GateState {
    /// Verified, synchronously: extract from the payload as usual.
    Passed,
    /// Refused, synchronously: the gate's error is the answer; extract nothing.
    Refused,
    /// Verifying: the payload waits here until verification has passed.
    Pending(Rc<RefCell<Payload>>),
}

impl<const SPEC: u32> FromRequest for Gate<SPEC> {
    type Error = actix_web::Error;
    type Future = Either<
        Ready<Result<Self, Self::Error>>,
        LocalBoxFuture<'static, Result<Self, Self::Error>>,
    >;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let options = Unpacked::<SPEC>::OPTIONS;
        if !verify::may_await(req, &options) {
            // Nothing in the pipeline awaits: verify now, before the other extractors
            // are created.
            let verified = verify::verify_route(req, payload, &options)
                .now_or_never()
                .unwrap_or_else(|| Err(not_synchronous()));
            let state = match verified {
                Ok(_) => GateState::Passed,
                Err(_) => GateState::Refused,
            };
            req.extensions_mut().insert(state);
            return Either::Left(ready(verified.map(|_| Gate)));
        }
        // Something awaits (a blocklist, a user lookup, the body): keep the payload away
        // from the other extractors until verification has passed.
        let slot = Rc::new(RefCell::new(payload.take()));
        req.extensions_mut()
            .insert(GateState::Pending(slot.clone()));
        let req = req.clone();
        Either::Right(Box::pin(async move {
            // The slot is borrowed only here until this future is done; the `After`
            // extractors borrow it only after that.
            let mut payload = std::mem::replace(&mut *slot.borrow_mut(), Payload::None);
            let verified = verify::verify_route(&req, &mut payload, &options).await;
            *slot.borrow_mut() = payload;
            if verified.is_ok() {
                req.extensions_mut().insert(GateState::Passed);
            }
            verified.map(|_| Gate)
        }))
    }
}

#[cold]
fn not_synchronous() -> actix_web::Error {
    // `may_await` said nothing awaits; a future that still did is a bug of ours, and a
    // refusal is the safe answer.
    log::error!("actix-jwt-extended: verification awaited where it was expected not to");
    Error::internal("verification did not complete").into()
}

/// A parameter of a `#[jwt_required]` handler, extracted only after the [`Gate`] has
/// passed. Pattern `After(x)` to get the extractor itself.
#[derive(Debug)]
pub struct After<T>(pub T);

impl<T: FromRequest + 'static> FromRequest for After<T> {
    type Error = actix_web::Error;
    type Future = AfterFuture<T>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let state = req.extensions().get::<GateState>().cloned();
        match state {
            // No gate (used outside the macro): an extractor like any other.
            Some(GateState::Passed) | None => AfterFuture::Extract {
                future: T::from_request(req, payload),
                req: req.clone(),
            },
            // The gate's error answers first; touch nothing.
            Some(GateState::Refused) => AfterFuture::Refused,
            Some(GateState::Pending(slot)) => {
                let req = req.clone();
                AfterFuture::Deferred {
                    future: Box::pin(async move {
                        // Polled in order after the gate, which stops the tuple when it
                        // fails: reaching here after it has passed is the only way on.
                        std::future::poll_fn(|_| gate_passed(&req)).await;
                        let future = T::from_request(&req, &mut slot.borrow_mut());
                        finish(&req, future.await)
                    }),
                }
            }
        }
    }
}

/// Ready once the gate's verification has passed. No waker is registered: the tuple of
/// extractors polls every extractor whenever the gate's future wakes it.
fn gate_passed(req: &HttpRequest) -> std::task::Poll<()> {
    if matches!(req.extensions().get::<GateState>(), Some(GateState::Passed)) {
        std::task::Poll::Ready(())
    } else {
        std::task::Poll::Pending
    }
}

/// The extracted value, or the error that an `Option<Jwt<C>>` / `Option<CurrentUser<U>>`
/// turned into `None` by actix-web's rule (a 422 for claims that do not fit, a 500 for a
/// missing user lookup), which is the answer instead.
fn finish<T: FromRequest>(
    req: &HttpRequest,
    extracted: Result<T, T::Error>,
) -> Result<After<T>, actix_web::Error> {
    let value = extracted.map_err(Into::into)?;
    let failure = req.extensions_mut().remove::<ExtractorFailure>();
    match failure {
        None => Ok(After(value)),
        Some(ExtractorFailure(error)) => Err(verify::manager(req)?.error_into_actix(error)),
    }
}

pin_project! {
    /// The future of [`After`].
    #[project = AfterProjection]
    #[allow(missing_docs)] // the variants say what their fields are
    pub enum AfterFuture<T: FromRequest> {
        /// Verification has passed: the user's extractor runs (`future`); `req` is
        /// kept for the failure an `Option` extractor hides.
        Extract { #[pin] future: T::Future, req: HttpRequest },
        /// Verification is still running: `future` waits for the gate, then extracts.
        Deferred { future: LocalBoxFuture<'static, Result<After<T>, actix_web::Error>> },
        /// Verification failed; the gate's error is the answer.
        Refused,
    }
}

impl<T: FromRequest> std::future::Future for AfterFuture<T> {
    type Output = Result<After<T>, actix_web::Error>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        match self.project() {
            AfterProjection::Extract { future, req } => {
                let extracted = std::task::ready!(future.poll(cx));
                std::task::Poll::Ready(finish(req, extracted))
            }
            AfterProjection::Deferred { future } => future.as_mut().poll(cx),
            AfterProjection::Refused => {
                std::task::Poll::Ready(Err(Error::internal("JWT verification failed").into()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_survive_packing() {
        const ALL: [Location; 4] = [
            Location::Json,
            Location::QueryString,
            Location::Headers,
            Location::Cookies,
        ];
        for flags in 0..32_u32 {
            for count in 0..=4 {
                let options = VerifyOptions {
                    optional: flags & 1 != 0,
                    fresh: flags & 2 != 0,
                    refresh: flags & 4 != 0,
                    verify_type: flags & 8 != 0,
                    skip_revocation_check: flags & 16 != 0,
                    locations: &ALL[..count],
                };
                let packed = spec(&options);
                let unpacked = VerifyOptions {
                    optional: packed & OPTIONAL != 0,
                    fresh: packed & FRESH != 0,
                    refresh: packed & REFRESH != 0,
                    verify_type: packed & VERIFY_TYPE != 0,
                    skip_revocation_check: packed & SKIP_REVOCATION_CHECK != 0,
                    locations: &[],
                };
                let locations: Vec<Location> = (0..((packed >> LOCATION_COUNT_SHIFT) & 0b111))
                    .map(|index| location(packed, index))
                    .collect();
                assert_eq!(
                    (unpacked, locations.as_slice()),
                    (
                        VerifyOptions {
                            locations: &[],
                            ..options
                        },
                        options.locations
                    )
                );
            }
        }
        // And through the constants the gate uses.
        const PACKED: u32 = spec(&VerifyOptions {
            fresh: true,
            locations: &[Location::Cookies, Location::Headers],
            ..VerifyOptions::DEFAULT
        });
        let options = Unpacked::<PACKED>::OPTIONS;
        assert!(options.fresh && !options.optional && options.verify_type);
        assert_eq!(options.locations, [Location::Cookies, Location::Headers]);
    }
}
