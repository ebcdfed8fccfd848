//! Decimal amounts, as [`Item::unit_price`](crate::Item::unit_price) gives them: parsed and
//! added exactly, in integer units of the smallest decimal place given, never through `f64`
//! (1mg's `payable_amount` is their sum); a provider whose spec takes a JSON number
//! (Logitrail's `unit_price`) gets [`Amount::to_f64`] of a parsed amount.

use std::fmt;

/// The most decimal places an amount may have.
const MAX_SCALE: u32 = 6;

/// A non-negative decimal amount: `units / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Amount {
    units: u128,
    scale: u32,
}

/// Why a text is not an amount (the message names what is accepted, never guesses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotAnAmount;

impl fmt::Display for NotAnAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not a decimal amount (digits, optionally a point and at most {MAX_SCALE} decimals, such as \"12.50\")"
        )
    }
}

impl Amount {
    /// Zero, with no decimals.
    pub(crate) const ZERO: Self = Self { units: 0, scale: 0 };

    /// `text` (`"12"`, `"12.5"`, `"12.50"`, surrounding whitespace ignored); no sign, no
    /// exponent, no thousands separator.
    pub(crate) fn parse(text: &str) -> Result<Self, NotAnAmount> {
        let text = text.trim();
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, fraction),
            None => (text, ""),
        };
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(fraction)
            || (text.contains('.') && fraction.is_empty())
            || fraction.len() > MAX_SCALE as usize
            || whole.len() > 24
        {
            return Err(NotAnAmount);
        }
        let units = format!("{whole}{fraction}")
            .parse::<u128>()
            .map_err(|_| NotAnAmount)?;
        let scale = u32::try_from(fraction.len()).map_err(|_| NotAnAmount)?;
        Ok(Self { units, scale })
    }

    /// `self × quantity`, `None` on overflow.
    pub(crate) fn times(self, quantity: u32) -> Option<Self> {
        Some(Self {
            units: self.units.checked_mul(u128::from(quantity))?,
            scale: self.scale,
        })
    }

    /// `self + other` at the larger of the two scales, `None` on overflow.
    pub(crate) fn plus(self, other: Self) -> Option<Self> {
        let scale = self.scale.max(other.scale);
        let a = self.rescaled(scale)?;
        let b = other.rescaled(scale)?;
        Some(Self {
            units: a.checked_add(b)?,
            scale,
        })
    }

    /// The amount as the nearest `f64` (exact for every amount of up to 15 significant
    /// digits: `12.50` is 12.5).
    pub(crate) fn to_f64(self) -> f64 {
        // Both are exact in f64 below 2^53, and the quotient is then correctly rounded.
        self.units as f64 / 10f64.powi(self.scale as i32)
    }

    fn rescaled(self, scale: u32) -> Option<u128> {
        self.units
            .checked_mul(10u128.checked_pow(scale.checked_sub(self.scale)?)?)
    }
}

impl fmt::Display for Amount {
    /// The amount with its scale's decimals (`219.00` for units 21900 at scale 2).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.units.to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            return f.write_str(&digits);
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        write!(f, "{whole}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Amount {
        Amount::parse(text).expect("an amount")
    }

    #[test]
    fn amounts_parse_and_print_exactly() {
        for (text, printed) in [
            ("12", "12"),
            ("12.5", "12.5"),
            ("12.50", "12.50"),
            (" 0.05 ", "0.05"),
            ("0", "0"),
            ("007.10", "7.10"),
        ] {
            assert_eq!(amount(text).to_string(), printed, "{text}");
        }
        for text in [
            "",
            ".",
            ".5",
            "5.",
            "-1",
            "+1",
            "1e3",
            "1,000",
            "12.5.0",
            "1.1234567",
            "NaN",
            " ",
            "१२",
        ] {
            assert_eq!(Amount::parse(text), Err(NotAnAmount), "{text:?}");
        }
    }

    #[test]
    fn sums_keep_the_largest_scale_and_never_round() {
        let total = amount("73.00")
            .times(1)
            .and_then(|a| a.plus(amount("73").times(2)?))
            .expect("no overflow");
        assert_eq!(total.to_string(), "219.00");
        let total = amount("0.1").plus(amount("0.2")).expect("no overflow");
        assert_eq!(total.to_string(), "0.3");
        assert_eq!(
            Amount::ZERO.plus(amount("1.005")).map(|a| a.to_string()),
            Some("1.005".to_owned())
        );
        assert_eq!(amount("19.9").to_f64(), 19.9);
        assert_eq!(amount("12.50").to_f64(), 12.5);
        let huge = amount(&"9".repeat(24));
        assert_eq!(huge.times(u32::MAX).and_then(|a| a.times(u32::MAX)), None);
    }
}
