//! The one catalog of plain-words explanations for what QuickBooks can answer: every HRESULT of
//! the request processor ([`super::hresult`]), every status code ([`crate::qbxml::status::codes`]
//! and the others QuickBooks documents), and the error-recovery status of a message set. Each
//! explanation has a short title, what happened, and the next step, in words a bookkeeper
//! understands. The TUI, the CLI and the end-of-run report all take their wording from here.
//!
//! ```
//! use custsync::qb::explain::{explain_hresult, explain_status, NameOwner, StatusContext};
//! use custsync::qbxml::NameList;
//!
//! let e = explain_hresult(0x8004_041D);
//! assert!(e.next_step.contains("Allow this application to login automatically"));
//!
//! let ctx = StatusContext {
//!     customer: Some("ACME Supply"),
//!     name: Some("ACME Supply"),
//!     owner: Some(NameOwner::Other(NameList::Vendor)),
//!     ..StatusContext::default()
//! };
//! assert_eq!(
//!     explain_status(3100, &ctx).one_line(),
//!     "ACME Supply: QuickBooks already has a vendor named 'ACME Supply' — rename the SMSTurbo \
//!      customer's QuickBooks name and synchronize again"
//! );
//! ```

use std::fmt;
use std::path::Path;

use crate::qbxml::status::codes;
use crate::qbxml::{Field, NameList, Status, message_set_status as set_status};

use super::sandbox::Grant;
use super::{APP_NAME, QbError, hresult};

/// A plain-words explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// How QuickBooks identifies it: `0x8004041D`, `status 3100`.
    pub code: String,
    /// A few words for a heading.
    pub title: String,
    /// What happened, in a sentence.
    pub what_happened: String,
    /// What to do next.
    pub next_step: String,
    /// For the sandbox company: the `custsync sandbox prefs` change that does what the next step
    /// asks of QuickBooks (see [`Explanation::sandbox_fix_for`]).
    pub sandbox_fix: Option<SandboxPrefs>,
}

/// A `custsync sandbox prefs FILE …` change: the sandbox's Integrated Applications preferences
/// as QuickBooks' own dialog would set them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SandboxPrefs {
    /// `--grant`: what the Application Certificate grants.
    pub grant: Option<Grant>,
    /// `--auto-login on`.
    pub auto_login: bool,
    /// `--open`: QuickBooks has the file open.
    pub open: bool,
}

impl SandboxPrefs {
    /// The command for the company file at `file`, quoted when it has spaces.
    pub fn command_for(&self, file: &Path) -> String {
        let shown = file.display().to_string();
        let mut command = if shown.contains(' ') {
            format!("custsync sandbox prefs \"{shown}\"")
        } else {
            format!("custsync sandbox prefs {shown}")
        };
        if let Some(grant) = &self.grant {
            command.push_str(&format!(" --grant {}", grant.key()));
        }
        if self.auto_login {
            command.push_str(" --auto-login on");
        }
        if self.open {
            command.push_str(" --open");
        }
        command
    }
}

impl Explanation {
    pub fn new(
        code: String,
        title: &str,
        what: impl Into<String>,
        next: impl Into<String>,
    ) -> Self {
        Explanation {
            code,
            title: title.to_string(),
            what_happened: what.into(),
            next_step: next.into(),
            sandbox_fix: None,
        }
    }

    fn sandbox(mut self, prefs: SandboxPrefs) -> Self {
        self.sandbox_fix = Some(prefs);
        self
    }

    /// "what happened — next step", for a list of failures.
    pub fn one_line(&self) -> String {
        format!("{} — {}", self.what_happened, self.next_step)
    }

    /// The sandbox command for the company file at `file`.
    pub fn sandbox_fix_for(&self, file: &Path) -> Option<String> {
        self.sandbox_fix.as_ref().map(|p| p.command_for(file))
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {} Next: {}",
            self.title, self.code, self.what_happened, self.next_step
        )
    }
}

/// The Integrated Applications path every access fix starts from.
fn integrated_apps_path() -> String {
    format!(
        "In QuickBooks, Edit → Preferences → Integrated Applications → Company Preferences → \
         select {APP_NAME} → Properties"
    )
}

const RETRY: &str = "then synchronize again";

/// Explains an HRESULT of the QuickBooks request processor. Unknown codes get a general
/// explanation that still names the code.
pub fn explain_hresult(code: u32) -> Explanation {
    let c = hresult::format(code);
    let e = |title: &str, what: &str, next: String| Explanation::new(c.clone(), title, what, next);
    match code {
        hresult::PARSE_ERROR => e(
            "QuickBooks could not read the request",
            "QuickBooks refused the whole request because its XML was not what QuickBooks expects \
             (a misplaced or unknown element, a character QuickBooks cannot store, or broken XML). \
             Nothing was changed.",
            "Run the synchronization again with the trace option on and send the trace folder to \
             support; if a customer was named in the message, check that customer's text for \
             unusual characters."
                .into(),
        ),
        hresult::COULD_NOT_ACCESS => e(
            "QuickBooks could not be reached",
            "custsync could not talk to QuickBooks at all.",
            format!("Make sure QuickBooks is installed and opens normally on that computer, {RETRY}."),
        ),
        hresult::UNEXPECTED => e(
            "QuickBooks had an unexpected error",
            "QuickBooks reported an internal error and gave no details.",
            format!(
                "Close and reopen QuickBooks, {RETRY}. If it happens again, QuickBooks' log \
                 (qbsdklog.txt) has the details support will ask for."
            ),
        ),
        hresult::COULD_NOT_OPEN_FILE => e(
            "The company file could not be opened",
            "QuickBooks could not open the company file given in Setup (it may be missing, moved, \
             in use, or not a QuickBooks company file at all).",
            format!("Check the company file path in Setup (File Info) and that the file opens in QuickBooks, {RETRY}."),
        ),
        hresult::COULD_NOT_START_QB => e(
            "QuickBooks is not running",
            "custsync is only allowed in while QuickBooks has this company file open, and QuickBooks \
             could not be started for it.",
            format!(
                "Open the company file in QuickBooks and leave it open, {RETRY}. To synchronize \
                 without QuickBooks open, the QuickBooks administrator can allow access \"always\" \
                 with automatic login: {} → check \"Allow this application to login automatically\".",
                integrated_apps_path()
            ),
        )
        .sandbox(SandboxPrefs {
            open: true,
            ..SandboxPrefs::default()
        }),
        hresult::OTHER_FILE_OPEN => e(
            "Another company file is open",
            "QuickBooks has a different company file open than the one in Setup.",
            format!("Open the right company file in QuickBooks (or change File Info in Setup), {RETRY}."),
        ),
        hresult::INVALID_TICKET => e(
            "The connection to QuickBooks was lost",
            "The session with QuickBooks had already ended when custsync sent its request.",
            RETRY_CAPITAL.into(),
        ),
        hresult::WRONG_FILE_MODE => e(
            "The company file is open in the wrong mode",
            "QuickBooks has the company file open in single-user or multi-user mode, and the other \
             mode was needed.",
            format!("In QuickBooks, switch the file's mode from the File menu (or close it and let custsync open it), {RETRY}."),
        ),
        hresult::ROLLBACK_NOT_SUPPORTED => e(
            "QuickBooks refused the request's error mode",
            "The request asked QuickBooks to undo everything on an error (rollbackOnError), which \
             QuickBooks Desktop does not support.",
            "This is a problem in custsync itself: send the trace folder to support.".into(),
        ),
        hresult::MODAL_DIALOG_OPEN => e(
            "A QuickBooks window is waiting for an answer",
            "A dialog is open in QuickBooks, and QuickBooks accepts no requests until it is closed.",
            format!("Go to QuickBooks, answer or close the open window, {RETRY}."),
        ),
        hresult::QB_NOT_RUNNING_NEED_FILE => e(
            "QuickBooks is not running and no company file was named",
            "QuickBooks is closed, so it needs to be told which company file to open, and Setup \
             has none.",
            format!("Fill in the company file in Setup (File Info), or open the file in QuickBooks, {RETRY}."),
        ),
        hresult::NO_FILE_OPEN_NEED_FILE => e(
            "No company file is open",
            "QuickBooks is running without a company file open, and Setup names none.",
            format!("Open the company file in QuickBooks, or fill in File Info in Setup, {RETRY}."),
        ),
        hresult::NEVER_AUTHORIZED => e(
            "custsync is not yet allowed into this company",
            "This is custsync's first connection to the company file, and only the QuickBooks \
             Administrator can let a new application in — nobody was there to answer QuickBooks' \
             \"Application Certificate\" question.",
            format!(
                "Log into the company file in QuickBooks as Admin, start the synchronization from \
                 custsync, and answer the Application Certificate with one of the \"Yes\" choices; \
                 {RETRY}."
            ),
        )
        .sandbox(SandboxPrefs {
            grant: Some(Grant::WhenOpen),
            open: true,
            ..SandboxPrefs::default()
        }),
        hresult::NO_PERMISSION => e(
            "custsync has no permission for this company",
            "QuickBooks' Integrated Applications list does not allow custsync into this company file.",
            format!(
                "{} → check \"Allow this application to read and modify this company file\"; {RETRY}.",
                integrated_apps_path()
            ),
        )
        .sandbox(SandboxPrefs {
            grant: Some(Grant::WhenOpen),
            ..SandboxPrefs::default()
        }),
        hresult::AUTO_LOGIN_NOT_ALLOWED => e(
            "QuickBooks does not let custsync log in automatically",
            "custsync is allowed in \"always, even if QuickBooks is not running\", but QuickBooks \
             is not running and the company's preference \"Allow this application to login \
             automatically\" is off, so QuickBooks refused.",
            format!(
                "{} → check \"Allow this application to login automatically\"; {RETRY}.",
                integrated_apps_path()
            ),
        )
        .sandbox(SandboxPrefs {
            auto_login: true,
            ..SandboxPrefs::default()
        }),
        hresult::ACCESS_DENIED => e(
            "QuickBooks refused custsync",
            "The QuickBooks user answered \"No\" when QuickBooks asked whether to let custsync in, \
             or custsync's access was turned off later.",
            format!(
                "{} → check \"Allow this application to read and modify this company file\" (or \
                 remove custsync there so QuickBooks asks again); {RETRY}.",
                integrated_apps_path()
            ),
        )
        .sandbox(SandboxPrefs {
            grant: Some(Grant::None),
            ..SandboxPrefs::default()
        }),
        hresult::SINGLE_USER_CONFLICT => e(
            "Another program is sharing the company file",
            "custsync needed the company file to itself, but another application is already using it.",
            format!("Close the other program that is connected to QuickBooks, {RETRY}."),
        ),
        hresult::VERSION_NOT_SUPPORTED => e(
            "This QuickBooks is too old or too different",
            "QuickBooks does not understand the qbXML version custsync spoke.",
            "Update QuickBooks Desktop (Help → Update QuickBooks Desktop); custsync needs qbXML 13.0 \
             (QuickBooks 2014) or later."
                .into(),
        ),
        hresult::NOT_READY => e(
            "QuickBooks is still starting",
            "QuickBooks had not finished opening when custsync connected.",
            "Wait until QuickBooks shows the company file, then synchronize again.".into(),
        ),
        hresult::WRONG_API => e(
            "QuickBooks refused the kind of request",
            "The request was of a kind QuickBooks only accepts through a different interface.",
            "This is a problem in custsync itself: send the trace folder to support.".into(),
        ),
        hresult::LOGIN_NOT_COMPLETED => e(
            "Nobody finished logging into QuickBooks",
            "QuickBooks started, but the company file was never opened because its login was not \
             completed.",
            format!("Log into the company file in QuickBooks, {RETRY}."),
        ),
        hresult::AUTO_LOGIN_FAILED => e(
            "QuickBooks' automatic login failed",
            "custsync is allowed to log in automatically, but QuickBooks could not complete the login.",
            format!(
                "{} → uncheck \"Allow this application to login automatically\", click OK, then \
                 check it again and choose the login user; {RETRY}.",
                integrated_apps_path()
            ),
        ),
        hresult::REAUTHORIZE_AUTO_LOGIN => e(
            "QuickBooks needs automatic login confirmed again",
            "Something changed in the company file (for example the login user's password), so \
             QuickBooks no longer trusts custsync's automatic login.",
            format!(
                "{} → confirm \"Allow this application to login automatically\" and the login \
                 user; {RETRY}.",
                integrated_apps_path()
            ),
        ),
        _ => e(
            "QuickBooks refused the connection",
            "QuickBooks stopped the request with an error custsync has no explanation for.",
            format!(
                "Note the code {c} and check that QuickBooks is open and working, {RETRY}; if it \
                 persists, send the trace folder to support."
            ),
        ),
    }
}

const RETRY_CAPITAL: &str = "Synchronize again; custsync connects afresh.";

/// Who already holds a name QuickBooks refused (status 3100).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameOwner {
    Customer,
    Other(NameList),
}

impl NameOwner {
    fn a_noun(self) -> &'static str {
        match self {
            NameOwner::Customer => "a customer",
            NameOwner::Other(l) => l.a_noun(),
        }
    }
}

/// What custsync knows about the request a status answered, to make the explanation specific.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusContext<'a> {
    /// The SMSTurbo customer the request was for, as the operator knows it (name or code).
    pub customer: Option<&'a str>,
    /// The QuickBooks name that was sent.
    pub name: Option<&'a str>,
    /// The mapped field involved (over-long value, unknown reference).
    pub field: Option<Field>,
    /// The qbXML element involved when it is not a mapped field.
    pub element: Option<&'a str>,
    /// The value involved.
    pub value: Option<&'a str>,
    /// Who already has the name (3100), when custsync looked it up.
    pub owner: Option<NameOwner>,
    /// QuickBooks' own status message.
    pub status_message: Option<&'a str>,
    /// The name was free in QuickBooks when the add was planned (an export): a 3100 then means
    /// it was added since, by another workspace or a QuickBooks user.
    pub name_was_free: bool,
}

/// What QuickBooks' own status message says about the value it refused, for the codes whose
/// messages follow a fixed pattern (3070, 3100, 3140). Lets an explanation name the field and
/// the value even when custsync only has the message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageFacts {
    pub field: Option<Field>,
    /// The element or list QuickBooks named, when it maps to no single field.
    pub element: Option<String>,
    pub value: Option<String>,
}

impl MessageFacts {
    pub fn parse(code: i32, message: &str) -> MessageFacts {
        let quoted = quoted_parts(message);
        match code {
            // The string "…" in the field "…" is too long.
            codes::STRING_TOO_LONG => MessageFacts {
                field: quoted.get(1).and_then(|e| field_for_element(e)),
                element: quoted.get(1).cloned(),
                value: quoted.first().cloned(),
            },
            // The name "…" of the list element is already in use.
            codes::NAME_IN_USE => MessageFacts {
                field: Some(Field::Name),
                element: None,
                value: quoted.first().cloned(),
            },
            // There is an invalid reference to QuickBooks Terms "Net 45" in the Customer.
            codes::INVALID_REFERENCE => {
                let list = message
                    .split_once("QuickBooks ")
                    .and_then(|(_, rest)| rest.split_once(" \""))
                    .map(|(list, _)| list.trim().to_string());
                MessageFacts {
                    field: list.as_deref().and_then(field_for_list),
                    element: list,
                    value: quoted.first().cloned(),
                }
            }
            _ => MessageFacts::default(),
        }
    }
}

/// The texts between double quotes, in order.
fn quoted_parts(message: &str) -> Vec<String> {
    message
        .split('"')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect()
}

/// The mapped field a qbXML element name stands for (`Phone`, `CompanyName`…). Address parts are
/// ambiguous between bill and ship addresses and map to none.
fn field_for_element(element: &str) -> Option<Field> {
    let mut found = Field::ALL.iter().copied().filter(|f| match f.shape() {
        crate::qbxml::fields::Shape::Plain(e) | crate::qbxml::fields::Shape::Ref(e) => {
            e == element || e.strip_suffix("Ref") == Some(element)
        }
        crate::qbxml::fields::Shape::InAddress(..) => false,
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The mapped field a QuickBooks list name stands for ("Terms", "Customer Type"…).
fn field_for_list(list: &str) -> Option<Field> {
    match list {
        "Customer Type" => Some(Field::CustomerType),
        "Terms" | "Standard Terms" | "Date Driven Terms" => Some(Field::Terms),
        "Sales Rep" => Some(Field::SalesRep),
        "Sales Tax Code" => Some(Field::SalesTaxCode),
        _ => None,
    }
}

impl StatusContext<'_> {
    /// "ACME Supply: " or nothing.
    fn prefix(&self) -> String {
        self.customer.map_or(String::new(), |c| format!("{c}: "))
    }

    fn what_field(&self) -> String {
        match (self.field, self.element) {
            (Some(f), _) => f.label().to_lowercase(),
            (None, Some(e)) => e.to_string(),
            (None, None) => "value".to_string(),
        }
    }
}

/// Explains a status code in the context of its request.
pub fn explain_status(code: i32, ctx: &StatusContext<'_>) -> Explanation {
    let c = format!("status {code}");
    let p = ctx.prefix();
    let e = |title: &str, what: String, next: String| {
        // Without a customer in front, the sentence starts with its own first word.
        let what = if p.is_empty() {
            capitalize(&what)
        } else {
            what
        };
        Explanation::new(c.clone(), title, what, next)
    };
    let value = ctx.value.or(ctx.name).unwrap_or("");
    match code {
        codes::OK => e(
            "Done",
            format!("{p}QuickBooks did what was asked."),
            "Nothing to do.".into(),
        ),
        codes::NO_MATCH => e(
            "Nothing found",
            format!("{p}QuickBooks has no record matching the search."),
            "Nothing to do: that is an answer, not a failure.".into(),
        ),
        codes::PARTIAL_MATCH => e(
            "Some records not found",
            format!(
                "{p}QuickBooks did not find {}; it returned the ones it found.",
                if value.is_empty() {
                    "every record asked for".to_string()
                } else {
                    format!("'{value}'")
                }
            ),
            "Nothing to do: custsync treats the missing ones as not in QuickBooks.".into(),
        ),
        codes::UNSUPPORTED => e(
            "QuickBooks does not support this request",
            format!("{p}This QuickBooks does not implement the kind of request custsync sent."),
            "Update QuickBooks, or send the trace folder to support.".into(),
        ),
        codes::INTERNAL_ERROR => e(
            "QuickBooks had an internal error",
            format!("{p}QuickBooks failed while handling the request and gave no details."),
            format!("Synchronize again; if it repeats, restart QuickBooks, {RETRY}."),
        ),
        codes::INVALID_REQUEST_ID => e(
            "Request label refused",
            format!("{p}QuickBooks refused the label custsync put on a request."),
            "This is a problem in custsync itself: send the trace folder to support.".into(),
        ),
        codes::INVALID_OBJECT_ID => e(
            "Record reference malformed",
            format!("{p}QuickBooks refused a record reference ('{value}') as malformed."),
            format!(
                "Check the customer's link to QuickBooks (unlink and match it again), {RETRY}."
            ),
        ),
        codes::BOOL_CONVERSION | codes::DATE_CONVERSION => e(
            "A value could not be read",
            format!(
                "{p}QuickBooks could not read the {} value '{value}'.",
                if code == codes::BOOL_CONVERSION {
                    "yes/no"
                } else {
                    "date"
                }
            ),
            "This is a problem in custsync itself: send the trace folder to support.".into(),
        ),
        codes::INVALID_DATE_RANGE => e(
            "Dates in the wrong order",
            format!(
                "{p}A search asked for records changed after a date that is later than its end date."
            ),
            "This is a problem in custsync itself: send the trace folder to support.".into(),
        ),
        codes::STRING_TOO_LONG => e(
            "Text too long for QuickBooks",
            format!(
                "{p}the {} '{value}' is longer than QuickBooks allows{}.",
                ctx.what_field(),
                ctx.field
                    .and_then(Field::max_len)
                    .map_or(String::new(), |n| format!(" ({n} characters)"))
            ),
            format!(
                "Shorten the {} of the SMSTurbo customer and synchronize again.",
                ctx.what_field()
            ),
        ),
        codes::NAME_IN_USE if ctx.name_was_free => e(
            "Added meanwhile",
            format!(
                "{p}QuickBooks already has a customer or other name named '{value}': another \
                 workspace or a QuickBooks user added it meanwhile, after this synchronization \
                 looked"
            ),
            "Synchronize again: a customer of that name is then linked to this one (or both are \
             listed for review); a vendor, employee or other name is then shown on the row, and \
             only then does this customer need another QuickBooks name"
                .into(),
        ),
        codes::NAME_IN_USE => {
            let owner = ctx.owner.map_or(
                "a customer, vendor, employee or other name",
                NameOwner::a_noun,
            );
            e(
                "Name already used in QuickBooks",
                format!("{p}QuickBooks already has {owner} named '{value}'"),
                "rename the SMSTurbo customer's QuickBooks name and synchronize again".into(),
            )
        }
        codes::OBJECT_NOT_FOUND => e(
            "QuickBooks record not found",
            format!(
                "{p}the QuickBooks record '{value}' no longer exists (it was deleted or merged in QuickBooks)."
            ),
            format!("Unlink the customer in custsync so it is matched afresh, {RETRY}."),
        ),
        codes::INVALID_REFERENCE => e(
            "Not in QuickBooks' list",
            format!(
                "{p}QuickBooks has no {} named '{value}'.",
                ctx.field
                    .map_or("list entry".to_string(), |f| f.label().to_lowercase())
            ),
            format!(
                "Add '{value}' to that list in QuickBooks, or change the customer's {} (or the \
                 export default in Setup) to one QuickBooks has; {RETRY}.",
                ctx.what_field()
            ),
        ),
        codes::MISSING_ELEMENT => e(
            "Required value missing",
            format!(
                "{p}QuickBooks needs a {} and none was given.",
                ctx.what_field()
            ),
            format!(
                "Fill in the {} of the SMSTurbo customer, {RETRY}.",
                ctx.what_field()
            ),
        ),
        codes::LIST_MODIFIED | codes::RECORD_IN_USE | codes::CANNOT_LOCK | codes::SAVE_ERROR => e(
            "QuickBooks was busy",
            format!(
                "{p}QuickBooks could not save because someone is editing the same list or record{}.",
                ctx.status_message
                    .map_or(String::new(), |m| format!(" (QuickBooks said: {m})"))
            ),
            "Ask QuickBooks users to close open customer windows, then synchronize again; nothing \
             was half-saved."
                .into(),
        ),
        codes::STALE_EDIT_SEQUENCE => e(
            "Record changed meanwhile",
            format!("{p}the QuickBooks record changed after custsync read it."),
            "Synchronize again: custsync reads the record afresh.".into(),
        ),
        codes::INVALID_VALUE => e(
            "Value refused",
            format!(
                "{p}QuickBooks refused the {} '{value}'{}.",
                ctx.what_field(),
                ctx.status_message
                    .map_or(String::new(), |m| format!(" ({m})"))
            ),
            format!(
                "Correct the {} of the SMSTurbo customer, {RETRY}.",
                ctx.what_field()
            ),
        ),
        3250 => e(
            "Feature turned off in QuickBooks",
            format!(
                "{p}the request needs a QuickBooks feature this company has turned off or this edition lacks."
            ),
            format!(
                "Turn the feature on in QuickBooks' Preferences (or clear that value), {RETRY}."
            ),
        ),
        3260 => e(
            "QuickBooks user lacks permission",
            format!("{p}the QuickBooks user custsync logs in as may not do this."),
            "Ask the QuickBooks administrator to give that user access to customers (Company → \
             Users), then synchronize again."
                .into(),
        ),
        3261 => e(
            "Personal data not allowed",
            format!("{p}the request touched personal data custsync is not allowed to see."),
            format!(
                "{} → check \"Allow this application to access personal data\" if that is wanted; {RETRY}.",
                integrated_apps_path()
            ),
        ),
        codes::ITERATOR_INVALID => e(
            "QuickBooks forgot where the list was",
            format!(
                "{p}QuickBooks no longer knew the page of the customer list custsync was reading (it expired or the session ended)."
            ),
            "Synchronize again: custsync reads the list from the start.".into(),
        ),
        _ => {
            let (title, what) = match code {
                1..=499 => (
                    "QuickBooks note",
                    "QuickBooks processed the request and added a note",
                ),
                500..=999 => (
                    "QuickBooks warning",
                    "QuickBooks processed the request, but the result may not be what was expected",
                ),
                _ => ("QuickBooks error", "QuickBooks refused the request"),
            };
            e(
                title,
                format!(
                    "{p}{what}{}.",
                    ctx.status_message
                        .map_or(String::new(), |m| format!(": {m}"))
                ),
                if code < 1000 {
                    "Check the result; nothing was refused.".into()
                } else {
                    format!(
                        "Note the code {code} and the message, {RETRY}; if it persists, send the trace folder to support."
                    )
                },
            )
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Explains a status as QuickBooks returned it, taking its message into the context.
pub fn explain(status: &Status, ctx: &StatusContext<'_>) -> Explanation {
    let mut ctx = ctx.clone();
    ctx.status_message = ctx.status_message.or(Some(status.message.as_str()));
    explain_status(status.code, &ctx)
}

/// Explains a message set's `messageSetStatusCode` (error recovery).
pub fn explain_message_set_status(code: i32) -> Explanation {
    let c = format!("message set status {code}");
    match code {
        set_status::OK => Explanation::new(
            c,
            "Recovered",
            "QuickBooks returned the answer it kept for the earlier request.",
            "Nothing to do.",
        ),
        set_status::NO_STORED_STATE => Explanation::new(
            c,
            "No earlier answer kept",
            "QuickBooks has no record of the earlier request custsync asked about (it was never \
             received, or a newer one replaced it).",
            "Nothing to do: custsync looks the customers up instead and sends only what is missing.",
        ),
        set_status::BAD_CHECKSUM => Explanation::new(
            c,
            "Request does not match its label",
            "A request reused the label of an earlier one with different content, so QuickBooks \
             refused it.",
            "This is a problem in custsync itself: send the trace folder to support.",
        ),
        set_status::NO_STORED_RESPONSE | set_status::NOT_STORED => Explanation::new(
            c,
            "QuickBooks kept no answer",
            "QuickBooks could not store (or find) the answer to the earlier request.",
            "Synchronize again: custsync looks the customers up before sending anything.",
        ),
        set_status::ID_TOO_LONG => Explanation::new(
            c,
            "Request label too long",
            "The label custsync gave the request is longer than QuickBooks accepts.",
            "This is a problem in custsync itself: send the trace folder to support.",
        ),
        _ => Explanation::new(
            c,
            "Recovery problem",
            "QuickBooks reported a problem with error recovery.",
            "Synchronize again; custsync looks the customers up before sending anything.",
        ),
    }
}

/// Explains any failure of a connection.
pub fn explain_error(err: &QbError) -> Explanation {
    match err {
        QbError::Hresult { code, .. } => explain_hresult(*code),
        QbError::Transport(m) => Explanation::new(
            "connection".into(),
            "Connection to QuickBooks failed",
            m.clone(),
            format!("Fix what the message says, {RETRY}."),
        ),
        QbError::BadResponse(m) => Explanation::new(
            "response".into(),
            "QuickBooks' answer could not be read",
            format!("QuickBooks sent an answer custsync could not read: {m}"),
            "Synchronize again with the trace option on and send the trace folder to support.",
        ),
        QbError::InDoubt(m) => Explanation::new(
            "in-doubt".into(),
            "Outcome unknown",
            format!(
                "The connection to QuickBooks broke while it was working on a request ({m}), so \
                 custsync does not know whether QuickBooks carried it out."
            ),
            "Synchronize again: custsync first asks QuickBooks what happened to that request and \
             links what was created, so nothing is added twice.",
        ),
        QbError::Cancelled => Explanation::new(
            "cancelled".into(),
            "Cancelled",
            "The synchronization was cancelled before it finished; what was done is kept.",
            "Synchronize again when ready: custsync continues where it stopped.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_read_from_quickbooks_messages() {
        let f = MessageFacts::parse(
            codes::INVALID_REFERENCE,
            "There is an invalid reference to QuickBooks Terms \"Net 45\" in the Customer. QuickBooks error message: Invalid argument.",
        );
        assert_eq!(
            (f.field, f.value.as_deref()),
            (Some(Field::Terms), Some("Net 45"))
        );
        let f = MessageFacts::parse(
            codes::STRING_TOO_LONG,
            "The string \"A very long company name indeed, much too long\" in the field \"CompanyName\" is too long.",
        );
        assert_eq!(f.field, Some(Field::CompanyName));
        let f = MessageFacts::parse(
            codes::STRING_TOO_LONG,
            "The string \"x\" in the field \"Addr1\" is too long.",
        );
        assert_eq!((f.field, f.element.as_deref()), (None, Some("Addr1")));
        assert_eq!(
            MessageFacts::parse(
                codes::NAME_IN_USE,
                "The name \"Acme\" of the list element is already in use."
            )
            .value
            .as_deref(),
            Some("Acme")
        );
    }

    /// `pub const NAME: TYPE = VALUE;` lines of a source file, with VALUE parsed.
    fn constants(source: &str, ty: &str) -> Vec<(String, i64)> {
        source
            .lines()
            .filter_map(|l| {
                let rest = l.trim().strip_prefix("pub const ")?;
                let (name, rest) = rest.split_once(':')?;
                let (t, value) = rest.split_once('=')?;
                if t.trim() != ty {
                    return None;
                }
                let v = value.trim().trim_end_matches(';').replace('_', "");
                let parsed = match v.strip_prefix("0x") {
                    Some(hex) => i64::from_str_radix(hex, 16).ok()?,
                    None => v.parse().ok()?,
                };
                Some((name.trim().to_string(), parsed))
            })
            .collect()
    }

    const GENERIC_HRESULT: &str = "QuickBooks refused the connection";

    #[test]
    fn every_hresult_custsync_knows_has_its_own_explanation() {
        let list = constants(include_str!("hresult.rs"), "u32");
        assert!(list.len() >= 20, "{list:?}");
        for (name, code) in list {
            let e = explain_hresult(code as u32);
            assert_ne!(
                e.title, GENERIC_HRESULT,
                "{name} needs an entry in the catalog"
            );
            assert_eq!(e.code, hresult::format(code as u32));
            assert!(
                e.what_happened.len() > 20 && e.next_step.len() > 20,
                "{name}"
            );
        }
        let unknown = explain_hresult(0x8004_0499);
        assert_eq!(unknown.title, GENERIC_HRESULT);
        assert!(unknown.next_step.contains("0x80040499"));
    }

    #[test]
    fn every_status_code_custsync_knows_has_its_own_explanation() {
        let list = constants(include_str!("../qbxml/status.rs"), "i32");
        assert!(list.len() >= 15, "{list:?}");
        let ctx = StatusContext::default();
        for (name, code) in list {
            let e = explain_status(code as i32, &ctx);
            assert!(
                !matches!(
                    e.title.as_str(),
                    "QuickBooks note" | "QuickBooks warning" | "QuickBooks error"
                ),
                "{name} ({code}) needs an entry in the catalog"
            );
        }
        for (code, title) in [
            (7, "QuickBooks note"),
            (777, "QuickBooks warning"),
            (9999, "QuickBooks error"),
        ] {
            let e = explain_status(code, &ctx);
            assert_eq!(e.title, title);
            assert_eq!(e.code, format!("status {code}"));
        }
    }

    #[test]
    fn automatic_login_refused_gives_the_exact_fix() {
        let e = explain_hresult(hresult::AUTO_LOGIN_NOT_ALLOWED);
        assert_eq!(
            e.next_step,
            "In QuickBooks, Edit → Preferences → Integrated Applications → Company Preferences → \
             select custsync → Properties → check \"Allow this application to login \
             automatically\"; then synchronize again."
        );
        assert_eq!(
            e.sandbox_fix_for(Path::new("/data/Acme Co.QBW")).as_deref(),
            Some("custsync sandbox prefs \"/data/Acme Co.QBW\" --auto-login on")
        );
    }

    #[test]
    fn sandbox_fixes_are_the_prefs_commands_for_the_file() {
        let file = Path::new("/data/Acme.QBW");
        let fix = |code| explain_hresult(code).sandbox_fix_for(file);
        let p = "custsync sandbox prefs /data/Acme.QBW";
        assert_eq!(
            fix(hresult::COULD_NOT_START_QB),
            Some(format!("{p} --open"))
        );
        assert_eq!(
            fix(hresult::NEVER_AUTHORIZED),
            Some(format!("{p} --grant when-open --open"))
        );
        assert_eq!(
            fix(hresult::NO_PERMISSION),
            Some(format!("{p} --grant when-open"))
        );
        assert_eq!(
            fix(hresult::ACCESS_DENIED),
            Some(format!("{p} --grant none"))
        );
        assert_eq!(fix(hresult::COULD_NOT_OPEN_FILE), None);
    }

    #[test]
    fn statuses_speak_about_the_customer() {
        let vendor = StatusContext {
            customer: Some("ACME Supply"),
            name: Some("ACME Supply"),
            owner: Some(NameOwner::Other(NameList::Vendor)),
            ..StatusContext::default()
        };
        assert_eq!(
            explain_status(codes::NAME_IN_USE, &vendor).one_line(),
            "ACME Supply: QuickBooks already has a vendor named 'ACME Supply' — rename the \
             SMSTurbo customer's QuickBooks name and synchronize again"
        );
        let unknown_owner = StatusContext {
            name: Some("Jo"),
            ..StatusContext::default()
        };
        assert!(
            explain_status(codes::NAME_IN_USE, &unknown_owner)
                .what_happened
                .starts_with("QuickBooks already has a customer, vendor, employee or other name")
        );
        let long = StatusContext {
            customer: Some("C0042"),
            field: Some(Field::BillAddr1),
            value: Some("A very long street address that does not fit"),
            ..StatusContext::default()
        };
        let e = explain_status(codes::STRING_TOO_LONG, &long);
        assert_eq!(
            e.what_happened,
            "C0042: the bill address 1 'A very long street address that does not fit' is longer than QuickBooks allows (41 characters)."
        );
        assert!(e.next_step.starts_with("Shorten the bill address 1"));
        let terms = StatusContext {
            field: Some(Field::Terms),
            value: Some("Net 99"),
            ..StatusContext::default()
        };
        let e = explain_status(codes::INVALID_REFERENCE, &terms);
        assert_eq!(e.what_happened, "QuickBooks has no terms named 'Net 99'.");
        let status = Status::new(3175, "This list element is in use.");
        assert!(
            explain(&status, &StatusContext::default())
                .what_happened
                .contains("This list element is in use.")
        );
    }

    #[test]
    fn message_set_and_connection_failures_are_explained() {
        assert_eq!(
            explain_message_set_status(600).title,
            "No earlier answer kept"
        );
        assert!(
            explain_error(&QbError::Cancelled)
                .next_step
                .contains("continues")
        );
        let e = explain_error(&QbError::hresult(hresult::ACCESS_DENIED, "denied"));
        assert_eq!(e.code, "0x80040420");
    }
}
