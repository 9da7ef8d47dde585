//! qbXML's DATETIMETYPE as a value: `2026-03-04T09:08:07-08:00`, or shorter (`2026-03-04`,
//! `2026-03-04T09`, `2026-03-04T09:08`, `2026-03-04T09:08:07` without an offset).
//!
//! QuickBooks returns TimeModified and TimeDeleted with the offset of the machine it runs on,
//! and reads a value without an offset as that machine's local time (reference, "Incremental
//! reads"). An incremental reader's safest watermark is therefore a value QuickBooks returned,
//! sent back in the same offset, minus an overlap ([`QbDateTime::earlier_by`]): never a time
//! from custsync's own clock.

use std::fmt;

use chrono::{Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

/// A DATETIMETYPE value, kept as written: the date, the clock time if any, the offset if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QbDateTime {
    date: NaiveDate,
    time: Option<NaiveTime>,
    offset: Option<FixedOffset>,
}

/// Text that is not a DATETIMETYPE value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a QuickBooks date and time; write it like 2026-03-04T09:08:07-08:00 (or \
     without the offset, in QuickBooks' local time)"
)]
pub struct DateTimeError(pub String);

impl QbDateTime {
    /// Reads `YYYY-MM-DD[Thh[:mm[:ss[±hh:mm]]]]`, the schema's pattern (an offset only after
    /// the seconds).
    pub fn parse(text: &str) -> Result<QbDateTime, DateTimeError> {
        Self::parse_parts(text.trim()).ok_or_else(|| DateTimeError(text.to_string()))
    }

    fn parse_parts(t: &str) -> Option<QbDateTime> {
        let (date_part, rest) = match t.split_once('T') {
            Some((d, r)) => (d, Some(r)),
            None => (t, None),
        };
        let mut dp = date_part.split('-');
        let (y, m, d) = (dp.next()?, dp.next()?, dp.next()?);
        if dp.next().is_some() || y.len() != 4 || m.len() > 2 || d.len() > 2 {
            return None;
        }
        let year = i32::try_from(number(y)?).ok()?;
        let date = NaiveDate::from_ymd_opt(year, number(m)?, number(d)?)?;
        let Some(rest) = rest else {
            return Some(QbDateTime {
                date,
                time: None,
                offset: None,
            });
        };
        // A trailing offset (+hh:mm / -hh:mm) follows the clock time.
        let (clock, offset) = match rest.find(['+', '-']) {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        let mut cp = clock.split(':');
        let h = two_digits(cp.next()?)?;
        let mi = cp.next().map_or(Some(0), two_digits)?;
        let s = cp.next().map_or(Some(0), two_digits)?;
        if cp.next().is_some() || (offset.is_some() && clock.matches(':').count() != 2) {
            return None;
        }
        let offset = match offset {
            None => None,
            Some(o) => {
                let sign = if o.starts_with('-') { -1 } else { 1 };
                let (oh, om) = o[1..].split_once(':')?;
                let secs = sign * (two_digits(oh)? as i32 * 3600 + two_digits(om)? as i32 * 60);
                Some(FixedOffset::east_opt(secs)?)
            }
        };
        Some(QbDateTime {
            date,
            time: Some(NaiveTime::from_hms_opt(h, mi, s)?),
            offset,
        })
    }

    /// The instant `unix` as seen at `offset_secs` east of UTC, to the second.
    pub fn from_unix(unix: i64, offset_secs: i32) -> Option<QbDateTime> {
        let offset = FixedOffset::east_opt(offset_secs)?;
        let local = offset.timestamp_opt(unix, 0).single()?.naive_local();
        Some(QbDateTime {
            date: local.date(),
            time: Some(local.time()),
            offset: Some(offset),
        })
    }

    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The clock time, if the value has one (a bare date has none).
    pub fn time(&self) -> Option<NaiveTime> {
        self.time
    }

    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// The local date and time (midnight for a bare date).
    pub fn naive(&self) -> NaiveDateTime {
        self.date.and_time(self.time.unwrap_or(NaiveTime::MIN))
    }

    /// Seconds since the Unix epoch, when the value says its offset (QuickBooks' own values
    /// do); `None` for local time, which only QuickBooks' machine can place.
    pub fn unix(&self) -> Option<i64> {
        let offset = self.offset?;
        offset
            .from_local_datetime(&self.naive())
            .single()
            .map(|t| t.timestamp())
    }

    /// The same clock, `seconds` earlier, in the same offset (or still local): for a watermark
    /// minus an overlap. A bare date becomes a full date and time.
    pub fn earlier_by(&self, seconds: u32) -> QbDateTime {
        let at = self.naive() - Duration::seconds(i64::from(seconds));
        QbDateTime {
            date: at.date(),
            time: Some(at.time()),
            offset: self.offset,
        }
    }
}

fn number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn two_digits(text: &str) -> Option<u32> {
    (text.len() <= 2).then(|| number(text)).flatten()
}

impl fmt::Display for QbDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date.format("%Y-%m-%d"))?;
        if let Some(t) = self.time {
            write!(f, "T{}", t.format("%H:%M:%S"))?;
            if let Some(o) = self.offset {
                let secs = o.local_minus_utc();
                let sign = if secs < 0 { '-' } else { '+' };
                let secs = secs.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", secs / 3600, secs % 3600 / 60)?;
            }
        }
        Ok(())
    }
}

impl std::str::FromStr for QbDateTime {
    type Err = DateTimeError;

    fn from_str(text: &str) -> Result<QbDateTime, DateTimeError> {
        QbDateTime::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_quickbooks_values_unchanged() {
        for text in [
            "2015-11-04T14:39:03-08:00",
            "2026-03-04T09:08:07+00:00",
            "2026-03-04T09:08:07+05:30",
            "2026-03-04T09:08:07",
            "2026-03-04",
        ] {
            assert_eq!(QbDateTime::parse(text).unwrap().to_string(), text);
        }
        let t = QbDateTime::parse("2015-11-04T14:39:03-08:00").unwrap();
        assert_eq!(t.unix(), Some(1_446_676_743));
        assert_eq!(
            QbDateTime::parse("2015-11-04T14:39:03").unwrap().unix(),
            None
        );
        // Shorter forms the schema allows are completed.
        assert_eq!(
            QbDateTime::parse("2026-3-4T9").unwrap().to_string(),
            "2026-03-04T09:00:00"
        );
    }

    #[test]
    fn refuses_what_the_schema_does_not_allow() {
        for bad in [
            "",
            "yesterday",
            "26-03-04",
            "2026-13-01",
            "2026-02-30",
            "2026-03-04T25:00:00",
            "2026-03-04T09:08-08:00",
            "2026-03-04T09:08:07-8",
            "2026-03-04T09:08:07+25:00",
            "2026-03-04T09:08:07:01",
            "2026-03-04 09:08:07",
            "+2026-03-04",
        ] {
            assert!(QbDateTime::parse(bad).is_err(), "{bad}");
        }
        let err = QbDateTime::parse("soon").unwrap_err().to_string();
        assert!(err.contains("2026-03-04T09:08:07-08:00"), "{err}");
    }

    #[test]
    fn an_overlap_keeps_the_offset_and_crosses_days() {
        let t = QbDateTime::parse("2026-03-04T00:30:00-08:00").unwrap();
        let earlier = t.earlier_by(3600);
        assert_eq!(earlier.to_string(), "2026-03-03T23:30:00-08:00");
        assert_eq!(earlier.unix(), t.unix().map(|u| u - 3600));
        assert_eq!(
            QbDateTime::parse("2026-03-04")
                .unwrap()
                .earlier_by(1)
                .to_string(),
            "2026-03-03T23:59:59"
        );
        let back = QbDateTime::from_unix(1_446_676_743, -8 * 3600).unwrap();
        assert_eq!(back.to_string(), "2015-11-04T14:39:03-08:00");
    }
}
