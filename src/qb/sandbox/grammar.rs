//! Checks a request element against its content model: which elements may appear, in which
//! order, how often, since which qbXML version, and what their text must look like.
//!
//! QuickBooks validates every request against the schema of the version the document declares and
//! rejects the whole document (HRESULT 0x80040400) on any deviation, without saying where. The
//! sandbox applies the same rules from a table ([`super::schema`]) and names the element.
//!
//! String maximum lengths are not a parse matter in QuickBooks: an over-long value is reported per
//! request with status 3070. The checker therefore only records the first over-long value it sees.

use crate::qbxml::QbxmlVersion;
use crate::qbxml::rules::MAX_LIST_ID;

use super::xmlin::Elem;

/// The type of a leaf's text, as far as QuickBooks' parser checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// STRTYPE with a maximum length in characters (0: no maximum).
    Str(u32),
    /// IDTYPE (a ListID; at most 36 characters).
    Id,
    Bool,
    Int,
    Amt,
    Date,
    DateTime,
    Guid,
    Enum(&'static [&'static str]),
}

/// One particle of a content model.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    /// Element name; empty for inline sequences and choices.
    pub name: &'static str,
    pub min: u16,
    /// 0 means unbounded.
    pub max: u16,
    pub since: QbxmlVersion,
    pub body: Body,
}

#[derive(Clone, Copy, Debug)]
pub enum Body {
    Leaf(Ty),
    /// An element with element content.
    Group(&'static [Node]),
    /// An inline sequence (the schema's `xsd:group ref`).
    Seq(&'static [Node]),
    /// One of several sequences.
    Choice(&'static [&'static [Node]]),
}

const V1: QbxmlVersion = QbxmlVersion::new(1, 0);

pub const fn leaf(name: &'static str, ty: Ty) -> Node {
    Node {
        name,
        min: 1,
        max: 1,
        since: V1,
        body: Body::Leaf(ty),
    }
}

pub const fn group(name: &'static str, children: &'static [Node]) -> Node {
    Node {
        name,
        min: 1,
        max: 1,
        since: V1,
        body: Body::Group(children),
    }
}

pub const fn seq(children: &'static [Node]) -> Node {
    Node {
        name: "",
        min: 1,
        max: 1,
        since: V1,
        body: Body::Seq(children),
    }
}

pub const fn choice(branches: &'static [&'static [Node]]) -> Node {
    Node {
        name: "",
        min: 1,
        max: 1,
        since: V1,
        body: Body::Choice(branches),
    }
}

impl Node {
    pub const fn opt(mut self) -> Node {
        self.min = 0;
        self
    }

    /// Zero or more.
    pub const fn many(mut self) -> Node {
        self.min = 0;
        self.max = 0;
        self
    }

    /// One or more.
    pub const fn plus(mut self) -> Node {
        self.max = 0;
        self
    }

    /// Zero up to `n`.
    pub const fn upto(mut self, n: u16) -> Node {
        self.min = 0;
        self.max = n;
        self
    }

    pub const fn since(mut self, major: u16, minor: u16) -> Node {
        self.since = QbxmlVersion::new(major, minor);
        self
    }
}

/// A value longer than its field allows, found while checking (reported later as status 3070).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLong {
    pub field: &'static str,
    pub value: String,
    pub max: u32,
}

/// Walks a request and records what the parser tolerates but QuickBooks refuses later.
#[derive(Default)]
pub struct Findings {
    pub too_long: Option<TooLong>,
}

/// Checks `elem`'s children against `model` (the content of an element named `elem.name`).
pub fn check_children(
    elem: &Elem,
    model: &'static [Node],
    version: QbxmlVersion,
    findings: &mut Findings,
) -> Result<(), String> {
    if !elem.text.trim().is_empty() {
        return Err(format!(
            "<{}> holds text \"{}\" but only elements are allowed in it (line {})",
            elem.name,
            clip(elem.text.trim()),
            elem.line
        ));
    }
    let kids = &elem.children;
    let used = match_seq(model, kids, 0, elem, version, findings)?;
    if let Some(extra) = kids.get(used) {
        return Err(at_line(explain_unexpected(elem, model, used, extra), extra));
    }
    Ok(())
}

fn match_seq(
    model: &'static [Node],
    kids: &[Elem],
    mut i: usize,
    parent: &Elem,
    version: QbxmlVersion,
    findings: &mut Findings,
) -> Result<usize, String> {
    for node in model {
        i = match_node(node, kids, i, parent, version, findings)?;
    }
    Ok(i)
}

fn match_node(
    node: &Node,
    kids: &[Elem],
    mut i: usize,
    parent: &Elem,
    version: QbxmlVersion,
    findings: &mut Findings,
) -> Result<usize, String> {
    let mut count: u16 = 0;
    loop {
        if node.max != 0 && count >= node.max {
            break;
        }
        let Some(kid) = kids.get(i) else { break };
        match node.body {
            Body::Leaf(_) | Body::Group(_) => {
                if kid.name != node.name {
                    break;
                }
                check_version(node, version).map_err(|m| at_line(m, kid))?;
                check_elem(node, kid, version, findings).map_err(|m| at_line(m, kid))?;
                i += 1;
            }
            Body::Seq(children) => {
                if !first_names(children).contains(&kid.name.as_str()) {
                    break;
                }
                i = match_seq(children, kids, i, parent, version, findings)?;
            }
            Body::Choice(branches) => {
                let Some(branch) = branches
                    .iter()
                    .find(|b| first_names(b).contains(&kid.name.as_str()))
                else {
                    break;
                };
                let before = i;
                i = match_seq(branch, kids, i, parent, version, findings)?;
                if i == before {
                    break;
                }
            }
        }
        count = count.saturating_add(1);
    }
    if count < node.min && !can_be_empty(node) {
        // A required element that does come, only later, is misplaced rather than missing.
        if let (Some(here), Some(late)) = (
            kids.get(i),
            kids.iter()
                .skip(i)
                .find(|k| first_names_of(node).contains(&k.name.as_str())),
        ) {
            return Err(format!(
                "<{}> is out of order in <{}>: it must come before <{}> (line {})",
                late.name, parent.name, here.name, late.line
            ));
        }
        return Err(format!(
            "<{}> is missing its required {} (line {})",
            parent.name,
            describe_required(node),
            parent.line
        ));
    }
    Ok(i)
}

fn check_version(node: &Node, version: QbxmlVersion) -> Result<(), String> {
    if node.since > version {
        return Err(format!(
            "<{}> needs qbXML {} or later, but the document declares {version} (raise <?qbxml version?>)",
            node.name, node.since
        ));
    }
    Ok(())
}

fn check_elem(
    node: &Node,
    elem: &Elem,
    version: QbxmlVersion,
    findings: &mut Findings,
) -> Result<(), String> {
    if let Some((k, _)) = elem.attrs.first() {
        return Err(format!("<{}> does not take attribute {k}", elem.name));
    }
    match node.body {
        Body::Leaf(ty) => {
            if let Some(child) = elem.children.first() {
                return Err(format!(
                    "<{}> is not an element of <{}> (it holds a value, not elements)",
                    child.name, elem.name
                ));
            }
            check_value(node.name, ty, &elem.text, findings)
        }
        Body::Group(children) => check_children(elem, children, version, findings),
        Body::Seq(_) | Body::Choice(_) => Ok(()),
    }
}

fn check_value(
    name: &'static str,
    ty: Ty,
    text: &str,
    findings: &mut Findings,
) -> Result<(), String> {
    let bad = |what: &str| {
        Err(format!(
            "the value \"{}\" of <{name}> is not {what}",
            clip(text)
        ))
    };
    match ty {
        Ty::Str(max) => {
            if max > 0 && findings.too_long.is_none() && text.chars().count() > max as usize {
                findings.too_long = Some(TooLong {
                    field: name,
                    value: text.to_string(),
                    max,
                });
            }
            Ok(())
        }
        Ty::Id => {
            if text.chars().count() > MAX_LIST_ID {
                bad(&format!("a ListID (at most {MAX_LIST_ID} characters)"))
            } else {
                Ok(())
            }
        }
        Ty::Bool => match text.trim() {
            "" | "true" | "false" | "1" | "0" => Ok(()),
            _ => bad("a boolean (true or false)"),
        },
        Ty::Int => {
            let t = text.trim();
            let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
            if !digits.is_empty()
                && digits.len() <= 18
                && digits.bytes().all(|b| b.is_ascii_digit())
            {
                Ok(())
            } else {
                bad("a whole number")
            }
        }
        Ty::Amt => {
            if text.is_empty() || crate::qbxml::Amount::parse(text).is_ok() && !text.contains(' ') {
                Ok(())
            } else {
                bad("an amount like 2500.00")
            }
        }
        Ty::Date => {
            if text.trim().is_empty()
                || (text.len() == 10
                    && super::ids::parse_datetime(text, super::ids::DayEnd::Start).is_some())
            {
                Ok(())
            } else {
                bad("a date like 2024-01-31")
            }
        }
        Ty::DateTime => {
            if text.trim().is_empty()
                || super::ids::parse_datetime(text, super::ids::DayEnd::Start).is_some()
            {
                Ok(())
            } else {
                bad("a date and time like 2024-01-31T14:05:00")
            }
        }
        Ty::Guid => {
            if crate::qbxml::rules::is_guid(text) {
                Ok(())
            } else {
                bad("a GUID like {6B29FC40-CA47-1067-B31D-00DD010662DA}")
            }
        }
        Ty::Enum(values) => {
            if values.contains(&text) {
                Ok(())
            } else {
                bad(&format!("one of {}", values.join(", ")))
            }
        }
    }
}

/// Element names that can start `model`.
fn first_names(model: &'static [Node]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for node in model {
        match node.body {
            Body::Leaf(_) | Body::Group(_) => out.push(node.name),
            Body::Seq(children) => out.extend(first_names(children)),
            Body::Choice(branches) => {
                for b in branches {
                    out.extend(first_names(b));
                }
            }
        }
        if node.min > 0 && !can_be_empty(node) {
            break;
        }
    }
    out
}

/// Element names that can start `node`.
fn first_names_of(node: &Node) -> Vec<&'static str> {
    match node.body {
        Body::Leaf(_) | Body::Group(_) => vec![node.name],
        Body::Seq(children) => first_names(children),
        Body::Choice(branches) => branches.iter().flat_map(|b| first_names(b)).collect(),
    }
}

/// Whether `node` can match nothing at all (an inline sequence of optional elements).
fn can_be_empty(node: &Node) -> bool {
    match node.body {
        Body::Leaf(_) | Body::Group(_) => node.min == 0,
        Body::Seq(children) => node.min == 0 || children.iter().all(can_be_empty),
        Body::Choice(branches) => {
            node.min == 0 || branches.iter().any(|b| b.iter().all(can_be_empty))
        }
    }
}

fn describe_required(node: &Node) -> String {
    match node.body {
        Body::Leaf(_) | Body::Group(_) => format!("<{}>", node.name),
        Body::Seq(children) | Body::Choice(&[children, ..]) => {
            let names: Vec<String> = first_names(children)
                .iter()
                .map(|n| format!("<{n}>"))
                .collect();
            names.join(" or ")
        }
        Body::Choice(&[]) => "content".to_string(),
    }
}

/// Every element name the model mentions directly (not inside child elements), in schema order.
fn model_order(model: &'static [Node], out: &mut Vec<&'static str>) {
    for node in model {
        match node.body {
            Body::Leaf(_) | Body::Group(_) => out.push(node.name),
            Body::Seq(children) => model_order(children, out),
            Body::Choice(branches) => {
                for b in branches {
                    model_order(b, out);
                }
            }
        }
    }
}

/// Says why `extra` (the child at `index`) could not be matched.
fn explain_unexpected(parent: &Elem, model: &'static [Node], index: usize, extra: &Elem) -> String {
    let mut order = Vec::new();
    model_order(model, &mut order);
    let pos = |name: &str| order.iter().position(|n| *n == name);
    let Some(here) = pos(&extra.name) else {
        return format!(
            "<{}> is not an element of <{}> (unknown here; check the spelling and the qbXML reference)",
            extra.name, parent.name
        );
    };
    if let Some(prev) = index.checked_sub(1).and_then(|p| parent.children.get(p)) {
        match pos(&prev.name) {
            Some(p) if p > here => {
                return format!(
                    "<{}> is out of order in <{}>: it must come before <{}>",
                    extra.name, parent.name, prev.name
                );
            }
            Some(p) if p == here => {
                return format!(
                    "<{}> appears more often in <{}> than the schema allows",
                    extra.name, parent.name
                );
            }
            _ => {}
        }
    }
    format!(
        "<{}> is not allowed at this position in <{}> (out of order, or it cannot be combined with an element before it)",
        extra.name, parent.name
    )
}

/// Adds the element's line to a message that does not carry one yet.
fn at_line(message: String, elem: &Elem) -> String {
    if message.ends_with(')') && message.contains("(line ") {
        message
    } else {
        format!("{message} (line {})", elem.line)
    }
}

/// A value shortened for an error message.
pub fn clip(text: &str) -> String {
    clip_to(text, 60)
}

/// `text` cut to `max` characters, ending in `…` when something was cut.
pub fn clip_to(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// The content model as lines (`path min..max type`, with `choice`/`branch`/`seq` markers), for
/// comparing the table with the XSDs in `tests/sandbox/schema_table.rs`. Versions are left out:
/// the XSDs do not carry them.
pub fn describe(model: &'static [Node], path: &str, out: &mut Vec<String>) {
    for node in model {
        let occurs = format!(
            "{}..{}",
            node.min,
            if node.max == 0 {
                "n".to_string()
            } else {
                node.max.to_string()
            }
        );
        let here = |name: &str| {
            if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}/{name}")
            }
        };
        match node.body {
            Body::Leaf(ty) => out.push(format!("{} {occurs} {}", here(node.name), ty_name(ty))),
            Body::Group(children) => {
                out.push(format!("{} {occurs} {{", here(node.name)));
                describe(children, &here(node.name), out);
                out.push("}".into());
            }
            Body::Seq(children) if node.min == 1 && node.max == 1 => describe(children, path, out),
            Body::Seq(children) => {
                out.push(format!("seq {occurs} ("));
                describe(children, path, out);
                out.push(")".into());
            }
            Body::Choice(branches) => {
                out.push(format!("choice {occurs} ("));
                for b in branches {
                    out.push("branch".into());
                    describe(b, path, out);
                }
                out.push(")".into());
            }
        }
    }
}

fn ty_name(ty: Ty) -> String {
    match ty {
        Ty::Str(n) => format!("str:{n}"),
        Ty::Id => "id".into(),
        Ty::Bool => "bool".into(),
        Ty::Int => "int".into(),
        Ty::Amt => "amt".into(),
        Ty::Date => "date".into(),
        Ty::DateTime => "datetime".into(),
        Ty::Guid => "guid".into(),
        Ty::Enum(values) => format!("enum:{}", values.join("|")),
    }
}
