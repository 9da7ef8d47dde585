//! What a QuickBooks user does to customers in QuickBooks' own window: edit one (any mapped field,
//! its name, active or not), delete one, merge one into another, move one under a parent as a
//! job. custsync itself never sends CustomerMod; these moves are how demos and tests change the
//! company underneath it (`custsync sandbox edit | delete | merge | make-job`).
//!
//! Each move runs in one transaction on the company file: it happens whole or, refused, changes
//! nothing. QuickBooks' rules as the sandbox follows them:
//!
//! - A changed record gets a new TimeModified and EditSequence, strictly later than before
//!   ([`super::clock::later_than`]). Its ListID never changes.
//! - Names: a top-level name is unique across customers, vendors, employees and other names; a
//!   job's name only under its parent (reference §4.1). Renaming a customer to a name another
//!   customer holds is how a QuickBooks user starts a merge: the edit is refused and points to
//!   `merge`.
//! - Delete: refused while the customer has jobs ("delete or move the jobs first"); leaves a
//!   deletion record (ListDelType Customer).
//! - Merge FROM into INTO (QuickBooks' in-product help "Combine (merge) two customers or jobs",
//!   QB2K12): INTO keeps its ListID and its own data, and its TimeModified/EditSequence change;
//!   FROM's ListID disappears with a deletion record. QuickBooks refuses when both have jobs
//!   ("You can't combine customer names if both names have jobs"); when only FROM has jobs,
//!   they move under INTO, keeping their ListIDs.
//! - Make-job: the customer keeps its ListID and gets `ParentRef`, `Sublevel` parent + 1 and
//!   FullName `Parent:Name`; its own jobs move with it.
//! - A record whose FullName changes only because an ancestor was renamed or moved keeps its
//!   TimeModified and EditSequence: nothing in the record itself changed. Whether QuickBooks
//!   touches them is unconfirmed; a reader that keeps a copy of the list must derive a job's
//!   FullName from its parent, which is right in both cases.
//! - Making a customer inactive changes that record only (reference: "Making a customer
//!   inactive changes only IsActive (and TimeModified)").

use rusqlite::types::Value;
use rusqlite::{Connection, TransactionBehavior, params_from_iter};

use crate::qbxml::fields::Shape;
use crate::qbxml::rules::{self, MAX_FULL_NAME};
use crate::qbxml::{ActiveStatus, Amount, CustomerRet, Field, ListDelType, ListDeletedRet};

use super::deleted::{self, Deletion};
use super::file::{CompanyFile, SandboxError, field_column, name_key, sort_key};
use super::ids;
use super::records::{self, Filter, ListKind, NameHolder, RefNames, Table};
use super::{changes, clock};

/// What an edit sets: a mapped field or `IsActive`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditTarget {
    Field(Field),
    IsActive,
}

impl EditTarget {
    /// As qbXML names it: `Phone`, `BillAddress/City`, `TermsRef`, `IsActive`.
    pub fn element(self) -> String {
        match self {
            EditTarget::IsActive => "IsActive".into(),
            EditTarget::Field(f) => match f.shape() {
                Shape::Ref(e) => e.to_string(),
                _ => f.path(),
            },
        }
    }

    /// Reads a field name the way a person might write it: its qbXML element (`Phone`,
    /// `BillAddress/Addr1`, `TermsRef` or `TermsRef/FullName`), its key (`bill_addr1`) or its
    /// label (`Bill address 1`), in any case.
    pub fn parse(text: &str) -> Option<EditTarget> {
        let t = text.trim().to_lowercase();
        if t == "isactive" || t == "is_active" || t == "active" {
            return Some(EditTarget::IsActive);
        }
        Field::ALL
            .iter()
            .copied()
            .find(|&f| {
                let mut names = vec![f.path(), f.key().to_string(), f.label().to_string()];
                if let Shape::Ref(e) | Shape::Plain(e) = f.shape() {
                    names.push(e.to_string());
                }
                names.iter().any(|n| n.to_lowercase() == t)
            })
            .map(EditTarget::Field)
    }
}

/// One `Field=Value` of `custsync sandbox edit`. An empty value clears the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub target: EditTarget,
    pub value: Option<String>,
}

impl std::str::FromStr for Assignment {
    type Err = SandboxError;

    fn from_str(text: &str) -> Result<Assignment, SandboxError> {
        let Some((name, value)) = text.split_once('=') else {
            return Err(SandboxError::Invalid(format!(
                "\"{text}\" is not Field=Value; write e.g. Phone=555-0100, \
                 \"BillAddress/City=Reno\", IsActive=false, or Fax= to clear a field"
            )));
        };
        let target = EditTarget::parse(name).ok_or_else(|| {
            let known: Vec<String> = Field::ALL
                .iter()
                .map(|&f| EditTarget::Field(f).element())
                .chain(["IsActive".to_string()])
                .collect();
            SandboxError::Invalid(format!(
                "\"{}\" is not a customer field QuickBooks and custsync share; use one of: {}",
                name.trim(),
                known.join(", ")
            ))
        })?;
        Ok(Assignment {
            target,
            value: (!value.is_empty()).then(|| value.to_string()),
        })
    }
}

/// The outcome of an edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edited {
    /// The customer after the edit.
    pub customer: CustomerRet,
    /// The elements whose values changed (empty: the customer already had those values, and
    /// QuickBooks saves nothing).
    pub changed: Vec<String>,
}

/// The outcome of a merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// The merged-away record, as ListDeletedQuery reports it.
    pub removed: ListDeletedRet,
    /// The survivor, after the merge.
    pub kept: CustomerRet,
    /// FullNames of FROM's jobs, now under the survivor.
    pub moved_jobs: Vec<String>,
}

/// A customer row as the moves need it.
#[derive(Clone, Debug)]
struct Row {
    id: i64,
    list_id: String,
    name: String,
    full_name: String,
    parent_id: Option<i64>,
    sublevel: u32,
    time_created: i64,
    time_modified: i64,
}

/// Why a move did not happen: the file could not be read or written, or QuickBooks' rules
/// refuse it. Both roll the move back.
enum Failure {
    Storage(rusqlite::Error),
    Refused(SandboxError),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Failure {
        Failure::Storage(e)
    }
}

impl From<SandboxError> for Failure {
    fn from(e: SandboxError) -> Failure {
        Failure::Refused(e)
    }
}

type Outcome<T> = Result<T, Failure>;

fn invalid<T>(message: String) -> Outcome<T> {
    Err(Failure::Refused(SandboxError::Invalid(message)))
}

fn rows(conn: &Connection, condition: &str, args: Vec<Value>) -> rusqlite::Result<Vec<Row>> {
    let sql = format!(
        "SELECT id, list_id, {name}, full_name, parent_id, sublevel, time_created, time_modified
         FROM customer WHERE {condition} ORDER BY sort_key",
        name = field_column(Field::Name).0
    );
    let mut stmt = conn.prepare(&sql)?;
    let found = stmt.query_map(params_from_iter(args), |r| {
        Ok(Row {
            id: r.get(0)?,
            list_id: r.get(1)?,
            name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            full_name: r.get(3)?,
            parent_id: r.get(4)?,
            sublevel: r.get::<_, i64>(5)?.try_into().unwrap_or(0),
            time_created: r.get(6)?,
            time_modified: r.get(7)?,
        })
    })?;
    found.collect()
}

fn text(v: &str) -> Value {
    Value::Text(v.to_string())
}

/// The customer or job `given` names: a ListID, a FullName (`Parent:Job`), or the Name of
/// exactly one customer or job.
fn find(conn: &Connection, path: &str, given: &str) -> Outcome<Row> {
    let given = given.trim();
    if ids::looks_like_list_id(given)
        && let Some(row) = rows(conn, "list_id = ?1", vec![text(given)])?
            .into_iter()
            .next()
    {
        return Ok(row);
    }
    let key = name_key(given);
    if let Some(row) = rows(conn, "name_key = ?1", vec![text(&key)])?
        .into_iter()
        .next()
    {
        return Ok(row);
    }
    if !given.contains(':') && !given.is_empty() {
        // A job by its own name: its key ends in ":name".
        let named = rows(
            conn,
            "substr(name_key, -(length(?1) + 1)) = ':' || ?1",
            vec![text(&key)],
        )?;
        match named.as_slice() {
            [one] => return Ok(one.clone()),
            [] => {}
            [first, ..] => {
                let names: Vec<&str> = named.iter().map(|r| r.full_name.as_str()).collect();
                return invalid(format!(
                    "several jobs are named \"{given}\": {}; give the full name, e.g. \"{}\"",
                    names.join(", "),
                    first.full_name
                ));
            }
        }
    }
    Err(SandboxError::NoCustomer {
        name: given.to_string(),
        path: path.to_string(),
    }
    .into())
}

fn children(conn: &Connection, id: i64) -> rusqlite::Result<Vec<Row>> {
    rows(conn, "parent_id = ?1", vec![Value::Integer(id)])
}

/// Every job below `id`, at any depth.
fn descendants(conn: &Connection, id: i64) -> rusqlite::Result<Vec<Row>> {
    rows(
        conn,
        "id IN (WITH RECURSIVE sub(id) AS (
                    SELECT id FROM customer WHERE parent_id = ?1
                    UNION ALL SELECT c.id FROM customer c JOIN sub ON c.parent_id = sub.id)
                SELECT id FROM sub)",
        vec![Value::Integer(id)],
    )
}

/// Gives `row` a new name and parent (`parent`: row id, FullName, sublevel) and carries its
/// jobs along: their FullNames and sublevels follow, nothing else of theirs changes. Refused
/// when a FullName would grow past QuickBooks' 209 characters.
fn relocate(
    conn: &Connection,
    row: &Row,
    name: &str,
    parent: Option<(i64, &str, u32)>,
) -> Outcome<()> {
    let (full_name, sublevel) = match parent {
        Some((_, p, s)) => (format!("{p}:{name}"), s + 1),
        None => (name.to_string(), 0),
    };
    let below = descendants(conn, row.id)?;
    // Each descendant's FullName keeps what follows the old prefix.
    let renamed: Vec<(&Row, String)> = below
        .iter()
        .map(|d| {
            let suffix = d.full_name.get(row.full_name.len()..).unwrap_or_default();
            (d, format!("{full_name}{suffix}"))
        })
        .collect();
    if let Some(long) = std::iter::once(&full_name)
        .chain(renamed.iter().map(|(_, n)| n))
        .find(|n| n.chars().count() > MAX_FULL_NAME)
    {
        return invalid(format!(
            "the full name \"{long}\" would be {} characters long; QuickBooks allows at most \
             {MAX_FULL_NAME}. Choose a shorter name or parent",
            long.chars().count()
        ));
    }
    let name_col = field_column(Field::Name).0;
    conn.execute(
        &format!(
            "UPDATE customer SET {name_col} = ?1, full_name = ?2, name_key = ?3, sort_key = ?4,
                 parent_id = ?5, sublevel = ?6 WHERE id = ?7"
        ),
        rusqlite::params![
            name,
            full_name,
            name_key(&full_name),
            sort_key(&full_name),
            parent.map(|p| p.0),
            sublevel,
            row.id
        ],
    )?;
    for (d, new_full) in renamed {
        let level = d.sublevel - row.sublevel + sublevel;
        conn.execute(
            "UPDATE customer SET full_name = ?1, name_key = ?2, sort_key = ?3, sublevel = ?4
             WHERE id = ?5",
            rusqlite::params![
                new_full,
                name_key(&new_full),
                sort_key(&new_full),
                level,
                d.id
            ],
        )?;
    }
    Ok(())
}

/// Stamps a changed record: TimeModified and EditSequence strictly later than before; open
/// iterators will meet it again.
fn touch(conn: &Connection, row: &Row, now: i64) -> rusqlite::Result<()> {
    let t = clock::later_than(row.time_modified, now);
    conn.execute(
        "UPDATE customer SET time_modified = ?1, edit_sequence = ?2 WHERE id = ?3",
        rusqlite::params![t, ids::edit_sequence(t), row.id],
    )?;
    changes::log(conn, row.id, false)
}

/// Removes a customer row, leaving its deletion record; open iterators drop it.
fn remove(conn: &Connection, row: &Row, now: i64) -> rusqlite::Result<ListDeletedRet> {
    let removed = record_deletion(conn, row, now)?;
    conn.execute("DELETE FROM customer WHERE id = ?1", [row.id])?;
    changes::log(conn, row.id, true)?;
    Ok(removed)
}

/// Refuses a FullName another record holds (see the module notes on names).
fn check_name_free(conn: &Connection, full_name: &str, is_job: bool) -> Outcome<()> {
    match records::name_holder(conn, full_name, is_job)? {
        None => Ok(()),
        Some(NameHolder::Customer) => invalid(format!(
            "the name \"{full_name}\" is already used by another customer or job. In QuickBooks, \
             giving a customer the name of another merges the two: to do that, run `custsync \
             sandbox merge FILE FROM \"{full_name}\"`"
        )),
        Some(NameHolder::Names(list)) => invalid(format!(
            "the name \"{full_name}\" is already used by {}; QuickBooks names are unique across \
             customers, vendors, employees and other names",
            list.a_noun()
        )),
    }
}

fn load(conn: &Connection, id: i64) -> rusqlite::Result<CustomerRet> {
    let refs = RefNames::load(conn)?;
    Ok(records::load_customers(conn, &[id], &refs)?
        .into_iter()
        .next()
        .unwrap_or_default())
}

fn record_deletion(conn: &Connection, row: &Row, now: i64) -> rusqlite::Result<ListDeletedRet> {
    deleted::record(
        conn,
        &Deletion {
            kind: ListDelType::Customer,
            list_id: &row.list_id,
            time_created: row.time_created,
            full_name: &row.full_name,
        },
        now,
    )?;
    Ok(ListDeletedRet {
        list_del_type: Some(ListDelType::Customer),
        list_id: row.list_id.clone(),
        time_created: Some(ids::format_time(row.time_created)),
        time_deleted: Some(ids::format_time(now)),
        full_name: Some(row.full_name.clone()),
    })
}

/// A list's entry names, for saying which exist.
fn entry_names(conn: &Connection, kind: ListKind) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT full_name FROM list_entry WHERE kind = ?1 AND is_active = 1 ORDER BY sort_key",
    )?;
    let names = stmt.query_map([kind.as_str()], |r| r.get(0))?;
    names.collect()
}

/// The column value an assignment stores, or why QuickBooks would not take it.
fn stored_value(conn: &Connection, field: Field, value: &str) -> Outcome<(Value, String)> {
    let violations = rules::check_field(field, value);
    if !violations.is_empty() {
        let text: Vec<String> = violations.iter().map(ToString::to_string).collect();
        return invalid(text.join("; "));
    }
    if let Some(kind) = ListKind::of_field(field) {
        let Some(id) = records::id_by_full_name(conn, Table::List(kind), value)? else {
            let existing = entry_names(conn, kind)?;
            return invalid(format!(
                "there is no {} \"{value}\" in the company; {}",
                kind.noun(),
                if existing.is_empty() {
                    "its list is empty".to_string()
                } else {
                    format!("choose one of: {}", existing.join(", "))
                }
            ));
        };
        let (_, stored, _) = records::identity(conn, Table::List(kind), id)?;
        return Ok((Value::Integer(id), stored));
    }
    let value = match field {
        // Validated above; QuickBooks keeps amounts in canonical form (2500 → 2500.00).
        Field::CreditLimit => Amount::parse(value).map_or(value.to_string(), |a| a.to_string()),
        _ => value.to_string(),
    };
    Ok((Value::Text(value.clone()), value))
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

fn edit(
    conn: &Connection,
    path: &str,
    given: &str,
    edits: &[Assignment],
    now: i64,
) -> Outcome<Edited> {
    let row = find(conn, path, given)?;
    for (i, a) in edits.iter().enumerate() {
        if edits[..i].iter().any(|b| b.target == a.target) {
            return invalid(format!(
                "{} is set twice; give each field one value",
                a.target.element()
            ));
        }
    }
    let before = load(conn, row.id)?;
    let mut columns: Vec<(String, Value)> = Vec::new();
    let mut changed: Vec<String> = Vec::new();
    let mut new_name: Option<String> = None;
    for a in edits {
        let element = a.target.element();
        match (a.target, a.value.as_deref()) {
            (EditTarget::IsActive, value) => {
                let Some(active) = value.and_then(parse_bool) else {
                    return invalid(format!(
                        "IsActive takes true or false, not \"{}\"",
                        value.unwrap_or_default()
                    ));
                };
                if active != before.is_active() {
                    columns.push(("is_active".into(), Value::Integer(i64::from(active))));
                    changed.push(element);
                }
            }
            (EditTarget::Field(Field::Name), None) => {
                return invalid(
                    "a customer's Name cannot be cleared; QuickBooks needs a name for every \
                     customer"
                        .into(),
                );
            }
            (EditTarget::Field(Field::Name), Some(name)) => {
                stored_value(conn, Field::Name, name)?;
                if name != row.name {
                    new_name = Some(name.to_string());
                    changed.push(element);
                }
            }
            (EditTarget::Field(field), value) => {
                let (stored, shown) = match value {
                    None => (Value::Null, None),
                    Some(v) => {
                        let (stored, shown) = stored_value(conn, field, v)?;
                        (stored, Some(shown))
                    }
                };
                if shown.as_deref() != before.data.get(field) {
                    columns.push((field_column(field).0, stored));
                    changed.push(element);
                }
            }
        }
    }
    if changed.is_empty() {
        return Ok(Edited {
            customer: before,
            changed,
        });
    }
    if let Some(name) = &new_name {
        let parent = match row.parent_id {
            Some(pid) => Some(records::identity(conn, Table::Customer, pid)?),
            None => None,
        };
        let full_name = match &parent {
            Some((_, p, _)) => format!("{p}:{name}"),
            None => name.clone(),
        };
        // A change of case only is the same name to QuickBooks.
        if name_key(&full_name) != name_key(&row.full_name) {
            check_name_free(conn, &full_name, row.parent_id.is_some())?;
        }
        let parent = row
            .parent_id
            .zip(parent.as_ref())
            .map(|(id, (_, p, s))| (id, p.as_str(), *s));
        relocate(conn, &row, name, parent)?;
    }
    for (col, value) in columns {
        conn.execute(
            &format!("UPDATE customer SET {col} = ?1 WHERE id = ?2"),
            rusqlite::params![value, row.id],
        )?;
    }
    touch(conn, &row, now)?;
    Ok(Edited {
        customer: load(conn, row.id)?,
        changed,
    })
}

fn delete(conn: &Connection, path: &str, given: &str, now: i64) -> Outcome<ListDeletedRet> {
    let row = find(conn, path, given)?;
    let jobs = children(conn, row.id)?;
    if let Some(first) = jobs.first() {
        let names: Vec<&str> = jobs.iter().map(|j| j.full_name.as_str()).collect();
        return invalid(format!(
            "\"{}\" has jobs ({}); QuickBooks deletes a customer only once its jobs are deleted \
             or moved to another customer (`custsync sandbox delete FILE \"{}\"` or `custsync \
             sandbox make-job FILE \"{}\" --parent OTHER`)",
            row.full_name,
            names.join(", "),
            first.full_name,
            first.full_name
        ));
    }
    Ok(remove(conn, &row, now)?)
}

fn merge(conn: &Connection, path: &str, from: &str, into: &str, now: i64) -> Outcome<Merged> {
    let from = find(conn, path, from)?;
    let into = find(conn, path, into)?;
    if from.id == into.id {
        return invalid(format!(
            "\"{}\" cannot be merged into itself; name two different customers",
            from.full_name
        ));
    }
    if descendants(conn, from.id)?.iter().any(|d| d.id == into.id) {
        return invalid(format!(
            "\"{}\" is a job of \"{}\"; a customer cannot be merged into its own job",
            into.full_name, from.full_name
        ));
    }
    let from_jobs = children(conn, from.id)?;
    let into_has_jobs = children(conn, into.id)?.iter().any(|j| j.id != from.id);
    if let Some(first) = from_jobs.first()
        && into_has_jobs
    {
        return invalid(format!(
            "both \"{}\" and \"{}\" have jobs; QuickBooks cannot combine two customers that both \
             have jobs. Move or delete the jobs of \"{}\" first (`custsync sandbox make-job FILE \
             \"{}\" --parent \"{}\"`)",
            from.full_name, into.full_name, from.full_name, first.full_name, into.full_name
        ));
    }
    let target = (into.id, into.full_name.as_str(), into.sublevel);
    // Re-parent first so that FROM can go before its jobs take their new names (a job of FROM
    // may take FROM's own FullName when INTO is FROM's parent).
    conn.execute(
        "UPDATE customer SET parent_id = ?1 WHERE parent_id = ?2",
        rusqlite::params![into.id, from.id],
    )?;
    let removed = remove(conn, &from, now)?;
    let mut moved_jobs = Vec::new();
    for job in &from_jobs {
        relocate(conn, job, &job.name, Some(target))?;
        touch(conn, job, now)?;
        moved_jobs.push(format!("{}:{}", into.full_name, job.name));
    }
    touch(conn, &into, now)?;
    Ok(Merged {
        removed,
        kept: load(conn, into.id)?,
        moved_jobs,
    })
}

fn make_job(
    conn: &Connection,
    path: &str,
    given: &str,
    parent: &str,
    now: i64,
) -> Outcome<CustomerRet> {
    let row = find(conn, path, given)?;
    let parent = find(conn, path, parent)?;
    if parent.id == row.id || descendants(conn, row.id)?.iter().any(|d| d.id == parent.id) {
        return invalid(format!(
            "\"{}\" cannot become a job of \"{}\": a customer cannot be moved under itself or \
             one of its own jobs",
            row.full_name, parent.full_name
        ));
    }
    if row.parent_id == Some(parent.id) {
        return invalid(format!(
            "\"{}\" is already a job of \"{}\"",
            row.full_name, parent.full_name
        ));
    }
    let full_name = format!("{}:{}", parent.full_name, row.name);
    check_name_free(conn, &full_name, true)?;
    let target = (parent.id, parent.full_name.as_str(), parent.sublevel);
    relocate(conn, &row, &row.name, Some(target))?;
    touch(conn, &row, now)?;
    Ok(load(conn, row.id)?)
}

impl CompanyFile {
    /// Runs one move in one transaction at the company clock's current time; a refusal
    /// changes nothing.
    fn move_in_transaction<T>(
        &mut self,
        run: impl FnOnce(&Connection, &str, i64) -> Outcome<T>,
    ) -> Result<T, SandboxError> {
        let path = self.path().display().to_string();
        let storage = |source| SandboxError::Storage {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage)?;
        let now = clock::now(&tx).map_err(storage)?;
        // Dropping the transaction without a commit rolls a refused move back.
        match run(&tx, &path, now) {
            Ok(done) => {
                tx.commit().map_err(storage)?;
                Ok(done)
            }
            Err(Failure::Refused(e)) => Err(e),
            Err(Failure::Storage(e)) => Err(storage(e)),
        }
    }

    /// Edits a customer or job as a QuickBooks user does in its Edit window. `name` is a
    /// FullName, a ListID or the Name of one customer or job.
    pub fn edit_customer(
        &mut self,
        name: &str,
        edits: &[Assignment],
    ) -> Result<Edited, SandboxError> {
        self.move_in_transaction(|conn, path, now| edit(conn, path, name, edits, now))
    }

    /// Deletes a customer or job without jobs of its own; returns its deletion record.
    pub fn delete_customer(&mut self, name: &str) -> Result<ListDeletedRet, SandboxError> {
        self.move_in_transaction(|conn, path, now| delete(conn, path, name, now))
    }

    /// Merges `from` into `into` as QuickBooks does (see the module notes).
    pub fn merge_customers(&mut self, from: &str, into: &str) -> Result<Merged, SandboxError> {
        self.move_in_transaction(|conn, path, now| merge(conn, path, from, into, now))
    }

    /// Moves a customer (or job) under `parent` as its job; returns it after the move.
    pub fn make_job(&mut self, name: &str, parent: &str) -> Result<CustomerRet, SandboxError> {
        self.move_in_transaction(|conn, path, now| make_job(conn, path, name, parent, now))
    }

    /// Every customer and job, active or not, in QuickBooks' list order.
    pub fn customer_list(&self) -> Result<Vec<CustomerRet>, SandboxError> {
        let filter = Filter {
            active: ActiveStatus::All,
            ..Filter::default()
        };
        (|| {
            let ids = records::matching_ids(&self.conn, Table::Customer, &filter, None)?;
            records::load_customers(&self.conn, &ids, &RefNames::load(&self.conn)?)
        })()
        .map_err(|e| self.storage(e))
    }

    /// The deletion records QuickBooks still keeps, oldest first.
    pub fn deleted_list(&self) -> Result<Vec<ListDeletedRet>, SandboxError> {
        (|| {
            let now = clock::now(&self.conn)?;
            deleted::query(&self.conn, ListDelType::ALL, None, None, now)
        })()
        .map_err(|e| self.storage(e))
    }
}
