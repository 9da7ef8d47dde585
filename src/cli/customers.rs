//! `custsync customers`: the SMSTurbo customer list to and from CSV.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use super::sync::rows::FieldsJson;
use super::{Globals, Outcome};
use crate::store::{StoreRead, Workspace, csv, os_user};

#[derive(clap::Args, Debug)]
pub struct CustomersArgs {
    #[command(subcommand)]
    pub command: CustomersCommand,
}

#[derive(Subcommand, Debug)]
pub enum CustomersCommand {
    /// Import customers from a CSV file: new codes are added, codes already stored are updated
    /// (only the columns the file has). Nothing is imported if any row is bad.
    Import {
        /// The CSV file; its header names the columns (code, name, status, credit_limit, …)
        file: PathBuf,
    },
    /// Export every customer to a CSV file ("-" writes to standard output)
    Export {
        /// Where to write; an existing file is replaced once the export is complete
        file: PathBuf,
    },
    /// List customers, or only those whose code, name, company, phone or email contains TEXT
    List {
        /// Text to search for (any case)
        text: Option<String>,
    },
    /// One customer in detail: every field, and how it is linked to QuickBooks companies (or
    /// kept in SMSTurbo only for one)
    Show {
        /// The customer's code
        code: String,
        /// Print it as JSON
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: CustomersArgs, g: &Globals) -> color_eyre::Result<Outcome> {
    match args.command {
        CustomersCommand::Import { file } => {
            let workspace = Workspace::open(g.workspace.as_deref())?;
            let mut store = workspace.open_store()?;
            let report = csv::import_file(&mut store, &file, &os_user())?;
            match report.run {
                Some(run) => outln!(
                    "Imported {}: {} added, {} updated, {} unchanged. To revert it: custsync undo {run}",
                    file.display(),
                    report.added,
                    report.updated,
                    report.unchanged
                ),
                None => outln!(
                    "Nothing to import: the {} customers in {} are already stored exactly so.",
                    report.unchanged,
                    file.display()
                ),
            }
        }
        CustomersCommand::Export { file } => {
            let store = super::open_read_only(g)?;
            if file.as_os_str() == "-" {
                let n = csv::export(&store, std::io::stdout().lock())?;
                errln!("Exported {n} customers.");
            } else {
                let n = csv::export_file(&store, &file)?;
                outln!("Exported {n} customers to {}.", file.display());
            }
        }
        CustomersCommand::List { text } => {
            let store = super::open_read_only(g)?;
            let customers = store.search_customers(text.as_deref().unwrap_or(""), None)?;
            let mut out = std::io::stdout().lock();
            for c in &customers {
                writeln!(out, "{}\t{}\t{}", c.code(), c.name(), c.status)?;
            }
            errln!("{} customers.", customers.len());
        }
        CustomersCommand::Show { code, json } => {
            let store = super::open_read_only(g)?;
            let Some(c) = store.customer(&code)? else {
                color_eyre::eyre::bail!(
                    "SMSTurbo has no customer with code {code} (custsync customers list shows them)"
                );
            };
            let links = store.links_of(c.code())?;
            let kept = store.local_only_of(c.code())?;
            if json {
                let v = serde_json::json!({
                    "code": c.code(),
                    "name": c.name(),
                    "status": c.status.as_str(),
                    "qb_name": c.qb_name,
                    "fields": FieldsJson(&c.data),
                    "links": links.iter().map(|l| serde_json::json!({
                        "company": l.company, "list_id": l.list_id, "external_guid": l.external_guid,
                    })).collect::<Vec<_>>(),
                    "kept_local_for": kept,
                });
                outln!("{v}");
            } else {
                outln!("{} — {} ({})", c.code(), c.name(), c.status);
                for (f, v) in c.data.iter() {
                    outln!("  {:<20} {v}", f.label());
                }
                if let Some(q) = &c.qb_name {
                    outln!("  {:<20} {q}", "QuickBooks name");
                }
                for l in &links {
                    outln!(
                        "  QuickBooks: linked to ListID {} in {}",
                        l.list_id,
                        l.company
                    );
                }
                for company in &kept {
                    outln!(
                        "  QuickBooks: kept in SMSTurbo only for {company} (not offered for \
                         export there; custsync link or sync --export-anyway changes that)"
                    );
                }
                if links.is_empty() && kept.is_empty() {
                    outln!("  QuickBooks: not linked");
                }
            }
        }
    }
    Ok(Outcome::Done)
}
