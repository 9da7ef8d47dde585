//! The modal questions and messages of the workflow, built on the dialog widget, plus the modal
//! wrappers for the help overlay and the file picker.

use std::path::PathBuf;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::tui::action::Msg;
use crate::tui::component::{Component, Cx, Intent};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;
use crate::tui::view::{
    CheckedRows, CompanyInfo, Explanation, HistoryEntry, HistoryId, Resolution, RowKey, RowKind,
    RunPreview, RunReport, SyncRow, WayOut, plural,
};
use crate::tui::widgets::dialog::{Button, Dialog, DialogOutcome, Role, Tone};
use crate::tui::widgets::file_picker::{FilePicker, PickerOutcome};
use crate::tui::widgets::help::HelpOverlay;
use crate::tui::worker::{Command, Event, Reply, Task};

/// A dialog whose buttons stand for intents.
pub struct DialogModal {
    dialog: Dialog<Intent>,
    /// The question before quitting.
    quit: bool,
}

impl DialogModal {
    pub fn new(dialog: Dialog<Intent>) -> DialogModal {
        DialogModal {
            dialog,
            quit: false,
        }
    }
}

impl Component for DialogModal {
    fn title(&self) -> String {
        self.dialog.title.clone()
    }

    fn contexts(&self) -> Vec<Context> {
        vec![self.dialog.context()]
    }

    fn confirms_quit(&self) -> bool {
        self.quit
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        match self.dialog.handle(msg, cx.area) {
            DialogOutcome::Ignored => false,
            DialogOutcome::Changed => true,
            DialogOutcome::Pressed(intent) => {
                cx.close_modal();
                cx.intent(intent);
                true
            }
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        self.dialog.render(area, buf, theme);
    }
}

/// A plain-words explanation of a failure: what happened, what to do next. For the sandbox
/// company it also names the `custsync sandbox` command, and offers the change as a button when
/// custsync can make it itself.
pub fn explanation(e: &Explanation) -> DialogModal {
    let mut body = format!(
        "What happened: {}\n\nWhat to do: {}",
        e.what_happened, e.next_step
    );
    if let Some(c) = e.sandbox_command() {
        body.push_str(&format!("\n\nIn the sandbox company: {c}"));
    }
    if let Some(d) = &e.detail {
        body.push_str(&format!("\n\n({d})"));
    }
    let dialog = match e.fix() {
        Some(fix) => Dialog::choice(
            &e.title,
            &body,
            vec![
                (fix.label().into(), Intent::ApplyFix(fix)),
                ("OK".into(), Intent::Dismiss),
            ],
        ),
        None => Dialog::message(&e.title, &body, Intent::Dismiss),
    };
    DialogModal::new(dialog.with_tone(Tone::Error))
}

/// After a change to the sandbox company: what changed, and synchronize again?
pub fn fix_applied(message: &str) -> DialogModal {
    DialogModal::new(Dialog::confirm(
        "Sandbox changed",
        &format!("{message}\n\nSynchronize again now?"),
        Intent::Connect,
        Intent::Dismiss,
    ))
}

/// Something to know before choosing rows (an interrupted run that was settled…).
pub fn notices(lines: &[String]) -> DialogModal {
    DialogModal::new(
        Dialog::message("Before you choose", &lines.join("\n\n"), Intent::Dismiss)
            .with_tone(Tone::Warning),
    )
}

/// The ways out of a row QuickBooks changed underneath, one kept local only, or one that looks
/// like a customer the other side has: what it is, then one button per way out. Nothing
/// happens by itself; the last button leaves the row as it is.
pub fn row_actions(row: &SyncRow) -> DialogModal {
    let likely = row.kind == RowKind::Likely;
    let body = if likely {
        format!(
            "{} {}.\n\nThey may be one customer written differently. custsync never links, \
             adds or imports it by itself. Choose:",
            row.name,
            row.likely.join("; and ")
        )
    } else {
        let why = row.problems.first().map_or("", String::as_str);
        format!(
            "{}: {why}.\n\ncustsync never adds, imports or relinks it by itself. Choose:",
            row.name
        )
    };
    let mut buttons: Vec<(String, Intent)> = row
        .ways_out
        .iter()
        .map(|a| {
            let intent = match a {
                WayOut::LinkTo { list_id, .. } => Intent::Resolve {
                    row: row.id,
                    how: Resolution::LinkTo(list_id.clone()),
                },
                WayOut::LinkPair { code, list_id, .. } => Intent::Resolve {
                    row: row.id,
                    how: Resolution::LinkPair {
                        code: code.clone(),
                        list_id: list_id.clone(),
                    },
                },
                WayOut::AddAgain { risk } | WayOut::AddAnyway { risk } => Intent::AddAgain {
                    row: row.id,
                    risk: risk.clone(),
                },
                WayOut::KeepLocal => Intent::Resolve {
                    row: row.id,
                    how: Resolution::KeepLocal,
                },
                WayOut::OfferAgain => Intent::Resolve {
                    row: row.id,
                    how: Resolution::OfferAgain,
                },
            };
            (a.label(), intent)
        })
        .collect();
    let leave = if likely {
        "Leave it unchecked"
    } else {
        "Cancel"
    };
    buttons.push((leave.into(), Intent::Dismiss));
    let title = match (row.kind, &row.key) {
        (RowKind::KeptLocal, _) => "Kept in SMSTurbo only",
        (RowKind::Likely, RowKey::SmsTurbo(_)) => "Looks like a QuickBooks customer",
        (RowKind::Likely, RowKey::QuickBooks(_)) => "Looks like an SMSTurbo customer",
        _ => "QuickBooks changed this link",
    };
    DialogModal::new(Dialog::choice(title, &body, buttons).with_tone(Tone::Warning))
}

/// What adding a row that is held back does, once confirmed: (the question, what happens).
pub fn adding(row: &SyncRow) -> (&'static str, &'static str) {
    match (row.kind, &row.key) {
        (RowKind::Likely, RowKey::SmsTurbo(_)) => (
            "Add to QuickBooks anyway?",
            "it is added to QuickBooks as another customer when you synchronize the checked rows",
        ),
        (RowKind::Likely, RowKey::QuickBooks(_)) => (
            "Import anyway?",
            "it is imported into SMSTurbo as another customer when you synchronize the checked \
             rows",
        ),
        _ => (
            "Add to QuickBooks again?",
            "it is added to QuickBooks again when you synchronize the checked rows (and its \
             link then follows the new QuickBooks customer)",
        ),
    }
}

/// Adding a held-back row (a stale or kept one again, a likely duplicate anyway) is explicit:
/// this says what may go wrong first.
pub fn add_again(row: &SyncRow, risk: &str) -> DialogModal {
    let (title, what) = adding(row);
    DialogModal::new(Dialog::confirm_destructive(
        title,
        &format!("{risk}\n\nYes checks {}: {what}.", row.name),
        Intent::AddAgainConfirmed(row.id),
        Intent::Dismiss,
    ))
}

/// config.toml could not be used: custsync runs on the defaults until SetUp saves.
pub fn broken_setup(problem: &str) -> DialogModal {
    DialogModal::new(
        Dialog::choice(
            "The setup file has a problem",
            &format!(
                "{problem}\n\ncustsync started with the default setup. Open SetUp to set it \
                 again (saving there replaces the file; the old one is kept as \
                 config.toml.broken), or quit and fix the file by hand."
            ),
            vec![
                ("Open SetUp".into(), Intent::OpenSetup),
                ("Continue".into(), Intent::Dismiss),
                ("Quit".into(), Intent::Quit),
            ],
        )
        .with_tone(Tone::Warning),
    )
}

/// "Is this the right company?" (SPEC §5.4). No changes nothing.
pub fn company_confirmation(c: &CompanyInfo) -> DialogModal {
    let body = format!(
        "custsync is connected to this QuickBooks company:\n\n\
         Company:    {}\nFile:       {}\nProduct:    {}\nCustomers:  {}\n\n\
         Is this the right company?",
        c.name,
        c.file,
        format_args!("{}, qbXML {}", c.product, c.qbxml_version),
        c.customer_count
    );
    DialogModal::new(Dialog::confirm(
        "Confirm company",
        &body,
        Intent::CompanyConfirmed(true),
        Intent::CompanyConfirmed(false),
    ))
}

fn with_cancel(d: Dialog<Intent>, label: &str, value: Intent) -> Dialog<Intent> {
    let mut d = d;
    d.buttons.push(Button {
        label: label.into(),
        role: Role::Other,
        value,
    });
    let last = d.buttons.len() - 1;
    d.with_cancel(last)
}

/// "Show Missing Customers Only?" (SPEC §5.5). Esc leaves the flow.
pub fn missing_only() -> DialogModal {
    let body = "Yes: list only customers missing on one side (SMSTurbo customers not in \
                QuickBooks on the left, QuickBooks customers not in SMSTurbo on the right).\n\n\
                No: list every customer that is not an exact match, including pairs whose \
                fields differ.";
    DialogModal::new(with_cancel(
        Dialog::confirm(
            "Show Missing Customers Only?",
            body,
            Intent::MissingOnly(true),
            Intent::MissingOnly(false),
        ),
        "Cancel",
        Intent::CancelSync,
    ))
}

/// After first access: "Synchronize now?" No opens SetUp.
pub fn sync_now() -> DialogModal {
    DialogModal::new(Dialog::confirm(
        "Synchronize now?",
        "custsync can now reach this QuickBooks company file.\n\n\
         Synchronize now? Answer No to review the SetUp screen first.",
        Intent::SyncNow(true),
        Intent::SyncNow(false),
    ))
}

/// The run confirmation: exactly what will happen. `not_checked` (rows that cannot be checked,
/// and why) goes on to the report.
pub fn run_confirmation(
    preview: &RunPreview,
    selection: CheckedRows,
    not_checked: Vec<String>,
) -> DialogModal {
    let start = |rows| Intent::StartRun {
        rows,
        not_checked: not_checked.clone(),
    };
    if preview.missing_list_entries.is_empty() {
        return DialogModal::new(
            Dialog::confirm(
                "Synchronize",
                "This will happen:",
                start(selection),
                Intent::Dismiss,
            )
            .with_list(preview.lines.clone()),
        );
    }
    let mut list = preview.lines.clone();
    list.extend(
        preview
            .missing_list_entries
            .iter()
            .map(|e| format!("Add to QuickBooks: {e}")),
    );
    let body = format!(
        "QuickBooks does not have {} the export needs. custsync can add {} (a list entry, \
         not a customer), or you can cancel and change the Export settings in SetUp.",
        if preview.missing_list_entries.len() == 1 {
            "a list entry"
        } else {
            "list entries"
        },
        if preview.missing_list_entries.len() == 1 {
            "it"
        } else {
            "them"
        }
    );
    let with_entries = CheckedRows {
        add_missing_list_entries: true,
        ..selection
    };
    DialogModal::new(
        Dialog::choice(
            "Synchronize",
            &body,
            vec![
                ("Add and synchronize".into(), start(with_entries)),
                ("Cancel".into(), Intent::Dismiss),
            ],
        )
        .with_tone(Tone::Warning)
        .with_list(list),
    )
}

/// The end of a run: counts, each failure in plain words, and the customers that were not
/// synchronized because they could not be checked (`not_checked`, each with why).
pub fn export_completed(r: &RunReport, not_checked: &[String]) -> DialogModal {
    let title = if r.cancelled {
        "Export Stopped"
    } else {
        "Export Completed"
    };
    let mut body: Vec<String> = r.counts.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    if r.cancelled {
        body.push("You stopped the run; what is listed above was done.".into());
    }
    body.extend(r.notes.iter().cloned());
    if r.failures.is_empty() && not_checked.is_empty() {
        body.push("No failures.".into());
    }
    if !r.failures.is_empty() {
        body.push(format!(
            "{} could not be synchronized (listed below).",
            plural(r.failures.len(), "customer", "customers")
        ));
    }
    if !not_checked.is_empty() {
        body.push(format!(
            "Not checked: {} with problems; {} as {} until fixed (listed below).",
            plural(not_checked.len(), "customer", "customers"),
            if not_checked.len() == 1 {
                "it stays"
            } else {
                "they stay"
            },
            if not_checked.len() == 1 {
                "it is"
            } else {
                "they are"
            },
        ));
    }
    let list = r
        .failures
        .iter()
        .map(|f| format!("{}: {}", f.customer, f.message))
        .chain(not_checked.iter().map(|n| format!("not checked: {n}")))
        .collect();
    let tone = if r.failures.is_empty() {
        Tone::Normal
    } else {
        Tone::Warning
    };
    DialogModal::new(
        Dialog::message(title, &body.join("\n"), Intent::CloseReport)
            .with_list(list)
            .with_tone(tone),
    )
}

pub fn delete_customer(code: &str, name: &str) -> DialogModal {
    DialogModal::new(Dialog::confirm_destructive(
        "Delete customer",
        &format!(
            "Delete {name} ({code}) from SMSTurbo?\n\nQuickBooks is not changed. History (h) can \
             undo this: it keeps the customer and its links."
        ),
        Intent::DeleteCustomer(code.to_string()),
        Intent::Dismiss,
    ))
}

pub fn discard_changes(what: &str) -> DialogModal {
    DialogModal::new(Dialog::confirm_destructive(
        "Discard changes?",
        &format!("{what} has changes that are not saved. Leave without saving them?"),
        Intent::DiscardChanges,
        Intent::Dismiss,
    ))
}

pub fn undo_confirmation(entry: &HistoryEntry) -> DialogModal {
    if let HistoryId::Deletion(_) = entry.id {
        return DialogModal::new(
            Dialog::confirm(
                "Restore customer",
                &format!(
                    "Put back the customer {} as it was when it was deleted, with its links to \
                     QuickBooks?",
                    entry.summary.trim_start_matches("deleted ")
                ),
                Intent::Undo(entry.id),
                Intent::Dismiss,
            )
            .with_list(entry.details.clone()),
        );
    }
    DialogModal::new(
        Dialog::confirm_destructive(
            "Undo run",
            &format!(
                "Undo the local changes of the run of {} on {}?\n\nQuickBooks is not changed: \
                 customers added there stay.",
                entry.when, entry.company
            ),
            Intent::Undo(entry.id),
            Intent::Dismiss,
        )
        .with_list(entry.details.clone()),
    )
}

/// The question before quitting when something would be lost: what, one line each. No (stay)
/// is the default; Ctrl-C again quits.
pub fn quit(losses: Vec<String>) -> DialogModal {
    DialogModal {
        dialog: Dialog::confirm_destructive(
            "Quit custsync?",
            "Quitting now loses what is listed. Quit anyway?",
            Intent::Quit,
            Intent::Dismiss,
        )
        .with_list(losses),
        quit: true,
    }
}

/// Esc in the panes with rows checked.
pub fn leave_sync(checked: usize) -> DialogModal {
    DialogModal::new(Dialog::confirm_destructive(
        "Leave Synchronize?",
        &format!(
            "{} will be unchecked and nothing is synchronized. Leave anyway?\n\n\
             (r compares again without leaving; the checks stay.)",
            plural(checked, "checked row", "checked rows")
        ),
        Intent::CancelSync,
        Intent::Dismiss,
    ))
}

/// "Prompt each time" access: QuickBooks asks on every connection. The worker waits.
pub struct PermissionModal {
    dialog: Dialog<bool>,
    reply: Option<Reply<Option<bool>>>,
}

impl PermissionModal {
    pub fn new(app_name: &str, company_file: &str, reply: Reply<Option<bool>>) -> PermissionModal {
        PermissionModal {
            dialog: Dialog::confirm(
                "QuickBooks – Application Certificate",
                &format!(
                    "The application \"{app_name}\" is asking to access the QuickBooks company \
                     file {company_file}.\n\nAllow access this time?"
                ),
                true,
                false,
            ),
            reply: Some(reply),
        }
    }
}

impl Component for PermissionModal {
    fn title(&self) -> String {
        self.dialog.title.clone()
    }

    fn contexts(&self) -> Vec<Context> {
        vec![self.dialog.context()]
    }

    fn awaits_answer(&self) -> bool {
        self.reply.is_some()
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        match self.dialog.handle(msg, cx.area) {
            DialogOutcome::Ignored => false,
            DialogOutcome::Changed => true,
            DialogOutcome::Pressed(allow) => {
                if let Some(r) = self.reply.take() {
                    r.send(Some(allow));
                }
                cx.close_modal();
                true
            }
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        self.dialog.render(area, buf, theme);
    }
}

/// The `?` overlay as a modal.
pub struct HelpModal(pub HelpOverlay);

impl Component for HelpModal {
    fn title(&self) -> String {
        "Help".into()
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::HelpOverlay]
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        if !self.0.handle(msg) {
            cx.close_modal();
        }
        true
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        self.0.render(area, buf, theme);
    }
}

/// The file picker as a modal: listings come from the worker.
pub struct PickerModal {
    picker: FilePicker,
}

impl PickerModal {
    /// Opens a picker on `dir`, on the file `file_info` names if it is there, and asks the
    /// worker for its listing.
    pub fn open(dir: PathBuf, pattern: &str, file_info: &str, cx: &mut Cx) -> PickerModal {
        let picker = FilePicker::new(dir, pattern).at_file(file_info);
        if let PickerOutcome::List { dir, pattern } = picker.request() {
            cx.send(Command::ListDir { dir, pattern });
        }
        PickerModal { picker }
    }
}

impl Component for PickerModal {
    fn title(&self) -> String {
        "Look up the company file".into()
    }

    fn contexts(&self) -> Vec<Context> {
        self.picker.contexts()
    }

    fn captures_text(&self) -> bool {
        self.picker.captures_text()
    }

    fn types_ahead(&self) -> bool {
        self.picker.types_ahead()
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        let outcome = match msg {
            Msg::Click { column, row } => self.picker.click(cx.area, *column, *row),
            _ => self.picker.handle(msg),
        };
        match outcome {
            PickerOutcome::Ignored => false,
            PickerOutcome::Changed => true,
            PickerOutcome::List { dir, pattern } => {
                cx.send(Command::ListDir { dir, pattern });
                true
            }
            PickerOutcome::Chosen(path) => {
                cx.close_modal();
                cx.intent(Intent::FileChosen(path));
                true
            }
            PickerOutcome::Cancelled => {
                cx.close_modal();
                true
            }
        }
    }

    fn on_event(&mut self, ev: Event, _cx: &mut Cx) -> Option<Event> {
        match ev {
            Event::DirListed(l) => self.picker.listed(l),
            Event::Failed {
                during: Task::ListDir,
                explanation,
            } => self.picker.list_failed(explanation),
            other => return Some(other),
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        self.picker.render(area, buf, theme);
    }
}
