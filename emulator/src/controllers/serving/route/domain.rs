//! A Route's host names: the domain template of config-network filled in from config-domain
//! and the Route's labels and annotations (`DomainNameFromTemplate`).

use serde_json::{Value, json};

use crate::crd::gofmt::quote;
use crate::knative::configmaps::{
    CLUSTER_LOCAL_DOMAIN, DEFAULT_DOMAIN_TEMPLATE, DomainConfig, NetworkConfig,
    VISIBILITY_CLUSTER_LOCAL, VISIBILITY_LABEL,
};
use crate::knative::meta::{annotations, labels, namespace};
use crate::knative::names::fqdn_error;

/// The host of a Route (or one of its tags) from the domain template (`DomainNameFromTemplate`).
pub fn domain_name(
    domains: &DomainConfig,
    network: &NetworkConfig,
    route: &Value,
    name_for_template: &str,
) -> Result<String, String> {
    let labels = labels(route);
    let cluster_local =
        labels.get(VISIBILITY_LABEL).map(String::as_str) == Some(VISIBILITY_CLUSTER_LOCAL);
    let (domain, template) = if cluster_local {
        (CLUSTER_LOCAL_DOMAIN.to_string(), DEFAULT_DOMAIN_TEMPLATE)
    } else {
        (
            domains.domain_for(&labels),
            network.domain_template.as_str(),
        )
    };
    let data = json!({
        "Name": name_for_template,
        "Namespace": namespace(route),
        "Domain": domain,
        "Annotations": annotations(route),
        "Labels": labels,
    });
    let host =
        render(template, &data).map_err(|e| format!("error executing the DomainTemplate: {e}"))?;
    if let Some(e) = fqdn_error("url", &host) {
        return Err(format!("invalid domain name {}: {e}", quote(&host)));
    }
    Ok(host)
}

pub(super) fn render(template: &str, data: &Value) -> Result<String, String> {
    thread_local! {
        /// The last template parsed on this thread: it is the same for every Route until
        /// config-network changes, and parsing it cost more than running it.
        static PARSED: std::cell::RefCell<Option<(String, std::rc::Rc<gotmpl::Template>)>> =
            const { std::cell::RefCell::new(None) };
    }
    let cached = PARSED.with_borrow(|parsed| match parsed {
        Some((source, t)) if source == template => Some(t.clone()),
        _ => None,
    });
    let t = match cached {
        Some(t) => t,
        None => {
            let t = gotmpl::Template::new("domain")
                .parse(template)
                .map_err(|e| e.to_string())?;
            let t = std::rc::Rc::new(t);
            PARSED.set(Some((template.to_string(), t.clone())));
            t
        }
    };
    let v = gotmpl::to_value(data).map_err(|e| e.to_string())?;
    t.execute_to_string(&v).map_err(|e| e.to_string())
}
