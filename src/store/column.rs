//! Every value a stored customer carries, as one list: the mapped fields plus status and
//! qb_name. CSV headers, the journal's field names and replacements all use these keys, so a
//! column added to the field table appears everywhere at once.

use std::fmt;
use std::sync::LazyLock;

use super::model::{Customer, CustomerStatus};
use crate::qbxml::Field;

/// One value of a customer: a mapped field, its status, or its QuickBooks name override.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Field(Field),
    Status,
    QbName,
    /// How a field other than the name is spelled for QuickBooks ([`Customer::qb_spellings`]).
    QbSpelling(Field),
}

/// `qb_<field key>` and "<label> in QuickBooks", per field (static: keys and labels are).
static SPELLING_NAMES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    Field::ALL
        .iter()
        .map(|f| {
            (
                format!("qb_{}", f.key()),
                format!("{} in QuickBooks", f.label()),
            )
        })
        .collect()
});

/// Whether a field can have a QuickBooks spelling of its own: text that goes to QuickBooks as
/// it is. The name's is `qb_name`; the code is the key both sides are matched by; an amount
/// has no spelling.
pub fn has_qb_spelling(field: Field) -> bool {
    use crate::qbxml::fields::Kind;
    !matches!(field, Field::Name | Field::AccountNumber) && field.kind() == Kind::Text
}

impl Column {
    /// Every column: the customer's own ([`Column::own`]), then the QuickBooks spellings.
    pub fn all() -> impl Iterator<Item = Column> {
        Column::own().chain(Column::spellings())
    }

    /// The QuickBooks spellings, in field order.
    pub fn spellings() -> impl Iterator<Item = Column> {
        Field::ALL
            .iter()
            .copied()
            .filter(|&f| has_qb_spelling(f))
            .map(Column::QbSpelling)
    }

    /// Code and name first, then status and qb_name, then the other fields in schema order.
    /// This is the CSV export's column order (spellings in use follow).
    pub fn own() -> impl Iterator<Item = Column> {
        [
            Column::Field(Field::AccountNumber),
            Column::Field(Field::Name),
            Column::Status,
            Column::QbName,
        ]
        .into_iter()
        .chain(
            Field::ALL
                .iter()
                .copied()
                .filter(|f| !matches!(f, Field::AccountNumber | Field::Name))
                .map(Column::Field),
        )
    }

    /// The stable key used in CSV headers and the journal.
    pub fn key(self) -> &'static str {
        match self {
            Column::Field(f) => f.key(),
            Column::Status => "status",
            Column::QbName => "qb_name",
            Column::QbSpelling(f) => &SPELLING_NAMES[f.index()].0,
        }
    }

    pub fn from_key(key: &str) -> Option<Column> {
        Column::all().find(|c| c.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Field(f) => f.label(),
            Column::Status => "Status",
            Column::QbName => "QuickBooks name",
            Column::QbSpelling(f) => &SPELLING_NAMES[f.index()].1,
        }
    }

    /// The customer's value in this column; `None` when empty.
    pub fn get(self, customer: &Customer) -> Option<&str> {
        match self {
            Column::Field(f) => customer.data.get(f),
            Column::Status => Some(customer.status.as_str()),
            Column::QbName => customer.qb_name.as_deref().filter(|v| !v.is_empty()),
            Column::QbSpelling(f) => customer.qb_spellings.get(f),
        }
    }

    /// Sets this column from text; an empty or absent value clears it. The status cannot be
    /// cleared, so a status that is empty or not a status is refused with the reason.
    pub fn set(self, customer: &mut Customer, value: Option<&str>) -> Result<(), String> {
        let value = value.unwrap_or("");
        match self {
            Column::Field(f) => customer.data.set(f, value),
            Column::Status => {
                customer.status = value.parse::<CustomerStatus>().map_err(|e| e.to_string())?;
            }
            Column::QbName => {
                customer.qb_name = Some(value.to_string()).filter(|v| !v.is_empty());
            }
            Column::QbSpelling(f) => customer.qb_spellings.set(f, value),
        }
        Ok(())
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_a_column_once_and_keys_round_trip() {
        let own: Vec<Column> = Column::own().collect();
        assert_eq!(own.len(), Field::COUNT + 2);
        let all: Vec<Column> = Column::all().collect();
        assert_eq!(
            Column::from_key("qb_bill_city"),
            Some(Column::QbSpelling(Field::BillCity))
        );
        assert_eq!(Column::from_key("qb_code"), None);
        for c in &all {
            assert_eq!(Column::from_key(c.key()), Some(*c));
            assert_eq!(all.iter().filter(|x| *x == c).count(), 1);
        }
        assert_eq!(Column::from_key("nope"), None);
    }

    #[test]
    fn status_cannot_be_cleared_or_misspelled() {
        let mut c = Customer::new("C1", "One", CustomerStatus::Active);
        assert!(Column::Status.set(&mut c, Some("hold")).is_ok());
        assert_eq!(c.status, CustomerStatus::Hold);
        assert!(Column::Status.set(&mut c, None).is_err());
        assert!(Column::Status.set(&mut c, Some("Gone")).is_err());
        assert_eq!(c.status, CustomerStatus::Hold);
        Column::QbName.set(&mut c, Some("")).unwrap();
        assert_eq!(c.qb_name, None);
    }
}
