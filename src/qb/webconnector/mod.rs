//! The QuickBooks Web Connector SOAP service and its bridge to the connection trait.
