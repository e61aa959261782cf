//! Checks and derived values of the issue's metadata: ISSN, language tags, dates, the
//! printed date, the issue number and the default identifier.

use crate::model::{Date, Language};

/// Validates an ISSN (`1234-5679`, hyphen optional, `x` accepted for `X`) and returns it as
/// `1234-567X`. The error says what is wrong, naming the expected check digit.
pub(crate) fn issn(written: &str) -> Result<String, String> {
    let chars: Vec<char> = written
        .trim()
        .chars()
        .filter(|&c| c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let shape_ok = chars.len() == 8
        && chars[..7].iter().all(char::is_ascii_digit)
        && (chars[7].is_ascii_digit() || chars[7] == 'X')
        && written.trim().chars().filter(|&c| c == '-').count() <= 1;
    if !shape_ok {
        return Err(format!(
            "`{written}` is not an ISSN: it has the form 1234-567X (seven digits and a check digit or X)"
        ));
    }
    let sum: u32 = chars[..7]
        .iter()
        .zip((2..=8).rev())
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = (11 - sum % 11) % 11;
    let expected = if check == 10 {
        'X'
    } else {
        char::from_digit(check, 10).unwrap_or('0')
    };
    if chars[7] != expected {
        return Err(format!(
            "the ISSN `{written}` has a wrong check digit: `{}` where `{expected}` is expected",
            chars[7]
        ));
    }
    let digits: String = chars.iter().collect();
    Ok(format!("{}-{}", &digits[..4], &digits[4..]))
}

/// Validates a BCP 47 tag (RFC 5646 well-formedness, plus a primary language of two or
/// three letters, since no longer ones are registered). Returns a hint on failure.
pub(crate) fn language(written: &str) -> Result<Language, String> {
    let tag = written.trim();
    let hint = if tag.contains('_') {
        format!(
            "BCP 47 separates subtags with `-`: write `{}`",
            tag.replace('_', "-")
        )
    } else {
        "write a BCP 47 language tag such as `en`, `en-GB`, `de` or `fr-CA`".to_string()
    };
    let parsed = oxilangtag::LanguageTag::parse(tag).map_err(|_| hint.clone())?;
    let lower = tag.to_ascii_lowercase();
    // Private-use (`x-…`) and grandfathered (`i-…`) tags have no primary subtag to check.
    let special = lower.starts_with("x-") || lower.starts_with("i-");
    if !special && !(2..=3).contains(&parsed.primary_language().len()) {
        return Err(hint);
    }
    Ok(Language(tag.to_string()))
}

/// Parses an ISO 8601 calendar date `YYYY-MM-DD` and checks that the day exists.
pub(crate) fn date(written: &str) -> Result<Date, String> {
    let err = || format!("`{written}` is not a date: write it as YYYY-MM-DD, e.g. 2026-11-01");
    let parts: Vec<&str> = written.trim().split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err(err());
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return Err(err());
    }
    let year: u16 = y.parse().map_err(|_| err())?;
    let month: u8 = m.parse().map_err(|_| err())?;
    let day: u8 = d.parse().map_err(|_| err())?;
    if !(1..=12).contains(&month) {
        return Err(format!(
            "`{written}` is not a date: there is no month {month}"
        ));
    }
    if year == 0 || day == 0 || day > days_in_month(year, month) {
        return Err(format!(
            "`{written}` is not a date: month {month} of {year} has no day {day}"
        ));
    }
    Ok(Date { year, month, day })
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// The printed form of `date` in `language`: "1 November 2026", "November 1, 2026" for
/// US English, "1. November 2026" for German; other languages use the English form.
pub(crate) fn date_label(date: Date, language: &Language) -> String {
    let m = usize::from(date.month.clamp(1, 12)) - 1;
    match language.primary().as_str() {
        "de" => format!("{}. {} {}", date.day, MONTHS_DE[m], date.year),
        "en" if language.region().as_deref() == Some("US") => {
            format!("{} {}, {}", MONTHS_EN[m], date.day, date.year)
        }
        _ => format!("{} {} {}", date.day, MONTHS_EN[m], date.year),
    }
}

/// The issue number held by an issue label: "42" → 42, "No. 7" → 7. `None` when the label
/// holds no number or several, or when its only number is a year beside words
/// ("Spring 2026").
pub(crate) fn issue_number(label: &str) -> Option<u32> {
    let runs: Vec<&str> = label
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let [run] = runs[..] else {
        return None;
    };
    let has_words = label.chars().filter(|c| c.is_alphabetic()).count() > 3;
    if has_words && run.len() == 4 {
        return None;
    }
    run.parse().ok()
}

/// The default identifier: a name-based UUID (version 5, URL namespace) over
/// `title + "\n" + issue`, so the same issue always gets the same identifier.
pub(crate) fn identifier(title: &str, issue: &str) -> String {
    let name = format!("{title}\n{issue}");
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes());
    format!("urn:uuid:{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issn_check_digit() {
        assert_eq!(issn("0317-8471").unwrap(), "0317-8471");
        assert_eq!(issn("2049-3630").unwrap(), "2049-3630");
        assert_eq!(issn("1050-124x").unwrap(), "1050-124X");
        assert_eq!(issn("03178471").unwrap(), "0317-8471");
        let e = issn("0317-8472").unwrap_err();
        assert!(e.contains("`1` is expected"), "{e}");
        assert!(issn("0317-847").is_err());
        assert!(issn("03a7-8471").is_err());
        assert!(issn("0317--8471").is_err());
    }

    #[test]
    fn language_tags() {
        for ok in [
            "en",
            "en-GB",
            "de",
            "fr-CA",
            "zh-Hant-TW",
            "sr-Latn",
            "de-CH-1996",
            "x-private",
        ] {
            assert!(language(ok).is_ok(), "{ok}");
        }
        assert!(language("en_GB").unwrap_err().contains("`en-GB`"));
        for bad in [
            "",
            "english",
            "e",
            "en-",
            "en--GB",
            "123",
            "en-GB-toolongsubtag",
        ] {
            assert!(language(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            date("2026-11-01").unwrap(),
            Date {
                year: 2026,
                month: 11,
                day: 1
            }
        );
        assert!(date("2024-02-29").is_ok());
        assert!(date("2026-02-29").unwrap_err().contains("no day 29"));
        assert!(date("2026-13-01").is_err());
        assert!(date("2026-1-01").is_err());
        assert!(date("1 Nov 2026").is_err());
        assert!(date("2026-11-01T10:00").is_err());
        assert!(date("1900-02-29").is_err());
        assert!(date("2000-02-29").is_ok());
    }

    #[test]
    fn date_labels_by_language() {
        let d = Date {
            year: 2026,
            month: 11,
            day: 1,
        };
        assert_eq!(date_label(d, &Language("en-GB".into())), "1 November 2026");
        assert_eq!(date_label(d, &Language("en-US".into())), "November 1, 2026");
        assert_eq!(date_label(d, &Language("de".into())), "1. November 2026");
        let m = Date { month: 3, ..d };
        assert_eq!(date_label(m, &Language("de-AT".into())), "1. März 2026");
        assert_eq!(date_label(d, &Language("fi".into())), "1 November 2026");
    }

    #[test]
    fn issue_numbers() {
        assert_eq!(issue_number("42"), Some(42));
        assert_eq!(issue_number("No. 7"), Some(7));
        assert_eq!(issue_number("#12"), Some(12));
        assert_eq!(issue_number("Spring 2026"), None);
        assert_eq!(issue_number("3/2026"), None);
        assert_eq!(issue_number("Special"), None);
        assert_eq!(issue_number("1000"), Some(1000));
    }

    #[test]
    fn identifier_is_deterministic_and_distinct() {
        let a = identifier("The Northern Review", "42");
        assert_eq!(a, identifier("The Northern Review", "42"));
        assert!(a.starts_with("urn:uuid:"));
        assert_eq!(a.len(), "urn:uuid:".len() + 36);
        // Version 5 is the first digit of the third group.
        assert_eq!(&a[9 + 14..9 + 15], "5");
        assert_ne!(a, identifier("The Northern Review", "43"));
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        assert_ne!(identifier("ab", "c"), identifier("a", "bc"));
    }
}
