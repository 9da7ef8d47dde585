//! CSV import and export of the customer list (`custsync customers import|export`).
//!
//! The header names the columns by key ([`Column::key`]: the field keys such as `code`,
//! `name`, `credit_limit`, plus `status` and `qb_name`), in any order, regardless of case. An
//! unknown or repeated header is refused, naming it. Import rules:
//!
//! - `code` is required; a code already stored (regardless of case) **updates** that customer,
//!   a new code **adds** one. Columns the file does not have are left as they are; an empty cell
//!   clears its value (except `status`, which an empty cell leaves as it is, `Active` for a new
//!   customer). A new customer needs a `name`.
//! - Every row is checked before anything is written. A bad row is reported with its line and
//!   column, and then nothing is imported: all rows go in one transaction.
//! - The import is a journal run (`csv_import`), so `custsync undo RUN` reverts it.
//!
//! Export writes every column for every customer, ordered by name then code. A cell that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) is written
//! with a leading `'`, unless it is a plain number such as `-12.50`; import removes that `'`
//! again, so export → import gives back the same customers.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

use super::customers::{code_key, id_of, insert_normalized};
use super::{
    Column, Customer, CustomerError, CustomerStatus, EntryKind, NewEntry, NewRun, RunId, RunMode,
    Store, StoreError, StoreRead,
};
use crate::files::replace_file;
use crate::qbxml::Field;

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// The journal run recording it; `None` when nothing changed.
    pub run: Option<RunId>,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// One bad row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    /// The line in the file where the row starts (the header is line 1).
    pub line: u64,
    /// The column's key, when one column is at fault.
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, column {c}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// The column that finds the customer.
const CODE: Column = Column::Field(Field::AccountNumber);

/// How many bad rows an import lists before saying "and N more".
const MAX_LISTED: usize = 20;

/// Why an import or export did not happen. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("cannot read {file} ({detail}): check the path and that you may read it")]
    Read { file: String, detail: String },
    #[error(
        "{file} is empty: it needs a header line naming the columns (at least code), then one customer per line"
    )]
    Empty { file: String },
    #[error(
        "{file} line 1: unknown column \"{name}\": rename it to one of {}, or remove it",
        known_columns()
    )]
    UnknownColumn { file: String, name: String },
    #[error("{file} line 1: the column \"{name}\" appears twice; keep one")]
    DuplicateColumn { file: String, name: String },
    #[error(
        "{file} line 1: there is no \"code\" column; every row needs the customer's code: add a column headed code"
    )]
    NoCodeColumn { file: String },
    #[error("{}", rows_message(file, problems, *more))]
    Rows {
        file: String,
        problems: Vec<RowProblem>,
        /// Bad rows beyond those listed.
        more: usize,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "cannot write {file} ({detail}): check that the folder exists and is writable; nothing was written"
    )]
    Write { file: String, detail: String },
}

fn known_columns() -> String {
    let own: Vec<&str> = Column::own().map(Column::key).collect();
    format!(
        "{}, and qb_<field> for how QuickBooks spells a field (qb_bill_city…)",
        own.join(", ")
    )
}

fn rows_message(file: &str, problems: &[RowProblem], more: usize) -> String {
    let total = problems.len() + more;
    let mut s = match problems {
        [one] if more == 0 => format!("{file}: {one}."),
        _ => {
            let mut s = format!("{file} has {total} bad rows:");
            for p in problems {
                s.push_str(&format!("\n  {p}"));
            }
            if more > 0 {
                s.push_str(&format!("\n  … and {more} more"));
            }
            s
        }
    };
    s.push_str("\nNothing was imported: correct the file and import it again.");
    s
}

/// What a spreadsheet would run as a formula when a cell starts with it.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// The cell to write for `value`: quoted with `'` when a spreadsheet would run it. Values that
/// already start with quotes before such a character get one more, so [`restore`] is exact.
pub fn neutralise(value: &str) -> std::borrow::Cow<'_, str> {
    let after_quotes = value.trim_start_matches('\'');
    if after_quotes.starts_with(FORMULA_STARTS) && !is_plain_number(value) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// The value a cell written by [`neutralise`] stands for.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// Writes every customer as CSV; returns how many.
pub fn export(store: &impl StoreRead, out: impl Write) -> Result<usize, CsvError> {
    let customers = store.customers()?;
    write_csv(&customers, out).map_err(|e| CsvError::Write {
        file: "the output".into(),
        detail: e.to_string(),
    })?;
    Ok(customers.len())
}

fn write_csv(customers: &[Customer], out: impl Write) -> std::io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    // The customer's own columns, then the QuickBooks spellings some customer has.
    let columns: Vec<Column> = Column::own()
        .chain(Column::spellings().filter(|col| customers.iter().any(|c| col.get(c).is_some())))
        .collect();
    w.write_record(columns.iter().map(|c| c.key()))?;
    for c in customers {
        w.write_record(
            columns
                .iter()
                .map(|col| neutralise(col.get(c).unwrap_or("")).into_owned()),
        )?;
    }
    w.flush()
}

/// Exports to `path`, replacing it only once the whole file is written.
pub fn export_file(store: &impl StoreRead, path: &Path) -> Result<usize, CsvError> {
    let write_err = |detail: String| CsvError::Write {
        file: path.display().to_string(),
        detail,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(write_err(format!(
            "the folder {} does not exist",
            dir.display()
        )));
    }
    let customers = store.customers()?;
    replace_file(path, |f| write_csv(&customers, f)).map_err(|e| write_err(e.to_string()))?;
    Ok(customers.len())
}

/// One data row: its line and the values of the file's columns, as the customer should have
/// them (restored from neutralisation, trimmed).
struct Row {
    line: u64,
    code: String,
    values: Vec<(Column, Option<String>)>,
}

/// Reads and checks the file's shape: header, encoding, row lengths, codes. A bad header ends
/// it; bad rows are collected so the import can report them with those it finds itself.
fn read_rows(file: &str, input: impl Read) -> Result<(Vec<Row>, Problems), CsvError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input);
    let headers = reader.headers().map_err(|e| read_error(file, &e))?.clone();
    if headers.is_empty() || headers.iter().all(|h| h.trim().is_empty()) {
        return Err(CsvError::Empty { file: file.into() });
    }
    let mut columns = Vec::with_capacity(headers.len());
    for h in headers.iter() {
        let name = h.trim_start_matches('\u{feff}').trim();
        let column =
            Column::from_key(&name.to_lowercase()).ok_or_else(|| CsvError::UnknownColumn {
                file: file.into(),
                name: name.into(),
            })?;
        if columns.contains(&column) {
            return Err(CsvError::DuplicateColumn {
                file: file.into(),
                name: name.into(),
            });
        }
        columns.push(column);
    }
    let code_at = columns
        .iter()
        .position(|c| *c == CODE)
        .ok_or_else(|| CsvError::NoCodeColumn { file: file.into() })?;

    let mut rows = Vec::new();
    let mut problems = Problems::default();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // The reader cannot go on past a malformed record.
                let line = e.position().map_or(0, |p| p.line());
                problems.push(line, None, record_error(&e));
                break;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let values: Vec<(Column, Option<String>)> = columns
            .iter()
            .zip(record.iter())
            .map(|(&col, cell)| {
                let v = restore(cell.trim()).trim();
                (col, Some(v.to_string()).filter(|v| !v.is_empty()))
            })
            // An empty status leaves the status as it is (Active for a new customer).
            .filter(|(col, v)| !(*col == Column::Status && v.is_none()))
            // The code finds the customer; a stored code keeps its own spelling.
            .filter(|(col, _)| *col != CODE)
            .collect();
        let code = record
            .get(code_at)
            .map(|cell| restore(cell.trim()).trim().to_string())
            .unwrap_or_default();
        if code.is_empty() {
            problems.push(
                line,
                Some(CODE),
                "the code is empty; every customer needs one".into(),
            );
            continue;
        }
        if let Some(first) = first_line.insert(code_key(&code), line) {
            problems.push(
                line,
                Some(CODE),
                format!("code {code} appears again (first on line {first}); codes are unique regardless of case"),
            );
            continue;
        }
        rows.push(Row { line, code, values });
    }
    Ok((rows, problems))
}

fn read_error(file: &str, e: &::csv::Error) -> CsvError {
    match e.kind() {
        ::csv::ErrorKind::Io(io) => CsvError::Read {
            file: file.into(),
            detail: io.to_string(),
        },
        _ => CsvError::Rows {
            file: file.into(),
            problems: vec![RowProblem {
                line: e.position().map_or(1, |p| p.line()),
                column: None,
                message: record_error(e),
            }],
            more: 0,
        },
    }
}

fn record_error(e: &::csv::Error) -> String {
    match e.kind() {
        ::csv::ErrorKind::Utf8 { .. } => {
            "the text is not UTF-8: save the file as \"CSV UTF-8\" and import it again".into()
        }
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "it has {len} cells but the header has {expected_len}; check for a missing or extra comma or an unclosed quote"
        ),
        _ => e.to_string(),
    }
}

/// Bad rows collected while reading, so one attempt reports them all.
#[derive(Default)]
struct Problems {
    listed: Vec<RowProblem>,
    more: usize,
}

impl Problems {
    fn push(&mut self, line: u64, column: Option<Column>, message: String) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push(RowProblem {
                line,
                column: column.map(|c| c.key().to_string()),
                message,
            });
        } else {
            self.more += 1;
        }
    }

    /// Records a customer the store refused as a bad row; other store errors end the import.
    fn push_store_error(&mut self, line: u64, e: StoreError) -> Result<(), CsvError> {
        match e {
            StoreError::Customer(ce) => {
                let message = match &ce {
                    CustomerError::BadValue { reason, .. } => reason.clone(),
                    _ => ce.to_string(),
                };
                self.push(line, ce.column(), message);
                Ok(())
            }
            other => Err(other.into()),
        }
    }

    fn into_result(mut self, file: &str) -> Result<(), CsvError> {
        self.listed.sort_by_key(|p| p.line);
        if self.listed.is_empty() {
            Ok(())
        } else {
            Err(CsvError::Rows {
                file: file.into(),
                problems: self.listed,
                more: self.more,
            })
        }
    }
}

/// Imports customers from CSV (rules in the module docs). `file` names the input in messages.
pub fn import(
    store: &mut Store,
    input: impl Read,
    file: &str,
    os_user: &str,
) -> Result<ImportReport, CsvError> {
    let (rows, mut problems) = read_rows(file, input)?;
    let mut tx = store.begin()?;
    let run = tx.start_run(&NewRun {
        os_user: os_user.to_string(),
        ..NewRun::new(RunMode::CsvImport)
    })?;
    let mut report = ImportReport {
        run: Some(run),
        added: 0,
        updated: 0,
        unchanged: 0,
    };
    for row in &rows {
        if id_of(&tx.tx, &row.code)?.is_some() {
            match tx.set_columns(&row.code, &row.values) {
                Ok((record, changes)) if !changes.is_empty() => {
                    tx.journal_changes(run, &record, None, &changes, EntryKind::Replaced)?;
                    report.updated += 1;
                }
                Ok(_) => report.unchanged += 1,
                Err(e) => problems.push_store_error(row.line, e)?,
            }
            continue;
        }
        let mut customer = Customer::new(&row.code, "", CustomerStatus::Active);
        let mut ok = true;
        for (column, value) in &row.values {
            if let Err(reason) = column.set(&mut customer, value.as_deref()) {
                problems.push(row.line, Some(*column), reason);
                ok = false;
            }
        }
        if !ok {
            continue;
        }
        let normalized = match customer.into_normalized() {
            Ok(c) => c,
            Err(e) => {
                problems.push_store_error(row.line, e.into())?;
                continue;
            }
        };
        insert_normalized(&tx.tx, &normalized, &tx.now)?;
        tx.journal_revision(
            run,
            &NewEntry {
                new: Some(normalized.name().to_string()),
                ..NewEntry::new(EntryKind::Imported, normalized.code())
            },
            Some(1),
        )?;
        report.added += 1;
    }
    problems.into_result(file)?;
    if report.added + report.updated == 0 {
        // Nothing changed: no run to show or undo. Dropping the transaction rolls it back.
        report.run = None;
        return Ok(report);
    }
    tx.finish_run(run, super::RunOutcome::Done)?;
    tx.commit()?;
    Ok(report)
}

/// Imports the CSV file at `path`.
pub fn import_file(
    store: &mut Store,
    path: &Path,
    os_user: &str,
) -> Result<ImportReport, CsvError> {
    let file = path.display().to_string();
    let input = crate::files::open_regular(path).map_err(|e| CsvError::Read {
        file: file.clone(),
        detail: e.to_string(),
    })?;
    import(store, std::io::BufReader::new(input), &file, os_user)
}
