//! The element sequences of CustomerAdd and CustomerRet, as data.
//!
//! qbXML is sequence-sensitive: QuickBooks rejects a whole document (HRESULT 0x80040400) when one
//! element is out of schema order. These tables list every top-level element of the two
//! aggregates in the order of `qbxml130.xsd` (16.0 has the same order; a test checks both), and
//! say what custsync puts in each. The request writer walks [`CUSTOMER_ADD`]; the response reader
//! and the CustomerRet writer (which the sandbox answers with) walk [`CUSTOMER_RET`]. The sandbox
//! checks requests against its own content models, compared with the XSDs on their own.

use super::fields::{Field, Shape};

/// What custsync carries in one top-level element of a customer aggregate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Content {
    /// One or more mapped fields: every [`Field`] whose [`top_element`] is this element.
    Mapped,
    ListId,
    TimeCreated,
    TimeModified,
    EditSequence,
    FullName,
    IsActive,
    ParentRef,
    Sublevel,
    JobTypeRef,
    ExternalGuid,
    /// In the schema, but custsync neither writes nor reads it.
    Unused,
}

/// One top-level element of an aggregate, in schema order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub element: &'static str,
    pub content: Content,
}

const fn slot(element: &'static str, content: Content) -> Slot {
    Slot { element, content }
}

use Content::*;

/// `CustomerAdd`'s children, in schema order (groups PersonName and CommInfo expanded).
pub const CUSTOMER_ADD: &[Slot] = &[
    slot("Name", Mapped),
    slot("IsActive", IsActive),
    slot("ClassRef", Unused),
    slot("ParentRef", ParentRef),
    slot("CompanyName", Mapped),
    slot("Salutation", Unused),
    slot("FirstName", Mapped),
    slot("MiddleName", Unused),
    slot("LastName", Mapped),
    slot("Suffix", Unused),
    slot("JobTitle", Unused),
    slot("BillAddress", Mapped),
    slot("ShipAddress", Mapped),
    slot("ShipToAddress", Unused),
    slot("PrintAs", Unused),
    slot("Phone", Mapped),
    slot("Mobile", Unused),
    slot("Pager", Unused),
    slot("AltPhone", Mapped),
    slot("Fax", Mapped),
    slot("Email", Mapped),
    slot("Cc", Unused),
    slot("Contact", Mapped),
    slot("AltContact", Unused),
    slot("AdditionalContactRef", Unused),
    slot("Contacts", Unused),
    slot("CustomerTypeRef", Mapped),
    slot("TermsRef", Mapped),
    slot("SalesRepRef", Mapped),
    slot("OpenBalance", Unused),
    slot("OpenBalanceDate", Unused),
    slot("SalesTaxCodeRef", Mapped),
    slot("ItemSalesTaxRef", Unused),
    slot("SalesTaxCountry", Unused),
    slot("ResaleNumber", Mapped),
    slot("AccountNumber", Mapped),
    slot("CreditLimit", Mapped),
    slot("PreferredPaymentMethodRef", Unused),
    slot("CreditCardInfo", Unused),
    slot("JobStatus", Unused),
    slot("JobStartDate", Unused),
    slot("JobProjectedEndDate", Unused),
    slot("JobEndDate", Unused),
    slot("JobDesc", Unused),
    slot("JobTypeRef", JobTypeRef),
    slot("Notes", Mapped),
    slot("AdditionalNotes", Unused),
    slot("IsStatementWithParent", Unused),
    slot("DeliveryMethod", Unused),
    slot("PreferredDeliveryMethod", Unused),
    slot("PriceLevelRef", Unused),
    slot("ExternalGUID", ExternalGuid),
    slot("TaxRegistrationNumber", Unused),
    slot("CurrencyRef", Unused),
];

/// `CustomerRet`'s children, in schema order (groups ListCore, PersonName and CommInfo expanded).
pub const CUSTOMER_RET: &[Slot] = &[
    slot("ListID", ListId),
    slot("TimeCreated", TimeCreated),
    slot("TimeModified", TimeModified),
    slot("EditSequence", EditSequence),
    slot("Name", Mapped),
    slot("FullName", FullName),
    slot("IsActive", IsActive),
    slot("ClassRef", Unused),
    slot("ParentRef", ParentRef),
    slot("Sublevel", Sublevel),
    slot("CompanyName", Mapped),
    slot("Salutation", Unused),
    slot("FirstName", Mapped),
    slot("MiddleName", Unused),
    slot("LastName", Mapped),
    slot("Suffix", Unused),
    slot("JobTitle", Unused),
    slot("BillAddress", Mapped),
    slot("BillAddressBlock", Unused),
    slot("ShipAddress", Mapped),
    slot("ShipAddressBlock", Unused),
    slot("ShipToAddress", Unused),
    slot("PrintAs", Unused),
    slot("Phone", Mapped),
    slot("Mobile", Unused),
    slot("Pager", Unused),
    slot("AltPhone", Mapped),
    slot("Fax", Mapped),
    slot("Email", Mapped),
    slot("Cc", Unused),
    slot("Contact", Mapped),
    slot("AltContact", Unused),
    slot("AdditionalContactRef", Unused),
    slot("ContactsRet", Unused),
    slot("CustomerTypeRef", Mapped),
    slot("TermsRef", Mapped),
    slot("SalesRepRef", Mapped),
    slot("Balance", Unused),
    slot("TotalBalance", Unused),
    slot("SalesTaxCodeRef", Mapped),
    slot("ItemSalesTaxRef", Unused),
    slot("SalesTaxCountry", Unused),
    slot("ResaleNumber", Mapped),
    slot("AccountNumber", Mapped),
    slot("CreditLimit", Mapped),
    slot("PreferredPaymentMethodRef", Unused),
    slot("CreditCardInfo", Unused),
    slot("JobStatus", Unused),
    slot("JobStartDate", Unused),
    slot("JobProjectedEndDate", Unused),
    slot("JobEndDate", Unused),
    slot("JobDesc", Unused),
    slot("JobTypeRef", JobTypeRef),
    slot("Notes", Mapped),
    slot("AdditionalNotesRet", Unused),
    slot("IsStatementWithParent", Unused),
    slot("DeliveryMethod", Unused),
    slot("PreferredDeliveryMethod", Unused),
    slot("PriceLevelRef", Unused),
    slot("ExternalGUID", ExternalGuid),
    slot("TaxRegistrationNumber", Unused),
    slot("CurrencyRef", Unused),
    slot("DataExtRet", Unused),
];

/// The children of `BillAddress` / `ShipAddress` (group AddressData), in schema order.
pub const ADDRESS_DATA: &[&str] = &[
    "Addr1",
    "Addr2",
    "Addr3",
    "Addr4",
    "Addr5",
    "City",
    "State",
    "PostalCode",
    "Country",
    "Note",
];

/// The element directly under the customer aggregate that carries `field`: `BillAddress` for
/// the bill address lines, `TermsRef` for terms, the element itself for plain fields.
pub fn top_element(field: Field) -> &'static str {
    match field.shape() {
        Shape::Plain(e) | Shape::Ref(e) => e,
        Shape::InAddress(a, _) => a.element(),
    }
}

/// The mapped fields carried in the top-level element `element`, in schema order.
pub fn fields_in(element: &str) -> impl Iterator<Item = Field> + '_ {
    Field::ALL
        .iter()
        .copied()
        .filter(move |&f| top_element(f) == element)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(table: &[Slot]) -> Vec<&'static str> {
        table
            .iter()
            .filter(|s| s.content == Mapped)
            .map(|s| s.element)
            .collect()
    }

    #[test]
    fn every_field_has_exactly_one_mapped_slot_in_both_tables() {
        for table in [CUSTOMER_ADD, CUSTOMER_RET] {
            let slots = mapped(table);
            for &f in Field::ALL {
                let n = slots.iter().filter(|&&e| e == top_element(f)).count();
                assert_eq!(n, 1, "{f:?} must appear once");
            }
            for e in slots {
                assert!(fields_in(e).next().is_some(), "{e} carries no field");
            }
        }
    }

    #[test]
    fn field_order_follows_the_add_sequence() {
        // Field::ALL is documented as schema order; the writer relies on the two agreeing.
        let pos = |f: Field| {
            CUSTOMER_ADD
                .iter()
                .position(|s| s.element == top_element(f))
                .unwrap()
        };
        for pair in Field::ALL.windows(2) {
            assert!(pos(pair[0]) <= pos(pair[1]), "{pair:?} out of order");
        }
        for f in Field::ALL {
            if let Shape::InAddress(_, e) = f.shape() {
                assert!(ADDRESS_DATA.contains(&e));
            }
        }
    }
}
