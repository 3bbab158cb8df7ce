//! Tests of the go-yaml v2 writer: quoting, block scalars, folding.

use super::*;
use serde_json::json;

#[test]
fn scalars_take_go_yamls_styles() {
    let v = json!({
        "plain": "hello world",
        "cron": "* * * * */1",
        "port": "8080",
        "flag": "true",
        "empty": "",
        "colon": "a: b",
        "quote": "it's: x",
        "time": "2024-01-02T03:04:05Z",
        "tab": "a\tb",
        "multi": "a\nb\n",
        "strip": "a\nb",
        "keep": "a\n\n",
        "int": 3,
        "float": 0.5,
        "big": 1.0e7,
        "null": null,
        "list": [],
        "map": {}
    });
    assert_eq!(
        to_string(&v),
        "big: 1e+07\ncolon: 'a: b'\ncron: '* * * * */1'\nempty: \"\"\nflag: \"true\"\n\
             float: 0.5\nint: 3\nkeep: |+\n  a\n\nlist: []\nmap: {}\nmulti: |\n  a\n  b\n\
             \"null\": null\nplain: hello world\nport: \"8080\"\nquote: 'it''s: x'\nstrip: |-\n  a\n  b\n\
             tab: \"a\\tb\"\ntime: \"2024-01-02T03:04:05Z\"\n"
    );
}

#[test]
fn long_lines_break_at_a_space_past_column_80() {
    let text = "word ".repeat(30);
    let v = json!({"spec": {"items": [{"description": text.trim_end()}]}});
    let out = to_string(&v);
    assert_eq!(
        out,
        format!(
            "spec:\n  items:\n  - description: {}\n      {}\n      word\n",
            ["word"; 13].join(" "),
            ["word"; 16].join(" ")
        )
    );
    let long = format!("ghcr.io/knative/helloworld-go@sha256:{}", "7".repeat(64));
    assert_eq!(
        to_string(&json!({"image": long})),
        format!("image: {long}\n")
    );
}

#[test]
fn keys_sort_naturally() {
    let v = json!({"b10": 1, "b9": 1, "B": 1, "_x": 1, "a": 1});
    assert_eq!(to_string(&v), "_x: 1\nB: 1\na: 1\nb9: 1\nb10: 1\n");
}

#[test]
fn nested_sequences_and_empty_documents() {
    assert_eq!(to_string(&json!({})), "{}\n");
    assert_eq!(
        to_string(&json!([[1, 2], {"a": 1}])),
        "- - 1\n  - 2\n- a: 1\n"
    );
}
