//! Destinations in views: kn's sink short form for list cells (`ksvc:name`, `broker:default`,
//! `inmemorychannels.messaging.knative.dev/v1:pipe`, a URI) and the describe `Sink:` block; also
//! the `CloudEvent Overrides:` section the sources share.

use crate::api::eventing::{CeOverrides, Destination, KReference};
use crate::output::describe::DescribeWriter;

/// apimachinery's `UnsafeGuessKindToResource`: the lower-case plural of a kind.
pub fn guess_resource(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if lower.is_empty() {
        return lower;
    }
    if lower.ends_with('s') {
        format!("{lower}es")
    } else if let Some(stem) = lower.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{lower}s")
    }
}

/// The prefix a reference is written with: `ksvc`, `svc`, `broker`, `channel`, else
/// `resource.group/version`.
fn prefix_of(reference: &KReference) -> String {
    let (group, version) = match reference.api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", reference.api_version.as_str()),
    };
    let resource = guess_resource(&reference.kind);
    match (group, version, resource.as_str()) {
        ("serving.knative.dev", "v1", "services") => "ksvc".to_string(),
        ("", "v1", "services") => "svc".to_string(),
        ("eventing.knative.dev", "v1", "brokers") => "broker".to_string(),
        ("messaging.knative.dev", "v1", "channels") => "channel".to_string(),
        _ => format!("{resource}.{group}/{version}"),
    }
}

/// The SINK cell: a URI as is, a reference as `prefix:name` (the namespace is never added, as in
/// kn). A reference with a relative URI shows both (`ksvc:name/path`); kn showed only the URI.
pub fn short_form(dest: &Destination) -> String {
    let uri = dest.uri.as_deref().unwrap_or_default();
    match &dest.reference {
        None => uri.to_string(),
        Some(reference) => {
            let base = format!("{}:{}", prefix_of(reference), reference.name);
            if uri.is_empty() {
                base
            } else if uri.starts_with('/') {
                format!("{base}{uri}")
            } else {
                format!("{base}/{uri}")
            }
        }
    }
}

/// The SINK cell of `source ping list`: kn's ping printer writes a reference as `Kind:name`
/// with the kind as stored (`Broker:b`, `InMemoryChannel:c`). A Service reads as in
/// [`short_form`]: `ksvc:name`, and `svc:name` for a core Service, which kn's printer also
/// calls `ksvc`. A URI shows as in [`short_form`] (kn leaves the cell empty).
pub fn ping_short_form(dest: &Destination) -> String {
    match &dest.reference {
        Some(reference) if reference.kind != "Service" => {
            let base = format!("{}:{}", reference.kind, reference.name);
            match dest.uri.as_deref().unwrap_or_default() {
                "" => base,
                uri if uri.starts_with('/') => format!("{base}{uri}"),
                uri => format!("{base}/{uri}"),
            }
        }
        _ => short_form(dest),
    }
}

/// The short form of an optional destination ("" when absent).
pub fn short_form_opt(dest: Option<&Destination>) -> String {
    dest.map(short_form).unwrap_or_default()
}

/// The describe block of a destination under `label` (`Sink`, `Subscriber`, `Reply`,
/// `DeadLetterSink`): Name, Namespace (only when it differs from `namespace`), Resource, URI.
pub fn write_sink(dw: &mut DescribeWriter, label: &str, namespace: &str, dest: &Destination) {
    dw.attr(0, label, "");
    if let Some(reference) = &dest.reference {
        dw.attr(1, "Name", &reference.name);
        if !reference.namespace.is_empty() && reference.namespace != namespace {
            dw.attr(1, "Namespace", &reference.namespace);
        }
        dw.attr(
            1,
            "Resource",
            &format!("{} ({})", reference.kind, reference.api_version),
        );
    }
    if let Some(uri) = &dest.uri {
        dw.attr(1, "URI", uri);
    }
}

/// `CloudEvent Overrides:` with one attribute per extension, keys sorted, when there are any;
/// true when written.
pub fn write_ce_overrides(dw: &mut DescribeWriter, overrides: Option<&CeOverrides>) -> bool {
    let Some(extensions) = overrides.map(|c| &c.extensions).filter(|e| !e.is_empty()) else {
        return false;
    };
    dw.attr(0, "CloudEvent Overrides", "");
    for (key, value) in extensions {
        dw.attr(1, key, value);
    }
    true
}

/// The middle of a source's (or trigger's) describe: the `Sink:` block between blank lines, then
/// the overrides when there are any (true when written).
pub fn write_sink_section(
    dw: &mut DescribeWriter,
    namespace: &str,
    sink: &Destination,
    overrides: Option<&CeOverrides>,
) -> bool {
    dw.blank();
    write_sink(dw, "Sink", namespace, sink);
    dw.blank();
    write_ce_overrides(dw, overrides)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(api_version: &str, kind: &str, name: &str, ns: &str) -> Destination {
        Destination {
            reference: Some(KReference {
                api_version: api_version.into(),
                kind: kind.into(),
                name: name.into(),
                namespace: ns.into(),
            }),
            uri: None,
        }
    }

    #[test]
    fn short_forms() {
        assert_eq!(
            short_form(&reference(
                "serving.knative.dev/v1",
                "Service",
                "mysvc",
                "other"
            )),
            "ksvc:mysvc"
        );
        assert_eq!(short_form(&reference("v1", "Service", "s", "")), "svc:s");
        assert_eq!(
            short_form(&reference(
                "eventing.knative.dev/v1",
                "Broker",
                "default",
                ""
            )),
            "broker:default"
        );
        assert_eq!(
            short_form(&reference(
                "messaging.knative.dev/v1",
                "Channel",
                "pipe",
                ""
            )),
            "channel:pipe"
        );
        assert_eq!(
            short_form(&reference(
                "messaging.knative.dev/v1",
                "InMemoryChannel",
                "pipe",
                ""
            )),
            "inmemorychannels.messaging.knative.dev/v1:pipe"
        );
        assert_eq!(
            short_form(&reference(
                "eventing.knative.dev/v1beta1",
                "Broker",
                "b",
                ""
            )),
            "brokers.eventing.knative.dev/v1beta1:b"
        );
        assert_eq!(
            short_form(&Destination {
                reference: None,
                uri: Some("https://x.y/z".into())
            }),
            "https://x.y/z"
        );
        let mut with_path = reference("serving.knative.dev/v1", "Service", "s", "");
        with_path.uri = Some("/path".into());
        assert_eq!(short_form(&with_path), "ksvc:s/path");
        assert_eq!(short_form_opt(None), "");
        assert_eq!(guess_resource("Policy"), "policies");
        assert_eq!(guess_resource("Ingress"), "ingresses");
    }

    #[test]
    fn sink_block_layout() {
        let mut dw = DescribeWriter::new();
        let mut dest = reference("serving.knative.dev/v1", "Service", "mysvc", "other");
        dest.uri = Some("/path".into());
        write_sink(&mut dw, "Sink", "default", &dest);
        assert_eq!(
            dw.finish(),
            "Sink:         \n  Name:       mysvc\n  Namespace:  other\n  Resource:   Service (serving.knative.dev/v1)\n  URI:        /path\n"
        );
        let mut dw = DescribeWriter::new();
        write_sink(
            &mut dw,
            "Sink",
            "default",
            &reference("serving.knative.dev/v1", "Service", "mysvc", "default"),
        );
        assert_eq!(
            dw.finish(),
            "Sink:        \n  Name:      mysvc\n  Resource:  Service (serving.knative.dev/v1)\n"
        );
    }
}
