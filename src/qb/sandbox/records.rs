//! Records of the sandbox company: finding them by ListID, FullName or filter, loading them as the
//! shared Ret values, and inserting new ones.
//!
//! Customers, list entries (customer types, job types, terms, sales reps, tax codes) and the other
//! name lists (vendors, employees, other names) live in three tables that share the columns a
//! query filters on (`name_key`, `sort_key`, `is_active`, `time_modified`), so one filter builder
//! serves all of them. Every query orders by `sort_key` (QuickBooks lists a parent, then its jobs)
//! and is served by an index, which keeps 100,000 customers fast.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use crate::qbxml::{
    ActiveStatus, CustomerData, CustomerRet, Field, ListRef, ListRet, NameList, NameRet,
    fields::Shape,
};

use super::file::{field_column, name_key, next_sequence, sort_key};
use super::ids;

/// Which records a query runs over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Table {
    Customer,
    /// `list_entry` rows of one kind.
    List(ListKind),
    /// `entity` rows of one name list.
    Names(NameList),
}

/// The kinds of list entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListKind {
    CustomerType,
    JobType,
    Terms,
    SalesRep,
    SalesTaxCode,
}

impl ListKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::CustomerType => "CustomerType",
            ListKind::JobType => "JobType",
            ListKind::Terms => "Terms",
            ListKind::SalesRep => "SalesRep",
            ListKind::SalesTaxCode => "SalesTaxCode",
        }
    }

    /// As QuickBooks names the list in messages ("Customer Type", "Sales Tax Code").
    pub fn noun(self) -> &'static str {
        match self {
            ListKind::CustomerType => "Customer Type",
            ListKind::JobType => "Job Type",
            ListKind::Terms => "Terms",
            ListKind::SalesRep => "Sales Rep",
            ListKind::SalesTaxCode => "Sales Tax Code",
        }
    }

    /// The list a mapped `…Ref` field points into.
    pub fn of_field(field: Field) -> Option<ListKind> {
        match field {
            Field::CustomerType => Some(ListKind::CustomerType),
            Field::Terms => Some(ListKind::Terms),
            Field::SalesRep => Some(ListKind::SalesRep),
            Field::SalesTaxCode => Some(ListKind::SalesTaxCode),
            _ => None,
        }
    }
}

pub fn entity_kind(list: NameList) -> &'static str {
    match list {
        NameList::Vendor => "Vendor",
        NameList::Employee => "Employee",
        NameList::OtherName => "OtherName",
    }
}

impl Table {
    fn sql_name(self) -> &'static str {
        match self {
            Table::Customer => "customer",
            Table::List(_) => "list_entry",
            Table::Names(_) => "entity",
        }
    }

    /// The `kind = ?` restriction shared tables need.
    fn kind(self) -> Option<&'static str> {
        match self {
            Table::Customer => None,
            Table::List(k) => Some(k.as_str()),
            Table::Names(l) => Some(entity_kind(l)),
        }
    }
}

/// A name condition, on the lower-cased FullName.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameMatch {
    Prefix(String),
    Contains(String),
    Suffix(String),
    /// Inclusive; `to` also takes every name that starts with it (so "A" to "C" includes
    /// "Carter"). QuickBooks' exact rule is undocumented.
    Range(Option<String>, Option<String>),
}

/// The filter branch of a query, resolved to comparable values.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Filter {
    pub active: ActiveStatus,
    pub from_modified: Option<i64>,
    pub to_modified: Option<i64>,
    pub name: Option<NameMatch>,
}

/// Upper bound for "starts with": no character a name can hold sorts after it.
const MAX_CHAR: char = '\u{10FFFF}';

fn where_clause(table: Table, filter: &Filter) -> (String, Vec<Value>) {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(kind) = table.kind() {
        args.push(Value::Text(kind.to_string()));
        conds.push(format!("kind = ?{}", args.len()));
    }
    match filter.active {
        ActiveStatus::ActiveOnly => conds.push("is_active = 1".into()),
        ActiveStatus::InactiveOnly => conds.push("is_active = 0".into()),
        ActiveStatus::All => {}
    }
    if let Some(from) = filter.from_modified {
        args.push(Value::Integer(from));
        conds.push(format!("time_modified >= ?{}", args.len()));
    }
    if let Some(to) = filter.to_modified {
        args.push(Value::Integer(to));
        conds.push(format!("time_modified <= ?{}", args.len()));
    }
    match &filter.name {
        None => {}
        Some(NameMatch::Prefix(p)) => {
            args.push(Value::Text(p.clone()));
            args.push(Value::Text(format!("{p}{MAX_CHAR}")));
            conds.push(format!(
                "name_key >= ?{} AND name_key < ?{}",
                args.len() - 1,
                args.len()
            ));
        }
        Some(NameMatch::Contains(p)) => {
            args.push(Value::Text(p.clone()));
            conds.push(format!("instr(name_key, ?{}) > 0", args.len()));
        }
        Some(NameMatch::Suffix(p)) => {
            args.push(Value::Text(p.clone()));
            conds.push(format!(
                "length(name_key) >= length(?{n}) AND substr(name_key, length(name_key) - length(?{n}) + 1) = ?{n}",
                n = args.len()
            ));
        }
        Some(NameMatch::Range(from, to)) => {
            if let Some(f) = from {
                args.push(Value::Text(f.clone()));
                conds.push(format!("name_key >= ?{}", args.len()));
            }
            if let Some(t) = to {
                args.push(Value::Text(format!("{t}{MAX_CHAR}")));
                conds.push(format!("name_key < ?{}", args.len()));
            }
        }
    }
    let sql = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    (sql, args)
}

/// Row ids matching `filter`, in QuickBooks' list order, at most `limit`.
pub fn matching_ids(
    conn: &Connection,
    table: Table,
    filter: &Filter,
    limit: Option<u32>,
) -> rusqlite::Result<Vec<i64>> {
    let (cond, args) = where_clause(table, filter);
    let limit = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
    // A modified-date filter usually keeps a few rows of many (an incremental reader's): find
    // them by the time index and sort them, instead of walking the whole list in name order
    // (`+` keeps SQLite from ordering by the index; it cannot know the bound's value).
    let order = if filter.from_modified.is_some() || filter.to_modified.is_some() {
        "+sort_key"
    } else {
        "sort_key"
    };
    let sql = format!(
        "SELECT id FROM {}{cond} ORDER BY {order}{limit}",
        table.sql_name()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| r.get::<_, i64>(0))?;
    rows.collect()
}

/// Whether row `id` of `table` matches `filter` now.
pub fn still_matches(
    conn: &Connection,
    table: Table,
    filter: &Filter,
    id: i64,
) -> rusqlite::Result<bool> {
    let (cond, mut args) = where_clause(table, filter);
    args.push(Value::Integer(id));
    let by_id = format!("id = ?{}", args.len());
    let sql = if cond.is_empty() {
        format!("SELECT 1 FROM {} WHERE {by_id}", table.sql_name())
    } else {
        format!("SELECT 1 FROM {}{cond} AND {by_id}", table.sql_name())
    };
    conn.prepare_cached(&sql)?
        .query_row(params_from_iter(args), |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}

pub fn id_by_list_id(
    conn: &Connection,
    table: Table,
    list_id: &str,
) -> rusqlite::Result<Option<i64>> {
    id_where(conn, table, "list_id", list_id)
}

pub fn id_by_full_name(
    conn: &Connection,
    table: Table,
    full_name: &str,
) -> rusqlite::Result<Option<i64>> {
    id_where(conn, table, "name_key", &name_key(full_name))
}

/// The row of `table` whose `column` holds `value`.
fn id_where(
    conn: &Connection,
    table: Table,
    column: &str,
    value: &str,
) -> rusqlite::Result<Option<i64>> {
    let name = table.sql_name();
    match table.kind() {
        Some(kind) => conn
            .prepare_cached(&format!(
                "SELECT id FROM {name} WHERE {column} = ?1 AND kind = ?2"
            ))?
            .query_row(rusqlite::params![value, kind], |r| r.get(0))
            .optional(),
        None => conn
            .prepare_cached(&format!("SELECT id FROM {name} WHERE {column} = ?1"))?
            .query_row([value], |r| r.get(0))
            .optional(),
    }
}

/// ListID, FullName and sublevel of a row.
pub fn identity(
    conn: &Connection,
    table: Table,
    id: i64,
) -> rusqlite::Result<(String, String, u32)> {
    conn.query_row(
        &format!(
            "SELECT list_id, full_name, {} FROM {} WHERE id = ?1",
            if table == Table::Customer || matches!(table, Table::List(_)) {
                "sublevel"
            } else {
                "0"
            },
            table.sql_name()
        ),
        [id],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get::<_, i64>(2)?.try_into().unwrap_or(0),
            ))
        },
    )
}

/// Who already holds a name in the shared customer/vendor/employee/other-name space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameHolder {
    Customer,
    Names(NameList),
}

/// Whether `full_name` is taken. Top-level names share one space across customers and the other
/// name lists; a job's FullName (`Parent:Job`) only collides with another job under that parent.
pub fn name_holder(
    conn: &Connection,
    full_name: &str,
    is_job: bool,
) -> rusqlite::Result<Option<NameHolder>> {
    let key = name_key(full_name);
    let customer: Option<i64> = conn
        .prepare_cached("SELECT id FROM customer WHERE name_key = ?1")?
        .query_row([&key], |r| r.get(0))
        .optional()?;
    if customer.is_some() {
        return Ok(Some(NameHolder::Customer));
    }
    if is_job {
        return Ok(None);
    }
    let kind: Option<String> = conn
        .prepare_cached("SELECT kind FROM entity WHERE name_key = ?1")?
        .query_row([&key], |r| r.get(0))
        .optional()?;
    Ok(kind.map(|k| {
        NameHolder::Names(match k.as_str() {
            "Vendor" => NameList::Vendor,
            "Employee" => NameList::Employee,
            _ => NameList::OtherName,
        })
    }))
}

/// ListID and FullName of every list entry, for filling the `…Ref`s of customers. Lists are small
/// (dozens of entries), so one read per document is cheap.
#[derive(Default)]
pub struct RefNames(HashMap<i64, (String, String)>);

impl RefNames {
    pub fn load(conn: &Connection) -> rusqlite::Result<RefNames> {
        let mut stmt = conn.prepare_cached("SELECT id, list_id, full_name FROM list_entry")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(RefNames(rows.collect::<rusqlite::Result<_>>()?))
    }

    pub fn full_name(&self, id: i64) -> Option<&str> {
        self.0.get(&id).map(|(_, n)| n.as_str())
    }
}

/// SQLite's default limit on bound parameters is far above this; chunks keep statements cached.
const CHUNK: usize = 500;

/// The column list of a customer read; built once (it depends only on the field table).
fn customer_select() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(build_customer_select)
}

fn build_customer_select() -> String {
    let mut cols = String::from(
        "c.id, c.list_id, c.time_created, c.time_modified, c.edit_sequence, c.full_name,
         c.sublevel, c.is_active, c.external_guid, c.job_type_id, p.list_id, p.full_name",
    );
    for &field in Field::ALL {
        cols.push_str(", c.");
        cols.push_str(&field_column(field).0);
    }
    cols
}

/// Loads the rows `ids`, in that order, a chunk at a time. `select` writes the statement for a
/// list of `?` marks; its first column is the row id, and `ret` reads the rest of a row.
fn load_in_order<T>(
    conn: &Connection,
    ids: &[i64],
    select: impl Fn(&str) -> String,
    ret: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut by_id: HashMap<i64, T> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let marks = vec!["?"; chunk.len()].join(",");
        let mut stmt = conn.prepare_cached(&select(&marks))?;
        let rows = stmt.query_map(params_from_iter(chunk.iter()), |r| {
            Ok((r.get::<_, i64>(0)?, ret(r)?))
        })?;
        for row in rows {
            let (id, value) = row?;
            by_id.insert(id, value);
        }
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Loads customers as CustomerRets, in the order of `ids`.
pub fn load_customers(
    conn: &Connection,
    ids: &[i64],
    refs: &RefNames,
) -> rusqlite::Result<Vec<CustomerRet>> {
    let select = customer_select();
    load_in_order(
        conn,
        ids,
        |marks| {
            format!(
                "SELECT {select} FROM customer c LEFT JOIN customer p ON p.id = c.parent_id
                 WHERE c.id IN ({marks})"
            )
        },
        |r| {
            let mut data = CustomerData::new();
            for (i, &field) in Field::ALL.iter().enumerate() {
                let col = 12 + i;
                match field.shape() {
                    Shape::Ref(_) => {
                        let rid: Option<i64> = r.get(col)?;
                        data.set_opt(field, rid.and_then(|x| refs.full_name(x)));
                    }
                    _ => {
                        let v: Option<String> = r.get(col)?;
                        data.set_opt(field, v.as_deref());
                    }
                }
            }
            let parent_list_id: Option<String> = r.get(10)?;
            let parent_full_name: Option<String> = r.get(11)?;
            let job_type: Option<i64> = r.get(9)?;
            Ok(CustomerRet {
                list_id: r.get(1)?,
                time_created: Some(ids::format_time(r.get(2)?)),
                time_modified: Some(ids::format_time(r.get(3)?)),
                edit_sequence: Some(r.get(4)?),
                data,
                full_name: Some(r.get(5)?),
                is_active: Some(r.get(7)?),
                parent: parent_list_id.map(|l| ListRef {
                    list_id: Some(l),
                    full_name: parent_full_name,
                }),
                sublevel: Some(r.get::<_, i64>(6)?.try_into().unwrap_or(0)),
                job_type: job_type.and_then(|j| refs.full_name(j)).map(str::to_string),
                external_guid: r.get(8)?,
            })
        },
    )
}

/// Loads list entries as ListRets, in the order of `ids`.
pub fn load_list_entries(conn: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<ListRet>> {
    load_in_order(
        conn,
        ids,
        |marks| {
            format!(
                "SELECT e.id, e.list_id, e.time_created, e.time_modified, e.edit_sequence, e.name,
                        e.full_name, e.is_active, e.sublevel, p.list_id, p.full_name
                 FROM list_entry e LEFT JOIN list_entry p ON p.id = e.parent_id
                 WHERE e.id IN ({marks})"
            )
        },
        |r| {
            let parent_list_id: Option<String> = r.get(9)?;
            let parent_full_name: Option<String> = r.get(10)?;
            Ok(ListRet {
                list_id: r.get(1)?,
                time_created: Some(ids::format_time(r.get(2)?)),
                time_modified: Some(ids::format_time(r.get(3)?)),
                edit_sequence: Some(r.get(4)?),
                name: r.get(5)?,
                full_name: r.get(6)?,
                is_active: Some(r.get(7)?),
                parent: parent_list_id.map(|l| ListRef {
                    list_id: Some(l),
                    full_name: parent_full_name,
                }),
                sublevel: Some(r.get::<_, i64>(8)?.try_into().unwrap_or(0)),
            })
        },
    )
}

/// Loads vendors, employees or other names as NameRets, in the order of `ids`.
pub fn load_names(
    conn: &Connection,
    list: NameList,
    ids: &[i64],
) -> rusqlite::Result<Vec<NameRet>> {
    load_in_order(
        conn,
        ids,
        |marks| format!("SELECT id, list_id, name, is_active FROM entity WHERE id IN ({marks})"),
        |r| {
            Ok(NameRet {
                list,
                list_id: r.get(1)?,
                name: r.get(2)?,
                is_active: Some(r.get(3)?),
            })
        },
    )
}

/// The parent of a new job: its row, FullName and sublevel.
#[derive(Clone, Debug)]
pub struct Parent {
    pub id: i64,
    pub full_name: String,
    pub sublevel: u32,
}

/// A customer (or job) to insert. Text values come from `data`; `…Ref` fields from `refs`.
pub struct NewCustomer<'a> {
    pub data: &'a CustomerData,
    pub refs: &'a [(Field, i64)],
    pub parent: Option<&'a Parent>,
    pub is_active: bool,
    pub job_type_id: Option<i64>,
    pub external_guid: Option<&'a str>,
    pub created: i64,
    pub modified: i64,
}

impl NewCustomer<'_> {
    pub fn full_name(&self) -> String {
        let name = self.data.get(Field::Name).unwrap_or_default();
        match self.parent {
            Some(p) => format!("{}:{name}", p.full_name),
            None => name.to_string(),
        }
    }
}

/// The customer insert statement; built once.
fn insert_customer_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(build_insert_customer_sql)
}

fn build_insert_customer_sql() -> String {
    let mut cols = String::from(
        "list_id, time_created, time_modified, edit_sequence, parent_id, sublevel, full_name,
         name_key, sort_key, is_active, job_type_id, external_guid",
    );
    let mut marks: Vec<String> = (1..=12).map(|i| format!("?{i}")).collect();
    for (i, &field) in Field::ALL.iter().enumerate() {
        cols.push_str(", ");
        cols.push_str(&field_column(field).0);
        marks.push(format!("?{}", 13 + i));
    }
    format!(
        "INSERT INTO customer ({cols}) VALUES ({})",
        marks.join(", ")
    )
}

/// Inserts a customer with the next ListID; returns its row id.
pub fn insert_customer(conn: &Connection, new: &NewCustomer<'_>) -> rusqlite::Result<i64> {
    let seq = next_sequence(conn)?;
    insert_customer_as(conn, new, seq)
}

/// Inserts a customer whose ListID takes sequence number `seq` (the generator reserves a block).
pub fn insert_customer_as(
    conn: &Connection,
    new: &NewCustomer<'_>,
    seq: u32,
) -> rusqlite::Result<i64> {
    let full_name = new.full_name();
    let mut args: Vec<Value> = vec![
        Value::Text(ids::list_id(seq, new.created)),
        Value::Integer(new.created),
        Value::Integer(new.modified),
        Value::Text(ids::edit_sequence(new.modified)),
        new.parent.map_or(Value::Null, |p| Value::Integer(p.id)),
        Value::Integer(new.parent.map_or(0, |p| i64::from(p.sublevel) + 1)),
        Value::Text(full_name.clone()),
        Value::Text(name_key(&full_name)),
        Value::Text(sort_key(&full_name)),
        Value::Integer(i64::from(new.is_active)),
        new.job_type_id.map_or(Value::Null, Value::Integer),
        new.external_guid
            .map_or(Value::Null, |g| Value::Text(g.to_string())),
    ];
    for &field in Field::ALL {
        args.push(match field.shape() {
            Shape::Ref(_) => new
                .refs
                .iter()
                .find(|(f, _)| *f == field)
                .map_or(Value::Null, |(_, id)| Value::Integer(*id)),
            _ => new
                .data
                .get(field)
                .map_or(Value::Null, |v| Value::Text(v.to_string())),
        });
    }
    conn.prepare_cached(insert_customer_sql())?
        .execute(params_from_iter(args))?;
    Ok(conn.last_insert_rowid())
}

/// A vendor, employee or other name to insert.
#[derive(Clone, Debug, Default)]
pub struct NewName<'a> {
    pub name: &'a str,
    pub is_active: bool,
    pub company_name: Option<&'a str>,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
}

pub fn insert_name(
    conn: &Connection,
    list: NameList,
    new: &NewName<'_>,
    now: i64,
) -> rusqlite::Result<i64> {
    let seq = next_sequence(conn)?;
    conn.prepare_cached(
        "INSERT INTO entity (kind, list_id, time_created, time_modified, edit_sequence, name,
             full_name, name_key, sort_key, is_active, company_name, first_name, last_name, phone,
             email)
         VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(rusqlite::params![
        entity_kind(list),
        ids::list_id(seq, now),
        now,
        ids::edit_sequence(now),
        new.name,
        name_key(new.name),
        sort_key(new.name),
        new.is_active,
        new.company_name,
        new.first_name,
        new.last_name,
        new.phone,
        new.email,
    ])?;
    Ok(conn.last_insert_rowid())
}

impl super::file::CompanyFile {
    /// Adds a vendor, employee or other name directly (the sandbox answers VendorAdd and the like
    /// with status 1030); for demos and tests that need a name collision. Returns its ListID.
    pub fn add_name(
        &mut self,
        list: NameList,
        name: &str,
        is_active: bool,
    ) -> Result<String, super::file::SandboxError> {
        use super::file::SandboxError;
        let max = Field::Name.max_len().unwrap_or(41);
        if name.trim().is_empty() || name.chars().count() > max || name.contains(':') {
            return Err(SandboxError::Invalid(format!(
                "\"{name}\" cannot be a QuickBooks name: it needs 1 to {max} characters and no colon"
            )));
        }
        let conn = &self.conn;
        let result = (|| -> rusqlite::Result<Result<String, SandboxError>> {
            if let Some(holder) = name_holder(conn, name, false)? {
                let what = match holder {
                    NameHolder::Customer => "a customer",
                    NameHolder::Names(l) => l.a_noun(),
                };
                return Ok(Err(SandboxError::Invalid(format!(
                    "the name \"{name}\" is already used by {what}; QuickBooks names are unique \
                     across customers, vendors, employees and other names"
                ))));
            }
            let new = NewName {
                name,
                is_active,
                ..NewName::default()
            };
            let id = insert_name(conn, list, &new, super::clock::now(conn)?)?;
            Ok(Ok(identity(conn, Table::Names(list), id)?.0))
        })();
        result.map_err(|e| self.storage(e))?
    }
}
