//! SetUp: the Setup tab (File Info, connection, Import, Export) and the Replace Options tab.
//!
//! The screen edits a draft. Save checks every value, shows what is wrong next to its field and
//! sends nothing until all are right; the worker writes the file (and may still refuse a value,
//! e.g. an unreadable path). Esc with changes asks before discarding them.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::path::PathBuf;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::dialogs::{self, PickerModal};
use super::list_picker::ListPickerModal;
use crate::config::{Config, ConnectionKind, DefaultTypeFor, Setting};
use crate::store::CustomerStatus;
use crate::sync::ReplaceGroup;
use crate::tui::action::{Action, Msg};
use crate::tui::component::{Component, Cx, Intent, Tone};
use crate::tui::keymap::Context;
use crate::tui::theme::{Theme, glyph};
use crate::tui::view::{Column, PickFor};
use crate::tui::widgets::checklist::{Checklist, ChecklistRow, ListOutcome};
use crate::tui::widgets::file_picker::start_for;
use crate::tui::widgets::tabs::Tabs;
use crate::tui::widgets::text_field::{FieldLayout, TextField};
use crate::tui::widgets::{cut, fit_line, form_label, message_look, radio_row, scroll_to_show};
use crate::tui::worker::{Command, Event, FieldError, Secret, Task};

/// The text fields of the Setup tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Text {
    CompanyFile,
    FilePattern,
    Listen,
    Path,
    UserName,
    Password,
    TlsCert,
    TlsKey,
    IncludeTypes,
    ExportType,
    ExportJob,
}

impl Text {
    const ALL: [Text; 11] = [
        Text::CompanyFile,
        Text::FilePattern,
        Text::Listen,
        Text::Path,
        Text::UserName,
        Text::Password,
        Text::TlsCert,
        Text::TlsKey,
        Text::IncludeTypes,
        Text::ExportType,
        Text::ExportJob,
    ];

    fn label(self) -> &'static str {
        match self {
            Text::CompanyFile => "File Info",
            Text::FilePattern => "File pattern",
            Text::Listen => "  Listen address",
            Text::Path => "  Path",
            Text::UserName => "  User name",
            Text::Password => "  Password",
            Text::TlsCert => "  TLS certificate",
            Text::TlsKey => "  TLS key",
            Text::IncludeTypes => "Include Customer Types",
            Text::ExportType => "Customer Type",
            Text::ExportJob => "Customer Job",
        }
    }

    /// The config.toml path, as a back end names it in a [`FieldError`].
    fn key(self) -> &'static str {
        match self {
            Text::CompanyFile => "company_file",
            Text::FilePattern => "file_pattern",
            Text::Listen => "connection.web_connector.listen",
            Text::Path => "connection.web_connector.path",
            Text::UserName => "connection.web_connector.user_name",
            // Not in config.toml: only its hash is kept, in the workspace.
            Text::Password => "connection.web_connector.password",
            Text::TlsCert => "connection.web_connector.tls_cert",
            Text::TlsKey => "connection.web_connector.tls_key",
            Text::IncludeTypes => "import.include_customer_types",
            Text::ExportType => "export.customer_type",
            Text::ExportJob => "export.job_type",
        }
    }

    fn value(self, c: &Config) -> String {
        let wc = &c.connection.web_connector;
        let path = |p: &Option<PathBuf>| {
            p.as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        };
        match self {
            Text::CompanyFile => c.company_file.clone(),
            Text::FilePattern => c.file_pattern.clone(),
            Text::Listen => wc.listen.clone(),
            Text::Path => wc.path.clone(),
            Text::UserName => wc.user_name.clone(),
            Text::Password => String::new(),
            Text::TlsCert => path(&wc.tls_cert),
            Text::TlsKey => path(&wc.tls_key),
            Text::IncludeTypes => c.import.include_customer_types.join(", "),
            Text::ExportType => c.export.customer_type.clone().unwrap_or_default(),
            Text::ExportJob => c.export.job_type.clone().unwrap_or_default(),
        }
    }

    /// The QuickBooks list this field's value can be picked from.
    fn picks(self) -> Option<PickFor> {
        match self {
            Text::IncludeTypes => Some(PickFor::IncludeTypes),
            Text::ExportType => Some(PickFor::ExportType),
            Text::ExportJob => Some(PickFor::ExportJob),
            _ => None,
        }
    }

    fn web_connector_only(self) -> bool {
        matches!(
            self,
            Text::Listen
                | Text::Path
                | Text::UserName
                | Text::Password
                | Text::TlsCert
                | Text::TlsKey
        )
    }
}

/// Something on the Setup tab that can have focus, in screen order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    TabBar,
    Text(Text),
    Connection,
    WriteQwc,
    Status(CustomerStatus),
    /// Whom the export default Customer Type is set on.
    DefaultTypeFor,
    ReplaceList,
    Save,
    Cancel,
}

const LABEL_W: u16 = 24;
/// Each export status checkbox's width; two spaces follow it.
const STATUS_W: u16 = 12;

struct SetupAreas {
    tabs: Rect,
    body: Rect,
    message: Rect,
    /// "unsaved changes".
    state: Rect,
    save: Rect,
    cancel: Rect,
}

pub struct SetupScreen {
    original: Config,
    tabs: Tabs,
    texts: Vec<TextField>,
    kind: ConnectionKind,
    default_type_for: DefaultTypeFor,
    statuses: BTreeSet<CustomerStatus>,
    statuses_error: Option<String>,
    replace: Checklist,
    focus: Item,
    saving: bool,
    /// The setup to save once the new Web Connector password is stored.
    after_password: Option<Config>,
    /// Whether the draft differs from the saved setup: worked out when the draft changes, not
    /// on every frame (it builds and checks a whole setup).
    unsaved: bool,
    scroll: Cell<usize>,
}

impl SetupScreen {
    pub fn new(config: &Config) -> SetupScreen {
        let texts = Text::ALL
            .iter()
            .map(|&t| {
                let f = TextField::new(t.label(), &t.value(config));
                match t {
                    Text::IncludeTypes => f.with_placeholder("all types (or: Retail, Wholesale)"),
                    Text::ExportType | Text::ExportJob => f.with_placeholder("(none)"),
                    Text::TlsCert | Text::TlsKey => {
                        f.with_placeholder("(none: plain HTTP on loopback)")
                    }
                    Text::Password => f
                        .with_placeholder("(unchanged; type a new one to set it)")
                        .masked(),
                    _ => f,
                }
            })
            .collect();
        let rows = ReplaceGroup::ALL
            .iter()
            .map(|g| {
                let fields: Vec<&str> = g.fields().map(|f| f.label()).collect();
                let what = if fields.is_empty() {
                    "Status".to_string()
                } else {
                    fields.join(", ")
                };
                ChecklistRow::new(vec![g.label().to_string(), what])
            })
            .collect();
        let mut replace = Checklist::new(
            "Replace in SMSTurbo with the QuickBooks value",
            vec![
                Column::fill("Field group", 22, 1),
                Column::fill("Fields", 20, 2),
            ],
            rows,
            true,
        );
        for (i, g) in ReplaceGroup::ALL.iter().enumerate() {
            replace.set_checked(i, config.replace.groups.contains(g));
        }
        let mut s = SetupScreen {
            original: config.clone(),
            tabs: Tabs::new(vec!["Setup".into(), "Replace Options".into()]),
            texts,
            kind: config.connection.kind,
            default_type_for: config.export.default_type_for,
            statuses: config.export.statuses.clone(),
            statuses_error: None,
            replace,
            // On the tab bar: [ and ] (or ←/→) switch tabs at once, Tab goes down the form.
            focus: Item::TabBar,
            saving: false,
            after_password: None,
            unsaved: false,
            scroll: Cell::new(0),
        };
        s.set_focus(Item::TabBar);
        s
    }

    fn text(&self, t: Text) -> &TextField {
        &self.texts[t as usize]
    }

    fn text_mut(&mut self, t: Text) -> &mut TextField {
        &mut self.texts[t as usize]
    }

    /// Focusable items of the shown tab, in order.
    fn items(&self) -> Vec<Item> {
        let mut v = vec![Item::TabBar];
        if self.tabs.selected() == 0 {
            for t in [Text::CompanyFile, Text::FilePattern] {
                v.push(Item::Text(t));
            }
            v.push(Item::Connection);
            if self.kind == ConnectionKind::WebConnector {
                for t in Text::ALL.iter().filter(|t| t.web_connector_only()) {
                    v.push(Item::Text(*t));
                }
                v.push(Item::WriteQwc);
            }
            v.push(Item::Text(Text::IncludeTypes));
            for s in CustomerStatus::ALL {
                v.push(Item::Status(s));
            }
            v.push(Item::Text(Text::ExportType));
            v.push(Item::DefaultTypeFor);
            v.push(Item::Text(Text::ExportJob));
        } else {
            v.push(Item::ReplaceList);
        }
        v.push(Item::Save);
        v.push(Item::Cancel);
        v
    }

    fn set_focus(&mut self, item: Item) {
        if let Item::Text(t) = self.focus {
            self.text_mut(t).set_focused(false);
        }
        self.focus = item;
        if let Item::Text(t) = item {
            self.text_mut(t).set_focused(true);
        }
    }

    fn move_focus(&mut self, forward: bool) {
        let items = self.items();
        let i = items.iter().position(|&x| x == self.focus).unwrap_or(0);
        let n = items.len();
        self.set_focus(
            items[if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }],
        );
    }

    fn switch_tab(&mut self, forward: bool) {
        if forward {
            self.tabs.next();
        } else {
            self.tabs.prev();
        }
        // Replace Options is one list: go straight into it. The Setup tab starts with a text
        // field, so stay on the tab bar there ([ and ] keep working).
        self.set_focus(if self.tabs.selected() == 1 {
            Item::ReplaceList
        } else {
            Item::TabBar
        });
    }

    /// The config the screen shows, or every value that is wrong (nothing is half-taken). The
    /// rules are the setup's own ([`Config::validate`]), so what the screen accepts is what
    /// saving accepts; the Web Connector's values are looked at only when it is chosen.
    fn draft(&self) -> Result<Config, Vec<FieldError>> {
        let mut c = self.original.clone();
        let v = |t: Text| self.text(t).value().trim().to_string();
        c.company_file = v(Text::CompanyFile);
        c.file_pattern = v(Text::FilePattern);
        c.connection.kind = self.kind;
        let wc = &mut c.connection.web_connector;
        wc.listen = v(Text::Listen);
        wc.path = v(Text::Path);
        wc.user_name = v(Text::UserName);
        let opt_path = |s: String| (!s.is_empty()).then(|| PathBuf::from(s));
        wc.tls_cert = opt_path(v(Text::TlsCert));
        wc.tls_key = opt_path(v(Text::TlsKey));
        c.import.include_customer_types = v(Text::IncludeTypes)
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        c.export.statuses = self.statuses.clone();
        let opt = |s: String| (!s.is_empty()).then_some(s);
        c.export.customer_type = opt(v(Text::ExportType));
        c.export.default_type_for = self.default_type_for;
        c.export.job_type = opt(v(Text::ExportJob));
        c.replace.groups = ReplaceGroup::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| self.replace.is_checked(*i))
            .map(|(_, g)| *g)
            .collect();
        let errors: Vec<FieldError> = c
            .validate()
            .into_iter()
            .filter(|p| {
                self.kind == ConnectionKind::WebConnector
                    || !p.key.setting().is_some_and(Setting::is_web_connector)
            })
            .map(|p| FieldError::new(p.key.as_str(), p.message))
            .collect();
        if errors.is_empty() {
            Ok(c)
        } else {
            Err(errors)
        }
    }

    fn dirty(&self) -> bool {
        !self.new_password().is_empty()
            || match self.draft() {
                Ok(c) => c != self.original,
                Err(_) => true,
            }
    }

    /// A Web Connector password typed to be set (only meaningful with the Web Connector).
    fn new_password(&self) -> &str {
        if self.kind == ConnectionKind::WebConnector {
            self.text(Text::Password).value()
        } else {
            ""
        }
    }

    fn show_errors(&mut self, errors: &[FieldError]) {
        self.statuses_error = None;
        for t in Text::ALL {
            let e = errors
                .iter()
                .find(|e| e.field == t.key())
                .map(|e| e.message.clone());
            self.text_mut(t).set_error(e);
        }
        if let Some(e) = errors.iter().find(|e| e.field == "export.statuses") {
            self.statuses_error = Some(e.message.clone());
        }
        // Show the first wrong field.
        if let Some(t) = Text::ALL
            .into_iter()
            .find(|&t| self.text(t).error().is_some())
        {
            if t.web_connector_only() {
                self.kind = ConnectionKind::WebConnector;
            }
            self.tabs.select(0);
            self.set_focus(Item::Text(t));
        }
    }

    fn save(&mut self, cx: &mut Cx) {
        match self.draft() {
            Ok(config) => {
                self.show_errors(&[]);
                self.saving = true;
                let password = self.new_password().to_string();
                if password.is_empty() {
                    cx.send(Command::SaveConfig(Box::new(config)));
                } else {
                    // The password first: a refused one keeps the operator here, nothing saved.
                    self.after_password = Some(config);
                    cx.send(Command::SetWebConnectorPassword(Secret(password)));
                }
            }
            Err(errors) => {
                self.show_errors(&errors);
                cx.status(Tone::Error, "Not saved: fix the values marked ✗.");
            }
        }
    }

    fn leave(&mut self, cx: &mut Cx) {
        if self.dirty() {
            cx.modal(dialogs::discard_changes("SetUp"));
        } else {
            cx.pop();
        }
    }

    fn activate(&mut self, cx: &mut Cx) {
        match self.focus {
            Item::Save => self.save(cx),
            Item::Cancel => self.leave(cx),
            Item::WriteQwc => {
                if self.dirty() {
                    cx.status(
                        Tone::Warning,
                        "Save the setup first (Ctrl-S), then write the .qwc file.",
                    );
                } else {
                    cx.send(Command::WriteQwc);
                }
            }
            Item::TabBar => self.switch_tab(true),
            Item::Connection => self.toggle_kind(),
            Item::DefaultTypeFor => self.toggle_default_type_for(),
            Item::Status(s) => self.toggle_status(s),
            Item::Text(_) | Item::ReplaceList => self.move_focus(true),
        }
    }

    fn toggle_kind(&mut self) {
        self.kind = match self.kind {
            ConnectionKind::Sandbox => ConnectionKind::WebConnector,
            ConnectionKind::WebConnector => ConnectionKind::Sandbox,
        };
    }

    fn toggle_default_type_for(&mut self) {
        self.default_type_for = match self.default_type_for {
            DefaultTypeFor::Every => DefaultTypeFor::WithoutType,
            DefaultTypeFor::WithoutType => DefaultTypeFor::Every,
        };
    }

    fn toggle_status(&mut self, s: CustomerStatus) {
        if !self.statuses.remove(&s) {
            self.statuses.insert(s);
        }
        self.statuses_error = None;
    }

    /// Lines of the Setup tab: (item on the line, if any).
    fn setup_lines(&self) -> Vec<SetupLine> {
        let mut l = vec![
            SetupLine::Heading("Company file"),
            SetupLine::Item(Item::Text(Text::CompanyFile)),
            SetupLine::Item(Item::Text(Text::FilePattern)),
            SetupLine::Heading("Connection"),
            SetupLine::Item(Item::Connection),
        ];
        if self.kind == ConnectionKind::WebConnector {
            for t in Text::ALL.iter().filter(|t| t.web_connector_only()) {
                l.push(SetupLine::Item(Item::Text(*t)));
            }
            l.push(SetupLine::Item(Item::WriteQwc));
        }
        l.push(SetupLine::Heading("Import"));
        l.push(SetupLine::Item(Item::Text(Text::IncludeTypes)));
        l.push(SetupLine::Heading("Export"));
        l.push(SetupLine::Statuses);
        l.push(SetupLine::Item(Item::Text(Text::ExportType)));
        l.push(SetupLine::Item(Item::DefaultTypeFor));
        l.push(SetupLine::Item(Item::Text(Text::ExportJob)));
        l
    }

    /// The focused item's message in full (next to the field it may be cut short).
    fn message(&self, theme: &Theme) -> Option<Paragraph<'static>> {
        let (is_error, m) = match self.focus {
            Item::Text(t) => self.text(t).message().map(|(e, m)| (e, m.to_string())),
            Item::Status(_) => self.statuses_error.clone().map(|m| (true, m)),
            _ => None,
        }?;
        let (g, style) = message_look(is_error, theme);
        Some(
            Paragraph::new(format!("{g} {}: {m}", self.focus_label()))
                .style(style)
                .wrap(Wrap { trim: false }),
        )
    }

    /// Tabs and a blank line above the body; below it the focused field's message (two lines,
    /// more when it needs them: a message is never cut) and the buttons.
    fn areas(&self, area: Rect) -> SetupAreas {
        let needed = self
            .message(&Theme::plain())
            .map_or(0, |p| p.line_count(area.width.saturating_sub(2)));
        let message_h = u16::try_from(needed)
            .unwrap_or(u16::MAX)
            .clamp(2, (area.height / 2).max(2));
        let [tabs, _, body, message, buttons] = area.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(message_h),
            Constraint::Length(1),
        ]));
        let [_, state, _, save, _, cancel, _] = buttons.layout(&Layout::horizontal([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(8),
            Constraint::Length(2),
            Constraint::Length(10),
            Constraint::Length(2),
        ]));
        SetupAreas {
            tabs,
            body,
            message: message.inner(Margin::new(1, 0)),
            state,
            save,
            cancel,
        }
    }

    fn click(&mut self, area: Rect, x: u16, y: u16, cx: &mut Cx) -> bool {
        let SetupAreas {
            tabs,
            body,
            save,
            cancel,
            ..
        } = self.areas(area);
        if tabs.contains((x, y).into()) {
            if let Some(i) = self.tabs.tab_at(tabs, x, y) {
                self.tabs.select(i);
                self.set_focus(Item::TabBar);
            }
            return true;
        }
        if save.contains((x, y).into()) {
            self.set_focus(Item::Save);
            self.save(cx);
            return true;
        }
        if cancel.contains((x, y).into()) {
            self.set_focus(Item::Cancel);
            self.leave(cx);
            return true;
        }
        if self.tabs.selected() == 1 {
            self.set_focus(Item::ReplaceList);
            return self.replace.click(body, x, y) != ListOutcome::Ignored;
        }
        let line = self.scroll.get() + y.saturating_sub(body.y) as usize;
        match self.setup_lines().get(line) {
            Some(SetupLine::Item(item)) => {
                self.set_focus(*item);
                if matches!(item, Item::Connection | Item::WriteQwc) {
                    self.activate(cx);
                }
            }
            Some(SetupLine::Statuses) => {
                let i = (x.saturating_sub(body.x + LABEL_W) / (STATUS_W + 2)) as usize;
                if let Some(&s) = CustomerStatus::ALL.get(i) {
                    self.set_focus(Item::Status(s));
                    self.toggle_status(s);
                }
            }
            _ => {}
        }
        true
    }
}

impl SetupScreen {
    fn handle(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        if let Msg::Click { column, row } = msg {
            return self.click(cx.area, *column, *row, cx);
        }
        if let Item::Text(t) = self.focus {
            match msg {
                Msg::Text(k) => return self.text_mut(t).handle_key(*k),
                Msg::Paste(p) => return self.text_mut(t).paste(p),
                _ => {}
            }
        }
        if self.focus == Item::ReplaceList && self.replace.is_filtering() {
            return self.replace.handle(msg) != ListOutcome::Ignored;
        }
        let Some(a) = msg.action() else {
            if self.focus == Item::ReplaceList {
                return self.replace.handle(msg) != ListOutcome::Ignored;
            }
            return false;
        };
        match (a, self.focus) {
            (Action::Save, _) => self.save(cx),
            (Action::Back, Item::ReplaceList) if !self.replace.filter().is_empty() => {
                return self.replace.handle(msg) != ListOutcome::Ignored;
            }
            (Action::Back, _) => self.leave(cx),
            (Action::Lookup, Item::Text(Text::CompanyFile)) => {
                let (dir, pattern) = start_for(
                    self.text(Text::CompanyFile).value(),
                    cx.workspace,
                    self.text(Text::FilePattern).value(),
                );
                let m = PickerModal::open(dir, &pattern, self.text(Text::CompanyFile).value(), cx);
                cx.modal(m);
            }
            (Action::Lookup, Item::Text(t)) if t.picks().is_some() => {
                if let Some(what) = t.picks() {
                    let current = self
                        .text(t)
                        .value()
                        .split(',')
                        .map(|v| v.trim().to_string())
                        .filter(|v| !v.is_empty())
                        .collect();
                    let m = ListPickerModal::open(what, current, cx);
                    cx.modal(m);
                }
            }
            (Action::NextTab, _) => self.switch_tab(true),
            (Action::PrevTab, _) => self.switch_tab(false),
            (Action::Left, Item::TabBar) => self.switch_tab(false),
            (Action::Right, Item::TabBar) => self.switch_tab(true),
            (Action::Left | Action::Right, Item::Connection) => self.toggle_kind(),
            (Action::Left | Action::Right, Item::DefaultTypeFor) => self.toggle_default_type_for(),
            (Action::FocusNext, _) => self.move_focus(true),
            (Action::FocusPrev, _) => self.move_focus(false),
            (Action::Toggle, Item::Status(s)) => self.toggle_status(s),
            (Action::Left | Action::Right, Item::Status(s)) => {
                let all = CustomerStatus::ALL;
                let i = all.iter().position(|&x| x == s).unwrap_or(0);
                let j = if a == Action::Right {
                    (i + 1).min(all.len() - 1)
                } else {
                    i.saturating_sub(1)
                };
                self.set_focus(Item::Status(all[j]));
            }
            (Action::Submit, _) => self.activate(cx),
            (_, Item::ReplaceList) => return self.replace.handle(msg) != ListOutcome::Ignored,
            (Action::Toggle, _) => self.activate(cx),
            _ => return false,
        }
        true
    }

    fn focus_label(&self) -> &'static str {
        match self.focus {
            Item::Text(t) => t.label().trim_start(),
            Item::Status(_) => "Export with status",
            _ => "",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SetupLine {
    Heading(&'static str),
    Item(Item),
    Statuses,
}

impl Component for SetupScreen {
    fn title(&self) -> String {
        "SetUp".into()
    }

    fn contexts(&self) -> Vec<Context> {
        match self.focus {
            Item::Text(Text::CompanyFile) => {
                vec![Context::Lookup, Context::TextField, Context::Form]
            }
            Item::Text(t) if t.picks().is_some() => {
                vec![Context::ListLookup, Context::TextField, Context::Form]
            }
            Item::Text(_) => vec![Context::TextField, Context::Form],
            Item::TabBar => vec![Context::Tabs, Context::Form],
            Item::Connection | Item::DefaultTypeFor => {
                vec![Context::Options, Context::Form, Context::Tabs]
            }
            Item::Status(_) => vec![Context::Checkboxes, Context::Form, Context::Tabs],
            Item::ReplaceList if self.replace.is_filtering() => self.replace.contexts(),
            Item::ReplaceList => {
                // The list first: ↓/j move in it; Tab (the form's) leaves it.
                let mut c = self.replace.contexts();
                c.extend([Context::Form, Context::Tabs]);
                c
            }
            _ => vec![Context::Form, Context::Tabs],
        }
    }

    fn captures_text(&self) -> bool {
        matches!(self.focus, Item::Text(_))
            || (self.focus == Item::ReplaceList && self.replace.captures_text())
    }

    fn unsaved(&self) -> Option<String> {
        self.dirty()
            .then(|| "SetUp has changes that are not saved.".into())
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        let changed = self.handle(msg, cx);
        self.unsaved = self.dirty();
        changed
    }

    fn on_event(&mut self, ev: Event, cx: &mut Cx) -> Option<Event> {
        match ev {
            Event::ConfigSaved(c) if self.saving => {
                self.saving = false;
                cx.status(Tone::Success, "Setup saved.");
                cx.pop();
                Some(Event::ConfigSaved(c))
            }
            Event::PasswordSet if self.saving => {
                self.text_mut(Text::Password).set_value("");
                self.unsaved = self.dirty();
                match self.after_password.take() {
                    Some(config) => cx.send(Command::SaveConfig(Box::new(config))),
                    None => self.saving = false,
                }
                None
            }
            Event::Rejected {
                during: Task::SaveConfig | Task::SetPassword,
                errors,
            } if self.saving => {
                self.after_password = None;
                self.saving = false;
                // Showing a Web Connector field's error chooses the Web Connector.
                self.show_errors(&errors);
                self.unsaved = self.dirty();
                cx.status(Tone::Error, "Not saved: fix the values marked ✗.");
                None
            }
            Event::Failed {
                during: Task::SaveConfig | Task::SetPassword,
                explanation,
            } => {
                self.saving = false;
                self.after_password = None;
                cx.modal(dialogs::explanation(&explanation));
                None
            }
            Event::QwcWritten(path) => {
                cx.status(
                    Tone::Success,
                    format!(
                        "Wrote {}; add it to the QuickBooks Web Connector.",
                        path.display()
                    ),
                );
                None
            }
            other => Some(other),
        }
    }

    fn on_intent(&mut self, intent: Intent, cx: &mut Cx) -> Option<Intent> {
        match intent {
            Intent::DiscardChanges => cx.pop(),
            Intent::Picked { what, values } => {
                match Text::ALL.into_iter().find(|t| t.picks() == Some(what)) {
                    Some(t) => {
                        self.text_mut(t).set_value(&values.join(", "));
                        self.set_focus(Item::Text(t));
                        self.unsaved = self.dirty();
                    }
                    None => return Some(Intent::Picked { what, values }),
                }
            }
            Intent::FileChosen(p) => {
                self.text_mut(Text::CompanyFile)
                    .set_value(&p.to_string_lossy());
                self.set_focus(Item::Text(Text::CompanyFile));
                self.unsaved = self.dirty();
            }
            other => return Some(other),
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let l = self.areas(area);
        self.tabs
            .render(l.tabs, buf, theme, self.focus == Item::TabBar);
        if self.tabs.selected() == 1 {
            self.replace
                .render(l.body, buf, theme, self.focus == Item::ReplaceList);
        } else {
            self.render_setup(l.body, buf, theme);
        }
        for (rect, label, item) in [
            (l.save, "[ Save ]", Item::Save),
            (l.cancel, "[ Cancel ]", Item::Cancel),
        ] {
            let style = if self.focus == item {
                theme.button_focused
            } else {
                theme.button
            };
            Line::styled(label, style).render(rect, buf);
        }
        let hint = if self.saving {
            "saving…"
        } else if self.unsaved {
            "unsaved changes"
        } else {
            ""
        };
        cut(hint, l.state.width, theme.hint).render(l.state, buf);
        if let Some(text) = self.message(theme) {
            // Just above the buttons.
            let lines = u16::try_from(text.line_count(l.message.width))
                .unwrap_or(u16::MAX)
                .min(l.message.height);
            let [_, shown] = l.message.layout(&Layout::vertical([
                Constraint::Fill(1),
                Constraint::Length(lines),
            ]));
            text.render(shown, buf);
        }
    }
}

impl SetupScreen {
    fn render_setup(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let lines = self.setup_lines();
        let height = area.height as usize;
        let focus_line = lines
            .iter()
            .position(|l| match (l, self.focus) {
                (SetupLine::Item(i), f) => *i == f,
                (SetupLine::Statuses, Item::Status(_)) => true,
                _ => false,
            })
            .unwrap_or(0);
        let top = scroll_to_show(self.scroll.get(), focus_line, height);
        self.scroll.set(top);
        let layout = FieldLayout {
            label_width: LABEL_W,
            input_width: 40.min(area.width.saturating_sub(LABEL_W + 12)),
        };
        for (line, row) in lines.iter().skip(top).zip(area.rows()) {
            // Label, then what follows it (a field's hint sits after its input).
            let [label, value] = row.layout(&Layout::horizontal([
                Constraint::Length(LABEL_W),
                Constraint::Fill(1),
            ]));
            let [_, after_input] = value.layout(&Layout::horizontal([
                Constraint::Length(layout.input_width + 1),
                Constraint::Fill(1),
            ]));
            match line {
                SetupLine::Heading(h) => {
                    cut(&format!("── {h} "), row.width, theme.header).render(row, buf);
                }
                SetupLine::Item(Item::Text(t)) => {
                    self.text(*t).render(row, buf, theme, layout);
                    let hint = match t {
                        Text::CompanyFile => "F4 lookup",
                        Text::IncludeTypes => "F4 pick · comma-separated",
                        Text::ExportType | Text::ExportJob => "F4 pick",
                        _ => "",
                    };
                    if self.text(*t).message().is_none() {
                        cut(hint, after_input.width, theme.hint).render(after_input, buf);
                    }
                }
                SetupLine::Item(Item::Connection) => {
                    let focused = self.focus == Item::Connection;
                    form_label("Connect through", focused, theme).render(label, buf);
                    let options = [
                        (ConnectionKind::Sandbox, "Sandbox company"),
                        (ConnectionKind::WebConnector, "QuickBooks Web Connector"),
                    ]
                    .map(|(k, name)| (name, self.kind == k));
                    fit_line(radio_row(options, focused, theme), value.width).render(value, buf);
                }
                SetupLine::Item(Item::DefaultTypeFor) => {
                    let focused = self.focus == Item::DefaultTypeFor;
                    form_label("  Set the type on", focused, theme).render(label, buf);
                    let options =
                        DefaultTypeFor::ALL.map(|d| (d.label(), self.default_type_for == d));
                    fit_line(radio_row(options, focused, theme), value.width).render(value, buf);
                }
                SetupLine::Item(Item::WriteQwc) => {
                    let focused = self.focus == Item::WriteQwc;
                    form_label("", focused, theme).render(label, buf);
                    let style = if focused {
                        theme.button_focused
                    } else {
                        theme.button
                    };
                    Line::from(Span::styled("[ Write .qwc file ]", style)).render(value, buf);
                }
                SetupLine::Statuses => {
                    let focused = matches!(self.focus, Item::Status(_));
                    form_label("Export with status", focused, theme).render(label, buf);
                    let mut spans = Vec::new();
                    for s in CustomerStatus::ALL {
                        let on = self.statuses.contains(&s);
                        let text =
                            format!("{} {s}", if on { glyph::CHECKED } else { glyph::UNCHECKED });
                        let style = if self.focus == Item::Status(s) {
                            theme.cursor
                        } else if on {
                            theme.checked
                        } else {
                            theme.base
                        };
                        // Each box in a column of its own (a click finds it by column).
                        let w = usize::from(STATUS_W);
                        spans.push(Span::styled(format!("{text:<w$}"), style));
                        spans.push(Span::raw("  "));
                    }
                    if let Some(e) = &self.statuses_error {
                        spans.push(Span::styled(format!("{} {e}", glyph::ERROR), theme.error));
                    }
                    fit_line(Line::from(spans), value.width).render(value, buf);
                }
                SetupLine::Item(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::component::Effect;
    use crate::tui::keymap::Key;
    use std::path::Path;

    struct Run {
        config: Config,
        commands: Vec<Command>,
        popped: bool,
        modal: bool,
    }

    fn drive(s: &mut SetupScreen, msgs: Vec<Msg>) -> Run {
        let config = Config::default();
        let mut r = Run {
            config: config.clone(),
            commands: vec![],
            popped: false,
            modal: false,
        };
        for m in msgs {
            let mut cx = Cx::new(&r.config, Path::new("/ws"), Rect::new(0, 0, 80, 20));
            s.update(&m, &mut cx);
            for e in cx.into_effects() {
                match e {
                    Effect::Send(c) => r.commands.push(c),
                    Effect::Pop => r.popped = true,
                    Effect::Modal(_) => r.modal = true,
                    _ => {}
                }
            }
        }
        let _ = &mut r.config;
        r
    }

    fn a(x: Action) -> Msg {
        Msg::Action(x)
    }

    fn typed(s: &str) -> Vec<Msg> {
        s.chars().map(|c| Msg::Text(Key::Char(c).event())).collect()
    }

    #[test]
    fn save_refuses_bad_values_next_to_the_field_and_sends_nothing() {
        let mut s = SetupScreen::new(&Config::default());
        // Clear the pattern.
        let mut msgs = vec![a(Action::FocusNext), a(Action::FocusNext)];
        msgs.extend((0..10).map(|_| Msg::Text(Key::Backspace.event())));
        msgs.push(a(Action::Save));
        let r = drive(&mut s, msgs);
        assert!(r.commands.is_empty());
        assert!(s.text(Text::FilePattern).error().is_some());
        assert_eq!(s.focus, Item::Text(Text::FilePattern));
    }

    #[test]
    fn whom_the_default_type_is_set_on_is_chosen_with_the_arrows() {
        let mut s = SetupScreen::new(&Config::default());
        assert_eq!(
            s.draft().unwrap().export.default_type_for,
            DefaultTypeFor::Every,
            "the seed: every exported customer"
        );
        s.set_focus(Item::DefaultTypeFor);
        drive(&mut s, vec![a(Action::Right)]);
        assert_eq!(
            s.draft().unwrap().export.default_type_for,
            DefaultTypeFor::WithoutType
        );
        drive(&mut s, vec![a(Action::Left)]);
        assert_eq!(
            s.draft().unwrap().export.default_type_for,
            DefaultTypeFor::Every
        );
    }

    #[test]
    fn web_connector_fields_are_checked_only_when_chosen() {
        let mut s = SetupScreen::new(&Config::default());
        s.text_mut(Text::Listen).set_value("not an address");
        assert!(
            s.draft().is_ok(),
            "sandbox does not care about the listen address"
        );
        s.set_focus(Item::Connection);
        drive(&mut s, vec![a(Action::Right)]);
        let errs = s.draft().unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "connection.web_connector.listen");
    }

    #[test]
    fn saving_sends_the_whole_draft_and_space_toggles_statuses_and_groups() {
        let mut s = SetupScreen::new(&Config::default());
        s.set_focus(Item::Text(Text::IncludeTypes));
        let mut msgs = typed("Retail, Wholesale ,");
        msgs.push(a(Action::FocusNext));
        msgs.extend([
            a(Action::FocusNext),
            a(Action::FocusNext),
            a(Action::FocusNext),
            a(Action::Toggle),
        ]);
        msgs.extend([a(Action::NextTab), a(Action::Toggle), a(Action::Save)]);
        let r = drive(&mut s, msgs);
        let [Command::SaveConfig(c)] = r.commands.as_slice() else {
            panic!("{:?}", r.commands)
        };
        assert_eq!(c.import.include_customer_types, vec!["Retail", "Wholesale"]);
        assert!(!c.export.statuses.contains(&CustomerStatus::Inactive));
        assert_eq!(
            c.replace.groups.iter().copied().collect::<Vec<_>>(),
            vec![ReplaceGroup::CompanyName]
        );
    }

    #[test]
    fn esc_with_changes_asks_and_without_changes_leaves() {
        let mut s = SetupScreen::new(&Config::default());
        let r = drive(&mut s, vec![a(Action::Back)]);
        assert!(r.popped && !r.modal);
        let mut s = SetupScreen::new(&Config::default());
        let mut msgs = vec![a(Action::FocusNext)];
        msgs.extend(typed("x"));
        msgs.push(a(Action::Back));
        let r = drive(&mut s, msgs);
        assert!(!r.popped && r.modal);
    }
}
