//! The command line: clap commands that call the same core as the TUI.

#[macro_use]
pub mod output;

mod customers;
mod demo;
mod link;
mod runs;
mod sandbox;
mod sync;
mod webconnector;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use crate::frontend::{Globals, Outcome};

#[derive(Parser, Debug)]
#[command(
    name = "custsync",
    version,
    about = "Keeps the SMSTurbo customer master in step with a QuickBooks Desktop company file.",
    long_about = None
)]
pub struct Cli {
    /// Workspace folder holding the customer database and config.toml
    /// [default: the platform data directory]
    #[arg(long, global = true, env = "CUSTSYNC_WORKSPACE", value_name = "DIR")]
    pub workspace: Option<PathBuf>,

    /// Write every qbXML request and response exchanged to numbered files in DIR
    #[arg(long, global = true, env = "CUSTSYNC_TRACE_DIR", value_name = "DIR")]
    pub trace: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a demo workspace with a sandbox company and open custsync on it
    Demo(demo::DemoArgs),
    /// Synchronize without the full-screen interface
    Sync(sync::SyncArgs),
    /// Link an SMSTurbo customer to a QuickBooks customer (e.g. the survivor of a merge)
    Link(link::LinkArgs),
    /// Unlink an SMSTurbo customer and keep it in SMSTurbo only for that company
    Unlink(link::UnlinkArgs),
    /// List past synchronization runs from the journal
    Runs(runs::RunsArgs),
    /// Undo the local changes of one run (imports and replaced fields)
    Undo(runs::UndoArgs),
    /// Move the SMSTurbo customer list to and from CSV
    Customers(customers::CustomersArgs),
    /// Create and drive sandbox QuickBooks companies
    Sandbox(sandbox::SandboxArgs),
    /// Serve the QuickBooks Web Connector for scheduled runs
    Serve(webconnector::ServeArgs),
    /// Write the .qwc file to add custsync to the QuickBooks Web Connector
    Qwc(webconnector::QwcArgs),
    /// Web Connector settings (password)
    Webconnector(webconnector::WebconnectorArgs),
}

/// Parses the command line, runs the command, prints any error for people and returns the exit
/// status.
pub fn main() -> ExitCode {
    // color-eyre's panic hook gives a readable report if custsync itself has a bug.
    let _ = color_eyre::install();
    let cli = Cli::parse();
    let globals = Globals {
        workspace: cli.workspace,
        trace: cli.trace,
    };
    match run(cli.command, &globals) {
        Ok(outcome) => outcome.into(),
        // The reader of our output went away (`| head`): nothing to report, and nobody to
        // report it to.
        Err(err) if output::is_closed_output(&err) => Outcome::Done.into(),
        Err(err) => {
            report(&err);
            Outcome::NothingDone.into()
        }
    }
}

fn run(command: Option<Command>, g: &Globals) -> color_eyre::Result<Outcome> {
    match command {
        None => crate::tui::run_on_workspace(g),
        Some(Command::Demo(a)) => demo::run(a, g),
        Some(Command::Sync(a)) => sync::run(a, g),
        Some(Command::Link(a)) => link::link(a, g),
        Some(Command::Unlink(a)) => link::unlink(a, g),
        Some(Command::Runs(a)) => runs::list(a, g),
        Some(Command::Undo(a)) => runs::undo(a, g),
        Some(Command::Customers(a)) => customers::run(a, g),
        Some(Command::Sandbox(a)) => sandbox::run(a, g),
        Some(Command::Serve(a)) => webconnector::serve(a, g),
        Some(Command::Qwc(a)) => webconnector::qwc(a, g),
        Some(Command::Webconnector(a)) => webconnector::run(a, g),
    }
}

/// The workspace's customer database for a command that only reads: it works beside the
/// custsync that holds the workspace, and takes no lock.
fn open_read_only(g: &Globals) -> color_eyre::Result<crate::store::ReadOnlyStore> {
    let dir = crate::store::Workspace::locate(g.workspace.as_deref())?;
    Ok(crate::store::Workspace::open_read_only(&dir)?)
}

/// Prints an error and its causes, one per line, without backtraces: these are messages for the
/// operator, and each says what to do next.
pub fn report(err: &color_eyre::Report) {
    errln!("error: {err}");
    for cause in err.chain().skip(1) {
        errln!("  because: {cause}");
    }
}
