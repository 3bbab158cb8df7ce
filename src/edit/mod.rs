//! Pure edits on Knative resources held as JSON: flags → changes. No clap, no client, no clock, no I/O.
//!
//! Every function here works on a `serde_json::Value` tree in place and touches only the fields a
//! flag is about, so fields knit has no type for survive at every level (object, metadata, spec,
//! template, pod spec, container, env entry, traffic target). The typed flag values (`EnvArg`,
//! `ScaleRange`, `TrafficArg`, …) live beside the edits that use them and implement `FromStr`, so
//! bad input is rejected while the command line is parsed, with kn's messages where kn has them.

pub mod apply;
pub mod digest;
pub mod error;
pub mod eventing;
pub mod export;
pub mod json;
pub mod kv;
pub mod podspec;
pub mod profile;
pub mod quantity;
pub mod revision_name;
pub mod rollback;
pub mod rollout;
pub mod service;
pub mod traffic;

pub use error::EditError;
