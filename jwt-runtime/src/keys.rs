//! Signing and verification keys, read and checked once when the manager is built.
//!
//! `HS*` runs through HMAC states keyed here once. RS/PS/ES/EdDSA run through the
//! backend the crate features choose: aws-lc-rs (`aws-lc-rs`, the default, also when
//! both are on), with the keys parsed here into aws-lc-rs objects, or jsonwebtoken's
//! pure-Rust backend (`rust-crypto` alone).

#[cfg(feature = "aws-lc-rs")]
mod aws_lc;

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey};
use sha2::{Sha256, Sha384, Sha512};

use crate::config::{ConfigError, JwtConfig};

/// The keys and algorithms of one manager.
#[derive(Clone)]
pub(crate) struct Keys {
    pub(crate) algorithm: Algorithm,
    /// The algorithms a token may carry: `decode_algorithms` plus `algorithm`, without
    /// duplicates. All are of `algorithm`'s family (checked when built).
    pub(crate) decode_algorithms: Vec<Algorithm>,
    /// For RS/PS/ES/EdDSA: the keys in the backend's form (`None` for `HS*`).
    asymmetric: Option<Asymmetric>,
    /// For `HS*`: the HMAC state after the key schedule, one per accepted algorithm,
    /// computed once here instead of on every token (jsonwebtoken redoes it per call).
    hmac: Vec<(Algorithm, PreKeyedHmac)>,
    /// `{"alg":"<algorithm>","typ":"JWT"}`, the header of every token made without
    /// additional headers: as JSON, and base64url-encoded as it appears in tokens.
    pub(crate) default_header_json: Arc<str>,
    pub(crate) default_header_segment: String,
    /// The algorithm's name as it appears in `alg`.
    pub(crate) algorithm_name: String,
}

/// The RS/PS/ES/EdDSA keys, in the form the backend signs and verifies with.
#[derive(Clone)]
enum Asymmetric {
    /// Parsed once into aws-lc-rs key objects.
    #[cfg(feature = "aws-lc-rs")]
    AwsLc(aws_lc::AwsLcKeys),
    /// jsonwebtoken's keys, signed and verified through its pure-Rust backend.
    #[cfg(not(feature = "aws-lc-rs"))]
    Jsonwebtoken {
        encoding: EncodingKey,
        decoding: DecodingKey,
    },
}

/// Makes the backend the crate features choose jsonwebtoken's process-wide crypto
/// provider, unless one is installed already.
///
/// [`JwtManager::new`](crate::JwtManager::new) calls it, since the encode and decode
/// key loaders sign and verify through jsonwebtoken. jsonwebtoken panics at its first
/// signature when both its backends are compiled in (as when something else in the
/// build enables its other one) and no provider was installed, so code that signs or
/// verifies with jsonwebtoken directly before any manager exists calls this first.
pub fn install_crypto_provider() {
    // An `Err` means a provider is installed already: that one stays.
    #[cfg(feature = "aws-lc-rs")]
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    #[cfg(all(feature = "rust-crypto", not(feature = "aws-lc-rs")))]
    let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();
}

/// An HMAC keyed once; cloned (a memcpy) per token.
#[derive(Clone)]
enum PreKeyedHmac {
    Hs256(Hmac<Sha256>),
    Hs384(Hmac<Sha384>),
    Hs512(Hmac<Sha512>),
}

impl PreKeyedHmac {
    fn new(algorithm: Algorithm, secret: &[u8]) -> Option<Self> {
        match algorithm {
            Algorithm::HS256 => Hmac::new_from_slice(secret).ok().map(PreKeyedHmac::Hs256),
            Algorithm::HS384 => Hmac::new_from_slice(secret).ok().map(PreKeyedHmac::Hs384),
            Algorithm::HS512 => Hmac::new_from_slice(secret).ok().map(PreKeyedHmac::Hs512),
            _ => None,
        }
    }

    /// Constant-time check of `signature` (raw bytes) over `message`.
    fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            PreKeyedHmac::Hs256(mac) => mac.clone().chain_update(message).verify_slice(signature),
            PreKeyedHmac::Hs384(mac) => mac.clone().chain_update(message).verify_slice(signature),
            PreKeyedHmac::Hs512(mac) => mac.clone().chain_update(message).verify_slice(signature),
        }
        .is_ok()
    }

    /// The raw tag over `message`.
    fn sign(&self, message: &[u8]) -> ([u8; 64], usize) {
        let mut raw = [0_u8; 64];
        let mut put = |tag: &[u8]| {
            raw[..tag.len()].copy_from_slice(tag);
            tag.len()
        };
        let len = match self {
            PreKeyedHmac::Hs256(mac) => {
                put(&mac.clone().chain_update(message).finalize().into_bytes())
            }
            PreKeyedHmac::Hs384(mac) => {
                put(&mac.clone().chain_update(message).finalize().into_bytes())
            }
            PreKeyedHmac::Hs512(mac) => {
                put(&mac.clone().chain_update(message).finalize().into_bytes())
            }
        };
        (raw, len)
    }
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("algorithm", &self.algorithm)
            .field("decode_algorithms", &self.decode_algorithms)
            .finish_non_exhaustive()
    }
}

impl Keys {
    /// Reads the keys `config` names for its algorithm, and proves they work together by
    /// signing and verifying a probe message.
    pub(crate) fn from_config(config: &JwtConfig) -> Result<Self, ConfigError> {
        let algorithm = config.algorithm;
        let family = algorithm.family();
        let mut decode_algorithms = config.decode_algorithms.clone();
        if !decode_algorithms.contains(&algorithm) {
            decode_algorithms.push(algorithm);
        }
        decode_algorithms.dedup();
        if let Some(other) = decode_algorithms.iter().find(|alg| alg.family() != family) {
            return Err(ConfigError::MixedAlgorithmFamilies {
                algorithm,
                other: *other,
            });
        }

        install_crypto_provider();
        let mut hmac = Vec::new();
        let mut asymmetric = None;
        if family == AlgorithmFamily::Hmac {
            let secret = config
                .secret_key
                .as_deref()
                .filter(|secret| !secret.is_empty())
                .ok_or(ConfigError::MissingSecretKey(algorithm))?;
            hmac = decode_algorithms
                .iter()
                .filter_map(|alg| Some((*alg, PreKeyedHmac::new(*alg, secret.as_bytes())?)))
                .collect();
        } else {
            let private = config
                .private_key
                .as_deref()
                .filter(|key| !key.trim().is_empty())
                .ok_or(ConfigError::MissingPrivateKey(algorithm))?;
            let public = config
                .public_key
                .as_deref()
                .filter(|key| !key.trim().is_empty())
                .ok_or(ConfigError::MissingPublicKey(algorithm))?;
            let invalid = |option| {
                move |error: jsonwebtoken::errors::Error| ConfigError::InvalidKey {
                    option,
                    algorithm,
                    reason: error.to_string(),
                }
            };
            let (private, public) = (private.as_bytes(), public.as_bytes());
            let (encoding, decoding) = match family {
                AlgorithmFamily::Rsa => (
                    EncodingKey::from_rsa_pem(private).map_err(invalid("JWT_PRIVATE_KEY"))?,
                    DecodingKey::from_rsa_pem(public).map_err(invalid("JWT_PUBLIC_KEY"))?,
                ),
                AlgorithmFamily::Ec => (
                    EncodingKey::from_ec_pem(private).map_err(invalid("JWT_PRIVATE_KEY"))?,
                    DecodingKey::from_ec_pem(public).map_err(invalid("JWT_PUBLIC_KEY"))?,
                ),
                _ => (
                    EncodingKey::from_ed_pem(private).map_err(invalid("JWT_PRIVATE_KEY"))?,
                    DecodingKey::from_ed_pem(public).map_err(invalid("JWT_PUBLIC_KEY"))?,
                ),
            };
            #[cfg(feature = "aws-lc-rs")]
            {
                let keys =
                    aws_lc::AwsLcKeys::new(algorithm, &decode_algorithms, &encoding, &decoding)
                        .map_err(|refused| {
                            let (option, reason) = match refused {
                                aws_lc::Refused::Private(reason) => ("JWT_PRIVATE_KEY", reason),
                                aws_lc::Refused::Public(reason) => ("JWT_PUBLIC_KEY", reason),
                            };
                            ConfigError::InvalidKey {
                                option,
                                algorithm,
                                reason,
                            }
                        })?;
                asymmetric = Some(Asymmetric::AwsLc(keys));
            }
            #[cfg(not(feature = "aws-lc-rs"))]
            {
                asymmetric = Some(Asymmetric::Jsonwebtoken { encoding, decoding });
            }
        }

        let algorithm_name = format!("{algorithm:?}");
        let default_header_json: Arc<str> =
            Arc::from(format!(r#"{{"alg":"{algorithm_name}","typ":"JWT"}}"#));
        let default_header_segment = URL_SAFE_NO_PAD.encode(default_header_json.as_bytes());
        let keys = Keys {
            algorithm,
            decode_algorithms,
            asymmetric,
            hmac,
            default_header_json,
            default_header_segment,
            algorithm_name,
        };
        keys.probe()?;
        Ok(keys)
    }

    /// Whether `signature` (the base64url segment) signs `message` under `algorithm`
    /// with the configured key. A non-canonical or oversized segment is `false`.
    pub(crate) fn verify(&self, algorithm: Algorithm, message: &[u8], signature: &str) -> bool {
        if let Some((_, mac)) = self.hmac.iter().find(|(alg, _)| *alg == algorithm) {
            let mut raw = [0_u8; 64];
            return match URL_SAFE_NO_PAD.decode_slice(signature, &mut raw) {
                Ok(len) => mac.verify(message, &raw[..len]),
                Err(_) => false,
            };
        }
        match &self.asymmetric {
            None => false,
            #[cfg(feature = "aws-lc-rs")]
            Some(Asymmetric::AwsLc(keys)) => {
                // An 8192-bit RSA signature is the longest, 1024 bytes; base64's
                // length estimate may ask for up to two more.
                let mut raw = [0_u8; 1026];
                match URL_SAFE_NO_PAD.decode_slice(signature, &mut raw) {
                    Ok(len) => keys.verify(algorithm, message, &raw[..len]),
                    Err(_) => false,
                }
            }
            #[cfg(not(feature = "aws-lc-rs"))]
            Some(Asymmetric::Jsonwebtoken { decoding, .. }) => {
                jsonwebtoken::crypto::verify(signature, message, decoding, algorithm)
                    .unwrap_or(false)
            }
        }
    }

    /// Appends `.` and the base64url signature of `token` (the signing input) to it,
    /// with the configured key.
    pub(crate) fn sign_token(&self, token: &mut String) -> Result<(), String> {
        if let Some((_, mac)) = self.hmac.iter().find(|(alg, _)| *alg == self.algorithm) {
            let (raw, len) = mac.sign(token.as_bytes());
            token.push('.');
            URL_SAFE_NO_PAD.encode_string(&raw[..len], token);
            return Ok(());
        }
        match &self.asymmetric {
            None => Err(format!("no key to sign {} with", self.algorithm_name)),
            #[cfg(feature = "aws-lc-rs")]
            Some(Asymmetric::AwsLc(keys)) => {
                let signature = keys.sign(token.as_bytes(), |raw| URL_SAFE_NO_PAD.encode(raw))?;
                token.push('.');
                token.push_str(&signature);
                Ok(())
            }
            #[cfg(not(feature = "aws-lc-rs"))]
            Some(Asymmetric::Jsonwebtoken { encoding, .. }) => {
                let signature =
                    jsonwebtoken::crypto::sign(token.as_bytes(), encoding, self.algorithm)
                        .map_err(|error| error.to_string())?;
                token.push('.');
                token.push_str(&signature);
                Ok(())
            }
        }
    }

    /// Signs and verifies a probe message, so a key of the wrong curve or size, or a
    /// public key that does not match the private key, fails at start-up.
    fn probe(&self) -> Result<(), ConfigError> {
        let mismatch = |reason: String| ConfigError::InvalidKey {
            option: "JWT_PRIVATE_KEY",
            algorithm: self.algorithm,
            reason,
        };
        let mut probe = format!(
            "{}.YWN0aXgtand0LWV4dGVuZGVkIGtleSBwcm9iZQ",
            self.default_header_segment
        );
        let signing_input_len = probe.len();
        self.sign_token(&mut probe)
            .map_err(|error| mismatch(format!("cannot sign with it: {error}")))?;
        let (message, signature) = probe.split_at(signing_input_len);
        if self.verify(self.algorithm, message.as_bytes(), &signature[1..]) {
            Ok(())
        } else {
            Err(mismatch(
                "JWT_PUBLIC_KEY does not verify what it signs (keys do not match the algorithm or each other)"
                    .to_owned(),
            ))
        }
    }
}
