//! The sync core: match, plan (diff), apply. No terminal code.

pub mod fault;
pub mod groups;
pub mod keys;
pub mod matching;
pub mod plan;
pub mod problems;

pub use groups::ReplaceGroup;
