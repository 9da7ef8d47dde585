//! The database and workspace as files: migrations from a real older database, refusal of a
//! newer or foreign one, locks, and what `custsync customers` prints when the user's files are
//! the problem (one clear message, non-zero exit, nothing changed).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use custsync::store::schema::LATEST;
use custsync::store::{
    Customer, CustomerStatus, NewRun, RunMode, RunOutcome, Store, StoreError, StoreOptions,
    StoreRead, Workspace, WorkspaceError, csv,
};

fn customer(code: &str, name: &str) -> Customer {
    Customer::new(code, name, CustomerStatus::Active)
}

fn user_version(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

/// A database as the first schema version left it, holding two customers.
fn version_1_database(path: &Path) {
    drop(Store::open_at_version(path, 1).unwrap());
    assert_eq!(user_version(path), 1);
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "INSERT INTO customers (code_key, status, created_at, updated_at, code, name, email)
         VALUES ('c1', 'Hold', '2024-01-02T03:04:05.000Z', '2024-01-02T03:04:05.000Z',
                 'C1', 'Ærø Shipping', 'BOOKS@AERO.DK'),
                ('c2', 'Active', '2024-01-02T03:04:05.000Z', '2024-01-02T03:04:05.000Z',
                 'C2', 'Beta', NULL);",
    )
    .unwrap();
}

#[test]
fn an_older_database_is_upgraded_and_keeps_its_customers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custsync.db");
    version_1_database(&path);
    let store = Store::open(&path).unwrap();
    assert_eq!(user_version(&path), LATEST);
    assert_eq!(store.count_customers().unwrap(), 2);
    let c1 = store.customer("c1").unwrap().unwrap();
    assert_eq!(c1.name(), "Ærø Shipping");
    assert_eq!(c1.status, CustomerStatus::Hold);
    // The upgrade filled in what search needs for rows written before it existed.
    let found = store.search_customers("ærø", None).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        store.search_customers("books@aero", None).unwrap()[0].code(),
        "C1"
    );
}

#[test]
fn a_failed_upgrade_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custsync.db");
    version_1_database(&path);
    // Something a newer migration would add is already there: the upgrade fails midway.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("ALTER TABLE customers ADD COLUMN search_key TEXT")
        .unwrap();
    let err = Store::open(&path).err().expect("the upgrade must fail");
    assert!(!err.to_string().is_empty());
    assert_eq!(user_version(&path), 1);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
}

#[test]
fn a_newer_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custsync.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.create_customer(&customer("C1", "One")).unwrap();
    }
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", LATEST + 1)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("must be refused");
    assert!(
        matches!(err, StoreError::NewerSchema { found, .. } if found == LATEST + 1),
        "{err}"
    );
    assert!(err.to_string().contains("written by a newer custsync"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custsync.db");
    let junk = b"Name,Code\nthis is a spreadsheet, not a database\n".repeat(200);
    std::fs::write(&path, &junk).unwrap();
    let err = Store::open(&path).err().expect("must be refused");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains("restore it from a backup"));
    assert_eq!(std::fs::read(&path).unwrap(), junk);
}

#[test]
fn a_damaged_database_is_reported_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custsync.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.transaction(|tx| {
            let many: Vec<Customer> = (0..2000)
                .map(|i| customer(&format!("C{i}"), &format!("Customer number {i}")))
                .collect();
            tx.insert_customers(&many)
        })
        .unwrap();
    }
    // Overwrite pages after the first (the header stays valid).
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 64 * 1024);
    for b in &mut bytes[8192..60_000] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let outcome = Store::open(&path).and_then(|s| s.customers().map(|_| ()));
    let err = outcome.expect_err("a damaged database must not read as fine");
    assert!(
        matches!(
            err,
            StoreError::Corrupt { .. } | StoreError::NotADatabase { .. }
        ),
        "{err}"
    );
}

#[test]
fn a_database_locked_by_another_program_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custsync.db");
    let mut store = Store::open_with(
        &path,
        &StoreOptions {
            busy_timeout: Duration::from_millis(100),
        },
    )
    .unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = store.create_customer(&customer("C1", "One")).unwrap_err();
    assert!(matches!(err, StoreError::Locked), "{err:?}");
    assert!(err.to_string().contains("locked by another program"));
    // Reading still works while the other program writes (WAL).
    assert_eq!(store.count_customers().unwrap(), 0);
    other.execute_batch("ROLLBACK").unwrap();
    store.create_customer(&customer("C1", "One")).unwrap();
    assert_eq!(store.count_customers().unwrap(), 1);
}

#[test]
fn the_database_is_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custsync.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

// ---------------------------------------------------------------- workspace

#[test]
fn a_workspace_is_created_on_first_use_and_locked_while_open() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("deep/er/ws");
    let ws = Workspace::open(Some(&dir)).unwrap();
    assert!(dir.is_dir());
    assert_eq!(ws.db_path(), dir.join("custsync.db"));
    assert_eq!(ws.config_path(), dir.join("config.toml"));
    let mut store = ws.open_store().unwrap();
    store.create_customer(&customer("C1", "One")).unwrap();

    let err = Workspace::open(Some(&dir)).unwrap_err();
    match &err {
        WorkspaceError::Busy { dir: d, holder } => {
            assert_eq!(d, &dir);
            let holder = holder.as_deref().unwrap_or_default();
            assert!(
                holder.contains(&format!("process {}", std::process::id())),
                "{holder}"
            );
        }
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains(&dir.display().to_string()) && msg.contains("--workspace"));

    drop(store);
    drop(ws);
    let again = Workspace::open(Some(&dir)).unwrap();
    assert_eq!(again.open_store().unwrap().count_customers().unwrap(), 1);
}

#[test]
fn a_workspace_freed_within_a_moment_is_waited_for() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("ws");
    let held = Workspace::open(Some(&dir)).unwrap();
    let started = std::time::Instant::now();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        drop(held);
    });
    let opened = Workspace::open(Some(&dir));
    release.join().unwrap();
    assert!(opened.is_ok(), "{:?}", opened.err());
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn a_workspace_that_is_a_file_is_refused() {
    let base = tempfile::tempdir().unwrap();
    let file = base.path().join("notes.txt");
    std::fs::write(&file, "hello").unwrap();
    assert!(matches!(
        Workspace::open(Some(&file)),
        Err(WorkspaceError::NotAFolder { .. })
    ));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "hello");
}

#[test]
fn the_default_workspace_is_the_platform_data_folder() {
    let dir = Workspace::default_dir().unwrap();
    assert!(dir.ends_with("custsync") || dir.to_string_lossy().contains("custsync"));
}

// ---------------------------------------------------------------- the CLI

fn custsync() -> Command {
    Command::new(env!("CARGO_BIN_EXE_custsync"))
}

/// custsync run so that file permissions apply even when the tests run as root (as CI does):
/// root keeps its user id but loses the capabilities that override permissions.
#[cfg(unix)]
fn custsync_without_override() -> Command {
    use std::os::unix::fs::MetadataExt;
    let root = std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false);
    if root {
        let mut c = Command::new("setpriv");
        c.arg("--bounding-set=-dac_override,-dac_read_search,-fowner")
            .arg(env!("CARGO_BIN_EXE_custsync"));
        c
    } else {
        custsync()
    }
}

fn run(mut cmd: Command, workspace: &Path, args: &[&str]) -> Output {
    cmd.arg("--workspace")
        .arg(workspace)
        .args(args)
        .env_remove("CUSTSYNC_WORKSPACE")
        .output()
        .expect("custsync (or setpriv, from util-linux) must run")
}

/// Exit status 1 and one `error:` message with no chained causes, containing every `needle`.
fn assert_one_clear_error(out: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
    assert!(!stderr.contains("because:"), "{stderr}");
    for n in needles {
        assert!(stderr.contains(n), "missing {n:?} in: {stderr}");
    }
}

fn workspace_with_customers(base: &Path) -> PathBuf {
    let dir = base.join("ws");
    let ws = Workspace::open(Some(&dir)).unwrap();
    let mut s = ws.open_store().unwrap();
    s.create_customer(&customer("C1", "One")).unwrap();
    dir
}

/// The workspace's files and their bytes, but for the lock and the note of who holds it (each
/// custsync that takes the lock rewrites it).
fn file_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n != "custsync.lock" && n != "custsync.holder")
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A command that only reads and one that changes the workspace: each must refuse what the
/// tests below give it, with one clear message.
fn a_reader_and_a_writer(base: &Path) -> [Vec<String>; 2] {
    let csv = base.join("in.csv");
    std::fs::write(&csv, "code,name\nC9,Nine\n").unwrap();
    // The writer first: closing the database, it removes the files SQLite left for a reader.
    [
        vec![
            "customers".into(),
            "import".into(),
            csv.display().to_string(),
        ],
        vec!["customers".into(), "list".into()],
    ]
}

/// `args` refused with one clear message containing `needles`, and the workspace as `before`.
/// A command that only read may leave what SQLite needs to read a database in WAL mode: an empty
/// write-ahead log and its shared-memory index (see `store::ReadOnlyStore`).
fn refused_untouched(dir: &Path, args: &[String], needles: &[&str]) {
    let before = file_bytes(dir);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_one_clear_error(&run(custsync(), dir, &args), needles);
    let mut after = file_bytes(dir);
    if args[1] != "import" {
        after.retain(|(name, bytes)| {
            !(name == "custsync.db-shm" || name == "custsync.db-wal" && bytes.is_empty())
        });
    }
    assert!(after == before, "{args:?} changed the workspace");
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The workspace held as the screen holds it: the database open, its latest changes committed
/// but still in the write-ahead log. Commands that only read work beside it and see those
/// changes; commands that change anything are told who holds it, and change nothing.
#[test]
fn cli_readers_work_beside_the_custsync_holding_the_workspace_and_writers_are_told_plainly() {
    let base = tempfile::tempdir().unwrap();
    let dir = workspace_with_customers(base.path());
    let held = Workspace::open(Some(&dir)).unwrap();
    let mut store = held.open_store().unwrap();
    let csv = base.path().join("in.csv");
    std::fs::write(&csv, "code,name\nC2,Two\n").unwrap();
    csv::import_file(&mut store, &csv, "tester").unwrap();
    let wal = dir.join("custsync.db-wal");
    assert!(
        std::fs::metadata(&wal).unwrap().len() > 0,
        "the import must still be in the write-ahead log for this test to mean anything"
    );
    let files = || {
        (
            std::fs::read(dir.join("custsync.db")).unwrap(),
            std::fs::read(&wal).unwrap(),
        )
    };
    let before = files();

    let runs = stdout(&run(custsync(), &dir, &["runs"]));
    assert!(
        runs.lines()
            .any(|l| l.trim_start().starts_with("1 ") && l.contains("csv_import")),
        "{runs}"
    );
    let show = stdout(&run(custsync(), &dir, &["runs", "--show", "1"]));
    assert!(show.contains("imported  C2"), "{show}");
    let exported = base.path().join("out.csv");
    let export = run(
        custsync(),
        &dir,
        &["customers", "export", exported.to_str().unwrap()],
    );
    assert!(stdout(&export).contains("Exported 2 customers"));
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(text.contains("C1") && text.contains("C2,Two"), "{text}");
    let list = stdout(&run(custsync(), &dir, &["customers", "list"]));
    assert!(list.contains("C2\tTwo"), "{list}");
    assert!(files() == before, "a reader wrote to the database");

    let holder = format!("process {}", std::process::id());
    std::fs::write(&csv, "code,name\nC3,Three\n").unwrap();
    for args in [
        &["customers", "import", csv.to_str().unwrap()][..],
        &["undo", "1"],
    ] {
        let out = run(custsync(), &dir, args);
        assert_one_clear_error(
            &out,
            &["in use by another custsync", &holder, "--workspace"],
        );
    }
    assert!(files() == before, "a refused writer changed the database");
    // What the holder commits next is what the next reader sees.
    store.create_customer(&customer("C4", "Four")).unwrap();
    let list = stdout(&run(custsync(), &dir, &["customers", "list"]));
    assert!(list.contains("C4\tFour"), "{list}");
}

#[test]

fn a_read_only_store_reads_one_moment_and_does_not_hold_the_writer_up() {
    let base = tempfile::tempdir().unwrap();
    let dir = workspace_with_customers(base.path());
    let held = Workspace::open(Some(&dir)).unwrap();
    let mut store = held.open_store().unwrap();
    let view = Workspace::open_read_only(&dir).unwrap();
    assert_eq!(view.count_customers().unwrap(), 1);
    store.create_customer(&customer("C2", "Two")).unwrap();
    let run = store.start_run(&NewRun::new(RunMode::MissingOnly)).unwrap();
    store.finish_run(run, RunOutcome::Done).unwrap();
    // The read-only store keeps the moment it was opened; the next one sees the commits.
    assert_eq!(view.count_customers().unwrap(), 1);
    assert!(view.runs(10).unwrap().is_empty());
    let next = Workspace::open_read_only(&dir).unwrap();
    assert_eq!(next.count_customers().unwrap(), 2);
    assert_eq!(next.runs(10).unwrap().len(), 1);
    // A read-only store does not hold the writer up.
    store.create_customer(&customer("C3", "Three")).unwrap();
    assert_eq!(store.count_customers().unwrap(), 3);
}

#[test]
fn cli_a_bad_csv_row_imports_nothing() {
    let base = tempfile::tempdir().unwrap();
    let dir = workspace_with_customers(base.path());
    let before = file_bytes(&dir);
    let csv = base.path().join("in.csv");
    std::fs::write(&csv, "code,name,credit_limit\nC2,Two,10\nC3,Three,ten\n").unwrap();
    let out = run(
        custsync(),
        &dir,
        &["customers", "import", csv.to_str().unwrap()],
    );
    assert_one_clear_error(
        &out,
        &["line 3, column credit_limit", "Nothing was imported"],
    );
    assert_eq!(file_bytes(&dir), before);

    std::fs::write(&csv, "code,name,credit_limit\nC2,Two,10\n").unwrap();
    let out = run(
        custsync(),
        &dir,
        &["customers", "import", csv.to_str().unwrap()],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 added, 0 updated"));
}

#[test]
fn cli_a_newer_database_is_refused() {
    let base = tempfile::tempdir().unwrap();
    let dir = workspace_with_customers(base.path());
    rusqlite::Connection::open(dir.join("custsync.db"))
        .unwrap()
        .pragma_update(None, "user_version", LATEST + 7)
        .unwrap();
    for args in a_reader_and_a_writer(base.path()) {
        refused_untouched(&dir, &args, &["written by a newer custsync"]);
    }
}

#[test]
fn cli_a_foreign_database_file_is_refused() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("ws");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("custsync.db"),
        b"not a database at all, really".repeat(100),
    )
    .unwrap();
    for args in a_reader_and_a_writer(base.path()) {
        refused_untouched(
            &dir,
            &args,
            &["is not a custsync customer database", "backup"],
        );
    }
}

#[test]
fn cli_an_empty_database_file_is_refused() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("ws");
    std::fs::create_dir_all(&dir).unwrap();
    // A copy or a restore that went wrong: a new empty database would hide the loss.
    std::fs::write(dir.join("custsync.db"), b"").unwrap();
    for args in a_reader_and_a_writer(base.path()) {
        refused_untouched(&dir, &args, &["is empty", "backup"]);
    }
}

#[test]
fn cli_another_programs_sqlite_database_is_refused_untouched() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("ws");
    std::fs::create_dir_all(&dir).unwrap();
    let other = rusqlite::Connection::open(dir.join("custsync.db")).unwrap();
    other
        .execute_batch("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders VALUES (1, 9.5);")
        .unwrap();
    drop(other);
    let before = file_bytes(&dir);
    for args in a_reader_and_a_writer(base.path()) {
        refused_untouched(
            &dir,
            &args,
            &["is not a custsync customer database", "changed nothing"],
        );
    }
    assert_eq!(file_bytes(&dir), before, "not even switched to WAL");
}

#[test]
fn cli_a_damaged_database_takes_no_import() {
    let base = tempfile::tempdir().unwrap();
    let dir = workspace_with_customers(base.path());
    {
        let mut s = Store::open(dir.join("custsync.db")).unwrap();
        let many: Vec<Customer> = (0..2000)
            .map(|i| customer(&format!("D{i}"), &format!("Customer number {i}")))
            .collect();
        s.transaction(|tx| tx.insert_customers(&many)).unwrap();
    }
    let path = dir.join("custsync.db");
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 64 * 1024);
    // One damaged page in the middle; the header and the schema page stay valid.
    for b in &mut bytes[40_960..45_056] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let csv = base.path().join("in.csv");
    std::fs::write(&csv, "code,name\nNEW1,Brand New\n").unwrap();
    let before = file_bytes(&dir);
    let out = run(
        custsync(),
        &dir,
        &["customers", "import", csv.to_str().unwrap()],
    );
    assert_one_clear_error(&out, &["damaged", "backup"]);
    assert_eq!(file_bytes(&dir), before);
    // Nor is a damaged database read: the export is not written.
    let exported = base.path().join("out.csv");
    let out = run(
        custsync(),
        &dir,
        &["customers", "export", exported.to_str().unwrap()],
    );
    assert_one_clear_error(&out, &["damaged", "backup"]);
    assert!(!exported.exists());
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn cli_a_reader_where_there_is_no_database_says_so_and_creates_nothing() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("ws");
    for args in [
        &["runs"][..],
        &["customers", "export", "-"],
        &["customers", "list"],
    ] {
        let out = run(custsync(), &dir, args);
        assert_one_clear_error(&out, &["no customer database", "--workspace"]);
    }
    assert!(!dir.exists());
    std::fs::create_dir(&dir).unwrap();
    let out = run(custsync(), &dir, &["runs"]);
    assert_one_clear_error(&out, &["no customer database", "--workspace"]);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

#[test]
fn a_database_that_needs_an_upgrade_is_not_read_but_left_for_custsync_to_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custsync.db");
    version_1_database(&path);
    let before = std::fs::read(&path).unwrap();
    let err = Workspace::open_read_only(dir.path())
        .err()
        .expect("must be refused");
    assert!(matches!(err, StoreError::NeedsUpgrade { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("open custsync on this workspace once")
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Once custsync has opened it, it reads.
    drop(Store::open(&path).unwrap());
    let view = Workspace::open_read_only(dir.path()).unwrap();
    assert_eq!(view.count_customers().unwrap(), 2);
}

#[test]
fn cli_a_database_another_program_locks_is_reported() {
    let base = tempfile::tempdir().unwrap();
    let dir = workspace_with_customers(base.path());
    let other = rusqlite::Connection::open(dir.join("custsync.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let csv = base.path().join("in.csv");
    std::fs::write(&csv, "code,name\nC2,Two\n").unwrap();
    let out = run(
        custsync(),
        &dir,
        &["customers", "import", csv.to_str().unwrap()],
    );
    assert_one_clear_error(&out, &["locked by another program", "try again"]);
    other.execute_batch("ROLLBACK").unwrap();
    drop(other);
    let s = Store::open(dir.join("custsync.db")).unwrap();
    assert_eq!(s.count_customers().unwrap(), 1);
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn cli_a_read_only_workspace_is_reported_and_left_alone() {
    let base = tempfile::tempdir().unwrap();
    let dir = workspace_with_customers(base.path());
    let csv = base.path().join("in.csv");
    std::fs::write(&csv, "code,name\nC2,Two\n").unwrap();
    let before = file_bytes(&dir);
    chmod(&dir, 0o555);
    let out = run(
        custsync_without_override(),
        &dir,
        &["customers", "import", csv.to_str().unwrap()],
    );
    chmod(&dir, 0o755);
    assert_one_clear_error(&out, &["read-only", "--workspace"]);
    assert_eq!(file_bytes(&dir), before);
}

#[cfg(unix)]
#[test]
fn cli_a_reader_in_a_read_only_workspace_is_told_what_to_do() {
    let base = tempfile::tempdir().unwrap();
    let dir = workspace_with_customers(base.path());
    let before = file_bytes(&dir);
    chmod(&dir, 0o555);
    let out = run(custsync_without_override(), &dir, &["runs"]);
    chmod(&dir, 0o755);
    assert_one_clear_error(&out, &["read-only folder", "writable", "--workspace"]);
    assert_eq!(file_bytes(&dir), before);
}

#[cfg(unix)]
#[test]
fn cli_a_workspace_that_cannot_be_created_is_reported() {
    let base = tempfile::tempdir().unwrap();
    let parent = base.path().join("locked");
    std::fs::create_dir(&parent).unwrap();
    chmod(&parent, 0o555);
    let csv = base.path().join("in.csv");
    std::fs::write(&csv, "code,name\nC2,Two\n").unwrap();
    let out = run(
        custsync_without_override(),
        &parent.join("ws"),
        &["customers", "import", csv.to_str().unwrap()],
    );
    chmod(&parent, 0o755);
    assert_one_clear_error(&out, &["read-only"]);
    assert!(!parent.join("ws").exists());
}

#[cfg(unix)]
#[test]
fn cli_an_unreadable_database_is_reported_and_left_alone() {
    let base = tempfile::tempdir().unwrap();
    let dir = workspace_with_customers(base.path());
    let db = dir.join("custsync.db");
    let before = std::fs::read(&db).unwrap();
    chmod(&db, 0o000);
    let out = run(custsync_without_override(), &dir, &["customers", "list"]);
    chmod(&db, 0o644);
    assert_one_clear_error(&out, &["cannot be opened", "--workspace"]);
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn cli_a_read_only_database_file_is_reported_and_left_alone() {
    let base = tempfile::tempdir().unwrap();
    let dir = workspace_with_customers(base.path());
    let db = dir.join("custsync.db");
    let csv = base.path().join("in.csv");
    std::fs::write(&csv, "code,name\nC2,Two\n").unwrap();
    let before = std::fs::read(&db).unwrap();
    chmod(&db, 0o444);
    let out = run(
        custsync_without_override(),
        &dir,
        &["customers", "import", csv.to_str().unwrap()],
    );
    chmod(&db, 0o644);
    assert_one_clear_error(&out, &["cannot be written", "read-only", "--workspace"]);
    assert_eq!(std::fs::read(&db).unwrap(), before);
}
