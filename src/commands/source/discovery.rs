//! Which source kinds the cluster has: the CRDs labelled `duck.knative.dev/source=true`, or kn's
//! four built-in kinds when CRDs cannot be listed (403, or an API server that does not serve
//! them); and how `list-types` (sources, channels) prints the kinds it found.

use serde_json::{Value, json};

use crate::client::kinds::{self, CRD};
use crate::client::{Client, Gvr, ListOptions, ObjectList, ResourceKind};
use crate::commands::args::eventing::print_items;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::Printer;
use crate::output::structured::OutputFormat;
use crate::output::table::Table;

/// The label marking source CRDs.
pub const SOURCE_LABEL: &str = "duck.knative.dev/source";

/// kn's built-in sources (`sources.knative.dev/v1`).
pub const BUILT_IN: [ResourceKind; 4] = kinds::BUILT_IN_SOURCES;

/// One source kind: its resource type and its Kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceType {
    pub gvr: Gvr,
    pub kind: String,
}

/// True when an error means "CRDs cannot be listed here" rather than a real failure.
pub fn cannot_list_crds(err: &Error) -> bool {
    err.is_forbidden() || err.is_not_found()
}

/// The CRDs carrying `label=true`, or `None` when CRDs cannot be listed.
pub async fn labelled_crds(client: &Client, label: &str) -> Result<Option<Vec<Value>>> {
    Ok(labelled_crd_list(client, label).await?.map(|l| l.items))
}

/// [`labelled_crds`] with the list's resourceVersion, which `list-types -o` prints as kn does.
pub async fn labelled_crd_list(client: &Client, label: &str) -> Result<Option<ObjectList>> {
    match client
        .list(&CRD, None, &ListOptions::labelled(label, "true"))
        .await
    {
        Ok(list) => Ok(Some(list)),
        Err(e) if cannot_list_crds(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The source type a CRD defines: its storage version (else the first served one).
pub fn source_type_of_crd(crd: &Value) -> Option<SourceType> {
    let group = crd.pointer("/spec/group")?.as_str()?;
    let plural = crd.pointer("/spec/names/plural")?.as_str()?;
    let kind = crd.pointer("/spec/names/kind")?.as_str()?;
    let versions = crd.pointer("/spec/versions")?.as_array()?;
    let flag = |v: &Value, key: &str| v.get(key).and_then(Value::as_bool).unwrap_or(false);
    let version = versions
        .iter()
        .find(|v| flag(v, "storage"))
        .or_else(|| versions.iter().find(|v| flag(v, "served")))?
        .get("name")?
        .as_str()?;
    Some(SourceType {
        gvr: Gvr::new(group, version, plural),
        kind: kind.to_string(),
    })
}

/// The built-in source types.
pub fn built_in_types() -> Vec<SourceType> {
    BUILT_IN
        .iter()
        .map(|k| SourceType {
            gvr: Gvr::of(k),
            kind: k.kind.to_string(),
        })
        .collect()
}

/// A minimal CRD object for a kind known without its CRD (kn's `UnstructuredCRDFromGVK`).
pub fn synthetic_crd(kind: &ResourceKind) -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": kind.group_resource()},
        "spec": {
            "group": kind.group,
            "names": {"kind": kind.kind, "plural": kind.plural},
            "versions": [{"name": kind.version, "served": true, "storage": true}],
        },
    })
}

/// The end of `list-types`: the CRDs as a `CustomResourceDefinitionList` in the `-o` format
/// (with the server list's resourceVersion, when the CRDs were listed), kn's "no <group> found"
/// error when there are none, or else `table` (headers unless `no_headers`).
pub fn print_types(
    ctx: &Context,
    printer: Option<Printer>,
    (crds, resource_version): (&[Value], Option<&str>),
    group: &str,
    table: impl FnOnce(&[Value]) -> Table,
    no_headers: bool,
) -> Result<()> {
    if let Some(printer) = printer {
        if let (Some(rv), false) = (
            resource_version,
            matches!(printer.format, OutputFormat::Name),
        ) {
            let list = json!({
                "apiVersion": "apiextensions.k8s.io/v1",
                "kind": "CustomResourceDefinitionList",
                "metadata": {"resourceVersion": rv},
                "items": crds,
            });
            return ctx.print(&printer.print(&list)?);
        }
        return print_items(
            ctx,
            &printer,
            "apiextensions.k8s.io/v1",
            "CustomResourceDefinitionList",
            crds,
        );
    }
    if crds.is_empty() {
        return Err(Error::NotInstalled {
            group: group.into(),
            api_group: String::new(),
            version: String::new(),
            served: None,
            bin: crate::bin_name(),
        });
    }
    ctx.print(&table(crds).render(!no_headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crd_versions_and_synthetic_crds() {
        let crd = synthetic_crd(&kinds::PING_SOURCE);
        assert_eq!(crd["metadata"]["name"], "pingsources.sources.knative.dev");
        assert_eq!(
            source_type_of_crd(&crd),
            Some(SourceType {
                gvr: Gvr::new("sources.knative.dev", "v1", "pingsources"),
                kind: "PingSource".into()
            })
        );
        let multi = json!({"spec": {"group": "g", "names": {"plural": "ps", "kind": "P"},
            "versions": [{"name": "v1beta2", "served": true}, {"name": "v1", "served": true, "storage": true}]}});
        assert_eq!(source_type_of_crd(&multi).unwrap().gvr.version, "v1");
        assert_eq!(source_type_of_crd(&json!({})), None);
    }
}
