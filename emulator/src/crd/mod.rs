//! The Knative CustomResourceDefinitions, embedded from `emulator/crds/`, as the API server uses
//! them: served versions and names (discovery), printer columns (Table output), the structural
//! schema (defaulting, pruning, validation) and conversion between served versions.

mod columns;
mod convert;
pub(crate) mod gofmt;
mod schema;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use include_dir::{Dir, include_dir};

use crate::resource::{GroupResource, ResourceType};
use crate::status::{ApiError, Cause};

pub use columns::PrinterColumn;
pub use convert::convert;
pub use schema::{Schema, SchemaOutcome};

/// The vendored manifests, unmodified (Apache-2.0; their headers and LICENSE files stay with them).
static CRD_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/crds");

static KNATIVE: LazyLock<CrdSet> = LazyLock::new(|| {
    let mut files = Vec::new();
    collect_yaml(&CRD_DIR, &mut files);
    // The manifests are compiled in and checked by the tests, so a parse failure is a build defect.
    CrdSet::from_manifests(&files).unwrap_or_else(|e| panic!("embedded Knative CRDs: {e}"))
});

fn collect_yaml<'a>(dir: &'a Dir<'a>, out: &mut Vec<(&'a str, &'a str)>) {
    for file in dir.files() {
        if file.path().extension().is_some_and(|e| e == "yaml")
            && let (Some(path), Some(text)) = (file.path().to_str(), file.contents_utf8())
        {
            out.push((path, text));
        }
    }
    for sub in dir.dirs() {
        collect_yaml(sub, out);
    }
}

/// All CRDs of a Knative install, keyed by group/resource.
#[derive(Debug)]
pub struct CrdSet {
    crds: BTreeMap<GroupResource, Crd>,
    /// The manifests as JSON objects (served as `apiextensions.k8s.io/v1` objects).
    manifests: Vec<serde_json::Value>,
}

/// One CRD: its served versions, in the order the manifest declares them.
#[derive(Debug)]
struct Crd {
    versions: Vec<CrdVersion>,
}

/// One served version of a CRD.
#[derive(Debug)]
pub struct CrdVersion {
    pub resource: ResourceType,
    /// The columns the API server serves in Table output, after the implicit `Name` column
    /// (the CRD's `additionalPrinterColumns`, or `Age` when it declares none).
    pub printer_columns: Vec<PrinterColumn>,
    /// The version's `openAPIV3Schema`.
    pub schema: Schema,
}

impl CrdSet {
    /// The CRDs of Knative Serving and Eventing (parsed once).
    pub fn knative() -> &'static CrdSet {
        &KNATIVE
    }

    /// Builds a set from `(file name, manifest text)` pairs.
    fn from_manifests(files: &[(&str, &str)]) -> Result<CrdSet, String> {
        let options = serde_saphyr::options! {
            // YAML 1.2 booleans only: `on`/`yes`/`y` in a schema stay strings.
            strict_booleans: true,
        };
        let mut crds = BTreeMap::new();
        let mut manifests = Vec::new();
        for (path, text) in files {
            let manifest: manifest::Crd =
                serde_saphyr::from_str_with_options(text, options.clone())
                    .map_err(|e| format!("{path}: {e}"))?;
            manifests.push(
                serde_saphyr::from_str_with_options::<serde_json::Value>(text, options.clone())
                    .map_err(|e| format!("{path}: {e}"))?,
            );
            let crd = Crd::from_manifest(manifest).map_err(|e| format!("{path}: {e}"))?;
            let gr = crd.versions[0].resource.group_resource();
            if crds.insert(gr.clone(), crd).is_some() {
                return Err(format!("{path}: {gr} defined twice"));
            }
        }
        Ok(CrdSet { crds, manifests })
    }

    /// Every CRD manifest as a JSON object, in file order.
    pub fn manifests(&self) -> &[serde_json::Value] {
        &self.manifests
    }

    /// One entry per served version of every CRD, ordered by group, resource, then the versions
    /// in the order their CRD lists them.
    pub fn resource_types(&self) -> Vec<ResourceType> {
        self.crds
            .values()
            .flat_map(|crd| crd.versions.iter().map(|v| v.resource.clone()))
            .collect()
    }

    /// A served version of a resource, by group, version and plural.
    pub fn version(&self, group: &str, version: &str, plural: &str) -> Option<&CrdVersion> {
        self.crds
            .get(&GroupResource::new(group, plural))?
            .versions
            .iter()
            .find(|v| v.resource.version == version)
    }

    /// The version objects of a resource are stored in.
    pub fn storage_version(&self, gr: &GroupResource) -> Option<&CrdVersion> {
        self.crds
            .get(gr)?
            .versions
            .iter()
            .find(|v| v.resource.storage)
    }

    /// All served versions of a resource, in the order its CRD lists them.
    pub fn versions(&self, gr: &GroupResource) -> &[CrdVersion] {
        self.crds
            .get(gr)
            .map(|crd| crd.versions.as_slice())
            .unwrap_or_default()
    }
}

impl Crd {
    fn from_manifest(manifest: manifest::Crd) -> Result<Crd, String> {
        let spec = manifest.spec;
        let names = spec.names;
        let namespaced = match spec.scope.as_str() {
            "Namespaced" => true,
            "Cluster" => false,
            other => return Err(format!("unknown scope {other:?}")),
        };
        let list_kind = names
            .list_kind
            .unwrap_or_else(|| format!("{}List", names.kind));
        let singular = names.singular.unwrap_or_else(|| names.kind.to_lowercase());
        let mut versions = Vec::new();
        for v in spec.versions.into_iter().filter(|v| v.served) {
            // apiextensions-apiserver's default text for a deprecated version without its own warning.
            let deprecation_warning = match (v.deprecated, v.deprecation_warning) {
                (true, Some(w)) => Some(w),
                (true, None) => Some(format!(
                    "{}/{} {} is deprecated",
                    spec.group, v.name, names.kind
                )),
                (false, _) => None,
            };
            let resource = ResourceType {
                group: spec.group.clone(),
                version: v.name.clone(),
                plural: names.plural.clone(),
                singular: singular.clone(),
                kind: names.kind.clone(),
                list_kind: list_kind.clone(),
                namespaced,
                short_names: names.short_names.clone(),
                categories: names.categories.clone(),
                has_status: v.subresources.as_ref().is_some_and(|s| s.status.is_some()),
                storage: v.storage,
                deprecation_warning,
            };
            let printer_columns = if v.additional_printer_columns.is_empty() {
                vec![PrinterColumn::age()]
            } else {
                v.additional_printer_columns
                    .into_iter()
                    .map(PrinterColumn::from)
                    .collect()
            };
            let schema = v
                .schema
                .ok_or_else(|| format!("version {} has no schema", v.name))?
                .open_api_v3_schema;
            versions.push(CrdVersion {
                resource,
                printer_columns,
                schema,
            });
        }
        if versions.is_empty() {
            return Err(format!("{}.{} serves no version", names.plural, spec.group));
        }
        Ok(Crd { versions })
    }
}

impl CrdVersion {
    /// What the API server does to a custom-resource body on create and update, before and
    /// after admission: prune unknown fields (except under `x-kubernetes-preserve-unknown-fields`
    /// and the root's `apiVersion`/`kind`/`metadata`), apply the schema's defaults, then validate
    /// (types, formats, patterns, required fields, list-map keys). `metadata` itself is the
    /// caller's. Empty `causes` means the object is valid.
    pub fn apply_schema(&self, object: &mut serde_json::Value) -> SchemaOutcome {
        self.schema.apply(object)
    }

    /// The 422 `KIND.GROUP "NAME" is invalid: …` error for schema (or other field) causes.
    pub fn invalid(&self, name: &str, causes: Vec<Cause>) -> ApiError {
        invalid_error(&self.resource, name, causes)
    }

    /// The columns of a Table response: `Name`, then [`CrdVersion::printer_columns`].
    pub fn table_columns(&self) -> Vec<PrinterColumn> {
        std::iter::once(PrinterColumn::name())
            .chain(self.printer_columns.iter().cloned())
            .collect()
    }
}

/// The 422 Invalid error the API server returns for `causes` on an object of `resource`
/// (`Service.serving.knative.dev "NAME" is invalid: FIELD: MESSAGE`).
pub fn invalid_error(resource: &ResourceType, name: &str, causes: Vec<Cause>) -> ApiError {
    let qualified_kind = if resource.group.is_empty() {
        resource.kind.clone()
    } else {
        format!("{}.{}", resource.kind, resource.group)
    };
    ApiError::invalid(
        &qualified_kind,
        &resource.group,
        &resource.kind,
        name,
        causes,
    )
}

/// The parts of a CustomResourceDefinition manifest the emulator uses (serde ignores the rest).
mod manifest {
    use serde::Deserialize;

    use super::Schema;

    #[derive(Deserialize)]
    pub struct Crd {
        pub spec: Spec,
    }

    #[derive(Deserialize)]
    pub struct Spec {
        pub group: String,
        pub names: Names,
        pub scope: String,
        pub versions: Vec<Version>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Names {
        pub kind: String,
        pub plural: String,
        pub singular: Option<String>,
        pub list_kind: Option<String>,
        #[serde(default)]
        pub short_names: Vec<String>,
        #[serde(default)]
        pub categories: Vec<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Version {
        pub name: String,
        pub served: bool,
        pub storage: bool,
        #[serde(default)]
        pub deprecated: bool,
        pub deprecation_warning: Option<String>,
        pub subresources: Option<Subresources>,
        #[serde(default)]
        pub additional_printer_columns: Vec<Column>,
        pub schema: Option<VersionSchema>,
    }

    #[derive(Deserialize)]
    pub struct Subresources {
        pub status: Option<serde::de::IgnoredAny>,
    }

    #[derive(Deserialize)]
    pub struct VersionSchema {
        #[serde(rename = "openAPIV3Schema")]
        pub open_api_v3_schema: Schema,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Column {
        pub name: String,
        #[serde(rename = "type")]
        pub type_: String,
        #[serde(default)]
        pub format: String,
        #[serde(default)]
        pub description: String,
        #[serde(default)]
        pub priority: i64,
        pub json_path: String,
    }
}

#[cfg(test)]
mod tests;
