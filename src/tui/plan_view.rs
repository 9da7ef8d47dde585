//! The sync core's plan as the two-pane screen shows it, and the screen's selection back as the
//! sync core's. Pure: the real back end calls it on the worker; the benchmarks time it.
//!
//! Row ids are positions in the plan: exports first, then imports, then not-in-sync pairs, then
//! stale links and customers kept local only. A pair has one id and appears in both panes, so
//! checking it on either side checks it. A stale or kept row is never checked by "all": only
//! after its "add again" confirmation, and then it is the sync core's `export_anyway`.

use std::collections::BTreeSet;

use crate::config::Config;
use crate::qbxml::rules::Subject;
use crate::qbxml::{CustomerRet, Field};
use crate::store::Column;
use crate::store::Customer;
use crate::sync::plan::{
    ExportRow, ImportRow, KeptRow, MatchingSummary, MissingType, PairRow, StaleRow, candidate_names,
};
use crate::sync::problems::Problem;
use crate::sync::stale::risk_of_adding_again;
use crate::sync::{IxSlice, LocalIx, Plan, QbIx, Snapshot};

use super::view::{
    Column as PaneColumn, FieldDiff, QbState, Resolution, RowAction, RowDetail, RowId, RowKey,
    RowKind, RunPreview, SyncPane, SyncRow, SyncView, WayOut, plural,
};

/// What a row id stands for in the plan it was built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Planned {
    Export(usize),
    Import(usize),
    Pair(usize),
    Stale(usize),
    Kept(usize),
}

/// How a position within one kind of row becomes that row.
type Segment = fn(usize) -> Planned;

/// How many rows of each kind the plan had, to turn row ids back into plan rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowLayout {
    exports: usize,
    imports: usize,
    pairs: usize,
    stale: usize,
    kept: usize,
}

impl RowLayout {
    pub fn of(plan: &Plan) -> RowLayout {
        RowLayout {
            exports: plan.exports.len(),
            imports: plan.imports.len(),
            pairs: plan.pairs.len(),
            stale: plan.stale.len(),
            kept: plan.kept_local.len(),
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

    fn stale(self, i: usize) -> RowId {
        RowId((self.exports + self.imports + self.pairs + i) as u64)
    }

    fn kept(self, i: usize) -> RowId {
        RowId((self.exports + self.imports + self.pairs + self.stale + i) as u64)
    }

    /// The plan row behind `id`, or `None` for an id this plan never handed out.
    pub fn planned(self, id: RowId) -> Option<Planned> {
        let mut i = usize::try_from(id.0).ok()?;
        let segments: [(usize, Segment); 5] = [
            (self.exports, Planned::Export),
            (self.imports, Planned::Import),
            (self.pairs, Planned::Pair),
            (self.stale, Planned::Stale),
            (self.kept, Planned::Kept),
        ];
        for (len, planned) in segments {
            if i < len {
                return Some(planned(i));
            }
            i -= len;
        }
        None
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
        left.push((
            row.local,
            export_row(layout.export(i), row, local, snapshot, config),
        ));
    }
    for (i, row) in plan.imports.iter().enumerate() {
        let qb = &snapshot.qb[row.qb];
        right.push((row.qb, import_row(layout.import(i), row, qb, snapshot)));
    }
    for (i, row) in plan.stale.iter().enumerate() {
        left.push((row.local, stale_row(layout.stale(i), row, snapshot)));
    }
    for (i, row) in plan.kept_local.iter().enumerate() {
        left.push((row.local, kept_row(layout.kept(i), row, snapshot)));
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
                likely: Vec::new(),
                ways_out: Vec::new(),
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
                likely: Vec::new(),
                ways_out: Vec::new(),
            },
        ));
    }
    left.sort_by_key(|(k, _)| *k);
    right.sort_by_key(|(k, _)| *k);
    // Missing rows and not-in-sync pairs (or stale, kept and look-alike rows) share the panes:
    // a mark tells them apart (a glyph, not a colour).
    let look_alike = plan.exports.iter().filter(|r| !r.likely.is_empty()).count()
        + plan.imports.iter().filter(|r| !r.likely.is_empty()).count();
    let all = plan.mode == crate::sync::Mode::NotExactMatch
        || !plan.stale.is_empty()
        || !plan.kept_local.is_empty()
        || look_alike > 0;
    if all {
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
        read: String::new(),
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
        summary: summary(all, look_alike, plan.mode, &plan.matching),
        notices: notices(plan, snapshot),
        qb_states: qb_states(plan, snapshot),
    }
}

/// What the operator should know before choosing that no row shows (said once, when the panes
/// open).
fn notices(plan: &Plan, snapshot: &Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    if !plan.stale.is_empty() {
        out.push(format!(
            "QuickBooks changed {} underneath (deleted, merged or made a job): marked × in the \
             SMSTurbo pane. custsync never adds, imports or relinks {} by itself — Enter on the \
             row shows the ways out.",
            plural(plan.stale.len(), "linked customer", "linked customers"),
            if plan.stale.len() == 1 { "it" } else { "them" }
        ));
    }
    out.extend(crate::sync::plan::notice_words(plan, snapshot));
    out
}

/// A link QuickBooks changed underneath: why, in plain words (it blocks checking), what it was
/// linked to and who could be it, and the ways out.
fn stale_row(id: RowId, row: &StaleRow, snapshot: &Snapshot) -> SyncRow {
    let local = &snapshot.locals[row.local];
    let mut record = vec![("Linked to", format!("QuickBooks ListID {}", row.list_id))];
    record.extend(candidate_records(&row.candidates, snapshot));
    SyncRow {
        id,
        key: RowKey::SmsTurbo(local.code().to_string()),
        kind: RowKind::Stale,
        name: display_name(local),
        cells: local_cells(local),
        problems: vec![row.describe(&snapshot.qb)],
        actions: vec![edit(local)],
        detail: held_detail(record, &row.again, local),
        likely: Vec::new(),
        ways_out: held_actions(
            &row.candidates,
            snapshot,
            &row.again,
            risk_of_adding_again(Some(&row.reason), local.name_for_qb()),
            WayOut::KeepLocal,
        ),
    }
}

/// A customer kept in SMSTurbo only for this company.
fn kept_row(id: RowId, row: &KeptRow, snapshot: &Snapshot) -> SyncRow {
    let local = &snapshot.locals[row.local];
    SyncRow {
        id,
        key: RowKey::SmsTurbo(local.code().to_string()),
        kind: RowKind::KeptLocal,
        name: display_name(local),
        cells: local_cells(local),
        actions: vec![edit(local)],
        problems: vec![
            "kept in SMSTurbo only for this company: never offered for export to it".into(),
        ],
        detail: held_detail(
            candidate_records(&row.candidates, snapshot),
            &row.again,
            local,
        ),
        likely: Vec::new(),
        ways_out: held_actions(
            &row.candidates,
            snapshot,
            &row.again,
            risk_of_adding_again(None, local.name_for_qb()),
            WayOut::OfferAgain,
        ),
    }
}

fn candidate_records(
    candidates: &[crate::sync::stale::Candidate],
    snapshot: &Snapshot,
) -> Vec<(&'static str, String)> {
    candidate_names(candidates, &snapshot.qb)
        .into_iter()
        .map(|(name, by)| ("Could be", format!("{name} ({})", by.describe())))
        .collect()
}

/// The record a stale or kept row shows: what it is linked to, its candidates, and what adding
/// it again would send (or what stops that).
fn held_detail(
    mut record: Vec<(&'static str, String)>,
    again: &ExportRow,
    local: &Customer,
) -> RowDetail {
    for p in &again.problems {
        record.push(("Cannot add again", p.to_string()));
    }
    record.extend(self::record(&again.add.data));
    record.push(("Status", local.status.to_string()));
    RowDetail {
        record,
        diffs: Vec::new(),
    }
}

/// Link to each candidate; add again (when nothing stops it); keep local / offer again.
fn held_actions(
    candidates: &[crate::sync::stale::Candidate],
    snapshot: &Snapshot,
    again: &ExportRow,
    risk: String,
    last: WayOut,
) -> Vec<WayOut> {
    let mut actions: Vec<WayOut> = candidates
        .iter()
        .map(|c| {
            let q = &snapshot.qb[c.qb];
            WayOut::LinkTo {
                list_id: q.list_id.clone(),
                name: crate::sync::stale::candidate_name(q),
            }
        })
        .collect();
    if again.problems.is_empty() {
        actions.push(WayOut::AddAgain { risk });
    }
    actions.push(last);
    actions
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
    let held = plan
        .stale
        .iter()
        .map(|r| (code(r.local), QbState::LinkChanged))
        .chain(
            plan.kept_local
                .iter()
                .map(|r| (code(r.local), QbState::KeptLocal)),
        );
    plan.exports
        .iter()
        .map(|e| (code(e.local), QbState::Missing))
        .chain(matched)
        .chain(held)
        .collect()
}

/// The header line of the panes: the marks' legend first (at 80 columns the counts may not
/// fit), then what is not listed, and why.
fn summary(
    marked: bool,
    look_alike: usize,
    mode: crate::sync::Mode,
    m: &MatchingSummary,
) -> String {
    let mut parts = Vec::new();
    // First: the operator must decide these, and at 80 columns the line is cut.
    if m.stale_links > 0 {
        parts.push(format!(
            "{} {}",
            marker(RowKind::Stale),
            plural(m.stale_links, "link changed", "links changed")
        ));
    }
    if look_alike > 0 {
        parts.push(format!(
            "{} {}",
            marker(RowKind::Likely),
            plural(look_alike, "looks alike", "look alike")
        ));
    }
    if marked {
        parts.push(format!("{} missing", marker(RowKind::Export)));
    }
    if marked && mode == crate::sync::Mode::NotExactMatch {
        parts.push(format!("{} differs", marker(RowKind::NotInSync)));
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
    if m.kept_local > 0 {
        parts.push(format!("{} kept local", m.kept_local));
    }
    parts.join(" · ")
}

/// The mark a row carries when missing rows and pairs share a pane.
pub fn marker(kind: RowKind) -> &'static str {
    match kind {
        RowKind::Export | RowKind::Import => "+",
        RowKind::NotInSync => "≠",
        RowKind::NeedsReview => "?",
        // Not "!": a blocked row's box shows that.
        RowKind::Stale => "×",
        RowKind::KeptLocal => "−",
        RowKind::Likely => crate::tui::theme::glyph::LIKELY,
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
fn export_row(
    id: RowId,
    row: &ExportRow,
    local: &Customer,
    snapshot: &Snapshot,
    config: &Config,
) -> SyncRow {
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
        kind: likely_or(&row.likely, kind_for(&row.problems, RowKind::Export)),
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
        likely: row
            .likely
            .iter()
            .map(|d| d.looks_like(&snapshot.qb))
            .collect(),
        ways_out: likely_ways_out(
            row.likely.iter().map(|d| {
                let q = &snapshot.qb[d.other];
                let name = q.data.get(Field::Name).unwrap_or("");
                (
                    local.code(),
                    q.list_id.as_str(),
                    format!("QuickBooks' '{name}'"),
                )
            }),
            row.problems.is_empty(),
            "QuickBooks",
        ),
    }
}

/// A row that looks like a customer the other side has is a likely duplicate, whatever else.
fn likely_or<T>(likely: &[T], otherwise: RowKind) -> RowKind {
    if likely.is_empty() {
        otherwise
    } else {
        RowKind::Likely
    }
}

/// The ways out of a likely duplicate: link it to each customer it looks like (code, ListID,
/// that customer as the row names it); add it anyway, confirmed, when nothing stops it
/// (`other_side`: where adding it would make the duplicate). Leaving it is the dialog's last
/// button.
fn likely_ways_out<'a>(
    looks_like: impl Iterator<Item = (&'a str, &'a str, String)>,
    addable: bool,
    other_side: &str,
) -> Vec<WayOut> {
    let mut ways: Vec<WayOut> = looks_like
        .map(|(code, list_id, name)| WayOut::LinkPair {
            code: code.to_string(),
            list_id: list_id.to_string(),
            name,
        })
        .collect();
    if !ways.is_empty() && addable {
        ways.push(WayOut::AddAnyway {
            risk: format!(
                "If they are one customer, {other_side} then holds it twice: link them instead."
            ),
        });
    }
    ways
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
fn import_row(id: RowId, row: &ImportRow, qb: &CustomerRet, snapshot: &Snapshot) -> SyncRow {
    let c = &row.customer;
    let mut rec = record(&c.data);
    rec.push(("Status", c.status.to_string()));
    if let Some(note) = row.code_note(qb) {
        rec.push(("Note", note));
    } else if qb.data.get(Field::AccountNumber).is_none() {
        rec.push((
            "Note",
            format!(
                "gets the SMSTurbo code {} (QuickBooks has no account number)",
                c.code()
            ),
        ));
    }
    let name = qb.data.get(Field::Name).unwrap_or(c.name());
    SyncRow {
        id,
        key: RowKey::QuickBooks(qb.list_id.clone()),
        kind: likely_or(&row.likely, kind_for(&row.problems, RowKind::Import)),
        name: format!("{name} (QuickBooks)"),
        cells: qb_cells(qb),
        problems: row.problems.iter().map(ToString::to_string).collect(),
        actions: Vec::new(),
        detail: RowDetail {
            record: rec,
            diffs: Vec::new(),
        },
        likely: row
            .likely
            .iter()
            .map(|d| d.looks_like(&snapshot.locals))
            .collect(),
        ways_out: likely_ways_out(
            row.likely.iter().map(|d| {
                let l = &snapshot.locals[d.other];
                let shown = format!("SMSTurbo's {} '{}'", l.code(), l.name());
                (l.code(), qb.list_id.as_str(), shown)
            }),
            row.problems.is_empty(),
            "SMSTurbo",
        ),
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
            // A likely duplicate is checked only after its "add anyway" confirmation.
            Planned::Export(i) => {
                let row = &plan.exports[i];
                let code = snapshot.locals[row.local].code().to_string();
                if row.likely.is_empty() {
                    sel.exports.push(code);
                } else {
                    sel.export_anyway.push(code);
                }
            }
            Planned::Import(i) => {
                let row = &plan.imports[i];
                let list_id = snapshot.qb[row.qb].list_id.clone();
                if row.likely.is_empty() {
                    sel.imports.push(list_id);
                } else {
                    sel.import_anyway.push(list_id);
                }
            }
            Planned::Pair(i) => {
                let local = &snapshot.locals[plan.pairs[i].local];
                sel.pairs.push(local.code().to_string());
            }
            Planned::Stale(i) => sel
                .export_anyway
                .push(snapshot.locals[plan.stale[i].local].code().to_string()),
            Planned::Kept(i) => sel
                .export_anyway
                .push(snapshot.locals[plan.kept_local[i].local].code().to_string()),
        }
    }
    Ok(sel)
}

/// The code of the SMSTurbo customer a way out chosen on `row` acts on, or `None` when the row
/// does not offer it (the plan it came from is not this one).
pub fn resolved_code(
    plan: &Plan,
    snapshot: &Snapshot,
    row: RowId,
    how: &Resolution,
) -> Option<String> {
    let Resolution::LinkPair { code, list_id } = how else {
        return held_code(plan, snapshot, row).map(str::to_string);
    };
    let is_code = |l: LocalIx| snapshot.locals[l].code().eq_ignore_ascii_case(code);
    let is_list_id = |q: QbIx| snapshot.qb[q].list_id == *list_id;
    let offered = match RowLayout::of(plan).planned(row)? {
        Planned::Export(i) => {
            let r = &plan.exports[i];
            is_code(r.local) && r.likely.iter().any(|d| is_list_id(d.other))
        }
        Planned::Import(i) => {
            let r = &plan.imports[i];
            is_list_id(r.qb) && r.likely.iter().any(|d| is_code(d.other))
        }
        _ => false,
    };
    offered.then(|| code.clone())
}

/// The code of the customer a stale or kept row stands for, or `None` for any other row.
pub fn held_code<'s>(plan: &Plan, snapshot: &'s Snapshot, id: RowId) -> Option<&'s str> {
    let local = match RowLayout::of(plan).planned(id)? {
        Planned::Stale(i) => plan.stale[i].local,
        Planned::Kept(i) => plan.kept_local[i].local,
        _ => return None,
    };
    snapshot.locals.at(local).map(Customer::code)
}

/// The preview's line for `n` likely duplicates the operator confirmed adding anyway: `done`
/// ("added to QuickBooks") although they look like `like` ("a QuickBooks customer").
fn added_anyway(n: usize, done: &str, like: &str) -> String {
    format!(
        "{} {done} although {} like {like}, as you confirmed",
        plural(n, "customer", "customers"),
        if n == 1 { "it looks" } else { "they look" }
    )
}

/// What running the selection would do, in the words of the run confirmation.
pub fn preview(plan: &Plan, snapshot: &Snapshot, rows: &[RowId]) -> Result<RunPreview, RowId> {
    let layout = RowLayout::of(plan);
    let (mut exports, mut imports, mut again) = (0, 0, 0);
    // Likely duplicates the operator confirmed adding anyway: to QuickBooks, to SMSTurbo.
    let (mut anyway_out, mut anyway_in) = (0, 0);
    let mut pairs: Vec<&PairRow> = Vec::new();
    let mut adds = Vec::new();
    for &id in rows {
        match layout.planned(id).ok_or(id)? {
            Planned::Export(i) => {
                if plan.exports[i].likely.is_empty() {
                    exports += 1;
                } else {
                    anyway_out += 1;
                }
                adds.push(&plan.exports[i].add);
            }
            Planned::Import(i) if plan.imports[i].likely.is_empty() => imports += 1,
            Planned::Import(_) => anyway_in += 1,
            Planned::Pair(i) => pairs.push(&plan.pairs[i]),
            Planned::Stale(i) => {
                again += 1;
                adds.push(&plan.stale[i].again.add);
            }
            Planned::Kept(i) => {
                again += 1;
                adds.push(&plan.kept_local[i].again.add);
            }
        }
    }
    let mut lines = Vec::new();
    if exports > 0 {
        lines.push(format!(
            "{} added to QuickBooks",
            plural(exports, "customer", "customers")
        ));
    }
    if again > 0 {
        lines.push(format!(
            "{} added to QuickBooks again, as you confirmed (QuickBooks had changed {} link)",
            plural(again, "customer", "customers"),
            if again == 1 { "its" } else { "their" }
        ));
    }
    if anyway_out > 0 {
        lines.push(added_anyway(
            anyway_out,
            "added to QuickBooks",
            "a QuickBooks customer",
        ));
    }
    if imports > 0 {
        lines.push(format!(
            "{} imported into SMSTurbo",
            plural(imports, "customer", "customers")
        ));
    }
    if anyway_in > 0 {
        lines.push(added_anyway(
            anyway_in,
            "imported into SMSTurbo",
            "an SMSTurbo customer",
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
    // Only the defaults a checked customer would carry.
    let missing_list_entries = plan
        .missing_types_for(adds)
        .iter()
        .map(|t| match t {
            MissingType::CustomerType(n) => format!("Customer Type \"{n}\""),
            MissingType::JobType(n) => format!("Customer Job \"{n}\""),
        })
        .collect();
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
