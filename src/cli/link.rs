//! `custsync link CODE LISTID|FULLNAME` and `custsync unlink CODE`: the ways out of a stale link
//! that the Synchronize screen offers, for scripts. Each is a journal run of its own
//! (`custsync runs`; `custsync undo RUN` puts the links back).

use color_eyre::eyre::eyre;

use crate::store::Workspace;
use crate::sync::SyncError;
use crate::sync::relink::{self, LinkError};

use super::sync::Connected;
use super::{Globals, Outcome};

#[derive(clap::Args, Debug)]
pub struct LinkArgs {
    /// The SMSTurbo customer's code
    code: String,
    /// The QuickBooks customer: its ListID, or its full name
    target: String,
}

#[derive(clap::Args, Debug)]
pub struct UnlinkArgs {
    /// The SMSTurbo customer's code
    code: String,
    /// The company file the link belongs to, as `custsync runs` shows it (needed only when the
    /// customer is linked in several)
    #[arg(long, value_name = "FILE")]
    company: Option<String>,
    /// Offer the customer for export to that company again, like any customer QuickBooks
    /// lacks, instead of keeping it in SMSTurbo only
    #[arg(long)]
    offer_for_export: bool,
}

/// Connects to QuickBooks (to check the customer), then links.
pub fn link(args: LinkArgs, g: &Globals) -> color_eyre::Result<Outcome> {
    let mut c = Connected::open(g)?;
    let done = match c
        .engine
        .link_customer(&mut c.store, &args.code, &args.target)
    {
        Ok(done) => done,
        Err(LinkError::Session(e)) => return Err(c.explain(SyncError::Session(e))),
        Err(e) => return Err(refused(&e)),
    };
    let Some(run) = done.run else {
        outln!(
            "{} is already linked to QuickBooks' '{}' (ListID {}). Nothing was changed.",
            done.code,
            done.name,
            done.list_id
        );
        return Ok(Outcome::Done);
    };
    outln!(
        "Linked {} to QuickBooks' '{}' (ListID {}).",
        done.code,
        done.name,
        done.list_id
    );
    if let Some(old) = &done.replaced {
        outln!(
            "  It replaces the link to ListID {old}, which QuickBooks no longer has as a customer."
        );
    }
    if done.was_local_only {
        outln!("  It was kept in SMSTurbo only for this company; it is synchronized again.");
    }
    outln!("  Journal: run {run} (custsync undo {run} puts the links back).");
    Ok(Outcome::Done)
}

/// Unlinks without QuickBooks: the link is custsync's own.
pub fn unlink(args: UnlinkArgs, g: &Globals) -> color_eyre::Result<Outcome> {
    let workspace = Workspace::open(g.workspace.as_deref())?;
    let mut store = workspace.open_store()?;
    let done = relink::unlink_in_file(
        &mut store,
        args.company.as_deref(),
        &args.code,
        !args.offer_for_export,
    )
    .map_err(|e| refused(&e))?;
    match &done.list_id {
        Some(id) => outln!(
            "Unlinked {} from QuickBooks ListID {id} in {}.",
            done.code,
            done.company
        ),
        None => outln!("{} was not linked in {}.", done.code, done.company),
    }
    if done.local_only {
        outln!(
            "  Kept in SMSTurbo only: it is not offered for export to this company again (not \
             by custsync serve, not by sync --export all). To change that: custsync link {} \
             LISTID, or custsync sync --export-anyway {}.",
            done.code,
            done.code
        );
    } else {
        outln!("  Offered for export to this company again, like any customer QuickBooks lacks.");
    }
    outln!(
        "  Journal: run {} (custsync undo {} puts it back).",
        done.run,
        done.run
    );
    Ok(Outcome::Done)
}

fn refused(e: &LinkError) -> color_eyre::Report {
    eyre!("{e}. Nothing was changed.")
}
