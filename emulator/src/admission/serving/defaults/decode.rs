//! The webhook's decoding of an object into Knative's Go types: the error a value of the wrong
//! JSON type gives, before any defaulting.

use super::*;

/// Go's `encoding/json` type errors for the typed fields the webhook decodes, as
/// `cannot decode incoming new object: json: cannot unmarshal …` (the first one found).
pub(crate) fn decode_error(kind: Kind, obj: &Value) -> Option<String> {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let mut checks: Vec<Check> = Vec::new();
    match kind {
        Kind::Service | Kind::Configuration => {
            let rs = spec.get("template").and_then(|t| t.get("spec"));
            revision_spec(
                &mut checks,
                "spec.template.spec",
                rs.unwrap_or(&Value::Null),
            );
        }
        Kind::Revision => revision_spec(&mut checks, "spec", spec),
        Kind::Route | Kind::DomainMapping => {}
    }
    if matches!(kind, Kind::Service | Kind::Route) {
        let owner = if kind == Kind::Service {
            "ServiceSpec"
        } else {
            "RouteSpec"
        };
        let traffic = spec.get("traffic");
        let expect = Expect::Array("[]v1.TrafficTarget");
        checks.push(Check::new("spec", "traffic", owner, expect, traffic));
        for tt in traffic.and_then(Value::as_array).into_iter().flatten() {
            let target =
                |path, expect, f| Check::new("spec", path, "TrafficTarget", expect, tt.get(f));
            checks.push(target("traffic.percent", Expect::Int64, "percent"));
            checks.push(target(
                "traffic.latestRevision",
                Expect::Bool,
                "latestRevision",
            ));
            checks.push(target("traffic.tag", Expect::Str, "tag"));
            checks.push(target("traffic.revisionName", Expect::Str, "revisionName"));
            checks.push(target(
                "traffic.configurationName",
                Expect::Str,
                "configurationName",
            ));
        }
    }
    checks.into_iter().find_map(|c| {
        let found = match (&c.expect, c.value) {
            (_, Value::Null) => None,
            (Expect::Int64, Value::Number(n)) if n.as_i64().is_some() => None,
            (Expect::Int64, Value::Number(n)) => Some(format!("number {n}")),
            (Expect::Str, Value::String(_)) | (Expect::Bool, Value::Bool(_)) | (Expect::Array(_), Value::Array(_)) => None,
            (_, other) => Some(json_type(other).to_string()),
        }?;
        let ty = match c.expect {
            Expect::Int64 => "int64",
            Expect::Str => "string",
            Expect::Bool => "bool",
            Expect::Array(t) => t,
        };
        Some(format!(
            "cannot decode incoming new object: json: cannot unmarshal {found} into Go struct field {}.{}.{} of type {ty}",
            c.owner, c.prefix, c.path
        ))
    })
}

/// The typed fields of the RevisionSpec `rs` at `prefix`.
fn revision_spec<'a>(checks: &mut Vec<Check<'a>>, prefix: &'static str, rs: &'a Value) {
    for f in [
        "timeoutSeconds",
        "containerConcurrency",
        "responseStartTimeoutSeconds",
        "idleTimeoutSeconds",
    ] {
        checks.push(Check::new(
            prefix,
            f,
            "RevisionSpec",
            Expect::Int64,
            rs.get(f),
        ));
    }
    let containers = rs.get("containers");
    let expect = Expect::Array("[]v1.Container");
    checks.push(Check::new(
        prefix,
        "containers",
        "RevisionSpec",
        expect,
        containers,
    ));
    for c in containers.and_then(Value::as_array).into_iter().flatten() {
        for (f, path) in [("image", "containers.image"), ("name", "containers.name")] {
            checks.push(Check::new(prefix, path, "Container", Expect::Str, c.get(f)));
        }
        for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
            for (f, path) in [
                ("name", "containers.env.name"),
                ("value", "containers.env.value"),
            ] {
                checks.push(Check::new(prefix, path, "EnvVar", Expect::Str, e.get(f)));
            }
        }
    }
}

/// One typed field to check; its path is only spelled out for an error, since this runs on
/// every write.
struct Check<'a> {
    prefix: &'static str,
    path: &'static str,
    owner: &'static str,
    expect: Expect,
    value: &'a Value,
}

impl<'a> Check<'a> {
    fn new(
        prefix: &'static str,
        path: &'static str,
        owner: &'static str,
        expect: Expect,
        value: Option<&'a Value>,
    ) -> Self {
        let value = value.unwrap_or(&Value::Null);
        Check {
            prefix,
            path,
            owner,
            expect,
            value,
        }
    }
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
