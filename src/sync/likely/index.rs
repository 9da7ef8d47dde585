//! Blocking: which pairs are worth comparing at all. Each customer gets a few keys; only
//! customers sharing a key are compared, never all pairs.
//!
//! The keys follow what the scoring can accept: names equal once normalised share the joined
//! key (words written together), reordered names the sorted-words key; typos and added words
//! count only when a phone, email or postal code agrees, and those are keys — the phone's last
//! seven digits, each email, and the postal code together with the first or the last four
//! letters of the customer's first name (a typo or an extra word leaves one end of a name
//! intact, and the postal code keeps such blocks small). `sync::likely::quality` checks on
//! generated customers that blocking finds exactly what comparing all pairs finds.
//!
//! A key shared by more than [`MAX_BLOCK`] customers on either side (an office switchboard, a
//! placeholder phone, a name like "Smith" in one ZIP) is skipped: it cannot single anyone out,
//! and comparing its block would be quadratic. Its customers still meet through their other
//! keys.

use std::hash::Hasher;

use rustc_hash::FxHasher;

use super::prepared::{Prepared, PreparedSide};

/// Largest block compared, per side.
pub const MAX_BLOCK: u32 = 40;

#[derive(Clone, Copy)]
enum Kind {
    Joined = 1,
    Sorted,
    Phone,
    Email,
    PostalStart,
    PostalEnd,
}

fn tag(kind: Kind, hash: u64) -> u64 {
    (hash ^ (kind as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0xD6E8_FEB8_6659_FD93)
}

fn hash_parts(kind: Kind, parts: &[&[u8]]) -> u64 {
    let mut h = FxHasher::default();
    for p in parts {
        h.write(p);
        h.write_u8(0xFF);
    }
    tag(kind, h.finish())
}

/// The blocking keys of one customer, sorted and without repeats.
fn keys(side: &PreparedSide, p: &Prepared, out: &mut Vec<u64>) {
    out.clear();
    let postal = side.postal(p);
    for (i, f) in side.forms(p).iter().enumerate() {
        out.push(tag(Kind::Joined, f.joined));
        if f.words > 1 {
            out.push(tag(Kind::Sorted, f.sorted));
        }
        // With the postal code, only the first name: these keys are many, and typos in a
        // second name (company, person) backed by nothing but the postal code are rare.
        if let Some(postal) = postal.filter(|_| i == 0) {
            let letters = side.canon(f).as_bytes();
            let mut start = [0u8; 4];
            let mut end = [0u8; 4];
            let (mut ns, mut ne) = (0, 0);
            for (&b, slot) in letters.iter().filter(|&&b| b != b' ').zip(&mut start) {
                *slot = b;
                ns += 1;
            }
            for (&b, slot) in letters.iter().rev().filter(|&&b| b != b' ').zip(&mut end) {
                *slot = b;
                ne += 1;
            }
            out.push(hash_parts(
                Kind::PostalStart,
                &[postal.as_bytes(), &start[..ns]],
            ));
            out.push(hash_parts(
                Kind::PostalEnd,
                &[postal.as_bytes(), &end[..ne]],
            ));
        }
    }
    if let Some(phone) = p.phone {
        out.push(tag(Kind::Phone, phone.local_part()));
    }
    for email in side.emails(p) {
        out.push(hash_parts(Kind::Email, &[email.as_bytes()]));
    }
    out.sort_unstable();
    out.dedup();
}

/// The most keys a side's customers can have: two per name, two for the postal code, one for
/// the phone, two for emails.
fn most_keys(side: &PreparedSide) -> usize {
    side.forms.len() * 2 + side.records.len() * 5
}

/// Every (key, customer) of one side, ordered by key, then by customer.
///
/// Keys are hashes, so their top bits spread them evenly: the pairs are first scattered into
/// buckets by those bits, and each bucket (a few dozen pairs, in cache) is sorted on its own.
/// One hash table of every key was the slowest step of the search on long lists: each lookup a
/// cache miss in several megabytes.
pub fn keyed(side: &PreparedSide) -> Vec<(u64, u32)> {
    let mut all: Vec<(u64, u32)> = Vec::with_capacity(most_keys(side));
    let mut buf = Vec::new();
    for (i, p) in side.records.iter().enumerate() {
        keys(side, p, &mut buf);
        all.extend(buf.iter().map(|&k| (k, i as u32)));
    }
    const BITS: u32 = 12;
    let bucket = |k: u64| (k >> (64 - BITS)) as usize;
    let mut ends = vec![0usize; (1 << BITS) + 1];
    for &(k, _) in &all {
        ends[bucket(k) + 1] += 1;
    }
    for b in 1..ends.len() {
        ends[b] += ends[b - 1];
    }
    let mut sorted = vec![(0u64, 0u32); all.len()];
    let mut at = ends.clone();
    for item in all {
        let b = bucket(item.0);
        sorted[at[b]] = item;
        at[b] += 1;
    }
    for b in 0..1 << BITS {
        sorted[ends[b]..ends[b + 1]].sort_unstable();
    }
    sorted
}

/// Which customers share a usable key: for each key both sides have (and few enough customers
/// on each side have), its QuickBooks customers; for each local customer, those keys. Built
/// once; [`Blocks::candidates`] then answers for any local customer, so the comparing can be
/// split between threads.
pub struct Blocks {
    /// `members[start[b]..start[b + 1]]`: the QuickBooks customers (positions, ascending) with
    /// key `b`.
    start: Vec<u32>,
    members: Vec<u32>,
    /// `local_blocks[local_start[l]..local_start[l + 1]]`: the keys of local `l` worth comparing
    /// by.
    local_blocks: Vec<u32>,
    local_start: Vec<u32>,
}

impl Blocks {
    /// From the [`keyed`] lists of the `n_locals` local customers and of the QuickBooks ones.
    pub fn new(lk: &[(u64, u32)], qk: &[(u64, u32)], n_locals: usize) -> Blocks {
        let mut start = vec![0u32];
        let mut members: Vec<u32> = Vec::new();
        // (local, block) for every key shared, then grouped by local.
        let mut shared: Vec<(u32, u32)> = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < lk.len() && j < qk.len() {
            let key = lk[i].0.min(qk[j].0);
            let l_end = i + lk[i..].iter().take_while(|e| e.0 == key).count();
            let q_end = j + qk[j..].iter().take_while(|e| e.0 == key).count();
            let (n_local, n_qb) = (l_end - i, q_end - j);
            // A key on one side only singles nobody out; one shared by too many on either side
            // cannot either, and comparing its block would be quadratic.
            if n_local > 0
                && n_qb > 0
                && n_local <= MAX_BLOCK as usize
                && n_qb <= MAX_BLOCK as usize
            {
                let block = (start.len() - 1) as u32;
                members.extend(qk[j..q_end].iter().map(|e| e.1));
                start.push(members.len() as u32);
                shared.extend(lk[i..l_end].iter().map(|e| (e.1, block)));
            }
            (i, j) = (l_end, q_end);
        }
        let mut local_start = vec![0u32; n_locals + 1];
        for &(l, _) in &shared {
            local_start[l as usize + 1] += 1;
        }
        for l in 1..local_start.len() {
            local_start[l] += local_start[l - 1];
        }
        let mut local_blocks = vec![0u32; shared.len()];
        let mut at = local_start.clone();
        for (l, block) in shared {
            local_blocks[at[l as usize] as usize] = block;
            at[l as usize] += 1;
        }
        Blocks {
            start,
            members,
            local_blocks,
            local_start,
        }
    }

    /// The QuickBooks customers (positions, ascending, each once) that share a usable key with
    /// local customer `l`, into `out`.
    pub fn candidates(&self, l: usize, out: &mut Vec<u32>) {
        out.clear();
        let blocks =
            &self.local_blocks[self.local_start[l] as usize..self.local_start[l + 1] as usize];
        for &b in blocks {
            let b = b as usize;
            out.extend_from_slice(
                &self.members[self.start[b] as usize..self.start[b + 1] as usize],
            );
        }
        out.sort_unstable();
        out.dedup();
    }
}
