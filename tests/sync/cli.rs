//! `custsync sync`, `runs` and `undo` as a script would use them: the plan, the exit codes that
//! tell "all done", "done with per-customer failures" and "nothing done" apart, the trace, and
//! the refusals that change nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use custsync::qb::sandbox::{AppPrefs, CompanyFile, Grant};
use custsync::qbxml::Field;
use custsync::store::{Customer, CustomerStatus, Store, StoreRead, Workspace};

struct Demo {
    _dir: tempfile::TempDir,
    ws: PathBuf,
    company: PathBuf,
}

fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let out = custsync_in(&ws, &["demo", "--no-open"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let company = ws.join("Sunrise Supply.QBW");
    let file = CompanyFile::open(&company).unwrap();
    let mut prefs = AppPrefs::new(custsync::qb::APP_NAME);
    prefs.grant = Grant::WhenOpen;
    file.set_app_prefs(&prefs).unwrap();
    Demo {
        _dir: dir,
        ws,
        company,
    }
}

fn custsync_in(ws: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_custsync"))
        .arg("--workspace")
        .arg(ws)
        .args(args)
        .env_remove("CUSTSYNC_FAULT")
        .env_remove("CUSTSYNC_TRACE_DIR")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn qb_count(company: &Path) -> u64 {
    CompanyFile::open(company)
        .unwrap()
        .customer_count()
        .unwrap()
}

#[test]
fn dry_run_prints_the_plan_and_changes_nothing() {
    let d = demo();
    let before = qb_count(&d.company);
    let out = custsync_in(
        &d.ws,
        &["sync", "--dry-run", "--export", "all", "--import", "all"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    for expected in [
        "Can be added to QuickBooks (9)",
        "ALP300",
        "Cannot be added until fixed (3)",
        "QuickBooks already has a vendor named 'ACME Supply'",
        "QuickBooks allows at most 41",
        "characters QuickBooks cannot store",
        "Can be imported into SMSTurbo (8)",
        "Not in sync (4)",
        "Phone: \"312-555-0120\" → \"312-555-0199\"",
        "Status: Hold → Inactive  (not replaced)",
        "Dry run: nothing was changed.",
    ] {
        assert!(t.contains(expected), "missing {expected:?} in:\n{t}");
    }
    assert_eq!(qb_count(&d.company), before);
    let store = Store::open(d.ws.join("custsync.db")).unwrap();
    assert!(store.runs(10).unwrap().is_empty(), "a dry run is not a run");
}

/// Every file of the workspace but the lock and its holder, with its bytes.
fn workspace_files(ws: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(ws)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.to_string_lossy().contains("custsync.lock"))
        .filter(|p| !p.to_string_lossy().contains("custsync.holder"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_damaged_page_the_sync_never_reads_still_stops_it_before_it_writes_or_plans() {
    let d = demo();
    // A run fills the mirror and journals its imports.
    let out = custsync_in(&d.ws, &["sync", "--import", "all"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let db = d.ws.join("custsync.db");
    let (page, size) = {
        let c = rusqlite::Connection::open(&db).unwrap();
        let size: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
        // The journal: a synchronization reads neither it nor its pages, so only the
        // database's check can find this damage.
        let page: i64 = c
            .query_row(
                "SELECT max(pageno) FROM dbstat WHERE name = 'journal'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (page, size)
    };
    let mut bytes = std::fs::read(&db).unwrap();
    let at = usize::try_from((page - 1) * size).unwrap();
    for b in &mut bytes[at..at + usize::try_from(size).unwrap()] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    let before = workspace_files(&d.ws);
    for args in [
        &["sync", "--dry-run", "--json"][..],
        &["sync", "--dry-run", "--full"],
        &["sync", "--import", "all"],
    ] {
        let out = custsync_in(&d.ws, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        let t = text(&out);
        assert!(
            t.contains("damaged") && t.contains("backup"),
            "{args:?}: {t}"
        );
        assert!(
            out.stdout.is_empty() || !t.contains("\"plan\""),
            "{args:?}: {t}"
        );
        assert!(
            !t.contains("Plan ("),
            "{args:?}: a plan from a damaged database: {t}"
        );
        assert_eq!(workspace_files(&d.ws), before, "{args:?} wrote");
    }
}

#[test]
fn json_plan_rows_are_written_as_a_json_value_writes_them() {
    let d = demo();
    let out = custsync_in(&d.ws, &["sync", "--dry-run", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(&printed).unwrap();
    let mut rows = 0;
    for list in ["exports", "imports", "pairs"] {
        for row in v["plan"][list].as_array().unwrap() {
            // A `Value` writes an object's keys sorted, at every level: the rows are written
            // straight from the plan and must come out the same bytes.
            let canonical = row.to_string();
            assert!(
                printed.contains(&canonical),
                "{list}: {canonical}\nin:\n{printed}"
            );
            rows += 1;
        }
    }
    assert!(rows >= 20, "{printed}");
    assert!(printed.contains("\"problems\":[\"QuickBooks already has a vendor named"));
    assert!(printed.contains("\"status\":{\"quickbooks_active\":false"));
}

#[test]
fn json_output_is_machine_readable() {
    let d = demo();
    let out = custsync_in(
        &d.ws,
        &["sync", "--json", "--missing-only", "--export", "ALP300"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["plan"]["mode"], "missing_only");
    assert_eq!(v["result"]["added"], 1);
    assert_eq!(v["result"]["outcome"], "done");
    let acme = v["plan"]["exports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "ACM390")
        .unwrap();
    assert!(acme["problems"][0].as_str().unwrap().contains("vendor"));
}

#[test]
fn exit_codes_tell_done_partial_and_nothing_done_apart() {
    let d = demo();
    // A customer whose terms QuickBooks doesn't have: QuickBooks refuses it (3140).
    {
        let mut store = Store::open(d.ws.join("custsync.db")).unwrap();
        let mut c = Customer::new("ZED900", "Zed Zephyr Works", CustomerStatus::Active);
        c.data.set(Field::Terms, "Net 45");
        store.create_customer(&c).unwrap();
    }
    let partial = custsync_in(&d.ws, &["sync", "--export", "ZED900,ALP300"]);
    assert_eq!(partial.status.code(), Some(3), "{}", text(&partial));
    let t = text(&partial);
    assert!(t.contains("Done: 1 added to QuickBooks"), "{t}");
    assert!(
        t.contains("Zed Zephyr Works"),
        "the failure names the customer: {t}"
    );
    assert!(t.contains("Net 45"), "and what QuickBooks lacks: {t}");

    let done = custsync_in(&d.ws, &["sync", "--export", "BRI310"]);
    assert_eq!(done.status.code(), Some(0), "{}", text(&done));

    // Unknown code: nothing done, one clear message, nothing changed.
    let before = qb_count(&d.company);
    let bad = custsync_in(&d.ws, &["sync", "--export", "BRI310,NOPE1"]);
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    assert!(text(&bad).contains("NOPE1"), "{}", text(&bad));
    assert_eq!(qb_count(&d.company), before, "nothing was sent");
}

#[test]
fn a_problem_row_listed_by_code_is_refused_with_its_reason() {
    let d = demo();
    let out = custsync_in(&d.ws, &["sync", "--export", "ACM390"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("vendor named 'ACME Supply'"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_busy_workspace_or_a_broken_setup_is_told_plainly_and_nothing_changes() {
    let d = demo();
    let lock = Workspace::open(Some(&d.ws)).unwrap();
    let busy = custsync_in(&d.ws, &["sync", "--export", "all"]);
    assert_eq!(busy.status.code(), Some(1));
    assert!(
        text(&busy).contains("in use by another custsync"),
        "{}",
        text(&busy)
    );
    drop(lock);

    let config = d.ws.join("config.toml");
    let good = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{good}\n[sync]\nbatch_size = 0\n")).unwrap();
    let broken = custsync_in(&d.ws, &["sync", "--export", "all"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(text(&broken).contains("config.toml"), "{}", text(&broken));
    assert_eq!(qb_count(&d.company), 20, "nothing was sent");
}

#[test]
fn an_unauthorized_sandbox_is_explained_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    assert!(custsync_in(&ws, &["demo", "--no-open"]).status.success());
    let out = custsync_in(&ws, &["sync", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("next:"), "{t}");
    assert!(
        t.contains("custsync sandbox prefs"),
        "the sandbox fix is given: {t}"
    );
}

/// Every qbXML request in a trace validates against the 13.0 schema, and none is a
/// CustomerMod: custsync never modifies a QuickBooks customer.
#[test]
fn traced_requests_are_valid_and_never_modify_a_customer() {
    let d = demo();
    let trace = d.ws.join("trace");
    let out = Command::new(env!("CARGO_BIN_EXE_custsync"))
        .arg("--workspace")
        .arg(&d.ws)
        .args([
            "sync",
            "--export",
            "all",
            "--import",
            "all",
            "--replace",
            "all",
        ])
        .env("CUSTSYNC_TRACE_DIR", &trace)
        .env_remove("CUSTSYNC_FAULT")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let (mut requests, mut responses) = (Vec::new(), Vec::new());
    for entry in std::fs::read_dir(&trace).unwrap() {
        let path = entry.unwrap().path();
        let name = path.to_string_lossy().to_string();
        if name.ends_with("-request.xml") {
            requests.push(std::fs::read_to_string(path).unwrap());
        } else if name.ends_with("-response.xml") {
            responses.push(std::fs::read_to_string(path).unwrap());
        }
    }
    assert_eq!(requests.len(), responses.len());
    // The sandbox's answers in a whole sync are valid qbXML too.
    let answers: Vec<&str> = responses.iter().map(String::as_str).collect();
    custsync::testkit::assert_valid_qbxml(&answers);
    assert!(requests.len() >= 8, "{} requests traced", requests.len());
    assert!(requests.iter().any(|r| r.contains("<CustomerAddRq")));
    assert!(requests.iter().all(|r| !r.contains("CustomerMod")));
    let schema = custsync::testkit::qbxml_schemas()[0].clone();
    let docs: Vec<&str> = requests.iter().map(String::as_str).collect();
    custsync::testkit::validate_with_schema(&docs, &schema).unwrap();
    // Customers' data stays with the operator on a shared computer.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&trace), 0o700, "the trace folder");
        for entry in std::fs::read_dir(&trace).unwrap() {
            let path = entry.unwrap().path();
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
        for db in ["custsync.db", "custsync.db-wal", "custsync.db-shm"] {
            let path = d.ws.join(db);
            if path.exists() {
                assert_eq!(mode(&path), 0o600, "{db}");
            }
        }
        assert!(d.ws.join("custsync.db").exists());
    }
}

#[test]
fn runs_into_a_closed_pipe_ends_quietly() {
    let d = demo();
    let out = custsync_in(&d.ws, &["sync", "--import", "all"]);
    assert!(out.status.success(), "{}", text(&out));
    // `custsync runs --show 1 | head -0`: the reader is gone before custsync writes.
    let mut child = Command::new(env!("CARGO_BIN_EXE_custsync"))
        .arg("--workspace")
        .arg(&d.ws)
        .args(["runs", "--show", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {err}", out.status);
    assert!(err.is_empty(), "{err}");
}

#[test]
fn runs_lists_the_journal_and_undo_reverts_local_changes() {
    let d = demo();
    let out = custsync_in(&d.ws, &["sync", "--import", "all", "--replace", "all"]);
    assert!(out.status.success(), "{}", text(&out));
    let runs = custsync_in(&d.ws, &["runs"]);
    assert!(text(&runs).contains("not_exact_match"), "{}", text(&runs));
    let store = Store::open(d.ws.join("custsync.db")).unwrap();
    let before = store.count_customers().unwrap();
    drop(store);
    let undo = custsync_in(&d.ws, &["undo", "1"]);
    assert!(undo.status.success(), "{}", text(&undo));
    assert!(
        text(&undo).contains("8 imported customer(s) removed"),
        "{}",
        text(&undo)
    );
    let store = Store::open(d.ws.join("custsync.db")).unwrap();
    assert_eq!(store.count_customers().unwrap(), before - 8);
    // Harbor Marine's phone came from QuickBooks and is put back.
    let harbor = store.customer("HAR200").unwrap().unwrap();
    assert_eq!(harbor.data.get(Field::Phone), Some("312-555-0120"));
}

/// The demo's Willow Creek Florist: "Willow Creek Florist, Inc." in SMSTurbo (WIL420), "Willow
/// Creek Florist Inc" in QuickBooks, one phone. `all` takes neither side and says so.
#[test]
fn all_leaves_out_likely_duplicates_and_says_so() {
    let d = demo();
    let before = qb_count(&d.company);
    let out = custsync_in(&d.ws, &["sync", "--export", "all", "--import", "all"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    for expected in [
        "Look like a QuickBooks customer: added only if you say so (1):",
        "≈ looks like QuickBooks' 'Willow Creek Florist Inc' (same phone; same postal code; \
         name differs only in punctuation)",
        "not the same? add it anyway: --export-anyway WIL420",
        "Look like an SMSTurbo customer: imported only if you say so (1):",
        "≈ looks like SMSTurbo's WIL420 'Willow Creek Florist, Inc.'",
        "--export all leaves out 1 customer that looks like a QuickBooks customer",
        "--import all leaves out 1 customer that looks like an SMSTurbo customer",
        "Done: 9 added to QuickBooks, 8 imported into SMSTurbo",
    ] {
        assert!(t.contains(expected), "missing {expected:?} in:\n{t}");
    }
    assert_eq!(
        qb_count(&d.company),
        before + 9,
        "Willow Creek was not added"
    );
    let store = Store::open(d.ws.join("custsync.db")).unwrap();
    let willows: Vec<Customer> = store
        .customers()
        .unwrap()
        .into_iter()
        .filter(|c| c.name().starts_with("Willow Creek"))
        .collect();
    assert_eq!(willows.len(), 1, "nor imported: {willows:?}");
}

#[test]
fn a_likely_duplicate_named_as_an_ordinary_export_or_import_is_refused_with_both_ways_out() {
    let d = demo();
    let before = qb_count(&d.company);
    let out = custsync_in(
        &d.ws,
        &[
            "sync",
            "--export",
            "ALP300,WIL420",
            "--import",
            "Willow Creek Florist Inc",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    for expected in [
        "WIL420 is not added by itself: it looks like QuickBooks' 'Willow Creek Florist Inc'",
        "if not, add it anyway (--export-anyway WIL420)",
        "Willow Creek Florist Inc is not imported by itself: it looks like SMSTurbo's WIL420",
        "(custsync link WIL420 ",
    ] {
        assert!(t.contains(expected), "missing {expected:?} in:\n{t}");
    }
    assert_eq!(qb_count(&d.company), before, "nothing was sent");
}

/// `--dry-run --json`: every export and import candidate has `likely_duplicates`, empty when it
/// looks like nobody, else the other side's identity, a score and the reasons in words.
#[test]
fn json_lists_likely_duplicates_on_every_candidate() {
    let d = demo();
    let out = custsync_in(&d.ws, &["sync", "--dry-run", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = |side: &str| v["plan"][side].as_array().unwrap().clone();
    let (exports, imports) = (rows("exports"), rows("imports"));
    assert_eq!(exports.len(), 13);
    assert_eq!(imports.len(), 9);
    for row in exports.iter().chain(&imports) {
        let list = row["likely_duplicates"].as_array();
        let expected = usize::from(row["name"].as_str().unwrap().starts_with("Willow Creek"));
        assert_eq!(list.map(Vec::len), Some(expected), "{row}");
    }
    let willow = exports.iter().find(|e| e["code"] == "WIL420").unwrap();
    let imported = imports
        .iter()
        .find(|i| i["name"] == "Willow Creek Florist Inc")
        .unwrap();
    let of_export = &willow["likely_duplicates"][0];
    assert_eq!(of_export["list_id"], imported["list_id"]);
    assert_eq!(of_export["name"], "Willow Creek Florist Inc");
    let of_import = &imported["likely_duplicates"][0];
    assert_eq!(of_import["code"], "WIL420");
    assert_eq!(of_import["name"], "Willow Creek Florist, Inc.");
    for d in [of_export, of_import] {
        let score = d["score"].as_u64().unwrap();
        assert!((50..=100).contains(&score), "{d}");
        assert_eq!(
            d["reasons"],
            serde_json::json!([
                "same phone",
                "same postal code",
                "name differs only in punctuation"
            ])
        );
    }
}

/// The ListID of the demo's QuickBooks "Willow Creek Florist Inc", from the dry run's JSON.
fn willow_list_id(ws: &Path) -> String {
    let out = custsync_in(ws, &["sync", "--dry-run", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["plan"]["imports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "Willow Creek Florist Inc")
        .unwrap()["list_id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The operator says the two Willow Creeks are different customers: each is added on its
/// other side, by the name or code the plan shows.
#[test]
fn export_anyway_and_import_anyway_add_a_likely_duplicate_when_named() {
    let d = demo();
    let before = qb_count(&d.company);
    let out = custsync_in(
        &d.ws,
        &[
            "sync",
            "--export-anyway",
            "wil420",
            "--import-anyway",
            "willow creek florist inc",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("Done: 1 added to QuickBooks, 1 imported into SMSTurbo"),
        "{}",
        text(&out)
    );
    assert_eq!(qb_count(&d.company), before + 1);
    let added =
        custsync::testkit::sandbox_customers_named(&d.company, "Willow Creek Florist, Inc.");
    assert_eq!(added.len(), 1, "WIL420 is in QuickBooks under its own name");
    let store = Store::open(d.ws.join("custsync.db")).unwrap();
    let willows = store
        .customers()
        .unwrap()
        .into_iter()
        .filter(|c| c.name().starts_with("Willow Creek"))
        .count();
    assert_eq!(
        willows, 2,
        "QuickBooks' spelling was imported beside WIL420"
    );
}

/// `--export-anyway` / `--import-anyway` are for the rows that need them; an ordinary
/// candidate named there is refused with the ordinary option, and nothing is done.
#[test]
fn the_anyway_options_refuse_customers_that_look_like_nobody() {
    let d = demo();
    let before = qb_count(&d.company);
    let out = custsync_in(
        &d.ws,
        &[
            "sync",
            "--export-anyway",
            "ALP300",
            "--import-anyway",
            "Maple Leaf Catering",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    for expected in [
        "ALP300 is neither linked to a QuickBooks customer that is gone or now a job, nor kept \
         local only, nor like a QuickBooks customer: --export-anyway is only for those (an \
         ordinary export is --export ALP300)",
        "Maple Leaf Catering looks like no SMSTurbo customer: --import-anyway is only for \
         customers that do (an ordinary import is --import)",
    ] {
        assert!(t.contains(expected), "missing {expected:?} in:\n{t}");
    }
    let unknown = custsync_in(&d.ws, &["sync", "--import-anyway", "Nobody Such"]);
    assert_eq!(unknown.status.code(), Some(1), "{}", text(&unknown));
    assert!(
        text(&unknown).contains(
            "--import-anyway: \"Nobody Such\" is not a QuickBooks customer missing from SMSTurbo"
        ),
        "{}",
        text(&unknown)
    );
    assert_eq!(qb_count(&d.company), before, "nothing was sent");
}

/// `custsync link` joins a likely pair: from then on it is an ordinary pair, neither exported
/// nor imported, and the Replace Options apply to what differs (the name's punctuation here).
#[test]
fn link_joins_a_likely_pair_which_then_plans_as_an_ordinary_pair() {
    let d = demo();
    let list_id = willow_list_id(&d.ws);
    let out = custsync_in(&d.ws, &["link", "WIL420", &list_id]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("Linked WIL420 to QuickBooks' 'Willow Creek Florist Inc'"),
        "{}",
        text(&out)
    );
    let out = custsync_in(&d.ws, &["sync", "--dry-run", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let plan = &v["plan"];
    let named = |side: &str, key: &str, value: &str| {
        plan[side]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r[key].as_str() == Some(value))
    };
    assert!(!named("exports", "code", "WIL420"), "{plan}");
    assert!(!named("imports", "list_id", &list_id), "{plan}");
    let pair = plan["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "WIL420")
        .unwrap_or_else(|| panic!("WIL420 is a pair now: {plan}"));
    assert_eq!(pair["list_id"], list_id.as_str());
    assert_eq!(pair["matched_by"], "linked");
    assert!(
        pair["differences"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["field"] == "name"),
        "{pair}"
    );
    for row in plan["exports"]
        .as_array()
        .unwrap()
        .iter()
        .chain(plan["imports"].as_array().unwrap())
    {
        assert_eq!(row["likely_duplicates"], serde_json::json!([]), "{row}");
    }
}

/// The dry run names `--add-missing-types` only to someone who has not passed it.
#[test]
fn the_missing_type_hint_fits_the_options_given() {
    let d = demo();
    let path = d.ws.join("config.toml");
    let mut config = custsync::config::Config::load(&path).unwrap();
    config.export.customer_type = Some("Distributor".into());
    config.save(&path).unwrap();
    let without = text(&custsync_in(&d.ws, &["sync", "--dry-run"]));
    assert!(
        without.contains("add --add-missing-types to add it"),
        "{without}"
    );
    let with = text(&custsync_in(
        &d.ws,
        &["sync", "--dry-run", "--add-missing-types"],
    ));
    assert!(!with.contains("add --add-missing-types"), "{with}");
    assert!(
        with.contains("Customer Type 'Distributor' would be added to QuickBooks"),
        "{with}"
    );
}
