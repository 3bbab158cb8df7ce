//! Unit tests of the apply engine: reading documents as a stream, checking them, batching writes.

use serde_json::json;

use super::*;

const TWO: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n  namespace: other\n---\n";

fn documents(text: &str) -> Vec<Document> {
    let mut out = Vec::new();
    read_documents("f.yaml", text.as_bytes(), &mut out).unwrap();
    out
}

fn planned(text: &str, explicit: Option<&str>) -> Result<Vec<Planned>> {
    let mut mapper = mapper::tests::mapper();
    documents(text)
        .into_iter()
        .map(|d| check(&mut mapper, d, "default", explicit))
        .collect()
}

#[test]
fn documents_lists_and_json_become_checked_objects() {
    let docs = documents(TWO);
    // Empty documents are skipped; the numbering counts the documents read.
    assert_eq!(
        docs.iter().map(|d| d.at.as_str()).collect::<Vec<_>>(),
        ["f.yaml, document 1", "f.yaml, document 2"]
    );
    let planned = planned(TWO, None).unwrap();
    let names: Vec<(String, String)> = planned
        .iter()
        .map(|p| (p.display(), p.namespace.clone()))
        .collect();
    assert_eq!(
        names,
        [
            ("configmap/a".into(), "default".into()),
            ("namespace/b".into(), String::new())
        ]
    );
    assert_eq!(planned[0].object["metadata"]["namespace"], "default");
    // A cluster-scoped object carries no namespace.
    assert_eq!(planned[1].object["metadata"], json!({"name": "b"}));
    let list = json!({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "p", "namespace": "ns"}}
    ]});
    let mut out = Vec::new();
    read_documents("l.json", list.to_string().as_bytes(), &mut out).unwrap();
    assert_eq!(out[0].at, "l.json, document 1, item 1");
    let mut mapper = mapper::tests::mapper();
    let item = check(&mut mapper, out.remove(0), "default", None).unwrap();
    assert_eq!(
        (item.display(), item.namespace),
        ("configmap/p".into(), "ns".into())
    );
}

#[test]
fn any_number_of_documents_streams() {
    let text: String = (0..3000)
        .map(|i| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n---\n"))
        .collect();
    let docs = documents(&text);
    assert_eq!(docs.len(), 3000);
    assert_eq!(docs[2999].object["metadata"]["name"], "c2999");
}

#[test]
fn bad_documents_are_refused() {
    let err = planned(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n",
        None,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "f.yaml, document 1: the cluster does not serve example.com/v1, so it has no kind Widget (is its API installed?)"
    );
    assert_eq!(err.exit_code(), 1);
    let err = planned(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: other\n",
        Some("mine"),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the namespace from the provided object \"other\" does not match the namespace \"mine\". You must pass '--namespace=other' to perform this operation."
    );
    let mut out = Vec::new();
    assert!(read_documents("f.yaml", "- a\n".as_bytes(), &mut out).is_err());
    assert!(read_documents("f.yaml", "a: [\n".as_bytes(), &mut out).is_err());
}

#[test]
fn cluster_scoped_objects_are_applied_alone() {
    let planned = planned(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
        None,
    )
    .unwrap();
    let shape: Vec<Vec<String>> = batches(&planned)
        .iter()
        .map(|b| b.iter().map(|p| p.name.clone()).collect())
        .collect();
    assert_eq!(shape, vec![vec!["a"], vec!["ns1"], vec!["b", "c"]]);
}
