//! `--profile`: named sets of revision annotations and service labels, built in or from the
//! config file (which wins for the same name).

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One `name`/`value` pair of a profile, as the config file spells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameValue {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// A profile: annotations go to the revision template, labels to the Service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub annotations: Vec<NameValue>,
    #[serde(default)]
    pub labels: Vec<NameValue>,
}

impl Profile {
    pub fn is_empty(&self) -> bool {
        self.annotations.is_empty() && self.labels.is_empty()
    }
}

/// Profiles by name.
pub type Profiles = BTreeMap<String, Profile>;

fn pair(name: &str, value: &str) -> NameValue {
    NameValue {
        name: name.to_string(),
        value: value.to_string(),
    }
}

/// kn's one built-in profile, `istio`: three revision-template annotations, no labels (what
/// kn v1.15.0 writes; tests/differential case profile-and-env-files).
pub fn builtin() -> Profiles {
    Profiles::from([(
        "istio".to_string(),
        Profile {
            annotations: vec![
                pair("sidecar.istio.io/inject", "true"),
                pair("sidecar.istio.io/rewriteAppHTTPProbers", "true"),
                pair("serving.knative.openshift.io/enablePassthrough", "true"),
            ],
            labels: vec![],
        },
    )])
}

/// The built-in profiles overlaid with the config file's (same name: config wins).
pub fn merged(from_config: &Profiles) -> Profiles {
    let mut all = builtin();
    all.extend(from_config.iter().map(|(k, v)| (k.clone(), v.clone())));
    all
}

/// `--profile NAME` applies a profile, `--profile NAME-` removes what it sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileArg {
    pub name: String,
    pub remove: bool,
}

impl FromStr for ProfileArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, remove) = match s.strip_suffix('-') {
            Some(name) => (name, true),
            None => (s, false),
        };
        if name.is_empty() {
            return Err("the profile name is empty; use --profile NAME or --profile NAME-".into());
        }
        Ok(Self {
            name: name.to_string(),
            remove,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn istio_is_built_in() {
        let istio = &builtin()["istio"];
        assert!(istio.labels.is_empty());
        assert_eq!(
            istio.annotations[0],
            pair("sidecar.istio.io/inject", "true")
        );
        assert_eq!(istio.annotations.len(), 3);
    }

    #[test]
    fn config_overrides_builtin() {
        let config = Profiles::from([
            ("istio".to_string(), Profile::default()),
            (
                "mine".to_string(),
                Profile {
                    annotations: vec![],
                    labels: vec![pair("a", "b")],
                },
            ),
        ]);
        let all = merged(&config);
        assert!(all["istio"].is_empty());
        assert_eq!(all["mine"].labels, vec![pair("a", "b")]);
    }

    #[test]
    fn arg_forms() {
        assert_eq!(
            "istio-".parse::<ProfileArg>().unwrap(),
            ProfileArg {
                name: "istio".into(),
                remove: true
            }
        );
        assert!("-".parse::<ProfileArg>().is_err());
    }

    #[test]
    fn config_file_shape_deserializes() {
        let yaml = "annotations:\n- name: a\n  value: b\nlabels:\n- name: c\n  value: d\n";
        let profile: Profile = serde_saphyr::from_str(yaml).unwrap();
        assert_eq!(profile.annotations, vec![pair("a", "b")]);
        assert_eq!(profile.labels, vec![pair("c", "d")]);
    }
}
