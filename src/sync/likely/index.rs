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

use rustc_hash::{FxHashMap, FxHasher};

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

/// Which customers share a usable key: QuickBooks customers by key, and each local customer's
/// keys. Built once; [`Blocks::candidates`] then answers for any local customer, so the
/// comparing can be split between threads.
pub struct Blocks {
    /// `members[start[b]..start[b + 1]]`: the QuickBooks customers (positions, ascending) with
    /// key `b`.
    start: Vec<u32>,
    members: Vec<u32>,
    qb_count: Vec<u32>,
    local_count: Vec<u32>,
    /// `local_blocks[local_start[l]..local_start[l + 1]]`: the keys of local `l` that some
    /// QuickBooks customer has.
    local_blocks: Vec<u32>,
    local_start: Vec<u32>,
}

impl Blocks {
    pub fn new(locals: &PreparedSide, qbs: &PreparedSide) -> Blocks {
        let mut key_buf = Vec::new();
        // Blocks are numbered as QuickBooks keys are first seen; members kept in one array.
        // Everything is sized for the most keys the side can have: growing (re-hashing the map,
        // copying the arrays) cost more than the memory.
        let mut block_of: FxHashMap<u64, u32> = FxHashMap::default();
        block_of.reserve(most_keys(qbs));
        let mut qb_count: Vec<u32> = Vec::with_capacity(most_keys(qbs));
        let mut entries: Vec<(u32, u32)> = Vec::with_capacity(most_keys(qbs));
        for (q, p) in qbs.records.iter().enumerate() {
            keys(qbs, p, &mut key_buf);
            for &k in &key_buf {
                let block = *block_of.entry(k).or_insert_with(|| {
                    qb_count.push(0);
                    (qb_count.len() - 1) as u32
                });
                qb_count[block as usize] += 1;
                entries.push((block, q as u32));
            }
        }
        let mut start = Vec::with_capacity(qb_count.len() + 1);
        let mut total = 0u32;
        start.push(0);
        for &c in &qb_count {
            total += c;
            start.push(total);
        }
        let mut members = vec![0u32; entries.len()];
        let mut cursor = start.clone();
        for (block, q) in entries {
            members[cursor[block as usize] as usize] = q;
            cursor[block as usize] += 1;
        }

        let mut local_count = vec![0u32; qb_count.len()];
        let mut local_blocks: Vec<u32> = Vec::with_capacity(most_keys(locals));
        let mut local_start: Vec<u32> = Vec::with_capacity(locals.records.len() + 1);
        local_start.push(0);
        for p in &locals.records {
            keys(locals, p, &mut key_buf);
            for k in &key_buf {
                if let Some(&block) = block_of.get(k) {
                    local_count[block as usize] += 1;
                    local_blocks.push(block);
                }
            }
            local_start.push(local_blocks.len() as u32);
        }
        Blocks {
            start,
            members,
            qb_count,
            local_count,
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
        for &block in blocks {
            let b = block as usize;
            if self.qb_count[b] <= MAX_BLOCK && self.local_count[b] <= MAX_BLOCK {
                out.extend_from_slice(
                    &self.members[self.start[b] as usize..self.start[b + 1] as usize],
                );
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}
