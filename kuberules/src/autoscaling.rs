//! Validation of the `autoscaling.knative.dev/*` annotations (serving's
//! `autoscaling.ValidateAnnotations`) and of `serving.knative.dev/rollout-duration`.

use std::collections::BTreeMap;

use kubetext::duration::{SECOND, parse_go_duration};

use crate::fielderror::FieldError;

pub const GROUP: &str = "autoscaling.knative.dev";
const KPA: &str = "kpa.autoscaling.knative.dev";
const HPA: &str = "hpa.autoscaling.knative.dev";
const MAX_INT32: i64 = 2147483647;
const HOUR: i128 = 3600 * SECOND;

/// `config-autoscaler`: the parts admission checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoscalerConfig {
    pub allow_zero_initial_scale: bool,
    pub max_scale_limit: i64,
}

impl AutoscalerConfig {
    /// From the ConfigMap's data; absent keys take Serving's defaults.
    pub fn from_data(data: &BTreeMap<String, String>) -> Self {
        AutoscalerConfig {
            allow_zero_initial_scale: data
                .get("allow-zero-initial-scale")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
            max_scale_limit: data
                .get("max-scale-limit")
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0),
        }
    }
}

/// kn's own check of the revision-template annotations it sets (`UpdateRevisionTemplateAnnotations`):
/// serving's `autoscaling.ValidateAnnotations` over those annotations alone, with the default
/// autoscaler settings and a zero initial scale allowed. The error's paths are the bare
/// annotation keys (`target 0 should be at least 0.01: autoscaling.knative.dev/target`).
pub fn kn_check(annotations: &BTreeMap<String, String>) -> Option<String> {
    let mut config = AutoscalerConfig::from_data(&BTreeMap::new());
    config.allow_zero_initial_scale = true;
    let errors = validate_annotations(&config, annotations);
    (!errors.is_empty()).then(|| errors.to_string())
}

/// Finds the first present key among an annotation's spellings (kmap.KeyPriority.Get).
fn get<'a>(
    m: &'a BTreeMap<String, String>,
    keys: &[&'static str],
) -> Option<(&'static str, &'a str)> {
    keys.iter()
        .find_map(|k| m.get(*k).map(|v| (*k, v.as_str())))
}

const CLASS: &[&str] = &["autoscaling.knative.dev/class"];
const MIN_SCALE: &[&str] = &[
    "autoscaling.knative.dev/min-scale",
    "autoscaling.knative.dev/minScale",
];
const MAX_SCALE: &[&str] = &[
    "autoscaling.knative.dev/max-scale",
    "autoscaling.knative.dev/maxScale",
];
const INITIAL_SCALE: &[&str] = &[
    "autoscaling.knative.dev/initial-scale",
    "autoscaling.knative.dev/initialScale",
];
const ACTIVATION_SCALE: &[&str] = &["autoscaling.knative.dev/activation-scale"];
const TARGET: &[&str] = &["autoscaling.knative.dev/target"];
const TARGET_UTILIZATION: &[&str] = &[
    "autoscaling.knative.dev/target-utilization-percentage",
    "autoscaling.knative.dev/targetUtilizationPercentage",
];
const TARGET_BURST: &[&str] = &[
    "autoscaling.knative.dev/target-burst-capacity",
    "autoscaling.knative.dev/targetBurstCapacity",
];
const PANIC_WINDOW: &[&str] = &[
    "autoscaling.knative.dev/panic-window-percentage",
    "autoscaling.knative.dev/panicWindowPercentage",
];
const PANIC_THRESHOLD: &[&str] = &[
    "autoscaling.knative.dev/panic-threshold-percentage",
    "autoscaling.knative.dev/panicThresholdPercentage",
];
const WINDOW: &[&str] = &["autoscaling.knative.dev/window"];
const SCALE_DOWN_DELAY: &[&str] = &["autoscaling.knative.dev/scale-down-delay"];
const RETENTION: &[&str] = &["autoscaling.knative.dev/scale-to-zero-pod-retention-period"];
const METRIC: &[&str] = &["autoscaling.knative.dev/metric"];
const ALGORITHM: &[&str] = &["autoscaling.knative.dev/metric-aggregation-algorithm"];

fn int_ge0(m: &BTreeMap<String, String>, keys: &[&'static str], errs: &mut FieldError) -> i64 {
    let Some((k, v)) = get(m, keys) else {
        return 0;
    };
    match v.parse::<i64>() {
        Ok(i) if !(i32::MIN as i64..=MAX_INT32).contains(&i) => {
            errs.push(FieldError::out_of_bounds(v, 0, MAX_INT32, k));
            0
        }
        Ok(i) if i < 0 => {
            errs.push(FieldError::out_of_bounds(v, 0, MAX_INT32, k));
            0
        }
        Ok(i) => i,
        Err(_)
            if !v.is_empty()
                && v.trim_start_matches(['-', '+'])
                    .bytes()
                    .all(|b| b.is_ascii_digit()) =>
        {
            errs.push(FieldError::out_of_bounds(v, 0, MAX_INT32, k));
            0
        }
        Err(_) => {
            errs.push(FieldError::invalid_value(v, k));
            0
        }
    }
}

/// Go's `strconv.ParseFloat` for the forms people write.
fn parse_float(v: &str) -> Option<f64> {
    let t = v.trim();
    if t.is_empty() || t != v {
        return None;
    }
    t.parse::<f64>().ok()
}

/// The `%g` rendering Go gives the few bounds used here.
fn go_g(f: f64) -> String {
    format!("{f}")
}

/// `autoscaling.ValidateAnnotations`; paths are the annotation keys.
pub fn validate_annotations(cfg: &AutoscalerConfig, m: &BTreeMap<String, String>) -> FieldError {
    let mut errs = FieldError::none();
    let class = get(m, CLASS).map(|(_, v)| v);

    // Class.
    if let Some((k, v)) = get(m, CLASS)
        && v.ends_with(".autoscaling.knative.dev")
        && v != KPA
        && v != HPA
    {
        errs.push(FieldError::invalid_value(v, k));
    }

    // Min/max scale.
    let min = int_ge0(m, MIN_SCALE, &mut errs);
    let max = int_ge0(m, MAX_SCALE, &mut errs);
    if max != 0 && max < min {
        errs.push(FieldError::new(
            format!("max-scale={max} is less than min-scale={min}"),
            &[MAX_SCALE[0], MIN_SCALE[0]],
        ));
    }
    if let Some((k, _)) = get(m, MAX_SCALE)
        && cfg.max_scale_limit != 0
    {
        if max > cfg.max_scale_limit {
            errs.push(FieldError::out_of_bounds(max, 1, cfg.max_scale_limit, k));
        }
        if max == 0 {
            errs.push(FieldError::new(
                format!(
                    "max-scale=0 (unlimited), must be less than {}",
                    cfg.max_scale_limit
                ),
                &[k],
            ));
        }
    }
    if let Some((k, v)) = get(m, ACTIVATION_SCALE) {
        match v.parse::<i32>() {
            Err(_) => errs.push(FieldError::invalid_value(v, k)),
            Ok(a) => {
                let a = a as i64;
                if min > a {
                    errs.push(FieldError::new(
                        format!("min-scale={min} is greater than activation-scale={a}"),
                        &[k],
                    ));
                } else if max < a && max != 0 {
                    errs.push(FieldError::new(
                        format!("max-scale={max} is less than activation-scale={a}"),
                        &[k],
                    ));
                } else if a < 2 {
                    errs.push(FieldError::new(
                        format!("activation-scale={a} must be greater than 1"),
                        &[k],
                    ));
                }
            }
        }
    }

    // Floats.
    if let Some((k, v)) = get(m, PANIC_WINDOW) {
        match parse_float(v) {
            None => errs.push(FieldError::invalid_value(v, k)),
            Some(f) if !(1.0..=100.0).contains(&f) => {
                errs.push(FieldError::out_of_bounds(v, 1, 100, k))
            }
            _ => {}
        }
    }
    if let Some((k, v)) = get(m, PANIC_THRESHOLD) {
        match parse_float(v) {
            None => errs.push(FieldError::invalid_value(v, k)),
            Some(f) if !(110.0..=1000.0).contains(&f) => {
                errs.push(FieldError::out_of_bounds(v, 110, 1000, k))
            }
            _ => {}
        }
    }
    if let Some((k, v)) = get(m, TARGET) {
        match parse_float(v) {
            None => errs.push(FieldError::invalid_value(v, k)),
            Some(f) if f < 0.01 => errs.push(FieldError::new(
                format!("target {v} should be at least {}", go_g(0.01)),
                &[k],
            )),
            _ => {}
        }
    }
    if let Some((k, v)) = get(m, TARGET_UTILIZATION) {
        match parse_float(v) {
            None => errs.push(FieldError::invalid_value(v, k)),
            Some(f) if !(1.0..=100.0).contains(&f) => {
                errs.push(FieldError::out_of_bounds(v, 1, 100, k))
            }
            _ => {}
        }
    }
    if let Some((k, v)) = get(m, TARGET_BURST) {
        match parse_float(v) {
            Some(f) if f >= 0.0 || f == -1.0 => {}
            _ => errs.push(FieldError::invalid_value(v, k)),
        }
    }

    // Durations.
    if let Some((_, v)) = get(m, WINDOW) {
        let k = WINDOW[0];
        match parse_go_duration(v) {
            None => errs.push(FieldError::invalid_value(v, k)),
            Some(d) if !(6 * SECOND..=HOUR).contains(&d) => {
                errs.push(FieldError::out_of_bounds(v, "6s", "1h0m0s", k))
            }
            Some(d) if d % SECOND != 0 => errs.push(FieldError::new(
                "must be specified with at most second precision",
                &[k],
            )),
            _ => {}
        }
    }
    if let Some((k, v)) = get(m, RETENTION) {
        match parse_go_duration(v) {
            None => errs.push(FieldError::invalid_value(v, k)),
            Some(d) if !(0..=HOUR).contains(&d) => {
                errs.push(FieldError::out_of_bounds(v, "0s", "1h0m0s", k))
            }
            _ => {}
        }
    }
    if let Some((k, v)) = get(m, SCALE_DOWN_DELAY) {
        match parse_go_duration(v) {
            None => errs.push(FieldError::invalid_value(v, k)),
            Some(d) if !(0..=HOUR).contains(&d) => {
                errs.push(FieldError::out_of_bounds(v, "0s", "1h0m0s", k))
            }
            Some(d) if d % SECOND != 0 => errs.push(FieldError::new(
                "must be specified with at most second precision",
                &[k],
            )),
            _ => {}
        }
    }

    // Metric.
    if let Some((_, metric)) = get(m, METRIC) {
        let invalid = match class.unwrap_or(KPA) {
            KPA => !matches!(metric, "concurrency" | "rps"),
            HPA => metric.is_empty(),
            _ => false,
        };
        if invalid {
            errs.push(FieldError::invalid_value(metric, METRIC[0]));
        }
    }
    // Aggregation algorithm (KPA only).
    if class == Some(KPA)
        && let Some((k, v)) = get(m, ALGORITHM)
        && !v.is_empty()
        && !matches!(v, "linear" | "weightedExponential" | "weighted-exponential")
    {
        errs.push(FieldError::invalid_value(v, k));
    }

    // Initial scale.
    if let Some((k, v)) = get(m, INITIAL_SCALE) {
        match v.parse::<i64>() {
            Err(_) => errs.push(FieldError::invalid_value(v, k)),
            Ok(i) if i < 0 => errs.push(FieldError::invalid_value(
                v,
                &format!("{k} must be greater than 0"),
            )),
            Ok(0) if !cfg.allow_zero_initial_scale => errs.push(FieldError::invalid_value(
                v,
                &format!("{k}=0 not allowed by cluster"),
            )),
            _ => {}
        }
    }
    errs
}

/// `ValidateHasNoAutoscalingAnnotation` (Service and Configuration metadata).
pub fn has_no_autoscaling_annotation(m: &BTreeMap<String, String>) -> FieldError {
    let mut errs = FieldError::none();
    for key in m.keys().filter(|k| k.starts_with(GROUP)) {
        errs.push(FieldError::invalid_key_name(
            key,
            "",
            &["autoscaling annotations must be put under \"spec.template.metadata.annotations\" to work".to_string()],
        ));
    }
    errs
}

/// `ValidateRolloutDurationAnnotation` (Service and Route metadata).
pub fn rollout_duration(m: &BTreeMap<String, String>) -> FieldError {
    let Some((k, v)) = get(
        m,
        &[
            "serving.knative.dev/rollout-duration",
            "serving.knative.dev/rolloutDuration",
        ],
    ) else {
        return FieldError::none();
    };
    if v.is_empty() {
        return FieldError::none();
    }
    match parse_go_duration(v) {
        None => FieldError::invalid_value(v, k),
        Some(d) if d % SECOND != 0 => FieldError::new(
            format!("rollout-duration={v} is not at second precision"),
            &[k],
        ),
        Some(d) if d < 0 => FieldError::new(format!("rollout-duration={v} must be positive"), &[k]),
        _ => FieldError::none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotations(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn kn_check_uses_bare_keys_as_paths() {
        assert_eq!(
            kn_check(&annotations(&[("autoscaling.knative.dev/target", "0")])).as_deref(),
            Some("target 0 should be at least 0.01: autoscaling.knative.dev/target")
        );
        assert_eq!(
            kn_check(&annotations(&[(
                "autoscaling.knative.dev/initial-scale",
                "0"
            )])),
            None
        );
    }

    #[test]
    fn zero_initial_scale_needs_the_cluster_to_allow_it() {
        let strict = AutoscalerConfig::from_data(&BTreeMap::new());
        let initial = annotations(&[("autoscaling.knative.dev/initial-scale", "0")]);
        assert!(!validate_annotations(&strict, &initial).is_empty());
        let lenient =
            AutoscalerConfig::from_data(&annotations(&[("allow-zero-initial-scale", "True")]));
        assert!(validate_annotations(&lenient, &initial).is_empty());
    }
}
