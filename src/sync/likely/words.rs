//! The words name normalisation knows: abbreviations, legal suffixes, small words, and the words
//! that tell two otherwise alike businesses apart. All lowercase, accents folded, punctuation
//! removed (as tokens are when they are looked up). Looked up in one table built once: a token is
//! hashed once instead of compared with every word here.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// Words and their abbreviations spelled one way. Saint and Street share "st" (as Doctor and
/// Drive share "dr"): which one is meant never changes whether two names are the same.
const ABBREVIATIONS: &[(&[&str], &str)] = &[
    (&["street", "saint", "str"], "st"),
    (&["road"], "rd"),
    (&["avenue", "av"], "ave"),
    (&["boulevard"], "blvd"),
    (&["drive", "doctor"], "dr"),
    (&["lane"], "ln"),
    (&["highway"], "hwy"),
    (&["parkway"], "pkwy"),
    (&["court"], "ct"),
    (&["place"], "pl"),
    (&["square"], "sq"),
    (&["mount", "mountain", "mtn"], "mt"),
    (&["fort"], "ft"),
    (&["company"], "co"),
    (&["corporation"], "corp"),
    (&["incorporated"], "inc"),
    (&["limited"], "ltd"),
    (&["bros"], "brother"),
    (
        &["associates", "associate", "assocs", "association"],
        "assoc",
    ),
    (&["international"], "intl"),
    (&["national"], "natl"),
    (&["manufacturing"], "mfg"),
    (&["services", "service", "svcs"], "svc"),
    (&["department"], "dept"),
    (&["center", "centre", "cntr"], "ctr"),
    (&["management"], "mgmt"),
    (&["construction"], "constr"),
    (&["university"], "univ"),
    (&["hospital"], "hosp"),
    (&["medical"], "med"),
    (&["distribution", "distributors", "distributor"], "dist"),
    (&["technology", "technologies"], "tech"),
    (&["group"], "grp"),
    (&["engineering"], "eng"),
    (&["insurance"], "ins"),
    (&["apartments", "apartment", "apts"], "apt"),
    (&["building"], "bldg"),
    (&["enterprises", "enterprise"], "ent"),
    (&["products", "product"], "prod"),
    (&["industries", "industry"], "ind"),
    (&["systems", "system"], "sys"),
];

/// Legal forms a business name may end with. Both spellings of the abbreviated ones are here, so
/// that suffixes are recognised whether or not abbreviations are being folded.
const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lllp",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "pc",
    "pllc",
    "pa",
    "plc",
    "lp",
    "gmbh",
    "ag",
    "sa",
    "srl",
    "bv",
    "nv",
    "pty",
    "oy",
];

/// "and" spelled as a word or a sign.
const AND: &[&str] = &["&", "and", "+"];

/// Words too common to count as a word added to or dropped from a name ("Bank" and "Bank of
/// Omaha" differ by one word, Omaha).
const SMALL: &[&str] = &["of", "the", "a", "an", "at", "in", "on", "for", "and", "&"];

/// Words that describe what kind of organisation a business is rather than which one: a name
/// with or without them is mostly the same business ("Smith Plumbing Services"). As normalised
/// (abbreviated, singular).
const DESCRIPTORS: &[&str] = &[
    "svc",
    "grp",
    "ctr",
    "work",
    "solution",
    "supply",
    "co",
    "ent",
    "assoc",
    "prod",
    "ind",
    "sys",
    "shop",
    "store",
    "studio",
    "agency",
    "partner",
    "holding",
    "office",
    "specialist",
    "professional",
];

/// Words that make two names different businesses however alike the rest is: Northside and
/// Southside Dental, Uptown and Downtown Deli, Acme Jr and Acme Sr. Numbers are handled apart.
const DISTINGUISHING: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "upper",
    "lower",
    "uptown",
    "downtown",
    "midtown",
    "inner",
    "outer",
    "old",
    "new",
    "big",
    "little",
    "jr",
    "junior",
    "sr",
    "senior",
    "ii",
    "iii",
    "iv",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
];

/// What a word is, for normalising and comparing names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub abbreviation: Option<&'static str>,
    pub legal_suffix: bool,
    pub and: bool,
    pub small: bool,
    pub distinguishing: bool,
    pub descriptor: bool,
}

/// The words, and for each first letter the lengths words starting with it have (bit `n` for
/// length `n`): most tokens of a name are no listed word, and this says so without hashing.
struct Lexicon {
    words: FxHashMap<&'static str, Word>,
    lengths: [u32; 256],
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut words: FxHashMap<&'static str, Word> = FxHashMap::default();
    for (list, short) in ABBREVIATIONS {
        for w in *list {
            words.entry(w).or_default().abbreviation = Some(short);
        }
    }
    type Setter = fn(&mut Word);
    let flags: [(&[&str], Setter); 5] = [
        (LEGAL_SUFFIXES, |w| w.legal_suffix = true),
        (AND, |w| w.and = true),
        (SMALL, |w| w.small = true),
        (DISTINGUISHING, |w| w.distinguishing = true),
        (DESCRIPTORS, |w| w.descriptor = true),
    ];
    for (list, set) in flags {
        for w in list {
            set(words.entry(w).or_default());
        }
    }
    let mut lengths = [0u32; 256];
    for w in words.keys() {
        lengths[usize::from(w.as_bytes()[0])] |= 1 << w.len();
    }
    Lexicon { words, lengths }
});

/// Longer tokens are in no list: they are not looked up.
const LONGEST: usize = 16;

/// What `token` is (nothing special for most words). Capitals do not count: a name
/// normalised without folding case still knows "Inc" for a legal suffix.
pub fn word(token: &str) -> Word {
    let Some(&first) = token.as_bytes().first() else {
        return Word::default();
    };
    let lexicon = &*LEXICON;
    if token.len() > LONGEST
        || lexicon.lengths[usize::from(first.to_ascii_lowercase())] & (1 << token.len()) == 0
    {
        return Word::default();
    }
    if token.bytes().any(|b| b.is_ascii_uppercase()) {
        let mut buf = [0u8; LONGEST];
        let lower = &mut buf[..token.len()];
        lower.copy_from_slice(token.as_bytes());
        lower.make_ascii_lowercase();
        return std::str::from_utf8(lower)
            .ok()
            .and_then(|t| lexicon.words.get(t).copied())
            .unwrap_or_default();
    }
    lexicon.words.get(token).copied().unwrap_or_default()
}

#[cfg(test)]
fn abbreviation(token: &str) -> Option<&'static str> {
    word(token).abbreviation
}

pub fn is_legal_suffix(token: &str) -> bool {
    word(token).legal_suffix
}

/// Checked for every word of every name: compared directly rather than looked up.
pub fn is_and(token: &str) -> bool {
    matches!(token, "&" | "+") || token.eq_ignore_ascii_case("and")
}

pub fn is_small_word(token: &str) -> bool {
    word(token).small
}

pub fn is_descriptor(token: &str) -> bool {
    word(token).descriptor
}

/// The compass direction a word begins with (Northside, Westwood, Eastgate), when it is longer
/// than the direction itself.
pub fn direction_prefix(token: &str) -> Option<&'static str> {
    ["north", "south", "east", "west"]
        .into_iter()
        .find(|d| token.len() > d.len() && token.starts_with(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_word_fits_the_lookup() {
        for w in LEXICON.words.keys() {
            assert!(w.len() <= LONGEST, "{w}");
            assert_eq!(w.to_lowercase(), *w);
        }
        assert_eq!(abbreviation("street"), Some("st"));
        assert!(is_legal_suffix("llc") && is_legal_suffix("company"));
        assert_eq!(abbreviation("company"), Some("co"));
        assert!(!is_legal_suffix("plumbing"));
        assert!(is_legal_suffix("Inc") && is_legal_suffix("LLC"));
        // Every listed word passes the length filter.
        for (w, found) in &LEXICON.words {
            assert_eq!(word(w), *found, "{w}");
        }
    }
}
