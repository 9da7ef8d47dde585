//! Semantic styles on the 16 named ANSI colours.
//!
//! Meaning never rests on colour alone: focus and selection are REVERSED or BOLD, checks are
//! glyphs. With `NO_COLOR` set the theme drops every colour and keeps the modifiers, so the
//! screen reads the same on a monochrome terminal (crossterm would also suppress the colour
//! codes; dropping them here keeps snapshots and screenshots honest about what remains).

use ratatui::style::{Color, Modifier, Style};

/// Glyphs that carry state without colour.
pub mod glyph {
    pub const CHECKED: &str = "[x]";
    pub const UNCHECKED: &str = "[ ]";
    /// A row that cannot be checked (it has problems).
    pub const BLOCKED: &str = "[!]";
    pub const RADIO_ON: &str = "(•)";
    pub const RADIO_OFF: &str = "( )";
    pub const CURSOR: &str = "›";
    pub const ELLIPSIS: char = '…';
    pub const WARNING: &str = "⚠";
    pub const ERROR: &str = "✗";
    /// Looks like a customer the other side has (a likely duplicate).
    pub const LIKELY: &str = "≈";
    pub const FOLDER: &str = "▸";
    /// Where a scrolled list or text is, drawn on its box's right border.
    pub const SCROLL_THUMB: &str = "█";

    /// What stands in for a symbol custsync draws when the terminal cannot draw it (the Linux
    /// console, a serial terminal): one ASCII character per cell, so nothing shifts. Box
    /// drawing and the full block stay: every such terminal has them (code page 437).
    pub fn ascii_for(symbol: &str) -> Option<&'static str> {
        Some(match symbol {
            "✓" => "*",
            "✗" => "x",
            "≠" => "#",
            "≈" => "~",
            "›" | "▸" | "▶" | "→" => ">",
            "‹" | "←" => "<",
            "…" => "~",
            "⚠" => "!",
            "•" => "*",
            "—" | "–" | "−" => "-",
            "↑" => "^",
            "↓" => "v",
            "×" => "x",
            _ => return None,
        })
    }

    /// Replaces in `buf` every symbol [`ascii_for`] knows.
    pub fn to_ascii(buf: &mut ratatui::buffer::Buffer) {
        for cell in &mut buf.content {
            if let Some(a) = ascii_for(cell.symbol()) {
                cell.set_symbol(a);
            }
        }
    }
}

/// The symbols a terminal can draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Glyphs {
    #[default]
    Unicode,
    /// Only ASCII for custsync's own marks ([`glyph::ascii_for`]).
    Ascii,
}

impl Glyphs {
    /// For this process: `CUSTSYNC_GLYPHS=ascii` or `unicode` decides; otherwise ASCII on
    /// terminals known to lack the symbols (`TERM=linux`, the Linux console, and the like).
    pub fn from_env() -> Glyphs {
        let var = |k| std::env::var(k).ok();
        Glyphs::for_term(var("TERM").as_deref(), var("CUSTSYNC_GLYPHS").as_deref())
    }

    pub fn for_term(term: Option<&str>, chosen: Option<&str>) -> Glyphs {
        match chosen.map(str::trim) {
            Some(c) if c.eq_ignore_ascii_case("ascii") => return Glyphs::Ascii,
            Some(c) if c.eq_ignore_ascii_case("unicode") => return Glyphs::Unicode,
            _ => {}
        }
        let term = term.unwrap_or("").trim();
        let limited = [
            "linux", "vt100", "vt102", "vt220", "vt52", "dumb", "ansi", "cons25",
        ];
        if limited
            .iter()
            .any(|t| term == *t || term.starts_with(&format!("{t}-")))
        {
            Glyphs::Ascii
        } else {
            Glyphs::Unicode
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub title: Style,
    pub border: Style,
    pub border_focused: Style,
    /// The cursor row of a list (visible without colour: REVERSED).
    pub cursor: Style,
    /// The cursor row of a list that does not have focus.
    pub cursor_unfocused: Style,
    pub header: Style,
    pub checked: Style,
    pub disabled: Style,
    pub error: Style,
    pub warning: Style,
    pub ok: Style,
    pub key: Style,
    pub hint: Style,
    pub button: Style,
    pub button_focused: Style,
    pub field: Style,
    pub field_focused: Style,
    pub label: Style,
    pub label_focused: Style,
    pub tab: Style,
    pub tab_active: Style,
    /// The filled part of a progress bar.
    pub progress: Style,
    pub glyphs: Glyphs,
}

impl Theme {
    /// The theme for this process: plain when `NO_COLOR` is set to anything non-empty, with
    /// the glyphs the terminal can draw ([`Glyphs::from_env`]).
    pub fn from_env() -> Theme {
        Theme::for_no_color(std::env::var_os("NO_COLOR").as_deref()).with_glyphs(Glyphs::from_env())
    }

    pub fn with_glyphs(self, glyphs: Glyphs) -> Theme {
        Theme { glyphs, ..self }
    }

    /// The theme for a value of `NO_COLOR`: any non-empty value turns colour off
    /// (<https://no-color.org>).
    pub fn for_no_color(value: Option<&std::ffi::OsStr>) -> Theme {
        if value.is_some_and(|v| !v.is_empty()) {
            Theme::plain()
        } else {
            Theme::colour()
        }
    }

    pub fn colour() -> Theme {
        let plain = Theme::plain();
        Theme {
            title: plain.title.fg(Color::Cyan),
            border: Style::new().fg(Color::DarkGray),
            border_focused: plain.border_focused.fg(Color::Cyan),
            cursor: plain.cursor.fg(Color::Blue),
            header: plain.header.fg(Color::Cyan),
            checked: plain.checked.fg(Color::Green),
            disabled: Style::new().fg(Color::DarkGray),
            error: plain.error.fg(Color::Red),
            warning: plain.warning.fg(Color::Yellow),
            ok: plain.ok.fg(Color::Green),
            key: plain.key.fg(Color::Cyan),
            hint: Style::new().fg(Color::Gray),
            button_focused: plain.button_focused.fg(Color::Cyan),
            field_focused: plain.field_focused.fg(Color::Yellow),
            label_focused: plain.label_focused.fg(Color::Cyan),
            tab_active: plain.tab_active.fg(Color::Cyan),
            // The counts on the bar take the other colour: dark on the filled part, green on
            // the track.
            progress: Style::new().fg(Color::Green).bg(Color::DarkGray),
            ..plain
        }
    }

    /// Modifiers only.
    pub fn plain() -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let reversed = Style::new().add_modifier(Modifier::REVERSED);
        Theme {
            base: Style::new(),
            title: bold,
            border: Style::new(),
            border_focused: bold,
            cursor: reversed.add_modifier(Modifier::BOLD),
            cursor_unfocused: Style::new().add_modifier(Modifier::UNDERLINED),
            header: bold.add_modifier(Modifier::UNDERLINED),
            checked: bold,
            disabled: Style::new().add_modifier(Modifier::DIM),
            error: bold,
            warning: bold,
            ok: bold,
            key: bold,
            hint: Style::new(),
            button: Style::new(),
            button_focused: reversed.add_modifier(Modifier::BOLD),
            field: Style::new().add_modifier(Modifier::UNDERLINED),
            field_focused: Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            label: Style::new(),
            label_focused: bold,
            tab: Style::new(),
            tab_active: reversed.add_modifier(Modifier::BOLD),
            // The bar's █ glyphs carry it; REVERSED would turn the empty part into the full one.
            progress: Style::new(),
            glyphs: Glyphs::Unicode,
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::colour()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(t: &Theme) -> [Style; 8] {
        [
            t.cursor,
            t.button_focused,
            t.tab_active,
            t.checked,
            t.error,
            t.field_focused,
            t.label_focused,
            t.header,
        ]
    }

    #[test]
    fn no_color_set_to_anything_non_empty_turns_colour_off() {
        use std::ffi::OsStr;
        assert_eq!(Theme::for_no_color(Some(OsStr::new("1"))), Theme::plain());
        assert_eq!(Theme::for_no_color(Some(OsStr::new(""))), Theme::colour());
        assert_eq!(Theme::for_no_color(None), Theme::colour());
    }

    #[test]
    fn the_linux_console_gets_ascii_unless_told_otherwise() {
        assert_eq!(Glyphs::for_term(Some("linux"), None), Glyphs::Ascii);
        assert_eq!(Glyphs::for_term(Some("vt220"), None), Glyphs::Ascii);
        assert_eq!(
            Glyphs::for_term(Some("xterm-256color"), None),
            Glyphs::Unicode
        );
        assert_eq!(Glyphs::for_term(None, None), Glyphs::Unicode);
        assert_eq!(
            Glyphs::for_term(Some("linux"), Some("unicode")),
            Glyphs::Unicode
        );
        assert_eq!(
            Glyphs::for_term(Some("xterm"), Some("ASCII")),
            Glyphs::Ascii
        );
        // Every stand-in is one ASCII character, as wide as what it replaces.
        for s in [
            "✓", "✗", "≠", "≈", "›", "…", "⚠", "•", "—", "−", "↑", "↓", "←", "→", "‹", "▸", "×",
        ] {
            let a = glyph::ascii_for(s).unwrap();
            assert!(a.len() == 1 && a.is_ascii(), "{s} → {a}");
        }
    }

    #[test]
    fn plain_theme_has_no_colour_but_keeps_emphasis() {
        let t = Theme::plain();
        for s in styles(&t) {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
            assert!(!s.add_modifier.is_empty(), "{s:?} would be invisible");
        }
    }

    #[test]
    fn colour_theme_uses_only_named_colours() {
        let t = Theme::colour();
        for s in styles(&t) {
            for c in [s.fg, s.bg].into_iter().flatten() {
                assert!(
                    !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                    "{c:?} is not one of the 16 ANSI colours"
                );
            }
            // Focus must survive NO_COLOR: the colour theme keeps the plain modifiers.
            assert!(!s.add_modifier.is_empty());
        }
    }
}
