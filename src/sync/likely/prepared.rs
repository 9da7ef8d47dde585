//! One side's customers prepared once for comparing: every name normalised, phones, emails and
//! postal codes in comparable form. All text lives in one buffer per side.

use std::hash::Hasher;
use std::ops::Range;

use rustc_hash::FxHasher;

use super::Record;
use super::contact::{Phone, emails, push_postal_code};
use super::name::Normaliser;
use super::reasons::{Differences, NameField};

/// One normalised name of a customer.
#[derive(Clone, Debug)]
pub struct Form {
    pub field: NameField,
    /// The normalised words, joined by single spaces, in the side's text.
    pub canon: Range<u32>,
    /// The name without abbreviations, plurals and legal suffixes folded
    /// ([`Normaliser::light`]); the same range as `canon` when that is the same text.
    pub light: Range<u32>,
    /// The rules that changed something in this name.
    pub touched: Differences,
    /// Hash of the words written together ("bright path" and "brightpath" agree).
    pub joined: u64,
    /// Hash of the words in alphabetical order (0 for one word).
    pub sorted: u64,
    /// The words that tell look-alikes apart ([`Normaliser::markers`]).
    pub markers: u64,
    pub words: u8,
    /// A person's name: the first and last name, or a name equal to them once normalised.
    pub person: bool,
}

/// One customer.
#[derive(Clone, Debug, Default)]
pub struct Prepared {
    pub forms: Range<u32>,
    pub phone: Option<Phone>,
    pub emails: [Option<Range<u32>>; 2],
    pub postal: Option<Range<u32>>,
}

/// All customers of one side.
#[derive(Debug, Default)]
pub struct PreparedSide {
    pub text: String,
    pub forms: Vec<Form>,
    pub records: Vec<Prepared>,
}

impl PreparedSide {
    pub fn new<'a: 'r, 'r>(
        records: impl ExactSizeIterator<Item = &'r Record<'a>> + Clone,
    ) -> PreparedSide {
        // Sized once from the input: growing the text and the forms by doubling copied
        // megabytes on large lists. A name is kept at most twice (normalised and light), and
        // normalising never lengthens much (an expanded abbreviation: a few letters).
        let (mut text, mut forms) = (0, 0);
        for r in records.clone() {
            let names = NameField::ALL.map(|f| r.name_parts(f));
            forms += names
                .iter()
                .filter(|(a, b)| !a.is_empty() || !b.is_empty())
                .count();
            text += names
                .iter()
                .map(|(a, b)| 2 * (a.len() + b.len()) + 8)
                .sum::<usize>()
                + r.email.len()
                + r.postal_code.len();
        }
        let mut side = PreparedSide {
            text: String::with_capacity(text),
            forms: Vec::with_capacity(forms),
            records: Vec::with_capacity(records.len()),
        };
        let mut normaliser = Normaliser::default();
        let mut scratch = Vec::new();
        for r in records {
            side.push(r, &mut normaliser, &mut scratch);
        }
        side
    }

    fn push(&mut self, r: &Record<'_>, n: &mut Normaliser, scratch: &mut Vec<(u32, u32)>) {
        let first_form = self.forms.len() as u32;
        let mut seen: [(&str, &str); 4] = [("", ""); 4];
        for (k, field) in NameField::ALL.into_iter().enumerate() {
            let parts = r.name_parts(field);
            let is_person = field == NameField::Person;
            let blank = (parts.0.trim().is_empty(), parts.1.trim().is_empty());
            // A blank name normalises to nothing: not normalised at all (most customers have
            // no QuickBooks name override, many no company name).
            if blank == (true, true) || is_person && (blank.0 || blank.1) {
                continue;
            }
            seen[k] = parts;
            // The same text as an earlier name (a company name equal to the name): nothing new
            // to compare, but a person's name marks the name it equals as a person's.
            // (Blank names were skipped: they are nobody's equal.)
            let named = |j: &usize| seen[*j] != ("", "");
            if let Some(j) = (0..k).filter(named).find(|&j| same_words(seen[j], parts)) {
                let earlier = NameField::ALL[j];
                let forms = &mut self.forms[first_form as usize..];
                if let Some(f) = forms.iter_mut().find(|f| f.field == earlier) {
                    f.person |= is_person;
                    continue;
                }
                if !is_person {
                    continue;
                }
                // That name was the same as another once normalised: normalise this one to
                // find which.
            }
            let touched = n.run_parts(parts, Differences::ALL);
            let canon = n.canon();
            if canon.is_empty() {
                continue;
            }
            // A name already there once normalised is not compared twice.
            let earlier = (first_form as usize..self.forms.len())
                .find(|&i| self.str(&self.forms[i].canon) == canon);
            if let Some(i) = earlier {
                self.forms[i].person |= is_person;
                continue;
            }
            let canon_range = self.push_text(canon);
            let light = if n.light() == canon {
                canon_range.clone()
            } else {
                self.push_text(n.light())
            };
            let form = form(
                field,
                touched,
                n,
                canon_range.clone(),
                &self.text[canon_range.start as usize..canon_range.end as usize],
                scratch,
            );
            self.forms.push(Form {
                person: is_person,
                light,
                ..form
            });
        }
        let mut prepared = Prepared {
            forms: first_form..self.forms.len() as u32,
            phone: Phone::parse(r.phone),
            ..Default::default()
        };
        for (slot, email) in prepared.emails.iter_mut().zip(emails(r.email)) {
            let start = self.text.len() as u32;
            crate::text::fold_into(email, &mut self.text);
            *slot = Some(start..self.text.len() as u32);
        }
        let start = self.text.len() as u32;
        if push_postal_code(r.postal_code, &mut self.text) {
            prepared.postal = Some(start..self.text.len() as u32);
        }
        self.records.push(prepared);
    }

    fn push_text(&mut self, s: &str) -> Range<u32> {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        start..self.text.len() as u32
    }

    pub fn str(&self, r: &Range<u32>) -> &str {
        &self.text[r.start as usize..r.end as usize]
    }

    pub fn forms(&self, p: &Prepared) -> &[Form] {
        &self.forms[p.forms.start as usize..p.forms.end as usize]
    }

    pub fn canon(&self, f: &Form) -> &str {
        self.str(&f.canon)
    }

    pub fn postal(&self, p: &Prepared) -> Option<&str> {
        p.postal.as_ref().map(|r| self.str(r))
    }

    pub fn emails<'s>(&'s self, p: &'s Prepared) -> impl Iterator<Item = &'s str> {
        p.emails.iter().flatten().map(|r| self.str(r))
    }
}

fn form(
    field: NameField,
    touched: Differences,
    n: &Normaliser,
    canon_range: Range<u32>,
    canon: &str,
    scratch: &mut Vec<(u32, u32)>,
) -> Form {
    let words = n.sorted_words(scratch);
    let count = words.len();
    // Words in alphabetical order, hashed with a separator so "ab c" and "a bc" differ.
    // One word has no other order: its key would only repeat the joined one.
    let sorted = if count > 1 {
        let mut sorted = FxHasher::default();
        sorted.write_u8(0xA5);
        for w in words {
            sorted.write(w.as_bytes());
            sorted.write_u8(0xFF);
        }
        sorted.finish()
    } else {
        0
    };
    Form {
        field,
        canon: canon_range,
        touched,
        joined: joined_hash(canon),
        sorted,
        markers: n.markers(),
        words: count.min(255) as u8,
        person: false,
        light: 0..0,
    }
}

/// The same words in two names given in parts, however spaced.
fn same_words(a: (&str, &str), b: (&str, &str)) -> bool {
    // Mostly a company name against the name: the same text or not.
    if a.1.is_empty() && b.1.is_empty() {
        return a.0.trim() == b.0.trim();
    }
    // Equal words have equal letters once the spacing is left out; most pairs (a person's name
    // against a business's) differ in their first letters, found without splitting into words.
    letters(a).eq(letters(b)) && words(a).eq(words(b))
}

fn letters<'s>((a, b): (&'s str, &'s str)) -> impl Iterator<Item = char> + 's {
    a.chars().chain(b.chars()).filter(|c| !c.is_whitespace())
}

fn words<'s>((a, b): (&'s str, &'s str)) -> impl Iterator<Item = &'s str> {
    a.split_whitespace().chain(b.split_whitespace())
}

/// Hash of `canon` with its spaces left out, so that words joined and apart agree. The letters
/// are gathered in a buffer and hashed at once (hashing word by word would depend on where the
/// words break).
pub fn joined_hash(canon: &str) -> u64 {
    let mut h = FxHasher::default();
    let mut buf = [0u8; 128];
    let mut n = 0;
    for &b in canon.as_bytes() {
        if b == b' ' {
            continue;
        }
        if n == buf.len() {
            // Only absurdly long names get here; they are hashed in the same pieces whatever
            // their spaces.
            h.write(&buf);
            n = 0;
        }
        buf[n] = b;
        n += 1;
    }
    h.write(&buf[..n]);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::same_words;

    #[test]
    fn same_words_however_spaced_and_split_into_parts() {
        assert!(same_words(("John", "Smith"), ("John  Smith", "")));
        assert!(same_words((" John\u{A0}", "Smith "), ("John", "Smith")));
        assert!(same_words(("Acme Supply", ""), ("  Acme Supply ", "")));
        // The same letters in other words are other words.
        assert!(!same_words(("Jo", "hn Smith"), ("John Smith", "")));
        assert!(!same_words(("John", "Smith"), ("JohnSmith", "")));
        assert!(!same_words(("John", "Smith"), ("John", "Smyth")));
        assert!(!same_words(("John", "Smith"), ("John", "Smith Jr")));
    }
}
