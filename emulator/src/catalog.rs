//! The served resource types: built-in core v1 types and every served version of the Knative
//! CRDs, with what the registry needs to know about each (name rules, schema, selectable
//! fields, Table columns, conversion between versions).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use crate::resource::{GroupResource, ResourceType};
use crate::status::{ApiError, Cause};
use crate::validation::NameRule;

/// What applying a CRD's structural schema did to an object.
#[derive(Debug, Default, Clone)]
pub struct SchemaResult {
    /// Paths of pruned unknown fields (`spec.foo`), for `unknown field` warnings.
    pub pruned: Vec<String>,
    /// Validation failures; non-empty means 422.
    pub causes: Vec<Cause>,
}

/// A CRD version's structural schema: defaults, pruning, validation, and list semantics for
/// server-side apply.
pub trait Schema: Send + Sync {
    fn apply(&self, object: &mut Value) -> SchemaResult;

    /// The pruning and defaulting of [`Schema::apply`] (`status`: of [`Schema::apply_status`])
    /// without the validation, as decoding a request body does: the pruned paths. Validation
    /// follows admission.
    fn decode(&self, object: &mut Value, status: bool) -> Vec<String> {
        if status {
            self.apply_status(object, false).pruned
        } else {
            self.apply(object).pruned
        }
    }

    /// The same after mutating admission, whose result keeps its nulls (only the request body
    /// loses non-nullable nulls).
    fn apply_after_admission(&self, object: &mut Value) -> SchemaResult {
        self.apply(object)
    }

    /// [`Schema::apply`] (`after_admission`: [`Schema::apply_after_admission`]) for a write
    /// of the `status` subresource: the object is the stored one with a new status.
    fn apply_status(&self, object: &mut Value, after_admission: bool) -> SchemaResult {
        if after_admission {
            self.apply_after_admission(object)
        } else {
            self.apply(object)
        }
    }

    /// `x-kubernetes-list-type` (and map keys) of the list at `path` (object field names from
    /// the root; list items are not part of the path). `None`: atomic.
    fn list_keys(&self, _path: &[&str]) -> ListKind {
        ListKind::Atomic
    }
}

/// How server-side apply merges a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListKind {
    Atomic,
    Set,
    Map(Vec<String>),
}

/// Where a Table cell comes from.
#[derive(Clone)]
pub enum CellSource {
    Name,
    /// Human duration since `metadata.creationTimestamp`.
    Age,
    /// Computed from the object (CRD JSONPath columns, core-type summaries).
    Compute(Arc<dyn Fn(&Value) -> Value + Send + Sync>),
}

/// One column of the `Table` a `kubectl get` receives.
#[derive(Clone)]
pub struct Column {
    pub name: String,
    pub type_: String,
    pub format: String,
    pub description: String,
    pub priority: i64,
    pub source: CellSource,
}

impl Column {
    pub fn name_column() -> Column {
        Column {
            name: "Name".into(),
            type_: "string".into(),
            format: "name".into(),
            description: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names".into(),
            priority: 0,
            source: CellSource::Name,
        }
    }

    pub fn age_column() -> Column {
        Column {
            name: "Age".into(),
            type_: "date".into(),
            format: String::new(),
            description: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata".into(),
            priority: 0,
            source: CellSource::Age,
        }
    }

    pub fn computed(
        name: &str,
        type_: &str,
        description: &str,
        priority: i64,
        f: impl Fn(&Value) -> Value + Send + Sync + 'static,
    ) -> Column {
        Column {
            name: name.into(),
            type_: type_.into(),
            format: String::new(),
            description: description.into(),
            priority,
            source: CellSource::Compute(Arc::new(f)),
        }
    }
}

/// Everything the registry knows about one served resource version.
#[derive(Clone)]
pub struct TypeInfo {
    pub rt: ResourceType,
    /// A custom resource (CRD): resourceVersion required on update, generation maintained,
    /// strategic merge patch unsupported, Status body on delete.
    pub custom: bool,
    pub name_rule: NameRule,
    /// Field selector names beyond `metadata.name` / `metadata.namespace`.
    pub extra_fields: Vec<&'static str>,
    pub columns: Vec<Column>,
    pub schema: Option<Arc<dyn Schema>>,
}

impl TypeInfo {
    pub fn gr(&self) -> GroupResource {
        self.rt.group_resource()
    }

    /// The group/resource its objects are stored under: another group's, when the API server
    /// serves one storage under two groups (events.k8s.io Events are core Events).
    pub fn stored_gr(&self) -> GroupResource {
        crate::event_versions::stored_gr(self.gr())
    }

    /// The group of the internal type validation errors name (the stored one).
    pub fn internal_group(&self) -> String {
        self.stored_gr().group.into_owned()
    }

    /// `Kind.group` (or `Kind` for the core group), as 422 messages name the type.
    pub fn qualified_kind(&self) -> String {
        let group = self.internal_group();
        if group.is_empty() {
            self.rt.kind.clone()
        } else {
            format!("{}.{group}", self.rt.kind)
        }
    }

    pub fn supported_fields(&self) -> Vec<&str> {
        let mut fields = vec!["metadata.name", "metadata.namespace"];
        fields.extend(self.extra_fields.iter().copied());
        fields
    }
}

/// Converts an object between served versions of one resource.
pub type Converter = Arc<dyn Fn(Value, &TypeInfo) -> Result<Value, ApiError> + Send + Sync>;

/// All served types, looked up by group/version/plural, by group/resource and by kind.
#[derive(Clone)]
pub struct Catalog {
    types: Vec<Arc<TypeInfo>>,
    by_gvr: BTreeMap<(String, String, String), Arc<TypeInfo>>,
    storage: BTreeMap<GroupResource, Arc<TypeInfo>>,
    converter: Option<Converter>,
}

impl Catalog {
    pub fn new(types: Vec<TypeInfo>, converter: Option<Converter>) -> Catalog {
        let types: Vec<Arc<TypeInfo>> = types.into_iter().map(Arc::new).collect();
        let mut by_gvr = BTreeMap::new();
        let mut storage = BTreeMap::new();
        for t in &types {
            by_gvr.insert(
                (
                    t.rt.group.clone(),
                    t.rt.version.clone(),
                    t.rt.plural.clone(),
                ),
                t.clone(),
            );
            if t.rt.storage {
                storage.insert(t.gr(), t.clone());
            }
        }
        Catalog {
            types,
            by_gvr,
            storage,
            converter,
        }
    }

    pub fn all(&self) -> &[Arc<TypeInfo>] {
        &self.types
    }

    pub fn get(&self, group: &str, version: &str, plural: &str) -> Option<Arc<TypeInfo>> {
        self.by_gvr
            .get(&(group.to_string(), version.to_string(), plural.to_string()))
            .cloned()
    }

    /// The storage version of a resource.
    pub fn storage(&self, gr: &GroupResource) -> Option<Arc<TypeInfo>> {
        self.storage
            .get(&crate::event_versions::stored_gr(gr.clone()))
            .cloned()
    }

    /// The type serving `apiVersion` + `kind`.
    pub fn by_kind(&self, api_version: &str, kind: &str) -> Option<Arc<TypeInfo>> {
        self.types
            .iter()
            .find(|t| t.rt.api_version() == api_version && t.rt.kind == kind)
            .cloned()
    }

    /// Converts a stored object (storage version) or a request body to the version `to`.
    pub fn convert(&self, object: Value, to: &TypeInfo) -> Result<Value, ApiError> {
        let api_version = to.rt.api_version();
        if object.get("apiVersion").and_then(Value::as_str) == Some(api_version.as_str()) {
            return Ok(object);
        }
        match &self.converter {
            Some(convert) if to.custom => convert(object, to),
            _ if to.rt.kind == crate::event_versions::KIND && !to.custom => {
                Ok(crate::event_versions::convert(&object, &api_version))
            }
            _ => {
                let mut object = object;
                object["apiVersion"] = Value::String(api_version);
                Ok(object)
            }
        }
    }
}
