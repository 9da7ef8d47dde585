//! What two prepared customers have in common, and where they disagree: how their names
//! compare, and whether phone, email and postal code agree.

use super::prepared::{Form, Prepared, PreparedSide};
use super::score;
use super::words;

/// How a field compares on the two sides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Agreement {
    Same,
    /// Different, but in the same area: the same phone area code, or postal codes sharing
    /// their first three characters (a US ZIP's sectional centre, a Canadian FSA).
    Near,
    Different,
    /// Blank on one side or both.
    Missing,
}

/// How two names compare, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameLevel {
    /// Equal once normalised.
    Normalised,
    /// Equal once words are written together.
    Joined,
    /// The same words in another order.
    WordOrder,
    /// One letter typed differently (after normalising).
    Typo1,
    /// Two letters.
    Typo2,
    /// A letter replaced or two swapped in a four-letter word (Diaz/Daiz, but also Best/Bust).
    TypoShortWord,
    /// One name has one or two more words, all describing the kind of business ("Services",
    /// "Group", "Center").
    ExtraDescriptor,
    /// One name has one more word.
    ExtraWord,
    /// One name has two more words.
    ExtraWords,
}

impl NameLevel {
    /// The same words, once normalised (perhaps joined or reordered), as against names only
    /// alike.
    pub fn same_words(self) -> bool {
        matches!(
            self,
            NameLevel::Normalised | NameLevel::Joined | NameLevel::WordOrder
        )
    }

    #[cfg(test)]
    pub const ALL: [NameLevel; 9] = [
        NameLevel::Normalised,
        NameLevel::Joined,
        NameLevel::WordOrder,
        NameLevel::Typo1,
        NameLevel::Typo2,
        NameLevel::TypoShortWord,
        NameLevel::ExtraDescriptor,
        NameLevel::ExtraWord,
        NameLevel::ExtraWords,
    ];
}

/// Everything known about one local and one QuickBooks customer being the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub name: NameLevel,
    /// The names compared: indexes into each side's forms.
    pub local_form: u32,
    pub qb_form: u32,
    /// One of the names compared is a person's.
    pub person: bool,
    pub phone: Agreement,
    pub email: Agreement,
    pub postal: Agreement,
}

impl Evidence {
    /// Whether a field other than the name agrees.
    pub fn corroborated(&self) -> bool {
        [self.phone, self.email, self.postal].contains(&Agreement::Same)
    }
}

/// The evidence between local customer `l` and QuickBooks customer `q`: their best-agreeing
/// names, and their fields. `None` when no two of their names are alike at all.
pub fn compare(
    ls: &PreparedSide,
    l: &Prepared,
    qs: &PreparedSide,
    q: &Prepared,
) -> Option<Evidence> {
    let mut best: Option<(f32, NameLevel, bool, u32, u32)> = None;
    for (i, fa) in ls.forms(l).iter().enumerate() {
        for (j, fb) in qs.forms(q).iter().enumerate() {
            let Some(level) = name_level((ls, fa), (qs, fb)) else {
                continue;
            };
            let person = fa.person || fb.person;
            let w = score::name_weight(level, person);
            if best.is_none_or(|(bw, ..)| w > bw) {
                let (li, qi) = (l.forms.start + i as u32, q.forms.start + j as u32);
                best = Some((w, level, person, li, qi));
            }
        }
    }
    let (_, name, person, local_form, qb_form) = best?;
    Some(Evidence {
        name,
        local_form,
        qb_form,
        person,
        phone: match (l.phone, q.phone) {
            (Some(a), Some(b)) if a.same(b) => Agreement::Same,
            (Some(a), Some(b)) => near(a.area().is_some() && a.area() == b.area()),
            _ => Agreement::Missing,
        },
        email: {
            let mut any = false;
            let mut same = false;
            for a in ls.emails(l) {
                for b in qs.emails(q) {
                    any = true;
                    same |= a == b;
                }
            }
            if any {
                agreement(same)
            } else {
                Agreement::Missing
            }
        },
        postal: match (ls.postal(l), qs.postal(q)) {
            (Some(a), Some(b)) if a == b => Agreement::Same,
            (Some(a), Some(b)) => near(a.len() >= 5 && a.get(..3) == b.get(..3)),
            _ => Agreement::Missing,
        },
    })
}

fn agreement(same: bool) -> Agreement {
    if same {
        Agreement::Same
    } else {
        Agreement::Different
    }
}

fn near(near: bool) -> Agreement {
    if near {
        Agreement::Near
    } else {
        Agreement::Different
    }
}

/// How two normalised names compare, or `None` when they are not alike.
pub fn name_level(
    (sa, fa): (&PreparedSide, &Form),
    (sb, fb): (&PreparedSide, &Form),
) -> Option<NameLevel> {
    let (a, b) = (sa.canon(fa), sb.canon(fb));
    if a == b {
        return Some(NameLevel::Normalised);
    }
    if fa.joined == fb.joined
        && a.bytes()
            .filter(|&c| c != b' ')
            .eq(b.bytes().filter(|&c| c != b' '))
    {
        return Some(NameLevel::Joined);
    }
    if fa.sorted == fb.sorted && fa.words == fb.words && same_words(a, b) {
        return Some(NameLevel::WordOrder);
    }
    // Different numbers, or North against South: different businesses however alike the rest.
    if fa.markers != fb.markers {
        return None;
    }
    if let Some(t) = name_typo((sa, fa), (sb, fb)) {
        return Some(match t {
            Typo {
                short_word: true, ..
            } => NameLevel::TypoShortWord,
            Typo { edits: 1, .. } => NameLevel::Typo1,
            _ => NameLevel::Typo2,
        });
    }
    if fa.words == fb.words {
        return None;
    }
    let extra = extra_words(a, b)?;
    Some(match extra {
        Extra {
            descriptors: true, ..
        } => NameLevel::ExtraDescriptor,
        Extra { words: 1, .. } => NameLevel::ExtraWord,
        _ => NameLevel::ExtraWords,
    })
}

/// The typos between two names, looked for in their normalised words and, where normalising
/// gets in the way (a mistyped word no longer reads as an abbreviation or a legal suffix:
/// "Consrtuction", "Limitcd"), in their words only folded.
pub fn name_typo(
    (sa, fa): (&PreparedSide, &Form),
    (sb, fb): (&PreparedSide, &Form),
) -> Option<Typo> {
    let canon = typo(sa.canon(fa), sb.canon(fb));
    let light = if fa.light == fa.canon && fb.light == fb.canon {
        None
    } else {
        typo(sa.str(&fa.light), sb.str(&fb.light))
    };
    match (canon, light) {
        (Some(c), Some(l)) => Some(if l.better_than(c) { l } else { c }),
        (c, l) => c.or(l),
    }
}

fn same_words(a: &str, b: &str) -> bool {
    let mut x: Vec<&str> = a.split(' ').collect();
    let mut y: Vec<&str> = b.split(' ').collect();
    x.sort_unstable();
    y.sort_unstable();
    x == y
}

/// Longest word checked for typos.
const MAX_WORD: usize = 64;

/// Typing mistakes between two names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Typo {
    pub edits: u8,
    /// One of them replaces or swaps letters in a four-letter word.
    pub short_word: bool,
}

impl Typo {
    fn better_than(self, other: Typo) -> bool {
        (self.short_word, self.edits) < (other.short_word, other.edits)
    }
}

/// The typing mistakes (a letter inserted, dropped, replaced, or two swapped) that turn
/// normalised name `a` into `b`, when that is what they look like: the same number of words,
/// one mistake in a word of 4 letters or more, two in a word of 8 or more, two at most in all.
/// Anything else is another name: "Lee" and "Reyes", "Acme Co" and "Acne Co" differ by more
/// than a slip of the finger allows.
pub fn typo(a: &str, b: &str) -> Option<Typo> {
    // Every edit changes the length by at most one.
    if a.len().abs_diff(b.len()) > 2 {
        return None;
    }
    let mut total = 0;
    let mut short_word = false;
    let (mut x, mut y) = (a.split(' '), b.split(' '));
    loop {
        match (x.next(), y.next()) {
            (None, None) => break,
            (Some(u), Some(v)) if u == v => {}
            (Some(u), Some(v)) => {
                let limit = match u.len().max(v.len()) {
                    8..=MAX_WORD => 2,
                    4..8 => 1,
                    _ => return None,
                };
                total += bounded_osa(u.as_bytes(), v.as_bytes(), limit)?;
                // A letter replaced or swapped in a four-letter word mostly makes another word
                // (Best/Bust, Main/Mane); a letter left out or added is a typo (Jon/John).
                short_word |= u.len() == 4 && v.len() == 4;
            }
            _ => return None,
        }
    }
    (1..=2).contains(&total).then_some(Typo {
        edits: total as u8,
        short_word,
    })
}

/// The number of typos between `a` and `b`, for tests.
#[cfg(test)]
fn typo_distance(a: &str, b: &str) -> Option<u8> {
    typo(a, b).map(|t| t.edits)
}

/// Optimal-string-alignment distance if it is at most `limit` (≤ 2), computed only in the band
/// of width `2 × limit + 1` around the diagonal, in three small rows used in turn.
fn bounded_osa(a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit || b.len() > MAX_WORD {
        return None;
    }
    const FAR: u8 = u8::MAX / 2;
    let mut rows = [[FAR; MAX_WORD + 1]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate().take(b.len().min(limit) + 1) {
        *cell = j as u8;
    }
    for i in 1..=a.len() {
        let (cur_row, prev_row, prev2_row) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        let lo = i.saturating_sub(limit);
        let hi = (i + limit).min(b.len());
        // Cells this row leaves out must read as far for the next two rows.
        rows[cur_row] = [FAR; MAX_WORD + 1];
        if lo == 0 {
            rows[cur_row][0] = i as u8;
        }
        let mut row_min = if lo == 0 { i } else { usize::from(FAR) };
        for j in lo.max(1)..=hi {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let (prev, cur) = (&rows[prev_row], &rows[cur_row]);
            let mut v = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[prev2_row][j - 2] + 1);
            }
            rows[cur_row][j] = v.min(FAR);
            row_min = row_min.min(usize::from(v));
        }
        if row_min > limit {
            return None;
        }
    }
    let d = usize::from(rows[a.len() % 3][b.len()]);
    (d <= limit).then_some(d)
}

/// Words one name has beyond the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extra {
    /// Whether `b` is the longer name.
    pub b_longer: bool,
    pub words: usize,
    /// All of them describe the kind of business ([`words::is_descriptor`]).
    pub descriptors: bool,
}

/// When every word of the shorter name is in the longer one and the longer has one or two more
/// words that count (not "of", "the"…).
pub fn extra_words(a: &str, b: &str) -> Option<Extra> {
    let (short, long, b_longer) = if a.len() <= b.len() {
        (a, b, true)
    } else {
        (b, a, false)
    };
    let mut long_words = [""; 16];
    let mut n = 0;
    for w in long.split(' ') {
        *long_words.get_mut(n)? = w;
        n += 1;
    }
    let long_words = &long_words[..n];
    let mut used = 0u16;
    let mut counted = 0;
    for w in short.split(' ') {
        let i = (0..n).find(|&i| used & (1 << i) == 0 && long_words[i] == w)?;
        used |= 1 << i;
        counted += usize::from(!words::is_small_word(w));
    }
    let mut extra = 0;
    let mut descriptors = true;
    for (i, w) in long_words.iter().enumerate() {
        if used & (1 << i) == 0 && !words::is_small_word(w) {
            extra += 1;
            descriptors &= words::is_descriptor(w);
        }
    }
    ((1..=2).contains(&extra) && counted > 0).then_some(Extra {
        b_longer,
        words: extra,
        descriptors,
    })
}

/// The words `longer` has beyond `shorter` (both normalised), for the operator.
pub fn extra_word_list<'a>(shorter: &str, longer: &'a str) -> Vec<&'a str> {
    let mut rest: Vec<&str> = longer.split(' ').collect();
    for w in shorter.split(' ') {
        if let Some(i) = rest.iter().position(|r| *r == w) {
            rest.remove(i);
        }
    }
    rest.retain(|w| !words::is_small_word(w));
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_distance_counts_edits() {
        assert_eq!(typo_distance("acme supply", "acme suply"), Some(1));
        assert_eq!(typo_distance("acme supply", "acme suppyl"), Some(1));
        assert_eq!(typo_distance("acme hardware", "acme hrdwar"), Some(2));
        assert_eq!(typo_distance("acme supply", "acme supply"), None);
        assert_eq!(typo_distance("jon smith", "john smith"), Some(1));
        assert_eq!(typo_distance("smith", "smyth"), Some(1));
        assert_eq!(typo_distance("smiht glass", "smith glas"), Some(2));
        // Short words have no room for typos, and two are the most in a name.
        assert_eq!(typo_distance("ace", "ice"), None);
        assert_eq!(typo("acme", "acne").map(|t| t.short_word), Some(true));
        assert_eq!(typo("jon", "john").map(|t| t.short_word), Some(false));
        assert_eq!(typo_distance("lee painting", "reye painting"), None);
        assert_eq!(typo_distance("smiht glas co", "smith glass cp"), None);
        // Other words, or words joined differently, are not typos.
        assert_eq!(typo_distance("smith plumbing", "smith electric"), None);
        assert_eq!(typo_distance("bright path", "brightpath"), None);
        assert_eq!(
            typo_distance("northside dental", "southside dental"),
            Some(2)
        );
    }

    #[test]
    fn osa_matches_a_plain_implementation() {
        fn plain(a: &[u8], b: &[u8]) -> usize {
            let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for (i, row) in d.iter_mut().enumerate() {
                row[0] = i;
            }
            for (j, cell) in d[0].iter_mut().enumerate() {
                *cell = j;
            }
            for i in 1..=a.len() {
                for j in 1..=b.len() {
                    let cost = usize::from(a[i - 1] != b[j - 1]);
                    d[i][j] = (d[i - 1][j - 1] + cost)
                        .min(d[i - 1][j] + 1)
                        .min(d[i][j - 1] + 1);
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                    }
                }
            }
            d[a.len()][b.len()]
        }
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "kitten",
            "sitting",
            "smith",
            "smyth",
            "smtih",
            "acmesupply",
            "acmesuply",
            "acmesupplies",
            "abcd",
            "dcba",
            "xabc",
            "abcx",
        ];
        for a in words {
            for b in words {
                for limit in 0..=2 {
                    let want = plain(a.as_bytes(), b.as_bytes());
                    let got = bounded_osa(a.as_bytes(), b.as_bytes(), limit);
                    assert_eq!(got, (want <= limit).then_some(want), "{a} / {b} ≤ {limit}");
                }
            }
        }
    }

    #[test]
    fn extra_words_need_everything_else_shared() {
        assert_eq!(
            extra_words("first natl bank", "first natl bank of omaha"),
            Some(Extra {
                b_longer: true,
                words: 1,
                descriptors: false
            })
        );
        assert_eq!(
            extra_words("acme plumbing heating", "acme"),
            Some(Extra {
                b_longer: false,
                words: 2,
                descriptors: false
            })
        );
        assert_eq!(
            extra_words("smith plumbing", "smith plumbing svc"),
            Some(Extra {
                b_longer: true,
                words: 1,
                descriptors: true
            })
        );
        assert_eq!(extra_words("smith plumbing", "smith electric"), None);
        assert_eq!(extra_words("acme", "acme x y z"), None);
        assert_eq!(extra_words("the", "the acme"), None);
        assert_eq!(
            extra_word_list("first natl bank", "first natl bank of omaha"),
            ["omaha"]
        );
    }
}
