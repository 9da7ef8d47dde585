//! Per-row problems found before anything is sent. A row with a problem cannot be checked until
//! it is fixed; each problem says why in words an operator can act on.

use std::fmt;

use crate::qbxml::rules::{self, Violation};
use crate::qbxml::{CustomerAdd, Field, NameList};
use crate::store::Customer;

use super::matching::MatchedBy;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A value QuickBooks would refuse or mangle: too long, characters outside ISO-8859-1, `:` in
    /// the name… (with a suggested replacement where one can be derived).
    Value(Violation),
    /// Another QuickBooks name list (vendor, employee, other name) holds the name: QuickBooks would
    /// refuse the add with 3100.
    NameTaken { list: NameList, name: String },
    /// Other export candidates would take the same QuickBooks name.
    SameNameAs { codes: Vec<String> },
    /// More than one customer could be this one; a person must decide.
    NeedsReview {
        by: MatchedBy,
        candidates: Vec<String>,
    },
    /// A top-level QuickBooks customer already has the name: adding would be refused (3100).
    /// (Said of a stale link's or a kept customer's addition: the other rows match by name.)
    CustomerNamed { name: String },
    /// QuickBooks has a job with this customer's name or code that another SMSTurbo customer
    /// was linked to before a QuickBooks user made it a job: it may be the same customer, and
    /// adding this one would put it in QuickBooks twice.
    LikeMovedCustomer { job: String, code: String },
    /// QuickBooks has a job with this customer's name or code: it may be the same customer
    /// (made a job after its link was gone), and adding this one would put it in QuickBooks twice.
    LikeJob { job: String },
    /// The customer's own Customer Type does not exist in the company (QuickBooks: 3140).
    UnknownCustomerType(String),
    /// A value coming from QuickBooks is longer than SMSTurbo keeps (the field table's limits,
    /// which are QuickBooks' own): a real QuickBooks never sends one, so the data is not to be
    /// trusted as it is.
    TooLongToImport {
        field: Field,
        chars: usize,
        max: usize,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Value(v) => v.fmt(f),
            Problem::NameTaken { list, name } => write!(
                f,
                "QuickBooks already has {} named '{name}' — give this customer a different QuickBooks name",
                list.a_noun()
            ),
            Problem::SameNameAs { codes } => write!(
                f,
                "would get the same QuickBooks name as {} — give one of them a different QuickBooks name",
                codes.join(", ")
            ),
            Problem::NeedsReview { by, candidates } => write!(
                f,
                "needs review: {} could be this customer ({}) — make the codes or names tell them apart",
                candidates.join("; "),
                by.describe()
            ),
            Problem::CustomerNamed { name } => write!(
                f,
                "QuickBooks already has a customer named '{name}' — link to it instead, or give \
                 this customer a different QuickBooks name"
            ),
            Problem::LikeMovedCustomer { job, code } => write!(
                f,
                "QuickBooks has the job '{job}', which was SMSTurbo customer {code}'s customer \
                 before a QuickBooks user made it a job; if this is the same customer, adding it \
                 would put it in QuickBooks twice — decide {code}'s row first, or give this \
                 customer a name and code of its own"
            ),
            Problem::LikeJob { job } => write!(
                f,
                "QuickBooks has the job '{job}' with this customer's name or code; if it is the \
                 same customer, adding it would put it in QuickBooks twice — make the job a \
                 customer again in QuickBooks and link them (custsync link), or give this \
                 customer a name and code of its own"
            ),
            Problem::UnknownCustomerType(t) => write!(
                f,
                "customer type '{t}' does not exist in QuickBooks — add it there or change the customer's type"
            ),
            Problem::TooLongToImport { field, chars, max } => write!(
                f,
                "{} from QuickBooks is {chars} characters long; SMSTurbo keeps at most {max} — \
                 shorten it in QuickBooks and synchronize again",
                field.label()
            ),
        }
    }
}

/// Several problems of one row as one sentence, for messages and the journal.
pub fn joined(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Values of a customer read from QuickBooks that SMSTurbo cannot keep.
pub fn for_import(customer: &Customer) -> Vec<Problem> {
    Field::ALL
        .iter()
        .filter_map(|&field| {
            let max = field.max_len()?;
            let value = customer.data.get(field)?;
            // No more bytes than the limit: no more characters either, without counting them.
            if value.len() <= max {
                return None;
            }
            let chars = value.chars().count();
            (chars > max).then_some(Problem::TooLongToImport { field, chars, max })
        })
        .collect()
}

/// Problems in the values of a CustomerAdd that QuickBooks would refuse or mangle.
pub fn for_add(add: &CustomerAdd) -> Vec<Problem> {
    rules::check_customer_add(add)
        .into_iter()
        .map(Problem::Value)
        .collect()
}
