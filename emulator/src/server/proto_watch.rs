//! Watch events in protobuf: one length-prefixed `WatchEvent` frame per event, as the real
//! server streams `application/vnd.kubernetes.protobuf;stream=watch`.

use std::sync::Arc;

use bytes::Bytes;
use serde_json::{Value, json};

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
        let mut value = self
            .registry
            .catalog
            .convert(object.value(), &self.ti)
            .ok()?;
        if let Some(rv) = rv
            && let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.insert("resourceVersion".into(), json!(rv.to_string()));
        }
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
