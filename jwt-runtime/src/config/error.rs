//! Why a configuration was refused.

use std::fmt;

use super::Location;

/// Why a [`crate::JwtConfig`] was refused when building the [`crate::JwtManager`].
///
/// Every variant names the flask option at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// `JWT_SECRET_KEY` is missing or empty while an `HS*` algorithm is used.
    MissingSecretKey(jsonwebtoken::Algorithm),
    /// `JWT_PRIVATE_KEY` is missing while an asymmetric algorithm is used.
    MissingPrivateKey(jsonwebtoken::Algorithm),
    /// `JWT_PUBLIC_KEY` is missing while an asymmetric algorithm is used.
    MissingPublicKey(jsonwebtoken::Algorithm),
    /// A PEM key could not be parsed for the algorithm.
    InvalidKey {
        /// `JWT_PRIVATE_KEY` or `JWT_PUBLIC_KEY`.
        option: &'static str,
        /// The algorithm the key was read for.
        algorithm: jsonwebtoken::Algorithm,
        /// What the PEM parser said.
        reason: String,
    },
    /// `JWT_DECODE_ALGORITHMS` holds an algorithm whose key family differs from
    /// `JWT_ALGORITHM`'s (one key cannot verify both; accepting both invites key confusion).
    MixedAlgorithmFamilies {
        /// The signing algorithm.
        algorithm: jsonwebtoken::Algorithm,
        /// The decode algorithm of another family.
        other: jsonwebtoken::Algorithm,
    },
    /// An algorithm name that is not supported.
    UnknownAlgorithm {
        /// The option (environment variable) that held it.
        option: String,
        /// The name given.
        value: String,
    },
    /// `JWT_TOKEN_LOCATION` is empty.
    EmptyTokenLocation,
    /// `JWT_TOKEN_LOCATION` names something other than `headers`, `cookies`,
    /// `query_string` or `json`.
    UnknownTokenLocation(String),
    /// `JWT_TOKEN_LOCATION` names a location twice.
    DuplicateTokenLocation(Location),
    /// An option that must not be empty is empty.
    Empty(&'static str),
    /// A size option is below its minimum.
    TooSmall {
        /// The option.
        option: &'static str,
        /// The smallest accepted value.
        minimum: usize,
    },
    /// A header-name option is not a valid HTTP header name.
    InvalidHeaderName {
        /// The option.
        option: &'static str,
        /// Its value.
        value: String,
    },
    /// `JWT_HEADER_TYPE` contains whitespace (it is one word, or empty).
    InvalidHeaderType(String),
    /// A cookie-name option is not a valid cookie name.
    InvalidCookieName {
        /// The option.
        option: &'static str,
        /// Its value.
        value: String,
    },
    /// A cookie path or domain option is empty or holds a space, `;` or a control
    /// character.
    InvalidCookieAttribute {
        /// The option.
        option: &'static str,
        /// Its value.
        value: String,
    },
    /// `JWT_COOKIE_SAMESITE` is not `Strict`, `Lax` or `None`.
    InvalidSameSite(String),
    /// `JWT_CSRF_METHODS` holds an entry that is not an upper-case method name
    /// (flask compares with the upper-case request method, so it would never match).
    InvalidCsrfMethod(String),
    /// An environment variable could not be parsed.
    InvalidEnvVar {
        /// The variable.
        name: String,
        /// Its value.
        value: String,
        /// What was expected.
        expected: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingSecretKey(algorithm) => write!(
                f,
                "JWT_SECRET_KEY must be set when using symmetric algorithm \"{algorithm:?}\""
            ),
            ConfigError::MissingPrivateKey(algorithm) => write!(
                f,
                "JWT_PRIVATE_KEY must be set to use asymmetric cryptography algorithm \"{algorithm:?}\""
            ),
            ConfigError::MissingPublicKey(algorithm) => write!(
                f,
                "JWT_PUBLIC_KEY must be set to use asymmetric cryptography algorithm \"{algorithm:?}\""
            ),
            ConfigError::InvalidKey {
                option,
                algorithm,
                reason,
            } => write!(
                f,
                "{option} is not a valid PEM key for algorithm \"{algorithm:?}\": {reason}"
            ),
            ConfigError::MixedAlgorithmFamilies { algorithm, other } => write!(
                f,
                "JWT_DECODE_ALGORITHMS contains \"{other:?}\", whose key family differs from JWT_ALGORITHM \"{algorithm:?}\""
            ),
            ConfigError::UnknownAlgorithm { option, value } => {
                write!(f, "{option} names an unsupported algorithm \"{value}\"")
            }
            ConfigError::EmptyTokenLocation => f.write_str(
                "JWT_TOKEN_LOCATION must contain at least one of \"headers\", \"cookies\", \"query_string\", or \"json\"",
            ),
            ConfigError::UnknownTokenLocation(name) => write!(
                f,
                "JWT_TOKEN_LOCATION can only contain \"headers\", \"cookies\", \"query_string\", or \"json\", not \"{name}\""
            ),
            ConfigError::DuplicateTokenLocation(location) => {
                write!(f, "JWT_TOKEN_LOCATION contains \"{location}\" twice")
            }
            ConfigError::Empty(option) => write!(f, "{option} cannot be empty"),
            ConfigError::TooSmall { option, minimum } => {
                write!(f, "{option} must be at least {minimum}")
            }
            ConfigError::InvalidHeaderName { option, value } => {
                write!(f, "{option} is not a valid HTTP header name: \"{value}\"")
            }
            ConfigError::InvalidHeaderType(value) => write!(
                f,
                "JWT_HEADER_TYPE must be one word without whitespace (or empty), not \"{value}\""
            ),
            ConfigError::InvalidCookieName { option, value } => {
                write!(f, "{option} is not a valid cookie name: \"{value}\"")
            }
            ConfigError::InvalidCookieAttribute { option, value } => {
                write!(f, "{option} is not a valid cookie attribute value: \"{value}\"")
            }
            ConfigError::InvalidSameSite(value) => write!(
                f,
                "JWT_COOKIE_SAMESITE must be 'Strict', 'Lax', or 'None', not \"{value}\""
            ),
            ConfigError::InvalidCsrfMethod(value) => write!(
                f,
                "JWT_CSRF_METHODS must hold upper-case method names, not \"{value}\""
            ),
            ConfigError::InvalidEnvVar {
                name,
                value,
                expected,
            } => write!(f, "{name}={value:?} is invalid: expected {expected}"),
        }
    }
}

impl std::error::Error for ConfigError {}
