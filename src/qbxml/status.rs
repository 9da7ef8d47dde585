//! Status codes carried on every `…Rs` element.

use std::fmt;

/// `statusSeverity` as QuickBooks writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    Info,
    Warn,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "Info",
            Severity::Warn => "Warn",
            Severity::Error => "Error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "Info" => Some(Severity::Info),
            "Warn" | "Warning" => Some(Severity::Warn),
            "Error" => Some(Severity::Error),
            _ => None,
        }
    }

    /// The severity QuickBooks gives a code, from the documented ranges.
    pub fn for_code(code: i32) -> Severity {
        match code {
            0..=499 => Severity::Info,
            500..=999 => Severity::Warn,
            _ => Severity::Error,
        }
    }
}

/// The status of one response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub code: i32,
    pub severity: Severity,
    pub message: String,
}

impl Status {
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        Status {
            code,
            severity: Severity::for_code(code),
            message: message.into(),
        }
    }

    pub fn ok() -> Self {
        Status::new(codes::OK, "Status OK")
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// "Found nothing" and "found some of what you named" are not failures of a query.
    pub fn is_not_found(&self) -> bool {
        self.code == codes::NO_MATCH || self.code == codes::PARTIAL_MATCH
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.code,
            self.severity.as_str(),
            self.message
        )
    }
}

/// The status codes custsync reads or the sandbox writes.
pub mod codes {
    pub const OK: i32 = 0;
    pub const NO_MATCH: i32 = 1;
    pub const PARTIAL_MATCH: i32 = 500;
    pub const INTERNAL_ERROR: i32 = 1000;
    /// A message this QuickBooks (or the sandbox) does not implement.
    pub const UNSUPPORTED: i32 = 1030;
    pub const INVALID_REQUEST_ID: i32 = 1060;
    pub const INVALID_OBJECT_ID: i32 = 3000;
    pub const BOOL_CONVERSION: i32 = 3010;
    pub const DATE_CONVERSION: i32 = 3020;
    pub const INVALID_DATE_RANGE: i32 = 3030;
    pub const STRING_TOO_LONG: i32 = 3070;
    pub const NAME_IN_USE: i32 = 3100;
    pub const OBJECT_NOT_FOUND: i32 = 3120;
    pub const INVALID_REFERENCE: i32 = 3140;
    pub const MISSING_ELEMENT: i32 = 3150;
    pub const LIST_MODIFIED: i32 = 3170;
    pub const RECORD_IN_USE: i32 = 3175;
    pub const CANNOT_LOCK: i32 = 3176;
    pub const SAVE_ERROR: i32 = 3180;
    pub const STALE_EDIT_SEQUENCE: i32 = 3200;
    pub const INVALID_VALUE: i32 = 3210;
    pub const ITERATOR_INVALID: i32 = 3391;
}
