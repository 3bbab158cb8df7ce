//! Validation of a Revision's pod spec (serving's `ValidatePodSpec`, `k8s_validation.go`):
//! feature-gated fields, containers, ports, env, volumes, mounts, probes and the
//! secure-defaults warnings. Paths are relative to the RevisionSpec.

use crate::crd::gofmt::quote;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::knative::configmaps::Features;
use crate::knative::names::ImageRef;
use kuberules::fielderror::{FieldError, Level};
use kuberules::names::{dns1123_label, dns1123_subdomain};

const MAX_INT32: i64 = 2147483647;
const RESERVED_PORTS: &[i64] = &[8012, 8013, 8022, 9090, 9091, 8008];
const RESERVED_ENV: &[&str] = &["PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION"];
const RESERVED_PATHS: &[&str] = &["/", "/dev", "/dev/log"];

/// Pod-spec fields that are accepted only when their feature flag is not Disabled.
const GATED_POD_FIELDS: &[(&str, &str)] = &[
    ("affinity", "kubernetes.podspec-affinity"),
    (
        "topologySpreadConstraints",
        "kubernetes.podspec-topologyspreadconstraints",
    ),
    ("hostAliases", "kubernetes.podspec-hostaliases"),
    ("nodeSelector", "kubernetes.podspec-nodeselector"),
    ("runtimeClassName", "kubernetes.podspec-runtimeclassname"),
    ("tolerations", "kubernetes.podspec-tolerations"),
    ("schedulerName", "kubernetes.podspec-schedulername"),
    ("priorityClassName", "kubernetes.podspec-priorityclassname"),
    ("dnsPolicy", "kubernetes.podspec-dnspolicy"),
    ("dnsConfig", "kubernetes.podspec-dnsconfig"),
    (
        "shareProcessNamespace",
        "kubernetes.podspec-shareprocessnamespace",
    ),
    ("hostIPC", "kubernetes.podspec-hostipc"),
    ("hostPID", "kubernetes.podspec-hostpid"),
    ("hostNetwork", "kubernetes.podspec-hostnetwork"),
    ("initContainers", "kubernetes.podspec-init-containers"),
];

/// Volume sources behind feature flags (emptyDir and PVCs have their own messages).
const GATED_VOLUME_SOURCES: &[(&str, &str)] = &[
    ("hostPath", "kubernetes.podspec-volumes-hostpath"),
    ("csi", "kubernetes.podspec-volumes-csi"),
    ("ephemeral", "kubernetes.podspec-volumes-ephemeral"),
    ("image", "kubernetes.podspec-volumes-image"),
];

/// Pod security context fields allowed without `kubernetes.podspec-securitycontext`.
const POD_SECURITY_CONTEXT_ALLOWED: &[&str] = &[
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "fsGroup",
    "supplementalGroups",
    "seccompProfile",
];

fn is_set(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
    }
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn arr<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn int(v: &Value, k: &str) -> i64 {
    v.get(k).and_then(Value::as_i64).unwrap_or(0)
}

/// `ValidatePodSpec`.
pub fn validate_pod_spec(features: &Features, ps: &Value) -> FieldError {
    let mut errs = FieldError::none();

    // Feature-gated pod-spec fields.
    let disallowed: Vec<&str> = GATED_POD_FIELDS
        .iter()
        .filter(|(field, flag)| is_set(ps.get(*field)) && !features.allows(flag))
        .map(|(field, _)| *field)
        .collect();
    if !disallowed.is_empty() {
        errs.push(FieldError::disallowed(&disallowed));
    }

    // Pod security context.
    if let Some(sc) = ps.get("securityContext").and_then(Value::as_object) {
        let mut e = FieldError::none();
        let secure_defaults = features.allows("secure-pod-defaults");
        let feature = features.allows("kubernetes.podspec-securitycontext");
        // `PodSpecMask` keeps the pod securityContext only with the feature or secure pod
        // defaults; `PodSecurityContextMask` keeps the allowed subset only with the feature, and
        // otherwise a RuntimeDefault/Unconfined seccompProfile under secure pod defaults.
        if !feature && !secure_defaults && !sc.is_empty() {
            errs.push(FieldError::disallowed(&["securityContext"]));
        }
        let bad: Vec<&str> = sc
            .iter()
            .filter(|(k, v)| {
                let allowed = if feature {
                    POD_SECURITY_CONTEXT_ALLOWED.contains(&k.as_str())
                } else {
                    secure_defaults
                        && k.as_str() == "seccompProfile"
                        && matches!(
                            v.get("type").and_then(Value::as_str),
                            Some("RuntimeDefault" | "Unconfined")
                        )
                };
                !allowed && is_set(Some(v))
            })
            .map(|(k, _)| k.as_str())
            .collect();
        if !bad.is_empty() {
            e.push(FieldError::disallowed(&bad));
        }
        let sc_v = Value::Object(sc.clone());
        for field in ["runAsUser", "runAsGroup", "fsGroup"] {
            if let Some(n) = sc_v.get(field).and_then(Value::as_i64)
                && !(0..=MAX_INT32).contains(&n)
            {
                e.push(FieldError::out_of_bounds(n, 0, MAX_INT32, field));
            }
        }
        for (i, g) in arr(&sc_v, "supplementalGroups").iter().enumerate() {
            if let Some(n) = g.as_i64()
                && !(0..=MAX_INT32).contains(&n)
            {
                e.push(
                    FieldError::out_of_bounds(n, 0, MAX_INT32, "")
                        .via_field_index("supplementalGroups", i),
                );
            }
        }
        errs.push(e.via_field("securityContext"));
    }

    let containers = arr(ps, "containers");
    let init_containers = arr(ps, "initContainers");
    let pod_sc = ps.get("securityContext").cloned().unwrap_or(Value::Null);

    // Warnings about insecure Kubernetes defaults.
    for (i, c) in containers.iter().enumerate() {
        errs.push(
            warn_default_security_context(
                &pod_sc,
                c.get("securityContext").unwrap_or(&Value::Null),
            )
            .via_field("securityContext")
            .via_field_index("containers", i),
        );
    }
    for (i, c) in init_containers.iter().enumerate() {
        errs.push(
            warn_default_security_context(
                &pod_sc,
                c.get("securityContext").unwrap_or(&Value::Null),
            )
            .via_field("securityContext")
            .via_field_index("initContainers", i),
        );
    }

    // Volumes.
    let mut mounted = BTreeSet::new();
    for c in init_containers.iter().chain(containers) {
        for m in arr(c, "volumeMounts") {
            mounted.insert(s(m, "name").to_string());
        }
    }
    let (volumes, verrs) = validate_volumes(features, arr(ps, "volumes"), &mounted);
    errs.push(verrs.via_field("volumes"));

    // Init containers.
    if !init_containers.is_empty() {
        if !features.enabled("kubernetes.podspec-init-containers") {
            errs.push(FieldError::new(
                format!(
                    "pod spec support for init-containers is off, but found {} init containers",
                    init_containers.len()
                ),
                &[],
            ));
        } else {
            let names: BTreeSet<&str> = containers.iter().map(|c| s(c, "name")).collect();
            for (i, c) in init_containers.iter().enumerate() {
                if names.contains(s(c, "name")) {
                    errs.push(
                        FieldError::new(
                            format!("duplicate container name {}", quote(s(c, "name"))),
                            &["name"],
                        )
                        .via_field_index("containers", i),
                    );
                }
                let mut e = FieldError::none();
                for probe in [
                    "livenessProbe",
                    "readinessProbe",
                    "startupProbe",
                    "lifecycle",
                ] {
                    if c.get(probe).is_some_and(|v| !v.is_null()) {
                        e.push(FieldError::new(
                            "field not allowed in an init container",
                            &[probe],
                        ));
                    }
                }
                e.push(validate_container_common(features, c, &volumes, true));
                errs.push(e.via_field_index("containers", i));
            }
        }
    }

    // Ports across containers.
    let mut count = 0;
    let mut port = serde_json::json!({});
    for c in containers {
        let ports = arr(c, "ports");
        if !ports.is_empty() {
            count += ports.len();
            port = ports[0].clone();
        }
    }
    let port_name = match s(&port, "name") {
        "" => "http".to_string(),
        n => n.to_string(),
    };
    if count == 0 && containers.len() > 1 {
        errs.push(FieldError::missing(&["ports"]).via_field("containers[*]"));
    } else if count > 1 {
        errs.push(
            FieldError::with_details(
                "more than one container port is set",
                &["ports"],
                "Only a single port is allowed across all containers",
            )
            .via_field("containers[*]"),
        );
    }

    match containers.len() {
        0 => errs.push(FieldError::missing(&["containers"])),
        1 => errs.push(
            validate_serving_container(features, &containers[0], &volumes, &port_name)
                .via_field_index("containers", 0),
        ),
        n => {
            if !features.enabled("multi-container") {
                errs.push(FieldError::new(
                    format!("multi-container is off, but found {n} containers"),
                    &[],
                ));
            } else {
                let mut seen = BTreeSet::new();
                for (i, c) in containers.iter().enumerate() {
                    let name = s(c, "name");
                    if !seen.insert(name) {
                        errs.push(
                            FieldError::new(
                                format!("duplicate container name {}", quote(name)),
                                &["name"],
                            )
                            .via_field_index("containers", i),
                        );
                    }
                    let e = if arr(c, "ports").is_empty() {
                        validate_sidecar_container(features, c, &volumes)
                    } else {
                        validate_serving_container(features, c, &volumes, &port_name)
                    };
                    errs.push(e.via_field_index("containers", i));
                }
            }
        }
    }

    let sa = s(ps, "serviceAccountName");
    if !sa.is_empty() {
        for e in dns1123_subdomain(sa) {
            errs.push(FieldError::invalid_value_details(
                sa,
                "serviceAccountName",
                &[&e],
            ));
        }
    }
    errs
}

/// Volume name → volume.
type Volumes = BTreeMap<String, Value>;

fn validate_volumes(
    features: &Features,
    vs: &[Value],
    mounted: &BTreeSet<String>,
) -> (Volumes, FieldError) {
    let mut volumes = Volumes::new();
    let mut errs = FieldError::none();
    for (i, v) in vs.iter().enumerate() {
        let name = s(v, "name").to_string();
        if volumes.contains_key(&name) {
            errs.push(
                FieldError::new(format!("duplicate volume name {}", quote(&name)), &["name"])
                    .via_index(i),
            );
        }
        if !mounted.contains(&name) {
            errs.push(
                FieldError::new(
                    format!("volume with name {} not mounted", quote(&name)),
                    &["name"],
                )
                .via_index(i),
            );
        }
        errs.push(validate_volume(features, v).via_index(i));
        volumes.insert(name, v.clone());
    }
    (volumes, errs)
}

fn validate_volume(features: &Features, v: &Value) -> FieldError {
    let mut errs = FieldError::none();
    let name = s(v, "name");
    if let Some(pvc) = v.get("persistentVolumeClaim").filter(|p| !p.is_null()) {
        let claim = s(pvc, "claimName");
        if !features.enabled("kubernetes.podspec-persistent-volume-claim") {
            errs.push(FieldError::new(
                format!("Persistent volume claim support is disabled, but found persistent volume claim {claim}"),
                &[],
            ));
        }
        let read_only = pvc
            .get("readOnly")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !read_only && !features.enabled("kubernetes.podspec-persistent-volume-write") {
            errs.push(FieldError::new(
                format!(
                    "Persistent volume write support is disabled, but found persistent volume claim {claim} that is not read-only"
                ),
                &[],
            ));
        }
    }
    let has = |k: &str| v.get(k).is_some_and(|x| !x.is_null());
    if has("emptyDir") && !features.enabled("kubernetes.podspec-volumes-emptydir") {
        errs.push(FieldError::new(
            format!("EmptyDir volume support is disabled, but found EmptyDir volume {name}"),
            &[],
        ));
    }
    if name.is_empty() {
        errs = FieldError::missing(&["name"]);
    } else if !dns1123_label(name).is_empty() {
        errs = FieldError::invalid_value(name, "name");
    }
    let mut gated: Vec<&str> = GATED_VOLUME_SOURCES
        .iter()
        .filter(|(k, flag)| has(k) && !features.enabled(flag))
        .map(|(k, _)| *k)
        .collect();
    // `VolumeSourceMask` drops a claim unless its feature is on (besides the messages above).
    if has("persistentVolumeClaim")
        && !features.enabled("kubernetes.podspec-persistent-volume-claim")
    {
        gated.push("persistentVolumeClaim");
    }
    if !gated.is_empty() {
        errs.push(FieldError::disallowed(&gated));
    }
    let mut specified: Vec<&str> = Vec::new();
    for k in [
        "secret",
        "configMap",
        "projected",
        "emptyDir",
        "persistentVolumeClaim",
    ] {
        if has(k) {
            specified.push(k);
        }
    }
    for (k, flag) in GATED_VOLUME_SOURCES {
        if has(k) && features.enabled(flag) {
            specified.push(k);
        }
    }
    for k in ["secret", "configMap"] {
        if let Some(src) = v.get(k) {
            for (i, item) in arr(src, "items").iter().enumerate() {
                errs.push(
                    validate_key_to_path(item)
                        .via_field_index("items", i)
                        .via_field(k),
                );
            }
        }
    }
    if let Some(p) = v.get("projected") {
        for (i, proj) in arr(p, "sources").iter().enumerate() {
            errs.push(validate_projection(proj).via_field_index("projected", i));
        }
    }
    if let Some(ed) = v.get("emptyDir").filter(|e| !e.is_null()) {
        let medium = s(ed, "medium");
        if !medium.is_empty() && medium != "Memory" {
            errs.push(FieldError::invalid_value(medium, "medium").via_field("emptyDir"));
        }
    }
    if specified.is_empty() {
        let mut paths = vec!["secret", "configMap", "projected"];
        if features.enabled("kubernetes.podspec-volumes-emptydir") {
            paths.push("emptyDir");
        }
        if features.enabled("kubernetes.podspec-persistent-volume-claim") {
            paths.push("persistentVolumeClaim");
        }
        errs.push(FieldError::missing_one_of(&paths));
    } else if specified.len() > 1 {
        errs.push(FieldError::multiple_one_of(&specified));
    }
    errs
}

fn validate_key_to_path(item: &Value) -> FieldError {
    let mut errs = FieldError::none();
    if s(item, "key").is_empty() {
        errs.push(FieldError::missing(&["key"]));
    }
    if s(item, "path").is_empty() {
        errs.push(FieldError::missing(&["path"]));
    }
    errs
}

fn validate_projection(p: &Value) -> FieldError {
    let mut errs = FieldError::none();
    let mut specified = Vec::new();
    for k in ["secret", "configMap", "serviceAccountToken", "downwardAPI"] {
        let Some(src) = p.get(k).filter(|x| !x.is_null()) else {
            continue;
        };
        specified.push(k);
        let mut e = FieldError::none();
        match k {
            "secret" | "configMap" => {
                if s(src, "name").is_empty() {
                    e.push(FieldError::missing(&["name"]));
                }
                for (i, item) in arr(src, "items").iter().enumerate() {
                    e.push(validate_key_to_path(item).via_field_index("items", i));
                }
            }
            "serviceAccountToken" => {
                if s(src, "path").is_empty() {
                    e.push(FieldError::missing(&["path"]));
                }
            }
            _ => {
                for (i, f) in arr(src, "items").iter().enumerate() {
                    let mut fe = FieldError::none();
                    let field_ref = f.get("fieldRef").is_some_and(|x| !x.is_null());
                    let res_ref = f.get("resourceFieldRef").is_some_and(|x| !x.is_null());
                    if !field_ref && !res_ref {
                        fe.push(FieldError::missing_one_of(&[
                            "fieldRef",
                            "resourceFieldRef",
                        ]));
                    }
                    if field_ref && res_ref {
                        fe.push(FieldError::new(
                            "Within a single item, cannot set both",
                            &["resourceFieldRef", "fieldRef"],
                        ));
                    }
                    if s(f, "path").is_empty() {
                        fe.push(FieldError::missing(&["path"]));
                    }
                    e.push(fe.via_field_index("items", i));
                }
            }
        }
        errs.push(e.via_field(k));
    }
    if specified.is_empty() {
        errs.push(FieldError::missing_one_of(&[
            "secret",
            "configMap",
            "serviceAccountToken",
            "downwardAPI",
        ]));
    } else if specified.len() > 1 {
        errs.push(FieldError::multiple_one_of(&specified));
    }
    errs
}

/// `ValidateContainer` for the serving container (the one with the port, or the only one).
fn validate_serving_container(
    features: &Features,
    c: &Value,
    volumes: &Volumes,
    port_name: &str,
) -> FieldError {
    let mut errs = FieldError::none();
    if let Some(p) = c.get("livenessProbe").filter(|p| !p.is_null()) {
        errs.push(validate_probe(p, port_name).via_field("livenessProbe"));
    }
    if let Some(p) = c.get("readinessProbe").filter(|p| !p.is_null()) {
        errs.push(validate_readiness_probe(p, port_name).via_field("readinessProbe"));
    }
    errs.also(validate_container_common(features, c, volumes, false))
}

fn validate_sidecar_container(features: &Features, c: &Value, volumes: &Volumes) -> FieldError {
    let mut errs = FieldError::none();
    if !features.enabled("multi-container-probing") {
        for probe in ["livenessProbe", "readinessProbe"] {
            if let Some(p) = c.get(probe).and_then(Value::as_object) {
                let set: Vec<&str> = p
                    .iter()
                    .filter(|(_, v)| is_set(Some(v)))
                    .map(|(k, _)| k.as_str())
                    .collect();
                if !set.is_empty() {
                    errs.push(FieldError::disallowed(&set).via_field(probe));
                }
            }
        }
    }
    errs.also(validate_container_common(features, c, volumes, false))
}

fn validate_container_common(
    features: &Features,
    c: &Value,
    volumes: &Volumes,
    init: bool,
) -> FieldError {
    let mut errs = FieldError::none();
    let name = s(c, "name");
    if name == "queue-proxy" {
        errs.push(FieldError::new(
            format!("{} is a reserved container name", quote(name)),
            &["name"],
        ));
    }
    // Env.
    for (i, env) in arr(c, "env").iter().enumerate() {
        let mut e = FieldError::none();
        let n = s(env, "name");
        if n.is_empty() {
            e.push(FieldError::missing(&["name"]));
        } else if RESERVED_ENV.contains(&n) && !(init && n == "PORT") {
            e.push(FieldError::new(
                format!("{} is a reserved environment variable", quote(n)),
                &["name"],
            ));
        }
        if let Some(vf) = env.get("valueFrom").and_then(Value::as_object)
            && !features.allows("kubernetes.podspec-fieldref")
        {
            let bad: Vec<&str> = ["fieldRef", "resourceFieldRef"]
                .into_iter()
                .filter(|k| vf.get(*k).is_some_and(|v| !v.is_null()))
                .collect();
            if !bad.is_empty() {
                e.push(FieldError::disallowed(&bad).via_field("valueFrom"));
            }
        }
        errs.push(e.via_index(i).via_field("env"));
    }
    // EnvFrom.
    for (i, ef) in arr(c, "envFrom").iter().enumerate() {
        let cm = ef.get("configMapRef").is_some_and(|v| !v.is_null());
        let sec = ef.get("secretRef").is_some_and(|v| !v.is_null());
        if cm && sec {
            errs.push(
                FieldError::multiple_one_of(&["configMapRef", "secretRef"])
                    .via_index(i)
                    .via_field("envFrom"),
            );
        } else if !cm && !sec {
            errs.push(
                FieldError::missing_one_of(&["configMapRef", "secretRef"])
                    .via_index(i)
                    .via_field("envFrom"),
            );
        }
    }
    // Image.
    let image = s(c, "image");
    if image.is_empty() {
        errs.push(FieldError::missing(&["image"]));
    } else if let Err(e) = ImageRef::parse(image) {
        errs.push(FieldError::with_details(
            "Failed to parse image reference",
            &["image"],
            format!("image: {}, error: {e}", quote(image)),
        ));
    }
    // Ports.
    let ports = arr(c, "ports");
    if init {
        for p in ports {
            errs.push(validate_port_basic(p).via_field("ports"));
        }
    } else if let Some(p) = ports.first() {
        let mut e = validate_port_basic(p);
        let proto = s(p, "protocol");
        if !proto.is_empty() && proto != "TCP" {
            e.push(FieldError::invalid_value(proto, "protocol"));
        }
        let pname = s(p, "name");
        if !matches!(pname, "" | "h2c" | "http1") {
            e.push(FieldError::with_details(
                format!("Port name {pname} is not allowed"),
                &[""],
                "Name must be empty, or one of: 'h2c', 'http1'",
            ));
        }
        errs.push(e.via_field("ports"));
    }
    // Security context.
    if let Some(sc) = c.get("securityContext").filter(|v| v.is_object()) {
        let mut e = FieldError::none();
        if let Some(add) = sc.pointer("/capabilities/add").and_then(Value::as_array)
            && !add.is_empty()
            && !features.enabled("kubernetes.containerspec-addcapabilities")
            && !add.iter().all(|a| a.as_str() == Some("NET_BIND_SERVICE"))
        {
            e.push(FieldError::disallowed(&["add"]).via_field("capabilities"));
        }
        // `SecurityContextMask` keeps `privileged` only when it is false.
        if sc.get("privileged").and_then(Value::as_bool) == Some(true) {
            e.push(FieldError::disallowed(&["privileged"]));
        }
        for field in ["runAsUser", "runAsGroup"] {
            if let Some(n) = sc.get(field).and_then(Value::as_i64)
                && !(0..=MAX_INT32).contains(&n)
            {
                e.push(FieldError::out_of_bounds(n, 0, MAX_INT32, field));
            }
        }
        errs.push(e.via_field("securityContext"));
    }
    // Termination message policy.
    let tmp = s(c, "terminationMessagePolicy");
    if !matches!(tmp, "" | "File" | "FallbackToLogsOnError") {
        errs.push(FieldError::invalid_value(tmp, "terminationMessagePolicy"));
    }
    // Volume mounts.
    errs.push(validate_volume_mounts(arr(c, "volumeMounts"), volumes).via_field("volumeMounts"));
    errs
}

fn validate_port_basic(p: &Value) -> FieldError {
    let mut errs = FieldError::none();
    let bad: Vec<&str> = ["hostIP", "hostPort"]
        .into_iter()
        .filter(|k| is_set(p.get(*k)))
        .collect();
    if !bad.is_empty() {
        errs.push(FieldError::disallowed(&bad));
    }
    let port = int(p, "containerPort");
    if RESERVED_PORTS.contains(&port) {
        errs.push(FieldError::invalid_value_details(
            format!("{port} is a reserved port"),
            "containerPort",
            &[&format!(
                "{port} is a reserved port, please use a different value"
            )],
        ));
    }
    if !(0..=65535).contains(&port) {
        errs.push(FieldError::out_of_bounds(port, 0, 65535, "containerPort"));
    }
    errs
}

fn clean_path(p: &str) -> String {
    let abs = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !abs {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (abs, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

fn validate_volume_mounts(mounts: &[Value], volumes: &Volumes) -> FieldError {
    let mut errs = FieldError::none();
    let mut seen_paths = BTreeSet::new();
    for (i, m) in mounts.iter().enumerate() {
        let name = s(m, "name");
        let bad: Vec<&str> = ["mountPropagation", "subPathExpr"]
            .into_iter()
            .filter(|k| is_set(m.get(*k)))
            .collect();
        if !bad.is_empty() {
            errs.push(FieldError::disallowed(&bad).via_index(i));
        }
        let volume = volumes.get(name);
        if volume.is_none() {
            errs.push(
                FieldError::new("volumeMount has no matching volume", &["name"]).via_index(i),
            );
        }
        let path = s(m, "mountPath");
        if path.is_empty() {
            errs.push(FieldError::missing(&["mountPath"]).via_index(i));
        } else if RESERVED_PATHS.contains(&clean_path(path).as_str()) {
            errs.push(
                FieldError::new(
                    format!("mountPath {} is a reserved path", quote(&clean_path(path))),
                    &["mountPath"],
                )
                .via_index(i),
            );
        } else if !path.starts_with('/') {
            errs.push(FieldError::invalid_value(path, "mountPath").via_index(i));
        } else if seen_paths.contains(&clean_path(path)) {
            errs.push(
                FieldError::invalid_value(format!("{} must be unique", quote(path)), "mountPath")
                    .via_index(i),
            );
        }
        seen_paths.insert(clean_path(path));
        let read_only = m.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
        let writable_kind = volume.is_some_and(|v| {
            v.get("emptyDir").is_some_and(|x| !x.is_null())
                || v.get("persistentVolumeClaim").is_some_and(|x| !x.is_null())
        });
        if !writable_kind && !read_only {
            errs.push(
                FieldError::new(
                    "volume mount should be readOnly for this type of volume",
                    &["readOnly"],
                )
                .via_index(i),
            );
        }
        if let Some(pvc) = volume.and_then(|v| v.get("persistentVolumeClaim"))
            && pvc.get("readOnly").and_then(Value::as_bool) == Some(true)
            && !read_only
        {
            errs.push(
                FieldError::new("volume is readOnly but volume mount is not", &["readOnly"])
                    .via_index(i),
            );
        }
    }
    errs
}

fn validate_probe(p: &Value, port_name: &str) -> FieldError {
    let mut errs = FieldError::none();
    let mut handlers = Vec::new();
    let has = |k: &str| p.get(k).is_some_and(|v| !v.is_null());
    for (key, label) in [("httpGet", "httpGet"), ("tcpSocket", "tcpSocket")] {
        if has(key) {
            handlers.push(label);
            if let Some(port) = p
                .get(key)
                .and_then(|h| h.get("port"))
                .and_then(Value::as_str)
                && !port.is_empty()
                && port != port_name
            {
                errs.push(FieldError::invalid_value_details(
                    port,
                    &format!("{key}.port"),
                    &["Probe port must match container port"],
                ));
            }
        }
    }
    if has("exec") {
        handlers.push("exec");
    }
    if has("grpc") {
        handlers.push("gRPC");
    }
    if handlers.is_empty() {
        errs.push(FieldError::missing_one_of(&[
            "httpGet",
            "tcpSocket",
            "exec",
            "grpc",
        ]));
    } else if handlers.len() > 1 {
        errs.push(FieldError::multiple_one_of(&handlers));
    }
    errs
}

/// The probe's integer `field` (0 when unset), with an error when it is below `min`.
fn at_least(errs: &mut FieldError, p: &Value, field: &str, min: i64) -> i64 {
    let value = int(p, field);
    if value < min {
        errs.push(FieldError::out_of_bounds(value, min, MAX_INT32, field));
    }
    value
}

fn validate_readiness_probe(p: &Value, port_name: &str) -> FieldError {
    let mut errs = validate_probe(p, port_name);
    let period = at_least(&mut errs, p, "periodSeconds", 0);
    at_least(&mut errs, p, "initialDelaySeconds", 0);
    at_least(&mut errs, p, "successThreshold", 1);
    if period == 0 {
        for field in ["failureThreshold", "timeoutSeconds"] {
            if int(p, field) != 0 {
                errs.push(FieldError::new(
                    format!("{field} is disallowed when periodSeconds is zero"),
                    &[field],
                ));
            }
        }
    } else {
        at_least(&mut errs, p, "timeoutSeconds", 1);
        at_least(&mut errs, p, "failureThreshold", 1);
    }
    errs
}

/// `warnDefaultContainerSecurityContext`: warnings for insecure Kubernetes defaults.
fn warn_default_security_context(pod_sc: &Value, sc: &Value) -> FieldError {
    let insecure = |path: &str| {
        FieldError::new(
            "Kubernetes default value is insecure, Knative may default this to secure in a future release",
            &[path],
        )
        .at(Level::Warning)
    };
    let unset = |v: &Value, k: &str| v.get(k).is_none_or(Value::is_null);
    let mut errs = FieldError::none();
    if unset(pod_sc, "runAsNonRoot") && unset(sc, "runAsNonRoot") {
        errs.push(insecure("runAsNonRoot"));
    }
    if unset(sc, "allowPrivilegeEscalation") {
        errs.push(insecure("allowPrivilegeEscalation"));
    }
    if unset(sc, "seccompProfile") && unset(pod_sc, "seccompProfile") {
        errs.push(insecure("seccompProfile"));
    } else {
        let pod_default = pod_sc
            .pointer("/seccompProfile/type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty();
        let c_default = sc
            .pointer("/seccompProfile/type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty();
        if pod_default && c_default {
            errs.push(insecure("seccompProfile.type"));
        }
    }
    match sc.get("capabilities").filter(|c| !c.is_null()) {
        None => errs.push(insecure("capabilities")),
        Some(caps) => match caps.get("drop").filter(|d| !d.is_null()) {
            None => errs.push(insecure("capabilities.drop")),
            Some(drop) => {
                if drop.get(0).and_then(Value::as_str) == Some("all") {
                    errs.push(
                        FieldError::invalid_value_details(
                            "all",
                            "capabilities.drop",
                            &["Must be spelled as 'ALL'"],
                        )
                        .at(Level::Warning),
                    );
                }
            }
        },
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_paths() {
        assert_eq!(clean_path("/dev/"), "/dev");
        assert_eq!(clean_path("/a/../dev/log"), "/dev/log");
        assert_eq!(clean_path("//"), "/");
    }
}
