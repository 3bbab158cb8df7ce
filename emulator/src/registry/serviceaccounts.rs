//! The service-account controller of kube-controller-manager: every namespace that is not
//! being deleted has a ServiceAccount `default` (created with the namespace, created again when
//! deleted). Clients such as kn's e2e harness wait for it before they use a new namespace.

use std::sync::Arc;

use serde_json::json;
use tokio::sync::mpsc;

use super::Registry;
use super::write::WriteOptions;
use crate::cluster::EventKind;
use crate::resource::GroupResource;
use crate::store::Change;

/// The name of the ServiceAccount every namespace gets.
pub const DEFAULT: &str = "default";

fn options() -> WriteOptions {
    WriteOptions {
        user: "system:serviceaccount:kube-system:service-account-controller".into(),
        manager: "kube-controller-manager".into(),
        ..WriteOptions::default()
    }
}

/// Creates `default` in `namespace` unless it is there or the namespace is gone or going.
pub fn ensure(registry: &Registry, namespace: &str) {
    let namespaces = GroupResource::of("", "namespaces");
    let Some(ns) = registry.get_stored(&namespaces, "", namespace) else {
        return;
    };
    if ns.deleting() {
        return;
    }
    let Some(ti) = registry.catalog.get("", "v1", "serviceaccounts") else {
        return;
    };
    if registry.get_stored(&ti.gr(), namespace, DEFAULT).is_some() {
        return;
    }
    let account = json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": DEFAULT, "namespace": namespace},
    });
    // AlreadyExists (a racing create) and a namespace deleted meanwhile are both fine.
    let _ = registry.create(&ti, namespace, account, &options());
}

/// The changes [`run`] acts on: namespaces, and the default accounts they hold.
pub fn wants(change: &Change) -> bool {
    change.key.gr.group.is_empty()
        && matches!(&*change.key.gr.resource, "namespaces" | "serviceaccounts")
}

/// Runs until the store goes away: every namespace at start, then each change of a namespace
/// or a deleted `default` account.
pub async fn run(registry: Arc<Registry>, mut feed: mpsc::UnboundedReceiver<Arc<Change>>) {
    let namespaces = GroupResource::of("", "namespaces");
    let accounts = GroupResource::of("", "serviceaccounts");
    let (candidates, _) = registry.store.list(&namespaces, None, None);
    for ns in candidates {
        ensure(&registry, ns.name());
    }
    while let Some(change) = feed.recv().await {
        if change.key.gr == namespaces && change.kind != EventKind::Deleted {
            ensure(&registry, &change.key.name);
        } else if change.key.gr == accounts
            && change.kind == EventKind::Deleted
            && change.key.name == DEFAULT
        {
            ensure(&registry, &change.key.namespace);
        }
    }
}
