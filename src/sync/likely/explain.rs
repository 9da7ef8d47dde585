//! Turning a likely pair's evidence into its reasons. For names equal once normalised, the
//! reasons are the normalisation rules the two names cannot do without: starting from every
//! rule either name needed, each is switched off in turn and kept off when the names still
//! agree. Only likely pairs are explained, so this costs a few normalisations per pair found.

use super::Record;
use super::evidence::{self, Agreement, Evidence, NameLevel, extra_word_list};
use super::name::Normaliser;
use super::prepared::PreparedSide;
use super::reasons::{Difference, Differences, NameMatch, NameReason, Reason, Reasons, Side};
use super::score::Check;

/// The order in which rules are tried off: when two rules explain the same difference ("Co"
/// is an abbreviation of Company and a legal suffix), the one tried later is reported.
const TRY_OFF: [Difference; 9] = [
    Difference::Case,
    Difference::Plurals,
    Difference::Abbreviations,
    Difference::And,
    Difference::LeadingThe,
    Difference::LegalSuffix,
    Difference::LastFirst,
    Difference::Accents,
    Difference::Punctuation,
];

#[derive(Default)]
pub struct Explainer {
    a: Normaliser,
    b: Normaliser,
}

impl Explainer {
    pub fn reasons(
        &mut self,
        e: &Evidence,
        (local, ls): (&Record<'_>, &PreparedSide),
        (qb, qs): (&Record<'_>, &PreparedSide),
    ) -> Reasons {
        let fa = &ls.forms[e.local_form as usize];
        let fb = &qs.forms[e.qb_form as usize];
        let raw_a = local.name_parts(fa.field);
        let raw_b = qb.name_parts(fb.field);
        let matched = match e.name {
            NameLevel::Normalised | NameLevel::Joined => {
                let joined = e.name == NameLevel::Joined;
                let needed = self.needed(
                    (raw_a, fa.touched, ls.canon(fa)),
                    (raw_b, fb.touched, qs.canon(fb)),
                    joined,
                );
                if joined {
                    NameMatch::Joined(needed)
                } else if needed.is_empty() && same_text(raw_a, raw_b) {
                    NameMatch::Same
                } else {
                    NameMatch::Normalised(needed)
                }
            }
            NameLevel::WordOrder => NameMatch::WordOrder,
            NameLevel::Typo1 | NameLevel::Typo2 | NameLevel::TypoShortWord => NameMatch::Typo {
                edits: evidence::name_typo((ls, fa), (qs, fb)).map_or(1, |t| t.edits),
            },
            NameLevel::ExtraDescriptor | NameLevel::ExtraWord | NameLevel::ExtraWords => {
                let (ca, cb) = (ls.canon(fa), qs.canon(fb));
                let (on, words) = if ca.len() <= cb.len() {
                    (Side::QuickBooks, extra_word_list(ca, cb))
                } else {
                    (Side::Local, extra_word_list(cb, ca))
                };
                NameMatch::ExtraWords {
                    on,
                    words: words.into_iter().map(str::to_string).collect(),
                }
            }
        };
        let name = Reason::Name(NameReason {
            local: fa.field,
            qb: fb.field,
            matched,
        });
        let mut out: Vec<Reason> = Check::ALL
            .iter()
            .filter(|c| c.of(e) == Agreement::Same)
            .map(|c| match c {
                Check::Phone => Reason::SamePhone,
                Check::Email => Reason::SameEmail,
                Check::Postal => Reason::SamePostalCode,
            })
            .collect();
        out.push(name);
        out.extend(Check::ALL.iter().filter_map(|c| match (c, c.of(e)) {
            (Check::Phone, Agreement::Near) => Some(Reason::PhoneSameArea),
            (Check::Phone, Agreement::Different) => Some(Reason::DifferentPhone),
            (Check::Email, Agreement::Near | Agreement::Different) => Some(Reason::DifferentEmail),
            (Check::Postal, Agreement::Near) => Some(Reason::PostalCodeSameArea),
            (Check::Postal, Agreement::Different) => Some(Reason::DifferentPostalCode),
            _ => None,
        }));
        Reasons(out)
    }

    /// The rules names `a` and `b` need to agree. Each comes with the rules it needed and its
    /// normalised form with every rule on.
    fn needed(
        &mut self,
        (a, ta, canon_a): ((&str, &str), Differences, &str),
        (b, tb, canon_b): ((&str, &str), Differences, &str),
        joined: bool,
    ) -> Differences {
        let touched = ta.union(tb);
        let mut kept = touched;
        // Each name normalised with the rules kept so far.
        let mut now_a = canon_a.to_string();
        let mut now_b = canon_b.to_string();
        for d in TRY_OFF {
            if !kept.has(d) {
                continue;
            }
            let trial = kept.without(d);
            // Rules nobody needed stay on: they change nothing. A name is normalised again
            // only when the rule switched off is one it needed.
            let off = touched
                .iter()
                .filter(|t| !trial.has(*t))
                .fold(Differences::ALL, Differences::without);
            let x = if ta.has(d) {
                self.a.run_parts(a, off);
                self.a.canon()
            } else {
                &now_a
            };
            let y = if tb.has(d) {
                self.b.run_parts(b, off);
                self.b.canon()
            } else {
                &now_b
            };
            if agree(x, y, joined) {
                kept = trial;
                if ta.has(d) {
                    now_a = self.a.canon().to_string();
                }
                if tb.has(d) {
                    now_b = self.b.canon().to_string();
                }
            }
        }
        kept
    }
}

/// Whether two normalised names are the same (`joined`: once their words are written together;
/// splitting a word mostly capitalises its second part, Brightpath / BrightPath, so capitals do
/// not count there).
fn agree(x: &str, y: &str, joined: bool) -> bool {
    if !joined {
        return x == y;
    }
    let letters = |s: &str| {
        s.bytes()
            .filter(|&c| c != b' ')
            .map(|c| c.to_ascii_lowercase())
            .collect::<Vec<u8>>()
    };
    letters(x) == letters(y)
}

/// The characters of a name given in one or two parts (first and last name).
fn name_chars<'a>((a, b): (&'a str, &'a str)) -> impl Iterator<Item = char> + 'a {
    a.chars().chain(std::iter::once(' ')).chain(b.chars())
}

/// Exactly the same text (around the name, spaces do not count).
fn same_text(a: (&str, &str), b: (&str, &str)) -> bool {
    let text = |p| name_chars(p).collect::<String>();
    text(a).trim() == text(b).trim()
}
