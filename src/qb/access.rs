//! QuickBooks' first-access authorization ("QuickBooks – Application Certificate"), as an
//! interface the connection calls and the operator's front end answers.
//!
//! Real QuickBooks shows this dialog itself. The sandbox has no window of its own, so it asks
//! custsync's front end to show it on the simulated QuickBooks' behalf (SPEC §5.2). A headless run
//! has nobody to ask and uses [`NoPrompt`].

/// What QuickBooks asks when an application first touches a company file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateRequest {
    pub app_name: String,
    pub company_file: String,
    /// QuickBooks users that may be chosen for "Login as" with "Yes, always".
    pub login_users: Vec<String>,
    /// Whether the application asked for personal data (custsync does not).
    pub personal_data_requested: bool,
}

/// The operator's answer to the certificate dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertificateAnswer {
    /// "No": QuickBooks refuses the application (HRESULT 0x80040420).
    No,
    /// "Yes, prompt each time".
    PromptEachTime { allow_personal_data: bool },
    /// "Yes, whenever this QuickBooks company file is open".
    WhenOpen { allow_personal_data: bool },
    /// "Yes, always; allow access even if QuickBooks is not running", logging in as `login_as`.
    Always {
        login_as: String,
        allow_personal_data: bool,
    },
}

/// Whoever can answer QuickBooks' questions for the operator.
pub trait AccessPrompt {
    /// First access: the Application Certificate dialog. `None` means nobody can be asked (a
    /// headless run), which QuickBooks reports as "never authorized" (0x80040418).
    fn certificate(&mut self, request: &CertificateRequest) -> Option<CertificateAnswer>;

    /// "Prompt each time" access: QuickBooks asks again on every connection. `None`: nobody can
    /// be asked.
    fn allow_this_time(&mut self, app_name: &str, company_file: &str) -> Option<bool>;
}

/// For headless runs: nobody is there to answer.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoPrompt;

impl AccessPrompt for NoPrompt {
    fn certificate(&mut self, _request: &CertificateRequest) -> Option<CertificateAnswer> {
        None
    }

    fn allow_this_time(&mut self, _app_name: &str, _company_file: &str) -> Option<bool> {
        None
    }
}
