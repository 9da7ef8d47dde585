//! A full dry run of `custsync sync` on a 100,000 + 100,000 sandbox workspace (issue 3: peak
//! memory ≤ 300 MB; issue 13: ≤ 1.0 s once QuickBooks is mirrored). The workspace is built once
//! (kept under target/bench-data, see `support/workspace.rs`): a sandbox company with 100,000
//! generated customers, and an SMSTurbo list with 80,000 of them (a tenth with a different
//! phone) plus 20,000 of its own, after a first synchronization's read: each dry run reads only
//! what changed since the one before.
//!
//! Criterion times the whole command; its peak memory (maximum resident set size, measured by
//! `/usr/bin/time`) is printed once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "support/workspace.rs"]
mod workspace;

fn workspace() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/dry-run-100k");
    if !workspace::is_ready(&dir) {
        workspace::build(&dir);
        workspace::mark_ready(&dir);
    }
    dir
}

fn dry_run(ws: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_custsync"))
        .arg("--workspace")
        .arg(ws)
        .args(["sync", "--dry-run", "--json"])
        .output()
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let ws = workspace();
    let measured = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_custsync"))
        .arg("--workspace")
        .arg(&ws)
        .args(["sync", "--dry-run", "--json"])
        .output();
    match measured {
        Ok(out) if out.status.success() => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let kb: u64 = stderr
                .lines()
                .last()
                .and_then(|l| l.trim().parse().ok())
                .unwrap_or(0);
            println!(
                "custsync sync --dry-run, 100k + 100k: peak memory {} MB",
                kb / 1024
            );
        }
        Ok(out) => panic!("dry run failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => println!("peak memory not measured (/usr/bin/time: {e})"),
    }
    let mut g = c.benchmark_group("sync");
    g.sample_size(10);
    g.bench_function("dry run 100k + 100k", |b| {
        b.iter(|| {
            let out = dry_run(&ws);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
