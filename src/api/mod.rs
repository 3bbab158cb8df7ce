//! Typed read models of the resources knit shows, deserialized from the raw JSON objects the
//! client returns. They are for reading (views, waiting); edits work on the JSON itself so that
//! nothing is lost on write-back.

pub mod duck;
pub mod eventing;
pub mod flows;
pub mod integ;
pub mod meta;
pub mod serving;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};

/// Deserializes a read model from a raw object, naming the object in the error if it does not fit.
pub fn from_value<T: DeserializeOwned>(object: &Value) -> Result<T> {
    T::deserialize(object).map_err(|e| {
        let name = object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("<unnamed>");
        let kind = object
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("object");
        Error::failed(format!("cannot read {kind} '{name}': {e}"))
    })
}
