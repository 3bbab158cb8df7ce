//! Environment edits of a container: `--env`, `--env-value-from`, `--env-file` (merged in
//! command-line order) and `--env-from`.

use std::str::FromStr;

use serde_json::{Value, json};

use crate::edit::json;

/// `--env NAME=value` or `--env NAME-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvArg {
    Set { name: String, value: String },
    Remove(String),
}

impl FromStr for EnvArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once('=') {
            Some(("", _)) => Err(format!(
                "the variable name is empty in \"{s}\"; expected NAME=value, or NAME- to remove NAME"
            )),
            Some((name, value)) => Ok(Self::Set {
                name: name.to_string(),
                value: value.to_string(),
            }),
            None => match s.strip_suffix('-') {
                Some(name) if !name.is_empty() => Ok(Self::Remove(name.to_string())),
                _ => Err(format!(
                    "argument requires a value that contains the \"=\" character; got \"{s}\""
                )),
            },
        }
    }
}

/// Where `--env-value-from` takes a value from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRef {
    ConfigMap { name: String, key: String },
    Secret { name: String, key: String },
}

impl KeyRef {
    fn to_json(&self) -> Value {
        match self {
            Self::ConfigMap { name, key } => json!({"configMapKeyRef": {"name": name, "key": key}}),
            Self::Secret { name, key } => json!({"secretKeyRef": {"name": name, "key": key}}),
        }
    }
}

impl FromStr for KeyRef {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.splitn(3, ':').collect();
        let [kind, name, key] = parts.as_slice() else {
            return Err(format!(
                "argument requires a value in form \"resourceType:name:key\" where \"resourceType\" can be one of \"config-map\" (\"cm\") or \"secret\" (\"sc\"); got \"{s}\""
            ));
        };
        let (name, key) = (name.trim().to_string(), key.trim().to_string());
        let (kind_name, reference) = match kind.trim() {
            "config-map" | "cm" => (
                "ConfigMap",
                Self::ConfigMap {
                    name: name.clone(),
                    key: key.clone(),
                },
            ),
            "secret" | "sc" => (
                "Secret",
                Self::Secret {
                    name: name.clone(),
                    key: key.clone(),
                },
            ),
            other => {
                return Err(format!(
                    "unsupported env source type \"{other}\"; supported source types are \"config-map\" (\"cm\") and \"secret\" (\"sc\")"
                ));
            }
        };
        if name.is_empty() {
            return Err(format!("the name of {kind_name} cannot be an empty string"));
        }
        if key.is_empty() {
            return Err(format!(
                "the key referenced by resource {kind_name} \"{name}\" cannot be an empty string"
            ));
        }
        Ok(reference)
    }
}

/// `--env-value-from NAME=cm:CONFIGMAP:KEY` or `--env-value-from NAME-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvValueFromArg {
    Set { name: String, source: KeyRef },
    Remove(String),
}

impl FromStr for EnvValueFromArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match EnvArg::from_str(s)? {
            EnvArg::Set { name, value } => Ok(Self::Set {
                name,
                source: value.parse()?,
            }),
            EnvArg::Remove(name) => Ok(Self::Remove(name)),
        }
    }
}

/// One of the ordered env sources of a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvOp {
    Env(EnvArg),
    ValueFrom(EnvValueFromArg),
    /// The entries of an `--env-file`, at the position of the flag.
    File(Vec<EnvArg>),
}

/// Parses the content of an `--env-file`: `NAME=value` lines, `NAME-` removals, blank lines and
/// `#` comments skipped.
pub fn parse_env_file(content: &str) -> Result<Vec<EnvArg>, String> {
    content
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(EnvArg::from_str)
        .collect()
}

/// `--env-from cm:NAME`, `--env-from secret:NAME`, with a trailing `-` to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvFromArg {
    pub secret: bool,
    pub name: String,
    pub remove: bool,
}

impl FromStr for EnvFromArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "-" {
            return Err("\"-\" is not a valid value for \"--env-from\"".to_string());
        }
        let (spec, remove) = match s.strip_suffix('-') {
            Some(spec) => (spec, true),
            None => (s, false),
        };
        let Some((kind, name)) = spec.split_once(':') else {
            return Err(format!(
                "argument requires a value that contains the \":\" character; got \"{s}\"; expected cm:NAME or secret:NAME"
            ));
        };
        let secret = match kind.trim() {
            "config-map" | "cm" => false,
            "secret" | "sc" => true,
            other => {
                return Err(format!(
                    "unsupported env-from source type \"{other}\"; supported source types are \"config-map\" (\"cm\") and \"secret\" (\"sc\")"
                ));
            }
        };
        let name = name.trim();
        if name.is_empty() {
            let kind = if secret { "secret" } else { "config-map" };
            return Err(format!("the name of {kind} cannot be an empty string"));
        }
        Ok(Self {
            secret,
            name: name.to_string(),
            remove,
        })
    }
}

/// What one env var name ends up as, after all sources of a command line.
#[derive(Debug, Clone)]
enum NewValue {
    Plain(String),
    From(Value),
}

/// Applies the env sources in command-line order: existing variables keep their position and
/// get new values, new ones are appended, removals are applied last.
pub fn apply_env(container: &mut Value, ops: &[EnvOp]) {
    let mut updates: Vec<(String, NewValue)> = Vec::new();
    let mut removals: Vec<String> = Vec::new();
    for op in ops {
        match op {
            EnvOp::Env(arg) => record_plain(arg, &mut updates, &mut removals),
            EnvOp::File(args) => {
                for arg in args {
                    record_plain(arg, &mut updates, &mut removals);
                }
            }
            EnvOp::ValueFrom(EnvValueFromArg::Set { name, source }) => {
                record(&mut updates, name, NewValue::From(source.to_json()))
            }
            EnvOp::ValueFrom(EnvValueFromArg::Remove(name)) => removals.push(name.clone()),
        }
    }
    if updates.is_empty() && removals.is_empty() {
        return;
    }

    let env = json::array(container, "env");
    for (name, value) in &updates {
        let existing = env
            .iter_mut()
            .find(|entry| entry.get("name").and_then(Value::as_str) == Some(name));
        match existing {
            Some(entry) => set_env_value(entry, value),
            None => {
                let mut entry = json!({ "name": name });
                set_env_value(&mut entry, value);
                env.push(entry);
            }
        }
    }
    env.retain(|entry| {
        let name = entry.get("name").and_then(Value::as_str).unwrap_or("");
        !removals.iter().any(|removed| removed == name)
    });
    json::prune_empty(container, "env");
}

fn record(updates: &mut Vec<(String, NewValue)>, name: &str, value: NewValue) {
    match updates.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => slot.1 = value,
        None => updates.push((name.to_string(), value)),
    }
}

fn record_plain(arg: &EnvArg, updates: &mut Vec<(String, NewValue)>, removals: &mut Vec<String>) {
    match arg {
        EnvArg::Set { name, value } => record(updates, name, NewValue::Plain(value.clone())),
        EnvArg::Remove(name) => removals.push(name.clone()),
    }
}

fn set_env_value(entry: &mut Value, value: &NewValue) {
    match value {
        NewValue::Plain(v) => {
            json::remove(entry, "valueFrom");
            if v.is_empty() {
                json::remove(entry, "value");
            } else {
                json::set(entry, "value", Value::String(v.clone()));
            }
        }
        NewValue::From(source) => {
            json::remove(entry, "value");
            json::set(entry, "valueFrom", source.clone());
        }
    }
}

/// Adds `--env-from` sources not present yet, then removes the ones asked for.
pub fn apply_env_from(container: &mut Value, args: &[EnvFromArg]) {
    if args.is_empty() {
        return;
    }
    let matches = |entry: &Value, arg: &EnvFromArg| {
        let key = if arg.secret {
            "secretRef"
        } else {
            "configMapRef"
        };
        json::get_str(entry, &[key, "name"]) == Some(arg.name.as_str())
    };
    let list = json::array(container, "envFrom");
    for arg in args.iter().filter(|a| !a.remove) {
        if !list.iter().any(|entry| matches(entry, arg)) {
            let key = if arg.secret {
                "secretRef"
            } else {
                "configMapRef"
            };
            list.push(json!({ key: { "name": arg.name } }));
        }
    }
    for arg in args.iter().filter(|a| a.remove) {
        if let Some(index) = list.iter().position(|entry| matches(entry, arg)) {
            list.remove(index);
        }
    }
    json::prune_empty(container, "envFrom");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(s: &str) -> EnvOp {
        EnvOp::Env(s.parse().unwrap())
    }

    fn value_from(s: &str) -> EnvOp {
        EnvOp::ValueFrom(s.parse().unwrap())
    }

    #[test]
    fn env_arg_forms_and_errors() {
        assert_eq!(
            "A=b=c".parse::<EnvArg>().unwrap(),
            EnvArg::Set {
                name: "A".into(),
                value: "b=c".into()
            }
        );
        assert_eq!("A-".parse::<EnvArg>().unwrap(), EnvArg::Remove("A".into()));
        assert_eq!(
            "A".parse::<EnvArg>().unwrap_err(),
            "argument requires a value that contains the \"=\" character; got \"A\""
        );
        assert!(
            "=x".parse::<EnvArg>()
                .unwrap_err()
                .contains("variable name is empty")
        );
    }

    #[test]
    fn key_ref_forms_and_errors() {
        assert_eq!(
            "cm:conf:key".parse::<KeyRef>().unwrap(),
            KeyRef::ConfigMap {
                name: "conf".into(),
                key: "key".into()
            }
        );
        assert_eq!(
            "secret:s:k:with:colons".parse::<KeyRef>().unwrap(),
            KeyRef::Secret {
                name: "s".into(),
                key: "k:with:colons".into()
            }
        );
        assert_eq!(
            "cm:conf".parse::<KeyRef>().unwrap_err(),
            "argument requires a value in form \"resourceType:name:key\" where \"resourceType\" can be one of \"config-map\" (\"cm\") or \"secret\" (\"sc\"); got \"cm:conf\""
        );
        assert_eq!(
            "foo:a:b".parse::<KeyRef>().unwrap_err(),
            "unsupported env source type \"foo\"; supported source types are \"config-map\" (\"cm\") and \"secret\" (\"sc\")"
        );
        assert_eq!(
            "sc::k".parse::<KeyRef>().unwrap_err(),
            "the name of Secret cannot be an empty string"
        );
        assert_eq!(
            "cm:n:".parse::<KeyRef>().unwrap_err(),
            "the key referenced by resource ConfigMap \"n\" cannot be an empty string"
        );
    }

    #[test]
    fn env_from_forms_and_errors() {
        let arg: EnvFromArg = "config-map:conf-".parse().unwrap();
        assert_eq!(
            (arg.secret, arg.name.as_str(), arg.remove),
            (false, "conf", true)
        );
        assert!("sc:s".parse::<EnvFromArg>().unwrap().secret);
        assert_eq!(
            "-".parse::<EnvFromArg>().unwrap_err(),
            "\"-\" is not a valid value for \"--env-from\""
        );
        assert!(
            "ed:x"
                .parse::<EnvFromArg>()
                .unwrap_err()
                .contains("unsupported")
        );
        assert!("conf".parse::<EnvFromArg>().unwrap_err().contains("\":\""));
    }

    #[test]
    fn existing_vars_keep_position_new_ones_append_in_order() {
        let mut c = json!({"env": [
            {"name": "A", "value": "1"},
            {"name": "B", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}, "x-unknown": true}
        ]});
        apply_env(
            &mut c,
            &[
                env("Z=26"),
                value_from("B=cm:conf:b"),
                EnvOp::File(parse_env_file("Y=25\n\n# comment\nA=one\n").unwrap()),
                env("X=24"),
            ],
        );
        assert_eq!(
            c,
            json!({"env": [
                {"name": "A", "value": "one"},
                {"name": "B", "valueFrom": {"configMapKeyRef": {"name": "conf", "key": "b"}}, "x-unknown": true},
                {"name": "Z", "value": "26"},
                {"name": "Y", "value": "25"},
                {"name": "X", "value": "24"}
            ]})
        );
    }

    #[test]
    fn later_source_wins_and_removals_come_last() {
        let mut c = json!({"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]});
        apply_env(
            &mut c,
            &[
                env("C=1"),
                env("C=2"),
                env("A-"),
                value_from("D=sc:s:k"),
                EnvOp::File(vec![EnvArg::Remove("B".into())]),
                env("A=back"),
            ],
        );
        assert_eq!(
            c,
            json!({"env": [
                {"name": "C", "value": "2"},
                {"name": "D", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}
            ]})
        );
    }

    #[test]
    fn plain_value_replaces_value_from_and_empty_value_is_omitted() {
        let mut c = json!({"env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]});
        apply_env(&mut c, &[env("A=")]);
        assert_eq!(c, json!({"env": [{"name": "A"}]}));
        apply_env(&mut c, &[env("A-")]);
        assert_eq!(c, json!({}));
    }

    #[test]
    fn env_file_errors_name_the_line() {
        assert_eq!(
            parse_env_file("A=1\nBAD\n").unwrap_err(),
            "argument requires a value that contains the \"=\" character; got \"BAD\""
        );
    }

    #[test]
    fn env_from_adds_once_and_removes() {
        let mut c = json!({"envFrom": [{"configMapRef": {"name": "a"}, "prefix": "P_"}]});
        let args: Vec<EnvFromArg> = ["cm:a", "secret:b", "cm:c", "cm:c-"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        apply_env_from(&mut c, &args);
        assert_eq!(
            c,
            json!({"envFrom": [
                {"configMapRef": {"name": "a"}, "prefix": "P_"},
                {"secretRef": {"name": "b"}}
            ]})
        );
        let remove: Vec<EnvFromArg> = ["cm:a-", "sc:b-"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        apply_env_from(&mut c, &remove);
        assert_eq!(c, json!({}));
    }
}
