//! Unit tests of `managed.rs`: field sets, paths, leaves and what an update changes.

use super::*;
use crate::builtin::core_types;
use std::collections::BTreeSet;

fn configmaps() -> TypeInfo {
    core_types()
        .into_iter()
        .find(|t| t.rt.plural == "configmaps")
        .unwrap()
}

#[test]
fn fields_v1_round_trip() {
    let v1 = json!({"f:data": {"f:a": {}, "f:b": {}}, "f:metadata": {"f:labels": {"f:x": {}}}});
    let set = FieldSet::from_fields_v1(&v1);
    assert_eq!(set.paths.len(), 3);
    assert_eq!(set.to_fields_v1(), v1);
    let with_item = json!({"f:list": {"k:{\"name\":\"a\"}": {".": {}, "f:name": {}}}});
    assert_eq!(
        FieldSet::from_fields_v1(&with_item).to_fields_v1(),
        with_item
    );
}

#[test]
fn fields_v1_round_trip_members_with_children_at_every_depth() {
    for v1 in [
        json!({}),
        json!({"f:a": {}}),
        json!({"f:a": {".": {}, "f:b": {}}}),
        json!({"f:a": {".": {}, "f:b": {".": {}, "f:c": {}}, "f:d": {}}, "f:e": {"f:f": {}}}),
        json!({"f:spec": {"f:template": {"f:spec": {"f:containers": {
            "k:{\"name\":\"user-container\"}": {".": {}, "f:image": {}, "f:env": {
                "k:{\"name\":\"A\"}": {".": {}, "f:name": {}, "f:value": {}}}}}}}}}),
    ] {
        assert_eq!(FieldSet::from_fields_v1(&v1).to_fields_v1(), v1);
    }
}

/// The stored text of a field set is the JSON of its tree, and parses back to the same set.
#[test]
fn fields_v1_text_is_the_tree_serialized() {
    let sets = [
        json!({}),
        json!({"f:a": {}}),
        json!({"f:a": {".": {}, "f:b": {}}}),
        json!({"f:a": {".": {}, "f:b": {".": {}, "f:c": {}}, "f:d": {}}, "f:e": {"f:f": {}}}),
        json!({"f:data": {"f:a\"q": {}, "f:b\\": {}, "f:\u{e9}\n\u{1}": {}}}),
        json!({"f:list": {"k:{\"name\":\"a\"}": {".": {}, "f:name": {}}, "v:\"x\"": {}}}),
        // Keys sorting before the "." mark.
        json!({"f:a": {".": {}, "+x": {}, "-y": {".": {}, "f:z": {}}, "f:b": {}}}),
    ];
    for v1 in sets {
        let set = FieldSet::from_fields_v1(&v1);
        let text = set.to_fields_v1_text();
        assert_eq!(text, set.to_fields_v1().to_string(), "{v1}");
        assert_eq!(FieldSet::from_fields_v1(&Value::String(text)), set);
    }
}

#[test]
fn paths_print_like_structured_merge_diff() {
    let path: Path = vec![
        "f:spec".into(),
        "f:containers".into(),
        "k:{\"name\":\"c\"}".into(),
        "f:image".into(),
    ];
    assert_eq!(path_string(&path), ".spec.containers[name=\"c\"].image");
}

#[test]
fn explicitly_written_managed_fields_are_honoured() {
    let ti = configmaps();
    let mut obj = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"x": "1"}});
    let owned = created_fields_text(&ti, &obj, &[]);
    record_create(&ti, &mut obj, "old-manager", None, owned);
    let mut new = obj.clone();
    new["metadata"]["managedFields"][0]["manager"] = json!("new-manager");
    new["metadata"]["managedFields"][0]["operation"] = json!("Apply");
    record_update(&ti, &obj, &mut new, "kubectl", false);
    let list = entries(&new);
    assert_eq!(
        list.iter()
            .map(|e| (e.manager.as_str(), e.operation.as_str()))
            .collect::<Vec<_>>(),
        [("new-manager", "Apply")]
    );
    // Sending the stored entries back unchanged keeps the stored ones.
    let mut same = obj.clone();
    same["data"]["x"] = json!("2");
    record_update(&ti, &obj, &mut same, "editor", false);
    // The old manager keeps the map `.data` it created; the editor owns the changed key.
    let mut managers: Vec<(String, Value)> = entries(&same)
        .iter()
        .map(|e| (e.manager.clone(), e.fields.to_fields_v1()))
        .collect();
    // Entries sort by time first: the two may be a second apart.
    managers.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        managers,
        [
            ("editor".to_string(), json!({"f:data": {"f:x": {}}})),
            ("old-manager".to_string(), json!({"f:data": {}}))
        ]
    );
}

#[test]
fn updates_move_ownership_of_changed_fields() {
    let ti = configmaps();
    let mut obj = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": {"a": "1"}}, "data": {"x": "1", "y": "2"}});
    let owned = created_fields_text(&ti, &obj, &[]);
    record_create(&ti, &mut obj, "creator", None, owned);
    let mut new = obj.clone();
    new["data"]["x"] = json!("changed");
    new["data"].as_object_mut().unwrap().remove("y");
    record_update(&ti, &obj, &mut new, "editor", false);
    let list = entries(&new);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].manager, "creator");
    assert_eq!(
        list[0].fields.to_fields_v1(),
        json!({"f:data": {}, "f:metadata": {"f:labels": {".": {}, "f:a": {}}}})
    );
    assert_eq!(list[1].manager, "editor");
    assert_eq!(
        list[1].fields.to_fields_v1(),
        json!({"f:data": {"f:x": {}}})
    );
}

/// `changed_leaves` walks only what differs, and must agree with diffing every leaf.
#[test]
fn changed_leaves_agree_with_a_full_diff() {
    let ti = configmaps();
    let base = json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c", "labels": {"a": "1", "b": "2"}, "finalizers": ["x"]},
        "data": {"k": "v", "n": "m"},
        "status": {"conditions": [{"type": "Ready", "status": "True"}], "n": 1},
    });
    let edits: Vec<fn(&mut Value)> = vec![
        |o| o["data"]["k"] = json!("w"),
        |o| o["metadata"]["labels"] = json!({}),
        |o| {
            o["metadata"]["labels"].as_object_mut().unwrap().remove("a");
        },
        |o| o["metadata"]["finalizers"] = json!(["x", "y"]),
        |o| o["data"] = json!("not a map"),
        |o| {
            o.as_object_mut().unwrap().remove("data");
        },
        |o| o["status"]["conditions"][0]["status"] = json!("False"),
        |o| o["extra"] = json!({"deep": {"er": [1, 2]}}),
        |_| {},
    ];
    for (n, edit) in edits.iter().enumerate() {
        let mut new = base.clone();
        edit(&mut new);
        for status in [false, true] {
            for (old, new) in [(&base, &new), (&new, &base)] {
                let (before, after) = (leaves(&ti, old, status), leaves(&ti, new, status));
                let changed: BTreeSet<Path> = after
                    .iter()
                    .filter(|(p, v)| before.get(*p) != Some(*v))
                    .map(|(p, _)| p.clone())
                    .collect();
                let removed: BTreeSet<Path> = before
                    .keys()
                    .filter(|p| !after.contains_key(*p))
                    .cloned()
                    .collect();
                let (c, r) = changed_leaves(&ti, old, new, status);
                assert_eq!(c.paths, changed, "edit {n}, status {status}: changed");
                assert_eq!(r.paths, removed, "edit {n}, status {status}: removed");
            }
        }
    }
}
