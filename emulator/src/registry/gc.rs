//! The garbage collector and namespace controller of kube-controller-manager: deletes
//! dependents whose owners are gone (background), orphans dependents (`orphan` finalizer),
//! deletes dependents before their owner (`foregroundDeletion`), and empties and removes
//! `Terminating` namespaces. Fed by the store's deletions and deletions starting; finds
//! dependents and owners through the store's owner and uid indexes, so each change costs
//! O(dependents), not O(objects).

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::write::{Subresource, WriteOptions};
use super::{DeleteOptions, Propagation, Registry};
use crate::cluster::EventKind;
use crate::json::At;
use crate::resource::{GroupResource, ObjectKey};
use crate::store::{Change, Stored};

fn gc_options() -> WriteOptions {
    WriteOptions {
        user: "system:serviceaccount:kube-system:generic-garbage-collector".into(),
        manager: "kube-controller-manager".into(),
        unconditional: true,
        ..WriteOptions::default()
    }
}

/// The changes the collector acts on: deletions, and objects whose deletion has started.
/// Creations and most updates (every status write) do not wake it.
fn wants(change: &Change) -> bool {
    change.kind == EventKind::Deleted || change.object.deleting()
}

pub struct GarbageCollector {
    registry: Arc<Registry>,
    terminating: HashSet<String>,
}

impl GarbageCollector {
    /// The collector, with the namespaces already terminating, and the change feed to run it on.
    pub fn new(
        registry: Arc<Registry>,
    ) -> (GarbageCollector, mpsc::UnboundedReceiver<Arc<Change>>) {
        let feed = registry.store.listen_where(wants);
        let (namespaces, _) = registry
            .store
            .list(&GroupResource::of("", "namespaces"), None, None);
        let terminating = namespaces
            .iter()
            .filter(|ns| ns.deleting())
            .map(|ns| ns.name().to_string())
            .collect();
        let gc = GarbageCollector {
            registry,
            terminating,
        };
        (gc, feed)
    }

    /// Runs until the store goes away.
    pub async fn run(mut self, mut feed: mpsc::UnboundedReceiver<Arc<Change>>) {
        let pending: Vec<String> = self.terminating.iter().cloned().collect();
        for ns in pending {
            self.sweep_namespace(&ns);
        }
        while let Some(change) = feed.recv().await {
            self.handle(&change);
        }
    }

    fn dependents_of(&self, uid: &str) -> Vec<ObjectKey> {
        self.registry.store.dependent_keys(uid)
    }

    pub fn handle(&mut self, change: &Change) {
        let object = &change.object;
        match change.kind {
            EventKind::Deleted => {
                let uid = object.uid();
                if !uid.is_empty() {
                    for dep in self.dependents_of(uid) {
                        self.owner_gone(&dep, uid);
                    }
                }
                // A dependent going away may unblock its owners' foreground deletion.
                for owner in object.owners() {
                    if let Some(owner_key) = self.registry.store.key_of_uid(owner) {
                        self.check_foreground(&owner_key);
                    }
                }
                if self.terminating.contains(&change.key.namespace) {
                    let ns = change.key.namespace.clone();
                    self.sweep_namespace(&ns);
                }
                if change.key.gr == GroupResource::of("", "namespaces") {
                    self.terminating.remove(&change.key.name);
                }
            }
            EventKind::Added | EventKind::Modified => {
                if !object.deleting() {
                    return;
                }
                if change.key.gr == GroupResource::of("", "namespaces") {
                    // Again on every change: its own finalizers may just have been removed.
                    self.terminating.insert(change.key.name.clone());
                    let ns = change.key.name.clone();
                    self.sweep_namespace(&ns);
                    return;
                }
                if object.finalizers().any(|f| f == "orphan") {
                    self.orphan_dependents(&change.key, object.uid());
                }
                if object.finalizers().any(|f| f == "foregroundDeletion") {
                    for dep in self.dependents_of(object.uid()) {
                        if let Some(ti) = self.registry.catalog.storage(&dep.gr) {
                            let del = DeleteOptions {
                                propagation: Some(Propagation::Foreground),
                                ..DeleteOptions::default()
                            };
                            let _ = self.registry.delete(
                                &ti,
                                &dep.namespace,
                                &dep.name,
                                &del,
                                &gc_options(),
                            );
                        }
                    }
                    self.check_foreground(&change.key);
                }
            }
        }
    }

    fn owner_refs(stored: &Stored) -> Vec<Value> {
        stored
            .object()
            .at("/metadata/ownerReferences")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    }

    /// `dep`'s owner `uid` was deleted: drop the reference if other owners remain, else delete.
    fn owner_gone(&mut self, dep: &ObjectKey, uid: &str) {
        let Some(stored) = self.registry.store.get(dep) else {
            return;
        };
        let alive: Vec<Value> = Self::owner_refs(&stored)
            .into_iter()
            .filter(|r| {
                r.get("uid")
                    .and_then(Value::as_str)
                    .is_some_and(|u| u != uid && self.registry.store.key_of_uid(u).is_some())
            })
            .collect();
        let Some(ti) = self.registry.catalog.storage(&dep.gr) else {
            return;
        };
        if alive.is_empty() {
            let del = DeleteOptions {
                propagation: Some(Propagation::Background),
                ..DeleteOptions::default()
            };
            let _ = self
                .registry
                .delete(&ti, &dep.namespace, &dep.name, &del, &gc_options());
        } else {
            self.set_owner_refs(dep, &stored, alive);
        }
    }

    fn set_owner_refs(&self, key: &ObjectKey, stored: &Arc<Stored>, refs: Vec<Value>) {
        let Some(ti) = self.registry.catalog.storage(&key.gr) else {
            return;
        };
        let mut object = stored.value();
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            if refs.is_empty() {
                meta.remove("ownerReferences");
            } else {
                meta.insert("ownerReferences".into(), json!(refs));
            }
        }
        let _ = self.registry.write_update(
            &ti,
            stored,
            object,
            &gc_options(),
            Subresource::Main,
            Vec::new(),
        );
    }

    fn orphan_dependents(&mut self, owner: &ObjectKey, uid: &str) {
        for dep in self.dependents_of(uid) {
            if let Some(stored) = self.registry.store.get(&dep) {
                let rest: Vec<Value> = Self::owner_refs(&stored)
                    .into_iter()
                    .filter(|r| r.get("uid").and_then(Value::as_str) != Some(uid))
                    .collect();
                self.set_owner_refs(&dep, &stored, rest);
            }
        }
        if let Some(ti) = self.registry.catalog.storage(&owner.gr) {
            let _ = self
                .registry
                .remove_finalizer(&ti, &owner.namespace, &owner.name, "orphan");
        }
    }

    /// Completes a foreground deletion once no dependent is left.
    fn check_foreground(&mut self, owner: &ObjectKey) {
        let Some(stored) = self.registry.store.get(owner) else {
            return;
        };
        if !stored.deleting() || !stored.finalizers().any(|f| f == "foregroundDeletion") {
            return;
        }
        let blocked = self
            .dependents_of(stored.uid())
            .iter()
            .any(|k| self.registry.store.get(k).is_some());
        if !blocked && let Some(ti) = self.registry.catalog.storage(&owner.gr) {
            let _ = self.registry.remove_finalizer(
                &ti,
                &owner.namespace,
                &owner.name,
                "foregroundDeletion",
            );
        }
    }

    /// Deletes everything in a terminating namespace and reports what remains in its
    /// conditions; once it is empty, removes its `kubernetes` finalizer, and the namespace
    /// itself when no other finalizer holds it.
    fn sweep_namespace(&mut self, namespace: &str) {
        let registry = self.registry.clone();
        let mut remaining = 0;
        let mut by_resource: BTreeMap<String, usize> = BTreeMap::new();
        let mut by_finalizer: BTreeMap<String, usize> = BTreeMap::new();
        for gr in registry.store.resources() {
            let Some(ti) = registry.catalog.storage(&gr) else {
                continue;
            };
            if !ti.rt.namespaced {
                continue;
            }
            let (items, _) = registry.store.list(&gr, Some(namespace), None);
            for item in items {
                let held = if item.deleting() {
                    true
                } else {
                    let name = item.name().to_string();
                    matches!(
                        registry.delete(
                            &ti,
                            namespace,
                            &name,
                            &DeleteOptions::default(),
                            &gc_options(),
                        ),
                        Ok(super::Deleted::Pending(_))
                    )
                };
                if held {
                    remaining += 1;
                    *by_resource
                        .entry(format!("{}.{}", gr.resource, gr.group))
                        .or_default() += 1;
                    for f in item.finalizers() {
                        *by_finalizer.entry(f.to_string()).or_default() += 1;
                    }
                }
            }
        }
        let Some(ns_ti) = registry
            .catalog
            .storage(&GroupResource::of("", "namespaces"))
        else {
            return;
        };
        let Ok(mut ns) = registry.get(&ns_ti, "", namespace) else {
            return;
        };
        if remaining > 0 && !Self::namespace_empty(&registry, namespace) {
            let conditions = deletion_conditions(&ns, &by_resource, &by_finalizer);
            if ns.at("/status/conditions") != Some(&conditions) {
                ns["status"]["conditions"] = conditions;
                let _ = registry.update(
                    &ns_ti,
                    "",
                    namespace,
                    ns,
                    &gc_options(),
                    Subresource::Status,
                );
            }
            return;
        }
        // Finalized: the `kubernetes` finalizer is done; others (spec or metadata) still hold it.
        let spec_finalizers: Vec<Value> = ns
            .at("/spec/finalizers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|f| f.as_str() != Some("kubernetes"))
            .cloned()
            .collect();
        let held = ns
            .at("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| !f.is_empty());
        if spec_finalizers.is_empty() && !held {
            let key = ObjectKey::new(GroupResource::of("", "namespaces"), "", namespace);
            let _ = registry.store.delete(&key, None);
            return;
        }
        let before = ns.at("/spec/finalizers").cloned();
        if before != Some(Value::from(spec_finalizers.clone())) {
            ns["spec"]["finalizers"] = Value::from(spec_finalizers);
            let key = ObjectKey::new(GroupResource::of("", "namespaces"), "", namespace);
            if let Some(current) = registry.store.get(&key)
                && let Ok(storage) = registry.to_storage(&ns_ti, ns)
            {
                let _ = registry.store.update(&key, current.rv, storage);
            }
        }
    }

    fn namespace_empty(registry: &Registry, namespace: &str) -> bool {
        registry
            .store
            .resources()
            .iter()
            .all(|gr| registry.store.count(gr, Some(namespace)) == 0 || gr.resource == "namespaces")
    }
}

/// The namespace controller's deletion conditions, in its order: each either the problem it
/// found (status True) or its "all is well" form (status False), whose lastTransitionTime is
/// kept while the status stays.
fn deletion_conditions(
    ns: &Value,
    by_resource: &BTreeMap<String, usize>,
    by_finalizer: &BTreeMap<String, usize>,
) -> Value {
    let remaining: Vec<String> = by_resource
        .iter()
        .map(|(gr, n)| format!("{gr} has {n} resource instances"))
        .collect();
    let finalizers: Vec<String> = by_finalizer
        .iter()
        .map(|(f, n)| format!("{f} in {n} resource instances"))
        .collect();
    let wanted: [(&str, bool, &str, String); 5] = [
        (
            "NamespaceDeletionDiscoveryFailure",
            false,
            "ResourcesDiscovered",
            "All resources successfully discovered".into(),
        ),
        (
            "NamespaceDeletionGroupVersionParsingFailure",
            false,
            "ParsedGroupVersions",
            "All legacy kube types successfully parsed".into(),
        ),
        (
            "NamespaceDeletionContentFailure",
            false,
            "ContentDeleted",
            "All content successfully deleted, may be waiting on finalization".into(),
        ),
        if remaining.is_empty() {
            (
                "NamespaceContentRemaining",
                false,
                "ContentRemoved",
                "All content successfully removed".into(),
            )
        } else {
            (
                "NamespaceContentRemaining",
                true,
                "SomeResourcesRemain",
                format!("Some resources are remaining: {}", remaining.join(", ")),
            )
        },
        if finalizers.is_empty() {
            (
                "NamespaceFinalizersRemaining",
                false,
                "ContentHasNoFinalizers",
                "All content-preserving finalizers finished".into(),
            )
        } else {
            (
                "NamespaceFinalizersRemaining",
                true,
                "SomeFinalizersRemain",
                format!(
                    "Some content in the namespace has finalizers remaining: {}",
                    finalizers.join(", ")
                ),
            )
        },
    ];
    let existing = ns
        .at("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let conditions: Vec<Value> = wanted
        .into_iter()
        .map(|(type_, true_, reason, message)| {
            let status = if true_ { "True" } else { "False" };
            let since = existing
                .iter()
                .find(|c| c["type"] == type_ && c["status"] == status)
                .and_then(|c| c.get("lastTransitionTime").cloned())
                .unwrap_or_else(|| json!(super::now_timestamp()));
            json!({"type": type_, "status": status, "lastTransitionTime": since, "reason": reason, "message": message})
        })
        .collect();
    Value::from(conditions)
}
