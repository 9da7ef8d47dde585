//! `custsync sandbox`: create sandbox QuickBooks companies, fill them, set their Integrated
//! Applications preferences, answer raw qbXML like Intuit's SDK test tool, and make the changes a
//! QuickBooks user makes in QuickBooks' own window (edit, delete, merge, make-job; `list` shows
//! the result, `clock` stops or moves the company's clock for tests).

use std::borrow::Cow;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Subcommand, ValueEnum};
use color_eyre::eyre::{WrapErr, bail, eyre};

use super::{Globals, Outcome};
use crate::qb::sandbox::{
    AppPrefs, Assignment, CompanyFile, GenerateOptions, Grant, SandboxClock, SandboxOptions,
    Session, generate, ids, process,
};
use crate::qb::{APP_NAME, QbError, hresult};
use crate::qbxml::CustomerRet;
use crate::qbxml::read::{ReadError, decode_document};

#[derive(clap::Args, Debug)]
pub struct SandboxArgs {
    #[command(subcommand)]
    pub command: SandboxCommand,
}

#[derive(Subcommand, Debug)]
pub enum SandboxCommand {
    /// Create a sandbox QuickBooks company file (pick a name like Company.QBW)
    Create {
        /// The company file to create; it must not exist yet
        file: PathBuf,
        /// The company's name, as CompanyQuery reports it
        #[arg(long, default_value = "Sandbox Company", value_name = "NAME")]
        company_name: String,
    },
    /// Add realistic random customers, types, vendors, employees and other names
    Generate {
        /// The sandbox company file
        file: PathBuf,
        /// How many customers (jobs included) to add
        #[arg(long, value_name = "N")]
        customers: u32,
        /// The same seed gives the same customers
        #[arg(long, default_value_t = 1, value_name = "S")]
        seed: u64,
    },
    /// Show or change the company's Integrated Applications preferences
    Prefs(PrefsArgs),
    /// Read a qbXML request document on standard input and print QuickBooks' response.
    ///
    /// Like Intuit's SDK test tool, each run is its own session (iterators do not outlive it) and
    /// it does not go through the Integrated Applications check: it is a developer's tool.
    Request {
        /// The sandbox company file
        file: PathBuf,
        /// The application whose error-recovery record (newMessageSetID / oldMessageSetID) is used
        #[arg(long, default_value = APP_NAME, value_name = "NAME")]
        app: String,
    },
    /// List the customers and jobs (inactive ones too) with ListID, EditSequence and TimeModified
    List {
        /// The sandbox company file
        file: PathBuf,
        /// List QuickBooks' deletion records instead (what ListDeletedQuery reports)
        #[arg(long)]
        deleted: bool,
    },
    /// Edit a customer or job as a QuickBooks user does in its Edit window.
    ///
    /// FIELD is a qbXML element (Phone, BillAddress/City, TermsRef, AccountNumber, Name,
    /// IsActive…), a key (bill_city) or a label ("Bill city"); an empty VALUE clears the field.
    /// IsActive=false makes the customer inactive, IsActive=true active again. The customer gets
    /// a new TimeModified and EditSequence; its ListID stays.
    Edit {
        /// The sandbox company file
        file: PathBuf,
        /// The customer or job: FullName (Parent:Job), ListID, or a job's own name
        name: String,
        /// What to change
        #[arg(long = "set", value_name = "FIELD=VALUE", num_args = 1.., required = true)]
        set: Vec<String>,
    },
    /// Delete a customer or job (refused while it has jobs); ListDeletedQuery then reports it
    Delete {
        /// The sandbox company file
        file: PathBuf,
        /// The customer or job: FullName, ListID, or a job's own name
        name: String,
    },
    /// Merge FROM into INTO as QuickBooks does: FROM's ListID is deleted, INTO keeps its own
    /// and gets a new TimeModified/EditSequence; FROM's jobs move under INTO (refused when both
    /// have jobs)
    Merge {
        /// The sandbox company file
        file: PathBuf,
        /// The customer or job that disappears
        from: String,
        /// The customer or job that survives
        into: String,
    },
    /// Move a customer under a parent as its job (same ListID, ParentRef set, Sublevel parent+1,
    /// FullName Parent:Name); its own jobs move along
    MakeJob {
        /// The sandbox company file
        file: PathBuf,
        /// The customer (or job) to move
        name: String,
        /// Its new parent
        #[arg(long, value_name = "PARENT")]
        parent: String,
    },
    /// Show the company's clock, stop it at a time, move it on, or let it follow the system
    /// clock again (for tests: TimeModified, TimeDeleted and the date filters to the second)
    Clock {
        /// The sandbox company file
        file: PathBuf,
        /// Stop the clock at this time (2026-03-04T09:08:07, with or without an offset like
        /// -08:00; without one it is local time, as in QuickBooks)
        #[arg(long, value_name = "DATETIME", conflicts_with_all = ["advance", "system"])]
        set: Option<String>,
        /// Move the clock on (90d, 2h, 15m, 30s or seconds) and keep it stopped there
        #[arg(long, value_name = "DURATION", conflicts_with = "system")]
        advance: Option<String>,
        /// Follow the system clock again
        #[arg(long)]
        system: bool,
    },
}

#[derive(clap::Args, Debug)]
pub struct PrefsArgs {
    /// The sandbox company file
    file: PathBuf,
    /// The application to change
    #[arg(long, default_value = APP_NAME, value_name = "NAME")]
    app: String,
    /// What the Application Certificate granted: none (ask again), denied, prompt (each time),
    /// when-open (whenever the file is open), always (even if QuickBooks is not running)
    #[arg(long, value_enum)]
    grant: Option<GrantArg>,
    /// The QuickBooks user "always" logs in as
    #[arg(long, value_name = "USER")]
    login_user: Option<String>,
    /// "Allow this application to login automatically"
    #[arg(long, value_enum, value_name = "on|off")]
    auto_login: Option<OnOff>,
    /// "Allow this application to access personal data"
    #[arg(long, value_enum, value_name = "on|off")]
    personal_data: Option<OnOff>,
    /// Mark the file as open in QuickBooks
    #[arg(long, conflicts_with = "close")]
    open: bool,
    /// Mark the file as closed in QuickBooks (QuickBooks not running)
    #[arg(long)]
    close: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum GrantArg {
    None,
    Denied,
    Prompt,
    WhenOpen,
    Always,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OnOff {
    On,
    Off,
}

impl OnOff {
    fn is_on(self) -> bool {
        self == OnOff::On
    }
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

pub fn run(args: SandboxArgs, _g: &Globals) -> color_eyre::Result<Outcome> {
    match args.command {
        SandboxCommand::Create { file, company_name } => {
            CompanyFile::create(&file, &company_name)?;
            outln!(
                "Created the sandbox company \"{company_name}\" in {}.",
                file.display()
            );
            outln!(
                "Fill it with `custsync sandbox generate {} --customers 500`.",
                file.display()
            );
            Ok(Outcome::Done)
        }
        SandboxCommand::Generate {
            file,
            customers,
            seed,
        } => {
            let mut company = CompanyFile::open(&file)?;
            let started = Instant::now();
            let s = generate(&mut company, &GenerateOptions::new(customers, seed))?;
            outln!(
                "Added {} customers ({} jobs, {} inactive), {} vendors, {} employees, {} other \
                 names, {} customer types, {} job types and {} sales reps in {:.1} s.",
                s.customers,
                s.jobs,
                s.inactive,
                s.vendors,
                s.employees,
                s.other_names,
                s.customer_types,
                s.job_types,
                s.sales_reps,
                started.elapsed().as_secs_f64()
            );
            Ok(Outcome::Done)
        }
        SandboxCommand::Prefs(p) => prefs(p),
        SandboxCommand::Request { file, app } => request(&file, &app),
        SandboxCommand::List { file, deleted } => list(&file, deleted),
        SandboxCommand::Edit { file, name, set } => {
            let edits = set
                .iter()
                .map(|a| a.parse::<Assignment>())
                .collect::<Result<Vec<_>, _>>()?;
            let e = CompanyFile::open(&file)?.edit_customer(&name, &edits)?;
            let who = shown(&e.customer);
            if e.changed.is_empty() {
                outln!(
                    "{who} already has those values; QuickBooks saved nothing (TimeModified and \
                     EditSequence are unchanged)."
                );
            } else {
                outln!("Edited {who}: {}.", e.changed.join(", "));
                outln!("{}", stamps(&e.customer));
            }
            Ok(Outcome::Done)
        }
        SandboxCommand::Delete { file, name } => {
            let d = CompanyFile::open(&file)?.delete_customer(&name)?;
            outln!(
                "Deleted \"{}\" (ListID {}). ListDeletedQuery reports it: ListDelType Customer, \
                 TimeDeleted {}.",
                d.full_name.unwrap_or_default(),
                d.list_id,
                d.time_deleted.unwrap_or_default()
            );
            Ok(Outcome::Done)
        }
        SandboxCommand::Merge { file, from, into } => {
            let m = CompanyFile::open(&file)?.merge_customers(&from, &into)?;
            outln!(
                "Merged \"{}\" into {}. ListID {} is deleted (TimeDeleted {}).",
                m.removed.full_name.unwrap_or_default(),
                shown(&m.kept),
                m.removed.list_id,
                m.removed.time_deleted.unwrap_or_default()
            );
            outln!("{}", stamps(&m.kept));
            if !m.moved_jobs.is_empty() {
                outln!("Jobs moved under it: {}.", m.moved_jobs.join(", "));
            }
            Ok(Outcome::Done)
        }
        SandboxCommand::MakeJob { file, name, parent } => {
            let c = CompanyFile::open(&file)?.make_job(&name, &parent)?;
            outln!(
                "{} is now a job (Sublevel {}).",
                shown(&c),
                c.sublevel.unwrap_or(0)
            );
            outln!("{}", stamps(&c));
            Ok(Outcome::Done)
        }
        SandboxCommand::Clock {
            file,
            set,
            advance,
            system,
        } => clock(&file, set.as_deref(), advance.as_deref(), system),
    }
}

/// `"Holdings:Shop" (ListID 80000002-1700000000)`.
fn shown(c: &CustomerRet) -> String {
    format!(
        "\"{}\" (ListID {})",
        c.full_name.as_deref().unwrap_or_default(),
        c.list_id
    )
}

fn stamps(c: &CustomerRet) -> String {
    format!(
        "TimeModified {}, EditSequence {}",
        c.time_modified.as_deref().unwrap_or_default(),
        c.edit_sequence.as_deref().unwrap_or_default()
    )
}

fn list(file: &std::path::Path, deleted: bool) -> color_eyre::Result<Outcome> {
    let company = CompanyFile::open(file)?;
    let mut out = String::new();
    if deleted {
        let records = company.deleted_list()?;
        if records.is_empty() {
            out.push_str(&format!(
                "No deletion records: nothing was deleted or merged away in the last {} days.\n",
                crate::qb::sandbox::RETENTION_DAYS
            ));
        }
        for d in records {
            out.push_str(&format!(
                "{:<12} {:<20} deleted {}  {}\n",
                d.list_del_type.map_or("", |t| t.as_str()),
                d.list_id,
                d.time_deleted.unwrap_or_default(),
                d.full_name.unwrap_or_default()
            ));
        }
    } else {
        let customers = company.customer_list()?;
        if customers.is_empty() {
            out.push_str(&format!(
                "No customers yet. Add some with `custsync sandbox generate {} --customers 50`.\n",
                file.display()
            ));
        }
        for c in &customers {
            out.push_str(&format!(
                "{:<20} {:<11} {}  {:<8} {}\n",
                c.list_id,
                c.edit_sequence.as_deref().unwrap_or_default(),
                c.time_modified.as_deref().unwrap_or_default(),
                if c.is_active() { "active" } else { "inactive" },
                c.full_name.as_deref().unwrap_or_default()
            ));
        }
    }
    out!("{out}");
    Ok(Outcome::Done)
}

fn clock(
    file: &std::path::Path,
    set: Option<&str>,
    advance: Option<&str>,
    system: bool,
) -> color_eyre::Result<Outcome> {
    let company = CompanyFile::open(file)?;
    if system {
        company.set_clock(SandboxClock::System)?;
    }
    if let Some(text) = set {
        let Some(t) = ids::parse_datetime(text, ids::DayEnd::Start) else {
            bail!(
                "\"{text}\" is not a date and time like 2026-03-04T09:08:07 or \
                 2026-03-04T09:08:07-08:00"
            );
        };
        company.set_clock(SandboxClock::Fixed(t))?;
    }
    if let Some(text) = advance {
        let Some(secs) = duration_secs(text) else {
            bail!("\"{text}\" is not a duration like 90d, 2h, 15m, 30s or a number of seconds");
        };
        let now = company.now()?;
        company.set_clock(SandboxClock::Fixed(now.saturating_add(secs)))?;
    }
    match company.clock()? {
        SandboxClock::System => outln!(
            "The sandbox clock follows the system clock (now {}).",
            ids::format_time(company.now()?)
        ),
        SandboxClock::Fixed(t) => outln!(
            "The sandbox clock is stopped at {} (Unix time {t}). `custsync sandbox clock {} \
             --system` lets it run again.",
            ids::format_time(t),
            file.display()
        ),
    }
    Ok(Outcome::Done)
}

/// `90d`, `2h`, `15m`, `30s` or plain seconds.
fn duration_secs(text: &str) -> Option<i64> {
    let t = text.trim();
    let (digits, unit) = match t.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => (&t[..i], c.to_ascii_lowercase()),
        _ => (t, 's'),
    };
    let n: i64 = digits.parse().ok()?;
    let unit = match unit {
        'd' => 86_400,
        'h' => 3_600,
        'm' => 60,
        's' => 1,
        _ => return None,
    };
    n.checked_mul(unit)
}

fn prefs(p: PrefsArgs) -> color_eyre::Result<Outcome> {
    let company = CompanyFile::open(&p.file)?;
    let changing = p.grant.is_some()
        || p.login_user.is_some()
        || p.auto_login.is_some()
        || p.personal_data.is_some();
    if changing {
        let mut prefs = company.app_prefs(&p.app)?;
        if let Some(g) = p.grant {
            let current_user = match &prefs.grant {
                Grant::Always { login_user } => Some(login_user.clone()),
                _ => None,
            };
            prefs.grant = match g {
                GrantArg::None => Grant::None,
                GrantArg::Denied => Grant::Denied,
                GrantArg::Prompt => Grant::PromptEachTime,
                GrantArg::WhenOpen => Grant::WhenOpen,
                GrantArg::Always => Grant::Always {
                    login_user: p
                        .login_user
                        .clone()
                        .or(current_user)
                        .unwrap_or_else(|| "Admin".into()),
                },
            };
        } else if let Some(user) = &p.login_user {
            match &mut prefs.grant {
                Grant::Always { login_user } => *login_user = user.clone(),
                _ => bail!(
                    "--login-user only applies to access granted \"always\"; add --grant always"
                ),
            }
        }
        if let Some(v) = p.auto_login {
            prefs.auto_login = v.is_on();
        }
        if let Some(v) = p.personal_data {
            prefs.personal_data = v.is_on();
        }
        company.set_app_prefs(&prefs)?;
    }
    if p.open || p.close {
        company.set_open_in_quickbooks(p.open)?;
    }
    print_prefs(&company)?;
    Ok(Outcome::Done)
}

fn print_prefs(company: &CompanyFile) -> color_eyre::Result<()> {
    let info = company.company_profile()?;
    let apps = company.integrated_apps()?;
    let mut out = String::new();
    out.push_str(&format!(
        "Company file: {} ({})\n",
        company.path().display(),
        info.company_name
    ));
    out.push_str(&format!(
        "QuickBooks has this file open: {}\n",
        if apps.open_in_quickbooks { "yes" } else { "no" }
    ));
    out.push_str(&format!("QuickBooks users: {}\n", apps.users.join(", ")));
    out.push_str("Integrated Applications:\n");
    if apps.apps.is_empty() {
        out.push_str(
            "  (none yet: an application's first connection shows the Application Certificate dialog)\n",
        );
    }
    for AppPrefs {
        app_name,
        grant,
        auto_login,
        personal_data,
    } in &apps.apps
    {
        out.push_str(&format!("  {app_name}\n"));
        out.push_str(&format!("    Access: {}\n", grant.label()));
        out.push_str(&format!(
            "    Allow this application to login automatically: {}\n",
            on_off(*auto_login)
        ));
        out.push_str(&format!(
            "    Allow this application to access personal data: {}\n",
            on_off(*personal_data)
        ));
    }
    out!("{out}");
    Ok(())
}

/// The largest request `sandbox request` reads; a qbXML document of 100,000 customer adds is far
/// smaller.
const MAX_REQUEST_BYTES: u64 = 256 * 1024 * 1024;

fn request(file: &std::path::Path, app: &str) -> color_eyre::Result<Outcome> {
    let mut company = CompanyFile::open(file)?;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_REQUEST_BYTES + 1)
        .read_to_end(&mut bytes)
        .wrap_err("could not read the request from standard input")?;
    if bytes.len() as u64 > MAX_REQUEST_BYTES {
        bail!(
            "the request on standard input is larger than {} MB; split it into several documents",
            MAX_REQUEST_BYTES / (1024 * 1024)
        );
    }
    let text = match decode(&bytes) {
        Ok(t) => t,
        Err(message) => {
            return Ok(document_failure(&QbError::hresult(
                hresult::PARSE_ERROR,
                message,
            )));
        }
    };
    let mut session = Session::new(app, SandboxOptions::default());
    match process(&mut company, &mut session, &text) {
        Ok(response) => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(response.as_bytes())
                .and_then(|()| stdout.flush())
                .wrap_err("could not write the response to standard output")?;
            Ok(Outcome::Done)
        }
        Err(e @ QbError::Hresult { .. }) => Ok(document_failure(&e)),
        Err(other) => Err(eyre!(other)),
    }
}

/// Text of the request: UTF-8, or ISO-8859-1 when the XML declaration says so (read by the same
/// decoder as QuickBooks' responses).
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, String> {
    const PREFIX: &str = "QuickBooks found an error when parsing the provided XML text stream";
    decode_document(bytes).map_err(|e| match e {
        ReadError::InvalidUtf8 { position } => format!(
            "{PREFIX}: the request is not UTF-8 text (invalid byte at offset {position}); send \
             UTF-8, or declare encoding=\"ISO-8859-1\" for Latin-1 bytes"
        ),
        ReadError::UnsupportedEncoding { encoding } => format!(
            "{PREFIX}: the request's encoding is {encoding}, not UTF-8 or ISO-8859-1; send \
             UTF-8, or declare encoding=\"ISO-8859-1\" for Latin-1 bytes"
        ),
        other => format!("{PREFIX}: {other}"),
    })
}

/// Prints a document-level refusal (HRESULT and message, then the next step) on stderr.
///
/// Every refusal `process` gives here (a parse error, an unsupported version, rollbackOnError,
/// subscription messages) is about the document itself, and its message names what is wrong; the
/// catalog's next steps speak to an operator running a sync, which is not who reads this.
fn document_failure(e: &QbError) -> Outcome {
    if let QbError::Hresult { code, message } = e {
        errln!("{}: {message}", hresult::format(*code));
        errln!("next: correct the request document as the message says, then send it again");
    } else {
        errln!("error: {e}");
    }
    Outcome::NothingDone
}
