//! `knit apply -f`'s engine: documents streamed from each file (any number of them), every
//! object checked against what the cluster serves ([`mapper`]) before the first is sent, then
//! server-side applied with bounded concurrency, and waited for.
//!
//! Order: results are reported in input order. A cluster-scoped object (a Namespace, say) is
//! applied alone, after everything before it and before everything after it, so objects may
//! follow the namespace they live in.

pub mod server_side;

pub mod mapper;

use std::collections::BTreeSet;
use std::io::Read;

use futures::StreamExt;
use serde_json::Value;

use crate::client::{Client, ResourceKind};
use crate::error::{Error, Result};
use crate::ops::wait::WaitSettings;
use crate::output::progress::Progress;
use mapper::Mapper;
use server_side::Applied;

/// Requests in flight at once, for applies and for waits.
pub const CONCURRENCY: usize = 8;

/// One document of the input, with where it came from (`app.yaml, document 3`).
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub at: String,
    pub object: Value,
}

/// One object of the input, checked and ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub kind: ResourceKind,
    /// Empty for cluster-scoped kinds.
    pub namespace: String,
    pub name: String,
    pub object: Value,
}

impl Planned {
    /// `service.serving.knative.dev/hello`, `configmap/settings`, as kubectl names objects.
    pub fn display(&self) -> String {
        format!("{}/{}", self.kind.name_prefix(), self.name)
    }
}

/// Streams the documents of one input (`source` names it in errors) into `out`: YAML with any
/// number of documents, JSON, or a `List` (its items). Empty documents are skipped.
pub fn read_documents(source: &str, mut reader: impl Read, out: &mut Vec<Document>) -> Result<()> {
    let mut index = 0;
    for document in serde_saphyr::read::<_, Value>(&mut reader) {
        index += 1;
        let document = document.map_err(|e| Error::usage(format!("cannot parse {source}: {e}")))?;
        let at = format!("{source}, document {index}");
        match document {
            Value::Null => {}
            Value::Object(ref map)
                if map
                    .get("kind")
                    .and_then(Value::as_str)
                    .is_some_and(|k| k.ends_with("List"))
                    && map.get("items").is_some_and(Value::is_array) =>
            {
                if let Some(Value::Array(items)) = map.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        out.push(Document {
                            at: format!("{at}, item {}", i + 1),
                            object: item.clone(),
                        });
                    }
                }
            }
            Value::Object(_) => out.push(Document {
                at,
                object: document,
            }),
            _ => return Err(Error::usage(format!("{at} is not a Kubernetes object"))),
        }
    }
    Ok(())
}

fn field(object: &Value, pointer: &str) -> String {
    object
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Checks every document: apiVersion and kind present, a name (syntax first, so a bad file
/// sends nothing), then the kinds against the cluster's discovery.
pub async fn plan(
    client: &Client,
    documents: Vec<Document>,
    namespace: &str,
    explicit: Option<&str>,
) -> Result<Vec<Planned>> {
    let mut api_versions = BTreeSet::new();
    for Document { at, object } in &documents {
        let (api_version, kind) = (field(object, "/apiVersion"), field(object, "/kind"));
        if api_version.is_empty() || kind.is_empty() {
            return Err(Error::usage(format!(
                "{at}: the object has no apiVersion or kind"
            )));
        }
        if field(object, "/metadata/name").is_empty() {
            return Err(Error::usage(format!(
                "{at}: the {kind} has no metadata.name (apply needs a name)"
            )));
        }
        api_versions.insert(api_version);
    }
    let mut mapper = Mapper::discover(client, api_versions).await?;
    documents
        .into_iter()
        .map(|d| check(&mut mapper, d, namespace, explicit))
        .collect()
}

/// One document resolved to its type, with the namespace it goes to (the declared one, which
/// must agree with an explicit `-n`, else the default); cluster-scoped objects get none.
pub fn check(
    mapper: &mut Mapper,
    document: Document,
    namespace: &str,
    explicit: Option<&str>,
) -> Result<Planned> {
    let Document { at, mut object } = document;
    let kind = mapper
        .resolve(&field(&object, "/apiVersion"), &field(&object, "/kind"))
        .map_err(|e| Error::failed(format!("{at}: {e}")))?;
    let name = field(&object, "/metadata/name");
    let metadata = crate::edit::json::object(&mut object, "metadata");
    if !kind.namespaced {
        crate::edit::json::remove(metadata, "namespace");
        return Ok(Planned {
            kind,
            namespace: String::new(),
            name,
            object,
        });
    }
    let declared = metadata
        .get("namespace")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let namespace = match (declared.as_str(), explicit) {
        ("", _) => namespace.to_string(),
        (declared, Some(explicit)) if declared != explicit => {
            return Err(Error::usage(format!(
                "the namespace from the provided object \"{declared}\" does not match the namespace \"{explicit}\". You must pass '--namespace={declared}' to perform this operation."
            )));
        }
        (declared, _) => declared.to_string(),
    };
    crate::edit::json::set(metadata, "namespace", Value::String(namespace.clone()));
    Ok(Planned {
        kind,
        namespace,
        name,
        object,
    })
}

/// Runs of objects that may be applied together: each cluster-scoped object alone, the
/// namespaced ones between them together.
fn batches(planned: &[Planned]) -> Vec<&[Planned]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, item) in planned.iter().enumerate() {
        if !item.kind.namespaced {
            if start < i {
                out.push(&planned[start..i]);
            }
            out.push(&planned[i..=i]);
            start = i + 1;
        }
    }
    if start < planned.len() {
        out.push(&planned[start..]);
    }
    out
}

/// Applies every object, [`CONCURRENCY`] at a time, and hands each result to `done` in input
/// order; `done` failing stops the run.
pub async fn apply_all<'a>(
    client: &Client,
    planned: &'a [Planned],
    force: bool,
    mut done: impl FnMut(&'a Planned, Result<Applied>) -> Result<()>,
) -> Result<()> {
    for batch in batches(planned) {
        let mut results = futures::stream::iter(batch)
            .map(|item| async move {
                let applied = server_side::apply(
                    client,
                    &item.kind,
                    &item.namespace,
                    &item.name,
                    &item.object,
                    force,
                )
                .await;
                (item, applied)
            })
            .buffered(CONCURRENCY);
        while let Some((item, applied)) = results.next().await {
            done(item, applied)?;
        }
    }
    Ok(())
}

/// Whether knit can wait for objects of this kind: Knative's kinds report a Ready condition;
/// others (a ConfigMap) have nothing to wait for.
pub fn has_readiness(kind: &ResourceKind) -> bool {
    kind.group.ends_with(".knative.dev")
}

/// Waits until each object with a Ready condition is Ready, [`CONCURRENCY`] at a time; one
/// error per object that is not.
pub async fn wait_all(client: &Client, applied: &[&Planned], settings: WaitSettings) -> Vec<Error> {
    futures::stream::iter(applied.iter().filter(|item| has_readiness(&item.kind)))
        .map(|item| async move {
            let mut quiet = Progress::capture();
            crate::ops::wait::wait_for_ready(
                client,
                &item.kind,
                &item.namespace,
                &item.name,
                settings,
                &mut quiet,
            )
            .await
            .err()
            .map(|e| Error::failed(format!("{}: {e}", item.display())))
        })
        .buffered(CONCURRENCY)
        .filter_map(|e| async move { e })
        .collect()
        .await
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
