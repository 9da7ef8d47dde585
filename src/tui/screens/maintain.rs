//! Maintain Customer, the home screen: the SMSTurbo list, the File Info field with its lookup,
//! and the ways to SetUp, Synchronize and History.

use std::collections::{HashMap, HashSet};

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use super::customer_form::CustomerForm;
use super::dialogs::{self, PickerModal};
use super::history::HistoryScreen;
use super::setup::SetupScreen;
use crate::config::{Config, ConnectionKind};
use crate::qbxml::Field;
use crate::store::{Customer, CustomerStatus};
use crate::tui::action::{Action, Msg};
use crate::tui::component::{Component, Cx, Intent, Tone};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;
use crate::tui::view::{Column, CustomerList, QbState, SandboxFix, SandboxStatus};
use crate::tui::widgets::checklist::{Checklist, ChecklistRow, ListOutcome};
use crate::tui::widgets::file_picker::start_for;
use crate::tui::widgets::text_field::{FieldLayout, TextField};
use crate::tui::widgets::{cut, message_look};
use crate::tui::worker::{Command, Event, Task};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Focus {
    List,
    FileInfo,
}

/// The home list's quick filters (digit keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quick {
    All,
    Status(CustomerStatus),
    /// Not in QuickBooks: missing there, or not linked (never compared).
    NotInQuickBooks,
    /// Matched, with fields that differ.
    Differs,
}

impl Quick {
    fn label(self) -> String {
        match self {
            Quick::All => String::new(),
            Quick::Status(s) => format!("{s} only"),
            Quick::NotInQuickBooks => "not in QuickBooks".into(),
            Quick::Differs => "differing from QuickBooks".into(),
        }
    }
}

pub struct MaintainScreen {
    customers: Vec<Customer>,
    /// Codes linked to a QuickBooks customer.
    linked: HashSet<String>,
    /// Where customers stood at the last comparison this session, by code.
    compared: HashMap<String, QbState>,
    quick: Quick,
    list: Checklist,
    file_info: TextField,
    /// The File Info value last saved, to know when to save again.
    saved_file_info: String,
    focus: Focus,
    loaded: bool,
    kind: ConnectionKind,
    /// The sandbox company's Integrated Applications state, when the setup names one.
    sandbox: Option<SandboxStatus>,
    /// An open/close of the sandbox file was sent from here.
    toggling: bool,
}

/// A company file path for a message ("no file" when empty).
fn show_path(path: &str) -> &str {
    if path.trim().is_empty() {
        "no company file"
    } else {
        path
    }
}

/// The list's columns: what fits is shown, from the left.
fn columns() -> Vec<Column> {
    vec![
        Column::fixed("Code", 8),
        Column::fill("Name", 18, 3),
        Column::fixed("Status", 8),
        Column::fixed("QuickBooks", 10),
        Column::fill("Company", 12, 2),
        Column::fixed("Phone", 14),
        Column::fill("City", 10, 1),
        Column::fill("Email", 14, 2),
    ]
}

fn row(c: &Customer, qb: Option<QbState>) -> ChecklistRow {
    let get = |f| c.data.get(f).unwrap_or("").to_string();
    ChecklistRow::new(vec![
        c.code().to_string(),
        c.name().to_string(),
        c.status.to_string(),
        qb.map_or("—", QbState::label).to_string(),
        get(Field::CompanyName),
        get(Field::Phone),
        get(Field::BillCity),
        get(Field::Email),
    ])
}

impl MaintainScreen {
    pub fn new(config: &Config) -> MaintainScreen {
        MaintainScreen {
            customers: Vec::new(),
            list: Checklist::new("SMSTurbo customers", columns(), Vec::new(), false),
            linked: HashSet::new(),
            compared: HashMap::new(),
            quick: Quick::All,
            file_info: TextField::new("File Info", &config.company_file)
                .with_placeholder("company file (*.QBW), or a pattern such as *.QBW"),
            saved_file_info: config.company_file.clone(),
            focus: Focus::List,
            loaded: false,
            kind: config.connection.kind,
            sandbox: None,
            toggling: false,
        }
    }

    fn set_customers(&mut self, list: CustomerList) {
        self.customers = list.customers;
        self.linked = list.linked.into_iter().collect();
        self.loaded = true;
        self.rebuild();
    }

    /// What a comparison found (the panes opened or compared again).
    pub fn note_comparison(&mut self, states: &[(String, QbState)]) {
        self.compared = states.iter().cloned().collect();
        self.rebuild();
    }

    fn qb_state(&self, c: &Customer) -> Option<QbState> {
        self.compared
            .get(c.code())
            .copied()
            .or_else(|| self.linked.contains(c.code()).then_some(QbState::Linked))
    }

    /// The rows again (keeping the cursor on its customer) and the quick filter over them.
    fn rebuild(&mut self) {
        let keep = self.selected().map(|c| c.code().to_string());
        let rows = self
            .customers
            .iter()
            .map(|c| row(c, self.qb_state(c)))
            .collect();
        self.list.set_rows(rows);
        self.apply_quick();
        if let Some(code) = keep
            && let Some(i) = self.customers.iter().position(|c| c.code() == code)
        {
            self.list.select_row(i);
        }
    }

    fn apply_quick(&mut self) {
        let mask = match self.quick {
            Quick::All => None,
            quick => Some((
                self.customers
                    .iter()
                    .map(|c| match quick {
                        Quick::All => true,
                        Quick::Status(s) => c.status == s,
                        Quick::NotInQuickBooks => {
                            matches!(self.qb_state(c), None | Some(QbState::Missing))
                        }
                        Quick::Differs => self.qb_state(c) == Some(QbState::Differs),
                    })
                    .collect(),
                quick.label(),
            )),
        };
        self.list.set_mask(mask);
    }

    fn selected(&self) -> Option<&Customer> {
        self.list.cursor_row().and_then(|i| self.customers.get(i))
    }

    fn set_focus(&mut self, f: Focus) {
        self.focus = f;
        self.file_info.set_focused(f == Focus::FileInfo);
    }

    /// Saves File Info when it changed (a pattern is a lookup, not a file: not saved).
    fn save_file_info(&mut self, cx: &mut Cx) {
        let value = self.file_info.value().trim().to_string();
        if value == self.saved_file_info || crate::tui::listing::is_pattern(&value) {
            return;
        }
        let mut config = cx.config.clone();
        config.company_file = value.clone();
        self.saved_file_info = value;
        cx.send(Command::SaveConfig(Box::new(config)));
    }

    fn lookup(&mut self, cx: &mut Cx) {
        let (dir, pattern) = start_for(
            self.file_info.value(),
            cx.workspace,
            &cx.config.file_pattern,
        );
        let modal = PickerModal::open(dir, &pattern, self.file_info.value(), cx);
        cx.modal(modal);
    }

    /// The File Info row, the line under it and the list.
    fn areas(area: Rect) -> (Rect, Rect, Rect) {
        let [file_row, info_row, list] = area.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ]));
        (file_row, info_row, list)
    }
}

impl Component for MaintainScreen {
    fn title(&self) -> String {
        "Maintain Customer".into()
    }

    fn contexts(&self) -> Vec<Context> {
        match self.focus {
            Focus::FileInfo => vec![Context::Lookup, Context::TextField],
            Focus::List if self.kind == ConnectionKind::Sandbox => self.list.contexts_within(&[
                Context::MaintainCustomer,
                Context::Sandbox,
                Context::QuickFilters,
            ]),
            Focus::List => self
                .list
                .contexts_within(&[Context::MaintainCustomer, Context::QuickFilters]),
        }
    }

    fn captures_text(&self) -> bool {
        self.focus == Focus::FileInfo || self.list.captures_text()
    }

    fn unsaved(&self) -> Option<String> {
        (self.file_info.value().trim() != self.saved_file_info.trim())
            .then(|| "File Info: the path typed there is not saved.".into())
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        if let Msg::Click { column, row } = msg {
            let (file_row, _, list) = Self::areas(cx.area);
            if file_row.contains((*column, *row).into()) {
                self.set_focus(Focus::FileInfo);
                return true;
            }
            self.set_focus(Focus::List);
            return self.list.click(list, *column, *row) != ListOutcome::Ignored;
        }
        if self.focus == Focus::FileInfo {
            match msg {
                Msg::Text(k) => return self.file_info.handle_key(*k),
                Msg::Paste(t) => return self.file_info.paste(t),
                Msg::Action(Action::Lookup) => self.lookup(cx),
                // Esc takes back what was typed: the field shows the file in use again.
                Msg::Action(Action::Back) => {
                    self.file_info.set_value(&self.saved_file_info);
                    self.file_info.set_error(None);
                    self.set_focus(Focus::List);
                }
                // A pattern is looked up, not used.
                Msg::Action(Action::Submit)
                    if crate::tui::listing::is_pattern(self.file_info.value()) =>
                {
                    self.lookup(cx);
                }
                Msg::Action(Action::FocusNext | Action::FocusPrev)
                    if crate::tui::listing::is_pattern(self.file_info.value()) =>
                {
                    self.file_info.set_value(&self.saved_file_info);
                    self.set_focus(Focus::List);
                    cx.status(
                        Tone::Info,
                        "A pattern is for the lookup (F4); File Info still names the file in use.",
                    );
                }
                Msg::Action(Action::Submit | Action::FocusNext | Action::FocusPrev) => {
                    self.save_file_info(cx);
                    self.set_focus(Focus::List);
                }
                _ => return false,
            }
            return true;
        }
        if !self.list.is_filtering() {
            match msg.action() {
                Some(Action::Add) => {
                    cx.push(CustomerForm::new_customer());
                    return true;
                }
                Some(Action::Edit) => {
                    if let Some(c) = self.selected() {
                        cx.send(Command::LoadCustomerLinks {
                            code: c.code().to_string(),
                        });
                        cx.push(CustomerForm::edit(c.clone()));
                    }
                    return true;
                }
                Some(Action::Delete) => {
                    if let Some(c) = self.selected() {
                        cx.modal(dialogs::delete_customer(c.code(), c.name()));
                    }
                    return true;
                }
                Some(Action::SetUp) => {
                    cx.push(SetupScreen::new(cx.config));
                    return true;
                }
                Some(Action::Synchronize) => {
                    cx.intent(Intent::Connect);
                    return true;
                }
                Some(Action::History) => {
                    cx.push(HistoryScreen::new());
                    cx.send(Command::LoadHistory);
                    return true;
                }
                Some(Action::Lookup) => {
                    self.lookup(cx);
                    return true;
                }
                Some(Action::ToggleQuickBooksOpen) => {
                    match &self.sandbox {
                        Some(s) if !self.toggling => {
                            self.toggling = true;
                            cx.send(Command::ApplyFix(SandboxFix::SetOpenInQuickBooks(
                                !s.open_in_quickbooks,
                            )));
                        }
                        Some(_) => {}
                        None => cx.status(
                            Tone::Warning,
                            "No sandbox company to open: set File Info to a sandbox .QBW file.",
                        ),
                    }
                    return true;
                }
                Some(Action::FocusNext | Action::FocusPrev) => {
                    self.set_focus(Focus::FileInfo);
                    return true;
                }
                Some(
                    a @ (Action::ShowAll
                    | Action::ShowActive
                    | Action::ShowHold
                    | Action::ShowProspect
                    | Action::ShowInactive
                    | Action::ShowNotInQuickBooks
                    | Action::ShowDiffers),
                ) => {
                    self.quick = match a {
                        Action::ShowActive => Quick::Status(CustomerStatus::Active),
                        Action::ShowHold => Quick::Status(CustomerStatus::Hold),
                        Action::ShowProspect => Quick::Status(CustomerStatus::Prospect),
                        Action::ShowInactive => Quick::Status(CustomerStatus::Inactive),
                        Action::ShowNotInQuickBooks => Quick::NotInQuickBooks,
                        Action::ShowDiffers => Quick::Differs,
                        _ => Quick::All,
                    };
                    self.apply_quick();
                    if matches!(self.quick, Quick::NotInQuickBooks | Quick::Differs)
                        && self.compared.is_empty()
                    {
                        cx.status(
                            Tone::Info,
                            "Not compared with QuickBooks yet this session: Synchronize (y) \
                             compares; until then only stored links are known.",
                        );
                    }
                    return true;
                }
                _ => {}
            }
        }
        self.list.handle(msg) != ListOutcome::Ignored
    }

    fn on_event(&mut self, ev: Event, cx: &mut Cx) -> Option<Event> {
        match ev {
            Event::CustomersLoaded(list) => self.set_customers(list),
            Event::Rejected {
                during: Task::SaveConfig,
                errors,
            } => {
                // File Info was refused: say so on the spot, and keep the operator in the field
                // with what they typed to correct it (Esc puts back the file in use), so the
                // field never shows a path custsync is not using.
                let message = errors
                    .iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                self.file_info.set_error(Some(message.clone()));
                self.saved_file_info = cx.config.company_file.clone();
                self.set_focus(Focus::FileInfo);
                cx.status(
                    Tone::Error,
                    format!(
                        "File Info not saved: {message}. custsync still uses {}; correct the \
                         path, or Esc to put that one back.",
                        show_path(&self.saved_file_info)
                    ),
                );
            }
            Event::SandboxStatus(s) => self.sandbox = s,
            Event::FixApplied {
                fix: SandboxFix::SetOpenInQuickBooks(_),
                message,
            } if self.toggling => {
                self.toggling = false;
                cx.status(Tone::Success, message);
                cx.send(Command::LoadSandboxStatus);
            }
            Event::Failed {
                during: Task::ApplyFix,
                explanation,
            } if self.toggling => {
                self.toggling = false;
                cx.modal(dialogs::explanation(&explanation));
            }
            Event::CustomerDeleted(code) => {
                cx.status(Tone::Success, format!("Deleted customer {code}."));
                cx.send(Command::LoadCustomers);
            }
            Event::ConfigSaved(c) => {
                // The app keeps the config; File Info follows what was saved.
                self.saved_file_info = c.company_file.clone();
                self.kind = c.connection.kind;
                if self.focus != Focus::FileInfo {
                    self.file_info.set_value(&c.company_file);
                }
                return Some(Event::ConfigSaved(c));
            }
            other => return Some(other),
        }
        None
    }

    fn on_intent(&mut self, intent: Intent, cx: &mut Cx) -> Option<Intent> {
        match intent {
            Intent::FileChosen(path) => {
                self.file_info.set_value(&path.to_string_lossy());
                self.save_file_info(cx);
                self.set_focus(Focus::List);
                cx.status(
                    Tone::Success,
                    format!("File Info set to {}.", path.display()),
                );
            }
            Intent::DeleteCustomer(code) => cx.send(Command::DeleteCustomer { code }),
            other => return Some(other),
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let (file_row, info_row, list_area) = Self::areas(area);
        // With a message the field takes the row and the message the line below.
        let lookup_hint = if self.file_info.message().is_some() {
            ""
        } else {
            " F4 lookup"
        };
        let [field, hint] = file_row.layout(&Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(lookup_hint.width() as u16),
        ]));
        self.file_info.render(
            field,
            buf,
            theme,
            FieldLayout {
                label_width: 11,
                input_width: field
                    .width
                    .saturating_sub(11 + u16::from(!lookup_hint.is_empty())),
            },
        );
        Line::styled(lookup_hint, theme.hint).render(hint, buf);
        let kind = match self.kind {
            ConnectionKind::Sandbox => "sandbox company",
            ConnectionKind::WebConnector => "QuickBooks Web Connector",
        };
        match self.file_info.message() {
            Some((is_error, m)) => {
                let (g, style) = message_look(is_error, theme);
                let [_, line] = info_row.layout(&Layout::horizontal([
                    Constraint::Length(1),
                    Constraint::Fill(1),
                ]));
                cut(&format!("{g} File Info: {m}"), line.width, style).render(line, buf);
            }
            None => {
                let info = match (&self.sandbox, self.kind) {
                    (Some(s), ConnectionKind::Sandbox) => format!(
                        " Sandbox QuickBooks: file {} · custsync: {} · auto-login {}",
                        if s.open_in_quickbooks {
                            "open"
                        } else {
                            "closed"
                        },
                        s.access,
                        if s.auto_login { "on" } else { "off" }
                    ),
                    _ => format!(" Connection: {kind}"),
                };
                cut(&info, info_row.width, theme.hint).render(info_row, buf);
            }
        }
        self.list
            .render(list_area, buf, theme, self.focus == Focus::List);
        if !self.loaded {
            let [_, loading] = list_area
                .inner(Margin::new(1, 0))
                .layout(&Layout::vertical([
                    Constraint::Length(2),
                    Constraint::Length(1),
                ]));
            cut("Loading customers…", loading.width, theme.hint).render(loading, buf);
        }
    }
}
