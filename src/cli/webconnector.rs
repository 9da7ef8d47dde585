//! `custsync serve`, `custsync qwc` and `custsync webconnector`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

use color_eyre::eyre::{WrapErr, bail};

use crate::sync::scheduled::ScheduledSync;

use super::{Globals, Outcome};
use crate::config::{Config, ScheduleConfig};
use crate::qb::webconnector::qwc::{AppUrl, QwcIds, QwcSpec};
use crate::qb::webconnector::{
    CallLog, ServerOptions, Service, StoredPassword, serve as start_server,
};
use crate::store::Workspace;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Listen on this address instead of config.toml's (host:port; loopback unless HTTPS is set up)
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct QwcArgs {
    /// Address the Web Connector will call, e.g. https://sync.example.com:8089/qbwc
    /// (plain http only for localhost)
    #[arg(long, value_name = "URL")]
    pub url: String,
    /// Where to write the file
    #[arg(long, value_name = "FILE", default_value = "custsync.qwc")]
    pub out: PathBuf,
    /// Let the Web Connector run custsync by itself every N minutes (scheduled runs)
    #[arg(long, value_name = "N")]
    pub every_minutes: Option<u32>,
}

#[derive(clap::Args, Debug)]
pub struct WebconnectorArgs {
    #[command(subcommand)]
    pub command: WebconnectorCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum WebconnectorCommand {
    /// Set the password the Web Connector must give (typed without echo, or one line on stdin)
    SetPassword,
}

/// `custsync serve`: the Web Connector service in the foreground until Ctrl-C. It holds the
/// workspace for as long as it serves: scheduled runs write to its database.
pub fn serve(args: ServeArgs, g: &Globals) -> color_eyre::Result<Outcome> {
    let ws = Workspace::open(g.workspace.as_deref())?;
    let cfg = ws.load_config()?;
    let wc = &cfg.connection.web_connector;
    let mut opts = ServerOptions::from_config(wc, ws.dir())?;
    if let Some(listen) = args.listen {
        opts.listen = listen;
    }
    // Ctrl-C, or a log nobody reads any more, stops the server.
    let (stop, stopped) = mpsc::channel();
    let log = ServeLog { stop: stop.clone() };
    let mut service = Service::from_config(wc, &cfg.company_file, ws.dir())?.with_observer({
        let log = log.clone();
        move |call| log.call(call)
    });
    let scheduled = ScheduledSync::is_configured(&cfg.schedule);
    if scheduled {
        let log = log.clone();
        let work = ScheduledSync::new(&ws, cfg.clone())
            .with_trace(g.trace.clone())
            .with_log(move |line| log.line(format_args!("{}  {line}", timestamp())));
        service = service.with_scheduled_work(Arc::new(work));
    }
    let server = start_server(&opts, Arc::new(service))?;
    log.line(format_args!(
        "custsync is serving the QuickBooks Web Connector at {} for user \"{}\". Press Ctrl-C to stop.",
        server.url(),
        wc.user_name
    ));
    if scheduled {
        log.line(format_args!(
            "When the Web Connector calls, custsync will {}.",
            describe(&cfg.schedule)
        ));
    } else {
        log.line(format_args!(
            "Nothing is scheduled ([schedule] in config.toml): a Web Connector that calls is told \
             there is nothing to do."
        ));
    }
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .wrap_err("could not install the Ctrl-C handler")?;
    let _ = stopped.recv();
    log.line(format_args!("Stopping: finishing the calls in progress…"));
    server.shutdown();
    log.line(format_args!("Stopped."));
    Ok(Outcome::Done)
}

/// `serve`'s log, on stderr. Once it cannot be written (its pipe was closed), serve stops the way
/// Ctrl-C stops it: nobody would see what it does any more.
#[derive(Clone)]
struct ServeLog {
    stop: mpsc::Sender<()>,
}

impl ServeLog {
    fn line(&self, args: std::fmt::Arguments<'_>) {
        if !super::output::write_err(args) {
            let _ = self.stop.send(());
        }
    }

    fn call(&self, log: &CallLog<'_>) {
        let method = log.method.map(|m| m.name()).unwrap_or("(unreadable)");
        self.line(format_args!(
            "{}  {:<15} {:<20} {}",
            timestamp(),
            log.peer,
            method,
            log.detail
        ));
    }
}

/// What `[schedule]` makes a run do, in words.
fn describe(s: &ScheduleConfig) -> String {
    let parts: Vec<&str> = [
        (
            s.export_missing,
            "export the SMSTurbo customers QuickBooks lacks",
        ),
        (
            s.import_missing,
            "import the QuickBooks customers SMSTurbo lacks",
        ),
        (
            s.apply_replace,
            "apply the Replace Options to customers that differ",
        ),
    ]
    .into_iter()
    .filter_map(|(on, what)| on.then_some(what))
    .collect();
    parts.join(", ")
}

fn timestamp() -> impl std::fmt::Display {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
}

/// `custsync qwc`: writes the file to add custsync to the Web Connector.
pub fn qwc(args: QwcArgs, g: &Globals) -> color_eyre::Result<Outcome> {
    let ws = workspace(g)?;
    let cfg = load_config(&ws)?;
    let wc = &cfg.connection.web_connector;
    let url = AppUrl::parse(&args.url)?;
    let ids = QwcIds::load_or_create(&ws)?;
    let spec = QwcSpec::new(url, &wc.user_name, ids, args.every_minutes)?;
    std::fs::write(&args.out, spec.to_xml()).wrap_err_with(|| {
        format!(
            "could not write {}; choose another place with --out",
            args.out.display()
        )
    })?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Wrote {}.", args.out.display())?;
    for note in qwc_notes(&spec, &cfg, &ws) {
        writeln!(out, "Note: {note}")?;
    }
    writeln!(
        out,
        "\nNext steps, on the Windows computer where QuickBooks runs:\n\
         1. Open QuickBooks as the Admin user, with the company file open (single-user mode is safest).\n\
         2. Open the QuickBooks Web Connector, click \"Add an application\" and choose {file}.\n\
         3. Allow the web service when the Web Connector asks (click OK).\n\
         4. QuickBooks shows \"Application Certificate\" for custsync. Choose \"Yes, whenever this\n\
            QuickBooks company file is open\", or, for scheduled runs while QuickBooks is closed,\n\
            \"Yes, always; allow access even if QuickBooks is not running\" and a Login as user.\n\
            Then Continue, Yes, and Done.\n\
         5. In the Web Connector's Password column for custsync, type the password you set with\n\
            `custsync webconnector set-password`, and let it save it.\n\
         6. Keep custsync ready (`custsync serve`, or a synchronization waiting for the Web\n\
            Connector), tick custsync and click \"Update Selected\".",
        file = args
            .out
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| args.out.display().to_string())
    )?;
    Ok(Outcome::Done)
}

/// Mismatches between the URL and Setup that are legal but worth knowing.
fn qwc_notes(spec: &QwcSpec, cfg: &Config, ws: &Path) -> Vec<String> {
    let wc = &cfg.connection.web_connector;
    let mut notes = Vec::new();
    if spec.url.path.trim_end_matches('/') != wc.path.trim_end_matches('/') {
        notes.push(format!(
            "the URL's path {} differs from the path custsync serves ({}); that only works behind \
             a proxy that maps one to the other",
            spec.url.path, wc.path
        ));
    }
    if spec.url.https && wc.tls_cert.is_none() {
        notes.push(
            "the URL is https but config.toml has no tls_cert/tls_key: set them, or put an HTTPS \
             proxy in front of custsync"
                .into(),
        );
    }
    if StoredPassword::load(ws).is_err() {
        notes.push(
            "no Web Connector password is set yet: run `custsync webconnector set-password`".into(),
        );
    }
    notes
}

/// `custsync webconnector …`.
pub fn run(args: WebconnectorArgs, g: &Globals) -> color_eyre::Result<Outcome> {
    match args.command {
        WebconnectorCommand::SetPassword => set_password(g),
    }
}

fn set_password(g: &Globals) -> color_eyre::Result<Outcome> {
    let ws = workspace(g)?;
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        let first = rpassword::prompt_password("New Web Connector password: ")
            .wrap_err("could not read the password from the terminal")?;
        crate::qb::webconnector::auth::validate_password(&first)?;
        let again = rpassword::prompt_password("Type it again: ")
            .wrap_err("could not read the password from the terminal")?;
        if first != again {
            bail!("the two passwords differ; nothing was changed — run the command again");
        }
        first
    } else {
        read_one_line(stdin.lock())?
    };
    let path = StoredPassword::hash(&password)?.save(&ws)?;
    outln!(
        "Saved the Web Connector password as a salted hash in {}.\n\
         Type the same password in the Web Connector's Password column for custsync.",
        path.display()
    );
    Ok(Outcome::Done)
}

/// One line from a pipe, without its line ending. Bounded: a password is not megabytes.
fn read_one_line(input: impl BufRead) -> color_eyre::Result<String> {
    let mut line = String::new();
    let n = input
        .take(4096)
        .read_line(&mut line)
        .wrap_err("could not read the password from standard input (it must be UTF-8 text)")?;
    if n == 0 {
        bail!(
            "no password on standard input; pipe one line, e.g. `printf '%s\\n' \"$PW\" | custsync \
             webconnector set-password`, or run it in a terminal"
        );
    }
    let trimmed = line.strip_suffix('\n').unwrap_or(&line);
    let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
    Ok(trimmed.to_string())
}

/// The workspace folder: `--workspace`, or the platform data directory. `qwc` and
/// `set-password` only touch their own files, so they work beside a running custsync and do not
/// take the workspace lock.
fn workspace(g: &Globals) -> color_eyre::Result<PathBuf> {
    match &g.workspace {
        Some(ws) => Ok(ws.clone()),
        None => Ok(Workspace::default_dir()?),
    }
}

/// The workspace's `config.toml` (checked as Setup checks it), or the defaults when there is
/// none yet.
fn load_config(ws: &Path) -> color_eyre::Result<Config> {
    Ok(Config::load(&ws.join("config.toml"))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_line_without_its_ending() {
        assert_eq!(
            read_one_line(&b"s3cret pass\r\nmore"[..]).unwrap(),
            "s3cret pass"
        );
        assert_eq!(read_one_line(&b"no newline"[..]).unwrap(), "no newline");
        assert!(read_one_line(&b""[..]).is_err());
    }
}
