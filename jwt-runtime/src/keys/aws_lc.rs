//! RS/PS/ES/EdDSA through aws-lc-rs, with the keys parsed once.
//!
//! jsonwebtoken's PEM parsers already hand out DER, one layout per family: for RSA the
//! PKCS#1 `RSAPrivateKey` and `RSAPublicKey`; for EC and Ed25519 the PKCS#8 private
//! key, and for the public key the bit string of its `SubjectPublicKeyInfo` (the
//! uncompressed point, or the 32 raw Ed25519 bytes). Those bytes are parsed here into
//! aws-lc-rs key objects, which every token then reuses.

use std::sync::Arc;

use aws_lc_rs::{
    rand::SystemRandom,
    signature::{self, EcdsaKeyPair, Ed25519KeyPair, ParsedPublicKey, RsaKeyPair},
};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};

/// The parsed private key and the parsed public key for each accepted algorithm.
#[derive(Clone)]
pub(super) struct AwsLcKeys {
    signer: Signer,
    /// One per accepted algorithm the public key fits (an ES384 key under ES256 fits
    /// none, so such a token fails verification, as it would with jsonwebtoken).
    verifiers: Vec<(Algorithm, ParsedPublicKey)>,
}

/// The private key, shared between the manager's clones.
#[derive(Clone)]
enum Signer {
    Rsa(Arc<RsaKeyPair>, &'static dyn signature::RsaEncoding),
    Ecdsa(Arc<EcdsaKeyPair>),
    Ed25519(Arc<Ed25519KeyPair>),
}

/// Which key aws-lc-rs refused, and why.
pub(super) enum Refused {
    Private(String),
    Public(String),
}

fn verification(algorithm: Algorithm) -> Option<&'static dyn signature::VerificationAlgorithm> {
    Some(match algorithm {
        Algorithm::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
        Algorithm::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
        Algorithm::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
        Algorithm::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
        Algorithm::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
        Algorithm::PS512 => &signature::RSA_PSS_2048_8192_SHA512,
        // Fixed-size `r || s`, the JWS encoding (RFC 7518, section 3.4).
        Algorithm::ES256 => &signature::ECDSA_P256_SHA256_FIXED,
        Algorithm::ES384 => &signature::ECDSA_P384_SHA384_FIXED,
        Algorithm::EdDSA => &signature::ED25519,
        _ => return None,
    })
}

impl AwsLcKeys {
    /// Parses `encoding` for signing with `algorithm` and `decoding` for each of
    /// `decode_algorithms` (which includes `algorithm`).
    pub(super) fn new(
        algorithm: Algorithm,
        decode_algorithms: &[Algorithm],
        encoding: &EncodingKey,
        decoding: &DecodingKey,
    ) -> Result<Self, Refused> {
        let private = encoding.as_bytes();
        let refused = |error: aws_lc_rs::error::KeyRejected| Refused::Private(error.to_string());
        let signer = match algorithm {
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => {
                let padding: &'static dyn signature::RsaEncoding = match algorithm {
                    Algorithm::RS256 => &signature::RSA_PKCS1_SHA256,
                    Algorithm::RS384 => &signature::RSA_PKCS1_SHA384,
                    Algorithm::RS512 => &signature::RSA_PKCS1_SHA512,
                    Algorithm::PS256 => &signature::RSA_PSS_SHA256,
                    Algorithm::PS384 => &signature::RSA_PSS_SHA384,
                    _ => &signature::RSA_PSS_SHA512,
                };
                Signer::Rsa(
                    Arc::new(RsaKeyPair::from_der(private).map_err(refused)?),
                    padding,
                )
            }
            Algorithm::ES256 | Algorithm::ES384 => {
                let curve = if algorithm == Algorithm::ES256 {
                    &signature::ECDSA_P256_SHA256_FIXED_SIGNING
                } else {
                    &signature::ECDSA_P384_SHA384_FIXED_SIGNING
                };
                Signer::Ecdsa(Arc::new(
                    EcdsaKeyPair::from_pkcs8(curve, private).map_err(refused)?,
                ))
            }
            Algorithm::EdDSA => Signer::Ed25519(Arc::new(
                Ed25519KeyPair::from_pkcs8(private).map_err(refused)?,
            )),
            other => {
                return Err(Refused::Private(format!(
                    "{other:?} is not an asymmetric algorithm"
                )));
            }
        };

        let public = decoding
            .try_get_as_bytes()
            .map_err(|error| Refused::Public(error.to_string()))?;
        let mut verifiers = Vec::with_capacity(decode_algorithms.len());
        for &accepted in decode_algorithms {
            let Some(verify) = verification(accepted) else {
                continue;
            };
            match ParsedPublicKey::new(verify, public) {
                Ok(key) => verifiers.push((accepted, key)),
                // The signing algorithm's own key must parse; another accepted
                // algorithm of the family may not fit it (another curve).
                Err(error) if accepted == algorithm => {
                    return Err(Refused::Public(error.to_string()));
                }
                Err(_) => {}
            }
        }
        Ok(AwsLcKeys { signer, verifiers })
    }

    /// Whether `signature` (raw bytes) signs `message` under `algorithm`.
    pub(super) fn verify(&self, algorithm: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        self.verifiers
            .iter()
            .find(|(accepted, _)| *accepted == algorithm)
            .is_some_and(|(_, key)| key.verify_sig(message, signature).is_ok())
    }

    /// The raw signature of `message`, passed to `put`.
    pub(super) fn sign<R>(
        &self,
        message: &[u8],
        put: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, String> {
        let failed = |error: aws_lc_rs::error::Unspecified| format!("signing failed: {error}");
        match &self.signer {
            Signer::Rsa(pair, padding) => {
                // Up to 8192-bit moduli, on the stack.
                let mut raw = [0_u8; 1024];
                let raw = raw
                    .get_mut(..pair.public_modulus_len())
                    .ok_or_else(|| "RSA modulus over 8192 bits".to_owned())?;
                pair.sign(*padding, &SystemRandom::new(), message, raw)
                    .map_err(failed)?;
                Ok(put(raw))
            }
            Signer::Ecdsa(pair) => {
                let signature = pair.sign(&SystemRandom::new(), message).map_err(failed)?;
                Ok(put(signature.as_ref()))
            }
            Signer::Ed25519(pair) => Ok(put(pair.sign(message).as_ref())),
        }
    }
}
