//! The clock, in UNIX seconds with fractions (PyJWT compares claims with a float `now`).

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the UNIX epoch, with fractions.
pub(crate) fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs_f64())
        .unwrap_or(0.0)
}
