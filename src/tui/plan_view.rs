//! The sync core's plan as the two-pane screen shows it, and the screen's selection back as the
//! sync core's. Pure: the real back end calls it on the worker; the benchmarks time it.
//!
//! Row ids are positions in the plan: exports first, then imports, then not-in-sync pairs. A
//! pair has one id and appears in both panes, so checking it on either side checks it.

use std::collections::BTreeSet;

use crate::config::Config;
use crate::qbxml::rules::Subject;
use crate::qbxml::{CustomerRet, Field};
use crate::store::Column;
use crate::store::Customer;
use crate::sync::plan::{ExportRow, ImportRow, MatchingSummary, MissingType, PairRow};
use crate::sync::problems::Problem;
use crate::sync::{IxSlice, LocalIx, Plan, QbIx, Snapshot};

use super::view::{
    Column as PaneColumn, FieldDiff, QbState, RowAction, RowDetail, RowId, RowKey, RowKind,
    RunPreview, SyncPane, SyncRow, SyncView, plural,
};

/// What a row id stands for in the plan it was built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Planned {
    Export(usize),
    Import(usize),
    Pair(usize),
}

/// How many rows of each kind the plan had, to turn row ids back into plan rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowLayout {
    exports: usize,
    imports: usize,
    pairs: usize,
}

impl RowLayout {
    pub fn of(plan: &Plan) -> RowLayout {
        RowLayout {
            exports: plan.exports.len(),
            imports: plan.imports.len(),
            pairs: plan.pairs.len(),
        }
    }

    fn export(self, i: usize) -> RowId {
        RowId(i as u64)
    }

    fn import(self, i: usize) -> RowId {
        RowId((self.exports + i) as u64)
    }

    fn pair(self, i: usize) -> RowId {
        RowId((self.exports + self.imports + i) as u64)
    }

    /// The plan row behind `id`, or `None` for an id this plan never handed out.
    pub fn planned(self, id: RowId) -> Option<Planned> {
        let i = usize::try_from(id.0).ok()?;
        if i < self.exports {
            Some(Planned::Export(i))
        } else if i < self.exports + self.imports {
            Some(Planned::Import(i - self.exports))
        } else if i < self.exports + self.imports + self.pairs {
            Some(Planned::Pair(i - self.exports - self.imports))
        } else {
            None
        }
    }
}

/// The panes for `plan` (built from `snapshot` under `config`).
pub fn sync_view(
    plan: &Plan,
    snapshot: &Snapshot,
    company_name: &str,
    config: &Config,
) -> SyncView {
    let layout = RowLayout::of(plan);
    // Each pane in its side's own order (SMSTurbo by name, QuickBooks as it listed them), the
    // pairs among the missing ones.
    let mut left: Vec<(LocalIx, SyncRow)> =
        Vec::with_capacity(plan.exports.len() + plan.pairs.len());
    let mut right: Vec<(QbIx, SyncRow)> = Vec::with_capacity(plan.imports.len() + plan.pairs.len());
    for (i, row) in plan.exports.iter().enumerate() {
        let local = &snapshot.locals[row.local];
        left.push((row.local, export_row(layout.export(i), row, local, config)));
    }
    for (i, row) in plan.imports.iter().enumerate() {
        let qb = &snapshot.qb[row.qb];
        right.push((row.qb, import_row(layout.import(i), row, qb)));
    }
    for (i, row) in plan.pairs.iter().enumerate() {
        let local = &snapshot.locals[row.local];
        let qb = &snapshot.qb[row.qb];
        let detail = pair_detail(row, local, qb);
        let id = layout.pair(i);
        let name = display_name(local);
        let key = RowKey::SmsTurbo(local.code().to_string());
        left.push((
            row.local,
            SyncRow {
                id,
                key: key.clone(),
                kind: RowKind::NotInSync,
                name: name.clone(),
                cells: local_cells(local),
                problems: Vec::new(),
                actions: vec![edit(local)],
                detail: detail.clone(),
            },
        ));
        right.push((
            row.qb,
            SyncRow {
                id,
                key,
                kind: RowKind::NotInSync,
                name,
                cells: qb_cells(qb),
                problems: Vec::new(),
                actions: vec![edit(local)],
                detail,
            },
        ));
    }
    left.sort_by_key(|(k, _)| *k);
    right.sort_by_key(|(k, _)| *k);
    let all = plan.mode == crate::sync::Mode::NotExactMatch;
    if all {
        // Missing rows and not-in-sync pairs share the panes: a mark tells them apart (a
        // glyph, not a colour).
        let rows = left.iter_mut().map(|(_, r)| r);
        for r in rows.chain(right.iter_mut().map(|(_, r)| r)) {
            r.cells.insert(0, marker(r.kind).to_string());
        }
    }
    // Codes are usually short; the names get the room a wide code column would take.
    let code_cell = usize::from(all);
    let code_w = left
        .iter()
        .filter_map(|(_, r)| r.cells.get(code_cell))
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(4, 12) as u16;
    SyncView {
        company_name: company_name.to_string(),
        missing_only: plan.mode == crate::sync::Mode::MissingOnly,
        smsturbo: SyncPane {
            title: "SMSTurbo".into(),
            columns: with_marker(
                all,
                vec![
                    PaneColumn::fixed("Code", code_w),
                    PaneColumn::fill("Name", 12, 3),
                    PaneColumn::fixed("Status", 8),
                ],
            ),
            rows: left.into_iter().map(|(_, r)| r).collect(),
        },
        quickbooks: SyncPane {
            title: "QuickBooks".into(),
            columns: with_marker(
                all,
                vec![
                    PaneColumn::fill("Name", 12, 3),
                    PaneColumn::fixed("Acct no.", 8),
                    PaneColumn::fill("Type", 6, 1),
                ],
            ),
            rows: right.into_iter().map(|(_, r)| r).collect(),
        },
        summary: summary(all, &plan.matching),
        notices: Vec::new(),
        qb_states: qb_states(plan, snapshot),
    }
}

/// Where each SMSTurbo customer the plan placed stands with QuickBooks.
fn qb_states(plan: &Plan, snapshot: &Snapshot) -> Vec<(String, QbState)> {
    let code = |ix: LocalIx| snapshot.locals[ix].code().to_string();
    let differing: rustc_hash::FxHashSet<LocalIx> = plan.pairs.iter().map(|p| p.local).collect();
    let matched = plan.matched.iter().map(|p| {
        let state = if differing.contains(&p.local) {
            QbState::Differs
        } else if plan.mode == crate::sync::Mode::NotExactMatch {
            QbState::InSync
        } else {
            QbState::InQuickBooks
        };
        (code(p.local), state)
    });
    plan.exports
        .iter()
        .map(|e| (code(e.local), QbState::Missing))
        .chain(matched)
        .collect()
}

/// The header line of the panes: the marks' legend first (at 80 columns the counts may not
/// fit), then what is not listed, and why.
fn summary(marked: bool, m: &MatchingSummary) -> String {
    let mut parts = Vec::new();
    if marked {
        parts.push(format!(
            "{} missing · {} differs",
            marker(RowKind::Export),
            marker(RowKind::NotInSync)
        ));
    }
    parts.push(format!("{} in sync", m.exact));
    if m.hidden_by_status > 0 {
        parts.push(format!("{} hidden by export status", m.hidden_by_status));
    }
    if m.hidden_by_type > 0 {
        parts.push(format!("{} hidden by customer type", m.hidden_by_type));
    }
    if m.reviews > 0 {
        parts.push(format!("{} need review", m.reviews));
    }
    parts.join(" · ")
}

/// The mark a row carries when missing rows and pairs share a pane.
pub fn marker(kind: RowKind) -> &'static str {
    match kind {
        RowKind::Export | RowKind::Import => "+",
        RowKind::NotInSync => "≠",
        RowKind::NeedsReview => "?",
    }
}

fn with_marker(on: bool, columns: Vec<PaneColumn>) -> Vec<PaneColumn> {
    if on {
        std::iter::once(PaneColumn::fixed("", 1))
            .chain(columns)
            .collect()
    } else {
        columns
    }
}

fn display_name(c: &Customer) -> String {
    format!("{} ({})", c.name(), c.code())
}

fn local_cells(c: &Customer) -> Vec<String> {
    vec![c.code().into(), c.name().into(), c.status.to_string()]
}

fn qb_cells(r: &CustomerRet) -> Vec<String> {
    let get = |f| r.data.get(f).unwrap_or("").to_string();
    vec![
        get(Field::Name),
        get(Field::AccountNumber),
        get(Field::CustomerType),
    ]
}

/// A row needs review when one of its problems says so; it is listed, never linked by itself.
fn kind_for(problems: &[Problem], otherwise: RowKind) -> RowKind {
    if problems
        .iter()
        .any(|p| matches!(p, Problem::NeedsReview { .. }))
    {
        RowKind::NeedsReview
    } else {
        otherwise
    }
}

fn record(data: &crate::qbxml::CustomerData) -> Vec<(&'static str, String)> {
    data.iter()
        .map(|(f, v)| (f.label(), v.to_string()))
        .collect()
}

/// An export: the record as QuickBooks would get it (its QuickBooks name, the export defaults).
fn export_row(id: RowId, row: &ExportRow, local: &Customer, config: &Config) -> SyncRow {
    let mut rec = record(&row.add.data);
    rec.push(("Status", local.status.to_string()));
    if local.name_for_qb() != local.name() {
        rec.push(("SMSTurbo name", local.name().to_string()));
    }
    for (field, _) in local.qb_spellings.iter() {
        if let Some(own) = local.data.get(field) {
            rec.push((Column::Field(field).label(), format!("{own} in SMSTurbo")));
        }
    }
    if let Some(job) = &row.add.job_type {
        rec.push(("Customer Job", job.clone()));
    }
    if local.data.get(Field::CustomerType).is_none()
        && let Some(t) = &config.export.customer_type
    {
        rec.push(("Note", format!("Customer Type '{t}' is the export default")));
    }
    SyncRow {
        id,
        key: RowKey::SmsTurbo(local.code().to_string()),
        kind: kind_for(&row.problems, RowKind::Export),
        name: display_name(local),
        cells: local_cells(local),
        problems: row.problems.iter().map(ToString::to_string).collect(),
        actions: std::iter::once(edit(local))
            .chain(suggested_spellings(local, &row.problems))
            .collect(),
        detail: RowDetail {
            record: rec,
            diffs: Vec::new(),
        },
    }
}

fn edit(local: &Customer) -> RowAction {
    RowAction::Edit {
        code: local.code().to_string(),
    }
}

/// The QuickBooks spellings the problems suggest (Łódź → Lodz, a `:` → `-`), for the fields
/// that can have one; `None` when there is nothing to suggest.
fn suggested_spellings(local: &Customer, problems: &[Problem]) -> Option<RowAction> {
    let mut spellings: Vec<(Field, String)> = Vec::new();
    for p in problems {
        let Problem::Value(v) = p else { continue };
        let (Subject::Field(field), Some(suggestion)) = (v.subject, &v.suggestion) else {
            continue;
        };
        if field != Field::Name && !crate::store::column::has_qb_spelling(field) {
            continue;
        }
        match spellings.iter_mut().find(|(f, _)| *f == field) {
            Some(slot) => slot.1.clone_from(suggestion),
            None => spellings.push((field, suggestion.clone())),
        }
    }
    (!spellings.is_empty()).then(|| RowAction::UseQbSpellings {
        code: local.code().to_string(),
        spellings,
    })
}

/// An import: the SMSTurbo customer it would become (with the code it would get).
fn import_row(id: RowId, row: &ImportRow, qb: &CustomerRet) -> SyncRow {
    let c = &row.customer;
    let mut rec = record(&c.data);
    rec.push(("Status", c.status.to_string()));
    if qb.data.get(Field::AccountNumber) != Some(c.code()) {
        rec.push((
            "Note",
            format!(
                "gets the SMSTurbo code {} (QuickBooks has none or it is taken)",
                c.code()
            ),
        ));
    }
    let name = qb.data.get(Field::Name).unwrap_or(c.name());
    SyncRow {
        id,
        key: RowKey::QuickBooks(qb.list_id.clone()),
        kind: kind_for(&row.problems, RowKind::Import),
        name: format!("{name} (QuickBooks)"),
        cells: qb_cells(qb),
        problems: row.problems.iter().map(ToString::to_string).collect(),
        actions: Vec::new(),
        detail: RowDetail {
            record: rec,
            diffs: Vec::new(),
        },
    }
}

/// A pair: each differing field, SMSTurbo's value against QuickBooks', and whether the Replace
/// Options copy it; then the status.
fn pair_detail(row: &PairRow, local: &Customer, qb: &CustomerRet) -> RowDetail {
    let mut diffs: Vec<FieldDiff> = row
        .diffs
        .iter()
        .map(|d| FieldDiff {
            label: d.field.label(),
            // What QuickBooks knows this customer by (its QuickBooks spelling) is compared.
            smsturbo: local.qb_value(d.field).unwrap_or("").to_string(),
            quickbooks: qb.data.get(d.field).unwrap_or("").to_string(),
            applies: d.applies,
        })
        .collect();
    if let Some(s) = row.status {
        diffs.push(FieldDiff {
            label: "Status",
            smsturbo: s.local.to_string(),
            quickbooks: if s.qb_active { "Active" } else { "Inactive" }.into(),
            applies: s.applies,
        });
    }
    RowDetail {
        record: vec![("Matched by", row.by.describe().to_string())],
        diffs,
    }
}

/// The sync core's selection for the screen's, or the id that does not belong to this plan.
pub fn selection(
    plan: &Plan,
    snapshot: &Snapshot,
    rows: &[RowId],
) -> Result<crate::sync::Selection, RowId> {
    let layout = RowLayout::of(plan);
    let mut sel = crate::sync::Selection::default();
    for &id in rows {
        match layout.planned(id).ok_or(id)? {
            Planned::Export(i) => {
                let local = &snapshot.locals[plan.exports[i].local];
                sel.exports.push(local.code().to_string());
            }
            Planned::Import(i) => sel
                .imports
                .push(snapshot.qb[plan.imports[i].qb].list_id.clone()),
            Planned::Pair(i) => {
                let local = &snapshot.locals[plan.pairs[i].local];
                sel.pairs.push(local.code().to_string());
            }
        }
    }
    Ok(sel)
}

/// What running the selection would do, in the words of the run confirmation.
pub fn preview(plan: &Plan, snapshot: &Snapshot, rows: &[RowId]) -> Result<RunPreview, RowId> {
    let layout = RowLayout::of(plan);
    let (mut exports, mut imports) = (0, 0);
    let mut pairs: Vec<&PairRow> = Vec::new();
    for &id in rows {
        match layout.planned(id).ok_or(id)? {
            Planned::Export(_) => exports += 1,
            Planned::Import(_) => imports += 1,
            Planned::Pair(i) => pairs.push(&plan.pairs[i]),
        }
    }
    let mut lines = Vec::new();
    if exports > 0 {
        lines.push(format!(
            "{} added to QuickBooks",
            plural(exports, "customer", "customers")
        ));
    }
    if imports > 0 {
        lines.push(format!(
            "{} imported into SMSTurbo",
            plural(imports, "customer", "customers")
        ));
    }
    // Labels in field order, the status last.
    let mut fields: BTreeSet<Field> = BTreeSet::new();
    let mut status = false;
    let mut updated = 0;
    for p in &pairs {
        if !p.has_changes() {
            continue;
        }
        updated += 1;
        fields.extend(p.diffs.iter().filter(|d| d.applies).map(|d| d.field));
        status |= p.status.is_some_and(|s| s.applies);
    }
    if updated > 0 {
        let mut names: Vec<&str> = Field::ALL
            .iter()
            .filter(|f| fields.contains(f))
            .map(|f| f.label())
            .collect();
        if status {
            names.push("Status");
        }
        lines.push(format!(
            "{} updated in SMSTurbo: {}",
            plural(updated, "customer", "customers"),
            names.join(", ")
        ));
    }
    let unchanged = pairs.len() - updated;
    if unchanged > 0 {
        lines.push(format!(
            "{} left as {} (no checked Replace Option applies)",
            plural(unchanged, "not-in-sync customer", "not-in-sync customers"),
            if unchanged == 1 { "it is" } else { "they are" }
        ));
    }
    let unlinked = unlinked_matches(plan, snapshot);
    if unlinked > 0 {
        lines.push(format!(
            "{} linked to their QuickBooks customer (no values change)",
            plural(unlinked, "matched customer", "matched customers")
        ));
    }
    lines.push("No existing QuickBooks customer is changed.".into());
    let missing_list_entries = if exports > 0 {
        plan.missing_types
            .iter()
            .map(|t| match t {
                MissingType::CustomerType(n) => format!("Customer Type \"{n}\""),
                MissingType::JobType(n) => format!("Customer Job \"{n}\""),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(RunPreview {
        lines,
        missing_list_entries,
    })
}

/// Matched pairs without a stored link: every run links them.
fn unlinked_matches(plan: &Plan, snapshot: &Snapshot) -> usize {
    let linked: rustc_hash::FxHashSet<&str> =
        snapshot.links.iter().map(|l| l.code.as_str()).collect();
    plan.matched
        .iter()
        .filter(|p| {
            snapshot
                .locals
                .at(p.local)
                .is_some_and(|c| !linked.contains(c.code()))
        })
        .count()
}
