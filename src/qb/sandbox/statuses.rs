//! The statuses the sandbox answers with, worded as QuickBooks words them. Texts come from Intuit's
//! status-code table ("Status codes in response messages"; its copies on amigopos.com and
//! etechrecovery.com) and from observed responses quoted in the reference §1.4. Where QuickBooks'
//! wording is unknown the text says so in its own words.

use crate::qbxml::Status;
use crate::qbxml::status::codes;

/// A value quoted in a status message. Real values are echoed whole (no QuickBooks field holds
/// more than 4,095 characters, and names far fewer); absurd ones (a 10 MB "name") are shortened so
/// the response stays a response.
fn clip(value: &str) -> String {
    super::grammar::clip_to(value, 4_095)
}

pub fn ok() -> Status {
    Status::ok()
}

/// 1: a filter found nothing.
pub fn no_match() -> Status {
    Status::new(
        codes::NO_MATCH,
        "A query request did not find a matching object in QuickBooks",
    )
}

/// 500: some of the listed ListIDs or FullNames do not exist; the rest are returned. Like every
/// value quoted in a status message, an absurdly long one is shortened.
pub fn not_all_found(missing: &str) -> Status {
    Status::new(
        codes::PARTIAL_MATCH,
        format!(
            "The query request has not been fully completed. There was a required element (\"{}\") that could not be found in QuickBooks.",
            clip(missing)
        ),
    )
}

/// 1030: a request the schema allows but this implementation does not. Intuit's table defines
/// 1030 "Unsupported message: This request is not supported by this implementation", which is
/// what QuickBooks answers for a message its edition lacks; it fits the sandbox exactly, and its
/// Error severity makes stopOnError stop there, as a real refusal would.
pub fn unsupported() -> Status {
    Status::new(
        codes::UNSUPPORTED,
        "This request is not supported by this implementation.",
    )
}

/// 1060: requestID longer than 50 characters.
pub fn invalid_request_id(id: &str) -> Status {
    Status::new(
        codes::INVALID_REQUEST_ID,
        format!(
            "The request ID \"{}\" is invalid, possibly too long. (The maximum is 50 characters.)",
            clip(id)
        ),
    )
}

/// 3030: FromModifiedDate after ToModifiedDate.
pub fn invalid_date_range() -> Status {
    Status::new(
        codes::INVALID_DATE_RANGE,
        "Invalid date range: From date is greater than To date.",
    )
}

/// 3070: a string longer than its field allows. Long values are shortened in the message.
pub fn too_long(value: &str, field: &str) -> Status {
    Status::new(
        codes::STRING_TOO_LONG,
        format!(
            "The string \"{}\" in the field \"{field}\" is too long.",
            clip(value)
        ),
    )
}

/// 3100: the name is taken.
pub fn name_in_use(name: &str) -> Status {
    Status::new(
        codes::NAME_IN_USE,
        format!(
            "The name \"{}\" of the list element is already in use.",
            clip(name)
        ),
    )
}

/// 3120: a ListID that does not exist.
pub fn object_not_found(list_id: &str) -> Status {
    Status::new(
        codes::OBJECT_NOT_FOUND,
        format!(
            "Object \"{}\" specified in the request cannot be found.",
            clip(list_id)
        ),
    )
}

/// 3140: a FullName reference to a list entry that does not exist.
pub fn invalid_reference(list_noun: &str, value: &str, object: &str) -> Status {
    Status::new(
        codes::INVALID_REFERENCE,
        format!(
            "There is an invalid reference to QuickBooks {list_noun} \"{}\" in the {object}. QuickBooks error message: Invalid argument.  The specified record does not exist in the list.",
            clip(value)
        ),
    )
}

/// 3150: a required value is empty.
pub fn missing_element(name: &str) -> Status {
    Status::new(
        codes::MISSING_ELEMENT,
        format!("There is a missing element: \"{name}\"."),
    )
}

/// 3210: a value QuickBooks cannot store, with QuickBooks' reason.
pub fn invalid_value(field: &str, value: &str, reason: &str) -> Status {
    Status::new(
        codes::INVALID_VALUE,
        format!(
            "The \"{field}\" field has an invalid value \"{}\".  QuickBooks error message: {reason}",
            clip(value)
        ),
    )
}

/// 3391: unknown, foreign or expired iteratorID.
pub fn iterator_invalid(id: &str) -> Status {
    Status::new(
        codes::ITERATOR_INVALID,
        format!("The iteratorID \"{}\" is not valid.", clip(id)),
    )
}
