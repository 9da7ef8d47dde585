//! The SMSTurbo side: the workspace's SQLite database (customers, links, outbox, journal).

pub mod model;

pub use model::{Customer, CustomerStatus};
