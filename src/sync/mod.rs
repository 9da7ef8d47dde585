//! The sync core: match, plan (diff), apply. No terminal code.

pub mod groups;

pub use groups::ReplaceGroup;
