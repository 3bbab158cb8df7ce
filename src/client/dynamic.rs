//! Requests on resource types known only at run time (a `GROUP/VERSION/RESOURCE` sink, a source
//! CRD found by discovery): the same raw-JSON GET and LIST as for the static kinds.

use kube::core::Request;
use serde_json::Value;

use futures::stream::BoxStream;

use super::{Client, ListOptions, ObjectList, ResourceKind, WatchEvent, WatchOptions};
use crate::error::Result;

/// A resource type named by group, version and plural resource (the group is "" for core).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gvr {
    pub group: String,
    pub version: String,
    pub resource: String,
}

impl Gvr {
    pub fn new(group: &str, version: &str, resource: &str) -> Self {
        Gvr {
            group: group.to_string(),
            version: version.to_string(),
            resource: resource.to_string(),
        }
    }

    /// The GVR of a statically known kind.
    pub fn of(kind: &ResourceKind) -> Self {
        Gvr::new(kind.group, kind.version, kind.plural)
    }

    /// `group/version`, or just `version` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The collection URL in one namespace, or across all of them (`None`).
    pub fn collection_path(&self, namespace: Option<&str>) -> String {
        let prefix = if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        };
        match namespace {
            Some(ns) if !ns.is_empty() => {
                format!("{prefix}/namespaces/{ns}/{}", self.resource)
            }
            _ => format!("{prefix}/{}", self.resource),
        }
    }
}

/// Errors of dynamic requests are passed through as the server words them: there is no static
/// kind to blame a missing API group on.
const UNTYPED: ResourceKind = ResourceKind {
    group: "",
    version: "",
    plural: "",
    kind: "",
    namespaced: true,
};

impl Client {
    /// GET one namespaced object of a run-time resource type.
    pub async fn get_dynamic(&self, gvr: &Gvr, namespace: &str, name: &str) -> Result<Value> {
        let req = Request::new(gvr.collection_path(Some(namespace)));
        self.send(&UNTYPED, req.get(name, &Default::default()))
            .await
    }

    /// LIST the objects of a run-time resource type (`None` = all namespaces), following
    /// `continue` tokens. Items keep the apiVersion/kind the server gave them.
    pub async fn list_dynamic(&self, gvr: &Gvr, namespace: Option<&str>) -> Result<ObjectList> {
        self.list_dynamic_with(gvr, namespace, &ListOptions::default())
            .await
    }

    /// Opens one watch on a run-time resource type (see [`Client::watch`]).
    pub async fn watch_dynamic(
        &self,
        gvr: &Gvr,
        namespace: Option<&str>,
        options: &WatchOptions,
    ) -> Result<BoxStream<'static, Result<WatchEvent>>> {
        self.watch_at(gvr.collection_path(namespace), &UNTYPED, options)
            .await
    }

    /// [`Client::list_dynamic`] with label and field selectors.
    pub async fn list_dynamic_with(
        &self,
        gvr: &Gvr,
        namespace: Option<&str>,
        options: &ListOptions,
    ) -> Result<ObjectList> {
        self.list_at(gvr.collection_path(namespace), &UNTYPED, options, false)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_for_core_and_groups() {
        assert_eq!(
            Gvr::new("", "v1", "services").collection_path(Some("a")),
            "/api/v1/namespaces/a/services"
        );
        assert_eq!(
            Gvr::new("special.eventing.dev", "v1alpha1", "channels").collection_path(None),
            "/apis/special.eventing.dev/v1alpha1/channels"
        );
        assert_eq!(Gvr::new("", "v1", "services").api_version(), "v1");
        assert_eq!(
            Gvr::of(&crate::client::kinds::BROKER).api_version(),
            "eventing.knative.dev/v1"
        );
    }
}
