//! Shared by the sandbox suites: a sandbox company per test, request envelopes, a small reader
//! for response documents, and a runner (`harness = false`, libtest-mimic) that runs the tests in
//! parallel and then validates every response they produced against both qbXML schemas in one
//! xmllint call.

#![allow(dead_code)]

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use custsync::qb::QbError;
use custsync::qb::sandbox::{CompanyFile, SandboxOptions, Session, process};
use libtest_mimic::{Arguments, Trial};

/// Responses collected by one test, validated with the whole suite's.
#[derive(Default)]
pub struct Docs(pub Vec<String>);

impl Docs {
    pub fn push(&mut self, doc: &str) {
        self.0.push(doc.to_string());
    }
}

pub type Test = (&'static str, fn(&mut Docs));

/// Every response collected so far, with the name of the test that produced it.
type Collected = Arc<Mutex<Vec<(String, String)>>>;

/// Runs the suites' tests as `suite::test` (libtest's flags and filters apply), then validates
/// every response the tests that ran produced against qbxmlops130.xsd and qbxmlops160.xsd.
pub fn run(suites: &[(&'static str, &'static [Test])]) -> ExitCode {
    let args = Arguments::from_args();
    let collected = Collected::default();
    let trials = suites
        .iter()
        .flat_map(|&(suite, tests)| tests.iter().map(move |&(name, test)| (suite, name, test)))
        .map(|(suite, name, test)| {
            let collected = Arc::clone(&collected);
            let full = format!("{suite}::{name}");
            Trial::test(full.clone(), move || {
                let mut docs = Docs::default();
                let outcome = catch_unwind(AssertUnwindSafe(|| test(&mut docs)));
                // A failing test's responses so far are validated too.
                let mut all = collected.lock().unwrap_or_else(PoisonError::into_inner);
                all.extend(docs.0.into_iter().map(|doc| (full.clone(), doc)));
                drop(all);
                if let Err(panic) = outcome {
                    resume_unwind(panic);
                }
                Ok(())
            })
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    if args.list {
        return conclusion.exit_code();
    }
    let all = std::mem::take(&mut *collected.lock().unwrap_or_else(PoisonError::into_inner));
    let docs: Vec<&str> = all.iter().map(|(_, doc)| doc.as_str()).collect();
    let valid = match custsync::testkit::validate_qbxml(&docs) {
        Ok(()) => {
            println!(
                "schema validation of {} responses (qbXML 13.0 and 16.0) ... ok",
                docs.len()
            );
            true
        }
        Err(e) => {
            println!(
                "schema validation of {} responses ... FAILED\n{e}",
                docs.len()
            );
            // xmllint names documents `docNNNNN.xml` by their index here.
            for (i, (test, _)) in all.iter().enumerate() {
                if e.contains(&format!("doc{i:05}.xml")) {
                    println!("doc{i:05}.xml came from {test}");
                }
            }
            false
        }
    };
    if valid {
        conclusion.exit_code()
    } else {
        ExitCode::FAILURE
    }
}

/// A fresh sandbox company in its own temporary folder, with one session.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub file: CompanyFile,
    pub session: Session,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox::with_options(SandboxOptions::default())
    }

    pub fn with_options(options: SandboxOptions) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Sandbox Co.QBW");
        let file = CompanyFile::create(&path, "Sandbox Co").unwrap();
        Sandbox {
            dir,
            path,
            file,
            session: Session::new("custsync", options),
        }
    }

    /// A second, independent session on the same company file.
    pub fn other_session(&self) -> (CompanyFile, Session) {
        (
            CompanyFile::open(&self.path).unwrap(),
            Session::new("custsync", SandboxOptions::default()),
        )
    }

    /// Processes a whole document; a successful response is collected for schema validation.
    pub fn raw(&mut self, docs: &mut Docs, text: &str) -> Result<String, QbError> {
        let out = process(&mut self.file, &mut self.session, text);
        if let Ok(r) = &out {
            docs.push(r);
        }
        out
    }

    /// Sends `requests` in a qbXML 13.0 stopOnError document and reads the response.
    pub fn send(&mut self, docs: &mut Docs, requests: &str) -> Rs {
        self.send_with(docs, "stopOnError", requests)
    }

    pub fn send_with(&mut self, docs: &mut Docs, on_error: &str, requests: &str) -> Rs {
        let text = self
            .raw(
                docs,
                &envelope("13.0", &format!("onError=\"{on_error}\""), requests),
            )
            .unwrap_or_else(|e| panic!("document refused: {e}"));
        Rs::parse(&text)
    }

    /// Adds a customer (by name, with extra CustomerAdd elements after Name) and returns its Ret.
    pub fn add_customer(&mut self, docs: &mut Docs, name: &str, extra: &str) -> Node {
        let r = self.send(
            docs,
            &format!(
                "<CustomerAddRq><CustomerAdd><Name>{}</Name>{extra}</CustomerAdd></CustomerAddRq>",
                xml_escape(name)
            ),
        );
        assert_eq!(r.status(0), 0, "adding {name}: {}", r.message(0));
        r.rets(0)[0].clone()
    }
}

pub fn xml_escape(s: &str) -> String {
    custsync::qbxml::xml::escape(s)
}

/// A request document.
pub fn envelope(version: &str, msgs_attrs: &str, requests: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?qbxml version=\"{version}\"?>\n<QBXML>\n<QBXMLMsgsRq {msgs_attrs}>\n{requests}\n</QBXMLMsgsRq>\n</QBXML>\n"
    )
}

/// An element of a response document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Text of a descendant by path: `BillAddress/City`.
    pub fn get(&self, path: &str) -> Option<&str> {
        let mut node = self;
        for part in path.split('/') {
            node = node.child(part)?;
        }
        Some(node.text.as_str())
    }

    pub fn child_names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }
}

/// A parsed response document: `QBXMLMsgsRs` and its `…Rs` children.
#[derive(Clone, Debug)]
pub struct Rs {
    pub msgs: Node,
    pub text: String,
}

impl Rs {
    pub fn parse(text: &str) -> Rs {
        let root = parse_tree(text);
        let qbxml = root.child("QBXML").expect("QBXML root").clone();
        let msgs = qbxml.child("QBXMLMsgsRs").expect("QBXMLMsgsRs").clone();
        Rs {
            msgs,
            text: text.to_string(),
        }
    }

    pub fn count(&self) -> usize {
        self.msgs.children.len()
    }

    pub fn rs(&self, i: usize) -> &Node {
        self.msgs
            .children
            .get(i)
            .unwrap_or_else(|| panic!("no response #{i} in:\n{}", self.text))
    }

    pub fn status(&self, i: usize) -> i32 {
        self.rs(i).attr("statusCode").unwrap().parse().unwrap()
    }

    pub fn severity(&self, i: usize) -> &str {
        self.rs(i).attr("statusSeverity").unwrap()
    }

    pub fn message(&self, i: usize) -> &str {
        self.rs(i).attr("statusMessage").unwrap_or("")
    }

    pub fn rets(&self, i: usize) -> &[Node] {
        &self.rs(i).children
    }

    /// Names of the Rets of response `i` (their `Name` element).
    pub fn names(&self, i: usize) -> Vec<String> {
        self.rets(i)
            .iter()
            .map(|r| r.get("Name").unwrap_or_default().to_string())
            .collect()
    }

    pub fn set_attr(&self, name: &str) -> Option<&str> {
        self.msgs.attr(name)
    }
}

/// Any XML document as a tree of [`Node`]s under an unnamed root.
pub fn parse_tree(text: &str) -> Node {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(s) => stack.push(open(&s)),
            Event::Empty(s) => {
                let n = open(&s);
                stack.last_mut().unwrap().children.push(n);
            }
            Event::End(_) => {
                let n = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(n);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let s = match r.xml10_content().as_ref() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    other => panic!("unexpected entity {other}"),
                };
                stack.last_mut().unwrap().text.push_str(&s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    stack.pop().unwrap()
}

fn open(s: &quick_xml::events::BytesStart<'_>) -> Node {
    Node {
        name: s.name().as_ref().to_owned(),
        attrs: s
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    a.key.as_ref().to_owned(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    }
}

/// The HRESULT of a refused document.
pub fn hresult_of(r: Result<String, QbError>) -> (u32, String) {
    match r {
        Err(QbError::Hresult { code, message }) => (code, message),
        other => panic!("expected an HRESULT, got {other:?}"),
    }
}

/// The mapped fields of `data` as CustomerAdd children, in schema order (a stand-in for
/// custsync's own request writer, which the sandbox suites do not depend on).
pub fn customer_add_body(data: &custsync::qbxml::CustomerData) -> String {
    use custsync::qbxml::Field;
    use custsync::qbxml::fields::Shape;
    let mut out = String::new();
    let mut open: Option<&str> = None;
    for &field in Field::ALL {
        let Some(v) = data.get(field) else { continue };
        let v = xml_escape(v);
        match field.shape() {
            Shape::InAddress(a, e) => {
                if open != Some(a.element()) {
                    if let Some(o) = open.take() {
                        out.push_str(&format!("</{o}>"));
                    }
                    out.push_str(&format!("<{}>", a.element()));
                    open = Some(a.element());
                }
                out.push_str(&format!("<{e}>{v}</{e}>"));
            }
            Shape::Plain(e) => {
                if let Some(o) = open.take() {
                    out.push_str(&format!("</{o}>"));
                }
                out.push_str(&format!("<{e}>{v}</{e}>"));
            }
            Shape::Ref(e) => {
                if let Some(o) = open.take() {
                    out.push_str(&format!("</{o}>"));
                }
                out.push_str(&format!("<{e}><FullName>{v}</FullName></{e}>"));
            }
        }
    }
    if let Some(o) = open {
        out.push_str(&format!("</{o}>"));
    }
    out
}

/// Reads the mapped fields of a CustomerRet back into CustomerData.
pub fn customer_data_of(ret: &Node) -> custsync::qbxml::CustomerData {
    use custsync::qbxml::fields::Shape;
    use custsync::qbxml::{CustomerData, Field};
    let mut data = CustomerData::new();
    for &field in Field::ALL {
        let value = match field.shape() {
            Shape::Plain(e) => ret.get(e),
            Shape::InAddress(a, e) => ret.child(a.element()).and_then(|x| x.get(e)),
            Shape::Ref(e) => ret.child(e).and_then(|x| x.get("FullName")),
        };
        data.set_opt(field, value);
    }
    data
}
