//! Resolving a Knative `Destination` (`{ref, uri}`) to a URL as knative.dev/pkg's resolver
//! does (reference/knative-api.md §3.2): core Services by name, everything else through its
//! `status.address(es)`, relative URIs against the ref's URL. Everything is read through
//! [`ClusterApi`], so a sink created later resolves on the next reconcile.

use serde_json::Value;

use crate::cluster::ClusterApi;
use crate::json::At;
use crate::knative::meta::str_at;
use crate::resource::GroupResource;
use kuberules::gourl::GoUrl;

/// What a Destination resolves to (duck `Addressable`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Addressable {
    pub url: String,
    pub ca_certs: Option<String>,
    pub audience: Option<String>,
}

/// The group of an `apiVersion` (`""` for `v1`).
pub fn group_of(api_version: &str) -> &str {
    match api_version.split_once('/') {
        Some((g, _)) => g,
        None => "",
    }
}

/// apimachinery's `UnsafeGuessKindToResource`: the plural resource of a kind.
pub fn kind_to_resource(api_version: &str, kind: &str) -> GroupResource {
    let lower = kind.to_lowercase();
    let plural = if lower.is_empty() {
        lower
    } else if lower.ends_with('s') {
        format!("{lower}es")
    } else if let Some(stem) = lower.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{lower}s")
    };
    GroupResource::new(group_of(api_version), &plural)
}

/// The string form of a `KReference` used in resolver errors.
pub fn kreference_string(r: &Value) -> String {
    format!(
        "Kind = {}, Namespace = {}, Name = {}, APIVersion = {}, Group = {}, Address = {}",
        str_at(r, "/kind"),
        str_at(r, "/namespace"),
        str_at(r, "/name"),
        str_at(r, "/apiVersion"),
        str_at(r, "/group"),
        str_at(r, "/address"),
    )
}

/// The host name of a Service in the cluster (`network.GetServiceHostname`).
pub fn service_hostname(name: &str, namespace: &str) -> String {
    format!("{name}.{namespace}.svc.cluster.local")
}

fn non_empty(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// Resolves a `KReference` (`ref.namespace` empty = `default_ns`).
pub fn resolve_ref(
    cluster: &dyn ClusterApi,
    r: &Value,
    default_ns: &str,
) -> Result<Addressable, String> {
    let mut r = r.clone();
    if str_at(&r, "/namespace").is_empty()
        && let Some(o) = r.as_object_mut()
    {
        o.insert("namespace".into(), Value::String(default_ns.to_string()));
    }
    let api_version = str_at(&r, "/apiVersion");
    let kind = str_at(&r, "/kind");
    let name = str_at(&r, "/name");
    let ns = str_at(&r, "/namespace");
    if api_version == "v1" && kind == "Service" {
        return Ok(Addressable {
            url: format!("http://{}", service_hostname(name, ns)),
            ..Default::default()
        });
    }
    let gr = kind_to_resource(api_version, kind);
    let obj = match cluster.get(&gr, ns, name) {
        Ok(o) => o,
        Err(e) => {
            // A resource the cluster does not serve reads as a plain NotFound of that name.
            let message = if e.code == 404 {
                format!("{gr} \"{name}\" not found")
            } else {
                e.message
            };
            return Err(format!("failed to get object {ns}/{name}: {message}"));
        }
    };
    let wanted = non_empty(r.get("address"));
    let addresses = obj
        .at("/status/addresses")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty());
    let address = match (&wanted, addresses) {
        (Some(n), Some(list)) => list.iter().find(|a| str_at(a, "/name") == n).cloned(),
        (None, Some(list)) => list.first().cloned(),
        (_, None) => obj.at("/status/address").filter(|a| a.is_object()).cloned(),
    };
    let Some(address) = address else {
        return Err(format!("address not set for {}", kreference_string(&r)));
    };
    let Some(url) = non_empty(address.get("url")) else {
        return Err(format!(
            "url missing in address of {}",
            kreference_string(&r)
        ));
    };
    if GoUrl::parse(&url).host.is_empty() {
        return Err(format!(
            "hostname missing in address of {}",
            kreference_string(&r)
        ));
    }
    Ok(Addressable {
        url,
        ca_certs: non_empty(address.get("CACerts")),
        audience: non_empty(address.get("audience")),
    })
}

/// Resolves a Destination. `default_ns` is the namespace a ref without one lives in.
pub fn resolve(
    cluster: &dyn ClusterApi,
    dest: &Value,
    default_ns: &str,
) -> Result<Addressable, String> {
    let uri = non_empty(dest.get("uri"));
    let mut addr = match dest.get("ref").filter(|r| r.is_object()) {
        Some(r) => {
            let mut addr = resolve_ref(cluster, r, default_ns)?;
            if let Some(uri) = &uri {
                let rel = GoUrl::parse(uri);
                if rel.is_abs() {
                    return Err(
                        "absolute URI is not allowed when Ref or [apiVersion, kind, name] exists"
                            .to_string(),
                    );
                }
                addr.url = GoUrl::parse(&addr.url).resolve_reference(&rel).to_string();
            }
            addr
        }
        None => match uri {
            Some(uri) => {
                let u = GoUrl::parse(&uri);
                if !u.is_abs() || u.host.is_empty() {
                    return Err(format!(
                        "URI is not absolute (both scheme and host should be non-empty): {uri:?}"
                    ));
                }
                Addressable {
                    url: uri,
                    ..Default::default()
                }
            }
            None => return Err("destination missing Ref and URI, expected at least one".into()),
        },
    };
    if let Some(ca) = non_empty(dest.get("CACerts")) {
        addr.ca_certs = Some(match addr.ca_certs {
            Some(existing) => format!("{existing}\n{ca}"),
            None => ca,
        });
    }
    if let Some(aud) = non_empty(dest.get("audience")) {
        addr.audience = Some(aud);
    }
    Ok(addr)
}

/// Whether `dest` (a Destination or a bare KReference) points at `obj`.
pub fn refers_to(dest: &Value, obj: &Value, default_ns: &str) -> bool {
    let r = match dest.get("ref") {
        Some(r) => r,
        None if dest.get("kind").is_some() => dest,
        None => return false,
    };
    let obj_api = str_at(obj, "/apiVersion");
    let ref_api = str_at(r, "/apiVersion");
    let ref_ns = match str_at(r, "/namespace") {
        "" => default_ns,
        ns => ns,
    };
    str_at(r, "/kind") == str_at(obj, "/kind")
        && group_of(ref_api) == group_of(obj_api)
        && str_at(r, "/name") == str_at(obj, "/metadata/name")
        && ref_ns == str_at(obj, "/metadata/namespace")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knative::eventing::fake::MapCluster;
    use serde_json::json;

    fn cluster_with(objects: &[(GroupResource, Value)]) -> MapCluster {
        let c = MapCluster::default();
        for (gr, o) in objects {
            c.put(gr, o.clone());
        }
        c
    }

    fn ksvc(name: &str, url: Option<&str>) -> Value {
        let mut o = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
            "metadata": {"name": name, "namespace": "default"}});
        if let Some(u) = url {
            o["status"] = json!({"address": {"url": u}});
        }
        o
    }

    fn ksvc_gr() -> GroupResource {
        GroupResource::of("serving.knative.dev", "services")
    }

    #[test]
    fn guesses_resources_like_apimachinery() {
        assert_eq!(
            kind_to_resource("eventing.knative.dev/v1", "Broker"),
            GroupResource::of("eventing.knative.dev", "brokers")
        );
        assert_eq!(kind_to_resource("x/v1", "Policy").resource, "policies");
        assert_eq!(kind_to_resource("x/v1", "Class").resource, "classes");
        assert_eq!(kind_to_resource("v1", "Service").group, "");
    }

    #[test]
    fn uri_only_is_used_as_is() {
        let c = cluster_with(&[]);
        let a = resolve(&c, &json!({"uri": "https://example.com/x?y"}), "default").unwrap();
        assert_eq!(a.url, "https://example.com/x?y");
    }

    #[test]
    fn core_service_resolves_by_name() {
        let c = cluster_with(&[]);
        let d = json!({"ref": {"apiVersion": "v1", "kind": "Service", "name": "web"}});
        assert_eq!(
            resolve(&c, &d, "ns1").unwrap().url,
            "http://web.ns1.svc.cluster.local"
        );
    }

    #[test]
    fn ksvc_resolves_to_its_address_and_relative_uri_is_joined() {
        let c = cluster_with(&[(
            ksvc_gr(),
            ksvc("display", Some("http://display.default.svc.cluster.local")),
        )]);
        let d = json!({"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "display", "namespace": "default"}, "uri": "/events"});
        assert_eq!(
            resolve(&c, &d, "default").unwrap().url,
            "http://display.default.svc.cluster.local/events"
        );
    }

    #[test]
    fn resolution_errors_carry_the_real_texts() {
        let c = cluster_with(&[(ksvc_gr(), ksvc("pending", None))]);
        let missing = json!({"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "foo"}});
        assert_eq!(
            resolve(&c, &missing, "default").unwrap_err(),
            "failed to get object default/foo: services.serving.knative.dev \"foo\" not found"
        );
        let pending = json!({"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "pending", "namespace": "default"}});
        assert_eq!(
            resolve(&c, &pending, "default").unwrap_err(),
            "address not set for Kind = Service, Namespace = default, Name = pending, APIVersion = serving.knative.dev/v1, Group = , Address = "
        );
        let abs = json!({"ref": {"apiVersion": "v1", "kind": "Service", "name": "x"}, "uri": "http://a/b"});
        assert_eq!(
            resolve(&c, &abs, "default").unwrap_err(),
            "absolute URI is not allowed when Ref or [apiVersion, kind, name] exists"
        );
    }

    #[test]
    fn addresses_list_wins_over_address() {
        let mut o = ksvc("s", Some("http://old"));
        o["status"]["addresses"] = json!([{"name": "https", "url": "https://s.default.svc.cluster.local", "CACerts": "PEM"}]);
        let c = cluster_with(&[(ksvc_gr(), o)]);
        let d = json!({"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "s"}});
        let a = resolve(&c, &d, "default").unwrap();
        assert_eq!(a.url, "https://s.default.svc.cluster.local");
        assert_eq!(a.ca_certs.as_deref(), Some("PEM"));
    }

    #[test]
    fn refers_to_matches_group_kind_name_and_namespace() {
        let obj = ksvc("display", None);
        let d = json!({"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "display"}});
        assert!(refers_to(&d, &obj, "default"));
        assert!(!refers_to(&d, &obj, "other"));
        let core = json!({"ref": {"apiVersion": "v1", "kind": "Service", "name": "display"}});
        assert!(!refers_to(&core, &obj, "default"));
    }
}
