//! What `#[jwt_required]` expands to at run time: the first stop of a request.
//!
//! The macro keeps the user's handler as actix-web registers it, with two changes to its
//! parameters (docs/design.md explains the choice):
//!
//! ```text
//! async fn admin(_: Gate<SPEC>, After(jwt): After<Jwt>, After(body): After<web::Json<T>>)
//! ```
//!
//! - a leading [`Gate`], whose const parameter packs the route's options
//!   ([`crate::options::spec`]), verifies the request when actix-web creates the
//!   extractors: synchronously when no step of the pipeline awaits (the usual case),
//!   else by one shared future that it starts before any other extractor exists;
//! - every parameter of the user's is wrapped in [`After`], which creates the user's
//!   extractor only once verification has passed, in the parameters' order, so no body
//!   is read and no `web::Json<T>` error can win over the JWT error, and the `json`
//!   token location can read the body and hand it on.
//!
//! actix-web polls a tuple of extractors in order and stops at the first error: the
//! gate is first, so its error is the answer. The wrapped extractors await the same
//! shared verification the gate does, so they are woken when it finishes whatever order
//! they are polled in. The handler is registered by actix-web itself, so it costs what
//! any handler costs to compile: no second layer of generic code per handler.

use std::{cell::RefCell, rc::Rc};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, http::Method};
use futures_util::{
    FutureExt,
    future::{Either, LocalBoxFuture, Ready, Shared, ready},
};
use pin_project_lite::pin_project;

use crate::{
    error::{Error, Result},
    extract::ExtractorFailure,
    options::Unpacked,
    pipeline::{self, Progress},
};

/// The verification of a `#[jwt_required]` route: the handler's first parameter. Its
/// const parameter is the route's options, packed by [`crate::options::spec`].
#[derive(Debug)]
pub struct Gate<const SPEC: u32>;

/// The verification in flight, shared by the gate and the [`After`] extractors. Its
/// outcome is stored in the request; only success or the error is passed on here.
type SharedVerification = Shared<LocalBoxFuture<'static, Result<()>>>;

/// The gate's state, left in the request for the [`After`] extractors.
#[derive(Clone)]
enum GateState {
    /// Verified, synchronously: extract from the payload as usual.
    Passed,
    /// Refused, synchronously: the gate's error is the answer; extract nothing.
    Refused,
    /// Verifying: the payload waits in `payload` until `verification` has passed.
    Pending {
        verification: SharedVerification,
        payload: Rc<RefCell<Payload>>,
    },
}

impl<const SPEC: u32> FromRequest for Gate<SPEC> {
    type Error = actix_web::Error;
    type Future = Either<
        Ready<std::result::Result<Self, Self::Error>>,
        LocalBoxFuture<'static, std::result::Result<Self, Self::Error>>,
    >;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let options = Unpacked::<SPEC>::OPTIONS;
        // Exempt before the manager is looked up, so a preflight never fails, even on a
        // misconfigured app.
        if req.method() == Method::OPTIONS {
            pipeline::store(req, Ok(pipeline::Verified::Exempt)).ok();
            req.extensions_mut().insert(GateState::Passed);
            return Either::Left(ready(Ok(Gate)));
        }
        let manager = match pipeline::manager(req) {
            Ok(manager) => manager,
            Err(missing) => {
                req.extensions_mut().insert(GateState::Refused);
                return Either::Left(ready(Err(missing)));
            }
        };
        let continuation = match pipeline::start(manager, req, &options) {
            Progress::Done(verified) => {
                let verified = pipeline::store(req, verified);
                let state = match verified {
                    Ok(_) => GateState::Passed,
                    Err(_) => GateState::Refused,
                };
                req.extensions_mut().insert(state);
                return Either::Left(ready(
                    verified
                        .map(|_| Gate)
                        .map_err(|error| manager.error_into_actix(error)),
                ));
            }
            Progress::Pending(continuation) => continuation,
        };
        // A step awaits (the body, the blocklist, a user lookup): keep the payload away
        // from the other extractors until verification has passed.
        let slot = Rc::new(RefCell::new(payload.take()));
        let verification: SharedVerification = {
            let (req, manager, slot) = (req.clone(), manager.clone(), slot.clone());
            async move {
                // The slot is borrowed only here until this future is done; the `After`
                // extractors borrow it only after that.
                let mut payload = std::mem::replace(&mut *slot.borrow_mut(), Payload::None);
                let verified =
                    pipeline::resume(&manager, &req, &mut payload, &options, continuation).await;
                *slot.borrow_mut() = payload;
                pipeline::store(&req, verified).map(|_| ())
            }
            .boxed_local()
            .shared()
        };
        req.extensions_mut().insert(GateState::Pending {
            verification: verification.clone(),
            payload: slot,
        });
        let (req, manager) = (req.clone(), manager.clone());
        Either::Right(Box::pin(async move {
            // Settles the state when this future is done or dropped: the shared future
            // holds the request, so it must not stay in the request's own extensions.
            let mut settle = Settle {
                req: req.clone(),
                passed: false,
            };
            let verified = verification.await;
            settle.passed = verified.is_ok();
            drop(settle);
            verified
                .map(|()| Gate)
                .map_err(|error| manager.error_into_actix(error))
        }))
    }
}

/// Replaces a pending gate state with its outcome.
struct Settle {
    req: HttpRequest,
    passed: bool,
}

impl Drop for Settle {
    fn drop(&mut self) {
        let state = if self.passed {
            GateState::Passed
        } else {
            GateState::Refused
        };
        // No extensions borrow is held across an await, so this cannot conflict.
        self.req.extensions_mut().insert(state);
    }
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
            Some(GateState::Pending {
                verification,
                payload,
            }) => {
                let req = req.clone();
                AfterFuture::Deferred {
                    future: Box::pin(async move {
                        if verification.await.is_err() {
                            // The gate answers with the error.
                            return Err(refused());
                        }
                        let future = T::from_request(&req, &mut payload.borrow_mut());
                        finish(&req, future.await)
                    }),
                }
            }
        }
    }
}

/// The extracted value, or the error that an `Option<Jwt<C>>` / `Option<CurrentUser<U>>`
/// turned into `None` by actix-web's rule (a 422 for claims that do not fit, a 500 for a
/// missing user lookup), which is the answer instead.
fn finish<T: FromRequest>(
    req: &HttpRequest,
    extracted: std::result::Result<T, T::Error>,
) -> std::result::Result<After<T>, actix_web::Error> {
    let value = extracted.map_err(Into::into)?;
    let failure = req.extensions_mut().remove::<ExtractorFailure>();
    match failure {
        None => Ok(After(value)),
        Some(ExtractorFailure(error)) => Err(pipeline::manager(req)?.error_into_actix(error)),
    }
}

/// The error of an [`After`] whose gate refused the request. Never the response: the
/// gate comes first in the tuple and its error is the answer.
fn refused() -> actix_web::Error {
    Error::internal("JWT verification failed").into()
}

pin_project! {
    /// The future of [`After`].
    #[project = AfterProjection]
    #[allow(missing_docs)] // the variants say what their fields are
    pub enum AfterFuture<T: FromRequest> {
        /// Verification has passed: the user's extractor runs (`future`); `req` is
        /// kept for the failure an `Option` extractor hides.
        Extract { #[pin] future: T::Future, req: HttpRequest },
        /// Verification is still running: `future` awaits it, then extracts.
        Deferred {
            future: LocalBoxFuture<'static, std::result::Result<After<T>, actix_web::Error>>,
        },
        /// Verification failed; the gate's error is the answer.
        Refused,
    }
}

impl<T: FromRequest> std::future::Future for AfterFuture<T> {
    type Output = std::result::Result<After<T>, actix_web::Error>;

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
            AfterProjection::Refused => std::task::Poll::Ready(Err(refused())),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The gate's contract with the `Future` trait: the wrapped extractors are woken
    //! when the verification they wait for finishes, whatever order they are polled in.

    use std::{
        sync::{
            Arc,
            atomic::{AtomicUsize, Ordering},
        },
        task::{Context, Poll, Wake, Waker},
    };

    use super::*;

    /// Counts wake-ups.
    struct CountingWaker(AtomicUsize);

    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn after_waits_for_the_shared_verification_and_is_woken() {
        let done = Rc::new(RefCell::new(false));
        let parked: Rc<RefCell<Option<Waker>>> = Rc::new(RefCell::new(None));
        let verification: SharedVerification = {
            let (done, parked) = (done.clone(), parked.clone());
            std::future::poll_fn(move |cx| {
                if *done.borrow() {
                    Poll::Ready(Ok(()))
                } else {
                    *parked.borrow_mut() = Some(cx.waker().clone());
                    Poll::Pending
                }
            })
            .boxed_local()
            .shared()
        };
        let req = actix_web::test::TestRequest::default().to_http_request();
        req.extensions_mut().insert(GateState::Pending {
            verification,
            payload: Rc::new(RefCell::new(Payload::None)),
        });
        let mut after = After::<HttpRequest>::from_request(&req, &mut Payload::None);
        let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
        let waker = Waker::from(counter.clone());
        let mut cx = Context::from_waker(&waker);
        // Polled before anything else drives the verification: it must wait, not fail.
        assert!(std::pin::Pin::new(&mut after).poll(&mut cx).is_pending());
        // The verification finishes; its own waker is the one the `After` registered.
        *done.borrow_mut() = true;
        if let Some(waker) = parked.borrow_mut().take() {
            waker.wake();
        }
        assert_eq!(
            counter.0.load(Ordering::SeqCst),
            1,
            "the extractor was woken"
        );
        match std::pin::Pin::new(&mut after).poll(&mut cx) {
            Poll::Ready(Ok(After(extracted))) => assert_eq!(extracted.path(), req.path()),
            other => panic!("expected the extractor's value, got {:?}", other.is_ready()),
        }
    }
}
