//! The element-order tables in `qbxml::order` match Intuit's schemas, 13.0 and 16.0.
//!
//! The request writer, the response reader and the CustomerRet writer trust these tables; this
//! reads the XSDs themselves so a typo or a missing element in a table fails here rather than in
//! QuickBooks.

use std::collections::HashMap;

use crate::sandbox_support::{Node, parse_tree};
use custsync::qbxml::order::{ADDRESS_DATA, CUSTOMER_ADD, CUSTOMER_RET};
use custsync::testkit::shared_dir;

/// The global elements and groups of a schema, by name.
fn definitions(xsd: &str) -> HashMap<String, Node> {
    let root = parse_tree(xsd);
    let schema = root.child("xsd:schema").expect("xsd:schema");
    schema
        .children
        .iter()
        .filter(|d| matches!(d.name.as_str(), "xsd:element" | "xsd:group"))
        .filter_map(|d| Some((d.attr("name")?.to_string(), d.clone())))
        .collect()
}

/// The first `xsd:sequence` in `n`, in document order.
fn first_sequence(n: &Node) -> Option<&Node> {
    n.children.iter().find_map(|c| {
        if c.name == "xsd:sequence" {
            Some(c)
        } else {
            first_sequence(c)
        }
    })
}

/// The element names of `name`'s first sequence, with group references expanded.
fn expand(defs: &HashMap<String, Node>, name: &str) -> Vec<String> {
    let sequence = defs
        .get(name)
        .and_then(first_sequence)
        .unwrap_or_else(|| panic!("{name} is not defined in the schema"));
    sequence
        .children
        .iter()
        .flat_map(|item| match item.name.as_str() {
            "xsd:element" => item
                .attr("name")
                .or_else(|| item.attr("ref"))
                .map(|e| vec![e.to_string()])
                .unwrap_or_default(),
            "xsd:group" => item
                .attr("ref")
                .map(|g| expand(defs, g))
                .unwrap_or_default(),
            _ => Vec::new(),
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
