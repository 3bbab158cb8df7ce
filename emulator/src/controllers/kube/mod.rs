//! Kubernetes' own controllers under Knative's Deployments: the deployment and replicaset
//! controllers, the scheduler and the node's kubelet, and the events they record.

pub mod events;
pub mod kubelet;
pub mod replicas;

use crate::controllers::Controller;

/// The workload controllers, in the order the manager should offer events to them.
pub fn controllers() -> Vec<Box<dyn Controller>> {
    vec![
        Box::new(replicas::DeploymentController::default()),
        Box::new(replicas::ReplicaSetController),
        Box::new(kubelet::Kubelet),
    ]
}
