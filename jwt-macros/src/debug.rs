//! Printing expansions while developing: set `ACTIX_JWT_EXTENDED_MACROS_DEBUG` when
//! building and every expansion of `#[jwt_required]` and `#[claims]` goes to stderr.

use proc_macro2::TokenStream;

/// The environment variable that turns printing on.
const DEBUG_VAR: &str = "ACTIX_JWT_EXTENDED_MACROS_DEBUG";

/// Prints `output` to stderr when [`DEBUG_VAR`] is set, and hands it back.
pub(crate) fn print_expansion(output: TokenStream) -> TokenStream {
    if std::env::var_os(DEBUG_VAR).is_some() {
        eprintln!("{output}");
    }
    output
}
