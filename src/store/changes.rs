//! The local changes a run makes (imports and replacements), each written together with its
//! link and journal entries so the journal always tells the truth and undo has the previous
//! values.

use super::{
    Change, Column, Customer, CustomerRecord, EntryKind, NewEntry, RunId, StoreError, StoreTx,
};

impl StoreTx<'_> {
    /// Adds a QuickBooks customer to SMSTurbo: creates the customer, links it to `list_id` in
    /// `company` and journals `imported` in `run` (with the revision undo checks). A code that
    /// exists already is refused ([`StoreError::DuplicateCode`]); the caller's transaction then
    /// rolls back, or the caller skips this customer and journals the failure.
    pub fn import_customer(
        &mut self,
        run: RunId,
        company: &str,
        customer: &Customer,
        list_id: &str,
    ) -> Result<CustomerRecord, StoreError> {
        let (id, record) = self.insert_customer(customer.normalized()?)?;
        let code = record.customer.code().to_string();
        self.link_id(id, &code, company, list_id, None, None)?;
        self.journal_revision(
            run,
            &NewEntry {
                list_id: Some(list_id.to_string()),
                new: Some(record.customer.name().to_string()),
                ..NewEntry::new(EntryKind::Imported, &code)
            },
            Some(record.revision),
        )?;
        Ok(record)
    }

    /// Replaces some values of customer `code` (e.g. the Replace Options groups copied from
    /// QuickBooks) and journals one `replaced` entry per value that actually changed, with the
    /// previous and new value. `list_id` (the QuickBooks customer the values came from) is
    /// recorded with each entry. `None` clears a value; the status takes `Active`, `Hold`,
    /// `Prospect` or `Inactive`. A replaced field loses its QuickBooks spelling. Returns the
    /// changes made (none if every value was already equal).
    pub fn replace_fields(
        &mut self,
        run: RunId,
        code: &str,
        list_id: Option<&str>,
        values: &[(Column, Option<String>)],
    ) -> Result<Vec<Change>, StoreError> {
        // A field given QuickBooks' own value needs no QuickBooks spelling any more; dropping
        // it is journaled with the value, so undo brings both back.
        let spellings_dropped = values.iter().filter_map(|(column, _)| match column {
            Column::Field(f) if super::column::has_qb_spelling(*f) => {
                Some((Column::QbSpelling(*f), None))
            }
            _ => None,
        });
        let values: Vec<(Column, Option<String>)> =
            values.iter().cloned().chain(spellings_dropped).collect();
        let (record, changes) = self.set_columns(code, &values)?;
        self.journal_changes(run, &record, list_id, &changes, EntryKind::Replaced)?;
        Ok(changes)
    }

    pub(crate) fn journal_changes(
        &mut self,
        run: RunId,
        record: &CustomerRecord,
        list_id: Option<&str>,
        changes: &[Change],
        kind: EntryKind,
    ) -> Result<(), StoreError> {
        for change in changes {
            self.journal_revision(
                run,
                &NewEntry {
                    list_id: list_id.map(str::to_string),
                    column: Some(change.column),
                    previous: change.previous.clone(),
                    new: change.new.clone(),
                    ..NewEntry::new(kind, record.customer.code())
                },
                Some(record.revision),
            )?;
        }
        Ok(())
    }
}
