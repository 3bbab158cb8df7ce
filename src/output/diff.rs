//! `--diff`: a unified diff of an object's YAML before and after a (dry-run) write, with the
//! fields the server owns stripped from both sides, coloured like `git diff`.

use anstyle::{AnsiColor, Style};
use serde_json::Value;
use similar::TextDiff;

use super::structured::{qualified_name, to_yaml};
use crate::error::Result;

/// `metadata` fields the server sets on every write: they always differ and say nothing.
pub const NOISY_METADATA: &[&str] = &[
    "managedFields",
    "resourceVersion",
    "generation",
    "uid",
    "creationTimestamp",
];

/// The object without the fields the server owns (`status` and [`NOISY_METADATA`]).
pub fn strip_noise(object: &Value) -> Value {
    let mut object = object.clone();
    if let Value::Object(map) = &mut object {
        map.remove("status");
        if let Some(Value::Object(meta)) = map.get_mut("metadata") {
            for key in NOISY_METADATA {
                meta.remove(*key);
            }
        }
    }
    object
}

/// The unified diff from `before` (`None`: the object does not exist) to `after` (`None`: it is
/// deleted), headed by the object's `kind.group/name`; empty when they do not differ.
/// `label` names the right side (`client dry run`, `server dry run`).
pub fn unified(before: Option<&Value>, after: Option<&Value>, label: &str) -> Result<String> {
    let yaml = |object: Option<&Value>| match object {
        Some(o) => to_yaml(&strip_noise(o)),
        None => Ok(String::new()),
    };
    let (old, new) = (yaml(before)?, yaml(after)?);
    if old == new {
        return Ok(String::new());
    }
    let name = after.or(before).map(qualified_name).unwrap_or_default();
    Ok(TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{name} (live)"), &format!("{name} ({label})"))
        .to_string())
}

/// A unified diff of two values' YAML under the given headers; empty when they are equal.
pub fn unified_between(old: &Value, new: &Value, headers: (&str, &str)) -> Result<String> {
    let (old, new) = (to_yaml(old)?, to_yaml(new)?);
    if old == new {
        return Ok(String::new());
    }
    Ok(TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(headers.0, headers.1)
        .to_string())
}

/// Colours a unified diff: headers bold, removed lines red, added lines green, hunk headers
/// cyan. Styling is always emitted; the output stream drops it when stdout is not a colour
/// terminal or `NO_COLOR` is set.
pub fn colorize(diff: &str) -> String {
    let bold = Style::new().bold();
    let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let cyan = Style::new().fg_color(Some(AnsiColor::Cyan.into()));
    let mut out = String::with_capacity(diff.len() + diff.len() / 4);
    for line in diff.split_inclusive('\n') {
        let style = if line.starts_with("---") || line.starts_with("+++") {
            bold
        } else if line.starts_with('-') {
            red
        } else if line.starts_with('+') {
            green
        } else if line.starts_with("@@") {
            cyan
        } else {
            out.push_str(line);
            continue;
        };
        let (text, newline) = match line.strip_suffix('\n') {
            Some(text) => (text, "\n"),
            None => (line, ""),
        };
        out.push_str(&format!("{style}{text}{style:#}{newline}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn hello(env: Option<&str>) -> Value {
        let mut container = json!({"image": "img"});
        if let Some(value) = env {
            container["env"] = json!([{"name": "A", "value": value}]);
        }
        json!({
            "apiVersion": "serving.knative.dev/v1",
            "kind": "Service",
            "metadata": {"name": "hello", "namespace": "default", "resourceVersion": "7",
                         "uid": "u", "generation": 2, "creationTimestamp": "t",
                         "managedFields": [{"manager": "knit"}]},
            "spec": {"template": {"spec": {"containers": [container]}}},
            "status": {"observedGeneration": 2}
        })
    }

    #[test]
    fn noise_is_stripped_and_equal_objects_do_not_differ() {
        let mut other = hello(None);
        other["metadata"]["resourceVersion"] = json!("8");
        other["status"] = json!({"observedGeneration": 3});
        assert_eq!(
            unified(Some(&hello(None)), Some(&other), "server dry run").unwrap(),
            ""
        );
        let stripped = strip_noise(&hello(None));
        assert_eq!(
            stripped["metadata"],
            json!({"name": "hello", "namespace": "default"})
        );
        assert!(stripped.get("status").is_none());
    }

    #[test]
    fn a_change_is_a_unified_diff() {
        let diff = unified(
            Some(&hello(None)),
            Some(&hello(Some("B"))),
            "client dry run",
        )
        .unwrap();
        assert_eq!(
            diff,
            "--- service.serving.knative.dev/hello (live)
+++ service.serving.knative.dev/hello (client dry run)
@@ -7,4 +7,7 @@
   template:
     spec:
       containers:
-      - image: img
+      - env:
+        - name: A
+          value: B
+        image: img
"
        );
    }

    #[test]
    fn create_adds_every_line_and_delete_removes_them() {
        let created = unified(None, Some(&hello(None)), "server dry run").unwrap();
        assert!(created.lines().skip(3).all(|l| l.starts_with('+')));
        let deleted = unified(Some(&hello(None)), None, "server dry run").unwrap();
        assert!(deleted.lines().skip(3).all(|l| l.starts_with('-')));
        assert!(deleted.starts_with("--- service.serving.knative.dev/hello (live)\n"));
    }

    #[test]
    fn colours_follow_the_line_kind() {
        let diff = "--- a (live)\n+++ a (x)\n@@ -1 +1 @@\n keep\n-old\n+new";
        assert_eq!(
            colorize(diff),
            "\u{1b}[1m--- a (live)\u{1b}[0m\n\u{1b}[1m+++ a (x)\u{1b}[0m\n\
             \u{1b}[36m@@ -1 +1 @@\u{1b}[0m\n keep\n\u{1b}[31m-old\u{1b}[0m\n\u{1b}[32m+new\u{1b}[0m"
        );
    }
}
