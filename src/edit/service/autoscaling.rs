//! The autoscaling flags of a Service: their annotation keys, their value types (`--scale`,
//! `--concurrency-limit`, `--scale-window`) and their edit of the revision template.

use std::str::FromStr;

use serde_json::Value;

use super::{ServiceEdit, set_template_annotation};

/// The autoscaling annotation group: such keys live on the revision template only.
pub const AUTOSCALING_PREFIX: &str = "autoscaling.knative.dev";
pub const MIN_SCALE: &str = "autoscaling.knative.dev/min-scale";
pub const MAX_SCALE: &str = "autoscaling.knative.dev/max-scale";
pub const INITIAL_SCALE: &str = "autoscaling.knative.dev/initial-scale";
pub const ACTIVATION_SCALE: &str = "autoscaling.knative.dev/activation-scale";
pub const TARGET: &str = "autoscaling.knative.dev/target";
pub const METRIC: &str = "autoscaling.knative.dev/metric";
pub const TARGET_UTILIZATION: &str = "autoscaling.knative.dev/target-utilization-percentage";
pub const WINDOW: &str = "autoscaling.knative.dev/window";

/// `--scale N`, `A..B`, `A..` or `..B`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleRange {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

impl FromStr for ScaleRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error =
            || "Scale must be of the format x..y or x (e.g. 5, 1..5, 1.. or ..5)".to_string();
        let number = |part: &str| -> Result<Option<i64>, String> {
            if part.is_empty() {
                Ok(None)
            } else {
                part.parse().map(Some).map_err(|_| error())
            }
        };
        match s.split_once("..") {
            Some((min, max)) => {
                let range = Self {
                    min: number(min)?,
                    max: number(max)?,
                };
                if range.min.is_none() && range.max.is_none() {
                    return Err(error());
                }
                Ok(range)
            }
            None => {
                let n = number(s)?.ok_or_else(error)?;
                Ok(Self {
                    min: Some(n),
                    max: Some(n),
                })
            }
        }
    }
}

/// `--concurrency-limit`: a non-negative integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConcurrencyLimit(pub i64);

impl FromStr for ConcurrencyLimit {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let n: i64 = s
            .parse()
            .map_err(|_| format!("invalid concurrency-limit \"{s}\" (must be an integer >= 0)"))?;
        // The sign is checked with the other values, in kn's order (`ServiceEdit::validate`).
        Ok(Self(n))
    }
}

/// `--scale-window`: a Go duration such as `10s` or `1m30s`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleWindow(pub String);

impl FromStr for ScaleWindow {
    type Err = String;

    /// Any text: it is checked with the other values, in kn's order (`ServiceEdit::validate`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_string()))
    }
}

pub(super) fn apply_scaling(template: &mut Value, edit: &ServiceEdit) {
    if let Some(min) = edit.scale_min {
        set_template_annotation(template, MIN_SCALE, min.to_string());
    }
    if let Some(max) = edit.scale_max {
        set_template_annotation(template, MAX_SCALE, max.to_string());
    }
    if let Some(range) = edit.scale {
        if let Some(min) = range.min {
            set_template_annotation(template, MIN_SCALE, min.to_string());
        }
        if let Some(max) = range.max {
            set_template_annotation(template, MAX_SCALE, max.to_string());
        }
    }
    if let Some(window) = &edit.scale_window {
        set_template_annotation(template, WINDOW, window.0.clone());
    }
    if let Some(target) = edit.scale_target {
        set_template_annotation(template, TARGET, target.to_string());
    }
    if let Some(metric) = &edit.scale_metric {
        set_template_annotation(template, METRIC, metric.clone());
    }
    if let Some(activation) = edit.scale_activation {
        set_template_annotation(template, ACTIVATION_SCALE, activation.to_string());
    }
    if let Some(utilization) = edit.scale_utilization {
        set_template_annotation(template, TARGET_UTILIZATION, utilization.to_string());
    }
}
