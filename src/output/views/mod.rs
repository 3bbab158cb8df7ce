//! Per-noun views: the columns and rows of list tables and the sections of describe output.

pub mod revision;
pub mod service;
