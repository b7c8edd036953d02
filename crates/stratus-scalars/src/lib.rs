//! Whether a text is a value of one of AppSync's AWS scalars, by one definition that the schema
//! compiler (for `@default` values) and the server (for every write) both use.

use time::format_description::well_known::Rfc3339;

/// `AWSDateTime`: an RFC 3339 date and time with its offset (`2026-11-24T12:00:00Z`).
pub fn is_date_time(text: &str) -> bool {
    time::OffsetDateTime::parse(text, &Rfc3339).is_ok()
}

/// `AWSDate`: `2026-11-24`.
pub fn is_date(text: &str) -> bool {
    time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .is_ok()
}

/// `AWSTime`: `hh:mm`, `hh:mm:ss` or `hh:mm:ss.sss`, then optionally `Z` or an offset
/// (`+01:00`, `-05:30:00`).
pub fn is_time(text: &str) -> bool {
    let clock = match text.find(['Z', '+', '-']) {
        Some(at) => {
            let zone = &text[at..];
            let zone_ok = zone == "Z" || is_offset(&zone[1..]);
            if !zone_ok {
                return false;
            }
            &text[..at]
        }
        None => text,
    };
    let (seconds, fraction) = match clock.split_once('.') {
        Some((seconds, fraction)) => (seconds, Some(fraction)),
        None => (clock, None),
    };
    let fraction_ok =
        fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    let parts: Vec<&str> = seconds.split(':').collect();
    let limits: &[u32] = match (parts.len(), fraction) {
        (2, None) => &[23, 59],
        (3, _) => &[23, 59, 59],
        _ => return false,
    };
    fraction_ok
        && parts.iter().zip(limits).all(|(part, limit)| {
            part.len() == 2
                && part.bytes().all(|b| b.is_ascii_digit())
                && part.parse::<u32>().is_ok_and(|n| n <= *limit)
        })
}

fn is_offset(text: &str) -> bool {
    let parts: Vec<&str> = text.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `AWSPhone`: digits, optionally a leading `+`, with spaces, hyphens, dots or parentheses
/// between them (`+41 44 668 18 00`, `(206) 555-0100`).
pub fn is_phone(text: &str) -> bool {
    let body = text.strip_prefix('+').unwrap_or(text);
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || b" -.()".contains(&b))
}

/// `AWSIPAddress`: an IPv4 or IPv6 address, optionally with a CIDR prefix length.
pub fn is_ip_address(text: &str) -> bool {
    let (address, prefix) = match text.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (text, None),
    };
    match address.parse::<std::net::IpAddr>() {
        Ok(ip) => prefix.is_none_or(|p| {
            let max = if ip.is_ipv4() { 32 } else { 128 };
            p.parse::<u8>().is_ok_and(|n| n <= max)
        }),
        Err(_) => false,
    }
}

/// `AWSEmail`: `local@domain.tld`, no spaces.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.contains(char::is_whitespace)
}

/// `AWSURL`, as Stratus takes it: a web address (`http://` or `https://`).
pub fn is_url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://")) && text.len() >= 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day() {
        for good in [
            "12:00",
            "12:00:34",
            "12:00:34Z",
            "12:00:34.123",
            "23:59:59.9+01:00",
            "07:30-05:30",
        ] {
            assert!(is_time(good), "{good}");
        }
        for bad in [
            "text",
            "24:00",
            "12:60",
            "12",
            "12:00:34.",
            "12:00Zulu",
            "1:00",
        ] {
            assert!(!is_time(bad), "{bad}");
        }
    }

    #[test]
    fn phones_and_addresses() {
        assert!(is_phone("+41 44 668 18 00"));
        assert!(is_phone("(206) 555-0100"));
        assert!(!is_phone("text"));
        assert!(!is_phone("12"));
        assert!(is_ip_address("123.12.34.56"));
        assert!(is_ip_address("1a2b:3c4b::1234:4567"));
        assert!(is_ip_address("10.0.0.0/8"));
        assert!(!is_ip_address("10.0.0.0/33"));
        assert!(!is_ip_address("text"));
    }

    #[test]
    fn dates_emails_and_urls() {
        assert!(is_date_time("2007-04-05T14:30:34Z"));
        assert!(!is_date_time("2007-04-05"));
        assert!(is_date("2016-01-29"));
        assert!(!is_date("text"));
        assert!(is_email("ada@example.com"));
        assert!(!is_email("ada@example"));
        assert!(is_url("https://www.amazon.com/dp/B000NZW3KC/"));
        assert!(!is_url("text"));
    }
}
