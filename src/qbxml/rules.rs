//! TODO: filled in by the qbXML work (issue 2).
