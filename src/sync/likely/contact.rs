//! Phone numbers, email addresses and postal codes in the form in which two spellings of the
//! same one are equal.

/// A phone number's digits as a number. Punctuation, spaces and an extension ("x12",
/// "ext. 12") do not count; a leading North American country code 1 is dropped and of longer
/// numbers the last ten digits are kept (+44 20 7946 0958 and 020 7946 0958 are one number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Phone {
    value: u64,
    digits: u8,
}

/// Fewer digits than a local number: not a phone number.
const MIN_DIGITS: u8 = 7;
const LOCAL: u64 = 10_000_000;

impl Phone {
    pub fn parse(text: &str) -> Option<Phone> {
        let mut value: u64 = 0;
        let mut digits: u8 = 0;
        for c in text.chars() {
            if let Some(d) = c.to_digit(10) {
                // Keep the last ten digits; more only means a country code in front.
                value = (value * 10 + u64::from(d)) % 100_000_000_000;
                digits = digits.saturating_add(1);
            } else if (c.is_alphabetic() || c == '#') && digits >= MIN_DIGITS {
                break; // an extension
            }
        }
        if digits < MIN_DIGITS {
            return None;
        }
        if digits >= 11 {
            value %= 10_000_000_000;
            digits = 10;
        }
        Some(Phone { value, digits })
    }

    /// The last seven digits: the same for a number written with and without its area code.
    pub fn local_part(self) -> u64 {
        self.value % LOCAL
    }

    /// The area code of a ten-digit number.
    pub fn area(self) -> Option<u64> {
        (self.digits >= 10).then_some(self.value / LOCAL % 1000)
    }

    /// The same number. A number without an area code agrees with one that ends the same way.
    pub fn same(self, other: Phone) -> bool {
        if self.digits >= 10 && other.digits >= 10 {
            self.value == other.value
        } else {
            self.local_part() == other.local_part()
        }
    }
}

/// The addresses in an email field (some hold two, separated by `;` or `,`), as typed; fold
/// them (`text::fold`) to compare.
pub fn emails(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', ',', ' '])
        .map(str::trim)
        .filter(|e| e.contains('@') && e.len() > 2)
}

/// Appends `text` as a postal code — capitals, no spaces or dashes, a US ZIP+4 as its
/// five-digit ZIP — to `out`; `false` (and nothing appended) when it is too short to be one.
pub fn push_postal_code(text: &str, out: &mut String) -> bool {
    let start = out.len();
    if text.is_ascii() {
        out.extend(
            text.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_uppercase())),
        );
    } else {
        out.extend(
            text.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_uppercase),
        );
    }
    let code = &out[start..];
    if code.len() < 3 {
        out.truncate(start);
        return false;
    }
    if code.len() == 9 && code.bytes().all(|b| b.is_ascii_digit()) {
        out.truncate(start + 5);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        Phone::parse(a)
            .zip(Phone::parse(b))
            .is_some_and(|(a, b)| a.same(b))
    }

    #[test]
    fn phones_compare_by_digits() {
        assert!(same("(312) 555-0100", "312.555.0100"));
        assert!(same("+1 312 555 0100", "312-555-0100"));
        assert!(same("1-312-555-0100", "3125550100"));
        assert!(same("312-555-0100 x204", "312 555 0100"));
        assert!(same("312-555-0100 ext. 9", "312-555-0100"));
        assert!(same("312-555-0100 #9", "312-555-0100"));
        assert!(same("+44 20 7946 0958", "020 7946 0958"));
        // Without an area code: the local number must agree.
        assert!(same("555-0100", "(312) 555-0100"));
        assert!(!same("(312) 555-0100", "(415) 555-0100"));
        assert!(!same("312-555-0100", "312-555-0101"));
        let area = |p: &str| Phone::parse(p).and_then(Phone::area);
        assert_eq!(area("(312) 555-0100"), Some(312));
        assert_eq!(area("+1 312 555 0100"), Some(312));
        assert_eq!(area("555-0100"), None);
        assert!(Phone::parse("n/a").is_none());
        assert!(Phone::parse("12345").is_none());
    }

    #[test]
    fn emails_split() {
        let v: Vec<&str> = emails(" AP@Acme.COM; billing@acme.com ").collect();
        assert_eq!(v, ["AP@Acme.COM", "billing@acme.com"]);
        assert_eq!(emails("none").count(), 0);
    }

    #[test]
    fn postal_codes() {
        let code = |t: &str| {
            let mut out = String::from("x");
            push_postal_code(t, &mut out).then(|| out[1..].to_string())
        };
        assert_eq!(code("62701-1234").as_deref(), Some("62701"));
        assert_eq!(code("62701").as_deref(), Some("62701"));
        assert_eq!(code("k1a 0b1").as_deref(), Some("K1A0B1"));
        assert_eq!(code("SW1A 1AA").as_deref(), Some("SW1A1AA"));
        assert_eq!(code("-"), None);
    }
}
