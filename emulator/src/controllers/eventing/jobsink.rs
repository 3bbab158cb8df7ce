//! The JobSink reconciler (knative/eventing `pkg/reconciler/jobsink`): its address on the
//! `job-sink` service of the system namespace (`/NAMESPACE/NAME`), the selector of the Jobs it
//! will create, and Ready. Transport encryption and OIDC are off in the emulator.

use serde_json::json;

use super::get_live;
use crate::cluster::{ClusterApi, ObjectEvent};
use crate::controllers::{Controller, Requeue};
use crate::json::At;
use crate::knative::conditions::ConditionSet;
use crate::knative::eventing::{
    EVENT_POLICIES_OIDC_MESSAGE, EVENT_POLICIES_OIDC_REASON, SYSTEM_NAMESPACE,
};
use crate::knative::meta::{StatusReconcile, is_deleting, name, namespace};
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;

pub const ADDRESSABLE: &str = "Addressable";
pub const EVENT_POLICIES_READY: &str = "EventPoliciesReady";
pub const JOBSINK_CONDITIONS: ConditionSet =
    ConditionSet::living(&[ADDRESSABLE, EVENT_POLICIES_READY]);

/// The label a JobSink's Jobs carry, with the JobSink's name.
pub const JOB_SINK_NAME_LABEL: &str = "sinks.knative.dev/job-sink-name";

pub fn jobsinks() -> GroupResource {
    GroupResource::of("sinks.knative.dev", "jobsinks")
}

/// The URL a JobSink receives events on.
pub fn jobsink_url(namespace: &str, name: &str) -> String {
    format!("http://job-sink.{SYSTEM_NAMESPACE}.svc.cluster.local/{namespace}/{name}")
}

pub struct JobSinkController;

impl Controller for JobSinkController {
    fn name(&self) -> &'static str {
        "jobsink"
    }

    fn keys_for(&self, event: &ObjectEvent, _cluster: &dyn ClusterApi) -> Vec<ObjectKey> {
        if event.key.gr == jobsinks() {
            vec![event.key.clone()]
        } else {
            Vec::new()
        }
    }

    fn reconcile(&self, key: &ObjectKey, cluster: &dyn ClusterApi) -> Result<Requeue, ApiError> {
        let Some(js) = get_live(cluster, &jobsinks(), key)? else {
            return Ok(Requeue::Done);
        };
        if is_deleting(&js) {
            return Ok(Requeue::Done);
        }
        let mut rec = StatusReconcile::begin(&js, JOBSINK_CONDITIONS);
        let url = jobsink_url(namespace(&js), name(&js));
        rec.status()
            .insert("address".into(), json!({"name": "http", "url": url}));
        rec.conditions.mark_true(ADDRESSABLE);
        if js.at("/spec/job").is_some_and(|j| !j.is_null()) {
            let selector = format!("{JOB_SINK_NAME_LABEL}={}", name(&js));
            rec.status()
                .insert("job".into(), json!({"selector": selector}));
        }
        rec.conditions.mark_true_with_reason(
            EVENT_POLICIES_READY,
            EVENT_POLICIES_OIDC_REASON,
            EVENT_POLICIES_OIDC_MESSAGE,
        );
        rec.finish(cluster, &jobsinks())?;
        Ok(Requeue::Done)
    }
}
