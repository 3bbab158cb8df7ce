//! DomainMapping views: the `domain list` table and `domain describe`.

use jiff::Timestamp;

use crate::api::duck::ready_cell;
use crate::api::serving::DomainMapping;
use crate::output::describe::{DescribeWriter, write_conditions, write_metadata};
use crate::output::table::Table;

/// The `domain list` table (API order); `-A` adds NAMESPACE.
pub fn list_table(mappings: &[DomainMapping], all_namespaces: bool) -> Table {
    let mut table = Table::new(&["Name", "URL", "Ready", "KSvc"]);
    if all_namespaces {
        table = table.with_leading_column("Namespace");
    }
    for m in mappings {
        let mut row = vec![
            m.metadata.name.clone(),
            m.status.url.clone(),
            ready_cell(&m.status.conditions),
            m.spec.reference.name.clone(),
        ];
        if all_namespaces {
            row.insert(0, m.metadata.namespace.clone());
        }
        table.push(row);
    }
    table
}

/// The `domain describe` text (kn-reference §4.15).
pub fn describe(mapping: &DomainMapping, verbose: bool, now: Timestamp) -> String {
    let mut dw = DescribeWriter::new();
    write_metadata(&mut dw, &mapping.metadata, verbose, now);
    dw.blank();
    dw.attr(0, "URL", &mapping.status.url);
    dw.blank();
    let reference = &mapping.spec.reference;
    dw.attr(0, "Reference", "");
    let mut section = dw.at(1, 0);
    section.attr(0, "APIVersion", &reference.api_version);
    section.attr(0, "Kind", &reference.kind);
    section.attr(0, "Name", &reference.name);
    if !reference.namespace.is_empty() && reference.namespace != mapping.metadata.namespace {
        section.attr(0, "Namespace", &reference.namespace);
    }
    dw.blank();
    write_conditions(&mut dw, &mapping.status.conditions, verbose, now);
    dw.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_and_list_match_kn() {
        let mapping: DomainMapping = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "hello.example.com", "namespace": "default", "creationTimestamp": "2026-01-01T00:04:00Z"},
            "spec": {"ref": {"apiVersion": "serving.knative.dev/v1", "kind": "Service", "name": "hello", "namespace": "default"}},
            "status": {"url": "http://hello.example.com", "conditions": [
                {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:04:00Z"},
                {"type": "CertificateProvisioned", "status": "True", "reason": "TLSNotEnabled", "lastTransitionTime": "2026-01-01T00:04:00Z"}
            ]}
        }))
        .unwrap();
        let now: Timestamp = "2026-01-01T00:05:00Z".parse().unwrap();
        assert_eq!(
            describe(&mapping, false, now),
            "Name:       hello.example.com\n\
             Namespace:  default\n\
             Age:        1m\n\
             \n\
             URL:  http://hello.example.com\n\
             \n\
             Reference:     \n  \
             APIVersion:  serving.knative.dev/v1\n  \
             Kind:        Service\n  \
             Name:        hello\n\
             \n\
             Conditions:  \n  \
             OK TYPE                      AGE REASON\n  \
             ++ Ready                      1m \n  \
             ++ CertificateProvisioned     1m TLSNotEnabled\n"
        );
        assert_eq!(
            list_table(&[mapping], false).render(true),
            "NAME                URL                        READY   KSVC\nhello.example.com   http://hello.example.com   True    hello\n"
        );
    }
}
