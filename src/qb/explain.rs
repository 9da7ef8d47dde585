//! The one catalog of plain-words explanations for QuickBooks HRESULTs and status codes.
