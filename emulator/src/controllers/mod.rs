//! Knative's controllers as deterministic reconcilers over [`ClusterApi`].
//!
//! A manager (owned by the registry side) feeds every storage change to each controller's
//! [`Controller::keys_for`], de-duplicates the keys and calls [`Controller::reconcile`] one at a
//! time, so runs are reproducible. `Requeue::After` schedules the same key again later (this is
//! how the "Deploying" → Ready delay of a Revision is modelled).

pub mod eventing;
pub mod kube;
pub mod manager;
pub mod serving;

use std::time::Duration;

use crate::cluster::{ClusterApi, ObjectEvent};
use crate::resource::ObjectKey;
use crate::status::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requeue {
    Done,
    After(Duration),
}

pub trait Controller: Send + Sync {
    /// Short name for logs, e.g. `service`.
    fn name(&self) -> &'static str;

    /// The objects this controller must reconcile because of `event` (its own kind, or the
    /// owner of a changed child, or everything that references a changed object).
    fn keys_for(&self, event: &ObjectEvent, cluster: &dyn ClusterApi) -> Vec<ObjectKey>;

    /// Bring the object named by `key` (which may no longer exist) to its desired state.
    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError>;
}

/// Every Knative controller the emulated cluster runs.
pub fn knative_controllers() -> Vec<Box<dyn Controller>> {
    let mut all = serving::controllers();
    all.extend(eventing::controllers());
    all.extend(eventing::integ::controllers());
    all
}

/// Everything the emulated cluster runs: Knative's controllers and, under its Revisions, the
/// Deployments and their replicas, pods and events. The workload controllers wait on the clock
/// (readiness, scale to zero), so the in-memory controller tests, where time does not pass,
/// run [`knative_controllers`] alone.
pub fn cluster_controllers() -> Vec<Box<dyn Controller>> {
    let mut all = knative_controllers();
    all.push(Box::new(serving::deployment::DeploymentController));
    all.extend(kube::controllers());
    all
}

/// Objects a fresh Knative installation has before anyone uses it: the `knative-serving` and
/// `knative-eventing` namespaces and their ConfigMaps (`config-domain`, `config-network`,
/// `config-features`, `config-defaults`, …) with Knative's defaults, adjusted by `config`
/// (e.g. the domain). Full JSON objects with apiVersion/kind/metadata.
pub fn bootstrap_objects(config: &crate::Config) -> Vec<serde_json::Value> {
    crate::knative::configmaps::bootstrap(config)
}
