//! The SMSTurbo customer as the rest of custsync sees it.

use std::borrow::Cow;

use crate::qbxml::{CustomerData, Field};

pub use crate::domain::{CustomerStatus, StatusParseError};

/// One SMSTurbo customer.
///
/// Its code (the unique key, QuickBooks' AccountNumber) and name live in `data` like every other
/// mapped field, so that comparing with a QuickBooks customer is one loop over [`Field::ALL`].
/// A stored customer always has both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    pub data: CustomerData,
    pub status: CustomerStatus,
    /// The name to use in QuickBooks when it differs from `name` (e.g. too long, or taken by a
    /// vendor there).
    pub qb_name: Option<String>,
    /// How the other fields are spelled in QuickBooks where SMSTurbo's own value cannot go
    /// there (letters outside Latin-1, too long): SMSTurbo keeps its value, QuickBooks gets
    /// this one.
    pub qb_spellings: QbSpellings,
}

/// QuickBooks spellings of a customer's fields other than the name (whose spelling is
/// [`Customer::qb_name`]), in field order, none empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QbSpellings(Vec<(Field, String)>);

impl QbSpellings {
    pub fn get(&self, field: Field) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.as_str())
    }

    /// Sets the spelling of `field`; an empty one (or the name, which has `qb_name`) is none.
    pub fn set(&mut self, field: Field, value: &str) {
        self.0.retain(|(f, _)| *f != field);
        if field != Field::Name && !value.trim().is_empty() {
            self.0.push((field, value.to_string()));
            self.0.sort_by_key(|(f, _)| *f);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Field, &str)> {
        self.0.iter().map(|(f, v)| (*f, v.as_str()))
    }

    /// As the store keeps them: a JSON object from field key to spelling; `None` for none.
    pub fn to_json(&self) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let map: serde_json::Map<String, serde_json::Value> = self
            .iter()
            .map(|(f, v)| (f.key().to_string(), serde_json::Value::from(v)))
            .collect();
        Some(serde_json::Value::Object(map).to_string())
    }

    /// What [`QbSpellings::to_json`] wrote; `Err` names what is wrong.
    pub fn from_json(text: &str) -> Result<QbSpellings, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let serde_json::Value::Object(map) = value else {
            return Err("not a JSON object".into());
        };
        let mut out = QbSpellings::default();
        for (key, v) in map {
            let field = Field::from_key(&key).ok_or_else(|| format!("unknown field {key}"))?;
            let serde_json::Value::String(text) = v else {
                return Err(format!("{key} is not text"));
            };
            out.set(field, &text);
        }
        Ok(out)
    }
}

impl Customer {
    pub fn new(code: &str, name: &str, status: CustomerStatus) -> Self {
        Customer {
            data: CustomerData::new()
                .with(Field::AccountNumber, code)
                .with(Field::Name, name),
            status,
            qb_name: None,
            qb_spellings: QbSpellings::default(),
        }
    }

    pub fn code(&self) -> &str {
        self.data.get(Field::AccountNumber).unwrap_or("")
    }

    pub fn name(&self) -> &str {
        self.data.get(Field::Name).unwrap_or("")
    }

    /// The value `field` has, or would have, in QuickBooks: its QuickBooks spelling if it has
    /// one, else SMSTurbo's value. The one rule for what goes to QuickBooks and what is compared
    /// with QuickBooks' values.
    pub fn qb_value(&self, field: Field) -> Option<&str> {
        if field == Field::Name {
            return Some(self.name_for_qb());
        }
        self.qb_spellings
            .get(field)
            .or_else(|| self.data.get(field))
    }

    /// Every value as QuickBooks has, or would have, it ([`Customer::qb_value`]); borrowed
    /// when the customer has no QuickBooks spelling at all.
    pub fn qb_data(&self) -> Cow<'_, CustomerData> {
        if self.qb_spellings.is_empty() && self.name_for_qb() == self.name() {
            return Cow::Borrowed(&self.data);
        }
        let mut data = self.data.clone();
        data.set(Field::Name, self.name_for_qb().trim());
        for (field, value) in self.qb_spellings.iter() {
            data.set(field, value);
        }
        Cow::Owned(data)
    }

    /// The name this customer has, or would have, in QuickBooks.
    pub fn name_for_qb(&self) -> &str {
        self.qb_name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| self.name())
    }
}

impl Customer {
    /// The customer as the store keeps it: every value trimmed (surrounding spaces never count,
    /// SPEC §3), empty values absent, the credit limit in canonical form (`2500.00`), and code
    /// and name present. Code, name and qb_name may not hold control characters: they appear
    /// in lists, files and QuickBooks, where a line break would break the row.
    pub fn normalized(&self) -> Result<Customer, super::CustomerError> {
        self.clone().into_normalized()
    }

    /// [`Customer::normalized`], reusing this customer's values where they are already
    /// trimmed (imports build a customer only to store it).
    pub fn into_normalized(self) -> Result<Customer, super::CustomerError> {
        use super::CustomerError;
        use crate::qbxml::Amount;
        use crate::qbxml::fields::Kind;

        let mut out = self;
        out.qb_name = out.qb_name.filter(|v| !v.trim().is_empty()).map(|v| {
            if v.trim().len() == v.len() {
                v
            } else {
                v.trim().to_string()
            }
        });
        for &field in Field::ALL {
            if let Some(value) = out.data.get(field)
                && value.trim().len() != value.len()
            {
                let trimmed = value.trim().to_string();
                out.data.set(field, trimmed);
            }
        }
        if out
            .qb_spellings
            .iter()
            .any(|(_, v)| v.trim().len() != v.len())
        {
            let mut trimmed = QbSpellings::default();
            for (field, value) in out.qb_spellings.iter() {
                trimmed.set(field, value.trim());
            }
            out.qb_spellings = trimmed;
        }
        let code = out.code().to_string();
        if code.is_empty() {
            return Err(CustomerError::MissingCode);
        }
        if out.name().is_empty() {
            return Err(CustomerError::MissingName { code });
        }
        let identifying = [
            (super::Column::Field(Field::AccountNumber), Some(out.code())),
            (super::Column::Field(Field::Name), Some(out.name())),
            (super::Column::QbName, out.qb_name.as_deref()),
        ];
        for (column, value) in identifying {
            if value.is_some_and(|v| v.chars().any(char::is_control)) {
                return Err(CustomerError::ControlCharacter { code, column });
            }
        }
        for &field in Field::ALL {
            if field.kind() != Kind::Amount {
                continue;
            }
            if let Some(text) = out.data.get(field) {
                let amount = Amount::parse(text).map_err(|cause| CustomerError::BadAmount {
                    code: code.clone(),
                    field,
                    cause,
                })?;
                out.data.set(field, amount.to_string());
            }
        }
        Ok(out)
    }
}
