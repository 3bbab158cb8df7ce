//! The defaulting webhook (`webhook.serving.knative.dev`): what `SetDefaults` of Service,
//! Configuration, Revision, Route and DomainMapping add to an object (reference §2.2).
//! The Go decoding errors it answers before defaulting are in `defaults/decode.rs`.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{CREATOR_ANNOTATION, Ctx, Kind, UPDATER_ANNOTATION};
use crate::json::At;
use crate::knative::configmaps::Flag;
use crate::knative::meta::{ensure_object, set_annotation};

mod decode;
pub(crate) use decode::*;

pub(crate) fn set_defaults(ctx: &Ctx<'_>, kind: Kind, obj: &mut Value) {
    let parent_name = obj
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    match kind {
        Kind::Service => {
            configuration_spec_defaults(ctx, obj, &parent_name);
            route_spec_defaults(ensure_object(obj, "spec"), true);
            set_user_info(ctx, obj);
        }
        Kind::Configuration => {
            configuration_spec_defaults(ctx, obj, &parent_name);
            if !has_owner_references(obj) {
                set_user_info(ctx, obj);
            }
        }
        Kind::Revision => {
            // Revision specs are immutable; they are only defaulted on create.
            if !ctx.is_update() {
                revision_spec_defaults(ctx, ensure_object(obj, "spec"), &parent_name);
            }
        }
        Kind::Route => {
            route_spec_defaults(ensure_object(obj, "spec"), false);
            if !has_owner_references(obj) {
                set_user_info(ctx, obj);
            }
        }
        Kind::DomainMapping => {
            let ns = obj
                .at("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let spec = ensure_object(obj, "spec");
            if let Some(Value::Object(r)) = spec.get_mut("ref") {
                // The webhook's Go round trip writes KReference's non-omitempty fields.
                for k in ["kind", "name"] {
                    r.entry(k).or_insert_with(|| json!(""));
                }
                let empty = r
                    .get("namespace")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty);
                if empty && !ns.is_empty() {
                    r.insert("namespace".into(), json!(ns));
                }
            }
            set_user_info(ctx, obj);
        }
    }
}

fn has_owner_references(obj: &Value) -> bool {
    obj.at("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
}

/// `ConfigurationSpec.SetDefaults`: the template, unless an update keeps the same BYO name.
fn configuration_spec_defaults(ctx: &Ctx<'_>, obj: &mut Value, parent_name: &str) {
    let template_name = obj
        .at("/spec/template/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if ctx.is_update()
        && !template_name.is_empty()
        && ctx
            .old
            .and_then(|o| o.at("/spec/template/metadata/name"))
            .and_then(Value::as_str)
            == Some(template_name.as_str())
    {
        return;
    }
    let spec = ensure_object(obj, "spec");
    let template = spec.entry("template").or_insert_with(|| json!({}));
    if !template.is_object() {
        return;
    }
    ensure_object(template, "metadata");
    revision_spec_defaults(ctx, ensure_object(template, "spec"), parent_name);
}

/// `RouteSpec.SetDefaults`.
fn route_spec_defaults(spec: &mut Map<String, Value>, default_configuration_name: bool) {
    let empty = spec
        .get("traffic")
        .and_then(Value::as_array)
        .is_none_or(|a| a.is_empty());
    if empty && default_configuration_name {
        spec.insert(
            "traffic".into(),
            json!([{"latestRevision": true, "percent": 100}]),
        );
    }
    if let Some(Value::Array(traffic)) = spec.get_mut("traffic") {
        for tt in traffic.iter_mut().filter_map(Value::as_object_mut) {
            if tt.get("latestRevision").is_none_or(Value::is_null) {
                let pinned = tt
                    .get("revisionName")
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.is_empty());
                tt.insert("latestRevision".into(), json!(!pinned));
            }
            if tt.get("percent").is_none_or(Value::is_null) {
                tt.insert("percent".into(), json!(0));
            }
        }
    }
}

/// `SetUserInfo`: creator and lastModifier on create, lastModifier on a spec change.
fn set_user_info(ctx: &Ctx<'_>, obj: &mut Value) {
    if ctx.user.is_empty() {
        return;
    }
    if ctx.is_update() {
        let old_spec = ctx.old.and_then(|o| o.get("spec"));
        if old_spec == obj.get("spec") {
            return;
        }
        set_annotation(obj, UPDATER_ANNOTATION, ctx.user);
    } else {
        set_annotation(obj, CREATOR_ANNOTATION, ctx.user);
        set_annotation(obj, UPDATER_ANNOTATION, ctx.user);
    }
}

fn is_set_int(v: Option<&Value>) -> bool {
    v.and_then(Value::as_i64).is_some_and(|n| n != 0)
}

/// Renders a container-name template (a Go template over the parent's name).
fn container_name(template: &str, parent_name: &str) -> String {
    if !template.contains("{{") {
        return template.to_string();
    }
    gotmpl::Template::new("container-name")
        .parse(template)
        .ok()
        .and_then(|t| {
            let data = gotmpl::to_value(&json!({"Name": parent_name})).ok()?;
            t.execute_to_string(&data).ok()
        })
        .unwrap_or_else(|| template.to_string())
}

/// `RevisionSpec.SetDefaults`.
pub(crate) fn revision_spec_defaults(
    ctx: &Ctx<'_>,
    spec: &mut Map<String, Value>,
    parent_name: &str,
) {
    let d = &ctx.defaults;
    // The Go round trip writes PodSpec's `containers` (no omitempty) even when there are none,
    // so the API server's schema check then rejects the null.
    spec.entry("containers").or_insert(Value::Null);
    if !is_set_int(spec.get("timeoutSeconds")) {
        spec.insert("timeoutSeconds".into(), json!(d.revision_timeout_seconds));
    }
    let timeout = spec
        .get("timeoutSeconds")
        .and_then(Value::as_i64)
        .unwrap_or(d.revision_timeout_seconds);
    if !is_set_int(spec.get("responseStartTimeoutSeconds"))
        && d.revision_response_start_timeout_seconds != 0
        && d.revision_response_start_timeout_seconds < timeout
    {
        spec.insert(
            "responseStartTimeoutSeconds".into(),
            json!(d.revision_response_start_timeout_seconds),
        );
    }
    if !is_set_int(spec.get("idleTimeoutSeconds"))
        && d.revision_idle_timeout_seconds != 0
        && d.revision_idle_timeout_seconds < timeout
    {
        spec.insert(
            "idleTimeoutSeconds".into(),
            json!(d.revision_idle_timeout_seconds),
        );
    }
    if spec.get("containerConcurrency").is_none_or(Value::is_null) {
        spec.insert(
            "containerConcurrency".into(),
            json!(d.container_concurrency),
        );
    }

    let mut names: BTreeSet<String> = BTreeSet::new();
    for key in ["containers", "initContainers"] {
        for c in spec
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            names.insert(
                c.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            );
        }
    }
    let user_name = container_name(&d.container_name_template, parent_name);
    let init_name = container_name(&d.init_container_name_template, parent_name);
    if let Some(Value::Array(cs)) = spec.get_mut("containers") {
        apply_default_container_names(cs, &names, &user_name);
    }
    if let Some(Value::Array(cs)) = spec.get_mut("initContainers") {
        apply_default_container_names(cs, &names, &init_name);
    }

    // Volumes whose mounts may be writable.
    let writable: BTreeSet<String> = spec
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|v| v.get("emptyDir").is_some() || v.get("persistentVolumeClaim").is_some())
        .filter_map(|v| v.get("name").and_then(Value::as_str).map(String::from))
        .collect();
    let secure = ctx.features.flag("secure-pod-defaults") == Flag::Enabled;
    let pod_sc = spec.get("securityContext").cloned().unwrap_or(Value::Null);
    let single = spec
        .get("containers")
        .and_then(Value::as_array)
        .map(Vec::len)
        == Some(1);
    if let Some(Value::Array(cs)) = spec.get_mut("containers") {
        for c in cs.iter_mut().filter_map(Value::as_object_mut) {
            container_defaults(ctx, c, single, &writable);
            if secure {
                default_security_context(&pod_sc, c);
            }
        }
    }
    if secure && let Some(Value::Array(cs)) = spec.get_mut("initContainers") {
        for c in cs.iter_mut().filter_map(Value::as_object_mut) {
            default_security_context(&pod_sc, c);
        }
    }
    if ctx.is_create()
        && spec.get("enableServiceLinks").is_none_or(Value::is_null)
        && let Some(links) = d.enable_service_links
    {
        spec.insert("enableServiceLinks".into(), json!(links));
    }
}

/// Unnamed containers get the default name, or `NAME-0`, `NAME-1`, … when there are several or
/// the name is taken (skipping names users chose).
fn apply_default_container_names(
    containers: &mut [Value],
    names: &BTreeSet<String>,
    default: &str,
) {
    let several = containers.len() > 1;
    let mut next = 0usize;
    for c in containers.iter_mut().filter_map(Value::as_object_mut) {
        if c.get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| !n.is_empty())
        {
            continue;
        }
        let mut name = default.to_string();
        if several || names.contains(&name) {
            loop {
                name = crate::knative::names::child_name(default, &format!("-{next}"));
                next += 1;
                if !names.contains(&name) {
                    break;
                }
            }
        }
        c.insert("name".into(), json!(name));
    }
}

fn container_defaults(
    ctx: &Ctx<'_>,
    c: &mut Map<String, Value>,
    single: bool,
    writable: &BTreeSet<String>,
) {
    // Resources: the configured default requests and limits.
    let resources = c.entry("resources").or_insert_with(|| json!({}));
    if !resources.is_object() {
        *resources = json!({});
    }
    if let Some(r) = resources.as_object_mut() {
        for (field, defaults) in [
            ("requests", &ctx.defaults.requests),
            ("limits", &ctx.defaults.limits),
        ] {
            for (res, q) in defaults.iter() {
                let m = r.entry(field).or_insert_with(|| json!({}));
                if let Some(m) = m.as_object_mut()
                    && !m.contains_key(res)
                {
                    m.insert(res.clone(), json!(q));
                }
            }
        }
    }

    let has_ports = c
        .get("ports")
        .and_then(Value::as_array)
        .is_some_and(|p| !p.is_empty());
    if single || has_ports {
        let probe = c.entry("readinessProbe").or_insert_with(|| json!({}));
        if probe.is_null() {
            *probe = json!({});
        }
        if let Some(p) = probe.as_object_mut()
            && !["tcpSocket", "httpGet", "exec", "grpc"]
                .iter()
                .any(|h| p.get(*h).is_some_and(|v| !v.is_null()))
        {
            p.insert("tcpSocket".into(), json!({"port": 0}));
        }
    }
    if let Some(Value::Object(p)) = c.get_mut("readinessProbe") {
        if !is_set_int(p.get("successThreshold")) {
            p.insert("successThreshold".into(), json!(1));
        }
        if is_set_int(p.get("periodSeconds")) {
            if !is_set_int(p.get("failureThreshold")) {
                p.insert("failureThreshold".into(), json!(3));
            }
            if !is_set_int(p.get("timeoutSeconds")) {
                p.insert("timeoutSeconds".into(), json!(1));
            }
        }
    }
    // The Go round trip writes a handler's `port` (an IntOrString or int32 without omitempty).
    for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
        for handler in ["httpGet", "tcpSocket", "grpc"] {
            if let Some(Value::Object(h)) = c.get_mut(probe).and_then(|p| p.get_mut(handler)) {
                h.entry("port").or_insert_with(|| json!(0));
            }
        }
    }
    for probe in ["readinessProbe", "livenessProbe"] {
        if let Some(Value::Object(g)) = c.get_mut(probe).and_then(|p| p.get_mut("grpc"))
            && g.get("service").is_none_or(Value::is_null)
        {
            g.insert("service".into(), json!(""));
        }
    }

    if let Some(Value::Array(mounts)) = c.get_mut("volumeMounts") {
        for m in mounts.iter_mut().filter_map(Value::as_object_mut) {
            let name = m.get("name").and_then(Value::as_str).unwrap_or("");
            if !writable.contains(name) {
                m.insert("readOnly".into(), json!(true));
            }
        }
    }
}

/// The hardened container security context of `secure-pod-defaults: Enabled`.
fn default_security_context(pod_sc: &Value, c: &mut Map<String, Value>) {
    let low_port = c
        .get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|p| {
            p.get("containerPort")
                .and_then(Value::as_i64)
                .is_some_and(|n| n < 1024)
        });
    let mut sc = c
        .get("securityContext")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if sc
        .get("allowPrivilegeEscalation")
        .is_none_or(Value::is_null)
    {
        sc.insert("allowPrivilegeEscalation".into(), json!(false));
    }
    let pod_type = pod_sc
        .at("/seccompProfile/type")
        .and_then(Value::as_str)
        .unwrap_or("");
    if pod_type.is_empty() {
        let prof = sc.entry("seccompProfile").or_insert_with(|| json!({}));
        if let Some(p) = prof.as_object_mut()
            && p.get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .is_empty()
        {
            p.insert("type".into(), json!("RuntimeDefault"));
        }
    }
    if sc.get("capabilities").is_none_or(Value::is_null) {
        let mut caps = json!({"drop": ["ALL"]});
        if low_port {
            caps["add"] = json!(["NET_BIND_SERVICE"]);
        }
        sc.insert("capabilities".into(), caps);
    }
    if pod_sc.get("runAsNonRoot").is_none_or(Value::is_null)
        && sc.get("runAsNonRoot").is_none_or(Value::is_null)
    {
        sc.insert("runAsNonRoot".into(), json!(true));
    }
    if !sc.is_empty() {
        c.insert("securityContext".into(), Value::Object(sc));
    }
}
