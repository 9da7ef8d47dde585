//! The sync core: match, plan (diff), apply, recover. No terminal code.

mod apply;
pub mod engine;
pub mod fault;
pub mod groups;
pub mod keys;
pub mod likely;
pub mod matching;
pub mod plan;
pub mod problems;
mod recover;
pub mod report;
pub mod scheduled;

pub use engine::{CompanyInfo, Snapshot, SyncEngine};
pub use groups::ReplaceGroup;
pub use plan::{Mode, Plan};
pub use report::{
    ApplyOptions, Failure, NoProgress, Phase, Progress, RecoveryReport, RunReport, Selection,
    SyncError,
};
