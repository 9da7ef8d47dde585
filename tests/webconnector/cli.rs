//! `custsync qwc`, `custsync webconnector set-password` and `custsync serve` as a user runs them.

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use custsync::qb::guid::Guid;
use custsync::qb::sandbox::{AppPrefs, CompanyFile, Grant, SandboxConnection};
use custsync::qb::webconnector::StoredPassword;
use custsync::qb::webconnector::emulator::{
    ConnectionQuickBooks, Emulator, EmulatorConfig, HttpClient, UpdateOutcome, decode_reply,
    read_reply, request_envelope,
};
use custsync::qb::webconnector::soap::{Method, ReplyValue};
use custsync::qb::{APP_NAME, NoPrompt};
use custsync::store::{Customer, CustomerStatus, Store, StoreRead};
use quick_xml::Reader;
use quick_xml::events::Event;

fn custsync(ws: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_custsync"));
    c.arg("--workspace").arg(ws);
    c
}

/// The QBWCXML root's children as (name, text), failing on anything that is not well-formed.
fn qwc_fields(xml: &str) -> Vec<(String, String)> {
    let mut r = Reader::from_str(xml);
    let mut fields = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    loop {
        match r.read_event().expect("well-formed .qwc") {
            Event::Start(e) => {
                path.push(e.local_name().into_inner().to_string());
                text.clear();
            }
            Event::Empty(e) => {
                assert_eq!(path.len(), 1, "empty element outside QBWCXML");
                fields.push((e.local_name().into_inner().to_string(), String::new()));
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) => {
                text.push_str(quick_xml::escape::resolve_predefined_entity(&g).expect("entity"))
            }
            Event::End(_) => {
                let name = path.pop().expect("balanced");
                if path.len() == 1 {
                    fields.push((name, std::mem::take(&mut text)));
                } else if path.len() == 2 {
                    fields.push((format!("{}/{}", path[1], name), std::mem::take(&mut text)));
                } else if path.is_empty() {
                    assert_eq!(name, "QBWCXML");
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    fields
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("the .qwc lacks {name}: {fields:?}"))
}

#[test]
fn qwc_writes_complete_qbwcxml_and_keeps_its_ids() {
    let ws = tempfile::tempdir().unwrap();
    let out = ws.path().join("custsync.qwc");
    let run = custsync(ws.path())
        .args([
            "qwc",
            "--url",
            "https://sync.acme.example:8089/qbwc",
            "--every-minutes",
            "15",
        ])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    for step in [
        "Add an application",
        "Application Certificate",
        "Password",
        "Update Selected",
    ] {
        assert!(stdout.contains(step), "next steps lack {step}: {stdout}");
    }
    assert!(stdout.contains("set-password"), "no password yet: {stdout}");

    let xml = std::fs::read_to_string(&out).unwrap();
    assert!(xml.starts_with("<?xml"));
    let f = qwc_fields(&xml);
    assert_eq!(field(&f, "AppName"), "custsync");
    assert_eq!(field(&f, "AppID"), "");
    assert_eq!(field(&f, "AppURL"), "https://sync.acme.example:8089/qbwc");
    assert!(!field(&f, "AppDescription").is_empty() && field(&f, "AppDescription").len() < 80);
    assert_eq!(
        field(&f, "AppSupport"),
        "https://sync.acme.example:8089/qbwc/support"
    );
    assert_eq!(field(&f, "UserName"), "custsync");
    for id in ["OwnerID", "FileID"] {
        let v = field(&f, id);
        assert!(
            v.starts_with('{') && v.ends_with('}') && Guid::parse(v).is_some(),
            "{id}={v}"
        );
    }
    assert_ne!(field(&f, "OwnerID"), field(&f, "FileID"));
    assert_eq!(field(&f, "QBType"), "QBFS");
    assert_eq!(field(&f, "Scheduler/RunEveryNMinutes"), "15");
    assert_eq!(field(&f, "IsReadOnly"), "false");
    assert_eq!(field(&f, "PersonalDataPref"), "pdpNotNeeded");
    assert_eq!(field(&f, "UnattendedModePref"), "umpOptional");

    // Writing it again (another URL, no scheduler) keeps the same application identity.
    let again = custsync(ws.path())
        .args(["qwc", "--url", "http://localhost:8089/qbwc"])
        .arg("--out")
        .arg(ws.path().join("local.qwc"))
        .output()
        .unwrap();
    assert!(again.status.success());
    let g = qwc_fields(&std::fs::read_to_string(ws.path().join("local.qwc")).unwrap());
    assert_eq!(field(&g, "OwnerID"), field(&f, "OwnerID"));
    assert_eq!(field(&g, "FileID"), field(&f, "FileID"));
    assert!(!g.iter().any(|(n, _)| n.starts_with("Scheduler")));
}

#[test]
fn qwc_refuses_urls_the_web_connector_would_refuse() {
    let ws = tempfile::tempdir().unwrap();
    for (url, why) in [
        ("http://sync.acme.example/qbwc", "https"),
        ("https://10.0.0.5/qbwc", "IP address"),
        ("not a url", "full URL"),
    ] {
        let out = ws.path().join("x.qwc");
        let run = custsync(ws.path())
            .args(["qwc", "--url", url])
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(1), "{url}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(why), "{url}: {err}");
        assert!(!out.exists(), "nothing written for {url}");
    }
    let run = custsync(ws.path())
        .args([
            "qwc",
            "--url",
            "http://localhost/qbwc",
            "--every-minutes",
            "0",
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
}

fn set_password(ws: &Path, input: &[u8]) -> std::process::Output {
    let mut child = custsync(ws)
        .args(["webconnector", "set-password"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn set_password_reads_one_line_and_stores_only_a_hash() {
    let ws = tempfile::tempdir().unwrap();
    let ok = set_password(ws.path(), b"s3cret horse\nignored second line\n");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let stored = std::fs::read_to_string(ws.path().join("webconnector.pass")).unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains("s3cret"));
    let hash = StoredPassword::load(ws.path()).unwrap();
    assert!(hash.verify("s3cret horse"));

    for bad in [&b""[..], b"short\n", b"\n"] {
        let run = set_password(ws.path(), bad);
        assert_eq!(run.status.code(), Some(1));
        assert!(!String::from_utf8_lossy(&run.stderr).is_empty());
    }
    assert_eq!(
        StoredPassword::load(ws.path()).unwrap(),
        hash,
        "a refused password changes nothing"
    );
}

#[test]
fn serve_refuses_plain_http_beyond_loopback_and_a_missing_password() {
    let ws = tempfile::tempdir().unwrap();
    let run = custsync(ws.path()).arg("serve").output().unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("set-password"));

    assert!(set_password(ws.path(), b"s3cret horse\n").status.success());
    // From the command line: the server refuses.
    let run = custsync(ws.path())
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("refusing to listen") && err.contains("tls_cert"),
        "{err}"
    );
    // From config.toml: Setup's own check names the line.
    std::fs::write(
        ws.path().join("config.toml"),
        "[connection.web_connector]\nlisten = \"0.0.0.0:0\"\n",
    )
    .unwrap();
    let run = custsync(ws.path()).arg("serve").output().unwrap();
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("connection.web_connector.listen")
            && err.contains("HTTPS")
            && err.contains("tls_cert"),
        "{err}"
    );
}

/// `custsync serve` running in the background, its log lines arriving on a channel.
struct Served {
    child: Child,
    lines: mpsc::Receiver<String>,
    addr: SocketAddr,
    client: HttpClient,
    /// Every line read so far.
    seen: Vec<String>,
}

/// A test that fails (or never stops the server) must not leave `custsync serve` running: an
/// idle server never writes to its closed log, so it would not notice on its own.
impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Served {
    fn start(ws: &Path) -> Served {
        let mut child = custsync(ws)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            // Ends, closing the pipe, once nobody takes the lines.
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let banner = lines.recv_timeout(Duration::from_secs(20)).expect("banner");
        let url = banner
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {banner}"));
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches("/qbwc")
            .parse()
            .unwrap();
        Served {
            child,
            lines,
            addr,
            client: HttpClient::plain(addr, "/qbwc"),
            seen: vec![banner],
        }
    }

    /// Reads log lines until one matches.
    fn wait_for_line(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        loop {
            if let Some(l) = self.seen.iter().find(|l| pred(l)) {
                return l.clone();
            }
            match self.lines.recv_timeout(Duration::from_secs(20)) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!("{what} was not logged: {:?}", self.seen),
            }
        }
    }

    /// The log lines that arrive within `wait`.
    fn drain(&mut self, wait: Duration) -> &[String] {
        let end = Instant::now() + wait;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(l) => self.seen.push(l),
                Err(_) => break,
            }
        }
        &self.seen
    }

    /// Peak resident size of the server process so far, in MiB.
    #[cfg(target_os = "linux")]
    fn peak_rss_mib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kib: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM");
        kib / 1024
    }

    /// Whether `password` gets the user `custsync` in.
    fn logs_in(&self, password: &str) -> bool {
        let reply = self
            .client
            .post_soap("authenticate", &authenticate("custsync", password))
            .unwrap();
        !String::from_utf8_lossy(&reply.body).contains("<string>nvu</string>")
    }

    /// Ctrl-C; the rest of the log.
    fn stop(mut self) -> Vec<String> {
        let killed = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "Ctrl-C must stop cleanly: {status:?}");
        // The reader thread ends at the child's end of output, closing the channel.
        std::iter::from_fn(|| self.lines.recv_timeout(Duration::from_secs(10)).ok()).collect()
    }
}

#[test]
fn serve_answers_the_web_connector_logs_calls_and_stops_on_ctrl_c() {
    let ws = tempfile::tempdir().unwrap();
    assert!(set_password(ws.path(), b"s3cret horse\n").status.success());
    let mut served = Served::start(ws.path());
    let auth = request_envelope(
        Method::Authenticate,
        &[("strUserName", "custsync"), ("strPassword", "s3cret horse")],
    );
    let reply = served
        .client
        .post_soap("authenticate", auth.as_bytes())
        .unwrap();
    let body = String::from_utf8(reply.body).unwrap();
    match decode_reply(Method::Authenticate, &body).unwrap() {
        ReplyValue::Strings(s) => assert_eq!(s[1], "none", "nothing scheduled"),
        other => panic!("{other:?}"),
    }
    served.wait_for_line("the authenticate call", |l| {
        l.contains("authenticate") && l.contains("nothing to do")
    });
    assert!(
        !served.seen.iter().any(|l| l.contains("s3cret")),
        "no password in the log"
    );
    let rest = served.stop();
    assert!(rest.iter().any(|l| l.contains("Stopped")), "{rest:?}");
}

/// With `[schedule]`, a Web Connector call runs a synchronization (here against a sandbox
/// company behind the emulated Web Connector); serve holds the workspace meanwhile.
/// A workspace whose `custsync serve` exports the missing customers (one, A1) to a sandbox
/// company open in QuickBooks; the company file's path.
fn scheduled_workspace(ws: &Path) -> std::path::PathBuf {
    let company = ws.join("Shop.QBW");
    let file = CompanyFile::create(&company, "Shop").unwrap();
    let mut prefs = AppPrefs::new(APP_NAME);
    prefs.grant = Grant::WhenOpen;
    file.set_app_prefs(&prefs).unwrap();
    file.set_open_in_quickbooks(true).unwrap();
    Store::open(ws.join("custsync.db"))
        .unwrap()
        .create_customer(&Customer::new("A1", "Alpha Shop", CustomerStatus::Active))
        .unwrap();
    std::fs::write(
        ws.join("config.toml"),
        format!(
            "company_file = '{}'\n[connection]\nkind = \"web_connector\"\n\
             [schedule]\nexport_missing = true\n",
            company.display()
        ),
    )
    .unwrap();
    assert!(set_password(ws, b"s3cret horse\n").status.success());
    company
}

/// The Web Connector's "Update Selected" against `served`, QuickBooks being the sandbox
/// `company`: what it closed with.
fn update(served: &Served, company: &Path) -> String {
    let quickbooks = ConnectionQuickBooks::new(SandboxConnection::new(company), Box::new(NoPrompt));
    let config = EmulatorConfig {
        user_name: "custsync".into(),
        password: "s3cret horse".into(),
        noop_pause: Duration::from_millis(100),
        ..EmulatorConfig::default()
    };
    let mut emu = Emulator::new(served.client.clone(), quickbooks, config);
    match emu.run_update().expect("update").outcome {
        UpdateOutcome::Completed { close_message } => close_message,
        other => panic!("{other:?}"),
    }
}

#[test]
fn serve_runs_the_scheduled_synchronization_and_logs_one_line() {
    let ws = tempfile::tempdir().unwrap();
    let company = scheduled_workspace(ws.path());
    let mut served = Served::start(ws.path());
    served.wait_for_line("what a run does", |l| {
        l.contains("export the SMSTurbo customers QuickBooks lacks")
    });
    let busy = custsync(ws.path()).args(["serve"]).output().unwrap();
    assert_eq!(busy.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&busy.stderr).contains("in use by another custsync"),
        "serve holds the workspace"
    );
    // `qwc` touches only its own files, so it works while serve holds the workspace.
    let qwc = custsync(ws.path())
        .args([
            "qwc",
            "--url",
            "http://localhost:8089/qbwc",
            "--every-minutes",
            "60",
        ])
        .arg("--out")
        .arg(ws.path().join("custsync.qwc"))
        .output()
        .unwrap();
    assert!(
        qwc.status.success(),
        "{}",
        String::from_utf8_lossy(&qwc.stderr)
    );

    let closed = update(&served, &company);
    assert!(closed.contains("1 added to QuickBooks"), "{closed}");
    let line = served.wait_for_line("the run", |l| l.contains("scheduled run on"));
    assert!(
        line.contains("1 added to QuickBooks") && line.contains("run 1"),
        "{line}"
    );
    served.stop();
    let store = Store::open(ws.path().join("custsync.db")).unwrap();
    assert_eq!(store.runs(10).unwrap().len(), 1);
    assert_eq!(
        store.links(&company.display().to_string()).unwrap().len(),
        1
    );
}

/// What a command run beside `serve` printed, failing unless it succeeded.
fn read_beside(ws: &Path, args: &[&str]) -> String {
    let out = custsync(ws).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "custsync {args:?} beside serve: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// While `serve` holds the workspace, commands that only read work beside it, also while its
/// scheduled run writes, and see the run as soon as it is committed; commands that change the
/// workspace are told who holds it.
#[test]
fn readers_work_beside_serve_and_writers_are_told_who_holds_the_workspace() {
    let ws = tempfile::tempdir().unwrap();
    let company = scheduled_workspace(ws.path());
    let mut served = Served::start(ws.path());
    assert!(read_beside(ws.path(), &["runs"]).contains("No synchronization runs yet."));

    // Readers one after another while the Web Connector's update runs the synchronization.
    let stop = Arc::new(AtomicBool::new(false));
    let readers = thread::spawn({
        let ws = ws.path().to_path_buf();
        let stop = stop.clone();
        move || {
            let mut seen = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                seen.push(read_beside(&ws, &["runs"]));
            }
            seen
        }
    });
    let closed = update(&served, &company);
    stop.store(true, Ordering::SeqCst);
    assert!(closed.contains("1 added to QuickBooks"), "{closed}");
    // Each reader starts after the one before it ended, so sees at least what that one saw:
    // before the run, the run started, or the run done, never half of one nor an error.
    let stage = |runs: &str| match runs.lines().find(|l| l.trim_start().starts_with("1 ")) {
        None if runs.contains("No synchronization runs yet.") => 0,
        Some(row) if row.contains("unfinished") => 1,
        Some(row) if row.contains("done") => 2,
        _ => panic!("a reader beside the run saw: {runs}"),
    };
    let stages: Vec<u8> = readers.join().unwrap().iter().map(|r| stage(r)).collect();
    assert!(stages.is_sorted(), "a later reader saw less: {stages:?}");
    served.wait_for_line("the run", |l| l.contains("scheduled run on"));

    let db = ws.path().join("custsync.db");
    let before = std::fs::read(&db).unwrap();
    let runs = read_beside(ws.path(), &["runs"]);
    let row = runs
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .unwrap_or_else(|| panic!("run 1 is not listed: {runs}"));
    assert!(
        row.contains("missing_only") && row.contains("done"),
        "{row}"
    );
    let show = read_beside(ws.path(), &["runs", "--show", "1"]);
    assert!(show.contains("exported  A1"), "{show}");
    let csv = ws.path().join("customers.csv");
    let export = read_beside(ws.path(), &["customers", "export", csv.to_str().unwrap()]);
    assert!(export.contains("Exported 1 customers"), "{export}");
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .contains("A1,Alpha Shop")
    );

    // Every writer at once: each waits out the same short grace before it is told.
    std::fs::write(ws.path().join("in.csv"), "code,name\nB1,Beta\n").unwrap();
    let in_csv = ws.path().join("in.csv");
    let writers: Vec<(&str, Child)> = [
        (
            "import",
            vec!["customers", "import", in_csv.to_str().unwrap()],
        ),
        ("undo", vec!["undo", "1"]),
        ("sync", vec!["sync", "--export", "all"]),
        ("serve", vec!["serve", "--listen", "127.0.0.1:0"]),
        ("the screen", vec![]),
    ]
    .into_iter()
    .map(|(name, args)| {
        let child = custsync(ws.path())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        (name, child)
    })
    .collect();
    let holder = format!("process {}", served.child.id());
    for (name, child) in writers {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        for needle in ["in use by another custsync", &holder, "custsync runs"] {
            assert!(err.contains(needle), "{name} lacks {needle:?}: {err}");
        }
    }
    assert!(
        std::fs::read(&db).unwrap() == before,
        "a reader or a refused writer changed the database"
    );
    served.stop();
}

/// An authenticate call's SOAP body.
fn authenticate(user: &str, password: &str) -> Vec<u8> {
    request_envelope(
        Method::Authenticate,
        &[("strUserName", user), ("strPassword", password)],
    )
    .into_bytes()
}

/// Connects to `server` from the loopback address `from` (any 127.x.y.z on Linux).
#[cfg(target_os = "linux")]
fn connect_from(from: Ipv4Addr, server: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    socket.bind(&SocketAddr::new(IpAddr::V4(from), 0).into())?;
    socket.connect_timeout(&server.into(), Duration::from_secs(5))?;
    let stream: TcpStream = socket.into();
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    Ok(stream)
}

/// 150 wrong passwords over about 5 s, each from its own address, against a real `custsync
/// serve`: its memory stays small (one Argon2 buffer, reused) and only a handful of passwords a
/// second are checked (the budget for all addresses together). Linux only: there any 127.x.y.z is local, and /proc tells
/// the peak memory.
#[cfg(target_os = "linux")]
#[test]
fn a_login_flood_from_150_addresses_costs_little_memory_and_few_checks() {
    let ws = tempfile::tempdir().unwrap();
    assert!(set_password(ws.path(), b"s3cret horse\n").status.success());
    let mut served = Served::start(ws.path());
    let addr = served.addr;
    let body = authenticate("custsync", "wrong guess");
    let request = format!(
        "POST /qbwc HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let sources: Vec<Ipv4Addr> = (0..150u8).map(|i| Ipv4Addr::new(127, 1, i, 7)).collect();
    let started = Instant::now();
    let answered: usize = thread::scope(|s| {
        let guessers: Vec<_> = sources
            .chunks(19)
            .map(|chunk| {
                let (request, body) = (&request, &body);
                s.spawn(move || {
                    chunk
                        .iter()
                        .filter(|&&from| {
                            // Spread over a few seconds, so that the budget refills.
                            thread::sleep(Duration::from_millis(250));
                            connect_from(from, addr).is_ok_and(|mut c| {
                                c.write_all(request.as_bytes()).is_ok()
                                    && c.write_all(body).is_ok()
                                    && read_reply(&mut c).is_ok_and(|r| r.status == 200)
                            })
                        })
                        .count()
                })
            })
            .collect();
        guessers.into_iter().map(|g| g.join().unwrap()).sum()
    });
    let flood = started.elapsed();
    assert!(answered >= 140, "only {answered} of 150 guesses answered");
    let peak = served.peak_rss_mib();
    let checked = served
        .drain(Duration::from_millis(500))
        .iter()
        .filter(|l| l.contains("wrong user name or password"))
        .count();
    eprintln!("login flood: {answered} answered in {flood:?}, {checked} checked, peak {peak} MiB");
    assert!(peak <= 150, "peak resident size {peak} MiB under the flood");
    assert!(
        (1..=40).contains(&checked),
        "{checked} passwords checked during a {flood:?} flood"
    );
    // Once the flood is over, the real Web Connector gets in.
    thread::sleep(Duration::from_secs(2));
    assert!(served.logs_in("s3cret horse"));
}

#[test]
fn set_password_reaches_a_running_serve() {
    let ws = tempfile::tempdir().unwrap();
    assert!(
        set_password(ws.path(), b"first password\n")
            .status
            .success()
    );
    let served = Served::start(ws.path());
    assert!(served.logs_in("first password"));
    assert!(
        set_password(ws.path(), b"second password\n")
            .status
            .success()
    );
    assert!(served.logs_in("second password"));
    assert!(!served.logs_in("first password"));
}

#[test]
fn serve_stops_cleanly_when_its_log_pipe_closes() {
    let ws = tempfile::tempdir().unwrap();
    assert!(set_password(ws.path(), b"s3cret horse\n").status.success());
    let mut served = Served::start(ws.path());
    // Our reader of serve's log ends at the next line once nobody takes them, closing the pipe.
    served.lines = mpsc::channel().1;
    let started = Instant::now();
    let status = loop {
        // Calls make serve log; its writes then fail.
        let _ = served.client.post_soap(
            "serverVersion",
            request_envelope(Method::ServerVersion, &[]).as_bytes(),
        );
        if let Some(status) = served.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "serve keeps running with its log closed"
        );
        thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
}
