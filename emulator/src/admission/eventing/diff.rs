//! knative.dev/pkg's `kmp.ShortDiff` (go-cmp with its short reporter) for the eventing specs
//! whose immutability Knative checks: one entry per changed leaf, walking Go struct fields in
//! declaration order, with go-cmp's path syntax (`{v1.BrokerSpec}.Config.Name`).

use serde_json::Value;

/// The Go types the diff walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoType {
    String,
    /// `duckv1.KReference`.
    KReference,
    /// `messagingv1.ChannelTemplateSpec` (embedded `TypeMeta` + `Spec *runtime.RawExtension`).
    ChannelTemplate,
    /// `eventingduckv1.DeliverySpec`.
    Delivery,
    /// `duckv1.Destination`.
    Destination,
    /// A number (`int32`).
    Int,
    /// `*apis.URL`: prints through its `String` method (empty when nil).
    Url,
    /// Any other value, compared as a whole.
    Opaque,
}

/// What Go prints for a non-nil pointer without a `String` method inside a struct (an
/// address; the differential masks addresses).
pub const GO_POINTER: &str = "0xc000000000";

/// One Go struct field: JSON name, Go path segment, type, held by pointer.
type Field = (&'static str, &'static str, GoType, bool);

fn fields(t: GoType) -> &'static [Field] {
    match t {
        GoType::KReference => &[
            ("kind", "Kind", GoType::String, false),
            ("namespace", "Namespace", GoType::String, false),
            ("name", "Name", GoType::String, false),
            ("apiVersion", "APIVersion", GoType::String, false),
            ("group", "Group", GoType::String, false),
            ("address", "Address", GoType::String, true),
        ],
        GoType::ChannelTemplate => &[
            ("kind", "TypeMeta.Kind", GoType::String, false),
            ("apiVersion", "TypeMeta.APIVersion", GoType::String, false),
            ("spec", "Spec", GoType::Opaque, true),
        ],
        GoType::Delivery => &[
            (
                "deadLetterSink",
                "DeadLetterSink",
                GoType::Destination,
                true,
            ),
            ("retry", "Retry", GoType::Int, true),
            ("timeout", "Timeout", GoType::String, true),
            ("backoffPolicy", "BackoffPolicy", GoType::String, true),
            ("backoffDelay", "BackoffDelay", GoType::String, true),
            ("retryAfterMax", "RetryAfterMax", GoType::String, true),
            ("format", "Format", GoType::String, true),
        ],
        GoType::Destination => &[
            ("ref", "Ref", GoType::KReference, true),
            ("uri", "URI", GoType::Url, true),
            ("CACerts", "CACerts", GoType::String, true),
            ("audience", "Audience", GoType::String, true),
        ],
        _ => &[],
    }
}

/// A field inside a printed struct: non-nil pointers print as addresses, except types with a
/// `String` method (`*KReference`, `*apis.URL`).
fn go_field_repr(t: GoType, v: Option<&Value>, pointer: bool) -> String {
    let v = v.filter(|v| !v.is_null());
    match (t, v) {
        (GoType::Url, v) => v.and_then(Value::as_str).unwrap_or("").to_string(),
        (GoType::KReference, None) if pointer => "<nil>".into(),
        (GoType::KReference, Some(r)) if pointer => {
            let f = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            format!(
                "Kind = {}, Namespace = {}, Name = {}, APIVersion = {}, Group = {}, Address = {}",
                f("kind"),
                f("namespace"),
                f("name"),
                f("apiVersion"),
                f("group"),
                f("address")
            )
        }
        (_, Some(_)) if pointer => GO_POINTER.into(),
        _ => go_repr(t, v, pointer),
    }
}

/// `%+v` of a value of type `t` (what go-cmp's reporter prints).
fn go_repr(t: GoType, v: Option<&Value>, pointer: bool) -> String {
    let v = v.filter(|v| !v.is_null());
    match (t, v) {
        (_, None) if pointer => "<nil>".into(),
        (GoType::String | GoType::Url, v) => v.and_then(Value::as_str).unwrap_or("").to_string(),
        (GoType::Int, v) => v.map_or("0".to_string(), Value::to_string),
        (GoType::Opaque, Some(v)) => v.to_string(),
        (GoType::Opaque, None) => String::new(),
        (t, v) => {
            let inner: Vec<String> = fields(t)
                .iter()
                .map(|(json, go, ft, ptr)| {
                    let name = go.rsplit('.').next().unwrap_or(go);
                    format!(
                        "{name}:{}",
                        go_field_repr(*ft, v.and_then(|v| v.get(*json)), *ptr)
                    )
                })
                .collect();
            let body = if t == GoType::ChannelTemplate {
                // TypeMeta is embedded: its fields print as one nested struct.
                let (tm, rest) = inner.split_at(2);
                format!("TypeMeta:{{{}}} {}", tm.join(" "), rest.join(" "))
            } else {
                inner.join(" ")
            };
            if pointer {
                format!("&{{{body}}}")
            } else {
                format!("{{{body}}}")
            }
        }
    }
}

fn report(path: &str, old: &str, new: &str, out: &mut String) {
    out.push_str(&format!("{path}:\n\t-: \"{old}\"\n\t+: \"{new}\"\n"));
}

fn walk(
    path: &str,
    t: GoType,
    old: Option<&Value>,
    new: Option<&Value>,
    pointer: bool,
    out: &mut String,
) {
    let norm = |v: Option<&Value>| v.filter(|v| !v.is_null()).cloned();
    let (o, n) = (norm(old), norm(new));
    let equal = match t {
        GoType::String => {
            o.as_ref().and_then(Value::as_str).unwrap_or("")
                == n.as_ref().and_then(Value::as_str).unwrap_or("")
                && (!pointer || o.is_some() == n.is_some())
        }
        _ => o == n,
    };
    if equal {
        return;
    }
    if pointer && (o.is_none() || n.is_none()) {
        report(
            path,
            &go_repr(t, o.as_ref(), true),
            &go_repr(t, n.as_ref(), true),
            out,
        );
        return;
    }
    match t {
        // go-cmp writes a dereferenced leaf pointer as `*` before the whole path.
        GoType::String | GoType::Opaque | GoType::Int | GoType::Url => report(
            &if pointer {
                format!("*{path}")
            } else {
                path.to_string()
            },
            &go_repr(t, o.as_ref(), false),
            &go_repr(t, n.as_ref(), false),
            out,
        ),
        _ => {
            for (json, go, ft, ptr) in fields(t) {
                walk(
                    &format!("{path}.{go}"),
                    *ft,
                    o.as_ref().and_then(|v| v.get(*json)),
                    n.as_ref().and_then(|v| v.get(*json)),
                    *ptr,
                    out,
                );
            }
        }
    }
}

/// The diff of two strings (`kmp.ShortDiff(a, b)` on plain strings).
pub fn strings(old: &str, new: &str) -> String {
    let mut out = String::new();
    if old != new {
        report("{string}", old, new, &mut out);
    }
    out
}

/// The diff of two specs, given the root type name and its fields `(json, Go, type, pointer)`;
/// fields not listed are ignored (go-cmp's `IgnoreFields`).
pub fn spec(root: &str, spec_fields: &[Field], old: &Value, new: &Value) -> String {
    let mut out = String::new();
    for (json, go, t, ptr) in spec_fields {
        walk(
            &format!("{{{root}}}.{go}"),
            *t,
            old.get(*json),
            new.get(*json),
            *ptr,
            &mut out,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_diff() {
        assert_eq!(strings("a", "b"), "{string}:\n\t-: \"a\"\n\t+: \"b\"\n");
        assert_eq!(strings("a", "a"), "");
    }

    #[test]
    fn nested_leaf_changes_in_declaration_order() {
        let f: &[Field] = &[("config", "Config", GoType::KReference, true)];
        let a = json!({"config": {"kind": "ConfigMap", "name": "a", "namespace": "x", "apiVersion": "v1"}});
        let b = json!({"config": {"kind": "ConfigMap", "name": "b", "namespace": "y", "apiVersion": "v1"}});
        assert_eq!(
            spec("v1.BrokerSpec", f, &a, &b),
            "{v1.BrokerSpec}.Config.Namespace:\n\t-: \"x\"\n\t+: \"y\"\n{v1.BrokerSpec}.Config.Name:\n\t-: \"a\"\n\t+: \"b\"\n"
        );
    }

    #[test]
    fn nil_pointer_prints_whole_struct() {
        let f: &[Field] = &[(
            "channelTemplate",
            "ChannelTemplate",
            GoType::ChannelTemplate,
            true,
        )];
        let a = json!({});
        let b = json!({"channelTemplate": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel"}});
        assert_eq!(
            spec("v1.ChannelSpec", f, &a, &b),
            "{v1.ChannelSpec}.ChannelTemplate:\n\t-: \"<nil>\"\n\t+: \"&{TypeMeta:{Kind:InMemoryChannel APIVersion:messaging.knative.dev/v1} Spec:<nil>}\"\n"
        );
    }
}
