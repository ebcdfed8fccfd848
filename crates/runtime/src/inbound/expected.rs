//! A shared secret the request must present, compared in constant time.

use ring::hmac;
use ring::rand::SystemRandom;

use super::InboundError;

/// A secret a request must present (a password, a token), kept only as its HMAC-SHA256 under
/// a key drawn at random when it is set up.
///
/// Comparing `HMAC(k, sent)` with `HMAC(k, expected)` through [`hmac::verify`] takes the same
/// time whatever the bytes sent and whatever their length, and the secret itself is not kept.
#[derive(Clone)]
pub(super) struct ExpectedSecret {
    key: hmac::Key,
    tag: hmac::Tag,
}

impl ExpectedSecret {
    /// Keeps `secret` for comparison.
    ///
    /// # Errors
    /// [`InboundError::EmptySecret`], or [`InboundError::RandomUnavailable`].
    pub(super) fn new(secret: &[u8]) -> Result<Self, InboundError> {
        if secret.is_empty() {
            return Err(InboundError::EmptySecret);
        }
        let key = hmac::Key::generate(hmac::HMAC_SHA256, &SystemRandom::new())
            .map_err(|_| InboundError::RandomUnavailable)?;
        let tag = hmac::sign(&key, secret);
        Ok(Self { key, tag })
    }

    /// Whether `sent` is the secret.
    pub(super) fn matches(&self, sent: &[u8]) -> bool {
        hmac::verify(&self.key, sent, self.tag.as_ref()).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_secret_only() {
        let expected = ExpectedSecret::new(b"abc").expect("non-empty");
        assert!(expected.matches(b"abc"));
        for other in [&b"abd"[..], b"ab", b"abcd", b"", b"ABC"] {
            assert!(!expected.matches(other), "{other:?}");
        }
        assert!(matches!(
            ExpectedSecret::new(b""),
            Err(InboundError::EmptySecret)
        ));
    }
}
