//! Response reader: qbXML response text in, a [`ResponseDoc`] out, streaming.
//!
//! Memory held is the customers read, not the XML: the lexer (`read/lexer.rs`) hands out tokens from a
//! buffer about one token long (or straight from a `&str`), unknown elements are skipped without
//! being stored, and a customer's mapped values share one string trimmed to their length
//! ([`CustomerData`]). Element names are matched against tables built from the field table
//! ([`order::CUSTOMER_RET`]), so no name is allocated.
//!
//! Bad input never panics. Everything QuickBooks would never send is refused with a
//! [`ReadError`] that says where: a DOCTYPE (entity tricks), unknown entities, invalid UTF-8,
//! an undeclared or unsupported encoding, a value over [`MAX_VALUE_BYTES`], nesting deeper than
//! [`MAX_DEPTH`], truncated or mismatched markup.

mod input;
mod lexer;

use std::borrow::Cow;
use std::io::{BufRead, Read};
use std::sync::LazyLock;

use self::input::{Encoding, Latin1};
use self::lexer::{Lexer, Token};
use super::fields::{Address, CustomerData, Field, Shape};
use super::messages::{
    CompanyRet, CustomerRet, HostRet, ListDelType, ListDeletedRet, ListRef, ListRet, NameList,
    NameRet, Response, ResponseBody, ResponseDoc,
};
use super::order::{self, Content};
use super::status::{Severity, Status};

/// The largest value (or any run of bytes without markup) accepted, in bytes. QuickBooks' longest
/// field is Notes at 4,095 characters; this leaves room for any encoding of it many times over
/// while refusing the absurd before it is held in memory.
pub const MAX_VALUE_BYTES: usize = 256 * 1024;

/// The deepest element nesting accepted. A real response nests about eight levels.
pub const MAX_DEPTH: usize = 64;

const HINT: &str = "Run again with --trace DIR to keep the exchange, and send the response file \
                    to support";

/// Why a response could not be read. Positions are byte offsets into the (UTF-8) document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error(
        "the response is empty: QuickBooks sent no XML at all. Try again; if it persists, {}",
        lc(HINT)
    )]
    Empty,
    #[error("the response is not well-formed XML (byte {position}: {detail}). {HINT}")]
    Syntax { position: u64, detail: String },
    #[error(
        "the response ends early (byte {position}, inside <{inside}>): it was cut off on the way. Try again; if it persists, {}",
        lc(HINT)
    )]
    Truncated { position: u64, inside: String },
    #[error("the response is not a qbXML response: {detail}. {HINT}")]
    NotQbxml { detail: String },
    #[error(
        "the response contains a DOCTYPE declaration (byte {position}), which qbXML never has; it is refused because it can define entities. {HINT}"
    )]
    Doctype { position: u64 },
    #[error(
        "the response uses the unknown entity &{entity}; (byte {position}); qbXML uses only &amp; &lt; &gt; &quot; &apos; and character references. {HINT}"
    )]
    UnknownEntity { position: u64, entity: String },
    #[error(
        "the response is not valid UTF-8 (byte {position}) although it does not declare another encoding. {HINT}"
    )]
    InvalidUtf8 { position: u64 },
    #[error(
        "the response declares the encoding \"{encoding}\"; custsync reads UTF-8 and ISO-8859-1, the encodings QuickBooks writes. {HINT}"
    )]
    UnsupportedEncoding { encoding: String },
    #[error(
        "the value of <{element}> is larger than {limit} bytes (byte {position}); no QuickBooks field is that long. {HINT}"
    )]
    ValueTooLarge {
        element: String,
        limit: usize,
        position: u64,
    },
    #[error("the response nests elements more than {limit} deep (byte {position}). {HINT}")]
    TooDeep { limit: usize, position: u64 },
    #[error("<{element}> holds \"{value}\", which is not {expected} (byte {position}). {HINT}")]
    BadValue {
        element: String,
        value: String,
        expected: &'static str,
        position: u64,
    },
    #[error(
        "<{element}> has no {attribute} attribute (byte {position}), which every qbXML response carries. {HINT}"
    )]
    MissingAttribute {
        element: String,
        attribute: &'static str,
        position: u64,
    },
    #[error(
        "the response could not be read: {detail}. Check the connection to QuickBooks and try again"
    )]
    Io { detail: String },
}

fn lc(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

impl ReadError {
    fn io(e: std::io::Error) -> Self {
        ReadError::Io {
            detail: e.to_string(),
        }
    }

    /// Names the element a size error happened in, when the low layer could not know it.
    fn inside(mut self, name: &str) -> Self {
        if let ReadError::ValueTooLarge { element, .. } = &mut self
            && element == "?"
        {
            *element = name.to_string();
        }
        self
    }
}

/// Reads a response document from bytes, honouring its declared encoding (UTF-8 by default;
/// ISO-8859-1 is transcoded). Memory use does not grow with the size of the document beyond the
/// values kept.
pub fn read_response<R: BufRead>(mut input: R) -> Result<ResponseDoc, ReadError> {
    let (prefix, encoding) = input::sniff(&mut input)?;
    let whole = std::io::Cursor::new(prefix).chain(input);
    match encoding {
        Encoding::Utf8 => Parser::new(Lexer::from_reader(whole)).read(),
        Encoding::Latin1 => Parser::new(Lexer::from_reader(Latin1::new(whole))).read(),
    }
}

/// The text of a whole qbXML document held as bytes (a request, say), by the encoding its XML
/// declaration names: UTF-8 by default, ISO-8859-1 through the same decoder as
/// [`read_response`]. A UTF-8 byte order mark is dropped.
pub fn decode_document(bytes: &[u8]) -> Result<Cow<'_, str>, ReadError> {
    let mut head = bytes;
    let (_, encoding) = input::sniff(&mut head)?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match encoding {
        Encoding::Utf8 => {
            std::str::from_utf8(body)
                .map(Cow::Borrowed)
                .map_err(|e| ReadError::InvalidUtf8 {
                    position: e.valid_up_to() as u64,
                })
        }
        Encoding::Latin1 => {
            let mut text = String::with_capacity(body.len());
            Latin1::new(body)
                .read_to_string(&mut text)
                .map_err(ReadError::io)?;
            Ok(Cow::Owned(text))
        }
    }
}

/// Reads a response document that is already text (as a connection returns it). The text is
/// Unicode already, so a declared encoding is not applied again.
pub fn read_response_str(text: &str) -> Result<ResponseDoc, ReadError> {
    Parser::new(Lexer::from_str(text)).read()
}

// ---------------------------------------------------------------------------------------------
// Name tables

/// Element names bucketed by length: most lookups compare against one or two candidates.
struct NameTable<T> {
    by_len: Vec<Vec<(&'static str, T)>>,
}

impl<T: Copy> NameTable<T> {
    fn new(entries: impl IntoIterator<Item = (&'static str, T)>) -> Self {
        let mut by_len: Vec<Vec<(&'static str, T)>> = Vec::new();
        for (name, value) in entries {
            if by_len.len() <= name.len() {
                by_len.resize_with(name.len() + 1, Vec::new);
            }
            by_len[name.len()].push((name, value));
        }
        NameTable { by_len }
    }

    fn get(&self, name: &str) -> Option<(&'static str, T)> {
        self.by_len
            .get(name.len())?
            .iter()
            .find(|(n, _)| n.as_bytes() == name.as_bytes())
            .copied()
    }
    /// A child named `name`: known with its entry, or to be skipped.
    fn child(&self, name: &str) -> Child<(&'static str, T)> {
        match self.get(name) {
            Some(found) => Child::Known(found),
            None => Child::Skip,
        }
    }
}

/// What a CustomerRet child means to custsync.
#[derive(Clone, Copy, Debug)]
enum CustomerTag {
    Plain(Field),
    Address(Address),
    Ref(Field),
    Other(Content),
}

static CUSTOMER_TAGS: LazyLock<NameTable<CustomerTag>> = LazyLock::new(|| {
    NameTable::new(order::CUSTOMER_RET.iter().filter_map(|slot| {
        let tag = match slot.content {
            Content::Unused => return None,
            Content::Mapped => {
                let field = order::fields_in(slot.element).next()?;
                match field.shape() {
                    Shape::Plain(_) => CustomerTag::Plain(field),
                    Shape::Ref(_) => CustomerTag::Ref(field),
                    Shape::InAddress(a, _) => CustomerTag::Address(a),
                }
            }
            other => CustomerTag::Other(other),
        };
        Some((slot.element, tag))
    }))
});

fn address_table(a: Address) -> NameTable<Field> {
    NameTable::new(Field::ALL.iter().filter_map(|&f| match f.shape() {
        Shape::InAddress(x, e) if x == a => Some((e, f)),
        _ => None,
    }))
}

static BILL_ADDRESS: LazyLock<NameTable<Field>> = LazyLock::new(|| address_table(Address::Bill));
static SHIP_ADDRESS: LazyLock<NameTable<Field>> = LazyLock::new(|| address_table(Address::Ship));

/// Which Ret elements a known `…Rs` carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BodyKind {
    Host,
    Company,
    Customer,
    CustomerType,
    JobType,
    /// StandardTermsRet and DateDrivenTermsRet, read as list entries.
    Terms,
    Names(NameList),
    Deleted,
    Unknown,
}

impl BodyKind {
    fn of(rs: &str) -> BodyKind {
        match rs {
            "HostQueryRs" => BodyKind::Host,
            "CompanyQueryRs" => BodyKind::Company,
            "CustomerQueryRs" | "CustomerAddRs" => BodyKind::Customer,
            "CustomerTypeQueryRs" | "CustomerTypeAddRs" => BodyKind::CustomerType,
            "JobTypeQueryRs" | "JobTypeAddRs" => BodyKind::JobType,
            "TermsQueryRs" => BodyKind::Terms,
            "VendorQueryRs" => BodyKind::Names(NameList::Vendor),
            "EmployeeQueryRs" => BodyKind::Names(NameList::Employee),
            "OtherNameQueryRs" => BodyKind::Names(NameList::OtherName),
            "ListDeletedQueryRs" => BodyKind::Deleted,
            _ => BodyKind::Unknown,
        }
    }

    /// The Ret elements it carries (terms come in two kinds).
    fn rets(self) -> &'static [&'static str] {
        match self {
            BodyKind::Host => &["HostRet"],
            BodyKind::Company => &["CompanyRet"],
            BodyKind::Customer => &["CustomerRet"],
            BodyKind::CustomerType => &["CustomerTypeRet"],
            BodyKind::JobType => &["JobTypeRet"],
            BodyKind::Terms => &["StandardTermsRet", "DateDrivenTermsRet"],
            BodyKind::Names(NameList::Vendor) => &["VendorRet"],
            BodyKind::Names(NameList::Employee) => &["EmployeeRet"],
            BodyKind::Names(NameList::OtherName) => &["OtherNameRet"],
            BodyKind::Deleted => &["ListDeletedRet"],
            BodyKind::Unknown => &[],
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The parser

/// The attributes of one `…Rs` element, read before its children.
struct RsHead {
    message: String,
    kind: BodyKind,
    request_id: Option<String>,
    status_code: Option<String>,
    severity: Option<String>,
    status_message: String,
    ret_count: Option<String>,
    iterator_id: Option<String>,
    remaining: Option<String>,
}

enum QbxmlChild {
    Messages {
        new_message_set_id: Option<String>,
        status_code: Option<String>,
    },
}

/// A child element classified while its start tag is still borrowed.
enum Child<K> {
    Known(K),
    Skip,
}

struct Parser<'a, R> {
    lx: Lexer<'a, R>,
    /// The text of the leaf being read; reused so a value costs one allocation, its own.
    text: String,
    /// The name of the element being skipped, for error messages.
    skipping: String,
}

impl<'a, R: Read> Parser<'a, R> {
    fn new(lx: Lexer<'a, R>) -> Self {
        Parser {
            lx,
            text: String::with_capacity(256),
            skipping: String::new(),
        }
    }

    fn read(mut self) -> Result<ResponseDoc, ReadError> {
        let mut doc = None;
        loop {
            let (is_qbxml, name, empty) = match self.lx.next()? {
                Token::Start { name, empty, .. } => (name == "QBXML", clip(name), empty),
                Token::Eof => break,
                Token::Text(t) if t.trim_ascii().is_empty() => continue,
                Token::Text(_) | Token::CData(_) | Token::End => {
                    return Err(self.syntax("text outside the root element"));
                }
            };
            if !is_qbxml {
                return Err(ReadError::NotQbxml {
                    detail: format!("its root element is <{name}>, not <QBXML>"),
                });
            }
            if doc.is_some() {
                return Err(self.syntax("a second root element after </QBXML>"));
            }
            if empty {
                return Err(no_messages());
            }
            doc = Some(self.qbxml()?);
        }
        match doc {
            Some(doc) => Ok(doc),
            None if self.lx.position() == 0 => Err(ReadError::Empty),
            None => Err(ReadError::NotQbxml {
                detail: "it has no <QBXML> element".into(),
            }),
        }
    }

    fn qbxml(&mut self) -> Result<ResponseDoc, ReadError> {
        let mut doc = None;
        self.children(
            "QBXML",
            |name, attrs, _| match name {
                "QBXMLMsgsRs" => {
                    let mut new_message_set_id = None;
                    let mut status_code = None;
                    for_attrs(attrs, |key, value| {
                        match key {
                            "newMessageSetID" => new_message_set_id = Some(value),
                            "messageSetStatusCode" => status_code = Some(value),
                            _ => {}
                        }
                        Ok(())
                    })?;
                    Ok(Child::Known(QbxmlChild::Messages {
                        new_message_set_id,
                        status_code,
                    }))
                }
                "QBXMLMsgsRq" => Err(ReadError::NotQbxml {
                    detail: "it is a request (QBXMLMsgsRq), not a response".into(),
                }),
                _ => Ok(Child::Skip),
            },
            |p, child, empty| {
                if doc.is_some() {
                    return Err(p.syntax("a second QBXMLMsgsRs in one document"));
                }
                let QbxmlChild::Messages {
                    new_message_set_id,
                    status_code,
                } = child;
                let message_set_status_code = status_code
                    .map(|v| p.number::<i32>(v, "QBXMLMsgsRs messageSetStatusCode"))
                    .transpose()?;
                let responses = if empty { Vec::new() } else { p.messages()? };
                doc = Some(ResponseDoc {
                    new_message_set_id,
                    message_set_status_code,
                    responses,
                });
                Ok(())
            },
        )?;
        doc.ok_or_else(no_messages)
    }

    fn messages(&mut self) -> Result<Vec<Response>, ReadError> {
        let mut responses = Vec::new();
        self.children(
            "QBXMLMsgsRs",
            |name, attrs, _| {
                let Some(message) = name.strip_suffix("Rs") else {
                    return Ok(Child::Skip);
                };
                let mut head = RsHead {
                    message: message.to_string(),
                    kind: BodyKind::of(name),
                    request_id: None,
                    status_code: None,
                    severity: None,
                    status_message: String::new(),
                    ret_count: None,
                    iterator_id: None,
                    remaining: None,
                };
                for_attrs(attrs, |key, value| {
                    match key {
                        "requestID" => head.request_id = Some(value),
                        "statusCode" => head.status_code = Some(value),
                        "statusSeverity" => head.severity = Some(value),
                        "statusMessage" => head.status_message = value,
                        "retCount" => head.ret_count = Some(value),
                        "iteratorID" => head.iterator_id = Some(value),
                        "iteratorRemainingCount" => head.remaining = Some(value),
                        _ => {}
                    }
                    Ok(())
                })?;
                Ok(Child::Known(head))
            },
            |p, head, empty| {
                let response = p.response(head, empty)?;
                responses.push(response);
                Ok(())
            },
        )?;
        Ok(responses)
    }

    fn response(&mut self, head: RsHead, empty: bool) -> Result<Response, ReadError> {
        let element = format!("{}Rs", head.message);
        let code_text = head
            .status_code
            .ok_or_else(|| ReadError::MissingAttribute {
                element: element.clone(),
                attribute: "statusCode",
                position: self.lx.position(),
            })?;
        let code = self.number::<i32>(code_text, "statusCode")?;
        let mut status = Status::new(code, head.status_message);
        if let Some(severity) = head.severity.as_deref().and_then(Severity::parse) {
            status.severity = severity;
        }
        let ret_count = head
            .ret_count
            .map(|v| self.number::<u32>(v, "retCount"))
            .transpose()?;
        let iterator_remaining_count = head
            .remaining
            .map(|v| self.number::<u32>(v, "iteratorRemainingCount"))
            .transpose()?;
        let body = if empty {
            ResponseBody::Empty
        } else {
            self.body(&element, head.kind)?
        };
        Ok(Response {
            message: head.message,
            request_id: head.request_id,
            status,
            ret_count,
            iterator_id: head.iterator_id,
            iterator_remaining_count,
            body,
        })
    }

    fn body(&mut self, element: &str, kind: BodyKind) -> Result<ResponseBody, ReadError> {
        let mut body = ResponseBody::Empty;
        let rets = kind.rets();
        // The Rs element's name is only known at run time; errors name the Ret instead.
        let parent = rets.first().copied().unwrap_or("response");
        self.children(
            parent,
            |name, _, _| {
                Ok(match rets.iter().find(|r| **r == name) {
                    Some(r) => Child::Known(*r),
                    None => Child::Skip,
                })
            },
            |p, ret, empty| {
                match kind {
                    BodyKind::Customer => {
                        let c = if empty {
                            CustomerRet::default()
                        } else {
                            p.customer()?
                        };
                        push(&mut body, c, ResponseBody::Customers, |b| match b {
                            ResponseBody::Customers(v) => Some(v),
                            _ => None,
                        });
                    }
                    BodyKind::CustomerType | BodyKind::JobType | BodyKind::Terms => {
                        let r = if empty {
                            ListRet::default()
                        } else {
                            p.list_ret(ret)?
                        };
                        push(&mut body, r, ResponseBody::ListEntries, |b| match b {
                            ResponseBody::ListEntries(v) => Some(v),
                            _ => None,
                        });
                    }
                    BodyKind::Names(list) => {
                        let n = p.name_ret(list, empty)?;
                        push(&mut body, n, ResponseBody::Names, |b| match b {
                            ResponseBody::Names(v) => Some(v),
                            _ => None,
                        });
                    }
                    BodyKind::Deleted => {
                        let d = p.deleted_ret(empty)?;
                        push(&mut body, d, ResponseBody::Deleted, |b| match b {
                            ResponseBody::Deleted(v) => Some(v),
                            _ => None,
                        });
                    }
                    BodyKind::Host => body = ResponseBody::Host(p.host(empty)?),
                    BodyKind::Company => body = ResponseBody::Company(p.company(empty)?),
                    BodyKind::Unknown => {}
                }
                Ok(())
            },
        )
        .map_err(|e| e.inside(element))?;
        Ok(body)
    }

    fn customer(&mut self) -> Result<CustomerRet, ReadError> {
        let mut c = CustomerRet::default();
        self.children(
            "CustomerRet",
            |name, _, _| Ok(CUSTOMER_TAGS.child(name)),
            |p, (element, tag), empty| {
                match tag {
                    CustomerTag::Plain(field) => {
                        p.leaf(element, empty)?;
                        c.data.set(field, &p.text);
                    }
                    CustomerTag::Address(a) => {
                        if !empty {
                            p.address(&mut c.data, a)?;
                        }
                    }
                    CustomerTag::Ref(field) => {
                        if !empty {
                            p.list_ref(element, |child, text| {
                                if child == RefChild::FullName {
                                    c.data.set(field, text);
                                }
                            })?;
                        }
                    }
                    CustomerTag::Other(content) => {
                        p.customer_other(&mut c, element, content, empty)?
                    }
                }
                Ok(())
            },
        )?;
        // Kept for the whole sync, 100,000 at a time: no spare capacity.
        c.data.shrink_to_fit();
        Ok(c)
    }

    fn customer_other(
        &mut self,
        c: &mut CustomerRet,
        element: &'static str,
        content: Content,
        empty: bool,
    ) -> Result<(), ReadError> {
        match content {
            Content::ParentRef => c.parent = self.owned_ref(element, empty)?,
            Content::JobTypeRef => {
                c.job_type = self.owned_ref(element, empty)?.and_then(|r| r.full_name)
            }
            _ => {
                self.leaf(element, empty)?;
                match content {
                    Content::ListId => c.list_id = self.take_text(),
                    Content::TimeCreated => c.time_created = self.opt_text(),
                    Content::TimeModified => c.time_modified = self.opt_text(),
                    Content::EditSequence => c.edit_sequence = self.opt_text(),
                    Content::FullName => c.full_name = self.opt_text(),
                    Content::ExternalGuid => c.external_guid = self.opt_text(),
                    Content::IsActive => c.is_active = self.boolean(element)?,
                    Content::Sublevel => c.sublevel = self.opt_number(element)?,
                    _ => {}
                }
            }
        }
        Ok(())
    }

    fn address(&mut self, data: &mut CustomerData, a: Address) -> Result<(), ReadError> {
        let table: &NameTable<Field> = match a {
            Address::Bill => &BILL_ADDRESS,
            Address::Ship => &SHIP_ADDRESS,
        };
        self.children(
            a.element(),
            |name, _, _| Ok(table.child(name)),
            |p, (element, field), empty| {
                p.leaf(element, empty)?;
                data.set(field, &p.text);
                Ok(())
            },
        )
    }

    /// Reads a `…Ref` aggregate, handing each ListID / FullName to `found`.
    fn list_ref(
        &mut self,
        parent: &'static str,
        mut found: impl FnMut(RefChild, &str),
    ) -> Result<(), ReadError> {
        self.children(
            parent,
            |name, _, _| {
                Ok(match name {
                    "ListID" => Child::Known(RefChild::ListId),
                    "FullName" => Child::Known(RefChild::FullName),
                    _ => Child::Skip,
                })
            },
            |p, child, empty| {
                p.leaf(
                    match child {
                        RefChild::ListId => "ListID",
                        RefChild::FullName => "FullName",
                    },
                    empty,
                )?;
                found(child, &p.text);
                Ok(())
            },
        )
    }

    fn owned_ref(
        &mut self,
        element: &'static str,
        empty: bool,
    ) -> Result<Option<ListRef>, ReadError> {
        if empty {
            return Ok(None);
        }
        let mut r = ListRef {
            list_id: None,
            full_name: None,
        };
        self.list_ref(element, |child, text| {
            let value = (!text.is_empty()).then(|| text.to_string());
            match child {
                RefChild::ListId => r.list_id = value,
                RefChild::FullName => r.full_name = value,
            }
        })?;
        Ok((r.list_id.is_some() || r.full_name.is_some()).then_some(r))
    }

    fn list_ret(&mut self, ret: &'static str) -> Result<ListRet, ReadError> {
        let mut r = ListRet::default();
        self.children(
            ret,
            |name, _, _| Ok(LIST_RET_TAGS.child(name)),
            |p, (element, content), empty| {
                if content == Content::ParentRef {
                    r.parent = p.owned_ref(element, empty)?;
                    return Ok(());
                }
                p.leaf(element, empty)?;
                match content {
                    Content::ListId => r.list_id = p.take_text(),
                    Content::TimeCreated => r.time_created = p.opt_text(),
                    Content::TimeModified => r.time_modified = p.opt_text(),
                    Content::EditSequence => r.edit_sequence = p.opt_text(),
                    Content::Mapped => r.name = p.take_text(),
                    Content::FullName => r.full_name = p.take_text(),
                    Content::IsActive => r.is_active = p.boolean(element)?,
                    Content::Sublevel => r.sublevel = p.opt_number(element)?,
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(r)
    }

    fn name_ret(&mut self, list: NameList, empty: bool) -> Result<NameRet, ReadError> {
        let mut r = NameRet {
            list,
            list_id: String::new(),
            name: String::new(),
            is_active: None,
        };
        if empty {
            return Ok(r);
        }
        self.children(
            list.ret_name(),
            |name, _, _| {
                Ok(match name {
                    "ListID" => Child::Known(("ListID", Content::ListId)),
                    "Name" => Child::Known(("Name", Content::Mapped)),
                    "IsActive" => Child::Known(("IsActive", Content::IsActive)),
                    _ => Child::Skip,
                })
            },
            |p, (element, content), empty| {
                p.leaf(element, empty)?;
                match content {
                    Content::ListId => r.list_id = p.take_text(),
                    Content::Mapped => r.name = p.take_text(),
                    _ => r.is_active = p.boolean(element)?,
                }
                Ok(())
            },
        )?;
        Ok(r)
    }

    fn deleted_ret(&mut self, empty: bool) -> Result<ListDeletedRet, ReadError> {
        let mut d = ListDeletedRet::default();
        if empty {
            return Ok(d);
        }
        self.children(
            "ListDeletedRet",
            |name, _, _| Ok(DELETED_TAGS.child(name)),
            |p, (element, tag), empty| {
                p.leaf(element, empty)?;
                match tag {
                    DeletedTag::ListDelType => {
                        let text = p.text.trim();
                        d.list_del_type = if text.is_empty() {
                            None
                        } else {
                            Some(ListDelType::parse(text).ok_or_else(|| {
                                p.bad_value(element, text, "a ListDelType such as Customer")
                            })?)
                        };
                    }
                    DeletedTag::ListId => d.list_id = p.take_text(),
                    DeletedTag::TimeCreated => d.time_created = p.opt_text(),
                    DeletedTag::TimeDeleted => d.time_deleted = p.opt_text(),
                    DeletedTag::FullName => d.full_name = p.opt_text(),
                }
                Ok(())
            },
        )?;
        Ok(d)
    }

    fn host(&mut self, empty: bool) -> Result<HostRet, ReadError> {
        let mut h = HostRet::default();
        if empty {
            return Ok(h);
        }
        self.children(
            "HostRet",
            |name, _, _| Ok(HOST_TAGS.child(name)),
            |p, (element, tag), empty| {
                p.leaf(element, empty)?;
                match tag {
                    HostTag::ProductName => h.product_name = p.take_text(),
                    HostTag::MajorVersion => h.major_version = p.take_text(),
                    HostTag::MinorVersion => h.minor_version = p.take_text(),
                    HostTag::Country => h.country = p.opt_text(),
                    HostTag::SupportedVersion => h.supported_versions.push(p.take_text()),
                    HostTag::IsAutomaticLogin => h.is_automatic_login = p.boolean(element)?,
                    HostTag::FileMode => h.file_mode = p.opt_text(),
                }
                Ok(())
            },
        )?;
        Ok(h)
    }

    fn company(&mut self, empty: bool) -> Result<CompanyRet, ReadError> {
        let mut c = CompanyRet::default();
        if empty {
            return Ok(c);
        }
        self.children(
            "CompanyRet",
            |name, _, _| {
                Ok(match name {
                    "IsSampleCompany" => Child::Known("IsSampleCompany"),
                    "CompanyName" => Child::Known("CompanyName"),
                    "LegalCompanyName" => Child::Known("LegalCompanyName"),
                    "Phone" => Child::Known("Phone"),
                    "Email" => Child::Known("Email"),
                    _ => Child::Skip,
                })
            },
            |p, element, empty| {
                p.leaf(element, empty)?;
                match element {
                    "IsSampleCompany" => c.is_sample_company = p.boolean(element)?,
                    "CompanyName" => c.company_name = p.opt_text(),
                    "LegalCompanyName" => c.legal_company_name = p.opt_text(),
                    "Phone" => c.phone = p.opt_text(),
                    _ => c.email = p.opt_text(),
                }
                Ok(())
            },
        )?;
        Ok(c)
    }

    // -----------------------------------------------------------------------------------------
    // Primitives

    /// Walks the children of the element just opened until its end tag.
    ///
    /// `classify` sees each child's name and raw attributes while they are still borrowed from
    /// the input, and decides; `act` then reads the child (owning the parser again). Unknown
    /// children are skipped whole, however deep (the lexer bounds the depth).
    fn children<K>(
        &mut self,
        parent: &str,
        mut classify: impl FnMut(&str, &str, bool) -> Result<Child<K>, ReadError>,
        mut act: impl FnMut(&mut Self, K, bool) -> Result<(), ReadError>,
    ) -> Result<(), ReadError> {
        loop {
            let (child, empty) = match self.lx.next_tag()? {
                Token::Start { name, attrs, empty } => {
                    let child = classify(name, attrs, empty);
                    if let Ok(Child::Skip) = child {
                        self.skipping.clear();
                        self.skipping.push_str(name);
                    }
                    (child, empty)
                }
                Token::End => return Ok(()),
                Token::Eof => return Err(self.truncated(parent)),
                Token::Text(t) => {
                    check_entities(t).map_err(|d| self.text_error(d, parent))?;
                    continue;
                }
                Token::CData(_) => continue,
            };
            match child.map_err(|e| self.at(e))? {
                Child::Known(k) => act(self, k, empty)?,
                Child::Skip if !empty => self.skip()?,
                Child::Skip => {}
            }
        }
    }

    /// Skips the element just opened (named in `self.skipping`) and everything in it.
    fn skip(&mut self) -> Result<(), ReadError> {
        let mut level = 1usize;
        loop {
            match self.lx.next()? {
                Token::Start { empty: false, .. } => level += 1,
                Token::Start { .. } | Token::CData(_) => {}
                Token::End => {
                    level -= 1;
                    if level == 0 {
                        return Ok(());
                    }
                }
                Token::Text(t) => {
                    if let Err(d) = check_entities(t) {
                        let inside = std::mem::take(&mut self.skipping);
                        return Err(self.text_error(d, &inside));
                    }
                }
                Token::Eof => {
                    let inside = self.lx.innermost();
                    return Err(self.truncated(&inside));
                }
            }
        }
    }

    /// Reads the text of a leaf element into `self.text` (entities decoded, line ends
    /// normalised). An empty element gives an empty text.
    fn leaf(&mut self, element: &'static str, empty: bool) -> Result<(), ReadError> {
        self.text.clear();
        if empty {
            return Ok(());
        }
        // Text errors point at the start of the text, wherever the lexer has got to.
        let mut start = self.lx.position();
        if let Some(raw) = self.lx.leaf_text() {
            return match lexer::decode_text(&mut self.text, raw) {
                Ok(()) => Ok(()),
                Err(detail) => Err(self.text_error_at(detail, element, start)),
            };
        }
        loop {
            let token_start = start;
            let result = match self.lx.next().map_err(|e| e.inside(element))? {
                Token::Text(t) => lexer::decode_text(&mut self.text, t),
                Token::CData(c) => {
                    self.text
                        .push_str(&c.replace("\r\n", "\n").replace('\r', "\n"));
                    Ok(())
                }
                Token::End => return Ok(()),
                Token::Start { name, .. } => Err(format!(
                    "<{}> inside <{element}>, which holds only text",
                    clip(name)
                )),
                Token::Eof => return Err(self.truncated(element)),
            };
            if let Err(detail) = result {
                return Err(self.text_error_at(detail, element, token_start));
            }
            start = self.lx.position();
            if self.text.len() > MAX_VALUE_BYTES {
                return Err(ReadError::ValueTooLarge {
                    element: element.to_string(),
                    limit: MAX_VALUE_BYTES,
                    position: self.lx.position(),
                });
            }
        }
    }

    /// An error found decoding text or markup inside `element`.
    fn text_error(&self, detail: String, element: &str) -> ReadError {
        self.text_error_at(detail, element, self.lx.position())
    }

    fn text_error_at(&self, detail: String, element: &str, position: u64) -> ReadError {
        match detail.strip_prefix(UNKNOWN_ENTITY) {
            Some(entity) => ReadError::UnknownEntity {
                position,
                entity: entity.to_string(),
            },
            None => ReadError::Syntax {
                position,
                detail: format!("{detail} (in <{}>)", clip(element)),
            },
        }
    }

    fn take_text(&mut self) -> String {
        String::from(self.text.as_str())
    }

    fn opt_text(&mut self) -> Option<String> {
        (!self.text.is_empty()).then(|| self.take_text())
    }

    fn boolean(&self, element: &str) -> Result<Option<bool>, ReadError> {
        match self.text.trim() {
            "" => Ok(None),
            "true" | "1" => Ok(Some(true)),
            "false" | "0" => Ok(Some(false)),
            other => Err(self.bad_value(element, other, "true or false")),
        }
    }

    fn opt_number<T: std::str::FromStr>(&self, element: &str) -> Result<Option<T>, ReadError> {
        let t = self.text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse()
            .map(Some)
            .map_err(|_| self.bad_value(element, t, "a whole number"))
    }

    fn number<T: std::str::FromStr>(&self, text: String, what: &str) -> Result<T, ReadError> {
        text.trim()
            .parse()
            .map_err(|_| self.bad_value(what, &text, "a whole number"))
    }

    fn bad_value(&self, element: &str, value: &str, expected: &'static str) -> ReadError {
        ReadError::BadValue {
            element: element.to_string(),
            value: value.chars().take(40).collect(),
            expected,
            position: self.lx.position(),
        }
    }

    fn truncated(&self, inside: &str) -> ReadError {
        ReadError::Truncated {
            position: self.lx.position(),
            inside: inside.to_string(),
        }
    }

    fn syntax(&self, detail: &str) -> ReadError {
        ReadError::Syntax {
            position: self.lx.position(),
            detail: detail.to_string(),
        }
    }

    /// Gives a position to an error raised where the input could not be asked.
    fn at(&self, mut e: ReadError) -> ReadError {
        if let ReadError::Syntax { position, .. } | ReadError::UnknownEntity { position, .. } =
            &mut e
            && *position == UNKNOWN_POSITION
        {
            *position = self.lx.position();
        }
        e
    }
}

const UNKNOWN_POSITION: u64 = u64::MAX;
/// Marks a decoding complaint that is about an unknown entity (see [`lexer::decode_text`]).
const UNKNOWN_ENTITY: &str = "\u{0}unknown entity:";

/// Checks the entities of text custsync does not keep (whitespace between elements, skipped
/// content): an unknown one is refused wherever it is.
fn check_entities(raw: &str) -> Result<(), String> {
    if memchr::memchr(b'&', raw.as_bytes()).is_some() {
        lexer::decode_text(&mut String::new(), raw)?;
    }
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RefChild {
    ListId,
    FullName,
}

#[derive(Clone, Copy, Debug)]
enum HostTag {
    ProductName,
    MajorVersion,
    MinorVersion,
    Country,
    SupportedVersion,
    IsAutomaticLogin,
    FileMode,
}

static HOST_TAGS: LazyLock<NameTable<HostTag>> = LazyLock::new(|| {
    NameTable::new([
        ("ProductName", HostTag::ProductName),
        ("MajorVersion", HostTag::MajorVersion),
        ("MinorVersion", HostTag::MinorVersion),
        ("Country", HostTag::Country),
        ("SupportedQBXMLVersion", HostTag::SupportedVersion),
        ("IsAutomaticLogin", HostTag::IsAutomaticLogin),
        ("QBFileMode", HostTag::FileMode),
    ])
});

#[derive(Clone, Copy, Debug)]
enum DeletedTag {
    ListDelType,
    ListId,
    TimeCreated,
    TimeDeleted,
    FullName,
}

static DELETED_TAGS: LazyLock<NameTable<DeletedTag>> = LazyLock::new(|| {
    NameTable::new([
        ("ListDelType", DeletedTag::ListDelType),
        ("ListID", DeletedTag::ListId),
        ("TimeCreated", DeletedTag::TimeCreated),
        ("TimeDeleted", DeletedTag::TimeDeleted),
        ("FullName", DeletedTag::FullName),
    ])
});

/// CustomerTypeRet / JobTypeRet / StandardTermsRet / DateDrivenTermsRet children (terms have
/// no FullName, ParentRef or Sublevel); `Mapped` stands for Name.
static LIST_RET_TAGS: LazyLock<NameTable<Content>> = LazyLock::new(|| {
    NameTable::new([
        ("ListID", Content::ListId),
        ("TimeCreated", Content::TimeCreated),
        ("TimeModified", Content::TimeModified),
        ("EditSequence", Content::EditSequence),
        ("Name", Content::Mapped),
        ("FullName", Content::FullName),
        ("IsActive", Content::IsActive),
        ("ParentRef", Content::ParentRef),
        ("Sublevel", Content::Sublevel),
    ])
});

fn clip(name: &str) -> String {
    name.chars().take(80).collect()
}

fn no_messages() -> ReadError {
    ReadError::NotQbxml {
        detail: "it has no QBXMLMsgsRs element".into(),
    }
}

/// Appends `item` to the body's list, starting the list on the first item.
fn push<T>(
    body: &mut ResponseBody,
    item: T,
    make: fn(Vec<T>) -> ResponseBody,
    list: fn(&mut ResponseBody) -> Option<&mut Vec<T>>,
) {
    match list(body) {
        Some(v) => v.push(item),
        None => *body = make(vec![item]),
    }
}

/// Calls `f` with each attribute's name and decoded value.
fn for_attrs(
    raw: &str,
    mut f: impl FnMut(&str, String) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    let mut failure = None;
    lexer::attributes(raw, |key, value| {
        f(key, value).map_err(|e| {
            failure = Some(e);
            String::new()
        })
    })
    .map_err(|detail| {
        failure
            .take()
            .unwrap_or_else(|| match detail.strip_prefix(UNKNOWN_ENTITY) {
                Some(entity) => ReadError::UnknownEntity {
                    position: UNKNOWN_POSITION,
                    entity: entity.to_string(),
                },
                None => ReadError::Syntax {
                    position: UNKNOWN_POSITION,
                    detail,
                },
            })
    })
}

#[cfg(test)]
mod tests;
