//! Knative's ConfigMaps in `knative-serving` and `knative-eventing`: the objects a fresh
//! installation has (with Knative's defaults) and typed readers that webhooks and controllers
//! call on every use, so `kubectl patch cm config-domain …` takes effect on the next reconcile.
//! The typed readers are in `configmaps/readers.rs`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::cluster::ClusterApi;
use crate::resource::GroupResource;
use kuberules::autoscaling::AutoscalerConfig;

mod readers;
pub use readers::*;

pub const SERVING_NAMESPACE: &str = "knative-serving";
pub const EVENTING_NAMESPACE: &str = "knative-eventing";

pub const CONFIG_DOMAIN: &str = "config-domain";
pub const CONFIG_NETWORK: &str = "config-network";
pub const CONFIG_FEATURES: &str = "config-features";
pub const CONFIG_DEFAULTS: &str = "config-defaults";
pub const CONFIG_AUTOSCALER: &str = "config-autoscaler";
pub const CONFIG_DEPLOYMENT: &str = "config-deployment";
pub const CONFIG_GC: &str = "config-gc";

/// Knative's default domain when config-domain has no selector-less entry.
pub const DEFAULT_DOMAIN: &str = "svc.cluster.local";
/// The cluster-local domain suffix (`svc.` + cluster domain).
pub const CLUSTER_LOCAL_DOMAIN: &str = "svc.cluster.local";

/// The key Knative ConfigMaps use for their documentation; never read as a setting.
pub const EXAMPLE_KEY: &str = "_example";

/// `configmaps` in the core group.
pub fn configmaps_gr() -> GroupResource {
    GroupResource::of("", "configmaps")
}

/// The `data` of a ConfigMap (empty when it does not exist).
pub fn read_data(
    cluster: &dyn ClusterApi,
    namespace: &str,
    name: &str,
) -> BTreeMap<String, String> {
    let Ok(cm) = cluster.get_shared(&configmaps_gr(), namespace, name) else {
        return BTreeMap::new();
    };
    cm.get("data")
        .and_then(Value::as_object)
        .map(|d| {
            d.iter()
                .filter(|(k, _)| k.as_str() != EXAMPLE_KEY)
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn configmap(namespace: &str, name: &str, part_of: &str, data: BTreeMap<String, String>) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {
                "app.kubernetes.io/name": part_of,
                "app.kubernetes.io/component": "controller",
                "app.kubernetes.io/version": if part_of == "knative-serving" { SERVING_VERSION } else { EVENTING_VERSION },
            },
        },
        "data": data,
    })
}

fn example(lines: &[&str]) -> BTreeMap<String, String> {
    let mut text = String::from(
        "################################\n#                              #\n#    EXAMPLE CONFIGURATION     #\n#                              #\n################################\n\n# This block is not actually functional configuration,\n# but serves to illustrate the available configuration\n# options and document them in a way that is accessible\n# to users that `kubectl edit` this config map.\n#\n# These sample configuration options may be copied out of\n# this example block and unindented to be in the data block\n# to actually change the configuration.\n",
    );
    for l in lines {
        text.push('\n');
        text.push_str(l);
    }
    text.push('\n');
    BTreeMap::from([(EXAMPLE_KEY.to_string(), text)])
}

/// The Knative release the emulated installation reports (labels on its namespaces and
/// ConfigMaps, as the release manifests set them).
pub const SERVING_VERSION: &str = "1.23.0";
pub const EVENTING_VERSION: &str = "1.22.0";

fn namespace(name: &str) -> Value {
    let version = if name == SERVING_NAMESPACE {
        SERVING_VERSION
    } else {
        EVENTING_VERSION
    };
    json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": {
            "kubernetes.io/metadata.name": name,
            "app.kubernetes.io/name": name,
            "app.kubernetes.io/version": version,
        }},
    })
}

/// Namespaces and ConfigMaps of a fresh Serving + Eventing installation.
pub fn bootstrap(config: &crate::Config) -> Vec<Value> {
    let s = SERVING_NAMESPACE;
    let mut domain = example(&[
        "# Each key is a domain suffix for Routes; the value is an optional label selector.",
        "# A Route gets the suffix whose selector matches its labels with most terms; the",
        "# entry with an empty value is the default (without one: svc.cluster.local).",
        "example.com: |",
        "",
        "example.org: |",
        "  selector:",
        "    app: nonprofit",
    ]);
    if config.domain != DEFAULT_DOMAIN && !config.domain.is_empty() {
        domain.insert(config.domain.clone(), String::new());
    }
    let network = example(&[
        "# domain-template is the Go template for the host of a Route's URL.",
        "domain-template: \"{{.Name}}.{{.Namespace}}.{{.Domain}}\"",
        "",
        "# tag-template is the Go template for the name part of a traffic tag's host.",
        "tag-template: \"{{.Tag}}-{{.Name}}\"",
        "",
        "# default-external-scheme is the scheme of Route URLs (http or https).",
        "default-external-scheme: \"http\"",
        "",
        "# external-domain-tls turns on TLS certificates for external domains.",
        "external-domain-tls: \"Disabled\"",
        "",
        "# autocreate-cluster-domain-claims makes DomainMappings claim their domain themselves.",
        "autocreate-cluster-domain-claims: \"false\"",
    ]);
    let features = example(&[
        "# Pod spec features: Enabled, Allowed or Disabled.",
        "multi-container: \"enabled\"",
        "kubernetes.podspec-affinity: \"disabled\"",
        "kubernetes.podspec-nodeselector: \"disabled\"",
        "kubernetes.podspec-tolerations: \"disabled\"",
        "kubernetes.podspec-fieldref: \"disabled\"",
        "kubernetes.podspec-securitycontext: \"disabled\"",
        "kubernetes.podspec-init-containers: \"disabled\"",
        "kubernetes.podspec-volumes-emptydir: \"enabled\"",
        "kubernetes.podspec-persistent-volume-claim: \"disabled\"",
        "secure-pod-defaults: \"disabled\"",
        "tag-header-based-routing: \"disabled\"",
    ]);
    let defaults = example(&[
        "revision-timeout-seconds: \"300\"",
        "max-revision-timeout-seconds: \"600\"",
        "revision-idle-timeout-seconds: \"0\"",
        "container-concurrency: \"0\"",
        "container-concurrency-max-limit: \"1000\"",
        "allow-container-concurrency-zero: \"true\"",
        "container-name-template: \"user-container\"",
        "init-container-name-template: \"init-container\"",
        "enable-service-links: \"false\"",
    ]);
    let autoscaler = example(&[
        "container-concurrency-target-percentage: \"70\"",
        "container-concurrency-target-default: \"100\"",
        "stable-window: \"60s\"",
        "enable-scale-to-zero: \"true\"",
        "scale-to-zero-grace-period: \"30s\"",
        "allow-zero-initial-scale: \"false\"",
        "initial-scale: \"1\"",
        "max-scale: \"0\"",
        "max-scale-limit: \"0\"",
    ]);
    let deployment = example(&[
        "# Registries whose images are not resolved to digests.",
        "registries-skipping-tag-resolving: \"kind.local,ko.local,dev.local\"",
        "progress-deadline: \"600s\"",
    ]);
    let gc = example(&[
        "retain-since-create-time: \"48h\"",
        "retain-since-last-active-time: \"15h\"",
        "min-non-active-revisions: \"20\"",
        "max-non-active-revisions: \"1000\"",
    ]);
    let e = EVENTING_NAMESPACE;
    let br_defaults = BTreeMap::from([(
        "default-br-config".to_string(),
        "clusterDefault:\n  brokerClass: MTChannelBasedBroker\n  apiVersion: v1\n  kind: ConfigMap\n  name: config-br-default-channel\n  namespace: knative-eventing\n  delivery:\n    retry: 10\n    backoffPolicy: exponential\n    backoffDelay: PT0.2S\n".to_string(),
    )]);
    let br_channel = BTreeMap::from([(
        "channel-template-spec".to_string(),
        "apiVersion: messaging.knative.dev/v1\nkind: InMemoryChannel\n".to_string(),
    )]);
    let ch_webhook = BTreeMap::from([(
        "default-ch-config".to_string(),
        "clusterDefault:\n  apiVersion: messaging.knative.dev/v1\n  kind: InMemoryChannel\n"
            .to_string(),
    )]);
    let ev_features = BTreeMap::from([
        ("kreference-group".to_string(), "disabled".to_string()),
        ("delivery-retryafter".to_string(), "disabled".to_string()),
        ("delivery-timeout".to_string(), "enabled".to_string()),
        ("kreference-mapping".to_string(), "disabled".to_string()),
        ("new-trigger-filters".to_string(), "enabled".to_string()),
        ("transport-encryption".to_string(), "disabled".to_string()),
        ("eventtype-auto-create".to_string(), "disabled".to_string()),
        ("authentication-oidc".to_string(), "disabled".to_string()),
        (
            "cross-namespace-event-links".to_string(),
            "disabled".to_string(),
        ),
    ]);
    let ping_defaults = example(&["data-max-size: \"-1\""]);
    vec![
        namespace(s),
        namespace(e),
        configmap(s, CONFIG_DOMAIN, s, domain),
        configmap(s, CONFIG_NETWORK, s, network),
        configmap(s, CONFIG_FEATURES, s, features),
        configmap(s, CONFIG_DEFAULTS, s, defaults),
        configmap(s, CONFIG_AUTOSCALER, s, autoscaler),
        configmap(s, CONFIG_DEPLOYMENT, s, deployment),
        configmap(s, CONFIG_GC, s, gc),
        configmap(e, "config-br-defaults", e, br_defaults),
        configmap(e, "config-br-default-channel", e, br_channel),
        configmap(e, "default-ch-webhook", e, ch_webhook),
        configmap(e, "config-features", e, ev_features),
        configmap(e, "config-ping-defaults", e, ping_defaults),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn default_domain_is_svc_cluster_local() {
        let d = DomainConfig::from_data(&BTreeMap::new());
        assert_eq!(d.domain_for(&BTreeMap::new()), "svc.cluster.local");
    }

    #[test]
    fn most_specific_selector_wins() {
        let d = DomainConfig::from_data(&data(&[
            ("example.com", ""),
            ("example.org", "selector:\n  app: nonprofit\n"),
            ("x.org", "selector:\n  app: nonprofit\n  tier: a\n"),
        ]));
        let labels = |pairs: &[(&str, &str)]| data(pairs);
        assert_eq!(d.domain_for(&labels(&[])), "example.com");
        assert_eq!(
            d.domain_for(&labels(&[("app", "nonprofit")])),
            "example.org"
        );
        assert_eq!(
            d.domain_for(&labels(&[("app", "nonprofit"), ("tier", "a")])),
            "x.org"
        );
        assert_eq!(
            d.domain_for(&labels(&[(VISIBILITY_LABEL, "cluster-local")])),
            "svc.cluster.local"
        );
    }

    #[test]
    fn bootstrap_writes_the_configured_domain() {
        let cfg = crate::Config {
            domain: "example.com".into(),
            ..Default::default()
        };
        let objs = bootstrap(&cfg);
        let domain = objs
            .iter()
            .find(|o| o["metadata"]["name"] == CONFIG_DOMAIN)
            .unwrap();
        assert_eq!(domain["data"]["example.com"], "");
        let d: BTreeMap<String, String> = serde_json::from_value(domain["data"].clone()).unwrap();
        let d: BTreeMap<String, String> = d.into_iter().filter(|(k, _)| k != EXAMPLE_KEY).collect();
        assert_eq!(
            DomainConfig::from_data(&d).domain_for(&BTreeMap::new()),
            "example.com"
        );
        // With the default domain config-domain holds only the example, like a fresh install.
        let objs = bootstrap(&crate::Config::default());
        let domain = objs
            .iter()
            .find(|o| o["metadata"]["name"] == CONFIG_DOMAIN)
            .unwrap();
        assert_eq!(domain["data"].as_object().unwrap().len(), 1);
    }

    #[test]
    fn features_default_and_override() {
        let f = Features::from_data(&data(&[("kubernetes.podspec-nodeselector", "Enabled")]));
        assert!(f.enabled("multi-container"));
        assert!(f.allows("kubernetes.podspec-nodeselector"));
        assert!(!f.allows("kubernetes.podspec-affinity"));
    }

    #[test]
    fn network_defaults() {
        let n = NetworkConfig::from_data(&BTreeMap::new());
        assert_eq!(n.domain_template, DEFAULT_DOMAIN_TEMPLATE);
        assert!(!n.autocreate_cluster_domain_claims);
        let n = NetworkConfig::from_data(&data(&[("autocreate-cluster-domain-claims", "true")]));
        assert!(n.autocreate_cluster_domain_claims);
        // kn's e2e TestDomain turns it on with the legacy key; the new key wins over it.
        let n = NetworkConfig::from_data(&data(&[("autocreateClusterDomainClaims", "true")]));
        assert!(n.autocreate_cluster_domain_claims);
        let n = NetworkConfig::from_data(&data(&[
            ("autocreateClusterDomainClaims", "true"),
            ("autocreate-cluster-domain-claims", "false"),
        ]));
        assert!(!n.autocreate_cluster_domain_claims);
    }
}
