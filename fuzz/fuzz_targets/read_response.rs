//! Coverage-guided fuzzing of the qbXML response reader.
//!
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run read_response fuzz/corpus/read_response fuzz/seeds`
//! (see fuzz/README.md). The first byte picks a read size so buffer edges land everywhere.

#![no_main]

use std::io::{BufRead, Read};

use custsync::qbxml::read::{read_response, read_response_str};
use libfuzzer_sys::fuzz_target;

struct Trickle<'a> {
    data: &'a [u8],
    k: usize,
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

fuzz_target!(|input: &[u8]| {
    let Some((&first, data)) = input.split_first() else {
        return;
    };
    let whole = read_response(data);
    let trickled = read_response(Trickle {
        data,
        k: usize::from(first % 16) + 1,
    });
    assert_eq!(whole, trickled, "chunking changed the result");
    if let Ok(text) = std::str::from_utf8(data)
        && !text.contains("encoding")
        && !text.starts_with('\u{FEFF}')
    {
        let from_str = read_response_str(text);
        assert_eq!(from_str.is_ok(), whole.is_ok());
        if let (Ok(a), Ok(b)) = (&from_str, &whole) {
            assert_eq!(a, b);
        }
    }
});
