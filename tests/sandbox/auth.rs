//! Integrated Applications and sessions through [`SandboxConnection`]: every access path and the
//! HRESULT QuickBooks answers it with (SPEC §5.2–5.3, reference §5.4 and §7.7).

use crate::support::{Docs, Rs, Sandbox, Test, envelope};
use custsync::qb::access::{AccessPrompt, CertificateAnswer, CertificateRequest};
use custsync::qb::explain::explain_error;
use custsync::qb::sandbox::{AppPrefs, CompanyFile, Grant, SandboxConnection};
use custsync::qb::{Connection, ConnectionKind, NoPrompt, QbError, hresult};

pub const TESTS: &[Test] = &[
    (
        "first_access_shows_the_certificate_and_records_the_answer",
        first_access_shows_the_certificate_and_records_the_answer,
    ),
    (
        "first_access_with_nobody_to_ask_is_0x80040418",
        first_access_with_nobody_to_ask_is_0x80040418,
    ),
    (
        "answering_no_is_0x80040420_from_then_on",
        answering_no_is_0x80040420_from_then_on,
    ),
    (
        "always_without_automatic_login_while_closed_is_0x8004041d",
        always_without_automatic_login_while_closed_is_0x8004041d,
    ),
    (
        "always_with_quickbooks_open_needs_no_automatic_login",
        always_with_quickbooks_open_needs_no_automatic_login,
    ),
    (
        "when_open_while_closed_is_0x80040408",
        when_open_while_closed_is_0x80040408,
    ),
    (
        "prompt_each_time_asks_every_connection",
        prompt_each_time_asks_every_connection,
    ),
    ("revoked_and_removed_access", revoked_and_removed_access),
    (
        "an_unknown_login_user_is_refused",
        an_unknown_login_user_is_refused,
    ),
    ("no_session_no_requests", no_session_no_requests),
    (
        "missing_and_real_company_files_are_refused_clearly",
        missing_and_real_company_files_are_refused_clearly,
    ),
];

/// Answers QuickBooks' dialogs from a script and counts the questions.
#[derive(Default)]
struct Script {
    certificate: Option<CertificateAnswer>,
    this_time: Option<bool>,
    certificate_asked: Vec<CertificateRequest>,
    this_time_asked: usize,
}

impl AccessPrompt for Script {
    fn certificate(&mut self, request: &CertificateRequest) -> Option<CertificateAnswer> {
        self.certificate_asked.push(request.clone());
        self.certificate.clone()
    }

    fn allow_this_time(&mut self, _app: &str, _file: &str) -> Option<bool> {
        self.this_time_asked += 1;
        self.this_time
    }
}

fn answer(a: CertificateAnswer) -> Script {
    Script {
        certificate: Some(a),
        ..Script::default()
    }
}

fn always(user: &str) -> CertificateAnswer {
    CertificateAnswer::Always {
        login_as: user.into(),
        allow_personal_data: false,
    }
}

fn code(r: Result<custsync::qb::SessionInfo, QbError>) -> u32 {
    match r {
        Err(e) => {
            // Every refusal has a specific plain-words explanation.
            let ex = explain_error(&e);
            assert!(
                !ex.title.contains("refused the connection"),
                "generic explanation for {e}"
            );
            e.hresult_code()
                .unwrap_or_else(|| panic!("not an HRESULT: {e}"))
        }
        Ok(_) => panic!("expected a refusal"),
    }
}

fn prefs(path: &std::path::Path) -> AppPrefs {
    CompanyFile::open(path)
        .unwrap()
        .app_prefs("custsync")
        .unwrap()
}

fn host(conn: &mut SandboxConnection, docs: &mut Docs) -> Rs {
    let text = conn
        .process(&envelope(
            "13.0",
            "onError=\"stopOnError\"",
            "<HostQueryRq/>",
        ))
        .unwrap();
    docs.push(&text);
    Rs::parse(&text)
}

fn first_access_shows_the_certificate_and_records_the_answer(docs: &mut Docs) {
    let sb = Sandbox::new();
    sb.file.set_open_in_quickbooks(true).unwrap();
    let mut conn = SandboxConnection::new(&sb.path);
    assert_eq!(conn.kind(), ConnectionKind::Sandbox);
    let mut script = answer(CertificateAnswer::WhenOpen {
        allow_personal_data: true,
    });
    let info = conn.open(&mut script).unwrap();
    assert_eq!(info.company_file, sb.path.display().to_string());
    assert_eq!(script.certificate_asked.len(), 1);
    let req = &script.certificate_asked[0];
    assert_eq!(req.app_name, "custsync");
    assert_eq!(req.company_file, sb.path.display().to_string());
    assert_eq!(req.login_users, ["Admin"]);
    assert_eq!(host(&mut conn, docs).status(0), 0);
    let p = prefs(&sb.path);
    assert_eq!(p.grant, Grant::WhenOpen);
    assert!(p.personal_data);
    // Next time QuickBooks does not ask.
    conn.close();
    conn.open(&mut NoPrompt).unwrap();
}

fn first_access_with_nobody_to_ask_is_0x80040418(_docs: &mut Docs) {
    let sb = Sandbox::new();
    for open in [true, false] {
        sb.file.set_open_in_quickbooks(open).unwrap();
        let mut conn = SandboxConnection::new(&sb.path);
        assert_eq!(code(conn.open(&mut NoPrompt)), hresult::NEVER_AUTHORIZED);
        assert_eq!(prefs(&sb.path).grant, Grant::None, "nothing recorded");
    }
}

fn answering_no_is_0x80040420_from_then_on(_docs: &mut Docs) {
    let sb = Sandbox::new();
    sb.file.set_open_in_quickbooks(true).unwrap();
    let mut conn = SandboxConnection::new(&sb.path);
    assert_eq!(
        code(conn.open(&mut answer(CertificateAnswer::No))),
        hresult::ACCESS_DENIED
    );
    assert_eq!(prefs(&sb.path).grant, Grant::Denied);
    let mut script = answer(always("Admin"));
    assert_eq!(code(conn.open(&mut script)), hresult::ACCESS_DENIED);
    assert!(
        script.certificate_asked.is_empty(),
        "QuickBooks does not ask again"
    );
}

fn always_without_automatic_login_while_closed_is_0x8004041d(docs: &mut Docs) {
    // The seed page's walkthrough: "Yes, always", QuickBooks not running, automatic login off.
    let sb = Sandbox::new();
    let mut conn = SandboxConnection::new(&sb.path);
    assert_eq!(
        code(conn.open(&mut answer(always("Admin")))),
        hresult::AUTO_LOGIN_NOT_ALLOWED
    );
    let p = prefs(&sb.path);
    assert_eq!(
        p.grant,
        Grant::Always {
            login_user: "Admin".into()
        }
    );
    assert!(!p.auto_login);
    assert_eq!(
        code(conn.open(&mut NoPrompt)),
        hresult::AUTO_LOGIN_NOT_ALLOWED
    );
    // The fix the explanation gives: allow automatic login.
    let mut fixed = p.clone();
    fixed.auto_login = true;
    sb.file.set_app_prefs(&fixed).unwrap();
    conn.open(&mut NoPrompt).unwrap();
    let r = host(&mut conn, docs);
    assert_eq!(r.rets(0)[0].get("IsAutomaticLogin"), Some("true"));
}

fn always_with_quickbooks_open_needs_no_automatic_login(docs: &mut Docs) {
    let sb = Sandbox::new();
    sb.file.set_open_in_quickbooks(true).unwrap();
    let mut conn = SandboxConnection::new(&sb.path);
    conn.open(&mut answer(always("Admin"))).unwrap();
    assert_eq!(
        host(&mut conn, docs).rets(0)[0].get("IsAutomaticLogin"),
        Some("false")
    );
    conn.close();
    sb.file.set_open_in_quickbooks(false).unwrap();
    assert_eq!(
        code(conn.open(&mut NoPrompt)),
        hresult::AUTO_LOGIN_NOT_ALLOWED
    );
}

fn when_open_while_closed_is_0x80040408(_docs: &mut Docs) {
    let sb = Sandbox::new();
    let mut conn = SandboxConnection::new(&sb.path);
    // The first time, QuickBooks was started for its dialog, so that session proceeds.
    conn.open(&mut answer(CertificateAnswer::WhenOpen {
        allow_personal_data: false,
    }))
    .unwrap();
    conn.close();
    assert_eq!(code(conn.open(&mut NoPrompt)), hresult::COULD_NOT_START_QB);
    sb.file.set_open_in_quickbooks(true).unwrap();
    conn.open(&mut NoPrompt).unwrap();
}

fn prompt_each_time_asks_every_connection(_docs: &mut Docs) {
    let sb = Sandbox::new();
    sb.file.set_open_in_quickbooks(true).unwrap();
    let mut conn = SandboxConnection::new(&sb.path);
    conn.open(&mut answer(CertificateAnswer::PromptEachTime {
        allow_personal_data: false,
    }))
    .unwrap();
    let mut yes = Script {
        this_time: Some(true),
        ..Script::default()
    };
    conn.open(&mut yes).unwrap();
    conn.open(&mut yes).unwrap();
    assert_eq!(yes.this_time_asked, 2);
    let mut no = Script {
        this_time: Some(false),
        ..Script::default()
    };
    assert_eq!(code(conn.open(&mut no)), hresult::ACCESS_DENIED);
    assert_eq!(code(conn.open(&mut NoPrompt)), hresult::ACCESS_DENIED);
    assert_eq!(
        prefs(&sb.path).grant,
        Grant::PromptEachTime,
        "a one-time no is not recorded"
    );
    sb.file.set_open_in_quickbooks(false).unwrap();
    assert_eq!(code(conn.open(&mut yes)), hresult::COULD_NOT_START_QB);
}

fn revoked_and_removed_access(_docs: &mut Docs) {
    let sb = Sandbox::new();
    sb.file.set_open_in_quickbooks(true).unwrap();
    let mut conn = SandboxConnection::new(&sb.path);
    conn.open(&mut answer(CertificateAnswer::WhenOpen {
        allow_personal_data: false,
    }))
    .unwrap();
    let mut p = prefs(&sb.path);
    p.grant = Grant::Denied;
    sb.file.set_app_prefs(&p).unwrap();
    assert_eq!(code(conn.open(&mut NoPrompt)), hresult::ACCESS_DENIED);
    // Removed from the list: QuickBooks asks again.
    p.grant = Grant::None;
    sb.file.set_app_prefs(&p).unwrap();
    let mut script = answer(CertificateAnswer::WhenOpen {
        allow_personal_data: false,
    });
    conn.open(&mut script).unwrap();
    assert_eq!(script.certificate_asked.len(), 1);
    // Another application is a stranger.
    let mut other = SandboxConnection::new(&sb.path).with_app_name("Other App");
    assert_eq!(code(other.open(&mut NoPrompt)), hresult::NEVER_AUTHORIZED);
}

fn an_unknown_login_user_is_refused(_docs: &mut Docs) {
    let sb = Sandbox::new();
    let mut conn = SandboxConnection::new(&sb.path);
    assert_eq!(
        code(conn.open(&mut answer(always("Ghost")))),
        hresult::ACCESS_DENIED
    );
    let mut p = AppPrefs::new("custsync");
    p.grant = Grant::Always {
        login_user: "Ghost".into(),
    };
    let err = sb.file.set_app_prefs(&p).unwrap_err().to_string();
    assert!(err.contains("Ghost") && err.contains("Admin"), "{err}");
}

fn no_session_no_requests(_docs: &mut Docs) {
    let sb = Sandbox::new();
    let mut conn = SandboxConnection::new(&sb.path);
    let req = envelope("13.0", "onError=\"stopOnError\"", "<HostQueryRq/>");
    assert_eq!(
        conn.process(&req).unwrap_err().hresult_code(),
        Some(hresult::INVALID_TICKET)
    );
    sb.file.set_open_in_quickbooks(true).unwrap();
    conn.open(&mut answer(CertificateAnswer::WhenOpen {
        allow_personal_data: false,
    }))
    .unwrap();
    assert!(conn.process(&req).is_ok());
    conn.close();
    conn.close();
    assert_eq!(
        conn.process(&req).unwrap_err().hresult_code(),
        Some(hresult::INVALID_TICKET)
    );
}

fn missing_and_real_company_files_are_refused_clearly(_docs: &mut Docs) {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = SandboxConnection::new(dir.path().join("Missing.QBW"));
    let e = conn.open(&mut NoPrompt).unwrap_err();
    assert_eq!(e.hresult_code(), Some(hresult::COULD_NOT_OPEN_FILE));
    assert!(e.to_string().contains("custsync sandbox create"), "{e}");
    // A real QuickBooks company file: random binary named .QBW.
    let real = dir.path().join("Real Company.QBW");
    let bytes: Vec<u8> = (0..65_536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&real, &bytes).unwrap();
    let mut conn = SandboxConnection::new(&real);
    let e = conn.open(&mut NoPrompt).unwrap_err();
    assert_eq!(e.hresult_code(), Some(hresult::COULD_NOT_OPEN_FILE));
    let m = e.to_string();
    assert!(m.contains("real QuickBooks company file"), "{m}");
    assert!(m.contains("Connect to real QuickBooks"), "{m}");
    assert_eq!(
        std::fs::read(&real).unwrap(),
        bytes,
        "the file is left untouched"
    );
}
