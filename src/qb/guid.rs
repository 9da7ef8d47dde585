//! Random GUIDs: Web Connector session tickets, the `.qwc` OwnerID/FileID, iterator IDs and the
//! ExternalGUID custsync gives every customer it adds.
//!
//! They come from the operating system's entropy through `rand`'s thread generator (a CSPRNG):
//! a guessable ticket would let anyone hijack a session, and a repeated one mixed tenants' data
//! in one PHP Web Connector server (`consolibyte/quickbooks-php#319`).

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Guid([u8; 16]);

impl Guid {
    /// A random (version 4) GUID.
    pub fn random() -> Self {
        let mut b = [0u8; 16];
        rand::fill(&mut b);
        b[6] = (b[6] & 0x0F) | 0x40;
        b[8] = (b[8] & 0x3F) | 0x80;
        Guid(b)
    }

    /// Reads `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, with or without braces, any case.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let t = t
            .strip_prefix('{')
            .and_then(|t| t.strip_suffix('}'))
            .unwrap_or(t);
        let groups: Vec<&str> = t.split('-').collect();
        let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
        if lens != [8, 4, 4, 4, 12] {
            return None;
        }
        let hex: String = groups.concat();
        let mut out = [0u8; 16];
        for (i, byte) in out.iter_mut().enumerate() {
            let pair = hex.get(i * 2..i * 2 + 2)?;
            *byte = u8::from_str_radix(pair, 16).ok()?;
        }
        Some(Guid(out))
    }

    /// `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`, the form the `.qwc` and qbXML use.
    pub fn braced_upper(&self) -> String {
        format!("{{{}}}", self.to_string().to_uppercase())
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, the form used for tickets.
impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parses_and_differs() {
        let g = Guid::random();
        let s = g.to_string();
        assert_eq!(s.len(), 36);
        assert_eq!(s.as_bytes()[14], b'4', "version 4: {s}");
        assert_eq!(Guid::parse(&s), Some(g));
        assert_eq!(Guid::parse(&g.braced_upper()), Some(g));
        assert!(g.braced_upper().starts_with('{'));
        assert!(
            crate::qbxml::rules::is_guid(&g.braced_upper()),
            "qbXML's GUIDTYPE"
        );
        assert_ne!(Guid::random(), g);
        assert_eq!(Guid::parse("{1C1B7B2E-6B1E-4C55-9E0A}"), None);
        assert_eq!(Guid::parse("zzzzzzzz-6B1E-4C55-9E0A-5C2E0A7D3F11"), None);
    }
}
