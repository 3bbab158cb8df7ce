//! Identities of API resources and objects: group/version/resource, kinds, object keys.

use std::borrow::Cow;
use std::fmt;

/// One served resource type (a CRD version or a built-in core type), as discovery reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceType {
    /// API group; "" for the core group.
    pub group: String,
    pub version: String,
    /// Plural resource name, e.g. `services`.
    pub plural: String,
    pub singular: String,
    pub kind: String,
    pub list_kind: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
    /// Whether the type has a `/status` subresource (status is ignored on main-resource writes).
    pub has_status: bool,
    /// Whether this version is the storage version of its group/resource.
    pub storage: bool,
    /// Warning sent with every request to a deprecated version.
    pub deprecation_warning: Option<String>,
}

impl ResourceType {
    pub fn group_resource(&self) -> GroupResource {
        GroupResource::new(&self.group, &self.plural)
    }

    /// `GROUP/VERSION`, or just `VERSION` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

/// A resource independent of version: the key objects are stored under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupResource {
    pub group: Cow<'static, str>,
    pub resource: Cow<'static, str>,
}

impl GroupResource {
    pub fn new(group: &str, resource: &str) -> Self {
        GroupResource {
            group: Cow::Owned(group.to_string()),
            resource: Cow::Owned(resource.to_string()),
        }
    }

    /// A built-in resource, borrowed: making and copying it allocates nothing (controllers
    /// compare every change against their resources).
    pub const fn of(group: &'static str, resource: &'static str) -> Self {
        GroupResource {
            group: Cow::Borrowed(group),
            resource: Cow::Borrowed(resource),
        }
    }
}

impl fmt::Display for GroupResource {
    /// `services.serving.knative.dev`, or `secrets` for the core group (as in API error messages).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.group.is_empty() {
            write!(f, "{}", self.resource)
        } else {
            write!(f, "{}.{}", self.resource, self.group)
        }
    }
}

/// The identity of one stored object.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey {
    pub gr: GroupResource,
    /// "" for cluster-scoped objects.
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn new(gr: GroupResource, namespace: &str, name: &str) -> Self {
        ObjectKey {
            gr,
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }
}
