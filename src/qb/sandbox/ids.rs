//! Identifiers and timestamps formed the way QuickBooks forms its own.
//!
//! - ListID `80000003-1446676743`: a hexadecimal sequence number, a dash, and the Unix time the
//!   record was created. QuickBooks starts user-created records at 0x80000001.
//! - EditSequence `1446676743`: the Unix time of the last change, as decimal digits.
//! - TimeCreated / TimeModified `2015-11-04T14:39:03-08:00`: local time with its UTC offset.
//! - iteratorID `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`: a random GUID in braces.

use chrono::{DateTime, Local, NaiveDateTime, NaiveTime, TimeZone};

use crate::qbxml::QbDateTime;

/// The first sequence number QuickBooks gives records a user creates.
pub const FIRST_LIST_SEQUENCE: u32 = 0x8000_0001;

/// `80000003-1446676743`.
pub fn list_id(sequence: u32, created_unix: i64) -> String {
    format!("{sequence:X}-{created_unix}")
}

/// Whether `text` has the shape of a QuickBooks ListID (hex digits, dash, decimal digits).
pub fn looks_like_list_id(text: &str) -> bool {
    let Some((seq, time)) = text.split_once('-') else {
        return false;
    };
    (1..=8).contains(&seq.len())
        && seq.bytes().all(|b| b.is_ascii_hexdigit())
        && (1..=10).contains(&time.len())
        && time.bytes().all(|b| b.is_ascii_digit())
}

/// `1446676743`.
pub fn edit_sequence(modified_unix: i64) -> String {
    modified_unix.to_string()
}

/// `2015-11-04T14:39:03-08:00`, in the sandbox machine's local time zone, as QuickBooks reports
/// times in the zone of the machine it runs on.
pub fn format_time(unix: i64) -> String {
    match Local.timestamp_opt(unix, 0).single() {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        // Out of chrono's range: cannot come from the sandbox's own clock or generator.
        None => String::from("1970-01-01T00:00:00+00:00"),
    }
}

/// Current Unix time in whole seconds.
pub fn now_unix() -> i64 {
    Local::now().timestamp()
}

/// Which end of a day a date without a time stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayEnd {
    Start,
    End,
}

/// Reads a DATETIMETYPE value (`2024-01-31`, `2024-01-31T14`, `2024-01-31T14:05:09`,
/// `2024-01-31T14:05:09-08:00`) as Unix seconds. Without an offset the time is local, as in
/// QuickBooks. A date alone means the start of that day, or its last second for `DayEnd::End`
/// (so that `ToModifiedDate` with a bare date includes the whole day — an assumption: the SDK
/// documentation the reference could read does not say).
pub fn parse_datetime(text: &str, day_end: DayEnd) -> Option<i64> {
    let value = QbDateTime::parse(text).ok()?;
    let naive = match (value.time(), day_end) {
        (Some(_), _) | (None, DayEnd::Start) => value.naive(),
        (None, DayEnd::End) => value.date().and_time(NaiveTime::from_hms_opt(23, 59, 59)?),
    };
    match value.offset() {
        Some(offset) => Some(offset.from_local_datetime(&naive).single()?.timestamp()),
        None => local_to_unix(naive),
    }
}

fn local_to_unix(naive: NaiveDateTime) -> Option<i64> {
    // In a daylight-saving gap or overlap, take the earliest valid reading.
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t: DateTime<Local>| t.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_ids_and_edit_sequences_look_like_quickbooks() {
        assert_eq!(list_id(0x8000_0003, 1_446_676_743), "80000003-1446676743");
        assert!(looks_like_list_id("80000003-1446676743"));
        assert!(looks_like_list_id("10000-1197750853"));
        assert!(!looks_like_list_id("80000003"));
        assert!(!looks_like_list_id("8000000G-1"));
        assert_eq!(edit_sequence(1_446_676_743), "1446676743");
    }

    #[test]
    fn times_carry_the_local_offset() {
        let t = format_time(1_446_676_743);
        // 2015-11-04T14:39:03-08:00 in California; the shape is what matters.
        let b = t.as_bytes();
        assert_eq!(t.len(), 25, "{t}");
        assert_eq!(
            (b[4], b[7], b[10], b[13], b[16], b[22]),
            (b'-', b'-', b'T', b':', b':', b':')
        );
        assert!(b[19] == b'+' || b[19] == b'-');
        assert_eq!(parse_datetime(&t, DayEnd::Start), Some(1_446_676_743));
    }

    #[test]
    fn datetimes_parse_with_and_without_offsets() {
        assert_eq!(
            parse_datetime("2015-11-04T14:39:03-08:00", DayEnd::Start),
            Some(1_446_676_743)
        );
        assert_eq!(
            parse_datetime("2015-11-04T22:39:03+00:00", DayEnd::Start),
            Some(1_446_676_743)
        );
        let start = parse_datetime("2024-02-29", DayEnd::Start).unwrap();
        let end = parse_datetime("2024-02-29", DayEnd::End).unwrap();
        assert_eq!(end - start, 86_399);
        for bad in [
            "",
            "2024-13-01",
            "24-01-01",
            "2024-01-01T25",
            "x",
            "2024-01-01T10:00:00+1",
        ] {
            assert_eq!(parse_datetime(bad, DayEnd::Start), None, "{bad}");
        }
    }
}
