//! Knative machinery shared by the Serving and Eventing parts of the emulator: condition sets,
//! names and Knative's ConfigMaps, plus small JSON helpers for objects (field errors are
//! `kuberules::fielderror`).

pub mod conditions;
pub mod configmaps;
pub mod eventing;
pub mod meta;
pub mod names;
#[cfg(test)]
pub mod testing;
