//! Random sequences of what QuickBooks' users and SMSTurbo's users do — add, rename, edit,
//! re-activate, delete, merge, move under a parent, edit while custsync reads; add, rename and
//! delete SMSTurbo customers — each followed by the scheduled run `custsync serve` makes. After
//! every run: no name, account number or ExternalGUID more often in QuickBooks than before it,
//! the journal is true, and a run that failed succeeds when run again (nothing fails for ever).
//!
//! The suite runs a few dozen sequences (seconds); `PROPTEST_CASES=500 cargo test --test
//! sync_stale_props` runs more by hand.

use crate::stale_support::{EditMidRead, World, set};
use custsync::qb::sandbox::CompanyFile;
use custsync::qbxml::Field;
use custsync::store::{Customer, CustomerStatus, StoreRead};
use proptest::prelude::*;

const NAMES: [&str; 6] = ["Acme", "Baker", "Cobalt", "Delta", "Echo", "Foxglove"];
const CODES: [&str; 6] = ["A1", "B2", "C3", "D4", "E5", "F6"];

/// One thing a user does between two scheduled runs. Indices pick from the pools above (or from
/// the customers that exist, modulo their number).
#[derive(Clone, Debug)]
enum Step {
    // QuickBooks' users.
    QbAdd {
        name: usize,
        code: Option<usize>,
    },
    QbRename {
        who: usize,
        name: usize,
    },
    QbPhone {
        who: usize,
        phone: u16,
    },
    QbActive {
        who: usize,
        active: bool,
    },
    QbDelete {
        who: usize,
    },
    QbMerge {
        from: usize,
        into: usize,
    },
    QbMakeJob {
        who: usize,
        parent: usize,
    },
    /// Edits a customer while the run reads (it is listed twice).
    QbEditMidRead {
        who: usize,
        phone: u16,
    },
    // SMSTurbo's users.
    LocalAdd {
        name: usize,
        code: usize,
    },
    LocalRename {
        who: usize,
        name: usize,
    },
    LocalDelete {
        who: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let i = || 0usize..6;
    prop_oneof![
        (i(), proptest::option::of(i())).prop_map(|(name, code)| Step::QbAdd { name, code }),
        (i(), i()).prop_map(|(who, name)| Step::QbRename { who, name }),
        (i(), any::<u16>()).prop_map(|(who, phone)| Step::QbPhone { who, phone }),
        (i(), any::<bool>()).prop_map(|(who, active)| Step::QbActive { who, active }),
        i().prop_map(|who| Step::QbDelete { who }),
        (i(), i()).prop_map(|(from, into)| Step::QbMerge { from, into }),
        (i(), i()).prop_map(|(who, parent)| Step::QbMakeJob { who, parent }),
        (i(), any::<u16>()).prop_map(|(who, phone)| Step::QbEditMidRead { who, phone }),
        (i(), i()).prop_map(|(name, code)| Step::LocalAdd { name, code }),
        (i(), i()).prop_map(|(who, name)| Step::LocalRename { who, name }),
        i().prop_map(|who| Step::LocalDelete { who }),
    ]
}

/// The FullName of the `who`th QuickBooks customer or job, if there is one.
fn qb_pick(w: &World, who: usize) -> Option<String> {
    let all = w.qb_all();
    (!all.is_empty()).then(|| {
        let c = &all[who % all.len()];
        c.full_name
            .clone()
            .unwrap_or_else(|| c.data.get(Field::Name).unwrap_or("").to_string())
    })
}

fn local_pick(w: &World, who: usize) -> Option<Customer> {
    let all = w.store().customers().expect("customers");
    (!all.is_empty()).then(|| all[who % all.len()].clone())
}

/// Does `step`; QuickBooks and SMSTurbo refuse some (a name taken, a merge of two customers
/// with jobs…), as they would refuse their users: those change nothing. Returns the edit to
/// make while the next run reads, if the step is one.
fn apply(w: &World, step: &Step) -> Option<(String, u16)> {
    let mut file = w.file();
    match *step {
        Step::QbAdd { name, code } => {
            let mut fields = Vec::new();
            if let Some(c) = code {
                fields.push((Field::AccountNumber, CODES[c]));
            }
            if w.qb_named(NAMES[name]).is_empty() {
                w.qb_customer(NAMES[name], &fields);
            }
        }
        Step::QbRename { who, name } => {
            if let Some(n) = qb_pick(w, who) {
                let _ = file.edit_customer(&n, &set(&[&format!("Name={} Ltd", NAMES[name])]));
            }
        }
        Step::QbPhone { who, phone } => {
            if let Some(n) = qb_pick(w, who) {
                let _ = file.edit_customer(&n, &set(&[&format!("Phone={phone}")]));
            }
        }
        Step::QbActive { who, active } => {
            if let Some(n) = qb_pick(w, who) {
                let _ = file.edit_customer(&n, &set(&[&format!("IsActive={active}")]));
            }
        }
        Step::QbDelete { who } => {
            if let Some(n) = qb_pick(w, who) {
                let _ = file.delete_customer(&n);
            }
        }
        Step::QbMerge { from, into } => {
            if let (Some(a), Some(b)) = (qb_pick(w, from), qb_pick(w, into))
                && a != b
            {
                let _ = file.merge_customers(&a, &b);
            }
        }
        Step::QbMakeJob { who, parent } => {
            if let (Some(a), Some(b)) = (qb_pick(w, who), qb_pick(w, parent))
                && a != b
            {
                let _ = file.make_job(&a, &b);
            }
        }
        Step::QbEditMidRead { who, phone } => return qb_pick(w, who).map(|n| (n, phone)),
        Step::LocalAdd { name, code } => {
            let _ = w.store().create_customer(&Customer::new(
                CODES[code],
                NAMES[name],
                CustomerStatus::Active,
            ));
        }
        Step::LocalRename { who, name } => {
            if let Some(mut c) = local_pick(w, who) {
                let code = c.code().to_string();
                c.data.set(Field::Name, format!("{} & Co", NAMES[name]));
                let _ = w.store().update_customer(&code, &c);
            }
        }
        Step::LocalDelete { who } => {
            if let Some(c) = local_pick(w, who) {
                let _ = w.store().delete_customer(c.code());
            }
        }
    }
    None
}

/// One scheduled run, checked; a failed one must succeed when run again at once.
fn scheduled_run(w: &World, mid_read: Option<(String, u16)>, what: &str) {
    let before = w.before();
    let result = match mid_read {
        Some((name, phone)) => w.scheduled_over(&mut EditMidRead::new(
            &w.company,
            move |file: &mut CompanyFile| {
                let _ = file.edit_customer(&name, &set(&[&format!("Phone={phone}")]));
            },
        )),
        None => w.scheduled(),
    };
    w.check_step(&before, &format!("{what}: {result:?}"));
    if let Err(e) = result {
        let before = w.before();
        let again = w.scheduled();
        w.check_step(&before, &format!("{what}, run again: {again:?}"));
        assert!(
            again.is_ok(),
            "{what}: failed ({}) and failed again: {again:?}",
            e.explanation()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        // Each case is a few dozen synchronizations; shrinking a failure still terminates.
        max_shrink_iters: 64,
        .. ProptestConfig::default()
    })]

    #[test]
    fn users_on_both_sides_never_make_a_scheduled_run_duplicate_or_fail_for_ever(
        steps in proptest::collection::vec(step(), 1..10)
    ) {
        let w = World::new();
        // A start both sides share: some customers exported and linked, some imported.
        for (k, name) in NAMES.iter().take(3).enumerate() {
            w.local(CODES[k], name, &[]);
        }
        w.qb_customer("Echo", &[(Field::AccountNumber, "E5")]);
        scheduled_run(&w, None, "first run");
        for (n, s) in steps.iter().enumerate() {
            let mid_read = apply(&w, s);
            scheduled_run(&w, mid_read, &format!("step {n} {s:?}"));
        }
    }
}
