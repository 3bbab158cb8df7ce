//! The pod spec's containers: the serving container and sidecars, their ports, env, resources
//! and volume mounts.

use super::*;

use crate::json::At;

/// `ValidateContainer` for the serving container (the one with the port, or the only one).
pub(super) fn validate_serving_container(
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

pub(super) fn validate_sidecar_container(
    features: &Features,
    c: &Value,
    volumes: &Volumes,
) -> FieldError {
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

pub(super) fn validate_container_common(
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
        if let Some(add) = sc.at("/capabilities/add").and_then(Value::as_array)
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

pub(super) fn validate_port_basic(p: &Value) -> FieldError {
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

pub(super) fn clean_path(p: &str) -> String {
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

pub(super) fn validate_volume_mounts(mounts: &[Value], volumes: &Volumes) -> FieldError {
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
