//! OpenAPI v3 discovery (`/openapi/v3` and one document per group/version), as much as kubectl
//! reads: it checks that the PATCH operation of a kind takes `fieldValidation` before it relies
//! on server-side field validation instead of downloading schemas for client-side checks.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::registry::{Catalog, TypeInfo};

fn query_param(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "query", "description": description, "schema": {"type": "string", "uniqueItems": true}})
}

fn write_params() -> Vec<Value> {
    vec![
        query_param(
            "dryRun",
            "When present, indicates that modifications should not be persisted.",
        ),
        query_param(
            "fieldManager",
            "fieldManager is a name associated with the actor or entity that is making these changes.",
        ),
        query_param(
            "fieldValidation",
            "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.",
        ),
    ]
}

fn operation(ti: &TypeInfo, action: &str, id: String, extra: Vec<Value>) -> Value {
    let mut params = extra;
    if matches!(action, "patch" | "put" | "post") {
        params.extend(write_params());
    }
    if action == "patch" {
        params.push(query_param(
            "force",
            "Force is going to \"force\" Apply requests.",
        ));
    }
    json!({
        "operationId": id,
        "parameters": params,
        "responses": {"200": {"description": "OK"}},
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": {"group": ti.rt.group, "version": ti.rt.version, "kind": ti.rt.kind},
    })
}

fn paths_for(ti: &TypeInfo, prefix: &str) -> Vec<(String, Value)> {
    let op_base = format!("{}{}", ti.rt.kind, ti.rt.version);
    let (collection, item) = if ti.rt.namespaced {
        (
            format!("{prefix}/namespaces/{{namespace}}/{}", ti.rt.plural),
            format!(
                "{prefix}/namespaces/{{namespace}}/{}/{{name}}",
                ti.rt.plural
            ),
        )
    } else {
        (
            format!("{prefix}/{}", ti.rt.plural),
            format!("{prefix}/{}/{{name}}", ti.rt.plural),
        )
    };
    let mut out = vec![
        (
            collection,
            json!({
                "get": operation(ti, "list", format!("list{op_base}"), vec![]),
                "post": operation(ti, "post", format!("create{op_base}"), vec![]),
            }),
        ),
        (
            item.clone(),
            json!({
                "get": operation(ti, "get", format!("read{op_base}"), vec![]),
                "put": operation(ti, "put", format!("replace{op_base}"), vec![]),
                "patch": operation(ti, "patch", format!("patch{op_base}"), vec![]),
                "delete": operation(ti, "delete", format!("delete{op_base}"), vec![]),
            }),
        ),
    ];
    if ti.rt.has_status {
        out.push((
            format!("{item}/status"),
            json!({
                "get": operation(ti, "get", format!("read{op_base}Status"), vec![]),
                "put": operation(ti, "put", format!("replace{op_base}Status"), vec![]),
                "patch": operation(ti, "patch", format!("patch{op_base}Status"), vec![]),
            }),
        ));
    }
    out
}

/// `/openapi/v3` and its per-group-version documents, keyed by `api/v1`, `apis/G/V`.
pub struct OpenApi {
    pub root: Value,
    pub documents: BTreeMap<String, Value>,
}

impl OpenApi {
    pub fn new(catalog: &Catalog) -> OpenApi {
        let mut by_gv: BTreeMap<String, Vec<&TypeInfo>> = BTreeMap::new();
        for ti in catalog.all() {
            let key = if ti.rt.group.is_empty() {
                format!("api/{}", ti.rt.version)
            } else {
                format!("apis/{}/{}", ti.rt.group, ti.rt.version)
            };
            by_gv.entry(key).or_default().push(ti);
        }
        let mut documents = BTreeMap::new();
        let mut index = serde_json::Map::new();
        for (key, types) in by_gv {
            let mut paths = serde_json::Map::new();
            for ti in types {
                for (path, item) in paths_for(ti, &format!("/{key}")) {
                    paths.insert(path, item);
                }
            }
            let doc = json!({
                "openapi": "3.0.0",
                "info": {"title": "Kubernetes", "version": "v1.34.0"},
                "paths": paths,
                "components": {"schemas": {}},
            });
            let hash = format!("{:016X}", fnv(&doc.to_string()));
            index.insert(
                key.clone(),
                json!({"serverRelativeURL": format!("/openapi/v3/{key}?hash={hash}")}),
            );
            documents.insert(key, doc);
        }
        OpenApi {
            root: json!({"paths": index}),
            documents,
        }
    }
}

fn fnv(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x100000001b3);
    }
    hash
}
