//! Stale links: what custsync does when QuickBooks changes underneath a link (SPEC §3).
//!
//! A stored link whose QuickBooks customer is gone (deleted, or merged into another: QuickBooks
//! keeps one ListID and deletes the other) or has become a job (same ListID, now under a parent)
//! is *stale*. Exporting its customer again would make the duplicate users fear most (a merged
//! customer back as a copy of its survivor; a job beside a top-level twin); importing or
//! relinking a look-alike by the weaker rules could join two different customers. So a stale
//! link is never exported, imported or relinked automatically: it becomes a row that says what
//! happened in plain words and offers the ways out, for the operator to choose: link to a
//! candidate (a merge's survivor usually carries the same account number or name), add to
//! QuickBooks again (explicit, confirmed), or unlink and keep the customer in SMSTurbo only.
//!
//! Telling "deleted" from "merged": QuickBooks' ListDeletedQuery (ListDelType Customer) lists a
//! merged-away customer exactly like a deleted one (reference: "Incremental reads…"), so a
//! deletion record alone says "deleted or merged". "Merged" is only ever inferred, from a
//! survivor candidate, and worded as a guess. Where QuickBooks will not answer the query (a
//! status saying it cannot), the run goes on and the reason says "deleted or merged".

use rustc_hash::FxHashSet;

use crate::qbxml::status::Status;
use crate::qbxml::{CustomerRet, Field, ListDeletedRet};
use crate::store::Link;

use super::index::{LocalIx, QbIx};
use super::matching::MatchedBy;

/// What QuickBooks said about the linked ListIDs it no longer lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Deletions {
    /// Every linked ListID was listed: nothing to look up.
    #[default]
    NotAsked,
    /// QuickBooks' deletion records for the linked ListIDs it no longer lists: those it keeps
    /// (about 90 days), and those the mirror kept from earlier reads.
    Known(Vec<ListDeletedRet>),
    /// QuickBooks would not say (its status, in plain words).
    Unavailable(String),
}

impl Deletions {
    fn record(&self, list_id: &str) -> Option<&ListDeletedRet> {
        match self {
            Deletions::Known(records) => records.iter().find(|d| d.list_id == list_id),
            _ => None,
        }
    }
}

/// What QuickBooks said about the linked ListIDs missing from `qb`, from the deletion records
/// the read brought (`known`: every deletion the mirror knows of, or the status QuickBooks
/// refused `ListDeletedQuery` with). The read asks QuickBooks once ([`super::read`]): this asks
/// nothing more. A refusal (this QuickBooks does not report deletions) does not fail the
/// synchronization; it matters only when a linked ListID is missing.
pub fn deletions(
    links: &[Link],
    qb: &[CustomerRet],
    known: &Result<Vec<ListDeletedRet>, Status>,
) -> Deletions {
    if links.is_empty() {
        return Deletions::NotAsked;
    }
    let listed: FxHashSet<&str> = qb.iter().map(|c| c.list_id.as_str()).collect();
    let missing: FxHashSet<&str> = links
        .iter()
        .map(|l| l.list_id.as_str())
        .filter(|id| !listed.contains(id))
        .collect();
    if missing.is_empty() {
        return Deletions::NotAsked;
    }
    match known {
        Ok(records) => Deletions::Known(
            records
                .iter()
                .filter(|d| missing.contains(d.list_id.as_str()))
                .cloned()
                .collect(),
        ),
        Err(status) => Deletions::Unavailable(format!(
            "QuickBooks did not say which customers it deleted (status {}: {})",
            status.code, status.message
        )),
    }
}

/// Why a link is stale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StaleReason {
    /// The linked customer is now a job (sub-customer) of `parent`.
    NowJob { parent: String },
    /// QuickBooks' deletion record has the ListID: deleted, or merged into another customer.
    Deleted { at: Option<String> },
    /// Not listed, and no deletion record: QuickBooks forgets deletions after about 90 days.
    NoRecord,
    /// Not listed, and QuickBooks would not say whether it deleted it.
    Unreported,
}

impl StaleReason {
    /// Why the link of `list_id` is stale: `job` is the record when the ListID is still listed.
    pub fn of(list_id: &str, job: Option<&CustomerRet>, deletions: &Deletions) -> StaleReason {
        if let Some(job) = job {
            let parent = job
                .parent
                .as_ref()
                .and_then(|p| p.full_name.clone())
                .or_else(|| {
                    job.full_name
                        .as_deref()
                        .and_then(|f| f.rsplit_once(':'))
                        .map(|(p, _)| p.to_string())
                })
                .unwrap_or_else(|| "another customer".to_string());
            return StaleReason::NowJob { parent };
        }
        match (deletions.record(list_id), deletions) {
            (Some(d), _) => StaleReason::Deleted {
                at: d.time_deleted.as_deref().map(day),
            },
            (None, Deletions::Known(_)) => StaleReason::NoRecord,
            (None, _) => StaleReason::Unreported,
        }
    }

    /// A short key for machines (`--json`).
    pub fn key(&self) -> &'static str {
        match self {
            StaleReason::NowJob { .. } => "now_a_job",
            StaleReason::Deleted { .. } => "deleted_or_merged",
            StaleReason::NoRecord | StaleReason::Unreported => "gone",
        }
    }

    /// What happened, in plain words, with what the candidates suggest (`candidates`: their
    /// display names and why each is one).
    pub fn describe(&self, candidates: &[(String, MatchedBy)]) -> String {
        let gone = "QuickBooks no longer has the customer this was linked to";
        let mut text = match self {
            StaleReason::NowJob { parent } => format!(
                "the QuickBooks customer this was linked to is now a job of '{parent}' (a job is \
                 not an SMSTurbo customer)"
            ),
            StaleReason::Deleted { at } => format!(
                "{gone}: deleted or merged{} (QuickBooks records a merge as a deletion)",
                at.as_deref()
                    .map_or_else(String::new, |d| format!(" on {d}"))
            ),
            StaleReason::NoRecord => format!(
                "{gone}: deleted or merged (QuickBooks keeps no record of it any more: it forgets \
                 deletions after about 90 days)"
            ),
            StaleReason::Unreported => format!("{gone}: deleted or merged"),
        };
        match candidates {
            [] => {}
            [(name, by)] => {
                let guess = match self {
                    StaleReason::NowJob { .. } => "it may be the customer to link to instead",
                    _ => "if it was merged, that is the customer it was merged into",
                };
                text.push_str(&format!(
                    "; QuickBooks' '{name}' has the {} — {guess}",
                    match by {
                        MatchedBy::AccountNumber => "same account number",
                        _ => "same name",
                    }
                ));
            }
            many => {
                let names: Vec<String> = many.iter().map(|(n, _)| format!("'{n}'")).collect();
                text.push_str(&format!(
                    "; these QuickBooks customers have the same account number or name: {}",
                    names.join(", ")
                ));
            }
        }
        text
    }
}

/// What adding the customer of a stale link (`reason`), or of one kept local only (`None`), to
/// QuickBooks again may do: the confirmation names it before the operator agrees.
pub fn risk_of_adding_again(reason: Option<&StaleReason>, name: &str) -> String {
    match reason {
        Some(StaleReason::NowJob { parent }) => format!(
            "QuickBooks keeps the job '{parent}:{name}'; adding '{name}' again makes a second, \
             top-level customer for it: the same customer twice in QuickBooks."
        ),
        Some(_) => format!(
            "If a QuickBooks user merged '{name}' into another customer, that customer would be \
             in QuickBooks twice. Add it again only if it was deleted and should come back; a \
             duplicate in QuickBooks is hard to undo."
        ),
        None => format!(
            "'{name}' was kept in SMSTurbo only for this company; adding it makes it a QuickBooks \
             customer. If QuickBooks has it under another name, it would be there twice."
        ),
    }
}

/// `2026-03-04T09:00:00-05:00` → `2026-03-04` (the day is what an operator needs).
fn day(time: &str) -> String {
    time.get(..10).unwrap_or(time).to_string()
}

/// A QuickBooks customer that could be a stale link's customer, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub qb: QbIx,
    pub by: MatchedBy,
}

/// A stale link as matching finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaleLink {
    pub local: LocalIx,
    pub list_id: String,
    /// The record, now a job, when QuickBooks still lists the ListID.
    pub job: Option<QbIx>,
    /// Top-level QuickBooks customers matched to nobody else with the same account number as
    /// the code, or the same name: a merge's survivor is usually one of them.
    pub candidates: Vec<Candidate>,
}

/// How a candidate is named to the operator: `Acme Inc (ACME1)`.
pub fn candidate_name(ret: &CustomerRet) -> String {
    let name = ret.data.get(Field::Name).unwrap_or("");
    match ret.data.get(Field::AccountNumber) {
        Some(a) if !a.trim().is_empty() => format!("{name} ({a})"),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qbxml::ListRef;

    #[test]
    fn a_job_names_its_parent_and_a_deletion_its_day() {
        let job = CustomerRet {
            list_id: "1-1".into(),
            parent: Some(ListRef {
                list_id: Some("2-2".into()),
                full_name: Some("New Owner Holdings".into()),
            }),
            sublevel: Some(1),
            ..Default::default()
        };
        let r = StaleReason::of("1-1", Some(&job), &Deletions::NotAsked);
        assert_eq!(
            r.describe(&[]),
            "the QuickBooks customer this was linked to is now a job of 'New Owner Holdings' (a \
             job is not an SMSTurbo customer)"
        );
        let deleted = Deletions::Known(vec![ListDeletedRet {
            list_id: "1-1".into(),
            time_deleted: Some("2026-03-04T09:00:00-05:00".into()),
            ..Default::default()
        }]);
        let r = StaleReason::of("1-1", None, &deleted);
        assert_eq!(
            r,
            StaleReason::Deleted {
                at: Some("2026-03-04".into())
            }
        );
        let text = r.describe(&[("Acme Inc (ACME1)".into(), MatchedBy::AccountNumber)]);
        assert!(text.contains("deleted or merged on 2026-03-04"), "{text}");
        assert!(
            text.contains("'Acme Inc (ACME1)' has the same account number — if it was merged"),
            "{text}"
        );
        assert_eq!(
            StaleReason::of("9-9", None, &deleted),
            StaleReason::NoRecord
        );
        assert_eq!(
            StaleReason::of("9-9", None, &Deletions::Unavailable("no".into())),
            StaleReason::Unreported
        );
    }
}
