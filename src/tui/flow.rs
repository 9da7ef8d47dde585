//! The synchronize flow at the screen, as a type.
//!
//! Each step is its own type holding exactly what that step knows, and the only way from one
//! step to the next is a method that consumes it and returns the next one: a company can only be
//! confirmed by a flow that read one, the panes only open from a plan asked for with an answer
//! to "Show Missing Customers Only?", a run only starts from the panes. So an illegal step does
//! not compile. [`SyncFlow`] holds whichever step the flow is at, for the app to keep; the app
//! turns what the operator and the worker say into calls of these methods and does what each
//! step needs on screen (which dialog, which command).
//!
//! ```text
//! Connecting ──question──▶ Certificate ──answered──▶ Connecting
//!      │ └──Web Connector──▶ Waiting ──connected──────────────┐
//!      ├──connected, access just granted──▶ SyncNow ──yes──▶ ConfirmCompany
//!      └──connected──────────────────────────────────────────▶ ConfirmCompany
//! ConfirmCompany ──yes──▶ MissingOnly ──answer──▶ Planning ──ready──▶ Selecting
//! Selecting ──run──▶ Running ──finished──▶ Report
//! Selecting ──replan──▶ Planning (in place: the panes keep their checks)
//! Certificate ──dismissed──▶ Connecting (fails; nothing was recorded in QuickBooks)
//! ```
//!
//! Any step may end: a No, a cancel, a failure; the app then drops the flow and closes the
//! connection.
//!
//! A step out of order is a type error, e.g. opening the panes straight from a connection:
//!
//! ```compile_fail,E0599
//! let panes = custsync::tui::flow::Connecting::start().ready();
//! ```

use super::view::CompanyInfo;

/// Where the synchronize flow is.
#[derive(Debug, PartialEq, Eq)]
pub enum SyncFlow {
    Connecting(Connecting),
    Certificate(Certificate),
    Waiting(Waiting),
    SyncNow(SyncNow),
    ConfirmCompany(ConfirmCompany),
    MissingOnly(MissingOnly),
    Planning(Planning),
    Selecting(Selecting),
    Running(Running),
    Report(Report),
}

/// The worker opens the connection and reads the company.
#[derive(Debug, PartialEq, Eq)]
pub struct Connecting {
    /// QuickBooks' certificate question was answered with a Yes during this connection.
    granted: bool,
    /// The operator closed QuickBooks' question without answering it: the connection then
    /// fails, and that is no error to show.
    dismissed: bool,
}

/// QuickBooks asks whether to let custsync in (the certificate, or "allow access this time?");
/// the worker waits for the operator.
#[derive(Debug, PartialEq, Eq)]
pub struct Certificate {
    granted: bool,
}

/// The connection waits for the QuickBooks Web Connector to call.
#[derive(Debug, PartialEq, Eq)]
pub struct Waiting {
    /// The operator asked to stop waiting.
    stopping: bool,
}

/// First access was just granted: "Synchronize now?" (No opens SetUp).
#[derive(Debug, PartialEq, Eq)]
pub struct SyncNow {
    company: CompanyInfo,
}

/// "Is this the right company?"
#[derive(Debug, PartialEq, Eq)]
pub struct ConfirmCompany {
    company: CompanyInfo,
}

/// "Show Missing Customers Only?"
#[derive(Debug, PartialEq, Eq)]
pub struct MissingOnly;

/// The worker reads both sides and compares them.
#[derive(Debug, PartialEq, Eq)]
pub struct Planning {
    missing_only: bool,
    /// A second comparison for panes already open: they take it in place, keeping their checks.
    in_place: bool,
}

/// The panes are open; the operator checks rows.
#[derive(Debug, PartialEq, Eq)]
pub struct Selecting {
    missing_only: bool,
}

/// The checked rows are being synchronized.
#[derive(Debug, PartialEq, Eq)]
pub struct Running {
    /// Rows that could not be checked, and why: the report says so.
    not_checked: Vec<String>,
}

/// The run is over and its report is on screen.
#[derive(Debug, PartialEq, Eq)]
pub struct Report;

/// What follows a connection: the question after first access, or the company straight away.
pub enum Connected {
    SyncNow(SyncNow),
    ConfirmCompany(ConfirmCompany),
}

impl Connecting {
    /// The operator asked to synchronize.
    pub fn start() -> Connecting {
        Connecting {
            granted: false,
            dismissed: false,
        }
    }

    /// QuickBooks asks its question.
    pub fn asked(self) -> Certificate {
        Certificate {
            granted: self.granted,
        }
    }

    /// The connection must wait for the Web Connector's call.
    pub fn waiting(self) -> Waiting {
        Waiting { stopping: false }
    }

    /// The session is open on `company`.
    pub fn connected(self, company: CompanyInfo) -> Connected {
        if self.granted {
            Connected::SyncNow(SyncNow { company })
        } else {
            Connected::ConfirmCompany(ConfirmCompany { company })
        }
    }
}

impl Certificate {
    /// The question was answered (and the answer sent to QuickBooks); `granted` for a Yes.
    pub fn answered(self, granted: bool) -> Connecting {
        Connecting {
            granted: self.granted || granted,
            dismissed: false,
        }
    }

    /// The question was closed without an answer: QuickBooks records nothing.
    pub fn dismissed(self) -> Connecting {
        Connecting {
            granted: self.granted,
            dismissed: true,
        }
    }
}

impl Waiting {
    /// The operator stops waiting; the connection then fails, and that is no error to show.
    pub fn stop(self) -> Waiting {
        Waiting { stopping: true }
    }

    pub fn stopping(&self) -> bool {
        self.stopping
    }

    /// The Web Connector called: QuickBooks asked its own questions on its own screen.
    pub fn connected(self, company: CompanyInfo) -> ConfirmCompany {
        ConfirmCompany { company }
    }
}

impl SyncNow {
    pub fn company(&self) -> &CompanyInfo {
        &self.company
    }

    /// Yes: on to the company.
    pub fn yes(self) -> ConfirmCompany {
        ConfirmCompany {
            company: self.company,
        }
    }
}

impl ConfirmCompany {
    pub fn company(&self) -> &CompanyInfo {
        &self.company
    }

    /// Yes, it is the right company.
    pub fn yes(self) -> MissingOnly {
        MissingOnly
    }
}

impl MissingOnly {
    /// The answer to "Show Missing Customers Only?" starts the comparison.
    pub fn answered(self, missing_only: bool) -> Planning {
        Planning {
            missing_only,
            in_place: false,
        }
    }
}

impl Planning {
    pub fn missing_only(&self) -> bool {
        self.missing_only
    }

    /// Whether open panes take this comparison in place.
    pub fn in_place(&self) -> bool {
        self.in_place
    }

    /// The plan came back: the panes open (or take it in place).
    pub fn ready(self) -> Selecting {
        Selecting {
            missing_only: self.missing_only,
        }
    }
}

impl Selecting {
    /// Compare again on the same connection, without asking anything again.
    pub fn replan(self) -> Planning {
        Planning {
            missing_only: self.missing_only,
            in_place: true,
        }
    }

    /// The run confirmation said Yes; `not_checked` names the rows that could not be checked.
    pub fn run(self, not_checked: Vec<String>) -> Running {
        Running { not_checked }
    }
}

impl Running {
    pub fn not_checked(&self) -> &[String] {
        &self.not_checked
    }

    pub fn finished(self) -> Report {
        Report
    }
}

impl SyncFlow {
    /// Whether the worker is busy reaching QuickBooks for this flow (a second Synchronize
    /// would only queue behind it).
    pub fn is_connecting(&self) -> bool {
        matches!(
            self,
            SyncFlow::Connecting(_) | SyncFlow::Certificate(_) | SyncFlow::Waiting(_)
        )
    }

    /// The operator asked to stop waiting for the Web Connector.
    pub fn stopped_waiting(&self) -> bool {
        matches!(self, SyncFlow::Waiting(w) if w.stopping())
    }

    /// The operator closed QuickBooks' question without answering.
    pub fn question_dismissed(&self) -> bool {
        matches!(self, SyncFlow::Connecting(c) if c.dismissed)
    }
}

macro_rules! into_flow {
    ($($step:ident),*) => {$(
        impl From<$step> for SyncFlow {
            fn from(s: $step) -> SyncFlow {
                SyncFlow::$step(s)
            }
        }
    )*};
}

into_flow!(
    Connecting,
    Certificate,
    Waiting,
    SyncNow,
    ConfirmCompany,
    MissingOnly,
    Planning,
    Selecting,
    Running,
    Report
);

impl From<Connected> for SyncFlow {
    fn from(c: Connected) -> SyncFlow {
        match c {
            Connected::SyncNow(s) => s.into(),
            Connected::ConfirmCompany(s) => s.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company() -> CompanyInfo {
        CompanyInfo {
            name: "Acme".into(),
            file: "/a.QBW".into(),
            product: "QuickBooks".into(),
            qbxml_version: "16.0".into(),
            customer_count: 3,
        }
    }

    #[test]
    fn first_access_asks_synchronize_now_and_a_known_company_goes_straight_to_it() {
        let granted = Connecting::start().asked().answered(true);
        assert!(matches!(
            granted.connected(company()),
            Connected::SyncNow(_)
        ));
        let refused = Connecting::start().asked().answered(false);
        assert!(matches!(
            refused.connected(company()),
            Connected::ConfirmCompany(_)
        ));
        // "Allow access this time?" after a grant does not take the grant back.
        let again = Connecting::start()
            .asked()
            .answered(true)
            .asked()
            .answered(false);
        assert!(matches!(again.connected(company()), Connected::SyncNow(_)));
    }

    #[test]
    fn the_steps_run_in_order_to_the_report() {
        let Connected::ConfirmCompany(c) = Connecting::start().connected(company()) else {
            panic!("no company question");
        };
        assert_eq!(c.company().name, "Acme");
        let planning = c.yes().answered(true);
        assert!(planning.missing_only());
        let selecting = planning.ready().replan().ready();
        let report = selecting.run(Vec::new()).finished();
        assert_eq!(SyncFlow::from(report), SyncFlow::Report(Report));
    }

    #[test]
    fn a_dismissed_question_is_remembered_and_a_replan_keeps_the_mode() {
        let flow = SyncFlow::from(Connecting::start().asked().dismissed());
        assert!(flow.question_dismissed());
        let planning = Connecting::start().asked().answered(false);
        let Connected::ConfirmCompany(c) = planning.connected(company()) else {
            panic!("no company question");
        };
        let again = c.yes().answered(false).ready().replan();
        assert!(!again.missing_only() && again.in_place());
    }

    #[test]
    fn stopping_the_wait_is_remembered_until_the_connection_ends() {
        let w = Connecting::start().waiting();
        assert!(!SyncFlow::from(Connecting::start().waiting()).stopped_waiting());
        let flow = SyncFlow::from(w.stop());
        assert!(flow.stopped_waiting() && flow.is_connecting());
    }
}
