//! The SMSTurbo customer as the rest of custsync sees it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::qbxml::{CustomerData, Field};

/// An SMSTurbo customer's status. Only `Inactive` maps to QuickBooks (`IsActive` false).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CustomerStatus {
    Active,
    Hold,
    Prospect,
    Inactive,
}

impl CustomerStatus {
    pub const ALL: [CustomerStatus; 4] = [
        CustomerStatus::Active,
        CustomerStatus::Hold,
        CustomerStatus::Prospect,
        CustomerStatus::Inactive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerStatus::Active => "Active",
            CustomerStatus::Hold => "Hold",
            CustomerStatus::Prospect => "Prospect",
            CustomerStatus::Inactive => "Inactive",
        }
    }

    /// QuickBooks' `IsActive` for this status.
    pub fn is_active_in_qb(self) -> bool {
        self != CustomerStatus::Inactive
    }
}

impl fmt::Display for CustomerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a customer status (use Active, Hold, Prospect or Inactive)")]
pub struct StatusParseError(pub String);

impl FromStr for CustomerStatus {
    type Err = StatusParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CustomerStatus::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| StatusParseError(s.to_string()))
    }
}

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
