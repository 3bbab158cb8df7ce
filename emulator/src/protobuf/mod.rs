//! Kubernetes protobuf (`application/vnd.kubernetes.protobuf`) for the built-in kinds: the
//! `k8s\0` + `runtime.Unknown` envelope around objects, lists and `Status`, and the
//! length-prefixed `WatchEvent` frames of a protobuf watch. Custom resources have no protobuf
//! form, as on a real server.

mod schema;
mod wire;

use serde_json::Value;

use crate::registry::TypeInfo;

/// The media type.
pub const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";
/// The media type of a protobuf watch stream.
pub const WATCH_MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf;stream=watch";

/// The four bytes every protobuf-encoded object starts with.
const MAGIC: &[u8; 4] = b"k8s\0";

/// The protobuf package of a served API group, if it has one.
fn package(group: &str) -> Option<&'static str> {
    match group {
        "" => Some("api.core.v1"),
        crate::builtin::RBAC_GROUP => Some("api.rbac.v1"),
        "authentication.k8s.io" => Some("api.authentication.v1"),
        "authorization.k8s.io" => Some("api.authorization.v1"),
        crate::event_versions::GROUP => Some("api.events.v1"),
        _ => None,
    }
}

/// The message of kind `kind` in `ti`'s group, if the kind has a protobuf form.
fn message_of(ti: &TypeInfo, kind: &str) -> Option<String> {
    if ti.custom || ti.rt.version != "v1" {
        return None;
    }
    let name = format!("{}.{kind}", package(&ti.rt.group)?);
    wire::exists(&name).then_some(name)
}

/// Whether objects of this type are served in protobuf.
pub fn supported(ti: &TypeInfo) -> bool {
    message_of(ti, &ti.rt.kind).is_some()
}

/// `k8s\0` + `runtime.Unknown{typeMeta, raw}` (with the empty encoding fields Go writes).
fn envelope(api_version: &str, kind: &str, raw: &[u8]) -> Vec<u8> {
    let mut type_meta = Vec::new();
    wire::bytes_field(&mut type_meta, 1, api_version.as_bytes());
    wire::bytes_field(&mut type_meta, 2, kind.as_bytes());
    let mut out = Vec::with_capacity(raw.len() + type_meta.len() + 16);
    out.extend_from_slice(MAGIC);
    wire::bytes_field(&mut out, 1, &type_meta);
    wire::bytes_field(&mut out, 2, raw);
    wire::bytes_field(&mut out, 3, b"");
    wire::bytes_field(&mut out, 4, b"");
    out
}

/// An object of `ti`'s kind (or its list kind) as protobuf.
pub fn encode_object(ti: &TypeInfo, object: &Value) -> Result<Vec<u8>, String> {
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or(&ti.rt.kind);
    let name = message_of(ti, kind).ok_or_else(|| format!("{kind} has no protobuf form"))?;
    let mut raw = Vec::new();
    wire::encode(&name, object, &mut raw)?;
    Ok(envelope(&ti.rt.api_version(), kind, &raw))
}

/// A `meta.k8s.io/v1` object (`PartialObjectMetadata`, its list) or a `v1` `Status` as protobuf.
pub fn encode_meta(object: &Value) -> Result<Vec<u8>, String> {
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
    let api_version = object
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("v1");
    let mut raw = Vec::new();
    wire::encode(&wire::meta(kind), object, &mut raw)?;
    Ok(envelope(api_version, kind, &raw))
}

/// One frame of a protobuf watch: the length, then `WatchEvent{type, object: RawExtension}`
/// whose raw bytes are the enveloped object.
pub fn watch_frame(event_type: &str, enveloped: &[u8]) -> Vec<u8> {
    let mut raw_extension = Vec::new();
    wire::bytes_field(&mut raw_extension, 1, enveloped);
    let mut event = Vec::new();
    wire::bytes_field(&mut event, 1, event_type.as_bytes());
    wire::bytes_field(&mut event, 2, &raw_extension);
    let mut out = Vec::with_capacity(event.len() + 4);
    out.extend_from_slice(&(event.len() as u32).to_be_bytes());
    out.extend_from_slice(&event);
    out
}

/// The parts of an enveloped body: apiVersion, kind and the raw message.
fn open(body: &[u8]) -> Result<(String, String, &[u8]), String> {
    let rest = body.strip_prefix(MAGIC.as_slice()).ok_or(
        "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]",
    )?;
    let mut api_version = String::new();
    let mut kind = String::new();
    let mut raw: &[u8] = &[];
    for (number, field) in wire::fields(rest)? {
        match number {
            1 => {
                for (n, f) in wire::fields(field.bytes().unwrap_or_default())? {
                    match n {
                        1 => api_version = f.string(),
                        2 => kind = f.string(),
                        _ => {}
                    }
                }
            }
            2 => raw = field.bytes().unwrap_or_default(),
            _ => {}
        }
    }
    Ok((api_version, kind, raw))
}

/// Decodes a protobuf request body for `ti` to the JSON object it stands for (with its
/// apiVersion and kind).
pub fn decode_object(ti: &TypeInfo, body: &[u8]) -> Result<Value, String> {
    let (api_version, kind, raw) = open(body)?;
    let kind = if kind.is_empty() {
        ti.rt.kind.clone()
    } else {
        kind
    };
    let name = message_of(ti, &kind)
        .ok_or_else(|| format!("no kind {kind:?} is registered for version {api_version:?}"))?;
    let mut value = wire::decode(&name, raw)?;
    if let Some(map) = value.as_object_mut() {
        if !api_version.is_empty() {
            map.insert("apiVersion".into(), Value::String(api_version));
        }
        map.insert("kind".into(), Value::String(kind));
    }
    Ok(value)
}

/// Decodes a protobuf `DeleteOptions` body.
pub fn decode_delete_options(body: &[u8]) -> Result<Value, String> {
    let (_, _, raw) = open(body)?;
    let mut value = wire::decode(&wire::meta("DeleteOptions"), raw)?;
    if let Some(map) = value.as_object_mut() {
        map.insert("kind".into(), "DeleteOptions".into());
        map.insert("apiVersion".into(), "v1".into());
    }
    Ok(value)
}

/// Decodes any enveloped body whose message is known (objects, lists, `Status`, meta kinds):
/// what a client does with an answer. Used by the tests and the differential suite.
pub fn decode_any(body: &[u8]) -> Result<Value, String> {
    let (api_version, kind, raw) = open(body)?;
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let name = match (group, kind.as_str()) {
        ("meta.k8s.io", _) | ("", "Status") => wire::meta(&kind),
        (g, k) => format!("{}.{k}", package(g).ok_or("unknown group")?),
    };
    let mut value = wire::decode(&name, raw)?;
    if let Some(map) = value.as_object_mut() {
        map.insert("apiVersion".into(), Value::String(api_version));
        map.insert("kind".into(), Value::String(kind));
    }
    Ok(value)
}

/// Encodes any object whose message is known (what a client sends); the counterpart of
/// [`decode_any`].
pub fn encode_any(object: &Value) -> Result<Vec<u8>, String> {
    let api_version = object
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    if group == "meta.k8s.io" || kind == "Status" || kind == "DeleteOptions" {
        return encode_meta(object);
    }
    let name = format!("{}.{kind}", package(group).ok_or("unknown group")?);
    let mut raw = Vec::new();
    wire::encode(&name, object, &mut raw)?;
    Ok(envelope(api_version, kind, &raw))
}

/// Splits a protobuf watch stream into its events, each as `{"type", "object"}` JSON.
pub fn decode_watch(mut stream: &[u8]) -> Result<Vec<Value>, String> {
    let mut events = Vec::new();
    while stream.len() >= 4 {
        let len = u32::from_be_bytes([stream[0], stream[1], stream[2], stream[3]]) as usize;
        let frame = stream
            .get(4..4 + len)
            .ok_or("truncated protobuf watch frame")?;
        stream = &stream[4 + len..];
        let mut event_type = String::new();
        let mut object = Value::Null;
        for (n, f) in wire::fields(frame)? {
            match n {
                1 => event_type = f.string(),
                2 => {
                    for (m, raw) in wire::fields(f.bytes().unwrap_or_default())? {
                        if m == 1 {
                            object = decode_any(raw.bytes().unwrap_or_default())?;
                        }
                    }
                }
                _ => {}
            }
        }
        events.push(serde_json::json!({"type": event_type, "object": object}));
    }
    Ok(events)
}

#[cfg(test)]
mod tests;
