//! `custsync sandbox …` as a user runs it: create, generate, prefs, request (raw qbXML on
//! standard input, the response on standard output, document-level failures on standard error),
//! and a QuickBooks user's moves (list, edit, delete, merge, make-job) with the clock.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{Docs, Rs, Test, envelope};

pub const TESTS: &[Test] = &[
    (
        "create_makes_a_company_and_never_overwrites",
        create_makes_a_company_and_never_overwrites,
    ),
    (
        "generate_is_deterministic_by_seed",
        generate_is_deterministic_by_seed,
    ),
    (
        "prefs_shows_and_changes_integrated_applications",
        prefs_shows_and_changes_integrated_applications,
    ),
    ("request_answers_on_stdout", request_answers_on_stdout),
    (
        "request_failures_print_the_hresult_on_stderr",
        request_failures_print_the_hresult_on_stderr,
    ),
    (
        "request_takes_latin1_when_declared",
        request_takes_latin1_when_declared,
    ),
    (
        "each_request_run_is_its_own_session",
        each_request_run_is_its_own_session,
    ),
    (
        "request_skips_the_integrated_applications_check",
        request_skips_the_integrated_applications_check,
    ),
    (
        "missing_and_real_files_get_clear_errors",
        missing_and_real_files_get_clear_errors,
    ),
    (
        "moves_change_the_company_as_a_quickbooks_user_would",
        moves_change_the_company_as_a_quickbooks_user_would,
    ),
    (
        "refused_moves_say_why_and_change_nothing",
        refused_moves_say_why_and_change_nothing,
    ),
    (
        "the_clock_stops_moves_on_and_runs_again",
        the_clock_stops_moves_on_and_runs_again,
    ),
    ("help_lists_the_moves", help_lists_the_moves),
];

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn custsync(args: &[&str], stdin: &[u8]) -> Out {
    let mut child = Command::new(env!("CARGO_BIN_EXE_custsync"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn created(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    let out = custsync(
        &["sandbox", "create", p(&path), "--company-name", "CLI Co"],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    path
}

fn request(path: &Path, body: &str, docs: &mut Docs) -> Rs {
    let out = custsync(
        &["sandbox", "request", p(path)],
        envelope("13.0", "onError=\"continueOnError\"", body).as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    docs.push(&out.stdout);
    Rs::parse(&out.stdout)
}

fn create_makes_a_company_and_never_overwrites(docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let path = created(dir.path(), "New.QBW");
    let r = request(&path, "<CompanyQueryRq/>", docs);
    assert_eq!(r.rets(0)[0].get("CompanyName"), Some("CLI Co"));
    let again = custsync(&["sandbox", "create", p(&path)], b"");
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    let bad = custsync(
        &[
            "sandbox",
            "create",
            p(&dir.path().join("x.QBW")),
            "--company-name",
            "",
        ],
        b"",
    );
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("1 to 59 characters"), "{}", bad.stderr);
}

fn generate_is_deterministic_by_seed(docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let query = "<CustomerQueryRq><ActiveStatus>All</ActiveStatus></CustomerQueryRq><VendorQueryRq><ActiveStatus>All</ActiveStatus></VendorQueryRq>";
    let mut texts = Vec::new();
    for (name, seed) in [("a.QBW", "5"), ("b.QBW", "5"), ("c.QBW", "6")] {
        let path = created(dir.path(), name);
        let out = custsync(
            &[
                "sandbox",
                "generate",
                p(&path),
                "--customers",
                "300",
                "--seed",
                seed,
            ],
            b"",
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("Added 300 customers"), "{}", out.stdout);
        let r = request(&path, query, docs);
        assert_eq!(r.rets(0).len(), 300);
        texts.push(r.text);
    }
    assert_eq!(texts[0], texts[1], "same seed, same company");
    assert_ne!(texts[0], texts[2]);
    let r = Rs::parse(&texts[0]);
    let jobs = r
        .rets(0)
        .iter()
        .filter(|c| c.get("Sublevel") != Some("0"))
        .count();
    let inactive = r
        .rets(0)
        .iter()
        .filter(|c| c.get("IsActive") == Some("false"))
        .count();
    assert!(jobs > 0 && inactive > 0, "jobs {jobs}, inactive {inactive}");
    assert!(r.rets(0).iter().any(|c| {
        c.get("CustomerTypeRef/FullName")
            .is_some_and(|t| t.contains(':'))
    }));
    assert!(!r.rets(1).is_empty(), "some vendors");
}

fn prefs_shows_and_changes_integrated_applications(_docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let path = created(dir.path(), "Prefs.QBW");
    let out = custsync(&["sandbox", "prefs", p(&path)], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("QuickBooks has this file open: no"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("none yet"), "{}", out.stdout);
    let out = custsync(
        &[
            "sandbox",
            "prefs",
            p(&path),
            "--grant",
            "always",
            "--auto-login",
            "on",
            "--personal-data",
            "off",
            "--open",
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("QuickBooks has this file open: yes"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("custsync\n    Access: Yes, always; allow access even if QuickBooks is not running (login as Admin)"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("Allow this application to login automatically: on"),
        "{}",
        out.stdout
    );
    let out = custsync(
        &[
            "sandbox",
            "prefs",
            p(&path),
            "--auto-login",
            "off",
            "--close",
        ],
        b"",
    );
    assert!(
        out.stdout.contains("login automatically: off"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("open: no"), "{}", out.stdout);
    let out = custsync(
        &["sandbox", "prefs", p(&path), "--login-user", "Nobody"],
        b"",
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("\"Nobody\" is not a QuickBooks user") && out.stderr.contains("Admin"),
        "{}",
        out.stderr
    );
    let out = custsync(
        &[
            "sandbox",
            "prefs",
            p(&path),
            "--app",
            "Other",
            "--login-user",
            "Admin",
        ],
        b"",
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("--grant always"), "{}", out.stderr);
    let out = custsync(
        &[
            "sandbox",
            "prefs",
            p(&path),
            "--app",
            "Other",
            "--grant",
            "denied",
        ],
        b"",
    );
    assert!(
        out.stdout.contains("Other\n    Access: No (access denied)"),
        "{}",
        out.stdout
    );
    let out = custsync(&["sandbox", "prefs", p(&path), "--open", "--close"], b"");
    assert_eq!(
        out.code, 2,
        "clap refuses contradictory flags: {}",
        out.stderr
    );
}

fn request_answers_on_stdout(docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let path = created(dir.path(), "Req.QBW");
    let r = request(
        &path,
        "<CustomerAddRq requestID=\"1\"><CustomerAdd><Name>Piped &amp; Co</Name></CustomerAdd></CustomerAddRq><CustomerQueryRq requestID=\"2\"><FullName>piped &amp; co</FullName></CustomerQueryRq>",
        docs,
    );
    assert_eq!(r.status(0), 0);
    assert_eq!(r.names(1), ["Piped & Co"]);
    assert!(r.text.starts_with("<?xml version=\"1.0\" ?>"));
}

fn request_failures_print_the_hresult_on_stderr(_docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let path = created(dir.path(), "Fail.QBW");
    let cases: [(&[u8], &str); 5] = [
        (b"<?xml version=\"1.0\"?><?qbxml version=\"13.0\"?><QBXML><QBXMLMsgsRq onError=\"stopOnError\"><HostQueryRq><Oops/></HostQueryRq></QBXMLMsgsRq></QBXML>", "0x80040400: "),
        (b"<?xml version=\"1.0\"?><?qbxml version=\"42.0\"?><QBXML/>", "0x80040423: "),
        (b"<?xml version=\"1.0\"?><?qbxml version=\"13.0\"?><QBXML><QBXMLMsgsRq onError=\"rollbackOnError\"/></QBXML>", "0x80040413: "),
        (b"\x00\xff\xfe\x89PNG\r\n\x1a\n\xde\xad\xbe\xef binary", "0x80040400: "),
        (b"", "0x80040400: "),
    ];
    for (input, prefix) in cases {
        let out = custsync(&["sandbox", "request", p(&path)], input);
        assert_eq!(out.code, 1, "{:?}", String::from_utf8_lossy(input));
        assert!(out.stdout.is_empty(), "{}", out.stdout);
        assert!(out.stderr.starts_with(prefix), "{}", out.stderr);
        assert!(
            out.stderr.contains("\nnext: "),
            "says what to do: {}",
            out.stderr
        );
    }
    let garbage = custsync(&["sandbox", "request", p(&path)], b"\xff\xfe\x00garbage");
    assert!(garbage.stderr.contains("not UTF-8"), "{}", garbage.stderr);
}

fn request_takes_latin1_when_declared(docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let path = created(dir.path(), "Latin.QBW");
    let mut bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><?qbxml version=\"13.0\"?><QBXML><QBXMLMsgsRq onError=\"stopOnError\"><CustomerAddRq><CustomerAdd><Name>Caf".to_vec();
    bytes.push(0xE9); // é in ISO-8859-1
    // 0x93 is U+0093 in ISO-8859-1 (windows-1252 would make it “, which QuickBooks cannot store).
    bytes.extend_from_slice(b" \x93Bau\x94");
    bytes.extend_from_slice(b"</Name></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>");
    let out = custsync(&["sandbox", "request", p(&path)], &bytes);
    assert_eq!(out.code, 0, "{}", out.stderr);
    docs.push(&out.stdout);
    assert_eq!(Rs::parse(&out.stdout).names(0), ["Café \u{93}Bau\u{94}"]);
    // The declaration decides: UTF-8 bytes declared ISO-8859-1 are read as Latin-1, as an XML
    // parser reads them; windows-1252 is refused rather than misread.
    let utf8_declared_latin1 = String::from_utf8_lossy(&bytes)
        .replace("Caf\u{FFFD}", "Zoë")
        .replace(" \u{FFFD}Bau\u{FFFD}", "");
    let out = custsync(
        &["sandbox", "request", p(&path)],
        utf8_declared_latin1.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    docs.push(&out.stdout);
    assert_eq!(Rs::parse(&out.stdout).names(0), ["ZoÃ«"]);
    let cp1252 = utf8_declared_latin1.replace("ISO-8859-1", "windows-1252");
    let out = custsync(&["sandbox", "request", p(&path)], cp1252.as_bytes());
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("windows-1252, not UTF-8 or ISO-8859-1"),
        "{}",
        out.stderr
    );
}

fn each_request_run_is_its_own_session(docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let path = created(dir.path(), "Iter.QBW");
    request(
        &path,
        "<CustomerAddRq><CustomerAdd><Name>A</Name></CustomerAdd></CustomerAddRq><CustomerAddRq><CustomerAdd><Name>B</Name></CustomerAdd></CustomerAddRq>",
        docs,
    );
    let r = request(
        &path,
        "<CustomerQueryRq iterator=\"Start\"><MaxReturned>1</MaxReturned></CustomerQueryRq>",
        docs,
    );
    let id = r.rs(0).attr("iteratorID").unwrap().to_string();
    let r = request(
        &path,
        &format!(
            "<CustomerQueryRq iterator=\"Continue\" iteratorID=\"{id}\"><MaxReturned>1</MaxReturned></CustomerQueryRq>"
        ),
        docs,
    );
    assert_eq!(r.status(0), 3391);
}

fn request_skips_the_integrated_applications_check(docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let path = created(dir.path(), "Denied.QBW");
    let out = custsync(&["sandbox", "prefs", p(&path), "--grant", "denied"], b"");
    assert_eq!(out.code, 0);
    assert_eq!(request(&path, "<HostQueryRq/>", docs).status(0), 0);
}

fn missing_and_real_files_get_clear_errors(_docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("Nope.QBW");
    for args in [
        vec!["sandbox", "request", p(&missing)],
        vec!["sandbox", "prefs", p(&missing)],
        vec!["sandbox", "generate", p(&missing), "--customers", "1"],
    ] {
        let out = custsync(&args, b"");
        assert_eq!(out.code, 1, "{args:?}");
        assert!(
            out.stderr.contains("does not exist") && out.stderr.contains("custsync sandbox create"),
            "{}",
            out.stderr
        );
    }
    assert!(!missing.exists(), "nothing created by accident");
    let real = dir.path().join("Real.QBW");
    let bytes: Vec<u8> = (0..10_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    std::fs::write(&real, &bytes).unwrap();
    let out = custsync(&["sandbox", "request", p(&real)], b"<QBXML/>");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("real QuickBooks company file"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("Web Connector"), "{}", out.stderr);
    assert_eq!(std::fs::read(&real).unwrap(), bytes);
}

fn ok(args: &[&str]) -> String {
    let out = custsync(args, b"");
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out.stdout
}

/// A company with a stopped clock and the customers Acme (with a job), Best Co and Holdings.
fn moves_company(dir: &Path, docs: &mut Docs) -> std::path::PathBuf {
    let path = created(dir, "Moves.QBW");
    ok(&[
        "sandbox",
        "clock",
        p(&path),
        "--set",
        "2026-03-04T09:08:07+00:00",
    ]);
    let r = request(
        &path,
        "<CustomerAddRq><CustomerAdd><Name>Acme</Name><Phone>1</Phone><Fax>2</Fax></CustomerAdd></CustomerAddRq>\
         <CustomerAddRq><CustomerAdd><Name>Kitchen</Name><ParentRef><FullName>Acme</FullName></ParentRef></CustomerAdd></CustomerAddRq>\
         <CustomerAddRq><CustomerAdd><Name>Best Co</Name></CustomerAdd></CustomerAddRq>\
         <CustomerAddRq><CustomerAdd><Name>Holdings</Name></CustomerAdd></CustomerAddRq>",
        docs,
    );
    assert!((0..4).all(|i| r.status(i) == 0), "{}", r.text);
    path
}

fn moves_change_the_company_as_a_quickbooks_user_would(docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let path = moves_company(dir.path(), docs);
    let listed = ok(&["sandbox", "list", p(&path)]);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 4, "{listed}");
    assert!(lines[1].ends_with("active   Acme:Kitchen"), "{listed}");
    let acme_id = lines[0].split_whitespace().next().unwrap().to_string();
    assert!(lines[0].contains(" 1772615287 "), "EditSequence: {listed}");

    let out = ok(&[
        "sandbox",
        "edit",
        p(&path),
        "Acme",
        "--set",
        "Phone=555",
        "Fax=",
        "IsActive=false",
    ]);
    assert!(
        out.starts_with(&format!(
            "Edited \"Acme\" (ListID {acme_id}): Phone, Fax, IsActive."
        )),
        "{out}"
    );
    assert!(
        out.contains("EditSequence 1772615288"),
        "strictly later on a stopped clock: {out}"
    );
    let r = request(
        &path,
        "<CustomerQueryRq><ActiveStatus>InactiveOnly</ActiveStatus></CustomerQueryRq>",
        docs,
    );
    assert_eq!(r.names(0), ["Acme"]);
    assert_eq!(r.rets(0)[0].get("Phone"), Some("555"));
    assert_eq!(r.rets(0)[0].get("Fax"), None);
    let out = ok(&["sandbox", "edit", p(&path), "Acme", "--set", "Phone=555"]);
    assert!(out.contains("QuickBooks saved nothing"), "{out}");
    // Re-activating is an edit too.
    ok(&[
        "sandbox",
        "edit",
        p(&path),
        acme_id.as_str(),
        "--set",
        "IsActive=true",
    ]);

    let out = ok(&["sandbox", "merge", p(&path), "Acme", "Holdings"]);
    assert!(
        out.contains(&format!("ListID {acme_id} is deleted")),
        "{out}"
    );
    assert!(
        out.contains("Jobs moved under it: Holdings:Kitchen."),
        "{out}"
    );

    let out = ok(&[
        "sandbox",
        "make-job",
        p(&path),
        "Best Co",
        "--parent",
        "Holdings",
    ]);
    assert!(out.starts_with("\"Holdings:Best Co\" (ListID "), "{out}");
    assert!(out.contains("(Sublevel 1)"), "{out}");

    let out = ok(&["sandbox", "delete", p(&path), "Kitchen"]);
    assert!(out.starts_with("Deleted \"Holdings:Kitchen\""), "{out}");
    let names: Vec<String> = ok(&["sandbox", "list", p(&path)])
        .lines()
        .map(|l| l.rsplit("  ").next().unwrap().trim().to_string())
        .collect();
    assert_eq!(names, ["Holdings", "Holdings:Best Co"]);
    let deleted = ok(&["sandbox", "list", p(&path), "--deleted"]);
    let deleted: Vec<&str> = deleted.lines().collect();
    assert_eq!(deleted.len(), 2, "{deleted:?}");
    assert!(
        deleted[0].starts_with(&format!("Customer     {acme_id}")),
        "{deleted:?}"
    );
    assert!(deleted[1].ends_with("  Holdings:Kitchen"), "{deleted:?}");
}

fn refused_moves_say_why_and_change_nothing(docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let path = moves_company(dir.path(), docs);
    let before = std::fs::read(&path).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["edit", "Nobody", "--set", "Phone=1"],
            "no customer or job named \"Nobody\"",
        ),
        (
            &["edit", "Acme", "--set", "Colour=red"],
            "use one of: Name, CompanyName",
        ),
        (&["edit", "Acme", "--set", "Phone"], "is not Field=Value"),
        (&["edit", "Acme", "--set", "Name=Best Co"], "sandbox merge"),
        (
            &["edit", "Acme", "--set", "TermsRef=Net 99"],
            "choose one of: 1% 10 Net 30, Due on receipt",
        ),
        (&["delete", "Acme"], "has jobs (Acme:Kitchen)"),
        (&["merge", "Acme", "Acme"], "into itself"),
        (
            &["make-job", "Acme", "--parent", "Kitchen"],
            "one of its own jobs",
        ),
        (&["clock", "--set", "soon"], "not a date and time"),
        (&["clock", "--advance", "3 weeks"], "not a duration"),
    ];
    for (args, expected) in cases {
        let mut full = vec!["sandbox", args[0], p(&path)];
        full.extend_from_slice(&args[1..]);
        let out = custsync(&full, b"");
        assert_eq!(out.code, 1, "{full:?}: {}", out.stdout);
        assert!(out.stderr.contains(expected), "{full:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{full:?}: {}", out.stdout);
    }
    let out = custsync(
        &["sandbox", "edit", p(&path), "Nobody", "--set", "Phone=1"],
        b"",
    );
    assert!(
        out.stderr
            .contains(&format!("`custsync sandbox list {}` shows them", p(&path))),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the company file is untouched"
    );
    let out = custsync(&["sandbox", "edit", p(&path), "Acme"], b"");
    assert_eq!(out.code, 2, "clap wants --set: {}", out.stderr);
}

fn the_clock_stops_moves_on_and_runs_again(docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let path = created(dir.path(), "Clock.QBW");
    let out = ok(&["sandbox", "clock", p(&path)]);
    assert!(out.contains("follows the system clock"), "{out}");
    let out = ok(&[
        "sandbox",
        "clock",
        p(&path),
        "--set",
        "2026-03-04T09:08:07+00:00",
    ]);
    assert!(out.contains("(Unix time 1772615287)"), "{out}");
    let out = ok(&["sandbox", "clock", p(&path), "--advance", "2h"]);
    assert!(out.contains("(Unix time 1772622487)"), "{out}");
    let r = request(
        &path,
        "<CustomerAddRq><CustomerAdd><Name>Timed</Name></CustomerAdd></CustomerAddRq>",
        docs,
    );
    assert_eq!(r.rets(0)[0].get("EditSequence"), Some("1772622487"));
    let out = ok(&["sandbox", "clock", p(&path), "--advance", "90"]);
    assert!(out.contains("(Unix time 1772622577)"), "{out}");
    let out = ok(&["sandbox", "clock", p(&path), "--system"]);
    assert!(out.contains("follows the system clock"), "{out}");
}

fn help_lists_the_moves(_docs: &mut Docs) {
    let help = ok(&["sandbox", "--help"]);
    for command in ["list", "edit", "delete", "merge", "make-job", "clock"] {
        assert!(
            help.contains(&format!("\n  {command} ")),
            "{command}: {help}"
        );
    }
    let help = ok(&["sandbox", "edit", "--help"]);
    assert!(
        help.contains("BillAddress/City") && help.contains("IsActive=false"),
        "{help}"
    );
}
