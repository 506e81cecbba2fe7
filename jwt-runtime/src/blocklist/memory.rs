//! The in-memory blocklist: one process, bounded by the tokens still alive.

use std::{
    collections::HashMap,
    sync::{
        RwLock,
        atomic::{AtomicUsize, Ordering},
    },
};

use futures_util::future::{LocalBoxFuture, ready};

use super::{Blocklist, BlocklistError};

/// Revoked `jti`s kept in memory until their token expires.
///
/// Safe to share between workers (`web::Data`, or through the manager). Expired entries
/// are purged as revocations are added, so memory stays proportional to the revoked
/// tokens that are still alive. A check when nothing was ever revoked takes no lock.
#[derive(Debug, Default)]
pub struct MemoryBlocklist {
    /// `jti` → `exp` (`i64::MAX` for tokens that never expire).
    entries: RwLock<HashMap<Box<str>, i64>>,
    len: AtomicUsize,
    /// Size at which the next insertion first purges expired entries.
    purge_at: AtomicUsize,
}

const FIRST_PURGE_AT: usize = 1024;

impl MemoryBlocklist {
    /// An empty blocklist.
    pub fn new() -> Self {
        MemoryBlocklist::default()
    }

    /// Whether `jti` is revoked at `now` (UNIX seconds).
    pub fn contains(&self, jti: &str, now: i64) -> bool {
        if self.len.load(Ordering::Acquire) == 0 {
            return false;
        }
        let entries = self
            .entries
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.get(jti).is_some_and(|&exp| exp > now)
    }

    /// Revokes `jti` until `expires_at`, at `now` (UNIX seconds).
    pub fn insert(&self, jti: &str, expires_at: Option<i64>, now: i64) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let purge_at = self.purge_at.load(Ordering::Relaxed).max(FIRST_PURGE_AT);
        if entries.len() >= purge_at {
            entries.retain(|_, exp| *exp > now);
            self.purge_at
                .store((entries.len() * 2).max(FIRST_PURGE_AT), Ordering::Relaxed);
        }
        entries.insert(jti.into(), expires_at.unwrap_or(i64::MAX));
        self.len.store(entries.len(), Ordering::Release);
    }

    /// How many entries are held (revoked tokens not yet purged).
    pub fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Blocklist for MemoryBlocklist {
    fn is_revoked<'a>(&'a self, jti: &'a str) -> LocalBoxFuture<'a, Result<bool, BlocklistError>> {
        Box::pin(ready(Ok(self.contains(jti, now()))))
    }

    fn revoke<'a>(
        &'a self,
        jti: &'a str,
        expires_at: Option<i64>,
    ) -> LocalBoxFuture<'a, Result<(), BlocklistError>> {
        self.insert(jti, expires_at, now());
        Box::pin(ready(Ok(())))
    }
}

fn now() -> i64 {
    crate::time::now().trunc() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_are_purged() {
        let blocklist = MemoryBlocklist::new();
        assert!(!blocklist.contains("a", 100));
        blocklist.insert("a", Some(200), 100);
        assert!(blocklist.contains("a", 150));
        assert!(!blocklist.contains("a", 200));
        for index in 1..FIRST_PURGE_AT {
            blocklist.insert(&index.to_string(), Some(150), 100);
        }
        // The next insertion after expiry purges every dead entry.
        blocklist.insert("b", None, 300);
        assert_eq!(blocklist.len(), 1);
        assert!(blocklist.contains("b", i64::MAX - 1));
    }
}
