//! `--limit` and `--request`: `RESOURCE=QUANTITY` entries, `RESOURCE-` to remove.

use std::str::FromStr;

use serde_json::Value;

use crate::edit::EditError;
use crate::edit::json;
use crate::edit::quantity::{canonical, is_quantity};

/// One `--limit`/`--request` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceArg {
    Set { name: String, quantity: String },
    Remove(String),
}

impl ResourceArg {
    pub fn name(&self) -> &str {
        match self {
            Self::Set { name, .. } | Self::Remove(name) => name,
        }
    }
}

impl FromStr for ResourceArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, quantity) = match s.split_once('=') {
            Some((name, quantity)) => (name, quantity),
            None => match s.strip_suffix('-') {
                Some(name) if !name.is_empty() => return Ok(Self::Remove(name.to_string())),
                _ => (s, ""),
            },
        };
        if name.is_empty() {
            return Err(format!(
                "the resource name is empty in \"{s}\"; expected RESOURCE=QUANTITY (e.g. cpu=100m,memory=256Mi) or RESOURCE- to remove"
            ));
        }
        if !is_quantity(quantity) {
            return Err(format!(
                "invalid quantity \"{quantity}\" for resource \"{name}\"; use a number with an optional suffix such as 100m, 0.5, 256Mi, 1Gi or 1e3"
            ));
        }
        Ok(Self::Set {
            name: name.to_string(),
            quantity: quantity.to_string(),
        })
    }
}

/// kn rejects a resource named twice in one flag.
pub fn check_duplicates(flag: &str, args: &[ResourceArg]) -> Result<(), EditError> {
    for (i, arg) in args.iter().enumerate() {
        if matches!(arg, ResourceArg::Set { .. })
            && args[..i].iter().any(|earlier| {
                matches!(earlier, ResourceArg::Set { .. }) && earlier.name() == arg.name()
            })
        {
            let all: Vec<String> = args
                .iter()
                .map(|a| match a {
                    ResourceArg::Set { name, quantity } => format!("{name}={quantity}"),
                    ResourceArg::Remove(name) => format!("{name}-"),
                })
                .collect();
            return Err(EditError::new(format!(
                "Invalid {flag}: The key \"{}\" has been duplicate in [{}]",
                arg.name(),
                all.join(" ")
            )));
        }
    }
    Ok(())
}

/// Applies entries to `resources.<kind>` (`limits` or `requests`) of a container.
pub fn apply(container: &mut Value, kind: &str, args: &[ResourceArg]) {
    if args.is_empty() {
        return;
    }
    let resources = json::object(container, "resources");
    {
        let list = json::object(resources, kind);
        for arg in args {
            if let ResourceArg::Set { name, quantity } = arg {
                json::set(list, name, Value::String(canonical(quantity)));
            }
        }
        for arg in args {
            if let ResourceArg::Remove(name) = arg {
                json::remove(list, name);
            }
        }
    }
    json::prune_empty(resources, kind);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn res(s: &str) -> ResourceArg {
        s.parse().unwrap()
    }

    #[test]
    fn forms_and_errors() {
        assert_eq!(
            res("nvidia.com/gpu=1"),
            ResourceArg::Set {
                name: "nvidia.com/gpu".into(),
                quantity: "1".into()
            }
        );
        assert_eq!(res("memory-"), ResourceArg::Remove("memory".into()));
        assert_eq!(
            "memory=lots".parse::<ResourceArg>().unwrap_err(),
            "invalid quantity \"lots\" for resource \"memory\"; use a number with an optional suffix such as 100m, 0.5, 256Mi, 1Gi or 1e3"
        );
        assert!(
            "cpu"
                .parse::<ResourceArg>()
                .unwrap_err()
                .starts_with("invalid quantity \"\"")
        );
        assert!(
            "=1".parse::<ResourceArg>()
                .unwrap_err()
                .contains("resource name is empty")
        );
    }

    #[test]
    fn duplicates() {
        let args = vec![res("cpu=1"), res("cpu=2")];
        assert_eq!(
            check_duplicates("--limit", &args).unwrap_err().to_string(),
            "Invalid --limit: The key \"cpu\" has been duplicate in [cpu=1 cpu=2]"
        );
    }

    #[test]
    fn set_and_remove_keep_other_kinds() {
        let mut c = json!({"resources": {"requests": {"cpu": "1"}, "claims": [{"name": "x"}]}});
        apply(&mut c, "limits", &[res("memory=256Mi"), res("cpu=500m")]);
        apply(&mut c, "requests", &[res("cpu-")]);
        assert_eq!(
            c,
            json!({"resources": {"limits": {"memory": "256Mi", "cpu": "500m"}, "claims": [{"name": "x"}]}})
        );
    }
}
