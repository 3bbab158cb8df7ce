//! Protobuf over HTTP: what the differential suite cannot compare. A protobuf body for a
//! custom resource (the real kube-apiserver v1.28.7 panics and drops the connection; later
//! releases and the emulator answer 415), a protobuf watch with bookmarks, and hostile bodies
//! that must not take the emulator down.

use knit_emulator::protobuf::{decode_any, decode_watch, encode_any};
use serde_json::json;

use crate::common::{Http, configmap, ksvc, request};

const PB: &str = "application/vnd.kubernetes.protobuf";
const CM: &str = "/api/v1/namespaces/default/configmaps";

fn start() -> (knit_emulator::BackgroundEmulator, Http) {
    let emulator = knit_emulator::BackgroundEmulator::start(knit_emulator::Config::default());
    let http = Http(emulator.addr());
    (emulator, http)
}

#[test]
fn custom_resources_refuse_protobuf_bodies_with_415() {
    let (_emulator, http) = start();
    let resp = request(
        http.0,
        "POST",
        "/apis/serving.knative.dev/v1/namespaces/default/services",
        &[("Content-Type", PB), ("Accept", "application/json")],
        b"k8s\0\x0a\x00",
    );
    assert_eq!(resp.status, 415);
    assert_eq!(
        resp.json(),
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml", "reason": "UnsupportedMediaType", "code": 415})
    );
    // The object is still a JSON one to create.
    assert_eq!(
        http.post(
            "/apis/serving.knative.dev/v1/namespaces/default/services",
            &ksvc("web", "img")
        )
        .status,
        201
    );
}

#[test]
fn a_protobuf_round_trip_through_the_server_is_lossless() {
    let (_emulator, http) = start();
    let object = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default", "labels": {"a": "b"}}, "data": {"k": "v", "empty": ""}, "binaryData": {"bin": "AAEC/w=="}, "immutable": false});
    let created = request(
        http.0,
        "POST",
        CM,
        &[("Content-Type", PB), ("Accept", PB)],
        &encode_any(&object).unwrap(),
    );
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.header("content-type"), Some(PB));
    let from_protobuf = decode_any(&created.body).unwrap();
    let from_json = http.get(&format!("{CM}/c")).json();
    assert_eq!(from_protobuf, from_json);
    for (field, want) in [
        ("data", json!({"k": "v", "empty": ""})),
        ("binaryData", json!({"bin": "AAEC/w=="})),
        ("immutable", json!(false)),
    ] {
        assert_eq!(from_json[field], want, "{field}");
    }
}

#[test]
fn a_protobuf_watch_frames_events_and_bookmarks() {
    let (_emulator, http) = start();
    assert_eq!(http.post(CM, &configmap("default", "one")).status, 201);
    let resp = request(
        http.0,
        "GET",
        &format!(
            "{CM}?watch=1&timeoutSeconds=1&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
        ),
        &[("Accept", PB)],
        b"",
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(
        resp.header("content-type"),
        Some("application/vnd.kubernetes.protobuf;stream=watch")
    );
    let events = decode_watch(&resp.body).unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["ADDED", "BOOKMARK"]);
    assert_eq!(events[0]["object"]["metadata"]["name"], "one");
    assert_eq!(events[0]["object"]["kind"], "ConfigMap");
    assert_eq!(
        events[1]["object"]["metadata"]["annotations"],
        json!({"k8s.io/initial-events-end": "true"})
    );
}

#[test]
fn hostile_protobuf_bodies_are_400s() {
    let (_emulator, http) = start();
    let mut deep = Vec::new();
    for _ in 0..10_000 {
        let mut outer = vec![0x0a];
        let mut len = deep.len();
        while len >= 0x80 {
            outer.push((len as u8) | 0x80);
            len >>= 7;
        }
        outer.push(len as u8);
        outer.extend(deep);
        deep = outer;
    }
    let mut nested = b"k8s\0\x12".to_vec();
    let mut len = deep.len();
    while len >= 0x80 {
        nested.push((len as u8) | 0x80);
        len >>= 7;
    }
    nested.push(len as u8);
    nested.extend(&deep);
    for body in [
        b"k8s\0".to_vec(),
        b"k8s\0\x12\xff\xff\xff\xff\x0f".to_vec(),
        b"k8s\0\x0a\x04\x0a\x02v1\x12\x03\x0a\x01\xff".to_vec(),
        b"\x00\x01\x02".to_vec(),
        nested,
    ] {
        let resp = http.send("POST", "/api/v1/namespaces", PB, &body);
        assert!(
            resp.status == 400 || resp.status == 422,
            "{} {}",
            resp.status,
            resp.text()
        );
    }
    // Still serving.
    assert_eq!(http.get("/api/v1/namespaces/default").status, 200);
}
