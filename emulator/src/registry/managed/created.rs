//! The fields a create owns, rendered straight to `fieldsV1` text: what [`field_set`] finds,
//! without a path per leaf. Every create pays for it (15 Events per Knative Service), and
//! building the paths cost a copy of every path element for every leaf.

use serde_json::Value;

use super::*;

/// The `fieldsV1` text of the fields a create of `object` owns: all it has but the `spec`
/// fields in `set_by_storage` (what the storage layer fills in after the field manager).
pub fn created_fields_text(ti: &TypeInfo, object: &Value, set_by_storage: &[&str]) -> String {
    let mut render = Render {
        ti,
        skip: set_by_storage,
        fields: Vec::new(),
        out: Vec::with_capacity(256),
    };
    if render.root(object).is_some() {
        return String::from_utf8(render.out).unwrap_or_default();
    }
    // A map-list repeating a key: its items' fields are merged, as the paths do.
    through_paths(ti, object, set_by_storage)
}

/// [`created_fields_text`] the long way: the field set of the object's leaves, less what the
/// storage layer sets, rendered.
fn through_paths(ti: &TypeInfo, object: &Value, set_by_storage: &[&str]) -> String {
    let mut owned = field_set(ti, object, false);
    owned.paths.retain(|p| {
        !set_by_storage.iter().any(|f| {
            p.first().map(String::as_str) == Some("f:spec")
                && p.get(1).is_some_and(|x| x.strip_prefix("f:") == Some(*f))
        })
    });
    owned.to_fields_v1_text()
}

struct Render<'a> {
    ti: &'a TypeInfo,
    skip: &'a [&'a str],
    /// The JSON field names leading to the value being rendered (list items add none).
    fields: Vec<String>,
    out: Vec<u8>,
}

impl Render<'_> {
    fn key(&mut self, element: &str) {
        super::field_set::write_key(&mut self.out, element);
    }

    /// Writes `,"f:name":` and the node of `value` (None: cannot render here), or nothing
    /// when the path holds no member.
    fn field(&mut self, name: &str, value: &Value, first: &mut bool) -> Option<()> {
        let start = self.out.len();
        if !*first {
            self.out.push(b',');
        }
        self.key(&field_element(name));
        self.fields.push(name.to_string());
        let written = self.node(value, false);
        self.fields.pop();
        if written? {
            *first = false;
        } else {
            self.out.truncate(start);
        }
        Some(())
    }

    /// The object's roots (see `root_refs`), as one `fieldsV1` object.
    fn root(&mut self, object: &Value) -> Option<()> {
        self.out.push(b'{');
        let mut first = true;
        for (key, child) in object.as_object().into_iter().flatten() {
            match key.as_str() {
                "apiVersion" | "kind" | "status" => {}
                "metadata" => {
                    let Some(meta) = child.as_object() else {
                        continue;
                    };
                    let start = self.out.len();
                    if !first {
                        self.out.push(b',');
                    }
                    self.key("f:metadata");
                    self.out.push(b'{');
                    self.fields.push("metadata".into());
                    let mut first_in = true;
                    for (mk, mv) in meta {
                        if !SYSTEM_METADATA.contains(&mk.as_str()) {
                            self.field(mk, mv, &mut first_in)?;
                        }
                    }
                    self.fields.pop();
                    if first_in {
                        // No field of metadata is owned: it is not in the set.
                        self.out.truncate(start);
                    } else {
                        self.out.push(b'}');
                        first = false;
                    }
                }
                _ => self.field(key, child, &mut first)?,
            }
        }
        self.out.push(b'}');
        Some(())
    }

    /// Writes the node of `value` at the current path; false when the path is not in the set
    /// (then what it wrote is to be dropped). `item`: a map-list item, a member already.
    fn node(&mut self, value: &Value, item: bool) -> Option<bool> {
        match value {
            Value::Object(map) if !map.is_empty() && !is_atomic_struct(self.ti, &self.fields) => {
                let member = item || is_map_member(self.ti, &self.fields);
                let start = self.out.len();
                self.out.push(b'{');
                if member {
                    // "." sorts before every `f:` key.
                    self.out.extend_from_slice(b"\".\":{}");
                }
                let spec = self.fields.len() == 1 && self.fields[0] == "spec";
                let mut first = !member;
                let mut any = false;
                for (key, child) in map {
                    if spec && self.skip.contains(&key.as_str()) {
                        continue;
                    }
                    let before = self.out.len();
                    self.field(key, child, &mut first)?;
                    any |= self.out.len() > before;
                }
                if !any {
                    // A member without children is written `{}`; none at all is not in the set.
                    self.out.truncate(start);
                    if !member {
                        return Some(false);
                    }
                    self.out.push(b'{');
                }
                self.out.push(b'}');
                Some(true)
            }
            Value::Array(items) => {
                let fields: Vec<&str> = self.fields.iter().map(String::as_str).collect();
                match list_kind(self.ti, &fields) {
                    ListKind::Atomic => {
                        self.out.extend_from_slice(b"{}");
                        Some(true)
                    }
                    _ if items.is_empty() => Some(false),
                    ListKind::Set => {
                        let mut elements: Vec<String> =
                            items.iter().map(|i| format!("v:{i}")).collect();
                        elements.sort_unstable();
                        elements.dedup();
                        self.out.extend_from_slice(b"{\".\":{}");
                        for element in &elements {
                            self.out.push(b',');
                            self.key(element);
                            self.out.extend_from_slice(b"{}");
                        }
                        self.out.push(b'}');
                        Some(true)
                    }
                    ListKind::Map(keys) => {
                        // Items up to the first without its keys (then the list is owned whole,
                        // and those before it are still members).
                        let mut keyed: Vec<(String, &Value)> = items
                            .iter()
                            .map_while(|i| Some((item_key(i, &keys)?, i)))
                            .collect();
                        keyed.sort_by(|a, b| a.0.cmp(&b.0));
                        if keyed.windows(2).any(|w| w[0].0 == w[1].0) {
                            return None;
                        }
                        if keyed.is_empty() {
                            self.out.extend_from_slice(b"{}");
                            return Some(true);
                        }
                        self.out.extend_from_slice(b"{\".\":{}");
                        for (key, item) in &keyed {
                            self.out.push(b',');
                            self.key(key);
                            self.node(item, true)?;
                        }
                        self.out.push(b'}');
                        Some(true)
                    }
                }
            }
            _ => {
                self.out.extend_from_slice(b"{}");
                Some(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn objects() -> Vec<Value> {
        let meta = json!({
            "name": "x", "namespace": "n", "uid": "u0", "resourceVersion": "5",
            "labels": {"a": "b"}, "annotations": {"k\"q": "v"},
            "finalizers": ["b", "a", "b"],
            "ownerReferences": [{"uid": "u2", "kind": "K", "name": "o2", "controller": true},
                                {"uid": "u1", "kind": "K", "name": "o1"}],
        });
        let containers = json!([
            {"name": "user-container", "image": "img",
             "env": [{"name": "B", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
                     {"name": "A", "value": "1"}],
             "ports": [{"containerPort": 8080, "protocol": "TCP"}],
             "resources": {"limits": {"cpu": "1"}, "requests": {}}},
            {"name": "sidecar", "image": "img2", "args": ["a", "b"]},
        ]);
        vec![
            json!({"apiVersion": "v1", "kind": "X", "metadata": meta,
                   "spec": {"template": {"metadata": {"labels": {"l": "1"}},
                                         "spec": {"containers": containers, "timeoutSeconds": 300}},
                            "traffic": [{"latestRevision": true, "percent": 100}],
                            "containers": containers, "volumes": [],
                            "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080},
                                      {"port": 443, "protocol": "TCP"}],
                            "selector": {"app": "x"}, "clusterIP": "10.0.0.1",
                            "clusterIPs": ["10.0.0.1"], "type": "ClusterIP",
                            "finalizers": ["kubernetes"]},
                   "status": {"conditions": [{"type": "Ready"}]},
                   "data": {"a": "1", "b": null}, "roleRef": {"kind": "Role", "name": "r"},
                   "involvedObject": {"kind": "Pod", "name": "p"}, "reason": "R", "count": 1}),
            // Owner references without their key: first, and in the middle.
            json!({"metadata": {"name": "x", "ownerReferences": [{"name": "no-uid"}, {"uid": "u"}]}}),
            json!({"metadata": {"name": "x", "ownerReferences": [{"uid": "u"}, {"name": "n"}, {"uid": "v"}]}}),
            // A repeated key: the items' fields are merged.
            json!({"metadata": {"name": "x", "ownerReferences": [{"uid": "u", "a": 1}, {"uid": "u", "b": 2}]}}),
            // Empty lists, maps and nulls.
            json!({"metadata": {"name": "x", "finalizers": [], "labels": {}, "ownerReferences": []},
                   "spec": {}, "data": {}, "x": null}),
            json!({"metadata": {"name": "x"}, "spec": {"a": {"b": {}}, "c": [], "d": null}}),
            json!({"metadata": {"name": "x"}, "spec": {"clusterIP": "1", "clusterIPs": ["1"]}}),
            json!({"metadata": "not a map", "spec": null}),
            json!({}),
        ]
    }

    /// Rendered straight, the fields of a create are what the paths render to, for every
    /// type served and every shape of list (keyed, set, atomic) and map (member or not).
    #[test]
    fn created_text_is_the_field_set_rendered() {
        let catalog = crate::catalog();
        let objects = objects();
        let mut compared = 0;
        for ti in catalog.all() {
            let set_by_storage = match ti.custom {
                true => &[][..],
                false => crate::builtin::set_by_storage(&ti.rt.plural),
            };
            for object in &objects {
                let want = through_paths(ti, object, set_by_storage);
                let got = created_fields_text(ti, object, set_by_storage);
                assert_eq!(got, want, "{} {object}", ti.rt.plural);
                compared += 1;
            }
        }
        assert!(compared > 300, "{compared}");
    }
}
