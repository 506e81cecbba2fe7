//! Signing and verification keys, read and checked once when the manager is built.

use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, EncodingKey};

use crate::{config::JwtConfig, error::ConfigError};

/// The keys and algorithms of one manager.
#[derive(Clone)]
pub(crate) struct Keys {
    pub(crate) algorithm: Algorithm,
    /// The algorithms a token may carry: `decode_algorithms` plus `algorithm`, without
    /// duplicates. All are of `algorithm`'s family (checked when built).
    pub(crate) decode_algorithms: Vec<Algorithm>,
    pub(crate) encoding: EncodingKey,
    pub(crate) decoding: DecodingKey,
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

        let (encoding, decoding) = if family == AlgorithmFamily::Hmac {
            let secret = config
                .secret_key
                .as_deref()
                .filter(|secret| !secret.is_empty())
                .ok_or(ConfigError::MissingSecretKey(algorithm))?;
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

        let keys = Keys {
            algorithm,
            decode_algorithms,
            encoding,
            decoding,
        };
        keys.probe()?;
        Ok(keys)
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
