//! A small XML tokenizer for qbXML responses.
//!
//! quick-xml spent most of the reader's time re-validating UTF-8 for every event and running its
//! general-purpose state machine; qbXML needs much less. This lexer validates UTF-8 once per
//! buffer (or not at all for a `&str`), finds markup with `memchr`, and enforces what a response
//! must satisfy on the way: matching end tags, a nesting limit, a size limit on every token
//! (so a giant value is refused before it is buffered), no DOCTYPE, no stray `<` in a tag.
//!
//! Comments, processing instructions and the XML declaration are skipped. Text and attribute
//! values are handed over raw; [`decode_text`] and [`attributes`] decode them.

use std::io::Read;

use memchr::{memchr, memmem};

use super::{MAX_DEPTH, MAX_VALUE_BYTES, ReadError};

/// One piece of the document.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// A start tag; `attrs` is the raw text after the name. `empty` for `<x/>`.
    Start {
        name: &'a str,
        attrs: &'a str,
        empty: bool,
    },
    /// An end tag, already checked against its start tag.
    End,
    /// Character data, still escaped (entities not yet decoded, line ends not normalised).
    Text(&'a str),
    /// The content of a CDATA section: literal text.
    CData(&'a str),
    Eof,
}

/// Bytes read from a stream per refill.
const CHUNK: usize = 64 * 1024;
/// No token may be longer than this: the value limit plus room for the markup around it.
const MAX_TOKEN: usize = MAX_VALUE_BYTES + 1024;

enum Input<'a, R> {
    Slice(&'a str),
    Stream {
        reader: R,
        buf: Vec<u8>,
        /// Where each read lands before it joins `buf`.
        spare: Vec<u8>,
        /// `buf[..valid]` is checked UTF-8; bytes after it are the start of a split character
        /// or, when `invalid`, not UTF-8.
        valid: usize,
        done: bool,
        invalid: bool,
    },
}

pub(super) struct Lexer<'a, R> {
    input: Input<'a, R>,
    /// Next unread byte in the slice or buffer.
    pos: usize,
    /// Absolute offset of byte 0 of the buffer (it slides for streams).
    base: u64,
    /// Names of the open elements, concatenated, with their lengths.
    open: Vec<u8>,
    open_lens: Vec<usize>,
}

/// A position-less complaint raised while a token is still being cut out.
enum Cut {
    /// The input ends inside this construct.
    NeedMore(&'static str),
    Bad(String),
    TooLarge,
    Doctype,
    Skip(usize),
}

impl<'a> Lexer<'a, std::io::Empty> {
    pub(super) fn from_str(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        Lexer::new(Input::Slice(text))
    }
}

impl<R: Read> Lexer<'static, R> {
    pub(super) fn from_reader(reader: R) -> Self {
        Lexer::new(Input::Stream {
            reader,
            buf: Vec::with_capacity(2 * CHUNK),
            spare: vec![0; CHUNK],
            valid: 0,
            done: false,
            invalid: false,
        })
    }
}

impl<'a, R: Read> Lexer<'a, R> {
    fn new(input: Input<'a, R>) -> Self {
        Lexer {
            input,
            pos: 0,
            base: 0,
            open: Vec::with_capacity(256),
            open_lens: Vec::with_capacity(MAX_DEPTH),
        }
    }

    /// Byte offset of the next unread byte.
    pub(super) fn position(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Names the innermost open element (for "ends early inside <X>"); `?` outside the root.
    pub(super) fn innermost(&self) -> String {
        match self.open_lens.last() {
            Some(&len) => String::from_utf8_lossy(&self.open[self.open.len() - len..]).into_owned(),
            None => "?".into(),
        }
    }

    pub(super) fn next(&mut self) -> Result<Token<'_>, ReadError> {
        loop {
            let cut = {
                let (text, at_end) = self.available();
                cut(text, at_end)
            };
            match cut {
                Ok((kind, len)) => return self.emit(kind, len),
                Err(Cut::Skip(len)) => self.pos += len,
                Err(Cut::NeedMore(what)) => {
                    if !self.refill()? {
                        // `cut` asks for more at the very end only when a construct is unfinished
                        // (an empty stream that is done yields Eof without asking).
                        return Err(if self.open_lens.is_empty() && what == "text" {
                            ReadError::Syntax {
                                position: self.position(),
                                detail: "text after the end of the document".into(),
                            }
                        } else {
                            ReadError::Truncated {
                                position: self.position(),
                                inside: if self.open_lens.is_empty() {
                                    what.to_string()
                                } else {
                                    self.innermost()
                                },
                            }
                        });
                    }
                }
                Err(Cut::TooLarge) => {
                    return Err(ReadError::ValueTooLarge {
                        element: if self.open_lens.is_empty() {
                            "?".into()
                        } else {
                            self.innermost()
                        },
                        limit: MAX_VALUE_BYTES,
                        position: self.position(),
                    });
                }
                Err(Cut::Doctype) => {
                    return Err(ReadError::Doctype {
                        position: self.position(),
                    });
                }
                Err(Cut::Bad(detail)) => {
                    return Err(ReadError::Syntax {
                        position: self.position(),
                        detail,
                    });
                }
            }
        }
    }

    /// Like [`Lexer::next`], but passes over whitespace between tags without a token: where the
    /// parser expects elements, indentation carries nothing.
    pub(super) fn next_tag(&mut self) -> Result<Token<'_>, ReadError> {
        let (b, _) = self.available();
        let ws = b
            .iter()
            .position(|c| !matches!(c, b' ' | b'\n' | b'\r' | b'\t'))
            .unwrap_or(0);
        if ws > 0 && b[ws] == b'<' {
            self.pos += ws;
        }
        self.next()
    }

    /// The fast path for a leaf just opened: when its raw text and end tag are already buffered
    /// (`text</Name>`), consumes both and returns the text. `None` leaves everything unread for
    /// the token-by-token path, which also reports any problem.
    pub(super) fn leaf_text(&mut self) -> Option<&str> {
        let open_len = *self.open_lens.last()?;
        let name = &self.open[self.open.len() - open_len..];
        let (b, _) = self.available();
        let i = find_byte(b'<', &b[..b.len().min(MAX_VALUE_BYTES)])?;
        let end = b.get(i + 1..i + 3 + open_len)?;
        if end[0] != b'/' || &end[1..=open_len] != name || end[open_len + 1] != b'>' {
            return None;
        }
        let start = self.pos;
        self.pos += i + 3 + open_len;
        self.open.truncate(self.open.len() - open_len);
        self.open_lens.pop();
        match &self.input {
            Input::Slice(s) => s.get(start..start + i),
            Input::Stream { buf, .. } => std::str::from_utf8(&buf[start..start + i]).ok(),
        }
    }

    /// The unread bytes (checked UTF-8), and whether nothing more can come after them.
    fn available(&self) -> (&[u8], bool) {
        match &self.input {
            Input::Slice(s) => (&s.as_bytes()[self.pos..], true),
            Input::Stream {
                buf,
                valid,
                done,
                invalid,
                ..
            } => (&buf[self.pos..*valid], *done && !*invalid),
        }
    }

    /// Reads more of a stream. `false` when there is no more.
    fn refill(&mut self) -> Result<bool, ReadError> {
        if let Input::Stream { valid, .. } = &self.input
            && *valid - self.pos > MAX_TOKEN
        {
            return Err(ReadError::ValueTooLarge {
                element: self.innermost(),
                limit: MAX_VALUE_BYTES,
                position: self.position(),
            });
        }
        let Input::Stream {
            reader,
            buf,
            spare,
            valid,
            done,
            invalid,
        } = &mut self.input
        else {
            return Ok(false);
        };
        if *invalid {
            // Reported only once the tokens before the bad byte are used up, so the first
            // problem in the document is the one reported, however the input was chunked.
            return Err(ReadError::InvalidUtf8 {
                position: self.base + *valid as u64,
            });
        }
        if *done {
            return Ok(false);
        }
        // Slide the unread bytes to the front so the buffer stays about one token long.
        if self.pos > 0 {
            buf.drain(..self.pos);
            *valid -= self.pos;
            self.base += self.pos as u64;
            self.pos = 0;
        }
        let n = loop {
            match reader.read(spare) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(ReadError::Io {
                        detail: e.to_string(),
                    });
                }
            }
        };
        buf.extend_from_slice(&spare[..n]);
        if n == 0 {
            *done = true;
        }
        match std::str::from_utf8(&buf[*valid..]) {
            Ok(_) => *valid = buf.len(),
            Err(e) => {
                *valid += e.valid_up_to();
                // A character split across reads keeps its first bytes for the next round;
                // anything else is not UTF-8.
                *invalid = e.error_len().is_some() || *done;
            }
        }
        Ok(true)
    }

    fn emit(&mut self, kind: Kind, len: usize) -> Result<Token<'_>, ReadError> {
        let start = self.pos;
        self.pos += len;
        // Tokens are cut at ASCII markup characters inside text already checked as UTF-8, so
        // these conversions cannot fail; a stream pays one short re-check per token.
        let whole: &str = match &self.input {
            Input::Slice(s) => s.get(start..start + len).unwrap_or_default(),
            Input::Stream { buf, .. } => {
                std::str::from_utf8(&buf[start..start + len]).unwrap_or_default()
            }
        };
        match kind {
            Kind::Text => Ok(Token::Text(whole)),
            Kind::CData => Ok(Token::CData(&whole[9..len - 3])),
            Kind::Start { name_len, empty } => {
                let name = &whole[1..1 + name_len];
                let attrs_end = if empty { len - 2 } else { len - 1 };
                let attrs = &whole[1 + name_len..attrs_end];
                if !empty {
                    if self.open_lens.len() >= MAX_DEPTH {
                        return Err(ReadError::TooDeep {
                            limit: MAX_DEPTH,
                            position: self.base + self.pos as u64,
                        });
                    }
                    self.open.extend_from_slice(name.as_bytes());
                    self.open_lens.push(name_len);
                }
                Ok(Token::Start { name, attrs, empty })
            }
            Kind::End => {
                let name = whole[2..len - 1].trim_end_matches([' ', '\t', '\r', '\n']);
                let Some(open_len) = self.open_lens.pop() else {
                    return Err(ReadError::Syntax {
                        position: self.base + self.pos as u64,
                        detail: format!("</{}> closes nothing", clip(name)),
                    });
                };
                let open_start = self.open.len() - open_len;
                if &self.open[open_start..] != name.as_bytes() {
                    let expected = String::from_utf8_lossy(&self.open[open_start..]).into_owned();
                    return Err(ReadError::Syntax {
                        position: self.base + self.pos as u64,
                        detail: format!("</{}> found where </{expected}> was expected", clip(name)),
                    });
                }
                self.open.truncate(open_start);
                Ok(Token::End)
            }
            Kind::Eof if !self.open_lens.is_empty() => Err(ReadError::Truncated {
                position: self.position(),
                inside: self.innermost(),
            }),
            Kind::Eof => Ok(Token::Eof),
        }
    }
}

fn clip(s: &str) -> String {
    s.chars().take(60).collect()
}

#[derive(Clone, Copy)]
enum Kind {
    Text,
    CData,
    Start { name_len: usize, empty: bool },
    End,
    Eof,
}

/// Finds the token at the start of `text`: its kind and length.
fn cut(b: &[u8], at_end: bool) -> Result<(Kind, usize), Cut> {
    if b.is_empty() {
        return if at_end {
            Ok((Kind::Eof, 0))
        } else {
            Err(Cut::NeedMore("eof"))
        };
    }
    if b[0] != b'<' {
        return match find_byte(b'<', b) {
            Some(i) if i > MAX_TOKEN => Err(Cut::TooLarge),
            Some(i) => Ok((Kind::Text, i)),
            None if b.len() > MAX_TOKEN => Err(Cut::TooLarge),
            None if at_end => Ok((Kind::Text, b.len())),
            None => Err(Cut::NeedMore("text")),
        };
    }
    let Some(&second) = b.get(1) else {
        return Err(Cut::NeedMore("a tag"));
    };
    match second {
        b'/' => match find_byte(b'>', &b[2..b.len().min(MAX_TOKEN)]) {
            Some(end) => Ok((Kind::End, 2 + end + 1)),
            None if b.len() > MAX_TOKEN => Err(Cut::TooLarge),
            None => Err(Cut::NeedMore("an end tag")),
        },
        b'?' => {
            let end = find_within(b, 2, b"?>", "a processing instruction")?;
            Err(Cut::Skip(end + 2))
        }
        b'!' => bang(b),
        _ => start_tag(b),
    }
}

/// Finds `needle` in `b[from..]` within the token size limit.
fn find_within(b: &[u8], from: usize, needle: &[u8], what: &'static str) -> Result<usize, Cut> {
    let limit = b.len().min(MAX_TOKEN);
    match memmem::find(&b[from..limit], needle) {
        Some(i) => Ok(from + i),
        None if b.len() > MAX_TOKEN => Err(Cut::TooLarge),
        None => Err(Cut::NeedMore(what)),
    }
}

fn bang(b: &[u8]) -> Result<(Kind, usize), Cut> {
    const COMMENT: &[u8] = b"<!--";
    const CDATA: &[u8] = b"<![CDATA[";
    const DOCTYPE: &[u8] = b"<!DOCTYPE";
    for (prefix, what) in [
        (COMMENT, "a comment"),
        (CDATA, "a CDATA section"),
        (DOCTYPE, ""),
    ] {
        if b.len() < prefix.len() && prefix.starts_with(b) {
            return Err(Cut::NeedMore(if what.is_empty() {
                "a declaration"
            } else {
                what
            }));
        }
    }
    if b.starts_with(COMMENT) {
        let end = find_within(b, 4, b"-->", "a comment")?;
        Err(Cut::Skip(end + 3))
    } else if b.starts_with(CDATA) {
        let end = find_within(b, 9, b"]]>", "a CDATA section")?;
        Ok((Kind::CData, end + 3))
    } else if b.starts_with(DOCTYPE) {
        Err(Cut::Doctype)
    } else {
        Err(Cut::Bad("unknown markup starting with <!".into()))
    }
}

fn start_tag(b: &[u8]) -> Result<(Kind, usize), Cut> {
    // The name runs to whitespace, '/' or '>'.
    let name_len = b[1..]
        .iter()
        .position(|&c| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'))
        .unwrap_or(b.len() - 1);
    let name = &b[1..1 + name_len];
    if name.is_empty() || !is_name(name) {
        if 1 + name_len >= b.len() && b.len() <= MAX_TOKEN {
            return Err(Cut::NeedMore("a start tag"));
        }
        return Err(Cut::Bad(format!(
            "\"<{}\" does not start a valid element",
            String::from_utf8_lossy(&name[..name.len().min(40)])
        )));
    }
    // Find the closing '>' outside quoted attribute values. Tags are short: a plain loop beats
    // memchr's setup cost.
    let limit = b.len().min(MAX_TOKEN);
    let mut quote = 0u8;
    let mut has_lt = false;
    for (at, &c) in b.iter().enumerate().take(limit).skip(1 + name_len) {
        if quote != 0 {
            if c == quote {
                quote = 0;
            } else {
                has_lt |= c == b'<';
            }
            continue;
        }
        match c {
            b'>' => {
                if has_lt {
                    return Err(Cut::Bad("a '<' inside a tag".into()));
                }
                let empty = at > 1 + name_len && b[at - 1] == b'/';
                return Ok((Kind::Start { name_len, empty }, at + 1));
            }
            b'"' | b'\'' => quote = c,
            b'<' => has_lt = true,
            _ => {}
        }
    }
    if b.len() > MAX_TOKEN {
        Err(Cut::TooLarge)
    } else if quote != 0 {
        Err(Cut::NeedMore("an attribute value"))
    } else {
        Err(Cut::NeedMore("a start tag"))
    }
}

/// The first `needle` in `hay`: a plain loop over the first bytes (most runs in a qbXML
/// document are a few bytes long), `memchr` beyond.
fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    const SHORT: usize = 32;
    let head = &hay[..hay.len().min(SHORT)];
    if let Some(i) = head.iter().position(|&c| c == needle) {
        return Some(i);
    }
    if hay.len() <= SHORT {
        return None;
    }
    memchr(needle, &hay[SHORT..]).map(|i| i + SHORT)
}

/// A plausible XML name: no markup or quote characters, not starting with a digit or punctuation.
fn is_name(name: &[u8]) -> bool {
    let first_ok = name
        .first()
        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80);
    first_ok
        && name
            .iter()
            .all(|&c| !matches!(c, b'<' | b'&' | b'"' | b'\'' | b'=' | b'!' | b'?'))
}

/// Appends `raw` character data to `out`: entities decoded, line ends normalised (`\r\n` and
/// `\r` become `\n`, as XML requires). Unknown entities are refused.
pub(super) fn decode_text(out: &mut String, raw: &str) -> Result<(), String> {
    let bytes = raw.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while let Some(j) = memchr::memchr2(b'&', b'\r', &bytes[i..]) {
        let at = i + j;
        out.push_str(&raw[last..at]);
        if bytes[at] == b'\r' {
            out.push('\n');
            i = if bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
        } else {
            let (c, len) = entity_at(&raw[at..])?;
            out.push(c);
            i = at + len;
        }
        last = i;
    }
    out.push_str(&raw[last..]);
    Ok(())
}

/// Decodes an attribute value: entities resolved, and each literal tab, line feed or carriage
/// return (a `\r\n` pair counting once) turned into a space, as XML's attribute-value
/// normalisation requires. Character references are kept as written (`&#13;` stays a CR).
fn decode_attribute(out: &mut String, raw: &str) -> Result<(), String> {
    let mut rest = raw;
    while let Some(at) = rest.find(['&', '\r', '\n', '\t']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("\r\n") {
            out.push(' ');
            rest = after;
        } else if tail.starts_with('&') {
            let (c, len) = entity_at(tail)?;
            out.push(c);
            rest = &tail[len..];
        } else {
            out.push(' ');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    Ok(())
}

/// The character of the reference at the start of `text` (which starts with '&'), and the
/// reference's length.
fn entity_at(text: &str) -> Result<(char, usize), String> {
    let semi = text
        .find(';')
        .filter(|&s| s <= 12)
        .ok_or("a '&' that starts no entity (it should be written &amp;)")?;
    Ok((resolve(&text[1..semi])?, semi + 1))
}

/// The character an entity or character reference stands for. qbXML has no DTD, so only XML's
/// five predefined entities exist.
fn resolve(entity: &str) -> Result<char, String> {
    let unknown = || format!("{}{}", super::UNKNOWN_ENTITY, clip(entity));
    if let Some(num) = entity.strip_prefix('#') {
        let code = match num.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        return code
            .filter(|&c| c != 0)
            .and_then(char::from_u32)
            .ok_or_else(|| format!("&{}; is not a valid character reference", clip(entity)));
    }
    match entity {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        _ => Err(unknown()),
    }
}

/// Calls `f` with each attribute's name and decoded, normalised value.
pub(super) fn attributes(
    raw: &str,
    mut f: impl FnMut(&str, String) -> Result<(), String>,
) -> Result<(), String> {
    let mut rest = raw;
    let mut seen: Vec<&str> = Vec::new();
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        if trimmed.is_empty() {
            return Ok(());
        }
        if trimmed.len() == rest.len() {
            return Err(format!(
                "attributes must be separated by spaces near \"{}\"",
                clip(rest)
            ));
        }
        let eq = trimmed
            .find('=')
            .ok_or_else(|| format!("an attribute without a value near \"{}\"", clip(trimmed)))?;
        let name = trimmed[..eq].trim_end_matches([' ', '\t', '\r', '\n']);
        if name.is_empty() || !is_name(name.as_bytes()) || name.contains([' ', '\t', '\r', '\n']) {
            return Err(format!("\"{}\" is not an attribute name", clip(name)));
        }
        if seen.contains(&name) {
            return Err(format!("the attribute {name} appears twice"));
        }
        seen.push(name);
        let after = trimmed[eq + 1..].trim_start_matches([' ', '\t', '\r', '\n']);
        let quote = after
            .chars()
            .next()
            .filter(|&q| q == '"' || q == '\'')
            .ok_or_else(|| format!("the value of {name} is not quoted"))?;
        let body = &after[1..];
        let close = body
            .find(quote)
            .ok_or_else(|| format!("the value of {name} is not closed"))?;
        let mut value = String::with_capacity(close);
        decode_attribute(&mut value, &body[..close])?;
        f(name, value)?;
        rest = &body[close + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(xml: &str) -> Vec<String> {
        let mut out = Vec::new();
        for source in [0, 1] {
            let mut got = Vec::new();
            let mut run = |lx: &mut dyn FnMut() -> Result<String, ReadError>| loop {
                match lx() {
                    Ok(t) if t == "Eof" => break,
                    Ok(t) => got.push(t),
                    Err(e) => {
                        got.push(format!("error: {e}"));
                        break;
                    }
                }
            };
            if source == 0 {
                let mut lx = Lexer::from_str(xml);
                run(&mut || lx.next().map(|t| format!("{t:?}")));
            } else {
                // One byte per read: every token and character crosses a refill.
                let mut lx = Lexer::from_reader(OneByte(xml.as_bytes()));
                run(&mut || lx.next().map(|t| format!("{t:?}")));
            }
            if source == 0 {
                out = got;
            } else {
                assert_eq!(out, got, "slice and stream disagree on {xml:?}");
            }
        }
        out
    }

    struct OneByte<'a>(&'a [u8]);

    impl Read for OneByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((b, rest)), Some(slot)) => {
                    *slot = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn cuts_tokens_and_skips_comments_and_declarations() {
        let t = tokens(
            "<?xml version=\"1.0\"?><!-- c --><a x='1>2' y=\"é\">t&amp;é<![CDATA[<x>]]><b/></a >",
        );
        assert_eq!(
            t,
            [
                "Start { name: \"a\", attrs: \" x='1>2' y=\\\"é\\\"\", empty: false }",
                "Text(\"t&amp;é\")",
                "CData(\"<x>\")",
                "Start { name: \"b\", attrs: \"\", empty: true }",
                "End",
            ]
        );
    }

    #[test]
    fn refuses_mismatches_doctype_and_truncation() {
        let last = |xml: &str| tokens(xml).pop().unwrap_or_default();
        assert!(last("<a></b>").contains("</b> found where </a> was expected"));
        assert!(last("</a>").contains("closes nothing"));
        assert!(last("<!DOCTYPE a><a/>").contains("DOCTYPE"));
        assert!(last("<a><b>text").contains("ends early"));
        assert!(last("<a x=\"1").contains("ends early"));
        assert!(last("<a <b>").contains("valid element") || last("<a <b>").contains("'<'"));
        assert!(last("<1a/>").contains("valid element"));
    }

    #[test]
    fn decodes_entities_line_ends_and_attributes() {
        let mut s = String::new();
        decode_text(&mut s, "a&amp;b&#233;&#x20AC;\r\nc\rd").unwrap();
        assert_eq!(s, "a&bé€\nc\nd");
        let mut s = String::new();
        assert!(decode_text(&mut s, "&nbsp;").unwrap_err().contains("nbsp"));
        assert!(decode_text(&mut s, "a & b").is_err());
        assert!(decode_text(&mut s, "&#0;").is_err());
        let mut got = Vec::new();
        attributes(" a=\"x&quot;y\"\n b = 'p\tq' ", |k, v| {
            got.push((k.to_string(), v));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            got,
            [("a".into(), "x\"y".into()), ("b".into(), "p q".into())]
        );
        assert!(attributes(" a=\"1\" a=\"2\"", |_, _| Ok(())).is_err());
        assert!(attributes(" a=1", |_, _| Ok(())).is_err());
        assert!(attributes(" a=\"1\"b=\"2\"", |_, _| Ok(())).is_err());
    }
}
