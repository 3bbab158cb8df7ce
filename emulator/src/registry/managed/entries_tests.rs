//! Unit tests of `entries.rs`: lazy entries, stored text and taking ownership.

use super::*;

/// Reading a member or emptiness off unparsed `fieldsV1` agrees with parsing it.
/// Taking ownership of fields an entry owns already keeps its stored text and changes only
/// its stamp: the same entries as parsing and rendering it again.
#[test]
fn owning_again_what_is_owned_changes_only_the_stamp() {
    let stored = json!({"metadata": {"managedFields": [
        {"manager": "ctl", "operation": "Update", "apiVersion": "v0",
         "time": "2020-01-01T00:00:00Z", "fieldsType": "FieldsV1", "subresource": "status",
         "fieldsV1": r#"{"f:status":{".":{},"f:a":{},"f:list":{".":{},"k:{\"type\":\"R\"}":{".":{},"f:status":{}}}}}"#},
        {"manager": "user", "operation": "Update", "apiVersion": "v1",
         "time": "2020-01-01T00:00:00Z", "fieldsType": "FieldsV1",
         "fieldsV1": r#"{"f:spec":{"f:x":{}}}"#},
    ]}});
    let path = |p: &[&str]| p.iter().map(|e| e.to_string()).collect::<Path>();
    for owned in [
        vec![path(&["f:status", "f:a"])],
        vec![path(&[
            "f:status",
            "f:list",
            "k:{\"type\":\"R\"}",
            "f:status",
        ])],
        // Not owned yet: the entry is parsed and rendered again.
        vec![path(&["f:status", "f:b"])],
    ] {
        let owned = FieldSet {
            paths: owned.into_iter().collect(),
        };
        let take =
            |list| take_ownership(list, &owned, "ctl", "Update", "v1", Some("status"), false);
        // Parsed entries take the full path; stored (lazy) ones the shortcut.
        let (mut a, mut b) = (stored.clone(), stored.clone());
        set_entries(&mut a, take(entries(&stored)));
        set_entries(&mut b, take(stored_lazy(&stored)));
        for object in [&mut a, &mut b] {
            for e in object["metadata"]["managedFields"].as_array_mut().unwrap() {
                if let Some(text) = e["fieldsV1"].as_str() {
                    e["fieldsV1"] = serde_json::from_str(text).unwrap();
                }
            }
        }
        assert_eq!(a, b, "{owned:?}");
    }
}

fn stored_lazy(object: &Value) -> Vec<Entry> {
    lazy_entries(
        object["metadata"]["managedFields"]
            .as_array()
            .unwrap()
            .clone(),
    )
}

#[test]
fn unparsed_fields_agree_with_parsed_ones() {
    let docs = [
        json!({}),
        json!({".": {}}),
        json!({"f:data": {"f:a": {}, "f:b": {}}, "f:metadata": {"f:labels": {"f:x": {}}}}),
        json!({"f:list": {"k:{\"name\":\"a\"}": {".": {}, "f:name": {}}}}),
        json!({"f:spec": {".": {}, "f:x": {"f:y": 5}}, "f:status": {"f:c": {"f:d": {".": {}}}}}),
    ];
    let probes: Vec<Path> = [
        vec!["f:data"],
        vec!["f:data", "f:a"],
        vec!["f:data", "f:c"],
        vec!["f:metadata", "f:labels"],
        vec!["f:metadata", "f:labels", "f:x"],
        vec!["f:list", "k:{\"name\":\"a\"}"],
        vec!["f:list", "k:{\"name\":\"a\"}", "f:name"],
        vec!["f:spec"],
        vec!["f:spec", "f:x"],
        vec!["f:spec", "f:x", "f:y"],
        vec!["f:spec", "f:x", "f:y", "f:z"],
        vec!["f:status", "f:c"],
        vec!["f:status", "f:c", "f:d"],
        vec![],
    ]
    .into_iter()
    .map(|p| p.into_iter().map(String::from).collect())
    .collect();
    for doc in &docs {
        let parsed = FieldSet::from_fields_v1(doc);
        for path in probes.iter().chain(parsed.paths.iter()) {
            assert_eq!(
                has_member(Some(doc), path),
                parsed.paths.contains(path),
                "{path:?} in {doc}"
            );
            // The text check never rules out a member; the text scan finds what parsing does.
            if parsed.paths.contains(path) {
                assert!(may_have_member(&doc.to_string(), path), "{path:?} in {doc}");
            }
            assert_eq!(
                text_has_member(&doc.to_string(), path),
                parsed.paths.contains(path),
                "{path:?} in {doc}"
            );
        }
        // The same as a tree and as stored text.
        for fields in [doc.clone(), Value::String(doc.to_string())] {
            let entry = json!({"manager": "m", "operation": "Update", "fieldsV1": fields});
            let mut lazy = lazy_entries(vec![entry]);
            assert_eq!(lazy[0].is_empty(), parsed.is_empty(), "{doc}");
            // Giving up fields it does not own leaves it unparsed and as stored.
            lazy[0].give_up(&FieldSet {
                paths: [vec!["f:nothing".to_string()]].into(),
            });
            assert!(lazy[0].lazy);
            // Giving up all it owns parses it and leaves nothing.
            lazy[0].give_up(&parsed);
            assert!(lazy[0].is_empty(), "{doc}");
            assert_eq!(lazy[0].lazy, parsed.is_empty(), "{doc}");
        }
    }
}
