//! One module per screen, plus the workflow's dialogs.

pub mod certificate;
pub mod customer_form;
pub mod dialogs;
pub mod history;
pub mod list_picker;
pub mod maintain;
pub mod progress;
pub mod setup;
pub mod sync;
pub mod waiting;
