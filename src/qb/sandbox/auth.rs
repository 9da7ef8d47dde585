//! QuickBooks' Integrated Applications preferences and the access check a session runs through.
//!
//! Per application the company file remembers the grant from the "Application Certificate" dialog
//! (none yet, denied, prompt each time, whenever the file is open, always with a login user),
//! "Allow this application to login automatically" and "Allow this application to access personal
//! data"; company-wide, whether QuickBooks currently has the file open. Opening a session decides
//! from them as QuickBooks does (reference §5.2, §5.4, §7.7; SPEC §5.2–5.3):
//!
//! | grant | QuickBooks has the file open | not open |
//! |---|---|---|
//! | none yet | certificate dialog | certificate dialog (QuickBooks starts for its Admin) |
//! | denied | 0x80040420 | 0x80040420 |
//! | prompt each time | "allow this time?" | 0x80040408 |
//! | whenever the file is open | allowed | 0x80040408 |
//! | always | allowed | allowed with automatic login, else 0x8004041D |
//!
//! The certificate dialog's answer is recorded, then the table is applied to the new grant, so
//! "Yes, always" with automatic login off and QuickBooks closed ends in 0x8004041D — the seed
//! page's walkthrough. Nobody to answer a dialog (a headless run) gives 0x80040418 on first access
//! and 0x80040420 for "prompt each time" (QuickBooks' dialog defaults to refusing).

use rusqlite::{OptionalExtension, params};

use crate::qb::access::{AccessPrompt, CertificateAnswer, CertificateRequest};
use crate::qb::{QbError, hresult};

use super::file::{CompanyFile, SandboxError};
use super::ids;

/// What the Application Certificate dialog (or the Properties page) granted an application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Never asked, or removed from the list: the next connection shows the dialog.
    None,
    /// Answered "No", or access was turned off later.
    Denied,
    PromptEachTime,
    WhenOpen,
    /// "Yes, always; allow access even if QuickBooks is not running", logging in as this user.
    Always {
        login_user: String,
    },
}

impl Grant {
    /// The word the CLI and the file use.
    pub fn key(&self) -> &'static str {
        match self {
            Grant::None => "none",
            Grant::Denied => "denied",
            Grant::PromptEachTime => "prompt",
            Grant::WhenOpen => "when-open",
            Grant::Always { .. } => "always",
        }
    }

    /// As the dialog words it.
    pub fn label(&self) -> String {
        match self {
            Grant::None => "not authorized yet (QuickBooks will ask)".into(),
            Grant::Denied => "No (access denied)".into(),
            Grant::PromptEachTime => "Yes, prompt each time".into(),
            Grant::WhenOpen => "Yes, whenever this QuickBooks company file is open".into(),
            Grant::Always { login_user } => format!(
                "Yes, always; allow access even if QuickBooks is not running (login as {login_user})"
            ),
        }
    }
}

/// One application's row in Integrated Applications.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppPrefs {
    pub app_name: String,
    pub grant: Grant,
    /// "Allow this application to login automatically".
    pub auto_login: bool,
    /// "Allow this application to access personal data such as Social Security Numbers and
    /// customer credit card information".
    pub personal_data: bool,
}

impl AppPrefs {
    pub fn new(app_name: impl Into<String>) -> AppPrefs {
        AppPrefs {
            app_name: app_name.into(),
            grant: Grant::None,
            auto_login: false,
            personal_data: false,
        }
    }
}

/// The whole Integrated Applications picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntegratedApps {
    pub open_in_quickbooks: bool,
    pub apps: Vec<AppPrefs>,
    pub users: Vec<String>,
}

impl CompanyFile {
    /// The preferences of `app_name` (a fresh, unauthorized row if it never connected).
    pub fn app_prefs(&self, app_name: &str) -> Result<AppPrefs, SandboxError> {
        let row = self
            .conn
            .query_row(
                "SELECT app_name, grant_kind, login_user, auto_login, personal_data
                 FROM integrated_app WHERE app_name = ?1",
                [app_name],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, bool>(3)?,
                        r.get::<_, bool>(4)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.storage(e))?;
        Ok(match row {
            None => AppPrefs::new(app_name),
            Some((name, grant, user, auto_login, personal_data)) => AppPrefs {
                app_name: name,
                grant: grant_of(&grant, user),
                auto_login,
                personal_data,
            },
        })
    }

    /// Saves an application's preferences. A login user must be one of the company's users.
    pub fn set_app_prefs(&self, prefs: &AppPrefs) -> Result<(), SandboxError> {
        if prefs.app_name.trim().is_empty() {
            return Err(SandboxError::Invalid(
                "the application name is empty; give the name the application connects with (custsync)".into(),
            ));
        }
        if let Grant::Always { login_user } = &prefs.grant {
            let users = self.users()?;
            if !users.iter().any(|u| u.eq_ignore_ascii_case(login_user)) {
                return Err(SandboxError::Invalid(format!(
                    "\"{login_user}\" is not a QuickBooks user of this company; choose one of: {}",
                    users.join(", ")
                )));
            }
        }
        let user = match &prefs.grant {
            Grant::Always { login_user } => Some(login_user.as_str()),
            _ => None,
        };
        self.conn
            .execute(
                "INSERT INTO integrated_app (app_name, grant_kind, login_user, auto_login,
                     personal_data, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(app_name) DO UPDATE SET grant_kind = excluded.grant_kind,
                     login_user = excluded.login_user, auto_login = excluded.auto_login,
                     personal_data = excluded.personal_data, changed_at = excluded.changed_at",
                params![
                    prefs.app_name,
                    prefs.grant.key(),
                    user,
                    prefs.auto_login,
                    prefs.personal_data,
                    ids::now_unix()
                ],
            )
            .map(|_| ())
            .map_err(|e| self.storage(e))
    }

    /// Every application the company knows, QuickBooks' open state and its users.
    pub fn integrated_apps(&self) -> Result<IntegratedApps, SandboxError> {
        let names: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT app_name FROM integrated_app ORDER BY app_name")
                .map_err(|e| self.storage(e))?;
            let rows = stmt
                .query_map([], |r| r.get(0))
                .map_err(|e| self.storage(e))?;
            rows.collect::<Result<_, _>>()
                .map_err(|e| self.storage(e))?
        };
        let mut apps = Vec::with_capacity(names.len());
        for n in names {
            apps.push(self.app_prefs(&n)?);
        }
        Ok(IntegratedApps {
            open_in_quickbooks: self.is_open_in_quickbooks()?,
            apps,
            users: self.users()?,
        })
    }
}

fn grant_of(key: &str, user: Option<String>) -> Grant {
    match key {
        "denied" => Grant::Denied,
        "prompt" => Grant::PromptEachTime,
        "when-open" => Grant::WhenOpen,
        "always" => Grant::Always {
            login_user: user.unwrap_or_else(|| "Admin".into()),
        },
        _ => Grant::None,
    }
}

/// What QuickBooks does for a connection, before any dialog.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    Allow { automatic_login: bool },
    AskCertificate,
    AskThisTime,
    Refuse(u32),
}

pub(crate) fn decide(prefs: &AppPrefs, open_in_quickbooks: bool) -> Decision {
    match (&prefs.grant, open_in_quickbooks) {
        (Grant::None, _) => Decision::AskCertificate,
        (Grant::Denied, _) => Decision::Refuse(hresult::ACCESS_DENIED),
        (Grant::PromptEachTime, true) => Decision::AskThisTime,
        (Grant::WhenOpen, true) | (Grant::Always { .. }, true) => Decision::Allow {
            automatic_login: false,
        },
        (Grant::PromptEachTime, false) | (Grant::WhenOpen, false) => {
            Decision::Refuse(hresult::COULD_NOT_START_QB)
        }
        (Grant::Always { .. }, false) if prefs.auto_login => Decision::Allow {
            automatic_login: true,
        },
        (Grant::Always { .. }, false) => Decision::Refuse(hresult::AUTO_LOGIN_NOT_ALLOWED),
    }
}

/// The message QuickBooks gives with each refusal (paraphrasing QBXMLRP2's strings).
pub(crate) fn refusal(code: u32, app: &str) -> QbError {
    let message = match code {
        hresult::ACCESS_DENIED => format!(
            "The QuickBooks user has denied access to \"{app}\" (the Application Certificate was \
             answered No, or access was turned off under Integrated Applications)."
        ),
        hresult::COULD_NOT_START_QB => format!(
            "Could not start QuickBooks: \"{app}\" may only connect while QuickBooks has this \
             company file open, and it does not."
        ),
        hresult::AUTO_LOGIN_NOT_ALLOWED => format!(
            "This application (\"{app}\") is not allowed to log into this QuickBooks company data \
             file automatically. The QuickBooks administrator can grant permission for an \
             automatic login through the Integrated Application preferences."
        ),
        hresult::NEVER_AUTHORIZED => format!(
            "\"{app}\" has not accessed this QuickBooks company data file before, and nobody was \
             there to grant it access. Only the QuickBooks Administrator can grant an application \
             permission to access a company file for the first time."
        ),
        _ => format!("QuickBooks refused \"{app}\"."),
    };
    QbError::hresult(code, message)
}

/// Runs the access check for `app` on `file`, asking through `prompt` where QuickBooks would show
/// a dialog, and records the answers. Returns whether QuickBooks logged in automatically.
pub(crate) fn authorize(
    file: &CompanyFile,
    app: &str,
    prompt: &mut dyn AccessPrompt,
) -> Result<bool, QbError> {
    let store = |e: SandboxError| QbError::Transport(e.to_string());
    let mut prefs = file.app_prefs(app).map_err(store)?;
    let open = file.is_open_in_quickbooks().map_err(store)?;
    let company_file = file.path().display().to_string();
    match decide(&prefs, open) {
        Decision::Allow { automatic_login } => Ok(automatic_login),
        Decision::Refuse(code) => Err(refusal(code, app)),
        Decision::AskThisTime => match prompt.allow_this_time(app, &company_file) {
            Some(true) => Ok(false),
            Some(false) | None => Err(refusal(hresult::ACCESS_DENIED, app)),
        },
        Decision::AskCertificate => {
            let request = CertificateRequest {
                app_name: app.to_string(),
                company_file,
                login_users: file.users().map_err(store)?,
                personal_data_requested: false,
            };
            let Some(answer) = prompt.certificate(&request) else {
                return Err(refusal(hresult::NEVER_AUTHORIZED, app));
            };
            let (grant, personal) = match answer {
                CertificateAnswer::No => (Grant::Denied, false),
                CertificateAnswer::PromptEachTime {
                    allow_personal_data,
                } => (Grant::PromptEachTime, allow_personal_data),
                CertificateAnswer::WhenOpen {
                    allow_personal_data,
                } => (Grant::WhenOpen, allow_personal_data),
                CertificateAnswer::Always {
                    login_as,
                    allow_personal_data,
                } => (
                    Grant::Always {
                        login_user: login_as,
                    },
                    allow_personal_data,
                ),
            };
            prefs.grant = grant;
            prefs.personal_data = personal;
            file.set_app_prefs(&prefs).map_err(|e| match e {
                SandboxError::Invalid(m) => QbError::hresult(hresult::ACCESS_DENIED, m),
                other => store(other),
            })?;
            match prefs.grant {
                Grant::Denied => Err(refusal(hresult::ACCESS_DENIED, app)),
                // QuickBooks was started to show the dialog, so this first session proceeds
                // even if the grant needs QuickBooks open later.
                Grant::PromptEachTime | Grant::WhenOpen => Ok(false),
                _ => match decide(&prefs, open) {
                    Decision::Allow { automatic_login } => Ok(automatic_login),
                    Decision::Refuse(code) => Err(refusal(code, app)),
                    _ => Ok(false),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefs(grant: Grant, auto_login: bool) -> AppPrefs {
        AppPrefs {
            grant,
            auto_login,
            ..AppPrefs::new("custsync")
        }
    }

    #[test]
    fn the_decision_table_matches_quickbooks() {
        let always = || Grant::Always {
            login_user: "Admin".into(),
        };
        let cases = [
            (prefs(Grant::None, false), true, Decision::AskCertificate),
            (prefs(Grant::None, false), false, Decision::AskCertificate),
            (
                prefs(Grant::Denied, true),
                true,
                Decision::Refuse(hresult::ACCESS_DENIED),
            ),
            (
                prefs(Grant::PromptEachTime, false),
                true,
                Decision::AskThisTime,
            ),
            (
                prefs(Grant::PromptEachTime, false),
                false,
                Decision::Refuse(hresult::COULD_NOT_START_QB),
            ),
            (
                prefs(Grant::WhenOpen, true),
                true,
                Decision::Allow {
                    automatic_login: false,
                },
            ),
            (
                prefs(Grant::WhenOpen, true),
                false,
                Decision::Refuse(hresult::COULD_NOT_START_QB),
            ),
            (
                prefs(always(), false),
                false,
                Decision::Refuse(hresult::AUTO_LOGIN_NOT_ALLOWED),
            ),
            (
                prefs(always(), true),
                false,
                Decision::Allow {
                    automatic_login: true,
                },
            ),
            (
                prefs(always(), false),
                true,
                Decision::Allow {
                    automatic_login: false,
                },
            ),
        ];
        for (p, open, expected) in cases {
            assert_eq!(decide(&p, open), expected, "{:?} open={open}", p.grant);
        }
    }
}
