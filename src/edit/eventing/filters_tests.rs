//! Unit tests of the `--filters` syntax: parsing, printing back and the errors it names.

use serde_json::json;

use super::*;

fn parse(s: &str) -> Value {
    s.parse::<FilterExpr>()
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .0
}

fn error(s: &str) -> String {
    s.parse::<FilterExpr>().unwrap_err()
}

#[test]
fn each_dialect_parses() {
    assert_eq!(
        parse("exact:type=dev.knative.foo"),
        json!({"exact": {"type": "dev.knative.foo"}})
    );
    assert_eq!(
        parse("prefix:source=/apis/v1"),
        json!({"prefix": {"source": "/apis/v1"}})
    );
    assert_eq!(
        parse("suffix:subject=.png"),
        json!({"suffix": {"subject": ".png"}})
    );
    // At the top level the value and the expression run to the end, commas and all.
    assert_eq!(parse("exact:type=a,b"), json!({"exact": {"type": "a,b"}}));
    assert_eq!(
        parse("cesql:CONCAT(type, source) = 'ab' AND id LIKE 'x%'"),
        json!({"cesql": "CONCAT(type, source) = 'ab' AND id LIKE 'x%'"})
    );
    assert_eq!(parse("exact:type="), json!({"exact": {"type": ""}}));
}

#[test]
fn groups_nest_and_quote_what_would_end_a_value() {
    assert_eq!(
        parse("any(exact:type=a, prefix:source=b)"),
        json!({"any": [{"exact": {"type": "a"}}, {"prefix": {"source": "b"}}]})
    );
    assert_eq!(
        parse(" all( not( suffix:type = .x ) , cesql:LOWER(type) IN ('a', 'b') ) "),
        json!({"all": [
            {"not": {"suffix": {"type": ".x"}}},
            {"cesql": "LOWER(type) IN ('a', 'b')"}
        ]})
    );
    assert_eq!(
        parse("any(exact:type='a,b)', exact:source=\"it\"\"s\")"),
        json!({"any": [{"exact": {"type": "a,b)"}}, {"exact": {"source": "it\"s"}}]})
    );
    assert_eq!(
        parse("not({\"exact\": {\"type\": \"a\", \"source\": \"b\"}})"),
        json!({"not": {"exact": {"type": "a", "source": "b"}}})
    );
    assert_eq!(
        parse("{\"cesql\": \"type = 'x'\"}"),
        json!({"cesql": "type = 'x'"})
    );
}

#[test]
fn syntax_errors_say_where_and_what_is_accepted() {
    assert_eq!(
        error("equals:type=a"),
        "expected exact:, prefix:, suffix:, cesql:, all(, any(, not( or a JSON object at position 1, found 'e'"
    );
    assert_eq!(
        error("exact:type"),
        "exact: needs ATTRIBUTE=VALUE, e.g. exact:type=dev.knative.foo"
    );
    assert_eq!(
        error("any(exact:type=a"),
        "expected ',' or ')' in any(…), found the end of the value"
    );
    assert_eq!(
        error("not(exact:a=1, exact:b=2)"),
        "expected ')' at position 14, found ','"
    );
    assert_eq!(
        error("exact:type='a"),
        "the quoted value has no closing ' at position 12, found '''"
    );
    assert_eq!(
        error("exact:type='a' b"),
        "expected the end of the filter at position 16, found 'b'"
    );
    assert_eq!(
        error("cesql:"),
        "cesql: needs an expression, e.g. cesql:type LIKE 'dev.%'"
    );
    assert_eq!(
        error("any()"),
        "expected exact:, prefix:, suffix:, cesql:, all(, any(, not( or a JSON object at position 5, found ')'"
    );
    assert!(error("{\"exact\": ").starts_with("the JSON filter does not parse: "));
    assert_eq!(
        error("[1]"),
        "expected exact:, prefix:, suffix:, cesql:, all(, any(, not( or a JSON object at position 1, found '['"
    );
}

#[test]
fn rendering_reads_back_as_the_same_filter() {
    for text in [
        "exact:type=dev.knative.foo",
        "any(exact:type='a,b', prefix:source='it''s')",
        "all(not(suffix:type=.x), cesql:LOWER(type) IN ('a', 'b'))",
        "exact:type=''",
    ] {
        let parsed = parse(text);
        assert_eq!(render(&parsed), text);
        assert_eq!(parse(&render(&parsed)), parsed, "{text}");
    }
    // What the syntax cannot say comes out as JSON, which parses back too.
    let several = json!({"exact": {"source": "b", "type": "a"}});
    assert_eq!(render(&several), r#"{"exact":{"source":"b","type":"a"}}"#);
    assert_eq!(parse(&render(&several)), several);
    assert_eq!(
        render_all(Some(&json!([{"exact": {"type": "a"}}, {"cesql": "true"}]))),
        "exact:type=a; cesql:true"
    );
    assert_eq!(render_all(None), "");
}

#[test]
fn set_filters_replaces_or_removes_the_list_only() {
    let mut trigger = json!({"spec": {"broker": "b", "filter": {"attributes": {"type": "x"}}, "filters": [{"cesql": "true"}]}});
    let filters = vec![parse_expr("exact:type=a"), parse_expr("prefix:source=b")];
    set_filters(&mut trigger, Some(&filters));
    assert_eq!(
        trigger,
        json!({"spec": {"broker": "b", "filter": {"attributes": {"type": "x"}},
            "filters": [{"exact": {"type": "a"}}, {"prefix": {"source": "b"}}]}})
    );
    set_filters(&mut trigger, None);
    assert_eq!(
        trigger,
        json!({"spec": {"broker": "b", "filter": {"attributes": {"type": "x"}}}})
    );
}

fn parse_expr(s: &str) -> FilterExpr {
    s.parse().unwrap()
}
