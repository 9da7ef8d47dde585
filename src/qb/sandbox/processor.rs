//! Request document text → response document text, the way QuickBooks' request processor does it.
//!
//! 1. The document is parsed and checked whole ([`super::parse`]); any fault rejects it with an
//!    HRESULT and nothing runs.
//! 2. Error recovery attributes are honoured ([`super::message_sets`]).
//! 3. Requests run in order. With `stopOnError`, the first request whose status has severity Error
//!    ends the document: it gets its response and the requests after it get none, as QuickBooks
//!    "would not even attempt" them (Keith Palmer, consolibyte, on StackOverflow; is2qb's attribute
//!    table: "An error is returned for the operation that caused the error condition"). Requests
//!    already run are not undone. With `continueOnError` every request runs.
//! 4. Everything a document changes, and its recovery record, is committed in one SQLite
//!    transaction; if the file cannot be written the document fails as a whole and changes
//!    nothing.

use rusqlite::{Connection, TransactionBehavior};

use crate::qb::QbError;
use crate::qbxml::{
    OnError, Response, ResponseBody, ResponseDoc, Severity, Status, message_set_status,
};

use super::file::CompanyFile;
use super::message_sets as ms;
use super::parse::{ParsedDoc, ParsedRequest, Rq, parse_document};
use super::records::{ListKind, RefNames};
use super::respond::write_response;
use super::session::Session;
use super::{adds, clock, ids, queries, statuses};

/// What a request handler works with.
pub(crate) struct Ctx<'a> {
    pub conn: &'a Connection,
    pub session: &'a mut Session,
    pub now: i64,
    refs: Option<RefNames>,
}

impl Ctx<'_> {
    /// List entry names for filling `…Ref`s; loaded once per document and refreshed after adds.
    pub fn refs(&mut self) -> rusqlite::Result<&RefNames> {
        if self.refs.is_none() {
            self.refs = Some(RefNames::load(self.conn)?);
        }
        Ok(self.refs.get_or_insert_with(RefNames::default))
    }

    pub fn lists_changed(&mut self) {
        self.refs = None;
    }
}

/// The outcome of one request before it is written.
pub(crate) struct Answer {
    pub status: Status,
    pub ret_count: Option<u32>,
    pub iterator_id: Option<String>,
    pub iterator_remaining_count: Option<u32>,
    pub body: ResponseBody,
}

impl Answer {
    pub fn status(status: Status) -> Answer {
        Answer {
            status,
            ret_count: None,
            iterator_id: None,
            iterator_remaining_count: None,
            body: ResponseBody::Empty,
        }
    }
}

/// Processes one request document within `session` and returns the response document.
///
/// Fails with an HRESULT ([`QbError::Hresult`]) when QuickBooks would refuse the document as a
/// whole (0x80040400 parse error, 0x80040423 unsupported version, 0x80040413 rollbackOnError),
/// and with [`QbError::Transport`] when the company file cannot be read or written.
pub fn process(
    file: &mut CompanyFile,
    session: &mut Session,
    request: &str,
) -> Result<String, QbError> {
    let doc = parse_document(request)?;
    let path = file.path().display().to_string();
    let storage = |e: rusqlite::Error| {
        QbError::Transport(format!(
            "the sandbox company file {path} could not be read or written ({e}); nothing was \
             changed. Check that the disk is not full and the file is writable, then try again"
        ))
    };
    let writes = doc.new_message_set_id.is_some()
        || doc.old_message_set_id.is_some()
        || doc
            .requests
            .iter()
            .any(|r| matches!(r.body, Rq::CustomerAdd(_) | Rq::TypeAdd(..)));
    let behavior = if writes {
        TransactionBehavior::Immediate
    } else {
        TransactionBehavior::Deferred
    };
    let tx = file
        .conn
        .transaction_with_behavior(behavior)
        .map_err(storage)?;
    let text = run_document(&tx, session, &doc, request).map_err(storage)?;
    tx.commit().map_err(storage)?;
    Ok(text)
}

fn set_level(code: i32) -> String {
    write_response(&ResponseDoc {
        new_message_set_id: None,
        message_set_status_code: Some(code),
        responses: Vec::new(),
    })
}

fn run_document(
    conn: &Connection,
    session: &mut Session,
    doc: &ParsedDoc,
    request: &str,
) -> rusqlite::Result<String> {
    let app = session.app_name.clone();
    let too_long = |id: &Option<String>| {
        id.as_ref()
            .is_some_and(|i| i.chars().count() > ms::MAX_ID_LEN)
    };
    if too_long(&doc.new_message_set_id)
        || (too_long(&doc.old_message_set_id)
            && doc.old_message_set_id.as_deref() != Some(ms::CLEAR_ALL))
    {
        return Ok(set_level(message_set_status::ID_TOO_LONG));
    }
    let mut old = doc.old_message_set_id.as_deref();
    if old == Some(ms::CLEAR_ALL) {
        ms::clear(conn, &app)?;
        old = None;
    }
    match (doc.new_message_set_id.as_deref(), old) {
        (Some(new), _) => {
            let checksum = ms::checksum(request);
            if let Some(prev) = ms::stored(conn, &app)?
                && prev.id == new
            {
                return Ok(if prev.checksum == checksum {
                    prev.response
                } else {
                    set_level(message_set_status::BAD_CHECKSUM)
                });
            }
            let mut out = run_requests(conn, session, doc)?;
            out.new_message_set_id = Some(new.to_string());
            out.message_set_status_code = Some(message_set_status::OK);
            let text = write_response(&out);
            ms::store(conn, &app, new, &checksum, &text, ids::now_unix())?;
            Ok(text)
        }
        (None, Some(old)) => Ok(match ms::stored(conn, &app)? {
            Some(prev) if prev.id == old => prev.response,
            _ => set_level(message_set_status::NO_STORED_STATE),
        }),
        (None, None) => Ok(write_response(&run_requests(conn, session, doc)?)),
    }
}

fn run_requests(
    conn: &Connection,
    session: &mut Session,
    doc: &ParsedDoc,
) -> rusqlite::Result<ResponseDoc> {
    let mut ctx = Ctx {
        conn,
        session,
        now: clock::now(conn)?,
        refs: None,
    };
    let mut out = ResponseDoc::default();
    for rq in &doc.requests {
        let mut answer = answer(&mut ctx, rq)?;
        if doc.include_none {
            answer.body = ResponseBody::Empty;
        }
        let failed = answer.status.severity == Severity::Error;
        out.responses.push(Response {
            message: rq.message.name.to_string(),
            request_id: rq.request_id.clone(),
            status: answer.status,
            ret_count: answer.ret_count,
            iterator_id: answer.iterator_id,
            iterator_remaining_count: answer.iterator_remaining_count,
            body: answer.body,
        });
        if failed && doc.on_error == OnError::StopOnError {
            break;
        }
    }
    Ok(out)
}

fn answer(ctx: &mut Ctx<'_>, rq: &ParsedRequest) -> rusqlite::Result<Answer> {
    if let Some(id) = &rq.request_id
        && id.chars().count() > 50
    {
        return Ok(Answer::status(statuses::invalid_request_id(id)));
    }
    match &rq.body {
        Rq::Host => Ok(queries::host(ctx)?),
        Rq::Company => Ok(queries::company(ctx)?),
        Rq::CustomerQuery(q) => queries::customers(ctx, q),
        Rq::NameQuery(list, q) => queries::names(ctx, *list, q),
        Rq::TypeQuery(list, q) => queries::types(ctx, *list, q),
        Rq::TermsQuery(q) => queries::list(ctx, ListKind::Terms, q),
        Rq::ListDeleted(q) => queries::deleted(ctx, q),
        Rq::CustomerAdd(add) => adds::customer(ctx, add, rq.too_long.as_ref()),
        Rq::TypeAdd(list, add) => adds::list_type(ctx, *list, add, rq.too_long.as_ref()),
        Rq::Unsupported => Ok(Answer::status(statuses::unsupported())),
    }
}
