//! The Redis blocklist: revocations shared by every process that uses one Redis.

use std::{fmt, time::Duration};

use futures_util::future::LocalBoxFuture;
use redis::{
    Client,
    aio::{ConnectionManager, ConnectionManagerConfig},
};

use super::{Blocklist, BlocklistError};

/// Revoked `jti`s kept in Redis as `SET <prefix><jti> 1 EX <seconds left>`, so Redis
/// forgets each one when its token expires.
///
/// One check is one round trip (`EXISTS` over the token's `jti` and its login's), over
/// one multiplexed connection that reconnects by itself. When Redis cannot be reached,
/// checks fail with an error, and verification refuses the request with 503: a revoked
/// token is never let through because Redis is down.
#[derive(Clone)]
pub struct RedisBlocklist {
    connection: ConnectionManager,
    prefix: String,
}

impl fmt::Debug for RedisBlocklist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBlocklist")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisBlocklist {
    /// The key prefix used unless another is given.
    pub const DEFAULT_PREFIX: &'static str = "jwt_blocklist:";

    /// A blocklist on the Redis at `url` (`redis://127.0.0.1:6379/0`), with keys
    /// `jwt_blocklist:<jti>`. Connects lazily, so it works even if Redis starts later;
    /// must be called inside the actix (Tokio) runtime.
    pub fn new(url: &str) -> Result<Self, BlocklistError> {
        Self::with_prefix(url, Self::DEFAULT_PREFIX)
    }

    /// Like [`RedisBlocklist::new`], with keys `<prefix><jti>`.
    pub fn with_prefix(url: &str, prefix: &str) -> Result<Self, BlocklistError> {
        let client = Client::open(url).map_err(redis_error)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let connection =
            ConnectionManager::new_lazy_with_config(client, config).map_err(redis_error)?;
        Ok(RedisBlocklist {
            connection,
            prefix: prefix.to_owned(),
        })
    }

    /// Like [`RedisBlocklist::new`], and checks now that Redis answers.
    pub async fn connect(url: &str) -> Result<Self, BlocklistError> {
        let blocklist = Self::new(url)?;
        blocklist.ping().await?;
        Ok(blocklist)
    }

    /// Asks Redis for a `PONG`.
    pub async fn ping(&self) -> Result<(), BlocklistError> {
        let mut connection = self.connection.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut connection)
            .await
            .map(drop)
            .map_err(redis_error)
    }

    fn key(&self, jti: &str) -> String {
        format!("{}{jti}", self.prefix)
    }
}

impl Blocklist for RedisBlocklist {
    fn is_revoked<'a>(&'a self, jti: &'a str) -> LocalBoxFuture<'a, Result<bool, BlocklistError>> {
        self.any_revoked_owned(vec![self.key(jti)])
    }

    fn any_revoked<'a>(
        &'a self,
        jtis: &'a [&'a str],
    ) -> LocalBoxFuture<'a, Result<bool, BlocklistError>> {
        self.any_revoked_owned(jtis.iter().map(|jti| self.key(jti)).collect())
    }

    fn revoke<'a>(
        &'a self,
        jti: &'a str,
        expires_at: Option<i64>,
    ) -> LocalBoxFuture<'a, Result<(), BlocklistError>> {
        let key = self.key(jti);
        let mut connection = self.connection.clone();
        Box::pin(async move {
            let mut command = redis::cmd("SET");
            command.arg(&key).arg(1);
            if let Some(exp) = expires_at {
                let left = exp - crate::time::now().trunc() as i64;
                if left <= 0 {
                    // Already expired: verification refuses it without the blocklist.
                    return Ok(());
                }
                command.arg("EX").arg(left);
            }
            command
                .query_async::<()>(&mut connection)
                .await
                .map_err(redis_error)
        })
    }
}

impl RedisBlocklist {
    fn any_revoked_owned(
        &self,
        keys: Vec<String>,
    ) -> LocalBoxFuture<'static, Result<bool, BlocklistError>> {
        let mut connection = self.connection.clone();
        Box::pin(async move {
            let found: u64 = redis::cmd("EXISTS")
                .arg(&keys)
                .query_async(&mut connection)
                .await
                .map_err(redis_error)?;
            Ok(found > 0)
        })
    }
}

fn redis_error(error: redis::RedisError) -> BlocklistError {
    BlocklistError::new(format!("redis: {error}"))
}
