//! Validating a [`JwtConfig`] once, when the manager is built, into the parsed form the
//! request path uses.
//!
//! Every text option is listed once, with the rule its value must follow; the checks run
//! in a fixed order and the first problem is the error, naming the option. What needs
//! the keys (secrets, PEM keys, algorithm families) is checked by `keys`.

use actix_web::http::header::HeaderName;

use super::{ConfigError, JwtConfig, Location, OneOrMany};

/// The smallest accepted `JWT_MAX_TOKEN_SIZE`: a header and a signature alone need it.
const MIN_TOKEN_SIZE: usize = 64;

/// What validation hands on: the options the request path would otherwise parse on every
/// request.
#[derive(Debug, Clone)]
pub(crate) struct Validated {
    pub(crate) header_names: HeaderNames,
}

/// The configured header names, parsed once: looking a header up by a `&str` name parses
/// (and for mixed case, lower-cases into a new allocation) on every request.
#[derive(Debug, Clone)]
pub(crate) struct HeaderNames {
    pub(crate) token: HeaderName,
    pub(crate) access_csrf: HeaderName,
    pub(crate) refresh_csrf: HeaderName,
}

impl HeaderNames {
    /// The header carrying the CSRF value for a refresh or an access token.
    pub(crate) fn csrf(&self, refresh: bool) -> &HeaderName {
        if refresh {
            &self.refresh_csrf
        } else {
            &self.access_csrf
        }
    }
}

/// What a text option must be beyond "not empty" (header names are parsed, below).
#[derive(Clone, Copy)]
enum Rule {
    NonEmpty,
    CookieName,
}

impl JwtConfig {
    /// Checks every option that does not need keys, in a fixed order, and returns the
    /// first problem, or the parsed form of the options the request path uses.
    pub(crate) fn validate(&self) -> Result<Validated, ConfigError> {
        if self.max_token_size < MIN_TOKEN_SIZE {
            return Err(ConfigError::TooSmall {
                option: "JWT_MAX_TOKEN_SIZE",
                minimum: MIN_TOKEN_SIZE,
            });
        }
        if self.token_location.is_empty() {
            return Err(ConfigError::EmptyTokenLocation);
        }
        if let Some(duplicate) = first_duplicate(&self.token_location) {
            return Err(ConfigError::DuplicateTokenLocation(duplicate));
        }
        let text_options = [
            ("JWT_HEADER_NAME", &self.header_name, Rule::NonEmpty),
            ("JWT_IDENTITY_CLAIM", &self.identity_claim, Rule::NonEmpty),
            (
                "JWT_ERROR_MESSAGE_KEY",
                &self.error_message_key,
                Rule::NonEmpty,
            ),
            (
                "JWT_ACCESS_COOKIE_NAME",
                &self.access_cookie_name,
                Rule::CookieName,
            ),
            (
                "JWT_REFRESH_COOKIE_NAME",
                &self.refresh_cookie_name,
                Rule::CookieName,
            ),
            (
                "JWT_ACCESS_CSRF_COOKIE_NAME",
                &self.access_csrf_cookie_name,
                Rule::CookieName,
            ),
            (
                "JWT_REFRESH_CSRF_COOKIE_NAME",
                &self.refresh_csrf_cookie_name,
                Rule::CookieName,
            ),
            (
                "JWT_ACCESS_CSRF_HEADER_NAME",
                &self.access_csrf_header_name,
                Rule::NonEmpty,
            ),
            (
                "JWT_REFRESH_CSRF_HEADER_NAME",
                &self.refresh_csrf_header_name,
                Rule::NonEmpty,
            ),
            (
                "JWT_ACCESS_CSRF_FIELD_NAME",
                &self.access_csrf_field_name,
                Rule::NonEmpty,
            ),
            (
                "JWT_REFRESH_CSRF_FIELD_NAME",
                &self.refresh_csrf_field_name,
                Rule::NonEmpty,
            ),
            (
                "JWT_QUERY_STRING_NAME",
                &self.query_string_name,
                Rule::NonEmpty,
            ),
            ("JWT_JSON_KEY", &self.json_key, Rule::NonEmpty),
            (
                "JWT_REFRESH_JSON_KEY",
                &self.refresh_json_key,
                Rule::NonEmpty,
            ),
        ];
        // Emptiness first for every option, then header names, the header type and cookie
        // names, so an empty value is always reported as empty.
        for (option, value, _) in &text_options {
            if value.trim().is_empty() {
                return Err(ConfigError::Empty(option));
            }
        }
        // The header names are parsed here, once, for the request path.
        let header_name = |option: &'static str, value: &String| {
            HeaderName::from_bytes(value.as_bytes()).map_err(|_| ConfigError::InvalidHeaderName {
                option,
                value: value.clone(),
            })
        };
        let header_names = HeaderNames {
            token: header_name("JWT_HEADER_NAME", &self.header_name)?,
            access_csrf: header_name("JWT_ACCESS_CSRF_HEADER_NAME", &self.access_csrf_header_name)?,
            refresh_csrf: header_name(
                "JWT_REFRESH_CSRF_HEADER_NAME",
                &self.refresh_csrf_header_name,
            )?,
        };
        if self.header_type.chars().any(char::is_whitespace) {
            return Err(ConfigError::InvalidHeaderType(self.header_type.clone()));
        }
        for (option, value, rule) in &text_options {
            if matches!(rule, Rule::CookieName) && !value.bytes().all(is_cookie_name_byte) {
                return Err(ConfigError::InvalidCookieName {
                    option,
                    value: (*value).clone(),
                });
            }
        }
        let cookie_attributes = [
            ("JWT_ACCESS_COOKIE_PATH", Some(&self.access_cookie_path)),
            ("JWT_REFRESH_COOKIE_PATH", Some(&self.refresh_cookie_path)),
            (
                "JWT_ACCESS_CSRF_COOKIE_PATH",
                Some(&self.access_csrf_cookie_path),
            ),
            (
                "JWT_REFRESH_CSRF_COOKIE_PATH",
                Some(&self.refresh_csrf_cookie_path),
            ),
            ("JWT_COOKIE_DOMAIN", self.cookie_domain.as_ref()),
        ];
        for (option, value) in cookie_attributes {
            let Some(value) = value else { continue };
            let valid =
                !value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic() && b != b';');
            if !valid {
                return Err(ConfigError::InvalidCookieAttribute {
                    option,
                    value: value.clone(),
                });
            }
        }
        for method in &self.csrf_methods {
            let valid = !method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase());
            if !valid {
                return Err(ConfigError::InvalidCsrfMethod(method.clone()));
            }
        }
        for (option, value) in [
            ("JWT_DECODE_AUDIENCE", &self.decode_audience),
            ("JWT_ENCODE_AUDIENCE", &self.encode_audience),
            ("JWT_DECODE_ISSUER", &self.decode_issuer),
        ] {
            if value.as_ref().is_some_and(OneOrMany::is_empty) {
                return Err(ConfigError::Empty(option));
            }
        }
        Ok(Validated { header_names })
    }
}

/// RFC 6265 `token` characters: what a cookie name may contain.
fn is_cookie_name_byte(byte: u8) -> bool {
    byte.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&byte)
}

fn first_duplicate(locations: &[Location]) -> Option<Location> {
    locations
        .iter()
        .enumerate()
        .find(|(index, location)| locations[..*index].contains(location))
        .map(|(_, location)| *location)
}
