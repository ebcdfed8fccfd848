//! Spec `pattern`s of the simplest form, checked without a regex engine.
//!
//! Most id patterns in provider specs are one character class repeated: Fuuffy's `^[0-9]+$`,
//! Logitrail's `^[0-9a-fA-F]{24}$`. typify checks every pattern with a backtracking regex
//! engine (`regress`), which the benchmark profile showed costing more per call than the rest
//! of building the request. `ordergate-codegen` recognizes this form when it generates a
//! client and emits a [`CharClassPattern`] instead; any other pattern keeps `regress`.

/// `^[<ranges>]{min,max}$`: every character of the value is in one of `ranges` (inclusive),
/// and there are at least `min` and at most `max` (when bounded) of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharClassPattern {
    ranges: &'static [(char, char)],
    min: usize,
    max: Option<usize>,
}

impl CharClassPattern {
    /// The pattern `^[ranges]{min,max}$` (`max: None` is unbounded).
    pub const fn new(ranges: &'static [(char, char)], min: usize, max: Option<usize>) -> Self {
        Self { ranges, min, max }
    }

    /// Whether `value` matches the whole pattern, as the regex `^[ranges]{min,max}$` would.
    pub fn is_match(&self, value: &str) -> bool {
        let mut count = 0usize;
        for c in value.chars() {
            if !self.ranges.iter().any(|&(low, high)| low <= c && c <= high) {
                return false;
            }
            count += 1;
            if self.max.is_some_and(|max| count > max) {
                return false;
            }
        }
        count >= self.min
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGITS: CharClassPattern = CharClassPattern::new(&[('0', '9')], 1, None);
    const HEX24: CharClassPattern =
        CharClassPattern::new(&[('0', '9'), ('a', 'f'), ('A', 'F')], 24, Some(24));

    #[test]
    fn matches_like_the_anchored_regex() {
        for (value, expected) in [
            ("3550609", true),
            ("0", true),
            ("", false),
            ("12a", false),
            ("12\n", false),
            ("１２", false),
            (" 1", false),
        ] {
            assert_eq!(DIGITS.is_match(value), expected, "{value:?}");
        }
        assert!(HEX24.is_match("5f2b1c3d4e5f6a7b8c9d0e1F"));
        assert!(!HEX24.is_match("5f2b1c3d4e5f6a7b8c9d0e1"));
        assert!(!HEX24.is_match("5f2b1c3d4e5f6a7b8c9d0e1f0"));
        assert!(!HEX24.is_match("5f2b1c3d4e5f6a7b8c9d0e1g"));
    }
}
