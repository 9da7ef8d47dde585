//! Helpers shared by the test suites: where the shared oracles live and schema validation with
//! `xmllint`. Not part of custsync's behaviour: compiled only for tests (the `test-support`
//! feature, see Cargo.toml).
//!
//! Validation fails loudly (it never skips) when `xmllint` or the schemas are missing: CI installs
//! `libxml2-utils`, and a test that silently passes without its oracle proves nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test support (the test-support feature): a panic is a test failure"
)]

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

/// The Web Connector WSDL (a test oracle: read, never copied).
pub fn webconnector_wsdl() -> PathBuf {
    shared_dir()
        .join("webconnector")
        .join("QBWebConnectorSvc.wsdl")
}

/// The XML Schema embedded in a WSDL's `<types>`, as a standalone schema document: the
/// namespace declarations of the `definitions` root (where the `s:` and `tns:` prefixes live)
/// are copied onto the schema element.
pub fn wsdl_schema(wsdl: &str) -> Result<String, String> {
    use quick_xml::Reader;
    use quick_xml::events::Event;

    let mut r = Reader::from_str(wsdl);
    let mut root_ns: Vec<(String, String)> = Vec::new();
    let mut seen_root = false;
    loop {
        let before = usize::try_from(r.buffer_position()).map_err(|e| e.to_string())?;
        match r
            .read_event()
            .map_err(|e| format!("the WSDL is not well-formed: {e}"))?
        {
            Event::Start(e) if !seen_root => {
                seen_root = true;
                for a in e.attributes().flatten() {
                    let key = a.key.0.to_string();
                    if key.starts_with("xmlns") {
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map_err(|e| e.to_string())?;
                        root_ns.push((key, value.into_owned()));
                    }
                }
            }
            Event::Start(e) if e.local_name().into_inner() == "schema" => {
                r.read_to_end(e.name()).map_err(|e| e.to_string())?;
                let end = usize::try_from(r.buffer_position()).map_err(|e| e.to_string())?;
                let text = wsdl.get(before..end).ok_or("schema span out of range")?;
                let tag_end = text.find('>').ok_or("schema start tag not closed")?;
                let (open, rest) = text.split_at(tag_end);
                let mut out = String::from(open);
                for (k, v) in &root_ns {
                    if !open.contains(&format!("{k}=")) {
                        out.push_str(&format!(" {k}=\"{v}\""));
                    }
                }
                out.push_str(rest);
                return Ok(out);
            }
            Event::Eof => return Err("the WSDL has no embedded schema".into()),
            _ => {}
        }
    }
}

/// The element inside a SOAP envelope's Body, as a standalone document. The element must
/// declare its own namespace (custsync's envelopes do).
pub fn soap_body_child(envelope: &str) -> Result<String, String> {
    use quick_xml::Reader;
    use quick_xml::events::Event;

    let mut r = Reader::from_str(envelope);
    let mut depth = 0usize;
    loop {
        let before = usize::try_from(r.buffer_position()).map_err(|e| e.to_string())?;
        let found = match r
            .read_event()
            .map_err(|e| format!("not well-formed: {e}"))?
        {
            Event::Start(e) if depth == 2 => {
                r.read_to_end(e.name()).map_err(|e| e.to_string())?;
                true
            }
            Event::Empty(_) if depth == 2 => true,
            Event::Start(_) => {
                depth += 1;
                false
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                false
            }
            Event::Eof => return Err("no element inside the Body".into()),
            _ => false,
        };
        if found {
            let end = usize::try_from(r.buffer_position()).map_err(|e| e.to_string())?;
            return envelope
                .get(before..end)
                .map(str::to_string)
                .ok_or_else(|| "span out of range".into());
        }
    }
}

/// Validates the Body's element of each SOAP envelope against the schema embedded in the Web
/// Connector WSDL, with one xmllint run.
pub fn validate_soap_bodies(envelopes: &[&str]) -> Result<(), String> {
    let wsdl_path = webconnector_wsdl();
    let wsdl = std::fs::read_to_string(&wsdl_path).unwrap_or_else(|e| {
        panic!(
            "the WSDL {} could not be read ({e}): tests read ../shared (set CUSTSYNC_SHARED_DIR)",
            wsdl_path.display()
        )
    });
    let schema = wsdl_schema(&wsdl)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let schema_path = dir.path().join("qbwc.xsd");
    std::fs::write(&schema_path, schema).map_err(|e| e.to_string())?;
    let bodies = envelopes
        .iter()
        .enumerate()
        .map(|(i, e)| soap_body_child(e).map_err(|err| format!("envelope {i}: {err}")))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
    validate_with_schema(&refs, &schema_path)
}

/// Panics with xmllint's complaints unless every envelope's Body element is valid.
pub fn assert_valid_soap_bodies(envelopes: &[&str]) {
    if let Err(e) = validate_soap_bodies(envelopes) {
        panic!("SOAP schema validation failed: {e}");
    }
}

/// Runs requests in a sandbox company directly, as QuickBooks' own user would make changes, and
/// returns the responses. Panics on any error status: a test's own setup must not fail quietly.
pub fn sandbox_requests(
    company: &std::path::Path,
    bodies: Vec<crate::qbxml::RequestBody>,
) -> Vec<crate::qbxml::Response> {
    use crate::qb::sandbox;
    use crate::qbxml::{OnError, QbxmlVersion, RequestDoc};
    let mut file = sandbox::CompanyFile::open(company)
        .unwrap_or_else(|e| panic!("sandbox company {}: {e}", company.display()));
    let mut session = sandbox::Session::new("test", sandbox::SandboxOptions::default());
    let mut doc = RequestDoc::new(QbxmlVersion::new(13, 0), OnError::StopOnError);
    for (i, b) in bodies.into_iter().enumerate() {
        doc.push(format!("{i}"), b);
    }
    let text = sandbox::process(
        &mut file,
        &mut session,
        &crate::qbxml::write::write_request(&doc),
    )
    .unwrap_or_else(|e| panic!("sandbox request: {e}"));
    let response = crate::qbxml::read::read_response_str(&text)
        .unwrap_or_else(|e| panic!("sandbox response: {e}"));
    for r in &response.responses {
        assert!(!r.status.is_error(), "{:?}", r.status);
    }
    response.responses
}

/// Every customer of a sandbox company, jobs and inactive ones included.
pub fn sandbox_customers(company: &std::path::Path) -> Vec<crate::qbxml::CustomerRet> {
    use crate::qbxml::{
        ActiveStatus, CustomerQuery, ListFilter, RequestBody, ResponseBody, Selection,
    };
    let r = sandbox_requests(
        company,
        vec![RequestBody::CustomerQuery(CustomerQuery {
            selection: Selection::Filter(ListFilter {
                active_status: Some(ActiveStatus::All),
                ..ListFilter::default()
            }),
            ..CustomerQuery::default()
        })],
    );
    match r.into_iter().next().map(|r| r.body) {
        Some(ResponseBody::Customers(c)) => c,
        // No customers at all.
        Some(ResponseBody::Empty) => Vec::new(),
        other => panic!("the sandbox answered a CustomerQuery with {other:?}"),
    }
}

/// The customers of a sandbox company named `name`, compared without regard to case.
pub fn sandbox_customers_named(
    company: &std::path::Path,
    name: &str,
) -> Vec<crate::qbxml::CustomerRet> {
    sandbox_customers(company)
        .into_iter()
        .filter(|c| {
            c.data
                .get(crate::qbxml::Field::Name)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .collect()
}

/// QuickBooks users at work in a sandbox company: the phones of its first `changed` customers
/// (not jobs) edited, and `deleted` customers after them that have no jobs deleted.
pub fn change_and_delete(
    file: &mut crate::qb::sandbox::CompanyFile,
    changed: usize,
    deleted: usize,
) -> Result<(), crate::qb::sandbox::SandboxError> {
    use crate::qb::sandbox::{Assignment, EditTarget};
    let all = file.customer_list()?;
    let parents: std::collections::HashSet<&str> = all
        .iter()
        .filter_map(|c| c.parent.as_ref()?.list_id.as_deref())
        .collect();
    let top: Vec<&crate::qbxml::CustomerRet> = all.iter().filter(|c| !c.is_job()).collect();
    for (i, c) in top.iter().take(changed).enumerate() {
        file.edit_customer(
            &c.list_id,
            &[Assignment {
                target: EditTarget::Field(crate::qbxml::Field::Phone),
                value: Some(format!("555-01{i:02}")),
            }],
        )?;
    }
    for c in top
        .iter()
        .skip(changed)
        .filter(|c| !parents.contains(c.list_id.as_str()))
        .take(deleted)
    {
        file.delete_customer(&c.list_id)?;
    }
    Ok(())
}

/// A connection that keeps every document it carries (what tests and benchmarks count: round
/// trips, CustomerRet elements) and can change each response before the caller sees it (a
/// QuickBooks that answers otherwise than the sandbox, e.g. refuses a request).
pub struct Recording<C> {
    inner: C,
    exchanges: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
    rewrite: Option<Rewrite>,
}

type Rewrite = Box<dyn FnMut(&str, String) -> Result<String, crate::qb::QbError> + Send>;

/// The documents a [`Recording`] carried, shared with the test that made it.
#[derive(Clone, Default)]
pub struct Exchanges(std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>);

impl<C> Recording<C> {
    pub fn new(inner: C) -> (Recording<C>, Exchanges) {
        let exchanges = Exchanges::default();
        (
            Recording {
                inner,
                exchanges: exchanges.0.clone(),
                rewrite: None,
            },
            exchanges,
        )
    }

    /// Passes each response through `rewrite(request, response)` first: it may change it, or
    /// lose it (an error after QuickBooks processed the request).
    pub fn rewriting(
        mut self,
        rewrite: impl FnMut(&str, String) -> Result<String, crate::qb::QbError> + Send + 'static,
    ) -> Recording<C> {
        self.rewrite = Some(Box::new(rewrite));
        self
    }
}

impl Exchanges {
    /// (request, response) pairs in order; a failed exchange has no pair.
    pub fn take(&self) -> Vec<(String, String)> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// How many times `<element` opens in `text` (`CustomerRet` does not count `CustomerRetX`).
pub fn count_elements(text: &str, element: &str) -> usize {
    let open = format!("<{element}");
    text.match_indices(&open)
        .filter(|(i, _)| {
            matches!(
                text.as_bytes().get(i + open.len()),
                Some(b'>' | b' ' | b'/' | b'\t' | b'\r' | b'\n')
            )
        })
        .count()
}

impl<C: crate::qb::Connection> crate::qb::Connection for Recording<C> {
    fn kind(&self) -> crate::qb::ConnectionKind {
        self.inner.kind()
    }

    fn open(
        &mut self,
        prompt: &mut dyn crate::qb::AccessPrompt,
    ) -> Result<crate::qb::SessionInfo, crate::qb::QbError> {
        self.inner.open(prompt)
    }

    fn process(&mut self, request: &str) -> Result<String, crate::qb::QbError> {
        let mut response = self.inner.process(request)?;
        if let Some(rewrite) = &mut self.rewrite {
            response = rewrite(request, response)?;
        }
        self.exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((request.to_string(), response.clone()));
        Ok(response)
    }

    fn close(&mut self) {
        self.inner.close();
    }

    fn report_progress(&mut self, done: u64, total: u64) {
        self.inner.report_progress(done, total);
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

    #[test]
    fn the_wsdl_schema_accepts_good_and_refuses_bad_soap_bodies() {
        let env = |body: &str| {
            format!(
                r#"<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{body}</soap:Body></soap:Envelope>"#
            )
        };
        let good = env(
            r#"<receiveResponseXMLResponse xmlns="http://developer.intuit.com/"><receiveResponseXMLResult>100</receiveResponseXMLResult></receiveResponseXMLResponse>"#,
        );
        let not_int = env(
            r#"<receiveResponseXMLResponse xmlns="http://developer.intuit.com/"><receiveResponseXMLResult>done</receiveResponseXMLResult></receiveResponseXMLResponse>"#,
        );
        let wrong_ns = env(
            r#"<receiveResponseXMLResponse xmlns="urn:x"><receiveResponseXMLResult>1</receiveResponseXMLResult></receiveResponseXMLResponse>"#,
        );
        assert_valid_soap_bodies(&[&good]);
        assert!(validate_soap_bodies(&[&not_int]).is_err());
        assert!(validate_soap_bodies(&[&wrong_ns]).is_err());
    }
}
