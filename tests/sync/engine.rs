//! The seed's scenarios through the sync core's public API, against the sandbox QuickBooks.

use std::path::PathBuf;

use custsync::config::Config;
use custsync::qb::NoPrompt;
use custsync::qb::sandbox::{AppPrefs, CompanyFile, Grant, SandboxConnection};
use custsync::qbxml::{
    CustomerAdd, CustomerData, CustomerRet, Field, ListAdd, NameList, RequestBody,
};
use custsync::store::{Customer, CustomerStatus, EntryKind, Store, StoreRead};
use custsync::sync::problems::{self, Problem};
use custsync::sync::{
    ApplyOptions, Mode, NoProgress, Planned, ReplaceGroup, Selection, SyncEngine, SyncError,
};

struct World {
    _dir: tempfile::TempDir,
    company: PathBuf,
    store: Store,
    config: Config,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let company = dir.path().join("Test Co.QBW");
        let file = CompanyFile::create(&company, "Test Co").unwrap();
        let mut prefs = AppPrefs::new(custsync::qb::APP_NAME);
        prefs.grant = Grant::WhenOpen;
        file.set_app_prefs(&prefs).unwrap();
        file.set_open_in_quickbooks(true).unwrap();
        let store = Store::open(dir.path().join("custsync.db")).unwrap();
        let config = Config {
            company_file: company.display().to_string(),
            ..Config::default()
        };
        World {
            _dir: dir,
            company,
            store,
            config,
        }
    }

    fn local(&mut self, code: &str, name: &str, status: CustomerStatus, fields: &[(Field, &str)]) {
        let mut c = Customer::new(code, name, status);
        for (f, v) in fields {
            c.data.set(*f, v);
        }
        self.store.create_customer(&c).unwrap();
    }

    /// Sends raw requests to the sandbox company, as QuickBooks' own user would make changes.
    fn qb_requests(&self, bodies: Vec<RequestBody>) -> Vec<custsync::qbxml::Response> {
        custsync::testkit::sandbox_requests(&self.company, bodies)
    }

    fn qb_customer(&self, name: &str, fields: &[(Field, &str)], active: bool) {
        let mut data = CustomerData::new().with(Field::Name, name);
        for (f, v) in fields {
            data.set(*f, v);
        }
        self.qb_requests(vec![RequestBody::CustomerAdd(Box::new(CustomerAdd {
            data,
            is_active: Some(active),
            ..Default::default()
        }))]);
    }

    fn qb_type(&self, name: &str) {
        self.qb_requests(vec![RequestBody::CustomerTypeAdd(ListAdd {
            name: name.into(),
            ..Default::default()
        })]);
    }

    fn qb_all(&self) -> Vec<CustomerRet> {
        custsync::testkit::sandbox_customers(&self.company)
    }

    fn qb_named(&self, name: &str) -> Vec<CustomerRet> {
        custsync::testkit::sandbox_customers_named(&self.company, name)
    }

    fn engine(&self) -> SyncEngine<'static> {
        SyncEngine::connect(
            SandboxConnection::new(&self.company),
            &mut NoPrompt,
            self.config.clone(),
            None,
        )
        .unwrap()
    }

    /// Connects, loads and plans.
    fn planned(&mut self, mode: Mode) -> Planned<'static> {
        let e = self.engine();
        let loaded = e.load(&mut self.store, &mut NoProgress).unwrap();
        loaded.plan(mode, &mut NoProgress).unwrap()
    }
}

fn export_codes(e: &Planned<'_>) -> Vec<String> {
    let s = e.snapshot();
    e.plan()
        .exports
        .iter()
        .map(|r| s.locals[r.local].code().to_string())
        .collect()
}

fn import_names(e: &Planned<'_>) -> Vec<String> {
    e.plan()
        .imports
        .iter()
        .map(|r| r.customer.name().to_string())
        .collect()
}

fn import_ids(e: &Planned<'_>) -> Vec<String> {
    let s = e.snapshot();
    e.plan()
        .imports
        .iter()
        .map(|r| s.qb[r.qb].list_id.clone())
        .collect()
}

/// Applies the plan with the export rows of `codes` checked.
fn apply_exports(
    e: Planned<'_>,
    store: &mut Store,
    codes: &[&str],
) -> Result<custsync::sync::RunReport, SyncError> {
    let selection = Selection {
        exports: codes.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    };
    e.apply(store, &selection, &ApplyOptions::default(), &mut NoProgress)
}

/// The seed's "Show Missing Customers Only? Yes" flow, with the include-types filter.
#[test]
fn missing_only_exports_imports_links_and_a_second_run_finds_nothing() {
    let mut w = World::new();
    w.qb_type("Retail");
    w.qb_type("Wholesale");
    w.local(
        "A100",
        "Alpha Shop",
        CustomerStatus::Active,
        &[(Field::Phone, "555-0100")],
    );
    w.local("B200", "Beta Books", CustomerStatus::Inactive, &[]);
    w.local("C300", "Gamma Garden", CustomerStatus::Prospect, &[]);
    w.qb_customer("gamma garden", &[], true);
    w.qb_customer(
        "Delta Diner",
        &[
            (Field::CustomerType, "Retail"),
            (Field::AccountNumber, "D400"),
        ],
        true,
    );
    w.qb_customer("Echo Engines", &[(Field::CustomerType, "Wholesale")], true);
    w.config.import.include_customer_types = vec!["Retail".into()];

    let e = w.planned(Mode::MissingOnly);
    assert_eq!(export_codes(&e), vec!["A100", "B200"]);
    assert_eq!(
        import_names(&e),
        vec!["Delta Diner"],
        "Echo is not a Retail customer"
    );
    assert!(e.plan().pairs.is_empty());
    let selection = Selection {
        exports: vec!["A100".into(), "B200".into()],
        imports: import_ids(&e),
        pairs: vec![],
        ..Default::default()
    };
    let report = e
        .apply(
            &mut w.store,
            &selection,
            &ApplyOptions::default(),
            &mut NoProgress,
        )
        .unwrap();
    assert_eq!((report.added, report.imported), (2, 1), "{report:?}");
    assert!(report.failures.is_empty());
    assert_eq!(
        report.linked, 1,
        "Gamma was matched by name and is now linked"
    );
    // QuickBooks has each exported customer once, with its fields and status.
    let alpha = w.qb_named("Alpha Shop");
    assert_eq!(alpha.len(), 1);
    assert_eq!(alpha[0].data.get(Field::Phone), Some("555-0100"));
    assert_eq!(alpha[0].data.get(Field::AccountNumber), Some("A100"));
    assert!(alpha[0].external_guid.is_some());
    assert!(!w.qb_named("Beta Books")[0].is_active());
    // SMSTurbo has Delta, under QuickBooks' account number.
    let delta = w.store.customer("D400").unwrap().unwrap();
    assert_eq!(delta.name(), "Delta Diner");
    assert_eq!(delta.data.get(Field::CustomerType), Some("Retail"));
    // Links.
    let links = w.store.links(&w.config.company_file).unwrap();
    let linked: Vec<&str> = links.iter().map(|l| l.code.as_str()).collect();
    for code in ["A100", "B200", "C300", "D400"] {
        assert!(linked.contains(&code), "{code} not linked: {linked:?}");
    }
    // The journal tells what happened.
    let entries = w.store.run_entries(report.run.unwrap()).unwrap();
    let kinds = |k: EntryKind| entries.iter().filter(|e| e.kind == k).count();
    assert_eq!(
        (
            kinds(EntryKind::Exported),
            kinds(EntryKind::Imported),
            kinds(EntryKind::Linked)
        ),
        (2, 1, 1)
    );

    // A second run right after finds nothing to do.
    let e = w.planned(Mode::MissingOnly);
    assert!(export_codes(&e).is_empty(), "{:?}", export_codes(&e));
    assert!(import_names(&e).is_empty());
}

#[test]
fn inactive_customers_are_not_offered_when_inactive_is_unchecked() {
    let mut w = World::new();
    w.local("A1", "Active One", CustomerStatus::Active, &[]);
    w.local("H1", "Held One", CustomerStatus::Hold, &[]);
    w.local("I1", "Idle One", CustomerStatus::Inactive, &[]);
    w.config.export.statuses.remove(&CustomerStatus::Inactive);
    let e = w.planned(Mode::MissingOnly);
    assert_eq!(export_codes(&e), vec!["A1", "H1"]);
    let err = e
        .apply(
            &mut w.store,
            &Selection {
                exports: vec!["I1".into()],
                ..Default::default()
            },
            &ApplyOptions::default(),
            &mut NoProgress,
        )
        .unwrap_err();
    assert!(matches!(err, SyncError::Selection(_)), "{err}");
    assert!(w.qb_all().is_empty(), "nothing was sent");
}

#[test]
fn export_defaults_are_set_and_missing_types_need_consent() {
    let mut w = World::new();
    w.qb_type("Retail");
    w.local("A1", "Alpha", CustomerStatus::Active, &[]);
    w.local(
        "W1",
        "Wholesaler",
        CustomerStatus::Active,
        &[(Field::CustomerType, "Retail")],
    );
    w.config.export.customer_type = Some("Web".into());
    w.config.export.default_type_for = custsync::config::DefaultTypeFor::WithoutType;
    w.config.export.job_type = Some("Install".into());
    let e = w.planned(Mode::MissingOnly);
    let sel = Selection {
        exports: vec!["A1".into(), "W1".into()],
        ..Default::default()
    };
    let err = e
        .apply(
            &mut w.store,
            &sel,
            &ApplyOptions::default(),
            &mut NoProgress,
        )
        .unwrap_err();
    assert!(
        matches!(err, SyncError::MissingTypes(ref t) if t.len() == 2),
        "{err}"
    );
    assert!(w.qb_all().is_empty(), "refused before anything was sent");

    let e = w.planned(Mode::MissingOnly);
    let report = e
        .apply(
            &mut w.store,
            &sel,
            &ApplyOptions {
                add_missing_types: true,
            },
            &mut NoProgress,
        )
        .unwrap();
    assert_eq!(report.added, 2, "{report:?}");
    assert_eq!(report.types_added.len(), 2);
    let alpha = &w.qb_named("Alpha")[0];
    assert_eq!(alpha.data.get(Field::CustomerType), Some("Web"));
    assert_eq!(alpha.job_type.as_deref(), Some("Install"));
    let wholesaler = &w.qb_named("Wholesaler")[0];
    assert_eq!(
        wholesaler.data.get(Field::CustomerType),
        Some("Retail"),
        "its own type wins when SetUp says so"
    );
    assert_eq!(wholesaler.job_type.as_deref(), Some("Install"));
}

/// Every Replace Options group copies exactly its own fields, and nothing else.
#[test]
fn each_replace_group_copies_exactly_its_fields() {
    for group in ReplaceGroup::ALL {
        let mut w = World::new();
        w.qb_type("Old");
        w.qb_type("New");
        let local_values: Vec<(Field, String)> = Field::ALL
            .iter()
            .filter(|f| !matches!(f, Field::Name | Field::AccountNumber))
            .map(|&f| (f, value_for(f, "1")))
            .collect();
        let qb_values: Vec<(Field, String)> = local_values
            .iter()
            .map(|(f, _)| (*f, value_for(*f, "2")))
            .collect();
        let lv: Vec<(Field, &str)> = local_values.iter().map(|(f, v)| (*f, v.as_str())).collect();
        w.local("P1", "Pair One", CustomerStatus::Hold, &lv);
        let mut qv: Vec<(Field, &str)> = qb_values.iter().map(|(f, v)| (*f, v.as_str())).collect();
        qv.push((Field::AccountNumber, "P1"));
        w.qb_customer("Pair One", &qv, false);
        w.config.replace.groups = [group].into_iter().collect();

        let e = w.planned(Mode::NotExactMatch);
        let plan = e.plan();
        assert_eq!(plan.pairs.len(), 1, "{group:?}");
        let report = e
            .apply(
                &mut w.store,
                &Selection {
                    pairs: vec!["P1".into()],
                    ..Default::default()
                },
                &ApplyOptions::default(),
                &mut NoProgress,
            )
            .unwrap();
        let after = w.store.customer("P1").unwrap().unwrap();
        for (f, local) in &local_values {
            let expected = if ReplaceGroup::of(*f) == Some(group) {
                value_for(*f, "2")
            } else {
                local.clone()
            };
            let expected = Some(expected.as_str()).filter(|v| !v.is_empty());
            assert_eq!(after.data.get(*f), expected, "{group:?} / {f:?}");
        }
        let expected_status = if group == ReplaceGroup::ActiveStatus {
            CustomerStatus::Inactive
        } else {
            CustomerStatus::Hold
        };
        assert_eq!(after.status, expected_status, "{group:?}");
        // The sandbox has no sales reps, so that group has no differing value to copy.
        let expected = if group == ReplaceGroup::ActiveStatus {
            1
        } else {
            group.fields().filter(|f| *f != Field::SalesRep).count()
        };
        assert_eq!(report.values_changed, expected, "{group:?}");
        assert_eq!(report.updated, usize::from(expected > 0), "{group:?}");
    }
}

/// A distinct, valid value per field (types must exist in the company; amounts must be amounts).
fn value_for(f: Field, variant: &str) -> String {
    match f {
        Field::CreditLimit => format!("{variant}000.00"),
        Field::CustomerType => if variant == "1" { "Old" } else { "New" }.into(),
        Field::Terms => if variant == "1" { "Net 30" } else { "Net 15" }.into(),
        Field::SalesTaxCode => if variant == "1" { "Tax" } else { "Non" }.into(),
        Field::SalesRep => String::new(),
        Field::Email => format!("x{variant}@example.com"),
        _ => {
            let key = f.key().replace('_', "");
            let take = key.len().min(10).min(f.max_len().unwrap_or(10) - 1);
            format!("{}{variant}", &key[..take])
        }
    }
}

/// A QuickBooks (or something posing as one behind the Web Connector) that answers with a
/// 10,000-character customer name: the import row gets a problem naming SMSTurbo's limit, and
/// the customer is not imported.
#[test]
fn an_overlong_name_from_quickbooks_is_a_problem_on_the_import_row() {
    struct Lengthens(SandboxConnection);
    impl custsync::qb::Connection for Lengthens {
        fn kind(&self) -> custsync::qb::ConnectionKind {
            self.0.kind()
        }
        fn open(
            &mut self,
            p: &mut dyn custsync::qb::AccessPrompt,
        ) -> Result<custsync::qb::SessionInfo, custsync::qb::QbError> {
            self.0.open(p)
        }
        fn process(&mut self, request: &str) -> Result<String, custsync::qb::QbError> {
            let long = format!("<Name>{}</Name>", "Z".repeat(10_000));
            Ok(self
                .0
                .process(request)?
                .replace("<Name>Long Name Co</Name>", &long))
        }
        fn close(&mut self) {
            self.0.close()
        }
    }
    let mut w = World::new();
    w.qb_customer("Long Name Co", &[], true);
    w.qb_customer("Fine Co", &[], true);
    let e = SyncEngine::connect(
        Lengthens(SandboxConnection::new(&w.company)),
        &mut NoPrompt,
        w.config.clone(),
        None,
    )
    .unwrap();
    let loaded = e.load(&mut w.store, &mut NoProgress).unwrap();
    let e = loaded.plan(Mode::MissingOnly, &mut NoProgress).unwrap();
    let plan = e.plan();
    let long = plan
        .imports
        .iter()
        .find(|r| r.customer.name().len() == 10_000)
        .expect("the long name is listed");
    let said = problems::joined(&long.problems);
    assert!(
        said.contains("10000 characters") && said.contains("41"),
        "{said}"
    );
    assert!(
        plan.imports
            .iter()
            .any(|r| r.customer.name() == "Fine Co" && r.problems.is_empty())
    );
    let selection = Selection {
        imports: plan
            .imports
            .iter()
            .map(|r| e.snapshot().qb[r.qb].list_id.clone())
            .collect(),
        ..Default::default()
    };
    let report = e.apply(
        &mut w.store,
        &selection,
        &ApplyOptions::default(),
        &mut NoProgress,
    );
    assert!(report.is_err(), "a row with a problem cannot be imported");
    assert!(
        w.store
            .customers()
            .unwrap()
            .iter()
            .all(|c| c.name().len() < 100)
    );
}

/// Two workspaces export the same customer to one company: the one that loses is told the truth
/// (the other added it; synchronizing again links them), not to rename it, which would make a
/// duplicate.
#[test]
fn losing_an_export_race_says_synchronize_again_not_rename() {
    let mut w = World::new();
    w.local("AC1", "Acme Supply", CustomerStatus::Active, &[]);
    let e = w.planned(Mode::MissingOnly);
    assert_eq!(export_codes(&e), ["AC1"]);
    // The other workspace adds it between this one's plan and its export.
    w.qb_customer("Acme Supply", &[], true);
    let report = apply_exports(e, &mut w.store, &["AC1"]).unwrap();
    let failure = &report.failures[0];
    let said = failure.explanation.one_line();
    assert!(!said.contains("rename"), "{said}");
    assert!(said.contains("added it meanwhile"), "{said}");
    assert!(said.contains("Synchronize again"), "{said}");
    assert_eq!(w.qb_named("Acme Supply").len(), 1);
}

#[test]
fn a_name_held_by_a_vendor_blocks_the_export_and_says_why() {
    let mut w = World::new();
    {
        let mut file = CompanyFile::open(&w.company).unwrap();
        file.add_name(NameList::Vendor, "ACME Supply", true)
            .unwrap();
    }
    w.local("AC1", "Acme Supply", CustomerStatus::Active, &[]);
    let e = w.planned(Mode::MissingOnly);
    let row = &e.plan().exports[0];
    assert!(
        row.problems.iter().any(|p| matches!(
            p,
            Problem::NameTaken {
                list: NameList::Vendor,
                ..
            }
        )),
        "{:?}",
        row.problems
    );
    let err = e
        .apply(
            &mut w.store,
            &Selection {
                exports: vec!["AC1".into()],
                ..Default::default()
            },
            &ApplyOptions::default(),
            &mut NoProgress,
        )
        .unwrap_err();
    assert!(err.to_string().contains("vendor"), "{err}");
    assert!(w.qb_named("Acme Supply").is_empty());
}

/// A plan can be made again in the other mode, and a planned engine can go back to read both
/// sides again on the same session.
#[test]
fn a_plan_is_made_again_in_the_other_mode_and_both_sides_read_again() {
    let mut w = World::new();
    w.local(
        "P1",
        "Pair One",
        CustomerStatus::Active,
        &[(Field::Phone, "555-0001")],
    );
    w.qb_customer(
        "Pair One",
        &[(Field::AccountNumber, "P1"), (Field::Phone, "555-0002")],
        true,
    );
    let e = w.planned(Mode::MissingOnly);
    assert!(e.plan().pairs.is_empty());
    let e = e.replan(Mode::NotExactMatch, &mut NoProgress).unwrap();
    assert_eq!(e.plan().pairs.len(), 1, "{:?}", e.plan());
    w.qb_customer("New Co", &[], true);
    let loaded = e.unload().load(&mut w.store, &mut NoProgress).unwrap();
    let names: Vec<_> = loaded
        .snapshot()
        .qb
        .iter()
        .filter_map(|c| c.data.get(Field::Name))
        .collect();
    assert!(names.contains(&"New Co"), "{names:?}");
}
