//! A synchronization at the screen through the QuickBooks Web Connector: the TUI waits for the
//! Web Connector's call, then the operator goes through the same steps as with the sandbox while
//! the Web Connector keeps the session alive. An emulated Web Connector (real HTTP) stands in
//! front of the sandbox company.

use std::net::{SocketAddr, TcpListener};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::{COMPANY_NAME, Demo};
use crate::webconnector_support::{USER, emulator_config, stored_password};
use custsync::config::ConnectionKind;
use custsync::qb::sandbox::{AppPrefs, Grant, SandboxConnection};
use custsync::qb::webconnector::emulator::{ConnectionQuickBooks, Emulator, HttpClient};
use custsync::qb::{APP_NAME, NoPrompt};
use custsync::store::Workspace;
use custsync::tui::keymap::Key::*;

/// A port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A demo workspace set up for the Web Connector on a free port.
fn web_connector_demo() -> (Demo, u16) {
    let demo = Demo::create();
    let port = free_port();
    let ws = Workspace::open(Some(demo.path())).unwrap();
    stored_password().save(ws.dir()).unwrap();
    let mut config = ws.load_config().unwrap();
    config.connection.kind = ConnectionKind::WebConnector;
    config.connection.web_connector.listen = format!("127.0.0.1:{port}");
    config.connection.web_connector.user_name = USER.into();
    ws.save_config(&config).unwrap();
    drop(ws);
    (demo, port)
}

/// The wait for the Web Connector has no timer to notice a stop: the stop itself wakes it, and
/// the service stops listening.
#[test]
fn stopping_the_wait_for_the_web_connector_ends_it_at_once() {
    let (demo, port) = web_connector_demo();
    let mut h = demo.harness((80, 24));
    h.press_nowait(Char('y'));
    h.pump_one();
    assert!(
        h.shows("Waiting for the QuickBooks Web Connector"),
        "{}",
        h.screen()
    );
    // The harness gives up on a worker that does not answer: a stop that did not wake the
    // wait would fail here.
    h.press(Esc);
    assert!(
        h.shows("You stopped waiting before the QuickBooks Web Connector called"),
        "{}",
        h.screen()
    );
    assert!(h.app.pending().is_empty());
    // The service stops (on its own thread, having no session to wait for): the port frees.
    let give_up = Instant::now() + Duration::from_secs(10);
    while let Err(e) = TcpListener::bind(("127.0.0.1", port)) {
        assert!(Instant::now() < give_up, "the service kept its port: {e}");
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_synchronization_at_the_screen_through_the_web_connector() {
    let (demo, port) = web_connector_demo();
    // QuickBooks lets custsync in whenever the file is open (as chosen in its own dialog).
    let file = demo.file();
    let mut prefs = AppPrefs::new(APP_NAME);
    prefs.grant = Grant::WhenOpen;
    file.set_app_prefs(&prefs).unwrap();
    drop(file);

    let mut h = demo.harness((80, 24));
    // Synchronize: custsync starts listening and says what to click on the QuickBooks computer.
    h.press_nowait(Char('y'));
    h.pump_one();
    let waiting = h.screen();
    for text in [
        "Waiting for the QuickBooks Web Connector",
        "Update Selected",
        &format!("localhost:{port}/qbwc"),
    ] {
        assert!(waiting.contains(text), "missing {text:?} in:\n{waiting}");
    }
    // On the QuickBooks computer the operator clicks Update Selected: "Update Selected" until custsync answers.
    let company = h.backend.company.clone();
    let web_connector = thread::spawn(move || {
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let start = Instant::now();
        loop {
            let qb =
                ConnectionQuickBooks::new(SandboxConnection::new(&company), Box::new(NoPrompt));
            let mut emulator =
                Emulator::new(HttpClient::plain(addr, "/qbwc"), qb, emulator_config());
            match emulator.run_update() {
                Ok(report) => return report,
                Err(_) if start.elapsed() < Duration::from_secs(60) => {
                    thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("the Web Connector never reached custsync: {e}"),
            }
        }
    });

    // The Web Connector calls, and the company appears.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !h.shows("Confirm company") {
        assert!(
            Instant::now() < deadline,
            "no company confirmation:\n{}",
            h.screen()
        );
        thread::sleep(Duration::from_millis(50));
        h.settle();
    }
    assert!(h.shows(COMPANY_NAME), "{}", h.screen());
    h.press(Char('y'));
    assert!(h.shows("Show Missing Customers Only?"), "{}", h.screen());
    // The operator takes their time; the Web Connector keeps the session open meanwhile.
    thread::sleep(Duration::from_millis(600));
    h.press(Char('y'));
    h.press(Char('a'));
    h.press(Char('y'));
    h.press(Char('y'));
    let deadline = Instant::now() + Duration::from_secs(60);
    while !h.shows("Export Completed") {
        assert!(
            Instant::now() < deadline,
            "no Export Completed:\n{}",
            h.screen()
        );
        thread::sleep(Duration::from_millis(50));
        h.settle();
    }
    assert!(h.shows("Added to QuickBooks: 9"), "{}", h.screen());

    // The Web Connector's session ends cleanly, at 100 %, with a pause while the operator chose.
    let report = web_connector.join().unwrap();
    assert!(
        report.noops > 0 || report.percents.iter().any(|p| *p < 100),
        "{report:?}"
    );
    assert_eq!(report.percents.last(), Some(&100), "{report:?}");
    for name in ["Alpine Outfitters", "Bright Path Electric", "Café Zürich"] {
        assert_eq!(
            h.backend.qb_named(name).len(),
            1,
            "{name} in QuickBooks once"
        );
    }
}
