//! Coverage-guided fuzzing of the qbXML response reader.
//!
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run read_response fuzz/corpus/read_response fuzz/seeds`
//! (see fuzz/README.md). The first byte picks a read size so buffer edges land everywhere.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/qbxml/support/three_ways.rs"]
mod three_ways;

fuzz_target!(|input: &[u8]| {
    let Some((&first, data)) = input.split_first() else {
        return;
    };
    if let Some(difference) = three_ways::disagreement(data, usize::from(first % 16) + 1) {
        panic!("{difference}");
    }
});
