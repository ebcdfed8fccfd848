//! RS256 JSON Web Tokens (RFC 7519, RFC 7515): RSASSA-PKCS1-v1_5 with SHA-256.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{self, RsaKeyPair, UnparsedPublicKey};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::der::{is_usable_rsa_public_key, pem_block, rsa_public_key_from_spki};
use super::{
    AUTHORIZATION, DEFAULT_MAX_BODY_BYTES, InboundError, MAX_HEADER_BYTES, Verified, VerifySource,
    authorization_credentials, body_within, single_header,
};

/// How far the verifier's clock and the signer's may disagree unless told otherwise: `exp`,
/// `nbf` and `iat` are checked with this much slack.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// The JOSE header of every token [`Rs256Signer`] makes.
const SIGNED_HEADER: &str = r#"{"alg":"RS256","typ":"JWT"}"#;

/// The fields of a JOSE header the verifier reads.
#[derive(serde::Deserialize)]
struct JoseHeader {
    alg: String,
    /// Extensions the recipient must understand (RFC 7515 §4.1.11): this verifier
    /// understands none, so any makes the token refused.
    crit: Option<Value>,
}

/// Verifies RS256 JSON Web Tokens with an RSA public key, and checks their `exp` (required),
/// `nbf` and `iat` against a clock, with a leeway ([`DEFAULT_LEEWAY`]).
///
/// Only `alg: RS256` is accepted: `none`, `HS256` (a public key used as an HMAC secret) and
/// every other algorithm are [`InboundError::WrongAlgorithm`], as is a `crit` header. The
/// header is decoded first (it names the algorithm); the claims only once the signature
/// verifies. Other claims (`iss`, `aud`, `sub`...) are the caller's to check in what
/// [`verify_token_at`](Self::verify_token_at) returns.
#[derive(Clone)]
pub struct Rs256Verifier {
    /// A PKCS#1 `RSAPublicKey`, DER, what ring's `RSA_PKCS1_2048_8192_SHA256` reads.
    public_key: Arc<[u8]>,
    leeway: Duration,
    max_body_bytes: usize,
}

impl Rs256Verifier {
    /// The verifier for the RSA public key in `pem`: a SubjectPublicKeyInfo
    /// (`-----BEGIN PUBLIC KEY-----`, what `openssl pkey -pubout` writes) or a PKCS#1 key
    /// (`-----BEGIN RSA PUBLIC KEY-----`), of 2048 to 8192 bits.
    ///
    /// # Errors
    /// [`InboundError::InvalidKey`] when `pem` holds no such key.
    pub fn from_public_key_pem(pem: &str) -> Result<Self, InboundError> {
        let invalid = |reason| InboundError::InvalidKey { reason };
        let der = if let Some(spki) = pem_block(pem, "PUBLIC KEY") {
            rsa_public_key_from_spki(&spki)
                .ok_or(invalid(
                    "the PUBLIC KEY block is not an RSA SubjectPublicKeyInfo",
                ))?
                .to_vec()
        } else {
            pem_block(pem, "RSA PUBLIC KEY").ok_or(invalid(
                "no PEM PUBLIC KEY or RSA PUBLIC KEY block (base64 between BEGIN and END lines)",
            ))?
        };
        Self::from_rsa_public_key_der(der)
    }

    /// The verifier for a PKCS#1 `RSAPublicKey` in DER.
    fn from_rsa_public_key_der(der: Vec<u8>) -> Result<Self, InboundError> {
        if !is_usable_rsa_public_key(&der) {
            return Err(InboundError::InvalidKey {
                reason: "not an RSA public key of 2048 to 8192 bits",
            });
        }
        Ok(Self {
            public_key: der.into(),
            leeway: DEFAULT_LEEWAY,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        })
    }

    /// The same verifier allowing `leeway` of clock difference (default [`DEFAULT_LEEWAY`]).
    #[must_use]
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// The same verifier accepting request bodies up to `limit` bytes in
    /// [`VerifySource::verify`] (default [`DEFAULT_MAX_BODY_BYTES`]).
    #[must_use]
    pub fn with_max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Verifies `token` (compact serialization) at the time `now`, and returns its claims, a
    /// JSON object.
    ///
    /// # Errors
    /// [`InboundError::MalformedToken`], [`InboundError::WrongAlgorithm`],
    /// [`InboundError::BadSignature`], then [`InboundError::InvalidPayload`] (claims that are
    /// not a JSON object), [`InboundError::MissingClaim`] (`exp`),
    /// [`InboundError::MalformedClaim`], [`InboundError::Expired`],
    /// [`InboundError::NotYetValid`].
    pub fn verify_token_at(&self, token: &str, now: SystemTime) -> Result<Value, InboundError> {
        let malformed = |reason| InboundError::MalformedToken { reason };
        if token.len() > MAX_HEADER_BYTES {
            return Err(malformed("longer than 8 KiB"));
        }
        let mut parts = token.split('.');
        let (Some(header), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed("not three dot-separated parts"));
        };
        let header = URL_SAFE_NO_PAD
            .decode(header)
            .map_err(|_| malformed("the header is not base64url"))?;
        let header: JoseHeader = serde_json::from_slice(&header)
            .map_err(|_| malformed("the header is not a JSON object with an alg"))?;
        if header.alg != "RS256" || header.crit.is_some() {
            return Err(InboundError::WrongAlgorithm);
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| malformed("the signature is not base64url"))?;
        // Exactly three parts: the signing input is everything before the last dot.
        let signing_input = token.rsplit_once('.').map_or("", |(input, _)| input);
        UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &*self.public_key)
            .verify(signing_input.as_bytes(), &signature)
            .map_err(|_| InboundError::BadSignature)?;
        // Verified: now the claims may be read.
        let claims = URL_SAFE_NO_PAD
            .decode(claims)
            .map_err(|_| malformed("the claims are not base64url"))?;
        let claims: Map<String, Value> =
            serde_json::from_slice(&claims).map_err(InboundError::InvalidPayload)?;
        self.check_times(&claims, now)?;
        Ok(Value::Object(claims))
    }

    /// [`verify_token_at`](Self::verify_token_at) now.
    ///
    /// # Errors
    /// As [`verify_token_at`](Self::verify_token_at).
    pub fn verify_token(&self, token: &str) -> Result<Value, InboundError> {
        self.verify_token_at(token, SystemTime::now())
    }

    /// [`verify_token_at`](Self::verify_token_at), with the claims decoded into `T`.
    ///
    /// # Errors
    /// As [`verify_token_at`](Self::verify_token_at); [`InboundError::InvalidPayload`] when
    /// the claims are not a `T`.
    pub fn verify_token_as<T: DeserializeOwned>(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Result<T, InboundError> {
        serde_json::from_value(self.verify_token_at(token, now)?)
            .map_err(InboundError::InvalidPayload)
    }

    /// Verifies the token of the request's `Authorization: Bearer <token>` at `now`, and
    /// returns its claims.
    ///
    /// # Errors
    /// As [`verify_token_at`](Self::verify_token_at); [`InboundError::MissingHeader`],
    /// [`InboundError::DuplicateHeader`], [`InboundError::HeaderTooLarge`] or
    /// [`InboundError::Malformed`] for the header itself.
    pub fn verify_bearer_at(
        &self,
        headers: &http::HeaderMap,
        now: SystemTime,
    ) -> Result<Value, InboundError> {
        let value = single_header(headers, AUTHORIZATION)?;
        let token = authorization_credentials(value, "Bearer", "not a Bearer token")?;
        self.verify_token_at(token, now)
    }

    /// Checks `exp` (required), `nbf` and `iat` against `now`, with the leeway.
    fn check_times(
        &self,
        claims: &Map<String, Value>,
        now: SystemTime,
    ) -> Result<(), InboundError> {
        let now = unix_seconds(now);
        let leeway = self.leeway.as_secs_f64();
        let expires =
            numeric_date(claims, "exp")?.ok_or(InboundError::MissingClaim { claim: "exp" })?;
        if now >= expires + leeway {
            return Err(InboundError::Expired);
        }
        for claim in ["nbf", "iat"] {
            if numeric_date(claims, claim)?.is_some_and(|start| now + leeway < start) {
                return Err(InboundError::NotYetValid);
            }
        }
        Ok(())
    }
}

impl VerifySource for Rs256Verifier {
    /// Verifies the request's bearer token now; the body is not covered by the token.
    fn verify<'body>(
        &self,
        headers: &http::HeaderMap,
        body: &'body [u8],
    ) -> Result<Verified<'body>, InboundError> {
        body_within(body, self.max_body_bytes)?;
        self.verify_bearer_at(headers, SystemTime::now())?;
        Ok(Verified::new(body))
    }
}

impl fmt::Debug for Rs256Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rs256Verifier")
            .field("public_key_bytes", &self.public_key.len())
            .field("leeway", &self.leeway)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

/// Makes RS256 JSON Web Tokens with an RSA private key: what a merchant sends Tata 1mg (JWT
/// Token Generation Guide,
/// <https://onedoc.1mg.com/public_docs/content/Merchant%20Integration%20Documentation/Phamacy%20API%20Integration/jwt-token-generation-guide>),
/// and what a fake checks with [`Rs256Signer::verifier`]. `Debug` never shows the key.
#[derive(Clone)]
pub struct Rs256Signer {
    key_pair: Arc<RsaKeyPair>,
}

impl Rs256Signer {
    /// The signer for the RSA private key in `pem`: PKCS#8 (`-----BEGIN PRIVATE KEY-----`,
    /// what `openssl genpkey` writes) or PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`), of 2048
    /// to 4096 bits.
    ///
    /// # Errors
    /// [`InboundError::InvalidKey`] when `pem` holds no such key.
    pub fn from_private_key_pem(pem: &str) -> Result<Self, InboundError> {
        let key_pair = if let Some(pkcs8) = pem_block(pem, "PRIVATE KEY") {
            RsaKeyPair::from_pkcs8(&pkcs8)
        } else if let Some(pkcs1) = pem_block(pem, "RSA PRIVATE KEY") {
            RsaKeyPair::from_der(&pkcs1)
        } else {
            return Err(InboundError::InvalidKey {
                reason: "no PEM PRIVATE KEY or RSA PRIVATE KEY block",
            });
        }
        .map_err(|_| InboundError::InvalidKey {
            reason: "not an RSA private key of 2048 to 4096 bits",
        })?;
        Ok(Self {
            key_pair: Arc::new(key_pair),
        })
    }

    /// A compact RS256 token with header `{"alg":"RS256","typ":"JWT"}` and `claims` encoded
    /// as JSON (compact, fields in their serialization order).
    ///
    /// # Errors
    /// [`InboundError::UnencodableClaims`]; [`InboundError::SigningFailed`].
    pub fn sign<C: Serialize + ?Sized>(&self, claims: &C) -> Result<String, InboundError> {
        let claims = serde_json::to_vec(claims).map_err(InboundError::UnencodableClaims)?;
        let mut token = URL_SAFE_NO_PAD.encode(SIGNED_HEADER);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(claims, &mut token);
        let mut signature = vec![0u8; self.key_pair.public().modulus_len()];
        self.key_pair
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                token.as_bytes(),
                &mut signature,
            )
            .map_err(|_| InboundError::SigningFailed)?;
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(signature, &mut token);
        Ok(token)
    }

    /// A verifier for this signer's public key.
    pub fn verifier(&self) -> Rs256Verifier {
        let public_key = self.key_pair.public().as_ref().to_vec();
        Rs256Verifier {
            public_key: public_key.into(),
            leeway: DEFAULT_LEEWAY,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

impl fmt::Debug for Rs256Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rs256Signer")
            .field("private_key", &"<redacted>")
            .finish()
    }
}

/// `time` as seconds since the Unix epoch (negative before it).
fn unix_seconds(time: SystemTime) -> f64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) => since.as_secs_f64(),
        Err(before) => -before.duration().as_secs_f64(),
    }
}

/// The NumericDate claim `name` (RFC 7519 §2: seconds, possibly fractional), if present.
fn numeric_date(
    claims: &Map<String, Value>,
    name: &'static str,
) -> Result<Option<f64>, InboundError> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(seconds)) => seconds
            .as_f64()
            .map(Some)
            .ok_or(InboundError::MalformedClaim { claim: name }),
        Some(_) => Err(InboundError::MalformedClaim { claim: name }),
    }
}
