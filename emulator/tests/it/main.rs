//! The emulator's integration tests in one test binary (one link of the crate and its
//! dependencies instead of one per file).

mod common;

mod durability;
mod eventing;
mod http_api;
mod kube_rs;
mod kubectl;
mod kubectl_builtin;
mod program;
mod protobuf;
mod serving;
mod storm;
mod workloads;
