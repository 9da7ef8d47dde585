//! Add requests: CustomerAdd, CustomerTypeAdd, JobTypeAdd.
//!
//! Checks run in this order, each ending the request with its status: an over-long value (3070),
//! an empty or colon-holding name (3150 / 3210), references (3120 for an unknown ListID, 3140 for
//! an unknown FullName), the FullName's length (3070), then the name's uniqueness (3100). Elements
//! the schema allows but the sandbox does not keep (Salutation, ShipToAddress, CreditCardInfo, …)
//! are checked for length and otherwise ignored. References into lists the sandbox does not have
//! (classes, price levels, currencies, payment methods, item sales taxes) never resolve.

use crate::qbxml::rules::{MAX_FULL_NAME, MAX_TYPE_FULL_NAME};
use crate::qbxml::{Amount, Field, ResponseBody};

use super::file::insert_list_entry_full;
use super::grammar::TooLong;
use super::parse::{CustomerAddRq, RefValue, TypeAddRq, TypeList};
use super::processor::{Answer, Ctx};
use super::queries::{restrict_customer, restrict_list_entry};
use super::records::{self, ListKind, NewCustomer, Parent, Table};
use super::statuses;

/// Where a `…Ref` of CustomerAdd points, and how QuickBooks names that list in a 3140 message.
fn ref_target(element: &str) -> (Option<Table>, &'static str) {
    let list = |kind: ListKind| (Some(Table::List(kind)), kind.noun());
    match element {
        "ParentRef" => (Some(Table::Customer), "Customer:Job"),
        "CustomerTypeRef" => list(ListKind::CustomerType),
        "TermsRef" => list(ListKind::Terms),
        "SalesRepRef" => list(ListKind::SalesRep),
        "SalesTaxCodeRef" => list(ListKind::SalesTaxCode),
        "JobTypeRef" => list(ListKind::JobType),
        "ClassRef" => (None, "Class"),
        "ItemSalesTaxRef" => (None, "Item Sales Tax"),
        "PreferredPaymentMethodRef" => (None, "Payment Method"),
        "PriceLevelRef" => (None, "Price Level"),
        _ => (None, "Currency"),
    }
}

/// Resolves a reference into `target` (a table, if the sandbox has the list, and the list's name
/// for messages) to a row id, or the status that refuses it.
fn resolve(
    ctx: &Ctx<'_>,
    (table, noun): (Option<Table>, &str),
    r: &RefValue,
    object: &str,
) -> rusqlite::Result<Result<(Table, i64), crate::qbxml::Status>> {
    if let Some(list_id) = &r.list_id {
        let found = match table {
            Some(t) => records::id_by_list_id(ctx.conn, t, list_id)?,
            None => None,
        };
        return Ok(match (table, found) {
            (Some(t), Some(id)) => Ok((t, id)),
            _ => Err(statuses::object_not_found(list_id)),
        });
    }
    let name = r.full_name.as_deref().unwrap_or_default();
    let found = match table {
        Some(t) => records::id_by_full_name(ctx.conn, t, name)?,
        None => None,
    };
    Ok(match (table, found) {
        (Some(t), Some(id)) => Ok((t, id)),
        _ => Err(statuses::invalid_reference(noun, name, object)),
    })
}

/// Checks a new name: not empty, no colon (the FullName level separator).
fn check_name(name: Option<&str>) -> Result<&str, crate::qbxml::Status> {
    let name = name.unwrap_or_default();
    if name.trim().is_empty() {
        return Err(statuses::missing_element("Name"));
    }
    if name.contains(':') {
        return Err(statuses::invalid_value(
            "Name",
            name,
            "A name cannot contain a colon (:), which QuickBooks uses to separate levels.",
        ));
    }
    Ok(name)
}

pub(crate) fn customer(
    ctx: &mut Ctx<'_>,
    rq: &CustomerAddRq,
    too_long: Option<&TooLong>,
) -> rusqlite::Result<Answer> {
    if let Some(t) = too_long {
        return Ok(Answer::status(statuses::too_long(&t.value, t.field)));
    }
    let add = &rq.add;
    let name = match check_name(add.data.get(Field::Name)) {
        Ok(n) => n.to_string(),
        Err(status) => return Ok(Answer::status(status)),
    };
    let mut refs: Vec<(Field, i64)> = Vec::new();
    let mut parent = None;
    let mut job_type_id = None;
    for r in &rq.refs {
        let (table, id) = match resolve(ctx, ref_target(r.element), r, "Customer")? {
            Ok(found) => found,
            Err(status) => return Ok(Answer::status(status)),
        };
        match (r.element, table) {
            ("ParentRef", _) => {
                let (_, full_name, sublevel) = records::identity(ctx.conn, Table::Customer, id)?;
                parent = Some(Parent {
                    id,
                    full_name,
                    sublevel,
                });
            }
            ("JobTypeRef", _) => job_type_id = Some(id),
            (_, Table::List(kind)) => {
                if let Some(field) = Field::ALL
                    .iter()
                    .copied()
                    .find(|&f| ListKind::of_field(f) == Some(kind))
                {
                    refs.push((field, id));
                }
            }
            _ => {}
        }
    }
    // Amounts are stored in QuickBooks' canonical form (2500 → 2500.00).
    let mut data = add.data.clone();
    if let Some(limit) = data.get(Field::CreditLimit)
        && let Ok(amount) = Amount::parse(limit)
    {
        data.set(Field::CreditLimit, amount.to_string());
    }
    let new = NewCustomer {
        data: &data,
        refs: &refs,
        parent: parent.as_ref(),
        is_active: add.is_active.unwrap_or(true),
        job_type_id,
        external_guid: add.external_guid.as_deref(),
        created: ctx.now,
        modified: ctx.now,
    };
    let full_name = new.full_name();
    if full_name.chars().count() > MAX_FULL_NAME {
        return Ok(Answer::status(statuses::too_long(&full_name, "FullName")));
    }
    if records::name_holder(ctx.conn, &full_name, parent.is_some())?.is_some() {
        return Ok(Answer::status(statuses::name_in_use(&name)));
    }
    let id = records::insert_customer(ctx.conn, &new)?;
    let conn = ctx.conn;
    let loaded = records::load_customers(conn, &[id], ctx.refs()?)?;
    let mut a = Answer::status(statuses::ok());
    a.body = ResponseBody::Customers(
        loaded
            .into_iter()
            .map(|c| restrict_customer(c, &add.include_ret))
            .collect(),
    );
    Ok(a)
}

pub(crate) fn list_type(
    ctx: &mut Ctx<'_>,
    list: TypeList,
    rq: &TypeAddRq,
    too_long: Option<&TooLong>,
) -> rusqlite::Result<Answer> {
    if let Some(t) = too_long {
        return Ok(Answer::status(statuses::too_long(&t.value, t.field)));
    }
    let kind = match list {
        TypeList::CustomerType => ListKind::CustomerType,
        TypeList::JobType => ListKind::JobType,
    };
    let name = match check_name(Some(&rq.add.name)) {
        Ok(n) => n.to_string(),
        Err(status) => return Ok(Answer::status(status)),
    };
    let mut parent = None;
    if let Some(p) = &rq.parent {
        let table = Table::List(kind);
        let id = match resolve(ctx, (Some(table), kind.noun()), p, kind.noun())? {
            Ok((_, id)) => id,
            Err(status) => return Ok(Answer::status(status)),
        };
        let (_, full_name, sublevel) = records::identity(ctx.conn, table, id)?;
        parent = Some((id, full_name, sublevel));
    }
    let full_name = match &parent {
        Some((_, p, _)) => format!("{p}:{name}"),
        None => name.clone(),
    };
    if full_name.chars().count() > MAX_TYPE_FULL_NAME {
        return Ok(Answer::status(statuses::too_long(&full_name, "FullName")));
    }
    if records::id_by_full_name(ctx.conn, Table::List(kind), &full_name)?.is_some() {
        return Ok(Answer::status(statuses::name_in_use(&name)));
    }
    let id = insert_list_entry_full(
        ctx.conn,
        kind.as_str(),
        &name,
        parent.as_ref().map(|(id, n, s)| (*id, n.as_str(), *s)),
        rq.add.is_active.unwrap_or(true),
        ctx.now,
    )?;
    ctx.lists_changed();
    let entries = records::load_list_entries(ctx.conn, &[id])?
        .into_iter()
        .map(|e| restrict_list_entry(e, &rq.include_ret))
        .collect();
    let mut a = Answer::status(statuses::ok());
    a.body = ResponseBody::ListEntries(entries);
    Ok(a)
}
