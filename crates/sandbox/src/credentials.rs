//! The fixed credentials every sandbox accepts. They are fake, local-only values, but they are
//! still treated as secrets: `Debug` shows `[redacted]` for every secret field.

use std::fmt;

/// Fuuffy's sandbox access token (the bearer token every Fuuffy order call must carry).
pub const FUUFFY_TOKEN: &str = "sk-5a4db0c0ffee5a4db0c0ffee5a4db0c0";
/// The client id `POST /v1/auth/token` accepts.
pub const FUUFFY_CLIENT_ID: &str = "ordergate-sandbox";
/// The client secret `POST /v1/auth/token` accepts.
pub const FUUFFY_CLIENT_SECRET: &str = "fuuffy-sandbox-client-secret";
/// Logitrail's sandbox merchant id (the Basic-auth username is `M-` followed by it).
pub const LOGITRAIL_MERCHANT_ID: &str = "sandbox.example.com";
/// Logitrail's sandbox shared secret (the Basic-auth password).
pub const LOGITRAIL_SECRET: &str = "logitrail-sandbox-secret";
/// Tata 1mg's sandbox bearer JWT (a well-formed, unsigned sample; the sandbox compares it
/// verbatim and does not verify a signature).
pub const ONEMG_TOKEN: &str =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvcmRlcmdhdGUtc2FuZGJveCJ9.c2FuZGJveA";
/// Tata 1mg's sandbox `X-Access-Key`.
pub const ONEMG_ACCESS_KEY: &str = "onemg-sandbox-access-key";
/// Tata 1mg's sandbox merchant id (the `{merchant_id}` path segment).
pub const ONEMG_MERCHANT_ID: &str = "ordergate-sandbox";
/// FastPOD's sandbox bearer token.
pub const FASTPOD_TOKEN: &str = "fastpod-sandbox-token";

const REDACTED: &str = "[redacted]";

/// Every provider's sandbox credentials, as [`Sandbox::credentials`](crate::Sandbox::credentials)
/// returns them. `Debug` redacts every secret.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Credentials {
    /// Fuuffy.
    pub fuuffy: FuuffyCredentials,
    /// Logitrail.
    pub logitrail: LogitrailCredentials,
    /// Tata 1mg.
    pub onemg: OnemgCredentials,
    /// FastPOD.
    pub fastpod: FastpodCredentials,
}

impl Credentials {
    /// The credentials every sandbox accepts (the constants of this module).
    pub fn sandbox() -> Self {
        Self {
            fuuffy: FuuffyCredentials {
                token: FUUFFY_TOKEN.to_owned(),
                client_id: FUUFFY_CLIENT_ID.to_owned(),
                client_secret: FUUFFY_CLIENT_SECRET.to_owned(),
            },
            logitrail: LogitrailCredentials {
                merchant_id: LOGITRAIL_MERCHANT_ID.to_owned(),
                secret: LOGITRAIL_SECRET.to_owned(),
            },
            onemg: OnemgCredentials {
                token: ONEMG_TOKEN.to_owned(),
                access_key: ONEMG_ACCESS_KEY.to_owned(),
                merchant_id: ONEMG_MERCHANT_ID.to_owned(),
            },
            fastpod: FastpodCredentials {
                token: FASTPOD_TOKEN.to_owned(),
            },
        }
    }
}

impl Default for Credentials {
    fn default() -> Self {
        Self::sandbox()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("fuuffy", &self.fuuffy)
            .field("logitrail", &self.logitrail)
            .field("onemg", &self.onemg)
            .field("fastpod", &self.fastpod)
            .finish()
    }
}

/// Fuuffy: a bearer access token, plus the client id and secret that
/// `POST /v1/auth/token` exchanges for that token.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FuuffyCredentials {
    /// The access token (`Authorization: Bearer <token>`).
    pub token: String,
    /// The OAuth client id for the token endpoint.
    pub client_id: String,
    /// The OAuth client secret for the token endpoint.
    pub client_secret: String,
}

impl fmt::Debug for FuuffyCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FuuffyCredentials")
            .field("token", &REDACTED)
            .field("client_id", &self.client_id)
            .field("client_secret", &REDACTED)
            .finish()
    }
}

/// Logitrail: HTTP Basic, username `M-<merchant_id>`, password the secret.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogitrailCredentials {
    /// The merchant id (without the `M-` prefix).
    pub merchant_id: String,
    /// The shared secret.
    pub secret: String,
}

impl fmt::Debug for LogitrailCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogitrailCredentials")
            .field("merchant_id", &self.merchant_id)
            .field("secret", &REDACTED)
            .finish()
    }
}

/// Tata 1mg: a bearer JWT and an `X-Access-Key`, plus the merchant id of the path.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OnemgCredentials {
    /// The JWT (`Authorization: Bearer <jwt>`).
    pub token: String,
    /// The access key (`X-Access-Key`).
    pub access_key: String,
    /// The merchant id (`/api/v4/merchants/{merchant_id}/...`).
    pub merchant_id: String,
}

impl fmt::Debug for OnemgCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnemgCredentials")
            .field("token", &REDACTED)
            .field("access_key", &REDACTED)
            .field("merchant_id", &self.merchant_id)
            .finish()
    }
}

/// FastPOD: a bearer token.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FastpodCredentials {
    /// The API token (`Authorization: Bearer <token>`).
    pub token: String,
}

impl fmt::Debug for FastpodCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FastpodCredentials")
            .field("token", &REDACTED)
            .finish()
    }
}

/// Compares a secret the client sent with the expected one without stopping at the first
/// differing byte.
pub(crate) fn secret_matches(sent: &str, expected: &str) -> bool {
    let (sent, expected) = (sent.as_bytes(), expected.as_bytes());
    let mut difference = u8::from(sent.len() != expected.len());
    for (index, byte) in expected.iter().enumerate() {
        difference |= byte ^ sent.get(index).copied().unwrap_or(0);
    }
    difference == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_secret() {
        let printed = format!("{:?}", Credentials::sandbox());
        for secret in [
            FUUFFY_TOKEN,
            FUUFFY_CLIENT_SECRET,
            LOGITRAIL_SECRET,
            ONEMG_TOKEN,
            ONEMG_ACCESS_KEY,
            FASTPOD_TOKEN,
        ] {
            assert!(!printed.contains(secret), "{printed}");
        }
        assert!(printed.contains(LOGITRAIL_MERCHANT_ID));
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(secret_matches("abc", "abc"));
        assert!(!secret_matches("abd", "abc"));
        assert!(!secret_matches("ab", "abc"));
        assert!(!secret_matches("abcd", "abc"));
        assert!(!secret_matches("", "abc"));
    }
}
