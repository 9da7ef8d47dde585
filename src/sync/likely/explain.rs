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
                let needed = self.needed(raw_a, raw_b, fa.touched.union(fb.touched), joined);
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

    /// The rules names `a` and `b` need to agree (`touched`: the rules either of them needed).
    fn needed(
        &mut self,
        a: (&str, &str),
        b: (&str, &str),
        touched: Differences,
        joined: bool,
    ) -> Differences {
        let mut kept = touched;
        for d in TRY_OFF {
            if !kept.has(d) {
                continue;
            }
            let trial = kept.without(d);
            // Rules nobody needed stay on: they change nothing.
            let off = touched
                .iter()
                .filter(|t| !trial.has(*t))
                .fold(Differences::ALL, Differences::without);
            self.a.run_parts(a, off);
            self.b.run_parts(b, off);
            let (x, y) = (self.a.canon(), self.b.canon());
            // Splitting a word mostly capitalises its second part (Brightpath, BrightPath):
            // joined names are compared without capitals.
            let agree = if joined {
                let letters = |s: &str| {
                    s.bytes()
                        .filter(|&c| c != b' ')
                        .map(|c| c.to_ascii_lowercase())
                        .collect::<Vec<u8>>()
                };
                letters(x) == letters(y)
            } else {
                x == y
            };
            if agree {
                kept = trial;
            }
        }
        kept
    }
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
