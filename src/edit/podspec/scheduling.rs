//! Scheduling edits of the pod spec: `--node-selector`, `--toleration`, `--node-affinity`.

use serde_json::{Value, json};

use crate::edit::EditError;
use crate::edit::json;
use crate::edit::kv::{KeyValueArg, StrictKeyValue, apply_to_map, merge_layers};

/// Applies `--node-selector KEY=VALUE` / `KEY-` to `nodeSelector`.
pub fn apply_node_selector(pod_spec: &mut Value, args: &[KeyValueArg]) {
    if args.is_empty() {
        return;
    }
    apply_to_map(pod_spec, "nodeSelector", &merge_layers(&[args]));
}

fn check_unique(flag: &str, pairs: &[StrictKeyValue]) -> Result<(), EditError> {
    for (i, pair) in pairs.iter().enumerate() {
        if pairs[..i]
            .iter()
            .any(|p| p.key.eq_ignore_ascii_case(&pair.key))
        {
            return Err(EditError::new(format!(
                "Invalid {flag}: the field \"{}\" is given twice",
                pair.key
            )));
        }
    }
    Ok(())
}

/// One toleration, built from the `Key=…,Operator=…,Value=…,Effect=…` values of `--toleration`.
#[derive(Debug, Clone, PartialEq)]
pub struct Toleration(Value);

impl Toleration {
    pub fn from_pairs(pairs: &[StrictKeyValue]) -> Result<Self, EditError> {
        check_unique("--toleration", pairs)?;
        let mut toleration = json!({});
        for pair in pairs {
            let value = pair.value.as_str();
            match pair.key.to_ascii_lowercase().as_str() {
                "key" => json::set(&mut toleration, "key", json!(value)),
                "value" => json::set(&mut toleration, "value", json!(value)),
                "operator" => {
                    if !["Equal", "Exists"].contains(&value) {
                        return Err(EditError::new(format!(
                            "Invalid --toleration: invalid operator \"{value}\"; valid operators: Equal | Exists"
                        )));
                    }
                    json::set(&mut toleration, "operator", json!(value));
                }
                "effect" => {
                    if !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&value) {
                        return Err(EditError::new(format!(
                            "Invalid --toleration: invalid effect \"{value}\"; valid effects: NoSchedule | PreferNoSchedule | NoExecute"
                        )));
                    }
                    json::set(&mut toleration, "effect", json!(value));
                }
                "tolerationseconds" => {
                    let seconds: i64 = value.parse().map_err(|_| {
                        EditError::new(format!(
                            "Invalid --toleration: TolerationSeconds must be an integer, got \"{value}\""
                        ))
                    })?;
                    json::set(&mut toleration, "tolerationSeconds", json!(seconds));
                }
                _ => {
                    return Err(EditError::new(format!(
                        "Invalid --toleration: unknown field \"{}\"; valid fields: Key, Operator, Value, Effect, TolerationSeconds",
                        pair.key
                    )));
                }
            }
        }
        // Kubernetes drops empty strings; so does kn.
        if let Some(map) = toleration.as_object_mut() {
            map.retain(|_, v| v.as_str() != Some(""));
        }
        Ok(Self(toleration))
    }
}

/// Appends a toleration to the pod spec.
pub fn apply_toleration(pod_spec: &mut Value, toleration: &Toleration) {
    json::array(pod_spec, "tolerations").push(toleration.0.clone());
}

/// One node affinity term from `--node-affinity Type=Required|Preferred,Key=…,Operator=…,Values="a b",Weight=N`.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeAffinityTerm {
    required: bool,
    weight: Option<i64>,
    expression: Value,
}

impl NodeAffinityTerm {
    pub fn from_pairs(pairs: &[StrictKeyValue]) -> Result<Self, EditError> {
        check_unique("--node-affinity", pairs)?;
        let mut required = None;
        let mut weight = None;
        let mut expression = json!({});
        for pair in pairs {
            let value = pair.value.as_str();
            match pair.key.to_ascii_lowercase().as_str() {
                "type" => {
                    required = match value {
                        "Required" => Some(true),
                        "Preferred" => Some(false),
                        _ => None,
                    };
                    if required.is_none() {
                        return Err(invalid_type());
                    }
                }
                "key" => json::set(&mut expression, "key", json!(value)),
                "operator" => {
                    if !["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"].contains(&value) {
                        return Err(EditError::new(format!(
                            "Invalid --node-affinity: invalid operator \"{value}\"; valid operators: In | NotIn | Exists | DoesNotExist | Gt | Lt"
                        )));
                    }
                    json::set(&mut expression, "operator", json!(value));
                }
                "values" => {
                    let values: Vec<&str> = value.split_whitespace().collect();
                    json::set(&mut expression, "values", json!(values));
                }
                "weight" => {
                    let w: i64 = value.parse().map_err(|_| {
                        EditError::new(format!(
                            "error in setting preference weight in node affinity: \"{value}\" is not an integer"
                        ))
                    })?;
                    if !(1..=100).contains(&w) {
                        return Err(EditError::new(format!(
                            "error in setting preference weight in node affinity: {w} is not in the range 1..100"
                        )));
                    }
                    weight = Some(w);
                }
                _ => {
                    return Err(EditError::new(format!(
                        "Invalid --node-affinity: unknown field \"{}\"; valid fields: Type, Key, Operator, Values, Weight",
                        pair.key
                    )));
                }
            }
        }
        let required = required.ok_or_else(invalid_type)?;
        if !required && weight.is_none() {
            return Err(EditError::new(
                "error in setting preference weight in node affinity: a Preferred term needs Weight=1..100",
            ));
        }
        Ok(Self {
            required,
            weight,
            expression,
        })
    }
}

fn invalid_type() -> EditError {
    EditError::new(
        "Invalid --node-affinity: Invalid type defined for node affinity, Valid arguments: Required | Preferred",
    )
}

/// Adds a term: Required terms are ORed into `nodeSelectorTerms`, Preferred ones appended.
pub fn apply_node_affinity(pod_spec: &mut Value, term: &NodeAffinityTerm) {
    let node_affinity = json::object_path(pod_spec, &["affinity", "nodeAffinity"]);
    let selector_term = json!({ "matchExpressions": [term.expression.clone()] });
    if term.required {
        let required = json::object(
            node_affinity,
            "requiredDuringSchedulingIgnoredDuringExecution",
        );
        json::array(required, "nodeSelectorTerms").push(selector_term);
    } else {
        json::array(
            node_affinity,
            "preferredDuringSchedulingIgnoredDuringExecution",
        )
        .push(json!({ "weight": term.weight, "preference": selector_term }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(s: &str) -> Vec<StrictKeyValue> {
        s.split(',').map(|p| p.parse().unwrap()).collect()
    }

    #[test]
    fn node_selector_sets_and_removes() {
        let mut p = json!({"nodeSelector": {"old": "x"}, "containers": []});
        apply_node_selector(
            &mut p,
            &["Disktype=ssd".parse().unwrap(), "old-".parse().unwrap()],
        );
        assert_eq!(
            p,
            json!({"nodeSelector": {"Disktype": "ssd"}, "containers": []})
        );
    }

    #[test]
    fn toleration_is_appended() {
        let t = Toleration::from_pairs(&pairs(
            "Key=node-role.kubernetes.io/master,effect=NoSchedule,Operator=Equal,Value=",
        ))
        .unwrap();
        let mut p = json!({"tolerations": [{"key": "a", "operator": "Exists"}]});
        apply_toleration(&mut p, &t);
        assert_eq!(
            p["tolerations"],
            json!([
                {"key": "a", "operator": "Exists"},
                {"key": "node-role.kubernetes.io/master", "effect": "NoSchedule", "operator": "Equal"}
            ])
        );
    }

    #[test]
    fn toleration_errors_name_the_accepted_values() {
        let err = |s: &str| Toleration::from_pairs(&pairs(s)).unwrap_err().to_string();
        assert!(
            err("Effect=Never")
                .contains("valid effects: NoSchedule | PreferNoSchedule | NoExecute")
        );
        assert!(err("Operator=Is").contains("valid operators: Equal | Exists"));
        assert!(err("Colour=red").contains("unknown field \"Colour\""));
        assert!(err("Key=a,key=b").contains("given twice"));
    }

    #[test]
    fn required_and_preferred_terms() {
        let mut p = json!({"affinity": {"podAffinity": {"x": 1}}});
        let required = NodeAffinityTerm::from_pairs(&pairs(
            "Type=Required,Key=topology.kubernetes.io/zone,Operator=In,Values=a b",
        ))
        .unwrap();
        let preferred = NodeAffinityTerm::from_pairs(&pairs(
            "Type=Preferred,Key=disk,Operator=Exists,Weight=10",
        ))
        .unwrap();
        apply_node_affinity(&mut p, &required);
        apply_node_affinity(&mut p, &required);
        apply_node_affinity(&mut p, &preferred);
        assert_eq!(
            p,
            json!({"affinity": {
                "podAffinity": {"x": 1},
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                        {"matchExpressions": [{"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["a", "b"]}]},
                        {"matchExpressions": [{"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["a", "b"]}]}
                    ]},
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {"weight": 10, "preference": {"matchExpressions": [{"key": "disk", "operator": "Exists"}]}}
                    ]
                }
            }})
        );
    }

    #[test]
    fn node_affinity_errors() {
        let err = |s: &str| {
            NodeAffinityTerm::from_pairs(&pairs(s))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("Type=Sometimes"),
            "Invalid --node-affinity: Invalid type defined for node affinity, Valid arguments: Required | Preferred"
        );
        assert_eq!(
            err("Key=a"),
            "Invalid --node-affinity: Invalid type defined for node affinity, Valid arguments: Required | Preferred"
        );
        assert!(err("Type=Preferred,Key=a").contains("needs Weight"));
        assert!(err("Type=Preferred,Weight=x").contains("not an integer"));
        assert!(err("Type=Required,Operator=Maybe").contains("valid operators"));
    }
}
