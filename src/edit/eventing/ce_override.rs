//! `--ce-override key=value` / `key-`: CloudEvent overrides in `spec.ceOverrides.extensions`.

use serde_json::Value;

use crate::edit::json;
use crate::edit::kv::{KeyValueArg, KvOp};

/// Applies the overrides in command-line order (a later value for a key wins). Removing the last
/// extension drops the empty `extensions` map, and an empty `ceOverrides` with it.
pub fn apply(spec: &mut Value, overrides: &[KeyValueArg]) {
    if overrides.is_empty() {
        return;
    }
    let ce = json::object(spec, "ceOverrides");
    for arg in overrides {
        match &arg.op {
            KvOp::Set(value) => json::set_map_entry(ce, "extensions", &arg.key, value),
            KvOp::Remove => json::remove_map_entry(ce, "extensions", &arg.key),
        }
    }
    json::prune_empty(spec, "ceOverrides");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kv(s: &str) -> KeyValueArg {
        s.parse().unwrap()
    }

    #[test]
    fn set_update_and_remove() {
        let mut spec = json!({"sink": {"uri": "http://x"}});
        apply(&mut spec, &[kv("foo=bar"), kv("bare"), kv("foo=baz")]);
        assert_eq!(
            spec,
            json!({"sink": {"uri": "http://x"}, "ceOverrides": {"extensions": {"foo": "baz", "bare": ""}}})
        );
        apply(&mut spec, &[kv("foo-"), kv("bare-")]);
        assert_eq!(spec, json!({"sink": {"uri": "http://x"}}));
    }

    #[test]
    fn unknown_fields_of_ce_overrides_survive() {
        let mut spec = json!({"ceOverrides": {"extensions": {"a": "1"}, "x-new": true}});
        apply(&mut spec, &[kv("a-")]);
        assert_eq!(spec, json!({"ceOverrides": {"x-new": true}}));
        apply(&mut spec, &[]);
        assert_eq!(spec, json!({"ceOverrides": {"x-new": true}}));
    }
}
