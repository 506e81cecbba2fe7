//! Test binary `redis`: the Redis blocklist store against a real `redis-server` (with the
//! `redis` feature; without `redis-server` the tests print `SKIPPED`).

#[path = "../support/mod.rs"]
mod support;

mod redis_blocklist;
