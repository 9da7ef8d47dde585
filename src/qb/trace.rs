//! Writes every qbXML request and response exchanged to numbered files (support asks for these first).
