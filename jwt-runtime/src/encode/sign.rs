//! Signing a new token: the loaders that shape it for an identity (identity, additional
//! claims and headers, encode key), the header, and the signature.

use std::collections::BTreeMap;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::Serialize;
use serde_json::Value;

use super::EncodeError;
use crate::{
    callbacks::{Callbacks, ObjectLoader, guard},
    config::JwtConfig,
    keys::Keys,
    token::fields::Fields,
};

/// What signing needs of the manager: the configuration, the keys and the callbacks.
#[derive(Clone, Copy)]
pub(crate) struct Signer<'m> {
    pub(crate) config: &'m JwtConfig,
    pub(crate) keys: &'m Keys,
    pub(crate) callbacks: &'m Callbacks,
}

/// What the loaders give for an identity.
pub(super) struct Loaded {
    /// The identity as stored in the token (after `user_identity_loader`).
    pub(super) identity: Value,
    pub(super) claims: Fields,
    pub(super) headers: Fields,
}

impl Signer<'_> {
    /// The stored identity, and the loaders' additional claims and headers for it.
    pub(super) fn loaded_for(&self, identity: &Value) -> Result<Loaded, EncodeError> {
        let callbacks = self.callbacks;
        let run = |name: &str, loader: Option<&ObjectLoader>| match loader {
            None => Ok(Fields::default()),
            Some(loader) => guard(name, || loader(identity))
                .map_err(|error| EncodeError::callback(error.to_string()))
                .and_then(|fields| fields.map_err(EncodeError::callback)),
        };
        let stored = match &callbacks.user_identity {
            None => identity.clone(),
            Some(loader) => guard("user_identity_loader", || loader(identity))
                .map_err(|error| EncodeError::callback(error.to_string()))?,
        };
        Ok(Loaded {
            identity: stored,
            claims: run(
                "additional_claims_loader",
                callbacks.additional_claims.as_ref(),
            )?,
            headers: run(
                "additional_headers_loader",
                callbacks.additional_headers.as_ref(),
            )?,
        })
    }

    /// Encodes `header` (the default `{"alg":…,"typ":"JWT"}` when `None`) and `claims`,
    /// and signs them with the configured key, or the encode key loader's for `identity`.
    pub(super) fn sign(
        &self,
        identity: &Value,
        header: Option<&BTreeMap<String, Value>>,
        claims: &impl Serialize,
    ) -> Result<String, EncodeError> {
        let claims = serde_json::to_vec(claims).map_err(EncodeError::serialize)?;
        let mut token = String::with_capacity(claims.len() * 4 / 3 + 200);
        match header {
            None => token.push_str(&self.keys.default_header_segment),
            Some(header) => {
                let header = serde_json::to_vec(header).map_err(EncodeError::serialize)?;
                URL_SAFE_NO_PAD.encode_string(header, &mut token);
            }
        }
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(claims, &mut token);
        let custom_key = match &self.callbacks.encode_key {
            None => None,
            Some(loader) => Some(
                guard("encode_key_loader", || loader(identity))
                    .map_err(|error| EncodeError::callback(error.to_string()))?
                    .ok_or_else(|| {
                        EncodeError::callback("encode_key_loader returned no key".to_owned())
                    })?,
            ),
        };
        match custom_key {
            Some(key) => {
                let signature =
                    jsonwebtoken::crypto::sign(token.as_bytes(), &key, self.keys.algorithm)
                        .map_err(|error| EncodeError::signing(error.to_string()))?;
                token.push('.');
                token.push_str(&signature);
            }
            None => self
                .keys
                .sign_token(&mut token)
                .map_err(EncodeError::signing)?,
        }
        Ok(token)
    }
}
