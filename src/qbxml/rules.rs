//! Value rules: what QuickBooks can store, checked before anything is sent.
//!
//! QuickBooks refuses an over-long value with status 3070, a name containing `:` or one already
//! taken with 3100, and stores only ISO-8859-1 text (anything else breaks the document or turns
//! into `?`). custsync never truncates or replaces silently: these checks return every problem
//! as a [`Violation`] (what, which value, a suggestion where one exists), which the sync core
//! shows per row before anything is sent. `Display` renders one in plain words.

use std::borrow::Cow;
use std::fmt;

use super::fields::{Amount, CustomerData, Field, Kind};
use super::messages::CustomerAdd;

/// Longest `FullName` of a list entry: five levels of 41 characters and four colons.
pub const MAX_FULL_NAME: usize = 209;
/// Longest `Name` of a customer type or job type.
pub const MAX_TYPE_NAME: usize = 31;
/// Longest `FullName` of a customer type or job type.
pub const MAX_TYPE_FULL_NAME: usize = 159;
/// Longest `ListID` (IDTYPE).
pub const MAX_LIST_ID: usize = 36;

/// What a violation is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    Field(Field),
    /// `JobTypeRef/FullName` of a new customer.
    JobType,
    /// `ParentRef` of a new customer.
    Parent,
    ExternalGuid,
    /// The name of a new customer type or job type.
    TypeName,
}

impl Subject {
    pub fn label(self) -> &'static str {
        match self {
            Subject::Field(f) => f.label(),
            Subject::JobType => "Job type",
            Subject::Parent => "Parent customer",
            Subject::ExternalGuid => "External GUID",
            Subject::TypeName => "Type name",
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The rule a value breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Longer than QuickBooks allows. `chars` counts the suggested replacement when the value
    /// also needs transliterating (`after_transliteration`).
    TooLong {
        max: usize,
        chars: usize,
        after_transliteration: bool,
    },
    /// Characters outside ISO-8859-1, each listed once in order of appearance.
    NotLatin1 {
        chars: Vec<char>,
    },
    /// Control characters (other than tab and line breaks), which XML cannot carry.
    ControlCharacter,
    /// A `:` in a name: QuickBooks reads it as the separator of `Parent:Job`.
    ColonInName,
    /// A name that is empty or only spaces.
    BlankName,
    NotAnAmount {
        reason: &'static str,
    },
    /// Not `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` (or `0`).
    BadGuid,
}

/// One problem with one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub subject: Subject,
    pub rule: Rule,
    /// The value as given.
    pub value: String,
    /// A value that would pass this rule, when one can be derived safely.
    pub suggestion: Option<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let subject = self.subject;
        match &self.rule {
            Rule::TooLong {
                max,
                chars,
                after_transliteration: false,
            } => write!(
                f,
                "{subject} is {chars} characters long; QuickBooks allows at most {max}. Shorten it"
            )?,
            Rule::TooLong { max, chars, .. } => write!(
                f,
                "{subject} would be {chars} characters long once its special characters are \
                 replaced; QuickBooks allows at most {max}. Shorten it"
            )?,
            Rule::NotLatin1 { chars } => {
                let list: Vec<String> = chars
                    .iter()
                    .map(|c| format!("{c} (U+{:04X})", *c as u32))
                    .collect();
                write!(
                    f,
                    "{subject} contains characters QuickBooks cannot store: {}",
                    list.join(", ")
                )?;
                if self.suggestion.is_none() {
                    write!(f, ". Replace them with plain letters")?;
                }
            }
            Rule::ControlCharacter => write!(
                f,
                "{subject} contains invisible control characters QuickBooks cannot store. Remove them"
            )?,
            Rule::ColonInName => write!(
                f,
                "{subject} \"{}\" contains ':', which QuickBooks reserves for separating a customer \
                 from its jobs",
                self.value
            )?,
            Rule::BlankName => write!(
                f,
                "{subject} is empty; QuickBooks needs a name for every customer. Enter one"
            )?,
            Rule::NotAnAmount { reason } => write!(
                f,
                "{subject} \"{}\" is not an amount: {reason}. Write it like 2500 or 2500.00",
                self.value
            )?,
            Rule::BadGuid => write!(
                f,
                "{subject} \"{}\" is not a GUID like {{12345678-90AB-CDEF-1234-567890ABCDEF}}",
                self.value
            )?,
        }
        if let Some(s) = &self.suggestion {
            write!(f, ". Suggested: \"{s}\"")?;
        }
        Ok(())
    }
}

/// Checks one mapped field's value. An empty value is absent and passes, except for Name.
pub fn check_field(field: Field, value: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    check_field_into(&mut out, field, value);
    out
}

/// [`check_field`], adding to `out`: checking a customer's every field allocates nothing when
/// all are valid (a Vec per field was most of checking 20,000 export candidates).
fn check_field_into(out: &mut Vec<Violation>, field: Field, value: &str) {
    let subject = Subject::Field(field);
    if field == Field::Name {
        check_name(out, subject, value, field.max_len().unwrap_or(41));
        return;
    }
    if value.is_empty() {
        return;
    }
    if field.kind() == Kind::Amount {
        if let Err(e) = Amount::parse(value) {
            out.push(Violation {
                subject,
                rule: Rule::NotAnAmount { reason: e.reason },
                value: value.to_string(),
                suggestion: amount_suggestion(value),
            });
        }
        return;
    }
    check_text(out, subject, value, field.max_len());
}

/// Checks every mapped field of a customer (Name is required).
pub fn check_customer_data(data: &CustomerData) -> Vec<Violation> {
    let mut out = Vec::new();
    for &f in Field::ALL {
        check_field_into(&mut out, f, data.get(f).unwrap_or(""));
    }
    out
}

/// Checks everything a CustomerAdd would send.
pub fn check_customer_add(add: &CustomerAdd) -> Vec<Violation> {
    let mut out = check_customer_data(&add.data);
    if let Some(job_type) = &add.job_type {
        check_text(
            &mut out,
            Subject::JobType,
            job_type,
            Some(MAX_TYPE_FULL_NAME),
        );
    }
    if let Some(parent) = &add.parent {
        if let Some(name) = &parent.full_name {
            check_text(&mut out, Subject::Parent, name, Some(MAX_FULL_NAME));
        }
        if let Some(id) = &parent.list_id {
            check_text(&mut out, Subject::Parent, id, Some(MAX_LIST_ID));
        }
    }
    if let Some(guid) = &add.external_guid
        && !is_guid(guid)
    {
        out.push(Violation {
            subject: Subject::ExternalGuid,
            rule: Rule::BadGuid,
            value: guid.clone(),
            suggestion: None,
        });
    }
    out
}

/// Checks the name of a new customer type or job type (`Retail`, not `Retail:Web`: a sub-type
/// is added with its parent as ParentRef).
pub fn check_type_name(name: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    check_name(&mut out, Subject::TypeName, name, MAX_TYPE_NAME);
    out
}

fn check_name(out: &mut Vec<Violation>, subject: Subject, value: &str, max: usize) {
    if value.trim().is_empty() {
        out.push(Violation {
            subject,
            rule: Rule::BlankName,
            value: value.to_string(),
            suggestion: None,
        });
        return;
    }
    if value.contains(':') {
        out.push(Violation {
            subject,
            rule: Rule::ColonInName,
            value: value.to_string(),
            suggestion: Some(value.replace(':', "-")),
        });
    }
    check_text(out, subject, value, Some(max));
}

/// Control characters, Latin-1 and length, in that order; the length counts the suggested
/// replacement when there is one, since that is what would be sent.
fn check_text(out: &mut Vec<Violation>, subject: Subject, value: &str, max: Option<usize>) {
    // Nearly every value is short printable ASCII: nothing to flag, and one pass tells.
    if value.bytes().all(|b| (0x20..0x7f).contains(&b)) && max.is_none_or(|m| value.len() <= m) {
        return;
    }
    let controls = value.chars().any(is_forbidden_control);
    let foreign: Vec<char> = {
        let mut seen = Vec::new();
        for c in value.chars().filter(|&c| !is_latin1_char(c)) {
            if !seen.contains(&c) {
                seen.push(c);
            }
        }
        seen
    };
    let cleaned: Cow<'_, str> = if controls {
        value
            .chars()
            .filter(|&c| !is_forbidden_control(c))
            .collect::<String>()
            .into()
    } else {
        value.into()
    };
    if controls {
        out.push(Violation {
            subject,
            rule: Rule::ControlCharacter,
            value: value.to_string(),
            suggestion: Some(cleaned.to_string()),
        });
    }
    let mut measured: Cow<'_, str> = cleaned.clone();
    let mut after_transliteration = false;
    if !foreign.is_empty() {
        let suggestion = transliterate(&cleaned);
        if let Some(s) = &suggestion {
            measured = s.clone().into();
            after_transliteration = true;
        }
        out.push(Violation {
            subject,
            rule: Rule::NotLatin1 { chars: foreign },
            value: value.to_string(),
            suggestion,
        });
    }
    if let Some(max) = max {
        let chars = measured.chars().count();
        if chars > max {
            out.push(Violation {
                subject,
                rule: Rule::TooLong {
                    max,
                    chars,
                    after_transliteration,
                },
                value: value.to_string(),
                suggestion: None,
            });
        }
    }
}

/// Whether QuickBooks can store `text` as it is.
pub fn is_latin1(text: &str) -> bool {
    text.chars().all(is_latin1_char)
}

fn is_latin1_char(c: char) -> bool {
    (c as u32) <= 0xFF
}

/// C0 controls other than tab, line feed and carriage return are not allowed in XML 1.0.
fn is_forbidden_control(c: char) -> bool {
    c < ' ' && !matches!(c, '\t' | '\n' | '\r')
}

/// `text` with every character outside ISO-8859-1 replaced by its usual Latin-1 spelling (curly
/// quotes → straight, dashes → `-`, `…` → `...`, `€` → `EUR`, Central European letters → their
/// base letters, Greek and Cyrillic → Latin). `None` when some character has no such spelling.
pub fn transliterate(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_latin1_char(c) {
            out.push(c);
        } else {
            out.push_str(&transliterate_char(c)?);
        }
    }
    Some(out)
}

/// The Latin-1 spelling of one character outside ISO-8859-1.
pub fn transliterate_char(c: char) -> Option<Cow<'static, str>> {
    let code = c as u32;
    let fixed: &'static str = match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => "\"",
        '\u{2039}' => "<",
        '\u{203A}' => ">",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{2026}' => "...",
        '\u{2022}' => "*",
        '\u{20AC}' => "EUR",
        '\u{2122}' => "(TM)",
        '\u{02C6}' => "^",
        '\u{02DC}' => "~",
        '\u{0192}' => "f",
        '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        // Combining accents (text typed as "e" + "◌́"): keep the base letter.
        '\u{0300}'..='\u{036F}' => "",
        '\u{0218}' => "S",
        '\u{0219}' => "s",
        '\u{021A}' => "T",
        '\u{021B}' => "t",
        '\u{0100}'..='\u{017F}' => LATIN_EXTENDED_A[(code - 0x100) as usize],
        '\u{0386}' => "A",
        '\u{0388}' => "E",
        '\u{0389}' | '\u{038A}' => "I",
        '\u{038C}' | '\u{038F}' => "O",
        '\u{038E}' | '\u{03AB}' => "Y",
        '\u{03AA}' => "I",
        '\u{0390}' | '\u{03AF}' | '\u{03CA}' => "i",
        '\u{03AC}' => "a",
        '\u{03AD}' => "e",
        '\u{03AE}' => "i",
        '\u{03B0}' | '\u{03CD}' | '\u{03CB}' => "y",
        '\u{03CC}' | '\u{03CE}' => "o",
        '\u{03C2}' => "s",
        '\u{03A2}' => return None,
        '\u{0391}'..='\u{03A9}' => GREEK[(code - 0x391) as usize],
        '\u{03B1}'..='\u{03C9}' => return lower(GREEK[(code - 0x3B1) as usize]),
        '\u{0400}'..='\u{040F}' => CYRILLIC_EXTRA[(code - 0x400) as usize],
        '\u{0450}'..='\u{045F}' => return lower(CYRILLIC_EXTRA[(code - 0x450) as usize]),
        '\u{0410}'..='\u{042F}' => CYRILLIC[(code - 0x410) as usize],
        '\u{0430}'..='\u{044F}' => return lower(CYRILLIC[(code - 0x430) as usize]),
        '\u{0490}' => "G",
        '\u{0491}' => "g",
        _ => return None,
    };
    Some(fixed.into())
}

fn lower(s: &'static str) -> Option<Cow<'static, str>> {
    Some(s.to_lowercase().into())
}

/// U+0100–U+017F. Hungarian ő/ű become the Latin-1 ö/ü, the nearest letters QuickBooks has.
const LATIN_EXTENDED_A: [&str; 128] = [
    "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d", // 0100
    "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g", // 0110
    "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i", // 0120
    "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L", // 0130
    "l", "L", "l", "N", "n", "N", "n", "N", "n", "'n", "N", "n", "O", "o", "O", "o", // 0140
    "\u{D6}", "\u{F6}", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S",
    "s", // 0150
    "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u", // 0160
    "\u{DC}", "\u{FC}", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z",
    "s", // 0170
];

/// U+0391–U+03A9 (U+03A2 is unassigned and never looked up), modern Greek as commonly romanised.
const GREEK: [&str; 25] = [
    "A", "V", "G", "D", "E", "Z", "I", "Th", "I", "K", "L", "M", "N", "X", "O", "P", "R", "", "S",
    "T", "Y", "F", "Ch", "Ps", "O",
];

/// U+0410–U+042F, Russian as commonly romanised (Ъ and Ь are dropped).
const CYRILLIC: [&str; 32] = [
    "A", "B", "V", "G", "D", "E", "Zh", "Z", "I", "Y", "K", "L", "M", "N", "O", "P", "R", "S", "T",
    "U", "F", "Kh", "Ts", "Ch", "Sh", "Shch", "", "Y", "", "E", "Yu", "Ya",
];

/// U+0400–U+040F: Ukrainian, Belarusian, Serbian and Macedonian letters.
const CYRILLIC_EXTRA: [&str; 16] = [
    "E", "Yo", "Dj", "G", "Ye", "Dz", "I", "Yi", "J", "Lj", "Nj", "C", "K", "I", "U", "Dz",
];

/// `$1,250.5` → `1250.50`: currency signs, spaces and thousands separators removed, when what
/// remains is an amount.
fn amount_suggestion(text: &str) -> Option<String> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, '$' | '€' | '£' | ',' | ' ' | '\u{A0}'))
        .collect();
    Amount::parse(&cleaned).ok().map(|a| a.to_string())
}

/// GUIDTYPE: `0` or `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` in hex digits.
pub fn is_guid(text: &str) -> bool {
    if text == "0" {
        return true;
    }
    let Some(inner) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) else {
        return false;
    };
    let groups: Vec<&str> = inner.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(field: Field, value: &str) -> Vec<Rule> {
        check_field(field, value)
            .into_iter()
            .map(|v| v.rule)
            .collect()
    }

    #[test]
    fn lengths_count_characters_and_name_the_field() {
        assert!(check_field(Field::BillCity, &"é".repeat(31)).is_empty());
        let v = check_field(Field::BillCity, &"é".repeat(32));
        assert_eq!(
            v[0].rule,
            Rule::TooLong {
                max: 31,
                chars: 32,
                after_transliteration: false
            }
        );
        let text = v[0].to_string();
        assert!(text.contains("Bill city") && text.contains("31"), "{text}");
        assert!(check_field(Field::Notes, &"x".repeat(4095)).is_empty());
        assert_eq!(problems(Field::Notes, &"x".repeat(4096)).len(), 1);
    }

    #[test]
    fn non_latin1_gets_a_transliteration_and_length_counts_it() {
        let v = check_field(Field::Name, "“Smith” – Söhne… €5");
        assert_eq!(v.len(), 1);
        assert_eq!(
            v[0].suggestion.as_deref(),
            Some("\"Smith\" - Söhne... EUR5")
        );
        assert!(matches!(&v[0].rule, Rule::NotLatin1 { chars } if chars.len() == 5));
        // 40 characters, but the ellipsis becomes three: 42 once transliterated.
        let long = format!("{}…", "a".repeat(39));
        let v = check_field(Field::Name, &long);
        assert_eq!(v.len(), 2, "{v:?}");
        assert_eq!(
            v[1].rule,
            Rule::TooLong {
                max: 41,
                chars: 42,
                after_transliteration: true
            }
        );
        assert!(
            v[1].to_string()
                .contains("once its special characters are replaced")
        );
    }

    #[test]
    fn transliterates_central_european_greek_and_cyrillic() {
        assert_eq!(transliterate("Łódź Kraków").as_deref(), Some("Lódz Kraków"));
        assert_eq!(
            transliterate("Dvořák Şişli Ţară Őrség").as_deref(),
            Some("Dvorák Sisli Tara Örség")
        );
        assert_eq!(transliterate("Αθήνα").as_deref(), Some("Athina"));
        assert_eq!(
            transliterate("Москва Щукин Объект").as_deref(),
            Some("Moskva Shchukin Obekt")
        );
        assert_eq!(transliterate("Київ").as_deref(), Some("Kiyiv"));
        assert_eq!(transliterate("Cafe\u{301}").as_deref(), Some("Cafe"));
        assert_eq!(transliterate("漢字"), None);
        assert_eq!(transliterate("✓ done"), None);
        let v = check_field(Field::Contact, "Zhang 张");
        assert_eq!(v[0].suggestion, None);
        assert!(v[0].to_string().contains("Replace them"), "{}", v[0]);
    }

    #[test]
    fn names_must_not_be_blank_or_contain_colons() {
        assert_eq!(problems(Field::Name, "  "), [Rule::BlankName]);
        assert_eq!(problems(Field::Name, ""), [Rule::BlankName]);
        let v = check_field(Field::Name, "Acme:East");
        assert_eq!(v[0].rule, Rule::ColonInName);
        assert_eq!(v[0].suggestion.as_deref(), Some("Acme-East"));
        // Only names: a customer type's FullName legitimately has colons.
        assert!(check_field(Field::CustomerType, "Retail:Web").is_empty());
        assert!(check_field(Field::CompanyName, "").is_empty());
        assert_eq!(check_type_name("Web:Shop")[0].rule, Rule::ColonInName);
        assert!(matches!(
            check_type_name(&"t".repeat(32))[0].rule,
            Rule::TooLong { max: 31, .. }
        ));
    }

    #[test]
    fn amounts_and_control_characters() {
        assert!(check_field(Field::CreditLimit, "2500").is_empty());
        let v = check_field(Field::CreditLimit, "$1,250.5");
        assert!(matches!(v[0].rule, Rule::NotAnAmount { .. }));
        assert_eq!(v[0].suggestion.as_deref(), Some("1250.50"));
        assert_eq!(check_field(Field::CreditLimit, "lots")[0].suggestion, None);
        let v = check_field(Field::Notes, "a\u{1}b\r\nc\td");
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].rule, Rule::ControlCharacter);
        assert_eq!(v[0].suggestion.as_deref(), Some("ab\r\nc\td"));
    }

    #[test]
    fn a_whole_customer_add_reports_every_violation() {
        let add = CustomerAdd {
            data: CustomerData::new()
                .with(Field::CompanyName, "x".repeat(50))
                .with(Field::Phone, "☎ 555"),
            job_type: Some("Ŧest".into()),
            external_guid: Some("not-a-guid".into()),
            ..CustomerAdd::default()
        };
        let v = check_customer_add(&add);
        let subjects: Vec<Subject> = v.iter().map(|v| v.subject).collect();
        assert_eq!(
            subjects,
            [
                Subject::Field(Field::Name),
                Subject::Field(Field::CompanyName),
                Subject::Field(Field::Phone),
                Subject::JobType,
                Subject::ExternalGuid
            ]
        );
        assert!(is_guid("{12345678-90ab-CDEF-1234-567890ABCDEF}"));
        assert!(!is_guid("{12345678-90ab-CDEF-1234-567890ABCDE}"));
        for violation in &v {
            assert!(violation.to_string().len() > 20);
        }
    }
}
