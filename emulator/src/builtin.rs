//! Built-in core v1 types (namespaces, configmaps, secrets, services, serviceaccounts, pods,
//! events, resource quotas, limit ranges) and RBAC: discovery data, Table columns, and what the
//! real API server fills in on create.
//!
//! Long because: one table of every built-in kind, each entry beside its column and create helpers.

use base64::Engine;
use serde_json::{Map, Value, json};

use crate::catalog::{Column, TypeInfo};
use crate::json::At;
use crate::resource::ResourceType;
use crate::validation::NameRule;

/// Namespaces every cluster has.
pub const SYSTEM_NAMESPACES: [&str; 4] =
    ["default", "kube-system", "kube-public", "kube-node-lease"];

fn core(
    plural: &str,
    singular: &str,
    kind: &str,
    namespaced: bool,
    short: &[&str],
    categories: &[&str],
    status: bool,
) -> ResourceType {
    ResourceType {
        group: String::new(),
        version: "v1".into(),
        plural: plural.into(),
        singular: singular.into(),
        kind: kind.into(),
        list_kind: format!("{kind}List"),
        namespaced,
        short_names: short.iter().map(|s| s.to_string()).collect(),
        categories: categories.iter().map(|s| s.to_string()).collect(),
        has_status: status,
        storage: true,
        deprecation_warning: None,
    }
}

fn count_keys(object: &Value, fields: &[&str]) -> Value {
    let n: usize = fields
        .iter()
        .filter_map(|f| object.get(*f).and_then(Value::as_object))
        .map(Map::len)
        .sum();
    json!(n)
}

fn str_at(object: &Value, pointer: &str) -> Value {
    object
        .at(pointer)
        .cloned()
        .unwrap_or(Value::String(String::new()))
}

fn service_ports(object: &Value) -> Value {
    let ports = object
        .at("/spec/ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if ports.is_empty() {
        return json!("<none>");
    }
    let parts: Vec<String> = ports
        .iter()
        .map(|p| {
            let port = p.get("port").map(|v| v.to_string()).unwrap_or_default();
            let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            match p.get("nodePort") {
                Some(node) => format!("{port}:{node}/{proto}"),
                None => format!("{port}/{proto}"),
            }
        })
        .collect();
    json!(parts.join(","))
}

fn selector_text(object: &Value) -> Value {
    match object.at("/spec/selector").and_then(Value::as_object) {
        Some(sel) if !sel.is_empty() => {
            json!(
                sel.iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        }
        _ => json!("<none>"),
    }
}

/// The built-in printers' Age column: a human duration of type `string` (a custom resource's is
/// a `date`).
fn age_column() -> Column {
    Column {
        type_: "string".into(),
        ..Column::age_column()
    }
}

/// The core types, one [`TypeInfo`] each.
pub fn core_types() -> Vec<TypeInfo> {
    let info = |rt: ResourceType,
                name_rule: NameRule,
                extra: Vec<&'static str>,
                mut columns: Vec<Column>| {
        let mut all = vec![Column::name_column()];
        all.append(&mut columns);
        TypeInfo {
            rt,
            custom: false,
            name_rule,
            extra_fields: extra,
            columns: all,
            schema: None,
        }
    };
    let mut types = vec![
        info(
            core(
                "namespaces",
                "namespace",
                "Namespace",
                false,
                &["ns"],
                &[],
                true,
            ),
            NameRule::Label,
            vec!["status.phase"],
            vec![
                Column::computed("Status", "string", "The status of the namespace", 0, |o| {
                    str_at(o, "/status/phase")
                }),
                age_column(),
            ],
        ),
        info(
            core(
                "configmaps",
                "configmap",
                "ConfigMap",
                true,
                &["cm"],
                &[],
                false,
            ),
            NameRule::Subdomain,
            vec![],
            vec![
                Column::computed(
                    "Data",
                    "string",
                    "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
                    0,
                    |o| count_keys(o, &["data", "binaryData"]),
                ),
                age_column(),
            ],
        ),
        info(
            core("secrets", "secret", "Secret", true, &[], &[], false),
            NameRule::Subdomain,
            vec!["type"],
            vec![
                Column::computed(
                    "Type",
                    "string",
                    "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types",
                    0,
                    |o| str_at(o, "/type"),
                ),
                Column::computed(
                    "Data",
                    "string",
                    "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
                    0,
                    |o| count_keys(o, &["data"]),
                ),
                age_column(),
            ],
        ),
        info(
            core(
                "services",
                "service",
                "Service",
                true,
                &["svc"],
                &["all"],
                true,
            ),
            NameRule::Dns1035,
            vec![],
            vec![
                Column::computed("Type", "string", "", 0, |o| str_at(o, "/spec/type")),
                Column::computed("Cluster-IP", "string", "", 0, |o| {
                    o.at("/spec/clusterIP").cloned().unwrap_or(json!("<none>"))
                }),
                Column::computed("External-IP", "string", "", 0, |o| {
                    o.at("/spec/externalName")
                        .cloned()
                        .unwrap_or(json!("<none>"))
                }),
                Column::computed("Port(s)", "string", "", 0, service_ports),
                age_column(),
                Column::computed("Selector", "string", "", 1, selector_text),
            ],
        ),
        info(
            core(
                "serviceaccounts",
                "serviceaccount",
                "ServiceAccount",
                true,
                &["sa"],
                &[],
                false,
            ),
            NameRule::Subdomain,
            vec![],
            vec![age_column()],
        ),
        info(
            core("pods", "pod", "Pod", true, &["po"], &["all"], true),
            NameRule::Subdomain,
            vec![
                "spec.nodeName",
                "spec.restartPolicy",
                "spec.schedulerName",
                "spec.serviceAccountName",
                "status.phase",
                "status.podIP",
            ],
            crate::apps::pod_columns(),
        ),
        info(
            core("events", "event", "Event", true, &["ev"], &[], false),
            NameRule::Subdomain,
            vec![
                "involvedObject.kind",
                "involvedObject.namespace",
                "involvedObject.name",
                "involvedObject.uid",
                "involvedObject.apiVersion",
                "involvedObject.resourceVersion",
                "involvedObject.fieldPath",
                "reason",
                "reportingComponent",
                "source",
                "type",
            ],
            crate::apps::event_columns(),
        ),
        info(
            core(
                "resourcequotas",
                "resourcequota",
                "ResourceQuota",
                true,
                &["quota"],
                &[],
                true,
            ),
            NameRule::Subdomain,
            vec![],
            vec![
                age_column(),
                Column::computed(
                    "Request",
                    "string",
                    "Request represents a minimum amount of cpu/memory that a container may consume.",
                    0,
                    |o| quota_cell(o, false),
                ),
                Column::computed(
                    "Limit",
                    "string",
                    "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
                    0,
                    |o| quota_cell(o, true),
                ),
            ],
        ),
        info(
            core(
                "limitranges",
                "limitrange",
                "LimitRange",
                true,
                &["limits"],
                &[],
                false,
            ),
            NameRule::Subdomain,
            vec![],
            vec![Column::computed(
                "Created At",
                "date",
                &Column::age_column().description,
                0,
                |o| str_at(o, "/metadata/creationTimestamp"),
            )],
        ),
    ];
    types.extend(rbac_types(&info));
    // The event printer has no leading Name column (its name is a wide column at the end).
    if let Some(events) = types.iter_mut().find(|t| t.rt.plural == "events") {
        events.columns.remove(0);
    }
    types
}

/// A ResourceQuota's Request (or Limit: the `limits.*` resources) cell: `name: used/hard` for
/// each resource of `status.hard` (what the quota controller enforces), sorted.
fn quota_cell(o: &Value, limits: bool) -> Value {
    let Some(hard) = o.at("/status/hard").and_then(Value::as_object) else {
        return json!("");
    };
    let mut names: Vec<&String> = hard.keys().collect();
    names.sort();
    let quantity = |section: &str, name: &str| {
        o.at(&format!("/status/{section}"))
            .and_then(|m| m.get(name))
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .unwrap_or_else(|| "0".into())
    };
    let cells: Vec<String> = names
        .into_iter()
        .filter(|name| {
            let pieces: Vec<&str> = name.split('.').collect();
            (pieces.len() > 1 && pieces[0] == "limits") == limits
        })
        .map(|name| {
            format!(
                "{name}: {}/{}",
                quantity("used", name),
                quantity("hard", name)
            )
        })
        .collect();
    json!(cells.join(", "))
}

/// The RBAC group's resource type (`rbac.authorization.k8s.io/v1`).
fn rbac(plural: &str, singular: &str, kind: &str, namespaced: bool) -> ResourceType {
    ResourceType {
        group: RBAC_GROUP.into(),
        ..core(plural, singular, kind, namespaced, &[], &[], false)
    }
}

/// The API group of Role, RoleBinding, ClusterRole and ClusterRoleBinding.
pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// `Role/name` of a binding's roleRef.
fn role_ref(o: &Value) -> Value {
    json!(format!(
        "{}/{}",
        o.at("/roleRef/kind").and_then(Value::as_str).unwrap_or(""),
        o.at("/roleRef/name").and_then(Value::as_str).unwrap_or("")
    ))
}

/// The subjects of a binding of one kind, as the printer lists them.
fn subjects(o: &Value, kind: &str) -> Value {
    let names: Vec<String> = o
        .get("subjects")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|s| s.get("kind").and_then(Value::as_str) == Some(kind))
        .map(|s| {
            let name = s.get("name").and_then(Value::as_str).unwrap_or("");
            match (kind, s.get("namespace").and_then(Value::as_str)) {
                ("ServiceAccount", Some(ns)) => format!("{ns}/{name}"),
                _ => name.to_string(),
            }
        })
        .collect();
    json!(names.join(", "))
}

fn rbac_types(
    info: &dyn Fn(ResourceType, NameRule, Vec<&'static str>, Vec<Column>) -> TypeInfo,
) -> Vec<TypeInfo> {
    let created_at = || {
        Column::computed(
            "Created At",
            "date",
            &Column::age_column().description,
            0,
            |o| str_at(o, "/metadata/creationTimestamp"),
        )
    };
    let binding_columns = |what: &str, role_ref_doc: &str| {
        vec![
            Column::computed("Role", "string", role_ref_doc, 0, role_ref),
            age_column(),
            Column::computed("Users", "string", &format!("Users in the {what}"), 1, |o| {
                subjects(o, "User")
            }),
            Column::computed(
                "Groups",
                "string",
                &format!("Groups in the {what}"),
                1,
                |o| subjects(o, "Group"),
            ),
            Column::computed(
                "ServiceAccounts",
                "string",
                &format!("ServiceAccounts in the {what}"),
                1,
                |o| subjects(o, "ServiceAccount"),
            ),
        ]
    };
    vec![
        info(
            rbac("roles", "role", "Role", true),
            NameRule::PathSegment,
            vec![],
            vec![created_at()],
        ),
        info(
            rbac("rolebindings", "rolebinding", "RoleBinding", true),
            NameRule::PathSegment,
            vec![],
            binding_columns(
                "roleBinding",
                "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.",
            ),
        ),
        info(
            rbac("clusterroles", "clusterrole", "ClusterRole", false),
            NameRule::PathSegment,
            vec![],
            vec![created_at()],
        ),
        info(
            rbac(
                "clusterrolebindings",
                "clusterrolebinding",
                "ClusterRoleBinding",
                false,
            ),
            NameRule::PathSegment,
            vec![],
            binding_columns(
                "clusterRoleBinding",
                "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.",
            ),
        ),
    ]
}

/// The `spec` fields the real API server's storage sets on create (after its field manager ran,
/// so nobody owns them): namespace finalizers, a Service's allocated addresses.
pub fn set_by_storage(plural: &str) -> &'static [&'static str] {
    match plural {
        "namespaces" => &["finalizers"],
        "services" => &["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"],
        _ => &[],
    }
}

/// Fields the real API server fills in when a core object is created (its defaulting and
/// `PrepareForCreate`). `cluster_ip` is the address to allocate for a ClusterIP Service.
pub fn prepare_create(plural: &str, object: &mut Value, cluster_ip: impl FnOnce() -> String) {
    match plural {
        "namespaces" => {
            prepare_update(plural, object);
            object["spec"] = json!({"finalizers": ["kubernetes"]});
            object["status"] = json!({"phase": "Active"});
        }
        "limitranges" => prepare_update(plural, object),
        // Only the quota controller writes a quota's status.
        "resourcequotas" => object["status"] = json!({}),
        "secrets" => {
            if object.get("type").is_none_or(Value::is_null) {
                object["type"] = json!("Opaque");
            }
            prepare_update("secrets", object);
        }
        "services" => {
            let spec = object.get_mut("spec").and_then(Value::as_object_mut);
            if let Some(spec) = spec {
                let kind = spec
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("ClusterIP")
                    .to_string();
                spec.insert("type".into(), json!(kind));
                spec.entry("sessionAffinity").or_insert(json!("None"));
                if kind != "ExternalName" {
                    if spec
                        .get("clusterIP")
                        .and_then(Value::as_str)
                        .is_none_or(str::is_empty)
                    {
                        let ip = cluster_ip();
                        spec.insert("clusterIP".into(), json!(ip));
                        spec.insert("clusterIPs".into(), json!([ip]));
                    }
                    spec.entry("ipFamilies").or_insert(json!(["IPv4"]));
                    spec.entry("ipFamilyPolicy").or_insert(json!("SingleStack"));
                    spec.entry("internalTrafficPolicy")
                        .or_insert(json!("Cluster"));
                }
                if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
                    for port in ports {
                        if let Some(p) = port.as_object_mut() {
                            p.entry("protocol").or_insert(json!("TCP"));
                            if let Some(number) = p.get("port").cloned() {
                                p.entry("targetPort").or_insert(number);
                            }
                        }
                    }
                }
            }
            object["status"] = json!({"loadBalancer": {}});
        }
        _ => {}
    }
}

/// Normalisation applied on every write of a core object (e.g. Secret `stringData` is folded
/// into `data`).
pub fn prepare_update(plural: &str, object: &mut Value) {
    // `SetDefaults_Namespace` labels every namespace with its name, on each write.
    if plural == "namespaces" {
        let name = object
            .at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            let labels = meta.entry("labels").or_insert_with(|| json!({}));
            if let Some(labels) = labels.as_object_mut() {
                labels.insert("kubernetes.io/metadata.name".into(), json!(name));
            }
        }
        return;
    }
    if plural == "limitranges" {
        default_limit_ranges(object);
        return;
    }
    if plural == "secrets"
        && let Some(Value::Object(string_data)) =
            object.as_object_mut().and_then(|o| o.remove("stringData"))
    {
        let data = object
            .as_object_mut()
            .map(|o| o.entry("data").or_insert_with(|| json!({})));
        if let Some(Value::Object(data)) = data {
            for (k, v) in string_data {
                let text = v.as_str().unwrap_or("").to_string();
                data.insert(
                    k,
                    json!(base64::engine::general_purpose::STANDARD.encode(text)),
                );
            }
        }
    }
}

/// What an update of a core object cannot change: a namespace's `spec.finalizers` (upstream's
/// `PrepareForUpdate` copies them from the stored object; only the finalize subresource sets
/// them), so an apply that does not mention them keeps them.
pub fn keep_from_old(plural: &str, old: &Value, new: &mut Value) {
    if plural == "namespaces" {
        let finalizers = old.at("/spec/finalizers").cloned();
        let spec = new
            .as_object_mut()
            .map(|o| o.entry("spec").or_insert_with(|| json!({})));
        if let Some(Value::Object(spec)) = spec {
            match finalizers {
                Some(f) => spec.insert("finalizers".into(), f),
                None => spec.remove("finalizers"),
            };
        }
    }
}

/// LimitRange defaulting of `Container` items: the default limit falls back to the max, the
/// default request to the default limit, then to the min.
fn default_limit_ranges(object: &mut Value) {
    let Some(limits) = object
        .pointer_mut("/spec/limits")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for item in limits.iter_mut().filter_map(Value::as_object_mut) {
        if item.get("type").and_then(Value::as_str) != Some("Container") {
            continue;
        }
        let section = |item: &Map<String, Value>, key: &str| {
            item.get(key)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let mut default = section(item, "default");
        for (k, v) in section(item, "max") {
            default.entry(k).or_insert(v);
        }
        let mut request = section(item, "defaultRequest");
        for (k, v) in default.iter().chain(section(item, "min").iter()) {
            request.entry(k.clone()).or_insert_with(|| v.clone());
        }
        // Empty maps are omitted, as Go's omitempty does.
        for (key, map) in [("default", default), ("defaultRequest", request)] {
            if !map.is_empty() {
                item.insert(key.into(), Value::Object(map));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_fold_string_data_and_default_type() {
        let mut secret = json!({"metadata": {"name": "s"}, "stringData": {"a": "hi"}});
        prepare_create("secrets", &mut secret, String::new);
        assert_eq!(
            secret,
            json!({"metadata": {"name": "s"}, "type": "Opaque", "data": {"a": "aGk="}})
        );
    }

    #[test]
    fn services_get_cluster_ip_and_port_defaults() {
        let mut svc = json!({"metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}});
        prepare_create("services", &mut svc, || "10.96.0.10".into());
        assert_eq!(svc["spec"]["clusterIP"], "10.96.0.10");
        assert_eq!(
            svc["spec"]["ports"][0],
            json!({"port": 80, "protocol": "TCP", "targetPort": 80})
        );
        assert_eq!(svc["spec"]["type"], "ClusterIP");
    }

    #[test]
    fn quota_cells_split_requests_and_limits() {
        let quota = json!({
            "spec": {"hard": {"pods": "3", "limits.cpu": "2", "requests.memory": "1Gi"}},
            "status": {"hard": {"pods": "3", "limits.cpu": "2", "requests.memory": "1Gi"}, "used": {"pods": "1"}},
        });
        assert_eq!(
            quota_cell(&quota, false),
            json!("pods: 1/3, requests.memory: 0/1Gi")
        );
        assert_eq!(quota_cell(&quota, true), json!("limits.cpu: 0/2"));
        // Before the quota controller has written a status, nothing is enforced yet.
        assert_eq!(
            quota_cell(&json!({"spec": quota["spec"]}), false),
            json!("")
        );
    }

    #[test]
    fn limit_ranges_default_container_limits_and_requests() {
        let mut lr = json!({"spec": {"limits": [
            {"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"}},
            {"type": "Pod", "max": {"cpu": "4"}},
        ]}});
        prepare_create("limitranges", &mut lr, String::new);
        assert_eq!(
            lr["spec"]["limits"],
            json!([
                {"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"}, "default": {"cpu": "2"}, "defaultRequest": {"cpu": "2", "memory": "64Mi"}},
                {"type": "Pod", "max": {"cpu": "4"}},
            ])
        );
    }

    #[test]
    fn namespaces_are_active_with_the_name_label() {
        let mut ns = json!({"metadata": {"name": "n"}});
        prepare_create("namespaces", &mut ns, String::new);
        assert_eq!(ns["metadata"]["labels"]["kubernetes.io/metadata.name"], "n");
        assert_eq!(ns["status"]["phase"], "Active");
        // An update (an apply that names neither) keeps the label and the finalizers.
        let mut updated = json!({"metadata": {"name": "n"}, "spec": {}});
        prepare_update("namespaces", &mut updated);
        keep_from_old("namespaces", &ns, &mut updated);
        assert_eq!(
            updated,
            json!({"metadata": {"name": "n", "labels": {"kubernetes.io/metadata.name": "n"}},
                "spec": {"finalizers": ["kubernetes"]}})
        );
    }
}
