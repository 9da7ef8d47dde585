//! What front ends hand the sync core (a selection, a progress sink) and what they get back (a
//! run report, errors with plain-words explanations).

use crate::qb::QbError;
use crate::qb::explain::{Explanation, StatusContext, explain, explain_error};
use crate::qb::session::SessionError;
use crate::store::{RunId, RunOutcome, StoreError};

use super::plan::MissingType;
use super::problems::{self, Problem};

/// What the operator checked, by stable keys: SMSTurbo codes for exports and not-in-sync pairs,
/// QuickBooks ListIDs for imports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub exports: Vec<String>,
    pub imports: Vec<String>,
    pub pairs: Vec<String>,
    /// Codes of customers to add to QuickBooks although their link is stale (QuickBooks'
    /// customer is gone or a job) or they are kept local only: the operator's explicit
    /// choice, after being told it may make a duplicate. Never part of "all". Also the codes of
    /// export candidates that look like a QuickBooks customer (a likely duplicate) that the
    /// operator says are another customer.
    pub export_anyway: Vec<String>,
    /// ListIDs of import candidates that look like an SMSTurbo customer (a likely duplicate)
    /// that the operator says are another customer: imported although they look alike. Never
    /// part of "all".
    pub import_anyway: Vec<String>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.exports.is_empty()
            && self.imports.is_empty()
            && self.pairs.is_empty()
            && self.export_anyway.is_empty()
            && self.import_anyway.is_empty()
    }
}

/// Choices the operator made when confirming.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyOptions {
    /// Add the export default Customer Type / Job Type to QuickBooks when it lacks them.
    pub add_missing_types: bool,
}

/// Which part of the work is under way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Settling writes an earlier run left unfinished.
    Recovering,
    ReadingQuickBooks,
    CheckingNames,
    AddingTypes,
    Exporting,
    Importing,
    Replacing,
    Linking,
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Phase::Recovering => "Settling an interrupted run",
            Phase::ReadingQuickBooks => "Reading QuickBooks customers",
            Phase::CheckingNames => "Checking names in QuickBooks",
            Phase::AddingTypes => "Adding types to QuickBooks",
            Phase::Exporting => "Adding customers to QuickBooks",
            Phase::Importing => "Importing customers into SMSTurbo",
            Phase::Replacing => "Updating SMSTurbo customers",
            Phase::Linking => "Linking matched customers",
        }
    }
}

/// Where the sync core reports progress, and asks whether to stop. Stopping happens between
/// batches: a batch QuickBooks is working on is always finished and recorded.
pub trait Progress {
    fn update(&mut self, phase: Phase, done: u64, total: u64);

    fn cancelled(&self) -> bool {
        false
    }
}

/// For callers that don't show progress.
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&mut self, _phase: Phase, _done: u64, _total: u64) {}
}

/// One customer the run could not synchronize, in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub code: String,
    pub name: String,
    pub explanation: Explanation,
}

impl Failure {
    /// "ACME Supply: QuickBooks already has a vendor named …".
    pub fn one_line(&self) -> String {
        self.explanation.one_line()
    }
}

/// What settling earlier runs' unfinished writes found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecoveryReport {
    pub batches: usize,
    /// Customers QuickBooks had added (now linked).
    pub added: usize,
    /// Customers QuickBooks refused.
    pub failed: usize,
    /// Customers QuickBooks never received; they are offered again.
    pub not_applied: usize,
    pub run: Option<RunId>,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    pub run: Option<RunId>,
    /// Customers added to QuickBooks.
    pub added: usize,
    /// Their codes, in the order QuickBooks added them.
    pub added_codes: Vec<String>,
    /// Customers imported into SMSTurbo.
    pub imported: usize,
    /// SMSTurbo customers updated from QuickBooks, and how many values changed.
    pub updated: usize,
    pub values_changed: usize,
    /// Matched pairs linked for the first time.
    pub linked: usize,
    /// Type list entries added to QuickBooks (the export defaults).
    pub types_added: Vec<String>,
    pub failures: Vec<Failure>,
    /// Selected customers not sent because the run was cancelled.
    pub not_sent: usize,
    /// Customers whose outcome is unknown (a batch in doubt that could not be settled yet).
    pub in_doubt: usize,
    pub cancelled: bool,
}

impl RunReport {
    pub fn outcome(&self) -> RunOutcome {
        if self.cancelled {
            RunOutcome::Cancelled
        } else if self.failures.is_empty() && self.in_doubt == 0 {
            RunOutcome::Done
        } else if self.did_something() {
            RunOutcome::Partial
        } else {
            RunOutcome::NothingDone
        }
    }

    /// Whether the run changed anything, in QuickBooks or in SMSTurbo.
    pub fn did_something(&self) -> bool {
        self.added + self.imported + self.updated + self.linked + self.types_added.len() > 0
    }

    /// What the run did, in words: "1 customer added to QuickBooks (NEW901)", "2 imported into
    /// SMSTurbo"… (at most ten codes are named).
    pub fn done_words(&self) -> Vec<String> {
        const NAMED: usize = 10;
        let mut out = Vec::new();
        if self.added > 0 {
            let mut codes = self.added_codes[..self.added_codes.len().min(NAMED)].join(", ");
            if self.added_codes.len() > NAMED {
                codes.push_str(&format!(" and {} more", self.added_codes.len() - NAMED));
            }
            out.push(format!(
                "{} added to QuickBooks ({codes})",
                count(self.added, "customer", "customers")
            ));
        }
        for t in &self.types_added {
            out.push(format!("{t} added to QuickBooks"));
        }
        for (n, what) in [
            (self.imported, "imported into SMSTurbo"),
            (self.updated, "updated in SMSTurbo"),
            (self.linked, "linked"),
        ] {
            if n > 0 {
                out.push(format!("{} {what}", count(n, "customer", "customers")));
            }
        }
        out
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Why the sync core could not do what was asked. Each says what to do next through
/// [`SyncError::explanation`].
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The selection names something the plan doesn't offer (nothing was done): every
    /// offending key, one per line.
    #[error("{}", lines(.0))]
    Selection(Vec<Refused>),
    /// The export defaults name types QuickBooks lacks and the operator has not agreed to add
    /// them (nothing was done).
    #[error(
        "{} not exist in QuickBooks: agree to add {} or change the export defaults in SetUp",
        describe_missing(.0),
        if .0.len() == 1 { "it" } else { "them" }
    )]
    MissingTypes(Vec<MissingType>),
    /// The run stopped part-way, after it had changed something (`report` says what; the
    /// journal has it, and why it stopped).
    #[error("{cause} (before it stopped, the run had: {})", .report.done_words().join("; "))]
    Stopped {
        report: Box<RunReport>,
        cause: Box<SyncError>,
    },
}

/// Why one selected key was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{code} is not an SMSTurbo customer missing from QuickBooks")]
    NotAnExport { code: String },
    #[error("{code} cannot be exported: {}", problems::joined(.problems))]
    ExportBlocked {
        code: String,
        problems: Vec<Problem>,
    },
    #[error("{list_id} is not a QuickBooks customer missing from SMSTurbo")]
    NotAnImport { list_id: String },
    #[error("{name} cannot be imported: {}", problems::joined(.problems))]
    ImportBlocked {
        name: String,
        problems: Vec<Problem>,
    },
    #[error("{code} is not a customer that differs from QuickBooks")]
    NotAPair { code: String },
    /// An export candidate that looks like a QuickBooks customer, named as an ordinary export:
    /// `like` says which (its best candidate, ListID `list_id`) and why.
    #[error(
        "{code} is not added by itself: it {like}. If they are one customer, link them \
         (custsync link {code} {list_id}); if not, add it anyway (--export-anyway {code})"
    )]
    ExportLikely {
        code: String,
        list_id: String,
        like: String,
    },
    /// An import candidate (ListID `list_id`) that looks like SMSTurbo customer `code`, named as
    /// an ordinary import.
    #[error(
        "{name} is not imported by itself: it {like}. If they are one customer, link them \
         (custsync link {code} {list_id}); if not, import it anyway (--import-anyway \"{name}\")"
    )]
    ImportLikely {
        name: String,
        list_id: String,
        code: String,
        like: String,
    },
    #[error(
        "{code} is neither linked to a QuickBooks customer that is gone or now a job, nor kept \
         local only, nor like a QuickBooks customer: --export-anyway is only for those (an \
         ordinary export is --export {code})"
    )]
    NotHeld { code: String },
    /// `--import-anyway` named an import candidate that looks like no SMSTurbo customer.
    #[error(
        "{name} looks like no SMSTurbo customer: --import-anyway is only for customers that do \
         (an ordinary import is --import)"
    )]
    NotLikelyImport { name: String },
}

/// A cause's next step, without what is no longer true once the run had done something.
fn fix_first(next_step: &str) -> String {
    let step = next_step
        .trim_start_matches("Nothing was half-done.")
        .trim_start_matches("Nothing was changed.")
        .trim();
    let step = step
        .strip_suffix("then synchronize again.")
        .or_else(|| step.strip_suffix("and synchronize again."))
        .unwrap_or(step)
        .trim_end_matches([',', ' ']);
    if step.is_empty() {
        "Fix what the message says.".to_string()
    } else {
        format!("{step}.")
    }
}

fn lines(refused: &[Refused]) -> String {
    let lines: Vec<String> = refused.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

fn describe_missing(types: &[MissingType]) -> String {
    let names: Vec<String> = types.iter().map(ToString::to_string).collect();
    format!(
        "{} {}",
        names.join(" and "),
        if names.len() == 1 { "does" } else { "do" }
    )
}

impl SyncError {
    /// The error in plain words, with the next step.
    pub fn explanation(&self) -> Explanation {
        match self {
            SyncError::Session(SessionError::Qb(e)) => explain_error(e),
            SyncError::Session(SessionError::Read(e)) => {
                explain_error(&QbError::BadResponse(e.to_string()))
            }
            // A refusal of one request (a type add, a query) has its own plain words.
            SyncError::Session(SessionError::Status { request, status }) => explain(
                status,
                &StatusContext {
                    element: Some(request),
                    ..StatusContext::default()
                },
            ),
            SyncError::Session(e) => Explanation::new(
                "session".into(),
                "QuickBooks could not complete the request",
                e.to_string(),
                "Synchronize again; if it happens again, run with --trace DIR and send the \
                 files to support.",
            ),
            SyncError::Store(e) => Explanation::new(
                "store".into(),
                "The SMSTurbo database refused the change",
                e.to_string(),
                "Nothing was half-done. Fix what the message says, then synchronize again.",
            ),
            SyncError::Selection(refused) => Explanation::new(
                "selection".into(),
                "Nothing was synchronized",
                lines(refused),
                "Check the customers to synchronize again.",
            ),
            SyncError::MissingTypes(_) => Explanation::new(
                "types".into(),
                "Export defaults missing in QuickBooks",
                self.to_string(),
                "Agree to add them, or change the export defaults in SetUp.",
            ),
            SyncError::Stopped { report, cause } => {
                let why = cause.explanation();
                Explanation::new(
                    why.code.clone(),
                    "The synchronization stopped part-way",
                    format!(
                        "{}{} Before it stopped, this run had: {}.",
                        why.what_happened,
                        if why.what_happened.ends_with(['.', '!', '?']) {
                            ""
                        } else {
                            "."
                        },
                        report.done_words().join("; ")
                    ),
                    format!(
                        "What was done stays done and is in the journal{}. {} Then synchronize \
                         again: only what is left is offered.",
                        report
                            .run
                            .map_or_else(String::new, |r| format!(" (run {r})")),
                        fix_first(&why.next_step)
                    ),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_selection_names_each_key_on_its_own_line() {
        let err = SyncError::Selection(vec![
            Refused::NotAnExport { code: "A1".into() },
            Refused::ImportBlocked {
                name: "Acme".into(),
                problems: vec![Problem::UnknownCustomerType("Retail".into())],
            },
        ]);
        let text = err.explanation().what_happened;
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(
            lines[0],
            "A1 is not an SMSTurbo customer missing from QuickBooks"
        );
        assert!(
            lines[1].starts_with("Acme cannot be imported: customer type 'Retail'"),
            "{text}"
        );
        assert_eq!(err.to_string(), text);
    }
}
