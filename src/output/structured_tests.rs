//! Tests of the -o printers: every format over one object and over lists.

#[test]
fn template_parse_errors_name_the_line_only() {
    assert_eq!(
        super::go_parse_error("template: output:1:17: unclosed action"),
        "template: output:1: unclosed action"
    );
    assert_eq!(
        super::go_parse_error("template: output:2: x"),
        "template: output:2: x"
    );
}

use super::template::decode_base64;
use super::*;
use crate::client::kinds::SERVICE;
use serde_json::json;

fn printer(output: &str) -> Printer {
    Printer {
        format: OutputFormat::resolve(Some(output), None, true)
            .unwrap()
            .unwrap(),
        allow_missing_keys: true,
        show_managed_fields: false,
    }
}

fn hello() -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": "hello", "namespace": "default",
                     "managedFields": [{"manager": "knit"}],
                     "annotations": {"note": "a<b & c>d"}},
        "status": {"url": "http://hello.default.example.com"}
    })
}

fn streamed(printer: &Printer, items: &[Value]) -> String {
    let mut writer = ListWriter::new(printer, &SERVICE).unwrap();
    let mut out = writer.begin().unwrap();
    for item in items {
        out.push_str(&writer.item(item.clone()).unwrap());
    }
    out + &writer.end().unwrap()
}

/// The list streamed from each item's bytes (`-o json` only).
fn streamed_raw(printer: &Printer, items: &[Value]) -> String {
    let mut writer = ListWriter::new(printer, &SERVICE).unwrap();
    let mut out = writer.begin().unwrap();
    for item in items {
        let raw = serde_json::to_vec(item).unwrap();
        out.push_str(std::str::from_utf8(&writer.raw_item(&raw).unwrap().unwrap()).unwrap());
    }
    out + &writer.end().unwrap()
}

#[test]
fn streamed_lists_match_whole_lists_byte_for_byte() {
    let tricky = json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": "tricky", "namespace": "a&b", "labels": {},
                     "managedFields": [{"manager": "knit"}],
                     "annotations": {"script": "line 1\n\n  indented\nlast\n", "empty": "",
                                     "long": "x".repeat(200), "quote": "'yes' \"no\" : #"}},
        "spec": {"template": {"spec": {"containers": [{"image": "i", "args": ["-", "a b", ""],
                 "env": []}]}}, "traffic": [[1, 2], [], {}], "n": null, "f": 1.5, "t": true},
    });
    for format in ["json", "yaml", "name"] {
        for items in [
            vec![],
            vec![hello()],
            vec![hello(), tricky.clone(), hello()],
        ] {
            let p = printer(format);
            let whole = p.print_list(&SERVICE, &items).unwrap();
            assert_eq!(
                streamed(&p, &items),
                whole,
                "{format} of {} items",
                items.len()
            );
            if format == "json" {
                assert_eq!(
                    streamed_raw(&p, &items),
                    whole,
                    "raw, {} items",
                    items.len()
                );
            } else {
                assert!(
                    ListWriter::new(&p, &SERVICE)
                        .unwrap()
                        .raw_item(b"{}")
                        .is_none()
                );
            }
        }
    }
    assert!(ListWriter::new(&printer("jsonpath={.items}"), &SERVICE).is_none());
}

#[test]
fn empty_lists_print_as_xlist() {
    assert_eq!(
        printer("json").print_list(&SERVICE, &[]).unwrap(),
        "{\n    \"apiVersion\": \"serving.knative.dev/v1\",\n    \"items\": [],\n    \"kind\": \"ServiceList\"\n}\n"
    );
}

#[test]
fn json_is_go_style_and_drops_managed_fields() {
    insta::assert_snapshot!(printer("json").print(&hello()).unwrap());
}

#[test]
fn yaml_output() {
    insta::assert_snapshot!(printer("yaml").print_list(&SERVICE, &[hello()]).unwrap());
}

#[test]
fn name_url_jsonpath_and_templates() {
    assert_eq!(
        printer("name").print(&hello()).unwrap(),
        "service.serving.knative.dev/hello\n"
    );
    assert_eq!(
        printer("name")
            .print_list(&SERVICE, &[hello(), hello()])
            .unwrap(),
        "service.serving.knative.dev/hello\nservice.serving.knative.dev/hello\n"
    );
    assert_eq!(
        printer("url").print(&hello()).unwrap(),
        "http://hello.default.example.com\n"
    );
    assert_eq!(
        printer("jsonpath={.metadata.name}")
            .print(&hello())
            .unwrap(),
        "hello"
    );
    assert_eq!(
        printer("go-template={{.metadata.name}} {{.metadata.nope}}")
            .print(&hello())
            .unwrap(),
        "hello <no value>"
    );
    let from_flag = OutputFormat::resolve(None, Some("{{.kind}}"), false)
        .unwrap()
        .unwrap();
    let p = Printer {
        format: from_flag,
        allow_missing_keys: true,
        show_managed_fields: false,
    };
    assert_eq!(p.print(&hello()).unwrap(), "Service");
    assert_eq!(
        printer(r#"go-template={{if exists . "status" "url"}}yes{{end}}"#)
            .print(&hello())
            .unwrap(),
        "yes"
    );
}

#[test]
fn unknown_formats_and_missing_templates_are_usage_errors() {
    let err = OutputFormat::resolve(Some("wide"), None, false).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert_eq!(
        err.to_string(),
        "unable to match a printer suitable for the output format \"wide\", allowed formats are: \
             go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
    );
    assert!(OutputFormat::resolve(Some("url"), None, false).is_err());
    assert_eq!(
        OutputFormat::resolve(Some("jsonpath"), None, false)
            .unwrap_err()
            .to_string(),
        "template format specified but no template given"
    );
    assert_eq!(decode_base64("aGVsbG8=").as_deref(), Some("hello"));
}

#[test]
fn long_strings_stay_on_their_line_and_multi_line_strings_are_literal() {
    let long = format!("ghcr.io/knative/helloworld-go@sha256:{}", "7".repeat(64));
    let yaml = to_yaml(&serde_json::json!({"image": long, "script": "a\nb\n"})).unwrap();
    assert_eq!(yaml, format!("image: {long}\nscript: |\n  a\n  b\n"));
}
