//! What a key means, independent of which key it is.
//!
//! Keys become [`Action`]s through the one key map ([`super::keymap`]); components act on
//! Actions and on [`Msg`]s (typed text, paste, mouse) and never look at key codes themselves,
//! so the footer and the help overlay can never disagree with the real bindings.

use ratatui::crossterm::event::KeyEvent;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Leave custsync (only where no text field or dialog has focus).
    Quit,
    /// Leave custsync from anywhere.
    ForceQuit,
    Help,
    /// Esc: close, cancel, go back.
    Back,
    /// Enter: activate what has focus.
    Submit,
    /// Space: toggle a checkbox (and move down in lists).
    Toggle,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    FocusNext,
    FocusPrev,
    NextTab,
    PrevTab,
    /// Start typing a filter for the list.
    Filter,
    /// Check every checkable row shown (or uncheck them all when all are checked).
    CheckAll,
    InvertChecks,
    /// Start (or drop) a range at the cursor; Space then checks it.
    MarkRange,
    /// Check the rows matching a pattern typed next.
    CheckMatching,
    UncheckMatching,
    /// Show only the checked rows, or all again.
    CheckedOnly,
    /// The home list's quick filters.
    ShowAll,
    ShowActive,
    ShowHold,
    ShowProspect,
    ShowInactive,
    ShowNotInQuickBooks,
    ShowDiffers,
    /// Sort a list by the next (or previous) column, up then down.
    SortNext,
    SortPrev,
    Yes,
    No,
    Save,
    // Maintain Customer.
    Add,
    Edit,
    Delete,
    SetUp,
    /// Start synchronizing (home); synchronize the checked rows (the panes).
    Synchronize,
    History,
    /// Open the file picker for the File Info field.
    Lookup,
    // File picker.
    ParentDir,
    ToggleHidden,
    // Synchronize screen.
    SwitchPane,
    /// Compare again, reading every QuickBooks customer instead of only what changed.
    ReadAll,
    /// The ways out of a row QuickBooks changed underneath (link, add again, keep local).
    RowActions,
    /// Stop a run between batches.
    CancelRun,
    Undo,
    Refresh,
    /// Give the detail area the whole screen, or take it back.
    Zoom,
    /// Give the row's customer the QuickBooks spelling suggested for its problems.
    UseQbSpelling,
    /// Open or close the company file in the sandbox's simulated QuickBooks.
    ToggleQuickBooksOpen,
}

/// Everything a component can receive from the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    Action(Action),
    /// A key no binding claimed, for the text field that has focus.
    Text(KeyEvent),
    Paste(String),
    /// A left click at a screen cell (mouse support on).
    Click {
        column: u16,
        row: u16,
    },
    /// A wheel step over a screen cell; `down` scrolls towards the end.
    Wheel {
        down: bool,
        column: u16,
        row: u16,
    },
}

impl Msg {
    pub fn action(&self) -> Option<Action> {
        match self {
            Msg::Action(a) => Some(*a),
            _ => None,
        }
    }
}
