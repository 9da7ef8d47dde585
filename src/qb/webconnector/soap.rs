//! The Web Connector's SOAP 1.1 messages: reading a call, writing its answer or a Fault.
//!
//! The contract is the WSDL's document/literal wrapped style: the Body holds one element named
//! after the method, in the `http://developer.intuit.com/` namespace, whose children are the
//! parameters. Answers are `<methodResponse><methodResult>…</methodResult></methodResponse>`.
//! Anything else — not XML, not SOAP 1.1, an unknown method, a DTD, an unknown entity — is a
//! [`SoapFault`], never a panic.

use quick_xml::NsReader;
use quick_xml::events::{BytesRef, Event};
use quick_xml::name::ResolveResult;

use super::clip::{clip, clip_to};
use crate::qbxml::xml::XmlWriter;

/// A Fault's message is cut to this many characters.
const MAX_FAULT_CHARS: usize = 600;

/// The Web Connector's namespace; every method and parameter element lives in it.
pub const INTUIT_NS: &str = "http://developer.intuit.com/";
/// SOAP 1.1, which is what the Web Connector speaks.
pub const SOAP_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12_ENV_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// Every method the service answers: the WSDL's eight plus the three interactive-mode calls
/// newer Web Connectors may make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    ServerVersion,
    ClientVersion,
    Authenticate,
    SendRequestXml,
    ReceiveResponseXml,
    ConnectionError,
    GetLastError,
    CloseConnection,
    GetInteractiveUrl,
    InteractiveRejected,
    InteractiveDone,
}

/// (method, element name, response element, result element). The writer needs `'static` names.
const METHODS: [(Method, &str, &str, &str); 11] = [
    (
        Method::ServerVersion,
        "serverVersion",
        "serverVersionResponse",
        "serverVersionResult",
    ),
    (
        Method::ClientVersion,
        "clientVersion",
        "clientVersionResponse",
        "clientVersionResult",
    ),
    (
        Method::Authenticate,
        "authenticate",
        "authenticateResponse",
        "authenticateResult",
    ),
    (
        Method::SendRequestXml,
        "sendRequestXML",
        "sendRequestXMLResponse",
        "sendRequestXMLResult",
    ),
    (
        Method::ReceiveResponseXml,
        "receiveResponseXML",
        "receiveResponseXMLResponse",
        "receiveResponseXMLResult",
    ),
    (
        Method::ConnectionError,
        "connectionError",
        "connectionErrorResponse",
        "connectionErrorResult",
    ),
    (
        Method::GetLastError,
        "getLastError",
        "getLastErrorResponse",
        "getLastErrorResult",
    ),
    (
        Method::CloseConnection,
        "closeConnection",
        "closeConnectionResponse",
        "closeConnectionResult",
    ),
    (
        Method::GetInteractiveUrl,
        "getInteractiveURL",
        "getInteractiveURLResponse",
        "getInteractiveURLResult",
    ),
    (
        Method::InteractiveRejected,
        "interactiveRejected",
        "interactiveRejectedResponse",
        "interactiveRejectedResult",
    ),
    (
        Method::InteractiveDone,
        "interactiveDone",
        "interactiveDoneResponse",
        "interactiveDoneResult",
    ),
];

impl Method {
    pub const ALL: [Method; 11] = [
        Method::ServerVersion,
        Method::ClientVersion,
        Method::Authenticate,
        Method::SendRequestXml,
        Method::ReceiveResponseXml,
        Method::ConnectionError,
        Method::GetLastError,
        Method::CloseConnection,
        Method::GetInteractiveUrl,
        Method::InteractiveRejected,
        Method::InteractiveDone,
    ];

    fn row(self) -> (Method, &'static str, &'static str, &'static str) {
        // METHODS lists every variant; the fallback is unreachable but keeps this panic-free.
        METHODS
            .iter()
            .copied()
            .find(|(m, ..)| *m == self)
            .unwrap_or(METHODS[0])
    }

    /// The element (and SOAPAction suffix) name, e.g. `sendRequestXML`.
    pub fn name(self) -> &'static str {
        self.row().1
    }

    fn response_element(self) -> &'static str {
        self.row().2
    }

    fn result_element(self) -> &'static str {
        self.row().3
    }

    pub fn from_name(name: &str) -> Option<Method> {
        METHODS.iter().find(|(_, n, ..)| *n == name).map(|r| r.0)
    }
}

/// One decoded call, with the parameters the service uses. Missing string parameters read as
/// empty, the way the Web Connector leaves them out or sends them empty interchangeably.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    /// Real Web Connectors send no parameter; the WSDL has an optional `strVersion`.
    ServerVersion,
    ClientVersion {
        version: String,
    },
    Authenticate {
        user_name: String,
        password: String,
    },
    SendRequestXml(SendRequest),
    ReceiveResponseXml {
        ticket: String,
        response: String,
        hresult: String,
        message: String,
    },
    ConnectionError {
        ticket: String,
        hresult: String,
        message: String,
    },
    GetLastError {
        ticket: String,
    },
    CloseConnection {
        ticket: String,
    },
    GetInteractiveUrl {
        ticket: String,
    },
    InteractiveRejected {
        ticket: String,
        reason: String,
    },
    InteractiveDone {
        ticket: String,
    },
}

/// `sendRequestXML`'s parameters.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SendRequest {
    pub ticket: String,
    /// Host, Company and Preferences query responses, on the first call of a session only.
    pub hcp_response: String,
    pub company_file: String,
    pub country: String,
    /// The request processor's qbXML level; `None` when the element was left out.
    pub major: Option<i32>,
    pub minor: Option<i32>,
}

impl Call {
    pub fn method(&self) -> Method {
        match self {
            Call::ServerVersion => Method::ServerVersion,
            Call::ClientVersion { .. } => Method::ClientVersion,
            Call::Authenticate { .. } => Method::Authenticate,
            Call::SendRequestXml(_) => Method::SendRequestXml,
            Call::ReceiveResponseXml { .. } => Method::ReceiveResponseXml,
            Call::ConnectionError { .. } => Method::ConnectionError,
            Call::GetLastError { .. } => Method::GetLastError,
            Call::CloseConnection { .. } => Method::CloseConnection,
            Call::GetInteractiveUrl { .. } => Method::GetInteractiveUrl,
            Call::InteractiveRejected { .. } => Method::InteractiveRejected,
            Call::InteractiveDone { .. } => Method::InteractiveDone,
        }
    }
}

/// What a method returns, by the WSDL's type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyValue {
    Text(String),
    /// `ArrayOfString`: `<string>` children (authenticate).
    Strings(Vec<String>),
    Int(i32),
}

/// One answer, ready to be written as an envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub method: Method,
    pub value: ReplyValue,
}

impl Reply {
    pub fn text(method: Method, text: impl Into<String>) -> Self {
        Reply {
            method,
            value: ReplyValue::Text(text.into()),
        }
    }

    /// The whole response document: an XML declaration and the SOAP 1.1 envelope, nothing
    /// before or after it (QBWC1042 is what stray bytes cause).
    pub fn to_envelope(&self) -> String {
        envelope(|w| {
            w.start(self.method.response_element())
                .attr("xmlns", INTUIT_NS);
            w.start(self.method.result_element());
            match &self.value {
                ReplyValue::Text(t) => {
                    w.text(t);
                }
                ReplyValue::Strings(items) => {
                    for item in items {
                        w.leaf("string", item);
                    }
                }
                ReplyValue::Int(n) => {
                    w.text(&n.to_string());
                }
            }
            w.end().end();
        })
    }
}

/// Who is at fault, in SOAP 1.1 terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultCode {
    /// The message was wrong; sending it again unchanged will fail again.
    Client,
    /// custsync could not answer a good message.
    Server,
}

/// A SOAP Fault, answered with HTTP 500.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SoapFault {
    pub code: FaultCode,
    pub message: String,
}

impl SoapFault {
    pub fn client(message: impl Into<String>) -> Self {
        Self::new(FaultCode::Client, message.into())
    }

    pub fn server(message: impl Into<String>) -> Self {
        Self::new(FaultCode::Server, message.into())
    }

    /// Messages quote the request (names, values, parser errors): never more than a few
    /// hundred characters of it go back.
    fn new(code: FaultCode, message: String) -> Self {
        SoapFault {
            code,
            message: clip_to(&message, MAX_FAULT_CHARS),
        }
    }

    pub fn to_envelope(&self) -> String {
        envelope(|w| {
            w.start("soap:Fault");
            w.leaf(
                "faultcode",
                match self.code {
                    FaultCode::Client => "soap:Client",
                    FaultCode::Server => "soap:Server",
                },
            );
            w.leaf("faultstring", &self.message);
            w.end();
        })
    }
}

/// A SOAP 1.1 envelope (with its XML declaration) around what `body` writes into the Body; the
/// emulator writes its calls with it too.
pub(super) fn envelope(body: impl FnOnce(&mut XmlWriter)) -> String {
    let mut w = XmlWriter::with_capacity(512);
    w.raw(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    w.start("soap:Envelope")
        .attr("xmlns:soap", SOAP_ENV_NS)
        .attr("xmlns:xsi", XSI_NS)
        .attr("xmlns:xsd", XSD_NS);
    w.start("soap:Body");
    body(&mut w);
    w.finish()
}

/// Decodes a request body (UTF-8, an optional BOM) into a call.
pub fn parse_call(body: &[u8]) -> Result<Call, SoapFault> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let text = std::str::from_utf8(body).map_err(|e| {
        SoapFault::client(format!(
            "the request is not UTF-8 text (invalid byte at offset {}); send the SOAP envelope \
             encoded as UTF-8",
            e.valid_up_to()
        ))
    })?;
    let (method, params) = parse_envelope(text)?;
    build_call(method, params)
}

/// The parameters of one call, by local name.
struct Params(Vec<(String, String)>);

impl Params {
    fn take(&mut self, name: &str) -> String {
        match self.0.iter().position(|(n, _)| n == name) {
            Some(i) => self.0.swap_remove(i).1,
            None => String::new(),
        }
    }

    fn take_int(&mut self, name: &str) -> Result<Option<i32>, SoapFault> {
        let Some(i) = self.0.iter().position(|(n, _)| n == name) else {
            return Ok(None);
        };
        let raw = self.0.swap_remove(i).1;
        // An empty element is how some stacks write "not given".
        if raw.trim().is_empty() {
            return Ok(None);
        }
        raw.trim().parse::<i32>().map(Some).map_err(|_| {
            SoapFault::client(format!(
                "{name} must be a whole number, not \"{}\"",
                clip(&raw)
            ))
        })
    }
}

fn build_call(method: Method, mut p: Params) -> Result<Call, SoapFault> {
    Ok(match method {
        Method::ServerVersion => Call::ServerVersion,
        Method::ClientVersion => Call::ClientVersion {
            version: p.take("strVersion"),
        },
        Method::Authenticate => Call::Authenticate {
            user_name: p.take("strUserName"),
            password: p.take("strPassword"),
        },
        Method::SendRequestXml => Call::SendRequestXml(SendRequest {
            ticket: p.take("ticket"),
            hcp_response: p.take("strHCPResponse"),
            company_file: p.take("strCompanyFileName"),
            country: p.take("qbXMLCountry"),
            major: p.take_int("qbXMLMajorVers")?,
            minor: p.take_int("qbXMLMinorVers")?,
        }),
        Method::ReceiveResponseXml => Call::ReceiveResponseXml {
            ticket: p.take("ticket"),
            response: p.take("response"),
            hresult: p.take("hresult"),
            message: p.take("message"),
        },
        Method::ConnectionError => Call::ConnectionError {
            ticket: p.take("ticket"),
            hresult: p.take("hresult"),
            message: p.take("message"),
        },
        Method::GetLastError => Call::GetLastError {
            ticket: p.take("ticket"),
        },
        Method::CloseConnection => Call::CloseConnection {
            ticket: p.take("ticket"),
        },
        Method::GetInteractiveUrl => Call::GetInteractiveUrl {
            ticket: p.take("wcTicket"),
        },
        Method::InteractiveRejected => Call::InteractiveRejected {
            ticket: p.take("wcTicket"),
            reason: p.take("reason"),
        },
        Method::InteractiveDone => Call::InteractiveDone {
            ticket: p.take("wcTicket"),
        },
    })
}

fn malformed(detail: impl std::fmt::Display) -> SoapFault {
    SoapFault::client(format!(
        "the request is not a well-formed SOAP message: {detail}"
    ))
}

/// Where an element's name resolved to.
pub(super) fn namespace_of(res: &ResolveResult<'_>) -> Option<String> {
    match res {
        ResolveResult::Bound(ns) => Some(ns.0.to_string()),
        _ => None,
    }
}

fn parse_envelope(text: &str) -> Result<(Method, Params), SoapFault> {
    let mut r = NsReader::from_str(text);
    // Envelope.
    loop {
        let (res, ev) = r.read_resolved_event().map_err(malformed)?;
        match ev {
            Event::Start(e) => {
                let ns = namespace_of(&res);
                let local = e.local_name().into_inner().to_string();
                if local != "Envelope" {
                    return Err(SoapFault::client(format!(
                        "expected a SOAP Envelope, found <{local}>"
                    )));
                }
                check_envelope_ns(ns.as_deref())?;
                break;
            }
            Event::Empty(_) => return Err(malformed("the Envelope is empty")),
            Event::Eof => return Err(malformed("the request is empty")),
            ev => prolog_event(&ev)?,
        }
    }
    // Header (skipped) and Body.
    let found = loop {
        let (res, ev) = r.read_resolved_event().map_err(malformed)?;
        match ev {
            Event::Start(e) => {
                let ns = namespace_of(&res);
                let local = e.local_name().into_inner().to_string();
                if ns.as_deref() != Some(SOAP_ENV_NS) {
                    return Err(malformed(format!("unexpected <{local}> in the Envelope")));
                }
                match local.as_str() {
                    "Header" => {
                        r.read_to_end(e.name()).map_err(malformed)?;
                    }
                    "Body" => break parse_body(&mut r)?,
                    _ => {
                        return Err(malformed(format!("unexpected <{local}> in the Envelope")));
                    }
                }
            }
            Event::Empty(e) => {
                let local = e.local_name().into_inner().to_string();
                if local == "Body" {
                    return Err(SoapFault::client(
                        "the SOAP Body is empty; it must hold one Web Connector method call",
                    ));
                }
                // An empty Header is fine; anything else is not.
                if local != "Header" {
                    return Err(malformed(format!("unexpected <{local}/> in the Envelope")));
                }
            }
            Event::End(_) | Event::Eof => {
                return Err(SoapFault::client(
                    "the SOAP Envelope has no Body; it must hold one Web Connector method call",
                ));
            }
            ev => content_event(&ev, "the Envelope")?,
        }
    };
    // The rest of the Envelope must be empty, and nothing may follow it.
    let mut depth = 0usize;
    loop {
        let ev = r.read_event().map_err(malformed)?;
        match ev {
            Event::Start(_) | Event::Empty(_) => {
                return Err(malformed("unexpected content after the Body"));
            }
            Event::End(_) => depth += 1,
            Event::Eof => break,
            ev => content_event(&ev, "the Envelope")?,
        }
    }
    if depth != 1 {
        return Err(malformed("the Envelope is not closed properly"));
    }
    Ok(found)
}

fn check_envelope_ns(ns: Option<&str>) -> Result<(), SoapFault> {
    match ns {
        Some(SOAP_ENV_NS) => Ok(()),
        Some(SOAP12_ENV_NS) => Err(SoapFault::client(
            "this is a SOAP 1.2 envelope; the Web Connector service speaks SOAP 1.1 \
             (namespace http://schemas.xmlsoap.org/soap/envelope/)",
        )),
        _ => Err(SoapFault::client(
            "the Envelope is not in the SOAP 1.1 namespace \
             (http://schemas.xmlsoap.org/soap/envelope/)",
        )),
    }
}

/// Before the root: the XML declaration, comments, whitespace. A DTD is refused: SOAP forbids
/// it and it is the door to entity-expansion attacks.
fn prolog_event(ev: &Event<'_>) -> Result<(), SoapFault> {
    match ev {
        Event::DocType(_) => Err(SoapFault::client(
            "the request contains a DOCTYPE; SOAP messages must not have one",
        )),
        Event::Text(t) if !t.xml10_content().trim().is_empty() => Err(SoapFault::client(
            "the request is not a SOAP message: it starts with text instead of a SOAP Envelope",
        )),
        _ => content_event(ev, "the document"),
    }
}

/// Between elements only whitespace, comments and processing instructions may appear.
fn content_event(ev: &Event<'_>, place: &str) -> Result<(), SoapFault> {
    match ev {
        Event::Text(t) if t.xml10_content().trim().is_empty() => Ok(()),
        Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
            Err(malformed(format!("unexpected text in {place}")))
        }
        Event::DocType(_) => prolog_event(ev),
        _ => Ok(()),
    }
}

/// Reads the Body: exactly one method element and its parameters.
fn parse_body(r: &mut NsReader<&[u8]>) -> Result<(Method, Params), SoapFault> {
    let mut found: Option<(Method, Params)> = None;
    loop {
        let (res, ev) = r.read_resolved_event().map_err(malformed)?;
        let (e, empty) = match ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => break,
            Event::Eof => return Err(malformed("the Body is not closed")),
            ev => {
                content_event(&ev, "the Body")?;
                continue;
            }
        };
        if found.is_some() {
            return Err(SoapFault::client(
                "the SOAP Body holds more than one element; send one method call per request",
            ));
        }
        let ns = namespace_of(&res);
        let local = e.local_name().into_inner().to_string();
        let method = Method::from_name(&local).ok_or_else(|| {
            SoapFault::client(format!(
                "unknown method \"{}\"; the Web Connector service answers {}",
                clip(&local),
                Method::ALL.map(Method::name).join(", ")
            ))
        })?;
        if ns.as_deref() != Some(INTUIT_NS) {
            return Err(SoapFault::client(format!(
                "{} must be in the namespace {INTUIT_NS}, not {}",
                clip(&local),
                clip(ns.as_deref().unwrap_or("none"))
            )));
        }
        let params = if empty {
            Params(Vec::new())
        } else {
            parse_params(r, &local)?
        };
        found = Some((method, params));
    }
    found.ok_or_else(|| {
        SoapFault::client("the SOAP Body is empty; it must hold one Web Connector method call")
    })
}

/// Reads parameter elements up to the method's end tag. Parameters are leaves holding text.
fn parse_params(r: &mut NsReader<&[u8]>, method: &str) -> Result<Params, SoapFault> {
    let mut params: Vec<(String, String)> = Vec::new();
    loop {
        let (res, ev) = r.read_resolved_event().map_err(malformed)?;
        let (e, empty) = match ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => return Ok(Params(params)),
            Event::Eof => return Err(malformed(format!("<{method}> is not closed"))),
            ev => {
                content_event(&ev, method)?;
                continue;
            }
        };
        let ns = namespace_of(&res);
        let local = e.local_name().into_inner().to_string();
        // elementFormDefault="qualified" puts parameters in the Intuit namespace; unqualified
        // ones are accepted too because some SOAP stacks write them that way.
        if ns.as_deref().is_some_and(|n| n != INTUIT_NS) {
            return Err(SoapFault::client(format!(
                "parameter <{local}> of {method} is in the wrong namespace"
            )));
        }
        if params.iter().any(|(n, _)| *n == local) {
            return Err(SoapFault::client(format!(
                "parameter {local} appears twice in {method}"
            )));
        }
        let value = if empty {
            String::new()
        } else {
            read_text(r, method, &local)?
        };
        params.push((local, value));
    }
}

/// The text of a leaf element, entities and CDATA decoded, up to its end tag.
fn read_text(r: &mut NsReader<&[u8]>, method: &str, param: &str) -> Result<String, SoapFault> {
    let mut out = String::new();
    loop {
        match r.read_event().map_err(malformed)? {
            Event::Text(t) => out.push_str(&t.xml10_content()),
            Event::CData(c) => out.push_str(&c.xml10_content()),
            Event::GeneralRef(g) => push_reference(&mut out, &g).map_err(malformed)?,
            Event::End(_) => return Ok(out),
            Event::Start(_) | Event::Empty(_) => {
                return Err(SoapFault::client(format!(
                    "parameter {param} of {method} must hold text, not elements \
                     (escape the qbXML inside it)"
                )));
            }
            Event::Eof => return Err(malformed(format!("<{param}> is not closed"))),
            Event::DocType(_) => {
                return Err(SoapFault::client(
                    "the request contains a DOCTYPE; SOAP messages must not have one",
                ));
            }
            _ => {}
        }
    }
}

/// Appends what a character or predefined entity reference stands for; any other entity is an
/// error (no DTD can have declared it).
pub(super) fn push_reference(out: &mut String, r: &BytesRef<'_>) -> Result<(), String> {
    if let Some(ch) = r.resolve_char_ref().map_err(|e| e.to_string())? {
        out.push(ch);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(r) {
        out.push_str(s);
    } else {
        return Err(format!("unknown entity &{};", &**r));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_ENV_NS}"><soap:Body>{body}</soap:Body></soap:Envelope>"#
        )
    }

    #[test]
    fn reads_server_version_with_and_without_parameter() {
        let bare = wrap(r#"<serverVersion xmlns="http://developer.intuit.com/" />"#);
        assert_eq!(parse_call(bare.as_bytes()), Ok(Call::ServerVersion));
        let with = wrap(
            r#"<serverVersion xmlns="http://developer.intuit.com/"><strVersion>x</strVersion></serverVersion>"#,
        );
        assert_eq!(parse_call(with.as_bytes()), Ok(Call::ServerVersion));
    }

    #[test]
    fn reads_send_request_with_escaped_qbxml_and_cdata() {
        let doc = wrap(
            r#"<sendRequestXML xmlns="http://developer.intuit.com/"><ticket>t-1</ticket><strHCPResponse>&lt;?xml version="1.0" ?&gt;&lt;QBXML/&gt;<![CDATA[<x>&amp;</x>]]></strHCPResponse><strCompanyFileName>C:\Co &amp; Sons.QBW</strCompanyFileName><qbXMLCountry>US</qbXMLCountry><qbXMLMajorVers>13</qbXMLMajorVers><qbXMLMinorVers>0</qbXMLMinorVers></sendRequestXML>"#,
        );
        let call = parse_call(doc.as_bytes()).unwrap();
        assert_eq!(
            call,
            Call::SendRequestXml(SendRequest {
                ticket: "t-1".into(),
                hcp_response: r#"<?xml version="1.0" ?><QBXML/><x>&amp;</x>"#.into(),
                company_file: r"C:\Co & Sons.QBW".into(),
                country: "US".into(),
                major: Some(13),
                minor: Some(0),
            })
        );
        let empty = wrap(
            r#"<sendRequestXML xmlns="http://developer.intuit.com/"><qbXMLMajorVers/><qbXMLMinorVers></qbXMLMinorVers></sendRequestXML>"#,
        );
        match parse_call(empty.as_bytes()).unwrap() {
            Call::SendRequestXml(r) => assert_eq!((r.major, r.minor), (None, None)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn accepts_prefixed_method_and_a_header() {
        let doc = format!(
            r#"<s:Envelope xmlns:s="{SOAP_ENV_NS}" xmlns:q="{INTUIT_NS}"><s:Header><x>1</x></s:Header><s:Body><q:getLastError><q:ticket>abc</q:ticket></q:getLastError></s:Body></s:Envelope>"#
        );
        assert_eq!(
            parse_call(doc.as_bytes()),
            Ok(Call::GetLastError {
                ticket: "abc".into()
            })
        );
    }

    #[test]
    fn refuses_malformed_messages_with_a_fault() {
        let cases: Vec<(String, &str)> = vec![
            ("not xml at all".into(), "not a SOAP message"),
            (String::new(), "empty"),
            (wrap("<authenticate xmlns=\"urn:other\"/>"), "namespace"),
            (wrap("<dropTables xmlns=\"http://developer.intuit.com/\"/>"), "unknown method"),
            (wrap(""), "Body is empty"),
            (
                wrap(r#"<getLastError xmlns="http://developer.intuit.com/"><ticket><b>x</b></ticket></getLastError>"#),
                "must hold text",
            ),
            (
                wrap(r#"<getLastError xmlns="http://developer.intuit.com/"><ticket>&bogus;</ticket></getLastError>"#),
                "entity",
            ),
            (
                format!(r#"<!DOCTYPE x [<!ENTITY a "b">]>{}"#, wrap("")),
                "DOCTYPE",
            ),
            (
                wrap(r#"<sendRequestXML xmlns="http://developer.intuit.com/"><qbXMLMajorVers>x</qbXMLMajorVers></sendRequestXML>"#),
                "whole number",
            ),
            (
                r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>"#.into(),
                "SOAP 1.2",
            ),
            (
                format!(r#"<soap:Envelope xmlns:soap="{SOAP_ENV_NS}"><soap:Body><getLastError xmlns="http://developer.intuit.com/"/><closeConnection xmlns="http://developer.intuit.com/"/></soap:Body></soap:Envelope>"#),
                "more than one",
            ),
            (
                format!(r#"<soap:Envelope xmlns:soap="{SOAP_ENV_NS}"><soap:Body><getLastError xmlns="http://developer.intuit.com/"/>"#),
                "not closed",
            ),
        ];
        for (doc, expect) in cases {
            let fault = parse_call(doc.as_bytes()).expect_err(&doc);
            assert_eq!(fault.code, FaultCode::Client, "{doc}");
            assert!(
                fault.message.contains(expect),
                "{doc}: {} lacks {expect}",
                fault.message
            );
        }
        assert!(parse_call(b"\xff\xfe<x/>").is_err());
    }

    #[test]
    fn writes_clean_envelopes() {
        let auth = Reply {
            method: Method::Authenticate,
            value: ReplyValue::Strings(vec!["abc".into(), String::new()]),
        }
        .to_envelope();
        assert!(auth.starts_with("<?xml"));
        assert!(auth.contains(
            r#"<authenticateResponse xmlns="http://developer.intuit.com/"><authenticateResult><string>abc</string><string></string></authenticateResult></authenticateResponse>"#
        ));
        let recv = Reply {
            method: Method::ReceiveResponseXml,
            value: ReplyValue::Int(-1),
        }
        .to_envelope();
        assert!(recv.contains("<receiveResponseXMLResult>-1</receiveResponseXMLResult>"));
        let send = Reply::text(Method::SendRequestXml, "<?qbxml?><A>&</A>").to_envelope();
        assert!(send.contains("&lt;?qbxml?&gt;&lt;A&gt;&amp;&lt;/A&gt;"));
        let fault = SoapFault::client("bad <thing>").to_envelope();
        assert!(fault.contains(
            "<faultcode>soap:Client</faultcode><faultstring>bad &lt;thing&gt;</faultstring>"
        ));
    }

    #[test]
    fn every_method_name_round_trips() {
        for m in Method::ALL {
            assert_eq!(Method::from_name(m.name()), Some(m));
        }
    }
}
