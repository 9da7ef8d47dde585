//! The built-in demo workspace (SPEC §7).
