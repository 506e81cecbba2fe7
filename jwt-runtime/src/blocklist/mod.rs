//! Revoked tokens: the [`Blocklist`] trait and its stores.
//!
//! A store keeps the `jti` of each revoked token until the token's own `exp`, so it
//! never holds more than the tokens still alive. Revocation is keyed on `jti`, never on
//! the token string: an ECDSA signature can be malleated into a second valid string for
//! the same token, and that twin must stay revoked too.
//!
//! - [`MemoryBlocklist`]: in-process, for one server process.
//! - `RedisBlocklist` (feature `redis`): shared by every process using one Redis.
//!
//! Register one with [`crate::JwtManagerBuilder::blocklist`], or answer the question
//! yourself with [`crate::JwtManagerBuilder::token_in_blocklist_loader`] (flask's
//! callback).

mod memory;
#[cfg(feature = "redis")]
mod redis;

use std::fmt;

use futures_util::future::LocalBoxFuture;

pub use memory::MemoryBlocklist;
#[cfg(feature = "redis")]
pub use redis::RedisBlocklist;

/// A store of revoked token ids.
///
/// Verification fails closed: when [`Blocklist::is_revoked`] returns an error, the
/// request is refused with 503, never let through.
pub trait Blocklist: Send + Sync + 'static {
    /// Whether the token with this `jti` has been revoked.
    fn is_revoked<'a>(&'a self, jti: &'a str) -> LocalBoxFuture<'a, Result<bool, BlocklistError>>;

    /// Whether any of these `jti`s has been revoked (a token and the login it belongs
    /// to). Stores that can answer in one round trip should override this.
    fn any_revoked<'a>(
        &'a self,
        jtis: &'a [&'a str],
    ) -> LocalBoxFuture<'a, Result<bool, BlocklistError>> {
        Box::pin(async move {
            for jti in jtis {
                if self.is_revoked(jti).await? {
                    return Ok(true);
                }
            }
            Ok(false)
        })
    }

    /// Revokes the token with this `jti` until `expires_at` (UNIX seconds; `None` for a
    /// token that never expires, which is then kept forever).
    fn revoke<'a>(
        &'a self,
        jti: &'a str,
        expires_at: Option<i64>,
    ) -> LocalBoxFuture<'a, Result<(), BlocklistError>>;
}

/// The blocklist store could not answer (e.g. Redis is unreachable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlocklistError(String);

impl BlocklistError {
    /// An error with a message saying what failed.
    pub fn new(message: impl Into<String>) -> Self {
        BlocklistError(message.into())
    }
}

impl fmt::Display for BlocklistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BlocklistError {}

/// What a `token_in_blocklist_loader` may return, as flask's returns a `bool`: `true`
/// means revoked.
///
/// Implemented for `bool` (a plain check), for a future of `bool` (an `async` check
/// that cannot fail) and for a future of `Result<bool, E>` (an `async` check that can:
/// an `Err` fails closed with 503). `M` only tells the three apart; it is inferred.
pub trait BlocklistAnswer<M>: 'static {
    /// The answer, `Err` with the reason when it could not be found.
    fn into_answer(self) -> LocalBoxFuture<'static, Result<bool, String>>;
}

/// The forms a [`BlocklistAnswer`] comes in; inferred, never written.
pub mod answer {
    /// A `bool`, known at once.
    #[derive(Debug)]
    pub enum Now {}
    /// A future of `bool`.
    #[derive(Debug)]
    pub enum Later {}
    /// A future of `Result<bool, E>`.
    #[derive(Debug)]
    pub enum Fallible {}
}

impl BlocklistAnswer<answer::Now> for bool {
    fn into_answer(self) -> LocalBoxFuture<'static, Result<bool, String>> {
        Box::pin(futures_util::future::ready(Ok(self)))
    }
}

impl<F: std::future::Future<Output = bool> + 'static> BlocklistAnswer<answer::Later> for F {
    fn into_answer(self) -> LocalBoxFuture<'static, Result<bool, String>> {
        Box::pin(async move { Ok(self.await) })
    }
}

impl<F, E> BlocklistAnswer<answer::Fallible> for F
where
    F: std::future::Future<Output = Result<bool, E>> + 'static,
    E: fmt::Display,
{
    fn into_answer(self) -> LocalBoxFuture<'static, Result<bool, String>> {
        Box::pin(async move { self.await.map_err(|error| error.to_string()) })
    }
}
