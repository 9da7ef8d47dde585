//! Query requests: HostQuery, CompanyQuery, CustomerQuery, the type queries, the other name
//! lists' queries and ListDeletedQuery.
//!
//! Selection follows the schema's three branches. ListID / FullName lists ignore ActiveStatus and
//! answer 500 when any entry is missing (with the ones found); a filter defaults to ActiveOnly and
//! answers 1 when it matches nothing. NameFilter and NameRangeFilter compare the FullName without
//! regard to case (whether QuickBooks uses Name or FullName is unconfirmed; FullName is what an
//! operator sees in the list). With `IncludeRetElement`, only the named top-level elements of each
//! Ret come back, as Intuit documents; unknown names are ignored.
//!
//! `FromModifiedDate` / `ToModifiedDate` and `FromDeletedDate` / `ToDeletedDate` are inclusive to
//! the second (reference, "Incremental reads"); a value without an offset is the sandbox
//! machine's local time, as QuickBooks reads it; a date alone is the start of that day for
//! `From…` and its last second for `To…`. A deleted-list query answers from the deletion records
//! QuickBooks keeps for 90 days, for any `ListDelType`: the lists the sandbox never deletes from
//! simply have none (status 1).

use std::time::Instant;

use crate::qbxml::order::top_element;
use crate::qbxml::{
    ActiveStatus, CompanyRet, CustomerRet, Field, HostRet, IteratorRq, ListDeletedRet, ListFilter,
    ListRet, MatchCriterion, NameFilter, NameList, NameRet, ResponseBody, Selection,
};

use super::file::{company_profile, name_key};
use super::ids::{self, DayEnd};
use super::parse::{EntityQuery, ListDeletedRq, SUPPORTED_VERSIONS, TypeList, TypeQuery};
use super::processor::{Answer, Ctx};
use super::records::{self, Filter, ListKind, NameMatch, Table};
use super::session::IteratorState;
use super::statuses;
use super::{changes, deleted};

pub(crate) fn host(ctx: &mut Ctx<'_>) -> rusqlite::Result<Answer> {
    let info = company_profile(ctx.conn)?;
    let mut a = Answer::status(statuses::ok());
    a.body = ResponseBody::Host(HostRet {
        product_name: info.product_name,
        major_version: info.major_version,
        minor_version: info.minor_version,
        country: Some(info.country),
        supported_versions: SUPPORTED_VERSIONS.iter().map(|v| v.to_string()).collect(),
        is_automatic_login: Some(ctx.session.automatic_login),
        file_mode: Some("SingleUser".into()),
    });
    Ok(a)
}

pub(crate) fn company(ctx: &mut Ctx<'_>) -> rusqlite::Result<Answer> {
    let info = company_profile(ctx.conn)?;
    let mut a = Answer::status(statuses::ok());
    a.body = ResponseBody::Company(CompanyRet {
        is_sample_company: Some(false),
        company_name: Some(info.company_name),
        legal_company_name: Some(info.legal_company_name),
        phone: info.phone,
        email: info.email,
    });
    Ok(a)
}

pub(crate) fn customers(ctx: &mut Ctx<'_>, q: &EntityQuery) -> rusqlite::Result<Answer> {
    entity_query(ctx, Table::Customer, q)
}

pub(crate) fn names(
    ctx: &mut Ctx<'_>,
    list: NameList,
    q: &EntityQuery,
) -> rusqlite::Result<Answer> {
    entity_query(ctx, Table::Names(list), q)
}

pub(crate) fn types(ctx: &mut Ctx<'_>, list: TypeList, q: &TypeQuery) -> rusqlite::Result<Answer> {
    let kind = match list {
        TypeList::CustomerType => ListKind::CustomerType,
        TypeList::JobType => ListKind::JobType,
    };
    self::list(ctx, kind, q)
}

/// The entries of list `kind` a ListQuery selects (customer types, job types, terms).
pub(crate) fn list(ctx: &mut Ctx<'_>, kind: ListKind, q: &TypeQuery) -> rusqlite::Result<Answer> {
    let found = match select(ctx, Table::List(kind), &q.query.selection, false)? {
        Ok(found) => found,
        Err(status) => return Ok(Answer::status(status)),
    };
    finish(
        ctx,
        Table::List(kind),
        found,
        q.metadata_only,
        &q.query.include_ret,
    )
}

/// Records a selection found, and the status it earns.
struct Found {
    ids: Vec<i64>,
    status: crate::qbxml::Status,
}

fn entity_query(ctx: &mut Ctx<'_>, table: Table, q: &EntityQuery) -> rusqlite::Result<Answer> {
    let query = &q.query;
    match &query.iterator {
        Some(IteratorRq::Continue(id)) => {
            return continue_iterator(
                ctx,
                table,
                id,
                query.include_ret.clone(),
                page_of(&query.selection),
            );
        }
        Some(IteratorRq::Stop(id)) => {
            // Another list's iterator is not this query's to stop.
            if ctx.session.iterator(id).is_none_or(|it| it.table != table) {
                return Ok(Answer::status(statuses::iterator_invalid(id)));
            }
            ctx.session.remove_iterator(id);
            let mut a = Answer::status(statuses::ok());
            a.iterator_id = Some(id.clone());
            a.iterator_remaining_count = Some(0);
            a.ret_count = Some(0);
            return Ok(a);
        }
        Some(IteratorRq::Start) | None => {}
    }
    let starting = matches!(query.iterator, Some(IteratorRq::Start)) && !query.metadata_only;
    let mut found = match select(ctx, table, &query.selection, starting)? {
        Ok(found) => found,
        Err(status) => return Ok(Answer::status(status)),
    };
    if q.matches_nothing && matches!(query.selection, Selection::Filter(_)) {
        found = Found {
            ids: Vec::new(),
            status: statuses::no_match(),
        };
    }
    if !starting {
        return finish(ctx, table, found, query.metadata_only, &query.include_ret);
    }
    // Start: take every match, hand out the first page.
    let id = crate::qb::guid::Guid::random().braced_upper();
    let page = page_of(&query.selection);
    let filter = match &query.selection {
        Selection::Filter(f) => filter_of(f).ok(),
        _ => None,
    };
    ctx.session.insert_iterator(
        id.clone(),
        IteratorState {
            table,
            ids: found.ids,
            position: 0,
            page,
            include_ret: query.include_ret.clone(),
            last_used: Instant::now(),
            filter,
            change_mark: changes::mark(ctx.conn)?,
        },
    );
    let mut a = continue_iterator(ctx, table, &id, query.include_ret.clone(), page)?;
    if a.status.code == statuses::ok().code && found.status.code != 0 {
        a.status = found.status;
    }
    Ok(a)
}

fn page_of(selection: &Selection) -> Option<u32> {
    match selection {
        Selection::Filter(f) => f.max_returned,
        _ => None,
    }
}

fn continue_iterator(
    ctx: &mut Ctx<'_>,
    table: Table,
    id: &str,
    include_ret: Vec<String>,
    page: Option<u32>,
) -> rusqlite::Result<Answer> {
    let Some(it) = ctx.session.iterator(id).filter(|it| it.table == table) else {
        return Ok(Answer::status(statuses::iterator_invalid(id)));
    };
    if table == Table::Customer {
        follow_changes(ctx.conn, it)?;
    }
    // A Continue may restate MaxReturned; otherwise the Start's page size holds.
    let size = page.or(it.page).map_or(usize::MAX, |p| p as usize);
    let start = it.position;
    let end = start.saturating_add(size).min(it.ids.len());
    let slice: Vec<i64> = it
        .ids
        .get(start..end)
        .map(<[i64]>::to_vec)
        .unwrap_or_default();
    it.position = end;
    let remaining = it.remaining();
    let include = if include_ret.is_empty() {
        it.include_ret.clone()
    } else {
        include_ret
    };
    let total = it.ids.len();
    let found = Found {
        status: if total == 0 {
            statuses::no_match()
        } else {
            statuses::ok()
        },
        ids: slice,
    };
    let mut a = finish(ctx, table, found, false, &include)?;
    a.iterator_id = Some(id.to_string());
    a.iterator_remaining_count = Some(u32::try_from(remaining).unwrap_or(u32::MAX));
    if remaining == 0 {
        // Exhausted: QuickBooks hands out nothing more, so the snapshot need not be kept.
        ctx.session.remove_iterator(id);
    }
    Ok(a)
}

/// Applies the customer moves made since the iterator's last page (see [`super::session`]):
/// a deleted customer still to come is dropped; one already handed out that changed and still
/// matches is appended, to be met again.
fn follow_changes(conn: &rusqlite::Connection, it: &mut IteratorState) -> rusqlite::Result<()> {
    for change in changes::since(conn, it.change_mark)? {
        it.change_mark = change.seq;
        let row = change.row_id;
        let (done, to_come) = it.ids.split_at(it.position.min(it.ids.len()));
        if change.deleted {
            if to_come.contains(&row) {
                let mut rest = it.ids.split_off(it.position);
                rest.retain(|&r| r != row);
                it.ids.extend(rest);
            }
            continue;
        }
        let again = done.contains(&row)
            && !to_come.contains(&row)
            && match &it.filter {
                Some(f) => records::still_matches(conn, it.table, f, row)?,
                None => true,
            };
        if again {
            it.ids.push(row);
        }
    }
    Ok(())
}

/// Resolves the selection to row ids. `unlimited` ignores MaxReturned (an iterator's page size).
fn select(
    ctx: &mut Ctx<'_>,
    table: Table,
    selection: &Selection,
    unlimited: bool,
) -> rusqlite::Result<Result<Found, crate::qbxml::Status>> {
    let by_key = |keys: &[String], find: &dyn Fn(&str) -> rusqlite::Result<Option<i64>>| {
        let mut ids = Vec::with_capacity(keys.len());
        let mut missing = None;
        for k in keys {
            match find(k)? {
                Some(id) => ids.push(id),
                None => {
                    missing.get_or_insert(k.clone());
                }
            }
        }
        let status = match missing {
            Some(m) => statuses::not_all_found(&m),
            None => statuses::ok(),
        };
        Ok::<_, rusqlite::Error>(Found { ids, status })
    };
    let conn = ctx.conn;
    Ok(Ok(match selection {
        Selection::ListIds(list) => by_key(list, &|k| records::id_by_list_id(conn, table, k))?,
        Selection::FullNames(list) => by_key(list, &|k| records::id_by_full_name(conn, table, k))?,
        Selection::Filter(f) => {
            let filter = match filter_of(f) {
                Ok(filter) => filter,
                Err(status) => return Ok(Err(status)),
            };
            let limit = if unlimited { None } else { f.max_returned };
            let ids = records::matching_ids(conn, table, &filter, limit)?;
            let status = if ids.is_empty() {
                statuses::no_match()
            } else {
                statuses::ok()
            };
            Found { ids, status }
        }
    }))
}

/// An inclusive range of DATETIMETYPE values as Unix seconds, or status 3030 when it is empty.
fn date_range(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Option<i64>, Option<i64>), crate::qbxml::Status> {
    let date = |text: Option<&str>, end: DayEnd| -> Option<i64> {
        text.filter(|t| !t.trim().is_empty())
            .and_then(|t| ids::parse_datetime(t, end))
    };
    let from = date(from, DayEnd::Start);
    let to = date(to, DayEnd::End);
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        return Err(statuses::invalid_date_range());
    }
    Ok((from, to))
}

pub(crate) fn deleted(ctx: &mut Ctx<'_>, rq: &ListDeletedRq) -> rusqlite::Result<Answer> {
    let q = &rq.query;
    let (from, to) = match date_range(q.from_deleted_date.as_deref(), q.to_deleted_date.as_deref())
    {
        Ok(range) => range,
        Err(status) => return Ok(Answer::status(status)),
    };
    let found = deleted::query(ctx.conn, &q.types, from, to, ctx.now)?;
    let mut a = Answer::status(if found.is_empty() {
        statuses::no_match()
    } else {
        statuses::ok()
    });
    a.ret_count = Some(u32::try_from(found.len()).unwrap_or(u32::MAX));
    if !rq.metadata_only && !found.is_empty() {
        a.body = ResponseBody::Deleted(
            found
                .into_iter()
                .map(|d| restrict_deleted(d, &q.include_ret))
                .collect(),
        );
    }
    Ok(a)
}

fn filter_of(f: &ListFilter) -> Result<Filter, crate::qbxml::Status> {
    let (from, to) = date_range(
        f.from_modified_date.as_deref(),
        f.to_modified_date.as_deref(),
    )?;
    let name = f.name_filter.as_ref().map(|n| match n {
        NameFilter::Match { criterion, name } => {
            let key = name_key(name);
            match criterion {
                MatchCriterion::StartsWith => NameMatch::Prefix(key),
                MatchCriterion::Contains => NameMatch::Contains(key),
                MatchCriterion::EndsWith => NameMatch::Suffix(key),
            }
        }
        NameFilter::Range { from, to } => {
            NameMatch::Range(from.as_deref().map(name_key), to.as_deref().map(name_key))
        }
    });
    Ok(Filter {
        active: f.active_status.unwrap_or(ActiveStatus::ActiveOnly),
        from_modified: from,
        to_modified: to,
        name,
    })
}

/// Loads the records and builds the answer.
fn finish(
    ctx: &mut Ctx<'_>,
    table: Table,
    found: Found,
    metadata_only: bool,
    include_ret: &[String],
) -> rusqlite::Result<Answer> {
    let count = u32::try_from(found.ids.len()).unwrap_or(u32::MAX);
    let mut a = Answer::status(found.status);
    a.ret_count = Some(count);
    if metadata_only || found.ids.is_empty() {
        return Ok(a);
    }
    let conn = ctx.conn;
    a.body = match table {
        Table::Customer => {
            let refs = ctx.refs()?;
            let list = records::load_customers(conn, &found.ids, refs)?;
            ResponseBody::Customers(
                list.into_iter()
                    .map(|c| restrict_customer(c, include_ret))
                    .collect(),
            )
        }
        Table::List(_) => ResponseBody::ListEntries(
            records::load_list_entries(conn, &found.ids)?
                .into_iter()
                .map(|e| restrict_list_entry(e, include_ret))
                .collect(),
        ),
        Table::Names(list) => ResponseBody::Names(
            records::load_names(conn, list, &found.ids)?
                .into_iter()
                .map(|n| restrict_name(n, include_ret))
                .collect(),
        ),
    };
    Ok(a)
}

fn wanted(include: &[String], element: &str) -> bool {
    include.is_empty() || include.iter().any(|i| i == element)
}

/// Keeps only the elements `include` names (all of them when it is empty).
pub(crate) fn restrict_customer(mut c: CustomerRet, include: &[String]) -> CustomerRet {
    if include.is_empty() {
        return c;
    }
    let keep = |e: &str| wanted(include, e);
    if !keep("ListID") {
        c.list_id.clear();
    }
    if !keep("TimeCreated") {
        c.time_created = None;
    }
    if !keep("TimeModified") {
        c.time_modified = None;
    }
    if !keep("EditSequence") {
        c.edit_sequence = None;
    }
    if !keep("FullName") {
        c.full_name = None;
    }
    if !keep("IsActive") {
        c.is_active = None;
    }
    if !keep("ParentRef") {
        c.parent = None;
    }
    if !keep("Sublevel") {
        c.sublevel = None;
    }
    if !keep("JobTypeRef") {
        c.job_type = None;
    }
    if !keep("ExternalGUID") {
        c.external_guid = None;
    }
    for &field in Field::ALL {
        if !keep(top_element(field)) {
            c.data.clear(field);
        }
    }
    c
}

pub(crate) fn restrict_list_entry(mut e: ListRet, include: &[String]) -> ListRet {
    if include.is_empty() {
        return e;
    }
    let keep = |n: &str| wanted(include, n);
    if !keep("ListID") {
        e.list_id.clear();
    }
    if !keep("TimeCreated") {
        e.time_created = None;
    }
    if !keep("TimeModified") {
        e.time_modified = None;
    }
    if !keep("EditSequence") {
        e.edit_sequence = None;
    }
    if !keep("Name") {
        e.name.clear();
    }
    if !keep("FullName") {
        e.full_name.clear();
    }
    if !keep("IsActive") {
        e.is_active = None;
    }
    if !keep("ParentRef") {
        e.parent = None;
    }
    if !keep("Sublevel") {
        e.sublevel = None;
    }
    e
}

fn restrict_deleted(mut d: ListDeletedRet, include: &[String]) -> ListDeletedRet {
    let keep = |n: &str| wanted(include, n);
    if !keep("ListDelType") {
        d.list_del_type = None;
    }
    if !keep("ListID") {
        d.list_id.clear();
    }
    if !keep("TimeCreated") {
        d.time_created = None;
    }
    if !keep("TimeDeleted") {
        d.time_deleted = None;
    }
    if !keep("FullName") {
        d.full_name = None;
    }
    d
}

fn restrict_name(mut n: NameRet, include: &[String]) -> NameRet {
    if !wanted(include, "ListID") {
        n.list_id.clear();
    }
    if !wanted(include, "Name") {
        n.name.clear();
    }
    if !wanted(include, "IsActive") {
        n.is_active = None;
    }
    n
}
