//! The settings kept at flask's defaults for parity that are weak in production.

use crate::config::{JwtConfig, Location};

/// The settings kept at flask's defaults for parity that are weak in production, each
/// with the fix: cookies without `Secure` or `SameSite`, and an HMAC secret shorter than
/// 32 bytes. Logged as warnings when a release build creates its manager.
pub fn weak_settings(config: &JwtConfig) -> Vec<String> {
    let mut warnings = Vec::new();
    let uses_cookies = config.token_location.contains(&Location::Cookies);
    if uses_cookies && !config.cookie_secure {
        warnings.push(
            "cookies are sent without `Secure` (JWT_COOKIE_SECURE=false): browsers will send \
             the token over plain HTTP; set `cookie_secure = true` in production"
                .to_owned(),
        );
    }
    if uses_cookies && config.cookie_samesite.is_none() {
        warnings.push(
            "cookies are sent without `SameSite` (JWT_COOKIE_SAMESITE unset): set \
             `cookie_samesite = Some(SameSite::Lax)` (or `Strict`) as a second line of CSRF defence"
                .to_owned(),
        );
    }
    let hmac = config.algorithm.family() == jsonwebtoken::AlgorithmFamily::Hmac;
    let secret_len = config.secret_key.as_ref().map_or(0, String::len);
    if hmac && secret_len < 32 {
        warnings.push(format!(
            "JWT_SECRET_KEY is {secret_len} bytes: an HMAC secret shorter than 32 bytes can be \
             brute-forced offline from one token; use at least 32 random bytes (RFC 7518 §3.2)"
        ));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SameSite;

    #[test]
    fn flask_defaults_with_cookies_and_a_short_secret_warn_three_times() {
        let config = JwtConfig {
            secret_key: Some("short".into()),
            token_location: vec![Location::Cookies],
            ..JwtConfig::default()
        };
        let warnings = weak_settings(&config);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].contains("cookie_secure = true"), "{warnings:?}");
        assert!(warnings[1].contains("SameSite::Lax"), "{warnings:?}");
        assert!(
            warnings[2].contains("JWT_SECRET_KEY is 5 bytes"),
            "{warnings:?}"
        );
    }

    #[test]
    fn production_settings_do_not_warn() {
        let config = JwtConfig {
            secret_key: Some("a secret of at least thirty-two bytes!".into()),
            token_location: vec![Location::Headers, Location::Cookies],
            cookie_secure: true,
            cookie_samesite: Some(SameSite::Strict),
            ..JwtConfig::default()
        };
        assert_eq!(weak_settings(&config), Vec::<String>::new());
        // Header tokens alone need no cookie attributes.
        let headers_only = JwtConfig {
            secret_key: config.secret_key.clone(),
            ..JwtConfig::default()
        };
        assert_eq!(weak_settings(&headers_only), Vec::<String>::new());
    }
}
