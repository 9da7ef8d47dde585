//! `custsync runs` (the journal of synchronization runs) and `custsync undo RUN`.

use crate::store::{RunId, StoreRead, Workspace, os_user};

use super::{Globals, Outcome};

#[derive(clap::Args, Debug)]
pub struct RunsArgs {
    /// How many runs to list, newest first
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Also list every entry of this run (what changed, with previous values, and failures)
    #[arg(long, value_name = "RUN")]
    show: Option<i64>,
}

#[derive(clap::Args, Debug)]
pub struct UndoArgs {
    /// The run to undo (see `custsync runs`)
    run: i64,
}

pub fn list(args: RunsArgs, g: &Globals) -> color_eyre::Result<Outcome> {
    let store = super::open_read_only(g)?;
    if let Some(id) = args.show {
        let Some(run) = store.run(RunId(id))? else {
            color_eyre::eyre::bail!("there is no run {id}; `custsync runs` lists them");
        };
        let entries = store.run_entries(RunId(id))?;
        outln!(
            "Run {} — {} — {}",
            run.id.0,
            run.mode.as_str(),
            run.started_at.format("%Y-%m-%d %H:%M")
        );
        for e in entries {
            outln!("  {}", e.describe());
        }
        return Ok(Outcome::Done);
    }
    let runs = store.runs(args.limit)?;
    if runs.is_empty() {
        outln!("No synchronization runs yet.");
        return Ok(Outcome::Done);
    }
    outln!(
        "{:>5}  {:<16}  {:<10}  {:<15}  {:<12}  {:>5} {:>5} {:>5} {:>5} {:>5}  company",
        "run",
        "started",
        "user",
        "mode",
        "outcome",
        "added",
        "impt",
        "repl",
        "link",
        "fail"
    );
    for r in runs {
        let c = &r.counts;
        let outcome = match (r.outcome, r.finished_at) {
            (Some(o), _) => o.as_str().to_string(),
            (None, _) => "unfinished".to_string(),
        };
        let undone = r
            .undone_by
            .map(|u| format!(" (undone by {})", u.0))
            .unwrap_or_default();
        outln!(
            "{:>5}  {:<16}  {:<10}  {:<15}  {:<12}  {:>5} {:>5} {:>5} {:>5} {:>5}  {}{undone}",
            r.id.0,
            r.started_at.format("%Y-%m-%d %H:%M"),
            r.os_user,
            r.mode.as_str(),
            outcome,
            c.exported,
            c.imported,
            c.replaced,
            c.linked,
            c.failed,
            r.company_name.as_deref().unwrap_or("")
        );
    }
    Ok(Outcome::Done)
}

pub fn undo(args: UndoArgs, g: &Globals) -> color_eyre::Result<Outcome> {
    let workspace = Workspace::open(g.workspace.as_deref())?;
    let mut store = workspace.open_store()?;
    let report = store.undo_run(RunId(args.run), &os_user())?;
    outln!(
        "Undid run {} as run {}: {} imported customer(s) removed, {} value(s) restored.",
        args.run,
        report.run.0,
        report.removed.len(),
        report.restored.len()
    );
    for line in &report.links {
        outln!("  {line}");
    }
    for skip in &report.kept {
        outln!("  kept {}: {}", skip.code, skip.reason);
    }
    outln!(
        "Customers added to QuickBooks stay there: custsync never modifies or deletes QuickBooks \
         customers."
    );
    Ok(if report.kept.is_empty() {
        Outcome::Done
    } else {
        Outcome::Partial
    })
}
