//! Compile-time behaviour of the macros: what they reject (with which message, at
//! which token) and the odd contexts their expansions must compile in.
//!
//! Regenerate the `.stderr` snapshots with `TRYBUILD=overwrite cargo test --test
//! compiletest`, then read the diff: every message and caret is part of the contract.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/jwt_required/fail/*.rs");
    t.pass("tests/ui/jwt_required/pass/*.rs");
    // One `TestCases` for every macro, so trybuild builds the dependencies only once.
    t.compile_fail("tests/ui/claims/fail/*.rs");
    t.pass("tests/ui/claims/pass/*.rs");
}
