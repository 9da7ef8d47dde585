//! Writes every qbXML request and response exchanged to numbered files in a folder: support asks
//! for these first.
//!
//! `0001-request.xml` and `0001-response.xml` hold one exchange; `0001-error.txt` replaces the
//! response when the exchange failed below qbXML (an HRESULT, a broken connection). Numbering
//! continues after the files already in the folder, so a second run never overwrites the first.
//!
//! A trace that cannot be written must not stop a sync: failures are kept, and the first one is
//! handed out once ([`Trace::take_failure`]) for the caller to show as a warning.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::QbError;

/// Why the trace could not be written.
#[derive(Debug, thiserror::Error)]
#[error(
    "the qbXML trace could not be written to {}: {source}. The sync goes on without it; check the \
     folder exists and is writable, or leave out --trace",
    path.display()
)]
pub struct TraceError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// A folder receiving the exchange, one numbered set of files per document.
#[derive(Debug)]
pub struct Trace {
    dir: PathBuf,
    next: u32,
    failure: Option<TraceError>,
    reported: bool,
}

impl Trace {
    /// Opens (creating it if needed) the trace folder.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Trace, TraceError> {
        let dir = dir.into();
        let fail = |source| TraceError {
            path: dir.clone(),
            source,
        };
        // Traces hold customers' data: a folder custsync makes is its owner's only. A folder the
        // operator chose that exists already keeps its permissions.
        if !dir.exists() {
            fs::create_dir_all(&dir).map_err(fail)?;
            crate::files::make_private(&dir).map_err(fail)?;
        }
        let last = fs::read_dir(&dir)
            .map_err(fail)?
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| sequence_of(&entry.file_name().to_string_lossy()))
            .max()
            .unwrap_or(0);
        Ok(Trace {
            dir,
            next: last + 1,
            failure: None,
            reported: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Records a request; returns its number, to pass to [`Trace::response`] or
    /// [`Trace::failure`].
    pub fn request(&mut self, xml: &str) -> u32 {
        let seq = self.next;
        self.next += 1;
        self.write(seq, "request.xml", xml);
        seq
    }

    pub fn response(&mut self, seq: u32, xml: &str) {
        self.write(seq, "response.xml", xml);
    }

    /// Records an exchange that failed below qbXML.
    pub fn failure(&mut self, seq: u32, error: &QbError) {
        let text = match error.hresult_code() {
            Some(code) => format!("HRESULT {}\n{error}\n", super::hresult::format(code)),
            None => format!("{error}\n"),
        };
        self.write(seq, "error.txt", &text);
    }

    /// The first failure to write, once: later calls return `None` even if writing keeps failing,
    /// so the operator is warned once, not per document.
    pub fn take_failure(&mut self) -> Option<TraceError> {
        if self.reported {
            return None;
        }
        let failure = self.failure.take();
        self.reported = failure.is_some();
        failure
    }

    fn write(&mut self, seq: u32, suffix: &str, text: &str) {
        let path = self.dir.join(format!("{seq:04}-{suffix}"));
        if let Err(source) = crate::files::write_private(&path, text.as_bytes())
            && self.failure.is_none()
            && !self.reported
        {
            self.failure = Some(TraceError { path, source });
        }
    }
}

/// `0042-request.xml` → 42.
fn sequence_of(file_name: &str) -> Option<u32> {
    let (digits, rest) = file_name.split_once('-')?;
    if !matches!(rest, "request.xml" | "response.xml" | "error.txt") {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_exchanges_and_continues_after_existing_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("trace/nested");
        let mut t = Trace::open(&dir).unwrap();
        let a = t.request("<a/>");
        t.response(a, "<ra/>");
        let b = t.request("<b/>");
        t.failure(b, &QbError::hresult(0x8004_0400, "parse error"));
        assert_eq!((a, b), (1, 2));
        assert_eq!(
            fs::read_to_string(dir.join("0001-request.xml")).unwrap(),
            "<a/>"
        );
        assert_eq!(
            fs::read_to_string(dir.join("0001-response.xml")).unwrap(),
            "<ra/>"
        );
        let err = fs::read_to_string(dir.join("0002-error.txt")).unwrap();
        assert!(err.starts_with("HRESULT 0x80040400"), "{err}");
        assert!(t.take_failure().is_none());
        let mut again = Trace::open(&dir).unwrap();
        assert_eq!(again.request("<c/>"), 3);
    }

    #[test]
    fn a_failing_trace_is_reported_once_and_never_panics() {
        let tmp = tempfile::tempdir().unwrap();
        let mut t = Trace::open(tmp.path()).unwrap();
        // Make the folder vanish under the trace, as a removed USB stick would.
        drop(tmp);
        let seq = t.request("<a/>");
        t.response(seq, "<b/>");
        let failure = t.take_failure().expect("the failure is reported");
        assert!(failure.to_string().contains("sync goes on"));
        t.request("<c/>");
        assert!(t.take_failure().is_none(), "reported once only");
        let blocked = tempfile::NamedTempFile::new().unwrap();
        assert!(Trace::open(blocked.path().join("sub")).is_err());
    }
}
