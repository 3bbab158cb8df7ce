//! Tests of sink syntax and parsing.

use super::*;

fn parse(s: &str) -> SinkArg {
    s.parse().unwrap()
}

fn r(prefix: &str, name: &str, ns: Option<&str>) -> SinkArg {
    SinkArg::Ref {
        prefix: prefix.into(),
        name: name.into(),
        namespace: ns.map(str::to_string),
        path: None,
    }
}

fn rp(prefix: &str, name: &str, ns: Option<&str>, path: &str) -> SinkArg {
    SinkArg::Ref {
        prefix: prefix.into(),
        name: name.into(),
        namespace: ns.map(str::to_string),
        path: Some(path.into()),
    }
}

#[test]
fn forms() {
    assert_eq!(parse("mysvc"), r("ksvc", "mysvc", None));
    assert_eq!(parse("ksvc:mysvc"), r("ksvc", "mysvc", None));
    assert_eq!(parse("broker:nest"), r("broker", "nest", None));
    assert_eq!(
        parse("svc:receiver:other"),
        r("svc", "receiver", Some("other"))
    );
    assert_eq!(
        parse("special.eventing.dev/v1alpha1/channels:pipe"),
        r("special.eventing.dev/v1alpha1/channels", "pipe", None)
    );
    assert_eq!(
        parse("https://event.receiver.uri/path?x=1"),
        SinkArg::Uri("https://event.receiver.uri/path?x=1".into())
    );
    assert_eq!(
        parse("http://localhost:8080"),
        SinkArg::Uri("http://localhost:8080".into())
    );
    assert_eq!(parse("ksvc:mysvc:ns").to_string(), "ksvc:mysvc:ns");
    assert_eq!(parse("mysvc").to_string(), "ksvc:mysvc");
}

#[test]
fn relative_paths_next_to_references() {
    assert_eq!(parse("mysvc/path"), rp("ksvc", "mysvc", None, "/path"));
    assert_eq!(
        parse("broker:b/a/b?x=1"),
        rp("broker", "b", None, "/a/b?x=1")
    );
    assert_eq!(
        parse("ksvc:s:other/p"),
        rp("ksvc", "s", Some("other"), "/p")
    );
    assert_eq!(
        parse("messaging.knative.dev/v1/inmemorychannels:pipe/x"),
        rp(
            "messaging.knative.dev/v1/inmemorychannels",
            "pipe",
            None,
            "/x"
        )
    );
    assert_eq!(parse("ksvc:s:other/p").to_string(), "ksvc:s:other/p");
    assert_eq!(parse("mysvc/").to_string(), "ksvc:mysvc/");
    let target = SinkTarget {
        gvr: Gvr::of(&SERVICE),
        name: "s".into(),
        namespace: "default".into(),
        path: Some("/p".into()),
    };
    let object = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "s"}});
    assert_eq!(destination_of(&object, &target)["uri"], "/p");
    assert!(
        "ksvc:s/a b"
            .parse::<SinkArg>()
            .unwrap_err()
            .starts_with("\"/a b\" is not a valid relative URI")
    );
}

#[test]
fn bad_values_name_the_problem_and_the_accepted_forms() {
    let err = |s: &str| s.parse::<SinkArg>().unwrap_err();
    assert_eq!(err(""), format!("the value is empty; {ACCEPTED_FORMS}"));
    assert_eq!(err("ksvc:"), format!("the name is empty; {ACCEPTED_FORMS}"));
    assert_eq!(
        err(":x"),
        format!("the prefix before ':' is empty; {ACCEPTED_FORMS}")
    );
    assert!(err("My_Svc").starts_with("\"My_Svc\" is not a valid object name"));
    assert!(
        err("ftp://host/x")
            .starts_with("the URL scheme 'ftp' is not supported (only http and https are)")
    );
    assert!(err("ksvc:a:b:c").starts_with("\"b:c\" is not a valid namespace"));
    assert!(err("http://").starts_with("\"http://\" is not a valid URL"));
    assert!(err("http:foo").starts_with("\"http:foo\" is not a valid URL"));
    assert!(err("a/b/c/d:x").starts_with("\"a/b/c/d\" is not a GROUP/VERSION/RESOURCE"));
    assert!(err("/pods:x").starts_with("\"/pods\" is not a GROUP/VERSION/RESOURCE"));
}

#[test]
fn gvr_prefixes_are_lower_cased_and_pluralised() {
    assert_eq!(
        gvr_of_prefix("special.eventing.dev/v1alpha1/Channel").unwrap(),
        Gvr::new("special.eventing.dev", "v1alpha1", "channels")
    );
    assert_eq!(
        gvr_of_prefix("v1/services").unwrap(),
        Gvr::new("", "v1", "services")
    );
}

#[test]
fn targets_use_mappings_with_later_entries_winning() {
    let m = SinkMappings::builtin();
    let t = target(&parse("mysvc"), "--sink", &m, "default")
        .unwrap()
        .unwrap();
    assert_eq!(t.gvr, Gvr::of(&SERVICE));
    assert_eq!(t.namespace, "default");
    let t = target(&parse("svc:x:other"), "--sink", &m, "default")
        .unwrap()
        .unwrap();
    assert_eq!(t.gvr, Gvr::of(&CORE_SERVICE));
    assert_eq!(t.namespace, "other");
    let t = target(&parse("kservice:x"), "--sink", &m, "default")
        .unwrap()
        .unwrap();
    assert_eq!(t.gvr, Gvr::of(&SERVICE));
    let custom = m.with("svc", Gvr::new("example.dev", "v1", "things"));
    let t = target(&parse("svc:x"), "--sink", &custom, "default")
        .unwrap()
        .unwrap();
    assert_eq!(t.gvr, Gvr::new("example.dev", "v1", "things"));
    assert_eq!(
        target(&parse("https://x.y"), "--sink", &custom, "ns").unwrap(),
        None
    );
    let err = target(&parse("foo:bar"), "--dl-sink", &custom, "ns").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "invalid argument \"foo:bar\" for \"--dl-sink\" flag: unknown prefix 'foo'; {ACCEPTED_FORMS}"
        )
    );
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn destinations_carry_the_servers_kind() {
    let target = SinkTarget {
        gvr: Gvr::of(&SERVICE),
        name: "mysvc".into(),
        namespace: "default".into(),
        path: None,
    };
    let object = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "mysvc"}});
    assert_eq!(
        destination_of(&object, &target),
        json!({"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "mysvc", "namespace": "default"}})
    );
}
