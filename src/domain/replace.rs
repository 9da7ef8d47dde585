//! Replace Options: which QuickBooks values an operator lets overwrite SMSTurbo's (SPEC §4).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::qbxml::Field;

/// A group of fields the operator checks as one box under Replace Options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplaceGroup {
    CompanyName,
    ContactNames,
    BillAddress,
    ShipAddress,
    Phones,
    Email,
    CreditLimit,
    CustomerType,
    Terms,
    SalesRep,
    TaxCode,
    ResaleNumber,
    Notes,
    /// The status: QuickBooks inactive ⇒ SMSTurbo Inactive; active ⇒ Active (if it was Inactive).
    ActiveStatus,
}

impl ReplaceGroup {
    pub const ALL: [ReplaceGroup; 14] = [
        ReplaceGroup::CompanyName,
        ReplaceGroup::ContactNames,
        ReplaceGroup::BillAddress,
        ReplaceGroup::ShipAddress,
        ReplaceGroup::Phones,
        ReplaceGroup::Email,
        ReplaceGroup::CreditLimit,
        ReplaceGroup::CustomerType,
        ReplaceGroup::Terms,
        ReplaceGroup::SalesRep,
        ReplaceGroup::TaxCode,
        ReplaceGroup::ResaleNumber,
        ReplaceGroup::Notes,
        ReplaceGroup::ActiveStatus,
    ];

    /// The group a field belongs to. Name and code belong to none: they identify the customer and
    /// are never replaced.
    pub fn of(field: Field) -> Option<ReplaceGroup> {
        use Field::*;
        Some(match field {
            Name | AccountNumber => return None,
            CompanyName => ReplaceGroup::CompanyName,
            FirstName | LastName | Contact => ReplaceGroup::ContactNames,
            BillAddr1 | BillAddr2 | BillAddr3 | BillAddr4 | BillAddr5 | BillCity | BillState
            | BillPostalCode | BillCountry => ReplaceGroup::BillAddress,
            ShipAddr1 | ShipAddr2 | ShipAddr3 | ShipAddr4 | ShipAddr5 | ShipCity | ShipState
            | ShipPostalCode | ShipCountry => ReplaceGroup::ShipAddress,
            Phone | AltPhone | Fax => ReplaceGroup::Phones,
            Email => ReplaceGroup::Email,
            CreditLimit => ReplaceGroup::CreditLimit,
            CustomerType => ReplaceGroup::CustomerType,
            Terms => ReplaceGroup::Terms,
            SalesRep => ReplaceGroup::SalesRep,
            SalesTaxCode => ReplaceGroup::TaxCode,
            ResaleNumber => ReplaceGroup::ResaleNumber,
            Notes => ReplaceGroup::Notes,
        })
    }

    /// The fields in this group (none for ActiveStatus, which is the status, not a field).
    pub fn fields(self) -> impl Iterator<Item = Field> {
        Field::ALL
            .iter()
            .copied()
            .filter(move |&f| ReplaceGroup::of(f) == Some(self))
    }

    /// Stable key for config.toml and the command line.
    pub fn key(self) -> &'static str {
        match self {
            ReplaceGroup::CompanyName => "company_name",
            ReplaceGroup::ContactNames => "contact_names",
            ReplaceGroup::BillAddress => "bill_address",
            ReplaceGroup::ShipAddress => "ship_address",
            ReplaceGroup::Phones => "phones",
            ReplaceGroup::Email => "email",
            ReplaceGroup::CreditLimit => "credit_limit",
            ReplaceGroup::CustomerType => "customer_type",
            ReplaceGroup::Terms => "terms",
            ReplaceGroup::SalesRep => "sales_rep",
            ReplaceGroup::TaxCode => "tax_code",
            ReplaceGroup::ResaleNumber => "resale_number",
            ReplaceGroup::Notes => "notes",
            ReplaceGroup::ActiveStatus => "active_status",
        }
    }

    pub fn from_key(key: &str) -> Option<ReplaceGroup> {
        ReplaceGroup::ALL.into_iter().find(|g| g.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReplaceGroup::CompanyName => "Company name",
            ReplaceGroup::ContactNames => "Contact names",
            ReplaceGroup::BillAddress => "Bill address lines",
            ReplaceGroup::ShipAddress => "Ship address lines",
            ReplaceGroup::Phones => "Phone numbers (phone, alt. phone, fax)",
            ReplaceGroup::Email => "Email",
            ReplaceGroup::CreditLimit => "Credit limit",
            ReplaceGroup::CustomerType => "Customer type",
            ReplaceGroup::Terms => "Terms",
            ReplaceGroup::SalesRep => "Sales rep",
            ReplaceGroup::TaxCode => "Tax code",
            ReplaceGroup::ResaleNumber => "Resale number",
            ReplaceGroup::Notes => "Notes",
            ReplaceGroup::ActiveStatus => "Active status",
        }
    }
}

impl fmt::Display for ReplaceGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_field_has_exactly_one_group() {
        for &f in Field::ALL {
            let owners: Vec<_> = ReplaceGroup::ALL
                .into_iter()
                .filter(|g| g.fields().any(|x| x == f))
                .collect();
            match f {
                Field::Name | Field::AccountNumber => assert!(owners.is_empty()),
                _ => assert_eq!(owners.len(), 1, "{f:?}"),
            }
        }
        for g in ReplaceGroup::ALL {
            assert_eq!(ReplaceGroup::from_key(g.key()), Some(g));
        }
    }
}
