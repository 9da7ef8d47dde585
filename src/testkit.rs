//! Helpers shared by the test suites: where the shared oracles live and schema validation with
//! `xmllint`. Not part of custsync's behaviour; hidden from the docs.
//!
//! Validation fails loudly (it never skips) when `xmllint` or the schemas are missing: CI installs
//! `libxml2-utils`, and a test that silently passes without its oracle proves nothing.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

/// `../shared` beside the repository, or `CUSTSYNC_SHARED_DIR`.
pub fn shared_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CUSTSYNC_SHARED_DIR") {
        return PathBuf::from(dir);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// The qbXML schema entry points every request and response must validate against.
pub fn qbxml_schemas() -> [PathBuf; 2] {
    let dir = shared_dir().join("qbxml-schema");
    [dir.join("qbxmlops130.xsd"), dir.join("qbxmlops160.xsd")]
}

/// Validates each document against `schema` with one `xmllint` run (the schema is large; loading
/// it once keeps the suite fast). Returns xmllint's complaints, naming the document by index.
pub fn validate_with_schema(docs: &[&str], schema: &std::path::Path) -> Result<(), String> {
    if docs.is_empty() {
        return Ok(());
    }
    assert!(
        schema.exists(),
        "schema {} not found: tests read ../shared (set CUSTSYNC_SHARED_DIR to move it)",
        schema.display()
    );
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut paths = Vec::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        let path = dir.path().join(format!("doc{i:05}.xml"));
        let mut f = std::fs::File::create(&path).map_err(|e| e.to_string())?;
        f.write_all(doc.as_bytes()).map_err(|e| e.to_string())?;
        paths.push(path);
    }
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .args(&paths)
        .output()
        .unwrap_or_else(|e| {
            panic!("xmllint could not run ({e}); install it: apt-get install -y libxml2-utils")
        });
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Validates each qbXML document against both the 13.0 and the 16.0 schema.
pub fn validate_qbxml(docs: &[&str]) -> Result<(), String> {
    for schema in qbxml_schemas() {
        validate_with_schema(docs, &schema)
            .map_err(|e| format!("against {}:\n{e}", schema.display()))?;
    }
    Ok(())
}

/// Panics with xmllint's complaints unless every document validates against both schemas.
pub fn assert_valid_qbxml(docs: &[&str]) {
    if let Err(e) = validate_qbxml(docs) {
        panic!("qbXML schema validation failed {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oracle_accepts_good_and_refuses_bad_documents() {
        let good = r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><HostQueryRq requestID="1"/></QBXMLMsgsRq></QBXML>"#;
        let bad = r#"<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><NoSuchRq/></QBXMLMsgsRq></QBXML>"#;
        assert_valid_qbxml(&[good]);
        assert!(validate_qbxml(&[good, bad]).is_err());
    }
}
