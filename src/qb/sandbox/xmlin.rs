//! A strict reader for qbXML request documents: well-formed XML in, a small element tree out.
//!
//! It refuses what QuickBooks' request processor refuses before looking at any message —
//! malformed or truncated XML, a DOCTYPE (and with it every entity trick), unknown entities,
//! raw characters outside ISO-8859-1 — and, unlike QuickBooks, says where. Character references
//! above U+00FF are accepted and stored as `?`, the way QuickBooks stores text that reached it
//! through an ISO-8859-1 encoder (reference §4.4, `qbwc/qbxml#8`).
//!
//! The tree is built without recursion and its depth is capped, so hostile nesting can neither
//! overflow the stack here nor when the tree is dropped.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Deeper than any qbXML message the sandbox understands (the deepest is about eight levels).
const MAX_DEPTH: usize = 48;

/// One element: name, attributes, text (for leaves) and children, with the line it starts on for
/// error messages.
#[derive(Debug, Default)]
pub struct Elem {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Elem>,
    pub line: usize,
}

impl Elem {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn child(&self, name: &str) -> Option<&Elem> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Elem> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Text of the child `name`, if present.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }
}

/// A parsed document: the `<?qbxml version?>` it declared and its root element.
#[derive(Debug)]
pub struct XmlDoc {
    pub qbxml_version: Option<String>,
    pub root: Elem,
}

/// Why a document is not acceptable XML, with the line it happened on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub message: String,
}

impl XmlError {
    fn at(text: &str, offset: usize, message: impl AsRef<str>) -> Self {
        XmlError {
            message: format!(
                "{} (line {})",
                message.as_ref(),
                LineCounter::default().line_at(text, offset)
            ),
        }
    }
}

#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    /// The 1-based line of `offset`; offsets must not decrease between calls.
    fn line_at(&mut self, text: &str, offset: usize) -> usize {
        let end = offset.min(text.len()).max(self.offset);
        self.line += text.as_bytes()[self.offset..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = end;
        self.line + 1
    }
}

/// Reads `text` into an element tree.
pub fn parse(text: &str) -> Result<XmlDoc, XmlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(XmlError {
            message: "the request is empty: expected a qbXML document starting with <?xml".into(),
        });
    }
    let mut reader = Reader::from_str(text);
    let cfg = reader.config_mut();
    cfg.check_end_names = true;
    cfg.check_comments = true;
    cfg.expand_empty_elements = false;

    let mut qbxml_version = None;
    // Line numbers are counted incrementally: recounting from the start per element would make
    // large documents quadratic.
    let mut lines = LineCounter::default();
    let mut stack: Vec<Elem> = Vec::new();
    let mut root: Option<Elem> = None;

    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(offset);
                return Err(XmlError::at(text, at, format!("malformed XML: {e}")));
            }
        };
        match event {
            Event::Decl(_) | Event::Comment(_) => {}
            Event::DocType(_) => {
                return Err(XmlError::at(
                    text,
                    offset,
                    "a DOCTYPE declaration is not allowed in a qbXML request",
                ));
            }
            Event::PI(pi) => {
                if pi.target() == "qbxml" && stack.is_empty() && root.is_none() {
                    qbxml_version = Some(pi_version(pi.content()).ok_or_else(|| {
                        XmlError::at(
                            text,
                            offset,
                            "the <?qbxml?> instruction has no version=\"…\" (write <?qbxml version=\"13.0\"?>)",
                        )
                    })?);
                }
            }
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::at(
                        text,
                        offset,
                        format!("elements are nested more than {MAX_DEPTH} levels deep"),
                    ));
                }
                let mut elem = open_elem(text, offset, &start)?;
                elem.line = lines.line_at(text, offset);
                check_one_root(text, offset, &stack, &root, &elem)?;
                stack.push(elem);
            }
            Event::Empty(start) => {
                let mut elem = open_elem(text, offset, &start)?;
                elem.line = lines.line_at(text, offset);
                check_one_root(text, offset, &stack, &root, &elem)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(elem),
                    None => root = Some(elem),
                }
            }
            Event::End(_) => {
                // quick-xml has checked that the end tag matches the open element.
                let Some(done) = stack.pop() else {
                    return Err(XmlError::at(text, offset, "an end tag without a start tag"));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                append_text(text, offset, &mut stack, &content, true)?;
            }
            Event::CData(c) => {
                let content = c.xml10_content();
                append_text(text, offset, &mut stack, &content, true)?;
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => predefined_entity(&r.xml10_content()).ok_or_else(|| {
                        XmlError::at(
                            text,
                            offset,
                            format!(
                                "unknown entity &{}; (only &amp; &lt; &gt; &quot; &apos; and character references are allowed)",
                                r.xml10_content()
                            ),
                        )
                    })?,
                    Err(e) => {
                        return Err(XmlError::at(text, offset, format!("bad character reference: {e}")));
                    }
                };
                let mut buf = [0u8; 4];
                let s = latin1_or_question_mark(ch).encode_utf8(&mut buf);
                append_text(text, offset, &mut stack, s, false)?;
            }
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError::at(
            text,
            text.len(),
            format!(
                "the document ends before <{}> is closed (truncated?)",
                open.name
            ),
        ));
    }
    let root = root.ok_or_else(|| XmlError::at(text, 0, "the document has no root element"))?;
    Ok(XmlDoc {
        qbxml_version,
        root,
    })
}

fn check_one_root(
    text: &str,
    offset: usize,
    stack: &[Elem],
    root: &Option<Elem>,
    elem: &Elem,
) -> Result<(), XmlError> {
    if stack.is_empty() && root.is_some() {
        return Err(XmlError::at(
            text,
            offset,
            format!(
                "a second root element <{}> after the document's end",
                elem.name
            ),
        ));
    }
    Ok(())
}

fn open_elem(text: &str, offset: usize, start: &BytesStart<'_>) -> Result<Elem, XmlError> {
    let name = start.name().as_ref().to_owned();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| {
            XmlError::at(
                text,
                offset,
                format!("malformed attribute in <{name}>: {e}"),
            )
        })?;
        let key = attr.key.as_ref().to_owned();
        let value = unescape_attr(&attr.value)
            .map_err(|m| XmlError::at(text, offset, format!("attribute {key} of <{name}>: {m}")))?;
        check_chars(&value)
            .map_err(|m| XmlError::at(text, offset, format!("attribute {key} of <{name}>: {m}")))?;
        if attrs.iter().any(|(k, _)| *k == key) {
            return Err(XmlError::at(
                text,
                offset,
                format!("attribute {key} appears twice in <{name}>"),
            ));
        }
        attrs.push((key, value));
    }
    Ok(Elem {
        name,
        attrs,
        ..Elem::default()
    })
}

/// Appends character data to the open element. Whitespace between elements is dropped; other
/// text outside the root is refused. `raw` text must be ISO-8859-1 (QuickBooks fails to parse
/// anything else), while resolved references have already been mapped.
fn append_text(
    text: &str,
    offset: usize,
    stack: &mut [Elem],
    content: &str,
    raw: bool,
) -> Result<(), XmlError> {
    match stack.last_mut() {
        None => {
            if content.trim().is_empty() {
                Ok(())
            } else {
                Err(XmlError::at(text, offset, "text outside the root element"))
            }
        }
        Some(elem) => {
            if raw {
                check_chars(content)
                    .map_err(|m| XmlError::at(text, offset, format!("in <{}>: {m}", elem.name)))?;
            }
            elem.text.push_str(content);
            Ok(())
        }
    }
}

/// QuickBooks Desktop stores only ISO-8859-1 and fails to parse requests carrying anything else
/// as raw characters; XML itself forbids most control characters.
fn check_chars(s: &str) -> Result<(), String> {
    for ch in s.chars() {
        if u32::from(ch) > 0xFF {
            return Err(format!(
                "the character '{ch}' (U+{:04X}) is not in ISO-8859-1 (Latin-1), the only character set QuickBooks Desktop accepts",
                u32::from(ch)
            ));
        }
        if ch.is_control() && !matches!(ch, '\t' | '\n' | '\r') && u32::from(ch) < 0x20 {
            return Err(format!(
                "the control character U+{:04X} is not allowed in XML",
                u32::from(ch)
            ));
        }
    }
    Ok(())
}

fn latin1_or_question_mark(ch: char) -> char {
    if u32::from(ch) > 0xFF { '?' } else { ch }
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// Unescapes an attribute value: the five predefined entities and character references.
fn unescape_attr(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .find(';')
            .ok_or_else(|| "an & that does not start an entity (write &amp;)".to_string())?;
        let name = &after[..end];
        let ch = if let Some(num) = name.strip_prefix('#') {
            let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            code.and_then(char::from_u32)
                .filter(|&c| c != '\0')
                .map(latin1_or_question_mark)
                .ok_or_else(|| format!("bad character reference &{name};"))?
        } else {
            predefined_entity(name).ok_or_else(|| format!("unknown entity &{name};"))?
        };
        out.push(ch);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    // Attribute-value normalisation (XML 1.0 §3.3.3): literal line breaks and tabs become spaces.
    Ok(out.replace(['\n', '\t'], " ").replace('\r', ""))
}

fn pi_version(content: &str) -> Option<String> {
    // Depending on the reader, the content may still start with the target.
    let t = content.trim();
    let rest = t.strip_prefix("qbxml").unwrap_or(t).trim();
    let rest = rest.strip_prefix("version")?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &rest[1..];
    let end = inner.find(quote)?;
    Some(inner[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text).expect_err("should be refused").message
    }

    #[test]
    fn reads_a_request_with_entities_and_version() {
        let doc = parse(
            r#"<?xml version="1.0"?><?qbxml version="13.0"?>
<QBXML><QBXMLMsgsRq onError="stopOnError"><X requestID="a&amp;b"><Name>A &amp; B &#233; &#x4E2D;</Name></X></QBXMLMsgsRq></QBXML>"#,
        )
        .unwrap();
        assert_eq!(doc.qbxml_version.as_deref(), Some("13.0"));
        let rq = &doc.root.children[0].children[0];
        assert_eq!(rq.attr("requestID"), Some("a&b"));
        assert_eq!(rq.child_text("Name"), Some("A & B é ?"));
    }

    #[test]
    fn refuses_bad_documents_with_a_reason() {
        assert!(err("").contains("empty"));
        assert!(err("<QBXML><A></QBXML>").contains("malformed"));
        assert!(err("<QBXML><A>").contains("truncated"));
        assert!(err("<!DOCTYPE x [<!ENTITY a \"b\">]><QBXML/>").contains("DOCTYPE"));
        assert!(err("<QBXML>&foo;</QBXML>").contains("unknown entity"));
        assert!(err("<QBXML>\u{4e2d}</QBXML>").contains("ISO-8859-1"));
        assert!(err("<QBXML a=\"&x;\"/>").contains("unknown entity"));
        assert!(err("<QBXML/><QBXML/>").contains("second root"));
        assert!(err("<QBXML>\u{1}</QBXML>").contains("control character"));
        assert!(err("\u{0}\u{1}\u{2}garbage").contains("line 1"));
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(err(&deep).contains("nested"));
    }
}
