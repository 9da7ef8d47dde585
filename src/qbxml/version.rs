//! qbXML specification versions and the choice of which one to write.

use std::fmt;
use std::str::FromStr;

/// A US qbXML specification version such as 13.0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QbxmlVersion {
    pub major: u16,
    pub minor: u16,
}

impl QbxmlVersion {
    pub const fn new(major: u16, minor: u16) -> Self {
        QbxmlVersion { major, minor }
    }

    /// The lowest version custsync writes: iterators, IncludeRetElement, ExternalGUID and the
    /// error-recovery attributes are all present by 13.0, the common floor of current installs.
    pub const MIN: QbxmlVersion = QbxmlVersion::new(13, 0);
    /// The highest version custsync knows the schema of.
    pub const MAX: QbxmlVersion = QbxmlVersion::new(16, 0);

    /// Chooses the highest version both sides support, capped at [`QbxmlVersion::MAX`].
    ///
    /// `supported` is what QuickBooks reported (HostRet's SupportedQBXMLVersion list, or the Web
    /// Connector's qbXMLMajorVers/MinorVers). Non-US strings such as `CA3.0` never parse and are
    /// ignored. Returns `None` when QuickBooks supports nothing at or above [`QbxmlVersion::MIN`].
    pub fn negotiate<'a>(supported: impl IntoIterator<Item = &'a QbxmlVersion>) -> Option<Self> {
        supported
            .into_iter()
            .copied()
            .filter(|v| *v >= Self::MIN)
            .map(|v| v.min(Self::MAX))
            .max()
    }
}

impl fmt::Display for QbxmlVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a qbXML version (expected something like 13.0)")]
pub struct VersionParseError(pub String);

impl FromStr for QbxmlVersion {
    type Err = VersionParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || VersionParseError(s.to_string());
        let (major, minor) = s.trim().split_once('.').ok_or_else(err)?;
        Ok(QbxmlVersion {
            major: major.parse().map_err(|_| err())?,
            minor: minor.parse().map_err(|_| err())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> QbxmlVersion {
        s.parse().unwrap()
    }

    #[test]
    fn negotiates_highest_common_version() {
        let host = [v("1.0"), v("2.1"), v("12.0"), v("13.0")];
        assert_eq!(QbxmlVersion::negotiate(&host), Some(v("13.0")));
        let newer = [v("13.0"), v("16.0"), v("17.0")];
        assert_eq!(QbxmlVersion::negotiate(&newer), Some(v("16.0")));
        let old = [v("8.0"), v("12.0")];
        assert_eq!(QbxmlVersion::negotiate(&old), None);
    }

    #[test]
    fn parses_and_refuses() {
        assert_eq!(v("13.0").to_string(), "13.0");
        assert!("CA3.0".parse::<QbxmlVersion>().is_err());
        assert!("13".parse::<QbxmlVersion>().is_err());
    }
}
