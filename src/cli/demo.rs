//! `custsync demo`: a fresh demo workspace, then the TUI on it.

use std::path::PathBuf;

use super::{Globals, Outcome};

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Create the workspace but don't open custsync on it
    #[arg(long)]
    no_open: bool,
}

pub fn run(args: DemoArgs, g: &Globals) -> color_eyre::Result<Outcome> {
    let dir: PathBuf = match &g.workspace {
        Some(dir) => dir.clone(),
        None => crate::demo::default_dir()?,
    };
    let summary = crate::demo::create(&dir)?;
    let workspace = summary.dir.display();
    if args.no_open {
        outln!(
            "Demo workspace: {workspace}\n\
             SMSTurbo customers: {}\n\
             Sandbox QuickBooks company: {} ({} customers)\n\n\
             Open it:         custsync --workspace {workspace}\n\
             Or headless:     custsync --workspace {workspace} sync --dry-run\n\
             The sandbox first needs custsync authorized, as QuickBooks would ask on first \
             access:\n                 custsync sandbox prefs \"{}\" --grant when-open",
            summary.smsturbo_customers,
            summary.company_file.display(),
            summary.quickbooks_customers,
            summary.company_file.display(),
        );
        return Ok(Outcome::Done);
    }
    let g = Globals {
        workspace: Some(summary.dir),
        ..g.clone()
    };
    crate::tui::run_on_workspace(&g)
}
