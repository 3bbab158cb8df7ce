//! Flag groups shared across nouns (flattened into each command's `Args`).

pub mod delivery;
pub mod dry_run;
pub mod duration;
pub mod eventing;
pub mod integration;
pub mod list;
pub mod list_stream;
pub mod namespace;
pub mod output;
pub mod paired;
pub mod podspec;
pub mod service_edit;
pub mod sink;
pub mod target;
pub mod traffic;
pub mod wait;
