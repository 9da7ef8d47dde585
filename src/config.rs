//! Setup, saved per workspace in `config.toml` (SPEC §4).
//!
//! The structure mirrors the SetUp screen: File Info and the connection, Import, Replace
//! Options, Export. Unknown keys are refused so that a typo is reported instead of ignored.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use toml::de::DeTable;

mod key;

pub use key::{Key, Setting};

use crate::domain::{CustomerStatus, ReplaceGroup};
use crate::files::replace_file;
use crate::store::Workspace;

// The connection's own settings are the qb layer's types; Setup names them.
pub use crate::qb::ConnectionKind;
use crate::qb::connect::ConnectOptions;
pub use crate::qb::webconnector::WebConnectorConfig;

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

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectionConfig {
    pub kind: ConnectionKind,
    pub web_connector: WebConnectorConfig,
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
    /// QuickBooks Customer Type set on exported customers ([`ExportConfig::default_type_for`]
    /// says which).
    pub customer_type: Option<String>,
    /// Whom the default Customer Type is set on.
    pub default_type_for: DefaultTypeFor,
    /// QuickBooks Customer Job (Job Type) set on every exported customer.
    pub job_type: Option<String>,
}

impl Default for ExportConfig {
    fn default() -> Self {
        ExportConfig {
            statuses: CustomerStatus::ALL.into_iter().collect(),
            customer_type: None,
            default_type_for: DefaultTypeFor::default(),
            job_type: None,
        }
    }
}

/// Whom SetUp's export default Customer Type is set on. The seed says exported customers get it
/// "automatically set", so by default every one does; a business whose SMSTurbo customers carry
/// types of their own may keep those instead.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultTypeFor {
    /// Every exported customer, whatever type it has in SMSTurbo.
    #[default]
    Every,
    /// Only exported customers without a Customer Type of their own.
    WithoutType,
}

impl DefaultTypeFor {
    pub const ALL: [DefaultTypeFor; 2] = [DefaultTypeFor::Every, DefaultTypeFor::WithoutType];

    /// How SetUp names the choice.
    pub fn label(self) -> &'static str {
        match self {
            DefaultTypeFor::Every => "every exported customer",
            DefaultTypeFor::WithoutType => "only those without one",
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
    /// Days after which custsync stops trusting its copy of a company's QuickBooks customers
    /// and reads them all again (QuickBooks keeps the records of deleted customers for about
    /// 90 days; an older copy cannot learn every deletion).
    pub mirror_max_age_days: u32,
}

impl Default for SyncTuning {
    fn default() -> Self {
        SyncTuning {
            page_size: 500,
            batch_size: 100,
            mirror_max_age_days: 30,
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

/// The range of [`SyncTuning::page_size`].
pub const PAGE_SIZE_RANGE: std::ops::RangeInclusive<u32> = 1..=10_000;
/// The range of [`SyncTuning::batch_size`]: QuickBooks answers a document only when all of it
/// is processed, so very large batches make a lost response expensive.
pub const BATCH_SIZE_RANGE: std::ops::RangeInclusive<u32> = 1..=500;
/// The range of [`SyncTuning::mirror_max_age_days`]: QuickBooks keeps deletion records for about
/// 90 days, so a mirror older than that cannot be brought up to date; leave a margin.
pub const MIRROR_MAX_AGE_RANGE: std::ops::RangeInclusive<u32> = 1..=80;
/// QuickBooks' limit for a customer type or job type full name.
const TYPE_NAME_MAX: usize = 159;

/// One thing wrong with a setup: where (a setting, shown as its dotted key, e.g.
/// `sync.batch_size`), the line it is on when it came from a file, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupProblem {
    pub key: Key,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for SetupProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.key == Key::None) {
            (Some(line), false) => write!(f, "line {line}, {}: {}", self.key, self.message),
            (Some(line), true) => write!(f, "line {line}: {}", self.message),
            (None, false) => write!(f, "{}: {}", self.key, self.message),
            (None, true) => f.write_str(&self.message),
        }
    }
}

fn problem(setting: Setting, message: impl Into<String>) -> SetupProblem {
    SetupProblem {
        key: Key::Setting(setting),
        line: None,
        message: message.into(),
    }
}

/// A setup is a few kilobytes; a file far larger is not one.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Why a setup could not be loaded or saved. A file that is refused is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "cannot read the setup file {} ({detail}): move it away to start from the defaults, or check its permissions",
        path.display()
    )]
    Read { path: PathBuf, detail: String },
    #[error("{}", invalid_message(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<SetupProblem>,
    },
    #[error(
        "cannot save the setup to {} ({detail}): check that the workspace folder is writable; the previous setup is unchanged",
        path.display()
    )]
    Write { path: PathBuf, detail: String },
}

fn invalid_message(path: &std::path::Path, problems: &[SetupProblem]) -> String {
    let fix = "Fix it in SetUp, or edit the file.";
    match problems {
        [one] => format!("setup {}: {one}. {fix}", path.display()),
        many => {
            let mut s = format!("setup {} has {} problems:", path.display(), many.len());
            for p in many {
                s.push_str(&format!("\n  {p}"));
            }
            s.push_str(&format!("\n{fix}"));
            s
        }
    }
}

impl Config {
    /// Reads `path`; a missing file means the defaults. The file's syntax, types and values
    /// are checked ([`Config::validate`]); paths are not (see [`Config::check_files`]), so a
    /// moved company file never keeps custsync from starting.
    pub fn load(path: &std::path::Path) -> Result<Config, ConfigError> {
        let text = match crate::files::read_text_capped(path, MAX_CONFIG_BYTES) {
            Ok(t) => t,
            Err(crate::files::ReadError::NotFound) => return Ok(Config::default()),
            Err(e) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                });
            }
        };
        Config::parse(&text).map_err(|problems| ConfigError::Invalid {
            path: path.to_path_buf(),
            problems,
        })
    }

    /// Parses and validates a config.toml text. Problems carry their key and line.
    pub fn parse(text: &str) -> Result<Config, Vec<SetupProblem>> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start);
            let key = offset
                .and_then(|o| locate::key_at(text, o))
                .unwrap_or_default();
            vec![SetupProblem {
                key: Key::written(key),
                line: offset.map(|o| locate::line_of(text, o)),
                message: e.message().trim().to_string(),
            }]
        })?;
        let problems = config.validate();
        if problems.is_empty() {
            return Ok(config);
        }
        let doc = DeTable::parse(text).ok();
        Err(problems
            .into_iter()
            .map(|p| SetupProblem {
                line: doc
                    .as_ref()
                    .and_then(|doc| locate::line_of_key(text, doc.get_ref(), p.key.as_str())),
                ..p
            })
            .collect())
    }

    /// Checks the values; each problem names its key and says what to use instead.
    pub fn validate(&self) -> Vec<SetupProblem> {
        let mut problems = Vec::new();
        if self.file_pattern.trim().is_empty() {
            problems.push(problem(
                Setting::FilePattern,
                "the file pattern is empty: use one such as *.QBW",
            ));
        }
        validate_web_connector(&self.connection.web_connector, &mut problems);
        for name in &self.import.include_customer_types {
            if let Err(why) = type_name_problem(name) {
                problems.push(problem(Setting::IncludeCustomerTypes, why));
            }
        }
        for (key, value) in [
            (Setting::ExportCustomerType, &self.export.customer_type),
            (Setting::ExportJobType, &self.export.job_type),
        ] {
            if let Some(Err(why)) = value.as_deref().map(type_name_problem) {
                problems.push(problem(key, format!("{why}; leave it out to set none")));
            }
        }
        for (key, value, range) in [
            (Setting::PageSize, self.sync.page_size, PAGE_SIZE_RANGE),
            (Setting::BatchSize, self.sync.batch_size, BATCH_SIZE_RANGE),
            (
                Setting::MirrorMaxAgeDays,
                self.sync.mirror_max_age_days,
                MIRROR_MAX_AGE_RANGE,
            ),
        ] {
            if !range.contains(&value) {
                problems.push(problem(
                    key,
                    format!(
                        "{value} is out of range: use {} to {}",
                        range.start(),
                        range.end()
                    ),
                ));
            }
        }
        problems
    }

    /// Checks the paths the setup names: the sandbox company file (when set) and the TLS
    /// files. Called when saving from SetUp and before serving the Web Connector.
    pub fn check_files(&self) -> Vec<SetupProblem> {
        let mut problems = Vec::new();
        let company = self.company_file.trim();
        if self.connection.kind == ConnectionKind::Sandbox
            && !company.is_empty()
            && let Err(why) = readable_file(std::path::Path::new(company))
        {
            problems.push(problem(
                Setting::CompanyFile,
                format!(
                    "{why}: pick the company file with the lookup, or create a sandbox company with `custsync sandbox`"
                ),
            ));
        }
        let wc = &self.connection.web_connector;
        for (key, path) in [
            (Setting::WebConnectorTlsCert, &wc.tls_cert),
            (Setting::WebConnectorTlsKey, &wc.tls_key),
        ] {
            if let Some(Err(why)) = path.as_deref().map(readable_file) {
                problems.push(problem(key, format!("{why}: give the path of a PEM file")));
            }
        }
        problems
    }

    /// Writes the setup to `path` atomically (a temporary file renamed over the old one), after
    /// [`Config::validate`] and [`Config::check_files`]: an invalid setup is refused and the
    /// file keeps its previous content.
    pub fn save(&self, path: &std::path::Path) -> Result<(), ConfigError> {
        let mut problems = self.validate();
        problems.extend(self.check_files());
        if !problems.is_empty() {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                problems,
            });
        }
        let write_err = |detail: String| ConfigError::Write {
            path: path.to_path_buf(),
            detail,
        };
        let text = toml::to_string_pretty(self).map_err(|e| write_err(e.to_string()))?;
        replace_file(path, |f| f.write_all(text.as_bytes())).map_err(|e| write_err(e.to_string()))
    }
}

impl Config {
    /// What the connection needs of the setup; the qb layer never sees the rest.
    pub fn connect_options(&self) -> ConnectOptions<'_> {
        ConnectOptions {
            kind: self.connection.kind,
            company_file: &self.company_file,
            web_connector: &self.connection.web_connector,
        }
    }
}

// The workspace keeps its setup in config.toml. These methods are written here rather than in
// `store` so that the store does not depend on the setup (see the layering in DEVELOPERS.md).
impl Workspace {
    /// The setup; defaults when there is no config.toml yet.
    pub fn load_config(&self) -> Result<Config, ConfigError> {
        Config::load(&self.config_path())
    }

    /// Saves the setup after validating it; nothing is written when it is invalid.
    pub fn save_config(&self, config: &Config) -> Result<(), ConfigError> {
        config.save(&self.config_path())
    }
}

fn validate_web_connector(wc: &WebConnectorConfig, problems: &mut Vec<SetupProblem>) {
    match wc.listen.trim().parse::<std::net::SocketAddr>() {
        Err(_) => problems.push(problem(
            Setting::WebConnectorListen,
            format!(
                "\"{}\" is not an address and port: write it like 127.0.0.1:8089",
                wc.listen
            ),
        )),
        Ok(addr) if !addr.ip().is_loopback() && (wc.tls_cert.is_none() || wc.tls_key.is_none()) => {
            problems.push(problem(
                Setting::WebConnectorListen,
                format!(
                    "listening on {addr} lets other computers connect, which needs HTTPS: set tls_cert and tls_key, or listen on 127.0.0.1"
                ),
            ))
        }
        Ok(_) => {}
    }
    match (&wc.tls_cert, &wc.tls_key) {
        (Some(_), None) => problems.push(problem(
            Setting::WebConnectorTlsKey,
            "tls_cert is set but tls_key is not: HTTPS needs both. Set tls_key to the key's PEM file, or remove tls_cert",
        )),
        (None, Some(_)) => problems.push(problem(
            Setting::WebConnectorTlsCert,
            "tls_key is set but tls_cert is not: HTTPS needs both. Set tls_cert to the certificate chain's PEM file, or remove tls_key",
        )),
        _ => {}
    }
    if !wc.path.starts_with('/') || wc.path.chars().any(char::is_whitespace) {
        problems.push(problem(
            Setting::WebConnectorPath,
            format!(
                "\"{}\" is not a URL path: write it like /qbwc (a slash first, no spaces)",
                wc.path
            ),
        ));
    }
    if wc.user_name.trim().is_empty() {
        problems.push(problem(
            Setting::WebConnectorUserName,
            "the Web Connector user name is empty: use one such as custsync",
        ));
    }
}

/// Whether `name` can be a QuickBooks customer type or job type full name.
fn type_name_problem(name: &str) -> Result<(), String> {
    let n = name.trim().chars().count();
    if n == 0 {
        Err("a type name is empty: write the type's name as QuickBooks lists it".to_string())
    } else if n > TYPE_NAME_MAX {
        Err(format!(
            "\"{name}\" is {n} characters long; QuickBooks allows {TYPE_NAME_MAX}: write the type's full name as QuickBooks lists it"
        ))
    } else {
        Ok(())
    }
}

fn readable_file(path: &std::path::Path) -> Result<(), String> {
    use crate::files::ReadError;
    crate::files::open_regular(path)
        .map(|_| ())
        .map_err(|e| match e {
            ReadError::NotFound => format!("{} does not exist", path.display()),
            ReadError::NotAFile(what) => format!("{} is {what}, not a file", path.display()),
            other => format!("{} {other}", path.display()),
        })
}

/// Finding keys and lines in a config.toml text, for messages.
mod locate {
    use toml::Spanned;
    use toml::de::{DeTable, DeValue};

    /// The 1-based line holding byte `offset`.
    pub fn line_of(text: &str, offset: usize) -> usize {
        let end = offset.min(text.len());
        text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// The line where dotted `key` is written in `text` (parsed as `doc`); for a key left out,
    /// the line of the nearest table that is there (e.g. `[sync]`), else none.
    pub fn line_of_key(text: &str, doc: &DeTable<'_>, key: &str) -> Option<usize> {
        let mut table = doc;
        let mut found = None;
        for part in key.split('.') {
            let Some((k, v)) = table.iter().find(|(k, _)| k.get_ref() == part) else {
                break;
            };
            found = Some(k.span().start);
            match v.get_ref() {
                DeValue::Table(t) => table = t,
                _ => break,
            }
        }
        found.map(|o| line_of(text, o))
    }

    /// The dotted key whose name or value covers byte `offset`, deepest first.
    pub fn key_at(text: &str, offset: usize) -> Option<String> {
        let doc = DeTable::parse(text).ok()?;
        let mut path = Vec::new();
        walk(doc.get_ref(), offset, &mut path).then(|| path.join("."))
    }

    fn covers<T>(s: &Spanned<T>, offset: usize) -> bool {
        let span = s.span();
        span.start <= offset && offset < span.end.max(span.start + 1)
    }

    fn walk(table: &DeTable<'_>, offset: usize, path: &mut Vec<String>) -> bool {
        for (k, v) in table.iter() {
            if covers(k, offset) {
                path.push(k.get_ref().to_string());
                return true;
            }
            if let DeValue::Table(t) = v.get_ref() {
                path.push(k.get_ref().to_string());
                if walk(t, offset, path) {
                    return true;
                }
                path.pop();
            }
            if covers(v, offset) {
                path.push(k.get_ref().to_string());
                return true;
            }
        }
        false
    }
}
