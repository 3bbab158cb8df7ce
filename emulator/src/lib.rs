//! knit-emulator: a Kubernetes API server with Knative Serving and Eventing behaviour.
//!
//! Layers, bottom up: `store` (versioned objects, watch history) → `registry` (API-server
//! semantics: defaults, schema, admission, generation, finalizers, GC) → `server` (HTTP).
//! `crd` loads the vendored Knative CRDs; `admission` and `controllers` add Knative's
//! webhooks and reconcilers on top of the registry through the [`cluster::ClusterApi`] trait.

pub mod admission;
pub mod cluster;
pub mod config;
pub mod controllers;
pub mod crd;
pub mod knative;
pub mod resource;
pub mod status;

pub use config::Config;
pub use status::ApiError;
