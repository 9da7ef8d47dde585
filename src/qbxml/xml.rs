//! A minimal XML writer shared by everything that emits qbXML (custsync's requests, the sandbox's
//! responses, the Web Connector's SOAP envelopes).
//!
//! It only appends to a `String`: no allocation per element beyond the output, and escaping that
//! is right for both text and attribute values.

/// Appends `text` to `out`, escaped for element content or a double-quoted attribute value.
///
/// Apostrophes stay literal: QuickBooks' acceptance of `&apos;` is unconfirmed and a literal `'`
/// is valid XML in both places.
pub fn escape_into(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            // Line breaks in attribute values would be normalised to spaces by a reader; keep them.
            b'\r' => "&#13;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// Returns `text` escaped (see [`escape_into`]).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text);
    out
}

/// Builds an XML document into a string.
#[derive(Default)]
pub struct XmlWriter {
    out: String,
    open: Vec<&'static str>,
    /// An element's start tag is left unclosed until its first child or text so that attributes
    /// can still be added.
    tag_open: bool,
}

impl XmlWriter {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_capacity(capacity: usize) -> Self {
        XmlWriter {
            out: String::with_capacity(capacity),
            ..Self::default()
        }
    }

    /// Writes raw markup (declarations, processing instructions). The caller guarantees it is
    /// well-formed.
    pub fn raw(&mut self, markup: &str) -> &mut Self {
        self.close_tag();
        self.out.push_str(markup);
        self
    }

    pub fn start(&mut self, name: &'static str) -> &mut Self {
        self.close_tag();
        self.out.push('<');
        self.out.push_str(name);
        self.open.push(name);
        self.tag_open = true;
        self
    }

    /// Adds an attribute to the element just started.
    ///
    /// # Panics
    /// When no start tag is open: that is a bug in the caller, not something input can cause.
    pub fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        assert!(
            self.tag_open,
            "attribute {name} written outside a start tag"
        );
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(&mut self.out, value);
        self.out.push('"');
        self
    }

    pub fn attr_opt(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.attr(name, v);
        }
        self
    }

    pub fn text(&mut self, text: &str) -> &mut Self {
        self.close_tag();
        escape_into(&mut self.out, text);
        self
    }

    /// Closes the innermost open element.
    ///
    /// # Panics
    /// When no element is open: every `end` follows its `start` in the same writer function, and
    /// the schema suites validate every document the writers produce.
    pub fn end(&mut self) -> &mut Self {
        #[allow(clippy::expect_used, reason = "documented under # Panics")]
        let name = self.open.pop().expect("end() without a matching start()");
        if self.tag_open {
            self.out.push_str("/>");
            self.tag_open = false;
        } else {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
        self
    }

    /// `<name>text</name>`.
    pub fn leaf(&mut self, name: &'static str, text: &str) -> &mut Self {
        self.start(name).text(text).end()
    }

    pub fn leaf_opt(&mut self, name: &'static str, text: Option<&str>) -> &mut Self {
        if let Some(t) = text {
            self.leaf(name, t);
        }
        self
    }

    /// Closes every open element and returns the document.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out
    }

    fn close_tag(&mut self) {
        if self.tag_open {
            self.out.push('>');
            self.tag_open = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_but_not_apostrophes() {
        assert_eq!(
            escape(r#"A&B <x> "q" O'Brien"#),
            "A&amp;B &lt;x&gt; &quot;q&quot; O'Brien"
        );
    }

    #[test]
    fn writes_nested_elements_and_attributes() {
        let mut w = XmlWriter::new();
        w.start("A").attr("id", "1&2");
        w.leaf("B", "x<y").start("C").end();
        assert_eq!(w.finish(), r#"<A id="1&amp;2"><B>x&lt;y</B><C/></A>"#);
    }
}
