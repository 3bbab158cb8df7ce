//! `KEY=VALUE` / `KEY-` flag values (labels, annotations, node selectors) and how several flags
//! that target the same map combine.

use std::str::FromStr;

use serde_json::Value;

use super::EditError;
use super::json;

/// What a `KEY=VALUE` flag value asks for one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KvOp {
    Set(String),
    Remove,
}

/// One lenient `KEY=VALUE` flag value: `KEY-` removes the key, a bare `KEY` sets it to "".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValueArg {
    pub key: String,
    pub op: KvOp,
    /// The value as typed, for messages.
    pub raw: String,
}

impl KeyValueArg {
    pub fn set(key: &str, value: &str) -> Self {
        Self {
            key: key.to_string(),
            op: KvOp::Set(value.to_string()),
            raw: format!("{key}={value}"),
        }
    }

    pub fn remove(key: &str) -> Self {
        Self {
            key: key.to_string(),
            op: KvOp::Remove,
            raw: format!("{key}-"),
        }
    }
}

impl FromStr for KeyValueArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let empty_key =
            || format!("the key is empty in \"{s}\"; expected KEY=VALUE, or KEY- to remove KEY");
        if s.is_empty() || s == "-" {
            return Err(empty_key());
        }
        match s.split_once('=') {
            Some(("", _)) => Err(empty_key()),
            Some((key, value)) => Ok(Self {
                key: key.to_string(),
                op: KvOp::Set(value.to_string()),
                raw: s.to_string(),
            }),
            None => match s.strip_suffix('-') {
                Some(key) => Ok(Self {
                    key: key.to_string(),
                    op: KvOp::Remove,
                    raw: s.to_string(),
                }),
                None => Ok(Self {
                    key: s.to_string(),
                    op: KvOp::Set(String::new()),
                    raw: s.to_string(),
                }),
            },
        }
    }
}

/// One strict `KEY=VALUE` value: the `=` is required (tolerations, node affinity, probe options).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictKeyValue {
    pub key: String,
    pub value: String,
}

impl FromStr for StrictKeyValue {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once('=') {
            Some(("", _)) => Err(format!("the key is empty in \"{s}\"; expected KEY=VALUE")),
            Some((key, value)) => Ok(Self {
                key: key.to_string(),
                value: value.to_string(),
            }),
            None => Err(format!(
                "argument requires a value that contains the \"=\" character; got \"{s}\""
            )),
        }
    }
}

/// kn rejects the same key set twice by one flag: `The key "k" has been duplicate in [k=1 k=2]`.
pub fn check_duplicates(flag: &str, args: &[KeyValueArg]) -> Result<(), EditError> {
    for (i, arg) in args.iter().enumerate() {
        if !matches!(arg.op, KvOp::Set(_)) || !arg.raw.contains('=') {
            continue;
        }
        let repeated = args[..i]
            .iter()
            .any(|earlier| earlier.key == arg.key && earlier.raw.contains('='));
        if repeated {
            let all: Vec<&str> = args.iter().map(|a| a.raw.as_str()).collect();
            return Err(EditError::new(format!(
                "Invalid {flag}: The key \"{}\" has been duplicate in [{}]",
                arg.key,
                all.join(" ")
            )));
        }
    }
    Ok(())
}

/// Combines flags aimed at one map; a later layer wins for a key it names (so
/// `--label-service` overrides `--label`). Keys keep the order they were first named in.
pub fn merge_layers(layers: &[&[KeyValueArg]]) -> Vec<(String, KvOp)> {
    let mut merged: Vec<(String, KvOp)> = Vec::new();
    for layer in layers {
        for arg in layer.iter() {
            match merged.iter_mut().find(|(key, _)| *key == arg.key) {
                Some(slot) => slot.1 = arg.op.clone(),
                None => merged.push((arg.key.clone(), arg.op.clone())),
            }
        }
    }
    merged
}

/// Applies merged operations to the string map `map_key` of an object's metadata.
pub fn apply_to_map(meta: &mut Value, map_key: &str, ops: &[(String, KvOp)]) {
    for (key, op) in ops {
        match op {
            KvOp::Set(value) => json::set_map_entry(meta, map_key, key, value),
            KvOp::Remove => json::remove_map_entry(meta, map_key, key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kv(s: &str) -> KeyValueArg {
        s.parse().unwrap()
    }

    #[test]
    fn lenient_forms() {
        assert_eq!(kv("a=b").op, KvOp::Set("b".into()));
        assert_eq!(kv("a=b=c").op, KvOp::Set("b=c".into()));
        assert_eq!(kv("a=").op, KvOp::Set(String::new()));
        assert_eq!(kv("a").op, KvOp::Set(String::new()));
        let removal = kv("a-");
        assert_eq!((removal.key.as_str(), removal.op), ("a", KvOp::Remove));
        // With a `=`, a trailing dash belongs to the key.
        assert_eq!(kv("a-=x").key, "a-");
    }

    #[test]
    fn lenient_rejects_empty_keys() {
        for bad in ["=v", "", "-"] {
            let err = bad.parse::<KeyValueArg>().unwrap_err();
            assert!(err.contains("the key is empty"), "{bad}: {err}");
        }
    }

    #[test]
    fn strict_requires_equals() {
        assert_eq!(
            "Key".parse::<StrictKeyValue>().unwrap_err(),
            "argument requires a value that contains the \"=\" character; got \"Key\""
        );
        let ok: StrictKeyValue = "Key=a=b".parse().unwrap();
        assert_eq!((ok.key.as_str(), ok.value.as_str()), ("Key", "a=b"));
    }

    #[test]
    fn duplicates_are_reported_like_kn() {
        let args = vec![kv("a=1"), kv("b=2"), kv("a=3")];
        assert_eq!(
            check_duplicates("--label", &args).unwrap_err().to_string(),
            "Invalid --label: The key \"a\" has been duplicate in [a=1 b=2 a=3]"
        );
        assert!(check_duplicates("--label", &[kv("a=1"), kv("a-")]).is_ok());
    }

    #[test]
    fn later_layers_win() {
        let general = vec![kv("a=1"), kv("b=2")];
        let specific = vec![kv("a-"), kv("c=3")];
        assert_eq!(
            merge_layers(&[&general, &specific]),
            vec![
                ("a".to_string(), KvOp::Remove),
                ("b".to_string(), KvOp::Set("2".into())),
                ("c".to_string(), KvOp::Set("3".into())),
            ]
        );
    }

    #[test]
    fn apply_to_map_sets_and_removes() {
        let mut meta = json!({"labels": {"old": "x", "keep": "y"}});
        apply_to_map(
            &mut meta,
            "labels",
            &merge_layers(&[&[kv("old-"), kv("new=z")]]),
        );
        assert_eq!(meta, json!({"labels": {"keep": "y", "new": "z"}}));
    }
}
