//! Offline ("GitOps") storage for `--target PATH`: Services kept as files instead of on a
//! cluster (kn-reference §4.11).
//!
//! File mode (PATH ends in `.yaml`, `.yml` or `.json`): the file holds exactly one Service.
//! Directory mode (any other PATH): each Service lives at `PATH/<namespace>/ksvc/<name>.yaml`.
//! Unlike kn, listing only looks at those files (kn takes any `*.yaml` whose path contains `ksvc`).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::client::kinds::SERVICE;
use crate::error::{ApiStatus, Error, Result};
use crate::output::structured::{to_go_json, to_yaml};

/// A `--target` location.
#[derive(Debug, Clone)]
pub struct OfflineStore {
    path: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Json,
}

impl OfflineStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        OfflineStore { path: path.into() }
    }

    /// The single-file format, or `None` in directory mode.
    fn file_format(&self) -> Option<Format> {
        match self.path.extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml") => Some(Format::Yaml),
            Some("json") => Some(Format::Json),
            _ => None,
        }
    }

    fn service_path(&self, namespace: &str, name: &str) -> PathBuf {
        self.path
            .join(namespace)
            .join("ksvc")
            .join(format!("{name}.yaml"))
    }

    fn not_found(name: &str) -> Error {
        Error::Api(ApiStatus {
            code: 404,
            reason: "NotFound".into(),
            message: format!("{} \"{name}\" not found", SERVICE.group_resource()),
            name: Some(name.to_string()),
        })
    }

    /// Reads the Service `name` (404-like error when absent).
    pub fn get_service(&self, namespace: &str, name: &str) -> Result<Value> {
        if self.file_format().is_some() {
            return match read(&self.path)? {
                Some(object) if object_name(&object) == name => Ok(object),
                _ => Err(Self::not_found(name)),
            };
        }
        read(&self.service_path(namespace, name))?.ok_or_else(|| Self::not_found(name))
    }

    /// All Services in `namespace`, or in every namespace with `None`; sorted by namespace/name.
    pub fn list_services(&self, namespace: Option<&str>) -> Result<Vec<Value>> {
        if self.file_format().is_some() {
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

    /// Writes a Service (creating or replacing it), in kubectl's printed form: `apiVersion`,
    /// `kind`, `metadata.creationTimestamp: null` and an empty `status`.
    pub fn write_service(&self, service: &Value) -> Result<()> {
        let mut object = service.clone();
        if let Value::Object(map) = &mut object {
            map.insert("apiVersion".into(), Value::String(SERVICE.api_version()));
            map.insert("kind".into(), Value::String(SERVICE.kind.into()));
            map.insert("status".into(), serde_json::json!({}));
            if let Some(Value::Object(meta)) = map.get_mut("metadata") {
                meta.entry("creationTimestamp").or_insert(Value::Null);
            }
        }
        let (path, format) = match self.file_format() {
            Some(format) => (self.path.clone(), format),
            None => {
                if !self.path.is_dir() {
                    return Err(Error::failed(format!(
                        "directory '{}' not present, please create the directory and try again",
                        self.path.display()
                    )));
                }
                let path = self.service_path(&object_namespace(&object), &object_name(&object));
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                (path, Format::Yaml)
            }
        };
        let text = match format {
            Format::Yaml => to_yaml(&object)?,
            Format::Json => to_go_json(&object)?,
        };
        std::fs::write(&path, text)
            .map_err(|e| Error::failed(format!("cannot write '{}': {e}", path.display())))
    }

    /// Removes the Service (its file).
    pub fn delete_service(&self, namespace: &str, name: &str) -> Result<()> {
        let path = match self.file_format() {
            Some(_) => {
                self.get_service(namespace, name)?;
                self.path.clone()
            }
            None => self.service_path(namespace, name),
        };
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Self::not_found(name)),
            Err(e) => Err(Error::failed(format!(
                "cannot remove '{}': {e}",
                path.display()
            ))),
        }
    }
}

fn object_name(object: &Value) -> String {
    object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn object_namespace(object: &Value) -> String {
    object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
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
    let parsed: std::result::Result<Value, String> =
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
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
    fn directory_mode_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = OfflineStore::new(dir.path());
        store.write_service(&service("default", "b")).unwrap();
        store.write_service(&service("default", "a")).unwrap();
        store.write_service(&service("other", "c")).unwrap();
        // A stray YAML that merely has `ksvc` in its path is not a service.
        std::fs::create_dir_all(dir.path().join("default/ksvc-notes")).unwrap();
        std::fs::write(dir.path().join("default/ksvc-notes/x.yaml"), "a: b\n").unwrap();
        let names = |list: Vec<Value>| list.iter().map(object_name).collect::<Vec<_>>();
        assert_eq!(
            names(store.list_services(Some("default")).unwrap()),
            ["a", "b"]
        );
        assert_eq!(names(store.list_services(None).unwrap()), ["a", "b", "c"]);
        let a = store.get_service("default", "a").unwrap();
        assert_eq!(a["metadata"]["creationTimestamp"], Value::Null);
        assert_eq!(a["status"], json!({}));
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
    fn file_mode_and_missing_directories() {
        let dir = tempfile::tempdir().unwrap();
        let store = OfflineStore::new(dir.path().join("svc.json"));
        store.write_service(&service("default", "web")).unwrap();
        assert_eq!(store.list_services(Some("default")).unwrap().len(), 1);
        assert!(
            store
                .get_service("default", "other")
                .unwrap_err()
                .is_not_found()
        );
        let text = std::fs::read_to_string(dir.path().join("svc.json")).unwrap();
        assert!(text.starts_with("{\n    \"apiVersion\""), "{text}");
        let missing = OfflineStore::new(dir.path().join("nope"));
        assert_eq!(
            missing
                .write_service(&service("default", "x"))
                .unwrap_err()
                .to_string(),
            format!(
                "directory '{}' not present, please create the directory and try again",
                dir.path().join("nope").display()
            )
        );
    }
}
