//! Tests of kubectl explain's plaintext rendering.

use super::*;
use serde_json::json;

#[test]
fn wrap_breaks_at_spaces_and_keeps_long_words() {
    assert_eq!(wrap(10, "aaa bbb ccc ddd"), "aaa bbb\nccc ddd");
    assert_eq!(
        wrap(5, "abcdefghij klm"),
        "abcdefghij\nklm",
        "a word longer than the limit stays whole"
    );
    assert_eq!(wrap(10, "one\n\ntwo"), "one\n\ntwo");
    assert_eq!(wrap(76, "short\n"), "short\n");
}

#[test]
fn wrap_keeps_a_non_breaking_space_inside_the_word() {
    assert_eq!(wrap(5, "ab\u{a0}cd ef"), "ab\u{a0}cd\nef");
}

fn document() -> Value {
    json!({
        "paths": {
            "/apis/example.dev/v1/namespaces/{namespace}/widgets": {
                "get": {"x-kubernetes-group-version-kind": {"group": "example.dev", "kind": "Widget", "version": "v1"}}
            }
        },
        "components": {"schemas": {
            "dev.example.v1.Widget": {
                "description": "A widget.",
                "type": "object",
                "required": ["spec"],
                "properties": {
                    "spec": {"type": "object", "description": "What the widget should be.", "properties": {
                        "size": {"type": "string", "enum": ["", "s", "m", "l", "xl"]},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "labels": {"type": "object", "additionalProperties": {"type": "string"}}
                    }},
                    "next": {"$ref": "#/components/schemas/dev.example.v1.Widget"}
                },
                "x-kubernetes-group-version-kind": [{"group": "example.dev", "kind": "Widget", "version": "v1"}]
            }
        }}
    })
}

fn widgets() -> Gvr {
    Gvr {
        group: "example.dev".into(),
        version: "v1".into(),
        resource: "widgets".into(),
    }
}

#[test]
fn a_kind_lists_its_fields_with_types_and_required() {
    let got = render(&document(), &widgets(), &[], false).unwrap();
    assert_eq!(
        got,
        "GROUP:      example.dev\nKIND:       Widget\nVERSION:    v1\n\nDESCRIPTION:\n    A widget.\n    \nFIELDS:\n  next\t<Widget>\n    <no description>\n\n  spec\t<Object> -required-\n    What the widget should be.\n\n\n"
    );
}

#[test]
fn a_field_shows_its_enum_and_the_recursive_tree_stops_at_a_cycle() {
    let path = ["spec".to_string(), "size".to_string()];
    let got = render(&document(), &widgets(), &path, false).unwrap();
    assert_eq!(
        got,
        "GROUP:      example.dev\nKIND:       Widget\nVERSION:    v1\n\nFIELD: size <string>\nENUM:\n    \"\"\n    s\n    m\n    l\n    xl\n\nDESCRIPTION:\n    <empty>\n\n"
    );
    let tree = render(&document(), &widgets(), &[], true).unwrap();
    assert!(tree.contains(
            "  spec\t<Object> -required-\n    labels\t<map[string]string>\n    size\t<string>\n    enum: \"\", s, m, l, ....\n    tags\t<[]string>\n"
        ));
    assert!(tree.contains("  next\t<Widget>\n    next\t<Widget>\n    spec\t<Object> -required-\n"));
}

#[test]
fn errors_are_kubectls() {
    let missing = ["spec".to_string(), "colour".to_string()];
    assert_eq!(
        render(&document(), &widgets(), &missing, false).unwrap_err(),
        "error: field \"colour\" does not exist"
    );
    let other = Gvr {
        resource: "gadgets".into(),
        ..widgets()
    };
    assert_eq!(
        render(&document(), &other, &[], false).unwrap_err(),
        "error: GVR (example.dev/v1, Resource=gadgets) not found in OpenAPI schema"
    );
}
