//! Bytes in, UTF-8 out: the declared encoding, and custsync's one ISO-8859-1 decoder.
//!
//! QuickBooks Desktop stores only ISO-8859-1 (reference §4.4 and §7.2): a byte of its ISO-8859-1
//! output is the character of the same number, 0x80–0x9F included. windows-1252 reads those
//! bytes as curly quotes, dashes and the euro sign, characters QuickBooks cannot store, so reading
//! QuickBooks' text as windows-1252 (as browsers read ISO-8859-1 web pages) would make a value
//! custsync sent come back different. A document declaring windows-1252 is refused, not misread.

use std::io::{self, BufRead, Read};

use super::ReadError;

/// The encodings a document may declare. QuickBooks writes UTF-8 or ISO-8859-1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Encoding {
    Utf8,
    Latin1,
}

/// Reads the XML declaration (if any) without losing the bytes read: returns them to be read
/// again, with the encoding they declare.
pub(super) fn sniff<R: BufRead>(input: &mut R) -> Result<(Vec<u8>, Encoding), ReadError> {
    let mut prefix = Vec::with_capacity(128);
    // The first bytes whatever the reader's buffer size: a BOM must not depend on it.
    input
        .take(3)
        .read_to_end(&mut prefix)
        .map_err(ReadError::io)?;
    if prefix.starts_with(&[0xFE, 0xFF]) || prefix.starts_with(&[0xFF, 0xFE]) {
        return Err(ReadError::UnsupportedEncoding {
            encoding: "UTF-16".into(),
        });
    }
    if prefix == [0xEF, 0xBB, 0xBF] {
        prefix.clear();
    }
    // A declaration is short; the cap keeps binary garbage without a '>' from being slurped.
    if !prefix.contains(&b'>') {
        input
            .take(512)
            .read_until(b'>', &mut prefix)
            .map_err(ReadError::io)?;
    }
    let encoding = match declared_encoding(&prefix) {
        None => Encoding::Utf8,
        Some(name) => {
            encoding_named(&name).ok_or(ReadError::UnsupportedEncoding { encoding: name })?
        }
    };
    Ok((prefix, encoding))
}

/// The `encoding="…"` of an XML declaration at the very start of `prefix`.
fn declared_encoding(prefix: &[u8]) -> Option<String> {
    let decl = prefix.strip_prefix(b"<?xml")?;
    if !decl.first().is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let rest = decl.get(at + 8..)?;
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = rest.get(1..)?;
    let end = value.iter().position(|&b| b == quote)?;
    Some(String::from_utf8_lossy(&value[..end]).into_owned())
}

fn encoding_named(name: &str) -> Option<Encoding> {
    match name.to_ascii_lowercase().as_str() {
        // ASCII is a subset of UTF-8; a byte above 0x7F then fails as invalid UTF-8.
        "utf-8" | "utf8" | "us-ascii" | "ascii" => Some(Encoding::Utf8),
        "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1" => {
            Some(Encoding::Latin1)
        }
        _ => None,
    }
}

/// Turns ISO-8859-1 bytes into UTF-8 on the fly, a buffer at a time.
pub(super) struct Latin1<R> {
    inner: R,
    out: Vec<u8>,
    pos: usize,
}

impl<R: BufRead> Latin1<R> {
    pub(super) fn new(inner: R) -> Self {
        Latin1 {
            inner,
            out: Vec::with_capacity(16 * 1024),
            pos: 0,
        }
    }
}

impl<R: BufRead> Read for Latin1<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Latin1<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.out.len() {
            self.out.clear();
            self.pos = 0;
            let buf = self.inner.fill_buf()?;
            let mut utf8 = [0u8; 4];
            for &b in buf {
                if b.is_ascii() {
                    self.out.push(b);
                } else {
                    // ISO-8859-1 is the first 256 code points: the byte is the character.
                    let s = char::from(b).encode_utf8(&mut utf8);
                    self.out.extend_from_slice(s.as_bytes());
                }
            }
            let n = buf.len();
            self.inner.consume(n);
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.out.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_declared_encoding() {
        let enc = |s: &[u8]| declared_encoding(s);
        assert_eq!(
            enc(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(
            enc(b"<?xml version='1.0' encoding = 'utf-8' ?>").as_deref(),
            Some("utf-8")
        );
        assert_eq!(enc(b"<?xml version=\"1.0\" ?>"), None);
        assert_eq!(enc(b"<QBXML encoding=\"x\">"), None);
        assert_eq!(encoding_named("Latin1"), Some(Encoding::Latin1));
        assert_eq!(encoding_named("Windows-1252"), None);
        assert_eq!(encoding_named("Shift_JIS"), None);
    }

    #[test]
    fn every_latin1_byte_is_the_character_of_its_number() {
        let bytes: Vec<u8> = (0..=255).collect();
        let mut s = String::new();
        Latin1::new(&bytes[..]).read_to_string(&mut s).unwrap();
        let expected: String = (0..=255u8).map(char::from).collect();
        assert_eq!(s, expected);
        // windows-1252 would have read these as “q” and €, which QuickBooks cannot store.
        let mut s = String::new();
        Latin1::new(&b"caf\xE9 \x93q\x94 \x80"[..])
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "café \u{93}q\u{94} \u{80}");
    }
}
