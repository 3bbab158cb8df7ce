//! `--target PATH`: work on Service files instead of a cluster (kn's GitOps mode).
//!
//! A PATH ending in `.yaml`, `.yml` or `.json` is one file holding one Service; any other PATH is
//! a directory holding `PATH/<namespace>/ksvc/<name>.yaml`. Nothing here touches the network.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::client::kinds::SERVICE;
use crate::error::{ApiStatus, Error, Result};
use crate::output::structured::{to_go_json, to_yaml};

/// How a file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// Where `--target` points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One file with one Service.
    File { path: PathBuf, format: Format },
    /// A directory tree `<namespace>/ksvc/<name>.yaml`.
    Dir(PathBuf),
}

/// Refuses a Service name a cluster would refuse, with the cluster's words: the API server's
/// DNS-1123 subdomain rule (422) first, then Knative's DNS-1035 label rule (webhook, 400).
pub fn check_service_name(name: &str) -> Result<()> {
    let label_shape = |s: &str| {
        let lower_alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
        !s.is_empty()
            && s.chars().all(|c| lower_alnum(c) || c == '-')
            && s.chars().next().is_some_and(lower_alnum)
            && s.chars().last().is_some_and(lower_alnum)
    };
    let quoted = format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""));
    let mut subdomain = Vec::new();
    if name.len() > 253 {
        subdomain.push("must be no more than 253 characters");
    }
    if !name.split('.').all(label_shape) {
        subdomain.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }
    if !subdomain.is_empty() {
        let causes: Vec<String> = subdomain
            .iter()
            .map(|m| format!("metadata.name: Invalid value: {quoted}: {m}"))
            .collect();
        let joined = if causes.len() == 1 {
            causes[0].clone()
        } else {
            format!("[{}]", causes.join(", "))
        };
        return Err(Error::failed(format!(
            "Service.serving.knative.dev {quoted} is invalid: {joined}"
        )));
    }
    let mut label = Vec::new();
    if name.len() > 63 {
        label.push("must be no more than 63 characters");
    }
    if !(label_shape(name) && name.starts_with(|c: char| c.is_ascii_lowercase())) {
        label.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    }
    if !label.is_empty() {
        return Err(Error::failed(format!(
            "admission webhook \"validation.webhook.serving.knative.dev\" denied the request: validation failed: not a DNS 1035 label: [{}]: metadata.name",
            label.join(" ")
        )));
    }
    Ok(())
}

/// `services.serving.knative.dev "<name>" not found`, as the API server words it.
pub fn not_found(name: &str) -> Error {
    Error::Api(ApiStatus {
        code: 404,
        reason: "NotFound".to_string(),
        message: format!("{} \"{name}\" not found", SERVICE.group_resource()),
        name: Some(name.to_string()),
    })
}

fn name_of(service: &Value) -> &str {
    service
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn parse(text: &str, path: &Path) -> Result<Value> {
    serde_saphyr::from_str(text)
        .map_err(|e| Error::failed(format!("cannot read {}: {e}", path.display())))
}

impl Target {
    pub fn new(path: &Path) -> Self {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("yaml" | "yml") => Target::File {
                path: path.to_path_buf(),
                format: Format::Yaml,
            },
            Some("json") => Target::File {
                path: path.to_path_buf(),
                format: Format::Json,
            },
            _ => Target::Dir(path.to_path_buf()),
        }
    }

    fn service_path(&self, namespace: &str, name: &str) -> PathBuf {
        match self {
            Target::File { path, .. } => path.clone(),
            Target::Dir(dir) => dir
                .join(namespace)
                .join("ksvc")
                .join(format!("{name}.yaml")),
        }
    }

    /// The Service called `name`, `None` when there is none.
    pub fn read_service(&self, namespace: &str, name: &str) -> Result<Option<Value>> {
        let path = self.service_path(namespace, name);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Error::failed(format!(
                    "cannot read {}: {e}",
                    path.display()
                )));
            }
        };
        let service = parse(&text, &path)?;
        // A file target holds one Service; another name means this one is not there.
        Ok((name_of(&service) == name).then_some(service))
    }

    /// Writes a Service, creating missing directories (the directory root must exist).
    pub fn write_service(&self, namespace: &str, service: &Value) -> Result<()> {
        let name = name_of(service);
        let path = self.service_path(namespace, name);
        let format = match self {
            Target::File { format, .. } => *format,
            Target::Dir(root) => {
                if !root.is_dir() {
                    return Err(Error::failed(format!(
                        "directory '{}' not present, please create the directory and try again",
                        root.display()
                    )));
                }
                Format::Yaml
            }
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::failed(format!("cannot create {}: {e}", parent.display())))?;
        }
        let text = match format {
            Format::Yaml => to_yaml(service)?,
            Format::Json => to_go_json(service)?,
        };
        std::fs::write(&path, text)
            .map_err(|e| Error::failed(format!("cannot write {}: {e}", path.display())))
    }

    /// Removes the Service's file.
    pub fn delete_service(&self, namespace: &str, name: &str) -> Result<()> {
        if self.read_service(namespace, name)?.is_none() {
            return Err(not_found(name));
        }
        let path = self.service_path(namespace, name);
        std::fs::remove_file(&path)
            .map_err(|e| Error::failed(format!("cannot remove {}: {e}", path.display())))
    }

    /// The Services under the target: of one namespace, or (`None`) of all.
    pub fn list_services(&self, namespace: Option<&str>) -> Result<Vec<Value>> {
        let root = match self {
            Target::File { path, .. } => {
                return match std::fs::read_to_string(path) {
                    Ok(text) => Ok(vec![parse(&text, path)?]),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
                    Err(e) => Err(Error::failed(format!(
                        "cannot read {}: {e}",
                        path.display()
                    ))),
                };
            }
            Target::Dir(root) => root,
        };
        let namespaces: Vec<PathBuf> = match namespace {
            Some(ns) => vec![root.join(ns)],
            None => read_dir_sorted(root)?
                .into_iter()
                .filter(|p| p.is_dir())
                .collect(),
        };
        let mut services = Vec::new();
        for ns_dir in namespaces {
            // Only `<namespace>/ksvc/*.yaml`, not any path that merely contains "ksvc".
            let ksvc = ns_dir.join("ksvc");
            if !ksvc.is_dir() {
                continue;
            }
            for file in read_dir_sorted(&ksvc)? {
                if file.extension().is_some_and(|e| e == "yaml") && file.is_file() {
                    let text = std::fs::read_to_string(&file).map_err(|e| {
                        Error::failed(format!("cannot read {}: {e}", file.display()))
                    })?;
                    services.push(parse(&text, &file)?);
                }
            }
        }
        Ok(services)
    }
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::failed(format!("cannot read {}: {e}", dir.display()))),
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn svc(name: &str) -> Value {
        json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": name, "namespace": "ns"}, "spec": {}})
    }

    #[test]
    fn target_kind_follows_the_extension() {
        assert!(matches!(
            Target::new(Path::new("a/b.yml")),
            Target::File {
                format: Format::Yaml,
                ..
            }
        ));
        assert!(matches!(
            Target::new(Path::new("b.JSON")),
            Target::File {
                format: Format::Json,
                ..
            }
        ));
        assert!(matches!(Target::new(Path::new("dir")), Target::Dir(_)));
    }

    #[test]
    fn directory_mode_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let target = Target::new(dir.path());
        target.write_service("ns", &svc("a")).unwrap();
        target.write_service("ns", &svc("b")).unwrap();
        assert!(dir.path().join("ns/ksvc/a.yaml").is_file());
        assert_eq!(target.read_service("ns", "a").unwrap(), Some(svc("a")));
        assert_eq!(target.read_service("other", "a").unwrap(), None);
        let names: Vec<String> = target
            .list_services(None)
            .unwrap()
            .iter()
            .map(|s| name_of(s).to_string())
            .collect();
        assert_eq!(names, vec!["a", "b"]);
        target.delete_service("ns", "a").unwrap();
        assert_eq!(
            target.delete_service("ns", "a").unwrap_err().to_string(),
            "services.serving.knative.dev \"a\" not found"
        );
    }

    #[test]
    fn a_missing_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let err = Target::new(&missing)
            .write_service("ns", &svc("a"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "directory '{}' not present, please create the directory and try again",
                missing.display()
            )
        );
    }

    #[test]
    fn file_mode_json_holds_one_service() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("svc.json");
        let target = Target::new(&path);
        target.write_service("ns", &svc("a")).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("{\n    \"apiVersion\""), "{text}");
        assert_eq!(target.read_service("ns", "a").unwrap(), Some(svc("a")));
        assert_eq!(target.read_service("ns", "b").unwrap(), None);
        assert_eq!(target.list_services(Some("ns")).unwrap(), vec![svc("a")]);
    }
}
