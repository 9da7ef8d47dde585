//! HRESULTs of the QuickBooks request processor (QBXMLRP2) that custsync can meet.
//!
//! The value is 0x80040000 + the processor's string ID. Their plain-words explanations live in
//! [`super::explain`].

pub const PARSE_ERROR: u32 = 0x8004_0400;
pub const COULD_NOT_ACCESS: u32 = 0x8004_0401;
pub const UNEXPECTED: u32 = 0x8004_0402;
pub const COULD_NOT_OPEN_FILE: u32 = 0x8004_0403;
pub const COULD_NOT_START_QB: u32 = 0x8004_0408;
pub const OTHER_FILE_OPEN: u32 = 0x8004_040A;
pub const INVALID_TICKET: u32 = 0x8004_040D;
pub const WRONG_FILE_MODE: u32 = 0x8004_0410;
pub const ROLLBACK_NOT_SUPPORTED: u32 = 0x8004_0413;
pub const MODAL_DIALOG_OPEN: u32 = 0x8004_0414;
pub const QB_NOT_RUNNING_NEED_FILE: u32 = 0x8004_0416;
pub const NO_FILE_OPEN_NEED_FILE: u32 = 0x8004_0417;
pub const NEVER_AUTHORIZED: u32 = 0x8004_0418;
pub const NO_PERMISSION: u32 = 0x8004_041A;
pub const AUTO_LOGIN_NOT_ALLOWED: u32 = 0x8004_041D;
pub const ACCESS_DENIED: u32 = 0x8004_0420;
pub const SINGLE_USER_CONFLICT: u32 = 0x8004_0422;
pub const VERSION_NOT_SUPPORTED: u32 = 0x8004_0423;
pub const NOT_READY: u32 = 0x8004_0424;
pub const WRONG_API: u32 = 0x8004_0429;
pub const LOGIN_NOT_COMPLETED: u32 = 0x8004_042D;
pub const AUTO_LOGIN_FAILED: u32 = 0x8004_0430;
pub const REAUTHORIZE_AUTO_LOGIN: u32 = 0x8004_0435;

/// `0x80040400`, the way QuickBooks and the Web Connector print HRESULTs.
pub fn format(code: u32) -> String {
    format!("0x{code:08X}")
}

/// Reads `0x80040408`, `80040408` or a signed decimal (`-2147220472`, as some logs print them).
pub fn parse(text: &str) -> Option<u32> {
    let t = text.trim();
    let hex = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    if hex.len() == 8
        && let Ok(v) = u32::from_str_radix(hex, 16)
    {
        return Some(v);
    }
    t.parse::<i32>().ok().map(|v| v as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        assert_eq!(format(AUTO_LOGIN_NOT_ALLOWED), "0x8004041D");
        assert_eq!(parse("0x8004041D"), Some(AUTO_LOGIN_NOT_ALLOWED));
        assert_eq!(parse("8004041d"), Some(AUTO_LOGIN_NOT_ALLOWED));
        assert_eq!(parse("-2147220472"), Some(COULD_NOT_START_QB));
        assert_eq!(parse("nonsense"), None);
    }
}
