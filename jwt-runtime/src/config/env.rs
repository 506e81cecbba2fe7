//! Reading flask's `JWT_*` environment variables into a [`JwtConfig`].

use std::{str::FromStr, time::Duration};

use super::{Algorithm, ConfigError, Expiry, JwtConfig, Location, OneOrMany, SameSite};

/// Reading flask's `JWT_*` environment variables.
impl JwtConfig {
    /// The defaults, overridden by every `JWT_*` variable set in the process environment.
    ///
    /// Variable names are flask's (`JWT_SECRET_KEY`, `JWT_TOKEN_LOCATION`, …). Durations
    /// are whole seconds, `false` means "never expires"; lists are comma-separated;
    /// booleans are `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`); an empty
    /// variable of an optional setting unsets it. A malformed value is an error naming
    /// the variable.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(std::env::vars())
    }

    /// Like [`Self::from_env`], reading the variables from an iterator of pairs.
    pub fn from_vars<I, K, V>(vars: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut config = JwtConfig::default();
        for (name, value) in vars {
            config.set_var(name.as_ref(), value.as_ref())?;
        }
        Ok(config)
    }

    fn set_var(&mut self, name: &str, value: &str) -> Result<(), ConfigError> {
        let invalid = |expected: &str| ConfigError::InvalidEnvVar {
            name: name.to_owned(),
            value: value.to_owned(),
            expected: expected.to_owned(),
        };
        let string = || value.to_owned();
        let optional = || (!value.is_empty()).then(|| value.to_owned());
        let one_or_many = || {
            let values = split_list(value);
            match values.len() {
                0 => None,
                1 => values.into_iter().next().map(OneOrMany::One),
                _ => Some(OneOrMany::Many(values)),
            }
        };
        let boolean = || parse_bool(value).ok_or_else(|| invalid("`true` or `false`"));
        let expiry = || parse_expiry(value).ok_or_else(|| invalid("whole seconds or `false`"));
        let algorithm = |text: &str| {
            Algorithm::from_str(text.trim()).map_err(|_| ConfigError::UnknownAlgorithm {
                option: name.to_owned(),
                value: text.trim().to_owned(),
            })
        };
        match name {
            "JWT_ACCESS_TOKEN_EXPIRES" => self.access_token_expires = expiry()?,
            "JWT_REFRESH_TOKEN_EXPIRES" => self.refresh_token_expires = expiry()?,
            "JWT_ALGORITHM" => self.algorithm = algorithm(value)?,
            "JWT_DECODE_ALGORITHMS" => {
                self.decode_algorithms = split_list(value)
                    .iter()
                    .map(|text| algorithm(text))
                    .collect::<Result<_, _>>()?;
            }
            "JWT_SECRET_KEY" => self.secret_key = optional(),
            "JWT_PRIVATE_KEY" => self.private_key = optional(),
            "JWT_PUBLIC_KEY" => self.public_key = optional(),
            "JWT_DECODE_AUDIENCE" => self.decode_audience = one_or_many(),
            "JWT_ENCODE_AUDIENCE" => self.encode_audience = one_or_many(),
            "JWT_DECODE_ISSUER" => self.decode_issuer = one_or_many(),
            "JWT_ENCODE_ISSUER" => self.encode_issuer = optional(),
            "JWT_DECODE_LEEWAY" => {
                self.decode_leeway = value
                    .trim()
                    .parse()
                    .map(Duration::from_secs)
                    .map_err(|_| invalid("whole seconds"))?;
            }
            "JWT_ENCODE_NBF" => self.encode_nbf = boolean()?,
            "JWT_IDENTITY_CLAIM" => self.identity_claim = string(),
            "JWT_VERIFY_SUB" => self.verify_sub = boolean()?,
            "JWT_ERROR_MESSAGE_KEY" => self.error_message_key = string(),
            "JWT_TOKEN_LOCATION" => {
                self.token_location = split_list(value)
                    .iter()
                    .map(|text| text.parse())
                    .collect::<Result<_, _>>()?;
            }
            "JWT_HEADER_NAME" => self.header_name = string(),
            "JWT_HEADER_TYPE" => self.header_type = string(),
            "JWT_ACCESS_COOKIE_NAME" => self.access_cookie_name = string(),
            "JWT_REFRESH_COOKIE_NAME" => self.refresh_cookie_name = string(),
            "JWT_ACCESS_COOKIE_PATH" => self.access_cookie_path = string(),
            "JWT_REFRESH_COOKIE_PATH" => self.refresh_cookie_path = string(),
            "JWT_COOKIE_SECURE" => self.cookie_secure = boolean()?,
            "JWT_COOKIE_DOMAIN" => self.cookie_domain = optional(),
            "JWT_COOKIE_SAMESITE" => {
                self.cookie_samesite = match value.trim() {
                    "" => None,
                    text => Some(text.parse()?),
                };
            }
            "JWT_SESSION_COOKIE" => self.session_cookie = boolean()?,
            "JWT_COOKIE_CSRF_PROTECT" => self.cookie_csrf_protect = boolean()?,
            "JWT_CSRF_METHODS" => self.csrf_methods = split_list(value),
            "JWT_CSRF_IN_COOKIES" => self.csrf_in_cookies = boolean()?,
            "JWT_ACCESS_CSRF_COOKIE_NAME" => self.access_csrf_cookie_name = string(),
            "JWT_REFRESH_CSRF_COOKIE_NAME" => self.refresh_csrf_cookie_name = string(),
            "JWT_ACCESS_CSRF_COOKIE_PATH" => self.access_csrf_cookie_path = string(),
            "JWT_REFRESH_CSRF_COOKIE_PATH" => self.refresh_csrf_cookie_path = string(),
            "JWT_ACCESS_CSRF_HEADER_NAME" => self.access_csrf_header_name = string(),
            "JWT_REFRESH_CSRF_HEADER_NAME" => self.refresh_csrf_header_name = string(),
            "JWT_CSRF_CHECK_FORM" => self.csrf_check_form = boolean()?,
            "JWT_ACCESS_CSRF_FIELD_NAME" => self.access_csrf_field_name = string(),
            "JWT_REFRESH_CSRF_FIELD_NAME" => self.refresh_csrf_field_name = string(),
            "JWT_QUERY_STRING_NAME" => self.query_string_name = string(),
            "JWT_QUERY_STRING_VALUE_PREFIX" => self.query_string_value_prefix = string(),
            "JWT_JSON_KEY" => self.json_key = string(),
            "JWT_REFRESH_JSON_KEY" => self.refresh_json_key = string(),
            "JWT_REQUIRE_EXP" => self.require_exp = boolean()?,
            "JWT_MAX_TOKEN_SIZE" => {
                self.max_token_size = value
                    .trim()
                    .parse()
                    .map_err(|_| invalid("a size in bytes"))?;
            }
            // Other variables, including options flask 4 removed, are ignored as flask does.
            _ => {}
        }
        Ok(())
    }
}

/// A location by its flask name (`headers`, `cookies`, `query_string`, `json`).
impl FromStr for Location {
    type Err = ConfigError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Location::ALL
            .into_iter()
            .find(|location| location.as_str() == name)
            .ok_or_else(|| ConfigError::UnknownTokenLocation(name.to_owned()))
    }
}

impl FromStr for SameSite {
    type Err = ConfigError;

    /// Parses `Strict`, `Lax` or `None`, case-insensitively (Werkzeug title-cases it).
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.to_ascii_lowercase().as_str() {
            "strict" => Ok(SameSite::Strict),
            "lax" => Ok(SameSite::Lax),
            "none" => Ok(SameSite::None),
            _ => Err(ConfigError::InvalidSameSite(value.to_owned())),
        }
    }
}
fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn parse_expiry(value: &str) -> Option<Expiry> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("false") {
        return Some(Expiry::Never);
    }
    value
        .parse()
        .ok()
        .map(|seconds| Expiry::After(Duration::from_secs(seconds)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::{Location, SameSite};

    #[test]
    fn from_vars_reads_flask_names() {
        let config = JwtConfig::from_vars([
            ("JWT_ACCESS_TOKEN_EXPIRES", "60"),
            ("JWT_REFRESH_TOKEN_EXPIRES", "false"),
            ("JWT_TOKEN_LOCATION", "headers, cookies"),
            ("JWT_COOKIE_SAMESITE", "lax"),
            ("JWT_DECODE_AUDIENCE", "a,b"),
            ("JWT_SESSION_COOKIE", "False"),
            ("UNRELATED", "x"),
        ])
        .expect("valid variables");
        assert_eq!(
            config.access_token_expires,
            Expiry::After(Duration::from_secs(60))
        );
        assert_eq!(config.refresh_token_expires, Expiry::Never);
        assert_eq!(
            config.token_location,
            vec![Location::Headers, Location::Cookies]
        );
        assert_eq!(config.cookie_samesite, Some(SameSite::Lax));
        assert_eq!(
            config.decode_audience,
            Some(OneOrMany::Many(vec!["a".into(), "b".into()]))
        );
        assert!(!config.session_cookie);
    }

    #[test]
    fn from_vars_names_the_bad_variable() {
        let error = JwtConfig::from_vars([("JWT_ENCODE_NBF", "maybe")]).unwrap_err();
        assert!(error.to_string().contains("JWT_ENCODE_NBF"), "{error}");
        let error = JwtConfig::from_vars([("JWT_TOKEN_LOCATION", "header")]).unwrap_err();
        assert!(error.to_string().contains("header"), "{error}");
    }
}
