//! Every file custsync reads from the workspace or a path it is given, replaced by a device that
//! never ends (/dev/zero) or a named pipe nobody writes: refused within a second with a clear
//! error, never read without bound or waited on for ever.
#![cfg(unix)]

use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use custsync::config::Config;
use custsync::qb::sandbox::CompanyFile;
use custsync::qb::webconnector::qwc::{IDS_FILE, QwcIds};
use custsync::qb::webconnector::{StoredPassword, TlsFiles, tls};
use custsync::store::{Store, Workspace};

/// The two stand-ins for a file.
#[derive(Clone, Copy, Debug)]
enum Hostile {
    DevZero,
    Fifo,
}

const BOTH: [Hostile; 2] = [Hostile::DevZero, Hostile::Fifo];

impl Hostile {
    fn put_at(self, path: &Path) {
        match self {
            Hostile::DevZero => std::os::unix::fs::symlink("/dev/zero", path).unwrap(),
            Hostile::Fifo => {
                let made = std::process::Command::new("mkfifo")
                    .arg(path)
                    .status()
                    .unwrap();
                assert!(made.success());
            }
        }
    }
}

/// Runs `read` on its own thread: it must fail, within a second, with a message containing
/// every one of `words`.
fn refused_at_once<T: Debug + Send + 'static, E: std::fmt::Display + Send + 'static>(
    what: &str,
    words: &[&str],
    read: impl FnOnce() -> Result<T, E> + Send + 'static,
) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(read().map_err(|e| e.to_string()));
    });
    let outcome = rx
        .recv_timeout(Duration::from_secs(1))
        .unwrap_or_else(|_| panic!("{what}: still reading after a second"));
    let message = outcome.expect_err(what);
    for w in words {
        assert!(message.contains(w), "{what}: {message:?} lacks {w:?}");
    }
}

fn fresh(file: &str, hostile: Hostile) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    hostile.put_at(&path);
    (dir, path)
}

fn kind_words(h: Hostile) -> &'static str {
    match h {
        Hostile::DevZero => "a device",
        Hostile::Fifo => "a named pipe",
    }
}

#[test]
fn config_toml() {
    for h in BOTH {
        let (_d, path) = fresh("config.toml", h);
        refused_at_once("config.toml", &["config.toml", kind_words(h)], move || {
            Config::load(&path)
        });
    }
}

#[test]
fn the_password_file() {
    for h in BOTH {
        let (d, _) = fresh("webconnector.pass", h);
        let ws = d.path().to_path_buf();
        refused_at_once(
            "webconnector.pass",
            &["webconnector.pass", kind_words(h), "set-password"],
            move || StoredPassword::load(&ws),
        );
        drop(d);
    }
}

#[test]
fn tls_certificate_and_key() {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    for h in BOTH {
        for hostile_is_key in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let files = TlsFiles {
                cert_chain: dir.path().join("cert.pem"),
                key: dir.path().join("key.pem"),
            };
            let (bad, good, text) = if hostile_is_key {
                (&files.key, &files.cert_chain, ck.cert.pem())
            } else {
                (
                    &files.cert_chain,
                    &files.key,
                    ck.signing_key.serialize_pem(),
                )
            };
            std::fs::write(good, text).unwrap();
            h.put_at(bad);
            let name = bad.file_name().unwrap().to_string_lossy().into_owned();
            refused_at_once(&name.clone(), &[&name, kind_words(h)], move || {
                tls::server_config(&files).map(|_| ())
            });
        }
    }
}

#[test]
fn the_sandbox_company_file() {
    for h in BOTH {
        let (_d, path) = fresh("Acme.QBW", h);
        refused_at_once("Acme.QBW", &["Acme.QBW", kind_words(h)], move || {
            CompanyFile::open(&path).map(|_| ())
        });
    }
}

#[test]
fn the_customer_database_the_qwc_ids_the_lock_and_a_csv() {
    for h in BOTH {
        let (_d, path) = fresh("custsync.db", h);
        refused_at_once("custsync.db", &["custsync.db", kind_words(h)], move || {
            Store::open(&path).map(|_| ())
        });

        let (d, _) = fresh(IDS_FILE, h);
        let ws = d.path().to_path_buf();
        refused_at_once(IDS_FILE, &[IDS_FILE], move || QwcIds::load_or_create(&ws));
        drop(d);

        let (d, _) = fresh("custsync.lock", h);
        let ws = d.path().to_path_buf();
        refused_at_once("custsync.lock", &["custsync.lock"], move || {
            Workspace::open(Some(&ws)).map(|_| ())
        });
        drop(d);

        let (_d, csv) = fresh("in.csv", h);
        refused_at_once("in.csv", &["in.csv", kind_words(h)], move || {
            let mut store = Store::open_in_memory().unwrap();
            custsync::store::csv::import_file(&mut store, &csv, "tester").map(|_| ())
        });
    }
}
