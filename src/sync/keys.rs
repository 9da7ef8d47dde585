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
        // Keys looked up are nearly always found written the same: one slice compare, before
        // the byte-by-byte fold.
        if a == b {
            return true;
        }
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
        // Must agree with `eq`. Setting bit 0x20 of every byte makes ASCII case irrelevant (it
        // also folds a few punctuation pairs together, which only costs a rare extra compare), and
        // lets eight bytes be hashed at a time. Non-ASCII text is lowered first.
        let s = self.0;
        if s.is_ascii() {
            hash_folded(s.as_bytes(), state);
        } else {
            let lowered: String = s.chars().flat_map(char::to_lowercase).collect();
            hash_folded(lowered.as_bytes(), state);
        }
    }
}

fn hash_folded<H: Hasher>(bytes: &[u8], state: &mut H) {
    const FOLD: u64 = 0x2020_2020_2020_2020;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(c);
        state.write_u64(u64::from_le_bytes(buf) | FOLD);
    }
    let rest = chunks.remainder();
    let mut buf = [0u8; 8];
    buf[..rest.len()].copy_from_slice(rest);
    state.write_u64(u64::from_le_bytes(buf) | FOLD);
    state.write_usize(bytes.len());
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
        // Text that lowers to plain ASCII hashes like that ASCII (the Kelvin sign is a K).
        assert!(
            set.contains(
                &CiKey::new("\u{212A}")
                    .map(|_| CiKey::new("k").unwrap())
                    .unwrap()
            ) == set.contains(&CiKey::new("k").unwrap())
        );
        let kelvin: HashSet<CiKey> = [CiKey::new("\u{212A}elvin").unwrap()].into_iter().collect();
        assert!(kelvin.contains(&CiKey::new("KELVIN").unwrap()));
        assert!(CiKey::new("   ").is_none());
    }
}
