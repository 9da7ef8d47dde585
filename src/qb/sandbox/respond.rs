//! Response documents, written the way QuickBooks writes them: `<?xml version="1.0" ?>`, one
//! `QBXMLMsgsRs`, one `…Rs` per answered request with its status attributes, and Ret elements in
//! the schema's order (reference §3.2). Every document validates against qbXML 13.0 and 16.0.
//!
//! Known differences from QuickBooks, all within the schema: `…Ref`s of a CustomerRet carry the
//! FullName only (QuickBooks adds the ListID); Balance, TotalBalance, JobStatus and other
//! elements the sandbox does not keep are left out, as QuickBooks leaves out empty ones; and
//! answers to documents older than qbXML 13.0 are not trimmed to that version's elements.

use crate::qbxml::write::{bool_text, customer_ret, list_ref};
use crate::qbxml::xml::XmlWriter;
use crate::qbxml::{
    CompanyRet, HostRet, ListDeletedRet, ListRet, NameRet, Response, ResponseBody, ResponseDoc,
};

use super::messages_list;

/// Writes a whole response document.
pub fn write_response(doc: &ResponseDoc) -> String {
    let mut w = XmlWriter::with_capacity(256 + doc.responses.len() * 256);
    w.raw("<?xml version=\"1.0\" ?>\n");
    w.start("QBXML").start("QBXMLMsgsRs");
    w.attr_opt("newMessageSetID", doc.new_message_set_id.as_deref());
    if let Some(code) = doc.message_set_status_code {
        w.attr("messageSetStatusCode", &code.to_string());
    }
    for r in &doc.responses {
        write_rs(&mut w, r);
    }
    let mut out = w.finish();
    out.push('\n');
    out
}

fn write_rs(w: &mut XmlWriter, r: &Response) {
    // The processor only answers messages from the table; anything else cannot be written.
    let Some(message) = messages_list::by_name(&r.message) else {
        return;
    };
    w.start(message.rs);
    w.attr_opt("requestID", r.request_id.as_deref());
    w.attr("statusCode", &r.status.code.to_string());
    w.attr("statusSeverity", r.status.severity.as_str());
    w.attr("statusMessage", &r.status.message);
    if let Some(n) = r.ret_count {
        w.attr("retCount", &n.to_string());
    }
    if let Some(n) = r.iterator_remaining_count {
        w.attr("iteratorRemainingCount", &n.to_string());
    }
    w.attr_opt("iteratorID", r.iterator_id.as_deref());
    match &r.body {
        ResponseBody::Empty => {}
        ResponseBody::Host(h) => write_host(w, h),
        ResponseBody::Company(c) => write_company(w, c),
        ResponseBody::Customers(list) => {
            for c in list {
                customer_ret(w, c, |_, _| {});
            }
        }
        ResponseBody::ListEntries(list) if message.name == "TermsQuery" => {
            for e in list {
                write_terms(w, e);
            }
        }
        ResponseBody::ListEntries(list) => {
            let ret = if message.name.starts_with("JobType") {
                "JobTypeRet"
            } else {
                "CustomerTypeRet"
            };
            for e in list {
                write_list_entry(w, ret, e);
            }
        }
        ResponseBody::Names(list) => {
            for n in list {
                write_name(w, n);
            }
        }
        ResponseBody::Deleted(list) => {
            for d in list {
                write_deleted(w, d);
            }
        }
    }
    w.end();
}

fn leaf_nonempty(w: &mut XmlWriter, name: &'static str, value: &str) {
    if !value.is_empty() {
        w.leaf(name, value);
    }
}

fn write_host(w: &mut XmlWriter, h: &HostRet) {
    w.start("HostRet");
    leaf_nonempty(w, "ProductName", &h.product_name);
    leaf_nonempty(w, "MajorVersion", &h.major_version);
    leaf_nonempty(w, "MinorVersion", &h.minor_version);
    w.leaf_opt("Country", h.country.as_deref());
    for v in &h.supported_versions {
        w.leaf("SupportedQBXMLVersion", v);
    }
    if let Some(b) = h.is_automatic_login {
        w.leaf("IsAutomaticLogin", bool_text(b));
    }
    w.leaf_opt("QBFileMode", h.file_mode.as_deref());
    w.end();
}

fn write_company(w: &mut XmlWriter, c: &CompanyRet) {
    w.start("CompanyRet");
    if let Some(b) = c.is_sample_company {
        w.leaf("IsSampleCompany", bool_text(b));
    }
    w.leaf_opt("CompanyName", c.company_name.as_deref());
    w.leaf_opt("LegalCompanyName", c.legal_company_name.as_deref());
    w.leaf_opt("Phone", c.phone.as_deref());
    w.leaf_opt("Email", c.email.as_deref());
    w.end();
}

fn write_list_entry(w: &mut XmlWriter, element: &'static str, e: &ListRet) {
    w.start(element);
    leaf_nonempty(w, "ListID", &e.list_id);
    w.leaf_opt("TimeCreated", e.time_created.as_deref());
    w.leaf_opt("TimeModified", e.time_modified.as_deref());
    w.leaf_opt("EditSequence", e.edit_sequence.as_deref());
    leaf_nonempty(w, "Name", &e.name);
    leaf_nonempty(w, "FullName", &e.full_name);
    if let Some(b) = e.is_active {
        w.leaf("IsActive", bool_text(b));
    }
    if let Some(p) = &e.parent {
        list_ref(w, "ParentRef", p);
    }
    if let Some(s) = e.sublevel {
        w.leaf("Sublevel", &s.to_string());
    }
    w.end();
}

/// Terms are a flat list: no FullName, ParentRef or Sublevel (the sandbox keeps standard terms
/// only, without their days and discounts).
fn write_terms(w: &mut XmlWriter, e: &ListRet) {
    w.start("StandardTermsRet");
    leaf_nonempty(w, "ListID", &e.list_id);
    w.leaf_opt("TimeCreated", e.time_created.as_deref());
    w.leaf_opt("TimeModified", e.time_modified.as_deref());
    w.leaf_opt("EditSequence", e.edit_sequence.as_deref());
    leaf_nonempty(w, "Name", &e.name);
    if let Some(b) = e.is_active {
        w.leaf("IsActive", bool_text(b));
    }
    w.end();
}

fn write_name(w: &mut XmlWriter, n: &NameRet) {
    w.start(n.list.ret_name());
    leaf_nonempty(w, "ListID", &n.list_id);
    leaf_nonempty(w, "Name", &n.name);
    if let Some(b) = n.is_active {
        w.leaf("IsActive", bool_text(b));
    }
    w.end();
}

fn write_deleted(w: &mut XmlWriter, d: &ListDeletedRet) {
    w.start("ListDeletedRet");
    w.leaf_opt("ListDelType", d.list_del_type.map(|t| t.as_str()));
    leaf_nonempty(w, "ListID", &d.list_id);
    w.leaf_opt("TimeCreated", d.time_created.as_deref());
    w.leaf_opt("TimeDeleted", d.time_deleted.as_deref());
    w.leaf_opt("FullName", d.full_name.as_deref());
    w.end();
}
