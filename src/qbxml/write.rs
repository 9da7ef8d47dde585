//! Request writer: turns a [`RequestDoc`] into the qbXML text QuickBooks accepts.
//!
//! Element order follows the schema exactly (QuickBooks refuses a misordered document whole);
//! CustomerAdd is driven by [`order::CUSTOMER_ADD`] rather than a hand-written sequence. The
//! writer does not judge values: run [`super::rules`] first, because a value QuickBooks cannot
//! store (too long, not Latin-1, a control character) fails the whole document or the request.
//!
//! The other direction's CustomerRet ([`customer_ret`], driven by [`order::CUSTOMER_RET`]) lives
//! here too, so that the sandbox's answers and the reader's test documents carry every field the
//! way requests do.

use super::fields::{CustomerData, Field, Kind, Shape};
use super::messages::{
    CustomerAdd, CustomerQuery, CustomerRet, IteratorRq, ListAdd, ListDeletedQuery, ListFilter,
    ListQuery, ListRef, NameFilter, NameQuery, Request, RequestBody, RequestDoc, Selection,
};
use super::order::{self, Content};
use super::xml::XmlWriter;
use super::{Amount, NameList};

/// Writes a whole request document.
pub fn write_request(doc: &RequestDoc) -> String {
    let mut w = XmlWriter::with_capacity(256 + 512 * doc.requests.len());
    w.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    w.raw(&format!("<?qbxml version=\"{}\"?>", doc.version));
    w.start("QBXML").start("QBXMLMsgsRq");
    w.attr("onError", doc.on_error.as_str());
    w.attr_opt("newMessageSetID", doc.new_message_set_id.as_deref());
    w.attr_opt("oldMessageSetID", doc.old_message_set_id.as_deref());
    for request in &doc.requests {
        write_one(&mut w, request);
    }
    w.finish()
}

fn write_one(w: &mut XmlWriter, request: &Request) {
    let id = request.request_id.as_str();
    match &request.body {
        RequestBody::HostQuery => {
            w.start("HostQueryRq").attr("requestID", id).end();
        }
        RequestBody::CompanyQuery => {
            w.start("CompanyQueryRq").attr("requestID", id).end();
        }
        RequestBody::CustomerQuery(q) => customer_query(w, id, q),
        RequestBody::CustomerAdd(add) => customer_add(w, id, add),
        RequestBody::CustomerTypeQuery(q) => list_query(w, "CustomerTypeQueryRq", id, q),
        RequestBody::CustomerTypeAdd(a) => {
            list_add(w, "CustomerTypeAddRq", "CustomerTypeAdd", id, a)
        }
        RequestBody::JobTypeQuery(q) => list_query(w, "JobTypeQueryRq", id, q),
        RequestBody::JobTypeAdd(a) => list_add(w, "JobTypeAddRq", "JobTypeAdd", id, a),
        RequestBody::TermsQuery(q) => list_query(w, "TermsQueryRq", id, q),
        RequestBody::NameQuery(list, q) => name_query(w, *list, id, q),
        RequestBody::ListDeletedQuery(q) => list_deleted_query(w, id, q),
    }
}

fn list_deleted_query(w: &mut XmlWriter, id: &str, q: &ListDeletedQuery) {
    w.start("ListDeletedQueryRq").attr("requestID", id);
    for t in &q.types {
        w.leaf("ListDelType", t.as_str());
    }
    if q.from_deleted_date.is_some() || q.to_deleted_date.is_some() {
        w.start("DeletedDateRangeFilter")
            .leaf_opt("FromDeletedDate", q.from_deleted_date.as_deref())
            .leaf_opt("ToDeletedDate", q.to_deleted_date.as_deref())
            .end();
    }
    include_ret(w, &q.include_ret);
    w.end();
}

fn customer_query(w: &mut XmlWriter, id: &str, q: &CustomerQuery) {
    w.start("CustomerQueryRq").attr("requestID", id);
    if q.metadata_only {
        w.attr("metaData", "MetaDataOnly");
    }
    match &q.iterator {
        None => {}
        Some(IteratorRq::Start) => {
            w.attr("iterator", "Start");
        }
        Some(IteratorRq::Continue(it)) => {
            w.attr("iterator", "Continue").attr("iteratorID", it);
        }
        Some(IteratorRq::Stop(it)) => {
            w.attr("iterator", "Stop").attr("iteratorID", it);
        }
    }
    selection(w, &q.selection);
    include_ret(w, &q.include_ret);
    w.end();
}

fn list_query(w: &mut XmlWriter, rq: &'static str, id: &str, q: &ListQuery) {
    w.start(rq).attr("requestID", id);
    selection(w, &q.selection);
    include_ret(w, &q.include_ret);
    w.end();
}

fn name_query(w: &mut XmlWriter, list: NameList, id: &str, q: &NameQuery) {
    let rq = match list {
        NameList::Vendor => "VendorQueryRq",
        NameList::Employee => "EmployeeQueryRq",
        NameList::OtherName => "OtherNameQueryRq",
    };
    w.start(rq).attr("requestID", id);
    for name in &q.full_names {
        w.leaf("FullName", name);
    }
    w.end();
}

/// The schema's `ListID+ | FullName+ | filter` choice shared by every list query.
fn selection(w: &mut XmlWriter, selection: &Selection) {
    match selection {
        Selection::ListIds(ids) => {
            for id in ids {
                w.leaf("ListID", id);
            }
        }
        Selection::FullNames(names) => {
            for name in names {
                w.leaf("FullName", name);
            }
        }
        Selection::Filter(filter) => list_filter(w, filter),
    }
}

fn list_filter(w: &mut XmlWriter, f: &ListFilter) {
    if let Some(max) = f.max_returned {
        w.leaf("MaxReturned", &max.to_string());
    }
    w.leaf_opt("ActiveStatus", f.active_status.map(|s| s.as_str()));
    w.leaf_opt("FromModifiedDate", f.from_modified_date.as_deref());
    w.leaf_opt("ToModifiedDate", f.to_modified_date.as_deref());
    match &f.name_filter {
        None => {}
        Some(NameFilter::Match { criterion, name }) => {
            w.start("NameFilter")
                .leaf("MatchCriterion", criterion.as_str())
                .leaf("Name", name)
                .end();
        }
        Some(NameFilter::Range { from, to }) => {
            w.start("NameRangeFilter")
                .leaf_opt("FromName", from.as_deref())
                .leaf_opt("ToName", to.as_deref())
                .end();
        }
    }
}

fn include_ret(w: &mut XmlWriter, elements: &[String]) {
    for e in elements {
        w.leaf("IncludeRetElement", e);
    }
}

fn list_add(w: &mut XmlWriter, rq: &'static str, add: &'static str, id: &str, a: &ListAdd) {
    w.start(rq).attr("requestID", id).start(add);
    w.leaf("Name", &a.name);
    w.leaf_opt("IsActive", a.is_active.map(bool_text));
    if let Some(parent) = &a.parent_full_name {
        w.start("ParentRef").leaf("FullName", parent).end();
    }
    w.end().end();
}

fn customer_add(w: &mut XmlWriter, id: &str, add: &CustomerAdd) {
    w.start("CustomerAddRq")
        .attr("requestID", id)
        .start("CustomerAdd");
    for slot in order::CUSTOMER_ADD {
        match slot.content {
            Content::Mapped => mapped_element(w, slot.element, &add.data),
            Content::IsActive => {
                w.leaf_opt("IsActive", add.is_active.map(bool_text));
            }
            Content::ParentRef => {
                if let Some(parent) = &add.parent {
                    list_ref(w, "ParentRef", parent);
                }
            }
            Content::JobTypeRef => {
                if let Some(job_type) = &add.job_type {
                    w.start("JobTypeRef").leaf("FullName", job_type).end();
                }
            }
            Content::ExternalGuid => {
                w.leaf_opt("ExternalGUID", add.external_guid.as_deref());
            }
            // CustomerAdd carries no bookkeeping elements; the rest custsync does not set.
            Content::ListId
            | Content::TimeCreated
            | Content::TimeModified
            | Content::EditSequence
            | Content::FullName
            | Content::Sublevel
            | Content::Unused => {}
        }
    }
    w.end();
    include_ret(w, &add.include_ret);
    w.end();
}

/// `<element><ListID>…</ListID><FullName>…</FullName></element>`, each part when present.
pub fn list_ref(w: &mut XmlWriter, element: &'static str, r: &ListRef) {
    w.start(element)
        .leaf_opt("ListID", r.list_id.as_deref())
        .leaf_opt("FullName", r.full_name.as_deref())
        .end();
}

/// Writes one `CustomerRet` in schema order. Absent values are left out, as QuickBooks leaves
/// them out. `unused` is called at every slot custsync does not carry (Balance, DataExtRet, …):
/// the reader's tests write there what QuickBooks would send; the sandbox writes nothing.
pub fn customer_ret(
    w: &mut XmlWriter,
    c: &CustomerRet,
    mut unused: impl FnMut(&'static str, &mut XmlWriter),
) {
    w.start("CustomerRet");
    for slot in order::CUSTOMER_RET {
        match slot.content {
            Content::Mapped => mapped_element(w, slot.element, &c.data),
            Content::ListId => {
                if !c.list_id.is_empty() {
                    w.leaf("ListID", &c.list_id);
                }
            }
            Content::TimeCreated => {
                w.leaf_opt("TimeCreated", c.time_created.as_deref());
            }
            Content::TimeModified => {
                w.leaf_opt("TimeModified", c.time_modified.as_deref());
            }
            Content::EditSequence => {
                w.leaf_opt("EditSequence", c.edit_sequence.as_deref());
            }
            Content::FullName => {
                w.leaf_opt("FullName", c.full_name.as_deref());
            }
            Content::IsActive => {
                w.leaf_opt("IsActive", c.is_active.map(bool_text));
            }
            Content::ParentRef => {
                if let Some(parent) = &c.parent {
                    list_ref(w, "ParentRef", parent);
                }
            }
            Content::Sublevel => {
                if let Some(s) = c.sublevel {
                    w.leaf("Sublevel", &s.to_string());
                }
            }
            Content::JobTypeRef => {
                if let Some(job_type) = &c.job_type {
                    w.start("JobTypeRef").leaf("FullName", job_type).end();
                }
            }
            Content::ExternalGuid => {
                w.leaf_opt("ExternalGUID", c.external_guid.as_deref());
            }
            Content::Unused => unused(slot.element, w),
        }
    }
    w.end();
}

/// Writes the mapped fields of `data` that live in the top-level element `element` (a slot of
/// [`order::CUSTOMER_ADD`] or [`order::CUSTOMER_RET`] whose content is `Mapped`): a plain leaf,
/// a `…Ref` with its FullName, or an address aggregate. An aggregate with nothing in it is left
/// out (an empty `<BillAddress/>` would be valid but is noise in a trace). Requests and
/// [`customer_ret`] both write through it, so both directions carry a field the same way.
pub fn mapped_element(w: &mut XmlWriter, element: &'static str, data: &CustomerData) {
    let mut opened = false;
    for field in order::fields_in(element) {
        let Some(value) = data.get(field) else {
            continue;
        };
        let value = amount_text(field, value);
        match field.shape() {
            Shape::Plain(e) => {
                w.leaf(e, &value);
            }
            Shape::Ref(e) => {
                w.start(e).leaf("FullName", &value).end();
            }
            Shape::InAddress(_, e) => {
                if !opened {
                    w.start(element);
                    opened = true;
                }
                w.leaf(e, &value);
            }
        }
    }
    if opened {
        w.end();
    }
}

/// Amounts go out in AMTTYPE's canonical `1234.50` form; text that is not an amount is written
/// as given so that the rules, not the writer, are where a bad value is reported.
fn amount_text(field: Field, value: &str) -> std::borrow::Cow<'_, str> {
    match field.kind() {
        Kind::Amount => match Amount::parse(value) {
            Ok(a) => a.to_string().into(),
            Err(_) => value.into(),
        },
        Kind::Text => value.into(),
    }
}

/// qbXML's BOOLTYPE as QuickBooks writes it.
pub fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qbxml::{
        ActiveStatus, ListDelType, MatchCriterion, OnError, QbxmlVersion, RequestDoc,
    };

    fn doc(body: RequestBody) -> String {
        let mut d = RequestDoc::new(QbxmlVersion::new(13, 0), OnError::StopOnError);
        d.push("7", body);
        write_request(&d)
    }

    #[test]
    fn envelope_carries_version_on_error_and_message_set_ids() {
        let mut d = RequestDoc::new(QbxmlVersion::new(16, 0), OnError::ContinueOnError);
        d.new_message_set_id = Some("set-1".into());
        d.push("1", RequestBody::HostQuery);
        let xml = write_request(&d);
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><?qbxml version=\"16.0\"?><QBXML>\
             <QBXMLMsgsRq onError=\"continueOnError\" newMessageSetID=\"set-1\">\
             <HostQueryRq requestID=\"1\"/></QBXMLMsgsRq></QBXML>"
        );
    }

    #[test]
    fn customer_add_follows_schema_order_with_aggregates_and_refs() {
        let data = CustomerData::new()
            .with(Field::Notes, "n")
            .with(Field::Name, "A & B")
            .with(Field::ShipCity, "Reno")
            .with(Field::BillAddr1, "1 Main")
            .with(Field::BillCity, "Elko")
            .with(Field::Terms, "Net 30")
            .with(Field::CreditLimit, "2500");
        let add = CustomerAdd {
            data,
            is_active: Some(false),
            job_type: Some("Customer Job".into()),
            external_guid: Some("{12345678-1234-1234-1234-123456789ABC}".into()),
            include_ret: vec!["ListID".into()],
            ..CustomerAdd::default()
        };
        let xml = doc(RequestBody::CustomerAdd(Box::new(add)));
        let body = xml.split("<CustomerAddRq").nth(1).unwrap();
        assert_eq!(
            body,
            " requestID=\"7\"><CustomerAdd><Name>A &amp; B</Name><IsActive>false</IsActive>\
             <BillAddress><Addr1>1 Main</Addr1><City>Elko</City></BillAddress>\
             <ShipAddress><City>Reno</City></ShipAddress>\
             <TermsRef><FullName>Net 30</FullName></TermsRef><CreditLimit>2500.00</CreditLimit>\
             <JobTypeRef><FullName>Customer Job</FullName></JobTypeRef><Notes>n</Notes>\
             <ExternalGUID>{12345678-1234-1234-1234-123456789ABC}</ExternalGUID></CustomerAdd>\
             <IncludeRetElement>ListID</IncludeRetElement></CustomerAddRq></QBXMLMsgsRq></QBXML>"
        );
    }

    #[test]
    fn list_deleted_query_with_types_and_range() {
        let q = ListDeletedQuery {
            types: vec![ListDelType::Customer, ListDelType::JobType],
            from_deleted_date: Some("2026-03-01T10:15:00-08:00".into()),
            to_deleted_date: None,
            include_ret: vec!["ListID".into()],
        };
        let xml = doc(RequestBody::ListDeletedQuery(q.clone()));
        assert!(xml.contains(
            "<ListDeletedQueryRq requestID=\"7\"><ListDelType>Customer</ListDelType>\
             <ListDelType>JobType</ListDelType><DeletedDateRangeFilter>\
             <FromDeletedDate>2026-03-01T10:15:00-08:00</FromDeletedDate>\
             </DeletedDateRangeFilter><IncludeRetElement>ListID</IncludeRetElement>\
             </ListDeletedQueryRq>"
        ));
        // Without dates the filter element is left out rather than sent empty.
        let bare = doc(RequestBody::ListDeletedQuery(ListDeletedQuery {
            from_deleted_date: None,
            include_ret: Vec::new(),
            ..q
        }));
        assert!(bare.contains("<ListDelType>JobType</ListDelType></ListDeletedQueryRq>"));
    }

    #[test]
    fn customer_query_iterator_and_filter() {
        let q = CustomerQuery {
            iterator: Some(IteratorRq::Continue("{it}".into())),
            metadata_only: false,
            selection: Selection::Filter(ListFilter {
                max_returned: Some(100),
                active_status: Some(ActiveStatus::All),
                name_filter: Some(NameFilter::Match {
                    criterion: MatchCriterion::StartsWith,
                    name: "A".into(),
                }),
                ..ListFilter::default()
            }),
            include_ret: vec!["Name".into()],
        };
        let xml = doc(RequestBody::CustomerQuery(q));
        assert!(xml.contains(
            "<CustomerQueryRq requestID=\"7\" iterator=\"Continue\" iteratorID=\"{it}\">\
             <MaxReturned>100</MaxReturned><ActiveStatus>All</ActiveStatus>\
             <NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>A</Name></NameFilter>\
             <IncludeRetElement>Name</IncludeRetElement></CustomerQueryRq>"
        ));
    }
}
