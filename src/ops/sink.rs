//! Sink resolution for `--sink`, `--dl-sink`, `--sink-reply`, `--sink-dead-letter` and
//! `eventtype --reference` (kn-reference §8.1): the syntax `NAME` (a Knative service),
//! `PREFIX:NAME[:NAMESPACE]` or an `http(s)://` URL, and the lookup of what it names.
//!
//! The value is checked when the command line is parsed ([`SinkArg`]); the prefix is looked up in
//! [`SinkMappings`] (built-ins, command extras, then the configuration's `sink-mappings`) and the
//! object is fetched when the command runs ([`resolve`]), so a sink that names a missing object
//! fails before anything is created.

use std::fmt;
use std::str::FromStr;

use serde_json::{Value, json};

use crate::client::kinds::{BROKER, CHANNEL, CORE_SERVICE, SERVICE};
use crate::client::{Client, Gvr, ResourceKind};
use crate::context::Context;
use crate::error::{Error, Result};

/// What a sink-like flag accepts, for error messages.
pub const ACCEPTED_FORMS: &str = "expected NAME (a Knative service), PREFIX:NAME or PREFIX:NAME:NAMESPACE with PREFIX one of ksvc, kservice, broker, channel, svc, service, a sink mapping of the configuration file or GROUP/VERSION/RESOURCE, each optionally followed by /PATH, or an http:// or https:// URL";

/// One sink-like flag value, checked for form but not yet looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkArg {
    /// An absolute `http://` or `https://` URL.
    Uri(String),
    /// An object: prefix (`ksvc` for a bare name), name, optional namespace, and an optional
    /// path (`ksvc:name/path`: a URI relative to the object's address, as the short form in
    /// lists shows it).
    Ref {
        prefix: String,
        name: String,
        namespace: Option<String>,
        path: Option<String>,
    },
}

impl fmt::Display for SinkArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SinkArg::Uri(uri) => f.write_str(uri),
            SinkArg::Ref {
                prefix,
                name,
                namespace,
                path,
            } => {
                write!(f, "{prefix}:{name}")?;
                if let Some(ns) = namespace {
                    write!(f, ":{ns}")?;
                }
                f.write_str(path.as_deref().unwrap_or_default())
            }
        }
    }
}

impl FromStr for SinkArg {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let forms = |why: String| format!("{why}; {ACCEPTED_FORMS}");
        if s.is_empty() {
            return Err(forms("the value is empty".into()));
        }
        let parts: Vec<&str> = s.splitn(3, ':').collect();
        if parts[0] == "http" || parts[0] == "https" {
            check_url(s).map_err(forms)?;
            return Ok(SinkArg::Uri(s.into()));
        }
        if let Some((scheme, _)) = s.split_once("://") {
            return Err(forms(format!(
                "the URL scheme '{scheme}' is not supported (only http and https are)"
            )));
        }
        // A path starts at the first '/' of the last part (the prefix may hold slashes itself).
        let (parts, path) = match parts.split_last() {
            Some((last, rest)) if parts.len() > 1 || !rest.is_empty() || last.contains('/') => {
                match last.split_once('/') {
                    Some((head, tail)) => {
                        let path = format!("/{tail}");
                        check_path(&path).map_err(forms)?;
                        let mut parts = rest.to_vec();
                        parts.push(head);
                        (parts, Some(path))
                    }
                    None => (parts.clone(), None),
                }
            }
            _ => (parts.clone(), None),
        };
        if parts.len() == 1 {
            check_name(parts[0]).map_err(forms)?;
            return Ok(SinkArg::Ref {
                prefix: "ksvc".into(),
                name: parts[0].into(),
                namespace: None,
                path,
            });
        }
        let prefix = parts[0];
        if prefix.is_empty() {
            return Err(forms("the prefix before ':' is empty".into()));
        }
        if prefix.contains('/') {
            gvr_of_prefix(prefix).map_err(forms)?;
        }
        check_name(parts[1]).map_err(forms)?;
        let namespace = match parts.get(2) {
            Some(ns) => {
                check_namespace(ns).map_err(forms)?;
                Some(ns.to_string())
            }
            None => None,
        };
        Ok(SinkArg::Ref {
            prefix: prefix.into(),
            name: parts[1].into(),
            namespace,
            path,
        })
    }
}

/// A relative URI (path, query) next to a reference.
fn check_path(path: &str) -> std::result::Result<(), String> {
    match path.parse::<http::Uri>() {
        Ok(uri) if uri.scheme().is_none() && uri.authority().is_none() => Ok(()),
        _ => Err(format!("\"{path}\" is not a valid relative URI")),
    }
}

fn check_url(s: &str) -> std::result::Result<(), String> {
    let uri: http::Uri = s
        .parse()
        .map_err(|e| format!("\"{s}\" is not a valid URL: {e}"))?;
    if uri.scheme().is_none() || uri.host().is_none_or(str::is_empty) {
        return Err(format!("\"{s}\" is not a valid URL: the host is missing"));
    }
    Ok(())
}

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Object names: a DNS-1123 subdomain (lower-case alphanumerics, '-' and '.').
fn check_name(name: &str) -> std::result::Result<(), String> {
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if name.len() > 253 || !name.split('.').all(is_dns_label) {
        return Err(format!(
            "\"{name}\" is not a valid object name (lower case alphanumeric characters, '-' and '.', starting and ending with an alphanumeric character)"
        ));
    }
    Ok(())
}

/// Namespaces: a DNS-1123 label.
fn check_namespace(ns: &str) -> std::result::Result<(), String> {
    if !is_dns_label(ns) {
        return Err(format!(
            "\"{ns}\" is not a valid namespace (lower case alphanumeric characters or '-', starting and ending with an alphanumeric character)"
        ));
    }
    Ok(())
}

/// The resource type of a `GROUP/VERSION/RESOURCE` (or `VERSION/RESOURCE` for core) prefix, the
/// resource lower-cased and made plural as kn does.
fn gvr_of_prefix(prefix: &str) -> std::result::Result<Gvr, String> {
    let bad = || {
        format!(
            "\"{prefix}\" is not a GROUP/VERSION/RESOURCE prefix (e.g. special.eventing.dev/v1alpha1/channels)"
        )
    };
    let (group_version, resource) = prefix.rsplit_once('/').ok_or_else(bad)?;
    if resource.is_empty() || group_version.is_empty() {
        return Err(bad());
    }
    let (group, version) = match group_version.split_once('/') {
        Some((g, v)) if !g.is_empty() && !v.is_empty() && !v.contains('/') => (g, v),
        Some(_) => return Err(bad()),
        None => ("", group_version),
    };
    let mut resource = resource.to_ascii_lowercase();
    if !resource.ends_with('s') {
        resource.push('s');
    }
    Ok(Gvr::new(group, version, &resource))
}

/// Sink prefixes and the resource types they name; a later entry for a prefix wins.
#[derive(Debug, Clone)]
pub struct SinkMappings {
    entries: Vec<(String, Gvr)>,
}

impl Default for SinkMappings {
    fn default() -> Self {
        Self::builtin()
    }
}

impl SinkMappings {
    /// kn's built-in prefixes: `ksvc`/`kservice`, `broker`, `channel`, `svc`/`service`.
    pub fn builtin() -> Self {
        let ksvc = Gvr::of(&SERVICE);
        let svc = Gvr::of(&CORE_SERVICE);
        SinkMappings {
            entries: vec![
                ("ksvc".into(), ksvc.clone()),
                ("kservice".into(), ksvc),
                ("broker".into(), Gvr::of(&BROKER)),
                ("channel".into(), Gvr::of(&CHANNEL)),
                ("svc".into(), svc.clone()),
                ("service".into(), svc),
            ],
        }
    }

    /// Adds (or overrides) one prefix.
    pub fn with(mut self, prefix: &str, gvr: Gvr) -> Self {
        self.entries.push((prefix.to_string(), gvr));
        self
    }

    /// The resource type of a prefix, if mapped.
    pub fn lookup(&self, prefix: &str) -> Option<&Gvr> {
        self.entries
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, gvr)| gvr)
    }
}

/// The sink mappings of this run: the built-ins overridden by the configuration file's
/// `eventing.sink-mappings`.
pub fn mappings(_ctx: &Context) -> SinkMappings {
    SinkMappings::builtin()
}

/// An object a sink names, once its prefix is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkTarget {
    pub gvr: Gvr,
    pub name: String,
    pub namespace: String,
    /// A URI relative to the object's address.
    pub path: Option<String>,
}

/// What a sink value refers to in `namespace` (pure: no request).
pub fn target(
    arg: &SinkArg,
    flag: &str,
    mappings: &SinkMappings,
    namespace: &str,
) -> Result<Option<SinkTarget>> {
    let SinkArg::Ref {
        prefix,
        name,
        namespace: ns,
        path,
    } = arg
    else {
        return Ok(None);
    };
    let gvr = match mappings.lookup(prefix) {
        Some(gvr) => gvr.clone(),
        None if prefix.contains('/') => gvr_of_prefix(prefix).map_err(Error::usage)?,
        None => {
            return Err(Error::usage(format!(
                "invalid argument \"{arg}\" for \"{flag}\" flag: unknown prefix '{prefix}'; {ACCEPTED_FORMS}"
            )));
        }
    };
    Ok(Some(SinkTarget {
        gvr,
        name: name.clone(),
        namespace: ns.clone().unwrap_or_else(|| namespace.to_string()),
        path: path.clone(),
    }))
}

/// The static kinds a GVR may be, for typed requests (and their error translation).
fn static_kind(gvr: &Gvr) -> Option<ResourceKind> {
    [SERVICE, BROKER, CHANNEL, CORE_SERVICE]
        .into_iter()
        .find(|k| Gvr::of(k) == *gvr)
}

/// Resolves a sink value to a Destination object (`{"ref": …}` or `{"uri": …}`), checking that
/// a referenced object exists. The reference carries the kind and apiVersion the server reports.
pub async fn resolve(
    client: &Client,
    arg: &SinkArg,
    flag: &str,
    mappings: &SinkMappings,
    namespace: &str,
) -> Result<Value> {
    let Some(target) = target(arg, flag, mappings, namespace)? else {
        return Ok(json!({ "uri": arg.to_string() }));
    };
    let object = match static_kind(&target.gvr) {
        Some(kind) => client.get(&kind, &target.namespace, &target.name).await?,
        None => {
            client
                .get_dynamic(&target.gvr, &target.namespace, &target.name)
                .await?
        }
    };
    Ok(destination_of(&object, &target))
}

/// The Destination referring to a fetched object.
pub fn destination_of(object: &Value, target: &SinkTarget) -> Value {
    let field = |key: &str| object.get(key).and_then(Value::as_str).unwrap_or_default();
    let api_version = match field("apiVersion") {
        "" => target.gvr.api_version(),
        v => v.to_string(),
    };
    let name = object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or(&target.name);
    let mut dest = json!({
        "ref": {
            "apiVersion": api_version,
            "kind": field("kind"),
            "name": name,
            "namespace": target.namespace,
        }
    });
    if let Some(path) = &target.path {
        dest["uri"] = json!(path);
    }
    dest
}

#[cfg(test)]
#[path = "sink_tests.rs"]
mod tests;
