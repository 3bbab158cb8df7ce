//! knit's integration tests, one module per command family, linked into a single test binary:
//! one binary links the knit library and the emulator once instead of once per file, which keeps
//! a clean build (CI) small on disk and quick to link.

mod common;

mod adversarial;
mod apply;
mod apply_any;
mod assets;
mod completion;
mod completion_shells;
mod container_offline;
mod diagnose;
mod domain;
mod dry_run;
mod e2e_plugins;
mod emulator;
mod engine;
mod eventing_broker_trigger;
mod eventing_integ;
mod eventing_list_types;
mod eventing_messaging;
mod eventing_sources;
mod explain;
mod flows;
mod follow;
mod help;
mod jsonpath_kubectl;
mod kn_parity;
mod list_habits;
mod list_stream;
mod logs_events;
mod not_installed;
mod offline;
mod offline_names;
mod plugins;
mod revision;
mod rollout;
mod rollout_gate;
mod route;
mod service_delete_wait;
mod service_describe_tty;
mod service_export;
mod service_history;
mod service_read;
mod service_redeploy;
mod service_traffic;
mod service_update_digest;
mod service_write;
mod structure;
mod trigger_filters;
