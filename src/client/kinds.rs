//! The resource kinds knit talks to, known statically (group, version, plural, kind): no discovery
//! round-trips are ever needed for them.

/// One API resource type, enough to build every URL and to name objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResourceKind {
    /// API group; empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    /// Lower-case plural used in URLs (`services`).
    pub plural: &'static str,
    /// CamelCase kind (`Service`).
    pub kind: &'static str,
    /// Whether objects live in a namespace.
    pub namespaced: bool,
}

impl ResourceKind {
    /// `group/version`, or just `version` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The kind of a list of these objects (`ServiceList`).
    pub fn list_kind(&self) -> String {
        format!("{}List", self.kind)
    }

    /// `plural.group` as the API server writes it in messages (`services.serving.knative.dev`).
    pub fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// The `-o name` prefix: `service.serving.knative.dev` (kubectl's lower-case kind + group).
    pub fn name_prefix(&self) -> String {
        let kind = self.kind.to_ascii_lowercase();
        if self.group.is_empty() {
            kind
        } else {
            format!("{kind}.{}", self.group)
        }
    }

    /// The collection URL, in one namespace or (namespace `None`) across all of them.
    pub fn collection_path(&self, namespace: Option<&str>) -> String {
        let prefix = if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        };
        match namespace {
            Some(ns) if self.namespaced && !ns.is_empty() => {
                format!("{prefix}/namespaces/{ns}/{}", self.plural)
            }
            _ => format!("{prefix}/{}", self.plural),
        }
    }

    /// Human name of the API family for "not installed" errors: first label of the group,
    /// capitalised (`serving.knative.dev` → `Serving`).
    pub fn family(&self) -> String {
        let first = self.group.split('.').next().unwrap_or_default();
        let mut chars = first.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }
}

const fn knative(
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    kind: &'static str,
) -> ResourceKind {
    ResourceKind {
        group,
        version,
        plural,
        kind,
        namespaced: true,
    }
}

/// `serving.knative.dev/v1` Service.
pub const SERVICE: ResourceKind = knative("serving.knative.dev", "v1", "services", "Service");
/// `serving.knative.dev/v1` Configuration.
pub const CONFIGURATION: ResourceKind = knative(
    "serving.knative.dev",
    "v1",
    "configurations",
    "Configuration",
);
/// `serving.knative.dev/v1` Revision.
pub const REVISION: ResourceKind = knative("serving.knative.dev", "v1", "revisions", "Revision");
/// `serving.knative.dev/v1` Route.
pub const ROUTE: ResourceKind = knative("serving.knative.dev", "v1", "routes", "Route");
/// `serving.knative.dev/v1beta1` DomainMapping.
pub const DOMAIN_MAPPING: ResourceKind = knative(
    "serving.knative.dev",
    "v1beta1",
    "domainmappings",
    "DomainMapping",
);
/// Core v1 Secret.
pub const SECRET: ResourceKind = ResourceKind {
    group: "",
    version: "v1",
    plural: "secrets",
    kind: "Secret",
    namespaced: true,
};
/// Core v1 Pod (the pods of a Revision's Deployment).
pub const POD: ResourceKind = ResourceKind {
    group: "",
    version: "v1",
    plural: "pods",
    kind: "Pod",
    namespaced: true,
};
/// Core v1 Event.
pub const EVENT: ResourceKind = ResourceKind {
    group: "",
    version: "v1",
    plural: "events",
    kind: "Event",
    namespaced: true,
};
/// Core v1 Namespace.
pub const NAMESPACE: ResourceKind = ResourceKind {
    group: "",
    version: "v1",
    plural: "namespaces",
    kind: "Namespace",
    namespaced: false,
};

// Eventing kinds (knit eventing commands, kn-reference §5–8).

/// `eventing.knative.dev/v1` Broker.
pub const BROKER: ResourceKind = knative("eventing.knative.dev", "v1", "brokers", "Broker");
/// `eventing.knative.dev/v1` Trigger.
pub const TRIGGER: ResourceKind = knative("eventing.knative.dev", "v1", "triggers", "Trigger");
/// `eventing.knative.dev/v1beta2` EventType (the version kn talks).
pub const EVENT_TYPE: ResourceKind =
    knative("eventing.knative.dev", "v1beta2", "eventtypes", "EventType");
/// `messaging.knative.dev/v1` Channel.
pub const CHANNEL: ResourceKind = knative("messaging.knative.dev", "v1", "channels", "Channel");
/// `messaging.knative.dev/v1` InMemoryChannel.
pub const IN_MEMORY_CHANNEL: ResourceKind = knative(
    "messaging.knative.dev",
    "v1",
    "inmemorychannels",
    "InMemoryChannel",
);
/// `messaging.knative.dev/v1` Subscription.
pub const SUBSCRIPTION: ResourceKind = knative(
    "messaging.knative.dev",
    "v1",
    "subscriptions",
    "Subscription",
);
/// `sources.knative.dev/v1` PingSource.
pub const PING_SOURCE: ResourceKind =
    knative("sources.knative.dev", "v1", "pingsources", "PingSource");
/// `sources.knative.dev/v1` ApiServerSource.
pub const API_SERVER_SOURCE: ResourceKind = knative(
    "sources.knative.dev",
    "v1",
    "apiserversources",
    "ApiServerSource",
);
/// `sources.knative.dev/v1` ContainerSource.
pub const CONTAINER_SOURCE: ResourceKind = knative(
    "sources.knative.dev",
    "v1",
    "containersources",
    "ContainerSource",
);
/// `sources.knative.dev/v1` SinkBinding.
pub const SINK_BINDING: ResourceKind =
    knative("sources.knative.dev", "v1", "sinkbindings", "SinkBinding");
/// `flows.knative.dev/v1` Sequence, Parallel; `sinks.knative.dev/v1alpha1` JobSink;
/// `eventing.knative.dev/v1alpha1` RequestReply (the `flows` nouns).
pub const SEQUENCE: ResourceKind = knative("flows.knative.dev", "v1", "sequences", "Sequence");
pub const PARALLEL: ResourceKind = knative("flows.knative.dev", "v1", "parallels", "Parallel");
pub const JOB_SINK: ResourceKind = knative("sinks.knative.dev", "v1alpha1", "jobsinks", "JobSink");
pub const REQUEST_REPLY: ResourceKind = knative(
    "eventing.knative.dev",
    "v1alpha1",
    "requestreplies",
    "RequestReply",
);
/// `eventing.knative.dev/v1alpha1` EventPolicy.
pub const EVENT_POLICY: ResourceKind = knative(
    "eventing.knative.dev",
    "v1alpha1",
    "eventpolicies",
    "EventPolicy",
);
/// `sources.knative.dev/v1alpha1` IntegrationSource.
pub const INTEGRATION_SOURCE: ResourceKind = knative(
    "sources.knative.dev",
    "v1alpha1",
    "integrationsources",
    "IntegrationSource",
);
/// `sinks.knative.dev/v1alpha1` IntegrationSink.
pub const INTEGRATION_SINK: ResourceKind = knative(
    "sinks.knative.dev",
    "v1alpha1",
    "integrationsinks",
    "IntegrationSink",
);
/// `eventing.knative.dev/v1alpha1` EventTransform.
pub const EVENT_TRANSFORM: ResourceKind = knative(
    "eventing.knative.dev",
    "v1alpha1",
    "eventtransforms",
    "EventTransform",
);
/// Core v1 Service (the `svc:` sink prefix).
pub const CORE_SERVICE: ResourceKind = ResourceKind {
    group: "",
    version: "v1",
    plural: "services",
    kind: "Service",
    namespaced: true,
};
/// `apiextensions.k8s.io/v1` CustomResourceDefinition (source and channel type discovery).
pub const CRD: ResourceKind = ResourceKind {
    group: "apiextensions.k8s.io",
    version: "v1",
    plural: "customresourcedefinitions",
    kind: "CustomResourceDefinition",
    namespaced: false,
};

/// kn's built-in sources (`sources.knative.dev/v1`), in kn's order.
pub const BUILT_IN_SOURCES: [ResourceKind; 4] = [
    API_SERVER_SOURCE,
    CONTAINER_SOURCE,
    SINK_BINDING,
    PING_SOURCE,
];
// Kinds `knit doctor` and `diagnose` read (Kubernetes' own, fixed versions).

/// Core v1 ConfigMap (Knative's settings in `knative-serving`/`knative-eventing`).
pub const CONFIG_MAP: ResourceKind = core("configmaps", "ConfigMap");
/// `apps/v1` Deployment (one per Revision).
pub const DEPLOYMENT: ResourceKind = ResourceKind {
    group: "apps",
    version: "v1",
    plural: "deployments",
    kind: "Deployment",
    namespaced: true,
};
/// `authentication.k8s.io/v1` SelfSubjectReview ("who am I"; create only).
pub const SELF_SUBJECT_REVIEW: ResourceKind = ResourceKind {
    group: "authentication.k8s.io",
    version: "v1",
    plural: "selfsubjectreviews",
    kind: "SelfSubjectReview",
    namespaced: false,
};
/// `authorization.k8s.io/v1` SelfSubjectAccessReview ("may I"; create only).
pub const SELF_SUBJECT_ACCESS_REVIEW: ResourceKind = ResourceKind {
    group: "authorization.k8s.io",
    version: "v1",
    plural: "selfsubjectaccessreviews",
    kind: "SelfSubjectAccessReview",
    namespaced: false,
};

const fn core(plural: &'static str, kind: &'static str) -> ResourceKind {
    ResourceKind {
        group: "",
        version: "v1",
        plural,
        kind,
        namespaced: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_names_and_families() {
        assert_eq!(
            SERVICE.collection_path(Some("default")),
            "/apis/serving.knative.dev/v1/namespaces/default/services"
        );
        assert_eq!(
            SERVICE.collection_path(None),
            "/apis/serving.knative.dev/v1/services"
        );
        assert_eq!(
            SECRET.collection_path(Some("a")),
            "/api/v1/namespaces/a/secrets"
        );
        assert_eq!(NAMESPACE.collection_path(Some("a")), "/api/v1/namespaces");
        assert_eq!(SERVICE.group_resource(), "services.serving.knative.dev");
        assert_eq!(SERVICE.name_prefix(), "service.serving.knative.dev");
        assert_eq!(DOMAIN_MAPPING.api_version(), "serving.knative.dev/v1beta1");
        assert_eq!(SECRET.api_version(), "v1");
        assert_eq!(SERVICE.family(), "Serving");
        assert_eq!(REVISION.list_kind(), "RevisionList");
    }
}
