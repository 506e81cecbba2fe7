//! Test binary `hostile`: hostile input, the attack corpus (one row per attack, each with
//! its exact answer) and property tests (any bytes in any location answer 4xx, never 500).

#[path = "../support/mod.rs"]
mod support;

mod attacks;
mod properties;
