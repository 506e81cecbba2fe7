//! The blocklist step of the pipeline: is this token revoked?
//!
//! Two sources may answer, and both may be registered: a store the library writes to
//! ([`crate::JwtManager::revoke`]) and reads from, and flask's `token_in_blocklist_loader`
//! callback for rules of the application's own. A token is revoked when either says so.
//! Either failing to answer refuses the request (503): verification fails closed.

use std::{fmt, sync::Arc};

use futures_util::future::LocalBoxFuture;

use crate::{
    blocklist::Blocklist,
    callbacks::{guard, guard_async},
    error::{Error, ErrorKind, Result},
    token::DecodedToken,
};

/// flask's `token_in_blocklist_loader`, type-erased.
pub(crate) type BlocklistCallback =
    Arc<dyn Fn(Arc<DecodedToken>) -> LocalBoxFuture<'static, Result<bool, String>> + Send + Sync>;

/// How revocation is decided.
#[derive(Clone, Default)]
pub(crate) struct Revocation {
    pub(crate) store: Option<Arc<dyn Blocklist>>,
    pub(crate) callback: Option<BlocklistCallback>,
}

impl fmt::Debug for Revocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Revocation")
            .field("store", &self.store.is_some())
            .field("callback", &self.callback.is_some())
            .finish()
    }
}

impl Revocation {
    /// Whether anything can revoke a token, so the pipeline must ask.
    pub(crate) fn is_enabled(&self) -> bool {
        self.store.is_some() || self.callback.is_some()
    }

    /// The store revocations are written to.
    pub(crate) fn store(&self) -> Result<&Arc<dyn Blocklist>> {
        self.store.as_ref().ok_or_else(|| {
            Error::internal(
                "revoking needs a blocklist store: register one with \
                 `JwtManager::builder(config).blocklist(MemoryBlocklist::new())`",
            )
        })
    }

    /// Refuses `token` when the store or the callback says it is revoked.
    pub(crate) async fn check(&self, token: &Arc<DecodedToken>) -> Result<()> {
        let revoked =
            self.store_says_revoked(token).await? || self.callback_says_revoked(token).await?;
        if revoked {
            return Err(Error::with_token(ErrorKind::Revoked, token.clone()));
        }
        Ok(())
    }

    async fn store_says_revoked(&self, token: &DecodedToken) -> Result<bool> {
        let Some(store) = &self.store else {
            return Ok(false);
        };
        // A token without `jti` could never be revoked: refuse it while a store is on
        // (docs/security.md T10).
        let jti = token
            .jti()
            .ok_or_else(|| Error::invalid_token("Missing claim: jti"))?;
        // The token's own `jti` and its login's refresh token's, on the stack.
        let both;
        let jtis: &[&str] = match token.refresh_jti() {
            Some(refresh_jti) => {
                both = [jti, refresh_jti];
                &both
            }
            None => std::slice::from_ref(&jti),
        };
        guard_async("blocklist store", store.any_revoked(jtis))
            .await?
            .map_err(|error| {
                log::error!("actix-jwt-extended: blocklist store failed: {error}");
                Error::blocklist_unavailable(error.to_string())
            })
    }

    async fn callback_says_revoked(&self, token: &Arc<DecodedToken>) -> Result<bool> {
        let Some(callback) = &self.callback else {
            return Ok(false);
        };
        let future = guard("token_in_blocklist_loader", || callback(token.clone()))?;
        guard_async("token_in_blocklist_loader", future)
            .await?
            .map_err(|error| {
                log::error!("actix-jwt-extended: token_in_blocklist_loader failed: {error}");
                Error::blocklist_unavailable(error)
            })
    }
}
