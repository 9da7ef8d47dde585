//! Text as people compare it: accents and case folded, numbers in names read as numbers.
//!
//! Shared by the likely-duplicate search (`sync::likely`) and the screens' search and sort, so
//! "zurich" finds Café Zürich in a pane for the same reason Café Zürich and Cafe Zurich are a
//! likely pair. Pure, and depends on nothing else in the crate.
//!
//! **Folding is a hand-written table, not `unicode-normalization` or `deunicode`.** QuickBooks
//! stores ISO-8859-1 only, so the letters that matter are Latin-1's and the Latin Extended ones
//! SMSTurbo users type for Central European, Nordic, Baltic, Romanian, Turkish and Vietnamese
//! names. Canonical decomposition (`unicode-normalization`, NFD then dropping the marks) does not
//! reach the letters that are not "base + accent" — ł, ø, đ, ħ, ı, ß, æ, œ, þ — which are exactly
//! the ones in Łódź, Søren, Straße and Æsir, so a table would be needed on top of it anyway.
//! `deunicode` covers them but transliterates every script (Greek, Cyrillic, CJK), which for
//! matching against QuickBooks is the export's business (`qbxml::rules::transliterate` decides
//! what a name becomes there), and it costs a large data table for the ~230 letters we need. The
//! table below is indexed directly, folds without allocating, and keeps case on request (the
//! duplicate search asks "do these differ only in accents?" with case kept). Text typed as a base
//! letter plus combining accents is handled by dropping the combining marks. Characters outside
//! the table are only lowered, so identical text still compares equal.

use std::cmp::Ordering;
use std::iter::Peekable;
use std::str::Chars;

/// `text` with case and accents folded: `Café Zürich` → `cafe zurich`, `Łódź` → `lodz`,
/// `Straße` → `strasse`, `Æble` → `aeble`, typographic quotes and dashes made plain.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`], appending to `out` (a reused buffer saves an allocation per row).
pub fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        out.extend(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.extend(folded(text));
    }
}

/// The folded characters of `text`, without allocating.
pub fn folded(text: &str) -> Folded<'_> {
    Folded {
        rest: text.chars(),
        pending: Pending::Empty,
    }
}

/// Whether `haystack` contains `needle` once both are folded (`needle` must already be folded,
/// as a search box folds its pattern once).
pub fn contains_folded(haystack: &str, folded_needle: &str) -> bool {
    if folded_needle.is_empty() {
        return true;
    }
    if haystack.is_ascii() && folded_needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), folded_needle.as_bytes());
        return h
            .windows(n.len())
            .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b));
    }
    fold(haystack).contains(folded_needle)
}

/// Iterator over folded characters; see [`folded`].
pub struct Folded<'a> {
    rest: Chars<'a>,
    pending: Pending,
}

enum Pending {
    Empty,
    Static(Chars<'static>),
    Lower(std::char::ToLowercase),
}

impl Iterator for Folded<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        loop {
            match &mut self.pending {
                Pending::Empty => {}
                Pending::Static(chars) => {
                    if let Some(c) = chars.next() {
                        return Some(c.to_ascii_lowercase());
                    }
                }
                Pending::Lower(chars) => {
                    for c in chars.by_ref() {
                        if !is_combining_mark(c) {
                            return Some(c);
                        }
                    }
                }
            }
            self.pending = Pending::Empty;
            let c = self.rest.next()?;
            if c.is_ascii() {
                return Some(c.to_ascii_lowercase());
            }
            self.pending = match fold_accent(c) {
                Some(s) => Pending::Static(s.chars()),
                None => Pending::Lower(c.to_lowercase()),
            };
        }
    }
}

/// The plain spelling of one non-ASCII character with its case kept (`É` → `E`, `ø` → `o`,
/// `ß` → `ss`, `Þ` → `TH`, `’` → `'`, a combining accent → nothing), or `None` when it has no
/// plainer spelling (it is then only lowered by [`fold`]).
pub fn fold_accent(c: char) -> Option<&'static str> {
    let code = c as u32;
    Some(match c {
        '\u{C0}'..='\u{17F}' => LATIN[(code - 0xC0) as usize],
        '\u{A0}' => " ",
        '\u{AD}' => "",
        '\u{0180}' => "b",
        '\u{0192}' => "f",
        '\u{01A0}' => "O",
        '\u{01A1}' => "o",
        '\u{01AF}' => "U",
        '\u{01B0}' => "u",
        // Pinyin tone letters Ǎ ǎ … ǜ: uppercase at odd code points.
        '\u{01CD}'..='\u{01DC}' => {
            let base = match code {
                0x1CD | 0x1CE => "Aa",
                0x1CF | 0x1D0 => "Ii",
                0x1D1 | 0x1D2 => "Oo",
                _ => "Uu",
            };
            case_of(base, code % 2 == 1)
        }
        '\u{0218}' => "S",
        '\u{0219}' => "s",
        '\u{021A}' => "T",
        '\u{021B}' => "t",
        '\u{1E80}'..='\u{1E85}' => case_of("Ww", code.is_multiple_of(2)),
        '\u{1E9E}' => "SS",
        // Vietnamese: each run of one base letter, uppercase at even code points.
        '\u{1EA0}'..='\u{1EF9}' => {
            let base = match code {
                0x1EA0..=0x1EB7 => "Aa",
                0x1EB8..=0x1EC7 => "Ee",
                0x1EC8..=0x1ECB => "Ii",
                0x1ECC..=0x1EE3 => "Oo",
                0x1EE4..=0x1EF1 => "Uu",
                _ => "Yy",
            };
            case_of(base, code.is_multiple_of(2))
        }
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{2026}' => "...",
        '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        c if is_combining_mark(c) => "",
        _ => return None,
    })
}

/// The upper (`upper`) or lower half of a two-letter `"Aa"` pair.
fn case_of(pair: &'static str, upper: bool) -> &'static str {
    if upper { &pair[..1] } else { &pair[1..] }
}

/// Combining diacritical marks (text typed as "e" followed by "◌́").
pub fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// U+00C0–U+017F (Latin-1 letters and Latin Extended-A), case kept. × and ÷ are not letters and
/// stay themselves.
const LATIN: [&str; 192] = [
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I", // 00C0
    "D", "N", "O", "O", "O", "O", "O", "\u{D7}", "O", "U", "U", "U", "U", "Y", "TH",
    "ss", // 00D0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", // 00E0
    "d", "n", "o", "o", "o", "o", "o", "\u{F7}", "o", "u", "u", "u", "u", "y", "th",
    "y", // 00F0
    "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d", // 0100
    "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g", // 0110
    "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i", // 0120
    "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L", // 0130
    "l", "L", "l", "N", "n", "N", "n", "N", "n", "n", "N", "n", "O", "o", "O", "o", // 0140
    "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s", // 0150
    "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u", // 0160
    "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s", // 0170
];

/// Compares names the way people read them: case and accents do not count ("Łódź" sorts next
/// to "Lodz"), and runs of digits compare as numbers ("Repair 2" before "Repair 10"). Names
/// equal that way are ordered by their exact text, so the order is total and stable.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    natural_cmp_folded(folded(a).peekable(), folded(b).peekable()).then_with(|| a.cmp(b))
}

fn natural_cmp_folded(mut a: Peekable<Folded<'_>>, mut b: Peekable<Folded<'_>>) -> Ordering {
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let ord = cmp_numbers(&mut a, &mut b);
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                a.next();
                b.next();
            }
        }
    }
}

/// Compares the digit runs at the front of `a` and `b` by value, consuming them. Leading zeros
/// do not count (the final tie-break on the exact text orders "02" and "2").
fn cmp_numbers(a: &mut Peekable<Folded<'_>>, b: &mut Peekable<Folded<'_>>) -> Ordering {
    while a.next_if_eq(&'0').is_some() {}
    while b.next_if_eq(&'0').is_some() {}
    // Digits are compared pairwise until one run ends: the longer run is the larger number,
    // and between runs of equal length the first differing digit decides.
    let mut first_difference = Ordering::Equal;
    loop {
        let x = a.next_if(char::is_ascii_digit);
        let y = b.next_if(char::is_ascii_digit);
        match (x, y) {
            (Some(x), Some(y)) => {
                if first_difference == Ordering::Equal {
                    first_difference = x.cmp(&y);
                }
            }
            (Some(_), None) => return Ordering::Greater,
            (None, Some(_)) => return Ordering::Less,
            (None, None) => return first_difference,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Café Zürich"), "cafe zurich");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("STRAẞE"), "strasse");
        assert_eq!(fold("Æble Øst"), "aeble ost");
        assert_eq!(fold("Œuvre Þór Ðað"), "oeuvre thor dad");
        assert_eq!(fold("Søren Kierkegård"), "soren kierkegard");
        assert_eq!(fold("Dvořák Šťastný Čapek"), "dvorak stastny capek");
        assert_eq!(fold("Őrség Űrhajó"), "orseg urhajo");
        assert_eq!(fold("İstanbul Işık"), "istanbul isik");
        assert_eq!(fold("Ștefan Țara"), "stefan tara");
        assert_eq!(fold("Nguyễn Thị Đặng"), "nguyen thi dang");
        assert_eq!(fold("Ñandú Ÿvette"), "nandu yvette");
    }

    #[test]
    fn combining_accents_are_dropped() {
        // "e" + U+0301 and "u" + U+0308, as some keyboards and copied text produce.
        assert_eq!(fold("Cafe\u{301} Zu\u{308}rich"), "cafe zurich");
    }

    #[test]
    fn typographic_punctuation_becomes_plain() {
        assert_eq!(fold("O’Brien – “Joe’s”"), "o'brien - \"joe's\"");
        assert_eq!(fold("A\u{A0}B\u{200B}C"), "a bc");
    }

    #[test]
    fn other_scripts_are_only_lowered() {
        assert_eq!(fold("ΑΘΗΝΑ Москва"), "αθηνα москва");
        assert_eq!(fold("× ÷"), "× ÷");
    }

    #[test]
    fn accent_folding_keeps_case() {
        assert_eq!(fold_accent('É'), Some("E"));
        assert_eq!(fold_accent('é'), Some("e"));
        assert_eq!(fold_accent('Ł'), Some("L"));
        assert_eq!(fold_accent('Ǔ'), Some("U"));
        assert_eq!(fold_accent('ǔ'), Some("u"));
        assert_eq!(fold_accent('Ẁ'), Some("W"));
        assert_eq!(fold_accent('ẁ'), Some("w"));
        assert_eq!(fold_accent('Ạ'), Some("A"));
        assert_eq!(fold_accent('ạ'), Some("a"));
        assert_eq!(fold_accent('Ω'), None);
    }

    #[test]
    fn the_table_folds_every_latin_letter_to_ascii() {
        for code in 0xC0u32..=0x17F {
            let c = char::from_u32(code).unwrap();
            if c == '×' || c == '÷' {
                continue;
            }
            let folded = fold(&c.to_string());
            assert!(
                !folded.is_empty() && folded.chars().all(|f| f.is_ascii_lowercase()),
                "{c} (U+{code:04X}) folds to {folded:?}"
            );
            // Case kept: an uppercase letter folds to uppercase letters and back.
            let kept = fold_accent(c).unwrap();
            assert_eq!(
                c.is_uppercase(),
                kept.chars().all(|k| k.is_ascii_uppercase()),
                "{c} keeps case as {kept:?}"
            );
        }
    }

    #[test]
    fn search_ignores_accents_and_case() {
        assert!(contains_folded("Café Zürich", "zurich"));
        assert!(contains_folded("CAFE ZURICH", "cafe z"));
        assert!(contains_folded("Łódź Bakery", "lodz"));
        assert!(contains_folded("anything", ""));
        assert!(!contains_folded("Cafe", "zurich"));
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }

    #[test]
    fn numbers_sort_by_value() {
        assert_eq!(
            sorted(&["Repair 10", "Repair 2", "Repair 1", "repair 02", "Repair"]),
            ["Repair", "Repair 1", "Repair 2", "repair 02", "Repair 10"]
        );
        assert_eq!(
            sorted(&["Unit 100b", "Unit 100a", "Unit 99", "Unit 0100"]),
            ["Unit 99", "Unit 0100", "Unit 100a", "Unit 100b"]
        );
        // Longer than any integer type: compared digit by digit.
        assert_eq!(
            natural_cmp(
                "A 123456789012345678901234567890",
                "A 123456789012345678901234567891"
            ),
            Ordering::Less
        );
    }

    #[test]
    fn accented_names_sort_beside_their_plain_spelling() {
        assert_eq!(
            sorted(&["Lublin", "Łódź", "Lodz", "Krakow", "Zurich", "Zürich"]),
            ["Krakow", "Lodz", "Łódź", "Lublin", "Zurich", "Zürich"]
        );
        assert_eq!(
            sorted(&["banana", "Apple", "cherry"]),
            ["Apple", "banana", "cherry"]
        );
    }

    #[test]
    fn natural_order_is_total() {
        // Equal when folded, still ordered, and antisymmetric.
        for (a, b) in [("Lodz", "Łódź"), ("ACME", "acme"), ("x2", "x02")] {
            assert_ne!(natural_cmp(a, b), Ordering::Equal);
            assert_eq!(natural_cmp(a, b), natural_cmp(b, a).reverse());
        }
        assert_eq!(natural_cmp("Same", "Same"), Ordering::Equal);
    }
}
