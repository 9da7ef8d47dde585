//! The File Info lookup: folders and the files matching a pattern, one folder at a time. It
//! opens on the file File Info names, and typing a name's first letters jumps to it.
//!
//! The picker never reads the disk. It asks for listings ([`PickerOutcome::List`]); the owner
//! has the worker read the folder and hands the result back with [`FilePicker::listed`] or
//! [`FilePicker::list_failed`].

use std::path::{Path, PathBuf};

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::checklist::{Checklist, ChecklistRow, ListOutcome};
use super::text_field::{FieldLayout, TextField};
use super::type_ahead::{TypeAhead, starts_with};
use super::{clear_modal, cut, modal_area};
use crate::tui::action::{Action, Msg};
use crate::tui::keymap::Context;
use crate::tui::listing::is_pattern;
use crate::tui::theme::{Theme, glyph};
use crate::tui::view::{Column, DirEntry, DirListing, Explanation};

pub const DEFAULT_PATTERN: &str = "*.QBW";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Focus {
    List,
    Pattern,
}

/// What the picker wants done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickerOutcome {
    Ignored,
    Changed,
    /// Read this folder with this pattern.
    List {
        dir: PathBuf,
        pattern: String,
    },
    Chosen(PathBuf),
    Cancelled,
}

#[derive(Clone, Debug)]
pub struct FilePicker {
    dir: PathBuf,
    pattern: TextField,
    focus: Focus,
    /// The folder being read, until its listing arrives.
    loading: Option<PathBuf>,
    entries: Vec<DirEntry>,
    /// Why the last folder asked for could not be read.
    error: Option<Explanation>,
    show_hidden: bool,
    list: Checklist,
    /// The name to put the cursor on when the first listing arrives (the current file).
    start_at: Option<String>,
    /// What has been typed to jump to a name, since the last other key.
    typed: TypeAhead,
}

/// Where the picker should start for a File Info value: its folder (when it names a file or a
/// pattern) and its pattern (when the last part is one, e.g. `C:\data\*.QBW` or `*.QBW`).
pub fn start_for(file_info: &str, fallback_dir: &Path, default_pattern: &str) -> (PathBuf, String) {
    let text = file_info.trim();
    if text.is_empty() {
        return (fallback_dir.to_path_buf(), default_pattern.to_string());
    }
    let path = Path::new(text);
    let last = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf);
    if is_pattern(&last) {
        return (parent.unwrap_or_else(|| fallback_dir.to_path_buf()), last);
    }
    if text.ends_with(['/', '\\']) {
        return (path.to_path_buf(), default_pattern.to_string());
    }
    (
        parent.unwrap_or_else(|| fallback_dir.to_path_buf()),
        default_pattern.to_string(),
    )
}

impl FilePicker {
    /// A picker that will show `dir`; the first listing request is [`FilePicker::request`].
    pub fn new(dir: PathBuf, pattern: &str) -> FilePicker {
        FilePicker {
            loading: Some(dir.clone()),
            dir,
            pattern: TextField::new("Pattern", pattern),
            focus: Focus::List,
            entries: Vec::new(),
            error: None,
            show_hidden: false,
            list: Checklist::new(
                "",
                vec![Column::fill("Name", 10, 1), Column::fixed("", 6)],
                Vec::new(),
                false,
            )
            .without_count(),
            start_at: None,
            typed: TypeAhead::default(),
        }
    }

    /// Opens with the cursor on the file File Info names (`file_info`), when it is in the
    /// folder shown.
    pub fn at_file(mut self, file_info: &str) -> FilePicker {
        let path = Path::new(file_info.trim());
        if !is_pattern(file_info)
            && !file_info.trim().ends_with(['/', '\\'])
            && let Some(name) = path.file_name()
        {
            self.start_at = Some(name.to_string_lossy().into_owned());
        }
        self
    }

    /// The listing to ask for now.
    pub fn request(&self) -> PickerOutcome {
        PickerOutcome::List {
            dir: self.loading.clone().unwrap_or_else(|| self.dir.clone()),
            pattern: self.pattern.value().to_string(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn error(&self) -> Option<&Explanation> {
        self.error.as_ref()
    }

    /// A listing arrived. Stale listings (for a folder no longer wanted) are ignored.
    pub fn listed(&mut self, listing: DirListing) {
        if self.loading.as_deref() != Some(listing.dir.as_path()) {
            return;
        }
        self.loading = None;
        self.error = None;
        self.dir = listing.dir;
        self.entries = listing.entries;
        self.rebuild();
        self.list.set_filter("");
        let start = self
            .start_at
            .take()
            .and_then(|name| self.row_named(|n| n == name));
        self.list.select_row(start.unwrap_or(0));
    }

    /// The list row of the first shown entry whose name passes `test`.
    fn row_named(&self, test: impl Fn(&str) -> bool) -> Option<usize> {
        let offset = usize::from(self.has_parent());
        self.shown().position(|e| test(&e.name)).map(|i| i + offset)
    }

    /// Typing a name jumps to the first entry starting with what was typed (case and accents
    /// ignored); a letter that no longer fits starts over from itself.
    fn jump(&mut self, c: char) -> PickerOutcome {
        let mut typed = std::mem::take(&mut self.typed);
        let row = typed.jump(c, |t| self.row_named(|name| starts_with(name, t)));
        self.typed = typed;
        match row {
            Some(r) => {
                self.list.set_filter("");
                self.list.select_row(r);
                PickerOutcome::Changed
            }
            None => PickerOutcome::Ignored,
        }
    }

    /// Letters the list does not bind jump to names (see [`FilePicker::jump`]).
    pub fn types_ahead(&self) -> bool {
        self.focus == Focus::List && !self.list.is_filtering()
    }

    /// The folder asked for could not be read: say so and stay where we were.
    pub fn list_failed(&mut self, why: Explanation) {
        self.loading = None;
        self.error = Some(why);
    }

    fn shown(&self) -> impl Iterator<Item = &DirEntry> {
        self.entries
            .iter()
            .filter(move |e| self.show_hidden || !e.hidden)
    }

    fn has_parent(&self) -> bool {
        self.dir.parent().is_some()
    }

    fn rebuild(&mut self) {
        let (dirs, files) =
            self.shown().fold(
                (0, 0),
                |(d, f), e| if e.is_dir { (d + 1, f) } else { (d, f + 1) },
            );
        self.list.set_title(format!(
            "{dirs} folder{}, {files} file{} matching{}",
            if dirs == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" },
            if self.show_hidden {
                ", hidden shown"
            } else {
                ""
            }
        ));
        let mut rows = Vec::new();
        if self.has_parent() {
            rows.push(ChecklistRow::new(vec![
                format!("{} ..", glyph::FOLDER),
                "up".into(),
            ]));
        }
        for e in self.shown() {
            rows.push(if e.is_dir {
                ChecklistRow::new(vec![
                    format!("{} {}", glyph::FOLDER, e.name),
                    "folder".into(),
                ])
            } else {
                ChecklistRow::new(vec![format!("  {}", e.name), String::new()])
            });
        }
        self.list.set_rows(rows);
    }

    /// The entry under the cursor; `None` for "..".
    fn selected(&self) -> Option<Option<&DirEntry>> {
        let row = self.list.cursor_row()?;
        let offset = usize::from(self.has_parent());
        if row < offset {
            return Some(None);
        }
        self.shown().nth(row - offset).map(Some)
    }

    fn go(&mut self, dir: PathBuf) -> PickerOutcome {
        self.loading = Some(dir);
        self.request()
    }

    fn up(&mut self) -> PickerOutcome {
        match self.dir.parent() {
            Some(p) => self.go(p.to_path_buf()),
            None => PickerOutcome::Ignored,
        }
    }

    pub fn contexts(&self) -> Vec<Context> {
        match self.focus {
            Focus::Pattern => vec![Context::TextField, Context::Dialog],
            Focus::List if self.list.is_filtering() => self.list.contexts(),
            // Its own keys only: letters jump to names, so j/k/g/G are not for moving here.
            Focus::List => vec![Context::FilePicker],
        }
    }

    pub fn captures_text(&self) -> bool {
        self.focus == Focus::Pattern || self.list.captures_text()
    }

    pub fn handle(&mut self, msg: &Msg) -> PickerOutcome {
        if self.focus == Focus::Pattern {
            return match msg {
                Msg::Text(k) => {
                    self.pattern.handle_key(*k);
                    PickerOutcome::Changed
                }
                Msg::Paste(t) => {
                    self.pattern.paste(t);
                    PickerOutcome::Changed
                }
                Msg::Action(Action::Submit) => {
                    self.set_focus(Focus::List);
                    self.go(self.dir.clone())
                }
                Msg::Action(
                    Action::FocusNext | Action::FocusPrev | Action::Back | Action::Down,
                ) => {
                    self.set_focus(Focus::List);
                    PickerOutcome::Changed
                }
                _ => PickerOutcome::Ignored,
            };
        }
        if !self.list.is_filtering() {
            if let Msg::Text(key) = msg {
                return match key.code {
                    ratatui::crossterm::event::KeyCode::Char(c) => self.jump(c),
                    _ => PickerOutcome::Ignored,
                };
            }
            self.typed.clear();
            match msg.action() {
                Some(Action::Back) if self.list.filter().is_empty() => {
                    return PickerOutcome::Cancelled;
                }
                Some(Action::ParentDir) => return self.up(),
                Some(Action::FocusNext | Action::FocusPrev) => {
                    self.set_focus(Focus::Pattern);
                    return PickerOutcome::Changed;
                }
                Some(Action::ToggleHidden) => {
                    self.show_hidden = !self.show_hidden;
                    self.rebuild();
                    return PickerOutcome::Changed;
                }
                Some(Action::Submit) => {
                    return match self.selected() {
                        Some(None) => self.up(),
                        Some(Some(e)) if e.is_dir => {
                            let d = self.dir.join(&e.name);
                            self.go(d)
                        }
                        Some(Some(e)) => PickerOutcome::Chosen(self.dir.join(&e.name)),
                        None => PickerOutcome::Ignored,
                    };
                }
                _ => {}
            }
        }
        match self.list.handle(msg) {
            ListOutcome::Ignored => PickerOutcome::Ignored,
            _ => PickerOutcome::Changed,
        }
    }

    fn set_focus(&mut self, f: Focus) {
        self.focus = f;
        self.pattern.set_focused(f == Focus::Pattern);
    }

    /// Why the folder could not be read, wrapped to the room it is given.
    fn error_text(&self) -> Option<Paragraph<'static>> {
        self.error.as_ref().map(|e| {
            Paragraph::new(format!(
                "{} {} {}",
                glyph::ERROR,
                e.what_happened,
                e.next_step
            ))
            .wrap(Wrap { trim: false })
        })
    }

    fn layout(&self, area: Rect) -> PickerLayout {
        let outer_w = 76.min(area.width);
        // The folder and the error keep a cell away from each border.
        let text_w = outer_w.saturating_sub(4);
        let errors = self.error_text().map_or(0, |p| {
            u16::try_from(p.line_count(text_w)).unwrap_or(u16::MAX)
        });
        // Tall enough for the folder, plus room to breathe; never taller than the screen.
        let want = (self.list.len() as u16)
            .saturating_add(8)
            .saturating_add(errors);
        let outer = modal_area(
            area,
            outer_w,
            want.clamp(12, area.height.saturating_sub(2).max(12)),
        );
        let inner = Block::bordered().inner(outer);
        let [folder, pattern, error, list] = inner.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(errors.min(inner.height.saturating_sub(5))),
            Constraint::Fill(1),
        ]));
        PickerLayout {
            outer,
            folder: folder.inner(Margin::new(1, 0)),
            pattern,
            error: error.inner(Margin::new(1, 0)),
            list,
        }
    }

    pub fn click(&mut self, area: Rect, x: u16, y: u16) -> PickerOutcome {
        let l = self.layout(area);
        if l.pattern.contains((x, y).into()) {
            self.set_focus(Focus::Pattern);
            return PickerOutcome::Changed;
        }
        self.set_focus(Focus::List);
        match self.list.click(l.list, x, y) {
            ListOutcome::Ignored => PickerOutcome::Ignored,
            _ => PickerOutcome::Changed,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let l = self.layout(area);
        clear_modal(l.outer, area, buf);
        Block::bordered()
            .border_style(theme.border_focused)
            .title(" Look up the company file ")
            .title_style(theme.title)
            .render(l.outer, buf);
        let where_ = match &self.loading {
            Some(d) => format!("Folder: {}  (reading…)", d.display()),
            None => format!("Folder: {}", self.dir.display()),
        };
        cut(&where_, l.folder.width, theme.label_focused).render(l.folder, buf);
        self.pattern.render(
            l.pattern,
            buf,
            theme,
            FieldLayout {
                label_width: 10,
                input_width: 20,
            },
        );
        if let Some(error) = self.error_text() {
            error.style(theme.error).render(l.error, buf);
        }
        self.list
            .render(l.list, buf, theme, self.focus == Focus::List);
    }
}

struct PickerLayout {
    outer: Rect,
    folder: Rect,
    pattern: Rect,
    error: Rect,
    list: Rect,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, is_dir: bool) -> DirEntry {
        DirEntry {
            name: name.into(),
            is_dir,
            hidden: name.starts_with('.'),
        }
    }

    fn picker_in(dir: &str) -> FilePicker {
        let mut p = FilePicker::new(PathBuf::from(dir), DEFAULT_PATTERN);
        p.listed(DirListing {
            dir: PathBuf::from(dir),
            pattern: DEFAULT_PATTERN.into(),
            entries: vec![
                entry(".config", true),
                entry("Books", true),
                entry("Acme.QBW", false),
            ],
        });
        p
    }

    fn act(p: &mut FilePicker, a: Action) -> PickerOutcome {
        p.handle(&Msg::Action(a))
    }

    #[test]
    fn start_folder_and_pattern_come_from_file_info() {
        let ws = Path::new("/ws");
        assert_eq!(
            start_for("", ws, "*.QBW"),
            (PathBuf::from("/ws"), "*.QBW".into())
        );
        assert_eq!(
            start_for("*.qbw", ws, "*.QBW"),
            (PathBuf::from("/ws"), "*.qbw".into())
        );
        assert_eq!(
            start_for("/data/co/*.QBW", ws, "*.QBW"),
            (PathBuf::from("/data/co"), "*.QBW".into())
        );
        assert_eq!(
            start_for("/data/co/Acme.QBW", ws, "*.QBW"),
            (PathBuf::from("/data/co"), "*.QBW".into())
        );
        assert_eq!(
            start_for("/data/co/", ws, "*.QBW"),
            (PathBuf::from("/data/co/"), "*.QBW".into())
        );
    }

    #[test]
    fn enter_descends_backspace_goes_up_and_files_are_chosen() {
        let mut p = picker_in("/data");
        // "..", then Books (the hidden folder is not shown), then Acme.QBW.
        act(&mut p, Action::Down);
        assert_eq!(
            act(&mut p, Action::Submit),
            PickerOutcome::List {
                dir: "/data/Books".into(),
                pattern: "*.QBW".into()
            }
        );
        // Until the listing arrives we still show /data; a stale listing is ignored.
        p.listed(DirListing {
            dir: "/elsewhere".into(),
            pattern: "*.QBW".into(),
            entries: vec![],
        });
        assert_eq!(p.dir(), Path::new("/data"));
        p.list_failed(Explanation::new("Folder cannot be read", "denied", "go up"));
        assert_eq!(p.dir(), Path::new("/data"));
        assert!(p.error().is_some());
        act(&mut p, Action::Down);
        assert_eq!(
            act(&mut p, Action::Submit),
            PickerOutcome::Chosen("/data/Acme.QBW".into())
        );
        assert_eq!(
            act(&mut p, Action::ParentDir),
            PickerOutcome::List {
                dir: "/".into(),
                pattern: "*.QBW".into()
            }
        );
        assert_eq!(act(&mut p, Action::Back), PickerOutcome::Cancelled);
    }

    #[test]
    fn it_opens_on_the_current_file_and_typing_jumps_to_names() {
        use crate::tui::keymap::Key;
        let mut p =
            FilePicker::new(PathBuf::from("/data"), DEFAULT_PATTERN).at_file("/data/Acme.QBW");
        p.listed(DirListing {
            dir: PathBuf::from("/data"),
            pattern: DEFAULT_PATTERN.into(),
            entries: vec![
                entry("Books", true),
                entry("Archive", true),
                entry("Acme.QBW", false),
                entry("Beta.QBW", false),
            ],
        });
        assert_eq!(
            p.selected().flatten().map(|e| e.name.as_str()),
            Some("Acme.QBW")
        );
        let typed = |p: &mut FilePicker, text: &str| {
            for c in text.chars() {
                p.handle(&Msg::Text(Key::Char(c).event()));
            }
            p.selected().flatten().map(|e| e.name.clone())
        };
        assert_eq!(typed(&mut p, "b").as_deref(), Some("Books"));
        assert_eq!(typed(&mut p, "e").as_deref(), Some("Beta.QBW"));
        // A letter that fits nothing after "be" starts over: "a" finds Archive.
        assert_eq!(typed(&mut p, "a").as_deref(), Some("Archive"));
        act(&mut p, Action::Down);
        assert_eq!(typed(&mut p, "AC").as_deref(), Some("Acme.QBW"));
    }

    #[test]
    fn hidden_entries_toggle_and_the_pattern_is_editable() {
        use crate::tui::keymap::Key;
        let mut p = picker_in("/data");
        act(&mut p, Action::ToggleHidden);
        act(&mut p, Action::Down);
        assert_eq!(
            act(&mut p, Action::Submit),
            PickerOutcome::List {
                dir: "/data/.config".into(),
                pattern: "*.QBW".into()
            }
        );
        act(&mut p, Action::FocusNext);
        assert!(p.captures_text());
        for _ in 0..3 {
            p.handle(&Msg::Text(Key::Backspace.event()));
        }
        for c in "qbb".chars() {
            p.handle(&Msg::Text(Key::Char(c).event()));
        }
        assert_eq!(
            act(&mut p, Action::Submit),
            PickerOutcome::List {
                dir: "/data".into(),
                pattern: "*.qbb".into()
            }
        );
        assert!(!p.captures_text());
    }
}
