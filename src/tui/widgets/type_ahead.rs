//! Typing a name's first letters jumps to it, in the pickers (files, QuickBooks' lists).

use crate::text;

/// What has been typed to jump to a name, since the last other key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypeAhead(String);

impl TypeAhead {
    /// Adds `c` to what was typed and returns where `find` finds a name starting with it
    /// (`find` gets the typed text folded: compare with [`starts_with`]); a letter that fits
    /// nothing starts over from itself.
    pub fn jump(&mut self, c: char, find: impl Fn(&str) -> Option<usize>) -> Option<usize> {
        self.0.push(c);
        if let Some(at) = find(&text::fold(&self.0)) {
            return Some(at);
        }
        self.0 = c.to_string();
        find(&text::fold(&self.0))
    }

    /// Another key was pressed: the next letter starts a new name.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

/// Whether `name` starts with `typed` (folded by [`TypeAhead::jump`]), case and accents
/// ignored.
pub fn starts_with(name: &str, typed: &str) -> bool {
    text::fold(name).starts_with(typed)
}
