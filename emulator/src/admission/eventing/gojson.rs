//! Go's `encoding/json` unmarshalling errors for JSON-valued fields (PingSource `data` with
//! `contentType: application/json`, Trigger dependency annotations): the emulator's one scanner.

pub use crate::gojson::{unmarshal_object_error, unmarshal_struct_error};
