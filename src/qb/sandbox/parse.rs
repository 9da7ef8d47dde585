//! Request documents → typed requests, the way QuickBooks' request processor reads them: the
//! envelope first (`<?qbxml version?>`, `onError`, error-recovery attributes), then every request
//! against its content model. Any deviation rejects the whole document before anything runs.
//!
//! The typed values are the shared ones from `qbxml::messages` wherever they fit, wrapped with
//! what QuickBooks accepts beyond what custsync itself sends (ListID references, metaData on type
//! queries, filters on vendor queries, …).

use crate::qb::QbError;
use crate::qb::hresult;
use crate::qbxml::{
    ActiveStatus, CustomerAdd, CustomerData, CustomerQuery, Field, IteratorRq, ListAdd,
    ListDelType, ListDeletedQuery, ListFilter, ListQuery, ListRef, MatchCriterion, NameFilter,
    NameList, NameQuery, OnError, QbxmlVersion, Request, RequestBody, RequestDoc, Selection,
    fields::Shape,
};

use super::grammar::{self, Findings, Node, TooLong};
use super::messages_list::{self, Message};
use super::schema::{self, RqAttrs};
use super::xmlin::{self, Elem};

/// The qbXML versions the sandbox accepts in `<?qbxml version?>` and reports in HostRet: every US
/// version QuickBooks Desktop has shipped (reference §1.2).
pub const SUPPORTED_VERSIONS: &[&str] = &[
    "1.0", "1.1", "2.0", "2.1", "3.0", "4.0", "4.1", "5.0", "6.0", "7.0", "8.0", "9.0", "10.0",
    "11.0", "12.0", "13.0", "14.0", "15.0", "16.0",
];

/// A request document as the sandbox understood it.
#[derive(Debug)]
pub struct ParsedDoc {
    pub version: QbxmlVersion,
    pub on_error: OnError,
    pub new_message_set_id: Option<String>,
    pub old_message_set_id: Option<String>,
    /// `responseData="includeNone"`: statuses only, no Ret bodies.
    pub include_none: bool,
    pub requests: Vec<ParsedRequest>,
}

/// One request with its `requestID` and what the checker noticed.
#[derive(Debug)]
pub struct ParsedRequest {
    pub request_id: Option<String>,
    pub message: &'static Message,
    /// The first value longer than its field allows (status 3070 for adds).
    pub too_long: Option<TooLong>,
    pub body: Rq,
}

/// The two hierarchical type lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TypeList {
    CustomerType,
    JobType,
}

#[derive(Debug)]
pub enum Rq {
    Host,
    Company,
    CustomerQuery(EntityQuery),
    CustomerAdd(Box<CustomerAddRq>),
    TypeQuery(TypeList, TypeQuery),
    /// The terms list (standard terms; the sandbox keeps no date-driven ones).
    TermsQuery(TypeQuery),
    TypeAdd(TypeList, TypeAddRq),
    NameQuery(NameList, EntityQuery),
    ListDeleted(ListDeletedRq),
    /// A request the schema allows but the sandbox does not implement (status 1030).
    Unsupported,
}

/// CustomerQuery, VendorQuery, EmployeeQuery, OtherNameQuery.
#[derive(Debug, Default)]
pub struct EntityQuery {
    pub query: CustomerQuery,
    /// A balance, currency or class filter no record of the sandbox can satisfy: every balance is
    /// 0.00 and the sandbox has no currencies or classes.
    pub matches_nothing: bool,
}

#[derive(Debug, Default)]
pub struct ListDeletedRq {
    pub query: ListDeletedQuery,
    pub metadata_only: bool,
}

#[derive(Debug, Default)]
pub struct TypeQuery {
    pub query: ListQuery,
    pub metadata_only: bool,
}

/// A `…Ref` element of an add: which list it points into and by what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefValue {
    pub element: &'static str,
    pub list_id: Option<String>,
    pub full_name: Option<String>,
}

#[derive(Debug)]
pub struct CustomerAddRq {
    pub add: CustomerAdd,
    /// Every non-empty `…Ref` in the add, in document order.
    pub refs: Vec<RefValue>,
}

#[derive(Debug)]
pub struct TypeAddRq {
    pub add: ListAdd,
    pub parent: Option<RefValue>,
    pub include_ret: Vec<String>,
}

/// A refusal of the whole document.
fn parse_error(detail: impl AsRef<str>) -> QbError {
    QbError::hresult(
        hresult::PARSE_ERROR,
        format!(
            "QuickBooks found an error when parsing the provided XML text stream: {}",
            detail.as_ref()
        ),
    )
}

/// Reads and checks a request document.
pub fn parse_document(text: &str) -> Result<ParsedDoc, QbError> {
    let doc = xmlin::parse(text).map_err(|e| parse_error(e.message))?;
    let version_text = doc.qbxml_version.ok_or_else(|| {
        parse_error(
            "the document has no <?qbxml version=\"…\"?> instruction after the XML declaration",
        )
    })?;
    let version = supported_version(&version_text)?;
    let root = &doc.root;
    if root.name != "QBXML" {
        return Err(parse_error(format!(
            "the root element is <{}>; a qbXML request starts with <QBXML>",
            root.name
        )));
    }
    if let Some((k, _)) = root.attrs.first() {
        return Err(parse_error(format!("<QBXML> does not take attribute {k}")));
    }
    let msgs = match root.children.as_slice() {
        [only] => only,
        [] => return Err(parse_error("<QBXML> is empty: expected <QBXMLMsgsRq>")),
        [first, second, ..] => {
            let extra = if first.name == "SignonMsgsRq" {
                first
            } else {
                second
            };
            return Err(parse_error(format!(
                "<{}> is not allowed here: QuickBooks Desktop takes exactly one <QBXMLMsgsRq> in <QBXML>",
                extra.name
            )));
        }
    };
    match msgs.name.as_str() {
        "QBXMLMsgsRq" => {}
        "QBXMLSubscriptionMsgsRq" => {
            return Err(QbError::hresult(
                hresult::WRONG_API,
                "This message set cannot be processed through ProcessRequest: subscription \
                 messages go through ProcessSubscription, which the sandbox does not offer.",
            ));
        }
        other => {
            return Err(parse_error(format!(
                "<{other}> is not allowed in <QBXML>; expected <QBXMLMsgsRq>"
            )));
        }
    }
    parse_msgs(msgs, version)
}

fn supported_version(text: &str) -> Result<QbxmlVersion, QbError> {
    let unsupported = || {
        QbError::hresult(
            hresult::VERSION_NOT_SUPPORTED,
            format!(
                "The version of qbXML that was requested (\"{}\") is not supported or is unknown. \
                 This QuickBooks supports {}–{}.",
                grammar::clip(text),
                SUPPORTED_VERSIONS[0],
                SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.len() - 1]
            ),
        )
    };
    if !SUPPORTED_VERSIONS.contains(&text.trim()) {
        return Err(unsupported());
    }
    text.trim().parse().map_err(|_| unsupported())
}

fn parse_msgs(msgs: &Elem, version: QbxmlVersion) -> Result<ParsedDoc, QbError> {
    for (k, _) in &msgs.attrs {
        if !matches!(
            k.as_str(),
            "onError" | "newMessageSetID" | "oldMessageSetID" | "responseData"
        ) {
            return Err(parse_error(format!(
                "<QBXMLMsgsRq> does not take attribute {k}"
            )));
        }
    }
    let on_error = match msgs.attr("onError") {
        Some("stopOnError") => OnError::StopOnError,
        Some("continueOnError") => OnError::ContinueOnError,
        Some("rollbackOnError") => {
            return Err(QbError::hresult(
                hresult::ROLLBACK_NOT_SUPPORTED,
                "QuickBooks does not support the rollbackOnError value of the onError attribute; \
                 use stopOnError or continueOnError.",
            ));
        }
        Some(other) => {
            return Err(parse_error(format!(
                "onError=\"{}\" is not stopOnError or continueOnError",
                grammar::clip(other)
            )));
        }
        None => {
            return Err(parse_error(
                "<QBXMLMsgsRq> needs the onError attribute (stopOnError or continueOnError)",
            ));
        }
    };
    let include_none = match msgs.attr("responseData") {
        None | Some("includeAll") => false,
        Some("includeNone") => true,
        Some(other) => {
            return Err(parse_error(format!(
                "responseData=\"{}\" is not includeAll or includeNone",
                grammar::clip(other)
            )));
        }
    };
    if !msgs.text.trim().is_empty() {
        return Err(parse_error(
            "<QBXMLMsgsRq> holds text; only requests are allowed in it",
        ));
    }
    let mut requests = Vec::with_capacity(msgs.children.len());
    for rq in &msgs.children {
        requests.push(parse_request(rq, version)?);
    }
    Ok(ParsedDoc {
        version,
        on_error,
        new_message_set_id: msgs.attr("newMessageSetID").map(str::to_string),
        old_message_set_id: msgs.attr("oldMessageSetID").map(str::to_string),
        include_none,
        requests,
    })
}

/// The content model and attributes of each request the sandbox implements.
pub(crate) fn model_of(name: &str) -> Option<(&'static [Node], RqAttrs)> {
    Some(match name {
        "HostQuery" => (schema::HOST_QUERY, RqAttrs::Plain),
        "CompanyQuery" => (schema::COMPANY_QUERY, RqAttrs::Plain),
        "CustomerQuery" | "VendorQuery" => (schema::ENTITY_QUERY, RqAttrs::Iterable),
        "EmployeeQuery" | "OtherNameQuery" => (schema::LIST_QUERY_WITH_OWNER, RqAttrs::MetaData),
        "CustomerTypeQuery" | "JobTypeQuery" | "TermsQuery" => {
            (schema::LIST_QUERY, RqAttrs::MetaData)
        }
        "CustomerAdd" => (schema::CUSTOMER_ADD_RQ, RqAttrs::Plain),
        "CustomerTypeAdd" => (schema::CUSTOMER_TYPE_ADD_RQ, RqAttrs::Plain),
        "JobTypeAdd" => (schema::JOB_TYPE_ADD_RQ, RqAttrs::Plain),
        "ListDeletedQuery" => (schema::LIST_DELETED_QUERY, RqAttrs::MetaData),
        _ => return None,
    })
}

fn parse_request(rq: &Elem, version: QbxmlVersion) -> Result<ParsedRequest, QbError> {
    let message = messages_list::by_rq(&rq.name).ok_or_else(|| {
        parse_error(format!(
            "<{}> is not a qbXML request (unknown element in <QBXMLMsgsRq>)",
            rq.name
        ))
    })?;
    if message.after_13 && version < QbxmlVersion::new(14, 0) {
        return Err(parse_error(format!(
            "<{}> is not part of qbXML {version}; it needs a newer version",
            rq.name
        )));
    }
    let request_id = rq.attr("requestID").map(str::to_string);
    let Some((model, attrs)) = model_of(message.name) else {
        // Not implemented: QuickBooks would run it; the sandbox answers status 1030 without
        // looking inside.
        return Ok(ParsedRequest {
            request_id,
            message,
            too_long: None,
            body: Rq::Unsupported,
        });
    };
    check_rq_attrs(rq, attrs, version)?;
    let mut findings = Findings::default();
    grammar::check_children(rq, model, version, &mut findings).map_err(parse_error)?;
    let body = extract(message.name, rq);
    Ok(ParsedRequest {
        request_id,
        message,
        too_long: findings.too_long,
        body,
    })
}

fn check_rq_attrs(rq: &Elem, attrs: RqAttrs, version: QbxmlVersion) -> Result<(), QbError> {
    for (k, v) in &rq.attrs {
        if !attrs.allows(k) {
            return Err(parse_error(format!(
                "<{}> does not take attribute {k}",
                rq.name
            )));
        }
        let (since, allowed): (QbxmlVersion, &[&str]) = match k.as_str() {
            "metaData" => (
                QbxmlVersion::new(4, 0),
                &["NoMetaData", "MetaDataOnly", "MetaDataAndResponseData"],
            ),
            "iterator" => (QbxmlVersion::new(5, 0), &["Start", "Continue", "Stop"]),
            "iteratorID" => (QbxmlVersion::new(5, 0), &[]),
            _ => (QbxmlVersion::new(1, 0), &[]),
        };
        if since > version {
            return Err(parse_error(format!(
                "attribute {k} of <{}> needs qbXML {since} or later, but the document declares {version}",
                rq.name
            )));
        }
        if !allowed.is_empty() && !allowed.contains(&v.as_str()) {
            return Err(parse_error(format!(
                "{k}=\"{}\" on <{}> is not one of {}",
                grammar::clip(v),
                rq.name,
                allowed.join(", ")
            )));
        }
    }
    Ok(())
}

/// Builds the typed request from an element the grammar has accepted.
fn extract(name: &str, rq: &Elem) -> Rq {
    match name {
        "HostQuery" => Rq::Host,
        "CompanyQuery" => Rq::Company,
        "CustomerQuery" => Rq::CustomerQuery(entity_query(rq)),
        "VendorQuery" => Rq::NameQuery(NameList::Vendor, entity_query(rq)),
        "EmployeeQuery" => Rq::NameQuery(NameList::Employee, entity_query(rq)),
        "OtherNameQuery" => Rq::NameQuery(NameList::OtherName, entity_query(rq)),
        "CustomerTypeQuery" => Rq::TypeQuery(TypeList::CustomerType, type_query(rq)),
        "JobTypeQuery" => Rq::TypeQuery(TypeList::JobType, type_query(rq)),
        "TermsQuery" => Rq::TermsQuery(type_query(rq)),
        "CustomerAdd" => Rq::CustomerAdd(Box::new(customer_add(rq))),
        "CustomerTypeAdd" => Rq::TypeAdd(TypeList::CustomerType, type_add(rq, "CustomerTypeAdd")),
        "JobTypeAdd" => Rq::TypeAdd(TypeList::JobType, type_add(rq, "JobTypeAdd")),
        "ListDeletedQuery" => Rq::ListDeleted(list_deleted(rq)),
        _ => Rq::Unsupported,
    }
}

fn texts(elem: &Elem, name: &str) -> Vec<String> {
    elem.children_named(name).map(|c| c.text.clone()).collect()
}

fn selection(rq: &Elem) -> Selection {
    let ids = texts(rq, "ListID");
    if !ids.is_empty() {
        return Selection::ListIds(ids);
    }
    let names = texts(rq, "FullName");
    if !names.is_empty() {
        return Selection::FullNames(names);
    }
    Selection::Filter(list_filter(rq))
}

fn list_filter(rq: &Elem) -> ListFilter {
    let active_status = rq.child_text("ActiveStatus").map(|t| match t {
        "InactiveOnly" => ActiveStatus::InactiveOnly,
        "All" => ActiveStatus::All,
        _ => ActiveStatus::ActiveOnly,
    });
    let name_filter = if let Some(nf) = rq.child("NameFilter") {
        let criterion = match nf.child_text("MatchCriterion") {
            Some("Contains") => MatchCriterion::Contains,
            Some("EndsWith") => MatchCriterion::EndsWith,
            _ => MatchCriterion::StartsWith,
        };
        Some(NameFilter::Match {
            criterion,
            name: nf.child_text("Name").unwrap_or_default().to_string(),
        })
    } else {
        rq.child("NameRangeFilter").map(|r| NameFilter::Range {
            from: r.child_text("FromName").map(str::to_string),
            to: r.child_text("ToName").map(str::to_string),
        })
    };
    ListFilter {
        // Validated as an integer; values beyond u32 are clamped rather than refused.
        max_returned: rq.child_text("MaxReturned").map(|t| {
            t.trim()
                .parse::<i64>()
                .map_or(u32::MAX, |v| u32::try_from(v.max(0)).unwrap_or(u32::MAX))
        }),
        active_status,
        from_modified_date: rq.child_text("FromModifiedDate").map(str::to_string),
        to_modified_date: rq.child_text("ToModifiedDate").map(str::to_string),
        name_filter,
    }
}

fn entity_query(rq: &Elem) -> EntityQuery {
    let iterator = match rq.attr("iterator") {
        Some("Start") => Some(IteratorRq::Start),
        Some("Continue") => Some(IteratorRq::Continue(
            rq.attr("iteratorID").unwrap_or_default().to_string(),
        )),
        Some("Stop") => Some(IteratorRq::Stop(
            rq.attr("iteratorID").unwrap_or_default().to_string(),
        )),
        _ => None,
    };
    let balance_excludes_zero = rq.child("TotalBalanceFilter").is_some_and(|f| {
        let amount = f
            .child_text("Amount")
            .and_then(|a| crate::qbxml::Amount::parse(a).ok())
            .map_or(0, |a| a.cents());
        !match f.child_text("Operator") {
            Some("LessThan") => 0 < amount,
            Some("LessThanEqual") => 0 <= amount,
            Some("Equal") => amount == 0,
            Some("GreaterThan") => 0 > amount,
            _ => 0 >= amount,
        }
    });
    EntityQuery {
        query: CustomerQuery {
            iterator,
            metadata_only: rq.attr("metaData") == Some("MetaDataOnly"),
            selection: selection(rq),
            include_ret: texts(rq, "IncludeRetElement"),
        },
        matches_nothing: balance_excludes_zero
            || rq.child("CurrencyFilter").is_some()
            || rq.child("ClassFilter").is_some(),
    }
}

fn type_query(rq: &Elem) -> TypeQuery {
    TypeQuery {
        query: ListQuery {
            selection: selection(rq),
            include_ret: texts(rq, "IncludeRetElement"),
        },
        metadata_only: rq.attr("metaData") == Some("MetaDataOnly"),
    }
}

fn list_deleted(rq: &Elem) -> ListDeletedRq {
    let range = rq.child("DeletedDateRangeFilter");
    let date = |name: &str| range.and_then(|r| r.child_text(name)).map(str::to_string);
    let mut types: Vec<ListDelType> = Vec::new();
    // The grammar admits only the schema's values; a repeated one is asked once.
    for t in rq
        .children_named("ListDelType")
        .filter_map(|c| ListDelType::parse(&c.text))
    {
        if !types.contains(&t) {
            types.push(t);
        }
    }
    ListDeletedRq {
        query: ListDeletedQuery {
            types,
            from_deleted_date: date("FromDeletedDate"),
            to_deleted_date: date("ToDeletedDate"),
            include_ret: texts(rq, "IncludeRetElement"),
        },
        metadata_only: rq.attr("metaData") == Some("MetaDataOnly"),
    }
}

fn bool_of(text: Option<&str>) -> Option<bool> {
    match text.map(str::trim) {
        Some("true" | "1") => Some(true),
        Some("false" | "0") => Some(false),
        _ => None,
    }
}

fn ref_value(elem: &Elem, name: &'static str) -> Option<RefValue> {
    let r = elem.child(name)?;
    let list_id = r
        .child_text("ListID")
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    let full_name = r
        .child_text("FullName")
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    (list_id.is_some() || full_name.is_some()).then_some(RefValue {
        element: name,
        list_id,
        full_name,
    })
}

/// The `…Ref` elements of CustomerAdd, in schema order.
pub const CUSTOMER_ADD_REFS: &[&str] = &[
    "ClassRef",
    "ParentRef",
    "CustomerTypeRef",
    "TermsRef",
    "SalesRepRef",
    "SalesTaxCodeRef",
    "ItemSalesTaxRef",
    "PreferredPaymentMethodRef",
    "JobTypeRef",
    "PriceLevelRef",
    "CurrencyRef",
];

fn customer_add(rq: &Elem) -> CustomerAddRq {
    let Some(add) = rq.child("CustomerAdd") else {
        // The grammar requires CustomerAdd; an empty request keeps this total.
        return CustomerAddRq {
            add: CustomerAdd::default(),
            refs: Vec::new(),
        };
    };
    let mut data = CustomerData::new();
    for &field in Field::ALL {
        let value = match field.shape() {
            Shape::Plain(e) => add.child_text(e),
            Shape::InAddress(a, e) => add.child(a.element()).and_then(|x| x.child_text(e)),
            Shape::Ref(e) => add.child(e).and_then(|x| x.child_text("FullName")),
        };
        data.set_opt(field, value);
    }
    let refs: Vec<RefValue> = CUSTOMER_ADD_REFS
        .iter()
        .filter_map(|name| ref_value(add, name))
        .collect();
    let parent = refs
        .iter()
        .find(|r| r.element == "ParentRef")
        .map(|r| ListRef {
            list_id: r.list_id.clone(),
            full_name: r.full_name.clone(),
        });
    CustomerAddRq {
        add: CustomerAdd {
            data,
            is_active: bool_of(add.child_text("IsActive")),
            parent,
            job_type: add
                .child("JobTypeRef")
                .and_then(|x| x.child_text("FullName"))
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            external_guid: add.child_text("ExternalGUID").map(str::to_string),
            include_ret: texts(rq, "IncludeRetElement"),
        },
        refs,
    }
}

fn type_add(rq: &Elem, inner: &str) -> TypeAddRq {
    let Some(add) = rq.child(inner) else {
        return TypeAddRq {
            add: ListAdd::default(),
            parent: None,
            include_ret: Vec::new(),
        };
    };
    let parent = ref_value(add, "ParentRef");
    TypeAddRq {
        add: ListAdd {
            name: add.child_text("Name").unwrap_or_default().to_string(),
            is_active: bool_of(add.child_text("IsActive")),
            parent_full_name: parent.as_ref().and_then(|p| p.full_name.clone()),
        },
        parent,
        include_ret: texts(rq, "IncludeRetElement"),
    }
}

impl ParsedDoc {
    /// The document as custsync's shared request types, for comparing a round trip. Requests those
    /// types cannot express (unsupported kinds, vendor queries by ListID or filter) are left out.
    pub fn to_request_doc(&self) -> RequestDoc {
        let mut doc = RequestDoc::new(self.version, self.on_error);
        doc.new_message_set_id = self.new_message_set_id.clone();
        doc.old_message_set_id = self.old_message_set_id.clone();
        for rq in &self.requests {
            let body = match &rq.body {
                Rq::Host => RequestBody::HostQuery,
                Rq::Company => RequestBody::CompanyQuery,
                Rq::CustomerQuery(q) => RequestBody::CustomerQuery(q.query.clone()),
                Rq::CustomerAdd(a) => RequestBody::CustomerAdd(Box::new(a.add.clone())),
                Rq::TypeQuery(TypeList::CustomerType, q) => {
                    RequestBody::CustomerTypeQuery(q.query.clone())
                }
                Rq::TypeQuery(TypeList::JobType, q) => RequestBody::JobTypeQuery(q.query.clone()),
                Rq::TermsQuery(q) => RequestBody::TermsQuery(q.query.clone()),
                Rq::TypeAdd(TypeList::CustomerType, a) => {
                    RequestBody::CustomerTypeAdd(a.add.clone())
                }
                Rq::TypeAdd(TypeList::JobType, a) => RequestBody::JobTypeAdd(a.add.clone()),
                Rq::NameQuery(list, q) => match &q.query.selection {
                    Selection::FullNames(names) => RequestBody::NameQuery(
                        *list,
                        NameQuery {
                            full_names: names.clone(),
                        },
                    ),
                    _ => continue,
                },
                Rq::ListDeleted(q) => RequestBody::ListDeletedQuery(q.query.clone()),
                Rq::Unsupported => continue,
            };
            doc.requests.push(Request {
                request_id: rq.request_id.clone().unwrap_or_default(),
                body,
            });
        }
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const VALID: &str = "<?xml version=\"1.0\"?><?qbxml version=\"13.0\"?><QBXML><QBXMLMsgsRq onError=\"continueOnError\" newMessageSetID=\"m1\"><CustomerQueryRq requestID=\"1\" iterator=\"Start\"><MaxReturned>5</MaxReturned><ActiveStatus>All</ActiveStatus><NameRangeFilter><FromName>a</FromName></NameRangeFilter><IncludeRetElement>Name</IncludeRetElement></CustomerQueryRq><CustomerAddRq requestID=\"2\"><CustomerAdd><Name>A &amp; B</Name><ParentRef><ListID>80000001-1</ListID></ParentRef><BillAddress><Addr1>1</Addr1><City>C</City></BillAddress><TermsRef><FullName>Net 30</FullName></TermsRef><CreditLimit>10.00</CreditLimit></CustomerAdd></CustomerAddRq><VendorQueryRq><FullName>V</FullName></VendorQueryRq><InvoiceQueryRq/></QBXMLMsgsRq></QBXML>";

    #[test]
    fn reads_the_shared_request_types() {
        let doc = parse_document(VALID).unwrap();
        assert_eq!(doc.requests.len(), 4);
        let shared = doc.to_request_doc();
        assert_eq!(shared.version, QbxmlVersion::new(13, 0));
        assert_eq!(shared.on_error, OnError::ContinueOnError);
        assert_eq!(shared.new_message_set_id.as_deref(), Some("m1"));
        // The unsupported InvoiceQuery has no shared type.
        assert_eq!(shared.requests.len(), 3);
        let RequestBody::CustomerQuery(q) = &shared.requests[0].body else {
            panic!("{:?}", shared.requests[0]);
        };
        assert_eq!(q.iterator, Some(IteratorRq::Start));
        assert_eq!(q.include_ret, ["Name"]);
        let Selection::Filter(f) = &q.selection else {
            panic!()
        };
        assert_eq!(f.max_returned, Some(5));
        assert_eq!(f.active_status, Some(ActiveStatus::All));
        let RequestBody::CustomerAdd(a) = &shared.requests[1].body else {
            panic!()
        };
        assert_eq!(a.data.get(Field::Name), Some("A & B"));
        assert_eq!(a.data.get(Field::BillCity), Some("C"));
        assert_eq!(a.data.get(Field::Terms), Some("Net 30"));
        assert_eq!(
            a.parent.as_ref().and_then(|p| p.list_id.as_deref()),
            Some("80000001-1")
        );
        assert!(
            matches!(&shared.requests[2].body, RequestBody::NameQuery(NameList::Vendor, n) if n.full_names == ["V"])
        );
    }

    proptest! {
        // SANDBOX_FUZZ_CASES=300000 runs a longer fuzz by hand.
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("SANDBOX_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
        ))]

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,300}") {
            let _ = parse_document(&s);
        }

        #[test]
        fn mutated_documents_never_panic(
            cut in 0usize..VALID.len(),
            at in 0usize..VALID.len(),
            insert in "[<>&;#x\"'=/a-zA-Z0-9 \u{e9}\u{4e2d}]{0,8}",
        ) {
            let mut s: String = VALID.chars().take(at).collect();
            s.push_str(&insert);
            s.extend(VALID.chars().skip(at).take(cut));
            let _ = parse_document(&s);
        }
    }
}
