//! The clock of the simulated QuickBooks machine.
//!
//! QuickBooks stamps TimeCreated, TimeModified and TimeDeleted from the clock of the computer it
//! runs on, in whole seconds. The sandbox does the same from the system clock, unless the company
//! file holds a stopped clock (`custsync sandbox clock FILE --set …`): then every document and
//! every QuickBooks user's move sees that instant, which makes timestamps, modified-date and
//! deleted-date filters and the 90-day life of deletion records testable to the second, across
//! processes (the CLI, the Web Connector path and tests all read the same file).
//!
//! A record changed twice within one second still gets a TimeModified and EditSequence strictly
//! later than before ([`later_than`]): an EditSequence that did not change would let a stale
//! modification through, and a TimeModified that did not move would hide the change from a
//! reader whose watermark is the previous value.

use rusqlite::Connection;

use super::file::{meta_get, meta_set};
use super::ids;

const CLOCK_KEY: &str = "clock_fixed";

/// What the sandbox's clock reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SandboxClock {
    /// The machine's own clock.
    System,
    /// Stopped at this Unix time.
    Fixed(i64),
}

/// The current time of the company's clock, in Unix seconds.
pub(crate) fn now(conn: &Connection) -> rusqlite::Result<i64> {
    Ok(match clock(conn)? {
        SandboxClock::System => ids::now_unix(),
        SandboxClock::Fixed(t) => t,
    })
}

pub(crate) fn clock(conn: &Connection) -> rusqlite::Result<SandboxClock> {
    Ok(
        match meta_get(conn, CLOCK_KEY)?.and_then(|v| v.parse().ok()) {
            Some(t) => SandboxClock::Fixed(t),
            None => SandboxClock::System,
        },
    )
}

pub(crate) fn set_clock(conn: &Connection, clock: SandboxClock) -> rusqlite::Result<()> {
    match clock {
        SandboxClock::System => conn
            .execute("DELETE FROM meta WHERE key = ?1", [CLOCK_KEY])
            .map(|_| ()),
        SandboxClock::Fixed(t) => meta_set(conn, CLOCK_KEY, &t.to_string()),
    }
}

/// The modification time of a record last modified at `previous`, changed at `now`: `now`, or
/// one second after `previous` when the clock has not moved past it.
pub(crate) fn later_than(previous: i64, now: i64) -> i64 {
    now.max(previous.saturating_add(1))
}

impl super::file::CompanyFile {
    /// The company's clock.
    pub fn clock(&self) -> Result<SandboxClock, super::SandboxError> {
        clock(&self.conn).map_err(|e| self.storage(e))
    }

    /// Stops the company's clock at an instant, or lets it follow the system clock again.
    pub fn set_clock(&self, clock: SandboxClock) -> Result<(), super::SandboxError> {
        set_clock(&self.conn, clock).map_err(|e| self.storage(e))
    }

    /// What the company's clock reads now, in Unix seconds.
    pub fn now(&self) -> Result<i64, super::SandboxError> {
        now(&self.conn).map_err(|e| self.storage(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_always_later_than_the_last() {
        assert_eq!(later_than(100, 200), 200);
        assert_eq!(later_than(100, 100), 101);
        // A clock set back (or stopped) does not move a record back in time.
        assert_eq!(later_than(100, 50), 101);
    }

    #[test]
    fn a_stopped_clock_is_kept_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Clock.QBW");
        let file = super::super::CompanyFile::create(&path, "Clock Co").unwrap();
        assert_eq!(file.clock().unwrap(), SandboxClock::System);
        file.set_clock(SandboxClock::Fixed(1_700_000_000)).unwrap();
        drop(file);
        let file = super::super::CompanyFile::open(&path).unwrap();
        assert_eq!(file.now().unwrap(), 1_700_000_000);
        file.set_clock(SandboxClock::System).unwrap();
        assert!(file.now().unwrap() > 1_700_000_000);
    }
}
