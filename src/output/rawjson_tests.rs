//! Unit tests of `rawjson.rs`: both of its paths print what the `Value` path prints.

use super::*;
use serde_json::{Value, json};

/// The item as the Value path prints it inside a list, and as write_item prints it.
fn both(raw: &str, edits: ItemEdits) -> (String, String) {
    let mut value: Value = serde_json::from_str(raw).unwrap();
    if let Value::Object(map) = &mut value {
        map.entry("apiVersion")
            .or_insert_with(|| json!(edits.type_meta.0));
        map.entry("kind")
            .or_insert_with(|| json!(edits.type_meta.1));
        if edits.drop_managed_fields
            && let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.remove("managedFields");
        }
    }
    let mut expected = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut expected, GoFormatter::at(2));
    serde::Serialize::serialize(&value, &mut ser).unwrap();
    let mut got = Vec::new();
    write_item(&mut got, raw.as_bytes(), 2, edits).unwrap();
    (
        String::from_utf8(expected).unwrap(),
        String::from_utf8(got).unwrap(),
    )
}

const EDITS: ItemEdits = ItemEdits {
    drop_managed_fields: true,
    type_meta: ("v1", "Secret"),
};

#[test]
fn prints_what_the_value_path_prints() {
    let cases = [
        r#"{"metadata":{"name":"a","managedFields":[{"m":1}]},"data":{}}"#,
        r#" { "z" : [ 1 , -2 , 0 , [] , {} , [[ ]] ] , "a" : null , "m" : true, "f": false } "#,
        r#"{"n":[1.5,1e3,-0,1E+2,0.0,123456789012345678901234,-9223372036854775808,18446744073709551615,12345678901234567]}"#,
        r#"{"s":["a<b","x&y","p>q","\u00e9t\u00E9","\/path","tab\there","nl\n","\u2028","raw \u2029 · ü","q\"uote","back\\slash","\u0001"]}"#,
        r#"{"k\u0062":1,"ka":2,"kc":3,"<k>":4,"":5}"#,
        r#"{"dup":1,"b":2,"dup":3}"#,
        r#"{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"managedFields":null}}"#,
    ];
    for raw in cases {
        let (expected, got) = both(raw, EDITS);
        assert_eq!(got, expected, "{raw}");
    }
    let keep = ItemEdits {
        drop_managed_fields: false,
        ..EDITS
    };
    let (expected, got) = both(cases[0], keep);
    assert_eq!(got, expected);
    assert!(got.contains("managedFields"));
}

#[test]
fn fills_type_meta_and_indents_from_the_level() {
    let mut out = Vec::new();
    write_item(&mut out, br#"{"metadata":{"name":"a"}}"#, 0, EDITS).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Secret\",\n    \"metadata\": {\n        \"name\": \"a\"\n    }\n}"
    );
}

#[test]
fn refuses_what_is_not_one_json_object() {
    for raw in [
        "",
        "[]",
        "{",
        r#"{"a":}"#,
        r#"{"a":1,}"#,
        r#"{"a":1} x"#,
        r#"{"a":tru}"#,
        r#"{"a":01}"#,
        r#"{"a":1.}"#,
        r#"{"a":"\q"}"#,
        "{\"a\":\"\x01\"}",
        r#"{"a" 1}"#,
        r#"{a:1}"#,
    ] {
        let mut out = Vec::new();
        assert!(
            write_item(&mut out, raw.as_bytes(), 2, EDITS).is_err(),
            "{raw:?}"
        );
    }
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(200), "]".repeat(200));
    assert!(write_item(&mut Vec::new(), deep.as_bytes(), 2, EDITS).is_err());
}

/// The one-pass path takes the usual item and prints what the tree path prints; what it
/// cannot print (keys out of order or repeated, escapes, a missing type, fractions) it leaves.
#[test]
fn the_direct_path_prints_what_the_tree_path_prints_or_leaves_it() {
    let usual = r#"{"apiVersion":"v1","kind":"Secret","metadata":{"labels":{"a":"b"},"managedFields":[{"manager":"m"}],"name":"x"},"spec":{"list":[1,-2,{"k":[]}],"empty":{},"t":true,"n":null}}"#;
    let sorted_usual = r#"{"apiVersion":"v1","kind":"Secret","metadata":{"labels":{"a":"b"},"managedFields":[{"manager":"m"}],"name":"x"},"spec":{"empty":{},"list":[1,-2,{"k":[]}],"n":null,"t":true}}"#;
    let mut tree = Vec::new();
    write_tree(&mut tree, sorted_usual, 2, EDITS).unwrap();
    let mut direct = Vec::new();
    assert!(direct::write(
        &mut direct,
        sorted_usual.as_bytes(),
        2,
        EDITS
    ));
    assert_eq!(
        String::from_utf8(direct).unwrap(),
        String::from_utf8(tree).unwrap()
    );
    for left in [
        usual.to_string(),
        r#"{"apiVersion":"v1","kind":"Secret","a":1,"a":2}"#.to_string(),
        r#"{"apiVersion":"v1","kind":"Secret","s":"a\"b"}"#.to_string(),
        r#"{"apiVersion":"v1","kind":"Secret","s":"<b>"}"#.to_string(),
        r#"{"kind":"Secret","metadata":{}}"#.to_string(),
        r#"{"apiVersion":"v1","kind":"Secret","n":1.50}"#.to_string(),
        r#"{"apiVersion":"v1","kind":"Secret","metadata":{"managedFields":[]}}"#.to_string(),
    ] {
        let mut out = b"kept".to_vec();
        assert!(
            !direct::write(&mut out, left.as_bytes(), 2, EDITS),
            "{left}"
        );
        assert_eq!(out, b"kept", "{left}");
        let (expected, got) = both(&left, EDITS);
        assert_eq!(got, expected, "{left}");
    }
}
