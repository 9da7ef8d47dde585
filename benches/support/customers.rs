//! Customer values for benchmarks: what a typical record carries, varied by number.

use custsync::qbxml::{CustomerData, Field};

/// Fills the usual fields of customer `i`; `variant` gives it another phone number.
pub fn fill(data: &mut CustomerData, i: usize, variant: bool) {
    data.set(Field::CompanyName, format!("Company {i}"));
    data.set(Field::FirstName, "Pat");
    data.set(Field::LastName, format!("Lee{i}"));
    data.set(Field::BillAddr1, format!("{i} Main Street"));
    data.set(Field::BillCity, "Springfield");
    data.set(Field::BillState, "IL");
    data.set(Field::BillPostalCode, "62701");
    data.set(Field::Phone, if variant { "555-0199" } else { "555-0100" });
    data.set(Field::Email, format!("ap{i}@example.com"));
    data.set(Field::CreditLimit, "2500.00");
}
