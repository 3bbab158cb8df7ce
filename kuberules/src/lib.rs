//! The Kubernetes and Knative rules both the knit CLI and its emulator apply, with upstream's
//! exact messages, so the two cannot drift apart: apimachinery's name and label checks
//! ([`names`]) and label/field selectors ([`selectors`]), Knative's `apis.FieldError`
//! ([`fielderror`]) and autoscaling annotation checks ([`autoscaling`]), and the parts of Go's
//! `net/url` Knative's URL handling relies on ([`gourl`]). Text conventions (JSONPath, Go
//! printing, durations, ages) are `kubetext`'s; this crate holds what decides valid or not.

pub mod autoscaling;
pub mod fielderror;
pub mod gourl;
pub mod names;
pub mod selectors;
