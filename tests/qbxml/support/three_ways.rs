//! Reading one response three ways (whole, a few bytes per read, and as `&str`) and comparing the
//! results. Shared by `tests/qbxml/read_props.rs` and the fuzz target
//! `fuzz/fuzz_targets/read_response.rs`, which include it with `#[path]`.

use std::io::{BufRead, Read};

use custsync::qbxml::read::{read_response, read_response_str};

/// Hands out at most `k` bytes per read, so every token and character crosses a buffer edge.
pub struct Trickle<'a> {
    pub data: &'a [u8],
    pub k: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.k.min(out.len()).min(self.data.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

impl BufRead for Trickle<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        Ok(&self.data[..self.k.min(self.data.len())])
    }

    fn consume(&mut self, amt: usize) {
        self.data = &self.data[amt..];
    }
}

/// Reads `bytes` whole and `k` bytes per read, and as text when they are UTF-8 declaring no
/// encoding and carrying no BOM (the text reader applies neither); says how the results differ,
/// if they do.
pub fn disagreement(bytes: &[u8], k: usize) -> Option<String> {
    let whole = read_response(bytes);
    let trickled = read_response(Trickle { data: bytes, k });
    if whole != trickled {
        return Some(format!(
            "buffer boundaries changed the result:\n{whole:?}\n{trickled:?}"
        ));
    }
    let text = std::str::from_utf8(bytes).ok()?;
    if text.contains("encoding") || text.starts_with('\u{FEFF}') {
        return None;
    }
    let from_str = read_response_str(text);
    match (&from_str, &whole) {
        (Ok(a), Ok(b)) if a != b => Some(format!("the text reader read otherwise:\n{a:?}\n{b:?}")),
        (Ok(_), Err(_)) | (Err(_), Ok(_)) => Some(format!(
            "only one reader accepted the document:\n{from_str:?}\n{whole:?}"
        )),
        _ => None,
    }
}
