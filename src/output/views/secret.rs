//! The `secret list` table.

use crate::api::eventing::Secret;
use crate::output::table::Table;

/// `NAME TYPE` in API order; NAMESPACE first across namespaces.
pub fn list_table(secrets: &[Secret], all_namespaces: bool) -> Table {
    let mut table = Table::new(&["Name", "Type"]);
    if all_namespaces {
        table = table.with_leading_column("Namespace");
    }
    for s in secrets {
        let mut row = vec![s.metadata.name.clone(), s.type_.clone()];
        if all_namespaces {
            row.insert(0, s.metadata.namespace.clone());
        }
        table.push(row);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::from_value;
    use serde_json::json;

    #[test]
    fn list() {
        let s: Secret = from_value(
            &json!({"metadata": {"name": "tls", "namespace": "a"}, "type": "kubernetes.io/tls"}),
        )
        .unwrap();
        assert_eq!(
            list_table(std::slice::from_ref(&s), false).render(true),
            "NAME   TYPE\ntls    kubernetes.io/tls\n"
        );
        assert_eq!(
            list_table(&[s], true).render(true),
            "NAMESPACE   NAME   TYPE\na           tls    kubernetes.io/tls\n"
        );
    }
}
