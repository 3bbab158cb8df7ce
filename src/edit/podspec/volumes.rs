//! `--mount` and `--volume`: mounts of the main container and the pod's volumes, with volume
//! names generated from the mount path for `cm:`/`secret:`/`ed:`/`pvc:` mounts.

use std::str::FromStr;

use serde_json::{Value, json};

use crate::edit::EditError;
use crate::edit::json;
use crate::edit::quantity::{canonical, is_quantity};

/// What a `--mount` mounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountSource {
    ConfigMap(String),
    Secret(String),
    EmptyDir,
    Pvc(String),
    /// A volume that exists in the pod spec (or is added with `--volume`).
    Volume(String),
}

/// `--mount PATH=SPEC` or `--mount PATH-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountArg {
    Set {
        path: String,
        source: MountSource,
        sub_path: Option<String>,
        read_only: Option<bool>,
    },
    Remove(String),
}

const MOUNT_FORMS: &str = "expected PATH=cm:NAME, PATH=secret:NAME, PATH=ed:NAME, PATH=pvc:CLAIM or PATH=VOLUME, optionally followed by /SUBPATH and :readOnly=true|false, or PATH- to unmount";

impl FromStr for MountArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let Some((path, spec)) = s.split_once('=') else {
            return match s.strip_suffix('-') {
                Some(path) if !path.is_empty() => Ok(Self::Remove(path.to_string())),
                _ => Err(format!(
                    "argument requires a value that contains the \"=\" character; got \"{s}\"; {MOUNT_FORMS}"
                )),
            };
        };
        if path.is_empty() {
            return Err(format!("the mount path is empty in \"{s}\"; {MOUNT_FORMS}"));
        }
        let (source, rest) = match spec.split_once(':') {
            None => (None, spec),
            Some((kind, rest)) => match kind {
                "config-map" | "cm" => (Some("cm"), rest),
                "secret" | "sc" => (Some("secret"), rest),
                "emptyDir" | "ed" => (Some("ed"), rest),
                "persistentVolumeClaim" | "pvc" => (Some("pvc"), rest),
                // `VOLUME:readOnly=true`: an existing volume with options.
                _ if rest.contains('=') => (None, spec),
                other => {
                    return Err(format!(
                        "unsupported volume type \"{other}\"; supported volume types are \"config-map or cm\", \"secret or sc\", \"emptyDir or ed\", \"persistentVolumeClaim or pvc\", or the name of a volume without a prefix"
                    ));
                }
            },
        };
        let (name_and_sub_path, options) = match rest.split_once(':') {
            Some((name, options)) => (name, Some(options)),
            None => (rest, None),
        };
        let (name, sub_path) = match name_and_sub_path.split_once('/') {
            Some((name, sub)) if !sub.is_empty() => (name, Some(sub.to_string())),
            Some((name, _)) => (name, None),
            None => (name_and_sub_path, None),
        };
        let read_only = options.map(parse_mount_options).transpose()?.flatten();
        if name.is_empty() && source != Some("ed") {
            return Err(format!(
                "the volume name is empty in \"{s}\"; {MOUNT_FORMS}"
            ));
        }
        let source = match source {
            Some("cm") => MountSource::ConfigMap(name.to_string()),
            Some("secret") => MountSource::Secret(name.to_string()),
            Some("ed") => MountSource::EmptyDir,
            Some(_) => MountSource::Pvc(name.to_string()),
            None => MountSource::Volume(name.to_string()),
        };
        Ok(Self::Set {
            path: path.to_string(),
            source,
            sub_path,
            read_only,
        })
    }
}

fn parse_mount_options(options: &str) -> Result<Option<bool>, String> {
    let mut read_only = None;
    for option in options.split(',') {
        let (key, value) = match option.split_once('=') {
            Some((key, value)) => (key, Some(value)),
            None => (option, None),
        };
        if !key.eq_ignore_ascii_case("readonly") {
            return Err(format!(
                "unknown mount option \"{key}\"; the only mount option is readOnly=true|false"
            ));
        }
        let Some(value) = value else {
            return Err(format!(
                "mount option \"{key}\" requires a value, for example readOnly=true"
            ));
        };
        read_only = Some(parse_go_bool(value).ok_or_else(|| {
            format!("invalid value \"{value}\" for mount option \"{key}\"; use true or false")
        })?);
    }
    Ok(read_only)
}

/// Go's `strconv.ParseBool` forms.
fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// The source of a `--volume`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeSource {
    ConfigMap(String),
    Secret(String),
    EmptyDir {
        medium: Option<String>,
        size_limit: Option<String>,
    },
    Pvc(String),
}

impl VolumeSource {
    fn to_json(&self) -> (&'static str, Value) {
        match self {
            Self::ConfigMap(name) => ("configMap", json!({ "name": name })),
            Self::Secret(name) => ("secret", json!({ "secretName": name })),
            Self::EmptyDir { medium, size_limit } => {
                let mut dir = json!({});
                if let Some(medium) = medium {
                    json::set(&mut dir, "medium", Value::String(medium.clone()));
                }
                if let Some(size) = size_limit {
                    json::set(&mut dir, "sizeLimit", Value::String(canonical(size)));
                }
                ("emptyDir", dir)
            }
            Self::Pvc(claim) => ("persistentVolumeClaim", json!({ "claimName": claim })),
        }
    }
}

/// The volume source keys knit knows; a re-pointed volume loses the old one.
const SOURCE_KEYS: [&str; 4] = ["configMap", "secret", "emptyDir", "persistentVolumeClaim"];

/// `--volume NAME=SPEC` or `--volume NAME-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeArg {
    Set { name: String, source: VolumeSource },
    Remove(String),
}

const VOLUME_FORMS: &str = "expected NAME=cm:CONFIGMAP, NAME=secret:SECRET, NAME=pvc:CLAIM or NAME=ed:NAME[:type=Memory,size=1Gi], or NAME- to remove";

impl FromStr for VolumeArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let Some((name, spec)) = s.split_once('=') else {
            return match s.strip_suffix('-') {
                Some(name) if !name.is_empty() => Ok(Self::Remove(name.to_string())),
                _ => Err(format!(
                    "argument requires a value that contains the \"=\" character; got \"{s}\"; {VOLUME_FORMS}"
                )),
            };
        };
        if name.is_empty() {
            return Err(format!(
                "the volume name is empty in \"{s}\"; {VOLUME_FORMS}"
            ));
        }
        let parts: Vec<&str> = spec.splitn(3, ':').collect();
        let source = match parts.as_slice() {
            [kind, source_name] => {
                let source_name = source_name.trim().to_string();
                let source = match kind.trim() {
                    "config-map" | "cm" => VolumeSource::ConfigMap(source_name.clone()),
                    "secret" | "sc" => VolumeSource::Secret(source_name.clone()),
                    "emptyDir" | "ed" => VolumeSource::EmptyDir {
                        medium: None,
                        size_limit: None,
                    },
                    "persistentVolumeClaim" | "pvc" => VolumeSource::Pvc(source_name.clone()),
                    other => return Err(unsupported_volume_type(other)),
                };
                if source_name.is_empty() {
                    return Err(format!(
                        "the name of {} cannot be an empty string",
                        kind.trim()
                    ));
                }
                source
            }
            [kind, _, options] => match kind.trim() {
                "emptyDir" | "ed" => parse_empty_dir_options(options)?,
                "config-map" | "cm" | "secret" | "sc" | "persistentVolumeClaim" | "pvc" => {
                    return Err(format!(
                        "incorrect mount details for type \"{}\"; only emptyDir takes options",
                        kind.trim()
                    ));
                }
                other => return Err(unsupported_volume_type(other)),
            },
            _ => {
                return Err(format!(
                    "argument requires a value that contains the \":\" character; got \"{spec}\"; {VOLUME_FORMS}"
                ));
            }
        };
        Ok(Self::Set {
            name: name.to_string(),
            source,
        })
    }
}

fn unsupported_volume_type(kind: &str) -> String {
    format!(
        "unsupported volume source type \"{kind}\"; supported volume source types are \"config-map or cm\", \"secret or sc\", \"emptyDir or ed\" and \"persistentVolumeClaim or pvc\""
    )
}

fn parse_empty_dir_options(options: &str) -> Result<VolumeSource, String> {
    let format_error = || {
        "incorrect format to specify emptyDir type; expected type=MEDIUM and/or size=QUANTITY, e.g. ed:NAME:type=Memory,size=1Gi"
            .to_string()
    };
    let (mut medium, mut size_limit) = (None, None);
    for option in options.split(',') {
        let (key, value) = option.split_once('=').ok_or_else(format_error)?;
        match key.to_ascii_lowercase().as_str() {
            "type" => {
                if medium.is_some() {
                    return Err("cannot repeat the key \"type\"".to_string());
                }
                medium = Some(value.to_string());
            }
            "size" => {
                if size_limit.is_some() {
                    return Err("cannot repeat the key \"size\"".to_string());
                }
                if !is_quantity(value) {
                    return Err(format!(
                        "invalid emptyDir size \"{value}\"; use a quantity such as 512Mi or 1Gi"
                    ));
                }
                size_limit = Some(value.to_string());
            }
            _ => return Err(format_error()),
        }
    }
    Ok(VolumeSource::EmptyDir { medium, size_limit })
}

/// The volume name kn generates for a mount path: lower-cased, `/` and other illegal characters
/// become `-`, then `-` and 8 hex digits of sha1(path); made a valid DNS label.
pub fn generate_volume_name(path: &str) -> String {
    let mut name = String::with_capacity(path.len() + 9);
    for (index, c) in path.char_indices() {
        match c {
            'a'..='z' | '0'..='9' | '-' => name.push(c),
            'A'..='Z' => name.push(c.to_ascii_lowercase()),
            '/' if index == 0 => {}
            _ => name.push('-'),
        }
    }
    let digest = sha1_smol::Sha1::from(path).digest().bytes();
    for byte in &digest[..4] {
        name.push_str(&format!("{byte:02x}"));
    }
    // The checksum is appended after a dash.
    let checksum_start = name.len() - 8;
    name.insert(checksum_start, '-');
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        name.insert_str(0, "k-");
    }
    if name.len() > 63 {
        name.truncate(61);
        name.push_str("-n");
    }
    name
}

fn volume_name_of(source: &MountSource, path: &str) -> String {
    match source {
        MountSource::Volume(name) => name.clone(),
        _ => generate_volume_name(path),
    }
}

fn read_only_default(volume: &Value) -> bool {
    !(volume.get("emptyDir").is_some() || volume.get("persistentVolumeClaim").is_some())
}

/// Applies `--mount` and `--volume` to the pod spec and its main container.
pub fn apply_mounts_and_volumes(
    pod_spec: &mut Value,
    container_index: usize,
    mounts: &[MountArg],
    volumes: &[VolumeArg],
) -> Result<(), EditError> {
    if mounts.is_empty() && volumes.is_empty() {
        return Ok(());
    }
    // Volumes to create or re-point: generated ones for typed mounts, then `--volume` ones.
    let mut wanted: Vec<(String, VolumeSource)> = Vec::new();
    let mut want =
        |name: String, source: VolumeSource| match wanted.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = source,
            None => wanted.push((name, source)),
        };
    for mount in mounts {
        if let MountArg::Set { path, source, .. } = mount {
            let volume = match source {
                MountSource::ConfigMap(name) => VolumeSource::ConfigMap(name.clone()),
                MountSource::Secret(name) => VolumeSource::Secret(name.clone()),
                MountSource::EmptyDir => VolumeSource::EmptyDir {
                    medium: None,
                    size_limit: None,
                },
                MountSource::Pvc(claim) => VolumeSource::Pvc(claim.clone()),
                MountSource::Volume(_) => continue,
            };
            want(generate_volume_name(path), volume);
        }
    }
    for volume in volumes {
        if let VolumeArg::Set { name, source } = volume {
            want(name.clone(), source.clone());
        }
    }

    {
        let list = json::array(pod_spec, "volumes");
        for (name, source) in &wanted {
            let (key, body) = source.to_json();
            match list
                .iter_mut()
                .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
            {
                Some(existing) => {
                    for other in SOURCE_KEYS {
                        json::remove(existing, other);
                    }
                    json::set(existing, key, body);
                }
                None => list.push(json!({ "name": name, key: body })),
            }
        }
    }

    let volume_list: Vec<Value> = pod_spec
        .get("volumes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let find_volume = |name: &str| {
        volume_list
            .iter()
            .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
    };

    let mut volumes_to_remove: Vec<String> = volumes
        .iter()
        .filter_map(|v| match v {
            VolumeArg::Remove(name) => Some(name.clone()),
            VolumeArg::Set { .. } => None,
        })
        .collect();

    let container = super::container_at(pod_spec, container_index);
    {
        let mount_list = json::array(container, "volumeMounts");
        for mount in mounts {
            let MountArg::Set {
                path,
                source,
                sub_path,
                read_only,
            } = mount
            else {
                continue;
            };
            let volume_name = volume_name_of(source, path);
            let Some(volume) = find_volume(&volume_name) else {
                return Err(EditError::new(format!(
                    "There is no volume matched with \"{volume_name}\""
                )));
            };
            let read_only = read_only.unwrap_or_else(|| read_only_default(volume));
            let entry = match mount_list
                .iter_mut()
                .find(|m| m.get("mountPath").and_then(Value::as_str) == Some(path))
            {
                Some(entry) => entry,
                None => {
                    mount_list.push(json!({ "mountPath": path }));
                    let last = mount_list.len() - 1;
                    &mut mount_list[last]
                }
            };
            json::set(entry, "name", Value::String(volume_name));
            if read_only {
                json::set(entry, "readOnly", Value::Bool(true));
            } else {
                json::remove(entry, "readOnly");
            }
            match sub_path {
                Some(sub) => json::set(entry, "subPath", Value::String(sub.clone())),
                None => {
                    json::remove(entry, "subPath");
                }
            }
        }
        for mount in mounts {
            let MountArg::Remove(path) = mount else {
                continue;
            };
            if let Some(index) = mount_list
                .iter()
                .position(|m| m.get("mountPath").and_then(Value::as_str) == Some(path))
            {
                let removed = mount_list.remove(index);
                let name = removed.get("name").and_then(Value::as_str).unwrap_or("");
                if name == generate_volume_name(path) {
                    volumes_to_remove.push(name.to_string());
                }
            }
        }
    }
    json::prune_empty(container, "volumeMounts");

    if !volumes_to_remove.is_empty() {
        let mounted: Vec<String> = pod_spec
            .get("containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.get("volumeMounts").and_then(Value::as_array))
            .flatten()
            .filter_map(|m| m.get("name").and_then(Value::as_str).map(str::to_string))
            .collect();
        if let Some(busy) = volumes_to_remove.iter().find(|n| mounted.contains(n)) {
            return Err(EditError::new(format!(
                "The volume \"{busy}\" cannot be removed because it is mounted"
            )));
        }
        let list = json::array(pod_spec, "volumes");
        list.retain(|v| {
            let name = v.get("name").and_then(Value::as_str).unwrap_or("");
            !volumes_to_remove.iter().any(|r| r == name)
        });
    }
    json::prune_empty(pod_spec, "volumes");
    Ok(())
}

#[cfg(test)]
#[path = "volumes_tests.rs"]
mod tests;
