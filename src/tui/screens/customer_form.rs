//! Add / edit one SMSTurbo customer: a text field for every mapped field, grouped, plus the
//! QuickBooks name and the status.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::dialogs;
use super::list_picker::ListPickerModal;
use crate::qbxml::fields::Kind;
use crate::qbxml::{Amount, Field};
use crate::store::column::has_qb_spelling;
use crate::store::{Column, Customer, CustomerStatus};
use crate::sync::ReplaceGroup;
use crate::tui::action::{Action, Msg};
use crate::tui::component::{Component, Cx, Intent, Tone};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;
use crate::tui::view::PickFor;
use crate::tui::widgets::text_field::{FieldLayout, TextField};
use crate::tui::widgets::{cut, fit_line, form_label, message_look, radio_row, scroll_to_show};
use crate::tui::worker::{Command, Event, Task};

/// The form's groups, in screen order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    Identity,
    Contact,
    BillAddress,
    ShipAddress,
    PhonesEmail,
    QuickBooksRefs,
    Notes,
}

impl Group {
    const ALL: [Group; 7] = [
        Group::Identity,
        Group::Contact,
        Group::BillAddress,
        Group::ShipAddress,
        Group::PhonesEmail,
        Group::QuickBooksRefs,
        Group::Notes,
    ];

    fn title(self) -> &'static str {
        match self {
            Group::Identity => "Identity",
            Group::Contact => "Contact",
            Group::BillAddress => "Bill address",
            Group::ShipAddress => "Ship address",
            Group::PhonesEmail => "Phones and email",
            Group::QuickBooksRefs => "QuickBooks lists and numbers",
            Group::Notes => "Notes",
        }
    }

    /// The group of a field, from the Replace Options groups (which already sort the fields).
    fn of(f: Field) -> Group {
        match ReplaceGroup::of(f) {
            None | Some(ReplaceGroup::CompanyName) => Group::Identity,
            Some(ReplaceGroup::ContactNames) => Group::Contact,
            Some(ReplaceGroup::BillAddress) => Group::BillAddress,
            Some(ReplaceGroup::ShipAddress) => Group::ShipAddress,
            Some(ReplaceGroup::Phones | ReplaceGroup::Email) => Group::PhonesEmail,
            Some(ReplaceGroup::Notes) => Group::Notes,
            Some(
                ReplaceGroup::CreditLimit
                | ReplaceGroup::CustomerType
                | ReplaceGroup::Terms
                | ReplaceGroup::SalesRep
                | ReplaceGroup::TaxCode
                | ReplaceGroup::ResaleNumber
                | ReplaceGroup::ActiveStatus,
            ) => Group::QuickBooksRefs,
        }
    }
}

/// What a form line holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Field(Field),
    QbName,
    /// How QuickBooks spells the field (shown for fields that have one, or need one).
    QbSpelling(Field),
    Status,
}

impl Slot {
    /// The key a back end uses in a [`crate::tui::worker::FieldError`].
    fn key(self) -> &'static str {
        match self {
            Slot::Field(f) => f.key(),
            Slot::QbName => "qb_name",
            Slot::QbSpelling(f) => Column::QbSpelling(f).key(),
            Slot::Status => "status",
        }
    }
}

enum Line {
    Heading(Group),
    Item(usize),
}

pub struct CustomerForm {
    original: Option<Customer>,
    slots: Vec<Slot>,
    /// One text field per slot (the status slot's is unused).
    fields: Vec<TextField>,
    status: CustomerStatus,
    lines: Vec<Line>,
    focus: usize,
    scroll: std::cell::Cell<usize>,
    saving: bool,
    /// The customer's links to QuickBooks companies, in words (an existing customer's; they
    /// arrive after the form opens).
    links: Vec<String>,
}

const LABEL_W: u16 = 22;

impl CustomerForm {
    pub fn new_customer() -> CustomerForm {
        CustomerForm::build(None)
    }

    pub fn edit(c: Customer) -> CustomerForm {
        CustomerForm::build(Some(c))
    }

    fn build(original: Option<Customer>) -> CustomerForm {
        let mut slots = Vec::new();
        let mut lines = Vec::new();
        for g in Group::ALL {
            lines.push(Line::Heading(g));
            let mut fields: Vec<Field> = Field::ALL
                .iter()
                .copied()
                .filter(|&f| Group::of(f) == g)
                .collect();
            if g == Group::Identity {
                // The code is the key: first. The QuickBooks name and the status follow the name.
                fields.sort_by_key(|&f| f != Field::AccountNumber);
            }
            for f in fields {
                lines.push(Line::Item(slots.len()));
                slots.push(Slot::Field(f));
                if needs_spelling(original.as_ref(), f) {
                    lines.push(Line::Item(slots.len()));
                    slots.push(Slot::QbSpelling(f));
                }
                if f == Field::Name {
                    for extra in [Slot::QbName, Slot::Status] {
                        lines.push(Line::Item(slots.len()));
                        slots.push(extra);
                    }
                }
            }
        }
        let value = |s: Slot| -> String {
            let Some(c) = &original else {
                return String::new();
            };
            match s {
                Slot::Field(f) => c.data.get(f).unwrap_or("").to_string(),
                Slot::QbName => c.qb_name.clone().unwrap_or_default(),
                Slot::QbSpelling(f) => c.qb_spellings.get(f).unwrap_or("").to_string(),
                Slot::Status => String::new(),
            }
        };
        let fields = slots
            .iter()
            .map(|&s| {
                let label = match s {
                    Slot::Field(f) => f.label(),
                    Slot::QbName => "QuickBooks name",
                    Slot::QbSpelling(_) => "  in QuickBooks",
                    Slot::Status => "Status",
                };
                let mut t = TextField::new(label, &value(s));
                match s {
                    Slot::QbName => t = t.with_placeholder("(same as Name)"),
                    Slot::QbSpelling(_) => t = t.with_placeholder("(same as above)"),
                    _ => {}
                }
                t
            })
            .collect();
        let status = original
            .as_ref()
            .map_or(CustomerStatus::Active, |c| c.status);
        let mut form = CustomerForm {
            original,
            slots,
            fields,
            status,
            lines,
            focus: 0,
            scroll: std::cell::Cell::new(0),
            saving: false,
            links: Vec::new(),
        };
        // An existing customer shows what QuickBooks will object to at once; a new, empty form
        // does not scold before anything was typed.
        if form.original.is_some() {
            for i in 0..form.slots.len() {
                form.check(i);
            }
        }
        form.set_focus(0);
        form
    }

    fn set_focus(&mut self, i: usize) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.set_focused(false);
        }
        self.focus = i.min(self.slots.len().saturating_sub(1));
        if self.slots.get(self.focus) != Some(&Slot::Status)
            && let Some(f) = self.fields.get_mut(self.focus)
        {
            f.set_focused(true);
        }
    }

    fn customer(&self) -> Customer {
        let mut c = self
            .original
            .clone()
            .unwrap_or_else(|| Customer::new("", "", self.status));
        for (&slot, field) in self.slots.iter().zip(&self.fields) {
            let v = field.value().trim();
            match slot {
                Slot::Field(f) => c.data.set(f, v),
                Slot::QbName => c.qb_name = (!v.is_empty()).then(|| v.to_string()),
                Slot::QbSpelling(f) => c.qb_spellings.set(f, v),
                Slot::Status => {}
            }
        }
        c.status = self.status;
        c
    }

    fn dirty(&self) -> bool {
        match &self.original {
            Some(o) => self.customer() != *o,
            None => self.fields.iter().any(|f| !f.value().trim().is_empty()),
        }
    }

    /// Checks one value: errors refuse the save; warnings say what QuickBooks will object to.
    fn check(&mut self, i: usize) {
        let Some(&slot) = self.slots.get(i) else {
            return;
        };
        let value = self.fields[i].value().trim().to_string();
        let (error, mut warning) = validate(slot, &value);
        // A value QuickBooks cannot take is fine once it has a QuickBooks spelling.
        if let Slot::Field(f) = slot
            && self.spelling_of(f).is_some_and(|s| !s.is_empty())
        {
            warning = None;
        }
        self.fields[i].set_error(error);
        self.fields[i].set_warning(warning);
    }

    /// Checks slot `i` after a change, and the field a QuickBooks spelling belongs to (whose
    /// warning it answers).
    fn edited(&mut self, i: usize) {
        self.check(i);
        if let Some(&Slot::QbSpelling(f)) = self.slots.get(i)
            && let Some(j) = self.slots.iter().position(|&s| s == Slot::Field(f))
        {
            self.check(j);
        }
    }

    /// What the QuickBooks spelling field of `f` holds, if the form shows one.
    fn spelling_of(&self, f: Field) -> Option<&str> {
        self.slots
            .iter()
            .position(|&s| s == Slot::QbSpelling(f))
            .map(|i| self.fields[i].value().trim())
    }

    fn save(&mut self, cx: &mut Cx) {
        for i in 0..self.slots.len() {
            self.check(i);
        }
        if let Some(first) = self.fields.iter().position(|f| f.error().is_some()) {
            self.set_focus(first);
            cx.status(
                Tone::Error,
                "Some values are refused; see the messages next to the fields.",
            );
            return;
        }
        self.saving = true;
        cx.send(Command::SaveCustomer {
            original_code: self.original.as_ref().map(|c| c.code().to_string()),
            customer: Box::new(self.customer()),
        });
    }

    /// The first item of the next (or previous) group from the focus.
    fn group_start(&self, forward: bool) -> usize {
        let starts: Vec<usize> = self
            .lines
            .windows(2)
            .filter_map(|w| match w {
                [Line::Heading(_), Line::Item(i)] => Some(*i),
                _ => None,
            })
            .collect();
        let found = if forward {
            starts.iter().copied().find(|&s| s > self.focus)
        } else {
            starts.iter().rev().copied().find(|&s| s < self.focus)
        };
        found.unwrap_or(if forward { self.focus } else { 0 })
    }

    fn line_of_focus(&self) -> usize {
        self.lines
            .iter()
            .position(|l| matches!(l, Line::Item(i) if *i == self.focus))
            .unwrap_or(0)
    }
}

/// The rules a value must meet before it is saved (errors), and what QuickBooks would refuse
/// at export (warnings: SMSTurbo keeps the value, the sync flags it).
fn validate(slot: Slot, value: &str) -> (Option<String>, Option<String>) {
    match slot {
        Slot::Field(Field::AccountNumber) if value.is_empty() => {
            return (Some("a code is required".into()), None);
        }
        Slot::Field(Field::Name) if value.is_empty() => {
            return (Some("a name is required".into()), None);
        }
        Slot::QbName if value.contains(':') => {
            return (Some("QuickBooks names cannot contain ':'".into()), None);
        }
        Slot::Field(f) if f.kind() == Kind::Amount && !value.is_empty() => {
            if let Err(e) = Amount::parse(value) {
                return (Some(e.reason.to_string() + " (e.g. 2500.00)"), None);
            }
        }
        _ => {}
    }
    let max = match slot {
        Slot::Field(f) | Slot::QbSpelling(f) => f.max_len(),
        Slot::QbName => Field::Name.max_len(),
        Slot::Status => None,
    };
    let len = value.chars().count();
    if let Some(max) = max
        && len > max
    {
        let fix = match slot {
            Slot::Field(Field::Name) => "; set a QuickBooks name",
            Slot::Field(f) if has_qb_spelling(f) => "; set how QuickBooks spells it",
            _ => "",
        };
        return (
            None,
            Some(format!(
                "QuickBooks allows {max} characters, this has {len}{fix}"
            )),
        );
    }
    if slot == Slot::Field(Field::Name) && value.contains(':') {
        return (
            None,
            Some("QuickBooks names cannot contain ':'; set a QuickBooks name".into()),
        );
    }
    if let Some(c) = value.chars().find(|&c| u32::from(c) > 0xFF) {
        let fix = match slot {
            Slot::Field(Field::Name) => "; set a QuickBooks name",
            Slot::Field(f) if has_qb_spelling(f) => "; set how QuickBooks spells it",
            _ => "",
        };
        return (
            None,
            Some(format!("QuickBooks cannot store '{c}' (Latin-1 only){fix}")),
        );
    }
    (None, None)
}

/// The QuickBooks list a slot's value can be picked from.
fn picks(slot: Slot) -> Option<PickFor> {
    match slot {
        Slot::Field(Field::CustomerType) => Some(PickFor::CustomerType),
        Slot::Field(Field::Terms) => Some(PickFor::Terms),
        _ => None,
    }
}

/// Whether the form shows a QuickBooks spelling line under `f`: when the customer has one, or
/// its value is one QuickBooks cannot take.
fn needs_spelling(customer: Option<&Customer>, f: Field) -> bool {
    let Some(c) = customer else {
        return false;
    };
    has_qb_spelling(f)
        && (c.qb_spellings.get(f).is_some()
            || validate(Slot::Field(f), c.data.get(f).unwrap_or(""))
                .1
                .is_some())
}

/// What the info line says about a field that has nothing wrong.
fn field_help(slot: Slot) -> String {
    match slot {
        Slot::Field(Field::AccountNumber) => {
            "The customer's code: unique, QuickBooks' account number (required).".into()
        }
        Slot::Field(Field::Name) => {
            "Required. QuickBooks names are unique across customers, vendors and employees.".into()
        }
        Slot::QbName => {
            "The name to use in QuickBooks when the SMSTurbo name is too long or taken there."
                .into()
        }
        Slot::QbSpelling(f) => format!(
            "What QuickBooks gets for {} when it cannot take SMSTurbo's (SMSTurbo keeps its own).",
            f.label()
        ),
        Slot::Field(f) if f.kind() == Kind::Amount => "An amount such as 2500 or 2500.00.".into(),
        Slot::Field(f) => match f.max_len() {
            Some(n) => format!("QuickBooks takes up to {n} characters."),
            None => String::new(),
        },
        Slot::Status => String::new(),
    }
}

impl Component for CustomerForm {
    fn title(&self) -> String {
        match &self.original {
            Some(c) => format!("Edit customer {}", c.code()),
            None => "Add customer".into(),
        }
    }

    fn contexts(&self) -> Vec<Context> {
        match self.slots.get(self.focus) {
            Some(Slot::Status) => vec![Context::Options, Context::Form],
            Some(&slot) if picks(slot).is_some() => {
                vec![Context::ListLookup, Context::TextField, Context::Form]
            }
            _ => vec![Context::TextField, Context::Form],
        }
    }

    fn captures_text(&self) -> bool {
        self.slots.get(self.focus) != Some(&Slot::Status)
    }

    fn unsaved(&self) -> Option<String> {
        self.dirty()
            .then(|| "This customer has changes that are not saved.".into())
    }

    fn update(&mut self, msg: &Msg, cx: &mut Cx) -> bool {
        let n = self.slots.len();
        match msg {
            Msg::Text(k) => {
                if self.slots[self.focus] != Slot::Status && self.fields[self.focus].handle_key(*k)
                {
                    self.edited(self.focus);
                }
            }
            Msg::Paste(t) => {
                self.fields[self.focus].paste(t);
                self.edited(self.focus);
            }
            Msg::Action(a) => match a {
                Action::FocusNext | Action::Submit => self.set_focus((self.focus + 1) % n),
                Action::PageDown | Action::PageUp => {
                    let i = self.group_start(*a == Action::PageDown);
                    self.set_focus(i);
                }
                Action::FocusPrev => self.set_focus((self.focus + n - 1) % n),
                Action::Left | Action::Right if self.slots[self.focus] == Slot::Status => {
                    let all = CustomerStatus::ALL;
                    let i = all.iter().position(|&s| s == self.status).unwrap_or(0);
                    let j = if *a == Action::Right {
                        (i + 1) % all.len()
                    } else {
                        (i + all.len() - 1) % all.len()
                    };
                    self.status = all[j];
                }
                Action::Save => self.save(cx),
                Action::Lookup => {
                    if let Some(what) = picks(self.slots[self.focus]) {
                        let current = self.fields[self.focus].value().trim().to_string();
                        let current = (!current.is_empty())
                            .then_some(current)
                            .into_iter()
                            .collect();
                        let m = ListPickerModal::open(what, current, cx);
                        cx.modal(m);
                    }
                }
                Action::Back => {
                    if self.dirty() {
                        cx.modal(dialogs::discard_changes("This customer"));
                    } else {
                        cx.pop();
                    }
                }
                _ => return false,
            },
            Msg::Wheel { down, .. } => {
                let i = if *down {
                    (self.focus + 3).min(n - 1)
                } else {
                    self.focus.saturating_sub(3)
                };
                self.set_focus(i);
            }
            Msg::Click { row, .. } => {
                let line = self.scroll.get() + row.saturating_sub(cx.area.y) as usize;
                if let Some(Line::Item(i)) = self.lines.get(line) {
                    self.set_focus(*i);
                }
            }
        }
        true
    }

    fn on_event(&mut self, ev: Event, cx: &mut Cx) -> Option<Event> {
        match ev {
            Event::CustomerLinks { code, lines }
                if self.original.as_ref().is_some_and(|c| c.code() == code) =>
            {
                self.links = lines;
                None
            }
            Event::CustomerSaved(c) => {
                self.saving = false;
                cx.status(Tone::Success, format!("Saved {} ({}).", c.name(), c.code()));
                cx.send(Command::LoadCustomers);
                cx.pop();
                cx.intent(Intent::CustomerSaved);
                None
            }
            Event::Rejected {
                during: Task::SaveCustomer,
                errors,
            } => {
                self.saving = false;
                for e in &errors {
                    if let Some(i) = self.slots.iter().position(|s| s.key() == e.field) {
                        self.fields[i].set_error(Some(e.message.clone()));
                    }
                }
                if let Some(first) = self.fields.iter().position(|f| f.error().is_some()) {
                    self.set_focus(first);
                }
                let summary = errors
                    .first()
                    .map_or_else(String::new, |e| e.message.clone());
                cx.status(Tone::Error, format!("Not saved: {summary}"));
                None
            }
            Event::Failed {
                during: Task::SaveCustomer,
                explanation,
            } => {
                self.saving = false;
                cx.modal(dialogs::explanation(&explanation));
                None
            }
            other => Some(other),
        }
    }

    fn on_intent(&mut self, intent: Intent, cx: &mut Cx) -> Option<Intent> {
        match intent {
            Intent::DiscardChanges => {
                cx.pop();
                None
            }
            Intent::Picked { what, values } => {
                let slot = self.slots.iter().position(|&s| picks(s) == Some(what));
                match (slot, values.first()) {
                    (Some(i), Some(v)) => {
                        self.fields[i].set_value(v);
                        self.set_focus(i);
                        self.edited(i);
                        None
                    }
                    (Some(_), None) => None,
                    (None, _) => Some(Intent::Picked { what, values }),
                }
            }
            other => Some(other),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        // The first lines say how the customer is linked to QuickBooks; the last lines tell
        // about the focused field in full (wrapped, up to three lines).
        let links_h = u16::try_from(self.links.len().min(2)).unwrap_or(2);
        let [links, area] = area.layout(&Layout::vertical([
            Constraint::Length(links_h),
            Constraint::Fill(1),
        ]));
        for (line, row) in self.links.iter().zip(links.rows()) {
            cut(&format!(" QuickBooks: {line}"), row.width, theme.hint).render(row, buf);
        }
        let (info, info_style) = match self.slots.get(self.focus) {
            Some(Slot::Status) => (
                "← → choose the status; only Inactive is inactive in QuickBooks".to_string(),
                theme.hint,
            ),
            Some(&slot) => match self.fields[self.focus].message() {
                Some((is_error, m)) => {
                    let (g, style) = message_look(is_error, theme);
                    let label = self.fields[self.focus].label();
                    (format!("{g} {label}: {m}"), style)
                }
                None => (field_help(slot), theme.hint),
            },
            None => (String::new(), theme.hint),
        };
        let info = Paragraph::new(info)
            .style(info_style)
            .wrap(Wrap { trim: false });
        let info_h = u16::try_from(info.line_count(area.width.saturating_sub(1)))
            .unwrap_or(1)
            .clamp(1, 3);
        let [form, info_row] = area.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(info_h),
        ]));
        let [_, info_area] = info_row.layout(&Layout::horizontal([
            Constraint::Length(1),
            Constraint::Fill(1),
        ]));
        info.render(info_area, buf);
        let height = form.height as usize;
        let top = scroll_to_show(self.scroll.get(), self.line_of_focus(), height);
        self.scroll.set(top);
        let layout = FieldLayout {
            label_width: LABEL_W,
            input_width: 42.min(form.width.saturating_sub(LABEL_W + 14)),
        };
        for (line, row) in self.lines.iter().skip(top).zip(form.rows()) {
            match line {
                Line::Heading(g) => {
                    cut(&format!("── {} ", g.title()), row.width, theme.header).render(row, buf);
                }
                Line::Item(i) if self.slots[*i] == Slot::Status => {
                    let focused = *i == self.focus;
                    let [label, value] = row.layout(&Layout::horizontal([
                        Constraint::Length(LABEL_W),
                        Constraint::Fill(1),
                    ]));
                    form_label("Status", focused, theme).render(label, buf);
                    let options = CustomerStatus::ALL.map(|s| (s.as_str(), s == self.status));
                    fit_line(radio_row(options, focused, theme), value.width).render(value, buf);
                }
                Line::Item(i) => self.fields[*i].render(row, buf, theme, layout),
            }
        }
        if self.saving {
            let [_, saving] = form.layout(&Layout::horizontal([
                Constraint::Fill(1),
                Constraint::Length(10),
            ]));
            cut("saving…", saving.width, theme.hint).render(saving, buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_on_the_form_once() {
        let f = CustomerForm::new_customer();
        for &field in Field::ALL {
            assert_eq!(
                f.slots.iter().filter(|&&s| s == Slot::Field(field)).count(),
                1
            );
        }
        assert_eq!(f.slots.first(), Some(&Slot::Field(Field::AccountNumber)));
        assert_eq!(f.slots.len(), Field::COUNT + 2);
    }

    #[test]
    fn page_keys_jump_between_groups() {
        let mut f = CustomerForm::new_customer();
        let next = f.group_start(true);
        assert_eq!(f.slots[next], Slot::Field(Field::FirstName));
        f.set_focus(next);
        assert_eq!(f.slots[f.group_start(true)], Slot::Field(Field::BillAddr1));
        assert_eq!(f.group_start(false), 0);
    }

    #[test]
    fn validation_refuses_only_what_cannot_be_saved() {
        assert!(validate(Slot::Field(Field::Name), "").0.is_some());
        assert!(validate(Slot::Field(Field::AccountNumber), "").0.is_some());
        assert!(
            validate(Slot::Field(Field::CreditLimit), "12.345")
                .0
                .is_some()
        );
        assert_eq!(
            validate(Slot::Field(Field::CreditLimit), "2500"),
            (None, None)
        );
        assert!(validate(Slot::QbName, "A:B").0.is_some());
        let long = "x".repeat(42);
        let (e, w) = validate(Slot::Field(Field::Name), &long);
        assert!(e.is_none());
        assert!(w.unwrap().contains("set a QuickBooks name"));
        let (e, w) = validate(Slot::Field(Field::BillCity), "Łódź");
        assert!(e.is_none() && w.unwrap().contains("Latin-1"));
        assert_eq!(
            validate(Slot::Field(Field::BillCity), "Zürich"),
            (None, None)
        );
    }
}
