//! OpenAPI discovery: `/openapi/v3` and one document per group/version, with the PATCH
//! parameters kubectl checks (`fieldValidation`) and the schemas `kubectl explain` renders (each
//! CRD version's `openAPIV3Schema` as the API server publishes it, built-in kinds with just
//! `apiVersion`/`kind`/`metadata`); and `/openapi/v2`, without definitions.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock, OnceLock};

use serde_json::{Map, Value, json};

use crate::crd::CrdSet;
use crate::json::At;
use crate::registry::{Catalog, TypeInfo};

/// The `io.k8s.apimachinery.pkg.apis.meta.v1` schemas every document carries (ObjectMeta,
/// ListMeta, Status, ...), as kube-apiserver v1.28.7 serves them (see emulator/openapi/README.md).
static META_SCHEMAS: LazyLock<Map<String, Value>> = LazyLock::new(|| {
    // Compiled in and checked by the tests, so a parse failure is a build defect.
    serde_json::from_str(include_str!("../../openapi/meta-v1.json"))
        .unwrap_or_else(|e| panic!("emulator/openapi/meta-v1.json: {e}"))
});

const META: &str = "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1";
const API_VERSION_DOC: &str = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND_DOC: &str = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

/// The name of a kind's schema in `components.schemas`: the reversed group for custom resources
/// (`dev.knative.serving.v1.Service`), the Go package path for built-in ones.
fn schema_name(ti: &TypeInfo, kind: &str) -> String {
    let (group, version) = (&ti.rt.group, &ti.rt.version);
    let package = if group.is_empty() {
        "io.k8s.api.core".to_string()
    } else if !ti.custom && group.ends_with(".k8s.io") {
        format!("io.k8s.api.{}", group.split('.').next().unwrap_or_default())
    } else {
        group.rsplit('.').collect::<Vec<_>>().join(".")
    };
    format!("{package}.{version}.{kind}")
}

fn gvk(ti: &TypeInfo, kind: &str) -> Value {
    json!([{"group": ti.rt.group, "kind": kind, "version": ti.rt.version}])
}

/// `apiVersion`, `kind` and `metadata` as the API server writes them into every kind's schema,
/// whatever the CRD declares for them.
fn standard_properties(properties: &mut Map<String, Value>, list: bool) {
    properties.insert(
        "apiVersion".into(),
        json!({"description": API_VERSION_DOC, "type": "string"}),
    );
    properties.insert(
        "kind".into(),
        json!({"description": KIND_DOC, "type": "string"}),
    );
    let metadata = if list {
        json!({
            "description": "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            "allOf": [{"$ref": format!("{META}.ListMeta")}],
        })
    } else {
        json!({
            "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            "allOf": [{"$ref": format!("{META}.ObjectMeta")}],
        })
    };
    properties.insert("metadata".into(), metadata);
}

/// Drops `example`, which the API server leaves out of published CRD schemas, from a schema and
/// every schema nested in it.
fn strip_examples(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    object.remove("example");
    for (key, value) in object.iter_mut() {
        match key.as_str() {
            "properties" | "patternProperties" | "definitions" => {
                if let Some(map) = value.as_object_mut() {
                    map.values_mut().for_each(strip_examples);
                }
            }
            "items" | "additionalProperties" | "not" | "additionalItems" => strip_examples(value),
            "allOf" | "anyOf" | "oneOf" => {
                if let Some(list) = value.as_array_mut() {
                    list.iter_mut().for_each(strip_examples);
                }
            }
            _ => {}
        }
    }
}

/// The CRD's `openAPIV3Schema` for a served version, as JSON.
fn crd_schema(ti: &TypeInfo) -> Option<Value> {
    CrdSet::knative().manifests().iter().find_map(|m| {
        let spec = m.get("spec")?;
        if spec.get("group")?.as_str()? != ti.rt.group
            || spec.at("/names/kind")?.as_str()? != ti.rt.kind
        {
            return None;
        }
        spec.get("versions")?
            .as_array()?
            .iter()
            .find(|v| v.get("name").and_then(Value::as_str) == Some(ti.rt.version.as_str()))?
            .at("/schema/openAPIV3Schema")
            .cloned()
    })
}

/// The schema of a kind and of its list kind, named as in `components.schemas`.
fn kind_schemas(ti: &TypeInfo) -> [(String, Value); 2] {
    let mut schema = crd_schema(ti).unwrap_or_else(|| json!({"type": "object"}));
    strip_examples(&mut schema);
    if let Some(object) = schema.as_object_mut() {
        let properties = object
            .entry("properties")
            .or_insert_with(|| json!({}))
            .as_object_mut();
        if let Some(properties) = properties {
            standard_properties(properties, false);
        }
        object.insert(
            "x-kubernetes-group-version-kind".into(),
            gvk(ti, &ti.rt.kind),
        );
    }
    let mut list_properties = Map::new();
    standard_properties(&mut list_properties, true);
    list_properties.insert(
        "items".into(),
        json!({
            "description": format!("List of {}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md", ti.rt.plural),
            "type": "array",
            "items": {"$ref": format!("#/components/schemas/{}", schema_name(ti, &ti.rt.kind))},
        }),
    );
    let list = json!({
        "description": format!("{} is a list of {}", ti.rt.list_kind, ti.rt.kind),
        "type": "object",
        "required": ["items"],
        "properties": list_properties,
        "x-kubernetes-group-version-kind": gvk(ti, &ti.rt.list_kind),
    });
    [
        (schema_name(ti, &ti.rt.kind), schema),
        (schema_name(ti, &ti.rt.list_kind), list),
    ]
}

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

/// `/openapi/v3` and its per-group-version documents, keyed by `api/v1`, `apis/G/V`, and the
/// `/openapi/v2` document.
/// The v3 documents are built on first use: they hold every CRD schema (megabytes of JSON), and
/// most emulators (one per test) are never asked for them.
pub struct OpenApi {
    types: Vec<Arc<TypeInfo>>,
    v3: OnceLock<V3>,
    pub v2: OpenApiV2,
}

struct V3 {
    root: Value,
    documents: BTreeMap<String, Value>,
}

/// `/openapi/v2` without paths or definitions. kubectl (up to 1.29) fetches it, as protobuf, before
/// `explain` and gives up when that fails, though it renders from the v3 documents.
pub struct OpenApiV2 {
    pub json: Value,
    /// The same document as a gnostic `openapi_v2.Document` message.
    pub protobuf: Vec<u8>,
}

/// The media type of the protobuf form of `/openapi/v2`, as the API server labels it.
pub const V2_PROTOBUF: &str = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

impl OpenApiV2 {
    fn new() -> OpenApiV2 {
        let (title, version) = ("Kubernetes", "v1.34.0");
        // Document { swagger = 1; info = 2 }, Info { title = 1; version = 2 }.
        let mut info = Vec::new();
        proto_string(&mut info, 1, title.as_bytes());
        proto_string(&mut info, 2, version.as_bytes());
        let mut protobuf = Vec::new();
        proto_string(&mut protobuf, 1, b"2.0");
        proto_string(&mut protobuf, 2, &info);
        OpenApiV2 {
            json: json!({
                "swagger": "2.0",
                "info": {"title": title, "version": version},
                "paths": {},
                "definitions": {},
            }),
            protobuf,
        }
    }
}

/// Appends a length-delimited protobuf field.
fn proto_string(out: &mut Vec<u8>, field: u8, bytes: &[u8]) {
    out.push(field << 3 | 2);
    let mut len = bytes.len();
    while len >= 0x80 {
        out.push((len as u8 & 0x7f) | 0x80);
        len >>= 7;
    }
    out.push(len as u8);
    out.extend_from_slice(bytes);
}

impl OpenApi {
    pub fn new(catalog: &Catalog) -> OpenApi {
        OpenApi {
            types: catalog.all().to_vec(),
            v3: OnceLock::new(),
            v2: OpenApiV2::new(),
        }
    }

    /// `/openapi/v3`: the index of the group/version documents.
    pub fn root(&self) -> &Value {
        &self.v3().root
    }

    /// One group/version document by its key (`api/v1`, `apis/G/V`).
    pub fn document(&self, key: &str) -> Option<&Value> {
        self.v3().documents.get(key)
    }

    fn v3(&self) -> &V3 {
        self.v3.get_or_init(|| V3::new(&self.types))
    }
}

impl V3 {
    fn new(types: &[Arc<TypeInfo>]) -> V3 {
        let mut by_gv: BTreeMap<String, Vec<&TypeInfo>> = BTreeMap::new();
        for ti in types {
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
            let mut schemas = META_SCHEMAS.clone();
            for ti in types {
                for (path, item) in paths_for(ti, &format!("/{key}")) {
                    paths.insert(path, item);
                }
                schemas.extend(kind_schemas(ti));
            }
            let doc = json!({
                "openapi": "3.0.0",
                "info": {"title": "Kubernetes", "version": "v1.34.0"},
                "paths": paths,
                "components": {"schemas": schemas},
            });
            let hash = format!("{:016X}", fnv(&doc.to_string()));
            index.insert(
                key.clone(),
                json!({"serverRelativeURL": format!("/openapi/v3/{key}?hash={hash}")}),
            );
            documents.insert(key, doc);
        }
        V3 {
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

/// `/openapi/v2`: protobuf when the client asks for it (kubectl does), JSON otherwise.
pub fn v2_response(
    v2: &OpenApiV2,
    headers: &axum::http::HeaderMap,
) -> axum::http::Response<axum::body::Body> {
    use axum::http::{HeaderValue, header};
    let protobuf = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("protobuf"));
    let (body, media) = if protobuf {
        (v2.protobuf.clone(), V2_PROTOBUF)
    } else {
        (
            serde_json::to_vec(&v2.json).unwrap_or_default(),
            "application/json",
        )
    };
    let mut resp = axum::http::Response::new(axum::body::Body::from(body));
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    resp
}
