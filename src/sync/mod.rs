//! The sync core: match, plan (diff), apply, recover. No terminal code.

mod apply;
pub mod engine;
pub mod fault;
pub mod fold;
pub mod index;
pub mod keys;
pub mod likely;
pub mod matching;
pub mod plan;
pub mod problems;
pub mod read;
mod recover;
pub mod relink;
pub mod report;
pub mod scheduled;
pub mod stale;

pub use crate::domain::ReplaceGroup;
pub use engine::{CompanyInfo, Loaded, Planned, Snapshot, SyncEngine};
pub use index::{Ix, IxSlice, LocalIx, QbIx};
pub use plan::{Mode, Plan};
pub use read::{FullReason, ReadKind, ReadRequest, ReadSummary};
pub use report::{
    ApplyOptions, Failure, NoProgress, Phase, Progress, RecoveryReport, Refused, RunReport,
    Selection, SyncError,
};
