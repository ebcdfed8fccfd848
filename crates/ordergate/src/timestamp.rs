//! Timestamps a provider sends as numbers, stated as RFC 3339 text like every other
//! timestamp the facade reports ([`OrderEvent::occurred_at`](crate::OrderEvent::occurred_at)).

/// `seconds` since the Unix epoch as RFC 3339 in UTC (`2026-12-02T15:04:05Z`); `None` outside
/// the years 1 to 9999.
pub(crate) fn rfc3339_utc(seconds: i64) -> Option<String> {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    // Howard Hinnant's `civil_from_days` (days since 1970-01-01 to a proleptic Gregorian date).
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    if !(1..=9999).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_become_utc_text_exactly() {
        assert_eq!(rfc3339_utc(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            rfc3339_utc(951_782_400).as_deref(),
            Some("2000-02-29T00:00:00Z")
        );
        assert_eq!(
            rfc3339_utc(1_796_358_248).as_deref(),
            Some("2026-12-04T04:24:08Z")
        );
        assert_eq!(
            rfc3339_utc(1_713_422_085).as_deref(),
            Some("2024-04-18T06:34:45Z")
        );
        assert_eq!(rfc3339_utc(-1).as_deref(), Some("1969-12-31T23:59:59Z"));
        assert_eq!(
            rfc3339_utc(253_402_300_799).as_deref(),
            Some("9999-12-31T23:59:59Z")
        );
        assert_eq!(rfc3339_utc(253_402_300_800), None);
        assert_eq!(rfc3339_utc(i64::MAX), None);
        assert_eq!(rfc3339_utc(i64::MIN), None);
    }
}
