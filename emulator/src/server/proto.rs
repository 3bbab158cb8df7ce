//! Protobuf answers: objects and `Status` bodies in the `k8s\0` envelope, and watch events as
//! one length-prefixed `WatchEvent` frame each, as the real server streams
//! `application/vnd.kubernetes.protobuf;stream=watch`.

use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header};
use bytes::Bytes;
use serde_json::Value;

use super::handler::{Resp, error_response, json_bytes};

use crate::registry::{Registry, TypeInfo};
use crate::status::ApiError;
use crate::store::Stored;
use crate::watch::{self, EventRenderer};

/// Renders events of a built-in kind (or any kind's `PartialObjectMetadata`) as protobuf frames.
pub struct ProtobufRenderer {
    pub registry: Arc<Registry>,
    pub ti: Arc<TypeInfo>,
    /// Objects go out as `meta.k8s.io/v1` `PartialObjectMetadata`.
    pub partial: bool,
}

impl ProtobufRenderer {
    fn frame(&self, event_type: &str, object: &Value) -> Option<Bytes> {
        let enveloped = if self.partial {
            crate::protobuf::encode_meta(&super::table::partial_metadata(object)).ok()?
        } else {
            crate::protobuf::encode_object(&self.ti, object).ok()?
        };
        Some(Bytes::from(crate::protobuf::watch_frame(
            event_type, &enveloped,
        )))
    }
}

impl EventRenderer for ProtobufRenderer {
    fn event(&mut self, kind: &str, object: &Arc<Stored>, rv: Option<u64>) -> Option<Bytes> {
        let value = watch::event_object(&self.registry, &self.ti, object, rv)?;
        self.frame(kind, &value)
    }

    fn bookmark(&mut self, rv: u64, initial_events_end: bool) -> Bytes {
        let object = watch::bookmark_object(&self.ti, rv, initial_events_end);
        self.frame("BOOKMARK", &object).unwrap_or_default()
    }

    fn error(&mut self, error: &ApiError) -> Bytes {
        let status = crate::protobuf::encode_meta(&error.to_status()).unwrap_or_default();
        Bytes::from(crate::protobuf::watch_frame("ERROR", &status))
    }
}

/// An object (or Status) in protobuf; an object of a kind without a protobuf form stays JSON.
pub(super) fn value(code: StatusCode, ti: &TypeInfo, value: &Value, warnings: &[String]) -> Resp {
    let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
    let encoded = if kind == "Status" || kind.starts_with("PartialObjectMetadata") {
        crate::protobuf::encode_meta(value)
    } else {
        crate::protobuf::encode_object(ti, value)
    };
    match encoded {
        Ok(bytes) => {
            let mut resp = json_bytes(code, Bytes::from(bytes), warnings);
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(crate::protobuf::MEDIA_TYPE),
            );
            resp
        }
        Err(e) => error_response(&ApiError::new(
            500,
            "InternalError",
            format!("unable to encode the object as protobuf: {e}"),
        )),
    }
}

/// A Status in protobuf.
pub(super) fn error(err: &ApiError) -> Resp {
    let code = StatusCode::from_u16(err.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match crate::protobuf::encode_meta(&err.to_status()) {
        Ok(bytes) => {
            let mut resp = json_bytes(code, Bytes::from(bytes), &[]);
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(crate::protobuf::MEDIA_TYPE),
            );
            resp
        }
        Err(_) => error_response(err),
    }
}
