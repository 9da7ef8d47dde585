//! The sandbox QuickBooks company: a company file (SQLite inside) and a processor that answers
//! qbXML the way QuickBooks Desktop does.
