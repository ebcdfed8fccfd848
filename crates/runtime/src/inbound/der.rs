//! Just enough PEM and DER to read RSA keys: the PEM armour (RFC 7468) and the
//! SubjectPublicKeyInfo wrapper (RFC 5280) around a PKCS#1 `RSAPublicKey` (RFC 8017).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The longest PEM text read (an 8192-bit private key is about 6.5 KB).
const MAX_PEM_BYTES: usize = 16 * 1024;

/// DER tags used here.
const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OBJECT_IDENTIFIER: u8 = 0x06;

/// The DER of the OID 1.2.840.113549.1.1.1, `rsaEncryption`.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// The RSA modulus sizes RS256 verification accepts, in bits (ring's
/// `RSA_PKCS1_2048_8192_SHA256`).
const MODULUS_BITS: std::ops::RangeInclusive<usize> = 2048..=8192;

/// The DER inside the first `-----BEGIN {label}-----` block of `pem`, or `None`.
pub(super) fn pem_block(pem: &str, label: &str) -> Option<Vec<u8>> {
    if pem.len() > MAX_PEM_BYTES {
        return None;
    }
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let (_, rest) = pem.split_once(&begin)?;
    let (body, _) = rest.split_once(&end)?;
    let base64: String = body.split_ascii_whitespace().collect();
    STANDARD.decode(base64).ok()
}

/// The PKCS#1 `RSAPublicKey` inside a SubjectPublicKeyInfo whose algorithm is
/// `rsaEncryption`, or `None`.
pub(super) fn rsa_public_key_from_spki(spki: &[u8]) -> Option<&[u8]> {
    let mut outer = Reader::new(Reader::new(spki).only(SEQUENCE)?);
    let mut algorithm = Reader::new(outer.next(SEQUENCE)?);
    if algorithm.next(OBJECT_IDENTIFIER)? != RSA_ENCRYPTION {
        return None;
    }
    let bits = outer.next(BIT_STRING)?;
    if !outer.is_empty() {
        return None;
    }
    match bits.split_first()? {
        (0, key) => Some(key),
        _ => None,
    }
}

/// Whether `der` is a PKCS#1 `RSAPublicKey` (modulus and exponent, nothing more) with a
/// modulus RS256 verification accepts.
pub(super) fn is_usable_rsa_public_key(der: &[u8]) -> bool {
    let Some(fields) = Reader::new(der).only(SEQUENCE) else {
        return false;
    };
    let mut fields = Reader::new(fields);
    let (Some(modulus), Some(_exponent)) = (fields.next(INTEGER), fields.next(INTEGER)) else {
        return false;
    };
    fields.is_empty() && MODULUS_BITS.contains(&unsigned_bits(modulus))
}

/// The number of significant bits of a DER INTEGER's content read as unsigned.
fn unsigned_bits(integer: &[u8]) -> usize {
    let start = integer
        .iter()
        .position(|byte| *byte != 0)
        .unwrap_or(integer.len());
    match integer.get(start..) {
        Some([first, rest @ ..]) => rest.len() * 8 + (8 - first.leading_zeros() as usize),
        _ => 0,
    }
}

/// Reads DER elements (definite lengths, at most four length bytes) one after another.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(input: &'a [u8]) -> Self {
        Self { rest: input }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The content of the next element, if it has tag `tag`.
    fn next(&mut self, tag: u8) -> Option<&'a [u8]> {
        let (&found, rest) = self.rest.split_first()?;
        if found != tag {
            return None;
        }
        let (&first, rest) = rest.split_first()?;
        let (length, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 {
                return None;
            }
            let (bytes, rest) = rest.split_at_checked(count)?;
            let length = bytes
                .iter()
                .fold(0usize, |length, byte| (length << 8) | usize::from(*byte));
            (length, rest)
        };
        let (content, rest) = rest.split_at_checked(length)?;
        self.rest = rest;
        Some(content)
    }

    /// The content of the one element left, if it has tag `tag` and nothing follows it.
    fn only(mut self, tag: u8) -> Option<&'a [u8]> {
        let content = self.next(tag)?;
        self.is_empty().then_some(content)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_or_foreign_der_is_refused_without_panicking() {
        assert_eq!(rsa_public_key_from_spki(&[]), None);
        assert_eq!(rsa_public_key_from_spki(&[0x30]), None);
        assert_eq!(rsa_public_key_from_spki(&[0x30, 0x85, 1, 2, 3, 4, 5]), None);
        assert_eq!(
            rsa_public_key_from_spki(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]),
            None
        );
        assert_eq!(rsa_public_key_from_spki(&[0x30, 0x02, 0x30, 0x00]), None);
        assert!(!is_usable_rsa_public_key(&[
            0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03
        ]));
        assert_eq!(unsigned_bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(unsigned_bits(&[0x01]), 1);
        assert_eq!(unsigned_bits(&[0x00]), 0);
        assert_eq!(
            pem_block("-----BEGIN X-----\n!!\n-----END X-----", "X"),
            None
        );
        assert_eq!(pem_block("-----BEGIN X-----\nAAEC\n", "X"), None);
        assert_eq!(
            pem_block("junk\n-----BEGIN X-----\nAAEC\n-----END X-----\n", "X"),
            Some(vec![0, 1, 2])
        );
    }
}
