//! The data the screens render, as plain values the back end fills in.
//!
//! These types are the TUI's side of the seam: they hold text ready to show, flags and ids, and
//! nothing of the sync core's own types. The back end (store + sync core) builds them from its
//! plan, journal and connection; the fake back end builds them from fixtures.

use std::path::PathBuf;

/// `1 customer`, `2 customers`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A plain-words explanation of something that went wrong: what happened and what to do next.
/// The catalog (`qb::explain`) produces these for QuickBooks HRESULTs and status codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub title: String,
    pub what_happened: String,
    pub next_step: String,
    /// The code or raw message, for support ("QuickBooks error 0x8004041D").
    pub detail: Option<String>,
    /// For the sandbox company: how to do the next step there (boxed: most explanations have
    /// none, and errors travel by value).
    pub sandbox: Option<Box<SandboxHelp>>,
}

/// What the sandbox company offers for an explanation's next step.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SandboxHelp {
    /// The `custsync sandbox …` command that does what the next step asks of QuickBooks.
    pub command: Option<String>,
    /// A change custsync can make itself, offered as a button.
    pub fix: Option<SandboxFix>,
}

impl Explanation {
    pub fn new(
        title: impl Into<String>,
        what_happened: impl Into<String>,
        next_step: impl Into<String>,
    ) -> Explanation {
        Explanation {
            title: title.into(),
            what_happened: what_happened.into(),
            next_step: next_step.into(),
            detail: None,
            sandbox: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Explanation {
        self.detail = Some(detail.into());
        self
    }

    /// The change the sandbox offers, if any.
    pub fn fix(&self) -> Option<SandboxFix> {
        self.sandbox.as_ref().and_then(|s| s.fix)
    }

    pub fn sandbox_command(&self) -> Option<&str> {
        self.sandbox.as_ref().and_then(|s| s.command.as_deref())
    }
}

/// The catalog's wording, shown as it is: the TUI adds no second catalog. The code becomes the
/// detail support asks for ("QuickBooks error 0x8004041D", "QuickBooks status 3100").
impl From<&crate::qb::explain::Explanation> for Explanation {
    fn from(e: &crate::qb::explain::Explanation) -> Explanation {
        let detail = if e.code.starts_with("0x") {
            Some(format!("QuickBooks error {}", e.code))
        } else if e.code.starts_with("status ") || e.code.starts_with("message set") {
            Some(format!("QuickBooks {}", e.code))
        } else {
            None
        };
        Explanation {
            title: e.title.clone(),
            what_happened: e.what_happened.clone(),
            next_step: e.next_step.clone(),
            detail,
            sandbox: None,
        }
    }
}

/// What custsync can change in a sandbox company on the simulated QuickBooks' behalf (the
/// things a QuickBooks user would click in QuickBooks itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SandboxFix {
    /// Integrated Applications → custsync → "Allow this application to login automatically".
    AllowAutoLogin,
    /// Open (or close) the company file "in QuickBooks".
    SetOpenInQuickBooks(bool),
    /// Remove custsync from Integrated Applications, so QuickBooks asks the certificate question
    /// again.
    ForgetAccess,
}

impl SandboxFix {
    /// The button that offers it.
    pub fn label(self) -> &'static str {
        match self {
            SandboxFix::AllowAutoLogin => "Allow automatic login in the sandbox",
            SandboxFix::SetOpenInQuickBooks(true) => "Open the file in the sandbox QuickBooks",
            SandboxFix::SetOpenInQuickBooks(false) => "Close the file in the sandbox QuickBooks",
            SandboxFix::ForgetAccess => "Let the sandbox ask again",
        }
    }
}

/// The sandbox company's "Integrated Applications" state for custsync, shown on the home screen
/// so a trainee can see why QuickBooks answers as it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxStatus {
    /// Whether "QuickBooks" has the file open.
    pub open_in_quickbooks: bool,
    /// How custsync is allowed in, as the certificate dialog words it.
    pub access: String,
    /// "Allow this application to login automatically".
    pub auto_login: bool,
}

/// What the operator must do while custsync waits for the QuickBooks Web Connector to call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebConnectorWait {
    /// Where custsync listens, as the `.qwc` file names it.
    pub url: String,
    pub user_name: String,
    /// The company file QuickBooks is asked to open (empty: the one it has open).
    pub company_file: String,
}

/// The company custsync connected to, for the operator to confirm: the sync core's own.
pub use crate::sync::CompanyInfo;

/// Identifies a row of the synchronize screen in the back end's plan. A not-in-sync pair has the
/// same id in both panes: checking it on either side checks the pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowId(pub u64);

/// A field whose value comes from one of QuickBooks' lists, and can be picked from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickFor {
    /// SetUp's Import – Include Customer Types (several).
    IncludeTypes,
    /// SetUp's export default Customer Type.
    ExportType,
    /// SetUp's export default Customer Job (a job type).
    ExportJob,
    /// A customer's own Customer Type.
    CustomerType,
    /// A customer's Terms.
    Terms,
}

impl PickFor {
    pub fn title(self) -> &'static str {
        match self {
            PickFor::IncludeTypes => "Include Customer Types (QuickBooks' list)",
            PickFor::ExportType | PickFor::CustomerType => "Customer Type (QuickBooks' list)",
            PickFor::ExportJob => "Customer Job (QuickBooks' job types)",
            PickFor::Terms => "Terms (QuickBooks' list)",
        }
    }

    /// The list, for a sentence: "customer types".
    pub fn list_words(self) -> &'static str {
        match self {
            PickFor::IncludeTypes | PickFor::ExportType | PickFor::CustomerType => "customer types",
            PickFor::ExportJob => "job types",
            PickFor::Terms => "terms",
        }
    }

    /// Whether several can be chosen.
    pub fn multi(self) -> bool {
        self == PickFor::IncludeTypes
    }

    pub fn names(self, lists: &crate::store::list_names::QbListNames) -> &[String] {
        match self {
            PickFor::IncludeTypes | PickFor::ExportType | PickFor::CustomerType => {
                &lists.customer_types
            }
            PickFor::ExportJob => &lists.job_types,
            PickFor::Terms => &lists.terms,
        }
    }
}

/// Where an SMSTurbo customer stands with QuickBooks, for the home screen's column: from the
/// last comparison this session, else from its stored link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QbState {
    /// Linked to a QuickBooks customer; not compared yet this session.
    Linked,
    /// Matched and equal in every mapped field.
    InSync,
    /// Matched, and some fields differ.
    Differs,
    /// Matched (missing-only comparisons do not look at the fields).
    InQuickBooks,
    /// Not in QuickBooks: an export candidate.
    Missing,
    /// Linked, but QuickBooks deleted, merged away or made a job of its customer: the operator
    /// decides at the Synchronize screen.
    LinkChanged,
    /// Kept in SMSTurbo only for the company compared.
    KeptLocal,
}

impl QbState {
    pub fn label(self) -> &'static str {
        match self {
            QbState::Linked => "linked",
            QbState::InSync => "in sync",
            QbState::Differs => "differs",
            QbState::InQuickBooks => "in QB",
            QbState::Missing => "missing",
            QbState::LinkChanged => "link changed",
            QbState::KeptLocal => "kept local",
        }
    }
}

/// The SMSTurbo customers, and which are linked to QuickBooks.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CustomerList {
    pub customers: Vec<crate::store::Customer>,
    /// Codes linked to a QuickBooks customer (in any company file).
    pub linked: Vec<String>,
}

/// What a row stands for, whatever its position in a plan: a second comparison finds the same
/// customer again by it (to keep its check and the cursor on it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowKey {
    /// An SMSTurbo customer (an export, or a pair), by code.
    SmsTurbo(String),
    /// A QuickBooks customer SMSTurbo lacks, by ListID.
    QuickBooks(String),
}

/// Something the operator can do to a row from the panes besides checking it. Each answers a key
/// map [`Action`](crate::tui::action::Action), so its key is the key map's; the detail lists
/// what the row offers. New kinds of rows bring their own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowAction {
    /// Open the SMSTurbo customer to change it; the panes compare again after a save.
    Edit { code: String },
    /// Give the customer the QuickBooks spellings suggested for its problems; SMSTurbo keeps
    /// its own values.
    UseQbSpellings {
        code: String,
        spellings: Vec<(crate::qbxml::Field, String)>,
    },
}

impl RowAction {
    /// The key map's action for it.
    pub fn action(&self) -> crate::tui::action::Action {
        use crate::tui::action::Action;
        match self {
            RowAction::Edit { .. } => Action::Edit,
            RowAction::UseQbSpellings { .. } => Action::UseQbSpelling,
        }
    }

    /// What it does, for the detail.
    pub fn describe(&self) -> String {
        match self {
            RowAction::Edit { code } => format!("edit {code} in SMSTurbo"),
            RowAction::UseQbSpellings { spellings, .. } => {
                let each: Vec<String> = spellings
                    .iter()
                    .map(|(f, v)| format!("{} \"{v}\"", f.label()))
                    .collect();
                format!(
                    "send QuickBooks {} (SMSTurbo keeps its own)",
                    each.join(", ")
                )
            }
        }
    }
}

/// What synchronizing a row does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// An SMSTurbo customer QuickBooks lacks: added to QuickBooks.
    Export,
    /// A QuickBooks customer SMSTurbo lacks: imported into SMSTurbo.
    Import,
    /// A matched pair that is not an exact match: the Replace Options are applied to SMSTurbo.
    NotInSync,
    /// Matched to several candidates; never linked automatically.
    NeedsReview,
    /// Linked, but QuickBooks changed underneath (its customer gone, or now a job): never
    /// synchronized by itself; the operator chooses a way out ([`SyncRow::ways_out`]).
    Stale,
    /// Kept in SMSTurbo only for this company: never offered for export to it.
    KeptLocal,
    /// Missing on its side, but it looks like a customer the other side has (a likely
    /// duplicate): never synchronized by itself; the operator chooses a way out.
    Likely,
}

impl RowKind {
    pub fn label(self) -> &'static str {
        match self {
            RowKind::Export => "missing in QuickBooks",
            RowKind::Import => "missing in SMSTurbo",
            RowKind::NotInSync => "not in sync",
            RowKind::NeedsReview => "needs review",
            RowKind::Stale => "QuickBooks changed its link",
            RowKind::KeptLocal => "kept in SMSTurbo only",
            RowKind::Likely => "looks like a customer the other side has",
        }
    }
}

/// A way out the operator can choose for a row QuickBooks changed underneath, one kept local
/// only, or one that looks like a customer the other side has, offered together in one dialog
/// (Enter on the row). Each is explicit: nothing here happens by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WayOut {
    /// Link to this QuickBooks customer (a candidate: a merge's survivor, usually).
    LinkTo { list_id: String, name: String },
    /// Link the two customers of a likely pair (`name`: the other side's, as the row shows it):
    /// from then on they are an ordinary pair.
    LinkPair {
        code: String,
        list_id: String,
        name: String,
    },
    /// Add it to QuickBooks (again): checked only after a confirmation that names `risk`.
    AddAgain { risk: String },
    /// Add it to its other side although it looks like a customer there (a likely duplicate):
    /// checked only after a confirmation that names `risk`.
    AddAnyway { risk: String },
    /// Unlink it and keep it in SMSTurbo only for this company.
    KeepLocal,
    /// Offer it for export to this company again (a customer kept local only).
    OfferAgain,
}

impl WayOut {
    /// The button that offers it.
    pub fn label(&self) -> String {
        match self {
            WayOut::LinkTo { name, .. } => format!("Link to '{name}'"),
            WayOut::LinkPair { name, .. } => format!("Link to {name}"),
            WayOut::AddAgain { .. } => "Add to QuickBooks again…".into(),
            WayOut::AddAnyway { .. } => "Add anyway: another customer…".into(),
            WayOut::KeepLocal => "Keep in SMSTurbo only".into(),
            WayOut::OfferAgain => "Offer for export again".into(),
        }
    }
}

/// What the operator chose for a row, for the back end to do at once (journaled): a link made
/// or removed. ("Add again" is not here: it is a checked row the run adds.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Link the row's SMSTurbo customer to this ListID.
    LinkTo(String),
    /// Link the likely pair on the row: this SMSTurbo code to this ListID.
    LinkPair {
        code: String,
        list_id: String,
    },
    KeepLocal,
    OfferAgain,
}

/// How wide a column may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnWidth {
    /// Exactly this many cells.
    Fixed(u16),
    /// At least `min`, sharing the rest by `weight`.
    Fill { min: u16, weight: u16 },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub title: String,
    pub width: ColumnWidth,
}

impl Column {
    pub fn fixed(title: impl Into<String>, width: u16) -> Column {
        Column {
            title: title.into(),
            width: ColumnWidth::Fixed(width),
        }
    }

    pub fn fill(title: impl Into<String>, min: u16, weight: u16) -> Column {
        Column {
            title: title.into(),
            width: ColumnWidth::Fill { min, weight },
        }
    }
}

/// One field that differs between the two sides of a pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDiff {
    /// Labels are the field table's (static: a pane may hold 100,000 rows).
    pub label: &'static str,
    pub smsturbo: String,
    pub quickbooks: String,
    /// Whether the Replace Options copy the QuickBooks value into SMSTurbo.
    pub applies: bool,
}

/// The detail area for one row.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RowDetail {
    /// The record's values: (label, value), present values only.
    pub record: Vec<(&'static str, String)>,
    /// For not-in-sync pairs: the differing fields.
    pub diffs: Vec<FieldDiff>,
}

/// One row of a synchronize pane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncRow {
    pub id: RowId,
    pub key: RowKey,
    pub kind: RowKind,
    /// How the detail area and messages name the record: "Cobalt Marine (C1002)".
    pub name: String,
    /// Text per column of the pane, in the pane's column order.
    pub cells: Vec<String>,
    /// Why the row cannot be synchronized as it is (over-long name, non-Latin-1 text, name
    /// already used by a vendor…). A row with problems cannot be checked.
    pub problems: Vec<String>,
    /// What can be done to it from here.
    pub actions: Vec<RowAction>,
    pub detail: RowDetail,
    /// What it looks like on the other side, with why ("looks like QuickBooks' 'Acme Supply
    /// Inc' (same phone; name differs only in punctuation)"), best first: a row with any is
    /// never checked by "all".
    pub likely: Vec<String>,
    /// The ways out of a row QuickBooks changed underneath, one kept local only or a likely
    /// duplicate (empty for every other row).
    pub ways_out: Vec<WayOut>,
}

/// One side of the synchronize screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncPane {
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<SyncRow>,
}

/// Everything the two-pane synchronize screen shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncView {
    pub company_name: String,
    pub missing_only: bool,
    /// SMSTurbo (left).
    pub smsturbo: SyncPane,
    /// QuickBooks (right).
    pub quickbooks: SyncPane,
    /// What the panes leave out, for the header ("21 in sync · 3 hidden by export status").
    pub summary: String,
    /// How QuickBooks was read: "read 12 changes since 2026-12-06 10:15 (incremental)", "read
    /// all 100,000 customers (first synchronization with this company)".
    pub read: String,
    /// Things the operator should know before choosing, e.g. what settling an interrupted
    /// earlier run did. Shown once when the panes open.
    pub notices: Vec<String>,
    /// Where each SMSTurbo customer the comparison placed stands, by code (for the home
    /// screen).
    pub qb_states: Vec<(String, QbState)>,
}

/// What the operator checked on the Synchronize screen, by row. The back end turns it into the
/// sync core's [`Selection`](crate::sync::Selection) (codes and ListIDs) against its plan.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CheckedRows {
    /// Each checked row once (a pair checked on both sides appears once), in pane order.
    pub rows: Vec<RowId>,
    /// The operator agreed to add missing list entries (customer types, job types).
    pub add_missing_list_entries: bool,
}

/// What a run of the selection will do, for the confirmation.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RunPreview {
    /// "12 customers added to QuickBooks", "3 imported into SMSTurbo",
    /// "2 updated in SMSTurbo: Phone, Bill address 1".
    pub lines: Vec<String>,
    /// List entries QuickBooks lacks that the run needs (e.g. "Customer type: Retail").
    /// Non-empty: the operator must agree to add them or cancel.
    pub missing_list_entries: Vec<String>,
}

/// How far a run has got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressUpdate {
    /// e.g. "Adding customers to QuickBooks".
    pub phase: String,
    pub done: u64,
    pub total: u64,
    /// The latest thing done, e.g. "Batch 3 of 12".
    pub note: Option<String>,
}

/// One customer the run could not handle, in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Who: "ACME Supply".
    pub customer: String,
    /// What happened and what to do: "QuickBooks already has a vendor named 'ACME Supply' —
    /// rename the SMSTurbo customer's QuickBooks name and synchronize again".
    pub message: String,
}

/// The end of a run: what the "Export Completed" dialog shows.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RunReport {
    /// ("Added to QuickBooks", 12), ("Imported into SMSTurbo", 3)…
    pub counts: Vec<(String, u64)>,
    pub failures: Vec<Failure>,
    /// Anything else worth saying (customers not sent because of a stop, outcomes in doubt,
    /// list entries added).
    pub notes: Vec<String>,
    /// The operator stopped it between batches.
    pub cancelled: bool,
}

/// Identifies a run in the journal: the store's own id, so no conversion can lose it.
pub use crate::store::RunId;

/// What a History line stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HistoryId {
    Run(RunId),
    /// A customer deleted from SMSTurbo (the store's deletion id).
    Deletion(i64),
}

/// One past run or deletion, for the History screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub id: HistoryId,
    /// When, already formatted for people.
    pub when: String,
    pub company: String,
    /// "12 exported, 3 imported, 2 updated, 1 failed".
    pub summary: String,
    /// Whether the run made local changes that can still be undone (a deletion: whether the
    /// customer can still be restored).
    pub undoable: bool,
    /// What undoing would do / what the run did, one line each.
    pub details: Vec<String>,
}

/// A folder's entries for the file picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirListing {
    pub dir: PathBuf,
    pub pattern: String,
    /// Folders first, then matching files, each sorted by name (case-insensitive).
    pub entries: Vec<DirEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
    pub hidden: bool,
}
