//! The I/O worker: one thread that runs every database, QuickBooks and file-system operation the
//! screens ask for, so the draw path never waits on I/O.
//!
//! The app sends [`Command`]s; the worker answers each with exactly one final [`Event`] (success
//! or [`Event::Failed`]), possibly preceded by intermediate events (progress, questions). What
//! the work *is* lives behind [`Backend`]: [`super::backend::RealBackend`] implements it over the
//! store and the sync core; `super::fake::FakeBackend` (test support only) in memory for tests
//! and development.

use std::fmt;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::config::Config;
use crate::qb::access::{AccessPrompt, CertificateAnswer, CertificateRequest};
use crate::qbxml::Field;
use crate::store::Customer;
use crate::store::list_names::QbListNames;

use super::listing;
use super::view::{
    CheckedRows, CompanyInfo, CustomerList, DirListing, Explanation, HistoryEntry, HistoryId,
    ProgressUpdate, Resolution, RowId, RunId, RunPreview, RunReport, SandboxFix, SandboxStatus,
    SyncView, WebConnectorWait,
};

/// What the app asks the worker to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    LoadCustomers,
    /// One customer, to edit it from elsewhere than the list (answers
    /// [`Event::CustomerLoaded`]).
    LoadCustomer {
        code: String,
    },
    /// Give a customer QuickBooks spellings, keeping its SMSTurbo values (answers
    /// [`Event::SpellingsSet`]).
    SetQbSpellings {
        code: String,
        spellings: Vec<(Field, String)>,
    },
    /// Save a new customer (`original_code` None) or replace the one that had `original_code`.
    SaveCustomer {
        original_code: Option<String>,
        customer: Box<Customer>,
    },
    DeleteCustomer {
        code: String,
    },
    /// What links customer `code` has to QuickBooks, in words (answers
    /// [`Event::CustomerLinks`]).
    LoadCustomerLinks {
        code: String,
    },
    SaveConfig(Box<Config>),
    /// List `dir` for the file picker: folders and files matching `pattern`.
    ListDir {
        dir: PathBuf,
        pattern: String,
    },
    /// Open the connection and read the company (answers [`Event::Connected`]). Over the Web
    /// Connector it first says [`Event::WaitingForWebConnector`]; `CancelRun` stops the wait.
    Connect,
    /// Close the connection, if open (answers [`Event::Disconnected`]).
    Disconnect,
    /// Read both sides and compare them (answers [`Event::PlanReady`]): only what changed in
    /// QuickBooks since the last synchronization, or every customer with `read_all`.
    Plan {
        missing_only: bool,
        read_all: bool,
    },
    /// Say what running `selection` would do (answers [`Event::Preview`]).
    Preview(CheckedRows),
    /// Do what the operator chose for a row QuickBooks changed underneath (link it to a
    /// candidate, keep it local only, offer it again), then compare again (answers
    /// [`Event::Resolved`]).
    Resolve {
        row: RowId,
        how: Resolution,
    },
    /// Synchronize `selection` (answers [`Event::Progress`]… then [`Event::RunFinished`]).
    Run(CheckedRows),
    /// Stop the current run between batches, or stop waiting for the Web Connector. Handled by
    /// the [`Worker`] handle at once, not queued behind the work. No answer.
    CancelRun,
    LoadHistory,
    /// Undo a run's local changes, or restore a deleted customer.
    Undo(HistoryId),
    /// What a run did, customer by customer (answers [`Event::RunEntries`]).
    LoadRunEntries(RunId),
    /// The names in QuickBooks' customer type, job type and terms lists, as last read for the
    /// company in the setup (answers [`Event::QbLists`]).
    LoadQbLists,
    /// Write the Web Connector's `.qwc` file for the saved setup.
    WriteQwc,
    /// Change the sandbox company as a QuickBooks user would (answers [`Event::FixApplied`]).
    ApplyFix(SandboxFix),
    /// Read the sandbox company's Integrated Applications state (answers
    /// [`Event::SandboxStatus`]).
    LoadSandboxStatus,
    /// Set the password the Web Connector must give (answers [`Event::PasswordSet`] or a
    /// refusal next to the field).
    SetWebConnectorPassword(Secret),
}

/// A password on its way to be hashed: never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Which command an answer belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    LoadCustomers,
    LoadCustomer,
    SetSpellings,
    SaveCustomer,
    DeleteCustomer,
    CustomerLinks,
    SaveConfig,
    ListDir,
    Connect,
    Disconnect,
    Plan,
    Preview,
    Resolve,
    Run,
    History,
    RunEntries,
    QbLists,
    Undo,
    WriteQwc,
    ApplyFix,
    SandboxStatus,
    SetPassword,
}

impl Command {
    /// The task this command starts, or `None` for commands that get no answer.
    pub fn task(&self) -> Option<Task> {
        Some(match self {
            Command::LoadCustomers => Task::LoadCustomers,
            Command::LoadCustomer { .. } => Task::LoadCustomer,
            Command::SetQbSpellings { .. } => Task::SetSpellings,
            Command::SaveCustomer { .. } => Task::SaveCustomer,
            Command::DeleteCustomer { .. } => Task::DeleteCustomer,
            Command::LoadCustomerLinks { .. } => Task::CustomerLinks,
            Command::SaveConfig(_) => Task::SaveConfig,
            Command::ListDir { .. } => Task::ListDir,
            Command::Connect => Task::Connect,
            Command::Disconnect => Task::Disconnect,
            Command::Plan { .. } => Task::Plan,
            Command::Preview(_) => Task::Preview,
            Command::Resolve { .. } => Task::Resolve,
            Command::Run(_) => Task::Run,
            Command::LoadHistory => Task::History,
            Command::Undo(_) => Task::Undo,
            Command::LoadRunEntries(_) => Task::RunEntries,
            Command::LoadQbLists => Task::QbLists,
            Command::WriteQwc => Task::WriteQwc,
            Command::ApplyFix(_) => Task::ApplyFix,
            Command::LoadSandboxStatus => Task::SandboxStatus,
            Command::SetWebConnectorPassword(_) => Task::SetPassword,
            Command::CancelRun => return None,
        })
    }
}

/// A value refused because of one field, shown next to that field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field's key: a [`crate::qbxml::Field`] key (`name`, `code`…), `qb_name` or `status`
    /// for customers; the config.toml path (`company_file`, `connection.web_connector.listen`,
    /// `export.statuses`…) for the setup.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Why a save did not happen. Either way nothing was saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    /// Values refused; each message goes next to its field.
    Invalid(Vec<FieldError>),
    /// The save itself failed (database locked, disk full…).
    Failed(Explanation),
}

impl From<Explanation> for SaveError {
    fn from(e: Explanation) -> Self {
        SaveError::Failed(e)
    }
}

/// The answer channel of a question the worker is blocked on. Dropping it unanswered counts as
/// "nobody can answer" (the app quit).
pub struct Reply<T>(Sender<T>);

impl<T> Reply<T> {
    pub fn channel() -> (Reply<T>, Receiver<T>) {
        let (tx, rx) = mpsc::channel();
        (Reply(tx), rx)
    }

    /// Answers; a worker that stopped waiting is not an error.
    pub fn send(self, value: T) {
        let _ = self.0.send(value);
    }
}

impl<T> fmt::Debug for Reply<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Reply")
    }
}

/// What the worker tells the app.
#[derive(Debug)]
pub enum Event {
    CustomersLoaded(CustomerList),
    CustomerLoaded(Box<Customer>),
    /// The customer as saved with its new QuickBooks spellings.
    SpellingsSet(Box<Customer>),
    CustomerSaved(Box<Customer>),
    CustomerDeleted(String),
    /// Customer `code`'s links to QuickBooks companies, one line each ("linked to … in …",
    /// "kept in SMSTurbo only for …"); empty when it has none.
    CustomerLinks {
        code: String,
        lines: Vec<String>,
    },
    ConfigSaved(Box<Config>),
    /// A save refused values; nothing was saved.
    Rejected {
        during: Task,
        errors: Vec<FieldError>,
    },
    DirListed(DirListing),
    /// QuickBooks (the sandbox) asks the first-access question; the worker waits for the reply.
    NeedCertificate(CertificateRequest, Reply<Option<CertificateAnswer>>),
    /// "Prompt each time" access: allow this connection? The worker waits for the reply.
    NeedPermission {
        app_name: String,
        company_file: String,
        reply: Reply<Option<bool>>,
    },
    /// The connection waits for the QuickBooks Web Connector to call; the operator must start
    /// it on the QuickBooks computer (or cancel).
    WaitingForWebConnector(WebConnectorWait),
    Connected(CompanyInfo),
    Disconnected,
    PlanReady(Box<SyncView>),
    Preview(RunPreview),
    /// A row's way out was taken: what was done, and the panes compared again.
    Resolved {
        message: String,
        view: Box<SyncView>,
    },
    Progress(ProgressUpdate),
    RunFinished(RunReport),
    HistoryLoaded(Vec<HistoryEntry>),
    RunEntries {
        run: RunId,
        lines: Vec<String>,
    },
    QbLists(QbListNames),
    Undone {
        what: HistoryId,
        message: String,
    },
    QwcWritten(PathBuf),
    FixApplied {
        fix: SandboxFix,
        message: String,
    },
    /// `None`: the setup does not name a sandbox company.
    SandboxStatus(Option<SandboxStatus>),
    /// The Web Connector password was hashed and saved.
    PasswordSet,
    Failed {
        during: Task,
        explanation: Explanation,
    },
}

impl Event {
    /// The task this event finishes, if it is a final answer.
    pub fn finishes(&self) -> Option<Task> {
        Some(match self {
            Event::CustomersLoaded(_) => Task::LoadCustomers,
            Event::CustomerLoaded(_) => Task::LoadCustomer,
            Event::SpellingsSet(_) => Task::SetSpellings,
            Event::CustomerSaved(_) => Task::SaveCustomer,
            Event::CustomerDeleted(_) => Task::DeleteCustomer,
            Event::CustomerLinks { .. } => Task::CustomerLinks,
            Event::ConfigSaved(_) => Task::SaveConfig,
            Event::Rejected { during, .. } | Event::Failed { during, .. } => *during,
            Event::DirListed(_) => Task::ListDir,
            Event::Connected(_) => Task::Connect,
            Event::Disconnected => Task::Disconnect,
            Event::PlanReady(_) => Task::Plan,
            Event::Preview(_) => Task::Preview,
            Event::Resolved { .. } => Task::Resolve,
            Event::RunFinished(_) => Task::Run,
            Event::HistoryLoaded(_) => Task::History,
            Event::Undone { .. } => Task::Undo,
            Event::RunEntries { .. } => Task::RunEntries,
            Event::QbLists(_) => Task::QbLists,
            Event::QwcWritten(_) => Task::WriteQwc,
            Event::FixApplied { .. } => Task::ApplyFix,
            Event::SandboxStatus(_) => Task::SandboxStatus,
            Event::PasswordSet => Task::SetPassword,
            Event::NeedCertificate(..)
            | Event::NeedPermission { .. }
            | Event::Progress(_)
            | Event::WaitingForWebConnector(_) => {
                return None;
            }
        })
    }
}

/// The operator's "stop": set from the UI thread, looked at by the work between batches, and
/// able to wake a wait that blocks on something else (the Web Connector's first call), so that
/// no wait has to poll it.
#[derive(Default)]
pub struct CancelFlag {
    set: AtomicBool,
    /// What wakes the wait in progress, if one is registered.
    wake: Mutex<Option<Wake>>,
}

type Wake = Box<dyn FnOnce() + Send>;

impl CancelFlag {
    pub fn new() -> CancelFlag {
        CancelFlag::default()
    }

    /// Whether the operator asked the current work to stop.
    pub fn cancelled(&self) -> bool {
        self.set.load(Ordering::SeqCst)
    }

    /// Asks the current work to stop, and wakes the wait registered with
    /// [`CancelFlag::wake_on_cancel`], if any.
    pub fn cancel(&self) {
        self.set.store(true, Ordering::SeqCst);
        if let Some(wake) = self.take_wake() {
            wake();
        }
    }

    /// A new command starts: nothing is cancelled yet.
    fn reset(&self) {
        self.set.store(false, Ordering::SeqCst);
        self.take_wake();
    }

    /// Has `wake` called once the operator cancels (at once if they already have), for as long
    /// as the returned guard lives. The wait that registers it then blocks on its own event
    /// instead of looking at the flag from time to time.
    pub fn wake_on_cancel(&self, wake: impl FnOnce() + Send + 'static) -> WakeOnCancel<'_> {
        let mut slot = self.wake.lock().unwrap_or_else(PoisonError::into_inner);
        // Read under the lock: a `cancel` that set the flag before we looked has already
        // taken (nothing) from the slot; one that sets it after will find `wake` there.
        if self.cancelled() {
            drop(slot);
            wake();
        } else {
            *slot = Some(Box::new(wake));
        }
        WakeOnCancel { flag: self }
    }

    fn take_wake(&self) -> Option<Wake> {
        self.wake
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

/// Keeps a wake-up registered with [`CancelFlag::wake_on_cancel`]; dropping it unregisters it.
pub struct WakeOnCancel<'a> {
    flag: &'a CancelFlag,
}

impl Drop for WakeOnCancel<'_> {
    fn drop(&mut self) {
        self.flag.take_wake();
    }
}

/// The work behind the screens. Every method runs on the worker thread and may block.
///
/// [`super::backend::RealBackend`] implements this over the store (customers, config, journal)
/// and the sync core (connect, plan, preview, run, undo). Errors are [`Explanation`]s: plain
/// words, what happened and what to do next.
pub trait Backend: Send {
    fn load_customers(&mut self) -> Result<CustomerList, Explanation>;

    fn load_customer(&mut self, code: &str) -> Result<Customer, Explanation>;

    /// Gives customer `code` these QuickBooks spellings (the name's is its QuickBooks name);
    /// its SMSTurbo values stay.
    fn set_qb_spellings(
        &mut self,
        code: &str,
        spellings: &[(Field, String)],
    ) -> Result<Customer, Explanation>;

    /// Validates and saves; on error nothing is saved.
    fn save_customer(
        &mut self,
        original_code: Option<&str>,
        customer: &Customer,
    ) -> Result<Customer, SaveError>;

    fn delete_customer(&mut self, code: &str) -> Result<(), Explanation>;

    /// Customer `code`'s links to QuickBooks companies, and the companies it is kept out of,
    /// one line each.
    fn customer_links(&mut self, code: &str) -> Result<Vec<String>, Explanation>;

    /// Validates (e.g. that paths are readable) and writes config.toml; on error nothing is
    /// written.
    fn save_config(&mut self, config: &Config) -> Result<Config, SaveError>;

    /// Opens the connection the saved setup names and reads the company. QuickBooks' questions
    /// go through `prompt` (the worker turns them into [`Event::NeedCertificate`] /
    /// [`Event::NeedPermission`] and waits for the operator). A connection that must wait for
    /// the Web Connector calls `waiting` first, and gives up once `cancel` says so.
    fn connect(
        &mut self,
        prompt: &mut dyn AccessPrompt,
        waiting: &mut dyn FnMut(WebConnectorWait),
        cancel: &CancelFlag,
    ) -> Result<CompanyInfo, Explanation>;

    fn disconnect(&mut self);

    /// Reads both sides (settling what earlier runs left unfinished first; every QuickBooks
    /// customer with `read_all`, else only what changed when custsync can be sure) and compares
    /// them.
    fn plan(
        &mut self,
        missing_only: bool,
        read_all: bool,
        progress: &mut dyn FnMut(ProgressUpdate),
    ) -> Result<SyncView, Explanation>;

    fn preview(&mut self, selection: &CheckedRows) -> Result<RunPreview, Explanation>;

    /// Does what the operator chose for a stale (or kept) row, journaled, and compares both
    /// sides again in the same mode; the message says what was done.
    fn resolve(
        &mut self,
        row: RowId,
        how: &Resolution,
        progress: &mut dyn FnMut(ProgressUpdate),
    ) -> Result<(String, SyncView), Explanation>;

    /// Runs the selection, reporting progress, and stops between batches once `cancel` says so.
    /// Per-customer failures go in the report; `Err` means the run could not happen at all.
    fn run(
        &mut self,
        selection: &CheckedRows,
        progress: &mut dyn FnMut(ProgressUpdate),
        cancel: &CancelFlag,
    ) -> Result<RunReport, Explanation>;

    fn history(&mut self) -> Result<Vec<HistoryEntry>, Explanation>;

    /// Undoes a run's local changes; the message says what was undone.
    fn undo(&mut self, what: HistoryId) -> Result<String, Explanation>;

    /// QuickBooks' list names for the company in the setup, as last read while connected
    /// (empty lists when never read).
    fn qb_list_names(&mut self) -> Result<QbListNames, Explanation>;

    /// What run `run` did, one line per customer and value (what `custsync runs --show`
    /// prints).
    fn run_entries(&mut self, run: RunId) -> Result<Vec<String>, Explanation>;

    /// Writes the `.qwc` file; returns where.
    fn write_qwc(&mut self) -> Result<PathBuf, Explanation>;

    /// Changes the sandbox company named in the setup; the message says what changed.
    fn apply_fix(&mut self, fix: SandboxFix) -> Result<String, Explanation>;

    /// The sandbox company's Integrated Applications state, or `None` when the setup names no
    /// sandbox company.
    fn sandbox_status(&mut self) -> Result<Option<SandboxStatus>, Explanation>;

    /// Checks the Web Connector password and keeps only its salted hash in the workspace.
    fn set_web_connector_password(&mut self, password: &str) -> Result<(), SaveError>;
}

/// Asks the operator through the app and waits for the answer.
struct AskTheApp<'a, 'e> {
    emit: &'a std::cell::RefCell<&'e mut dyn FnMut(Event)>,
}

impl AccessPrompt for AskTheApp<'_, '_> {
    fn certificate(&mut self, request: &CertificateRequest) -> Option<CertificateAnswer> {
        let (reply, answer) = Reply::channel();
        (self.emit.borrow_mut())(Event::NeedCertificate(request.clone(), reply));
        answer.recv().ok().flatten()
    }

    fn allow_this_time(&mut self, app_name: &str, company_file: &str) -> Option<bool> {
        let (reply, answer) = Reply::channel();
        (self.emit.borrow_mut())(Event::NeedPermission {
            app_name: app_name.to_string(),
            company_file: company_file.to_string(),
            reply,
        });
        answer.recv().ok().flatten()
    }
}

/// Runs one command against `backend`, emitting its events. The worker thread calls this in a
/// loop; it is public so a test can drive a back end without a thread.
pub fn execute(
    backend: &mut dyn Backend,
    command: Command,
    cancel: &CancelFlag,
    emit: &mut dyn FnMut(Event),
) {
    let Some(task) = command.task() else {
        return;
    };
    let failed = |explanation| Event::Failed {
        during: task,
        explanation,
    };
    let saved = |r: Result<Event, SaveError>| match r {
        Ok(ev) => ev,
        Err(SaveError::Invalid(errors)) => Event::Rejected {
            during: task,
            errors,
        },
        Err(SaveError::Failed(e)) => failed(e),
    };
    let event = match command {
        Command::LoadCustomers => backend
            .load_customers()
            .map_or_else(failed, Event::CustomersLoaded),
        Command::LoadCustomer { code } => backend
            .load_customer(&code)
            .map_or_else(failed, |c| Event::CustomerLoaded(Box::new(c))),
        Command::SetQbSpellings { code, spellings } => backend
            .set_qb_spellings(&code, &spellings)
            .map_or_else(failed, |c| Event::SpellingsSet(Box::new(c))),
        Command::SaveCustomer {
            original_code,
            customer,
        } => saved(
            backend
                .save_customer(original_code.as_deref(), &customer)
                .map(|c| Event::CustomerSaved(Box::new(c))),
        ),
        Command::DeleteCustomer { code } => backend
            .delete_customer(&code)
            .map_or_else(failed, |()| Event::CustomerDeleted(code)),
        Command::LoadCustomerLinks { code } => backend
            .customer_links(&code)
            .map_or_else(failed, |lines| Event::CustomerLinks { code, lines }),
        Command::SaveConfig(config) => saved(
            backend
                .save_config(&config)
                .map(|c| Event::ConfigSaved(Box::new(c))),
        ),
        Command::ListDir { dir, pattern } => {
            listing::list_dir(&dir, &pattern).map_or_else(failed, Event::DirListed)
        }
        Command::Connect => {
            cancel.reset();
            // The prompt and the wait notice both talk to the app, one at a time.
            let emit = std::cell::RefCell::new(emit);
            let mut prompt = AskTheApp { emit: &emit };
            let mut waiting = |w| (emit.borrow_mut())(Event::WaitingForWebConnector(w));
            let result = backend.connect(&mut prompt, &mut waiting, cancel);
            let event = result.map_or_else(failed, Event::Connected);
            (emit.into_inner())(event);
            return;
        }
        Command::Disconnect => {
            backend.disconnect();
            Event::Disconnected
        }
        Command::Plan {
            missing_only,
            read_all,
        } => {
            let mut progress = |p| emit(Event::Progress(p));
            let result = backend.plan(missing_only, read_all, &mut progress);
            result.map_or_else(failed, |v| Event::PlanReady(Box::new(v)))
        }
        Command::Preview(selection) => backend
            .preview(&selection)
            .map_or_else(failed, Event::Preview),
        Command::Resolve { row, how } => {
            let mut progress = |p| emit(Event::Progress(p));
            backend
                .resolve(row, &how, &mut progress)
                .map_or_else(failed, |(message, view)| Event::Resolved {
                    message,
                    view: Box::new(view),
                })
        }
        Command::Run(selection) => {
            cancel.reset();
            let mut progress = |p| emit(Event::Progress(p));
            let result = backend.run(&selection, &mut progress, cancel);
            result.map_or_else(failed, Event::RunFinished)
        }
        Command::LoadHistory => backend.history().map_or_else(failed, Event::HistoryLoaded),
        Command::Undo(what) => backend
            .undo(what)
            .map_or_else(failed, |message| Event::Undone { what, message }),
        Command::LoadRunEntries(run) => backend
            .run_entries(run)
            .map_or_else(failed, |lines| Event::RunEntries { run, lines }),
        Command::LoadQbLists => backend.qb_list_names().map_or_else(failed, Event::QbLists),
        Command::WriteQwc => backend.write_qwc().map_or_else(failed, Event::QwcWritten),
        Command::ApplyFix(fix) => backend
            .apply_fix(fix)
            .map_or_else(failed, |message| Event::FixApplied { fix, message }),
        Command::LoadSandboxStatus => backend
            .sandbox_status()
            .map_or_else(failed, Event::SandboxStatus),
        Command::SetWebConnectorPassword(Secret(password)) => saved(
            backend
                .set_web_connector_password(&password)
                .map(|()| Event::PasswordSet),
        ),
        Command::CancelRun => return,
    };
    emit(event);
}

fn internal_error() -> Explanation {
    Explanation::new(
        "Internal error",
        "custsync hit an internal error (a bug) while doing this; nothing more was done.",
        "Quit custsync and start it again. The error is printed when custsync exits; please \
         report it with the steps that led to it.",
    )
}

/// The handle on the worker thread.
pub struct Worker {
    commands: Option<Sender<Command>>,
    cancel: Arc<CancelFlag>,
    thread: Option<JoinHandle<()>>,
    /// Disconnects when the thread ends.
    finished: Receiver<()>,
}

/// How long quitting waits for the worker to finish its batch before leaving it behind (a Web
/// Connector session may wait minutes for a poll; quitting must not).
const SHUTDOWN_WAIT: Duration = Duration::from_secs(3);

impl Worker {
    /// Starts the worker thread. `emit` delivers its events to the app (usually by sending on
    /// the app's channel); the worker stops when `emit` reports the app is gone or the handle
    /// is dropped.
    pub fn spawn<B, E>(mut backend: B, mut emit: E) -> std::io::Result<Worker>
    where
        B: Backend + 'static,
        E: FnMut(Event) + Send + 'static,
    {
        let (tx, rx) = mpsc::channel::<Command>();
        let cancel = Arc::new(CancelFlag::new());
        let flag = Arc::clone(&cancel);
        let (done, finished) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("custsync-worker".into())
            .spawn(move || {
                let _done = done;
                for command in rx {
                    let task = command.task();
                    let ran = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        execute(&mut backend, command, &flag, &mut emit)
                    }));
                    // A bug in one command must not leave the screen waiting forever.
                    if let (Err(_), Some(task)) = (ran, task) {
                        emit(Event::Failed {
                            during: task,
                            explanation: internal_error(),
                        });
                    }
                }
                backend.disconnect();
            })?;
        Ok(Worker {
            commands: Some(tx),
            cancel,
            thread: Some(thread),
            finished,
        })
    }

    /// Queues a command. `CancelRun` takes effect at once.
    pub fn send(&self, command: Command) {
        if command == Command::CancelRun {
            self.cancel.cancel();
            return;
        }
        if let Some(tx) = &self.commands {
            // A worker that died has already reported why; nothing more to do here.
            let _ = tx.send(command);
        }
    }

    /// Asks the worker to stop after the current batch and waits a little for it to finish
    /// (closing the connection); a worker stuck in a long wait is left to end with the process.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.cancel.cancel();
        self.commands = None;
        let Some(thread) = self.thread.take() else {
            return;
        };
        match self.finished.recv_timeout(SHUTDOWN_WAIT) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => {
                let _ = thread.join();
            }
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter() -> (
        Arc<std::sync::atomic::AtomicUsize>,
        impl FnOnce() + Send + 'static,
    ) {
        let n = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let m = Arc::clone(&n);
        (n, move || {
            m.fetch_add(1, Ordering::SeqCst);
        })
    }

    #[test]
    fn cancelling_wakes_the_registered_wait_once_and_only_while_it_is_registered() {
        let flag = CancelFlag::new();
        let (woken, wake) = counter();
        let guard = flag.wake_on_cancel(wake);
        assert_eq!(woken.load(Ordering::SeqCst), 0);
        flag.cancel();
        flag.cancel();
        assert_eq!(woken.load(Ordering::SeqCst), 1);
        drop(guard);

        // A wait that starts after the stop is woken at once.
        let (woken, wake) = counter();
        let _guard = flag.wake_on_cancel(wake);
        assert_eq!(woken.load(Ordering::SeqCst), 1);

        // A wait that ended is not woken by a later stop.
        let flag = CancelFlag::new();
        let (woken, wake) = counter();
        drop(flag.wake_on_cancel(wake));
        flag.cancel();
        assert_eq!(woken.load(Ordering::SeqCst), 0);
        flag.reset();
        assert!(!flag.cancelled());
    }

    #[test]
    fn a_stop_from_another_thread_ends_a_blocking_wait() {
        let flag = Arc::new(CancelFlag::new());
        let (tx, rx) = mpsc::channel::<()>();
        let _guard = flag.wake_on_cancel(move || {
            let _ = tx.send(());
        });
        let stopper = {
            let flag = Arc::clone(&flag);
            std::thread::spawn(move || flag.cancel())
        };
        // Blocks until the stop arrives: no timeout, nothing polled.
        assert_eq!(rx.recv(), Ok(()));
        stopper.join().unwrap();
        assert!(flag.cancelled());
    }
}
