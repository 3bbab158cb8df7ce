//! Per-noun views: the columns and rows of list tables and the sections of describe output.

pub mod broker;
pub mod channel;
pub mod domain;
pub mod eventpolicy;
pub mod eventtype;
pub mod history;
pub mod integration;
pub mod listing;
pub mod revision;
pub mod route;
pub mod secret;
pub mod service;
pub mod sink;
pub mod source;
pub mod source_apiserver;
pub mod source_binding;
pub mod source_container;
pub mod source_ping;
pub mod subscription;
pub mod trigger;
pub mod wide;
