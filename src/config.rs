//! Setup, saved per workspace in `config.toml` (SPEC §4).
//!
//! The structure mirrors the SetUp screen: File Info and the connection, Import, Replace
//! Options, Export. Unknown keys are refused so that a typo is reported instead of ignored.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::store::CustomerStatus;
use crate::sync::ReplaceGroup;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// File Info: the company file. For the Web Connector it is sent as typed (it may be a
    /// Windows path); empty means "the file QuickBooks has open".
    pub company_file: String,
    /// The file picker's pattern, e.g. `*.QBW` (case-insensitive).
    pub file_pattern: String,
    pub connection: ConnectionConfig,
    pub import: ImportConfig,
    pub replace: ReplaceConfig,
    pub export: ExportConfig,
    pub sync: SyncTuning,
    pub schedule: ScheduleConfig,
    pub ui: UiConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            company_file: String::new(),
            file_pattern: "*.QBW".to_string(),
            connection: ConnectionConfig::default(),
            import: ImportConfig::default(),
            replace: ReplaceConfig::default(),
            export: ExportConfig::default(),
            sync: SyncTuning::default(),
            schedule: ScheduleConfig::default(),
            ui: UiConfig::default(),
        }
    }
}

/// Which QuickBooks custsync talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKind {
    /// The simulated company in the file named by `company_file`.
    #[default]
    Sandbox,
    /// A real QuickBooks Desktop through the QuickBooks Web Connector.
    WebConnector,
}

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectionConfig {
    pub kind: ConnectionKind,
    pub web_connector: WebConnectorConfig,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebConnectorConfig {
    /// Address to listen on; loopback unless TLS files are configured.
    pub listen: String,
    /// URL path of the SOAP endpoint.
    pub path: String,
    /// The user name the Web Connector sends (the `.qwc` UserName).
    pub user_name: String,
    /// PEM certificate chain and key for HTTPS.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

impl Default for WebConnectorConfig {
    fn default() -> Self {
        WebConnectorConfig {
            listen: "127.0.0.1:8089".to_string(),
            path: "/qbwc".to_string(),
            user_name: "custsync".to_string(),
            tls_cert: None,
            tls_key: None,
        }
    }
}

/// Import – Include Customer Types: when not empty, only QuickBooks customers of these types (or
/// their sub-types) are listed and imported.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImportConfig {
    pub include_customer_types: Vec<String>,
}

/// Replace Options: the groups of fields QuickBooks may overwrite in SMSTurbo for a
/// not-in-sync pair.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReplaceConfig {
    pub groups: BTreeSet<ReplaceGroup>,
}

/// Export: which SMSTurbo customers are offered, and what every exported customer gets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExportConfig {
    pub statuses: BTreeSet<CustomerStatus>,
    /// QuickBooks Customer Type set on every exported customer.
    pub customer_type: Option<String>,
    /// QuickBooks Customer Job (Job Type) set on every exported customer.
    pub job_type: Option<String>,
}

impl Default for ExportConfig {
    fn default() -> Self {
        ExportConfig {
            statuses: CustomerStatus::ALL.into_iter().collect(),
            customer_type: None,
            job_type: None,
        }
    }
}

/// How custsync pages and batches its requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyncTuning {
    /// Customers per CustomerQuery iterator page.
    pub page_size: u32,
    /// CustomerAdd requests per document.
    pub batch_size: u32,
}

impl Default for SyncTuning {
    fn default() -> Self {
        SyncTuning {
            page_size: 500,
            batch_size: 100,
        }
    }
}

/// What an unattended run (`custsync serve`) does. By default nothing.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleConfig {
    /// Export every missing SMSTurbo customer whose status is allowed.
    pub export_missing: bool,
    /// Import every missing QuickBooks customer of the included types.
    pub import_missing: bool,
    /// Apply the Replace Options to not-in-sync pairs.
    pub apply_replace: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiConfig {
    /// Mouse support (click, wheel); off by default for SSH users.
    pub mouse: bool,
}
