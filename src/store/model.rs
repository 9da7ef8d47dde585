//! The SMSTurbo customer as the rest of custsync sees it.

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
}

impl Customer {
    pub fn new(code: &str, name: &str, status: CustomerStatus) -> Self {
        Customer {
            data: CustomerData::new()
                .with(Field::AccountNumber, code)
                .with(Field::Name, name),
            status,
            qb_name: None,
        }
    }

    pub fn code(&self) -> &str {
        self.data.get(Field::AccountNumber).unwrap_or("")
    }

    pub fn name(&self) -> &str {
        self.data.get(Field::Name).unwrap_or("")
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
