//! `custsync sync`: the synchronization without the full-screen interface, for scripts and
//! schedules. Nothing is selected unless asked for: `--export`, `--import`, `--replace` take
//! `all`, `none` or a comma-separated list; `--dry-run` only prints the plan.

use std::io::Write;

use color_eyre::eyre::eyre;
use serde_json::{Value, json};

use crate::config::Config;
use crate::qb::NoPrompt;
use crate::qb::connect;
use crate::qb::explain::Explanation;
use crate::qb::trace::Trace;
use crate::qbxml::{CustomerData, Field};
use crate::store::Workspace;
use crate::sync::plan::{Mode, Plan};
use crate::sync::{
    ApplyOptions, Phase, Progress, ReadKind, ReadRequest, ReadSummary, RunReport, Selection,
    Snapshot, SyncEngine, SyncError,
};

use super::{Globals, Outcome};

pub(super) mod rows;

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    /// List only missing customers (no not-in-sync pairs), as "Show Missing Customers Only? Yes"
    #[arg(long)]
    missing_only: bool,
    /// SMSTurbo customers to add to QuickBooks: all, none, or codes (C100,C200)
    #[arg(long, value_name = "all|none|CODE,…", default_value = "none")]
    export: Choice,
    /// QuickBooks customers to import into SMSTurbo: all, none, or names
    #[arg(long, value_name = "all|none|NAME,…", default_value = "none")]
    import: Choice,
    /// Not-in-sync customers to update from QuickBooks (Replace Options): all, none, or codes
    #[arg(long, value_name = "all|none|CODE,…", default_value = "none")]
    replace: Choice,
    /// Add these customers to QuickBooks although QuickBooks changed their link underneath (its
    /// customer deleted, merged away or made a job), they are kept local only, or they look like
    /// a QuickBooks customer (the plan's likely duplicates). QuickBooks may then hold the
    /// customer twice: check the plan's rows first. Never part of `all`
    #[arg(long, value_name = "CODE,…", value_delimiter = ',')]
    export_anyway: Vec<String>,
    /// Import these QuickBooks customers (names as QuickBooks shows them, or ListIDs) although
    /// they look like an SMSTurbo customer (the plan's likely duplicates): you say they are
    /// another customer. Never part of `all`. A name with a comma in it: give its ListID
    #[arg(long, value_name = "NAME,…", value_delimiter = ',')]
    import_anyway: Vec<String>,
    /// Add the export default Customer Type / Customer Job to QuickBooks if it lacks them
    #[arg(long)]
    add_missing_types: bool,
    /// Print the plan and change nothing
    #[arg(long)]
    dry_run: bool,
    /// Read every QuickBooks customer, not only what changed since the last synchronization
    #[arg(long)]
    full: bool,
    /// Print the plan and the result as JSON
    #[arg(long)]
    json: bool,
}

/// `all`, `none` or a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    All,
    None,
    Some(Vec<String>),
}

impl std::str::FromStr for Choice {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "all" => Ok(Choice::All),
            "none" | "" => Ok(Choice::None),
            list => {
                let items: Vec<String> = list
                    .split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect();
                if items.is_empty() {
                    Err("give all, none, or a comma-separated list".into())
                } else {
                    Ok(Choice::Some(items))
                }
            }
        }
    }
}

/// What a command that talks to QuickBooks opens: the workspace (held while it lives), its setup
/// and database, and the engine connected to the company the setup names.
pub(super) struct Connected {
    _workspace: Workspace,
    pub config: Config,
    pub store: crate::store::Store,
    pub engine: SyncEngine<'static>,
    /// The sandbox company file, when the setup names one (its errors show the sandbox fix).
    sandbox_file: Option<std::path::PathBuf>,
}

impl Connected {
    pub(super) fn open(g: &Globals) -> color_eyre::Result<Connected> {
        let workspace = Workspace::open(g.workspace.as_deref())?;
        let config = workspace.load_config()?;
        // Checked beside connecting and reading: nothing is written or planned before the
        // check has passed (`Store::begin`, `SyncEngine::load`).
        let store = workspace.open_store_checking_aside()?;
        let conn = connect::from_options(config.connect_options(), workspace.dir())?;
        let trace = match &g.trace {
            Some(dir) => Some(Trace::open(dir)?),
            None => None,
        };
        let sandbox_file = (config.connection.kind == crate::config::ConnectionKind::Sandbox)
            .then(|| std::path::PathBuf::from(&config.company_file));
        let engine = SyncEngine::connect(conn, &mut NoPrompt, config.clone(), trace)
            .map_err(|e| explained(e, sandbox_file.as_deref()))?;
        Ok(Connected {
            _workspace: workspace,
            config,
            store,
            engine,
            sandbox_file,
        })
    }

    /// A sync error as one readable report, with the sandbox's fix where there is one.
    pub(super) fn explain(&self, e: SyncError) -> color_eyre::Report {
        explained(e, self.sandbox_file.as_deref())
    }
}

pub fn run(args: SyncArgs, g: &Globals) -> color_eyre::Result<Outcome> {
    let Connected {
        _workspace,
        config,
        mut store,
        engine,
        sandbox_file,
    } = Connected::open(g)?;
    let mut progress = Stderr::new(args.json);
    let explained = |e: SyncError| explained(e, sandbox_file.as_deref());
    let company = engine.company().clone();
    if !args.json {
        outln!(
            "Company: {} — {}\n         {}, qbXML {}, {} customers",
            company.name,
            company.file,
            company.product,
            company.qbxml_version,
            company.customer_count
        );
    }
    let request = if args.full {
        ReadRequest::All
    } else {
        ReadRequest::Changes
    };
    let loaded = engine
        .load_with(&mut store, request, &mut progress)
        .map_err(explained)?;
    if !args.json {
        outln!("QuickBooks: {}", loaded.read_summary());
    }
    if let Some(r) = Some(loaded.recovery()).filter(|r| r.batches > 0)
        && !args.json
    {
        outln!(
            "Settled {} batch(es) an earlier run left unfinished: {} added, {} refused, {} not sent \
             (offered again below).",
            r.batches,
            r.added,
            r.failed,
            r.not_applied
        );
    }
    let mode = if args.missing_only {
        Mode::MissingOnly
    } else {
        Mode::NotExactMatch
    };
    let planned = loaded.plan(mode, &mut progress).map_err(explained)?;
    let (snapshot, plan) = (planned.snapshot(), planned.plan());
    let selection = select(&args, plan, snapshot)?;
    // JSON goes out as it is made (a plan of 100,000 rows as one value would cost more memory
    // than both customer lists); stdout stays one valid document whatever happens after.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        write!(
            out,
            "{{\"company\":{},\"read\":{},\"plan\":",
            company_json(&company),
            read_json(planned.read_summary())
        )?;
        write_plan_json(&mut out, plan, snapshot, &config)?;
    } else {
        print_plan(plan, snapshot, &config, args.add_missing_types);
        print_left_out(&args, plan);
    }
    if args.dry_run || selection.is_empty() {
        if args.json {
            writeln!(out, ",\"dry_run\":true}}")?;
        } else if selection.is_empty() && !args.dry_run {
            outln!(
                "\nNothing selected: choose with --export, --import and --replace (all, none or a \
                 list). Nothing was changed."
            );
        } else {
            outln!("\nDry run: nothing was changed.");
        }
        out.flush()?;
        // The command ends here, and the operating system takes its memory back at once:
        // freeing both sides' customers and the plan one allocation at a time would cost some
        // 50 ms at 100,000 + 100,000. The session still closes.
        std::mem::forget(planned.close());
        return Ok(Outcome::Done);
    }
    out.flush()?;
    let applied = planned.apply(
        &mut store,
        &selection,
        &ApplyOptions {
            add_missing_types: args.add_missing_types,
        },
        &mut progress,
    );
    let report = match applied {
        Ok(report) => report,
        Err(e) => {
            if args.json {
                let x = e.explanation();
                let done = match &e {
                    SyncError::Stopped { report, .. } => report_json(report),
                    _ => Value::Null,
                };
                writeln!(
                    out,
                    ",\"error\":{}}}",
                    json!({ "code": x.code, "title": x.title, "message": x.what_happened, "next_step": x.next_step, "done_before": done })
                )?;
            }
            return Err(explained(e));
        }
    };
    if args.json {
        writeln!(out, ",\"result\":{}}}", report_json(&report))?;
    } else {
        print_report(&report);
    }
    Ok(match report.outcome() {
        crate::store::RunOutcome::Done => Outcome::Done,
        crate::store::RunOutcome::NothingDone => Outcome::NothingDone,
        _ => Outcome::Partial,
    })
}

/// A sync error as one readable report: what happened, then what to do (and, for the sandbox,
/// the command that does what QuickBooks' fix would).
pub(super) fn explained(
    e: SyncError,
    sandbox_file: Option<&std::path::Path>,
) -> color_eyre::Report {
    eyre!(describe(&e.explanation(), sandbox_file))
}

fn describe(x: &Explanation, sandbox_file: Option<&std::path::Path>) -> String {
    let mut s = format!("{}: {}\n  next: {}", x.title, x.what_happened, x.next_step);
    if let Some(fix) = sandbox_file.and_then(|f| x.sandbox_fix_for(f)) {
        s.push_str(&format!("\n  sandbox: {fix}"));
    }
    s
}

/// Resolves `--export/--import/--replace` against the plan. `all` takes every row without
/// problems; a listed key that isn't on offer is left for the engine to refuse with its reason.
fn select(args: &SyncArgs, plan: &Plan, snapshot: &Snapshot) -> color_eyre::Result<Selection> {
    let exports = match &args.export {
        Choice::All => plan
            .exportable(&snapshot.locals)
            .map(str::to_string)
            .collect(),
        Choice::None => Vec::new(),
        Choice::Some(codes) => codes.clone(),
    };
    let imports = match &args.import {
        Choice::All => plan.importable(&snapshot.qb).map(str::to_string).collect(),
        Choice::None => Vec::new(),
        Choice::Some(names) => import_ids("--import", names, plan, snapshot)?,
    };
    let pairs = match &args.replace {
        Choice::All => plan
            .replaceable(&snapshot.locals)
            .map(str::to_string)
            .collect(),
        Choice::None => Vec::new(),
        Choice::Some(codes) => codes.clone(),
    };
    Ok(Selection {
        exports,
        imports,
        pairs,
        export_anyway: args
            .export_anyway
            .iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect(),
        import_anyway: import_ids("--import-anyway", &args.import_anyway, plan, snapshot)?,
    })
}

/// The ListIDs of the import candidates `names` names (as QuickBooks names them, any case, or
/// by ListID). A name no candidate has, or several have, is refused before anything is done.
fn import_ids(
    flag: &str,
    names: &[String],
    plan: &Plan,
    snapshot: &Snapshot,
) -> color_eyre::Result<Vec<String>> {
    let mut ids = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let found: Vec<&str> = plan
            .imports
            .iter()
            .map(|r| &snapshot.qb[r.qb])
            .filter(|qb| {
                qb.data
                    .get(Field::Name)
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case(name))
                    || qb.list_id == name
            })
            .map(|qb| qb.list_id.as_str())
            .collect();
        match found[..] {
            [id] => ids.push(id.to_string()),
            [] => {
                return Err(eyre!(
                    "{flag}: \"{name}\" is not a QuickBooks customer missing from SMSTurbo (run \
                     with --dry-run to see the candidates). Nothing was changed."
                ));
            }
            _ => {
                return Err(eyre!(
                    "{flag}: several QuickBooks customers are named \"{name}\"; give their \
                     ListIDs instead (see --dry-run --json). Nothing was changed."
                ));
            }
        }
    }
    Ok(ids)
}

fn print_plan(plan: &Plan, s: &Snapshot, config: &Config, add_missing_types: bool) {
    let mode = match plan.mode {
        Mode::MissingOnly => "missing customers only",
        Mode::NotExactMatch => "every customer that is not an exact match",
    };
    outln!("\nPlan ({mode}):");
    let (ok, blocked): (Vec<_>, Vec<_>) = plan.exports.iter().partition(|r| r.problems.is_empty());
    let (ok, alike): (Vec<_>, Vec<_>) = ok.into_iter().partition(|r| r.likely.is_empty());
    section("Can be added to QuickBooks", ok.len());
    for r in &ok {
        let c = &s.locals[r.local];
        outln!(
            "    {:<10} {}",
            c.code(),
            r.add.data.get(Field::Name).unwrap_or("")
        );
    }
    section(
        "Look like a QuickBooks customer: added only if you say so",
        alike.len(),
    );
    for r in &alike {
        let c = &s.locals[r.local];
        outln!("    {:<10} {}", c.code(), c.name());
        for d in &r.likely {
            outln!("               ≈ {}", d.looks_like(&s.qb));
            outln!(
                "                 the same customer? custsync link {} {}",
                c.code(),
                s.qb[d.other].list_id
            );
        }
        outln!(
            "               not the same? add it anyway: --export-anyway {}",
            c.code()
        );
    }
    section("Cannot be added until fixed", blocked.len());
    for r in &blocked {
        let c = &s.locals[r.local];
        outln!("    {:<10} {}", c.code(), c.name());
        for p in &r.problems {
            outln!("               - {p}");
        }
        for d in &r.likely {
            outln!("               ≈ {}", d.looks_like(&s.qb));
        }
    }
    let (imports, alike): (Vec<_>, Vec<_>) = plan.imports.iter().partition(|r| r.likely.is_empty());
    section("Can be imported into SMSTurbo", imports.len());
    for r in &imports {
        let qb = &s.qb[r.qb];
        let name = qb.data.get(Field::Name).unwrap_or("");
        outln!("    {:<10} {name}", r.customer.code());
        if let Some(note) = r.code_note(qb) {
            outln!("               note: {note}");
        }
        for p in &r.problems {
            outln!("               - {p}");
        }
    }
    section(
        "Look like an SMSTurbo customer: imported only if you say so",
        alike.len(),
    );
    for r in &alike {
        let qb = &s.qb[r.qb];
        let name = qb.data.get(Field::Name).unwrap_or("");
        outln!("    {:<10} {name}", r.customer.code());
        for p in &r.problems {
            outln!("               - {p}");
        }
        for d in &r.likely {
            outln!("               ≈ {}", d.looks_like(&s.locals));
            outln!(
                "                 the same customer? custsync link {} {}",
                s.locals[d.other].code(),
                qb.list_id
            );
        }
        if r.problems.is_empty() {
            outln!("               not the same? import it anyway: --import-anyway \"{name}\"");
        }
    }
    section(
        "Linked, but QuickBooks changed underneath (never synchronized by themselves)",
        plan.stale.len(),
    );
    for r in &plan.stale {
        let c = &s.locals[r.local];
        outln!("    {:<10} {}", c.code(), c.name());
        outln!("               {}", r.describe(&s.qb));
        for cand in &r.candidates {
            let q = &s.qb[cand.qb];
            outln!(
                "               link to it: custsync link {} {}",
                c.code(),
                q.list_id
            );
        }
        outln!(
            "               keep it in SMSTurbo only: custsync unlink {}",
            c.code()
        );
        if r.again.problems.is_empty() {
            outln!(
                "               add it to QuickBooks again (may make a duplicate): \
                 --export-anyway {}",
                c.code()
            );
        }
        for p in &r.again.problems {
            outln!("               - adding it again: {p}");
        }
    }
    section(
        "Kept in SMSTurbo only (not offered for export)",
        plan.kept_local.len(),
    );
    for r in &plan.kept_local {
        let c = &s.locals[r.local];
        outln!("    {:<10} {}", c.code(), c.name());
    }
    if plan.mode == Mode::NotExactMatch {
        section("Not in sync", plan.pairs.len());
        for pair in &plan.pairs {
            let c = &s.locals[pair.local];
            let qb = &s.qb[pair.qb];
            outln!("    {:<10} {}", c.code(), c.name());
            for d in &pair.diffs {
                outln!(
                    "               {}: {} → {}{}",
                    d.field.label(),
                    show(&c.data, d.field),
                    show(&qb.data, d.field),
                    if d.applies { "" } else { "  (not replaced)" }
                );
            }
            if let Some(st) = pair.status {
                outln!(
                    "               Status: {} → {}{}",
                    st.local,
                    st.replacement,
                    if st.applies { "" } else { "  (not replaced)" }
                );
            }
        }
    }
    let m = &plan.matching;
    outln!(
        "\n  {} exact match(es); {} need review; {} hidden by export status; {} hidden by customer type{}",
        m.exact,
        m.reviews,
        m.hidden_by_status,
        m.hidden_by_type,
        if config.import.include_customer_types.is_empty() {
            String::new()
        } else {
            format!(" ({})", config.import.include_customer_types.join(", "))
        }
    );
    for t in &plan.missing_types {
        if add_missing_types {
            outln!(
                "  QuickBooks lacks the export default {t}: {t} would be added to QuickBooks if \
                 a customer you export carries it."
            );
        } else {
            outln!(
                "  QuickBooks lacks the export default {t}: add --add-missing-types to add it if \
                 a customer you export carries it."
            );
        }
    }
    for line in crate::sync::plan::notice_words(plan, s) {
        outln!("  Note: {line}");
    }
}

/// What `all` left out because it looks like a customer the other side has: said, not silent.
fn print_left_out(args: &SyncArgs, plan: &Plan) {
    if args.export == Choice::All {
        let n = plan.held_as_likely_exports().count();
        if n > 0 {
            outln!(
                "\n--export all leaves out {} like a QuickBooks customer (listed above): link \
                 each to its QuickBooks customer (custsync link CODE LISTID), or name it with \
                 --export-anyway CODE if it is another customer.",
                plural(n, "customer that looks", "customers that look")
            );
        }
    }
    if args.import == Choice::All {
        let n = plan.held_as_likely_imports().count();
        if n > 0 {
            outln!(
                "\n--import all leaves out {} like an SMSTurbo customer (listed above): link \
                 each to its SMSTurbo customer (custsync link CODE LISTID), or name it with \
                 --import-anyway NAME if it is another customer.",
                plural(n, "customer that looks", "customers that look")
            );
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn section(title: &str, n: usize) {
    if n > 0 {
        outln!("  {title} ({n}):");
    }
}

fn show(d: &CustomerData, f: Field) -> String {
    d.get(f)
        .map_or_else(|| "(empty)".to_string(), |v| format!("\"{v}\""))
}

fn print_report(r: &RunReport) {
    outln!(
        "\nDone: {} added to QuickBooks, {} imported into SMSTurbo, {} updated ({} values), {} linked.",
        r.added,
        r.imported,
        r.updated,
        r.values_changed,
        r.linked
    );
    for t in &r.types_added {
        outln!("  Added to QuickBooks: {t}");
    }
    if r.cancelled {
        outln!("  Cancelled: {} customer(s) not sent.", r.not_sent);
    }
    if r.in_doubt > 0 {
        outln!(
            "  {} customer(s) have an unknown outcome; the next run settles them first.",
            r.in_doubt
        );
    }
    if !r.failures.is_empty() {
        outln!("  Failed ({}):", r.failures.len());
        for f in &r.failures {
            outln!("    {}", f.one_line());
        }
    }
    if let Some(run) = r.run {
        outln!(
            "  Journal: run {} (custsync runs; custsync undo {} to undo its local changes)",
            run.0,
            run.0
        );
    }
}

fn company_json(c: &crate::sync::CompanyInfo) -> Value {
    json!({ "name": c.name, "file": c.file, "product": c.product, "qbxml_version": c.qbxml_version, "customers": c.customer_count })
}

fn read_json(r: &ReadSummary) -> Value {
    let (since, reason) = match &r.kind {
        ReadKind::Incremental { since } => (Some(since.to_string()), None),
        ReadKind::Full(reason) => (None, Some(reason.key())),
    };
    json!({
        "incremental": r.is_incremental(),
        "since": since,
        "full_reason": reason,
        "changed": r.changed,
        "deleted": r.deleted,
        "customers": r.customers,
        "message": r.to_string(),
    })
}

/// The plan as JSON, written row by row.
fn write_plan_json(
    w: &mut impl Write,
    plan: &Plan,
    s: &Snapshot,
    config: &Config,
) -> std::io::Result<()> {
    let problems = |ps: &[crate::sync::problems::Problem]| -> Vec<String> {
        ps.iter().map(ToString::to_string).collect()
    };
    let mode = match plan.mode {
        Mode::MissingOnly => "missing_only",
        Mode::NotExactMatch => "not_exact_match",
    };
    write!(w, "{{\"mode\":\"{mode}\",\"exports\":")?;
    write_array(w, plan.exports.iter().map(|r| rows::ExportJson::new(r, s)))?;
    write!(w, ",\"imports\":")?;
    write_array(w, plan.imports.iter().map(|r| rows::ImportJson::new(r, s)))?;
    write!(w, ",\"pairs\":")?;
    write_array(w, plan.pairs.iter().map(|p| rows::PairJson::new(p, s)))?;
    write!(w, ",\"stale\":")?;
    write_array(
        w,
        plan.stale.iter().map(|r| {
            let c = &s.locals[r.local];
            json!({
                "code": c.code(),
                "name": c.name(),
                "list_id": r.list_id,
                "reason": r.reason.key(),
                "message": r.describe(&s.qb),
                "candidates": candidates_json(&r.candidates, s),
                "export_anyway_problems": problems(&r.again.problems),
            })
        }),
    )?;
    write!(w, ",\"kept_local\":")?;
    write_array(
        w,
        plan.kept_local.iter().map(|r| {
            let c = &s.locals[r.local];
            json!({
                "code": c.code(),
                "name": c.name(),
                "candidates": candidates_json(&r.candidates, s),
                "export_anyway_problems": problems(&r.again.problems),
            })
        }),
    )?;
    let rest = json!({
        "notices": crate::sync::plan::notice_words(plan, s),
        "folded_duplicates": s.folded,
        "exact_matches": plan.matching.exact,
        "needs_review": plan.matching.reviews,
        "hidden_by_status": plan.matching.hidden_by_status,
        "hidden_by_type": plan.matching.hidden_by_type,
        "missing_types": plan.missing_types.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "replace_groups": config.replace.groups.iter().map(|g| g.key()).collect::<Vec<_>>(),
    });
    // The rest's fields, inside the same object.
    let rest = rest.to_string();
    write!(w, ",{}", rest.trim_start_matches('{'))
}

fn candidates_json(candidates: &[crate::sync::stale::Candidate], s: &Snapshot) -> Vec<Value> {
    candidates
        .iter()
        .map(|c| {
            let q = &s.qb[c.qb];
            json!({
                "list_id": q.list_id,
                "name": q.data.get(Field::Name),
                "account_number": q.data.get(Field::AccountNumber),
                "matched_by": c.by.describe(),
            })
        })
        .collect()
}

fn write_array<T: serde::Serialize>(
    w: &mut impl Write,
    items: impl Iterator<Item = T>,
) -> std::io::Result<()> {
    w.write_all(b"[")?;
    for (i, item) in items.enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        serde_json::to_writer(&mut *w, &item)?;
    }
    w.write_all(b"]")
}

fn report_json(r: &RunReport) -> Value {
    json!({
        "run": r.run.map(|x| x.0),
        "outcome": r.outcome().as_str(),
        "added": r.added,
        "imported": r.imported,
        "updated": r.updated,
        "values_changed": r.values_changed,
        "linked": r.linked,
        "types_added": r.types_added,
        "not_sent": r.not_sent,
        "in_doubt": r.in_doubt,
        "cancelled": r.cancelled,
        "added_codes": r.added_codes,
        "failures": r.failures.iter().map(|f| json!({
            "code": f.code, "name": f.name, "status": f.explanation.code, "message": f.one_line(),
        })).collect::<Vec<_>>(),
    })
}

/// Progress on standard error, one line per phase change (quiet with `--json`).
struct Stderr {
    quiet: bool,
    last: Option<Phase>,
}

impl Stderr {
    fn new(quiet: bool) -> Self {
        Stderr { quiet, last: None }
    }
}

impl Progress for Stderr {
    fn update(&mut self, phase: Phase, done: u64, total: u64) {
        if self.quiet {
            return;
        }
        if self.last != Some(phase) {
            self.last = Some(phase);
            let _ = writeln!(std::io::stderr(), "{}… ({total})", phase.label());
        } else if done == total {
            let _ = writeln!(std::io::stderr(), "{}: {done} of {total}", phase.label());
        }
    }
}
