//! API-server semantics on top of the store: what the server sets on create, optimistic
//! concurrency, generation, status subresource, admission and schema in the right order,
//! dry run, patches, deletion with finalizers, and list paging. HTTP and the Knative
//! controllers (through [`ClusterApi`]) both go through here.

pub mod apply;
mod cluster_api;
pub mod crds;
mod delete;
pub mod gc;
pub mod managed;
pub mod patch;
pub mod serviceaccounts;
mod write;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use base64::Engine;
use serde_json::{Value, json};

use crate::admission::Admission;
use crate::cluster::ClusterApi;
use crate::config::Config;
use crate::json::At;
use crate::resource::{GroupResource, ObjectKey};
use crate::status::ApiError;
use crate::store::{SelectStored, Store, Stored};
use kuberules::selectors::Selection;

pub use crate::catalog::{Catalog, TypeInfo};
pub use delete::{DeleteOptions, Deleted, Propagation};
pub use write::{FieldValidation, PatchKind, Subresource, WriteOptions, Written};

/// The largest request body the API server accepts (3 MiB); a JSON patch's copies are held to it too.
pub const MAX_BODY: usize = 3 * 1024 * 1024;

/// The emulated API server's object layer.
pub struct Registry {
    pub store: Arc<Store>,
    pub catalog: Catalog,
    webhooks: Vec<Box<dyn Admission>>,
    config: Config,
    next_ip: AtomicU32,
}

/// `GET` list parameters.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub selection: Selection,
    pub limit: Option<usize>,
    pub continue_token: Option<String>,
}

/// One page of a list, items at the storage version.
pub struct ListPage {
    pub items: Vec<Arc<Stored>>,
    pub resource_version: u64,
    pub continue_token: Option<String>,
    pub remaining: Option<u64>,
}

/// The current time as the API server writes timestamps (RFC 3339, UTC, seconds).
pub fn now_timestamp() -> String {
    // Formatted once per second per thread: every write stamps its managedFields entry.
    thread_local! {
        static LAST: std::cell::RefCell<(i64, String)> = const { std::cell::RefCell::new((i64::MIN, String::new())) };
    }
    let now = jiff::Timestamp::now();
    LAST.with_borrow_mut(|(second, text)| {
        if *second != now.as_second() {
            *second = now.as_second();
            *text = now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
        }
        text.clone()
    })
}

fn parse_rv(value: &Value) -> Option<u64> {
    value
        .at("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
}

fn continue_start(namespace: Option<&str>, ns: &str, name: &str) -> String {
    match namespace {
        Some(_) => format!("{name}\u{0}"),
        None if ns.is_empty() => format!("{name}\u{0}"),
        None => format!("{ns}/{name}\u{0}"),
    }
}

fn encode_continue(rv: u64, start: &str) -> String {
    let token = json!({"v": "meta.k8s.io/v1", "rv": rv, "start": start});
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token.to_string())
}

/// Decodes a continue token into (rv, namespace, name) of the last item served.
fn decode_continue(
    token: &str,
    namespace: Option<&str>,
) -> Result<(u64, String, String), ApiError> {
    let invalid = |why: &str| {
        ApiError::bad_request(format!(
            "invalid continue token: continue key is not valid: {why}"
        ))
    };
    // Go's RawURLEncoding: no padding, trailing bits ignored; errors in Go's words.
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone),
    );
    let bytes = engine.decode(token).map_err(|e| {
        let at = match e {
            base64::DecodeError::InvalidByte(i, _)
            | base64::DecodeError::InvalidLastSymbol(i, _) => i,
            _ => token.len(),
        };
        invalid(&format!("illegal base64 data at input byte {at}"))
    })?;
    if let Some(why) = crate::gojson::syntax_error(&bytes) {
        return Err(invalid(&why));
    }
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| invalid(&e.to_string()))?;
    if value.get("v").and_then(Value::as_str) != Some("meta.k8s.io/v1") {
        return Err(invalid("server does not recognize this encoded version"));
    }
    let rv = value
        .get("rv")
        .and_then(Value::as_u64)
        .filter(|rv| *rv > 0)
        .ok_or_else(|| {
            invalid("incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        })?;
    let start = value.get("start").and_then(Value::as_str).unwrap_or("");
    let key = start.strip_suffix('\u{0}').unwrap_or(start);
    if key.is_empty() || key.contains("..") {
        return Err(invalid("encoded start key is not valid"));
    }
    let (ns, name) = match (namespace, key.split_once('/')) {
        (Some(ns), _) => (ns.to_string(), key.to_string()),
        (None, Some((ns, name))) => (ns.to_string(), name.to_string()),
        (None, None) => (String::new(), key.to_string()),
    };
    Ok((rv, ns, name))
}

impl Registry {
    pub fn new(
        catalog: Catalog,
        webhooks: Vec<Box<dyn Admission>>,
        config: Config,
        history: usize,
    ) -> Arc<Registry> {
        Arc::new(Registry {
            store: Arc::new(Store::new(history)),
            catalog,
            webhooks,
            config,
            next_ip: AtomicU32::new(10),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    fn allocate_cluster_ip(&self) -> String {
        let n = self.next_ip.fetch_add(1, Ordering::Relaxed);
        format!("10.96.{}.{}", (n >> 8) & 0xff, n & 0xff)
    }

    pub(crate) fn key(ti: &TypeInfo, namespace: &str, name: &str) -> ObjectKey {
        ObjectKey::new(
            ti.stored_gr(),
            if ti.rt.namespaced { namespace } else { "" },
            name,
        )
    }

    /// The stored object (storage version).
    pub fn get_stored(
        &self,
        gr: &GroupResource,
        namespace: &str,
        name: &str,
    ) -> Option<Arc<Stored>> {
        self.store.get(&ObjectKey::new(gr.clone(), namespace, name))
    }

    /// GET one object, converted to the requested version.
    pub fn get(&self, ti: &TypeInfo, namespace: &str, name: &str) -> Result<Value, ApiError> {
        let stored = self
            .store
            .get(&Self::key(ti, namespace, name))
            .ok_or_else(|| ApiError::not_found(&ti.gr(), name))?;
        self.catalog.convert(stored.value(), ti)
    }

    /// Whether `namespace` exists, and, when `creating` names what is being created (its
    /// resource and name), that it is not being deleted.
    pub fn check_namespace(
        &self,
        namespace: &str,
        creating: Option<(&GroupResource, &str)>,
    ) -> Result<(), ApiError> {
        let gr = GroupResource::of("", "namespaces");
        let Some(ns) = self.get_stored(&gr, "", namespace) else {
            return Err(ApiError::not_found(&gr, namespace));
        };
        if let Some((gr, name)) = creating
            && ns.deleting()
        {
            // The NamespaceLifecycle admission plugin's Forbidden names the object refused.
            return Err(ApiError::new(
                403,
                "Forbidden",
                format!("{gr} {} is forbidden: unable to create new content in namespace {namespace} because it is being terminated", crate::crd::gofmt::quote(name)),
            )
            .with_details(json!({"name": name, "group": gr.group, "kind": gr.resource, "causes": [{"reason": "NamespaceTerminating", "message": format!("namespace {namespace} is being terminated"), "field": "metadata.namespace"}]})));
        }
        Ok(())
    }

    /// LIST with selectors and paging. `namespace` `None` lists all namespaces.
    pub fn list(
        &self,
        ti: &TypeInfo,
        namespace: Option<&str>,
        opts: &ListOptions,
    ) -> Result<ListPage, ApiError> {
        let gr = ti.stored_gr();
        let namespace = if ti.rt.namespaced { namespace } else { None };
        let (after, first_rv) = match opts.continue_token.as_deref().filter(|t| !t.is_empty()) {
            Some(token) => {
                let (rv, ns, name) = decode_continue(token, namespace)?;
                if rv < self.store.oldest_rv(&gr) {
                    return Err(ApiError::expired(
                        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
                    ));
                }
                (Some((ns, name)), Some(rv))
            }
            None => (None, None),
        };
        let by_name = opts
            .selection
            .fields
            .name()
            .filter(|_| after.is_none() && (namespace.is_some() || !ti.rt.namespaced));
        let (candidates, rv) = match by_name {
            // A LIST by name (every wait sends one) is a lookup, not a scan of the namespace.
            Some(name) => {
                let key = ObjectKey::new(gr.clone(), namespace.unwrap_or(""), name);
                let (found, rv) = self.store.get_at_rv(&key);
                (found.into_iter().collect(), rv)
            }
            None => self.store.list(&gr, namespace, after.as_ref()),
        };
        let resource_version = first_rv.unwrap_or(rv);
        let limit = opts.limit.filter(|l| *l > 0);
        let selective = !opts.selection.is_empty();
        let mut items = Vec::new();
        let mut continue_token = None;
        let mut remaining = None;
        for (index, obj) in candidates.iter().enumerate() {
            if selective && !opts.selection.matches_stored(obj) {
                continue;
            }
            if let Some(limit) = limit
                && items.len() == limit
            {
                let last: &Arc<Stored> = match items.last() {
                    Some(last) => last,
                    None => break,
                };
                let (ns, name) = (last.namespace(), last.name());
                continue_token = Some(encode_continue(
                    resource_version,
                    &continue_start(namespace, ns, name),
                ));
                if !selective {
                    remaining = Some((candidates.len() - index) as u64);
                }
                break;
            }
            items.push(obj.clone());
        }
        Ok(ListPage {
            items,
            resource_version,
            continue_token,
            remaining,
        })
    }

    fn webhooks_for<'a>(&'a self, ti: &TypeInfo) -> impl Iterator<Item = &'a dyn Admission> {
        let rt = ti.rt.clone();
        self.webhooks
            .iter()
            .map(|w| w.as_ref())
            .filter(move |w| w.handles(&rt))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continue_tokens_round_trip_in_upstream_shape() {
        let token = encode_continue(42, "default/hello\u{0}");
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&token)
            .unwrap();
        assert_eq!(
            String::from_utf8(raw).unwrap(),
            r#"{"rv":42,"start":"default/hello\u0000","v":"meta.k8s.io/v1"}"#
        );
        assert_eq!(
            decode_continue(&token, None).unwrap(),
            (42, "default".into(), "hello".into())
        );
        let in_ns = encode_continue(7, "hello\u{0}");
        assert_eq!(
            decode_continue(&in_ns, Some("ns")).unwrap(),
            (7, "ns".into(), "hello".into())
        );
        assert_eq!(
            decode_continue("!!", None).unwrap_err().message,
            "invalid continue token: continue key is not valid: illegal base64 data at input byte 0"
        );
    }
}
