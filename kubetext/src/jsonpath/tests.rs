//! client-go's own jsonpath_test.go / parser_test.go cases, restated on JSON data.

use serde_json::{Value, json};

use super::*;

fn run(template: &str, data: &Value) -> String {
    JsonPath::parse(template)
        .unwrap_or_else(|e| panic!("{template}: {e}"))
        .execute(data)
        .unwrap_or_else(|e| panic!("{template}: {e}"))
}

fn exec_err(template: &str, data: &Value, allow_missing: bool) -> String {
    JsonPath::parse(template)
        .unwrap()
        .allow_missing_keys(allow_missing)
        .execute(data)
        .unwrap_err()
        .0
}

fn parse_err(template: &str) -> String {
    JsonPath::parse(template).unwrap_err().0
}

fn types() -> Value {
    json!({
        "bools": [true, false, true, false],
        "integers": [1, 2, 3, 4],
        "floats": [1.0, 2.2, 3.3, 4.0],
        "strings": ["one", "two", "three", "four"],
        "interfaces": [true, "one", 1, 1.1],
        "maps": [
            {"name": "one", "value": 1},
            {"name": "two", "value": 2.02},
            {"name": "three", "value": 3.03},
            {"name": "four", "value": 4.04}
        ]
    })
}

#[test]
fn types_input() {
    let t = types();
    for (template, want) in [
        ("{ .bools }", "[true,false,true,false]"),
        ("{ .bools[0] }", "true"),
        ("{ .bools[-1] }", "false"),
        ("{ .bools[0:2] }", "true false"),
        ("{ .bools[:2] }", "true false"),
        ("{ .bools[:4:2] }", "true true"),
        ("{ .integers }", "[1,2,3,4]"),
        ("{ .integers[-2] }", "3"),
        ("{ .integers[:4:2] }", "1 3"),
        ("{ .floats }", "[1,2.2,3.3,4]"),
        ("{ .floats[0] }", "1"),
        ("{ .floats[:4:2] }", "1 3.3"),
        ("{ .strings }", r#"["one","two","three","four"]"#),
        ("{ .strings[-2] }", "three"),
        ("{ .interfaces }", r#"[true,"one",1,1.1]"#),
        ("{ .interfaces[:4:2] }", "true 1"),
        ("{ .maps[0] }", r#"{"name":"one","value":1}"#),
        (
            "{ .maps[::2] }",
            r#"{"name":"one","value":1} {"name":"three","value":3.03}"#,
        ),
        (
            "{ .maps[1::2] }",
            r#"{"name":"two","value":2.02} {"name":"four","value":4.04}"#,
        ),
    ] {
        assert_eq!(run(template, &t), want, "{template}");
    }
}

#[test]
fn store_input() {
    let store = json!({
        "Name": "jsonpath",
        "Book": [
            {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings of the Centurey", "Price": 8.95},
            {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword of Honour", "Price": 12.99},
            {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby Dick", "Price": 8.99}
        ],
        "Bicycle": [
            {"Color": "red", "Price": 19.95, "IsNew": true},
            {"Color": "green", "Price": 20.01, "IsNew": false}
        ],
        "Labels": {"engieer": 10, "web/html": 15, "k8s-app": 20},
        "Employees": {"jason": "manager", "dan": "clerk"}
    });
    assert_eq!(run("hello jsonpath", &store), "hello jsonpath");
    assert_eq!(run("{..}", &json!([1, 2, 3])), "[1,2,3]");
    assert_eq!(run("{[?(@<5)]}", &json!([2, 6, 3, 7])), "2 3");
    assert_eq!(run(r#"{"{"}"#, &store), "{");
    assert_eq!(run("{[1,3,4]}", &json!([0, 1, 2, 3, 4])), "1 3 4");
    assert_eq!(
        run("{[0:2]}", &json!(["Monday", "Tudesday"])),
        "Monday Tudesday"
    );
    assert_eq!(run("hello {.Name}", &store), "hello jsonpath");
    assert_eq!(run("{$.Labels.web/html}", &store), "15");
    assert_eq!(run("{$.Employees.jason}", &store), "manager");
    assert_eq!(run("{.Labels.k8s-app}", &store), "20");
    assert_eq!(run("{.Bicycle[*].Color}", &store), "red green");
    assert_eq!(
        run("{.Book[*].Author}", &store),
        "Nigel Rees Evelyn Waugh Herman Melville"
    );
    // Map keys in sorted order (Go's order is random).
    assert_eq!(
        run(r#"{range .Bicycle[*]}{ "{" }{ @.* }{ "} " }{end}"#, &store),
        "{red true 19.95} {green false 20.01} "
    );
    assert_eq!(run("{..Price}", &store), "19.95 20.01 8.95 12.99 8.99");
    assert_eq!(run("{...Price}", &store), "19.95 20.01 8.95 12.99 8.99");
    assert_eq!(
        parse_err("{............................................................Price}"),
        "invalid multiple recursive descent"
    );
    assert_eq!(
        run("{.Book[-1:]}", &store),
        r#"{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}"#
    );
    assert_eq!(
        run("{..Book[2]}", &store),
        r#"{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}"#
    );
    assert_eq!(
        run("{.Bicycle[?(@.IsNew==true)]}", &store),
        r#"{"Color":"red","IsNew":true,"Price":19.95}"#
    );
    // Missing keys.
    assert_eq!(run("{.hello}", &store), "");
    assert_eq!(run("before-{.hello}after", &store), "before-after");
    assert_eq!(
        exec_err("{hello}", &store, false),
        "unrecognized identifier hello"
    );
    assert_eq!(exec_err("{.hello}", &store, false), "hello is not found");
    assert_eq!(
        exec_err("{.Labels[0]}", &store, false),
        "map[string]interface {} is not array or slice"
    );
    assert_eq!(
        exec_err("{.Book[?(@.Price<>10)]}", &store, false),
        "unrecognized filter operator <>"
    );
    assert_eq!(
        exec_err("{range .Labels.*}{@}{end}{end}", &store, false),
        "not in range, nothing to end"
    );
}

#[test]
fn json_input() {
    let points = json!([
        {"id": "i1", "x": 4, "y": -5},
        {"id": "i2", "x": -2, "y": -5, "z": 1},
        {"id": "i3", "x": 8, "y": 3},
        {"id": "i4", "x": -6, "y": -1},
        {"id": "i5", "x": 0, "y": 2, "z": 1},
        {"id": "i6", "x": 1, "y": 4},
        {"id": "i7", "x": null, "y": 4}
    ]);
    assert_eq!(run("{[?(@.z)].id}", &points), "i2 i5");
    assert_eq!(run("{[0]['id']}", &points), "i1");
    assert_eq!(run("{[-1]['x']}", &points), "null");
}

#[test]
fn kubernetes() {
    let nodes = json!({
        "kind": "List",
        "items": [
            {"kind": "None", "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
             "status": {"capacity": {"cpu": "4"}, "ready": true, "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]}},
            {"kind": "None", "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
             "status": {"capacity": {"cpu": "8"}, "ready": false, "addresses": [
                 {"type": "LegacyHostIP", "address": "127.0.0.2"}, {"type": "another", "address": "127.0.0.3"}]}}
        ],
        "users": [
            {"name": "myself", "user": {}},
            {"name": "e2e", "user": {"username": "admin", "password": "secret"}}
        ]
    });
    for (template, want) in [
        (
            "{range .items[*]}{.metadata.name}, {end}{.kind}",
            "127.0.0.1, 127.0.0.2, List",
        ),
        (
            r#"{range .items[*]}{.metadata.name}{"\t"}{end}"#,
            "127.0.0.1\t127.0.0.2\t",
        ),
        (
            "{.items[*].status.addresses[*].address}",
            "127.0.0.1 127.0.0.2 127.0.0.3",
        ),
        (
            "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}",
            "127.0.0.1, 127.0.0.2, 127.0.0.3, ",
        ),
        ("{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
        (
            "{.items[*]['metadata.name', 'status.capacity']}",
            r#"127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}"#,
        ),
        (
            "{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}",
            r#"[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] "#,
        ),
        (r#"{.users[?(@.name=="e2e")].user.password}"#, "secret"),
        (
            r"{.items[0].metadata.labels.kubernetes\.io/hostname}",
            "127.0.0.1",
        ),
        (
            r#"{.items[?(@.metadata.labels.kubernetes\.io/hostname=="127.0.0.1")].kind}"#,
            "None",
        ),
        ("{.items[?(@..ready==true)].metadata.name}", "127.0.0.1"),
        ("{..name}", "127.0.0.1 127.0.0.2 myself e2e"),
    ] {
        assert_eq!(run(template, &nodes), want, "{template}");
    }
}

#[test]
fn ranges() {
    let empty = json!({"items": []});
    let strict = |t: &str, d: &Value| {
        JsonPath::parse(t)
            .unwrap()
            .allow_missing_keys(true)
            .execute(d)
            .unwrap()
    };
    assert_eq!(strict("{range .items[*]}{.metadata.name}{end}", &empty), "");
    assert_eq!(
        strict(
            r#"{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}"#,
            &empty
        ),
        ""
    );
    let pods = json!({"items": [
        {"metadata": {"name": "pod1"}, "spec": {"containers": [
            {"name": "foo", "another": [{"name": "value1"}, {"name": "value2"}]},
            {"name": "bar", "another": [{"name": "value1"}, {"name": "value2"}]}]}},
        {"metadata": {"name": "pod2"}, "spec": {"containers": [
            {"name": "baz", "another": [{"name": "value1"}, {"name": "value2"}]}]}}
    ]});
    assert_eq!(
        run(
            r#"{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}"#,
            &pods
        ),
        "pod1:foo,bar,+pod2:baz,+"
    );
    assert_eq!(
        run(
            r##"{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}"##,
            &pods
        ),
        "pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#"
    );
    assert_eq!(
        run(
            r#"{range .items[*]}{.metadata.name}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\n"}{end}"#,
            &pods
        ),
        "pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n"
    );
    // Without an `end`, the body runs per element and then once more on the outer object.
    assert_eq!(
        run("{range .items[*]}{.metadata.name};", &pods),
        "pod1;pod2;;"
    );
}

#[test]
fn filters_with_missing_keys() {
    let data = json!({"kind": "List", "items": [
        {"kind": "Pod", "metadata": {"name": "pod1", "annotations": {"color": "blue"}}},
        {"kind": "Pod", "metadata": {"name": "pod2"}},
        {"kind": "Pod", "metadata": {"name": "pod3", "annotations": {"color": "green"}}},
        {"kind": "Pod", "metadata": {"name": "pod4", "annotations": {"color": "blue"}}}
    ]});
    let template = r#"{.items[?(@.metadata.annotations.color=="blue")].metadata.name}"#;
    assert_eq!(run(template, &data), "pod1 pod4");
    assert_eq!(exec_err(template, &data, false), "annotations is not found");
}

#[test]
fn negative_indices_and_steps() {
    let data = json!({"spec": {"containers": [
        {"name": "fake0"}, {"name": "fake1"}, {"name": "fake2"}, {"name": "fake3"}]}});
    for (template, want) in [
        ("{.spec.containers[0].name}", "fake0"),
        ("{.spec.containers[0:0].name}", ""),
        ("{.spec.containers[0:-1].name}", "fake0 fake1 fake2"),
        ("{.spec.containers[-1].name}", "fake3"),
        ("{.spec.containers[-1:].name}", "fake3"),
        ("{.spec.containers[-2].name}", "fake2"),
        ("{.spec.containers[-2:].name}", "fake2 fake3"),
        ("{.spec.containers[-4].name}", "fake0"),
        ("{.spec.containers[-4:].name}", "fake0 fake1 fake2 fake3"),
        ("{.spec.containers[0:4:2].name}", "fake0 fake2"),
        ("{.spec.containers[1::3].name}", "fake1"),
    ] {
        assert_eq!(run(template, &data), want, "{template}");
    }
    for (template, err) in [
        (
            "{.spec.containers[-1:0].name}",
            "starting index 3 is greater than ending index 0",
        ),
        (
            "{.spec.containers[-5].name}",
            "array index out of bounds: index -1, length 4",
        ),
        (
            "{.spec.containers[4].name}",
            "array index out of bounds: index 4, length 4",
        ),
        (
            "{.spec.containers[0:5].name}",
            "array index out of bounds: index 4, length 4",
        ),
        ("{.spec.containers[0:3:0].name}", "step must be > 0"),
        ("{.spec.containers[0:3:-1].name}", "step must be > 0"),
    ] {
        assert_eq!(exec_err(template, &data, true), err, "{template}");
    }
}

#[test]
fn parser_errors() {
    for (template, err) in [
        (r"{\\\}", "unrecognized character in action: U+005C '\\'"),
        ("{.a", "unclosed action"),
        ("{.items[0}", "unterminated array"),
        (
            "{.items,.kind}",
            "unrecognized character in action: U+002C ','",
        ),
        ("{\"a}", "unterminated quoted string"),
        (r#"{"\q"}"#, r#"unquote string "\q" error invalid syntax"#),
        ("{[?(@.a==1}", "unterminated filter"),
        ("{[?(@.a==1)}", "unclosed array expect ]"),
        ("{[x]}", "invalid array index x"),
        ("{[1:-]}", "array index - is not a number"),
        ("{1.2.3}", "cannot parse number 1.2.3"),
        ("{\t}", "unrecognized character in action: U+0009"),
    ] {
        assert_eq!(parse_err(template), err, "{template}");
    }
}

#[test]
fn literals_and_parsed_shapes() {
    let d = json!({"a": {"b.c": "x", "b": {"c": "y"}}});
    assert_eq!(
        run(r#"{"a\tb\n"}{'it\'s'}{"\u00e9\x41\101"}"#, &d),
        "a\tb\nit'sÃ©AA".replace("Ã©", "é")
    );
    assert_eq!(run("{.a['b.c']}", &d), "y");
    assert_eq!(run(r"{.a['b\.c']}", &d), "x");
    assert_eq!(run(r"{.a.b\.c}", &d), "x");
    assert_eq!(run("{true}{false}{3}{-2.5}", &d), "truefalse3-2.5");
    assert_eq!(run("{}", &json!({"k": 1})), r#"{"k":1}"#);
    assert_eq!(run("{.}", &json!({"k": 1})), "");
    assert_eq!(
        JsonPath::parse(r#"{[?(@.status.nodeInfo.osImage == "(\"\")")]}"#)
            .unwrap()
            .root,
        vec![Node::List(vec![Node::Filter {
            left: vec![
                Node::Field("status".into()),
                Node::Field("nodeInfo".into()),
                Node::Field("osImage".into())
            ],
            right: vec![Node::Text("(\"\")".into())],
            op: "==".into()
        }])]
    );
    assert_eq!(
        JsonPath::parse("{['bicycle.price', 3, 'book.price']}")
            .unwrap()
            .root,
        vec![Node::List(vec![Node::Union(vec![
            vec![Node::Field("bicycle".into()), Node::Field("price".into())],
            vec![Node::Array([
                Param {
                    value: 3,
                    known: true,
                    derived: false
                },
                Param {
                    value: 4,
                    known: true,
                    derived: true
                },
                Param::default()
            ])],
            vec![Node::Field("book".into()), Node::Field("price".into())],
        ])])]
    );
}

#[test]
fn comparisons_follow_text_template() {
    let d = json!({"l": [{"n": 1, "f": 1.5, "s": "b", "b": true}, {"n": 3, "f": 0.5, "s": "a", "b": false}]});
    assert_eq!(run("{.l[?(@.n>=2)].s}", &d), "a");
    assert_eq!(run("{.l[?(@.n<2)].s}", &d), "b");
    assert_eq!(run("{.l[?(@.f>1.0)].s}", &d), "b");
    assert_eq!(run("{.l[?(@.s<'b')].n}", &d), "3");
    assert_eq!(run("{.l[?(@.b!=true)].n}", &d), "3");
    assert_eq!(
        exec_err("{.l[?(@.f>1)].s}", &d, true),
        "incompatible types for comparison"
    );
    assert_eq!(
        exec_err("{.l[?(@.b<true)].s}", &d, true),
        "invalid type for comparison"
    );
    assert_eq!(
        exec_err("{.l[0][?(@.n)]}", &d, true),
        "map[b:true f:1.5 n:1 s:b] is not array or slice and cannot be filtered"
    );
}

#[test]
fn as_json_prints_each_piece() {
    let d = json!({"items": [{"n": 1}, {"n": 2}]});
    let t = JsonPath::parse("{.items[*].n}x{.nope}").unwrap();
    assert_eq!(
        t.execute_json(&d).unwrap(),
        "[\n    1,\n    2\n]\n[\n    \"x\"\n]\n[]\n"
    );
}

#[test]
fn go_escapes() {
    assert_eq!(
        run(r#"{"\a\b\f\v\r"}"#, &json!({})),
        "\u{7}\u{8}\u{c}\u{b}\r"
    );
}
