//! The qbXML messages custsync uses, as typed values.
//!
//! These types are shared by both directions: custsync writes requests and reads responses
//! (`write.rs`, `read.rs`); the sandbox reads requests and writes responses. Keeping one set of
//! types means a round trip through the sandbox can be compared value for value.

use super::fields::CustomerData;
use super::status::Status;
use super::version::QbxmlVersion;

/// `QBXMLMsgsRq/@onError`. `rollbackOnError` is left out on purpose: QuickBooks Desktop refuses it
/// (HRESULT 0x80040413).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnError {
    StopOnError,
    ContinueOnError,
}

impl OnError {
    pub fn as_str(self) -> &'static str {
        match self {
            OnError::StopOnError => "stopOnError",
            OnError::ContinueOnError => "continueOnError",
        }
    }
}

/// A whole request document: one `QBXMLMsgsRq` with its requests.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestDoc {
    pub version: QbxmlVersion,
    pub on_error: OnError,
    /// Set on every document that writes, so a lost response can be recovered.
    pub new_message_set_id: Option<String>,
    /// Asks QuickBooks for the stored response of an earlier document.
    pub old_message_set_id: Option<String>,
    pub requests: Vec<Request>,
}

impl RequestDoc {
    pub fn new(version: QbxmlVersion, on_error: OnError) -> Self {
        RequestDoc {
            version,
            on_error,
            new_message_set_id: None,
            old_message_set_id: None,
            requests: Vec::new(),
        }
    }

    pub fn push(&mut self, request_id: impl Into<String>, body: RequestBody) -> &mut Self {
        self.requests.push(Request {
            request_id: request_id.into(),
            body,
        });
        self
    }
}

/// One `…Rq` element with its `requestID`.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub request_id: String,
    pub body: RequestBody,
}

/// The requests custsync sends. There is deliberately no CustomerMod: custsync never modifies an
/// existing QuickBooks customer (SPEC §5.8).
#[derive(Clone, Debug, PartialEq)]
pub enum RequestBody {
    HostQuery,
    CompanyQuery,
    CustomerQuery(CustomerQuery),
    CustomerAdd(Box<CustomerAdd>),
    CustomerTypeQuery(ListQuery),
    CustomerTypeAdd(ListAdd),
    JobTypeQuery(ListQuery),
    JobTypeAdd(ListAdd),
    /// Standard and date-driven terms (`TermsRef` values), one list.
    TermsQuery(ListQuery),
    /// VendorQuery, EmployeeQuery or OtherNameQuery by FullName, to find name collisions.
    NameQuery(NameList, NameQuery),
    /// Which list records QuickBooks deleted (or merged away), and when.
    ListDeletedQuery(ListDeletedQuery),
}

impl RequestBody {
    /// The request element's name without the `Rq` suffix, e.g. `CustomerAdd`.
    pub fn message_name(&self) -> &'static str {
        match self {
            RequestBody::HostQuery => "HostQuery",
            RequestBody::CompanyQuery => "CompanyQuery",
            RequestBody::CustomerQuery(_) => "CustomerQuery",
            RequestBody::CustomerAdd(_) => "CustomerAdd",
            RequestBody::CustomerTypeQuery(_) => "CustomerTypeQuery",
            RequestBody::CustomerTypeAdd(_) => "CustomerTypeAdd",
            RequestBody::JobTypeQuery(_) => "JobTypeQuery",
            RequestBody::JobTypeAdd(_) => "JobTypeAdd",
            RequestBody::TermsQuery(_) => "TermsQuery",
            RequestBody::NameQuery(list, _) => list.query_name(),
            RequestBody::ListDeletedQuery(_) => "ListDeletedQuery",
        }
    }
}

/// The non-customer name lists that share the customer name space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameList {
    Vendor,
    Employee,
    OtherName,
}

impl NameList {
    pub const ALL: [NameList; 3] = [NameList::Vendor, NameList::Employee, NameList::OtherName];

    pub fn query_name(self) -> &'static str {
        match self {
            NameList::Vendor => "VendorQuery",
            NameList::Employee => "EmployeeQuery",
            NameList::OtherName => "OtherNameQuery",
        }
    }

    pub fn ret_name(self) -> &'static str {
        match self {
            NameList::Vendor => "VendorRet",
            NameList::Employee => "EmployeeRet",
            NameList::OtherName => "OtherNameRet",
        }
    }

    /// For people, with its article: "a vendor", "an employee", "an other name".
    pub fn a_noun(self) -> &'static str {
        match self {
            NameList::Vendor => "a vendor",
            NameList::Employee => "an employee",
            NameList::OtherName => "an other name",
        }
    }

    /// For people, after "a"/"the": "vendor", "employee", "other name".
    pub fn noun(self) -> &'static str {
        match self {
            NameList::Vendor => "vendor",
            NameList::Employee => "employee",
            NameList::OtherName => "other name",
        }
    }
}

/// `ActiveStatus` in a query filter. QuickBooks' default is [`ActiveStatus::ActiveOnly`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ActiveStatus {
    #[default]
    ActiveOnly,
    InactiveOnly,
    All,
}

impl ActiveStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActiveStatus::ActiveOnly => "ActiveOnly",
            ActiveStatus::InactiveOnly => "InactiveOnly",
            ActiveStatus::All => "All",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchCriterion {
    StartsWith,
    Contains,
    EndsWith,
}

impl MatchCriterion {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchCriterion::StartsWith => "StartsWith",
            MatchCriterion::Contains => "Contains",
            MatchCriterion::EndsWith => "EndsWith",
        }
    }
}

/// `NameFilter` or `NameRangeFilter`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameFilter {
    Match {
        criterion: MatchCriterion,
        name: String,
    },
    Range {
        from: Option<String>,
        to: Option<String>,
    },
}

/// The filter branch of a list query.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ListFilter {
    pub max_returned: Option<u32>,
    pub active_status: Option<ActiveStatus>,
    /// DATETIMETYPE text, e.g. `2024-01-01T00:00:00`.
    pub from_modified_date: Option<String>,
    pub to_modified_date: Option<String>,
    pub name_filter: Option<NameFilter>,
}

/// Which records a list query asks for: the three branches of the schema's choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    ListIds(Vec<String>),
    FullNames(Vec<String>),
    Filter(ListFilter),
}

impl Default for Selection {
    fn default() -> Self {
        Selection::Filter(ListFilter::default())
    }
}

/// The `iterator` / `iteratorID` attributes of an iterable query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IteratorRq {
    Start,
    Continue(String),
    Stop(String),
}

/// `CustomerQueryRq`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CustomerQuery {
    pub iterator: Option<IteratorRq>,
    /// `metaData="MetaDataOnly"`: only the count comes back (`retCount`).
    pub metadata_only: bool,
    pub selection: Selection,
    /// `IncludeRetElement`: only these CustomerRet elements come back (plus ListID etc.).
    pub include_ret: Vec<String>,
}

/// `CustomerTypeQueryRq` / `JobTypeQueryRq` / `TermsQueryRq` (not iterable).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ListQuery {
    pub selection: Selection,
    pub include_ret: Vec<String>,
}

/// `VendorQueryRq` / `EmployeeQueryRq` / `OtherNameQueryRq` by FullName.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NameQuery {
    pub full_names: Vec<String>,
}

/// A `ListID` or `FullName` reference (`ParentRef`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListRef {
    pub list_id: Option<String>,
    pub full_name: Option<String>,
}

/// `CustomerAdd`. The mapped fields (Name included) come from `data`; the rest are the extra
/// elements custsync sets on a new customer.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CustomerAdd {
    pub data: CustomerData,
    pub is_active: Option<bool>,
    pub parent: Option<ListRef>,
    /// `JobTypeRef/FullName`: the export default "Customer Job".
    pub job_type: Option<String>,
    /// `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`: lets custsync find the customer again after a
    /// lost response.
    pub external_guid: Option<String>,
    pub include_ret: Vec<String>,
}

/// `CustomerTypeAdd` / `JobTypeAdd`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ListAdd {
    pub name: String,
    pub is_active: Option<bool>,
    pub parent_full_name: Option<String>,
}

macro_rules! list_del_types {
    ($($variant:ident),* $(,)?) => {
        /// `ListDelType`: the lists whose deletions `ListDeletedQueryRq` reports (the same 38
        /// values in qbXML 13.0 and 16.0).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ListDelType { $($variant),* }

        impl ListDelType {
            pub const ALL: &'static [ListDelType] = &[$(ListDelType::$variant),*];
            /// The schema's enumeration, in its order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($variant)),*];

            pub fn as_str(self) -> &'static str {
                match self { $(ListDelType::$variant => stringify!($variant)),* }
            }

            pub fn parse(text: &str) -> Option<ListDelType> {
                match text { $(stringify!($variant) => Some(ListDelType::$variant),)* _ => None }
            }
        }
    };
}

list_del_types![
    Account,
    BillingRate,
    Class,
    Currency,
    Customer,
    CustomerMsg,
    CustomerType,
    DateDrivenTerms,
    Employee,
    InventorySite,
    ItemDiscount,
    ItemFixedAsset,
    ItemGroup,
    ItemInventory,
    ItemInventoryAssembly,
    ItemNonInventory,
    ItemOtherCharge,
    ItemPayment,
    ItemSalesTax,
    ItemSalesTaxGroup,
    ItemService,
    ItemSubtotal,
    JobType,
    OtherName,
    PaymentMethod,
    PayrollItemNonWage,
    PayrollItemWage,
    PriceLevel,
    SalesRep,
    SalesTaxCode,
    ShipMethod,
    StandardTerms,
    ToDo,
    UnitOfMeasureSet,
    Vehicle,
    Vendor,
    VendorType,
    WorkersCompCode,
];

/// `ListDeletedQueryRq`: the deleted records of one or more lists, optionally only those deleted
/// within a range (`DeletedDateRangeFilter`, inclusive). QuickBooks keeps deletion records for
/// about 90 days. A customer merged into another is reported here as deleted; a job is a record
/// of the Customer list.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ListDeletedQuery {
    /// At least one (the schema requires it).
    pub types: Vec<ListDelType>,
    /// DATETIMETYPE text, as for `FromModifiedDate`.
    pub from_deleted_date: Option<String>,
    pub to_deleted_date: Option<String>,
    pub include_ret: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Responses

/// A whole response document: one `QBXMLMsgsRs`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ResponseDoc {
    pub new_message_set_id: Option<String>,
    pub message_set_status_code: Option<i32>,
    pub responses: Vec<Response>,
}

/// The `messageSetStatusCode` values of error recovery, as Intuit's QBFC sample checks them.
pub mod message_set_status {
    /// The stored response is returned (or the new set was run and stored).
    pub const OK: i32 = 0;
    /// No stored state matches the `oldMessageSetID`.
    pub const NO_STORED_STATE: i32 = 600;
    /// The `newMessageSetID` matches the stored one but the content does not.
    pub const BAD_CHECKSUM: i32 = 9001;
    /// The set's response was not stored.
    pub const NO_STORED_RESPONSE: i32 = 9002;
    /// A message set ID longer than 24 characters.
    pub const ID_TOO_LONG: i32 = 9004;
    /// The response could not be stored.
    pub const NOT_STORED: i32 = 9005;
}

impl ResponseDoc {
    /// The response whose `requestID` is `request_id`.
    pub fn by_request_id(&self, request_id: &str) -> Option<&Response> {
        self.responses
            .iter()
            .find(|r| r.request_id.as_deref() == Some(request_id))
    }
}

/// One `…Rs` element.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The element name without `Rs`, e.g. `CustomerAdd`, `VendorQuery`.
    pub message: String,
    pub request_id: Option<String>,
    pub status: Status,
    pub ret_count: Option<u32>,
    pub iterator_id: Option<String>,
    pub iterator_remaining_count: Option<u32>,
    pub body: ResponseBody,
}

/// The `…Ret` elements of a response.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum ResponseBody {
    #[default]
    Empty,
    Host(HostRet),
    Company(CompanyRet),
    Customers(Vec<CustomerRet>),
    /// CustomerTypeRet or JobTypeRet.
    ListEntries(Vec<ListRet>),
    /// VendorRet, EmployeeRet or OtherNameRet.
    Names(Vec<NameRet>),
    /// ListDeletedRet.
    Deleted(Vec<ListDeletedRet>),
}

/// `HostRet`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HostRet {
    pub product_name: String,
    pub major_version: String,
    pub minor_version: String,
    pub country: Option<String>,
    /// As written (`13.0`, `CA3.0`, …); see [`QbxmlVersion::negotiate`].
    pub supported_versions: Vec<String>,
    pub is_automatic_login: Option<bool>,
    pub file_mode: Option<String>,
}

/// `CompanyRet`, the parts custsync shows when asking the operator to confirm the company.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CompanyRet {
    pub is_sample_company: Option<bool>,
    pub company_name: Option<String>,
    pub legal_company_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// `CustomerRet`: the mapped fields plus QuickBooks' own bookkeeping.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CustomerRet {
    pub list_id: String,
    pub time_created: Option<String>,
    pub time_modified: Option<String>,
    pub edit_sequence: Option<String>,
    /// Name and the other mapped fields.
    pub data: CustomerData,
    /// `Parent:Job` for jobs; equal to Name at the top level.
    pub full_name: Option<String>,
    /// Absent means true, as in QuickBooks.
    pub is_active: Option<bool>,
    pub parent: Option<ListRef>,
    pub sublevel: Option<u32>,
    pub job_type: Option<String>,
    pub external_guid: Option<String>,
}

impl CustomerRet {
    pub fn is_active(&self) -> bool {
        self.is_active.unwrap_or(true)
    }

    /// A job (sub-customer) is not an SMSTurbo customer (SPEC §3).
    pub fn is_job(&self) -> bool {
        self.parent.is_some() || self.sublevel.unwrap_or(0) > 0
    }
}

/// `CustomerTypeRet` / `JobTypeRet`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ListRet {
    pub list_id: String,
    pub time_created: Option<String>,
    pub time_modified: Option<String>,
    pub edit_sequence: Option<String>,
    pub name: String,
    pub full_name: String,
    pub is_active: Option<bool>,
    pub parent: Option<ListRef>,
    pub sublevel: Option<u32>,
}

impl ListRet {
    /// The name a reference to this entry uses: its FullName, or its Name for lists that have
    /// no hierarchy and so no FullName (terms).
    pub fn into_ref_name(self) -> String {
        if self.full_name.is_empty() {
            self.name
        } else {
            self.full_name
        }
    }
}

/// `VendorRet` / `EmployeeRet` / `OtherNameRet`: just enough to explain a name collision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameRet {
    pub list: NameList,
    pub list_id: String,
    pub name: String,
    pub is_active: Option<bool>,
}

/// `ListDeletedRet`: one deleted list record. Every element is optional in the schema
/// (`IncludeRetElement` can leave any out).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ListDeletedRet {
    pub list_del_type: Option<ListDelType>,
    pub list_id: String,
    pub time_created: Option<String>,
    pub time_deleted: Option<String>,
    /// The record's FullName when it was deleted (`Parent:Job` for a job).
    pub full_name: Option<String>,
}
