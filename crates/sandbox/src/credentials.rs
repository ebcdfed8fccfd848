//! Comparing the credentials a client sent with the ones a fake accepts. Each fake's accepted
//! credentials are constants of its module (fake, local-only values, still never printed).

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
    fn secrets_compare_exactly() {
        assert!(secret_matches("abc", "abc"));
        assert!(!secret_matches("abd", "abc"));
        assert!(!secret_matches("ab", "abc"));
        assert!(!secret_matches("abcd", "abc"));
        assert!(!secret_matches("", "abc"));
    }
}
