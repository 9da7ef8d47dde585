//! Why two customers look alike, as typed values and in the operator's words:
//! "same phone; name differs only in punctuation".

use std::fmt;

/// One way two spellings of a name may differ and still be the same name. Also the set of rules
/// name normalisation applies (each rule folds one of these away).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Difference {
    Case,
    Accents,
    Punctuation,
    /// `&` or `+` for "and", or "and" left out.
    And,
    Abbreviations,
    Plurals,
    LegalSuffix,
    LeadingThe,
    /// "Smith, John" for "John Smith".
    LastFirst,
}

impl Difference {
    pub const ALL: [Difference; 9] = [
        Difference::Case,
        Difference::Accents,
        Difference::Punctuation,
        Difference::And,
        Difference::Abbreviations,
        Difference::Plurals,
        Difference::LegalSuffix,
        Difference::LeadingThe,
        Difference::LastFirst,
    ];

    const fn bit(self) -> u16 {
        1 << self as u16
    }

    /// The operator's words, to follow "differs only in".
    pub fn describe(self) -> &'static str {
        match self {
            Difference::Case => "capitals",
            Difference::Accents => "accents",
            Difference::Punctuation => "punctuation",
            Difference::And => "& for and",
            Difference::Abbreviations => "abbreviations (St/Street)",
            Difference::Plurals => "singular/plural",
            Difference::LegalSuffix => "legal suffix (Inc, LLC…)",
            Difference::LeadingThe => "a leading The",
            Difference::LastFirst => "order (Last, First)",
        }
    }
}

/// A set of [`Difference`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Differences(u16);

impl Differences {
    pub const NONE: Differences = Differences(0);
    pub const ALL: Differences = Differences((1 << Difference::ALL.len()) - 1);

    pub fn has(self, d: Difference) -> bool {
        self.0 & d.bit() != 0
    }

    pub fn with(self, d: Difference) -> Differences {
        Differences(self.0 | d.bit())
    }

    pub const fn without(self, d: Difference) -> Differences {
        Differences(self.0 & !d.bit())
    }

    pub fn union(self, other: Differences) -> Differences {
        Differences(self.0 | other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Difference> {
        Difference::ALL.into_iter().filter(move |d| self.has(*d))
    }
}

impl FromIterator<Difference> for Differences {
    fn from_iter<T: IntoIterator<Item = Difference>>(iter: T) -> Self {
        iter.into_iter()
            .fold(Differences::NONE, |set, d| set.with(d))
    }
}

/// Which of a customer's names was compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameField {
    Name,
    /// SMSTurbo's QuickBooks name override.
    QbName,
    CompanyName,
    /// First and last name together.
    Person,
}

impl NameField {
    pub const ALL: [NameField; 4] = [
        NameField::Name,
        NameField::QbName,
        NameField::CompanyName,
        NameField::Person,
    ];

    fn describe(self) -> &'static str {
        match self {
            NameField::Name => "name",
            NameField::QbName => "QuickBooks name",
            NameField::CompanyName => "company name",
            NameField::Person => "first and last name",
        }
    }
}

/// Which side a word is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Local,
    QuickBooks,
}

impl Side {
    fn possessive(self) -> &'static str {
        match self {
            Side::Local => "SMSTurbo's",
            Side::QuickBooks => "QuickBooks'",
        }
    }
}

/// How the two names compare.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NameMatch {
    /// Exactly the same (two different fields holding the same name).
    Same,
    /// The same once normalised; the set says what differs (empty: only spacing).
    Normalised(Differences),
    /// The same once words are joined or split ("Bright Path" / "Brightpath"), besides `0`.
    Joined(Differences),
    /// The same words in another order.
    WordOrder,
    /// One or two letters typed differently (counted after normalising).
    Typo { edits: u8 },
    /// One name has one or two more words than the other.
    ExtraWords { on: Side, words: Vec<String> },
}

/// The evidence from names: which names were compared and how they compare.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NameReason {
    pub local: NameField,
    pub qb: NameField,
    pub matched: NameMatch,
}

/// One piece of evidence, for or against.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    SamePhone,
    SameEmail,
    SamePostalCode,
    Name(NameReason),
    /// Another number with the same area code.
    PhoneSameArea,
    DifferentPhone,
    DifferentEmail,
    /// Another postal code in the same area (same first three characters).
    PostalCodeSameArea,
    DifferentPostalCode,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::SamePhone => f.write_str("same phone"),
            Reason::SameEmail => f.write_str("same email"),
            Reason::SamePostalCode => f.write_str("same postal code"),
            Reason::PhoneSameArea => f.write_str("different phone, same area code"),
            Reason::DifferentPhone => f.write_str("different phone"),
            Reason::PostalCodeSameArea => f.write_str("different postal code, same area"),
            Reason::DifferentEmail => f.write_str("different email"),
            Reason::DifferentPostalCode => f.write_str("different postal code"),
            Reason::Name(n) => n.fmt(f),
        }
    }
}

impl fmt::Display for NameReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // "name differs …" when names were compared; otherwise say which two.
        let subject = if self.local == self.qb {
            self.local.describe().to_string()
        } else {
            format!(
                "{} {} and {} {}",
                Side::Local.possessive(),
                self.local.describe(),
                Side::QuickBooks.possessive(),
                self.qb.describe()
            )
        };
        let plural = self.local != self.qb;
        let (differs, is) = if plural {
            ("differ", "are")
        } else {
            ("differs", "is")
        };
        match &self.matched {
            NameMatch::Same => write!(f, "{subject} {is} the same"),
            NameMatch::Normalised(d) if d.is_empty() => {
                write!(f, "{subject} {differs} only in spacing")
            }
            NameMatch::Normalised(d) => {
                write!(f, "{subject} {differs} only in ")?;
                write_list(f, d.iter().map(Difference::describe))
            }
            NameMatch::Joined(d) => {
                write!(f, "{subject} {differs} only in ")?;
                write_list(
                    f,
                    d.iter()
                        .map(Difference::describe)
                        .chain(["words joined or split"]),
                )
            }
            NameMatch::WordOrder => write!(f, "{subject} {is} the same words in another order"),
            NameMatch::Typo { edits: 1 } => write!(f, "{subject} {differs} by one letter"),
            NameMatch::Typo { edits } => write!(f, "{subject} {differs} by {edits} letters"),
            NameMatch::ExtraWords { on, words } => {
                let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
                let field = if *on == Side::Local {
                    self.local
                } else {
                    self.qb
                };
                write!(
                    f,
                    "{} {} has {} more ({})",
                    on.possessive(),
                    field.describe(),
                    if words.len() == 1 { "a word" } else { "words" },
                    quoted.join(", ")
                )
            }
        }
    }
}

/// "a", "a and b", "a, b and c".
fn write_list<'a>(f: &mut fmt::Formatter<'_>, items: impl Iterator<Item = &'a str>) -> fmt::Result {
    let items: Vec<&str> = items.collect();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(if i + 1 == items.len() { " and " } else { ", " })?;
        }
        f.write_str(item)?;
    }
    Ok(())
}

/// The reasons for one likely pair, strongest evidence first; displayed joined with "; ".
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Reasons(pub Vec<Reason>);

impl Reasons {
    pub fn iter(&self) -> impl Iterator<Item = &Reason> {
        self.0.iter()
    }

    /// Each reason in plain words (what JSON's `reasons` lists).
    pub fn to_strings(&self) -> Vec<String> {
        self.0.iter().map(Reason::to_string).collect()
    }
}

impl fmt::Display for Reasons {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            r.fmt(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(matched: NameMatch) -> Reason {
        Reason::Name(NameReason {
            local: NameField::Name,
            qb: NameField::Name,
            matched,
        })
    }

    #[test]
    fn the_issue_example_reads_as_written() {
        let r = Reasons(vec![
            Reason::SamePhone,
            name(NameMatch::Normalised(
                Differences::NONE.with(Difference::Punctuation),
            )),
        ]);
        assert_eq!(
            r.to_string(),
            "same phone; name differs only in punctuation"
        );
    }

    #[test]
    fn lists_read_as_english() {
        let d: Differences = [
            Difference::Case,
            Difference::Punctuation,
            Difference::LegalSuffix,
        ]
        .into_iter()
        .collect();
        assert_eq!(
            name(NameMatch::Normalised(d)).to_string(),
            "name differs only in capitals, punctuation and legal suffix (Inc, LLC…)"
        );
        assert_eq!(
            name(NameMatch::Joined(Differences::NONE)).to_string(),
            "name differs only in words joined or split"
        );
        assert_eq!(
            name(NameMatch::Normalised(Differences::NONE)).to_string(),
            "name differs only in spacing"
        );
        assert_eq!(
            name(NameMatch::Typo { edits: 2 }).to_string(),
            "name differs by 2 letters"
        );
        assert_eq!(
            name(NameMatch::ExtraWords {
                on: Side::QuickBooks,
                words: vec!["Omaha".into()]
            })
            .to_string(),
            "QuickBooks' name has a word more ('Omaha')"
        );
    }

    #[test]
    fn other_name_fields_are_named() {
        let r = Reason::Name(NameReason {
            local: NameField::CompanyName,
            qb: NameField::Name,
            matched: NameMatch::WordOrder,
        });
        assert_eq!(
            r.to_string(),
            "SMSTurbo's company name and QuickBooks' name are the same words in another order"
        );
    }
}
