//! `trigger create/update --filters` (Trigger `spec.filters`) against the emulator: the stored
//! list, describe and `list -o wide`, replacing and clearing on update, the syntax errors found
//! before any request, and the server's own validation messages passed through.

use crate::common::Cluster;
use serde_json::{Value, json};

const EVENTING: &str = "eventing.knative.dev";

fn filters(c: &Cluster, name: &str) -> Value {
    c.get(EVENTING, "triggers", "default", name)
        .expect("trigger stored")["spec"]["filters"]
        .clone()
}

#[test]
fn filters_are_stored_shown_replaced_and_cleared() {
    let c = Cluster::start();
    c.knit(&["broker", "create", "default"]).ok();
    let out = c.knit(&[
        "trigger",
        "create",
        "t1",
        "--sink",
        "https://event.receiver",
        "--filter",
        "type=dev.knative.foo",
        "--filters",
        "prefix:source=/apis/v1",
        "--filters",
        "any(exact:type='a,b', not(suffix:subject=.tmp), cesql:LOWER(id) LIKE 'x%')",
    ]);
    out.assert_stdout("Trigger 't1' successfully created in namespace 'default'.\n");
    c.until_ready(EVENTING, "triggers", "default", "t1");
    assert_eq!(
        filters(&c, "t1"),
        json!([
            {"prefix": {"source": "/apis/v1"}},
            {"any": [
                {"exact": {"type": "a,b"}},
                {"not": {"suffix": {"subject": ".tmp"}}},
                {"cesql": "LOWER(id) LIKE 'x%'"}
            ]}
        ])
    );
    // The kn filter is untouched by --filters.
    let stored = c.get(EVENTING, "triggers", "default", "t1").expect("t1");
    assert_eq!(
        stored["spec"]["filter"],
        json!({"attributes": {"type": "dev.knative.foo"}})
    );
    insta::assert_snapshot!(
        "describe",
        c.knit(&["trigger", "describe", "t1"]).snapshot()
    );
    insta::assert_snapshot!(
        "wide",
        c.knit(&["trigger", "list", "-o", "wide"]).snapshot()
    );

    c.knit(&[
        "trigger",
        "update",
        "t1",
        "--filters",
        r#"{"exact": {"type": "a", "source": "b"}}"#,
    ])
    .assert_stdout("Trigger 't1' updated in namespace 'default'.\n");
    assert_eq!(
        filters(&c, "t1"),
        json!([{"exact": {"source": "b", "type": "a"}}])
    );
    // Several attributes in one exact are not said in the terse syntax: JSON instead.
    insta::assert_snapshot!(
        "wide_json",
        c.knit(&["trigger", "list", "-o", "wide", "--no-headers"])
            .snapshot()
    );

    c.knit(&["trigger", "update", "t1", "--filters-clear"])
        .assert_stdout("Trigger 't1' updated in namespace 'default'.\n");
    assert_eq!(filters(&c, "t1"), Value::Null);
    let stored = c.get(EVENTING, "triggers", "default", "t1").expect("t1");
    assert_eq!(
        stored["spec"]["filter"],
        json!({"attributes": {"type": "dev.knative.foo"}})
    );
}

#[test]
fn syntax_errors_are_caught_before_any_request_and_the_server_validates_the_rest() {
    let c = Cluster::start();
    c.knit(&["broker", "create", "default"]).ok();
    let base = [
        "trigger",
        "create",
        "t",
        "--sink",
        "https://x.y",
        "--filters",
    ];
    let mut all = String::new();
    for filter in [
        // Syntax: refused by knit (exit 2).
        "equals:type=x",
        "any(exact:type=a",
        "exact:type",
        // Semantics: refused by the server's validation, its message passed on (exit 1).
        "exact:Type=x",
        "cesql:type = = 'x'",
        r#"{"exact": {"type": "a"}, "prefix": {"source": "b"}}"#,
    ] {
        let argv = [&base[..], &[filter]].concat();
        let out = c.knit(&argv);
        assert_ne!(out.code, 0, "{filter}");
        all.push_str(&format!("--filters {filter}\n{}\n", out.snapshot()));
    }
    insta::assert_snapshot!(all);
    assert!(c.get(EVENTING, "triggers", "default", "t").is_none());

    // --filters and --filters-clear contradict each other.
    c.knit(&["trigger", "create", "t", "--sink", "https://x.y"])
        .ok();
    let out = c.knit(&[
        "trigger",
        "update",
        "t",
        "--filters",
        "exact:type=a",
        "--filters-clear",
    ]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("clear_conflict", out.snapshot());
    assert_eq!(filters(&c, "t"), Value::Null);
}
