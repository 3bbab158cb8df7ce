//! The API server's wire behaviour, request by request, against exact responses: Status
//! errors, bad input, selectors, paging, watch semantics, deletion, Table output, discovery.

use crate::common;

use common::{Http, WatchReader, configmap, ksvc};
use knit_emulator::{BackgroundEmulator, Config};
use serde_json::{Value, json};

const CM: &str = "/api/v1/namespaces/default/configmaps";
const KSVC: &str = "/apis/serving.knative.dev/v1/namespaces/default/services";
const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

fn start() -> (BackgroundEmulator, Http) {
    let emulator = BackgroundEmulator::start(Config::default());
    let http = Http(emulator.addr());
    (emulator, http)
}

fn status(code: u16, reason: &str, message: &str, details: Option<Value>) -> Value {
    let mut s = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": code});
    if let Some(d) = details {
        s["details"] = d;
    }
    s
}

/// The Status of a 400 BadRequest without details.
fn bad_request(message: &str) -> Value {
    status(400, "BadRequest", message, None)
}

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn unknown_paths_and_missing_objects() {
    let (_e, http) = start();
    // Under /apis an unknown group is Go's plain-text 404 (the aggregator's), under /api a Status.
    let r = http.get("/apis/nope.example.com/v1/things");
    assert_eq!(r.status, 404);
    assert_eq!(r.text(), "404 page not found\n");
    assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
    let r = http.get("/api/v1/things");
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json(),
        status(
            404,
            "NotFound",
            "the server could not find the requested resource",
            Some(json!({}))
        )
    );
    let r = http.get(&format!("{KSVC}/hello"));
    assert_eq!(r.status, 404);
    assert_eq!(
        r.text(),
        r#"{"apiVersion":"v1","code":404,"details":{"group":"serving.knative.dev","kind":"services","name":"hello"},"kind":"Status","message":"services.serving.knative.dev \"hello\" not found","metadata":{},"reason":"NotFound","status":"Failure"}"#
    );
    assert_eq!(r.header("content-type"), Some("application/json"));
    let r = http.post(
        "/api/v1/namespaces/nope/configmaps",
        &configmap("nope", "a"),
    );
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json(),
        status(
            404,
            "NotFound",
            "namespaces \"nope\" not found",
            Some(json!({"name": "nope", "kind": "namespaces"}))
        )
    );
}

#[test]
fn bad_bodies_get_the_api_servers_errors() {
    let (_e, http) = start();
    let r = http.send("POST", KSVC, "application/json", b"{\"apiVersion\": ");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["reason"], "BadRequest");
    // Go's encoding/json wording inside apimachinery's message (as kube-apiserver v1.28.7).
    assert_eq!(
        r.message(),
        "the object provided is unrecognized (must be of type Service): couldn't get version/kind; json parse error: unexpected end of JSON input ({\"apiVersion\": )"
    );

    let r = http.post(
        KSVC,
        &json!({"apiVersion": "serving.knative.dev/v1", "metadata": {"name": "x"}}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.message(),
        r#"Object 'Kind' is missing in '{"apiVersion":"serving.knative.dev/v1","metadata":{"name":"x"}}'"#
    );

    let mut wrong_kind = ksvc("x", "img");
    wrong_kind["kind"] = json!("Route");
    let r = http.post(KSVC, &wrong_kind);
    // A custom resource of the wrong kind fails validation (kube-apiserver v1.28.7).
    assert_eq!(
        r.json(),
        status(
            422,
            "Invalid",
            "Route.serving.knative.dev \"x\" is invalid: kind: Invalid value: \"Route\": must be Service",
            Some(
                json!({"name": "x", "group": "serving.knative.dev", "kind": "Route", "causes": [{"reason": "FieldValueInvalid", "message": "Invalid value: \"Route\": must be Service", "field": "kind"}]})
            )
        )
    );

    let mut wrong_version = ksvc("x", "img");
    wrong_version["apiVersion"] = json!("serving.knative.dev/v2");
    let r = http.post(KSVC, &wrong_version);
    assert_eq!(
        r.json(),
        bad_request(
            "the API version in the data (serving.knative.dev/v2) does not match the expected API version (serving.knative.dev/v1)"
        )
    );

    let mut other_ns = ksvc("x", "img");
    other_ns["metadata"]["namespace"] = json!("kube-system");
    let r = http.post(KSVC, &other_ns);
    assert_eq!(
        r.json(),
        bad_request(
            "the namespace of the provided object does not match the namespace sent on the request"
        )
    );

    assert_eq!(http.post(KSVC, &ksvc("x", "img")).status, 201);
    let r = http.put(&format!("{KSVC}/y"), &ksvc("x", "img"));
    assert_eq!(
        r.json(),
        bad_request("the name of the object (x) does not match the name on the URL (y)")
    );

    let big = vec![b' '; 4 * 1024 * 1024];
    let r = http.send("POST", KSVC, "application/json", &big);
    assert_eq!(
        r.json(),
        status(
            413,
            "RequestEntityTooLarge",
            "Request entity too large: limit is 3145728",
            None
        )
    );

    let r = http.send("POST", CM, "text/plain", b"hello");
    assert_eq!(r.status, 415);
    assert_eq!(r.json()["reason"], "UnsupportedMediaType");
}

#[test]
fn create_sets_system_fields_and_generated_names() {
    let (_e, http) = start();
    let mut body = ksvc("", "img");
    body["metadata"] = json!({"generateName": "gen-", "uid": "client-uid", "creationTimestamp": "2000-01-01T00:00:00Z"});
    body["status"] = json!({"url": "http://made.up"});
    let mut with_rv = body.clone();
    with_rv["metadata"]["resourceVersion"] = json!("99");
    let r = http.post(KSVC, &with_rv);
    assert_eq!(r.status, 500);
    assert_eq!(
        r.message(),
        "resourceVersion should not be set on objects to be created"
    );
    let r = http.post(KSVC, &body);
    assert_eq!(r.status, 201);
    let obj = r.json();
    let name = obj["metadata"]["name"].as_str().unwrap();
    assert!(name.starts_with("gen-") && name.len() == 9, "{name}");
    assert!(
        name[4..]
            .chars()
            .all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)),
        "{name}"
    );
    assert_ne!(obj["metadata"]["uid"], "client-uid");
    assert_ne!(obj["metadata"]["resourceVersion"], "99");
    assert_ne!(obj["metadata"]["creationTimestamp"], "2000-01-01T00:00:00Z");
    assert_eq!(obj["metadata"]["generation"], 1);
    assert_eq!(obj.get("status"), None, "status is dropped on create");
    let ts = obj["metadata"]["creationTimestamp"].as_str().unwrap();
    assert!(ts.len() == 20 && ts.ends_with('Z'), "{ts}");
}

#[test]
fn invalid_names_and_missing_resource_version_are_422() {
    let (_e, http) = start();
    let r = http.post(KSVC, &ksvc("Hello", "img"));
    assert_eq!(r.status, 422);
    let msg = "Invalid value: \"Hello\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    assert_eq!(
        r.json(),
        status(
            422,
            "Invalid",
            &format!("Service.serving.knative.dev \"Hello\" is invalid: metadata.name: {msg}"),
            Some(
                json!({"name": "Hello", "group": "serving.knative.dev", "kind": "Service", "causes": [{"reason": "FieldValueInvalid", "message": msg, "field": "metadata.name"}]})
            )
        )
    );

    assert_eq!(http.post(KSVC, &ksvc("hello", "img")).status, 201);
    let r = http.put(&format!("{KSVC}/hello"), &ksvc("hello", "img:2"));
    assert_eq!(
        r.json(),
        status(
            422,
            "Invalid",
            "services.serving.knative.dev \"hello\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
            Some(
                json!({"name": "hello", "group": "serving.knative.dev", "kind": "services", "causes": [{"reason": "FieldValueInvalid", "message": "Invalid value: 0x0: must be specified for an update", "field": "metadata.resourceVersion"}]})
            )
        )
    );
    let r = http.put(&format!("{KSVC}/nope"), &ksvc("nope", "img:2"));
    assert_eq!(r.status, 404);
}

#[test]
fn unknown_fields_warn_or_fail_with_strict_validation() {
    let (_e, http) = start();
    let mut body = ksvc("warned", "img");
    body["spec"]["bogus"] = json!(1);
    let r = http.post(KSVC, &body);
    assert_eq!(r.status, 201);
    assert!(
        r.headers_named("warning")
            .contains(&"299 - \"unknown field \\\"spec.bogus\\\"\""),
        "{:?}",
        r.headers
    );
    assert_eq!(r.json()["spec"].get("bogus"), None);
    body["metadata"]["name"] = json!("strict");
    let r = http.post(&format!("{KSVC}?fieldValidation=Strict"), &body);
    assert_eq!(
        r.json(),
        bad_request(
            "Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.bogus\""
        )
    );
}

#[test]
fn optimistic_concurrency_generation_status_and_no_op_writes() {
    let (_e, http) = start();
    // Knative's Route has a status subresource; its controller is not triggered by a bare route.
    let path = "/api/v1/namespaces/default/configmaps";
    let created = http.post(path, &configmap("default", "cm")).json();
    let rv = created["metadata"]["resourceVersion"].clone();
    // Same content: no new resourceVersion.
    let same = http.put(&format!("{path}/cm"), &created).json();
    assert_eq!(same["metadata"]["resourceVersion"], rv);
    let mut changed = created.clone();
    changed["data"] = json!({"a": "1"});
    let updated = http.put(&format!("{path}/cm"), &changed).json();
    assert_ne!(updated["metadata"]["resourceVersion"], rv);
    let r = http.put(&format!("{path}/cm"), &changed);
    assert_eq!(r.status, 409);
    assert_eq!(
        r.json(),
        status(
            409,
            "Conflict",
            "Operation cannot be fulfilled on configmaps \"cm\": the object has been modified; please apply your changes to the latest version and try again",
            Some(json!({"name": "cm", "kind": "configmaps"}))
        )
    );
    // Core types allow updates without a resourceVersion.
    let mut unconditional = changed.clone();
    unconditional["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("resourceVersion");
    unconditional["data"] = json!({"a": "2"});
    assert_eq!(http.put(&format!("{path}/cm"), &unconditional).status, 200);

    // Status subresource on a custom resource (one no controller touches): status writes keep
    // spec, main writes keep status, and only spec changes bump generation.
    let path = "/apis/autoscaling.internal.knative.dev/v1alpha1/namespaces/default/metrics";
    let metric = json!({"apiVersion": "autoscaling.internal.knative.dev/v1alpha1", "kind": "Metric", "metadata": {"name": "m"}, "spec": {"stableWindow": 60_000_000_000u64, "panicWindow": 6_000_000_000u64, "scrapeTarget": "a"}});
    let r = http.post(path, &metric);
    assert_eq!(r.status, 201, "{}", r.text());
    let current = r.json();
    let mut status_write = current.clone();
    status_write["status"] = json!({"observedGeneration": 7});
    status_write["spec"]["scrapeTarget"] = json!("ignored");
    let r = http.put(&format!("{path}/m/status"), &status_write);
    assert_eq!(r.status, 200, "{}", r.text());
    let after = r.json();
    assert_eq!(after["spec"]["scrapeTarget"], "a");
    assert_eq!(after["status"]["observedGeneration"], 7);
    assert_eq!(after["metadata"]["generation"], 1);
    let mut main_write = after.clone();
    main_write["status"] = json!({"observedGeneration": 1});
    main_write["metadata"]["labels"] = json!({"x": "y"});
    let r = http.put(&format!("{path}/m"), &main_write).json();
    assert_eq!(r["status"]["observedGeneration"], 7);
    assert_eq!(r["metadata"]["generation"], 1);
    let mut spec_write = r.clone();
    spec_write["spec"]["scrapeTarget"] = json!("b");
    let r = http.put(&format!("{path}/m"), &spec_write).json();
    assert_eq!(r["metadata"]["generation"], 2);
    assert_eq!(r["metadata"]["uid"], current["metadata"]["uid"]);
}

#[test]
fn patch_types_and_their_errors() {
    let (_e, http) = start();
    http.post(CM, &configmap("default", "p"));
    let item = format!("{CM}/p");
    let r = http.merge_patch(&item, &json!({"data": {"a": "1"}}));
    assert_eq!(r.json()["data"], json!({"a": "1"}));
    let r = http.patch(
        &item,
        "application/json-patch+json",
        &json!([{"op": "test", "path": "/data/a", "value": "2"}]),
    );
    assert_eq!(r.status, 422);
    assert_eq!(
        r.message(),
        "the server rejected our request due to an error in our request"
    );
    let r = http.patch(
        &item,
        "application/strategic-merge-patch+json",
        &json!({"data": {"b": "2"}}),
    );
    assert_eq!(r.json()["data"], json!({"a": "1", "b": "2"}));
    let r = http.merge_patch(
        &item,
        &json!({"metadata": {"resourceVersion": "1"}, "data": {"c": "3"}}),
    );
    assert_eq!(r.status, 409);
    let r = http.merge_patch(&format!("{CM}/missing"), &json!({}));
    assert_eq!(r.status, 404);

    let r = http.merge_patch(&format!("{item}?force=true"), &json!({}));
    assert_eq!(
        r.json(),
        status(
            422,
            "Invalid",
            "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch",
            Some(
                json!({"group": "meta.k8s.io", "kind": "PatchOptions", "causes": [{"reason": "FieldValueForbidden", "message": "Forbidden: may not be specified for non-apply patch", "field": "force"}]})
            )
        )
    );
    let r = http.patch(
        &item,
        "application/apply-patch+yaml",
        &configmap("default", "p"),
    );
    assert_eq!(
        r.message(),
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"
    );
    let r = http.merge_patch(&format!("{item}?dryRun=Some"), &json!({}));
    assert_eq!(
        r.message(),
        "PatchOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Some\"}: supported values: \"All\""
    );

    // Server-side apply over YAML.
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\n  namespace: default\ndata:\n  a: applied\n";
    let r = http.apply_yaml(&format!("{item}?fieldManager=me"), yaml);
    assert_eq!(r.status, 409);
    assert_eq!(
        r.message(),
        "Apply failed with 1 conflict: conflict with \"\" using v1: .data.a"
    );
    let r = http.apply_yaml(&format!("{item}?fieldManager=me&force=true"), yaml);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["data"], json!({"a": "applied", "b": "2"}));
    let r = http.apply_yaml(
        &format!("{CM}/new?fieldManager=me"),
        &yaml.replace("name: p", "name: new"),
    );
    assert_eq!(r.status, 201);
}

#[test]
fn dry_run_writes_persist_nothing() {
    let (_e, http) = start();
    let r = http.post(&format!("{CM}?dryRun=All"), &configmap("default", "dry"));
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["metadata"].get("resourceVersion"), None);
    assert_eq!(http.get(&format!("{CM}/dry")).status, 404);
    http.post(CM, &configmap("default", "real"));
    let r = http.post(&format!("{CM}?dryRun=All"), &configmap("default", "real"));
    assert_eq!(r.status, 409);
    let r = http.delete(&format!("{CM}/real"), &json!({"dryRun": ["All"]}));
    assert_eq!(r.status, 200);
    assert_eq!(http.get(&format!("{CM}/real")).status, 200);
    let r = http.post(&format!("{CM}?dryRun=Yes"), &configmap("default", "x"));
    assert_eq!(
        r.message(),
        "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Yes\"}: supported values: \"All\""
    );
}

#[test]
fn selectors_paging_and_all_namespace_lists() {
    let (_e, http) = start();
    http.post(
        "/api/v1/namespaces",
        &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}}),
    );
    for (ns, name, tier) in [
        ("default", "b", "web"),
        ("default", "a", "db"),
        ("default", "c", "web"),
        ("other", "d", "web"),
    ] {
        let mut cm = configmap(ns, name);
        cm["metadata"]["labels"] = json!({"tier": tier});
        assert_eq!(
            http.post(&format!("/api/v1/namespaces/{ns}/configmaps"), &cm)
                .status,
            201
        );
    }
    let list = http.get(CM).json();
    assert_eq!(
        (list["kind"].as_str(), list["apiVersion"].as_str()),
        (Some("ConfigMapList"), Some("v1"))
    );
    assert_eq!(names(&list), ["a", "b", "c"]);
    assert_eq!(
        names(
            &http
                .get("/api/v1/configmaps?labelSelector=tier%3Dweb")
                .json()
        ),
        ["b", "c", "d"]
    );
    assert_eq!(
        names(&http.get(&format!("{CM}?labelSelector=tier+in+(db)")).json()),
        ["a"]
    );
    assert_eq!(
        names(&http.get(&format!("{CM}?labelSelector=tier!%3Dweb")).json()),
        ["a"]
    );
    assert_eq!(
        names(
            &http
                .get(&format!("{CM}?fieldSelector=metadata.name%3Dc"))
                .json()
        ),
        ["c"]
    );
    let r = http.get(&format!("{CM}?fieldSelector=spec.foo%3Dx"));
    // ConfigMaps have no field-label conversion of their own: the generic wording.
    assert_eq!(
        r.json(),
        bad_request(
            "\"spec.foo\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        )
    );
    let r = http.get(&format!("{CM}?labelSelector=tier+in+web"));
    assert_eq!(
        r.json(),
        bad_request("unable to parse requirement: found 'web' expected: '('")
    );

    let first = http.get(&format!("{CM}?limit=2")).json();
    assert_eq!(names(&first), ["a", "b"]);
    assert_eq!(first["metadata"]["remainingItemCount"], 1);
    let token = first["metadata"]["continue"].as_str().unwrap();
    let second = http.get(&format!("{CM}?limit=2&continue={token}")).json();
    assert_eq!(names(&second), ["c"]);
    assert_eq!(second["metadata"].get("continue"), None);
    assert_eq!(
        second["metadata"]["resourceVersion"],
        first["metadata"]["resourceVersion"]
    );
    let r = http.get(&format!("{CM}?limit=2&continue=bm9wZQ"));
    assert_eq!(r.status, 400);
    let r = http.get(&format!("{CM}?limit=2&continue={token}&resourceVersion=1"));
    assert_eq!(
        r.json(),
        bad_request("specifying resource version is not allowed when using continue")
    );
    let empty = http.get(KSVC).json();
    assert_eq!(empty["items"], json!([]));
    assert_eq!(empty["kind"], "ServiceList");
}

#[test]
fn watch_initial_events_resume_selectors_bookmarks_and_timeout() {
    let (_e, http) = start();
    let mut cm = configmap("default", "w");
    cm["metadata"]["labels"] = json!({"app": "x"});
    let created = http.post(CM, &cm).json();
    let rv = created["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();

    // Streaming list: initial ADDED, then the initial-events-end bookmark.
    let mut w = WatchReader::open(
        http.0,
        &format!(
            "{CM}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=5"
        ),
        &[],
    );
    assert_eq!(
        (w.status, w_header(&w)),
        (200, Some("application/json".to_string()))
    );
    let first = w.next_event().unwrap();
    assert_eq!(
        (
            first["type"].as_str(),
            first["object"]["metadata"]["name"].as_str()
        ),
        (Some("ADDED"), Some("w"))
    );
    let bookmark = w.next_event().unwrap();
    assert_eq!(
        bookmark,
        json!({"type": "BOOKMARK", "object": {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"resourceVersion": rv, "annotations": {"k8s.io/initial-events-end": "true"}}}})
    );
    drop(w);

    // A selector watch from a revision: the object leaving the selection is DELETED, coming back ADDED.
    let mut w = WatchReader::open(
        http.0,
        &format!("{CM}?watch=1&labelSelector=app%3Dx&resourceVersion={rv}&timeoutSeconds=5"),
        &[],
    );
    http.merge_patch(
        &format!("{CM}/w"),
        &json!({"metadata": {"labels": {"app": "y"}}}),
    );
    http.merge_patch(
        &format!("{CM}/w"),
        &json!({"metadata": {"labels": {"app": "x"}}}),
    );
    http.merge_patch(&format!("{CM}/w"), &json!({"data": {"k": "v"}}));
    http.delete(&format!("{CM}/w"), &json!({}));
    let events: Vec<Value> = (0..4).map(|_| w.next_event().expect("event")).collect();
    let kinds: Vec<(&str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap(),
                e["object"]["metadata"]["labels"]["app"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("DELETED", "x"),
            ("ADDED", "x"),
            ("MODIFIED", "x"),
            ("DELETED", "x")
        ]
    );
    // The first DELETED carries the old state at the revision of the change that caused it.
    assert_ne!(
        events[0]["object"]["metadata"]["resourceVersion"],
        json!(rv)
    );

    // timeoutSeconds ends the stream.
    let mut w = WatchReader::open(http.0, &format!("{CM}?watch=true&timeoutSeconds=1"), &[]);
    assert!(w.next_event().is_none());

    // A resourceVersion that is not one is rejected before the stream starts.
    let w = WatchReader::open(http.0, &format!("{CM}?watch=true&resourceVersion=abc"), &[]);
    assert_eq!(w.status, 400);
}

fn w_header(w: &WatchReader) -> Option<String> {
    w.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone())
}

#[test]
fn deletion_with_finalizers_preconditions_and_namespaces() {
    let (_e, http) = start();
    let mut cm = configmap("default", "f");
    cm["metadata"]["finalizers"] = json!(["example.com/keep"]);
    let created = http.post(CM, &cm).json();
    let r = http.delete(
        &format!("{CM}/f"),
        &json!({"preconditions": {"resourceVersion": "1"}}),
    );
    assert_eq!(
        r.json(),
        status(
            409,
            "Conflict",
            &format!(
                "Operation cannot be fulfilled on ConfigMap \"f\": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record ({}). The object might have been modified",
                created["metadata"]["resourceVersion"].as_str().unwrap()
            ),
            Some(json!({"name": "f", "kind": "ConfigMap"}))
        )
    );
    let pending = http.delete(&format!("{CM}/f"), &json!({}));
    assert_eq!(pending.status, 200);
    let pending = pending.json();
    assert_eq!(pending["kind"], "ConfigMap");
    assert!(pending["metadata"]["deletionTimestamp"].is_string());
    assert_eq!(pending["metadata"]["deletionGracePeriodSeconds"], 0);
    // No new finalizers while deleting.
    let r = http.merge_patch(
        &format!("{CM}/f"),
        &json!({"metadata": {"finalizers": ["example.com/keep", "example.com/more"]}}),
    );
    assert_eq!(r.status, 422);
    assert_eq!(
        r.message(),
        "ConfigMap \"f\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/more\"}"
    );
    // Removing the last finalizer completes the deletion.
    let r = http.merge_patch(
        &format!("{CM}/f"),
        &json!({"metadata": {"finalizers": null}}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(http.get(&format!("{CM}/f")).status, 404);

    // A custom resource's completed delete answers with a Status.
    let created = http.post(KSVC, &ksvc("gone", "img")).json();
    let r = http.delete(&format!("{KSVC}/gone"), &json!({}));
    assert_eq!(
        r.json(),
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": {"name": "gone", "group": "serving.knative.dev", "kind": "services", "uid": created["metadata"]["uid"]}})
    );

    let r = http.delete("/api/v1/namespaces/default", &json!({}));
    assert_eq!(
        r.json(),
        status(
            403,
            "Forbidden",
            "namespaces \"default\" is forbidden: this namespace may not be deleted",
            Some(json!({"name": "default", "kind": "namespaces"}))
        )
    );
}

#[test]
fn garbage_collection_background_orphan_and_foreground() {
    let (_e, http) = start();
    let owner = |name: &str| http.post(CM, &configmap("default", name)).json();
    let dependent = |name: &str, owner: &Value| {
        let mut cm = configmap("default", name);
        cm["metadata"]["ownerReferences"] = json!([{"apiVersion": "v1", "kind": "ConfigMap", "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"], "blockOwnerDeletion": true}]);
        let r = http.post(CM, &cm);
        assert_eq!(r.status, 201);
        r.json()["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Replays history from `rv`, so a deletion that already happened is seen too.
    let watch_until_gone = |name: &str, rv: &str| {
        let mut w = WatchReader::open(
            http.0,
            &format!(
                "{CM}?watch=true&fieldSelector=metadata.name%3D{name}&resourceVersion={rv}&timeoutSeconds=10"
            ),
            &[],
        );
        let events = w.until(|e| e["type"] == "DELETED");
        assert_eq!(
            events.last().map(|e| e["type"].clone()),
            Some(json!("DELETED")),
            "{name} was deleted"
        );
    };

    let o1 = owner("o1");
    let rv = dependent("d1", &o1);
    http.delete(&format!("{CM}/o1"), &json!({}));
    watch_until_gone("d1", &rv);

    let o2 = owner("o2");
    let rv = dependent("d2", &o2);
    let r = http.delete(&format!("{CM}/o2"), &json!({"propagationPolicy": "Orphan"}));
    assert_eq!(r.json()["metadata"]["finalizers"], json!(["orphan"]));
    watch_until_gone("o2", &rv);
    let d2 = http.get(&format!("{CM}/d2")).json();
    assert_eq!(d2["metadata"].get("ownerReferences"), None);

    let o3 = owner("o3");
    let rv = dependent("d3", &o3);
    let r = http.delete(&format!("{CM}/o3?propagationPolicy=Foreground"), &json!({}));
    assert_eq!(
        r.json()["metadata"]["finalizers"],
        json!(["foregroundDeletion"])
    );
    watch_until_gone("o3", &rv);
    assert_eq!(http.get(&format!("{CM}/d3")).status, 404);

    // Deleting a collection by label.
    for name in ["l1", "l2", "l3"] {
        let mut cm = configmap("default", name);
        cm["metadata"]["labels"] = json!({"batch": if name == "l3" { "keep" } else { "drop" }});
        http.post(CM, &cm);
    }
    let r = http.send(
        "DELETE",
        &format!("{CM}?labelSelector=batch%3Ddrop"),
        "application/json",
        b"",
    );
    assert_eq!(r.status, 200);
    assert_eq!(names(&r.json()), ["l1", "l2"]);
    assert_eq!(
        names(&http.get(&format!("{CM}?labelSelector=batch")).json()),
        ["l3"]
    );
}

#[test]
fn namespace_deletion_empties_then_removes_it() {
    let (_e, http) = start();
    http.post(
        "/api/v1/namespaces",
        &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "tmp"}}),
    );
    http.post("/api/v1/namespaces/tmp/configmaps", &configmap("tmp", "c"));
    http.post(
        "/apis/serving.knative.dev/v1/namespaces/tmp/services",
        &ksvc("s", "img"),
    );
    let mut w = WatchReader::open(
        http.0,
        "/api/v1/namespaces?watch=true&fieldSelector=metadata.name%3Dtmp&timeoutSeconds=10",
        &[],
    );
    let r = http.delete("/api/v1/namespaces/tmp", &json!({}));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"]["phase"], "Terminating");
    let r = http.post(
        "/api/v1/namespaces/tmp/configmaps",
        &configmap("tmp", "late"),
    );
    // Either still terminating (403) or already gone (404).
    assert!(r.status == 403 || r.status == 404, "{}", r.text());
    let events = w.until(|e| e["type"] == "DELETED");
    assert_eq!(events.last().unwrap()["type"], "DELETED");
    assert_eq!(http.get("/api/v1/namespaces/tmp/configmaps/c").status, 404);
    assert_eq!(http.get("/api/v1/namespaces/tmp").status, 404);
}

#[test]
fn table_output_uses_crd_printer_columns() {
    let (_e, http) = start();
    http.post(CM, &configmap("default", "t"));
    let r = http.get_with(CM, &[("Accept", TABLE)]);
    let table = r.json();
    assert_eq!(
        (table["kind"].as_str(), table["apiVersion"].as_str()),
        (Some("Table"), Some("meta.k8s.io/v1"))
    );
    let columns: Vec<&str> = table["columnDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["Name", "Data", "Age"]);
    let row = &table["rows"][0];
    assert_eq!(row["cells"][0], "t");
    assert_eq!(row["cells"][1], 0);
    assert_eq!(row["object"]["kind"], "PartialObjectMetadata");
    assert_eq!(row["object"]["metadata"]["name"], "t");

    // A Knative Service: the CRD's additionalPrinterColumns, cells from its status. Watch it
    // until Knative's controllers have made it Ready, then ask for the Table.
    let mut w = WatchReader::open(
        http.0,
        &format!("{KSVC}?watch=true&fieldSelector=metadata.name%3Dhello&timeoutSeconds=10"),
        &[],
    );
    http.post(KSVC, &ksvc("hello", "img"));
    w.until(|e| {
        e["object"]["status"]["conditions"]
            .as_array()
            .is_some_and(|c| {
                c.iter()
                    .any(|c| c["type"] == "Ready" && c["status"] == "True")
            })
    });
    let table = http
        .get_with(&format!("{KSVC}/hello"), &[("Accept", TABLE)])
        .json();
    let defs: Vec<Value> = table["columnDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!([c["name"], c["type"], c["format"], c["priority"]]))
        .collect();
    assert_eq!(
        defs,
        [
            json!(["Name", "string", "name", 0]),
            json!(["URL", "string", "", 0]),
            json!(["LatestCreated", "string", "", 0]),
            json!(["LatestReady", "string", "", 0]),
            json!(["Ready", "string", "", 0]),
            json!(["Reason", "string", "", 0]),
        ]
    );
    assert_eq!(
        table["rows"][0]["cells"],
        json!([
            "hello",
            "http://hello.default.svc.cluster.local",
            "hello-00001",
            "hello-00001",
            "True",
            null
        ])
    );

    // A watch in Table form carries column definitions only in its first event.
    let mut w = WatchReader::open(
        http.0,
        &format!("{CM}?watch=true&timeoutSeconds=5"),
        &[("Accept", TABLE)],
    );
    let first = w.next_event().unwrap();
    assert_eq!(first["object"]["kind"], "Table");
    assert!(first["object"]["columnDefinitions"].is_array());
    http.merge_patch(&format!("{CM}/t"), &json!({"data": {"a": "b"}}));
    let second = w.next_event().unwrap();
    assert_eq!(second["type"], "MODIFIED");
    assert_eq!(second["object"]["columnDefinitions"], Value::Null);
    assert_eq!(second["object"]["rows"][0]["cells"][1], 1);
}

#[test]
fn discovery_documents() {
    let (_e, http) = start();
    let version = http.get("/version").json();
    assert_eq!(
        (version["major"].as_str(), version["minor"].as_str()),
        (Some("1"), Some("34"))
    );
    assert_eq!(http.get("/api").json()["versions"], json!(["v1"]));
    let serving = http.get("/apis/serving.knative.dev/v1").json();
    assert_eq!(serving["groupVersion"], "serving.knative.dev/v1");
    let services: Vec<&Value> = serving["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"].as_str().unwrap().starts_with("services"))
        .collect();
    let mut main = services[0].clone();
    assert!(
        main["storageVersionHash"]
            .as_str()
            .is_some_and(|h| !h.is_empty())
    );
    main.as_object_mut().unwrap().remove("storageVersionHash");
    assert_eq!(
        main,
        json!({"name": "services", "singularName": "service", "namespaced": true, "kind": "Service", "verbs": ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"], "shortNames": ["kservice", "ksvc"], "categories": ["all", "knative", "serving"]})
    );
    assert_eq!(
        *services[1],
        json!({"name": "services/status", "singularName": "", "namespaced": true, "kind": "Service", "verbs": ["get", "patch", "update"]})
    );
    let eventing = http.get("/apis/eventing.knative.dev").json();
    assert_eq!(eventing["kind"], "APIGroup");
    assert_eq!(
        eventing["preferredVersion"],
        json!({"groupVersion": "eventing.knative.dev/v1", "version": "v1"})
    );
    let versions: Vec<&str> = eventing["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions[0], "v1");
    let apis = http.get("/apis").json();
    assert_eq!(apis["kind"], "APIGroupList");
}

#[test]
fn deprecated_versions_warn() {
    let (_e, http) = start();
    let r = http.get("/apis/eventing.knative.dev/v1beta1/namespaces/default/eventtypes");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.headers_named("warning"),
        [
            "299 - \"eventing.knative.dev/v1beta1 EventType is deprecated; see https://knative.dev/docs/eventing/event-registry/ for instructions to migrate to eventing.knative.dev/v1beta2 EventType\""
        ]
    );
}

#[test]
fn bearer_token_is_required() {
    let emulator = BackgroundEmulator::start(Config {
        token: Some("t0ken".into()),
        ..Config::default()
    });
    let http = Http(emulator.addr());
    let r = http.get(CM);
    assert_eq!(r.status, 401);
    assert_eq!(r.json(), status(401, "Unauthorized", "Unauthorized", None));
    let r = http.get_with(CM, &[("Authorization", "Bearer t0ken")]);
    assert_eq!(r.status, 200);
    assert_eq!(http.get("/version").status, 200);
    assert!(emulator.kubeconfig_yaml("ctx").contains("token: t0ken"));
}

/// Polls `path` until it answers 200 (the controllers act on the change stream, not inside the
/// request), for at most five seconds.
fn eventually_ok(http: &Http, path: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let r = http.get(path);
        if r.status == 200 {
            return r.json();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{path} never appeared: {}",
            r.text()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn every_namespace_gets_a_default_service_account() {
    let (_e, http) = start();
    let sa = eventually_ok(&http, "/api/v1/namespaces/default/serviceaccounts/default");
    assert_eq!(sa["kind"], "ServiceAccount");
    let r = http.post(
        "/api/v1/namespaces",
        &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "fresh"}}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let sa = eventually_ok(&http, "/api/v1/namespaces/fresh/serviceaccounts/default");
    assert_eq!(sa["apiVersion"], "v1");
    assert_eq!(sa["metadata"]["namespace"], "fresh");
    // The controller owns no fields (it sets none but the name), as upstream's does.
    assert_eq!(sa["metadata"].get("managedFields"), None);
    let first_uid = sa["metadata"]["uid"].clone();
    // Deleted, it comes back (a new object).
    let r = http.delete(
        "/api/v1/namespaces/fresh/serviceaccounts/default",
        &json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let again = eventually_ok(&http, "/api/v1/namespaces/fresh/serviceaccounts/default");
    assert_ne!(again["metadata"]["uid"], first_uid);
    // Other accounts are created as any object.
    let r = http.post(
        "/api/v1/namespaces/fresh/serviceaccounts",
        &json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "robot"}}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let list = http.get("/api/v1/namespaces/fresh/serviceaccounts").json();
    assert_eq!(names(&list), ["default", "robot"]);
}

#[test]
fn list_by_name_finds_exactly_that_object() {
    let (_e, http) = start();
    for name in ["a", "b", "c"] {
        let mut cm = configmap("default", name);
        cm["metadata"]["labels"] = json!({"letter": name});
        assert_eq!(http.post(CM, &cm).status, 201);
    }
    let created_rv: u64 = http.get(&format!("{CM}/b")).json()["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let list = http
        .get(&format!("{CM}?fieldSelector=metadata.name%3Db"))
        .json();
    assert_eq!(names(&list), ["b"]);
    let list_rv: u64 = list["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(list_rv >= created_rv, "{list_rv} < {created_rv}");
    // Combined with a label selector, and with other field terms, it still filters.
    let both = |q: &str| names(&http.get(&format!("{CM}?{q}")).json());
    assert_eq!(
        both("fieldSelector=metadata.name%3Db&labelSelector=letter%3Db"),
        ["b"]
    );
    assert!(both("fieldSelector=metadata.name%3Db&labelSelector=letter%3Da").is_empty());
    assert!(both("fieldSelector=metadata.name%3Db,metadata.namespace%3Dother").is_empty());
    assert!(both("fieldSelector=metadata.name%3Dnone").is_empty());
    assert_eq!(
        both("fieldSelector=metadata.name!%3Db&labelSelector=letter"),
        ["a", "c"]
    );
    // Across namespaces and for cluster-scoped kinds.
    assert_eq!(
        names(
            &http
                .get("/api/v1/configmaps?fieldSelector=metadata.name%3Dc")
                .json()
        ),
        ["c"]
    );
    assert_eq!(
        names(
            &http
                .get("/api/v1/namespaces?fieldSelector=metadata.name%3Ddefault")
                .json()
        ),
        ["default"]
    );
}

#[test]
fn rbac_objects_are_validated_defaulted_and_printed() {
    let (_e, http) = start();
    const ROLES: &str = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles";
    const BINDINGS: &str = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings";
    let r = http.post(
        ROLES,
        &json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader"},
                "rules": [{"verbs": ["get"]}, {"verbs": ["get"], "nonResourceURLs": ["/healthz"]}]}),
    );
    assert_eq!(
        r.json(),
        status(
            422,
            "Invalid",
            "Role.rbac.authorization.k8s.io \"reader\" is invalid: [rules[0].apiGroups: Required value: resource rules must supply at least one api group, rules[0].resources: Required value: resource rules must supply at least one resource, rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs]",
            Some(
                json!({"name": "reader", "group": "rbac.authorization.k8s.io", "kind": "Role", "causes": [
                    {"reason": "FieldValueRequired", "message": "Required value: resource rules must supply at least one api group", "field": "rules[0].apiGroups"},
                    {"reason": "FieldValueRequired", "message": "Required value: resource rules must supply at least one resource", "field": "rules[0].resources"},
                    {"reason": "FieldValueInvalid", "message": "Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs", "field": "rules[1].nonResourceURLs"}
                ]})
            )
        )
    );
    let r = http.post(
        ROLES,
        &json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "system:reader"},
                "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    // roleRef and user subjects get the RBAC group by default.
    let r = http.post(
        BINDINGS,
        &json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "readers"},
                "roleRef": {"kind": "Role", "name": "system:reader"},
                "subjects": [{"kind": "User", "name": "alice"}, {"kind": "ServiceAccount", "name": "default", "namespace": "default"}]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let binding = r.json();
    assert_eq!(
        binding["roleRef"],
        json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "system:reader"})
    );
    assert_eq!(
        binding["subjects"][0],
        json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"})
    );
    // The roleRef is one atomic field for the field manager, and cannot change.
    assert_eq!(
        binding["metadata"]["managedFields"][0]["fieldsV1"]["f:roleRef"],
        json!({})
    );
    let r = http.merge_patch(
        &format!("{BINDINGS}/readers"),
        &json!({"roleRef": {"name": "other"}}),
    );
    assert_eq!(
        r.message(),
        "RoleBinding.rbac.authorization.k8s.io \"readers\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"other\"}: cannot change roleRef"
    );
    let table = http
        .get_with(&format!("{BINDINGS}/readers"), &[("Accept", TABLE)])
        .json();
    let cells = &table["rows"][0]["cells"];
    assert_eq!(cells[0], "readers");
    assert_eq!(cells[1], "Role/system:reader");
    assert_eq!(cells[3], "alice");
    assert_eq!(cells[5], "default/default");
}

#[test]
fn openapi_v2_in_protobuf_and_json() {
    let (_e, http) = start();
    let pb = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    let r = http.get_with("/openapi/v2", &[("Accept", pb)]);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
    );
    // Document { swagger: "2.0", info: { title: "Kubernetes", version: "v1.34.0" } }
    assert_eq!(
        r.body,
        b"\x0a\x032.0\x12\x15\x0a\x0aKubernetes\x12\x07v1.34.0"
    );
    let r = http.get_with("/openapi/v2", &[("Accept", "application/json")]);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.json(),
        json!({"swagger": "2.0", "info": {"title": "Kubernetes", "version": "v1.34.0"}, "paths": {}, "definitions": {}})
    );
}

#[test]
fn openapi_v3_documents_hold_the_kind_schemas() {
    let (_e, http) = start();
    let root = http.get("/openapi/v3").json();
    let url = root["paths"]["apis/serving.knative.dev/v1"]["serverRelativeURL"]
        .as_str()
        .unwrap();
    assert!(url.starts_with("/openapi/v3/apis/serving.knative.dev/v1?hash="));
    let doc = http.get(url).json();
    let schemas = &doc["components"]["schemas"];
    let ksvc = &schemas["dev.knative.serving.v1.Service"];
    assert_eq!(
        ksvc["x-kubernetes-group-version-kind"],
        json!([{"group": "serving.knative.dev", "kind": "Service", "version": "v1"}])
    );
    assert_eq!(
        ksvc["properties"]["metadata"],
        json!({
            "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            "allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}],
        })
    );
    assert_eq!(
        ksvc["properties"]["spec"]["properties"]["traffic"]["type"],
        "array"
    );
    assert_eq!(
        schemas["dev.knative.serving.v1.ServiceList"]["properties"]["items"]["items"],
        json!({"$ref": "#/components/schemas/dev.knative.serving.v1.Service"})
    );
    assert_eq!(
        schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]["type"],
        "object"
    );
    // The API server leaves `example` out of published CRD schemas.
    let doc = http
        .get("/openapi/v3/apis/sources.knative.dev/v1alpha1")
        .json();
    let timer = &doc["components"]["schemas"]["dev.knative.sources.v1alpha1.IntegrationSource"]["properties"]
        ["spec"]["properties"]["timer"]["properties"]["message"];
    assert_eq!(timer["type"], "string");
    assert_eq!(timer.get("example"), None);
    // Built-in kinds: apiVersion, kind and metadata only.
    let doc = http.get("/openapi/v3/api/v1").json();
    let cm = &doc["components"]["schemas"]["io.k8s.api.core.v1.ConfigMap"];
    assert_eq!(
        cm["x-kubernetes-group-version-kind"],
        json!([{"group": "", "kind": "ConfigMap", "version": "v1"}])
    );
    let mut fields: Vec<&String> = cm["properties"].as_object().unwrap().keys().collect();
    fields.sort();
    assert_eq!(fields, ["apiVersion", "kind", "metadata"]);
}
