//! The qbXML protocol as data: message types, request writers, response readers, element order
//! and length rules, status codes. Pure: no I/O.

pub mod datetime;
pub mod fields;
pub mod messages;
pub mod order;
pub mod read;
pub mod rules;
pub mod status;
pub mod version;
pub mod write;
pub mod xml;

pub use datetime::{DateTimeError, QbDateTime};
pub use fields::{Amount, CustomerData, Field};
pub use messages::*;
pub use status::{Severity, Status};
pub use version::QbxmlVersion;
