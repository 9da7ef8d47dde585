//! Screen images as SVG, drawn from a rendered buffer: deterministic, diffable, and free of
//! anyone's real data (the screenshots use the fake back end).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test support (the test-support feature): a panic is a test failure"
)]

use std::fmt::Write;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 18.0;
const FONT: f32 = 14.0;
const BG: &str = "#1e1e2e";
const FG: &str = "#cdd6f4";

/// The 16 ANSI colours as a dark terminal theme shows them.
fn rgb(c: Color, fallback: &'static str) -> &'static str {
    match c {
        Color::Black => "#45475a",
        Color::Red => "#f38ba8",
        Color::Green => "#a6e3a1",
        Color::Yellow => "#f9e2af",
        Color::Blue => "#89b4fa",
        Color::Magenta => "#f5c2e7",
        Color::Cyan => "#94e2d5",
        Color::Gray => "#bac2de",
        Color::DarkGray => "#7f849c",
        Color::LightRed => "#f38ba8",
        Color::LightGreen => "#a6e3a1",
        Color::LightYellow => "#f9e2af",
        Color::LightBlue => "#89b4fa",
        Color::LightMagenta => "#f5c2e7",
        Color::LightCyan => "#94e2d5",
        Color::White => "#ffffff",
        _ => fallback,
    }
}

/// The buffer as an SVG image.
pub fn buffer_to_svg(buf: &Buffer) -> String {
    let area = buf.area;
    let width = area.width as f32 * CELL_W + 16.0;
    let height = area.height as f32 * CELL_H + 16.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}">"#
    );
    let _ = writeln!(
        svg,
        r#"<rect width="100%" height="100%" rx="6" fill="{BG}"/>"#
    );
    let _ = writeln!(
        svg,
        r#"<g transform="translate(8 8)" font-family="'DejaVu Sans Mono','Menlo','Consolas',monospace" font-size="{FONT}" xml:space="preserve">"#
    );
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let cell = &buf[(x, y)];
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let (mut fg, mut bg) = (rgb(cell.fg, FG), rgb(cell.bg, BG));
            if reversed {
                std::mem::swap(&mut fg, &mut bg);
            }
            // A run of cells with the same look becomes one text element.
            let mut text = String::new();
            let start = x;
            while x < area.right() {
                let c = &buf[(x, y)];
                if c.fg != cell.fg || c.bg != cell.bg || c.modifier != cell.modifier {
                    break;
                }
                let sym = c.symbol();
                text.push_str(sym);
                x += sym.width().max(1) as u16;
            }
            let px = (start - area.left()) as f32 * CELL_W;
            let py = (y - area.top()) as f32 * CELL_H;
            let cells = (x - start) as f32;
            if bg != BG {
                let _ = writeln!(
                    svg,
                    r#"<rect x="{px:.1}" y="{py:.1}" width="{:.1}" height="{CELL_H}" fill="{bg}"/>"#,
                    cells * CELL_W
                );
            }
            if text.trim().is_empty() {
                continue;
            }
            let mut attrs = format!(r#" fill="{fg}""#);
            if cell.modifier.contains(Modifier::BOLD) {
                attrs.push_str(r#" font-weight="bold""#);
            }
            if cell.modifier.contains(Modifier::DIM) {
                attrs.push_str(r#" opacity="0.6""#);
            }
            if cell.modifier.contains(Modifier::UNDERLINED) {
                attrs.push_str(r#" text-decoration="underline""#);
            }
            let _ = writeln!(
                svg,
                r#"<text x="{px:.1}" y="{:.1}" textLength="{:.1}" lengthAdjust="spacingAndGlyphs"{attrs}>{}</text>"#,
                py + CELL_H * 0.75,
                cells * CELL_W,
                crate::qbxml::xml::escape(&text)
            );
        }
    }
    svg.push_str("</g>\n</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn svg_is_deterministic_escaped_and_shows_reversed_cells() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 2));
        buf.set_string(0, 0, "a<b & c", Style::new());
        buf.set_string(
            0,
            1,
            "[ Yes ]",
            Style::new().add_modifier(Modifier::REVERSED),
        );
        let a = buffer_to_svg(&buf);
        assert_eq!(a, buffer_to_svg(&buf));
        assert!(a.contains("a&lt;b &amp; c"));
        assert!(a.contains(&format!(r#"fill="{FG}""#)));
        // Reversed: the background becomes the foreground colour.
        assert!(a.contains(&format!(r#"height="{CELL_H}" fill="{FG}""#)));
    }
}
