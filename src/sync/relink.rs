//! The operator's own links: link an SMSTurbo customer to a QuickBooks customer, or unlink it and
//! keep it in SMSTurbo only (SPEC §3 "When QuickBooks changes underneath"). What the screen's
//! stale rows offer, and `custsync link` / `unlink` do headless.
//!
//! Each is a journal run of its own (mode `link`) and can be undone like any run. Nothing is
//! sent to QuickBooks: linking only reads it, to refuse what would be wrong — a job (jobs are not
//! SMSTurbo customers), a customer QuickBooks does not have, one already linked to another code,
//! or replacing a link that is still good.

use crate::qb::session::{Session, SessionError};
use crate::qbxml::{CustomerRet, Field, Selection};
use crate::store::{NewRun, RunId, RunMode, RunOutcome, Store, StoreError, StoreRead};

use super::engine::CompanyInfo;
use super::stale::candidate_name;

/// Why a link or unlink was refused. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("SMSTurbo has no customer with code {code} (custsync customers list shows them)")]
    UnknownCustomer { code: String },
    #[error(
        "QuickBooks has no customer with ListID or full name \"{target}\" (custsync sync \
         --dry-run --json lists the candidates with their ListIDs)"
    )]
    NotInQuickBooks { target: String },
    #[error(
        "'{name}' is a job of '{parent}' in QuickBooks: a job is not an SMSTurbo customer and \
         cannot be linked; link the customer to a top-level QuickBooks customer"
    )]
    IsJob { name: String, parent: String },
    #[error(
        "QuickBooks' '{name}' is already linked to SMSTurbo customer {code}: unlink that one \
         first (custsync unlink {code})"
    )]
    LinkedElsewhere { name: String, code: String },
    #[error(
        "{code} is linked to QuickBooks' '{name}' (ListID {list_id}), which QuickBooks still \
         has as a customer: unlink it first (custsync unlink {code}) if that link is wrong"
    )]
    LinkStillGood {
        code: String,
        name: String,
        list_id: String,
    },
    #[error(
        "{code} is not linked to a QuickBooks customer{} (custsync customers show {code} shows \
         where it is linked or kept in SMSTurbo only)",
        .company.as_deref().map_or_else(String::new, |c| format!(" in {c}"))
    )]
    NotLinked {
        code: String,
        company: Option<String>,
    },
    #[error(
        "{code} is linked in several company files ({}); say which with --company",
        .companies.join(", ")
    )]
    WhichCompany {
        code: String,
        companies: Vec<String>,
    },
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a link did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linked {
    /// The journal run (`None` when nothing changed: already linked so).
    pub run: Option<RunId>,
    pub code: String,
    pub list_id: String,
    /// QuickBooks' name for the customer: `Acme Inc (ACME1)`.
    pub name: String,
    /// The stale ListID the link replaced.
    pub replaced: Option<String>,
    /// The customer was kept local only for this company, and is not any more.
    pub was_local_only: bool,
}

/// What an unlink did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unlinked {
    pub run: RunId,
    pub code: String,
    pub company: String,
    /// The ListID it was linked to (`None`: it was not linked, only kept local only or not).
    pub list_id: Option<String>,
    /// Kept in SMSTurbo only for the company (else: offered for export like any customer
    /// QuickBooks lacks).
    pub local_only: bool,
}

/// Links `code` to the QuickBooks customer with ListID (or, failing that, FullName) `target`,
/// in the company `session` is connected to. A link of `code` whose customer QuickBooks no longer
/// has, or has made a job, is replaced; a good one is not.
pub fn link(
    session: &mut Session<'_>,
    store: &mut Store,
    company: &CompanyInfo,
    code: &str,
    target: &str,
) -> Result<Linked, LinkError> {
    let customer = store
        .customer(code)?
        .ok_or_else(|| LinkError::UnknownCustomer { code: code.into() })?;
    let code = customer.code().to_string();
    let target = target.trim();
    let ret = match session.customer_by(Selection::ListIds(vec![target.to_string()]))? {
        Some(r) => r,
        None => session
            .customer_by(Selection::FullNames(vec![target.to_string()]))?
            .ok_or_else(|| LinkError::NotInQuickBooks {
                target: target.to_string(),
            })?,
    };
    link_to(session, store, company, &code, &ret)
}

/// [`link`] to a QuickBooks customer already read (a stale row's candidate).
pub fn link_to(
    session: &mut Session<'_>,
    store: &mut Store,
    company: &CompanyInfo,
    code: &str,
    ret: &CustomerRet,
) -> Result<Linked, LinkError> {
    let key = company.file.as_str();
    let name = candidate_name(ret);
    if ret.is_job() {
        return Err(LinkError::IsJob {
            name: ret.data.get(Field::Name).unwrap_or("").to_string(),
            parent: ret
                .parent
                .as_ref()
                .and_then(|p| p.full_name.clone())
                .unwrap_or_else(|| "another customer".into()),
        });
    }
    if let Some(holder) = store.link_for_list_id(key, &ret.list_id)? {
        if holder.code.eq_ignore_ascii_case(code) {
            return Ok(Linked {
                run: None,
                code: holder.code,
                list_id: ret.list_id.clone(),
                name,
                replaced: None,
                was_local_only: false,
            });
        }
        return Err(LinkError::LinkedElsewhere {
            name,
            code: holder.code,
        });
    }
    let replaced = match store.link_for_code(key, code)? {
        None => None,
        Some(old) => {
            // Only a stale link gives way: its customer gone, or now a job.
            if let Some(now) = session.customer_by(Selection::ListIds(vec![old.list_id.clone()]))?
                && !now.is_job()
            {
                return Err(LinkError::LinkStillGood {
                    code: code.to_string(),
                    name: candidate_name(&now),
                    list_id: old.list_id,
                });
            }
            Some(old.list_id)
        }
    };
    let (run, was_local_only) = store.transaction(|tx| {
        let run = tx.start_run(&NewRun {
            company_name: Some(company.name.clone()),
            company_file: Some(company.file.clone()),
            ..NewRun::new(RunMode::Link)
        })?;
        if replaced.is_some() {
            tx.unlink_journaled(
                run,
                key,
                code,
                &format!(
                    "QuickBooks no longer has that customer (or it is a job); linked to {name} \
                     instead by the operator"
                ),
            )?;
        }
        let was = tx.set_local_only(run, key, code, false, "linked by the operator")?;
        tx.link(key, code, &ret.list_id, None, Some(run))?;
        tx.finish_run(run, RunOutcome::Done)?;
        Ok::<_, StoreError>((run, was))
    })?;
    Ok(Linked {
        run: Some(run),
        code: code.to_string(),
        list_id: ret.list_id.clone(),
        name,
        replaced,
        was_local_only,
    })
}

/// Unlinks `code` from its QuickBooks customer in `company` (or the one company it is linked
/// in) and keeps it in SMSTurbo only for that company (`keep_local`), or offers it for export
/// like any customer QuickBooks lacks. A customer kept local only and not linked can be offered
/// again this way.
pub fn unlink(
    store: &mut Store,
    company: Option<&CompanyInfo>,
    code: &str,
    keep_local: bool,
) -> Result<Unlinked, LinkError> {
    unlink_in(
        store,
        company.map(|c| (c.file.as_str(), Some(c.name.as_str()))),
        code,
        keep_local,
    )
}

/// [`unlink`] by the company file's name alone (what `custsync unlink --company` has; `None`:
/// the one company the customer is linked in).
pub fn unlink_in_file(
    store: &mut Store,
    company_file: Option<&str>,
    code: &str,
    keep_local: bool,
) -> Result<Unlinked, LinkError> {
    unlink_in(store, company_file.map(|f| (f, None)), code, keep_local)
}

fn unlink_in(
    store: &mut Store,
    company: Option<(&str, Option<&str>)>,
    code: &str,
    keep_local: bool,
) -> Result<Unlinked, LinkError> {
    let company_name = company.and_then(|(_, name)| name).map(str::to_string);
    let company = company.map(|(file, _)| file);
    let customer = store
        .customer(code)?
        .ok_or_else(|| LinkError::UnknownCustomer { code: code.into() })?;
    let code = customer.code().to_string();
    let kept_for = store.local_only_of(&code)?;
    let company = match company {
        Some(c) => c.to_string(),
        None => {
            let mut companies: Vec<String> = store
                .links_of(&code)?
                .into_iter()
                .map(|l| l.company)
                .chain(kept_for.iter().cloned())
                .collect();
            companies.sort();
            companies.dedup();
            match <[String; 1]>::try_from(companies) {
                Ok([one]) => one,
                Err(v) if v.is_empty() => {
                    return Err(LinkError::NotLinked {
                        code,
                        company: None,
                    });
                }
                Err(companies) => return Err(LinkError::WhichCompany { code, companies }),
            }
        }
    };
    let link = store.link_for_code(&company, &code)?;
    let kept = kept_for.contains(&company);
    if link.is_none() && (keep_local || !kept) {
        return Err(LinkError::NotLinked {
            code,
            company: Some(company),
        });
    }
    let why = if keep_local {
        "unlinked by the operator; kept in SMSTurbo only for this company"
    } else {
        "unlinked by the operator; offered for export again"
    };
    let run = store.transaction(|tx| {
        let run = tx.start_run(&NewRun {
            company_file: Some(company.clone()),
            company_name: company_name.clone(),
            ..NewRun::new(RunMode::Link)
        })?;
        tx.unlink_journaled(run, &company, &code, why)?;
        tx.set_local_only(run, &company, &code, keep_local, why)?;
        tx.finish_run(run, RunOutcome::Done)?;
        Ok::<_, StoreError>(run)
    })?;
    Ok(Unlinked {
        run,
        code,
        company,
        list_id: link.map(|l| l.list_id),
        local_only: keep_local,
    })
}
