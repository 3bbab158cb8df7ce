//! `--state FILE`: durable emulator state. Every change is appended to `FILE.wal` and synced
//! before the write that made it is answered, so an acknowledged write survives `kill -9`. The
//! whole store is written to FILE (temp file, fsync, rename, directory fsync) at start, when
//! the log has grown, and at shutdown; the log is emptied under the same lock. Start-up reads
//! FILE, then replays the log over it (a torn last line was never acknowledged).

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::watch;

use crate::cluster::EventKind;
use crate::json::At;
use crate::resource::{GroupResource, ObjectKey};
use crate::store::{Change, Journal, Store, Stored};

/// How long the saver waits for more changes before it considers compacting.
const DEBOUNCE: Duration = Duration::from_millis(50);
/// Log records after which the next quiet moment writes a snapshot and empties the log.
const COMPACT_AFTER: usize = 1_000;

/// The write-ahead log beside `path`.
fn log_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".wal");
    path.with_file_name(name)
}

/// The one temporary file a snapshot is written through.
fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("state");
    path.with_file_name(format!(".{name}.tmp"))
}

fn dir_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Reads the state (snapshot, then log) into the store. A missing file is an empty state.
pub fn load(store: &Store, path: &Path) -> Result<(), String> {
    remove_stale_temp_files(path);
    let (rv, mut objects) = read_snapshot(path)?;
    let rv = replay_log(&log_path(path), rv, &mut objects)?;
    store.restore(rv, objects.into_iter().collect());
    Ok(())
}

/// Writes the store back as one snapshot and journals every later change. Called after the
/// start-up writes (the bootstrap), which the snapshot then holds without a synced record each.
pub fn journal(store: &Store, path: &Path) -> Result<(), String> {
    let journal = FileJournal::create(&log_path(path))
        .map_err(|e| format!("cannot open state log {}: {e}", log_path(path).display()))?;
    store.set_journal(Box::new(journal));
    compact(store, path).map_err(|e| format!("cannot write state file {}: {e}", path.display()))
}

/// Temporary files of snapshots a crash interrupted (this version's and older per-process ones).
fn remove_stale_temp_files(path: &Path) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir_of(path)) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        if file.starts_with(&prefix) && file.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

type Objects = BTreeMap<ObjectKey, Value>;

fn read_snapshot(path: &Path) -> Result<(u64, Objects), String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, Objects::new())),
        Err(e) => return Err(format!("cannot read state file {}: {e}", path.display())),
    };
    let doc: Value = serde_json::from_str(&text)
        .map_err(|e| format!("cannot parse state file {}: {e}", path.display()))?;
    let rv = doc
        .get("resourceVersion")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut objects = Objects::new();
    for entry in doc
        .get("objects")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(object) = entry.get("object") else {
            continue;
        };
        if let Some(key) = key_of(entry, object) {
            objects.insert(key, object.clone());
        }
    }
    Ok((rv, objects))
}

/// The key a snapshot entry or log record names (the object's own namespace and name).
fn key_of(entry: &Value, object: &Value) -> Option<ObjectKey> {
    let field = |v: &Value, pointer: &str| {
        v.at(pointer)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let resource = field(entry, "/resource");
    let (namespace, name) = if object.is_null() {
        (field(entry, "/namespace"), field(entry, "/name"))
    } else {
        (
            field(object, "/metadata/namespace"),
            field(object, "/metadata/name"),
        )
    };
    (!resource.is_empty() && !name.is_empty()).then(|| {
        ObjectKey::new(
            GroupResource::new(&field(entry, "/group"), &resource),
            &namespace,
            &name,
        )
    })
}

/// Applies the log's records newer than the snapshot; returns the newest revision.
fn replay_log(path: &Path, mut rv: u64, objects: &mut Objects) -> Result<u64, String> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(rv),
        Err(e) => return Err(format!("cannot read state log {}: {e}", path.display())),
    };
    for line in std::io::BufReader::new(file).lines() {
        let Ok(line) = line else { break };
        // Only the last record can be torn (appends are synced one by one): it was never
        // acknowledged, so it and anything after it are dropped.
        let Ok(record) = serde_json::from_str::<Value>(&line) else {
            break;
        };
        let record_rv = record
            .get("rv")
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0);
        if record_rv <= rv {
            continue;
        }
        let object = record.get("object").cloned().unwrap_or(Value::Null);
        if let Some(key) = key_of(&record, &object) {
            if object.is_null() {
                objects.remove(&key);
            } else {
                objects.insert(key, object);
            }
        }
        rv = record_rv;
    }
    Ok(rv)
}

/// The append-only log of changes since the last snapshot.
struct FileJournal {
    path: PathBuf,
    file: std::fs::File,
    records: usize,
    /// A failure is reported once, not on every write.
    failed: bool,
}

impl FileJournal {
    fn create(path: &Path) -> std::io::Result<FileJournal> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(FileJournal {
            path: path.to_path_buf(),
            file,
            records: 0,
            failed: false,
        })
    }

    fn append(&mut self, change: &Change) -> std::io::Result<()> {
        let key = &change.key;
        let mut line = serde_json::to_vec(&json!({
            "rv": change.rv().to_string(),
            "group": key.gr.group,
            "resource": key.gr.resource,
            "namespace": key.namespace,
            "name": key.name,
        }))?;
        // The object's stored JSON goes in as it is: no second encoding.
        line.pop();
        line.extend_from_slice(b",\"object\":");
        match change.kind {
            EventKind::Deleted => line.extend_from_slice(b"null"),
            _ => line.extend_from_slice(change.object.json()),
        }
        line.extend_from_slice(b"}\n");
        self.file.write_all(&line)?;
        self.file.sync_data()
    }
}

impl Journal for FileJournal {
    fn record(&mut self, change: &Change) {
        match self.append(change) {
            Ok(()) => self.records += 1,
            Err(e) if !self.failed => {
                self.failed = true;
                eprintln!(
                    "knit-emulator: cannot write the state log {}: {e}; changes from now on may be lost",
                    self.path.display()
                );
            }
            Err(_) => {}
        }
    }

    fn records(&self) -> usize {
        self.records
    }

    fn reset(&mut self) -> std::io::Result<()> {
        self.file.set_len(0)?;
        self.file.sync_all()?;
        self.records = 0;
        Ok(())
    }
}

/// Writes every object to `path` as one snapshot and empties the log, with writes held off
/// so that nothing falls between the two.
pub fn compact(store: &Store, path: &Path) -> std::io::Result<()> {
    store
        .compact_with(|rv, objects, journal| {
            write_snapshot(rv, objects, path)?;
            journal.reset()
        })
        .unwrap_or(Ok(()))
}

/// Writes a snapshot atomically: temp file, fsync, rename over `path`, fsync of the directory.
fn write_snapshot(
    rv: u64,
    mut objects: Vec<(ObjectKey, Arc<Stored>)>,
    path: &Path,
) -> std::io::Result<()> {
    objects.sort_by(|a, b| a.0.cmp(&b.0));
    let entries: Vec<Value> = objects
        .iter()
        .map(|(key, stored)| json!({"group": key.gr.group, "resource": key.gr.resource, "object": crate::fields_form::expanded(stored.object())}))
        .collect();
    let doc = json!({"resourceVersion": rv.to_string(), "objects": entries});
    let temp = temp_path(path);
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(&serde_json::to_vec_pretty(&doc)?)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temp, path)?;
    std::fs::File::open(dir_of(path))?.sync_all()
}

/// Compacts after a burst of changes once the log has grown, and at shutdown.
pub async fn run_saver(store: Arc<Store>, path: PathBuf, mut shutdown: watch::Receiver<bool>) {
    let mut feed = store.listen();
    let report = |e: std::io::Error| {
        eprintln!(
            "knit-emulator: cannot save state to {}: {e}",
            path.display()
        );
    };
    loop {
        tokio::select! {
            change = feed.recv() => {
                if change.is_none() {
                    break;
                }
                tokio::time::sleep(DEBOUNCE).await;
                while feed.try_recv().is_ok() {}
                let grown = store.compact_with(|_, _, journal| journal.records() >= COMPACT_AFTER);
                if grown == Some(true) {
                    compact(&store, &path).unwrap_or_else(report);
                }
            }
            _ = shutdown.changed() => break,
        }
    }
    compact(&store, &path).unwrap_or_else(report);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configmap(name: &str, value: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": name, "namespace": "default"}, "data": {"v": value}})
    }

    fn key(name: &str) -> ObjectKey {
        ObjectKey::new(GroupResource::of("", "configmaps"), "default", name)
    }

    #[test]
    fn round_trip_keeps_objects_and_revision() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let store = Store::new(10);
        load(&store, &path).unwrap();
        journal(&store, &path).unwrap();
        store.create(&key("a"), configmap("a", "1")).unwrap();
        store.create(&key("b"), configmap("b", "1")).unwrap();
        compact(&store, &path).unwrap();
        let restored = Store::new(10);
        load(&restored, &path).unwrap();
        assert_eq!(restored.current_rv(), 2);
        assert_eq!(
            restored.get(&key("a")).unwrap().value()["metadata"]["resourceVersion"],
            "1"
        );
        assert_eq!(restored.list(&key("a").gr, None, None).0.len(), 2);
    }

    #[test]
    fn every_change_is_in_the_log_before_the_write_returns() {
        // No snapshot after the first one: what a kill -9 leaves behind.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let store = Store::new(10);
        load(&store, &path).unwrap();
        journal(&store, &path).unwrap();
        store.create(&key("kept"), configmap("kept", "1")).unwrap();
        let updated = store
            .create(&key("updated"), configmap("updated", "1"))
            .unwrap();
        store
            .update(&key("updated"), updated.rv, configmap("updated", "2"))
            .unwrap();
        store.create(&key("gone"), configmap("gone", "1")).unwrap();
        store.delete(&key("gone"), None).unwrap();
        // A record torn by the crash is ignored.
        let mut log = std::fs::OpenOptions::new()
            .append(true)
            .open(log_path(&path))
            .unwrap();
        log.write_all(br#"{"rv":"99","group":"","resource":"configmaps","na"#)
            .unwrap();
        drop(store);

        let restored = Store::new(10);
        load(&restored, &path).unwrap();
        journal(&restored, &path).unwrap();
        assert_eq!(restored.current_rv(), 5);
        assert!(restored.get(&key("kept")).is_some());
        assert_eq!(
            restored.get(&key("updated")).unwrap().value()["data"]["v"],
            "2"
        );
        assert!(restored.get(&key("gone")).is_none());
        // Journaling again wrote one snapshot and emptied the log; no temp file is left.
        assert_eq!(std::fs::metadata(log_path(&path)).unwrap().len(), 0);
        let mut files: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, ["state.json", "state.json.wal"]);
    }

    #[test]
    fn stale_temp_files_are_removed_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(dir.path().join(".state.json.4242.tmp"), "{").unwrap();
        std::fs::write(dir.path().join(".state.json.tmp"), "{").unwrap();
        load(&Store::new(10), &path).unwrap();
        assert!(!dir.path().join(".state.json.4242.tmp").exists());
        assert!(!dir.path().join(".state.json.tmp").exists());
    }

    #[test]
    fn missing_file_is_empty_state_and_garbage_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(10);
        assert!(load(&store, &dir.path().join("none.json")).is_ok());
        std::fs::write(dir.path().join("bad.json"), "{").unwrap();
        assert!(
            load(&Store::new(10), &dir.path().join("bad.json"))
                .unwrap_err()
                .starts_with("cannot parse state file")
        );
    }
}
