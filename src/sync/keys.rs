//! Comparing codes and names the way matching does — case and surrounding spaces ignored —
//! without allocating a lowered copy of every one of 200,000 strings.

use std::hash::{Hash, Hasher};

/// A string compared and hashed ignoring case and surrounding white space.
#[derive(Clone, Copy, Debug)]
pub struct CiKey<'a>(&'a str);

impl<'a> CiKey<'a> {
    /// `None` for a blank string: blanks never match anything.
    pub fn new(s: &'a str) -> Option<Self> {
        let t = s.trim();
        (!t.is_empty()).then_some(CiKey(t))
    }

    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

impl PartialEq for CiKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0, other.0);
        if a.is_ascii() && b.is_ascii() {
            return a.eq_ignore_ascii_case(b);
        }
        a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
    }
}

impl Eq for CiKey<'_> {}

impl Hash for CiKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Must agree with `eq`: hash the lowered characters. ASCII goes eight bytes at a time.
        let s = self.0;
        if s.is_ascii() {
            let mut chunks = s.as_bytes().chunks_exact(8);
            for c in &mut chunks {
                let mut buf = [0u8; 8];
                for (d, b) in buf.iter_mut().zip(c) {
                    *d = b.to_ascii_lowercase();
                }
                state.write_u64(u64::from_le_bytes(buf));
            }
            for b in chunks.remainder() {
                state.write_u32(u32::from(b.to_ascii_lowercase()));
            }
        } else {
            let mut pending = 0u64;
            let mut n = 0;
            for c in s.chars().flat_map(char::to_lowercase) {
                if c.is_ascii() && n < 8 {
                    // Keep the same grouping as the ASCII path for ASCII runs at the start.
                    pending |= u64::from(c as u8) << (8 * n);
                    n += 1;
                    if n == 8 {
                        state.write_u64(pending);
                        pending = 0;
                        n = 0;
                    }
                } else {
                    for i in 0..n {
                        state.write_u32(((pending >> (8 * i)) & 0xFF) as u32);
                    }
                    pending = 0;
                    n = 0;
                    state.write_u32(c as u32);
                }
            }
            for i in 0..n {
                state.write_u32(((pending >> (8 * i)) & 0xFF) as u32);
            }
        }
        state.write_u8(0xFF);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn equal_ignoring_case_and_spaces() {
        let set: HashSet<CiKey> = ["Acme Supply", "Ärzte Zürich"]
            .iter()
            .filter_map(|s| CiKey::new(s))
            .collect();
        assert!(set.contains(&CiKey::new("  ACME supply ").unwrap()));
        assert!(set.contains(&CiKey::new("ärzte ZÜRICH").unwrap()));
        assert!(!set.contains(&CiKey::new("Acme Supplies").unwrap()));
        assert!(CiKey::new("   ").is_none());
    }
}
