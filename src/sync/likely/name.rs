//! Names reduced to the words that identify a customer: case and accents folded, punctuation
//! dropped, `&` read as "and", abbreviations spelled one way, plurals made singular, legal
//! suffixes and a leading "The" dropped, "Last, First" turned round.
//!
//! Each of those rules can be switched off ([`Differences`] is the set applied), which is how a
//! likely pair learns *what* its two names differ in: the rules it cannot do without. The
//! normaliser reuses its buffers, so normalising 200,000 names allocates nothing per name.

use std::hash::Hasher;

use rustc_hash::FxHasher;

use crate::text::{fold_accent, is_combining_mark};

use super::reasons::{Difference, Differences};
use super::words;

/// Normalises names into reused buffers; the last result is in [`Normaliser::canon`].
#[derive(Debug, Default)]
pub struct Normaliser {
    /// Token text; tokens are ranges of it (rewritten tokens are appended).
    buf: String,
    toks: Vec<(u32, u32)>,
    /// Whether each token, as it was before abbreviations and plurals, tells look-alikes
    /// apart (looked up once, with its abbreviation).
    distinguishing: Vec<bool>,
    /// The result: tokens joined by single spaces.
    canon: String,
    /// The words before abbreviations, plurals and legal suffixes are folded.
    light: String,
    rules: Differences,
    touched: Differences,
    start: usize,
    commas: u32,
    comma_at: usize,
}

impl Normaliser {
    /// Normalises `raw` applying `rules`. Returns the rules that changed something (a superset
    /// of what matters when comparing with another name: only these need trying without).
    #[cfg(test)]
    pub fn run(&mut self, raw: &str, rules: Differences) -> Differences {
        self.begin(rules);
        for c in raw.chars() {
            self.push_char(c);
        }
        self.finish()
    }

    /// [`Normaliser::run`] over a name in two parts (a first and a last name), without joining
    /// them into a string first. Plain ASCII, the usual case, is read byte by byte.
    pub fn run_parts(&mut self, (a, b): (&str, &str), rules: Differences) -> Differences {
        self.begin(rules);
        // Each part in a loop of its own: a chained iterator checked which part it was in at
        // every character.
        if a.is_ascii() && b.is_ascii() {
            for part in [a, " ", b] {
                for c in part.bytes() {
                    if c.is_ascii_alphanumeric() {
                        self.push_ascii_letter(c);
                    } else {
                        self.push_plain(char::from(c));
                    }
                }
            }
        } else {
            for part in [a, " ", b] {
                for c in part.chars() {
                    self.push_char(c);
                }
            }
        }
        self.finish()
    }

    fn begin(&mut self, rules: Differences) {
        self.buf.clear();
        self.toks.clear();
        self.rules = rules;
        self.touched = Differences::NONE;
        self.start = 0;
        self.commas = 0;
        self.comma_at = 0;
    }

    fn finish(&mut self) -> Differences {
        self.end_token();
        self.apply_word_rules();
        let out = std::mem::take(&mut self.canon);
        self.canon = self.joined(out);
        self.touched
    }

    /// The tokens joined by single spaces, into `out` (cleared first).
    fn joined(&self, mut out: String) -> String {
        out.clear();
        for (i, &(s, e)) in self.toks.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&self.buf[s as usize..e as usize]);
        }
        out
    }

    /// The normalised name: its words joined by single spaces (empty when nothing was left).
    pub fn canon(&self) -> &str {
        &self.canon
    }

    /// The words of [`Normaliser::canon`] in alphabetical order, from the tokens already
    /// there rather than by splitting the name again; `order` is the reused buffer they are
    /// sorted in. The same words as splitting `canon` at its spaces: a token never holds a
    /// space.
    pub fn sorted_words<'s>(
        &'s self,
        order: &'s mut Vec<(u32, u32)>,
    ) -> impl ExactSizeIterator<Item = &'s str> {
        let word = |&(s, e): &(u32, u32)| &self.buf[s as usize..e as usize];
        order.clear();
        order.extend_from_slice(&self.toks);
        order.sort_unstable_by(|a, b| word(a).cmp(word(b)));
        order.iter().map(word)
    }

    /// An order-independent hash of the words that tell look-alike businesses apart: numbers,
    /// words like North or Jr ([`words::Word::distinguishing`]), and the compass direction a
    /// word begins with (Northside, Westwood); 0 when there are none. Two names whose markers
    /// differ are never alike.
    pub fn markers(&self) -> u64 {
        let mut sum = 0u64;
        for (i, &distinguishing) in self.distinguishing.iter().enumerate() {
            let t = self.tok(i);
            let marker = if distinguishing || t.bytes().any(|b| b.is_ascii_digit()) {
                t
            } else if let Some(direction) = words::direction_prefix(t) {
                direction
            } else {
                continue;
            };
            let mut h = FxHasher::default();
            h.write(marker.as_bytes());
            // Spread the bits: the hashes are added, and a sum of weak hashes collides easily.
            sum = sum.wrapping_add(h.finish().wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        }
        sum
    }

    /// The name with the same rules except abbreviations, plurals and legal suffixes: a
    /// mistyped word no longer reads as one of those ("Consrtuction", "Limitcd"), so typos are
    /// also looked for here.
    pub fn light(&self) -> &str {
        &self.light
    }

    fn rule(&self, d: Difference) -> bool {
        self.rules.has(d)
    }

    fn touch(&mut self, d: Difference) {
        self.touched = self.touched.with(d);
    }

    fn push_char(&mut self, c: char) {
        if c.is_ascii() {
            return self.push_plain(c);
        }
        if c == '\u{B4}' {
            return self.push_plain('\'');
        }
        if is_combining_mark(c) {
            if self.rule(Difference::Accents) {
                self.touch(Difference::Accents);
            } else {
                self.buf.push(c);
            }
            return;
        }
        match fold_accent(c) {
            Some(plain) if plain.starts_with(|p: char| p.is_ascii_alphabetic()) => {
                if self.rule(Difference::Accents) {
                    self.touch(Difference::Accents);
                    for p in plain.chars() {
                        self.push_letter(p);
                    }
                } else {
                    self.push_letter(c);
                }
            }
            // Spaces and invisible characters are spacing; typographic quotes and dashes are
            // punctuation, kept as typed when punctuation is not folded.
            Some(plain) if plain.chars().all(char::is_whitespace) => {
                for p in plain.chars() {
                    self.push_plain(p);
                }
            }
            Some(plain) => {
                if self.rule(Difference::Punctuation) {
                    for p in plain.chars() {
                        self.push_plain(p);
                    }
                } else {
                    self.buf.push(c);
                }
            }
            None if c.is_alphanumeric() => self.push_letter(c),
            None => self.punctuation(c),
        }
    }

    #[inline]
    fn push_plain(&mut self, c: char) {
        match c {
            c if c.is_alphanumeric() => self.push_letter(c),
            c if c.is_whitespace() => self.end_token(),
            // Always between words, so "Smith, John" turns round whatever else is folded.
            ',' => {
                self.commas += 1;
                self.touch(Difference::Punctuation);
                self.end_token();
                if self.commas == 1 {
                    self.comma_at = self.toks.len();
                }
            }
            // Inside a word: Joe's, O'Brien, P.C., St. are one word without them.
            '\'' | '.' | '`' => self.punctuation_kept(c),
            '&' | '+' => {
                self.end_token();
                self.buf.push(c);
                self.end_token();
            }
            _ => self.punctuation(c),
        }
    }

    #[inline]
    fn push_letter(&mut self, c: char) {
        if self.rule(Difference::Case) && c.is_uppercase() {
            self.touch(Difference::Case);
            if c.is_ascii() {
                self.buf.push(c.to_ascii_lowercase());
            } else {
                self.buf.extend(c.to_lowercase());
            }
        } else {
            self.buf.push(c);
        }
    }

    /// [`Normaliser::push_letter`] for an ASCII letter or digit, most of every name.
    #[inline]
    fn push_ascii_letter(&mut self, c: u8) {
        if c.is_ascii_uppercase() && self.rule(Difference::Case) {
            self.touch(Difference::Case);
            self.buf.push(char::from(c.to_ascii_lowercase()));
        } else {
            self.buf.push(char::from(c));
        }
    }

    /// Punctuation that separates words (hyphens, slashes, brackets…).
    fn punctuation(&mut self, c: char) {
        if self.rule(Difference::Punctuation) {
            self.touch(Difference::Punctuation);
            self.end_token();
        } else {
            self.buf.push(c);
        }
    }

    /// Punctuation dropped without separating words, or kept as part of the word.
    fn punctuation_kept(&mut self, c: char) {
        if self.rule(Difference::Punctuation) {
            self.touch(Difference::Punctuation);
        } else {
            self.buf.push(c);
        }
    }

    #[inline]
    fn end_token(&mut self) {
        if self.buf.len() > self.start {
            self.toks.push((self.start as u32, self.buf.len() as u32));
        }
        self.start = self.buf.len();
    }

    fn tok(&self, i: usize) -> &str {
        let (s, e) = self.toks[i];
        &self.buf[s as usize..e as usize]
    }

    fn apply_word_rules(&mut self) {
        let n = self.toks.len();
        let comma_inside = self.commas == 1 && self.comma_at > 0 && self.comma_at < n;
        if comma_inside && self.rule(Difference::LastFirst) && self.is_last_first() {
            self.toks.rotate_left(self.comma_at);
            self.touch(Difference::LastFirst);
        }
        if self.rule(Difference::LeadingThe) && n > 1 {
            if self.tok(0).eq_ignore_ascii_case("the") {
                self.toks.remove(0);
                self.touch(Difference::LeadingThe);
            } else if comma_inside
                && self.comma_at == n - 1
                && self.tok(n - 1).eq_ignore_ascii_case("the")
            {
                // "Acme Company, The"
                self.toks.pop();
                self.touch(Difference::LeadingThe);
            }
        }
        if self.rule(Difference::And) {
            let buf = &self.buf;
            let is_and = |&(s, e): &(u32, u32)| words::is_and(&buf[s as usize..e as usize]);
            let ands = self.toks.iter().filter(|t| is_and(t)).count();
            if ands > 0 && ands < self.toks.len() {
                self.toks.retain(|t| !is_and(t));
                self.touch(Difference::And);
            }
        }
        let out = std::mem::take(&mut self.light);
        self.light = self.joined(out);
        self.distinguishing.clear();
        for i in 0..self.toks.len() {
            let word = words::word(self.tok(i));
            self.distinguishing.push(word.distinguishing);
            if self.rule(Difference::Abbreviations)
                && let Some(short) = word.abbreviation
            {
                let s = self.buf.len();
                self.buf.push_str(short);
                self.toks[i] = (s as u32, self.buf.len() as u32);
                self.touch(Difference::Abbreviations);
            } else if self.rule(Difference::Plurals)
                && let Some((cut, ending)) = singular(self.tok(i))
            {
                // In place: the singular is never longer than the plural.
                let (s, e) = self.toks[i];
                let stem_end = e as usize - cut;
                self.buf
                    .replace_range(stem_end..stem_end + ending.len(), ending);
                self.toks[i] = (s, (stem_end + ending.len()) as u32);
                self.touch(Difference::Plurals);
            }
        }
        if self.rule(Difference::LegalSuffix) {
            while self.toks.len() > 1 && words::is_legal_suffix(self.tok(self.toks.len() - 1)) {
                self.toks.pop();
                self.distinguishing.pop();
                self.touch(Difference::LegalSuffix);
            }
        }
    }

    /// "Smith, John": one to three words after the comma, all letters, and not a legal suffix
    /// ("Acme Supply, Inc." keeps its order).
    fn is_last_first(&self) -> bool {
        let after = self.toks.len() - self.comma_at;
        (1..=3).contains(&after)
            && (1..=3).contains(&self.comma_at)
            && (self.comma_at..self.toks.len()).all(|i| {
                let t = self.tok(i);
                t.chars().all(char::is_alphabetic) && !t.eq_ignore_ascii_case("the")
            })
            && !words::is_legal_suffix(self.tok(self.comma_at))
    }
}

/// How to make a plural-looking word singular: bytes to cut from its end and the ending to put
/// there ("supplies": 3, "y"; "plumbers": 1, ""). Words ending in ss, us or is are not plurals.
fn singular(t: &str) -> Option<(usize, &'static str)> {
    if t.len() < 4 || !t.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    if t.len() >= 5 && t.ends_with("ies") {
        return Some((3, "y"));
    }
    let not_plural = ["ss", "us"].iter().any(|e| t.ends_with(e));
    (t.ends_with('s') && !not_plural).then_some((1, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(raw: &str) -> String {
        let mut n = Normaliser::default();
        n.run(raw, Differences::ALL);
        n.canon().to_string()
    }

    fn norm_without(raw: &str, d: Difference) -> String {
        let mut n = Normaliser::default();
        n.run(raw, Differences::ALL.without(d));
        n.canon().to_string()
    }

    #[test]
    fn sorted_words_are_the_words_of_the_normalised_name() {
        let mut n = Normaliser::default();
        let mut order = Vec::new();
        for raw in [
            "Zeta Alpha Mid",
            "Smith, John",
            "The Acme Company, Inc.",
            "Tom\u{A0}&\u{3000}Jerry's  Bakeries",
            "Łódź — Café/Bar (North)",
            "A.B.C. Rentals + Sons",
            "Solo",
        ] {
            n.run(raw, Differences::ALL);
            let mut split: Vec<&str> = n.canon().split(' ').collect();
            split.sort_unstable();
            let sorted: Vec<&str> = n.sorted_words(&mut order).collect();
            assert_eq!(sorted, split, "{raw}");
        }
    }

    #[test]
    fn case_accents_and_spaces() {
        assert_eq!(norm("  Café   ZÜRICH "), "cafe zurich");
        assert_eq!(norm("Łódź Bakery"), "lodz bakery");
        assert_eq!(norm_without("Café", Difference::Accents), "café");
        assert_eq!(norm_without("Café", Difference::Case), "Cafe");
    }

    #[test]
    fn punctuation_and_apostrophes() {
        assert_eq!(norm("Joe's Diner"), norm("Joes Diner"));
        assert_eq!(norm("O'Brien"), "obrien");
        assert_eq!(norm("O’Brien"), "obrien");
        assert_eq!(norm("Acme Supply, Inc."), "acme supply");
        assert_eq!(norm("Prairie-Wind Farm"), "prairie wind farm");
        assert_eq!(norm("A.B.C. Rentals"), "abc rental");
        assert_eq!(norm("Smith's Plumbing"), norm("Smith Plumbing"));
        assert_eq!(norm_without("Joe's", Difference::Punctuation), "joe's");
    }

    #[test]
    fn and_sign() {
        assert_eq!(norm("Smith & Sons"), norm("Smith and Sons"));
        assert_eq!(norm("Smith+Sons"), "smith son");
        assert_eq!(norm("Smith & Sons Co"), "smith son");
        assert_eq!(norm_without("Smith & Sons", Difference::And), "smith & son");
    }

    #[test]
    fn abbreviations() {
        assert_eq!(norm("12 Main St."), norm("12 Main Street"));
        assert_eq!(norm("St. Mary's Clinic"), norm("Saint Marys Clinic"));
        assert_eq!(norm("Oak Rd Garage"), norm("Oak Road Garage"));
        assert_eq!(norm("Smith Bros"), norm("Smith Brothers"));
    }

    #[test]
    fn legal_suffixes() {
        for suffix in [
            "Inc", "Inc.", "LLC", "L.L.C.", "Ltd", "Corp.", "PC", "P.C.", "Co.", "Company",
        ] {
            assert_eq!(
                norm(&format!("Acme Supply {suffix}")),
                "acme supply",
                "{suffix}"
            );
        }
        assert_eq!(norm("Smith & Co."), "smith");
        assert_eq!(norm("Acme Co., Inc."), "acme");
        // A suffix is never all there is.
        assert_eq!(norm("Company"), "co");
    }

    #[test]
    fn leading_the() {
        assert_eq!(norm("The Acme Supply"), "acme supply");
        assert_eq!(norm("Acme Supply, The"), "acme supply");
        assert_eq!(norm("The"), "the");
    }

    #[test]
    fn last_first() {
        assert_eq!(norm("Smith, John"), "john smith");
        assert_eq!(norm("Example, Joe"), norm("Joe Example"));
        assert_eq!(norm("van der Berg, Anna Maria"), "anna maria van der berg");
        // Not a person: the part after the comma is a legal suffix or has numbers.
        assert_eq!(norm("Acme, Inc"), "acme");
        assert_eq!(norm("Store, 12"), "store 12");
        assert_eq!(norm("Smith, John, Jr."), "smith john jr");
    }

    #[test]
    fn plurals() {
        assert_eq!(norm("Acme Supplies"), norm("Acme Supply"));
        assert_eq!(norm("Smith Motors Inc"), "smith motor");
        assert_eq!(norm("Torres David"), "torre david");
        assert_eq!(norm("Glass Works"), "glass work");
        assert_eq!(norm("Campus Bus"), "campus bus");
    }

    #[test]
    fn touched_rules_cover_what_changed() {
        let mut n = Normaliser::default();
        let t = n.run("The Café, Inc.", Differences::ALL);
        for d in [
            Difference::Case,
            Difference::Accents,
            Difference::Punctuation,
            Difference::LegalSuffix,
            Difference::LeadingThe,
        ] {
            assert!(t.has(d), "{d:?}");
        }
        assert!(!t.has(Difference::LastFirst));
        assert!(!t.has(Difference::And));
        assert_eq!(n.run("acme", Differences::ALL), Differences::NONE);
    }

    #[test]
    fn nothing_left_is_empty() {
        assert_eq!(norm(" -- "), "");
        assert_eq!(norm(""), "");
    }
}
