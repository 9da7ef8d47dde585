//! The one key map: which key means which [`Action`] in which [`Context`].
//!
//! A component says which contexts are active, innermost first (its focus chain); the app adds
//! `Global` when no text field or dialog has focus, and `Always` last. A key resolves to the
//! first binding found along that chain. The footer and the `?` overlay are generated from the
//! same table, so hints cannot drift from behaviour.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    /// Everywhere, even in text fields and dialogs: Ctrl-C, F1.
    Always,
    /// Where no text field or dialog has focus: `q`, `?`.
    Global,
    /// Moving in a list.
    List,
    /// A list with checkboxes.
    Checklist,
    /// Typing a list filter.
    FilterInput,
    /// Typing a pattern to check rows by.
    PatternInput,
    /// A single-line text field.
    TextField,
    /// A field with a lookup (File Info).
    Lookup,
    /// A form with fields and a save action.
    Form,
    /// A tab bar.
    Tabs,
    /// A question.
    Dialog,
    /// A message with one button.
    Message,
    /// A message whose one button says it is done (QuickBooks' Access Confirmation).
    Done,
    /// A choice of buttons other than Yes/No.
    Buttons,
    /// A choice among options (radio buttons), listed one per line.
    Choice,
    /// Options on one line (a status, a connection kind).
    Options,
    /// Checkboxes on one line (the export statuses).
    Checkboxes,
    FilePicker,
    /// Picking from one of QuickBooks' lists.
    ListPicker,
    /// A field whose value can be picked from one of QuickBooks' lists.
    ListLookup,
    MaintainCustomer,
    /// The setup names a sandbox company.
    Sandbox,
    /// The home list's quick filters.
    QuickFilters,
    SyncPanes,
    /// The cursor is on a row QuickBooks changed underneath (or one kept local only).
    StaleRow,
    /// The cursor is on a row that looks like a customer the other side has.
    LikelyRow,
    /// A zoomed detail area.
    Detail,
    Progress,
    /// Waiting for the Web Connector to call.
    Waiting,
    History,
    HelpOverlay,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Always => "Anywhere",
            Context::Global => "General",
            Context::List => "Lists",
            Context::Checklist => "Checklists",
            Context::FilterInput => "Filter",
            Context::PatternInput => "Check by pattern",
            Context::TextField => "Text fields",
            Context::Lookup => "File Info",
            Context::Form => "Forms",
            Context::Tabs => "Tabs",
            Context::Dialog => "Dialogs",
            Context::Message | Context::Done => "Messages",
            Context::Buttons => "Buttons",
            Context::Choice => "Choices",
            Context::Options => "Options",
            Context::Checkboxes => "Checkboxes",
            Context::FilePicker => "File picker",
            Context::ListPicker => "QuickBooks' list",
            Context::ListLookup => "List fields",
            Context::MaintainCustomer => "Maintain Customer",
            Context::Sandbox => "Sandbox company",
            Context::QuickFilters => "Show (quick filters)",
            Context::SyncPanes => "Synchronize",
            Context::StaleRow => "A row QuickBooks changed underneath",
            Context::LikelyRow => "A row that looks like a customer the other side has",
            Context::Detail => "Detail",
            Context::Progress => "Progress",
            Context::Waiting => "Waiting for the Web Connector",
            Context::History => "History",
            Context::HelpOverlay => "Help",
        }
    }
}

/// A key as the key map names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Char(char),
    Ctrl(char),
    F(u8),
    Space,
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
}

impl Key {
    /// The key map's name for a key event; `None` for releases and keys no binding can name.
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        if alt {
            return None;
        }
        Some(match ev.code {
            KeyCode::Char(' ') if !ctrl => Key::Space,
            // Shift is already in the character's case.
            KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::F(n) => Key::F(n),
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => Key::BackTab,
            KeyCode::Tab => Key::Tab,
            KeyCode::BackTab => Key::BackTab,
            KeyCode::Backspace => Key::Backspace,
            KeyCode::Delete => Key::Delete,
            KeyCode::Insert => Key::Insert,
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            _ => return None,
        })
    }

    /// A key event that produces this key, for tests and scripted input.
    pub fn event(self) -> KeyEvent {
        let (code, mods) = match self {
            Key::Char(c) if c.is_ascii_uppercase() => (KeyCode::Char(c), KeyModifiers::SHIFT),
            Key::Char(c) => (KeyCode::Char(c), KeyModifiers::NONE),
            Key::Ctrl(c) => (KeyCode::Char(c), KeyModifiers::CONTROL),
            Key::F(n) => (KeyCode::F(n), KeyModifiers::NONE),
            Key::Space => (KeyCode::Char(' '), KeyModifiers::NONE),
            Key::Enter => (KeyCode::Enter, KeyModifiers::NONE),
            Key::Esc => (KeyCode::Esc, KeyModifiers::NONE),
            Key::Tab => (KeyCode::Tab, KeyModifiers::NONE),
            Key::BackTab => (KeyCode::BackTab, KeyModifiers::SHIFT),
            Key::Backspace => (KeyCode::Backspace, KeyModifiers::NONE),
            Key::Delete => (KeyCode::Delete, KeyModifiers::NONE),
            Key::Insert => (KeyCode::Insert, KeyModifiers::NONE),
            Key::Up => (KeyCode::Up, KeyModifiers::NONE),
            Key::Down => (KeyCode::Down, KeyModifiers::NONE),
            Key::Left => (KeyCode::Left, KeyModifiers::NONE),
            Key::Right => (KeyCode::Right, KeyModifiers::NONE),
            Key::PageUp => (KeyCode::PageUp, KeyModifiers::NONE),
            Key::PageDown => (KeyCode::PageDown, KeyModifiers::NONE),
            Key::Home => (KeyCode::Home, KeyModifiers::NONE),
            Key::End => (KeyCode::End, KeyModifiers::NONE),
        };
        KeyEvent::new(code, mods)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Char(c) => write!(f, "{c}"),
            Key::Ctrl(c) => write!(f, "Ctrl-{}", c.to_ascii_uppercase()),
            Key::F(n) => write!(f, "F{n}"),
            Key::Space => f.write_str("Space"),
            Key::Enter => f.write_str("Enter"),
            Key::Esc => f.write_str("Esc"),
            Key::Tab => f.write_str("Tab"),
            Key::BackTab => f.write_str("Shift-Tab"),
            Key::Backspace => f.write_str("Bksp"),
            Key::Delete => f.write_str("Del"),
            Key::Insert => f.write_str("Ins"),
            Key::Up => f.write_str("↑"),
            Key::Down => f.write_str("↓"),
            Key::Left => f.write_str("←"),
            Key::Right => f.write_str("→"),
            Key::PageUp => f.write_str("PgUp"),
            Key::PageDown => f.write_str("PgDn"),
            Key::Home => f.write_str("Home"),
            Key::End => f.write_str("End"),
        }
    }
}

/// One line of the key map.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    /// What it does, for the footer and the help overlay.
    pub desc: &'static str,
    /// Whether the footer shows it (the help overlay shows every binding).
    pub hint: bool,
}

/// A binding with the keys that reach it along a chain.
struct Live<'a> {
    binding: &'a Binding,
    keys: Vec<Key>,
}

/// The keys as people read them: `↑/k`.
fn keys_label(keys: &[Key]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("/")
}

macro_rules! bindings {
    ($( $ctx:ident [$($key:expr),+] => $action:ident, $desc:literal $(, $hint:ident)?; )*) => {
        &[ $( Binding {
            context: Context::$ctx,
            keys: &[$($key),+],
            action: Action::$action,
            desc: $desc,
            hint: bindings!(@hint $($hint)?),
        }, )* ]
    };
    (@hint hint) => { true };
    (@hint) => { false };
}

use Key::*;

/// The default bindings. Order within a context is the footer's order.
pub const DEFAULT: &[Binding] = bindings! {
    Always [Ctrl('c')] => ForceQuit, "Quit custsync";
    Always [F(1)] => Help, "Help", hint;

    Global [Char('?')] => Help, "Help", hint;
    Global [Char('q')] => Quit, "Quit", hint;

    HelpOverlay [Esc, Char('?'), Char('q'), Enter] => Back, "Close help", hint;
    HelpOverlay [Up, Char('k')] => Up, "Scroll up";
    HelpOverlay [Down, Char('j')] => Down, "Scroll down";
    HelpOverlay [PageUp] => PageUp, "Page up";
    HelpOverlay [PageDown, Space] => PageDown, "Page down";
    HelpOverlay [Home, Char('g')] => Top, "Top";
    HelpOverlay [End, Char('G')] => Bottom, "End";

    Dialog [Char('y'), Char('Y')] => Yes, "Yes", hint;
    Dialog [Char('n'), Char('N')] => No, "No", hint;
    Dialog [Left, BackTab] => FocusPrev, "Previous button";
    Dialog [Right, Tab] => FocusNext, "Next button";
    Dialog [Enter] => Submit, "Press the focused button", hint;
    Dialog [Esc] => Back, "Cancel", hint;
    Dialog [Up, Char('k')] => Up, "Scroll up";
    Dialog [Down, Char('j')] => Down, "Scroll down";

    Message [Enter, Esc, Space] => Submit, "OK", hint;
    Message [Up, Char('k')] => Up, "Scroll up";
    Message [Down, Char('j')] => Down, "Scroll down";

    Done [Enter, Esc, Space] => Submit, "Done", hint;
    Done [Up, Char('k')] => Up, "Scroll up";
    Done [Down, Char('j')] => Down, "Scroll down";

    Buttons [Left, BackTab] => FocusPrev, "Previous button", hint;
    Buttons [Right, Tab] => FocusNext, "Next button", hint;
    Buttons [Enter] => Submit, "Press the focused button", hint;
    Buttons [Esc] => Back, "Cancel", hint;
    Buttons [Up, Char('k')] => Up, "Scroll up (or the button above)";
    Buttons [Down, Char('j')] => Down, "Scroll down (or the button below)";

    Choice [Up, Char('k')] => Up, "Previous choice";
    Choice [Down, Char('j')] => Down, "Next choice";
    Choice [Space] => Toggle, "Choose / check", hint;
    Choice [Left] => Left, "Previous value";
    Choice [Right] => Right, "Next value";
    Choice [Tab] => FocusNext, "Next item", hint;
    Choice [BackTab] => FocusPrev, "Previous item";
    Choice [Enter] => Submit, "Continue", hint;
    Choice [Esc] => Back, "Close", hint;

    Options [Left] => Left, "Previous option", hint;
    Options [Right, Space] => Right, "Next option", hint;

    Checkboxes [Left] => Left, "Previous box", hint;
    Checkboxes [Right] => Right, "Next box", hint;

    FilterInput [Enter] => Submit, "Keep filter", hint;
    FilterInput [Esc] => Back, "Clear filter", hint;
    FilterInput [Up] => Up, "Move up";
    FilterInput [Down] => Down, "Move down";

    PatternInput [Enter] => Submit, "Check (or uncheck) the matching rows", hint;
    PatternInput [Esc] => Back, "Cancel", hint;

    Lookup [F(4), Ctrl('o')] => Lookup, "Look up the company file", hint;

    ListLookup [F(4), Ctrl('o')] => Lookup, "Pick from QuickBooks' list", hint;

    ListPicker [Enter] => Submit, "Choose", hint;
    ListPicker [Esc, Char('q')] => Back, "Close (or q)", hint;
    ListPicker [Char('/')] => Filter, "Search";
    ListPicker [Up] => Up, "Move up";
    ListPicker [Down] => Down, "Move down";
    ListPicker [PageUp] => PageUp, "Page up";
    ListPicker [PageDown] => PageDown, "Page down";
    ListPicker [Home] => Top, "First row";
    ListPicker [End] => Bottom, "Last row";

    TextField [Enter] => Submit, "Accept", hint;
    TextField [Tab, Down] => FocusNext, "Next field", hint;
    TextField [BackTab, Up] => FocusPrev, "Previous field";
    TextField [Esc] => Back, "Back", hint;

    Tabs [Char(']')] => NextTab, "Next tab", hint;
    Tabs [Char('[')] => PrevTab, "Previous tab";
    Tabs [Left] => Left, "Previous tab (on the tab bar)";
    Tabs [Right] => Right, "Next tab (on the tab bar)";

    Form [Ctrl('s'), F(2)] => Save, "Save", hint;
    Form [Tab, Down, Char('j')] => FocusNext, "Next item", hint;
    Form [BackTab, Up, Char('k')] => FocusPrev, "Previous item";
    Form [Space] => Toggle, "Check / choose", hint;
    Form [Enter] => Submit, "Press / edit", hint;
    Form [Esc] => Back, "Back (asks before discarding)", hint;
    Form [PageDown] => PageDown, "Next group";
    Form [PageUp] => PageUp, "Previous group";

    FilePicker [Enter, Right] => Submit, "Open / choose", hint;
    FilePicker [Esc, Char('q')] => Back, "Close (or q)", hint;
    FilePicker [Backspace, Left] => ParentDir, "Parent folder", hint;
    FilePicker [Tab] => FocusNext, "Edit pattern";
    FilePicker [Char('.')] => ToggleHidden, "Show hidden";
    FilePicker [Char('/')] => Filter, "Search";
    FilePicker [Up] => Up, "Move up";
    FilePicker [Down] => Down, "Move down";
    FilePicker [PageUp] => PageUp, "Page up";
    FilePicker [PageDown] => PageDown, "Page down";
    FilePicker [Home] => Top, "First row";
    FilePicker [End] => Bottom, "Last row";

    MaintainCustomer [Char('n'), Insert] => Add, "New customer", hint;
    MaintainCustomer [Enter, Char('e')] => Edit, "Edit", hint;
    MaintainCustomer [Char('d'), Delete] => Delete, "Delete", hint;
    MaintainCustomer [Char('s')] => SetUp, "SetUp", hint;
    MaintainCustomer [Char('y'), F(5)] => Synchronize, "Synchronize", hint;
    MaintainCustomer [Char('h')] => History, "History", hint;
    MaintainCustomer [F(4), Ctrl('o')] => Lookup, "Look up the company file", hint;
    MaintainCustomer [Tab] => FocusNext, "File Info / list";
    MaintainCustomer [BackTab] => FocusPrev, "File Info / list";
    MaintainCustomer [Esc] => Back, "Clear the search";


    Sandbox [Char('o')] => ToggleQuickBooksOpen, "Sandbox: open/close the file in QuickBooks", hint;

    QuickFilters [Char('0')] => ShowAll, "Every customer";
    QuickFilters [Char('1')] => ShowActive, "Active only";
    QuickFilters [Char('2')] => ShowHold, "Hold only";
    QuickFilters [Char('3')] => ShowProspect, "Prospect only";
    QuickFilters [Char('4')] => ShowInactive, "Inactive only";
    QuickFilters [Char('5')] => ShowNotInQuickBooks, "Not in QuickBooks";
    QuickFilters [Char('6')] => ShowDiffers, "Differing from QuickBooks";

    StaleRow [Enter] => RowActions, "Link, add again or keep local", hint;
    LikelyRow [Enter] => RowActions, "Link, add anyway or leave", hint;

    SyncPanes [Tab, BackTab] => SwitchPane, "Other pane", hint;
    SyncPanes [Char('y'), F(5)] => Synchronize, "Synchronize checked", hint;
    SyncPanes [Char('r')] => Refresh, "Compare again (keeps the checks)";
    SyncPanes [Esc] => Back, "Back", hint;
    SyncPanes [Char('R')] => ReadAll, "Read all QuickBooks customers again (not only changes)";
    SyncPanes [Char('e')] => Edit, "Edit the SMSTurbo customer (then compare again)";
    SyncPanes [Char('f')] => UseQbSpelling, "Fix for QuickBooks: use the suggested spelling";
    SyncPanes [Char('z')] => Zoom, "Zoom the detail (all of it)";
    SyncPanes [Enter] => RowActions, "On a row marked × (QuickBooks deleted, merged or made a job of its customer) or − (kept in SMSTurbo only): link it, add it again, or keep it local. On a row marked ≈ (looks like a customer the other side has): link the two, add it anyway, or leave it";

    Detail [Char('z'), Esc] => Zoom, "Back to the list", hint;
    Detail [Up, Char('k')] => Up, "Scroll up", hint;
    Detail [Down, Char('j')] => Down, "Scroll down", hint;
    Detail [PageUp] => PageUp, "Page up";
    Detail [PageDown, Space] => PageDown, "Page down";
    Detail [Home, Char('g')] => Top, "Top";
    Detail [End, Char('G')] => Bottom, "End";

    Checklist [Space] => Toggle, "Check", hint;
    Checklist [Char('a'), Ctrl('a')] => CheckAll, "All/none", hint;
    Checklist [Char('*')] => InvertChecks, "Invert checks";
    Checklist [Char('v')] => MarkRange, "Mark a range; Space then checks it all";
    Checklist [Char('+')] => CheckMatching, "Check rows matching a pattern (C10*, zurich)";
    Checklist [Char('-')] => UncheckMatching, "Uncheck rows matching a pattern";
    Checklist [Char('c')] => CheckedOnly, "Show checked rows only / all";

    List [Char('/')] => Filter, "Search", hint;
    List [Up, Char('k')] => Up, "Move up";
    List [Down, Char('j')] => Down, "Move down";
    List [PageUp] => PageUp, "Page up";
    List [PageDown] => PageDown, "Page down";
    List [Home, Char('g')] => Top, "First row";
    List [End, Char('G')] => Bottom, "Last row";
    List [Char('>')] => SortNext, "Sort by the next column (up, then down)";
    List [Char('<')] => SortPrev, "Sort by the previous column";

    Progress [Esc] => CancelRun, "Cancel after this batch", hint;

    Waiting [Esc, Enter] => Back, "Stop waiting", hint;
    Waiting [Up, Char('k')] => Up, "Scroll up";
    Waiting [Down, Char('j')] => Down, "Scroll down";

    History [Char('u')] => Undo, "Undo run", hint;
    History [Char('r')] => Refresh, "Refresh";
    History [Char('z')] => Zoom, "Zoom the detail (all of it)";
    History [Esc] => Back, "Back", hint;
};

/// The key map: the built-in bindings.
#[derive(Clone, Copy, Debug)]
pub struct KeyMap {
    bindings: &'static [Binding],
}

impl Default for KeyMap {
    fn default() -> Self {
        KeyMap { bindings: DEFAULT }
    }
}

/// A section of the help overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelpSection {
    pub title: &'static str,
    /// (keys, what they do)
    pub lines: Vec<(String, &'static str)>,
}

/// The focus chain a key is resolved along.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chain {
    /// Innermost first.
    pub contexts: Vec<Context>,
    /// A text field has focus: it takes every key that edits text (characters, Space, ←/→,
    /// Home/End, Backspace/Del) before any binding is looked at.
    pub text: bool,
    /// Characters no binding claims are typed ahead (to jump to a name in a list).
    pub type_ahead: bool,
}

impl Chain {
    pub fn new(contexts: Vec<Context>, text: bool) -> Chain {
        Chain {
            contexts,
            text,
            type_ahead: false,
        }
    }

    pub fn with_type_ahead(mut self, on: bool) -> Chain {
        self.type_ahead = on;
        self
    }
}

/// What a key press means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolved {
    Action(Action),
    /// Typing for the focused text field.
    Text,
    Nothing,
}

impl Key {
    /// Keys a text field uses for editing.
    pub fn edits_text(self) -> bool {
        matches!(
            self,
            Key::Char(_)
                | Key::Space
                | Key::Left
                | Key::Right
                | Key::Home
                | Key::End
                | Key::Backspace
                | Key::Delete
        )
    }
}

impl KeyMap {
    fn lookup(&self, contexts: &[Context], key: Key) -> Option<Action> {
        contexts.iter().find_map(|&ctx| {
            self.bindings
                .iter()
                .find(|b| b.context == ctx && b.keys.contains(&key))
                .map(|b| b.action)
        })
    }

    /// What `key` means along `chain`.
    pub fn resolve(&self, chain: &Chain, key: Key) -> Resolved {
        if chain.text && key.edits_text() {
            return Resolved::Text;
        }
        match self.lookup(&chain.contexts, key) {
            Some(a) => Resolved::Action(a),
            // Ctrl-letters and the like still reach the field (Ctrl-W deletes a word…).
            None if chain.text => Resolved::Text,
            None if chain.type_ahead && matches!(key, Key::Char(_) | Key::Space) => Resolved::Text,
            None => Resolved::Nothing,
        }
    }

    /// The bindings that actually work along `chain`, each with the keys that still reach it: a
    /// key claimed by an inner context (or by the focused text field) hides it further out.
    fn effective<'a>(&'a self, chain: &'a Chain) -> impl Iterator<Item = Live<'a>> + 'a {
        chain
            .contexts
            .iter()
            .enumerate()
            .flat_map(move |(depth, &ctx)| {
                self.bindings
                    .iter()
                    .filter(move |b| b.context == ctx)
                    .filter_map(move |b| {
                        let keys: Vec<Key> = b
                            .keys
                            .iter()
                            .copied()
                            .filter(|k| !(chain.text && k.edits_text()))
                            .filter(|k| self.lookup(&chain.contexts[..depth], *k).is_none())
                            .collect();
                        (!keys.is_empty()).then_some(Live { binding: b, keys })
                    })
            })
    }

    /// Footer hints along `chain`: (keys, description), each action once.
    pub fn hints(&self, chain: &Chain) -> Vec<(String, &'static str)> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for b in self.effective(chain).filter(|b| b.binding.hint) {
            if seen.contains(&b.binding.action) {
                continue;
            }
            seen.push(b.binding.action);
            // The footer is short on room: the first key only; the help overlay lists them all.
            out.push((keys_label(&b.keys[..1]), b.binding.desc));
        }
        out
    }

    /// The keys bound to `action` in `context`, as the help writes them (`e`, `↑/k`).
    pub fn keys_for(&self, context: Context, action: Action) -> Option<String> {
        self.bindings
            .iter()
            .find(|b| b.context == context && b.action == action)
            .map(|b| keys_label(b.keys))
    }

    /// The help overlay's sections along `chain`.
    pub fn help(&self, chain: &Chain) -> Vec<HelpSection> {
        let mut sections: Vec<HelpSection> = Vec::new();
        for b in self.effective(chain) {
            let title = b.binding.context.title();
            let line = (keys_label(&b.keys), b.binding.desc);
            match sections.iter_mut().find(|s| s.title == title) {
                Some(s) => s.lines.push(line),
                None => sections.push(HelpSection {
                    title,
                    lines: vec![line],
                }),
            }
        }
        if chain.type_ahead {
            sections.insert(
                0,
                HelpSection {
                    title: "Typing",
                    lines: vec![(
                        "letters".to_string(),
                        "Jump to the first name starting with them",
                    )],
                },
            );
        }
        if chain.text {
            sections.insert(
                0,
                HelpSection {
                    title: "Typing",
                    lines: vec![(
                        "letters ← → Home End Bksp Del".to_string(),
                        "Edit the text field",
                    )],
                },
            );
        }
        sections
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_context_wins() {
        let km = KeyMap::default();
        let chain = Chain::new(vec![Context::Dialog, Context::Always], false);
        let act = |c: &Chain, k| km.resolve(c, k);
        assert_eq!(act(&chain, Key::Char('y')), Resolved::Action(Action::Yes));
        assert_eq!(
            act(&chain, Key::Char('q')),
            Resolved::Nothing,
            "q must not quit a dialog"
        );
        assert_eq!(
            act(&chain, Key::Ctrl('c')),
            Resolved::Action(Action::ForceQuit)
        );
        let home = Chain::new(
            vec![
                Context::MaintainCustomer,
                Context::List,
                Context::Global,
                Context::Always,
            ],
            false,
        );
        assert_eq!(act(&home, Key::Char('q')), Resolved::Action(Action::Quit));
        assert_eq!(act(&home, Key::Char('G')), Resolved::Action(Action::Bottom));
        assert_eq!(act(&home, Key::Enter), Resolved::Action(Action::Edit));
    }

    #[test]
    fn a_text_field_takes_editing_keys_but_not_ctrl_c_or_save() {
        let km = KeyMap::default();
        let chain = Chain::new(
            vec![
                Context::TextField,
                Context::Form,
                Context::Tabs,
                Context::Always,
            ],
            true,
        );
        for k in [
            Key::Char('q'),
            Key::Char('j'),
            Key::Space,
            Key::Left,
            Key::Char(']'),
        ] {
            assert_eq!(km.resolve(&chain, k), Resolved::Text, "{k:?}");
        }
        assert_eq!(
            km.resolve(&chain, Key::Ctrl('c')),
            Resolved::Action(Action::ForceQuit)
        );
        assert_eq!(
            km.resolve(&chain, Key::Ctrl('s')),
            Resolved::Action(Action::Save)
        );
        assert_eq!(km.resolve(&chain, Key::Ctrl('w')), Resolved::Text);
        assert_eq!(
            km.resolve(&chain, Key::Tab),
            Resolved::Action(Action::FocusNext)
        );
        let hints = km.hints(&chain);
        assert!(hints.iter().all(|(k, _)| !k.contains('j')), "{hints:?}");
    }

    #[test]
    fn keys_are_normalised_from_events() {
        use ratatui::crossterm::event::KeyEvent;
        let shift_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&shift_g), Some(Key::Char('G')));
        let ctrl_c = KeyEvent::new(KeyCode::Char('C'), KeyModifiers::CONTROL);
        assert_eq!(Key::from_event(&ctrl_c), Some(Key::Ctrl('c')));
        let shift_tab = KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&shift_tab), Some(Key::BackTab));
        for b in DEFAULT {
            for &k in b.keys {
                assert_eq!(Key::from_event(&k.event()), Some(k), "{k:?}");
            }
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let mut seen = std::collections::HashSet::new();
        for b in DEFAULT {
            for k in b.keys {
                assert!(
                    seen.insert((b.context, *k)),
                    "{k:?} twice in {:?}",
                    b.context
                );
            }
        }
    }

    #[test]
    fn hints_and_help_come_from_the_table() {
        let km = KeyMap::default();
        let chain = Chain::new(vec![Context::Dialog, Context::Always], false);
        let hints = km.hints(&chain);
        assert!(hints.contains(&("y".to_string(), "Yes")));
        assert!(!hints.iter().any(|(_, d)| *d == "Quit"));
        let help = km.help(&chain);
        assert_eq!(help[0].title, "Dialogs");
        assert_eq!(help.last().map(|s| s.title), Some("Anywhere"));
    }

    #[test]
    fn a_key_taken_by_an_inner_context_is_not_advertised_further_out() {
        let km = KeyMap::default();
        // In the sync panes Tab switches pane, so the list's bindings keep their own keys
        // but no outer binding may claim Tab.
        let chain = Chain::new(
            vec![
                Context::SyncPanes,
                Context::Checklist,
                Context::List,
                Context::Global,
                Context::Always,
            ],
            false,
        );
        let help = km.help(&chain);
        let all: Vec<&(String, &str)> = help.iter().flat_map(|s| &s.lines).collect();
        assert_eq!(
            all.iter()
                .filter(|(k, _)| k.split('/').any(|k| k == "Tab"))
                .count(),
            1
        );
    }
}
