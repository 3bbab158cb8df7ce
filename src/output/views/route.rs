//! Route views: the `route list` table and `route describe`.

use jiff::Timestamp;

use crate::api::duck::ready_cell;
use crate::api::serving::Route;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// The `route list` table (API order). Unlike kn, `-A` adds the NAMESPACE column.
pub fn list_table(routes: &[Route], all_namespaces: bool) -> Table {
    let mut table = Table::new(&["Name", "URL", "Ready"]);
    if all_namespaces {
        table = table.with_leading_column("Namespace");
    }
    for r in routes {
        let mut row = vec![
            r.metadata.name.clone(),
            r.status.url.clone(),
            ready_cell(&r.status.conditions),
        ];
        if all_namespaces {
            row.insert(0, r.metadata.namespace.clone());
        }
        table.push(row);
    }
    table
}

/// The `route describe` text (kn-reference §4.14). The owning Service is printed once (kn prints
/// one `Service:` line per owner reference of any kind).
pub fn describe(route: &Route, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &route.metadata, verbose, now);
    dw.attr(0, "URL", &route.status.url);
    if let Some(owner) = route
        .metadata
        .owner_references
        .iter()
        .rev()
        .find(|o| o.kind == "Service")
    {
        let value = if verbose {
            format!("{} ({})", owner.name, owner.api_version)
        } else {
            owner.name.clone()
        };
        dw.attr(0, "Service", &value);
    }
    dw.blank();
    dw.flush();
    dw.attr(0, "Traffic Targets", "");
    dw.flush();
    for target in &route.status.traffic {
        let mut name = if target.latest_revision == Some(true) {
            format!("@latest ({})", target.revision_name)
        } else {
            target.revision_name.clone()
        };
        if !target.tag.is_empty() {
            name = format!("{name} #{}", target.tag);
        }
        dw.cells(1, &[&format!("{:>3}%", target.percent.unwrap_or(0)), &name]);
        if !target.tag.is_empty() {
            dw.at(1, 1).attr(0, "URL", &target.url);
        }
    }
    dw.blank();
    write_conditions(&mut dw, &route.status.conditions, verbose, now);
    dw.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_matches_kns_sample() {
        let route: Route = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "hello", "namespace": "default", "creationTimestamp": "2026-01-01T00:00:00Z",
                         "ownerReferences": [{"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "hello", "uid": "u"}]},
            "status": {"url": "http://hello.default.example.com",
                       "traffic": [
                           {"revisionName": "hello-00002", "latestRevision": true, "percent": 90, "tag": "current",
                            "url": "http://current-hello.default.example.com"},
                           {"revisionName": "hello-00001", "latestRevision": false, "percent": 10}
                       ],
                       "conditions": [
                           {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"},
                           {"type": "AllTrafficAssigned", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"},
                           {"type": "CertificateProvisioned", "status": "True", "reason": "TLSNotEnabled", "lastTransitionTime": "2026-01-01T00:00:00Z"},
                           {"type": "IngressReady", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"}
                       ]}
        }))
        .unwrap();
        let now: Timestamp = "2026-01-01T00:05:00Z".parse().unwrap();
        assert_eq!(
            describe(&route, false, now),
            "Name:       hello\n\
             Namespace:  default\n\
             Age:        5m\n\
             URL:        http://hello.default.example.com\n\
             Service:    hello\n\
             \n\
             Traffic Targets:  \n   \
             90%  @latest (hello-00002) #current\n        \
             URL:  http://current-hello.default.example.com\n   \
             10%  hello-00001\n\
             \n\
             Conditions:  \n  \
             OK TYPE                      AGE REASON\n  \
             ++ Ready                      5m \n  \
             ++ AllTrafficAssigned         5m \n  \
             ++ CertificateProvisioned     5m TLSNotEnabled\n  \
             ++ IngressReady               5m \n"
        );
    }
}
