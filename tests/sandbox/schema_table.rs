//! The sandbox's tables against Intuit's schemas: the list of request messages, and the content
//! model of every request the sandbox implements (element names, order, occurrences, types and
//! maximum lengths), re-derived from qbxml130/160.xsd and compared line by line.

use std::collections::HashMap;

use crate::support::{Docs, Node, Test, parse_tree};
use custsync::qb::sandbox::{describe_request, implemented_requests, known_messages};

pub const TESTS: &[Test] = &[
    (
        "the_message_list_matches_both_schemas",
        the_message_list_matches_both_schemas,
    ),
    (
        "content_models_match_both_schemas",
        content_models_match_both_schemas,
    ),
];

fn schema_dir() -> std::path::PathBuf {
    custsync::testkit::shared_dir().join("qbxml-schema")
}

/// The global definitions of one schema version.
struct Xsd {
    elements: HashMap<String, Node>,
    complex: HashMap<String, Node>,
    groups: HashMap<String, Node>,
    simple: HashMap<String, Node>,
}

impl Xsd {
    fn load(version: &str) -> Xsd {
        let mut x = Xsd {
            elements: HashMap::new(),
            complex: HashMap::new(),
            groups: HashMap::new(),
            simple: HashMap::new(),
        };
        for file in ["qbxmltypes", "qbxml", "qbxmlops"] {
            let path = schema_dir().join(format!("{file}{version}.xsd"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let root = parse_tree(&text);
            let schema = root.child("xsd:schema").expect("xsd:schema");
            for def in &schema.children {
                let Some(name) = def.attr("name") else {
                    continue;
                };
                let map = match def.name.as_str() {
                    "xsd:element" => &mut x.elements,
                    "xsd:complexType" => &mut x.complex,
                    "xsd:group" => &mut x.groups,
                    "xsd:simpleType" => &mut x.simple,
                    _ => continue,
                };
                map.insert(name.to_string(), def.clone());
            }
        }
        x
    }

    fn describe_particles(&self, nodes: &[Node], path: &str, out: &mut Vec<String>) {
        for n in nodes {
            self.describe(n, path, out);
        }
    }

    fn describe(&self, n: &Node, path: &str, out: &mut Vec<String>) {
        let occurs = occurs(n);
        match n.name.as_str() {
            "xsd:element" => {
                let (name, def) = match n.attr("ref") {
                    Some(r) => (
                        r,
                        self.elements
                            .get(r)
                            .unwrap_or_else(|| panic!("element {r}")),
                    ),
                    None => (n.attr("name").unwrap(), n),
                };
                let here = if path.is_empty() {
                    name.to_string()
                } else {
                    format!("{path}/{name}")
                };
                let complex = match def.attr("type") {
                    Some(t) => self.complex.get(t),
                    None => def.child("xsd:complexType"),
                };
                if let Some(ct) = complex {
                    out.push(format!("{here} {occurs} {{"));
                    self.describe_particles(&particles(ct), &here, out);
                    out.push("}".into());
                } else {
                    out.push(format!("{here} {occurs} {}", self.simple_type(def)));
                }
            }
            "xsd:sequence" if occurs == "1..1" => self.describe_particles(&n.children, path, out),
            "xsd:sequence" => {
                out.push(format!("seq {occurs} ("));
                self.describe_particles(&n.children, path, out);
                out.push(")".into());
            }
            "xsd:choice" => {
                out.push(format!("choice {occurs} ("));
                for b in n.children.iter().filter(|c| c.name.starts_with("xsd:")) {
                    if b.name == "xsd:annotation" {
                        continue;
                    }
                    out.push("branch".into());
                    self.describe(b, path, out);
                }
                out.push(")".into());
            }
            "xsd:group" => {
                let g = self
                    .groups
                    .get(n.attr("ref").unwrap())
                    .unwrap_or_else(|| panic!("group {:?}", n.attr("ref")));
                if occurs == "1..1" {
                    self.describe_particles(&particles(g), path, out);
                } else {
                    out.push(format!("seq {occurs} ("));
                    self.describe_particles(&particles(g), path, out);
                    out.push(")".into());
                }
            }
            _ => {}
        }
    }

    /// `str:41`, `id`, `enum:A|B`, … for a simple element definition.
    fn simple_type(&self, def: &Node) -> String {
        let restriction = match def.attr("type") {
            Some(t) => match self.simple.get(t) {
                // A named restriction of a base type (e.g. a 50-character STRTYPE).
                Some(st) if !is_base(t) => st.child("xsd:restriction").cloned(),
                _ => return base_name(t, None, &[]),
            },
            None => def
                .child("xsd:simpleType")
                .and_then(|st| st.child("xsd:restriction"))
                .cloned(),
        };
        let r = restriction.unwrap_or_else(|| panic!("no type for {:?}", def.attr("name")));
        let max = r.child("xsd:maxLength").and_then(|m| m.attr("value"));
        let enums: Vec<&str> = r
            .children
            .iter()
            .filter(|c| c.name == "xsd:enumeration")
            .filter_map(|c| c.attr("value"))
            .collect();
        base_name(r.attr("base").unwrap(), max, &enums)
    }
}

fn is_base(t: &str) -> bool {
    matches!(
        t,
        "STRTYPE"
            | "IDTYPE"
            | "BOOLTYPE"
            | "INTTYPE"
            | "AMTTYPE"
            | "DATETYPE"
            | "DATETIMETYPE"
            | "GUIDTYPE"
            | "ENUMTYPE"
    )
}

fn base_name(base: &str, max: Option<&str>, enums: &[&str]) -> String {
    if !enums.is_empty() {
        return format!("enum:{}", enums.join("|"));
    }
    match base {
        "STRTYPE" => format!("str:{}", max.unwrap_or("0")),
        "IDTYPE" => "id".into(),
        "BOOLTYPE" => "bool".into(),
        "INTTYPE" => "int".into(),
        "AMTTYPE" => "amt".into(),
        "DATETYPE" => "date".into(),
        "DATETIMETYPE" => "datetime".into(),
        "GUIDTYPE" => "guid".into(),
        other => panic!("unexpected base type {other}"),
    }
}

fn occurs(n: &Node) -> String {
    let min = n.attr("minOccurs").unwrap_or("1");
    let max = match n.attr("maxOccurs") {
        Some("unbounded") => "n",
        Some(m) => m,
        None => "1",
    };
    format!("{min}..{max}")
}

/// The particles of a complex type or group (its sequence/choice/group children).
fn particles(def: &Node) -> Vec<Node> {
    def.children
        .iter()
        .filter(|c| {
            matches!(
                c.name.as_str(),
                "xsd:sequence" | "xsd:choice" | "xsd:group" | "xsd:element"
            )
        })
        .cloned()
        .collect()
}

fn request_names(version: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(schema_dir().join(format!("qbxmlops{version}.xsd"))).unwrap();
    let start = text.find("<xsd:element name=\"QBXMLMsgsRq\">").unwrap();
    let end = start
        + text[start..]
            .find("</xsd:element>\n\n<xsd:element name=\"QBXMLMsgsRs\">")
            .unwrap_or(text.len() - start);
    text[start..end]
        .split("<xsd:element name=\"")
        .skip(2)
        .filter_map(|s| s.split('"').next())
        .filter_map(|n| n.strip_suffix("Rq"))
        .map(str::to_string)
        .collect()
}

fn the_message_list_matches_both_schemas(_docs: &mut Docs) {
    let v16 = request_names("160");
    let v13 = request_names("130");
    assert!(
        v16.len() > 250 && v13.len() > 200,
        "{} {}",
        v16.len(),
        v13.len()
    );
    let ours: Vec<(&str, bool)> = known_messages().collect();
    let names: Vec<&str> = ours.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, v16.iter().map(String::as_str).collect::<Vec<_>>());
    for (name, after_13) in ours {
        assert_eq!(after_13, !v13.iter().any(|n| n == name), "{name}");
    }
    for r in implemented_requests() {
        assert!(v13.iter().any(|n| n == r), "{r} exists in 13.0");
    }
    // Every request custsync sends has a content model (and so a check here).
    let implemented: Vec<&str> = implemented_requests().collect();
    for needed in [
        "HostQuery",
        "CompanyQuery",
        "CustomerQuery",
        "CustomerAdd",
        "CustomerTypeQuery",
        "CustomerTypeAdd",
        "JobTypeQuery",
        "JobTypeAdd",
        "TermsQuery",
        "VendorQuery",
        "EmployeeQuery",
        "OtherNameQuery",
    ] {
        assert!(implemented.contains(&needed), "{needed} is implemented");
    }
}

fn content_models_match_both_schemas(_docs: &mut Docs) {
    for version in ["130", "160"] {
        let xsd = Xsd::load(version);
        for name in implemented_requests() {
            let ct = xsd
                .complex
                .get(&format!("{name}RqType"))
                .unwrap_or_else(|| panic!("{name}RqType"));
            let mut expected = Vec::new();
            xsd.describe_particles(&particles(ct), "", &mut expected);
            let ours = describe_request(name).unwrap();
            if ours != expected {
                let diff: Vec<String> = expected
                    .iter()
                    .zip(ours.iter())
                    .enumerate()
                    .filter(|(_, (a, b))| a != b)
                    .take(5)
                    .map(|(i, (a, b))| format!("  line {i}: schema `{a}` vs sandbox `{b}`"))
                    .collect();
                panic!(
                    "{name} differs from qbxml{version} ({} vs {} lines):\n{}",
                    expected.len(),
                    ours.len(),
                    diff.join("\n")
                );
            }
        }
    }
}
