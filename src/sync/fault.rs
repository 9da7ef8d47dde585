//! Test-only fault points: the crash-safety tests make a real `custsync` process die at a named
//! step of apply (`CUSTSYNC_FAULT=export:after-send`, or `export:after-send#2` for the second time
//! the step is reached) and then check that the next run repairs everything.
//!
//! Compiled only into debug builds (which is what `cargo test` runs); a release build has no way
//! to be told to abort.

/// Aborts the process if `CUSTSYNC_FAULT` names this point (debug builds only).
#[inline]
pub fn point(name: &str) {
    #[cfg(debug_assertions)]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static HITS: std::sync::Mutex<Vec<(String, usize)>> = std::sync::Mutex::new(Vec::new());
        static ARMED: AtomicUsize = AtomicUsize::new(0); // 0 unknown, 1 armed, 2 not armed
        if ARMED.load(Ordering::Relaxed) == 2 {
            return;
        }
        let Ok(spec) = std::env::var("CUSTSYNC_FAULT") else {
            ARMED.store(2, Ordering::Relaxed);
            return;
        };
        ARMED.store(1, Ordering::Relaxed);
        let (target, nth) = match spec.split_once('#') {
            Some((t, n)) => (t.to_string(), n.parse::<usize>().unwrap_or(1)),
            None => (spec, 1),
        };
        if target != name {
            return;
        }
        let mut hits = HITS.lock().unwrap_or_else(|e| e.into_inner());
        let count = match hits.iter_mut().find(|(n, _)| n == name) {
            Some((_, c)) => {
                *c += 1;
                *c
            }
            None => {
                hits.push((name.to_string(), 1));
                1
            }
        };
        if count == nth {
            eprintln!("custsync: fault point {name} reached; aborting (CUSTSYNC_FAULT)");
            std::process::abort();
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}
