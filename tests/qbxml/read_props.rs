//! Properties of the response reader: values survive a round trip through CustomerRet XML, the
//! two entry points agree, and no input makes it panic.
//!
//! Run longer as a fuzzer with e.g. `PROPTEST_CASES=200000 cargo test --release --test qbxml
//! read_props::`.

use custsync::qbxml::read::{read_response, read_response_str};
use custsync::qbxml::{Amount, CustomerData, CustomerRet, Field, ListRef, ResponseBody};
use custsync::testkit::assert_valid_qbxml;
use proptest::prelude::*;

use crate::support::responses;
use crate::support::three_ways;

use three_ways::Trickle;

/// Characters XML 1.0 can carry, with the ones that need escaping well represented.
fn xml_char() -> impl Strategy<Value = char> {
    prop_oneof![
        // Characters XML cannot carry become '?' (a filter would reject too many cases).
        4 => any::<char>().prop_map(|c| {
            let illegal = (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}');
            if illegal { '?' } else { c }
        }),
        2 => prop::sample::select(vec!['&', '<', '>', '"', '\'', ';', '#', ' ', '\r', '\n', ']']),
        2 => prop::sample::select(vec!['é', 'ß', 'Ø', 'ÿ', '€', '“', '—', 'Ж', '漢', '😀']),
    ]
}

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(xml_char(), 0..max).prop_map(|v| v.into_iter().collect())
}

fn customer() -> impl Strategy<Value = CustomerRet> {
    (
        prop::collection::vec(text(30), Field::COUNT),
        text(20),
        proptest::option::of(text(12)),
        proptest::option::of(any::<bool>()),
        proptest::option::of(0u32..5),
        proptest::option::of((
            proptest::option::of(text(10)),
            proptest::option::of(text(10)),
        )),
        proptest::option::of(text(15)),
    )
        .prop_map(|(values, list_id, edit, active, sublevel, parent, job)| {
            let mut data = CustomerData::new();
            for (&f, v) in Field::ALL.iter().zip(values) {
                data.set(f, v);
            }
            let nonempty = |s: Option<String>| s.filter(|s| !s.is_empty());
            CustomerRet {
                list_id,
                time_created: Some("2024-01-01T00:00:00".into()),
                time_modified: None,
                edit_sequence: nonempty(edit),
                data,
                full_name: None,
                is_active: active,
                parent: parent
                    .map(|(id, name)| ListRef {
                        list_id: nonempty(id),
                        full_name: nonempty(name),
                    })
                    .filter(|r| r.list_id.is_some() || r.full_name.is_some()),
                sublevel,
                job_type: nonempty(job),
                external_guid: None,
            }
        })
}

proptest! {
    #[test]
    fn customer_values_survive_a_round_trip(customers in prop::collection::vec(customer(), 1..4)) {
        let xml = responses::customer_query_rs(&customers);
        let doc = read_response_str(&xml).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
        let ResponseBody::Customers(got) = &doc.responses[0].body else {
            return Err(TestCaseError::fail("no customers"));
        };
        // Amounts go out in canonical form ("0" is written "0.00"); everything else as given.
        let mut expected = customers.clone();
        for c in &mut expected {
            let canonical = c.data.get(Field::CreditLimit).and_then(|v| Amount::parse(v).ok());
            if let Some(a) = canonical {
                c.data.set(Field::CreditLimit, a.to_string());
            }
        }
        prop_assert_eq!(got, &expected);
        let streamed = read_response(Trickle { data: xml.as_bytes(), k: 3 })
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&streamed, &doc);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = read_response(&bytes[..]);
        let _ = read_response(Trickle { data: &bytes, k: 1 });
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = read_response_str(text);
        }
    }

    #[test]
    fn mutated_documents_never_panic_and_both_readers_agree(
        seed in any::<u64>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..6, any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
        k in 1usize..9,
    ) {
        let mut rng = responses::Rng::new(seed);
        let customers: Vec<CustomerRet> =
            (0..3).map(|i| responses::realistic_customer(&mut rng, i)).collect();
        let mut bytes = responses::customer_query_rs(&customers).into_bytes();
        for (at, kind, byte) in edits {
            let i = at.index(bytes.len());
            const MARKUP: [&[u8]; 6] = [b"<", b">", b"&", b"</X>", b"<!DOCTYPE x>", b"&#0;"];
            match kind {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                2 => bytes.insert(i, byte),
                n => {
                    let chunk = MARKUP[(n + byte as usize) % MARKUP.len()];
                    bytes.splice(i..i, chunk.iter().copied());
                }
            }
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        if let Some(difference) = three_ways::disagreement(&bytes, k) {
            return Err(TestCaseError::fail(difference));
        }
    }
}

#[test]
fn generated_responses_follow_the_schema() {
    // The benchmark's document and the round-trip documents must be what QuickBooks could send.
    let big = responses::big_customer_query_rs(40, 7);
    let mut rng = responses::Rng::new(3);
    let few: Vec<CustomerRet> = (0..5)
        .map(|i| responses::realistic_customer(&mut rng, i))
        .collect();
    let small = responses::customer_query_rs(&few);
    assert_valid_qbxml(&[&big, &small]);
    let doc = read_response_str(&big).unwrap();
    let ResponseBody::Customers(c) = &doc.responses[0].body else {
        panic!("no customers")
    };
    assert_eq!(c.len(), 40);
}
