//! Tata 1mg credentials: a bearer JWT plus the `X-Access-Key` header, both on every request.

use ordergate_runtime::{Auth, SecretString, TokenCache};
use reqwest::header::HeaderName;

use crate::jwt::{JwtError, JwtSigner};

/// The header 1mg reads the merchant's access key from.
pub const ACCESS_KEY_HEADER: &str = "x-access-key";

/// A 1mg merchant's credentials: the JWT (RS256, signed with the key 1mg issues, about 15
/// minutes valid) and the access key. `Debug` never shows either, nor a private key.
///
/// Either a JWT signed elsewhere ([`new`](Self::new)), or the private key the JWTs are signed
/// with ([`signed`](Self::signed), [`with_signer`](Self::with_signer)): the client then signs
/// its own, and a new one before the last expires (see [`JwtSigner`]).
#[derive(Clone, Debug)]
pub struct Credentials {
    bearer: Bearer,
    access_key: SecretString,
}

/// Where the JWT comes from.
#[derive(Clone, Debug)]
enum Bearer {
    /// A JWT signed elsewhere, sent as it is until it expires.
    Jwt(SecretString),
    /// JWTs signed by a [`JwtSigner`], renewed before they expire.
    Signed(TokenCache),
}

impl Credentials {
    /// Credentials from a signed JWT and the access key. The JWT is sent as it is: once it
    /// expires (15 minutes), 1mg refuses the calls; [`signed`](Self::signed) renews it.
    pub fn new(jwt: impl Into<SecretString>, access_key: impl Into<SecretString>) -> Self {
        Self {
            bearer: Bearer::Jwt(jwt.into()),
            access_key: access_key.into(),
        }
    }

    /// Credentials that sign their own JWTs with the RSA private key 1mg issued (PKCS#8 or
    /// PKCS#1 PEM): RS256, claims `iat` and `exp` 15 minutes later, a new token 60 seconds
    /// before the last expires (see [`JwtSigner`]); and the access key.
    ///
    /// ```no_run
    /// use ordergate_onemg::{Client, Credentials};
    ///
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let pem = std::fs::read_to_string("1mg-private-key.pem")?;
    /// let credentials = Credentials::signed(&pem, std::env::var("ONEMG_ACCESS_KEY")?)?;
    /// let client = Client::with_credentials(ordergate_onemg::PRODUCTION_BASE_URL, credentials)?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`JwtError::InvalidKey`] when `private_key_pem` holds no RSA private key of 2048 to 4096
    /// bits. Nothing is sent.
    pub fn signed(
        private_key_pem: &str,
        access_key: impl Into<SecretString>,
    ) -> Result<Self, JwtError> {
        let signer = JwtSigner::from_private_key_pem(private_key_pem)?;
        Ok(Self::with_signer(signer, access_key))
    }

    /// Credentials whose JWTs `signer` signs (for a lifetime of your choice:
    /// [`JwtSigner::with_lifetime`]), and the access key.
    pub fn with_signer(signer: JwtSigner, access_key: impl Into<SecretString>) -> Self {
        Self {
            bearer: Bearer::Signed(signer.into_cache()),
            access_key: access_key.into(),
        }
    }
}

impl From<Credentials> for Auth {
    fn from(credentials: Credentials) -> Self {
        let bearer = match credentials.bearer {
            Bearer::Jwt(jwt) => Auth::bearer(jwt),
            Bearer::Signed(cache) => Auth::token_source(cache),
        };
        bearer.with_secret_header(
            HeaderName::from_static(ACCESS_KEY_HEADER),
            credentials.access_key,
        )
    }
}
