//! Configuration: flask-jwt-extended's `tests/test_config.py` and flask's
//! defaults for every `JWT_*` option.
//!
//! flask validates lazily and answers 500 at the first request; the port validates the
//! whole config in `JwtManager::new` and refuses to start, with an error naming the
//! option. Defaults must equal flask's, field for field.

use std::time::Duration;

use crate::support::{self, SECRET, assert_decode_error, encode_token_with, fixture};
use actix_jwt_extended::{
    Algorithm, ConfigError, Expiry, JwtConfig, JwtManager, Location, OneOrMany, SameSite,
};
use serde_json::json;

fn s(value: &str) -> String {
    value.to_owned()
}

/// `JwtManager::new(config)`, expecting an error.
#[track_caller]
fn refused(config: JwtConfig) -> ConfigError {
    match JwtManager::new(config) {
        Ok(manager) => panic!("config accepted: {manager:?}"),
        Err(error) => error,
    }
}

/// The config with `edit` applied, expecting `JwtManager::new` to refuse it with an
/// error whose text mentions `option`.
#[track_caller]
fn refused_naming(option: &str, edit: impl FnOnce(&mut JwtConfig)) -> ConfigError {
    let mut config = support::config();
    edit(&mut config);
    let error = refused(config);
    assert!(
        error.to_string().contains(option),
        "error should name {option}: {error}"
    );
    error
}

fn asymmetric(algorithm: Algorithm, private: &str, public: &str) -> JwtConfig {
    JwtConfig {
        algorithm,
        private_key: Some(fixture(private)),
        public_key: Some(fixture(public)),
        ..JwtConfig::default()
    }
}

#[test]
fn test_default_configs() {
    let config = JwtConfig::default();

    // General.
    assert_eq!(
        config.access_token_expires,
        Expiry::After(Duration::from_secs(15 * 60))
    );
    assert_eq!(
        config.refresh_token_expires,
        Expiry::After(Duration::from_secs(30 * 24 * 60 * 60))
    );
    assert_eq!(config.algorithm, Algorithm::HS256);
    assert_eq!(config.decode_algorithms, Vec::<Algorithm>::new());
    assert_eq!(config.secret_key, None);
    assert_eq!(config.private_key, None);
    assert_eq!(config.public_key, None);
    assert_eq!(config.decode_audience, None);
    assert_eq!(config.encode_audience, None);
    assert_eq!(config.decode_issuer, None);
    assert_eq!(config.encode_issuer, None);
    assert_eq!(config.decode_leeway, Duration::ZERO);
    assert!(config.encode_nbf);
    assert_eq!(config.identity_claim, "sub");
    assert!(config.verify_sub);
    assert_eq!(config.error_message_key, "msg");
    assert_eq!(config.token_location, vec![Location::Headers]);

    // Headers.
    assert_eq!(config.header_name, "Authorization");
    assert_eq!(config.header_type, "Bearer");

    // Cookies.
    assert_eq!(config.access_cookie_name, "access_token_cookie");
    assert_eq!(config.refresh_cookie_name, "refresh_token_cookie");
    assert_eq!(config.access_cookie_path, "/");
    assert_eq!(config.refresh_cookie_path, "/");
    assert!(!config.cookie_secure);
    assert_eq!(config.cookie_domain, None);
    assert_eq!(config.cookie_samesite, None);
    assert!(config.session_cookie);
    assert!(config.cookie_csrf_protect);

    // CSRF.
    assert_eq!(config.csrf_methods, ["POST", "PUT", "PATCH", "DELETE"]);
    assert!(config.csrf_in_cookies);
    assert_eq!(config.access_csrf_cookie_name, "csrf_access_token");
    assert_eq!(config.refresh_csrf_cookie_name, "csrf_refresh_token");
    assert_eq!(config.access_csrf_cookie_path, "/");
    assert_eq!(config.refresh_csrf_cookie_path, "/");
    assert_eq!(config.access_csrf_header_name, "X-CSRF-TOKEN");
    assert_eq!(config.refresh_csrf_header_name, "X-CSRF-TOKEN");
    assert!(!config.csrf_check_form);
    assert_eq!(config.access_csrf_field_name, "csrf_token");
    assert_eq!(config.refresh_csrf_field_name, "csrf_token");

    // Query string and JSON body.
    assert_eq!(config.query_string_name, "jwt");
    assert_eq!(config.query_string_value_prefix, "");
    assert_eq!(config.json_key, "access_token");
    assert_eq!(config.refresh_json_key, "refresh_token");
}

#[test]
fn test_defaults_match_flask_fixture_dump() {
    // tokens.json records flask's full default config (`default_config`).
    let fixtures: serde_json::Value =
        serde_json::from_str(&fixture("tokens.json")).expect("tokens.json");
    let flask = &fixtures["default_config"];
    let config = JwtConfig::default();
    let expiry_seconds = |expiry: Expiry| {
        expiry
            .duration()
            .map_or(json!(false), |duration| json!(duration.as_secs()))
    };
    let text = |value: &Option<String>| value.as_deref().map_or(json!(null), |v| json!(v));
    let ours: Vec<(&str, serde_json::Value)> = vec![
        ("JWT_ACCESS_COOKIE_NAME", json!(config.access_cookie_name)),
        ("JWT_ACCESS_COOKIE_PATH", json!(config.access_cookie_path)),
        (
            "JWT_ACCESS_CSRF_COOKIE_NAME",
            json!(config.access_csrf_cookie_name),
        ),
        (
            "JWT_ACCESS_CSRF_COOKIE_PATH",
            json!(config.access_csrf_cookie_path),
        ),
        (
            "JWT_ACCESS_CSRF_FIELD_NAME",
            json!(config.access_csrf_field_name),
        ),
        (
            "JWT_ACCESS_CSRF_HEADER_NAME",
            json!(config.access_csrf_header_name),
        ),
        (
            "JWT_ACCESS_TOKEN_EXPIRES",
            json!(expiry_seconds(config.access_token_expires)),
        ),
        ("JWT_ALGORITHM", json!(format!("{:?}", config.algorithm))),
        ("JWT_COOKIE_CSRF_PROTECT", json!(config.cookie_csrf_protect)),
        ("JWT_COOKIE_DOMAIN", json!(text(&config.cookie_domain))),
        (
            "JWT_COOKIE_SAMESITE",
            json!(config.cookie_samesite.map(SameSite::as_str)),
        ),
        ("JWT_COOKIE_SECURE", json!(config.cookie_secure)),
        ("JWT_CSRF_CHECK_FORM", json!(config.csrf_check_form)),
        ("JWT_CSRF_IN_COOKIES", json!(config.csrf_in_cookies)),
        ("JWT_CSRF_METHODS", json!(config.csrf_methods)),
        // flask: None, meaning [JWT_ALGORITHM]; here: empty, meaning the same.
        (
            "JWT_DECODE_ALGORITHMS",
            json!(if config.decode_algorithms.is_empty() {
                json!(null)
            } else {
                json!("set")
            }),
        ),
        (
            "JWT_DECODE_AUDIENCE",
            json!(config.decode_audience.as_ref().map(|_| "set")),
        ),
        (
            "JWT_DECODE_ISSUER",
            json!(config.decode_issuer.as_ref().map(|_| "set")),
        ),
        ("JWT_DECODE_LEEWAY", json!(config.decode_leeway.as_secs())),
        (
            "JWT_ENCODE_AUDIENCE",
            json!(config.encode_audience.as_ref().map(|_| "set")),
        ),
        ("JWT_ENCODE_ISSUER", json!(text(&config.encode_issuer))),
        ("JWT_ENCODE_NBF", json!(config.encode_nbf)),
        ("JWT_ERROR_MESSAGE_KEY", json!(config.error_message_key)),
        ("JWT_HEADER_NAME", json!(config.header_name)),
        ("JWT_HEADER_TYPE", json!(config.header_type)),
        ("JWT_IDENTITY_CLAIM", json!(config.identity_claim)),
        ("JWT_JSON_KEY", json!(config.json_key)),
        ("JWT_PRIVATE_KEY", json!(text(&config.private_key))),
        ("JWT_PUBLIC_KEY", json!(text(&config.public_key))),
        ("JWT_QUERY_STRING_NAME", json!(config.query_string_name)),
        (
            "JWT_QUERY_STRING_VALUE_PREFIX",
            json!(config.query_string_value_prefix),
        ),
        ("JWT_REFRESH_COOKIE_NAME", json!(config.refresh_cookie_name)),
        ("JWT_REFRESH_COOKIE_PATH", json!(config.refresh_cookie_path)),
        (
            "JWT_REFRESH_CSRF_COOKIE_NAME",
            json!(config.refresh_csrf_cookie_name),
        ),
        (
            "JWT_REFRESH_CSRF_COOKIE_PATH",
            json!(config.refresh_csrf_cookie_path),
        ),
        (
            "JWT_REFRESH_CSRF_FIELD_NAME",
            json!(config.refresh_csrf_field_name),
        ),
        (
            "JWT_REFRESH_CSRF_HEADER_NAME",
            json!(config.refresh_csrf_header_name),
        ),
        ("JWT_REFRESH_JSON_KEY", json!(config.refresh_json_key)),
        (
            "JWT_REFRESH_TOKEN_EXPIRES",
            json!(expiry_seconds(config.refresh_token_expires)),
        ),
        ("JWT_SECRET_KEY", json!(text(&config.secret_key))),
        ("JWT_SESSION_COOKIE", json!(config.session_cookie)),
        (
            "JWT_TOKEN_LOCATION",
            json!(
                config
                    .token_location
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
            ),
        ),
        ("JWT_VERIFY_SUB", json!(config.verify_sub)),
    ];
    let flask = flask.as_object().expect("default_config object");
    let ours: serde_json::Map<String, serde_json::Value> = ours
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
    for (name, value) in flask {
        assert_eq!(ours.get(name), Some(value), "default of {name}");
    }
    assert_eq!(ours.len(), flask.len(), "every flask option is covered");
}

#[test]
fn test_override_configs() {
    let config = JwtConfig::from_vars([
        ("JWT_TOKEN_LOCATION", "cookies, query_string,json"),
        ("JWT_HEADER_NAME", "TestHeader"),
        ("JWT_HEADER_TYPE", "TestType"),
        ("JWT_JSON_KEY", "TestKey"),
        ("JWT_REFRESH_JSON_KEY", "TestRefreshKey"),
        ("JWT_QUERY_STRING_NAME", "banana"),
        ("JWT_QUERY_STRING_VALUE_PREFIX", "Bearer "),
        ("JWT_ACCESS_COOKIE_NAME", "new_access_cookie"),
        ("JWT_REFRESH_COOKIE_NAME", "new_refresh_cookie"),
        ("JWT_ACCESS_COOKIE_PATH", "/access/path"),
        ("JWT_REFRESH_COOKIE_PATH", "/refresh/path"),
        ("JWT_COOKIE_SECURE", "true"),
        ("JWT_COOKIE_DOMAIN", ".example.com"),
        ("JWT_SESSION_COOKIE", "false"),
        ("JWT_COOKIE_SAMESITE", "Strict"),
        ("JWT_COOKIE_CSRF_PROTECT", "False"),
        ("JWT_CSRF_METHODS", "GET, POST"),
        ("JWT_CSRF_IN_COOKIES", "0"),
        ("JWT_CSRF_CHECK_FORM", "yes"),
        ("JWT_ACCESS_CSRF_COOKIE_NAME", "access_csrf_cookie"),
        ("JWT_REFRESH_CSRF_COOKIE_NAME", "refresh_csrf_cookie"),
        ("JWT_ACCESS_CSRF_COOKIE_PATH", "/csrf/access/path"),
        ("JWT_REFRESH_CSRF_COOKIE_PATH", "/csrf/refresh/path"),
        ("JWT_ACCESS_CSRF_HEADER_NAME", "X-ACCESS-CSRF"),
        ("JWT_REFRESH_CSRF_HEADER_NAME", "X-REFRESH-CSRF"),
        ("JWT_ACCESS_CSRF_FIELD_NAME", "access_field"),
        ("JWT_REFRESH_CSRF_FIELD_NAME", "refresh_field"),
        ("JWT_ACCESS_TOKEN_EXPIRES", "300"),
        ("JWT_REFRESH_TOKEN_EXPIRES", "432000"),
        ("JWT_ALGORITHM", "HS512"),
        ("JWT_DECODE_ALGORITHMS", "HS256,HS384"),
        ("JWT_SECRET_KEY", "foobarbaz"),
        ("JWT_DECODE_AUDIENCE", "a,b"),
        ("JWT_ENCODE_AUDIENCE", "a"),
        ("JWT_DECODE_ISSUER", "iss"),
        ("JWT_ENCODE_ISSUER", "iss"),
        ("JWT_DECODE_LEEWAY", "30"),
        ("JWT_ENCODE_NBF", "off"),
        ("JWT_IDENTITY_CLAIM", "foo"),
        ("JWT_VERIFY_SUB", "no"),
        ("JWT_ERROR_MESSAGE_KEY", "message"),
        // Not a JWT option, and options flask 4 removed: ignored, as flask does.
        ("HOME", "/root"),
        ("JWT_BLACKLIST_ENABLED", "True"),
        ("JWT_USER_CLAIMS", "bar"),
        ("JWT_CSRF_HEADER_NAME", "Auth"),
    ])
    .expect("valid variables");

    assert_eq!(
        config.token_location,
        [Location::Cookies, Location::QueryString, Location::Json]
    );
    assert_eq!(config.header_name, "TestHeader");
    assert_eq!(config.header_type, "TestType");
    assert_eq!(config.json_key, "TestKey");
    assert_eq!(config.refresh_json_key, "TestRefreshKey");
    assert_eq!(config.query_string_name, "banana");
    assert_eq!(config.query_string_value_prefix, "Bearer ");
    assert_eq!(config.access_cookie_name, "new_access_cookie");
    assert_eq!(config.refresh_cookie_name, "new_refresh_cookie");
    assert_eq!(config.access_cookie_path, "/access/path");
    assert_eq!(config.refresh_cookie_path, "/refresh/path");
    assert!(config.cookie_secure);
    assert_eq!(config.cookie_domain.as_deref(), Some(".example.com"));
    assert!(!config.session_cookie);
    assert_eq!(config.cookie_samesite, Some(SameSite::Strict));
    assert!(!config.cookie_csrf_protect);
    assert_eq!(config.csrf_methods, ["GET", "POST"]);
    assert!(!config.csrf_in_cookies);
    assert!(config.csrf_check_form);
    assert_eq!(config.access_csrf_cookie_name, "access_csrf_cookie");
    assert_eq!(config.refresh_csrf_cookie_name, "refresh_csrf_cookie");
    assert_eq!(config.access_csrf_cookie_path, "/csrf/access/path");
    assert_eq!(config.refresh_csrf_cookie_path, "/csrf/refresh/path");
    assert_eq!(config.access_csrf_header_name, "X-ACCESS-CSRF");
    assert_eq!(config.refresh_csrf_header_name, "X-REFRESH-CSRF");
    assert_eq!(config.access_csrf_field_name, "access_field");
    assert_eq!(config.refresh_csrf_field_name, "refresh_field");
    assert_eq!(
        config.access_token_expires,
        Expiry::After(Duration::from_secs(300))
    );
    assert_eq!(
        config.refresh_token_expires,
        Expiry::After(Duration::from_secs(432_000))
    );
    assert_eq!(config.algorithm, Algorithm::HS512);
    assert_eq!(
        config.decode_algorithms,
        [Algorithm::HS256, Algorithm::HS384]
    );
    assert_eq!(config.secret_key.as_deref(), Some("foobarbaz"));
    assert_eq!(
        config.decode_audience,
        Some(OneOrMany::Many(vec![s("a"), s("b")]))
    );
    assert_eq!(config.encode_audience, Some(OneOrMany::One(s("a"))));
    assert_eq!(config.decode_issuer, Some(OneOrMany::One(s("iss"))));
    assert_eq!(config.encode_issuer.as_deref(), Some("iss"));
    assert_eq!(config.decode_leeway, Duration::from_secs(30));
    assert!(!config.encode_nbf);
    assert_eq!(config.identity_claim, "foo");
    assert!(!config.verify_sub);
    assert_eq!(config.error_message_key, "message");

    // The overridden config is a valid one.
    JwtManager::new(config).expect("valid overridden config");
}

#[test]
fn test_tokens_never_expire() {
    for value in ["false", "False", "FALSE"] {
        let config = JwtConfig::from_vars([
            ("JWT_ACCESS_TOKEN_EXPIRES", value),
            ("JWT_REFRESH_TOKEN_EXPIRES", value),
        ])
        .expect("valid variables");
        assert_eq!(config.access_token_expires, Expiry::Never);
        assert_eq!(config.refresh_token_expires, Expiry::Never);
    }
    assert_eq!(Expiry::Never.duration(), None);
    // 0 is falsy in flask: no exp either.
    assert_eq!(Expiry::After(Duration::ZERO).duration(), None);
    assert_eq!(
        Expiry::After(Duration::from_secs(1)).duration(),
        Some(Duration::from_secs(1))
    );
}

#[test]
fn test_tokens_with_int_values() {
    let config = JwtConfig::from_vars([
        ("JWT_ACCESS_TOKEN_EXPIRES", "300"),
        ("JWT_REFRESH_TOKEN_EXPIRES", "432000"),
    ])
    .expect("valid variables");
    assert_eq!(
        config.access_token_expires,
        Expiry::After(Duration::from_secs(300))
    );
    assert_eq!(
        config.refresh_token_expires,
        Expiry::After(Duration::from_secs(432_000))
    );
    assert_eq!(
        Expiry::from(Duration::from_secs(60)),
        Expiry::After(Duration::from_secs(60))
    );
}

#[test]
fn test_invalid_env_values() {
    for (name, value) in [
        ("JWT_ACCESS_TOKEN_EXPIRES", "banana"),
        ("JWT_REFRESH_TOKEN_EXPIRES", "banana"),
        // True is not a lifetime (flask raises RuntimeError).
        ("JWT_ACCESS_TOKEN_EXPIRES", "true"),
        ("JWT_REFRESH_TOKEN_EXPIRES", "True"),
        ("JWT_ACCESS_TOKEN_EXPIRES", "-5"),
        ("JWT_ENCODE_NBF", "maybe"),
        ("JWT_COOKIE_SECURE", "2"),
        ("JWT_DECODE_LEEWAY", "soon"),
    ] {
        let error = JwtConfig::from_vars([(name, value)]).expect_err(name);
        assert!(
            matches!(&error, ConfigError::InvalidEnvVar { name: n, value: v, .. } if n == name && v == value),
            "{name}={value}: {error:?}"
        );
        assert!(error.to_string().contains(name), "{error}");
    }
}

#[test]
fn test_invalid_token_location_from_vars() {
    for value in ["banana", "headers,cookies,banana", "header"] {
        let error = JwtConfig::from_vars([("JWT_TOKEN_LOCATION", value)]).expect_err(value);
        assert!(
            matches!(&error, ConfigError::UnknownTokenLocation(_)),
            "{error:?}"
        );
        assert!(
            error.to_string().starts_with(
                "JWT_TOKEN_LOCATION can only contain \"headers\", \"cookies\", \
                 \"query_string\", or \"json\""
            ),
            "{error}"
        );
    }
}

#[test]
fn test_jwt_token_locations_config() {
    for location in Location::ALL {
        let config = JwtConfig::from_vars([("JWT_TOKEN_LOCATION", location.as_str())])
            .expect("valid location");
        assert_eq!(config.token_location, [location]);
        assert_eq!(location.as_str().parse::<Location>(), Ok(location));
        assert_eq!(location.to_string(), location.as_str());
    }
    let config =
        JwtConfig::from_vars([("JWT_TOKEN_LOCATION", "headers,cookies,query_string,json")])
            .expect("valid locations");
    assert_eq!(config.token_location, Location::ALL);
    JwtManager::new({
        let mut with_secret = config;
        with_secret.secret_key = Some(SECRET.to_owned());
        with_secret
    })
    .expect("every location at once");
}

#[test]
fn test_unknown_algorithm_from_vars() {
    for (name, value) in [
        ("JWT_ALGORITHM", "HS999"),
        ("JWT_DECODE_ALGORITHMS", "HS256,nope"),
    ] {
        let error = JwtConfig::from_vars([(name, value)]).expect_err(value);
        assert!(
            matches!(&error, ConfigError::UnknownAlgorithm { option, .. } if option == name),
            "{error:?}"
        );
        assert!(error.to_string().contains(name), "{error}");
    }
}

#[test]
fn test_samesite_values() {
    for (value, expected) in [
        ("Strict", SameSite::Strict),
        ("strict", SameSite::Strict),
        ("Lax", SameSite::Lax),
        ("LAX", SameSite::Lax),
        ("None", SameSite::None),
    ] {
        let config =
            JwtConfig::from_vars([("JWT_COOKIE_SAMESITE", value)]).expect("valid SameSite");
        assert_eq!(config.cookie_samesite, Some(expected));
    }
    // An empty variable unsets it.
    let config = JwtConfig::from_vars([("JWT_COOKIE_SAMESITE", "")]).expect("empty SameSite");
    assert_eq!(config.cookie_samesite, None);
}

#[test]
fn test_invalid_samesite() {
    for value in ["Sometimes", "strictly", "1"] {
        let error = JwtConfig::from_vars([("JWT_COOKIE_SAMESITE", value)]).expect_err(value);
        assert_eq!(error, ConfigError::InvalidSameSite(s(value)));
        assert!(error.to_string().contains("JWT_COOKIE_SAMESITE"), "{error}");
        assert!(
            error.to_string().contains("'Strict', 'Lax', or 'None'"),
            "{error}"
        );
    }
}

#[test]
fn test_from_vars_lists_and_empty_values() {
    let config = JwtConfig::from_vars([
        ("JWT_DECODE_AUDIENCE", "one"),
        ("JWT_ENCODE_AUDIENCE", " a , b ,c "),
        ("JWT_CSRF_METHODS", "PUT"),
        ("JWT_COOKIE_DOMAIN", ""),
        ("JWT_SECRET_KEY", ""),
    ])
    .expect("valid variables");
    assert_eq!(config.decode_audience, Some(OneOrMany::One(s("one"))));
    assert_eq!(
        config.encode_audience,
        Some(OneOrMany::Many(vec![s("a"), s("b"), s("c")]))
    );
    assert_eq!(config.csrf_methods, ["PUT"]);
    assert_eq!(config.cookie_domain, None);
    assert_eq!(config.secret_key, None);
}

// ---- keys ----------------------------------------------------------------------

#[test]
fn test_symmetric_secret_key() {
    for algorithm in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
        let mut config = JwtConfig {
            algorithm,
            ..JwtConfig::default()
        };
        let error = refused(config.clone());
        assert_eq!(error, ConfigError::MissingSecretKey(algorithm));
        assert_eq!(
            error.to_string(),
            format!("JWT_SECRET_KEY must be set when using symmetric algorithm \"{algorithm:?}\"")
        );

        // Empty is missing too.
        config.secret_key = Some(String::new());
        assert_eq!(
            refused(config.clone()),
            ConfigError::MissingSecretKey(algorithm)
        );

        config.secret_key = Some(s("foobarbaz"));
        JwtManager::new(config).expect("secret set");
    }
}

#[test]
fn test_default_with_asymmetric_secret_key() {
    // The secret key is never used for asymmetric algorithms.
    let mut config = support::config();
    config.algorithm = Algorithm::RS256;
    let error = refused(config.clone());
    assert_eq!(error, ConfigError::MissingPrivateKey(Algorithm::RS256));
    assert_eq!(
        error.to_string(),
        "JWT_PRIVATE_KEY must be set to use asymmetric cryptography algorithm \"RS256\""
    );

    config.private_key = Some(fixture("rsa_private.pem"));
    let error = refused(config.clone());
    assert_eq!(error, ConfigError::MissingPublicKey(Algorithm::RS256));
    assert_eq!(
        error.to_string(),
        "JWT_PUBLIC_KEY must be set to use asymmetric cryptography algorithm \"RS256\""
    );

    config.private_key = None;
    config.public_key = Some(fixture("rsa_public.pem"));
    assert_eq!(
        refused(config.clone()),
        ConfigError::MissingPrivateKey(Algorithm::RS256)
    );

    config.private_key = Some(fixture("rsa_private.pem"));
    let manager = JwtManager::new(config).expect("both keys set");
    assert_eq!(manager.algorithm(), Algorithm::RS256);
}

#[test]
fn test_every_asymmetric_family_accepts_its_keys() {
    for (algorithm, private, public) in [
        (Algorithm::RS256, "rsa_private.pem", "rsa_public.pem"),
        (Algorithm::RS384, "rsa_private.pem", "rsa_public.pem"),
        (Algorithm::RS512, "rsa_private.pem", "rsa_public.pem"),
        (Algorithm::PS256, "rsa_private.pem", "rsa_public.pem"),
        (Algorithm::PS384, "rsa_private.pem", "rsa_public.pem"),
        (Algorithm::PS512, "rsa_private.pem", "rsa_public.pem"),
        (Algorithm::ES256, "ec256_private.pem", "ec256_public.pem"),
        (Algorithm::ES384, "ec384_private.pem", "ec384_public.pem"),
        (
            Algorithm::EdDSA,
            "ed25519_private.pem",
            "ed25519_public.pem",
        ),
    ] {
        let manager = JwtManager::new(asymmetric(algorithm, private, public))
            .unwrap_or_else(|error| panic!("{algorithm:?}: {error}"));
        assert_eq!(manager.algorithm(), algorithm);
    }
}

#[test]
fn test_unparseable_pem() {
    let mut config = asymmetric(Algorithm::RS256, "rsa_private.pem", "rsa_public.pem");
    config.private_key = Some(s("not a pem"));
    let error = refused(config);
    assert!(
        matches!(
            &error,
            ConfigError::InvalidKey {
                option: "JWT_PRIVATE_KEY",
                algorithm: Algorithm::RS256,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("JWT_PRIVATE_KEY"), "{error}");

    let mut config = asymmetric(Algorithm::ES256, "ec256_private.pem", "ec256_public.pem");
    config.public_key = Some(s(
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    ));
    let error = refused(config);
    assert!(
        matches!(
            &error,
            ConfigError::InvalidKey {
                option: "JWT_PUBLIC_KEY",
                algorithm: Algorithm::ES256,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("JWT_PUBLIC_KEY"), "{error}");

    // Whitespace only is a missing key.
    let mut config = asymmetric(
        Algorithm::EdDSA,
        "ed25519_private.pem",
        "ed25519_public.pem",
    );
    config.public_key = Some(s("  \n"));
    assert_eq!(
        refused(config),
        ConfigError::MissingPublicKey(Algorithm::EdDSA)
    );
}

#[test]
fn test_mismatched_key_pair() {
    for (algorithm, private, public) in [
        // RSA private key, EC public key.
        (Algorithm::RS256, "rsa_private.pem", "ec256_public.pem"),
        // EC keys for an RSA algorithm.
        (Algorithm::RS256, "ec256_private.pem", "ec256_public.pem"),
        // P-384 keys for ES256.
        (Algorithm::ES256, "ec384_private.pem", "ec384_public.pem"),
        // A P-256 private key with a P-384 public key.
        (Algorithm::ES256, "ec256_private.pem", "ec384_public.pem"),
        // RSA keys for ES256.
        (Algorithm::ES256, "rsa_private.pem", "rsa_public.pem"),
        // Ed25519 public key for RSA.
        (Algorithm::PS256, "rsa_private.pem", "ed25519_public.pem"),
        // EC keys for EdDSA.
        (Algorithm::EdDSA, "ec256_private.pem", "ec256_public.pem"),
    ] {
        let error = refused(asymmetric(algorithm, private, public));
        assert!(
            matches!(&error, ConfigError::InvalidKey { algorithm: a, .. } if *a == algorithm),
            "{algorithm:?} {private} {public}: {error:?}"
        );
        let text = error.to_string();
        assert!(
            text.contains("JWT_PRIVATE_KEY") || text.contains("JWT_PUBLIC_KEY"),
            "{text}"
        );
    }
}

#[test]
fn test_decode_algorithms_of_another_family() {
    let error = refused_naming("JWT_DECODE_ALGORITHMS", |config| {
        config.decode_algorithms = vec![Algorithm::HS256, Algorithm::RS256];
    });
    assert_eq!(
        error,
        ConfigError::MixedAlgorithmFamilies {
            algorithm: Algorithm::HS256,
            other: Algorithm::RS256,
        }
    );

    let mut config = asymmetric(Algorithm::RS256, "rsa_private.pem", "rsa_public.pem");
    config.decode_algorithms = vec![Algorithm::ES256];
    assert_eq!(
        refused(config),
        ConfigError::MixedAlgorithmFamilies {
            algorithm: Algorithm::RS256,
            other: Algorithm::ES256,
        }
    );

    // RS and PS share the RSA family.
    let mut config = asymmetric(Algorithm::RS256, "rsa_private.pem", "rsa_public.pem");
    config.decode_algorithms = vec![Algorithm::PS256, Algorithm::RS512];
    JwtManager::new(config).expect("RSA family");
}

#[test]
fn test_algorithm_accepted_for_decoding_without_mutating_the_list() {
    // flask appends JWT_ALGORITHM to the user's list in place; the port accepts it
    // without touching the list.
    let manager = support::manager_with(|config| {
        config.algorithm = Algorithm::HS512;
        config.decode_algorithms = vec![Algorithm::HS256];
    });
    assert_eq!(manager.config().decode_algorithms, [Algorithm::HS256]);
    assert_eq!(manager.config().algorithm, Algorithm::HS512);

    let claims = json!({"sub": "username", "type": "access", "exp": support::now() + 600});
    for alg in ["HS512", "HS256"] {
        let token = encode_token_with(&json!({"alg": alg, "typ": "JWT"}), &claims, SECRET);
        let decoded = manager
            .decode_token(&token, None, false)
            .unwrap_or_else(|error| panic!("{alg}: {error:?}"));
        assert_eq!(decoded.identity_str(), Some("username"));
    }
    let token = encode_token_with(&json!({"alg": "HS384", "typ": "JWT"}), &claims, SECRET);
    assert_decode_error(
        &manager,
        manager.decode_token(&token, None, false),
        422,
        "The specified alg value is not allowed",
    );
    // Tokens it makes use the signing algorithm.
    let token = support::access_token(&manager, "username");
    assert_eq!(
        support::raw_segments(&token).0,
        r#"{"alg":"HS512","typ":"JWT"}"#
    );
    assert_eq!(manager.config().decode_algorithms, [Algorithm::HS256]);
}

// ---- other options -------------------------------------------------------------

#[test]
fn test_empty_header_name() {
    let error = refused_naming("JWT_HEADER_NAME", |config| {
        config.header_name = String::new()
    });
    assert_eq!(error, ConfigError::Empty("JWT_HEADER_NAME"));
    assert_eq!(error.to_string(), "JWT_HEADER_NAME cannot be empty");
    refused_naming("JWT_HEADER_NAME", |config| {
        config.header_name = s("Bad Header")
    });
}

#[test]
fn test_invalid_header_type() {
    refused_naming("JWT_HEADER_TYPE", |config| {
        config.header_type = s("Bearer Token")
    });
}

#[test]
fn test_empty_token_location() {
    let error = refused_naming("JWT_TOKEN_LOCATION", |config| config.token_location.clear());
    assert_eq!(error, ConfigError::EmptyTokenLocation);
    assert_eq!(
        error.to_string(),
        "JWT_TOKEN_LOCATION must contain at least one of \"headers\", \"cookies\", \
         \"query_string\", or \"json\""
    );
}

#[test]
fn test_duplicate_token_location() {
    let error = refused_naming("JWT_TOKEN_LOCATION", |config| {
        config.token_location = vec![Location::Headers, Location::Cookies, Location::Headers];
    });
    assert_eq!(
        error,
        ConfigError::DuplicateTokenLocation(Location::Headers)
    );
}

#[test]
fn test_lowercase_csrf_method() {
    let error = refused_naming("JWT_CSRF_METHODS", |config| {
        config.csrf_methods = vec![s("POST"), s("post")];
    });
    assert_eq!(error, ConfigError::InvalidCsrfMethod(s("post")));
}

#[test]
fn test_empty_names_refused() {
    type Edit = fn(&mut JwtConfig);
    let cases: [(&str, Edit); 5] = [
        ("JWT_IDENTITY_CLAIM", |c| c.identity_claim.clear()),
        ("JWT_ERROR_MESSAGE_KEY", |c| c.error_message_key.clear()),
        ("JWT_ACCESS_COOKIE_NAME", |c| c.access_cookie_name.clear()),
        ("JWT_QUERY_STRING_NAME", |c| c.query_string_name.clear()),
        ("JWT_JSON_KEY", |c| c.json_key.clear()),
    ];
    for (option, edit) in cases {
        let error = refused_naming(option, edit);
        assert!(
            matches!(error, ConfigError::Empty(name) if name == option),
            "{error:?}"
        );
    }
}

#[test]
fn test_invalid_cookie_name() {
    let error = refused_naming("JWT_ACCESS_COOKIE_NAME", |config| {
        config.access_cookie_name = s("access token");
    });
    assert!(
        matches!(
            error,
            ConfigError::InvalidCookieName {
                option: "JWT_ACCESS_COOKIE_NAME",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn test_debug_redacts_secrets() {
    let mut config = asymmetric(Algorithm::RS256, "rsa_private.pem", "rsa_public.pem");
    config.secret_key = Some(s("super-secret-value"));
    let printed = format!("{config:?}");
    assert!(!printed.contains("super-secret-value"), "{printed}");
    assert!(!printed.contains("BEGIN PRIVATE KEY"), "{printed}");
    let manager = JwtManager::new(config).expect("valid");
    let printed = format!("{manager:?}");
    assert!(!printed.contains("super-secret-value"), "{printed}");
    assert!(!printed.contains("BEGIN PRIVATE KEY"), "{printed}");
}
