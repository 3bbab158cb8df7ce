//! Decoding into Go types: the errors Go's JSON decoder gives for a built-in object whose values
//! have the wrong type or whose base64 is bad.

use super::*;

/// Go's `encoding/base64` StdEncoding error for `text`, if it is not valid.
pub(super) fn base64_error(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        let ok = b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'\r' | b'\n');
        if !ok {
            return Some(format!("illegal base64 data at input byte {i}"));
        }
    }
    match base64::engine::general_purpose::STANDARD.decode(text.replace(['\r', '\n'], "")) {
        Ok(_) => None,
        Err(base64::DecodeError::InvalidByte(i, _)) => {
            Some(format!("illegal base64 data at input byte {i}"))
        }
        Err(_) => Some(format!(
            "illegal base64 data at input byte {}",
            bytes.len() - bytes.len() % 4
        )),
    }
}

/// The decoder's checks of value types (`map[string]string`, `map[string][]byte`) of a
/// ConfigMap or Secret and of every object's labels and annotations: a 400 like upstream's.
pub fn check_types(
    kind: &str,
    version: &str,
    custom: bool,
    object: &Value,
) -> Result<(), ApiError> {
    decode_error(kind, custom, object).map_err(|why| cannot_handle(kind, version, &why))
}

/// Why the Go decoder would refuse `object` (the text after "cannot be handled as a Kind: ").
pub fn decode_error(kind: &str, custom: bool, object: &Value) -> Result<(), String> {
    // Field names are only spelled out for an error: this runs on every write.
    let strings =
        |map: Option<&Map<String, Value>>, go_field: &dyn Fn() -> String| -> Result<(), String> {
            for value in map.into_iter().flat_map(|m| m.values()) {
                if !value.is_string() && !value.is_null() {
                    return Err(format!(
                        "json: cannot unmarshal {} into Go struct field {} of type string",
                        crate::gojson::go_type(value),
                        go_field()
                    ));
                }
            }
            Ok(())
        };
    let meta_prefix = || {
        if custom {
            "ObjectMeta".to_string()
        } else {
            format!("{kind}.metadata")
        }
    };
    for field in ["labels", "annotations"] {
        let value = object.get("metadata").and_then(|m| m.get(field));
        if let Some(v) = value.filter(|v| !v.is_object() && !v.is_null()) {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field {}.{field} of type map[string]string",
                crate::gojson::go_type(v),
                meta_prefix()
            ));
        }
        strings(value.and_then(Value::as_object), &|| {
            format!("{}.{field}", meta_prefix())
        })?;
    }
    if custom {
        return Ok(());
    }
    let bytes =
        |map: Option<&Map<String, Value>>, go_field: &dyn Fn() -> String| -> Result<(), String> {
            for value in map.into_iter().flat_map(|m| m.values()) {
                match value {
                    Value::String(s) => {
                        if let Some(why) = base64_error(s) {
                            return Err(why);
                        }
                    }
                    Value::Null => {}
                    other => {
                        return Err(format!(
                            "json: cannot unmarshal {} into Go struct field {} of type []uint8",
                            crate::gojson::go_type(other),
                            go_field()
                        ));
                    }
                }
            }
            Ok(())
        };
    match kind {
        "ConfigMap" => {
            strings(object.get("data").and_then(Value::as_object), &|| {
                "ConfigMap.data".into()
            })?;
            bytes(object.get("binaryData").and_then(Value::as_object), &|| {
                "ConfigMap.binaryData".into()
            })?;
        }
        "Secret" => {
            bytes(object.get("data").and_then(Value::as_object), &|| {
                "Secret.data".into()
            })?;
            strings(object.get("stringData").and_then(Value::as_object), &|| {
                "Secret.stringData".into()
            })?;
        }
        _ => {}
    }
    Ok(())
}
