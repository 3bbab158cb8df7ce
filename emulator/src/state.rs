//! `--state FILE`: the whole store loaded at start and saved (atomically, debounced) after
//! changes and at shutdown, so a sandbox survives restarts.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::watch;

use crate::resource::{GroupResource, ObjectKey};
use crate::store::Store;

/// How long the saver waits for more changes before writing.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// Reads a state file into the store. A missing file is an empty state.
pub fn load(store: &Store, path: &Path) -> Result<(), String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot read state file {}: {e}", path.display())),
    };
    let doc: Value = serde_json::from_str(&text)
        .map_err(|e| format!("cannot parse state file {}: {e}", path.display()))?;
    let rv = doc
        .get("resourceVersion")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut objects = Vec::new();
    for entry in doc
        .get("objects")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let group = entry.get("group").and_then(Value::as_str).unwrap_or("");
        let resource = entry.get("resource").and_then(Value::as_str).unwrap_or("");
        let Some(object) = entry.get("object") else {
            continue;
        };
        let ns = object
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("");
        let name = object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        if resource.is_empty() || name.is_empty() {
            continue;
        }
        objects.push((
            ObjectKey::new(GroupResource::new(group, resource), ns, name),
            object.clone(),
        ));
    }
    store.restore(rv, objects);
    Ok(())
}

/// Writes the store to `path` atomically (temporary file + rename).
pub fn save(store: &Store, path: &Path) -> std::io::Result<()> {
    let (rv, mut objects) = store.snapshot();
    objects.sort_by(|a, b| a.0.cmp(&b.0));
    let entries: Vec<Value> = objects
        .iter()
        .map(|(key, stored)| json!({"group": key.gr.group, "resource": key.gr.resource, "object": stored.value()}))
        .collect();
    let doc = json!({"resourceVersion": rv.to_string(), "objects": entries});
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile_in(dir, path)?;
    std::io::Write::write_all(
        &mut tmp.1,
        serde_json::to_string_pretty(&doc)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    tmp.1.sync_all()?;
    drop(tmp.1);
    std::fs::rename(&tmp.0, path)
}

fn tempfile_in(dir: &Path, target: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let base = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("state");
    let tmp = dir.join(format!(".{base}.{}.tmp", std::process::id()));
    let file = std::fs::File::create(&tmp)?;
    Ok((tmp, file))
}

/// Saves after every burst of changes until shutdown, then once more.
pub async fn run_saver(store: Arc<Store>, path: PathBuf, mut shutdown: watch::Receiver<bool>) {
    let mut feed = store.listen();
    loop {
        tokio::select! {
            change = feed.recv() => {
                if change.is_none() {
                    break;
                }
                tokio::time::sleep(DEBOUNCE).await;
                while feed.try_recv().is_ok() {}
                if let Err(e) = save(&store, &path) {
                    eprintln!("knit-emulator: cannot save state to {}: {e}", path.display());
                }
            }
            _ = shutdown.changed() => break,
        }
    }
    if let Err(e) = save(&store, &path) {
        eprintln!(
            "knit-emulator: cannot save state to {}: {e}",
            path.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_objects_and_revision() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let store = Store::new(10);
        let key = ObjectKey::new(GroupResource::new("", "configmaps"), "default", "a");
        store.create(&key, json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "default"}})).unwrap();
        store
            .create(
                &ObjectKey::new(GroupResource::new("", "configmaps"), "default", "b"),
                json!({"metadata": {"name": "b", "namespace": "default"}}),
            )
            .unwrap();
        save(&store, &path).unwrap();
        let restored = Store::new(10);
        load(&restored, &path).unwrap();
        assert_eq!(restored.current_rv(), 2);
        assert_eq!(
            restored.get(&key).unwrap().value()["metadata"]["resourceVersion"],
            "1"
        );
        assert_eq!(restored.list(&key.gr, None, None).0.len(), 2);
    }

    #[test]
    fn missing_file_is_empty_state_and_garbage_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(10);
        assert!(load(&store, &dir.path().join("none.json")).is_ok());
        std::fs::write(dir.path().join("bad.json"), "{").unwrap();
        assert!(
            load(&store, &dir.path().join("bad.json"))
                .unwrap_err()
                .starts_with("cannot parse state file")
        );
    }
}
