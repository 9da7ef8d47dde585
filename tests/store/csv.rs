//! CSV import and export: round trip, formula neutralisation, headers, bad rows, updates.

use custsync::qbxml::Field;
use custsync::store::csv::{self, CsvError, neutralise, restore};
use custsync::store::{Column, Customer, CustomerStatus, EntryKind, RunMode, Store, StoreRead};

fn store() -> Store {
    Store::open_in_memory().unwrap()
}

fn import(s: &mut Store, text: &str) -> Result<csv::ImportReport, CsvError> {
    csv::import(s, text.as_bytes(), "in.csv", "tester")
}

fn export(s: &Store) -> String {
    let mut out = Vec::new();
    csv::export(s, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Values a spreadsheet would run, values that merely look like it, and quotes.
const TRICKY: &[&str] = &[
    "=HYPERLINK(\"http://x\",\"y\")",
    "+1 555 0100",
    "-2+3",
    "@SUM(A1)",
    "'=already quoted",
    "''=twice",
    "'Tis the season",
    "plain, with comma",
    "say \"hi\"",
    "multi\nline",
    "-",
    "Zoë Ørsted",
];

#[test]
fn export_then_import_gives_back_the_same_customers() {
    let mut a = store();
    let mut originals = Vec::new();
    for (i, v) in TRICKY.iter().enumerate() {
        let mut c = Customer::new(
            &format!("C{i:02}"),
            &format!("Name {i}"),
            CustomerStatus::ALL[i % 4],
        );
        c.data.set(Field::Notes, v);
        c.data.set(Field::Phone, v.replace('\n', " "));
        c.data
            .set(Field::CreditLimit, ["-12.50", "2500", "+7"][i % 3]);
        if i % 2 == 0 {
            c.qb_name = Some(format!("QB {i}"));
        }
        if i % 3 == 0 {
            c.qb_spellings.set(Field::BillCity, &format!("City {i}"));
        }
        a.create_customer(&c).unwrap();
        originals.push(a.customer(c.code()).unwrap().unwrap());
    }
    let text = export(&a);
    // Only the QuickBooks spellings in use get a column.
    let header = text.lines().next().unwrap_or("");
    assert!(header.ends_with(",qb_bill_city"), "{header}");
    let mut b = store();
    let report = import(&mut b, &text).unwrap();
    assert_eq!((report.added, report.updated), (TRICKY.len(), 0));
    assert_eq!(b.customers().unwrap(), a.customers().unwrap());
    let mut stored = a.customers().unwrap();
    stored.sort_by(|x, y| x.code().cmp(y.code()));
    assert_eq!(stored, originals);
    // And again: everything unchanged, nothing recorded.
    let again = import(&mut b, &text).unwrap();
    assert_eq!(again.unchanged, TRICKY.len());
    assert_eq!(again.run, None);
}

#[test]
fn exported_cells_never_start_a_formula() {
    let mut s = store();
    for (i, v) in TRICKY.iter().enumerate() {
        let mut c = Customer::new(&format!("C{i:02}"), "Name", CustomerStatus::Active);
        c.data.set(Field::Notes, v);
        c.data.set(Field::CompanyName, v);
        c.data.set(Field::CreditLimit, "-12.50");
        s.create_customer(&c).unwrap();
    }
    let text = export(&s);
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let credit = headers.iter().position(|h| h == "credit_limit").unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        for (i, cell) in record.iter().enumerate() {
            if i == credit {
                // A plain negative number stays a number.
                assert_eq!(cell, "-12.50");
            } else {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "cell {cell:?} would run in a spreadsheet"
                );
            }
        }
    }
}

#[test]
fn neutralise_and_restore_are_exact_inverses() {
    for v in TRICKY
        .iter()
        .copied()
        .chain(["", "'", "''", "'-", "12", "-0.5", "\t=x", "\rx"])
    {
        assert_eq!(restore(&neutralise(v)), v, "{v:?}");
    }
    assert_eq!(neutralise("=1+1"), "'=1+1");
    assert_eq!(neutralise("-12.50"), "-12.50");
    assert_eq!(neutralise("+15550100"), "+15550100");
    assert_eq!(neutralise("-12.50x"), "'-12.50x");
    assert_eq!(neutralise("'Tis"), "'Tis");
}

#[test]
fn the_header_takes_any_order_and_case_and_a_byte_order_mark() {
    let mut s = store();
    let report = import(
        &mut s,
        "\u{feff}Credit_Limit, NAME ,code,Status\n1000,Acme,A1,hold\n,Beta,B1,\n",
    )
    .unwrap();
    assert_eq!(report.added, 2);
    let a = s.customer("A1").unwrap().unwrap();
    assert_eq!(a.name(), "Acme");
    assert_eq!(a.status, CustomerStatus::Hold);
    assert_eq!(a.data.get(Field::CreditLimit), Some("1000.00"));
    let b = s.customer("B1").unwrap().unwrap();
    assert_eq!(b.status, CustomerStatus::Active);
    assert_eq!(b.data.get(Field::CreditLimit), None);
}

#[test]
fn header_problems_are_named() {
    let mut s = store();
    type Expect = fn(&CsvError) -> bool;
    let cases: [(&str, Expect, &str); 4] = [
        (
            "code,name,fax_number\n",
            |e| matches!(e, CsvError::UnknownColumn { name, .. } if name == "fax_number"),
            "unknown column \"fax_number\"",
        ),
        (
            "code,name,Name\n",
            |e| matches!(e, CsvError::DuplicateColumn { .. }),
            "appears twice",
        ),
        (
            "name,phone\nA,1\n",
            |e| matches!(e, CsvError::NoCodeColumn { .. }),
            "no \"code\" column",
        ),
        ("", |e| matches!(e, CsvError::Empty { .. }), "is empty"),
    ];
    for (text, expected, words) in cases {
        let err = import(&mut s, text).unwrap_err();
        assert!(expected(&err), "{text:?}: {err:?}");
        assert!(err.to_string().contains(words), "{err}");
    }
    assert_eq!(s.count_customers().unwrap(), 0);
    assert!(s.runs(10).unwrap().is_empty());
}

#[test]
fn bad_rows_are_reported_with_line_and_column_and_nothing_is_imported() {
    let mut s = store();
    s.create_customer(&Customer::new("EXIST", "Existing", CustomerStatus::Active))
        .unwrap();
    let text = "code,name,status,credit_limit\n\
                OK1,Fine,Active,10\n\
                BAD1,Broken,Active,ten\n\
                BAD2,,Active,\n\
                OK2,\"Quoted\nname\",Active,\n\
                BAD3,Status,Closed,\n\
                ok1,Twice,Active,\n\
                ,No code,Active,\n\
                EXIST,Still fine,Hold,1.234\n";
    let err = import(&mut s, text).unwrap_err();
    let CsvError::Rows { problems, more, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*more, 0);
    let got: Vec<_> = problems
        .iter()
        .map(|p| (p.line, p.column.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (3, Some("credit_limit")),
            (4, Some("name")),
            (5, Some("name")),
            (7, Some("status")),
            (8, Some("code")),
            (9, Some("code")),
            (10, Some("credit_limit")),
        ]
    );
    let msg = err.to_string();
    assert!(
        msg.contains("line 8, column code: code ok1 appears again (first on line 2)"),
        "{msg}"
    );
    assert!(msg.contains("Nothing was imported"));
    assert_eq!(s.count_customers().unwrap(), 1);
    assert_eq!(
        s.customer("EXIST").unwrap().unwrap().status,
        CustomerStatus::Active
    );
    assert!(s.runs(10).unwrap().is_empty());
}

#[test]
fn a_ragged_row_or_foreign_encoding_is_reported_with_its_line() {
    let mut s = store();
    let err = import(&mut s, "code,name\nA,One\nB,Two,extra\n").unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");
    assert!(
        err.to_string().contains("3 cells but the header has 2"),
        "{err}"
    );
    let latin1: &[u8] = b"code,name\nA,\xe9t\xe9\n";
    let err = csv::import(&mut s, latin1, "in.csv", "tester").unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
    assert!(err.to_string().contains("CSV UTF-8"), "{err}");
    assert_eq!(s.count_customers().unwrap(), 0);
}

#[test]
fn existing_codes_are_updated_in_the_columns_the_file_has() {
    let mut s = store();
    let mut c = Customer::new("A1", "Acme", CustomerStatus::Hold);
    c.data.set(Field::Phone, "555-0100");
    c.data.set(Field::Email, "old@acme.test");
    s.create_customer(&c).unwrap();
    let report = import(&mut s, "code,email,fax,status\na1,new@acme.test,,\nB1,,,\n");
    // B1 is new and has no name column: refused, and A1 is not half-updated.
    let err = report.unwrap_err();
    assert!(err.to_string().contains("line 3, column name"), "{err}");
    assert_eq!(s.customer("A1").unwrap().unwrap(), c);

    let report = import(&mut s, "code,email,fax,status\na1,new@acme.test,,\n").unwrap();
    assert_eq!((report.added, report.updated, report.unchanged), (0, 1, 0));
    let a = s.customer("A1").unwrap().unwrap();
    assert_eq!(a.data.get(Field::Email), Some("new@acme.test"));
    assert_eq!(
        a.data.get(Field::Phone),
        Some("555-0100"),
        "not in the file: kept"
    );
    assert_eq!(a.status, CustomerStatus::Hold, "empty status: kept");
    assert_eq!(a.name(), "Acme");

    // The import is a run with the previous values, so it can be undone.
    let run = report.run.unwrap();
    let r = s.run(run).unwrap().unwrap();
    assert_eq!(r.mode, RunMode::CsvImport);
    assert_eq!(r.os_user, "tester");
    let entries = s.run_entries(run).unwrap();
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0].kind, EntryKind::Replaced);
    assert_eq!(entries[0].column, Some(Column::Field(Field::Email)));
    assert_eq!(entries[0].previous.as_deref(), Some("old@acme.test"));
    s.undo_run(run, "tester").unwrap();
    assert_eq!(s.customer("A1").unwrap().unwrap(), c);
}

#[test]
fn a_csv_import_can_be_undone() {
    let mut s = store();
    let report = import(&mut s, "code,name\nN1,New One\nN2,New Two\n").unwrap();
    assert_eq!(report.added, 2);
    let undo = s.undo_run(report.run.unwrap(), "tester").unwrap();
    assert_eq!(undo.removed.len(), 2);
    assert_eq!(s.count_customers().unwrap(), 0);
}

#[test]
fn many_bad_rows_are_summarised() {
    let mut s = store();
    let mut text = String::from("code,name,credit_limit\n");
    for i in 0..50 {
        text.push_str(&format!("C{i},N{i},x\n"));
    }
    let err = import(&mut s, &text).unwrap_err();
    let CsvError::Rows { problems, more, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(problems.len() + more, 50);
    assert!(err.to_string().contains("has 50 bad rows"));
    assert!(err.to_string().contains("and 30 more"));
}

#[test]
fn export_file_replaces_the_file_only_when_complete() {
    let mut s = store();
    s.create_customer(&Customer::new("A1", "Acme", CustomerStatus::Active))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    std::fs::write(&path, "old content").unwrap();
    assert_eq!(csv::export_file(&s, &path).unwrap(), 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("code,name,status,qb_name,"));
    assert!(text.contains("A1,Acme,Active"));
    let err = csv::export_file(&s, &dir.path().join("missing/out.csv")).unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
}
