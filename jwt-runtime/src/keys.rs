//! Signing and verification keys, read and checked once when the manager is built.

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
    pub(crate) encoding: EncodingKey,
    pub(crate) decoding: DecodingKey,
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

        let mut hmac = Vec::new();
        let (encoding, decoding) = if family == AlgorithmFamily::Hmac {
            let secret = config
                .secret_key
                .as_deref()
                .filter(|secret| !secret.is_empty())
                .ok_or(ConfigError::MissingSecretKey(algorithm))?;
            hmac = decode_algorithms
                .iter()
                .filter_map(|alg| Some((*alg, PreKeyedHmac::new(*alg, secret.as_bytes())?)))
                .collect();
            (
                EncodingKey::from_secret(secret.as_bytes()),
                DecodingKey::from_secret(secret.as_bytes()),
            )
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
            match family {
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
            }
        };

        let algorithm_name = format!("{algorithm:?}");
        let default_header_json: Arc<str> =
            Arc::from(format!(r#"{{"alg":"{algorithm_name}","typ":"JWT"}}"#));
        let default_header_segment = URL_SAFE_NO_PAD.encode(default_header_json.as_bytes());
        let keys = Keys {
            algorithm,
            decode_algorithms,
            encoding,
            decoding,
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
        match self.hmac.iter().find(|(alg, _)| *alg == algorithm) {
            Some((_, mac)) => {
                let mut raw = [0_u8; 64];
                match URL_SAFE_NO_PAD.decode_slice(signature, &mut raw) {
                    Ok(len) => mac.verify(message, &raw[..len]),
                    Err(_) => false,
                }
            }
            None => jsonwebtoken::crypto::verify(signature, message, &self.decoding, algorithm)
                .unwrap_or(false),
        }
    }

    /// Appends `.` and the base64url signature of `token` (the signing input) to it,
    /// with the configured key.
    pub(crate) fn sign_token(&self, token: &mut String) -> Result<(), String> {
        match self.hmac.iter().find(|(alg, _)| *alg == self.algorithm) {
            Some((_, mac)) => {
                let (raw, len) = mac.sign(token.as_bytes());
                token.push('.');
                URL_SAFE_NO_PAD.encode_string(&raw[..len], token);
            }
            None => {
                let signature =
                    jsonwebtoken::crypto::sign(token.as_bytes(), &self.encoding, self.algorithm)
                        .map_err(|error| error.to_string())?;
                token.push('.');
                token.push_str(&signature);
            }
        }
        Ok(())
    }

    /// Signs and verifies a probe message, so a key of the wrong curve or size, or a
    /// public key that does not match the private key, fails at start-up.
    fn probe(&self) -> Result<(), ConfigError> {
        let message = b"actix-jwt-extended key probe";
        let mismatch = |reason: String| ConfigError::InvalidKey {
            option: "JWT_PRIVATE_KEY",
            algorithm: self.algorithm,
            reason,
        };
        let signature = jsonwebtoken::crypto::sign(message, &self.encoding, self.algorithm)
            .map_err(|error| mismatch(format!("cannot sign with it: {error}")))?;
        let verified =
            jsonwebtoken::crypto::verify(&signature, message, &self.decoding, self.algorithm)
                .unwrap_or(false);
        if verified {
            Ok(())
        } else {
            Err(mismatch(
                "JWT_PUBLIC_KEY does not verify what it signs (keys do not match the algorithm or each other)"
                    .to_owned(),
            ))
        }
    }
}
