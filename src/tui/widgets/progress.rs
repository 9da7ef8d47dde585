//! Progress of a run, one bar per phase (ratatui's `Gauge`, the counts on the bar), with the
//! cancel state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Gauge, Widget};

use super::cut;
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

    /// How much is done, from 0 to 1 (a phase with nothing to do is done).
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            return 1.0;
        }
        (self.done.min(self.total) as f64 / self.total as f64).clamp(0.0, 1.0)
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

    /// Each phase: its name, its bar with the counts on it, and its latest note.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let rows = Layout::vertical(self.phases.iter().map(|_| Constraint::Length(3)));
        for (p, rows) in self.phases.iter().zip(area.layout_vec(&rows)) {
            let [name, bar, note] = rows.layout(&Layout::vertical([Constraint::Length(1); 3]));
            if bar.is_empty() {
                break;
            }
            cut(&p.name, name.width, theme.label_focused).render(name, buf);
            let counts = format!("{} of {}  ({}%)", p.done, p.total, p.percent());
            Gauge::default()
                .ratio(p.ratio())
                // Bold only: the gauge colours the counts against the bar beneath them.
                .label(Span::styled(
                    counts,
                    Style::new().add_modifier(Modifier::BOLD),
                ))
                .use_unicode(true)
                .gauge_style(theme.progress)
                .render(bar, buf);
            if let Some(text) = &p.note {
                let [_, text_area] = note.layout(&Layout::horizontal([
                    Constraint::Length(2),
                    Constraint::Fill(1),
                ]));
                cut(text, text_area.width, theme.hint).render(text_area, buf);
            }
        }
    }
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
        assert_eq!(row(0), "Adding to QuickBooks");
        // The counts sit on the bar, over its filled part where they reach it.
        assert_eq!(row(1), "██10 of 40  (25%)   ");
        assert!(row(4).starts_with("███0 of 0  (100%)"), "{}", row(4));
        assert!(row(4).ends_with("██"), "{}", row(4));
    }
}
