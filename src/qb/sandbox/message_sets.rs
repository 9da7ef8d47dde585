//! qbXML error recovery: the response to the last message set an application sent with a
//! `newMessageSetID`, kept in the company file so that a lost response can be asked for again.
//!
//! Semantics, from Intuit's "Error recovery" and "Session and connection object attributes" pages
//! (developer.intuit.com, qbdesktop), the QBXMLMsgs attribute table reproduced on is2qb.com, and
//! the message-set status codes checked by Intuit's QBFC error-recovery sample
//! (`GetErrorRecoveryStatus`: 600, 9001, 9002, 9004, 9005):
//!
//! - QuickBooks keeps one recovery record per application: `oldMessageSetID` "identifies the last
//!   message set that was sent with error recovery enabled". A new `newMessageSetID` replaces it.
//! - The record is written in the same SQLite transaction as the changes the message set made, so
//!   after a crash either both exist or neither does.
//! - `oldMessageSetID` naming the stored set, without `newMessageSetID` (a status check), returns
//!   the stored response unchanged (`messageSetStatusCode="0"`); requests in that document are
//!   not run. Naming anything else returns `messageSetStatusCode="600"` ("The oldMessageSetID does
//!   not match any stored IDs, and no newMessageSetID is provided"; "no cleared state to return").
//! - A `newMessageSetID` equal to the stored one is a resend: with the same request content
//!   QuickBooks returns the stored response instead of running it again (that is what makes a
//!   resend safe); with different content it answers 9001 ("Invalid checksum. The
//!   newMessageSetID specified, matches the currently stored ID, but checksum fails.").
//! - An ID longer than 24 characters gets 9004 ("Invalid MessageSetID, greater than 24 character
//!   was given."); `oldMessageSetID="ClearAllMessageSets"` clears the application's record.
//! - 9002 (no stored response) and 9005 (unable to store) cannot happen here: the record and its
//!   response are stored together or not at all, and a storage failure fails the whole document.
//!
//! Assumption: the checksum covers the request document's text exactly as received.

use rusqlite::{Connection, OptionalExtension, params};

pub const CLEAR_ALL: &str = "ClearAllMessageSets";
pub const MAX_ID_LEN: usize = 24;

pub struct Stored {
    pub id: String,
    pub checksum: String,
    pub response: String,
}

pub fn stored(conn: &Connection, app: &str) -> rusqlite::Result<Option<Stored>> {
    conn.query_row(
        "SELECT message_set_id, checksum, response FROM message_set WHERE app_name = ?1",
        [app],
        |r| {
            Ok(Stored {
                id: r.get(0)?,
                checksum: r.get(1)?,
                response: r.get(2)?,
            })
        },
    )
    .optional()
}

pub fn store(
    conn: &Connection,
    app: &str,
    id: &str,
    checksum: &str,
    response: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO message_set (app_name, message_set_id, checksum, response, stored_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(app_name) DO UPDATE SET message_set_id = excluded.message_set_id,
             checksum = excluded.checksum, response = excluded.response,
             stored_at = excluded.stored_at",
        params![app, id, checksum, response, now],
    )
    .map(|_| ())
}

pub fn clear(conn: &Connection, app: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM message_set WHERE app_name = ?1", [app])
        .map(|_| ())
}

/// FNV-1a (64 bit) of the request text: stable across runs and releases, which Rust's own hasher
/// does not promise.
pub fn checksum(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}
