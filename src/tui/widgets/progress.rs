//! Progress of a run, one bar per phase, with counts and the cancel state.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::put;
use crate::tui::theme::Theme;
use crate::tui::view::ProgressUpdate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phase {
    pub name: String,
    pub done: u64,
    pub total: u64,
    pub note: Option<String>,
}

impl Phase {
    pub fn percent(&self) -> u64 {
        (self.done.min(self.total) * 100)
            .checked_div(self.total)
            .unwrap_or(100)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunProgress {
    phases: Vec<Phase>,
    /// The operator asked to stop; the run ends after the current batch.
    pub cancelling: bool,
}

impl RunProgress {
    pub fn phases(&self) -> &[Phase] {
        &self.phases
    }

    /// Records an update: a phase seen before is updated in place, a new one is added below.
    pub fn update(&mut self, u: ProgressUpdate) {
        match self.phases.iter_mut().find(|p| p.name == u.phase) {
            Some(p) => {
                p.done = u.done;
                p.total = u.total;
                if u.note.is_some() {
                    p.note = u.note;
                }
            }
            None => self.phases.push(Phase {
                name: u.phase,
                done: u.done,
                total: u.total,
                note: u.note,
            }),
        }
    }

    /// Lines needed to draw every phase.
    pub fn height(&self) -> u16 {
        (self.phases.len() as u16) * 3
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let mut y = area.y;
        for p in &self.phases {
            if y + 1 >= area.y + area.height {
                break;
            }
            let counts = format!("{} of {}  ({}%)", p.done, p.total, p.percent());
            let head = format!("{}  {counts}", p.name);
            put(buf, area.x, y, area.width, &head, theme.label_focused);
            bar(buf, Rect::new(area.x, y + 1, area.width, 1), p, theme);
            if let Some(note) = &p.note
                && y + 2 < area.y + area.height
            {
                put(
                    buf,
                    area.x + 2,
                    y + 2,
                    area.width.saturating_sub(2),
                    note,
                    theme.hint,
                );
            }
            y += 3;
        }
    }
}

/// `██████░░░░` — the filled part also REVERSED/coloured by the theme, but the glyphs carry it.
fn bar(buf: &mut Buffer, area: Rect, p: &Phase, theme: &Theme) {
    let w = area.width as u64;
    let filled = (w * p.done.min(p.total)).checked_div(p.total).unwrap_or(w);
    let filled = filled as u16;
    put(
        buf,
        area.x,
        area.y,
        filled,
        &"█".repeat(filled as usize),
        theme.progress,
    );
    put(
        buf,
        area.x + filled,
        area.y,
        area.width - filled,
        &"░".repeat((area.width - filled) as usize),
        theme.hint,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(phase: &str, done: u64, total: u64) -> ProgressUpdate {
        ProgressUpdate {
            phase: phase.into(),
            done,
            total,
            note: None,
        }
    }

    #[test]
    fn phases_update_in_place_and_draw_counts_and_bars() {
        let mut p = RunProgress::default();
        p.update(up("Adding to QuickBooks", 0, 40));
        p.update(up("Adding to QuickBooks", 10, 40));
        p.update(up("Updating SMSTurbo", 0, 0));
        assert_eq!(p.phases().len(), 2);
        assert_eq!(p.phases()[0].percent(), 25);
        assert_eq!(p.phases()[1].percent(), 100);
        let area = Rect::new(0, 0, 20, 6);
        let mut buf = Buffer::empty(area);
        p.render(area, &mut buf, &Theme::plain());
        let row = |y| -> String { (0..20).map(|x| buf[(x, y)].symbol().to_string()).collect() };
        assert!(row(0).starts_with("Adding to QuickBook…"), "{}", row(0));
        assert_eq!(row(1), "█████░░░░░░░░░░░░░░░");
        assert_eq!(row(4), "████████████████████");
    }
}
