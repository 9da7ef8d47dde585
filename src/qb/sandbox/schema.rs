//! The content models of the requests the sandbox implements, in the schema's order, with the
//! maximum lengths and first versions QuickBooks applies (qbXML 13.0 and 16.0 agree on all of
//! them; earlier versions lack the elements marked `since`). Written from Intuit's qbXML schema and
//! the reference §2–§4; `tests/sandbox/schema_table.rs` checks them against the XSDs.
//!
//! The elements custsync maps take their lengths from its field table ([`field`]), so custsync's
//! own checks and the sandbox's refusals use one set of limits, and the XSD test pins them both.

use crate::qbxml::fields::Shape;
use crate::qbxml::rules::{MAX_TYPE_FULL_NAME, MAX_TYPE_NAME};
use crate::qbxml::{Field, ListDelType};

use super::grammar::{Node, Ty, choice, group, leaf, seq};

const fn s(name: &'static str, max: u32) -> Node {
    leaf(name, Ty::Str(max)).opt()
}

/// The maximum length of a mapped field (0: none).
const fn max_of(f: Field) -> u32 {
    match f.max_len() {
        Some(n) => n as u32,
        None => 0,
    }
}

/// The optional text leaf carrying a mapped field (a plain element or an address part).
const fn field(f: Field) -> Node {
    match f.shape() {
        Shape::Plain(e) | Shape::InAddress(_, e) => s(e, max_of(f)),
        // Only const items call this, so a Ref field here stops the build; it cannot panic at run
        // time.
        #[allow(
            clippy::panic,
            reason = "evaluated at compile time: a misuse fails the build"
        )]
        Shape::Ref(_) => panic!("a …Ref field is a group: use list_ref(max_of(field))"),
    }
}

const ACTIVE_STATUS: Ty = Ty::Enum(&["ActiveOnly", "InactiveOnly", "All"]);
const MATCH_CRITERION: Ty = Ty::Enum(&["StartsWith", "Contains", "EndsWith"]);
const OPERATOR: Ty = Ty::Enum(&[
    "LessThan",
    "LessThanEqual",
    "Equal",
    "GreaterThan",
    "GreaterThanEqual",
]);

/// AddressData. Bill and ship addresses have the same limits; the bill fields stand for both.
pub const ADDRESS: &[Node] = &[
    field(Field::BillAddr1),
    field(Field::BillAddr2),
    field(Field::BillAddr3),
    field(Field::BillAddr4).since(2, 0),
    field(Field::BillAddr5).since(6, 0),
    field(Field::BillCity),
    field(Field::BillState),
    field(Field::BillPostalCode),
    field(Field::BillCountry),
    s("Note", 41).since(6, 0),
];

const SHIP_TO_ADDRESS: &[Node] = &[
    leaf("Name", Ty::Str(41)),
    seq(ADDRESS),
    leaf("DefaultShipTo", Ty::Bool).opt(),
];

const fn list_ref(full_name_max: u32) -> [Node; 2] {
    [leaf("ListID", Ty::Id).opt(), s("FullName", full_name_max)]
}

const REF_159: &[Node] = &list_ref(159);
const REF_31: &[Node] = &list_ref(31);
const REF_64: &[Node] = &list_ref(64);
const CUSTOMER_TYPE_REF: &[Node] = &list_ref(max_of(Field::CustomerType));
const TERMS_REF: &[Node] = &list_ref(max_of(Field::Terms));
const SALES_REP_REF: &[Node] = &list_ref(max_of(Field::SalesRep));
const SALES_TAX_CODE_REF: &[Node] = &list_ref(max_of(Field::SalesTaxCode));
const JOB_TYPE_REF: &[Node] = &list_ref(MAX_TYPE_FULL_NAME as u32);
/// GenericListRef: a FullName without a schema maximum (a customer's is up to 209).
const REF_ANY: &[Node] = &list_ref(0);

const PERSON_NAME: &[Node] = &[
    s("Salutation", 15),
    field(Field::FirstName),
    s("MiddleName", 5),
    field(Field::LastName),
    s("Suffix", 0),
];

const COMM_INFO: &[Node] = &[
    field(Field::Phone),
    s("Mobile", 21),
    s("Pager", 21),
    field(Field::AltPhone),
    field(Field::Fax),
    field(Field::Email),
    s("Cc", 1023).since(12, 0),
    field(Field::Contact),
    s("AltContact", 41),
];

const ADDITIONAL_CONTACT_REF: &[Node] = &[
    leaf("ContactName", Ty::Str(40)),
    leaf("ContactValue", Ty::Str(255)),
];

const CONTACTS: &[Node] = &[
    s("Salutation", 15),
    leaf("FirstName", Ty::Str(25)),
    s("MiddleName", 5),
    s("LastName", 25),
    s("JobTitle", 41),
    group("AdditionalContactRef", ADDITIONAL_CONTACT_REF).upto(5),
];

const CREDIT_CARD_INFO: &[Node] = &[
    s("CreditCardNumber", 25),
    leaf("ExpirationMonth", Ty::Int).opt(),
    leaf("ExpirationYear", Ty::Int).opt(),
    s("NameOnCard", 41),
    s("CreditCardAddress", 41),
    s("CreditCardPostalCode", 41),
];

const JOB_STATUS: Ty = Ty::Enum(&[
    "Awarded",
    "Closed",
    "InProgress",
    "None",
    "NotAwarded",
    "Pending",
]);

pub const CUSTOMER_ADD: &[Node] = &[
    leaf("Name", Ty::Str(max_of(Field::Name))),
    leaf("IsActive", Ty::Bool).opt(),
    group("ClassRef", REF_159).opt().since(12, 0),
    group("ParentRef", REF_ANY).opt(),
    field(Field::CompanyName),
    seq(PERSON_NAME),
    s("JobTitle", 41).since(12, 0),
    group("BillAddress", ADDRESS).opt(),
    group("ShipAddress", ADDRESS).opt(),
    group("ShipToAddress", SHIP_TO_ADDRESS)
        .upto(50)
        .since(12, 0),
    s("PrintAs", 41),
    seq(COMM_INFO),
    group("AdditionalContactRef", ADDITIONAL_CONTACT_REF)
        .upto(8)
        .since(12, 0),
    group("Contacts", CONTACTS).many().since(12, 0),
    group("CustomerTypeRef", CUSTOMER_TYPE_REF).opt(),
    group("TermsRef", TERMS_REF).opt(),
    group("SalesRepRef", SALES_REP_REF).opt(),
    leaf("OpenBalance", Ty::Amt).opt(),
    leaf("OpenBalanceDate", Ty::Date).opt(),
    group("SalesTaxCodeRef", SALES_TAX_CODE_REF).opt(),
    group("ItemSalesTaxRef", REF_31).opt(),
    leaf(
        "SalesTaxCountry",
        Ty::Enum(&["Australia", "Canada", "UK", "US"]),
    )
    .opt()
    .since(6, 0),
    field(Field::ResaleNumber),
    field(Field::AccountNumber),
    leaf("CreditLimit", Ty::Amt).opt(),
    group("PreferredPaymentMethodRef", REF_31).opt().since(3, 0),
    group("CreditCardInfo", CREDIT_CARD_INFO).opt().since(3, 0),
    leaf("JobStatus", JOB_STATUS).opt(),
    leaf("JobStartDate", Ty::Date).opt(),
    leaf("JobProjectedEndDate", Ty::Date).opt(),
    leaf("JobEndDate", Ty::Date).opt(),
    s("JobDesc", 99),
    group("JobTypeRef", JOB_TYPE_REF).opt(),
    field(Field::Notes).since(3, 0),
    group("AdditionalNotes", &[leaf("Note", Ty::Str(4095))])
        .many()
        .since(12, 0),
    leaf("IsStatementWithParent", Ty::Bool).opt(),
    leaf("DeliveryMethod", Ty::Enum(&["Email", "Fax", "Print"])).opt(),
    leaf(
        "PreferredDeliveryMethod",
        Ty::Enum(&["None", "Email", "Fax"]),
    )
    .opt()
    .since(12, 0),
    group("PriceLevelRef", REF_31).opt().since(4, 0),
    leaf("ExternalGUID", Ty::Guid).opt().since(8, 0),
    s("TaxRegistrationNumber", 30).since(8, 0),
    group("CurrencyRef", REF_64).opt().since(8, 0),
];

const INCLUDE_RET: Node = leaf("IncludeRetElement", Ty::Str(50)).many().since(4, 0);
const OWNER_ID: Node = leaf("OwnerID", Ty::Guid).many().since(2, 0);

const NAME_FILTER: &[Node] = &[
    leaf("MatchCriterion", MATCH_CRITERION),
    leaf("Name", Ty::Str(0)),
];
const NAME_RANGE_FILTER: &[Node] = &[s("FromName", 0), s("ToName", 0)];

const LIST_FILTER: &[Node] = &[
    leaf("MaxReturned", Ty::Int).opt(),
    leaf("ActiveStatus", ACTIVE_STATUS).opt(),
    leaf("FromModifiedDate", Ty::DateTime).opt(),
    leaf("ToModifiedDate", Ty::DateTime).opt(),
    choice(&[
        &[group("NameFilter", NAME_FILTER)],
        &[group("NameRangeFilter", NAME_RANGE_FILTER)],
    ])
    .opt(),
];

const BY_LIST_ID: &[Node] = &[leaf("ListID", Ty::Id).plus()];
const BY_FULL_NAME: &[Node] = &[leaf("FullName", Ty::Str(0)).plus()];

/// CustomerListFilter and VendorListFilter: ListFilter plus balance, currency and class.
const ENTITY_FILTER: &[Node] = &[
    seq(LIST_FILTER),
    group(
        "TotalBalanceFilter",
        &[leaf("Operator", OPERATOR), leaf("Amount", Ty::Amt)],
    )
    .opt(),
    group(
        "CurrencyFilter",
        &[choice(&[
            &[leaf("ListID", Ty::Id).plus()],
            &[leaf("FullName", Ty::Str(64)).plus()],
        ])],
    )
    .opt()
    .since(8, 0),
    group(
        "ClassFilter",
        &[choice(&[
            &[leaf("ListID", Ty::Id).plus()],
            &[leaf("FullName", Ty::Str(0)).plus()],
            &[leaf("ListIDWithChildren", Ty::Id)],
            &[leaf("FullNameWithChildren", Ty::Str(0))],
        ])],
    )
    .opt()
    .since(12, 0),
];

/// CustomerQueryRq and VendorQueryRq.
const ENTITY_SELECTION: &[&[Node]] = &[BY_LIST_ID, BY_FULL_NAME, ENTITY_FILTER];
const LIST_SELECTION: &[&[Node]] = &[BY_LIST_ID, BY_FULL_NAME, LIST_FILTER];

pub const ENTITY_QUERY: &[Node] = &[choice(ENTITY_SELECTION).opt(), INCLUDE_RET, OWNER_ID];

/// CustomerTypeQueryRq and JobTypeQueryRq (ListQuery).
pub const LIST_QUERY: &[Node] = &[choice(LIST_SELECTION).opt(), INCLUDE_RET];

/// EmployeeQueryRq and OtherNameQueryRq (ListQueryWithOwnerID).
pub const LIST_QUERY_WITH_OWNER: &[Node] = &[choice(LIST_SELECTION).opt(), INCLUDE_RET, OWNER_ID];

pub const HOST_QUERY: &[Node] = &[
    group(
        "IncludeListMetaData",
        &[leaf("IncludeMaxCapacity", Ty::Bool)],
    )
    .opt()
    .since(6, 0),
    INCLUDE_RET,
];

pub const COMPANY_QUERY: &[Node] = &[INCLUDE_RET, OWNER_ID];

pub const CUSTOMER_ADD_RQ: &[Node] = &[group("CustomerAdd", CUSTOMER_ADD), INCLUDE_RET];

/// ListDeletedQueryRq (not iterable; metaData only).
pub const LIST_DELETED_QUERY: &[Node] = &[
    leaf("ListDelType", Ty::Enum(ListDelType::NAMES)).plus(),
    group(
        "DeletedDateRangeFilter",
        &[
            leaf("FromDeletedDate", Ty::DateTime).opt(),
            leaf("ToDeletedDate", Ty::DateTime).opt(),
        ],
    )
    .opt(),
    INCLUDE_RET,
];

const TYPE_ADD: &[Node] = &[
    leaf("Name", Ty::Str(MAX_TYPE_NAME as u32)),
    leaf("IsActive", Ty::Bool).opt(),
    group("ParentRef", REF_ANY).opt(),
];

pub const CUSTOMER_TYPE_ADD_RQ: &[Node] = &[group("CustomerTypeAdd", TYPE_ADD), INCLUDE_RET];
pub const JOB_TYPE_ADD_RQ: &[Node] = &[group("JobTypeAdd", TYPE_ADD), INCLUDE_RET];

/// Attributes an `…Rq` element may carry, beyond `requestID`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RqAttrs {
    /// requestID only.
    Plain,
    /// requestID and metaData (list queries).
    MetaData,
    /// requestID, metaData, iterator and iteratorID (iterable queries, qbXML 5.0+).
    Iterable,
}

impl RqAttrs {
    pub fn allows(self, name: &str) -> bool {
        match name {
            "requestID" => true,
            "metaData" => self != RqAttrs::Plain,
            "iterator" | "iteratorID" => self == RqAttrs::Iterable,
            _ => false,
        }
    }
}
