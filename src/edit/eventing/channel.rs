//! Channel types (`channel create --type`, `subscription create --channel`): the built-in `imc`
//! alias, configured aliases, or explicit `Group:Version:Kind`; and the new Channel object.

use std::str::FromStr;

use serde_json::{Value, json};

use crate::edit::EditError;
use crate::edit::json;

/// A channel kind: group, version and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelKind {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl ChannelKind {
    pub fn new(group: &str, version: &str, kind: &str) -> Self {
        ChannelKind {
            group: group.to_string(),
            version: version.to_string(),
            kind: kind.to_string(),
        }
    }

    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

/// Channel type aliases; a later entry for an alias wins (configuration over built-ins).
#[derive(Debug, Clone)]
pub struct ChannelTypeMappings {
    entries: Vec<(String, ChannelKind)>,
}

impl Default for ChannelTypeMappings {
    fn default() -> Self {
        Self::builtin()
    }
}

impl ChannelTypeMappings {
    /// kn's built-in alias: `imc` = `messaging.knative.dev/v1` InMemoryChannel.
    pub fn builtin() -> Self {
        ChannelTypeMappings {
            entries: vec![(
                "imc".to_string(),
                ChannelKind::new("messaging.knative.dev", "v1", "InMemoryChannel"),
            )],
        }
    }

    pub fn with(mut self, alias: &str, kind: ChannelKind) -> Self {
        self.entries.push((alias.to_string(), kind));
        self
    }

    pub fn lookup(&self, alias: &str) -> Option<&ChannelKind> {
        self.entries
            .iter()
            .rev()
            .find(|(a, _)| a == alias)
            .map(|(_, k)| k)
    }
}

/// `channel create --type`: an alias or `Group:Version:Kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelTypeArg {
    Alias(String),
    Kind(ChannelKind),
}

impl FromStr for ChannelTypeArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split(':').collect();
        match parts.as_slice() {
            [alias] if !alias.is_empty() => Ok(ChannelTypeArg::Alias(alias.to_string())),
            [g, v, k] if !g.is_empty() && !v.is_empty() && !k.is_empty() => {
                Ok(ChannelTypeArg::Kind(ChannelKind::new(g, v, k)))
            }
            _ => Err(format!(
                "incorrect value '{s}' for '--type', must be in the format 'Group:Version:Kind' or configure an alias in kn config"
            )),
        }
    }
}

impl ChannelTypeArg {
    /// The channel kind, with aliases looked up.
    pub fn resolve(&self, mappings: &ChannelTypeMappings) -> Result<ChannelKind, EditError> {
        match self {
            ChannelTypeArg::Kind(kind) => Ok(kind.clone()),
            ChannelTypeArg::Alias(alias) => mappings
                .lookup(alias)
                .cloned()
                .ok_or_else(|| EditError::new(format!("unknown channel type alias: '{alias}'"))),
        }
    }
}

/// `subscription create --channel`: `NAME`, `ALIAS:NAME` or `Group:Version:Kind:Name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelRefArg {
    Name(String),
    Alias(String, String),
    Full(ChannelKind, String),
}

impl FromStr for ChannelRefArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split(':').collect();
        match parts.as_slice() {
            [name] if !name.is_empty() => Ok(ChannelRefArg::Name(name.to_string())),
            [alias, name] if !alias.is_empty() && !name.is_empty() => {
                Ok(ChannelRefArg::Alias(alias.to_string(), name.to_string()))
            }
            [g, v, k, name] if [g, v, k, name].iter().all(|p| !p.is_empty()) => Ok(
                ChannelRefArg::Full(ChannelKind::new(g, v, k), name.to_string()),
            ),
            _ => Err(format!(
                "incorrect value '{s}' for '--channel', must be in the format 'Group:Version:Kind:Name' or configure an alias in kn config and refer as: '--channel ALIAS:NAME'"
            )),
        }
    }
}

impl ChannelRefArg {
    /// The `spec.channel` reference of a Subscription.
    pub fn resolve(&self, mappings: &ChannelTypeMappings) -> Result<Value, EditError> {
        let (kind, name) = match self {
            ChannelRefArg::Name(name) => (
                ChannelKind::new("messaging.knative.dev", "v1", "Channel"),
                name,
            ),
            ChannelRefArg::Alias(alias, name) => match mappings.lookup(alias) {
                Some(kind) => (kind.clone(), name),
                None => {
                    return Err(EditError::new(format!(
                        "unknown alias '{alias}' for '--channel', please configure the alias in kn config or specify in the format '--channel Group:Version:Kind:Name'"
                    )));
                }
            },
            ChannelRefArg::Full(kind, name) => (kind.clone(), name),
        };
        Ok(json!({"apiVersion": kind.api_version(), "kind": kind.kind, "name": name}))
    }
}

/// A new Channel; without a type the cluster's default channel template applies.
pub fn new_channel(name: &str, namespace: &str, kind: Option<&ChannelKind>) -> Value {
    let mut channel = super::new_object("messaging.knative.dev/v1", "Channel", name, namespace);
    if let Some(kind) = kind {
        json::set(
            super::spec(&mut channel),
            "channelTemplate",
            json!({"apiVersion": kind.api_version(), "kind": kind.kind}),
        );
    }
    channel
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_types() {
        let m = ChannelTypeMappings::builtin();
        let imc: ChannelTypeArg = "imc".parse().unwrap();
        assert_eq!(
            imc.resolve(&m).unwrap(),
            ChannelKind::new("messaging.knative.dev", "v1", "InMemoryChannel")
        );
        let kafka: ChannelTypeArg = "messaging.knative.dev:v1beta1:KafkaChannel"
            .parse()
            .unwrap();
        assert_eq!(
            kafka.resolve(&m).unwrap().api_version(),
            "messaging.knative.dev/v1beta1"
        );
        assert_eq!(
            "natss"
                .parse::<ChannelTypeArg>()
                .unwrap()
                .resolve(&m)
                .unwrap_err()
                .to_string(),
            "unknown channel type alias: 'natss'"
        );
        for bad in ["foo::bar", "foo:bar:baz:bat", "a:b", ""] {
            assert_eq!(
                bad.parse::<ChannelTypeArg>().unwrap_err(),
                format!(
                    "incorrect value '{bad}' for '--type', must be in the format 'Group:Version:Kind' or configure an alias in kn config"
                )
            );
        }
        let custom = m.with(
            "kafka",
            ChannelKind::new("messaging.knative.dev", "v1alpha1", "KafkaChannel"),
        );
        assert_eq!(
            "kafka"
                .parse::<ChannelTypeArg>()
                .unwrap()
                .resolve(&custom)
                .unwrap()
                .kind,
            "KafkaChannel"
        );
    }

    #[test]
    fn channel_refs() {
        let m = ChannelTypeMappings::builtin();
        let r = |s: &str| s.parse::<ChannelRefArg>().unwrap().resolve(&m);
        assert_eq!(
            r("pipe").unwrap(),
            json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "name": "pipe"})
        );
        assert_eq!(
            r("imc:pipe").unwrap(),
            json!({"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel", "name": "pipe"})
        );
        assert_eq!(
            r("messaging.knative.dev:v1beta1:KafkaChannel:k1").unwrap(),
            json!({"apiVersion": "messaging.knative.dev/v1beta1", "kind": "KafkaChannel", "name": "k1"})
        );
        assert_eq!(
            r("imcv1beta1:pipe").unwrap_err().to_string(),
            "unknown alias 'imcv1beta1' for '--channel', please configure the alias in kn config or specify in the format '--channel Group:Version:Kind:Name'"
        );
        assert_eq!(
            "a:b:c".parse::<ChannelRefArg>().unwrap_err(),
            "incorrect value 'a:b:c' for '--channel', must be in the format 'Group:Version:Kind:Name' or configure an alias in kn config and refer as: '--channel ALIAS:NAME'"
        );
    }

    #[test]
    fn new_channels() {
        assert_eq!(
            new_channel("pipe", "ns", None),
            json!({"apiVersion": "messaging.knative.dev/v1", "kind": "Channel", "metadata": {"name": "pipe", "namespace": "ns"}, "spec": {}})
        );
        let kind = ChannelKind::new("messaging.knative.dev", "v1", "InMemoryChannel");
        assert_eq!(
            new_channel("pipe", "ns", Some(&kind))["spec"],
            json!({"channelTemplate": {"apiVersion": "messaging.knative.dev/v1", "kind": "InMemoryChannel"}})
        );
    }
}
