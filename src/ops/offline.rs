//! The offline store behind `--target PATH` (kn's GitOps mode): Services kept as files instead
//! of on a cluster, with the cluster's words for missing or badly named Services.
//!
//! The one rule for what PATH is, kn's: a PATH whose text ends in `.yaml`, `.yml` or `.json`
//! (exactly so: case-sensitive, nothing after it, not even `/`) is one file holding one Service,
//! whether or not a directory of that name exists; any other PATH is a directory holding
//! `PATH/<namespace>/ksvc/<name>.yaml`. Unlike kn, listing only looks at those files (kn takes any
//! `*.yaml` whose path contains `ksvc`). Nothing here touches the network.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::client::kinds::SERVICE;
use crate::error::{ApiStatus, Error, Result};
use crate::output::structured::{to_go_json, to_yaml};

/// How a file target is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// A `--target` location.
#[derive(Debug, Clone)]
pub struct OfflineStore {
    path: PathBuf,
    /// `Some` in file mode: the file's format; `None` in directory mode.
    file: Option<Format>,
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

/// kn's rule: the suffix of the path as typed decides, before anything is read from disk.
fn file_format(path: &Path) -> Option<Format> {
    let text = path.as_os_str().as_encoded_bytes();
    if text.ends_with(b".yaml") || text.ends_with(b".yml") {
        Some(Format::Yaml)
    } else if text.ends_with(b".json") {
        Some(Format::Json)
    } else {
        None
    }
}

impl OfflineStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file = file_format(&path);
        OfflineStore { path, file }
    }

    /// The file's format in file mode, `None` in directory mode.
    pub fn file_format(&self) -> Option<Format> {
        self.file
    }

    fn service_path(&self, namespace: &str, name: &str) -> PathBuf {
        match self.file {
            Some(_) => self.path.clone(),
            None => self
                .path
                .join(namespace)
                .join("ksvc")
                .join(format!("{name}.yaml")),
        }
    }

    /// The Service called `name`, `None` when there is none. A file target holding another
    /// Service does not hold this one; in a directory, `<name>.yaml` is that Service (as in kn).
    pub fn read_service(&self, namespace: &str, name: &str) -> Result<Option<Value>> {
        let service = read(&self.service_path(namespace, name))?;
        Ok(service.filter(|s| self.file.is_none() || object_name(s) == name))
    }

    /// The Service called `name`, the API server's 404 when there is none.
    pub fn get_service(&self, namespace: &str, name: &str) -> Result<Value> {
        self.read_service(namespace, name)?
            .ok_or_else(|| not_found(name))
    }

    /// All Services in `namespace`, or in every namespace with `None`; sorted by namespace/name.
    pub fn list_services(&self, namespace: Option<&str>) -> Result<Vec<Value>> {
        if self.file.is_some() {
            return Ok(read(&self.path)?.into_iter().collect());
        }
        let namespaces: Vec<PathBuf> = match namespace {
            Some(ns) => {
                // kn walks `<dir>/<namespace>`, and a namespace never written is an error.
                let dir = self.path.join(ns);
                if let Err(e) = std::fs::metadata(&dir) {
                    return Err(Error::failed(crate::error::path_error("stat", &dir, &e)));
                }
                vec![dir]
            }
            None => match std::fs::read_dir(&self.path) {
                Ok(entries) => entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect(),
                Err(_) => Vec::new(),
            },
        };
        let mut services = Vec::new();
        for dir in namespaces {
            // Only `<namespace>/ksvc/*.yaml`, not any path that merely contains "ksvc".
            let Ok(entries) = std::fs::read_dir(dir.join("ksvc")) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().and_then(|e| e.to_str()) == Some("yaml")
                    && let Some(object) = read(&path)?
                {
                    services.push(object);
                }
            }
        }
        services.sort_by(|a, b| {
            (object_namespace(a), object_name(a)).cmp(&(object_namespace(b), object_name(b)))
        });
        Ok(services)
    }

    /// Writes a Service of `namespace` as given (creating or replacing it), making missing
    /// directories below a directory target, whose root must exist (kn's rule and words).
    pub fn write_service(&self, namespace: &str, service: &Value) -> Result<()> {
        let path = self.service_path(namespace, object_name(service));
        let format = match self.file {
            Some(format) => format,
            None => {
                if !self.path.is_dir() {
                    return Err(Error::failed(format!(
                        "directory '{}' not present, please create the directory and try again",
                        self.path.display()
                    )));
                }
                Format::Yaml
            }
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::failed(format!("cannot create '{}': {e}", parent.display())))?;
        }
        let text = match format {
            Format::Yaml => to_yaml(service)?,
            Format::Json => to_go_json(service)?,
        };
        std::fs::write(&path, text)
            .map_err(|e| Error::failed(format!("cannot write '{}': {e}", path.display())))
    }

    /// Removes the Service (its file); the API server's 404 when there is none.
    pub fn delete_service(&self, namespace: &str, name: &str) -> Result<()> {
        if self.file.is_some() {
            self.get_service(namespace, name)?;
        }
        let path = self.service_path(namespace, name);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(not_found(name)),
            Err(e) => Err(Error::failed(format!(
                "cannot remove '{}': {e}",
                path.display()
            ))),
        }
    }
}

fn object_name(object: &Value) -> &str {
    object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn object_namespace(object: &Value) -> &str {
    object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Reads a YAML or JSON object; `None` when the file does not exist.
fn read(path: &Path) -> Result<Option<Value>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::failed(format!(
                "cannot read '{}': {e}",
                path.display()
            )));
        }
    };
    let parsed: std::result::Result<Value, String> = if file_format(path) == Some(Format::Json) {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        serde_saphyr::from_str(&text).map_err(|e| e.to_string())
    };
    parsed
        .map(Some)
        .map_err(|e| Error::failed(format!("cannot parse '{}': {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service(ns: &str, name: &str) -> Value {
        json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
               "metadata": {"name": name, "namespace": ns},
               "spec": {"template": {"spec": {"containers": [{"image": "nginx"}]}}}})
    }

    #[test]
    fn the_path_as_typed_decides_file_or_directory() {
        let mode = |p: &str| OfflineStore::new(p).file_format();
        assert_eq!(mode("a/b.yaml"), Some(Format::Yaml));
        assert_eq!(mode("a/b.yml"), Some(Format::Yaml));
        assert_eq!(mode("b.json"), Some(Format::Json));
        // kn's suffix test is case-sensitive and looks at the last characters only.
        assert_eq!(mode("b.YAML"), None);
        assert_eq!(mode("b.JSON"), None);
        assert_eq!(mode("b.yaml/"), None);
        assert_eq!(mode("dir/.yaml"), Some(Format::Yaml));
        assert_eq!(mode("dir"), None);
    }

    #[test]
    fn an_existing_directory_named_like_a_file_is_still_a_file_target() {
        let dir = tempfile::tempdir().unwrap();
        let looks_like_file = dir.path().join("svc.yaml");
        std::fs::create_dir(&looks_like_file).unwrap();
        let store = OfflineStore::new(&looks_like_file);
        assert_eq!(store.file_format(), Some(Format::Yaml));
        assert!(store.write_service("ns", &service("ns", "a")).is_err());
        assert!(!looks_like_file.join("ns").exists());
    }

    #[test]
    fn directory_mode_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = OfflineStore::new(dir.path());
        store
            .write_service("default", &service("default", "b"))
            .unwrap();
        store
            .write_service("default", &service("default", "a"))
            .unwrap();
        store
            .write_service("other", &service("other", "c"))
            .unwrap();
        // A stray YAML that merely has `ksvc` in its path is not a service.
        std::fs::create_dir_all(dir.path().join("default/ksvc-notes")).unwrap();
        std::fs::write(dir.path().join("default/ksvc-notes/x.yaml"), "a: b\n").unwrap();
        let names = |list: Vec<Value>| {
            list.iter()
                .map(|s| object_name(s).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(store.list_services(Some("default")).unwrap()),
            ["a", "b"]
        );
        assert_eq!(names(store.list_services(None).unwrap()), ["a", "b", "c"]);
        assert_eq!(
            store.get_service("default", "a").unwrap(),
            service("default", "a")
        );
        assert_eq!(store.read_service("other", "a").unwrap(), None);
        let text = std::fs::read_to_string(dir.path().join("default/ksvc/a.yaml")).unwrap();
        assert!(
            text.starts_with("apiVersion: serving.knative.dev/v1\nkind: Service\n"),
            "{text}"
        );
        store.delete_service("default", "a").unwrap();
        assert_eq!(
            store.get_service("default", "a").unwrap_err().to_string(),
            "services.serving.knative.dev \"a\" not found"
        );
        assert!(
            store
                .delete_service("default", "a")
                .unwrap_err()
                .is_not_found()
        );
    }

    #[test]
    fn a_missing_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let err = OfflineStore::new(&missing)
            .write_service("ns", &service("ns", "a"))
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
        let store = OfflineStore::new(&path);
        store.write_service("ns", &service("ns", "a")).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("{\n    \"apiVersion\""), "{text}");
        assert_eq!(
            store.read_service("ns", "a").unwrap(),
            Some(service("ns", "a"))
        );
        assert_eq!(store.read_service("ns", "b").unwrap(), None);
        assert!(store.get_service("ns", "b").unwrap_err().is_not_found());
        assert_eq!(
            store.list_services(Some("ns")).unwrap(),
            vec![service("ns", "a")]
        );
        assert!(store.delete_service("ns", "b").unwrap_err().is_not_found());
        store.delete_service("ns", "a").unwrap();
        assert!(!path.exists());
    }
}
