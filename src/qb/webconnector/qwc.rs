//! The `.qwc` file (QBWCXML) that adds custsync to the QuickBooks Web Connector, and the rules
//! the Web Connector applies to its URLs.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::qb::APP_NAME;
use crate::qbxml::xml::XmlWriter;

use crate::qb::guid::Guid;

/// Shown in the Web Connector's list and its authorization prompt (kept under 80 characters).
pub const APP_DESCRIPTION: &str =
    "custsync: keeps the SMSTurbo customer list in step with QuickBooks";

/// The workspace file keeping the OwnerID/FileID pair, so that writing the `.qwc` again yields
/// the same application instead of a duplicate the Web Connector refuses (QBWC1039).
pub const IDS_FILE: &str = "webconnector-ids.toml";

/// Longest scheduler interval offered: one week.
pub const MAX_EVERY_MINUTES: u32 = 7 * 24 * 60;

#[derive(Debug, thiserror::Error)]
pub enum QwcError {
    #[error("the URL \"{url}\" {problem}")]
    BadUrl { url: String, problem: String },
    #[error(
        "the user name \"{0}\" cannot be used: it must be non-empty and contain no control \
         characters; set web_connector.user_name in config.toml"
    )]
    BadUserName(String),
    #[error("--every-minutes must be between 1 and {MAX_EVERY_MINUTES}, not {0}")]
    BadInterval(u32),
    #[error(
        "could not read {path}: {detail}; delete it to make new IDs (the Web Connector will then see custsync as a new application)"
    )]
    BadIds { path: PathBuf, detail: String },
    #[error("could not save {path}: {source}; check that the workspace folder is writable")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A checked AppURL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppUrl {
    pub url: String,
    pub https: bool,
    pub host: String,
    pub port: Option<u16>,
    pub path: String,
}

impl AppUrl {
    /// Checks the Web Connector's rules: https unless the host is `localhost` (QBWC1010,
    /// QBWC1051), a host name rather than an IP address (QBWC1001), no user information.
    pub fn parse(url: &str) -> Result<Self, QwcError> {
        let bad = |problem: &str| QwcError::BadUrl {
            url: url.to_string(),
            problem: problem.to_string(),
        };
        let url = url.trim();
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| bad("is not a full URL; write it like https://sync.example.com/qbwc"))?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(bad("must start with https:// (or http:// for localhost)")),
        };
        if rest.contains(['#', '?']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad(
                "must not contain spaces, a query (?) or a fragment (#)",
            ));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, "/"),
        };
        if authority.contains('@') {
            return Err(bad(
                "must not contain a user name or password; the Web Connector asks for the \
                 password itself",
            ));
        }
        if authority.starts_with('[') {
            return Err(bad(
                "uses an IP address; the Web Connector refuses those (QBWC1001) — use a host name",
            ));
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => {
                let port = p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                    bad(
                        "has a port that is not a number from 1 to 65535; write it like \
                             https://sync.example.com:8089/qbwc",
                    )
                })?;
                (h, Some(port))
            }
            None => (authority, None),
        };
        if host.is_empty() {
            return Err(bad(
                "has no host name; write it like https://sync.example.com/qbwc",
            ));
        }
        if host.parse::<Ipv4Addr>().is_ok() || host.parse::<Ipv6Addr>().is_ok() {
            return Err(bad(
                "uses an IP address; the Web Connector refuses those (QBWC1001) — use a host \
                 name (localhost for this computer)",
            ));
        }
        let host_ok = host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        if !host_ok {
            return Err(bad(
                "has a host name that is not valid; use letters, digits, hyphens and dots, e.g. \
                 sync.example.com",
            ));
        }
        let localhost = host.eq_ignore_ascii_case("localhost");
        if !https && !localhost {
            return Err(bad(
                "must use https:// — the Web Connector accepts plain http only for localhost \
                 (QBWC1010/QBWC1051); serve HTTPS by setting tls_cert and tls_key in config.toml",
            ));
        }
        Ok(AppUrl {
            url: url.to_string(),
            https,
            host: host.to_string(),
            port,
            path: path.to_string(),
        })
    }

    /// The support page on the same host (the Web Connector requires the same domain and an
    /// HTTP 200 there; custsync's server answers it).
    pub fn support_url(&self) -> String {
        format!("{}/support", self.url.trim_end_matches('/'))
    }
}

/// The OwnerID/FileID pair, made once per workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QwcIds {
    pub owner_id: Guid,
    pub file_id: Guid,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IdsFile {
    owner_id: String,
    file_id: String,
}

impl QwcIds {
    /// Reads the workspace's IDs, making and saving them the first time.
    pub fn load_or_create(workspace: &Path) -> Result<Self, QwcError> {
        let path = workspace.join(IDS_FILE);
        match crate::files::read_text_capped(&path, 4096) {
            Ok(text) => Self::parse(&text).map_err(|detail| QwcError::BadIds { path, detail }),
            Err(crate::files::ReadError::NotFound) => {
                let ids = QwcIds {
                    owner_id: Guid::random(),
                    file_id: Guid::random(),
                };
                ids.save(&path)?;
                Ok(ids)
            }
            Err(e) => Err(QwcError::BadIds {
                path,
                detail: e.to_string(),
            }),
        }
    }

    fn parse(text: &str) -> Result<Self, String> {
        let f: IdsFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let guid = |s: &str, what: &str| {
            Guid::parse(s).ok_or_else(|| format!("{what} \"{s}\" is not a GUID"))
        };
        Ok(QwcIds {
            owner_id: guid(&f.owner_id, "owner_id")?,
            file_id: guid(&f.file_id, "file_id")?,
        })
    }

    fn save(&self, path: &Path) -> Result<(), QwcError> {
        let text = format!(
            "# The Web Connector identifies custsync by this pair; keep it to avoid QBWC1039.\n\
             owner_id = \"{}\"\nfile_id = \"{}\"\n",
            self.owner_id.braced_upper(),
            self.file_id.braced_upper()
        );
        let write = |source| QwcError::Write {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(write)?;
        }
        std::fs::write(path, text).map_err(write)
    }
}

/// Everything that goes into a `.qwc` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QwcSpec {
    pub url: AppUrl,
    pub user_name: String,
    pub ids: QwcIds,
    pub every_minutes: Option<u32>,
}

impl QwcSpec {
    pub fn new(
        url: AppUrl,
        user_name: &str,
        ids: QwcIds,
        every_minutes: Option<u32>,
    ) -> Result<Self, QwcError> {
        if user_name.trim().is_empty() || user_name.chars().any(char::is_control) {
            return Err(QwcError::BadUserName(user_name.to_string()));
        }
        if let Some(n) = every_minutes
            && !(1..=MAX_EVERY_MINUTES).contains(&n)
        {
            return Err(QwcError::BadInterval(n));
        }
        Ok(QwcSpec {
            url,
            user_name: user_name.to_string(),
            ids,
            every_minutes,
        })
    }

    /// The QBWCXML document, one element per line for people who open it.
    pub fn to_xml(&self) -> String {
        let support = self.url.support_url();
        let owner = self.ids.owner_id.braced_upper();
        let file = self.ids.file_id.braced_upper();
        let mut w = XmlWriter::with_capacity(1024);
        w.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        w.start("QBWCXML");
        let leaves: [(&'static str, &str); 8] = [
            ("AppName", APP_NAME),
            ("AppID", ""),
            ("AppURL", &self.url.url),
            ("AppDescription", APP_DESCRIPTION),
            ("AppSupport", &support),
            ("UserName", &self.user_name),
            ("OwnerID", &owner),
            ("FileID", &file),
        ];
        for (name, value) in leaves {
            w.raw("\n  ").leaf(name, value);
        }
        w.raw("\n  ").leaf("QBType", "QBFS");
        if let Some(n) = self.every_minutes {
            w.raw("\n  ").start("Scheduler");
            w.leaf("RunEveryNMinutes", &n.to_string()).end();
        }
        w.raw("\n  ").leaf("IsReadOnly", "false");
        w.raw("\n  ").leaf("PersonalDataPref", "pdpNotNeeded");
        w.raw("\n  ").leaf("UnattendedModePref", "umpOptional");
        w.raw("\n").end();
        let mut out = w.finish();
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_the_web_connector_url_rules() {
        let ok = AppUrl::parse("https://sync.acme.example:8443/qbwc").unwrap();
        assert_eq!(ok.host, "sync.acme.example");
        assert_eq!(ok.port, Some(8443));
        assert_eq!(
            ok.support_url(),
            "https://sync.acme.example:8443/qbwc/support"
        );
        assert!(AppUrl::parse("http://localhost:8089/qbwc").is_ok());
        assert!(AppUrl::parse("http://LOCALHOST/qbwc").is_ok());
        for (url, why) in [
            ("http://sync.acme.example/qbwc", "https"),
            ("https://192.168.1.20/qbwc", "IP address"),
            ("http://127.0.0.1:8089/qbwc", "IP address"),
            ("https://[::1]/qbwc", "IP address"),
            ("ftp://x.example/", "https://"),
            ("sync.acme.example/qbwc", "full URL"),
            ("https://u:p@x.example/", "password"),
            ("https://x.example:99999/", "port"),
            ("https:///qbwc", "no host"),
            ("https://bad_host.example/", "not valid"),
            ("https://x.example/q?x=1", "query"),
        ] {
            let e = AppUrl::parse(url).expect_err(url).to_string();
            assert!(e.contains(why), "{url}: {e}");
        }
    }

    #[test]
    fn keeps_ids_per_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let a = QwcIds::load_or_create(dir.path()).unwrap();
        let b = QwcIds::load_or_create(dir.path()).unwrap();
        assert_eq!(a, b);
        assert_ne!(a.owner_id, a.file_id);
        std::fs::write(dir.path().join(IDS_FILE), "owner_id = 3").unwrap();
        assert!(matches!(
            QwcIds::load_or_create(dir.path()),
            Err(QwcError::BadIds { .. })
        ));
    }

    #[test]
    fn refuses_bad_user_names_and_intervals() {
        let url = AppUrl::parse("http://localhost/qbwc").unwrap();
        let ids = QwcIds {
            owner_id: Guid::random(),
            file_id: Guid::random(),
        };
        assert!(QwcSpec::new(url.clone(), " ", ids, None).is_err());
        assert!(QwcSpec::new(url.clone(), "a", ids, Some(0)).is_err());
        let spec = QwcSpec::new(url, "shop & co", ids, Some(15)).unwrap();
        let xml = spec.to_xml();
        assert!(xml.contains("<UserName>shop &amp; co</UserName>"));
        assert!(xml.contains("<Scheduler><RunEveryNMinutes>15</RunEveryNMinutes></Scheduler>"));
    }
}
