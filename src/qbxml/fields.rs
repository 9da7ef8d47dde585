//! The customer fields custsync maps between SMSTurbo and QuickBooks (SPEC §2), as data.
//!
//! One table drives everything that is "per field": the element QuickBooks uses, where it sits in
//! the schema's sequence, its maximum length, its label for people and its key for files. Writers,
//! readers, the sandbox's validator, the diff and the CSV columns all iterate this table instead of
//! naming fields one by one, so adding a field is one edit here.

use std::fmt;

/// Which address aggregate a field lives in, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Address {
    Bill,
    Ship,
}

impl Address {
    pub fn element(self) -> &'static str {
        match self {
            Address::Bill => "BillAddress",
            Address::Ship => "ShipAddress",
        }
    }
}

/// How a field's value is written in qbXML.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// `<Element>value</Element>` directly under the customer.
    Plain(&'static str),
    /// `<BillAddress><Element>value</Element></BillAddress>` (or ShipAddress).
    InAddress(Address, &'static str),
    /// `<ElementRef><FullName>value</FullName></ElementRef>`.
    Ref(&'static str),
}

/// What kind of value a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Text,
    /// A QuickBooks AMTTYPE: exact decimal, stored in canonical form (see [`Amount`]).
    Amount,
}

macro_rules! fields {
    ($( $variant:ident => $shape:expr, $max:expr, $kind:ident, $key:literal, $label:literal; )*) => {
        /// A mapped customer field, in QuickBooks schema order (CustomerAdd and CustomerRet agree
        /// on the relative order of these elements).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field { $( $variant, )* }

        impl Field {
            /// Every field, in schema order.
            pub const ALL: &'static [Field] = &[ $( Field::$variant, )* ];
            pub const COUNT: usize = Field::ALL.len();

            /// Where and how QuickBooks carries this field.
            pub const fn shape(self) -> Shape {
                match self { $( Field::$variant => $shape, )* }
            }

            /// Maximum length in characters, for text fields.
            pub const fn max_len(self) -> Option<usize> {
                match self { $( Field::$variant => $max, )* }
            }

            pub fn kind(self) -> Kind {
                match self { $( Field::$variant => Kind::$kind, )* }
            }

            /// Stable snake_case key used in CSV headers, config and JSON.
            pub fn key(self) -> &'static str {
                match self { $( Field::$variant => $key, )* }
            }

            /// Label for people.
            pub fn label(self) -> &'static str {
                match self { $( Field::$variant => $label, )* }
            }
        }
    };
}

use Address::{Bill, Ship};
use Shape::{InAddress, Plain, Ref};

fields! {
    Name          => Plain("Name"), Some(41), Text, "name", "Name";
    CompanyName   => Plain("CompanyName"), Some(41), Text, "company_name", "Company name";
    FirstName     => Plain("FirstName"), Some(25), Text, "first_name", "First name";
    LastName      => Plain("LastName"), Some(25), Text, "last_name", "Last name";
    BillAddr1     => InAddress(Bill, "Addr1"), Some(41), Text, "bill_addr1", "Bill address 1";
    BillAddr2     => InAddress(Bill, "Addr2"), Some(41), Text, "bill_addr2", "Bill address 2";
    BillAddr3     => InAddress(Bill, "Addr3"), Some(41), Text, "bill_addr3", "Bill address 3";
    BillAddr4     => InAddress(Bill, "Addr4"), Some(41), Text, "bill_addr4", "Bill address 4";
    BillAddr5     => InAddress(Bill, "Addr5"), Some(41), Text, "bill_addr5", "Bill address 5";
    BillCity      => InAddress(Bill, "City"), Some(31), Text, "bill_city", "Bill city";
    BillState     => InAddress(Bill, "State"), Some(21), Text, "bill_state", "Bill state";
    BillPostalCode=> InAddress(Bill, "PostalCode"), Some(13), Text, "bill_zip", "Bill ZIP";
    BillCountry   => InAddress(Bill, "Country"), Some(31), Text, "bill_country", "Bill country";
    ShipAddr1     => InAddress(Ship, "Addr1"), Some(41), Text, "ship_addr1", "Ship address 1";
    ShipAddr2     => InAddress(Ship, "Addr2"), Some(41), Text, "ship_addr2", "Ship address 2";
    ShipAddr3     => InAddress(Ship, "Addr3"), Some(41), Text, "ship_addr3", "Ship address 3";
    ShipAddr4     => InAddress(Ship, "Addr4"), Some(41), Text, "ship_addr4", "Ship address 4";
    ShipAddr5     => InAddress(Ship, "Addr5"), Some(41), Text, "ship_addr5", "Ship address 5";
    ShipCity      => InAddress(Ship, "City"), Some(31), Text, "ship_city", "Ship city";
    ShipState     => InAddress(Ship, "State"), Some(21), Text, "ship_state", "Ship state";
    ShipPostalCode=> InAddress(Ship, "PostalCode"), Some(13), Text, "ship_zip", "Ship ZIP";
    ShipCountry   => InAddress(Ship, "Country"), Some(31), Text, "ship_country", "Ship country";
    Phone         => Plain("Phone"), Some(21), Text, "phone", "Phone";
    AltPhone      => Plain("AltPhone"), Some(21), Text, "alt_phone", "Alt. phone";
    Fax           => Plain("Fax"), Some(21), Text, "fax", "Fax";
    Email         => Plain("Email"), Some(1023), Text, "email", "Email";
    Contact       => Plain("Contact"), Some(41), Text, "contact", "Contact";
    CustomerType  => Ref("CustomerTypeRef"), Some(159), Text, "customer_type", "Customer type";
    Terms         => Ref("TermsRef"), Some(31), Text, "terms", "Terms";
    SalesRep      => Ref("SalesRepRef"), Some(5), Text, "sales_rep", "Sales rep";
    SalesTaxCode  => Ref("SalesTaxCodeRef"), Some(3), Text, "tax_code", "Tax code";
    ResaleNumber  => Plain("ResaleNumber"), Some(15), Text, "resale_number", "Resale number";
    AccountNumber => Plain("AccountNumber"), Some(99), Text, "code", "Code (account no.)";
    CreditLimit   => Plain("CreditLimit"), None, Amount, "credit_limit", "Credit limit";
    Notes         => Plain("Notes"), Some(4095), Text, "notes", "Notes";
}

impl Field {
    /// Position in [`Field::ALL`]; used to index [`CustomerData`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The field whose snake_case key is `key`.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.key() == key)
    }

    /// The element name as written in an error message: `BillAddress/Addr1`, `TermsRef/FullName`.
    pub fn path(self) -> String {
        match self.shape() {
            Shape::Plain(e) => e.to_string(),
            Shape::InAddress(a, e) => format!("{}/{}", a.element(), e),
            Shape::Ref(e) => format!("{e}/FullName"),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The mapped values of one customer, indexed by [`Field`].
///
/// An empty value is stored as absent ("empty equals absent", SPEC §3). All values live in one
/// string, in field order, with the end of each recorded: one allocation per customer instead of
/// one per value, which halves what 100,000 customers per side cost in memory. Values are set in
/// field order almost always (readers meet them in schema order), which makes `set` an append.
#[derive(Clone, PartialEq, Eq)]
pub struct CustomerData {
    text: String,
    /// `ends[i]`: where field i's value ends in `text`; it starts where field i-1's ends.
    ends: [u32; Field::COUNT],
}

// `differing_fields` keeps one bit per field.
const _: () = assert!(Field::COUNT <= 64);

impl Default for CustomerData {
    fn default() -> Self {
        CustomerData {
            text: String::new(),
            ends: [0; Field::COUNT],
        }
    }
}

impl std::fmt::Debug for CustomerData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(k, v)| (k.key(), v)))
            .finish()
    }
}

impl CustomerData {
    pub fn new() -> Self {
        Self::default()
    }

    fn span(&self, field: Field) -> std::ops::Range<usize> {
        let i = field.index();
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        start..self.ends[i] as usize
    }

    pub fn get(&self, field: Field) -> Option<&str> {
        let span = self.span(field);
        (!span.is_empty()).then(|| &self.text[span])
    }

    /// Sets a value; an empty string clears it.
    ///
    /// # Panics
    /// When the values of one customer would exceed 4 GiB together; the qbXML reader refuses
    /// values that large long before.
    pub fn set(&mut self, field: Field, value: impl AsRef<str>) {
        let value = value.as_ref();
        let span = self.span(field);
        if self.text[span.clone()] == *value {
            return;
        }
        let old_len = span.len();
        self.text.replace_range(span, value);
        let new_len = value.len();
        if new_len != old_len {
            let grow = new_len >= old_len;
            // One customer's values stay far below 4 GiB: the reader refuses a value over 256 KiB
            // and the other sources hold a few kilobytes per customer.
            #[allow(clippy::expect_used, reason = "documented under # Panics")]
            let delta =
                u32::try_from(new_len.abs_diff(old_len)).expect("customer values over 4 GiB");
            for end in &mut self.ends[field.index()..] {
                *end = if grow { *end + delta } else { *end - delta };
            }
        }
    }

    /// Gives back spare capacity (after a customer is complete, before it is kept).
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
    }

    pub fn set_opt(&mut self, field: Field, value: Option<&str>) {
        self.set(field, value.unwrap_or(""));
    }

    pub fn clear(&mut self, field: Field) {
        self.set(field, "");
    }

    pub fn with(mut self, field: Field, value: impl AsRef<str>) -> Self {
        self.set(field, value);
        self
    }

    /// Values given in field order (`None` or empty: absent), in one allocation of the exact
    /// size: how a reader that has a customer's values at hand builds it (a customer costs one
    /// allocation instead of a growing string). Values beyond 4 GiB in all are left out.
    pub fn from_values<'a>(values: impl IntoIterator<Item = Option<&'a str>>) -> CustomerData {
        let mut given: [Option<&str>; Field::COUNT] = [None; Field::COUNT];
        for (slot, value) in given.iter_mut().zip(values) {
            *slot = value;
        }
        let total = given.iter().flatten().map(|v| v.len()).sum();
        let mut data = CustomerData {
            text: String::with_capacity(total),
            ends: [0; Field::COUNT],
        };
        for (end, value) in data.ends.iter_mut().zip(given) {
            if let Some(v) = value
                && u32::try_from(data.text.len() + v.len()).is_ok()
            {
                data.text.push_str(v);
            }
            *end = u32::try_from(data.text.len()).unwrap_or(u32::MAX);
        }
        data
    }

    /// The values as kept: one string, and where each field's value ends in it (field order).
    /// What a store keeps to hold a customer in two columns instead of one per field.
    pub fn parts(&self) -> (&str, &[u32; Field::COUNT]) {
        (&self.text, &self.ends)
    }

    /// Values from [`CustomerData::parts`]; `None` when the ends do not fit the text (they must
    /// not decrease, must end at its length and fall on character boundaries).
    pub fn from_parts(text: String, ends: [u32; Field::COUNT]) -> Option<CustomerData> {
        let mut start = 0usize;
        for &end in &ends {
            let end = end as usize;
            if end < start || !text.is_char_boundary(end) {
                return None;
            }
            start = end;
        }
        (start == text.len()).then_some(CustomerData { text, ends })
    }

    /// Present values, in schema order.
    pub fn iter(&self) -> impl Iterator<Item = (Field, &str)> {
        Field::ALL
            .iter()
            .filter_map(|&f| self.get(f).map(|value| (f, value)))
    }

    /// Whether two values of `field` count as equal: surrounding spaces ignored, empty equals
    /// absent, amounts compared by value.
    pub fn same_value(field: Field, a: Option<&str>, b: Option<&str>) -> bool {
        let norm = |v: Option<&str>| -> Option<String> {
            let t = v_trim(v)?;
            Some(match field.kind() {
                Kind::Amount => Amount::parse(t).map_or_else(|_| t.to_string(), |a| a.to_string()),
                Kind::Text => t.to_string(),
            })
        };
        // Nearly every compared value is byte-identical; settle that before trimming.
        if a == b {
            return true;
        }
        match (v_trim(a), v_trim(b)) {
            (None, None) => true,
            (Some(x), Some(y)) if x == y => true,
            // Only amounts are equal written differently (2500 = 2500.00); a value against none
            // is a difference without copying either (an account number one side lacks, on
            // half of 80,000 pairs).
            (Some(_), Some(_)) if field.kind() == Kind::Amount => norm(a) == norm(b),
            _ => false,
        }
    }

    /// The fields whose values differ between `self` and `other`, in schema order.
    pub fn differing_fields(&self, other: &CustomerData) -> impl Iterator<Item = Field> + use<> {
        // Compared in runs: while every field so far has had the same length on both sides, the
        // run's values are one slice on each side and one compare settles all of them. A pair
        // nearly always differs in a field or two (an account number only one side has), so a
        // few compares replace one per field (80,000 pairs: a tenth of planning). Only fields
        // whose bytes differ go through the trimming and amount rules.
        let mut differing = 0u64;
        let (mut i, mut a0, mut b0) = (0usize, 0usize, 0usize);
        while i < Field::COUNT {
            let shift = b0 as i64 - a0 as i64;
            let mut j = i;
            while j < Field::COUNT && i64::from(other.ends[j]) - i64::from(self.ends[j]) == shift {
                j += 1;
            }
            if j > i {
                let (a1, b1) = (self.ends[j - 1] as usize, other.ends[j - 1] as usize);
                if self.text[a0..a1] != other.text[b0..b1] {
                    differing |= self.differing_in(other, i..j, (a0, b0));
                }
                (i, a0, b0) = (j, a1, b1);
                continue;
            }
            // Field i has another length on each side: different bytes, perhaps the same value.
            differing |= self.differing_in(other, i..i + 1, (a0, b0));
            (a0, b0) = (self.ends[i] as usize, other.ends[i] as usize);
            i += 1;
        }
        // The set bits, lowest (first in schema order) first: nearly always none or one.
        std::iter::from_fn(move || {
            let i = differing.trailing_zeros() as usize;
            let field = Field::ALL.get(i)?;
            differing &= differing - 1;
            Some(*field)
        })
    }

    /// The fields in `range` whose values differ, one by one, as bits; `(a0, b0)`: where the
    /// range's values start on each side.
    fn differing_in(
        &self,
        other: &CustomerData,
        range: std::ops::Range<usize>,
        (mut a0, mut b0): (usize, usize),
    ) -> u64 {
        let mut differing = 0u64;
        for i in range {
            let (a1, b1) = (self.ends[i] as usize, other.ends[i] as usize);
            let (a, b) = (&self.text[a0..a1], &other.text[b0..b1]);
            if a != b && !Self::same_value(Field::ALL[i], present(a), present(b)) {
                differing |= 1 << i;
            }
            (a0, b0) = (a1, b1);
        }
        differing
    }
}

fn present(v: &str) -> Option<&str> {
    (!v.is_empty()).then_some(v)
}

fn v_trim(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|t| !t.is_empty())
}

/// An exact amount of money in hundredths, as QuickBooks' AMTTYPE carries it
/// (`[+-]?[0-9]{1,13}(\.[0-9]{2})?`). Never a float.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount {
    cents: i64,
}

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{text}\" is not an amount: {reason} (write it like 2500 or 2500.00)")]
pub struct AmountError {
    pub text: String,
    pub reason: &'static str,
}

impl Amount {
    pub const MAX_INTEGER_DIGITS: usize = 13;

    pub fn from_cents(cents: i64) -> Self {
        Amount { cents }
    }

    pub fn cents(self) -> i64 {
        self.cents
    }

    /// Parses `1234`, `-1234.5`, `+1234.50`. At most two decimals and thirteen integer digits.
    pub fn parse(text: &str) -> Result<Amount, AmountError> {
        let err = |reason| AmountError {
            text: text.to_string(),
            reason,
        };
        let t = text.trim();
        let (negative, body) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("it needs digits before any decimal point"));
        }
        if int_part.len() > Self::MAX_INTEGER_DIGITS {
            return Err(err(
                "QuickBooks allows at most 13 digits before the decimal point",
            ));
        }
        let frac_cents = match frac_part {
            None => 0,
            Some(f) if f.is_empty() || f.len() > 2 || !f.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(err(
                    "it may have at most two digits after the decimal point",
                ));
            }
            Some(f) if f.len() == 1 => i64::from(f.as_bytes()[0] - b'0') * 10,
            Some(f) => i64::from(f.as_bytes()[0] - b'0') * 10 + i64::from(f.as_bytes()[1] - b'0'),
        };
        // 13 digits fit in i64 with room for the cents.
        let whole: i64 = int_part
            .parse()
            .map_err(|_| err("the number is too large"))?;
        let cents = whole * 100 + frac_cents;
        Ok(Amount {
            cents: if negative { -cents } else { cents },
        })
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_indexed_in_schema_order() {
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(f.index(), i);
            assert_eq!(Field::from_key(f.key()), Some(*f));
        }
        assert_eq!(Field::ALL.first(), Some(&Field::Name));
        assert!(Field::AccountNumber < Field::CreditLimit);
    }

    #[test]
    fn values_given_in_field_order_are_the_values_set_one_by_one() {
        let mut values = vec![None; Field::COUNT];
        values[Field::Name.index()] = Some("Café");
        values[Field::Phone.index()] = Some("555");
        values[Field::Fax.index()] = Some("");
        values[Field::Notes.index()] = Some("last");
        let built = CustomerData::from_values(values);
        let set = CustomerData::new()
            .with(Field::Name, "Café")
            .with(Field::Phone, "555")
            .with(Field::Notes, "last");
        assert_eq!(built, set);
        assert_eq!(built.get(Field::Fax), None);
        assert_eq!(CustomerData::from_values([]), CustomerData::new());
    }

    #[test]
    fn values_survive_their_parts_and_bad_parts_are_refused() {
        let data = CustomerData::new()
            .with(Field::Name, "Café Ünïcode")
            .with(Field::Phone, "555-0100")
            .with(Field::Notes, "line");
        let (text, ends) = data.parts();
        let back = CustomerData::from_parts(text.to_string(), *ends).unwrap();
        assert_eq!(back, data);
        let mut short = *ends;
        short[Field::COUNT - 1] -= 1;
        assert_eq!(CustomerData::from_parts(text.to_string(), short), None);
        let mut inside_a_char = *ends;
        // "Caf" then the two bytes of "é": an end between them is not a boundary.
        inside_a_char[0] = 4;
        assert_eq!(
            CustomerData::from_parts(text.to_string(), inside_a_char),
            None
        );
        let mut backwards = *ends;
        backwards[1] = 0;
        assert_eq!(CustomerData::from_parts(text.to_string(), backwards), None);
    }

    #[test]
    fn amounts_parse_exactly() {
        assert_eq!(Amount::parse("2500").unwrap().to_string(), "2500.00");
        assert_eq!(Amount::parse("-12.5").unwrap().to_string(), "-12.50");
        assert_eq!(Amount::parse("+0.07").unwrap().cents(), 7);
        assert_eq!(
            Amount::parse("9999999999999.99").unwrap().cents(),
            999_999_999_999_999
        );
        for bad in [
            "",
            "1.234",
            "abc",
            "1e5",
            "12345678901234",
            ".5",
            "1,000",
            "1.",
        ] {
            assert!(Amount::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn values_survive_any_order_of_setting_and_overwriting() {
        // A model to compare with: the obvious map.
        let mut model: std::collections::HashMap<Field, String> = Default::default();
        let mut d = CustomerData::new();
        let mut seed = 7u64;
        for step in 0..2000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let f = Field::ALL[(seed >> 33) as usize % Field::COUNT];
            let value = match (seed >> 20) % 4 {
                0 => String::new(),
                1 => "x".repeat(step % 7),
                2 => format!("é{step}ü"),
                _ => format!("value {step} of {}", f.key()),
            };
            d.set(f, &value);
            if value.is_empty() {
                model.remove(&f);
            } else {
                model.insert(f, value);
            }
            for &g in Field::ALL {
                assert_eq!(
                    d.get(g),
                    model.get(&g).map(String::as_str),
                    "step {step}, {g:?}"
                );
            }
        }
        let copy = d.clone();
        assert_eq!(copy, d);
        d.shrink_to_fit();
        assert_eq!(copy, d);
    }

    /// `differing_fields` compares runs of fields at once: it must say what comparing field by
    /// field says, whatever lengths the values have on each side.
    #[test]
    fn differing_fields_agrees_with_comparing_each_field() {
        let one_by_one = |a: &CustomerData, b: &CustomerData| -> Vec<Field> {
            Field::ALL
                .iter()
                .copied()
                .filter(|&f| !CustomerData::same_value(f, a.get(f), b.get(f)))
                .collect()
        };
        let values = [
            "", "x", "y", " x", "xy", "Acme", "acme", "2500", "2500.00", "  ",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..3000 {
            let mut a = CustomerData::new();
            let mut b = CustomerData::new();
            // Mostly alike, as matched pairs are: a few fields changed, the rest the same.
            let changed = (next() % 5) as usize;
            for &f in Field::ALL {
                let v = values[(next() % values.len() as u64) as usize];
                a.set(f, v);
                b.set(f, v);
            }
            for _ in 0..changed {
                let f = Field::ALL[(next() % Field::COUNT as u64) as usize];
                b.set(f, values[(next() % values.len() as u64) as usize]);
            }
            assert_eq!(
                a.differing_fields(&b).collect::<Vec<_>>(),
                one_by_one(&a, &b),
                "case {case}: {a:?} / {b:?}"
            );
        }
    }

    #[test]
    fn empty_equals_absent_and_spaces_are_ignored() {
        let a = CustomerData::new().with(Field::Phone, " 555-0100 ");
        let b = CustomerData::new()
            .with(Field::Phone, "555-0100")
            .with(Field::Fax, "   ");
        assert_eq!(a.differing_fields(&b).count(), 0);
        assert!(CustomerData::same_value(
            Field::CreditLimit,
            Some("2500"),
            Some("2500.00")
        ));
        assert!(!CustomerData::same_value(
            Field::CreditLimit,
            Some("2500"),
            Some("2500.01")
        ));
        let c = CustomerData::new().with(Field::Phone, "555-0199");
        assert_eq!(
            a.differing_fields(&c).collect::<Vec<_>>(),
            vec![Field::Phone]
        );
    }
}
