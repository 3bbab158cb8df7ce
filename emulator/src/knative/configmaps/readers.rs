//! Typed readers of the ConfigMaps, read on every use: domains, network templates, feature
//! flags, defaults, autoscaler and deployment settings.

use super::*;

/// `config-domain`: domain suffixes and the label selectors that pick them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainConfig {
    pub domains: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(serde::Deserialize, Default)]
pub(super) struct SelectorEntry {
    #[serde(default)]
    selector: BTreeMap<String, String>,
}

impl DomainConfig {
    pub fn read(cluster: &dyn ClusterApi) -> Self {
        Self::from_data(&read_data(cluster, SERVING_NAMESPACE, CONFIG_DOMAIN))
    }

    pub fn from_data(data: &BTreeMap<String, String>) -> Self {
        let mut domains = BTreeMap::new();
        let mut has_default = false;
        for (k, v) in data {
            let selector = if v.trim().is_empty() {
                BTreeMap::new()
            } else {
                match serde_saphyr::from_str::<Option<SelectorEntry>>(v) {
                    Ok(e) => e.unwrap_or_default().selector,
                    // Knative rejects the whole ConfigMap; an entry we cannot read is skipped.
                    Err(_) => continue,
                }
            };
            if selector.is_empty() {
                has_default = true;
            }
            domains.insert(k.clone(), selector);
        }
        if !has_default {
            domains.insert(DEFAULT_DOMAIN.to_string(), BTreeMap::new());
        }
        DomainConfig { domains }
    }

    /// `LookupDomainForLabels`: the most specific matching selector, ties to the smaller domain.
    pub fn domain_for(&self, labels: &BTreeMap<String, String>) -> String {
        if labels.get(VISIBILITY_LABEL).map(String::as_str) == Some(VISIBILITY_CLUSTER_LOCAL) {
            return CLUSTER_LOCAL_DOMAIN.to_string();
        }
        let mut domain = String::new();
        let mut specificity: i64 = -1;
        for (k, selector) in &self.domains {
            let matches = selector.iter().all(|(lk, lv)| labels.get(lk) == Some(lv));
            let n = selector.len() as i64;
            if !matches || n < specificity {
                continue;
            }
            if n > specificity || k < &domain {
                domain = k.clone();
                specificity = n;
            }
        }
        domain
    }
}

pub const VISIBILITY_LABEL: &str = "networking.knative.dev/visibility";
pub const VISIBILITY_CLUSTER_LOCAL: &str = "cluster-local";

/// `config-network`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkConfig {
    pub domain_template: String,
    pub tag_template: String,
    pub default_external_scheme: String,
    pub external_domain_tls: bool,
    pub autocreate_cluster_domain_claims: bool,
}

pub const DEFAULT_DOMAIN_TEMPLATE: &str = "{{.Name}}.{{.Namespace}}.{{.Domain}}";
pub const DEFAULT_TAG_TEMPLATE: &str = "{{.Tag}}-{{.Name}}";

impl NetworkConfig {
    pub fn read(cluster: &dyn ClusterApi) -> Self {
        Self::from_data(&read_data(cluster, SERVING_NAMESPACE, CONFIG_NETWORK))
    }

    pub fn from_data(data: &BTreeMap<String, String>) -> Self {
        let get = |k: &str| {
            data.get(k)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let tls = get("external-domain-tls")
            .or_else(|| get("auto-tls"))
            .is_some_and(|v| v.eq_ignore_ascii_case("enabled") || v.eq_ignore_ascii_case("true"));
        // Knative still reads the legacy camelCase keys; the new key takes precedence.
        let either = |key: &str, legacy: &str| get(key).or_else(|| get(legacy));
        NetworkConfig {
            domain_template: either("domain-template", "domainTemplate")
                .unwrap_or_else(|| DEFAULT_DOMAIN_TEMPLATE.to_string()),
            tag_template: either("tag-template", "tagTemplate")
                .unwrap_or_else(|| DEFAULT_TAG_TEMPLATE.to_string()),
            default_external_scheme: either("default-external-scheme", "defaultExternalScheme")
                .unwrap_or_else(|| "http".to_string()),
            external_domain_tls: tls,
            autocreate_cluster_domain_claims: either(
                "autocreate-cluster-domain-claims",
                "autocreateClusterDomainClaims",
            )
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        }
    }
}

/// A feature flag's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Enabled,
    Allowed,
    Disabled,
}

/// `config-features` of Serving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features {
    /// By name; every name is one of FEATURE_DEFAULTS', so none is allocated.
    flags: BTreeMap<&'static str, Flag>,
}

/// Serving's feature flags and their defaults.
pub(super) const FEATURE_DEFAULTS: &[(&str, Flag)] = &[
    ("multi-container", Flag::Enabled),
    ("multi-container-probing", Flag::Disabled),
    ("kubernetes.podspec-affinity", Flag::Disabled),
    (
        "kubernetes.podspec-topologyspreadconstraints",
        Flag::Disabled,
    ),
    ("kubernetes.podspec-dryrun", Flag::Allowed),
    ("kubernetes.podspec-hostaliases", Flag::Disabled),
    ("kubernetes.podspec-fieldref", Flag::Disabled),
    ("kubernetes.podspec-nodeselector", Flag::Disabled),
    ("kubernetes.podspec-runtimeclassname", Flag::Disabled),
    ("kubernetes.podspec-securitycontext", Flag::Disabled),
    ("kubernetes.podspec-shareprocessnamespace", Flag::Disabled),
    ("kubernetes.podspec-hostipc", Flag::Disabled),
    ("kubernetes.podspec-hostpid", Flag::Disabled),
    ("kubernetes.podspec-hostnetwork", Flag::Disabled),
    ("kubernetes.podspec-priorityclassname", Flag::Disabled),
    ("kubernetes.podspec-schedulername", Flag::Disabled),
    ("kubernetes.containerspec-addcapabilities", Flag::Disabled),
    ("kubernetes.podspec-tolerations", Flag::Disabled),
    ("kubernetes.podspec-volumes-emptydir", Flag::Enabled),
    ("kubernetes.podspec-volumes-hostpath", Flag::Disabled),
    ("kubernetes.podspec-volumes-csi", Flag::Disabled),
    ("kubernetes.podspec-volumes-ephemeral", Flag::Disabled),
    ("kubernetes.podspec-volumes-image", Flag::Disabled),
    (
        "kubernetes.podspec-volumes-mount-propagation",
        Flag::Disabled,
    ),
    ("kubernetes.podspec-init-containers", Flag::Disabled),
    ("kubernetes.podspec-persistent-volume-claim", Flag::Disabled),
    ("kubernetes.podspec-persistent-volume-write", Flag::Disabled),
    ("kubernetes.podspec-dnspolicy", Flag::Disabled),
    ("kubernetes.podspec-dnsconfig", Flag::Disabled),
    ("secure-pod-defaults", Flag::Disabled),
    ("tag-header-based-routing", Flag::Disabled),
    ("autodetect-http2", Flag::Disabled),
    ("queueproxy.mount-podinfo", Flag::Disabled),
];

impl Features {
    pub fn read(cluster: &dyn ClusterApi) -> Self {
        Self::from_data(&read_data(cluster, SERVING_NAMESPACE, CONFIG_FEATURES))
    }

    pub fn from_data(data: &BTreeMap<String, String>) -> Self {
        let mut flags: BTreeMap<&'static str, Flag> = FEATURE_DEFAULTS.iter().copied().collect();
        for (k, v) in data {
            let v = v.trim();
            let flag = if v.eq_ignore_ascii_case("enabled") {
                Flag::Enabled
            } else if v.eq_ignore_ascii_case("allowed") {
                Flag::Allowed
            } else if v.eq_ignore_ascii_case("disabled") {
                Flag::Disabled
            } else {
                continue;
            };
            if let Some(slot) = flags.get_mut(k.as_str()) {
                *slot = flag;
            }
        }
        Features { flags }
    }

    pub fn flag(&self, name: &str) -> Flag {
        self.flags.get(name).copied().unwrap_or(Flag::Disabled)
    }

    /// Whether a pod-spec field guarded by this flag may be set (anything but Disabled).
    pub fn allows(&self, name: &str) -> bool {
        self.flag(name) != Flag::Disabled
    }

    pub fn enabled(&self, name: &str) -> bool {
        self.flag(name) == Flag::Enabled
    }
}

/// `config-defaults`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    pub revision_timeout_seconds: i64,
    pub max_revision_timeout_seconds: i64,
    pub revision_response_start_timeout_seconds: i64,
    pub revision_idle_timeout_seconds: i64,
    pub container_concurrency: i64,
    pub container_concurrency_max_limit: i64,
    pub allow_container_concurrency_zero: bool,
    pub container_name_template: String,
    pub init_container_name_template: String,
    pub enable_service_links: Option<bool>,
    /// Default requests/limits: (resource, quantity).
    pub requests: Vec<(String, String)>,
    pub limits: Vec<(String, String)>,
}

impl Defaults {
    pub fn read(cluster: &dyn ClusterApi) -> Self {
        Self::from_data(&read_data(cluster, SERVING_NAMESPACE, CONFIG_DEFAULTS))
    }

    pub fn from_data(data: &BTreeMap<String, String>) -> Self {
        let int = |k: &str| data.get(k).and_then(|v| v.trim().parse::<i64>().ok());
        let timeout = int("revision-timeout-seconds").unwrap_or(300);
        let mut requests = Vec::new();
        let mut limits = Vec::new();
        for res in ["cpu", "memory", "ephemeral-storage"] {
            if let Some(q) = data
                .get(&format!("revision-{res}-request"))
                .filter(|q| !q.trim().is_empty())
            {
                requests.push((res.to_string(), q.trim().to_string()));
            }
            if let Some(q) = data
                .get(&format!("revision-{res}-limit"))
                .filter(|q| !q.trim().is_empty())
            {
                limits.push((res.to_string(), q.trim().to_string()));
            }
        }
        Defaults {
            revision_timeout_seconds: timeout,
            max_revision_timeout_seconds: int("max-revision-timeout-seconds").unwrap_or(600),
            revision_response_start_timeout_seconds: int("revision-response-start-timeout-seconds")
                .unwrap_or(timeout),
            revision_idle_timeout_seconds: int("revision-idle-timeout-seconds").unwrap_or(0),
            container_concurrency: int("container-concurrency").unwrap_or(0),
            container_concurrency_max_limit: int("container-concurrency-max-limit").unwrap_or(1000),
            allow_container_concurrency_zero: data
                .get("allow-container-concurrency-zero")
                .map(|v| !v.trim().eq_ignore_ascii_case("false"))
                .unwrap_or(true),
            container_name_template: data
                .get("container-name-template")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "user-container".to_string()),
            init_container_name_template: data
                .get("init-container-name-template")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "init-container".to_string()),
            enable_service_links: match data
                .get("enable-service-links")
                .map(|v| v.trim().to_ascii_lowercase())
            {
                None => Some(false),
                Some(v) if v == "default" => None,
                Some(v) => Some(v == "true"),
            },
            requests,
            limits,
        }
    }
}

/// `config-autoscaler` as the cluster holds it (the rules that read it are `kuberules`').
pub fn autoscaler_config(cluster: &dyn ClusterApi) -> AutoscalerConfig {
    AutoscalerConfig::from_data(&read_data(cluster, SERVING_NAMESPACE, CONFIG_AUTOSCALER))
}

/// `config-deployment` (digest resolution).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentConfig {
    pub registries_skipping_tag_resolving: Vec<String>,
}

impl DeploymentConfig {
    pub fn read(cluster: &dyn ClusterApi) -> Self {
        Self::from_data(&read_data(cluster, SERVING_NAMESPACE, CONFIG_DEPLOYMENT))
    }

    pub fn from_data(data: &BTreeMap<String, String>) -> Self {
        let raw = data
            .get("registries-skipping-tag-resolving")
            .cloned()
            .unwrap_or_else(|| "kind.local,ko.local,dev.local".to_string());
        DeploymentConfig {
            registries_skipping_tag_resolving: raw
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        }
    }
}
