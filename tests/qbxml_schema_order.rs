//! The element-order tables in `qbxml::order` match Intuit's schemas, 13.0 and 16.0.
//!
//! The writer (and the sandbox's order check) trust these tables; this reads the XSDs themselves
//! so a typo or a missing element in a table fails here rather than in QuickBooks.

use std::collections::HashMap;

use custsync::qbxml::order::{ADDRESS_DATA, CUSTOMER_ADD, CUSTOMER_RET};
use custsync::testkit::shared_dir;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

#[derive(Debug, Clone)]
enum Item {
    Element(String),
    Group(String),
}

/// The direct children of the first `xsd:sequence` of every global element and group.
fn definitions(xsd: &str) -> HashMap<String, Vec<Item>> {
    let attr = |e: &BytesStart, key: &str| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .map(|a| a.value.into_owned())
    };
    let mut reader = Reader::from_str(xsd);
    let mut defs: HashMap<String, Vec<Item>> = HashMap::new();
    let mut depth = 0usize;
    let mut current: Option<String> = None;
    let mut sequence_depth: Option<usize> = None;
    loop {
        let event = reader.read_event().expect("the schema is well-formed XML");
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            Event::End(_) => {
                if sequence_depth == Some(depth) {
                    sequence_depth = Some(usize::MAX);
                }
                depth -= 1;
                if depth == 1 {
                    current = None;
                    sequence_depth = None;
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let e = start.unwrap();
        let local = e.local_name().as_ref().to_string();
        let element_depth = depth + 1;
        if element_depth == 2 && (local == "element" || local == "group") {
            current = attr(&e, "name");
            sequence_depth = None;
        } else if let Some(name) = &current {
            if local == "sequence" && sequence_depth.is_none() {
                sequence_depth = Some(element_depth);
            } else if sequence_depth == Some(element_depth - 1) {
                let item = match local.as_str() {
                    "element" => attr(&e, "name")
                        .or_else(|| attr(&e, "ref"))
                        .map(Item::Element),
                    "group" => attr(&e, "ref").map(Item::Group),
                    _ => None,
                };
                if let Some(item) = item {
                    defs.entry(name.clone()).or_default().push(item);
                }
            }
        }
        if !empty {
            depth += 1;
        }
    }
    defs
}

fn expand(defs: &HashMap<String, Vec<Item>>, name: &str) -> Vec<String> {
    let items = defs
        .get(name)
        .unwrap_or_else(|| panic!("{name} is not defined in the schema"));
    items
        .iter()
        .flat_map(|item| match item {
            Item::Element(e) => vec![e.clone()],
            Item::Group(g) => expand(defs, g),
        })
        .collect()
}

#[test]
fn order_tables_match_both_schemas() {
    for version in ["130", "160"] {
        let path = shared_dir().join(format!("qbxml-schema/qbxml{version}.xsd"));
        let xsd = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (set CUSTSYNC_SHARED_DIR)", path.display()));
        let defs = definitions(&xsd);
        let names = |table: &[custsync::qbxml::order::Slot]| -> Vec<String> {
            table.iter().map(|s| s.element.to_string()).collect()
        };
        assert_eq!(
            names(CUSTOMER_ADD),
            expand(&defs, "CustomerAdd"),
            "CustomerAdd, {version}"
        );
        assert_eq!(
            names(CUSTOMER_RET),
            expand(&defs, "CustomerRet"),
            "CustomerRet, {version}"
        );
        assert_eq!(
            ADDRESS_DATA.to_vec(),
            expand(&defs, "AddressData"),
            "AddressData, {version}"
        );
    }
}
