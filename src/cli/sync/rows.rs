//! The plan's largest row lists (exports, imports, pairs) as JSON, serialized straight from the
//! plan. Building a `serde_json::Value` per row (a map per customer's fields) and freeing it
//! cost more than writing the rows: at 100,000 + 100,000 customers about 120 ms of the dry run.
//! Keys are written in the order a `Value` object writes them (sorted), so the output is the
//! same bytes (`tests/sync/cli.rs` holds it to the `Value` it replaced).

use std::sync::LazyLock;

use serde::{Serialize, Serializer};

use crate::qbxml::{CustomerData, Field};
use crate::store::Customer;
use crate::sync::Snapshot;
use crate::sync::plan::{ExportRow, ImportRow, PairRow};
use crate::sync::problems::Problem;

/// Fields in the order of their keys.
static BY_KEY: LazyLock<Vec<Field>> = LazyLock::new(|| {
    let mut fields = Field::ALL.to_vec();
    fields.sort_by_key(|f| f.key());
    fields
});

/// A customer's values, keyed by field key (the plan's rows and `custsync customers show`).
pub(in crate::cli) struct FieldsJson<'a>(pub &'a CustomerData);

impl Serialize for FieldsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            BY_KEY
                .iter()
                .filter_map(|&f| self.0.get(f).map(|v| (f.key(), v))),
        )
    }
}

/// A row's problems, each in words.
pub(super) struct ProblemsJson<'a>(pub &'a [Problem]);

impl Serialize for ProblemsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(Words))
    }
}

struct Words<'a>(&'a Problem);

impl Serialize for Words<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

#[derive(Serialize)]
pub(super) struct ExportJson<'a> {
    code: &'a str,
    fields: FieldsJson<'a>,
    job_type: Option<&'a str>,
    likely_duplicates: Vec<LikelyQbJson<'a>>,
    name: Option<&'a str>,
    problems: ProblemsJson<'a>,
}

/// A QuickBooks customer an export row probably is.
#[derive(Serialize)]
struct LikelyQbJson<'a> {
    list_id: &'a str,
    name: Option<&'a str>,
    reasons: Vec<String>,
    score: u8,
}

/// An SMSTurbo customer an import row probably is.
#[derive(Serialize)]
struct LikelyLocalJson<'a> {
    code: &'a str,
    name: &'a str,
    reasons: Vec<String>,
    score: u8,
}

impl<'a> ExportJson<'a> {
    pub(super) fn new(r: &'a ExportRow, s: &'a Snapshot) -> Self {
        ExportJson {
            code: s.locals[r.local].code(),
            fields: FieldsJson(&r.add.data),
            job_type: r.add.job_type.as_deref(),
            likely_duplicates: r
                .likely
                .iter()
                .map(|d| {
                    let qb = &s.qb[d.other];
                    LikelyQbJson {
                        list_id: &qb.list_id,
                        name: qb.data.get(Field::Name),
                        reasons: d.reasons.to_strings(),
                        score: d.score.get(),
                    }
                })
                .collect(),
            name: r.add.data.get(Field::Name),
            problems: ProblemsJson(&r.problems),
        }
    }
}

#[derive(Serialize)]
pub(super) struct ImportJson<'a> {
    code: &'a str,
    code_note: Option<String>,
    fields: FieldsJson<'a>,
    likely_duplicates: Vec<LikelyLocalJson<'a>>,
    list_id: &'a str,
    name: &'a str,
    problems: ProblemsJson<'a>,
    status: &'static str,
}

impl<'a> ImportJson<'a> {
    pub(super) fn new(r: &'a ImportRow, s: &'a Snapshot) -> Self {
        let customer: &Customer = &r.customer;
        ImportJson {
            code: customer.code(),
            code_note: r.code_note(&s.qb[r.qb]),
            fields: FieldsJson(&customer.data),
            likely_duplicates: r
                .likely
                .iter()
                .map(|d| {
                    let local = &s.locals[d.other];
                    LikelyLocalJson {
                        code: local.code(),
                        name: local.name(),
                        reasons: d.reasons.to_strings(),
                        score: d.score.get(),
                    }
                })
                .collect(),
            list_id: &s.qb[r.qb].list_id,
            name: customer.name(),
            problems: ProblemsJson(&r.problems),
            status: customer.status.as_str(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct PairJson<'a> {
    code: &'a str,
    differences: Vec<DifferenceJson<'a>>,
    list_id: &'a str,
    matched_by: &'static str,
    status: Option<StatusJson>,
}

#[derive(Serialize)]
struct DifferenceJson<'a> {
    field: &'static str,
    quickbooks: Option<&'a str>,
    replaced: bool,
    smsturbo: Option<&'a str>,
}

#[derive(Serialize)]
struct StatusJson {
    quickbooks_active: bool,
    replaced: bool,
    replacement: &'static str,
    smsturbo: &'static str,
}

impl<'a> PairJson<'a> {
    pub(super) fn new(p: &'a PairRow, s: &'a Snapshot) -> Self {
        let local = &s.locals[p.local];
        let qb = &s.qb[p.qb];
        PairJson {
            code: local.code(),
            differences: p
                .diffs
                .iter()
                .map(|d| DifferenceJson {
                    field: d.field.key(),
                    quickbooks: qb.data.get(d.field),
                    replaced: d.applies,
                    smsturbo: local.data.get(d.field),
                })
                .collect(),
            list_id: &qb.list_id,
            matched_by: p.by.describe(),
            status: p.status.map(|st| StatusJson {
                quickbooks_active: st.qb_active,
                replaced: st.applies,
                replacement: st.replacement.as_str(),
                smsturbo: st.local.as_str(),
            }),
        }
    }
}
