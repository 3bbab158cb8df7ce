//! The protobuf wire format of Kubernetes objects, driven by the message table in `schema.rs`:
//! a JSON object is encoded field by field in field-number order (map keys sorted, as Go's
//! generated marshallers do), and bytes decode back to the JSON the API serves.
//!
//! Long because: encoder and decoder of the one format side by side.

use base64::Engine;
use serde_json::{Map, Value, json};

use super::schema::MESSAGES;

/// One protobuf message: its full name and its fields (sorted by number).
pub struct Message {
    pub name: &'static str,
    pub fields: &'static [Field],
}

/// One field of a message; `name` is also its JSON name.
pub struct Field {
    pub number: u32,
    pub name: &'static str,
    pub label: Label,
    pub ty: Ty,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Single,
    Repeated,
    /// `map<string, ty>`.
    Map,
    /// A Go struct embedded with `json:",inline"`: its fields sit in the parent's JSON object.
    Inline,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    String,
    Bool,
    Int32,
    Int64,
    Bytes,
    Message(&'static str),
}

const META: &str = "apimachinery.pkg.apis.meta.v1.";
const TIME: &str = "apimachinery.pkg.apis.meta.v1.Time";
const MICRO_TIME: &str = "apimachinery.pkg.apis.meta.v1.MicroTime";
const FIELDS_V1: &str = "apimachinery.pkg.apis.meta.v1.FieldsV1";
const INT_OR_STRING: &str = "apimachinery.pkg.util.intstr.IntOrString";
const QUANTITY: &str = "apimachinery.pkg.api.resource.Quantity";
const RAW_EXTENSION: &str = "apimachinery.pkg.runtime.RawExtension";

/// Pointer fields (`*bool`, `*int64`, …) whose zero value is meaningful. Go's marshallers write
/// every non-pointer field, zero or not, so a zero on the wire means "unset" for all others.
const POINTER_FIELDS: &[&str] = &[
    "activeDeadlineSeconds",
    "allocateLoadBalancerNodePorts",
    "allowPrivilegeEscalation",
    "automountServiceAccountToken",
    "blockOwnerDeletion",
    "controller",
    "defaultMode",
    "deletionGracePeriodSeconds",
    "enableServiceLinks",
    "fsGroup",
    "gracePeriodSeconds",
    "hostUsers",
    "immutable",
    "mode",
    "optional",
    "orphanDependents",
    "priority",
    "privileged",
    "readOnlyRootFilesystem",
    "remainingItemCount",
    "runAsGroup",
    "runAsNonRoot",
    "runAsUser",
    "setHostnameAsFQDN",
    "shareProcessNamespace",
    "terminationGracePeriodSeconds",
];

/// The message called `name`.
pub fn message(name: &str) -> Option<&'static Message> {
    MESSAGES
        .binary_search_by(|m| m.name.cmp(name))
        .ok()
        .map(|i| &MESSAGES[i])
}

/// Whether a message of that full name exists.
pub fn exists(name: &str) -> bool {
    message(name).is_some()
}

fn key(out: &mut Vec<u8>, number: u32, wire_type: u8) {
    varint(out, (u64::from(number) << 3) | u64::from(wire_type));
}

pub fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn bytes_field(out: &mut Vec<u8>, number: u32, data: &[u8]) {
    key(out, number, 2);
    varint(out, data.len() as u64);
    out.extend_from_slice(data);
}

fn int_of(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_u64().map(|u| u as i64))
        .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
}

fn type_error(field: &str, want: &str, got: &Value) -> String {
    format!(
        "{field}: cannot encode {} as {want}",
        crate::gojson::go_type(got)
    )
}

/// Encodes `value` (a JSON object) as message `name`.
pub fn encode(name: &str, value: &Value, out: &mut Vec<u8>) -> Result<(), String> {
    let msg = message(name).ok_or_else(|| format!("no protobuf message {name}"))?;
    let Some(object) = value.as_object() else {
        if value.is_null() {
            return Ok(());
        }
        return Err(type_error(name, "an object", value));
    };
    for field in msg.fields {
        if field.label == Label::Inline {
            let mut inner = Vec::new();
            if let Ty::Message(m) = field.ty {
                encode(m, value, &mut inner)?;
            }
            if !inner.is_empty() {
                bytes_field(out, field.number, &inner);
            }
            continue;
        }
        let Some(v) = object.get(field.name) else {
            continue;
        };
        if v.is_null() {
            continue;
        }
        match field.label {
            Label::Single | Label::Inline => encode_value(field, field.ty, v, out)?,
            Label::Repeated => {
                let items = v
                    .as_array()
                    .ok_or_else(|| type_error(field.name, "a list", v))?;
                for item in items {
                    encode_value(field, field.ty, item, out)?;
                }
            }
            Label::Map => {
                let entries = v
                    .as_object()
                    .ok_or_else(|| type_error(field.name, "a map", v))?;
                let mut keys: Vec<&String> = entries.keys().collect();
                keys.sort();
                for k in keys {
                    let mut entry = Vec::new();
                    bytes_field(&mut entry, 1, k.as_bytes());
                    let value_field = Field {
                        number: 2,
                        name: field.name,
                        label: Label::Single,
                        ty: field.ty,
                    };
                    if !entries[k].is_null() {
                        encode_value(&value_field, field.ty, &entries[k], &mut entry)?;
                    }
                    bytes_field(out, field.number, &entry);
                }
            }
        }
    }
    Ok(())
}

fn encode_value(field: &Field, ty: Ty, v: &Value, out: &mut Vec<u8>) -> Result<(), String> {
    let n = field.number;
    match ty {
        Ty::String => {
            let s = v
                .as_str()
                .ok_or_else(|| type_error(field.name, "string", v))?;
            bytes_field(out, n, s.as_bytes());
        }
        Ty::Bytes => {
            let s = v
                .as_str()
                .ok_or_else(|| type_error(field.name, "base64 bytes", v))?;
            let data = base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|e| format!("{}: illegal base64 data: {e}", field.name))?;
            bytes_field(out, n, &data);
        }
        Ty::Bool => {
            let b = v
                .as_bool()
                .ok_or_else(|| type_error(field.name, "bool", v))?;
            key(out, n, 0);
            varint(out, u64::from(b));
        }
        Ty::Int32 | Ty::Int64 => {
            let i = int_of(v).ok_or_else(|| type_error(field.name, "integer", v))?;
            key(out, n, 0);
            // int32 negatives are sign-extended to 64 bits on the wire, as int64s are.
            varint(out, i as u64);
        }
        Ty::Message(m) => {
            let mut inner = Vec::new();
            encode_special(field.name, m, v, &mut inner)?;
            bytes_field(out, n, &inner);
        }
    }
    Ok(())
}

/// Messages whose JSON form is not an object of their fields.
fn encode_special(field: &str, name: &str, v: &Value, out: &mut Vec<u8>) -> Result<(), String> {
    match name {
        TIME | MICRO_TIME => {
            let text = v.as_str().ok_or_else(|| type_error(field, "a time", v))?;
            let ts: jiff::Timestamp = text
                .parse()
                .map_err(|e| format!("{field}: invalid time {text:?}: {e}"))?;
            key(out, 1, 0);
            varint(out, ts.as_second() as u64);
            let nanos = ts.subsec_nanosecond();
            if nanos != 0 {
                key(out, 2, 0);
                varint(out, nanos as i64 as u64);
            }
        }
        INT_OR_STRING => match v {
            Value::String(s) => {
                key(out, 1, 0);
                varint(out, 1);
                key(out, 2, 0);
                varint(out, 0);
                bytes_field(out, 3, s.as_bytes());
            }
            _ => {
                let i = int_of(v).ok_or_else(|| type_error(field, "int or string", v))?;
                key(out, 1, 0);
                varint(out, 0);
                key(out, 2, 0);
                varint(out, i as u64);
                bytes_field(out, 3, b"");
            }
        },
        QUANTITY => {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err(type_error(field, "a quantity", v)),
            };
            bytes_field(out, 1, text.as_bytes());
        }
        // A stored `fieldsV1` is its JSON text already (see `fields_form`).
        FIELDS_V1 if v.is_string() => bytes_field(out, 1, v.as_str().unwrap_or("").as_bytes()),
        FIELDS_V1 | RAW_EXTENSION => {
            let raw = serde_json::to_vec(v).map_err(|e| e.to_string())?;
            bytes_field(out, 1, &raw);
        }
        _ => encode(name, v, out)?,
    }
    Ok(())
}

/// A cursor over protobuf bytes.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.data.get(self.pos).ok_or("unexpected EOF")?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("protobuf varint overflows 64 bits".into())
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.data.len())
            .ok_or("unexpected EOF")?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn done(&self) -> bool {
        self.pos >= self.data.len()
    }
}

/// One field as read from the wire.
enum Raw<'a> {
    Varint(u64),
    Fixed64,
    Bytes(&'a [u8]),
    Fixed32,
}

/// Every (number, value) of a message, in wire order.
pub fn fields(data: &[u8]) -> Result<Vec<(u32, RawField<'_>)>, String> {
    let mut r = Reader { data, pos: 0 };
    let mut out = Vec::new();
    while !r.done() {
        let k = r.varint()?;
        let number = u32::try_from(k >> 3).map_err(|_| "protobuf field number too large")?;
        let raw = match k & 7 {
            0 => Raw::Varint(r.varint()?),
            1 => {
                r.take(8)?;
                Raw::Fixed64
            }
            2 => {
                let n = usize::try_from(r.varint()?).map_err(|_| "protobuf length too large")?;
                Raw::Bytes(r.take(n)?)
            }
            5 => {
                r.take(4)?;
                Raw::Fixed32
            }
            w => return Err(format!("unsupported protobuf wire type {w}")),
        };
        out.push((number, RawField(raw)));
    }
    Ok(out)
}

/// A field value read from the wire (opaque outside this module).
pub struct RawField<'a>(Raw<'a>);

impl<'a> RawField<'a> {
    pub fn bytes(&self) -> Option<&'a [u8]> {
        match self.0 {
            Raw::Bytes(b) => Some(b),
            _ => None,
        }
    }

    pub fn string(&self) -> String {
        String::from_utf8_lossy(self.bytes().unwrap_or_default()).into_owned()
    }
}

/// Nested messages deeper than this are refused (a hostile body cannot exhaust the stack).
const MAX_DEPTH: usize = 64;

/// Decodes message `name` to its JSON form.
pub fn decode(name: &str, data: &[u8]) -> Result<Value, String> {
    decode_at(name, data, 0)
}

fn decode_at(name: &str, data: &[u8], depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err("protobuf message nested too deeply".into());
    }
    let msg = message(name).ok_or_else(|| format!("no protobuf message {name}"))?;
    let mut object = Map::new();
    for (number, raw) in fields(data)? {
        let Some(field) = msg.fields.iter().find(|f| f.number == number) else {
            continue;
        };
        match field.label {
            Label::Inline => {
                if let (Ty::Message(m), Some(b)) = (field.ty, raw.bytes())
                    && let Value::Object(inner) = decode_at(m, b, depth + 1)?
                {
                    object.extend(inner);
                }
            }
            Label::Single => {
                let v = decode_value(field, field.ty, &raw.0, depth)?;
                if keep_single(field, &v) {
                    object.insert(field.name.into(), v);
                } else {
                    object.remove(field.name);
                }
            }
            Label::Repeated => {
                let entry = object.entry(field.name).or_insert_with(|| json!([]));
                let items = decode_repeated(field, &raw.0, depth)?;
                if let Value::Array(a) = entry {
                    a.extend(items);
                }
            }
            Label::Map => {
                let b = raw
                    .bytes()
                    .ok_or("protobuf map entry is not length-delimited")?;
                let mut k = String::new();
                let mut v = None;
                for (n, f) in fields(b)? {
                    match n {
                        1 => k = f.string(),
                        2 => v = Some(decode_value(field, field.ty, &f.0, depth)?),
                        _ => {}
                    }
                }
                let v = v.unwrap_or_else(|| zero(field.ty));
                let entry = object.entry(field.name).or_insert_with(|| json!({}));
                if let Value::Object(m) = entry {
                    m.insert(k, v);
                }
            }
        }
    }
    Ok(Value::Object(object))
}

/// A value field at its zero value was written by Go because it always writes non-pointer
/// fields; JSON omits those.
fn keep_single(field: &Field, v: &Value) -> bool {
    let zero = match v {
        Value::Null => return false,
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        _ => false,
    };
    !zero || POINTER_FIELDS.contains(&field.name)
}

fn zero(ty: Ty) -> Value {
    match ty {
        Ty::String | Ty::Bytes => json!(""),
        Ty::Bool => json!(false),
        Ty::Int32 | Ty::Int64 => json!(0),
        Ty::Message(_) => json!({}),
    }
}

/// Repeated scalars may come packed (one length-delimited run) or one per key.
fn decode_repeated(field: &Field, raw: &Raw, depth: usize) -> Result<Vec<Value>, String> {
    match (field.ty, raw) {
        (Ty::Bool | Ty::Int32 | Ty::Int64, Raw::Bytes(b)) => {
            let mut r = Reader { data: b, pos: 0 };
            let mut out = Vec::new();
            while !r.done() {
                out.push(decode_value(
                    field,
                    field.ty,
                    &Raw::Varint(r.varint()?),
                    depth,
                )?);
            }
            Ok(out)
        }
        _ => Ok(vec![decode_value(field, field.ty, raw, depth)?]),
    }
}

fn decode_value(field: &Field, ty: Ty, raw: &Raw, depth: usize) -> Result<Value, String> {
    let mismatch = || format!("{}: wrong protobuf wire type", field.name);
    Ok(match (ty, raw) {
        (Ty::String, Raw::Bytes(b)) => json!(String::from_utf8_lossy(b)),
        (Ty::Bytes, Raw::Bytes(b)) => json!(base64::engine::general_purpose::STANDARD.encode(b)),
        (Ty::Bool, Raw::Varint(v)) => json!(*v != 0),
        (Ty::Int32, Raw::Varint(v)) => json!(*v as i64 as i32),
        (Ty::Int64, Raw::Varint(v)) => json!(*v as i64),
        (Ty::Message(m), Raw::Bytes(b)) => decode_special(m, b, depth + 1)?,
        _ => return Err(mismatch()),
    })
}

fn decode_special(name: &str, data: &[u8], depth: usize) -> Result<Value, String> {
    let varint_of = |n: u32| -> Result<Option<u64>, String> {
        Ok(fields(data)?
            .into_iter()
            .rev()
            .find_map(|(num, f)| match f.0 {
                Raw::Varint(v) if num == n => Some(v),
                _ => None,
            }))
    };
    let bytes_of = |n: u32| -> Result<Option<&[u8]>, String> {
        Ok(fields(data)?
            .into_iter()
            .rev()
            .find_map(|(num, f)| if num == n { f.bytes() } else { None }))
    };
    match name {
        TIME | MICRO_TIME => {
            if data.is_empty() {
                return Ok(Value::Null);
            }
            let seconds = varint_of(1)?.unwrap_or(0) as i64;
            let nanos = varint_of(2)?.unwrap_or(0) as i64 as i32;
            let ts = jiff::Timestamp::new(seconds, if name == TIME { 0 } else { nanos })
                .map_err(|e| format!("invalid protobuf time: {e}"))?;
            let format = if name == TIME {
                "%Y-%m-%dT%H:%M:%SZ"
            } else {
                "%Y-%m-%dT%H:%M:%S.%6fZ"
            };
            Ok(json!(ts.strftime(format).to_string()))
        }
        INT_OR_STRING => {
            if varint_of(1)? == Some(1) {
                let s = bytes_of(3)?.unwrap_or_default();
                Ok(json!(String::from_utf8_lossy(s)))
            } else {
                Ok(json!(varint_of(2)?.unwrap_or(0) as i64 as i32))
            }
        }
        QUANTITY => Ok(json!(String::from_utf8_lossy(
            bytes_of(1)?.unwrap_or_default()
        ))),
        FIELDS_V1 | RAW_EXTENSION => {
            let raw = bytes_of(1)?.unwrap_or_default();
            if raw.is_empty() {
                return Ok(Value::Null);
            }
            serde_json::from_slice(raw).map_err(|e| format!("invalid embedded JSON: {e}"))
        }
        _ => decode_at(name, data, depth),
    }
}

/// The full name of a meta/v1 message.
pub fn meta(kind: &str) -> String {
    format!("{META}{kind}")
}
