//! Eventing-only shared pieces: API groups and resources, well-known labels and annotations,
//! Destination resolution and the `knative-eventing` ConfigMap readers (Go URL handling is
//! `kuberules::gourl`).

pub mod config;
pub mod destination;
#[cfg(test)]
pub mod fake;

use crate::resource::GroupResource;

pub const EVENTING_GROUP: &str = "eventing.knative.dev";
pub const MESSAGING_GROUP: &str = "messaging.knative.dev";
pub const SOURCES_GROUP: &str = "sources.knative.dev";
pub const FLOWS_GROUP: &str = "flows.knative.dev";

pub const BROKER_CLASS_ANNOTATION: &str = "eventing.knative.dev/broker.class";
pub const BROKER_LABEL: &str = "eventing.knative.dev/broker";
pub const TRIGGER_LABEL: &str = "eventing.knative.dev/trigger";
pub const DEPENDENCY_ANNOTATION: &str = "knative.dev/dependency";
pub const SCOPE_ANNOTATION: &str = "eventing.knative.dev/scope";
pub const SUBSCRIBABLE_ANNOTATION: &str = "messaging.knative.dev/subscribable";

/// The system namespace of Knative Eventing.
pub const SYSTEM_NAMESPACE: &str = crate::knative::configmaps::EVENTING_NAMESPACE;

/// Condition texts shared by several kinds.
pub const OIDC_DISABLED_REASON: &str = "authentication-oidc feature disabled";
pub const DLS_NOT_CONFIGURED_REASON: &str = "DeadLetterSinkNotConfigured";
pub const DLS_NOT_CONFIGURED_MESSAGE: &str = "No dead letter sink is configured.";
pub const EVENT_POLICIES_OIDC_REASON: &str = "OIDCDisabled";
pub const EVENT_POLICIES_OIDC_MESSAGE: &str =
    "Feature \"authentication-oidc\" must be enabled to support Authorization";

pub fn brokers() -> GroupResource {
    GroupResource::of(EVENTING_GROUP, "brokers")
}
pub fn triggers() -> GroupResource {
    GroupResource::of(EVENTING_GROUP, "triggers")
}
pub fn eventtypes() -> GroupResource {
    GroupResource::of(EVENTING_GROUP, "eventtypes")
}
pub fn channels() -> GroupResource {
    GroupResource::of(MESSAGING_GROUP, "channels")
}
pub fn inmemorychannels() -> GroupResource {
    GroupResource::of(MESSAGING_GROUP, "inmemorychannels")
}
pub fn subscriptions() -> GroupResource {
    GroupResource::of(MESSAGING_GROUP, "subscriptions")
}
pub fn pingsources() -> GroupResource {
    GroupResource::of(SOURCES_GROUP, "pingsources")
}
pub fn apiserversources() -> GroupResource {
    GroupResource::of(SOURCES_GROUP, "apiserversources")
}
pub fn containersources() -> GroupResource {
    GroupResource::of(SOURCES_GROUP, "containersources")
}
pub fn sinkbindings() -> GroupResource {
    GroupResource::of(SOURCES_GROUP, "sinkbindings")
}
pub fn parallels() -> GroupResource {
    GroupResource::of(FLOWS_GROUP, "parallels")
}
pub fn sequences() -> GroupResource {
    GroupResource::of(FLOWS_GROUP, "sequences")
}

/// The URL of a Broker of class MTChannelBasedBroker.
pub fn broker_url(namespace: &str, name: &str) -> String {
    format!("http://broker-ingress.{SYSTEM_NAMESPACE}.svc.cluster.local/{namespace}/{name}")
}

/// The URL of an InMemoryChannel.
pub fn channel_url(namespace: &str, name: &str) -> String {
    format!("http://{name}-kn-channel.{namespace}.svc.cluster.local")
}
