//! The vocabulary every layer above the protocol shares: a customer's status and the Replace
//! Options groups. It sits at the bottom (it needs only `qbxml::Field`) so that the setup, the
//! store and the sync core can all name these types without depending on one another.

mod replace;
mod status;

pub use replace::ReplaceGroup;
pub use status::{CustomerStatus, StatusParseError};
