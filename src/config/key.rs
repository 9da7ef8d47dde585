//! Where in config.toml a problem is: a setting custsync validates, or a key as the file wrote it.
//! Front ends ask [`Setting::is_web_connector`] instead of matching dotted text.

use std::fmt;

/// A setting of config.toml that validation checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Setting {
    CompanyFile,
    FilePattern,
    WebConnectorListen,
    WebConnectorPath,
    WebConnectorUserName,
    WebConnectorTlsCert,
    WebConnectorTlsKey,
    IncludeCustomerTypes,
    ExportCustomerType,
    ExportJobType,
    PageSize,
    BatchSize,
    MirrorMaxAgeDays,
}

impl Setting {
    pub const ALL: [Setting; 13] = [
        Setting::CompanyFile,
        Setting::FilePattern,
        Setting::WebConnectorListen,
        Setting::WebConnectorPath,
        Setting::WebConnectorUserName,
        Setting::WebConnectorTlsCert,
        Setting::WebConnectorTlsKey,
        Setting::IncludeCustomerTypes,
        Setting::ExportCustomerType,
        Setting::ExportJobType,
        Setting::PageSize,
        Setting::BatchSize,
        Setting::MirrorMaxAgeDays,
    ];

    /// The dotted key, as in the file (`sync.batch_size`).
    pub fn key(self) -> &'static str {
        match self {
            Setting::CompanyFile => "company_file",
            Setting::FilePattern => "file_pattern",
            Setting::WebConnectorListen => "connection.web_connector.listen",
            Setting::WebConnectorPath => "connection.web_connector.path",
            Setting::WebConnectorUserName => "connection.web_connector.user_name",
            Setting::WebConnectorTlsCert => "connection.web_connector.tls_cert",
            Setting::WebConnectorTlsKey => "connection.web_connector.tls_key",
            Setting::IncludeCustomerTypes => "import.include_customer_types",
            Setting::ExportCustomerType => "export.customer_type",
            Setting::ExportJobType => "export.job_type",
            Setting::PageSize => "sync.page_size",
            Setting::BatchSize => "sync.batch_size",
            Setting::MirrorMaxAgeDays => "sync.mirror_max_age_days",
        }
    }

    /// A setting of the Web Connector service (`[connection.web_connector]`), which matters only
    /// when the connection is the Web Connector.
    pub fn is_web_connector(self) -> bool {
        matches!(
            self,
            Setting::WebConnectorListen
                | Setting::WebConnectorPath
                | Setting::WebConnectorUserName
                | Setting::WebConnectorTlsCert
                | Setting::WebConnectorTlsKey
        )
    }
}

/// Where a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    Setting(Setting),
    /// A key as the file has it: a syntax or type error can be at any key, even one custsync
    /// does not know.
    Written(String),
    /// The file as a whole.
    None,
}

impl Key {
    /// The key of a parse error, as the file wrote it (a known setting when it is one).
    pub fn written(key: String) -> Key {
        match Setting::ALL.into_iter().find(|s| s.key() == key) {
            Some(s) => Key::Setting(s),
            None if key.is_empty() => Key::None,
            None => Key::Written(key),
        }
    }

    /// The dotted key; empty for [`Key::None`].
    pub fn as_str(&self) -> &str {
        match self {
            Key::Setting(s) => s.key(),
            Key::Written(k) => k,
            Key::None => "",
        }
    }

    pub fn setting(&self) -> Option<Setting> {
        match self {
            Key::Setting(s) => Some(*s),
            _ => None,
        }
    }
}

impl From<Setting> for Key {
    fn from(s: Setting) -> Key {
        Key::Setting(s)
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_key_is_a_setting_when_custsync_knows_it() {
        for s in Setting::ALL {
            assert_eq!(Key::written(s.key().to_string()), Key::Setting(s));
            assert_eq!(
                s.is_web_connector(),
                s.key().starts_with("connection.web_connector.")
            );
        }
        assert_eq!(
            Key::written("sync.batchsize".into()),
            Key::Written("sync.batchsize".into())
        );
        assert_eq!(Key::written(String::new()), Key::None);
    }
}
