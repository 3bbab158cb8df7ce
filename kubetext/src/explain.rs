//! `kubectl explain`'s plaintext view of an OpenAPI v3 document, as kubectl's
//! `pkg/explain/v2` template renders it: the GVK header, DESCRIPTION, FIELD and FIELDS (or the
//! `--recursive` tree), with its type guesses, enums, `$ref` cycle stops and word wrapping.

use serde_json::{Map, Value};

/// A resource as kubectl's RESTMapper resolved it: `GROUP/VERSION, Resource=PLURAL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gvr {
    pub group: String,
    pub version: String,
    pub resource: String,
}

impl std::fmt::Display for Gvr {
    /// Go's `schema.GroupVersionResource.String()`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.group.is_empty() {
            write!(f, "{}, Resource={}", self.version, self.resource)
        } else {
            write!(
                f,
                "{}/{}, Resource={}",
                self.group, self.version, self.resource
            )
        }
    }
}

/// Renders the explanation of `gvr` (and `field_path` under it) from the group/version's OpenAPI
/// v3 `document`. The error is kubectl's message, `error: ` included.
pub fn render(
    document: &Value,
    gvr: &Gvr,
    field_path: &[String],
    recursive: bool,
) -> Result<String, String> {
    let Some(gvk) = find_gvk(document, gvr) else {
        return Err(format!("error: GVR ({gvr}) not found in OpenAPI schema"));
    };
    let mut out = String::new();
    if let Some(group) = gvk["group"].as_str().filter(|g| !g.is_empty()) {
        out += &format!("GROUP:      {group}\n");
    }
    out += &format!("KIND:       {}\n", plain(&gvk["kind"]));
    out += &format!("VERSION:    {}\n", plain(&gvk["version"]));
    out += "\n";
    let r = Renderer {
        document,
        recursive,
    };
    let schemas = sorted(document["components"]["schemas"].as_object());
    let Some((_, schema)) = schemas.into_iter().find(|(_, s)| {
        s["x-kubernetes-group-version-kind"]
            .as_array()
            .is_some_and(|list| list.contains(&gvk))
    }) else {
        return Err(format!(
            "error: GVK {} not found in OpenAPI schema",
            go_map(&gvk)
        ));
    };
    let body = r.output(schema, &[], field_path);
    if body.is_empty() {
        let field = field_path.last().map(String::as_str).unwrap_or_default();
        return Err(format!("error: field \"{field}\" does not exist"));
    }
    out += &body;
    out += "\n";
    Ok(out)
}

/// The GVK of the first operation of the resource's paths that names one.
fn find_gvk(document: &Value, gvr: &Gvr) -> Option<Value> {
    let prefix = if gvr.group.is_empty() {
        "/api".to_string()
    } else {
        format!("/apis/{}", gvr.group)
    };
    let (v, r) = (&gvr.version, &gvr.resource);
    let searches = [
        format!("{prefix}/{v}/{r}"),
        format!("{prefix}/{v}/{r}/{{name}}"),
        format!("{prefix}/{v}/namespaces/{{namespace}}/{r}"),
        format!("{prefix}/{v}/namespaces/{{namespace}}/{r}/{{name}}"),
    ];
    let mut gvk = None;
    for path in &searches {
        let Some(element) = document["paths"].get(path) else {
            continue;
        };
        for method in ["get", "post", "put", "patch", "delete"] {
            if let Some(found) = element
                .get(method)
                .and_then(|m| m.get("x-kubernetes-group-version-kind"))
                .filter(|g| truthy(g))
            {
                gvk = Some(found.clone());
                break;
            }
        }
    }
    gvk
}

struct Renderer<'a> {
    document: &'a Value,
    recursive: bool,
}

impl<'a> Renderer<'a> {
    /// The template's `output`: follows `path` down the schema, then prints the field's view.
    fn output(&self, schema: &'a Value, history: &[&'a str], path: &[String]) -> String {
        let reference = schema.get("$ref").and_then(Value::as_str).unwrap_or("");
        let mut next: Vec<&str> = history.to_vec();
        next.push(reference);
        let resolved = self.resolve(reference).unwrap_or(schema);
        let Some((first, rest)) = path.split_first() else {
            let mut out = String::from("DESCRIPTION:\n");
            let mut description = self.description(resolved);
            if description.is_empty() {
                description = "<empty>".into();
            }
            out += &indent(4, &wrap(76, &description));
            out += "\n";
            let fields = self.field_list(resolved, 1, &[]);
            if !fields.is_empty() {
                out += "FIELDS:\n";
                out += &fields;
            }
            return out;
        };
        if !reference.is_empty() && history.contains(&reference) {
            return String::new();
        }
        if let Some(sub) = resolved
            .get("properties")
            .filter(|p| truthy(p))
            .and_then(|p| p.get(first.as_str()))
            .filter(|s| truthy(s))
        {
            let mut out = String::new();
            if rest.is_empty() {
                out += &format!("FIELD: {first} <{}>\n", self.type_guess(sub));
                out += &self.enum_long(sub);
                out += "\n\n";
            }
            out += &self.output(sub, &[], rest);
            return out;
        }
        if let Some(items) = resolved.get("items").filter(|i| truthy(i)) {
            return self.output(items, &next, path);
        }
        if let Some(map) = map_values(resolved) {
            return self.output(map, &next, path);
        }
        for sub in resolved["allOf"].as_array().into_iter().flatten() {
            let out = self.output(sub, &next, path);
            if !out.is_empty() {
                return out;
            }
        }
        String::new()
    }

    /// The template's `fieldList`: one entry per property (with its sub-fields when recursive).
    fn field_list(&self, schema: &'a Value, level: usize, history: &[&'a str]) -> String {
        let reference = schema.get("$ref").and_then(Value::as_str).unwrap_or("");
        if !reference.is_empty() && history.contains(&reference) {
            return String::new();
        }
        let mut next: Vec<&str> = history.to_vec();
        next.push(reference);
        let resolved = self.resolve(reference).unwrap_or(schema);
        let mut out = String::new();
        for (name, sub) in sorted(resolved["properties"].as_object()) {
            out += &self.field_detail(resolved, name, level);
            if self.recursive {
                out += &self.field_list(sub, level + 1, &next);
            }
        }
        for sub in resolved["allOf"].as_array().into_iter().flatten() {
            out += &self.field_list(sub, level, &next);
        }
        if let Some(items) = resolved.get("items").filter(|i| truthy(i)) {
            out += &self.field_list(items, level, &next);
        }
        if let Some(map) = map_values(resolved) {
            out += &self.field_list(map, level, &next);
        }
        out
    }

    /// The template's `fieldDetail`: `name<TAB><type>`, `-required-`, enums, and the wrapped
    /// description unless the view is the short (recursive) one.
    fn field_detail(&self, parent: &Value, name: &str, level: usize) -> String {
        let pad = level * 2;
        let field = &parent["properties"][name];
        let mut out = indent(pad, name);
        out += &format!("\t<{}>", self.type_guess(field));
        let required = parent["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)));
        if required {
            out += " -required-";
        }
        out += &enum_short(field, pad);
        out += "\n";
        if !self.recursive {
            let description = match field.get("description") {
                Some(d) if truthy(d) => plain(d),
                _ => "<no description>".into(),
            };
            out += &indent(pad + 2, &wrap(78usize.saturating_sub(pad), &description));
            out += "\n\n";
        }
        out
    }

    /// The template's `description`: the schema's own, then its allOf, items and map values'.
    fn description(&self, schema: &Value) -> String {
        let reference = schema.get("$ref").and_then(Value::as_str).unwrap_or("");
        let resolved = self.resolve(reference).unwrap_or(schema);
        if !truthy(resolved) {
            return String::new();
        }
        let mut out = String::new();
        if let Some(d) = resolved.get("description").filter(|d| truthy(d)) {
            out += &plain(d);
            out += "\n";
        }
        for sub in resolved["allOf"].as_array().into_iter().flatten() {
            out += &self.description(sub);
        }
        if let Some(items) = resolved.get("items").filter(|i| truthy(i)) {
            out += &self.description(items);
        }
        if let Some(map) = map_values(resolved) {
            out += &self.description(map);
        }
        out
    }

    /// The template's `typeGuess`: `string`, `Object`, `[]Object`, `map[string]string`, a `$ref`'s
    /// kind name.
    fn type_guess(&self, schema: &Value) -> String {
        if let Some(items) = schema.get("items").filter(|i| truthy(i)) {
            return format!("[]{}", self.type_guess(items));
        }
        if let Some(map) = map_values(schema) {
            return format!("map[string]{}", self.type_guess(map));
        }
        let properties = schema.get("properties").is_some_and(truthy);
        if let Some([only]) = schema["allOf"].as_array().map(Vec::as_slice)
            && !properties
        {
            return self.type_guess(only);
        }
        if let Some(reference) = schema.get("$ref").filter(|r| truthy(r)) {
            let reference = plain(reference);
            let target = self.resolve(&reference);
            let target_type = target.and_then(|t| t.get("type")).filter(|t| truthy(t));
            return match target_type {
                Some(t) if t.as_str() != Some("object") => plain(t),
                _ => {
                    let name = reference.rsplit('/').next().unwrap_or_default();
                    let kind = name.rsplit('.').next().unwrap_or_default();
                    if kind.is_empty() {
                        "Object".into()
                    } else {
                        kind.into()
                    }
                }
            };
        }
        match schema.get("type").filter(|t| truthy(t)) {
            Some(t) if t.as_str() == Some("object") => "Object".into(),
            Some(t) => plain(t),
            None => "Object".into(),
        }
    }

    /// `ENUM:` and one value per line, for the FIELD view.
    fn enum_long(&self, schema: &Value) -> String {
        let Some(values) = schema["enum"].as_array().filter(|v| !v.is_empty()) else {
            return String::new();
        };
        let mut out = String::from("ENUM:");
        for value in values {
            out += "\n    ";
            out += &enum_value(value);
        }
        out
    }

    /// The schema a `#/…` JSON reference points at, if any (the template's `resolveRef`).
    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        let fragment = reference.strip_prefix('#')?;
        let mut current = self.document;
        for key in fragment.split('/').filter(|k| !k.is_empty()) {
            let key = key.replace("~1", "/").replace("~0", "~");
            current = current.get(key.as_str()).filter(|v| v.is_object())?;
        }
        Some(current)
    }
}

/// `enum: a, b, c, d, ....` after a field line (at most four values).
fn enum_short(schema: &Value, pad: usize) -> String {
    let Some(values) = schema["enum"].as_array().filter(|v| !v.is_empty()) else {
        return String::new();
    };
    let mut out = format!("\n{}enum: ", " ".repeat(pad));
    for (i, value) in values.iter().enumerate() {
        if i >= 4 {
            out += ", ....";
            break;
        }
        if i > 0 {
            out += ", ";
        }
        out += &enum_value(value);
    }
    out
}

fn enum_value(value: &Value) -> String {
    match value {
        Value::String(s) if s.is_empty() => "\"\"".into(),
        other => plain(other),
    }
}

/// A map schema's value schema (`additionalProperties` when it is a schema, not a boolean).
fn map_values(schema: &Value) -> Option<&Value> {
    schema
        .get("additionalProperties")
        .filter(|a| truthy(a) && !a.is_boolean())
}

/// Go template truth: false, 0, nil and empty strings, lists and maps are false.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Go's `%v` of a decoded JSON value.
fn plain(v: &Value) -> String {
    crate::gofmt::plain_v(v)
}

/// Go's `%v` of a map: `map[group:g kind:K version:v]`.
fn go_map(v: &Value) -> String {
    plain(v)
}

/// A map's entries in Go's `range` order (sorted keys).
fn sorted(map: Option<&Map<String, Value>>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.into_iter().flatten().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// The template's `indent`: pads the first line and every line after a newline.
fn indent(amount: usize, text: &str) -> String {
    let pad = " ".repeat(amount);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

/// `github.com/mitchellh/go-wordwrap`'s `WrapString`: breaks at white space so lines stay within
/// `limit` characters where words allow; words longer than the limit stay whole.
pub fn wrap(limit: usize, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut current = 0usize;
    let (mut word, mut space) = (String::new(), String::new());
    let (mut word_len, mut space_len) = (0usize, 0usize);
    for c in text.chars() {
        if c == '\n' {
            if word.is_empty() {
                if current + space_len <= limit {
                    out += &space;
                }
            } else {
                out += &space;
                out += &word;
            }
            space.clear();
            word.clear();
            space_len = 0;
            word_len = 0;
            out.push('\n');
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                out += &space;
                out += &word;
                space.clear();
                word.clear();
                space_len = 0;
                word_len = 0;
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + word_len + space_len > limit && word_len < limit {
                out.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= limit {
            out += &space;
        }
    } else {
        out += &space;
        out += &word;
    }
    out
}

#[cfg(test)]
#[path = "explain_tests.rs"]
mod tests;
