//! Knative machinery shared by the Serving and Eventing parts of the emulator: condition sets,
//! field errors, names and Knative's ConfigMaps, plus small JSON helpers for objects.

pub mod conditions;
pub mod configmaps;
pub mod eventing;
pub mod fielderror;
pub mod meta;
pub mod names;
#[cfg(test)]
pub mod testing;
