//! The real back end: the workspace's store and setup, the connection the setup names, and the
//! sync core, behind the worker seam ([`Backend`]). Every method runs on the worker thread.
//!
//! Errors reach the screens as [`Explanation`]s taken from the sync core's and the QuickBooks
//! catalog's plain words (`SyncError::explanation`, `qb::explain`); for the sandbox company they
//! also carry the `custsync sandbox …` command and, where custsync can make the change itself,
//! a [`SandboxFix`] the explanation dialog offers as a button.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::config::{Config, ConnectionKind};
use crate::qb::access::{AccessPrompt, NoPrompt};
use crate::qb::connect::{self, ConnectError};
use crate::qb::sandbox::{CompanyFile, Grant, SandboxError};
use crate::qb::session::SessionError;
use crate::qb::trace::Trace;
use crate::qb::webconnector::qwc::{AppUrl, QwcIds, QwcSpec};
use crate::qb::{APP_NAME, QbError, hresult};
use crate::store::list_names::QbListNames;
use crate::store::{
    Customer, CustomerError, EntryKind, Run, RunMode, RunOutcome, Store, StoreError, StoreRead,
    Workspace, os_user,
};
use crate::sync::relink;
use crate::sync::{self, ApplyOptions, Mode, Phase, Planned, ReadRequest, SyncEngine, SyncError};

use super::plan_view;
use super::view::plural;
use super::view::{
    CheckedRows, CompanyInfo, CustomerList, Explanation, Failure, HistoryEntry, HistoryId,
    ProgressUpdate, Resolution, RowId, RunId, RunPreview, RunReport, SandboxFix, SandboxHelp,
    SandboxStatus, SyncView, WebConnectorWait,
};
use super::worker::{Backend, CancelFlag, FieldError, SaveError};

/// How many past runs the History screen lists.
const HISTORY_RUNS: usize = 200;
/// Failures listed per run in the History detail (the journal keeps them all).
const HISTORY_FAILURES: usize = 20;

/// The synchronization in progress: connected (company confirmed next), or planned (panes shown).
enum Engine {
    Connected(Box<SyncEngine<'static>>),
    Planned(Box<Planned<'static>>),
}

pub struct RealBackend {
    workspace: Workspace,
    store: Store,
    config: Config,
    trace_dir: Option<PathBuf>,
    engine: Option<Engine>,
    /// Said once with the next panes (a trace folder that cannot be written).
    warnings: Vec<String>,
    /// config.toml could not be read: keep it aside before the first save replaces it.
    broken_config: bool,
}

impl RealBackend {
    /// A back end on an open workspace (its lock is held as long as the back end lives).
    pub fn new(
        workspace: Workspace,
        config: Config,
        trace_dir: Option<PathBuf>,
    ) -> Result<RealBackend, StoreError> {
        let store = workspace.open_store()?;
        Ok(RealBackend {
            workspace,
            store,
            config,
            trace_dir,
            engine: None,
            warnings: Vec::new(),
            broken_config: false,
        })
    }

    /// The workspace's config.toml was refused at start: the first save keeps a copy of it as
    /// `config.toml.broken` before replacing it.
    pub fn keep_broken_config_on_save(&mut self) {
        self.broken_config = true;
    }

    fn trace(&mut self) -> Option<Trace> {
        let dir = self.trace_dir.as_ref()?;
        match Trace::open(dir) {
            Ok(t) => Some(t),
            Err(e) => {
                self.warnings.push(e.to_string());
                None
            }
        }
    }

    fn company_path(&self) -> PathBuf {
        PathBuf::from(self.config.company_file.trim())
    }

    /// The sync core's plain words, plus the sandbox's command and fix when the setup names a
    /// sandbox company.
    fn explain_sync(&self, e: &SyncError) -> Explanation {
        let catalog = e.explanation();
        let mut v = Explanation::from(&catalog);
        if v.detail.is_none()
            && let SyncError::Session(SessionError::Qb(QbError::Transport(m))) = e
        {
            v = v.with_detail(m.clone());
        }
        if self.config.connection.kind == ConnectionKind::Sandbox {
            v = with_sandbox_help(v, &catalog, hresult_of(e), &self.company_path());
        }
        v
    }

    fn planned(&self) -> Result<&Planned<'static>, Explanation> {
        match &self.engine {
            Some(Engine::Planned(p)) => Ok(&**p),
            _ => Err(not_connected()),
        }
    }

    fn connect_sandbox(
        &mut self,
        prompt: &mut dyn AccessPrompt,
    ) -> Result<SyncEngine<'static>, Explanation> {
        let conn = connect::from_options(self.config.connect_options(), self.workspace.dir())
            .map_err(|e| explain_connect(&e))?;
        let trace = self.trace();
        SyncEngine::connect(conn, prompt, self.config.clone(), trace)
            .map_err(|e| self.explain_sync(&e))
    }

    /// Starts (or resumes) the wait for the Web Connector on its own thread and sleeps until it
    /// ends: the Web Connector called, or the operator's stop cancelled the wait (which ends
    /// the waiting thread at once).
    fn connect_web_connector(
        &mut self,
        waiting: &mut dyn FnMut(WebConnectorWait),
        cancel: &CancelFlag,
    ) -> Result<SyncEngine<'static>, Explanation> {
        let wc = &self.config.connection.web_connector;
        let wait = WebConnectorWait {
            url: service_url(wc),
            user_name: wc.user_name.clone(),
            company_file: self.config.company_file.clone(),
        };
        // Starting the service can fail (address in use): say that, not "waiting".
        let (conn, handle) =
            connect::from_options_with_wait(self.config.connect_options(), self.workspace.dir())
                .map_err(|e| explain_connect(&e))?;
        waiting(wait);
        let trace = self.trace();
        let config = self.config.clone();
        let (tx, result) = mpsc::channel();
        std::thread::Builder::new()
            .name("custsync-webconnector-wait".into())
            .spawn(move || {
                // Real QuickBooks asks its own questions on its own screen.
                let r = SyncEngine::connect(conn, &mut NoPrompt, config, trace);
                let _ = tx.send(r);
            })
            .map_err(|e| {
                Explanation::new(
                    "Cannot wait for the Web Connector",
                    format!("custsync could not start waiting ({e})."),
                    "Quit custsync and start it again.",
                )
            })?;
        // The waiting thread ends with "cancelled" and the service stops; a request QuickBooks
        // already had would be settled by the next synchronization.
        let stop = cancel.wake_on_cancel(move || {
            if let Some(h) = handle {
                h.cancel();
            }
        });
        let connected = result.recv();
        drop(stop);
        if cancel.cancelled() {
            return Err(stopped_waiting());
        }
        match connected {
            Ok(r) => r.map_err(|e| self.explain_sync(&e)),
            Err(_) => Err(internal("the wait ended")),
        }
    }

    fn sandbox_file(&self) -> Result<CompanyFile, Explanation> {
        if self.config.connection.kind != ConnectionKind::Sandbox {
            return Err(Explanation::new(
                "Not a sandbox company",
                "SetUp connects through the QuickBooks Web Connector, so there is no sandbox \
                 company to change.",
                "Make the change in QuickBooks itself.",
            ));
        }
        let path = self.company_path();
        if path.as_os_str().is_empty() {
            return Err(explain_connect(&ConnectError::NoCompanyFile));
        }
        CompanyFile::open(&path).map_err(|e| explain_sandbox(&e))
    }

    fn history_entry(&self, run: &Run) -> HistoryEntry {
        let c = run.counts;
        let mut summary = match run.mode {
            RunMode::Undo => format!(
                "undid run {}: {}",
                run.undo_of.map_or_else(|| "?".into(), |r| r.to_string()),
                plural(n(c.undone), "change", "changes")
            ),
            RunMode::CsvImport => format!("CSV import: {} customers", c.imported),
            RunMode::Link => {
                let parts: Vec<String> = [
                    (c.linked, "linked"),
                    (c.unlinked, "unlinked"),
                    (c.local_only, "kept local / offered again"),
                ]
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!("{n} {what}"))
                .collect();
                parts.join(", ")
            }
            _ => {
                let parts: Vec<String> = [
                    (c.exported, "exported"),
                    (c.imported, "imported"),
                    (c.replaced, "updated"),
                    (c.failed, "failed"),
                ]
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!("{n} {what}"))
                .collect();
                if parts.is_empty() {
                    "nothing changed".to_string()
                } else {
                    parts.join(", ")
                }
            }
        };
        match (run.outcome, run.finished_at) {
            (Some(RunOutcome::Cancelled), _) => summary.push_str(" (stopped)"),
            (_, None) => summary.push_str(" (did not finish)"),
            _ => {}
        }
        // First, so a narrow column still shows it.
        if let Some(by) = run.undone_by {
            summary = format!("undone by run {by} · {summary}");
        }
        let undoable = !matches!(run.mode, RunMode::Undo | RunMode::Recovery)
            && run.undone_by.is_none()
            && (c.imported + c.replaced > 0
                || (run.mode == RunMode::Link && c.linked + c.unlinked + c.local_only > 0));
        let mut details = vec![format!(
            "Run {} ({}) by {}, {}",
            run.id,
            mode_words(run.mode),
            run.os_user,
            run.company_file.as_deref().unwrap_or("no company file")
        )];
        for (count, one, many) in [
            (
                c.exported,
                "customer added to QuickBooks (it stays there: custsync never changes QuickBooks \
                 records)",
                "customers added to QuickBooks (they stay there: custsync never changes \
                 QuickBooks records)",
            ),
            (
                c.imported,
                "customer imported into SMSTurbo",
                "customers imported into SMSTurbo",
            ),
            (
                c.replaced,
                "customer updated in SMSTurbo from QuickBooks",
                "customers updated in SMSTurbo from QuickBooks",
            ),
            (
                c.linked,
                "customer linked to its QuickBooks customer",
                "customers linked to their QuickBooks customer",
            ),
            (
                c.unlinked,
                "customer unlinked from a QuickBooks customer",
                "customers unlinked from a QuickBooks customer",
            ),
            (
                c.local_only,
                "customer kept in SMSTurbo only, or offered for export again",
                "customers kept in SMSTurbo only, or offered for export again",
            ),
            (
                c.lists_added,
                "list entry added to QuickBooks",
                "list entries added to QuickBooks",
            ),
            (c.undone, "change undone", "changes undone"),
            (c.failed, "customer failed", "customers failed"),
        ] {
            if count > 0 {
                details.push(plural(n(count), one, many));
            }
        }
        if let Some(by) = run.undone_by {
            details.push(format!(
                "Its SMSTurbo changes were undone by run {by}; what went to QuickBooks stays there."
            ));
        }
        if undoable && run.mode == RunMode::Link {
            details.push(
                "Undo puts the links back as they were, unless they were changed since.".into(),
            );
        } else if undoable {
            details.push(undo_would(n(c.imported), n(c.replaced)));
        }
        if (c.failed > 0 || c.stopped || c.lists_added > 0)
            && let Ok(entries) = self.store.run_entries(run.id)
        {
            details.extend(
                entries
                    .iter()
                    .filter_map(|e| {
                        let message = e.status_message.as_deref().unwrap_or("no message");
                        match e.kind {
                            EntryKind::Stopped => Some(format!("stopped: {message}")),
                            EntryKind::ListAdded => Some(format!(
                                "added to QuickBooks: {}",
                                e.new.as_deref().unwrap_or("a list entry")
                            )),
                            EntryKind::Failed => Some(format!("failed: {}: {message}", e.code)),
                            _ => None,
                        }
                    })
                    .take(HISTORY_FAILURES),
            );
        }
        HistoryEntry {
            id: HistoryId::Run(run.id),
            when: local_time(&run.started_at),
            company: run
                .company_name
                .clone()
                .or_else(|| run.company_file.clone())
                .unwrap_or_else(|| "—".into()),
            summary,
            undoable,
            details,
        }
    }
}

/// A journal count as a number of things.
fn n(count: u64) -> usize {
    usize::try_from(count).unwrap_or(usize::MAX)
}

/// What undoing a run with `imported` imports and `replaced` updated customers does, naming
/// only what there is.
fn undo_would(imported: usize, replaced: usize) -> String {
    let parts: Vec<String> = [
        (imported > 0).then(|| {
            format!(
                "removes the {}",
                plural(imported, "imported customer", "imported customers")
            )
        }),
        (replaced > 0).then(|| {
            format!(
                "restores the values of the {}",
                plural(replaced, "updated customer", "updated customers")
            )
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    format!(
        "Undo {}, unless they were changed since.",
        parts.join(" and ")
    )
}

/// A journal time as History shows it: the operator's local time, to the minute.
fn local_time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A deleted customer as History lists it.
fn deletion_entry(d: &crate::store::deletions::Deletion) -> HistoryEntry {
    let mut summary = format!("deleted {} {}", d.code, d.name);
    let mut details = vec![format!(
        "{} ({}) was deleted from SMSTurbo by {} on {}; it had {}.",
        d.name,
        d.code,
        d.deleted_by,
        local_time(&d.deleted_at),
        plural(d.links, "link to QuickBooks", "links to QuickBooks")
    )];
    match (&d.restored_at, &d.restored_by) {
        (Some(at), by) => {
            summary.push_str(" (restored)");
            details.push(format!(
                "Restored by {} on {}.",
                by.as_deref().unwrap_or("?"),
                local_time(at)
            ));
        }
        (None, _) => details.push(
            "Undo puts it back as it was, with its links (QuickBooks was never changed)."
                .to_string(),
        ),
    }
    HistoryEntry {
        id: HistoryId::Deletion(d.id),
        when: local_time(&d.deleted_at),
        company: "SMSTurbo".into(),
        summary,
        undoable: d.restored_at.is_none(),
        details,
    }
}

fn mode_words(m: RunMode) -> &'static str {
    match m {
        RunMode::MissingOnly => "missing customers only",
        RunMode::NotExactMatch => "every customer not in sync",
        RunMode::Recovery => "settling an interrupted run",
        RunMode::CsvImport => "CSV import",
        RunMode::Undo => "undo",
        RunMode::Link => "link or unlink by the operator",
    }
}

fn hresult_of(e: &SyncError) -> Option<u32> {
    match e {
        SyncError::Session(SessionError::Qb(q)) => q.hresult_code(),
        _ => None,
    }
}

/// Adds what the sandbox company at `file` offers for a refusal (with HRESULT `code`): the
/// `custsync sandbox` command from the catalog, and the change custsync can make itself.
pub fn with_sandbox_help(
    mut v: Explanation,
    catalog: &crate::qb::explain::Explanation,
    code: Option<u32>,
    file: &Path,
) -> Explanation {
    let help = SandboxHelp {
        command: catalog.sandbox_fix_for(file),
        fix: code.and_then(sandbox_fix_for),
    };
    if help != SandboxHelp::default() {
        v.sandbox = Some(Box::new(help));
    }
    v
}

/// The change custsync can make in the sandbox for a refusal, doing what the catalog asks of the
/// QuickBooks user.
fn sandbox_fix_for(code: u32) -> Option<SandboxFix> {
    match code {
        hresult::AUTO_LOGIN_NOT_ALLOWED => Some(SandboxFix::AllowAutoLogin),
        hresult::COULD_NOT_START_QB => Some(SandboxFix::SetOpenInQuickBooks(true)),
        hresult::ACCESS_DENIED | hresult::NO_PERMISSION => Some(SandboxFix::ForgetAccess),
        _ => None,
    }
}

/// The operator stopped waiting for the Web Connector.
pub(super) fn stopped_waiting() -> Explanation {
    Explanation::new(
        "Stopped waiting for the Web Connector",
        "You stopped waiting before the QuickBooks Web Connector called custsync. Nothing was \
         changed.",
        "Synchronize again when the Web Connector is ready.",
    )
}

pub(super) fn not_connected() -> Explanation {
    Explanation::new(
        "Not connected",
        "The connection to QuickBooks was closed before this step.",
        "Synchronize again from Maintain Customer.",
    )
}

fn internal(what: &str) -> Explanation {
    Explanation::new(
        "Internal error",
        format!("custsync hit an internal error ({what}); nothing more was done."),
        "Synchronize again. If it happens again, please report it with the steps that led to it.",
    )
}

/// One link of a customer in words: linked to `list_id` in `company`, or (`None`) kept in
/// SMSTurbo only for it.
pub(super) fn link_words(company: &str, list_id: Option<&str>) -> String {
    match list_id {
        Some(id) => format!("linked to QuickBooks ListID {id} in {company}"),
        None => format!(
            "kept in SMSTurbo only for {company}: not offered for export there (custsync link \
             or sync --export-anyway changes that)"
        ),
    }
}

/// A link or unlink refused: nothing was changed.
fn explain_link(e: &relink::LinkError) -> Explanation {
    Explanation::new(
        "Nothing was changed",
        e.to_string(),
        "Choose another way out for the row, or leave it as it is: custsync does nothing with \
         it by itself.",
    )
}

pub(super) fn stale_plan(id: super::view::RowId) -> Explanation {
    Explanation::new(
        "The comparison is out of date",
        format!(
            "A checked row (id {}) is not in the current comparison.",
            id.0
        ),
        "Leave the Synchronize screen and synchronize again.",
    )
}

pub(super) fn explain_connect(e: &ConnectError) -> Explanation {
    Explanation::new(
        match e {
            ConnectError::NoCompanyFile => "No company file",
            ConnectError::Missing(_) => "Company file not found",
            ConnectError::WebConnector(_) => "The Web Connector service could not start",
        },
        e.to_string(),
        match e {
            ConnectError::WebConnector(_) => {
                "Check the listen address and TLS files in SetUp, then synchronize again."
            }
            _ => "Fill in File Info (F4 looks it up), then synchronize again.",
        },
    )
}

fn explain_sandbox(e: &SandboxError) -> Explanation {
    Explanation::new(
        "The sandbox company could not be used",
        e.to_string(),
        "Check File Info in SetUp, then try again.",
    )
}

/// Store failures outside a synchronization: the store's own message says what to do.
pub(super) fn explain_store(e: &StoreError) -> Explanation {
    Explanation::new(
        "The SMSTurbo database refused",
        e.to_string(),
        "Nothing was changed. Do what the message says, then try again.",
    )
}

fn explain_config(e: &crate::config::ConfigError) -> Explanation {
    Explanation::new(
        "The setup could not be saved",
        e.to_string(),
        "The previous setup is unchanged. Fix what the message says, then save again.",
    )
}

/// How custsync is let in, for the home screen's status line (shorter than the dialog's words).
pub(super) fn access_words(grant: &Grant) -> String {
    match grant {
        Grant::None => "not authorized yet".into(),
        Grant::Denied => "refused".into(),
        Grant::PromptEachTime => "prompt each time".into(),
        Grant::WhenOpen => "whenever the file is open".into(),
        Grant::Always { login_user } => format!("always, as {login_user}"),
    }
}

/// Where the Web Connector is told to call, as the `.qwc` names it: loopback is `localhost`
/// (the Web Connector refuses IP addresses).
pub fn service_url(wc: &crate::config::WebConnectorConfig) -> String {
    let scheme = if wc.tls_cert.is_some() {
        "https"
    } else {
        "http"
    };
    let (host, port) = match wc.listen.trim().parse::<std::net::SocketAddr>() {
        Ok(a) if a.ip().is_loopback() => ("localhost".to_string(), a.port()),
        Ok(a) => (a.ip().to_string(), a.port()),
        Err(_) => return format!("{scheme}://{}{}", wc.listen, wc.path),
    };
    format!("{scheme}://{host}:{port}{}", wc.path)
}

/// A customer the store refused, next to the field at fault.
pub(super) fn customer_field_error(e: &CustomerError) -> FieldError {
    let field = e.column().map_or("name", |c| c.key()).to_string();
    let message = match e {
        CustomerError::MissingCode => {
            "a code is required (it is the QuickBooks account number)".into()
        }
        CustomerError::MissingName { .. } => "a name is required".into(),
        CustomerError::BadAmount { cause, .. } => cause.to_string(),
        CustomerError::BadValue { reason, .. } => reason.clone(),
        CustomerError::ControlCharacter { .. } => {
            "it contains a control character (a line break or tab): remove it".into()
        }
    };
    FieldError { field, message }
}

/// The sync core's progress as the screens show it; `cancel` is looked at between batches.
struct Sink<'a> {
    progress: &'a mut dyn FnMut(ProgressUpdate),
    cancel: Option<&'a CancelFlag>,
}

impl sync::Progress for Sink<'_> {
    fn update(&mut self, phase: Phase, done: u64, total: u64) {
        (self.progress)(ProgressUpdate {
            phase: phase.label().to_string(),
            done,
            total,
            note: None,
        });
    }

    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.cancelled())
    }
}

/// What the recovery of earlier runs did, when it did anything.
fn recovery_notice(r: &sync::RecoveryReport) -> Option<String> {
    if r.batches == 0 {
        return None;
    }
    let mut parts = Vec::new();
    if r.added > 0 {
        parts.push(format!(
            "{} found in QuickBooks and linked",
            plural(r.added, "customer", "customers")
        ));
    }
    if r.failed > 0 {
        parts.push(format!(
            "{} refused by QuickBooks",
            plural(r.failed, "customer", "customers")
        ));
    }
    if r.not_applied > 0 {
        parts.push(format!(
            "{} never reached QuickBooks and {} offered again",
            plural(r.not_applied, "customer", "customers"),
            if r.not_applied == 1 { "is" } else { "are" }
        ));
    }
    Some(format!(
        "An earlier synchronization was interrupted; custsync settled it first ({}): {}. \
         Nothing was added twice.",
        plural(r.batches, "batch", "batches"),
        if parts.is_empty() {
            "nothing was left to do".to_string()
        } else {
            parts.join(", ")
        }
    ))
}

pub(super) fn run_report(r: &sync::RunReport) -> RunReport {
    let mut counts = vec![
        ("Added to QuickBooks".to_string(), r.added as u64),
        ("Imported into SMSTurbo".to_string(), r.imported as u64),
        ("Updated in SMSTurbo".to_string(), r.updated as u64),
    ];
    if r.linked > 0 {
        counts.push(("Linked".to_string(), r.linked as u64));
    }
    // "No failures." says the rest.
    if !r.failures.is_empty() {
        counts.push(("Failed".to_string(), r.failures.len() as u64));
    }
    let failures = r
        .failures
        .iter()
        .map(|f| {
            let line = f.one_line();
            // The catalog names the customer first; the dialog puts the name in front itself.
            let message = line
                .strip_prefix(&format!("{}: ", f.name))
                .map(str::to_string)
                .unwrap_or(line);
            Failure {
                customer: f.name.clone(),
                message,
            }
        })
        .collect();
    let mut notes = Vec::new();
    for t in &r.types_added {
        notes.push(format!("Added to QuickBooks' lists: {t}"));
    }
    if r.not_sent > 0 {
        notes.push(format!(
            "{} not sent because you stopped the run: synchronize again to send {}.",
            plural(r.not_sent, "customer was", "customers were"),
            if r.not_sent == 1 { "it" } else { "them" }
        ));
    }
    if r.in_doubt > 0 {
        notes.push(format!(
            "The outcome for {} is unknown (QuickBooks did not answer): synchronize again — \
             custsync asks QuickBooks first, so nothing is added twice.",
            plural(r.in_doubt, "customer", "customers")
        ));
    }
    RunReport {
        counts,
        failures,
        notes,
        cancelled: r.cancelled,
    }
}

impl Backend for RealBackend {
    /// By name as people read them (Łódź beside Lodz, "Repair 2" before "Repair 10"), which
    /// SQLite's own collation cannot do.
    fn load_customers(&mut self) -> Result<CustomerList, Explanation> {
        let mut customers = self.store.customers().map_err(|e| explain_store(&e))?;
        customers.sort_by(|a, b| {
            crate::text::natural_cmp(a.name(), b.name())
                .then_with(|| crate::text::natural_cmp(a.code(), b.code()))
        });
        let linked = self.store.linked_codes().map_err(|e| explain_store(&e))?;
        Ok(CustomerList { customers, linked })
    }

    fn load_customer(&mut self, code: &str) -> Result<Customer, Explanation> {
        match self.store.customer(code) {
            Ok(Some(c)) => Ok(c),
            Ok(None) => Err(explain_store(&StoreError::UnknownCustomer {
                code: code.to_string(),
            })),
            Err(e) => Err(explain_store(&e)),
        }
    }

    fn set_qb_spellings(
        &mut self,
        code: &str,
        spellings: &[(crate::qbxml::Field, String)],
    ) -> Result<Customer, Explanation> {
        self.store
            .set_qb_spellings(code, spellings)
            .map(|r| r.customer)
            .map_err(|e| explain_store(&e))
    }

    fn save_customer(
        &mut self,
        original_code: Option<&str>,
        customer: &Customer,
    ) -> Result<Customer, SaveError> {
        let saved = match original_code {
            None => self.store.create_customer(customer),
            Some(code) => self.store.update_customer(code, customer),
        };
        match saved {
            Ok(record) => Ok(record.customer),
            Err(StoreError::Customer(e)) => Err(SaveError::Invalid(vec![customer_field_error(&e)])),
            Err(e @ StoreError::DuplicateCode { .. }) => {
                Err(SaveError::Invalid(vec![FieldError::new(
                    "code",
                    e.to_string(),
                )]))
            }
            Err(e) => Err(SaveError::Failed(explain_store(&e))),
        }
    }

    fn customer_links(&mut self, code: &str) -> Result<Vec<String>, Explanation> {
        let explain = |e: StoreError| explain_store(&e);
        let links = self.store.links_of(code).map_err(explain)?;
        let kept = self.store.local_only_of(code).map_err(explain)?;
        Ok(links
            .iter()
            .map(|l| link_words(&l.company, Some(&l.list_id)))
            .chain(kept.iter().map(|company| link_words(company, None)))
            .collect())
    }

    fn delete_customer(&mut self, code: &str) -> Result<(), Explanation> {
        self.store
            .delete_customer(code)
            .map_err(|e| explain_store(&e))
    }

    fn save_config(&mut self, config: &Config) -> Result<Config, SaveError> {
        let mut problems = config.validate();
        problems.extend(config.check_files());
        let mut errors: Vec<FieldError> = problems
            .into_iter()
            .map(|p| FieldError::new(p.key.as_str(), p.message))
            .collect();
        // A real QuickBooks file (or anything else) given to the sandbox: say so at once, not
        // at the next Synchronize.
        let file = config.company_file.trim();
        if errors.is_empty()
            && config.connection.kind == ConnectionKind::Sandbox
            && !file.is_empty()
            && let Err(e) = CompanyFile::open(Path::new(file))
        {
            errors.push(FieldError::new("company_file", e.to_string()));
        }
        if !errors.is_empty() {
            return Err(SaveError::Invalid(errors));
        }
        if self.broken_config {
            let path = self.workspace.config_path();
            let kept = path.with_extension("toml.broken");
            std::fs::copy(&path, &kept).map_err(|e| {
                SaveError::Failed(Explanation::new(
                    "The setup was not saved",
                    format!(
                        "custsync keeps the old, broken config.toml as {} before replacing it, \
                         and that copy could not be made ({e}).",
                        kept.display()
                    ),
                    "Check that the workspace folder is writable, or fix config.toml by hand.",
                ))
            })?;
            self.broken_config = false;
        }
        self.workspace
            .save_config(config)
            .map_err(|e| SaveError::Failed(explain_config(&e)))?;
        self.config = config.clone();
        Ok(config.clone())
    }

    fn connect(
        &mut self,
        prompt: &mut dyn AccessPrompt,
        waiting: &mut dyn FnMut(WebConnectorWait),
        cancel: &CancelFlag,
    ) -> Result<CompanyInfo, Explanation> {
        self.engine = None;
        let engine = match self.config.connection.kind {
            ConnectionKind::Sandbox => self.connect_sandbox(prompt)?,
            ConnectionKind::WebConnector => self.connect_web_connector(waiting, cancel)?,
        };
        let mut engine = engine;
        // What the pickers offer until the next connection; a list QuickBooks will not give
        // leaves the last one known (typing stays possible).
        if let Ok(names) = engine.list_names() {
            let _ = self
                .store
                .set_qb_list_names(self.company_path().to_string_lossy().as_ref(), &names);
        }
        let info = engine.company().clone();
        self.engine = Some(Engine::Connected(Box::new(engine)));
        Ok(info)
    }

    fn disconnect(&mut self) {
        // Dropping the engine ends the QuickBooks session.
        self.engine = None;
    }

    fn plan(
        &mut self,
        missing_only: bool,
        read_all: bool,
        progress: &mut dyn FnMut(ProgressUpdate),
    ) -> Result<SyncView, Explanation> {
        let mode = if missing_only {
            Mode::MissingOnly
        } else {
            Mode::NotExactMatch
        };
        let mut sink = Sink {
            progress,
            cancel: None,
        };
        // Planning again reads both sides again, on the same session.
        let engine = match self.engine.take().ok_or_else(not_connected)? {
            Engine::Connected(e) => *e,
            Engine::Planned(p) => (*p).unload(),
        };
        let request = if read_all {
            ReadRequest::All
        } else {
            ReadRequest::Changes
        };
        let planned = engine
            .load_with(&mut self.store, request, &mut sink)
            .and_then(|loaded| loaded.plan(mode, &mut sink));
        let planned = match planned {
            Ok(p) => p,
            Err(e) => return Err(self.explain_sync(&e)),
        };
        let mut view = plan_view::sync_view(
            planned.plan(),
            planned.snapshot(),
            &planned.company().name,
            planned.config(),
        );
        let read = planned.read_summary();
        view.read = read.to_string();
        if let sync::ReadKind::Full(reason) = &read.kind
            && reason.is_unexpected()
        {
            view.notices.push(format!(
                "custsync read every QuickBooks customer: {reason}. Later synchronizations read \
                 only what changed again."
            ));
        }
        let recovered = recovery_notice(planned.recovery());
        view.notices.extend(recovered);
        view.notices.append(&mut self.warnings);
        self.engine = Some(Engine::Planned(Box::new(planned)));
        Ok(view)
    }

    fn resolve(
        &mut self,
        row: RowId,
        how: &Resolution,
        progress: &mut dyn FnMut(ProgressUpdate),
    ) -> Result<(String, SyncView), Explanation> {
        let Some(Engine::Planned(planned)) = self.engine.take() else {
            return Err(not_connected());
        };
        let missing_only = planned.plan().mode == Mode::MissingOnly;
        let code = plan_view::resolved_code(planned.plan(), planned.snapshot(), row, how);
        let company = planned.company().clone();
        let mut engine = (*planned).unload();
        let done = match (code, how) {
            (None, _) => Err(stale_plan(row)),
            (Some(code), Resolution::LinkTo(list_id) | Resolution::LinkPair { list_id, .. }) => {
                engine
                    .link_customer(&mut self.store, &code, list_id)
                    .map(|l| {
                        format!(
                            "Linked {} to QuickBooks' '{}'{}.",
                            l.code,
                            l.name,
                            l.run
                                .map_or_else(String::new, |r| format!(" (run {r} in History)"))
                        )
                    })
                    .map_err(|e| explain_link(&e))
            }
            (Some(code), Resolution::KeepLocal | Resolution::OfferAgain) => {
                let keep = *how == Resolution::KeepLocal;
                relink::unlink(&mut self.store, Some(&company), &code, keep)
                    .map(|u| {
                        if keep {
                            format!(
                                "{} is unlinked and kept in SMSTurbo only: it is not offered \
                                 for export to this company again (run {} in History).",
                                u.code, u.run
                            )
                        } else {
                            format!(
                                "{} is offered for export to this company again (run {} in \
                                 History).",
                                u.code, u.run
                            )
                        }
                    })
                    .map_err(|e| explain_link(&e))
            }
        };
        // Compare again either way: the panes must be the back end's plan.
        self.engine = Some(Engine::Connected(Box::new(engine)));
        // Only the links changed: what QuickBooks changed meanwhile is enough to read.
        let view = self.plan(missing_only, false, progress)?;
        done.map(|message| (message, view))
    }

    fn preview(&mut self, selection: &CheckedRows) -> Result<RunPreview, Explanation> {
        let planned = self.planned()?;
        plan_view::preview(planned.plan(), planned.snapshot(), &selection.rows).map_err(stale_plan)
    }

    fn run(
        &mut self,
        selection: &CheckedRows,
        progress: &mut dyn FnMut(ProgressUpdate),
        cancel: &CancelFlag,
    ) -> Result<RunReport, Explanation> {
        // A run ends the synchronization: the session closes when it is done (over the Web
        // Connector, that is what lets QuickBooks' side finish at 100 %).
        let Some(Engine::Planned(planned)) = self.engine.take() else {
            return Err(not_connected());
        };
        let chosen = plan_view::selection(planned.plan(), planned.snapshot(), &selection.rows)
            .map_err(stale_plan)?;
        let options = ApplyOptions {
            add_missing_types: selection.add_missing_list_entries,
        };
        let mut sink = Sink {
            progress,
            cancel: Some(cancel),
        };
        match planned.apply(&mut self.store, &chosen, &options, &mut sink) {
            Ok(r) => Ok(run_report(&r)),
            Err(e) => Err(self.explain_sync(&e)),
        }
    }

    /// Runs and deleted customers, newest first.
    fn history(&mut self) -> Result<Vec<HistoryEntry>, Explanation> {
        let runs = self
            .store
            .runs(HISTORY_RUNS)
            .map_err(|e| explain_store(&e))?;
        let deletions = self
            .store
            .deletions(HISTORY_RUNS)
            .map_err(|e| explain_store(&e))?;
        let mut dated: Vec<(chrono::DateTime<chrono::Utc>, HistoryEntry)> = runs
            .iter()
            .map(|r| (r.started_at, self.history_entry(r)))
            .chain(deletions.iter().map(|d| (d.deleted_at, deletion_entry(d))))
            .collect();
        dated.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        Ok(dated.into_iter().map(|(_, e)| e).collect())
    }

    fn qb_list_names(&mut self) -> Result<QbListNames, Explanation> {
        self.store
            .qb_list_names(self.company_path().to_string_lossy().as_ref())
            .map_err(|e| explain_store(&e))
    }

    fn run_entries(&mut self, run: RunId) -> Result<Vec<String>, Explanation> {
        let entries = self.store.run_entries(run).map_err(|e| explain_store(&e))?;
        Ok(entries.iter().map(|e| e.describe()).collect())
    }

    fn undo(&mut self, what: HistoryId) -> Result<String, Explanation> {
        let id = match what {
            HistoryId::Run(id) => id,
            HistoryId::Deletion(id) => {
                let r = self
                    .store
                    .restore_customer(id, &os_user())
                    .map_err(|e| explain_store(&e))?;
                let mut message = format!(
                    "Restored {} ({}) as it was, with {}.",
                    r.customer.name(),
                    r.customer.code(),
                    plural(r.relinked, "link to QuickBooks", "links to QuickBooks")
                );
                for why in &r.not_relinked {
                    message.push_str(&format!(" Not relinked in {why}."));
                }
                return Ok(message);
            }
        };
        let r = self
            .store
            .undo_run(id, &os_user())
            .map_err(|e| explain_store(&e))?;
        let mut message = format!(
            "Undid run {id}: removed {}, restored {}.",
            plural(r.removed.len(), "imported customer", "imported customers"),
            plural(r.restored.len(), "value", "values")
        );
        for line in &r.links {
            message.push_str(&format!(" {line}."));
        }
        if !r.kept.is_empty() {
            message.push_str(&format!(
                " Kept {} changed since (History shows which).",
                plural(r.kept.len(), "change", "changes")
            ));
        }
        Ok(message)
    }

    fn write_qwc(&mut self) -> Result<PathBuf, Explanation> {
        let wc = &self.config.connection.web_connector;
        let refused = |what: String| {
            Explanation::new(
                "The .qwc file was not written",
                what,
                format!(
                    "Write it from the command line with the address the QuickBooks computer \
                     reaches custsync at: custsync qwc --url https://HOST:{}{}",
                    wc.listen.rsplit(':').next().unwrap_or("8089"),
                    wc.path
                ),
            )
        };
        let url = service_url(wc);
        if !url.contains("://localhost") {
            return Err(refused(format!(
                "custsync listens on {}, and the Web Connector needs a host name for it, which \
                 custsync cannot know.",
                wc.listen
            )));
        }
        let url = AppUrl::parse(&url).map_err(|e| refused(e.to_string()))?;
        let dir = self.workspace.dir();
        let ids = QwcIds::load_or_create(dir).map_err(|e| refused(e.to_string()))?;
        let spec =
            QwcSpec::new(url, &wc.user_name, ids, None).map_err(|e| refused(e.to_string()))?;
        let path = dir.join("custsync.qwc");
        std::fs::write(&path, spec.to_xml())
            .map_err(|e| refused(format!("{} could not be written ({e}).", path.display())))?;
        Ok(path)
    }

    fn apply_fix(&mut self, fix: SandboxFix) -> Result<String, Explanation> {
        let file = self.sandbox_file()?;
        let failed = |e: SandboxError| explain_sandbox(&e);
        match fix {
            SandboxFix::AllowAutoLogin => {
                let mut prefs = file.app_prefs(APP_NAME).map_err(failed)?;
                prefs.auto_login = true;
                file.set_app_prefs(&prefs).map_err(failed)?;
                Ok(
                    "The sandbox QuickBooks now allows custsync to log in automatically (as if \
                    checked in Integrated Applications → custsync → Properties)."
                        .into(),
                )
            }
            SandboxFix::SetOpenInQuickBooks(open) => {
                file.set_open_in_quickbooks(open).map_err(failed)?;
                Ok(if open {
                    "The sandbox QuickBooks now has the company file open.".into()
                } else {
                    "The sandbox QuickBooks has closed the company file.".into()
                })
            }
            SandboxFix::ForgetAccess => {
                let mut prefs = file.app_prefs(APP_NAME).map_err(failed)?;
                prefs.grant = Grant::None;
                prefs.auto_login = false;
                file.set_app_prefs(&prefs).map_err(failed)?;
                Ok(
                    "custsync was removed from the sandbox's Integrated Applications: the next \
                    Synchronize shows the Application Certificate question again."
                        .into(),
                )
            }
        }
    }

    fn set_web_connector_password(&mut self, password: &str) -> Result<(), SaveError> {
        use crate::qb::webconnector::{PasswordError, StoredPassword};
        let refused = |e: PasswordError| match e {
            PasswordError::Empty
            | PasswordError::TooShort
            | PasswordError::TooLong
            | PasswordError::ControlCharacters => SaveError::Invalid(vec![FieldError::new(
                "connection.web_connector.password",
                e.to_string(),
            )]),
            other => SaveError::Failed(Explanation::new(
                "The password was not saved",
                other.to_string(),
                "The previous password is unchanged. Fix what the message says, then save again.",
            )),
        };
        StoredPassword::hash(password)
            .and_then(|p| p.save(self.workspace.dir()))
            .map(|_| ())
            .map_err(refused)
    }

    fn sandbox_status(&mut self) -> Result<Option<SandboxStatus>, Explanation> {
        // A missing or foreign file is explained when synchronizing; here it just shows nothing.
        let Ok(file) = self.sandbox_file() else {
            return Ok(None);
        };
        let (Ok(open), Ok(prefs)) = (file.is_open_in_quickbooks(), file.app_prefs(APP_NAME)) else {
            return Ok(None);
        };
        Ok(Some(SandboxStatus {
            open_in_quickbooks: open,
            access: access_words(&prefs.grant),
            auto_login: prefs.auto_login,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qb::explain::{NameOwner, StatusContext, explain_status};
    use crate::qbxml::NameList;

    #[test]
    fn a_failure_names_the_customer_once() {
        let ctx = StatusContext {
            customer: Some("ACME Supply"),
            name: Some("ACME Supply"),
            owner: Some(NameOwner::Other(NameList::Vendor)),
            ..StatusContext::default()
        };
        let report = sync::RunReport {
            added: 2,
            failures: vec![sync::Failure {
                code: "C1".into(),
                name: "ACME Supply".into(),
                explanation: explain_status(3100, &ctx),
            }],
            not_sent: 3,
            ..Default::default()
        };
        let v = run_report(&report);
        assert_eq!(v.failures[0].customer, "ACME Supply");
        assert_eq!(
            format!("{}: {}", v.failures[0].customer, v.failures[0].message),
            report.failures[0].one_line()
        );
        assert!(v.counts.contains(&("Added to QuickBooks".into(), 2)));
        assert!(v.counts.contains(&("Failed".into(), 1)));
        assert!(
            v.notes[0].starts_with("3 customers were not sent"),
            "{:?}",
            v.notes
        );
    }

    #[test]
    fn undo_names_only_what_there_is_in_plain_numbers() {
        assert_eq!(
            undo_would(8, 0),
            "Undo removes the 8 imported customers, unless they were changed since."
        );
        assert_eq!(
            undo_would(1, 1),
            "Undo removes the 1 imported customer and restores the values of the 1 updated \
             customer, unless they were changed since."
        );
        assert!(!undo_would(0, 2).contains("0 "));
    }

    #[test]
    fn recovery_is_told_only_when_it_did_something() {
        assert_eq!(recovery_notice(&sync::RecoveryReport::default()), None);
        let r = sync::RecoveryReport {
            batches: 1,
            added: 2,
            not_applied: 1,
            ..Default::default()
        };
        let text = recovery_notice(&r).unwrap();
        assert!(
            text.contains("2 customers found in QuickBooks and linked"),
            "{text}"
        );
        assert!(
            text.contains("1 customer never reached QuickBooks and is offered again"),
            "{text}"
        );
    }

    #[test]
    fn the_web_connector_is_told_localhost_for_loopback() {
        let mut wc = crate::config::WebConnectorConfig::default();
        assert_eq!(service_url(&wc), "http://localhost:8089/qbwc");
        wc.listen = "0.0.0.0:9443".into();
        wc.tls_cert = Some("c.pem".into());
        assert_eq!(service_url(&wc), "https://0.0.0.0:9443/qbwc");
    }

    #[test]
    fn a_broken_setup_is_kept_aside_before_the_first_save_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), "file_pattern = 3\n").unwrap();
        let ws = Workspace::open(Some(dir.path())).unwrap();
        assert!(ws.load_config().is_err());
        let mut b = RealBackend::new(ws, Config::default(), None).unwrap();
        b.keep_broken_config_on_save();
        let saved = b.save_config(&Config::default());
        assert!(saved.is_ok(), "{saved:?}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("config.toml.broken")).unwrap(),
            "file_pattern = 3\n"
        );
        let reread = Config::load(&dir.path().join("config.toml")).unwrap();
        assert_eq!(reread, Config::default());
    }

    #[test]
    fn an_invalid_setup_is_refused_field_by_field_and_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::open(Some(dir.path())).unwrap();
        let mut b = RealBackend::new(ws, Config::default(), None).unwrap();
        let mut c = Config {
            file_pattern: " ".into(),
            ..Config::default()
        };
        c.sync.batch_size = 0;
        let Err(SaveError::Invalid(errors)) = b.save_config(&c) else {
            panic!("accepted");
        };
        let keys: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(keys, ["file_pattern", "sync.batch_size"]);
        assert!(!dir.path().join("config.toml").exists());
    }
}
