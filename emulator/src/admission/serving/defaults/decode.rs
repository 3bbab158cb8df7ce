//! The webhook's decoding of an object into Knative's Go types: the error a value of the wrong
//! JSON type gives, before any defaulting.

use super::*;

/// Go's `encoding/json` type errors for the typed fields the webhook decodes, as
/// `cannot decode incoming new object: json: cannot unmarshal …` (the first one found).
pub(crate) fn decode_error(kind: Kind, obj: &Value) -> Option<String> {
    let mut checks: Vec<(String, &'static str, Expect, Value)> = Vec::new();
    let spec = obj.get("spec").cloned().unwrap_or(Value::Null);
    let revision_spec =
        |prefix: &str, rs: &Value, checks: &mut Vec<(String, &'static str, Expect, Value)>| {
            for f in [
                "timeoutSeconds",
                "containerConcurrency",
                "responseStartTimeoutSeconds",
                "idleTimeoutSeconds",
            ] {
                checks.push((
                    format!("{prefix}.{f}"),
                    "RevisionSpec",
                    Expect::Int64,
                    rs.get(f).cloned().unwrap_or(Value::Null),
                ));
            }
            checks.push((
                format!("{prefix}.containers"),
                "RevisionSpec",
                Expect::Array("[]v1.Container"),
                rs.get("containers").cloned().unwrap_or(Value::Null),
            ));
            for c in rs
                .get("containers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                for f in ["image", "name"] {
                    checks.push((
                        format!("{prefix}.containers.{f}"),
                        "Container",
                        Expect::Str,
                        c.get(f).cloned().unwrap_or(Value::Null),
                    ));
                }
                for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
                    for f in ["name", "value"] {
                        checks.push((
                            format!("{prefix}.containers.env.{f}"),
                            "EnvVar",
                            Expect::Str,
                            e.get(f).cloned().unwrap_or(Value::Null),
                        ));
                    }
                }
            }
        };
    match kind {
        Kind::Service | Kind::Configuration => {
            let rs = spec
                .pointer("/template/spec")
                .cloned()
                .unwrap_or(Value::Null);
            revision_spec("spec.template.spec", &rs, &mut checks);
        }
        Kind::Revision => revision_spec("spec", &spec, &mut checks),
        Kind::Route | Kind::DomainMapping => {}
    }
    if matches!(kind, Kind::Service | Kind::Route) {
        let owner = if kind == Kind::Service {
            "ServiceSpec"
        } else {
            "RouteSpec"
        };
        checks.push((
            "spec.traffic".into(),
            owner,
            Expect::Array("[]v1.TrafficTarget"),
            spec.get("traffic").cloned().unwrap_or(Value::Null),
        ));
        for tt in spec
            .get("traffic")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            checks.push((
                "spec.traffic.percent".into(),
                "TrafficTarget",
                Expect::Int64,
                tt.get("percent").cloned().unwrap_or(Value::Null),
            ));
            checks.push((
                "spec.traffic.latestRevision".into(),
                "TrafficTarget",
                Expect::Bool,
                tt.get("latestRevision").cloned().unwrap_or(Value::Null),
            ));
            for f in ["tag", "revisionName", "configurationName"] {
                checks.push((
                    format!("spec.traffic.{f}"),
                    "TrafficTarget",
                    Expect::Str,
                    tt.get(f).cloned().unwrap_or(Value::Null),
                ));
            }
        }
    }
    checks.into_iter().find_map(|(path, owner, expect, v)| {
        let found = match (&expect, &v) {
            (_, Value::Null) => None,
            (Expect::Int64, Value::Number(n)) if n.as_i64().is_some() => None,
            (Expect::Int64, Value::Number(n)) => Some(format!("number {n}")),
            (Expect::Str, Value::String(_)) | (Expect::Bool, Value::Bool(_)) | (Expect::Array(_), Value::Array(_)) => None,
            (_, other) => Some(json_type(other).to_string()),
        }?;
        let ty = match expect {
            Expect::Int64 => "int64",
            Expect::Str => "string",
            Expect::Bool => "bool",
            Expect::Array(t) => t,
        };
        Some(format!(
            "cannot decode incoming new object: json: cannot unmarshal {found} into Go struct field {owner}.{path} of type {ty}"
        ))
    })
}

pub(super) enum Expect {
    Int64,
    Str,
    Bool,
    Array(&'static str),
}

pub(super) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}
