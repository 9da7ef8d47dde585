//! Which read a synchronization makes, and why: what custsync says about it ("read 12 changes
//! since 2026-12-06 10:15 (incremental)", "read all 100,000 customers (first synchronization
//! with this company)") and the choice itself, made before anything is sent from what the
//! mirror's state says. Checks that need QuickBooks' answers (a count that differs, a list that
//! went back, deletions refused) give their reasons after the read (see [`super`]).

use std::fmt;

use chrono::{DateTime, Utc};

use crate::qbxml::QbDateTime;
use crate::qbxml::status::Status;
use crate::store::{MirrorState, StoredMirror};

use super::super::CompanyInfo;

/// What the caller asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReadRequest {
    /// Only what changed since the last read, when custsync can be sure of it; all otherwise.
    #[default]
    Changes,
    /// Every customer (`custsync sync --full`, the Synchronize screen's key).
    All,
}

/// Why a read read every customer instead of what changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FullReason {
    /// No mirror of this company file yet.
    FirstRead,
    /// The operator asked for it.
    Requested,
    /// custsync maps fields its mirror lacks.
    FieldsChanged,
    /// QuickBooks reports another company name than at the last read.
    CompanyRenamed { was: String },
    /// The last read is older than `sync.mirror_max_age_days`.
    TooOld { days: i64, limit: u32 },
    /// QuickBooks did not answer `ListDeletedQuery` (now, with its status; or last time).
    NoDeletions { status: Option<Status> },
    /// The last read found no customer, so there is no watermark to read from.
    EmptyBefore,
    /// QuickBooks' list went back: a restored backup, most likely.
    WentBack { detail: String },
    /// After reading the changes, the mirror's count and QuickBooks' differ.
    CountDiffers { mirror: u64, quickbooks: u32 },
}

impl FullReason {
    /// Whether the operator should hear of it beyond the usual line: custsync found something
    /// wrong or surprising (a restored backup, a copy out of step…), not a first read or one
    /// asked for.
    pub fn is_unexpected(&self) -> bool {
        !matches!(
            self,
            FullReason::FirstRead | FullReason::Requested | FullReason::EmptyBefore
        )
    }

    /// A stable key for `--json`.
    pub fn key(&self) -> &'static str {
        match self {
            FullReason::FirstRead => "first_read",
            FullReason::Requested => "requested",
            FullReason::FieldsChanged => "fields_changed",
            FullReason::CompanyRenamed { .. } => "company_renamed",
            FullReason::TooOld { .. } => "too_old",
            FullReason::NoDeletions { .. } => "no_deletions",
            FullReason::EmptyBefore => "empty_before",
            FullReason::WentBack { .. } => "went_back",
            FullReason::CountDiffers { .. } => "count_differs",
        }
    }
}

impl fmt::Display for FullReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FullReason::FirstRead => f.write_str("first synchronization with this company"),
            FullReason::Requested => f.write_str("as asked"),
            FullReason::FieldsChanged => {
                f.write_str("this custsync reads fields its copy of the list lacks")
            }
            FullReason::CompanyRenamed { was } => {
                write!(
                    f,
                    "the company was named \"{was}\" at the last synchronization"
                )
            }
            FullReason::TooOld { days, limit } => write!(
                f,
                "the last synchronization was {days} days ago, more than the {limit} of \
                 sync.mirror_max_age_days"
            ),
            FullReason::NoDeletions { status: Some(s) } => write!(
                f,
                "QuickBooks did not say which customers were deleted (ListDeletedQuery: {s})"
            ),
            FullReason::NoDeletions { status: None } => f.write_str(
                "QuickBooks did not say which customers were deleted at the last synchronization",
            ),
            FullReason::EmptyBefore => {
                f.write_str("QuickBooks had no customers at the last synchronization")
            }
            FullReason::WentBack { detail } => write!(
                f,
                "QuickBooks' customer list went back in time, as after restoring a backup: \
                 {detail}"
            ),
            FullReason::CountDiffers { mirror, quickbooks } => write!(
                f,
                "custsync's copy of the list held {} customers but QuickBooks has {}",
                grouped(*mirror),
                grouped(u64::from(*quickbooks))
            ),
        }
    }
}

/// Which read was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadKind {
    Full(FullReason),
    /// Changes since `since`: the watermark, the newest TimeModified the last read returned
    /// (the read itself started an overlap earlier).
    Incremental {
        since: QbDateTime,
    },
}

/// What a read did, for the operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadSummary {
    pub kind: ReadKind,
    /// Incremental: customers added or changed since, and customers deleted since. Full: how
    /// many were read, and 0.
    pub changed: usize,
    pub deleted: usize,
    /// Customers (jobs included) QuickBooks has now, as planning sees them.
    pub customers: usize,
}

impl ReadSummary {
    pub fn is_incremental(&self) -> bool {
        matches!(self.kind, ReadKind::Incremental { .. })
    }

    /// Changes read: customers added or changed, and deleted.
    pub fn changes(&self) -> usize {
        self.changed + self.deleted
    }
}

impl fmt::Display for ReadSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ReadKind::Incremental { since } => {
                let since = since.naive().format("%Y-%m-%d %H:%M");
                match self.changes() {
                    0 => write!(f, "no changes since {since} (incremental)"),
                    1 => write!(f, "read 1 change since {since} (incremental)"),
                    n => write!(
                        f,
                        "read {} changes since {since} (incremental)",
                        grouped(n as u64)
                    ),
                }
            }
            ReadKind::Full(reason) => {
                let n = self.customers;
                let what = if n == 1 { "customer" } else { "customers" };
                write!(f, "read all {} {what} ({reason})", grouped(n as u64))
            }
        }
    }
}

/// `100000` → `100,000`.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Decides, before anything is sent, whether the mirror can be read incrementally: returns its
/// state and watermark, or why every customer must be read.
pub(super) fn decide<'m>(
    stored: Option<&'m StoredMirror>,
    company: &CompanyInfo,
    request: ReadRequest,
    max_age_days: u32,
    now: DateTime<Utc>,
) -> Result<(&'m MirrorState, QbDateTime), FullReason> {
    let Some(stored) = stored else {
        return Err(FullReason::FirstRead);
    };
    let state = &stored.state;
    if request == ReadRequest::All {
        return Err(FullReason::Requested);
    }
    if !stored.fields_current {
        return Err(FullReason::FieldsChanged);
    }
    if state.company_name != company.name {
        return Err(FullReason::CompanyRenamed {
            was: state.company_name.clone(),
        });
    }
    if !state.deletions {
        return Err(FullReason::NoDeletions { status: None });
    }
    let days = (now - state.read_at).num_days();
    if days >= i64::from(max_age_days) {
        return Err(FullReason::TooOld {
            days,
            limit: max_age_days,
        });
    }
    // A watermark custsync cannot read back is as good as none.
    match state.watermark.as_deref().map(QbDateTime::parse) {
        Some(Ok(w)) => Ok((state, w)),
        _ => Err(FullReason::EmptyBefore),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Newest;

    fn company() -> CompanyInfo {
        CompanyInfo {
            name: "Acme".into(),
            file: "A.QBW".into(),
            ..CompanyInfo::default()
        }
    }

    fn stored() -> StoredMirror {
        StoredMirror {
            state: MirrorState {
                company: "A.QBW".into(),
                company_name: "Acme".into(),
                watermark: Some("2026-12-06T10:15:00-08:00".into()),
                overlap_secs: 3600,
                list_seq_floor: Some(0x8000_0010),
                newest: Some(Newest {
                    list_id: "80000010-1".into(),
                    edit_sequence: "1".into(),
                }),
                read_at: "2026-12-06T18:16:00Z".parse().unwrap(),
                deletions: true,
            },
            fields_current: true,
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-12-07T09:00:00Z".parse().unwrap()
    }

    fn reason(stored: Option<&StoredMirror>, request: ReadRequest) -> Option<FullReason> {
        decide(stored, &company(), request, 30, now()).err()
    }

    #[test]
    fn a_current_mirror_is_read_from_its_watermark() {
        let s = stored();
        let (state, since) = decide(Some(&s), &company(), ReadRequest::Changes, 30, now()).unwrap();
        assert_eq!(state, &s.state);
        assert_eq!(since.to_string(), "2026-12-06T10:15:00-08:00");
    }

    #[test]
    fn every_doubt_reads_everything_and_says_why() {
        assert_eq!(
            reason(None, ReadRequest::Changes),
            Some(FullReason::FirstRead)
        );
        let s = stored();
        assert_eq!(
            reason(Some(&s), ReadRequest::All),
            Some(FullReason::Requested)
        );
        let mut old_fields = stored();
        old_fields.fields_current = false;
        assert_eq!(
            reason(Some(&old_fields), ReadRequest::Changes),
            Some(FullReason::FieldsChanged)
        );
        let mut renamed = stored();
        renamed.state.company_name = "Other".into();
        assert_eq!(
            reason(Some(&renamed), ReadRequest::Changes),
            Some(FullReason::CompanyRenamed {
                was: "Other".into()
            })
        );
        let mut no_deletions = stored();
        no_deletions.state.deletions = false;
        assert_eq!(
            reason(Some(&no_deletions), ReadRequest::Changes),
            Some(FullReason::NoDeletions { status: None })
        );
        let mut old = stored();
        old.state.read_at = "2026-11-07T09:00:00Z".parse().unwrap();
        assert_eq!(
            reason(Some(&old), ReadRequest::Changes),
            Some(FullReason::TooOld {
                days: 30,
                limit: 30
            })
        );
        old.state.read_at = "2026-11-07T09:00:01Z".parse().unwrap();
        assert_eq!(reason(Some(&old), ReadRequest::Changes), None);
        let mut empty = stored();
        empty.state.watermark = None;
        assert_eq!(
            reason(Some(&empty), ReadRequest::Changes),
            Some(FullReason::EmptyBefore)
        );
    }

    #[test]
    fn the_summary_reads_as_the_operator_is_told() {
        let incremental = ReadSummary {
            kind: ReadKind::Incremental {
                since: QbDateTime::parse("2026-12-06T10:15:42-08:00").unwrap(),
            },
            changed: 10,
            deleted: 2,
            customers: 100_000,
        };
        assert_eq!(
            incremental.to_string(),
            "read 12 changes since 2026-12-06 10:15 (incremental)"
        );
        let full = ReadSummary {
            kind: ReadKind::Full(FullReason::FirstRead),
            changed: 100_000,
            deleted: 0,
            customers: 100_000,
        };
        assert_eq!(
            full.to_string(),
            "read all 100,000 customers (first synchronization with this company)"
        );
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
