//! An SMSTurbo customer's status (SPEC §2), shared by the store, the setup and the sync core.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

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
