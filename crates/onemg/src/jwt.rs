//! The JWT a merchant signs itself for Tata 1mg: RS256 with the RSA private key 1mg issues,
//! claims `iat` and `exp` only, valid 15 minutes (JWT Token Generation Guide,
//! <https://onedoc.1mg.com/public_docs/content/Merchant%20Integration%20Documentation/Phamacy%20API%20Integration/jwt-token-generation-guide>).
//!
//! [`JwtSigner`] makes such tokens, and is a [`TokenSource`]: as [`Auth`] (through
//! [`Credentials::signed`](crate::Credentials::signed) or
//! [`Credentials::with_signer`](crate::Credentials::with_signer)) a client signs a token when
//! it first needs one, reuses it, and signs the next one shortly before it expires.

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ordergate_runtime::inbound::{InboundError, Rs256Signer};
use ordergate_runtime::{
    Auth, ExposeSecret as _, FreshToken, SecretString, TokenCache, TokenError, TokenFuture,
    TokenSource,
};
use serde::Serialize;

/// How long a token is valid unless told otherwise: 15 minutes, as 1mg's guide sets `exp`.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// How long before a token expires the next one is signed: 60 seconds. The token cache uses
/// at most half the token's lifetime as the margin, and gives back up to half of the margin at
/// random per token (so that clients started together do not all sign at once): a 15-minute
/// token is replaced between 60 and 30 seconds before its `exp` (see [`TokenCache`]).
pub const RENEWAL_MARGIN: Duration = Duration::from_secs(60);

/// The largest private key file read: 64 KiB (a 4096-bit RSA key in PEM is about 3.3 KiB).
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// Signs the JWTs Tata 1mg accepts: header `{"alg":"RS256","typ":"JWT"}`, claims `iat` (the
/// time of signing) and `exp` (`iat` plus the lifetime, [`DEFAULT_LIFETIME`] unless set), both
/// whole seconds since the Unix epoch, signed RS256 (RSASSA-PKCS1-v1_5 with SHA-256) with the
/// RSA private key 1mg issues (JWT Token Generation Guide,
/// <https://onedoc.1mg.com/public_docs/content/Merchant%20Integration%20Documentation/Phamacy%20API%20Integration/jwt-token-generation-guide>).
///
/// A [`TokenSource`]: [`into_cache`](Self::into_cache) gives the [`TokenCache`] a client
/// uses, which signs a token when none is valid (one signature, whatever the number of calls
/// waiting), reuses it, and signs the next one [`RENEWAL_MARGIN`] before it expires.
/// [`Credentials::signed`](crate::Credentials::signed) does all of it.
///
/// The key is parsed once, when the signer is made: a key that does not parse is an error
/// then, before anything is sent. `Debug` and errors never show the key.
///
/// ```
/// use std::time::Duration;
/// use ordergate_onemg::jwt::{JwtError, JwtSigner};
///
/// let error = JwtSigner::from_private_key_pem("not a key").expect_err("no key");
/// assert!(matches!(error, JwtError::InvalidKey { .. }));
///
/// # fn run(pem: &str) -> Result<(), JwtError> {
/// // With the key 1mg issued (PKCS#8 or PKCS#1 PEM), tokens valid 10 minutes:
/// let signer = JwtSigner::from_private_key_pem(pem)?.with_lifetime(Duration::from_secs(600));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct JwtSigner {
    signer: Rs256Signer,
    lifetime: Duration,
}

/// The claims of 1mg's JWT, in this order.
#[derive(Serialize)]
struct Claims {
    iat: u64,
    exp: u64,
}

impl JwtSigner {
    /// The signer for the RSA private key in `pem`, as 1mg issues it: PKCS#8
    /// (`-----BEGIN PRIVATE KEY-----`) or PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`), 2048 to
    /// 4096 bits. Line breaks written as the two characters `\n` (a PEM kept on one line of an
    /// environment file) are read as line breaks.
    ///
    /// # Errors
    /// [`JwtError::InvalidKey`] when `pem` holds no such key (garbage, a public key, an
    /// encrypted key, an EC key, an RSA key under 2048 bits). The reason never quotes the key.
    pub fn from_private_key_pem(pem: &str) -> Result<Self, JwtError> {
        let unescaped;
        let pem = if !pem.contains('\n') && pem.contains("\\n") {
            unescaped = pem.replace("\\n", "\n");
            unescaped.as_str()
        } else {
            pem
        };
        let signer = Rs256Signer::from_private_key_pem(pem).map_err(|error| match error {
            InboundError::InvalidKey { reason } => JwtError::InvalidKey { reason },
            _ => JwtError::InvalidKey {
                reason: "not an RSA private key",
            },
        })?;
        Ok(Self {
            signer,
            lifetime: DEFAULT_LIFETIME,
        })
    }

    /// The signer for the RSA private key in the PEM file at `path` (see
    /// [`from_private_key_pem`](Self::from_private_key_pem)).
    ///
    /// # Errors
    /// [`JwtError::UnreadableKeyFile`] when the file cannot be read or is larger than 64 KiB;
    /// [`JwtError::InvalidKey`] as [`from_private_key_pem`](Self::from_private_key_pem).
    pub fn from_private_key_file(path: impl AsRef<Path>) -> Result<Self, JwtError> {
        let path = path.as_ref();
        let unreadable = |reason: String| JwtError::UnreadableKeyFile {
            path: path.to_owned(),
            reason,
        };
        let file = std::fs::File::open(path).map_err(|e| unreadable(e.kind().to_string()))?;
        let mut pem = String::new();
        file.take(MAX_KEY_FILE_BYTES + 1)
            .read_to_string(&mut pem)
            .map_err(|e| unreadable(e.kind().to_string()))?;
        let pem = SecretString::from(pem);
        let text = pem.expose_secret();
        if text.len() as u64 > MAX_KEY_FILE_BYTES {
            return Err(unreadable(
                "larger than 64 KiB, which no private key is".to_owned(),
            ));
        }
        Self::from_private_key_pem(text)
    }

    /// The same signer making tokens valid for `lifetime` (default [`DEFAULT_LIFETIME`]), in
    /// whole seconds (a fraction is dropped), at least one second. The token is replaced
    /// [`RENEWAL_MARGIN`] before it expires, or half its lifetime when that is shorter.
    #[must_use]
    pub fn with_lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = Duration::from_secs(lifetime.as_secs().max(1));
        self
    }

    /// How long the tokens are valid (`exp - iat`).
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// A token signed now: `iat` now, `exp` `iat` plus the lifetime.
    ///
    /// # Errors
    /// [`JwtError::ClockBeforeEpoch`]; [`JwtError::SigningFailed`].
    pub fn sign(&self) -> Result<SecretString, JwtError> {
        self.sign_at(SystemTime::now())
    }

    /// A token signed as at `now`: `iat` is `now` in whole seconds, `exp` `iat` plus the
    /// lifetime.
    ///
    /// # Errors
    /// [`JwtError::ClockBeforeEpoch`] when `now` is before 1970; [`JwtError::SigningFailed`]
    /// when the signature cannot be made.
    pub fn sign_at(&self, now: SystemTime) -> Result<SecretString, JwtError> {
        self.sign_valid_for(now).map(|(token, _)| token)
    }

    /// A token signed as at `now`, and how long from `now` it stays valid: the lifetime less
    /// the fraction of a second `iat` dropped, so that the cache renews it before its `exp`,
    /// not up to a second after.
    fn sign_valid_for(&self, now: SystemTime) -> Result<(SecretString, Duration), JwtError> {
        let since_epoch = now
            .duration_since(UNIX_EPOCH)
            .map_err(|_| JwtError::ClockBeforeEpoch)?;
        let iat = since_epoch.as_secs();
        let exp = iat.saturating_add(self.lifetime.as_secs());
        let token = self
            .signer
            .sign(&Claims { iat, exp })
            .map(SecretString::from)
            .map_err(|_| JwtError::SigningFailed)?;
        let valid_for = Duration::from_secs(exp).saturating_sub(since_epoch);
        Ok((token, valid_for))
    }

    /// The cache of this signer's tokens a client uses: a token is signed when none is valid
    /// (one signature for every call waiting), reused, and replaced [`RENEWAL_MARGIN`] before
    /// it expires (see [`TokenCache`]). Share it between clients with
    /// `Auth::token_source(cache.clone())`.
    pub fn into_cache(self) -> TokenCache {
        let lifetime = self.lifetime;
        TokenCache::with_margin(self, lifetime, RENEWAL_MARGIN)
    }
}

impl TokenSource for JwtSigner {
    /// Signs a token now, valid until its `exp`. Nothing is sent.
    fn fetch(&self) -> TokenFuture<'_> {
        let signed = self
            .sign_valid_for(SystemTime::now())
            .map(|(token, valid_for)| FreshToken::new(token, Some(valid_for)))
            .map_err(|error| TokenError::Invalid(error.to_string()));
        Box::pin(std::future::ready(signed))
    }
}

/// `Authorization: Bearer <JWT>` signed by the signer (no `X-Access-Key`: use
/// [`Credentials::with_signer`](crate::Credentials::with_signer) for both).
impl From<JwtSigner> for Auth {
    fn from(signer: JwtSigner) -> Self {
        Auth::token_source(signer.into_cache())
    }
}

impl fmt::Debug for JwtSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtSigner")
            .field("private_key", &"[redacted]")
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

/// A 1mg JWT could not be signed. Never contains the key or a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// The PEM holds no RSA private key the signer can use.
    #[error("the Tata 1mg private key is refused: {reason}")]
    InvalidKey {
        /// Why, never quoting the key.
        reason: &'static str,
    },
    /// The private key file could not be read.
    #[error("cannot read the Tata 1mg private key file {}: {reason}", path.display())]
    UnreadableKeyFile {
        /// The file.
        path: PathBuf,
        /// Why (the kind of I/O error, or its size).
        reason: String,
    },
    /// The system clock is before 1970, so `iat` cannot be written.
    #[error("the system clock is before 1970: cannot write the JWT's iat")]
    ClockBeforeEpoch,
    /// The signature could not be made.
    #[error("signing the Tata 1mg JWT failed")]
    SigningFailed,
}
