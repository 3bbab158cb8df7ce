//! Secret objects for `secret create`: literals or a TLS pair (written as `tls.crt`/`tls.key`,
//! the standard keys; kn wrote `tls.cert`).

use serde_json::{Map, Value, json};

use crate::edit::json;
use crate::edit::kv::StrictKeyValue;

/// The type of a TLS secret.
pub const TLS_TYPE: &str = "kubernetes.io/tls";

/// What a new Secret holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretData {
    /// `--from-literal` pairs (in `stringData`).
    Literals(Vec<StrictKeyValue>),
    /// The contents of `--tls-cert` and `--tls-key`.
    Tls { cert: String, key: String },
}

/// A new core v1 Secret. `type_` overrides the default (Opaque, or `kubernetes.io/tls` for TLS).
pub fn new_secret(name: &str, namespace: &str, data: &SecretData, type_: Option<&str>) -> Value {
    let mut secret = json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "namespace": namespace},
    });
    let mut string_data = Map::new();
    let mut default_type = None;
    match data {
        SecretData::Literals(pairs) => {
            for pair in pairs {
                string_data.insert(pair.key.clone(), json!(pair.value));
            }
        }
        SecretData::Tls { cert, key } => {
            string_data.insert("tls.crt".into(), json!(cert));
            string_data.insert("tls.key".into(), json!(key));
            default_type = Some(TLS_TYPE);
        }
    }
    if !string_data.is_empty() {
        json::set(&mut secret, "stringData", Value::Object(string_data));
    }
    if let Some(t) = type_.filter(|t| !t.is_empty()).or(default_type) {
        json::set(&mut secret, "type", json!(t));
    }
    secret
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_and_tls_secrets() {
        let pairs = vec!["a=1".parse().unwrap(), "b=x=y".parse().unwrap()];
        assert_eq!(
            new_secret("s", "ns", &SecretData::Literals(pairs), None),
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "ns"}, "stringData": {"a": "1", "b": "x=y"}})
        );
        let tls = SecretData::Tls {
            cert: "CERT".into(),
            key: "KEY".into(),
        };
        assert_eq!(
            new_secret("s", "ns", &tls, None),
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "ns"}, "stringData": {"tls.crt": "CERT", "tls.key": "KEY"}, "type": "kubernetes.io/tls"})
        );
        assert_eq!(
            new_secret(
                "s",
                "ns",
                &SecretData::Literals(vec![]),
                Some("example.com/x")
            )["type"],
            "example.com/x"
        );
    }
}
