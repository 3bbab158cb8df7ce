//! Per-noun views: the columns and rows of list tables and the sections of describe output.

pub mod domain;
pub mod revision;
pub mod route;
pub mod service;
