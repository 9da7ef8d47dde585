//! HTTPS: the certificate chain and key from PEM files, as a rustls server configuration.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::http::ServeError;

/// The PEM files HTTPS is served with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    /// The server certificate first, then the intermediates: the Web Connector checks the whole
    /// chain on the Windows machine (QBWC1048 otherwise).
    pub cert_chain: PathBuf,
    pub key: PathBuf,
}

/// The rustls crypto provider: ring, which builds without cmake or NASM.
pub fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A certificate chain or key is a few kilobytes; a file far larger is not one.
const MAX_PEM_BYTES: u64 = 1024 * 1024;

/// A PEM file's bytes: only a regular file, and only so much of it.
fn read_pem(path: &Path) -> Result<Vec<u8>, ServeError> {
    crate::files::read_capped(path, MAX_PEM_BYTES).map_err(|e| ServeError::TlsFile {
        path: path.to_path_buf(),
        detail: format!("{e}; give the path of a PEM file in config.toml"),
    })
}

pub fn server_config(files: &TlsFiles) -> Result<Arc<ServerConfig>, ServeError> {
    let certs = load_certs(&files.cert_chain)?;
    let key_pem = read_pem(&files.key)?;
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| ServeError::TlsFile {
        path: files.key.clone(),
        detail: format!(
            "no usable private key ({e}); it must be a PEM file with a PKCS#8, PKCS#1 or SEC1 key"
        ),
    })?;
    let config = ServerConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| {
            ServeError::Tls(format!(
                "custsync's TLS library refused its own settings ({e}); report this to support"
            ))
        })?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            ServeError::Tls(format!(
                "the certificate and key cannot be used together ({e}); check that the key \
                 belongs to the first certificate in {}",
                files.cert_chain.display()
            ))
        })?;
    Ok(Arc::new(config))
}

fn load_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, ServeError> {
    let bad = |detail: String| ServeError::TlsFile {
        path: path.to_path_buf(),
        detail,
    };
    let pem = read_pem(path)?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(format!("is not a valid PEM certificate chain ({e})")))?;
    if certs.is_empty() {
        return Err(bad(
            "holds no certificate; it must contain -----BEGIN CERTIFICATE----- blocks".into(),
        ));
    }
    Ok(certs)
}
