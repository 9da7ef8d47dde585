//! A scrollable list of rows with a checkbox column, columns fitted to the width, an incremental
//! `/` filter that ignores case and accents, sorting by any column in the order people read
//! names, and, for checklists, a range (`v`), checking by pattern (`+`/`-`) and a view of the
//! checked rows only (`c`); rows that cannot be checked say why.
//!
//! Built for 100,000 rows: the model (row order, filter index, checked counts, blocked reasons)
//! is kept here and ratatui draws a `Table` of only the rows on screen (never one table row per
//! list row), with a scrollbar on the border; the title's counts are kept up to date instead of
//! recounted, and each filter keystroke scans text folded once when the rows are set (only the
//! current matches when the filter grows). Folding and the natural order are `crate::text`'s,
//! the same the duplicate search uses.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{
    Block, Cell as TableCell, HighlightSpacing, Row as TableRow, StatefulWidget, Table, TableState,
    Widget,
};

use super::text_field::{FieldLayout, TextField};
use super::{cut, fit, right_border, scroll_thumb};
use crate::text;
use crate::tui::action::{Action, Msg};
use crate::tui::keymap::Context;
use crate::tui::theme::{Theme, glyph};
use crate::tui::view::{Column, ColumnWidth};

/// A row as the owner supplies it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChecklistRow {
    pub cells: Vec<String>,
    /// Why this row cannot be checked; `None` if it can.
    pub blocked: Option<String>,
}

impl ChecklistRow {
    pub fn new(cells: Vec<String>) -> ChecklistRow {
        ChecklistRow {
            cells,
            blocked: None,
        }
    }
}

#[derive(Clone, Debug)]
struct Row {
    cells: Box<[Box<str>]>,
    /// The cells joined, case and accents folded, for filtering.
    haystack: Box<str>,
    blocked: Option<Box<str>>,
}

/// What a message did to the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListOutcome {
    /// Not for the list.
    Ignored,
    /// Handled; the cursor, the scroll position or the filter changed.
    Changed,
    /// The row (an index into the rows given) was checked or unchecked.
    Toggled { row: usize, checked: bool },
    /// Several rows changed at once (check all / none / invert / a range).
    CheckedMany,
    /// Rows matching a pattern were checked (or unchecked): how many.
    Matched {
        pattern: String,
        check: bool,
        count: usize,
    },
    /// The row cannot be checked, and why.
    Blocked { row: usize, reason: String },
}

const MARKER_W: u16 = 1;
const CHECKBOX_W: u16 = 4;

#[derive(Clone, Debug)]
pub struct Checklist {
    title: String,
    columns: Vec<Column>,
    rows: Vec<Row>,
    checked: Vec<bool>,
    n_checked: usize,
    n_blocked: usize,
    checkable: bool,
    /// Whether the title shows how many rows there are.
    show_count: bool,
    /// The rows in the order shown: as given, or sorted by [`Checklist::sort`].
    order: Vec<u32>,
    /// 0: as given; `2k + 1`: column `k` ascending; `2k + 2`: descending.
    sort: usize,
    /// Indices of the rows that match the filter (and the checked-only view), in order.
    visible: Vec<u32>,
    filter: String,
    /// Open while the operator types a filter.
    filter_input: Option<TextField>,
    /// Open while the operator types a pattern to check (or uncheck) rows by.
    pattern_input: Option<(TextField, bool)>,
    /// Only checked rows are shown.
    only_checked: bool,
    /// The rows the owner's quick filter keeps, and how the title names it ("Hold only").
    mask: Option<(Vec<bool>, String)>,
    /// Where a range being marked starts (a row index); Space checks it.
    anchor: Option<u32>,
    /// Position in `visible`.
    cursor: usize,
    /// First visible position drawn last time; kept so the view does not jump.
    scroll: Cell<usize>,
    /// Rows that fitted last time, for PgUp/PgDn.
    page: Cell<usize>,
}

impl Checklist {
    pub fn new(
        title: impl Into<String>,
        columns: Vec<Column>,
        rows: Vec<ChecklistRow>,
        checkable: bool,
    ) -> Checklist {
        let mut list = Checklist {
            title: title.into(),
            columns,
            rows: Vec::new(),
            checked: Vec::new(),
            n_checked: 0,
            n_blocked: 0,
            checkable,
            show_count: true,
            order: Vec::new(),
            sort: 0,
            visible: Vec::new(),
            filter: String::new(),
            filter_input: None,
            pattern_input: None,
            only_checked: false,
            mask: None,
            anchor: None,
            cursor: 0,
            scroll: Cell::new(0),
            page: Cell::new(10),
        };
        list.set_rows(rows);
        list
    }

    /// Replaces the rows, clearing the checks and keeping the filter and (as far as possible)
    /// the cursor position.
    pub fn set_rows(&mut self, rows: Vec<ChecklistRow>) {
        let mut folded = String::new();
        self.rows = rows
            .into_iter()
            .map(|r| {
                folded.clear();
                for (i, c) in r.cells.iter().enumerate() {
                    if i > 0 {
                        folded.push(' ');
                    }
                    text::fold_into(c, &mut folded);
                }
                Row {
                    haystack: folded.as_str().into(),
                    cells: r.cells.into_iter().map(String::into_boxed_str).collect(),
                    blocked: r.blocked.map(String::into_boxed_str),
                }
            })
            .collect();
        self.checked = vec![false; self.rows.len()];
        self.n_checked = 0;
        self.n_blocked = self.rows.iter().filter(|r| r.blocked.is_some()).count();
        self.anchor = None;
        self.reorder();
    }

    /// The row order for the sort, then the rows shown.
    fn reorder(&mut self) {
        self.order = (0..self.rows.len() as u32).collect();
        if self.sort > 0 {
            let column = (self.sort - 1) / 2;
            let rows = &self.rows;
            let cell = |i: u32| rows[i as usize].cells.get(column).map_or("", |c| &**c);
            self.order
                .sort_by(|&a, &b| text::natural_cmp(cell(a), cell(b)));
            if self.sort.is_multiple_of(2) {
                self.order.reverse();
            }
        }
        self.refilter(false);
    }

    /// Moves the sort to the next (or previous) of: as given, each column up, then down.
    fn cycle_sort(&mut self, forward: bool) -> ListOutcome {
        let states = 2 * self.columns.len() + 1;
        self.sort = if forward {
            (self.sort + 1) % states
        } else {
            (self.sort + states - 1) % states
        };
        self.reorder();
        ListOutcome::Changed
    }

    /// "by Name ↑", or nothing when the rows are in their own order.
    fn sort_words(&self) -> Option<String> {
        let column = self.columns.get(self.sort.checked_sub(1)? / 2)?;
        let title = if column.title.is_empty() {
            "mark"
        } else {
            column.title.as_str()
        };
        Some(format!(
            "by {title} {}",
            if self.sort % 2 == 1 { "↑" } else { "↓" }
        ))
    }

    /// Leaves the row count out of the title (the owner's title says it).
    pub fn without_count(mut self) -> Checklist {
        self.show_count = false;
        self
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn set_title(&mut self, title: impl Into<String>) {
        self.title = title.into();
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    pub fn checked_count(&self) -> usize {
        self.n_checked
    }

    pub fn is_checked(&self, row: usize) -> bool {
        self.checked.get(row).copied().unwrap_or(false)
    }

    /// Indices of the checked rows, in order.
    pub fn checked_rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.checked
            .iter()
            .enumerate()
            .filter_map(|(i, &c)| c.then_some(i))
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Whether the list is taking typed text (a filter or a pattern).
    pub fn is_filtering(&self) -> bool {
        self.filter_input.is_some() || self.pattern_input.is_some()
    }

    /// The row under the cursor (an index into the rows given).
    pub fn cursor_row(&self) -> Option<usize> {
        self.visible.get(self.cursor).map(|&i| i as usize)
    }

    pub fn blocked_reason(&self, row: usize) -> Option<&str> {
        self.rows.get(row).and_then(|r| r.blocked.as_deref())
    }

    /// Puts the cursor on `row` if the filter shows it.
    pub fn select_row(&mut self, row: usize) {
        if let Some(pos) = self.visible.iter().position(|&i| i as usize == row) {
            self.cursor = pos;
        }
    }

    /// Lets a blocked row be checked (the operator confirmed what blocked it).
    pub fn unblock(&mut self, row: usize) {
        if let Some(r) = self.rows.get_mut(row)
            && r.blocked.take().is_some()
        {
            self.n_blocked -= 1;
        }
    }

    /// Checks or unchecks a row; blocked rows stay unchecked. Returns whether it changed.
    pub fn set_checked(&mut self, row: usize, on: bool) -> bool {
        let Some(r) = self.rows.get(row) else {
            return false;
        };
        if on && r.blocked.is_some() {
            return false;
        }
        let slot = &mut self.checked[row];
        if *slot == on {
            return false;
        }
        *slot = on;
        if on {
            self.n_checked += 1;
        } else {
            self.n_checked -= 1;
        }
        true
    }

    /// The key-map contexts this list answers to, innermost first.
    pub fn contexts(&self) -> Vec<Context> {
        if self.pattern_input.is_some() {
            vec![Context::PatternInput]
        } else if self.filter_input.is_some() {
            vec![Context::FilterInput]
        } else if self.checkable {
            vec![Context::Checklist, Context::List]
        } else {
            vec![Context::List]
        }
    }

    /// The contexts of a screen whose list has focus: the screen's own (`outer`) in front of
    /// the list's, except while a filter is typed, when only the filter's keys apply.
    pub fn contexts_within(&self, outer: &[Context]) -> Vec<Context> {
        if self.is_filtering() {
            return self.contexts();
        }
        let mut c = outer.to_vec();
        c.extend(self.contexts());
        c
    }

    /// Whether a text field (the filter, a pattern) has focus.
    pub fn captures_text(&self) -> bool {
        self.is_filtering()
    }

    /// Sets the filter text directly (as if typed).
    pub fn set_filter(&mut self, text: &str) {
        let grows = !self.filter.is_empty() && text.contains(self.filter.as_str());
        self.filter = text.to_string();
        self.refilter(grows);
    }

    fn refilter(&mut self, narrowing: bool) {
        let keep = self.cursor_row();
        let needle = text::fold(&self.filter);
        let (rows, checked, only_checked) = (&self.rows, &self.checked, self.only_checked);
        let mask = self.mask.as_ref().map(|(m, _)| m);
        let shown = |i: u32| {
            (!only_checked || checked[i as usize])
                && mask.is_none_or(|m| m.get(i as usize).copied().unwrap_or(false))
                && rows[i as usize].haystack.contains(needle.as_str())
        };
        if needle.is_empty() && !only_checked && mask.is_none() {
            self.visible.clone_from(&self.order);
        } else if narrowing {
            self.visible.retain(|&i| shown(i));
        } else {
            self.visible = self.order.iter().copied().filter(|&i| shown(i)).collect();
        }
        self.cursor = keep
            .and_then(|k| self.visible.iter().position(|&i| i as usize == k))
            .unwrap_or(0);
    }

    /// Shows only the rows `keep` marks (one flag per row), named `label` in the title; `None`
    /// shows them all again.
    pub fn set_mask(&mut self, mask: Option<(Vec<bool>, String)>) {
        self.mask = mask;
        self.refilter(false);
    }

    /// Space while a range is marked: checks every checkable row from the mark to the cursor,
    /// or unchecks them when they all are.
    fn check_range(&mut self, anchor: u32) -> ListOutcome {
        let from = self
            .visible
            .iter()
            .position(|&i| i == anchor)
            .unwrap_or(self.cursor);
        let (a, b) = (from.min(self.cursor), from.max(self.cursor));
        self.check_positions(a..=b)
    }

    /// Checks the rows at these visible positions, or unchecks them when every checkable one
    /// already is.
    fn check_positions(&mut self, positions: impl Iterator<Item = usize> + Clone) -> ListOutcome {
        let all = positions.clone().all(|p| {
            let i = self.visible[p] as usize;
            self.checked[i] || self.rows[i].blocked.is_some()
        });
        for p in positions {
            let i = self.visible[p] as usize;
            self.set_checked(i, !all);
        }
        ListOutcome::CheckedMany
    }

    /// Checks (or unchecks) every shown row matching `pattern`: with `*` or `?` a pattern any
    /// cell must match whole (`C10*`), otherwise text any cell contains; case and accents never
    /// count.
    fn check_matching(&mut self, pattern: &str, check: bool) -> ListOutcome {
        let folded = text::fold(pattern.trim());
        let glob = crate::tui::listing::is_pattern(&folded);
        let mut count = 0;
        for k in 0..self.visible.len() {
            let i = self.visible[k] as usize;
            let row = &self.rows[i];
            let hit = if glob {
                row.cells
                    .iter()
                    .any(|c| crate::tui::listing::glob_match(&folded, &text::fold(c)))
            } else {
                row.haystack.contains(folded.as_str())
            };
            if hit && row.blocked.is_none() {
                self.set_checked(i, check);
                count += 1;
            }
        }
        ListOutcome::Matched {
            pattern: pattern.trim().to_string(),
            check,
            count,
        }
    }

    /// The visible positions of the range being marked (from the mark to the cursor).
    fn in_range(&self) -> Option<(usize, usize)> {
        let anchor = self.anchor?;
        let from = self.visible.iter().position(|&i| i == anchor)?;
        Some((from.min(self.cursor), from.max(self.cursor)))
    }

    fn move_to(&mut self, pos: isize) -> ListOutcome {
        let last = self.visible.len().saturating_sub(1) as isize;
        let new = pos.clamp(0, last.max(0)) as usize;
        if new == self.cursor {
            return ListOutcome::Ignored;
        }
        self.cursor = new;
        ListOutcome::Changed
    }

    /// Checks or unchecks `row`, or says why it cannot be checked.
    fn toggle(&mut self, row: usize) -> ListOutcome {
        if let Some(reason) = self.blocked_reason(row) {
            return ListOutcome::Blocked {
                row,
                reason: reason.to_string(),
            };
        }
        let checked = !self.is_checked(row);
        self.set_checked(row, checked);
        ListOutcome::Toggled { row, checked }
    }

    /// Space: toggles the row under the cursor and moves down.
    fn toggle_cursor(&mut self) -> ListOutcome {
        let Some(row) = self.cursor_row() else {
            return ListOutcome::Ignored;
        };
        let outcome = self.toggle(row);
        if matches!(outcome, ListOutcome::Toggled { .. }) {
            self.move_to(self.cursor as isize + 1);
        }
        outcome
    }

    /// Checks every checkable row the filter shows, or unchecks them all if they already are.
    fn check_all(&mut self) -> ListOutcome {
        let all = self.visible.iter().all(|&i| {
            let i = i as usize;
            self.checked[i] || self.rows[i].blocked.is_some()
        });
        let target = !all;
        for k in 0..self.visible.len() {
            let i = self.visible[k] as usize;
            self.set_checked(i, target);
        }
        ListOutcome::CheckedMany
    }

    fn invert(&mut self) -> ListOutcome {
        for k in 0..self.visible.len() {
            let i = self.visible[k] as usize;
            let on = !self.checked[i];
            self.set_checked(i, on);
        }
        ListOutcome::CheckedMany
    }

    pub fn handle(&mut self, msg: &Msg) -> ListOutcome {
        if let Some((input, check)) = &mut self.pattern_input {
            return match msg {
                Msg::Text(key) => {
                    input.handle_key(*key);
                    ListOutcome::Changed
                }
                Msg::Paste(text) => {
                    input.paste(text);
                    ListOutcome::Changed
                }
                Msg::Action(Action::Submit) => {
                    let (pattern, check) = (input.value().to_string(), *check);
                    self.pattern_input = None;
                    self.check_matching(&pattern, check)
                }
                Msg::Action(Action::Back) => {
                    self.pattern_input = None;
                    ListOutcome::Changed
                }
                _ => ListOutcome::Ignored,
            };
        }
        if let Some(input) = &mut self.filter_input {
            return match msg {
                Msg::Text(key) => {
                    if input.handle_key(*key) {
                        let text = input.value().to_string();
                        self.set_filter(&text);
                    }
                    ListOutcome::Changed
                }
                Msg::Paste(text) => {
                    input.paste(text);
                    let text = input.value().to_string();
                    self.set_filter(&text);
                    ListOutcome::Changed
                }
                Msg::Action(Action::Submit) => {
                    self.filter_input = None;
                    ListOutcome::Changed
                }
                Msg::Action(Action::Back) => {
                    self.filter_input = None;
                    self.set_filter("");
                    ListOutcome::Changed
                }
                Msg::Action(Action::Up) => self.move_to(self.cursor as isize - 1),
                Msg::Action(Action::Down) => self.move_to(self.cursor as isize + 1),
                _ => ListOutcome::Ignored,
            };
        }
        let page = self.page.get().max(1) as isize;
        let cur = self.cursor as isize;
        match msg {
            Msg::Action(a) => match a {
                Action::Up => self.move_to(cur - 1),
                Action::Down => self.move_to(cur + 1),
                Action::PageUp => self.move_to(cur - page),
                Action::PageDown => self.move_to(cur + page),
                Action::Top => self.move_to(0),
                Action::Bottom => self.move_to(isize::MAX),
                Action::Filter => {
                    let mut input = TextField::new("/", &self.filter);
                    input.set_focused(true);
                    self.filter_input = Some(input);
                    ListOutcome::Changed
                }
                Action::Back if self.anchor.is_some() => {
                    self.anchor = None;
                    ListOutcome::Changed
                }
                Action::Back if !self.filter.is_empty() => {
                    self.set_filter("");
                    ListOutcome::Changed
                }
                Action::SortNext => self.cycle_sort(true),
                Action::SortPrev => self.cycle_sort(false),
                Action::Toggle if self.checkable => match self.anchor.take() {
                    Some(anchor) => self.check_range(anchor),
                    None => self.toggle_cursor(),
                },
                Action::CheckAll if self.checkable => self.check_all(),
                Action::InvertChecks if self.checkable => self.invert(),
                Action::MarkRange if self.checkable => {
                    self.anchor = match self.anchor {
                        Some(_) => None,
                        None => self.cursor_row().map(|r| r as u32),
                    };
                    ListOutcome::Changed
                }
                Action::CheckMatching | Action::UncheckMatching if self.checkable => {
                    let check = *a == Action::CheckMatching;
                    let label = if check { "+" } else { "-" };
                    let mut input = TextField::new(label, "");
                    input.set_focused(true);
                    self.pattern_input = Some((input, check));
                    ListOutcome::Changed
                }
                Action::CheckedOnly if self.checkable => {
                    self.only_checked = !self.only_checked;
                    self.refilter(false);
                    ListOutcome::Changed
                }
                _ => ListOutcome::Ignored,
            },
            Msg::Wheel { down, .. } => {
                let step = if *down { 3 } else { -3 };
                self.move_to(cur + step)
            }
            _ => ListOutcome::Ignored,
        }
    }

    /// A click at screen row `y`, column `x` inside the list drawn in `area`: moves the cursor
    /// there; a click on the checkbox toggles it.
    pub fn click(&mut self, area: Rect, x: u16, y: u16) -> ListOutcome {
        let body = self.layout(area).body;
        if !body.contains((x, y).into()) {
            return ListOutcome::Ignored;
        }
        let pos = self.scroll.get() + (y - body.y) as usize;
        if pos >= self.visible.len() {
            return ListOutcome::Ignored;
        }
        self.cursor = pos;
        let on_box = x < body.x + MARKER_W + CHECKBOX_W;
        if self.checkable && on_box {
            return self.toggle(self.visible[pos] as usize);
        }
        ListOutcome::Changed
    }

    /// The box, the table (header and rows) inside it and the status line under the rows.
    fn layout(&self, area: Rect) -> ListLayout {
        let inner = Block::bordered().inner(area);
        let status_line = self.is_filtering()
            || self.anchor.is_some()
            || !self.filter.is_empty()
            || self
                .cursor_row()
                .is_some_and(|r| self.rows[r].blocked.is_some());
        let status_h = u16::from(status_line && inner.height > 1);
        let [table, status] = inner.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(status_h),
        ]));
        let [_header, body] = table.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
        ]));
        ListLayout {
            table,
            body,
            status,
            scrollbar: right_border(area, body),
        }
    }

    /// The first visible position to draw so the cursor shows, moving the view as little as
    /// possible from last time.
    fn scroll_for(&self, height: usize) -> usize {
        let last = self.scroll.get();
        let max_top = self.visible.len().saturating_sub(height);
        let top = if self.cursor < last {
            self.cursor
        } else if height > 0 && self.cursor >= last + height {
            self.cursor + 1 - height
        } else {
            last
        };
        top.min(max_top)
    }

    /// The title with the counts, shortened when the box is narrow.
    fn title_line(&self, width: u16) -> String {
        // What narrows or orders the view, after the counts.
        let view: Vec<String> = [
            self.mask.as_ref().map(|(_, label)| label.clone()),
            (!self.filter.is_empty() || self.mask.is_some())
                .then(|| format!("{} shown", self.visible.len())),
            self.only_checked.then(|| "checked only".to_string()),
            self.sort_words(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let shown = if view.is_empty() {
            String::new()
        } else {
            format!(" — {}", view.join(", "))
        };
        let long = if self.checkable {
            format!(
                " {} — {} of {} checked{shown} ",
                self.title,
                self.n_checked,
                self.rows.len()
            )
        } else if self.show_count {
            format!(" {} ({}){shown} ", self.title, self.rows.len())
        } else {
            format!(" {}{shown} ", self.title)
        };
        if long.chars().count() + 2 <= width as usize || !self.checkable {
            return long;
        }
        let shown = if view.is_empty() {
            String::new()
        } else {
            format!(", {}", view.join(", "))
        };
        format!(
            " {} {}/{} ✓{shown} ",
            self.title,
            self.n_checked,
            self.rows.len()
        )
    }

    /// The table row for row `i`: its checkbox and the cells of the shown columns, each cut to
    /// its column.
    fn table_row(&self, i: usize, in_range: bool, widths: &[u16], theme: &Theme) -> TableRow<'_> {
        let row = &self.rows[i];
        let style = if in_range {
            theme.cursor_unfocused
        } else if row.blocked.is_some() {
            theme.disabled
        } else if self.checked[i] {
            theme.checked
        } else {
            theme.base
        };
        let checkbox = self.checkable.then(|| {
            TableCell::from(if row.blocked.is_some() {
                glyph::BLOCKED
            } else if self.checked[i] {
                glyph::CHECKED
            } else {
                glyph::UNCHECKED
            })
        });
        let cells = row
            .cells
            .iter()
            .zip(widths)
            .filter(|(_, w)| **w > 0)
            .map(|(text, &w)| TableCell::from(Line::from(fit(text, usize::from(w)))));
        TableRow::new(checkbox.into_iter().chain(cells)).style(style)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, focused: bool) {
        let border = if focused {
            theme.border_focused
        } else {
            theme.border
        };
        Block::bordered()
            .border_style(border)
            .title(self.title_line(area.width))
            .title_style(if focused { theme.title } else { theme.base })
            .render(area, buf);
        let l = self.layout(area);
        let prefix = MARKER_W + if self.checkable { CHECKBOX_W } else { 0 };
        if l.table.width <= prefix {
            return;
        }
        // The window on the rows: only the rows on screen become table rows, whatever the
        // list's length. Where it starts is remembered, so the view does not jump.
        let height = usize::from(l.body.height);
        self.page.set(height.max(1));
        let top = self.scroll_for(height);
        self.scroll.set(top);
        let widths = fit_columns(&self.columns, l.table.width - prefix);
        let shown = || self.columns.iter().zip(&widths).filter(|(_, w)| **w > 0);
        let checkbox = self.checkable.then_some(CHECKBOX_W - 1);
        let constraints: Vec<Constraint> = checkbox
            .into_iter()
            .chain(shown().map(|(_, &w)| w))
            .map(Constraint::Length)
            .collect();
        let header = checkbox.map(|_| TableCell::from("")).into_iter().chain(
            shown()
                .map(|(c, &w)| TableCell::from(fit(&c.title, usize::from(w))).style(theme.header)),
        );
        let end = (top + height).min(self.visible.len());
        let range = self.in_range();
        let rows = self.visible[top..end].iter().enumerate().map(|(k, &i)| {
            let at = top + k;
            let in_range = range.is_some_and(|(a, b)| (a..=b).contains(&at));
            self.table_row(i as usize, in_range, &widths, theme)
        });
        let table = Table::new(rows, constraints)
            .header(TableRow::new(header))
            .column_spacing(1)
            .highlight_symbol(glyph::CURSOR)
            .highlight_spacing(HighlightSpacing::Always)
            .row_highlight_style(if focused {
                theme.cursor
            } else {
                theme.cursor_unfocused
            });
        let mut state = TableState::new().with_selected(self.cursor.checked_sub(top));
        StatefulWidget::render(table, l.table, buf, &mut state);
        if self.visible.is_empty() {
            let msg = if self.filter.is_empty() {
                "(nothing to show)".to_string()
            } else {
                format!("(nothing matches \"{}\")", self.filter)
            };
            let [_, room] = l.body.layout(&Layout::horizontal([
                Constraint::Length(MARKER_W),
                Constraint::Fill(1),
            ]));
            cut(&msg, room.width, theme.disabled).render(room, buf);
        }
        // Where the window is, on the right border, when there is more than fits.
        scroll_thumb(l.scrollbar, (self.visible.len(), top, height), border, buf);
        // Status line: the filter being typed, the filter in force, or why the row is blocked.
        if l.status.height == 1 {
            if let Some(input) = self
                .pattern_input
                .as_ref()
                .map(|(i, _)| i)
                .or(self.filter_input.as_ref())
            {
                input.render(
                    l.status,
                    buf,
                    theme,
                    FieldLayout {
                        label_width: 3,
                        input_width: l.status.width.saturating_sub(3),
                    },
                );
            } else if let Some((a, b)) = self.in_range() {
                let text = format!(
                    "range: {} rows — Space checks them, Esc drops the range",
                    b - a + 1
                );
                cut(&text, l.status.width, theme.hint).render(l.status, buf);
            } else if let Some(reason) = self.cursor_row().and_then(|r| self.blocked_reason(r)) {
                let text = format!("{} cannot be checked: {reason}", glyph::ERROR);
                cut(&text, l.status.width, theme.error).render(l.status, buf);
            } else if !self.filter.is_empty() {
                let text = format!("filter: {}  (Esc clears)", self.filter);
                cut(&text, l.status.width, theme.hint).render(l.status, buf);
            }
        }
    }
}

struct ListLayout {
    /// Header and rows.
    table: Rect,
    /// The rows.
    body: Rect,
    status: Rect,
    /// The right border beside the rows.
    scrollbar: Rect,
}

/// Widths for `columns` in `width` cells (one-cell gaps). Columns that do not fit at their
/// minimum are dropped from the right (width 0); the room left goes to the fill columns.
pub fn fit_columns(columns: &[Column], width: u16) -> Vec<u16> {
    let min = |c: &Column| match c.width {
        ColumnWidth::Fixed(w) => w,
        ColumnWidth::Fill { min, .. } => min,
    };
    let mut used: u16 = 0;
    let mut shown = 0;
    for c in columns {
        let need = min(c) + u16::from(shown > 0);
        if used + need > width {
            break;
        }
        used += need;
        shown += 1;
    }
    let mut widths: Vec<u16> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| if i < shown { min(c) } else { 0 })
        .collect();
    let spare = width - used;
    let weights: u32 = columns[..shown]
        .iter()
        .map(|c| match c.width {
            ColumnWidth::Fill { weight, .. } => u32::from(weight),
            ColumnWidth::Fixed(_) => 0,
        })
        .sum();
    let mut last_fill = None;
    let mut given = 0u16;
    for (i, c) in columns[..shown].iter().enumerate() {
        if let ColumnWidth::Fill { weight, .. } = c.width {
            let extra = (u32::from(spare) * u32::from(weight))
                .checked_div(weights)
                .unwrap_or(0) as u16;
            widths[i] += extra;
            given += extra;
            last_fill = Some(i);
        }
    }
    match last_fill {
        // Rounding leftovers go to the last fill column so the row is used to the edge.
        Some(i) => widths[i] += spare - given,
        // A dropped column leaves room the last shown one may use.
        None if shown > 0 && shown < columns.len() => widths[shown - 1] += spare,
        None => {}
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::Key;

    fn cols() -> Vec<Column> {
        vec![Column::fixed("Code", 6), Column::fill("Name", 10, 1)]
    }

    fn list(n: usize) -> Checklist {
        let rows = (0..n)
            .map(|i| ChecklistRow {
                cells: vec![format!("C{i:04}"), format!("Customer {i}")],
                blocked: (i % 10 == 9).then(|| format!("problem {i}")),
            })
            .collect();
        Checklist::new("SMSTurbo", cols(), rows, true)
    }

    fn act(l: &mut Checklist, a: Action) -> ListOutcome {
        l.handle(&Msg::Action(a))
    }

    fn text(l: &mut Checklist, s: &str) {
        for c in s.chars() {
            l.handle(&Msg::Text(Key::Char(c).event()));
        }
    }

    fn screen(l: &Checklist, w: u16, h: u16, focused: bool) -> Vec<String> {
        let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
        l.render(buf.area, &mut buf, &Theme::plain(), focused);
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
            .collect()
    }

    #[test]
    fn space_toggles_and_moves_down_blocked_rows_refuse() {
        let mut l = list(20);
        assert_eq!(
            act(&mut l, Action::Toggle),
            ListOutcome::Toggled {
                row: 0,
                checked: true
            }
        );
        assert_eq!(l.cursor_row(), Some(1));
        act(&mut l, Action::Bottom);
        act(&mut l, Action::Up);
        act(&mut l, Action::Up);
        assert_eq!(l.cursor_row(), Some(17));
        act(&mut l, Action::Toggle);
        assert_eq!(l.cursor_row(), Some(18));
        act(&mut l, Action::Toggle);
        assert_eq!(
            act(&mut l, Action::Toggle),
            ListOutcome::Blocked {
                row: 19,
                reason: "problem 19".into()
            }
        );
        assert!(!l.is_checked(19));
        assert_eq!(l.checked_count(), 3);
    }

    #[test]
    fn check_all_skips_blocked_rows_and_toggles_back_to_none() {
        let mut l = list(20);
        act(&mut l, Action::CheckAll);
        assert_eq!(l.checked_count(), 18);
        assert!(!l.is_checked(9) && !l.is_checked(19));
        act(&mut l, Action::CheckAll);
        assert_eq!(l.checked_count(), 0);
        act(&mut l, Action::InvertChecks);
        assert_eq!(l.checked_count(), 18);
    }

    #[test]
    fn filter_is_incremental_case_insensitive_and_check_all_respects_it() {
        let mut l = list(200);
        act(&mut l, Action::Filter);
        assert!(l.captures_text());
        text(&mut l, "customer 1");
        assert_eq!(l.visible_len(), 111); // 1, 10-19, 100-199
        text(&mut l, "5");
        assert_eq!(l.visible_len(), 11); // 15, 150-159
        l.handle(&Msg::Text(Key::Backspace.event()));
        assert_eq!(l.visible_len(), 111);
        act(&mut l, Action::Submit);
        assert!(!l.captures_text());
        assert_eq!(l.filter(), "customer 1");
        act(&mut l, Action::CheckAll);
        // Blocked: 19, 109, 119 … 199 are refused.
        assert_eq!(l.checked_count(), 111 - 11);
        act(&mut l, Action::Back);
        assert_eq!(l.visible_len(), 200);
        assert_eq!(l.checked_count(), 100);
        l.set_filter("CUSTOMER 19");
        assert_eq!(l.visible_len(), 11);
    }

    #[test]
    fn columns_fit_the_width_and_drop_from_the_right() {
        let cols = vec![
            Column::fixed("Code", 8),
            Column::fill("Name", 10, 2),
            Column::fill("Company", 10, 1),
            Column::fixed("Phone", 12),
        ];
        assert_eq!(fit_columns(&cols, 80), vec![8, 34, 23, 12]);
        assert_eq!(fit_columns(&cols, 30), vec![8, 10, 10, 0]);
        assert_eq!(fit_columns(&cols, 25), vec![8, 16, 0, 0]);
        assert_eq!(fit_columns(&cols, 5), vec![0, 0, 0, 0]);
    }

    #[test]
    fn renders_only_the_window_with_glyphs_and_keeps_the_cursor_visible() {
        let mut l = list(100_000);
        act(&mut l, Action::Toggle);
        act(&mut l, Action::Bottom);
        let s = screen(&l, 40, 8, true);
        assert!(s[0].contains("SMSTurbo — 1 of 100000 checked"), "{}", s[0]);
        assert!(s[1].contains("Code"), "{}", s[1]);
        // The last row is blocked: its reason shows under the list.
        assert!(s.iter().any(|l| l.contains("›[!] C99999")), "{s:#?}");
        assert!(
            s[6].contains("cannot be checked: problem 99999"),
            "{}",
            s[6]
        );
        act(&mut l, Action::Top);
        let s = screen(&l, 40, 8, true);
        assert!(s[2].contains("›[x] C0000"), "{}", s[2]);
        act(&mut l, Action::PageDown);
        assert_eq!(l.cursor_row(), Some(5));
    }

    #[test]
    fn clicking_the_box_toggles_and_clicking_the_row_moves() {
        let mut l = list(5);
        let area = Rect::new(0, 0, 40, 10);
        let _ = screen(&l, 40, 10, true);
        assert_eq!(
            l.click(area, 2, 4),
            ListOutcome::Toggled {
                row: 2,
                checked: true
            }
        );
        assert_eq!(l.click(area, 20, 3), ListOutcome::Changed);
        assert_eq!(l.cursor_row(), Some(1));
        assert_eq!(l.click(area, 20, 0), ListOutcome::Ignored);
    }
}
