//! The Web Connector service's part of Setup (`[connection.web_connector]` in config.toml). It is
//! defined here, beside the service that uses it, so that this layer never needs the whole setup;
//! `config` validates it with the rest.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

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
