//! Message digests, for provider crates that sign or check values with a plain hash (no key
//! schedule of their own), so that `ring` stays a dependency of this crate only.

use ring::digest::{Context, SHA512};

/// The length in bytes of a SHA-512 digest.
pub const SHA512_LEN: usize = 64;

/// SHA-512 (FIPS 180-4) of the concatenation of `parts`, hashed incrementally: the message
/// is never assembled in memory, so a secret among the parts is not copied into a buffer
/// that outlives the call.
///
/// ```
/// use ordergate_runtime::digest::sha512;
///
/// let whole = sha512([b"abc".as_slice()]);
/// let pieces = sha512([b"a".as_slice(), b"".as_slice(), b"bc".as_slice()]);
/// assert_eq!(whole, pieces);
/// assert_eq!(whole[..4], [0xdd, 0xaf, 0x35, 0xa1]);
/// ```
pub fn sha512<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> [u8; SHA512_LEN] {
    let mut context = Context::new(&SHA512);
    for part in parts {
        context.update(part);
    }
    let digest = context.finish();
    let mut out = [0u8; SHA512_LEN];
    // ring's SHA-512 output is always 64 bytes; `zip` copies without a length check to fail.
    for (byte, digested) in out.iter_mut().zip(digest.as_ref()) {
        *byte = *digested;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    #[test]
    fn empty_input_is_the_fips_180_4_empty_digest() {
        // python3 -c 'import hashlib; print(hashlib.sha512(b"").hexdigest())'
        assert_eq!(
            hex(&sha512([])),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce\
             47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
        );
    }

    #[test]
    fn parts_hash_as_their_concatenation() {
        // python3 -c 'import hashlib; print(hashlib.sha512(b"abc").hexdigest())'
        let expected = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
                        2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
        assert_eq!(hex(&sha512([b"abc".as_slice()])), expected);
        assert_eq!(
            hex(&sha512([
                b"a".as_slice(),
                b"".as_slice(),
                b"b".as_slice(),
                b"c".as_slice()
            ])),
            expected
        );
    }
}
