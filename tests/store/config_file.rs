//! Setup (config.toml): defaults, round trip, every validation message with its key and line,
//! and saving that never leaves a half-written or invalid file.

use std::path::PathBuf;

use custsync::config::{Config, ConfigError, ConnectionKind, SetupProblem};
use custsync::store::{CustomerStatus, Workspace};
use custsync::sync::ReplaceGroup;

/// The single problem `text` has.
fn only_problem(text: &str) -> SetupProblem {
    let problems = Config::parse(text).expect_err("must be refused");
    assert_eq!(problems.len(), 1, "{problems:?}");
    problems.into_iter().next().unwrap()
}

fn assert_problem(text: &str, key: &str, line: usize, words: &[&str]) {
    let p = only_problem(text);
    assert_eq!(p.key, key, "{p:?}");
    assert_eq!(p.line, Some(line), "{p:?}");
    for w in words {
        assert!(p.message.contains(w), "{w:?} missing in {p:?}");
    }
    let shown = p.to_string();
    assert!(
        shown.starts_with(&format!("line {line}, {key}: ")),
        "{shown}"
    );
}

#[test]
fn a_missing_file_means_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::load(&dir.path().join("config.toml")).unwrap();
    assert_eq!(config, Config::default());
    assert_eq!(config.file_pattern, "*.QBW");
    assert_eq!(config.export.statuses.len(), 4);
    assert_eq!((config.sync.page_size, config.sync.batch_size), (500, 100));
    assert!(config.validate().is_empty());
}

#[test]
fn save_then_load_gives_the_same_setup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let mut c = Config {
        company_file: r"C:\Books\Acme Inc.QBW".into(),
        ..Config::default()
    };
    c.connection.kind = ConnectionKind::WebConnector;
    c.import.include_customer_types = vec!["Retail".into(), "Retail:Online".into()];
    c.replace.groups = [ReplaceGroup::Phones, ReplaceGroup::BillAddress]
        .into_iter()
        .collect();
    c.export.statuses = [CustomerStatus::Active, CustomerStatus::Hold]
        .into_iter()
        .collect();
    c.export.customer_type = Some("Wholesale".into());
    c.export.job_type = Some("Install".into());
    c.sync.batch_size = 250;
    c.save(&path).unwrap();
    assert_eq!(Config::load(&path).unwrap(), c);
    // Only the config file: the temporary file was renamed over it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["config.toml"]);
}

#[test]
fn a_partial_file_keeps_the_defaults_for_the_rest() {
    let c = Config::parse("[sync]\nbatch_size = 50\n").unwrap();
    assert_eq!(c.sync.batch_size, 50);
    assert_eq!(c.sync.page_size, 500);
    assert_eq!(c.file_pattern, "*.QBW");
}

#[test]
fn unknown_status_names_key_and_line() {
    assert_problem(
        "[export]\nstatuses = [\n  \"Active\",\n  \"Closed\",\n]\n",
        "export.statuses",
        4,
        &["Closed", "Active", "Inactive"],
    );
}

#[test]
fn unknown_replace_group_names_key_and_line() {
    assert_problem(
        "# setup\n[replace]\ngroups = [\"phones\", \"fax\"]\n",
        "replace.groups",
        3,
        &["fax", "phones", "active_status"],
    );
}

#[test]
fn unknown_key_names_it() {
    assert_problem(
        "[sync]\npage_size = 100\nbatchsize = 10\n",
        "sync.batchsize",
        3,
        &["unknown field `batchsize`", "batch_size"],
    );
}

#[test]
fn wrong_type_names_key_and_line() {
    assert_problem(
        "[sync]\n\npage_size = \"lots\"\n",
        "sync.page_size",
        3,
        &["invalid type"],
    );
}

#[test]
fn empty_file_pattern_is_refused() {
    assert_problem(
        "company_file = \"\"\nfile_pattern = \"  \"\n",
        "file_pattern",
        2,
        &["empty", "*.QBW"],
    );
}

#[test]
fn page_and_batch_sizes_must_be_in_range() {
    assert_problem(
        "[sync]\npage_size = 0\n",
        "sync.page_size",
        2,
        &["0 is out of range", "1 to 10000"],
    );
    assert_problem(
        "[sync]\npage_size = 10\nbatch_size = 501\n",
        "sync.batch_size",
        3,
        &["501 is out of range", "1 to 500"],
    );
    // QuickBooks keeps deletion records about 90 days: a mirror may not be trusted longer.
    assert_problem(
        "[sync]\nmirror_max_age_days = 90\n",
        "sync.mirror_max_age_days",
        2,
        &["90 is out of range", "1 to 80"],
    );
}

#[test]
fn listen_address_must_parse() {
    assert_problem(
        "[connection.web_connector]\nlisten = \"localhost\"\n",
        "connection.web_connector.listen",
        2,
        &["\"localhost\"", "127.0.0.1:8089"],
    );
}

#[test]
fn non_loopback_listen_address_needs_tls() {
    assert_problem(
        "[connection]\nkind = \"web_connector\"\n[connection.web_connector]\nlisten = \"0.0.0.0:8443\"\n",
        "connection.web_connector.listen",
        4,
        &["HTTPS", "tls_cert and tls_key", "127.0.0.1"],
    );
    // With both TLS files it is fine (whether they exist is checked on save).
    let ok = "[connection.web_connector]\nlisten = \"0.0.0.0:8443\"\ntls_cert = \"c.pem\"\ntls_key = \"k.pem\"\n";
    assert!(Config::parse(ok).is_ok());
}

#[test]
fn tls_files_come_in_pairs() {
    assert_problem(
        "[connection.web_connector]\ntls_cert = \"c.pem\"\n",
        "connection.web_connector.tls_key",
        // tls_key is absent: the nearest table that is there.
        1,
        &["tls_key is not"],
    );
}

#[test]
fn endpoint_path_and_user_name_are_checked() {
    assert_problem(
        "[connection.web_connector]\npath = \"qbwc\"\n",
        "connection.web_connector.path",
        2,
        &["/qbwc"],
    );
    assert_problem(
        "[connection.web_connector]\nuser_name = \"\"\n",
        "connection.web_connector.user_name",
        2,
        &["empty"],
    );
}

#[test]
fn type_names_are_checked() {
    assert_problem(
        "[import]\ninclude_customer_types = [\"Retail\", \" \"]\n",
        "import.include_customer_types",
        2,
        &["empty"],
    );
    let long = "x".repeat(160);
    assert_problem(
        &format!("[export]\ncustomer_type = \"{long}\"\n"),
        "export.customer_type",
        2,
        &["160 characters", "159", "leave it out"],
    );
}

#[test]
fn a_syntax_error_gives_the_line() {
    let p = only_problem("[sync]\npage_size = 100\n[export\n");
    assert_eq!(p.line, Some(3));
    assert!(p.to_string().starts_with("line 3"), "{p}");
}

#[test]
fn several_problems_are_all_reported() {
    let problems =
        Config::parse("file_pattern = \"\"\n[sync]\npage_size = 0\nbatch_size = 0\n").unwrap_err();
    let keys: Vec<_> = problems.iter().map(|p| (p.key.as_str(), p.line)).collect();
    assert_eq!(
        keys,
        [
            ("file_pattern", Some(1)),
            ("sync.page_size", Some(3)),
            ("sync.batch_size", Some(4))
        ]
    );
}

#[test]
fn load_error_names_the_file_key_and_line_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "[sync]\nbatch_size = 0\n").unwrap();
    let err = Config::load(&path).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains(&path.display().to_string())
            && msg.contains("line 2, sync.batch_size")
            && msg.contains("Fix it in SetUp"),
        "{msg}"
    );
    // Loading changes nothing.
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "[sync]\nbatch_size = 0\n"
    );
}

#[test]
fn an_invalid_setup_is_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let good = Config::default();
    good.save(&path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut bad = Config::default();
    bad.sync.batch_size = 0;
    bad.file_pattern = String::new();
    match bad.save(&path).unwrap_err() {
        ConfigError::Invalid { problems, .. } => assert_eq!(problems.len(), 2),
        other => panic!("{other}"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn saving_checks_the_files_the_setup_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let company = dir.path().join("Acme.QBW");
    let c = Config {
        company_file: company.display().to_string(),
        ..Config::default()
    };
    let err = c.save(&path).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("company_file") && msg.contains("does not exist") && msg.contains("lookup"),
        "{msg}"
    );
    assert!(!path.exists());
    std::fs::write(&company, "sandbox").unwrap();
    c.save(&path).unwrap();

    let mut wc = Config::default();
    wc.connection.web_connector.listen = "0.0.0.0:8443".into();
    wc.connection.web_connector.tls_cert = Some(dir.path().join("cert.pem"));
    wc.connection.web_connector.tls_key = Some(PathBuf::from(dir.path()));
    let problems = wc.check_files();
    let keys: Vec<_> = problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "connection.web_connector.tls_cert",
            "connection.web_connector.tls_key"
        ]
    );
    assert!(problems[0].message.contains("does not exist"));
    assert!(problems[1].message.contains("is a folder"));
}

#[test]
fn a_moved_company_file_does_not_stop_loading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "company_file = \"/gone/Acme.QBW\"\n").unwrap();
    let c = Config::load(&path).unwrap();
    assert_eq!(c.company_file, "/gone/Acme.QBW");
    assert_eq!(c.check_files().len(), 1);
}

#[test]
fn an_unreadable_config_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::create_dir(&path).unwrap();
    let err = Config::load(&path).unwrap_err();
    assert!(matches!(err, ConfigError::Read { .. }), "{err}");
    assert!(err.to_string().contains("cannot read the setup file"));
}

#[test]
fn the_workspace_loads_and_saves_its_config() {
    let base = tempfile::tempdir().unwrap();
    let ws = Workspace::open(Some(&base.path().join("ws"))).unwrap();
    assert_eq!(ws.load_config().unwrap(), Config::default());
    let mut c = Config::default();
    c.ui.mouse = true;
    ws.save_config(&c).unwrap();
    assert!(ws.config_path().exists());
    assert_eq!(ws.load_config().unwrap(), c);
}
