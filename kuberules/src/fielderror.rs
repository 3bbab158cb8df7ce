//! Knative's `apis.FieldError`: validation diagnostics with field paths, merged, sorted and
//! rendered exactly as knative.dev/pkg does (reference/knative-api.md §1.2).

use kubetext::gofmt::quote;
use std::fmt;

/// Severity of one diagnostic: errors deny a request, warnings become `Warning` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
}

/// One leaf diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub paths: Vec<String>,
    pub level: Level,
    pub details: String,
}

/// A collection of diagnostics (Go's `*FieldError`; the empty collection is Go's `nil`).
/// Kept flat: Knative always flattens the tree before rendering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldError {
    items: Vec<Diagnostic>,
}

impl FieldError {
    /// No diagnostics.
    pub fn none() -> Self {
        FieldError::default()
    }

    /// A diagnostic with a message and paths (`apis.ErrGeneric`).
    pub fn new(message: impl Into<String>, paths: &[&str]) -> Self {
        Self::with_details(message, paths, "")
    }

    pub fn with_details(
        message: impl Into<String>,
        paths: &[&str],
        details: impl Into<String>,
    ) -> Self {
        let message = message.into();
        if message.is_empty() {
            return FieldError::none();
        }
        FieldError {
            items: vec![Diagnostic {
                message,
                paths: paths.iter().map(|p| p.to_string()).collect(),
                level: Level::Error,
                details: details.into(),
            }],
        }
    }

    /// `missing field(s)`.
    pub fn missing(paths: &[&str]) -> Self {
        Self::new("missing field(s)", paths)
    }

    /// `must not set the field(s)`.
    pub fn disallowed(paths: &[&str]) -> Self {
        Self::new("must not set the field(s)", paths)
    }

    /// `invalid value: VALUE`.
    pub fn invalid_value(value: impl fmt::Display, path: &str) -> Self {
        Self::new(format!("invalid value: {value}"), &[path])
    }

    /// `invalid value: VALUE` with details.
    pub fn invalid_value_details(value: impl fmt::Display, path: &str, details: &[&str]) -> Self {
        Self::with_details(
            format!("invalid value: {value}"),
            &[path],
            details.join(", "),
        )
    }

    /// `expected LOW <= VALUE <= HIGH`.
    pub fn out_of_bounds(
        value: impl fmt::Display,
        low: impl fmt::Display,
        high: impl fmt::Display,
        path: &str,
    ) -> Self {
        Self::new(format!("expected {low} <= {value} <= {high}"), &[path])
    }

    /// `expected exactly one, got neither`.
    pub fn missing_one_of(paths: &[&str]) -> Self {
        Self::new("expected exactly one, got neither", paths)
    }

    /// `expected exactly one, got both`.
    pub fn multiple_one_of(paths: &[&str]) -> Self {
        Self::new("expected exactly one, got both", paths)
    }

    /// `invalid key name "KEY"` with optional details (joined with ", ").
    pub fn invalid_key_name(key: &str, path: &str, details: &[String]) -> Self {
        Self::with_details(
            format!("invalid key name {}", quote(key)),
            &[path],
            details.join(", "),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Collects more diagnostics (`Also`).
    pub fn also(mut self, other: FieldError) -> Self {
        self.items.extend(other.items);
        self
    }

    /// In-place `Also`.
    pub fn push(&mut self, other: FieldError) {
        self.items.extend(other.items);
    }

    /// Prefixes every path with `prefix` (`ViaField`).
    pub fn via_field(mut self, prefix: &str) -> Self {
        for item in &mut self.items {
            item.paths = item.paths.iter().map(|p| flatten(&[prefix, p])).collect();
        }
        self
    }

    /// `ViaIndex`: glues `[i]` to the next field.
    pub fn via_index(self, index: usize) -> Self {
        self.via_field(&format!("[{index}]"))
    }

    /// `ViaFieldIndex(field, i)` = `ViaIndex(i).ViaField(field)`.
    pub fn via_field_index(self, field: &str, index: usize) -> Self {
        self.via_index(index).via_field(field)
    }

    /// `ViaKey`: glues `[key]` to the next field.
    pub fn via_key(self, key: &str) -> Self {
        self.via_field(&format!("[{key}]"))
    }

    /// Changes the level of every diagnostic (`At`).
    pub fn at(mut self, level: Level) -> Self {
        for item in &mut self.items {
            item.level = level;
        }
        self
    }

    /// Only the diagnostics of one level (`Filter`).
    pub fn filter(&self, level: Level) -> FieldError {
        FieldError {
            items: self
                .items
                .iter()
                .filter(|d| d.level == level)
                .cloned()
                .collect(),
        }
    }

    /// Merged and sorted diagnostics, as `Error()` renders them.
    pub fn merged(&self) -> Vec<Diagnostic> {
        let mut merged: Vec<Diagnostic> = Vec::new();
        for item in &self.items {
            match merged.iter_mut().find(|m| {
                m.level == item.level && m.message == item.message && m.details == item.details
            }) {
                Some(existing) => {
                    for p in &item.paths {
                        if !existing.paths.contains(p) {
                            existing.paths.push(p.clone());
                        }
                    }
                }
                None => merged.push(item.clone()),
            }
        }
        for m in &mut merged {
            m.paths.sort();
        }
        merged.sort_by(|a, b| {
            a.message
                .cmp(&b.message)
                .then_with(|| a.details.cmp(&b.details))
                .then_with(|| a.level.cmp(&b.level))
        });
        merged
    }

    /// One rendered text per merged diagnostic (used for warnings: one header each).
    pub fn rendered(&self) -> Vec<String> {
        self.merged().iter().map(render_one).collect()
    }
}

fn render_one(d: &Diagnostic) -> String {
    if d.details.is_empty() {
        format!("{}: {}", d.message, d.paths.join(", "))
    } else {
        format!("{}: {}\n{}", d.message, d.paths.join(", "), d.details)
    }
}

impl fmt::Display for FieldError {
    /// Go's `FieldError.Error()`: merged diagnostics joined by newlines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.rendered().join("\n"))
    }
}

/// Joins path segments the way knative.dev/pkg's `flatten` does: every segment is split on
/// `.`, empty parts are dropped and `[…]` parts are glued to the previous part.
pub fn flatten(parts: &[&str]) -> String {
    let mut out: Vec<String> = Vec::new();
    for part in parts {
        for p in part.split('.') {
            if p.is_empty() {
                continue;
            }
            let is_index = p.starts_with('[') && p.ends_with(']');
            match out.last_mut() {
                Some(last) if is_index => last.push_str(p),
                _ => out.push(p.to_string()),
            }
        }
    }
    out.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_flattened_with_indexes_glued() {
        let e = FieldError::new("bad", &["percent"])
            .via_index(0)
            .via_field("traffic")
            .via_field("spec");
        assert_eq!(e.to_string(), "bad: spec.traffic[0].percent");
    }

    #[test]
    fn array_value_error_gets_the_odd_tag_path() {
        // ErrInvalidArrayValue(v, "tag", i) = ErrInvalidValue(v, "").ViaFieldIndex("tag", i)
        let e = FieldError::invalid_value("x", "")
            .via_field_index("tag", 2)
            .via_field("traffic")
            .via_field("spec");
        assert_eq!(e.to_string(), "invalid value: x: spec.traffic.tag[2]");
    }

    #[test]
    fn same_messages_merge_paths_sorted_and_errors_sorted_by_message() {
        let e = FieldError::missing(&["b"])
            .also(FieldError::new("zeta", &["z"]))
            .also(FieldError::missing(&["a"]))
            .also(FieldError::with_details("alpha", &["x"], "more"));
        assert_eq!(
            e.to_string(),
            "alpha: x\nmore\nmissing field(s): a, b\nzeta: z"
        );
    }

    #[test]
    fn annotation_keys_are_split_and_rejoined() {
        let e = FieldError::invalid_value("x", "autoscaling.knative.dev/min-scale")
            .via_field("metadata.annotations");
        assert_eq!(
            e.to_string(),
            "invalid value: x: metadata.annotations.autoscaling.knative.dev/min-scale"
        );
    }

    #[test]
    fn keys_are_glued_like_indexes() {
        let e = FieldError::new("m", &["f"]).via_key("k").via_field("bag");
        assert_eq!(e.to_string(), "m: bag[k].f");
    }

    #[test]
    fn levels_are_filtered_and_warnings_render_separately() {
        let e = FieldError::new("w", &["b"])
            .at(Level::Warning)
            .also(FieldError::new("e", &["a"]));
        assert_eq!(e.filter(Level::Error).to_string(), "e: a");
        assert_eq!(
            e.filter(Level::Warning).rendered(),
            vec!["w: b".to_string()]
        );
        assert!(e.filter(Level::Warning).filter(Level::Error).is_empty());
    }

    #[test]
    fn helpers_render_knative_texts() {
        assert_eq!(
            FieldError::out_of_bounds(150, 0, 100, "percent").to_string(),
            "expected 0 <= 150 <= 100: percent"
        );
        assert_eq!(
            FieldError::multiple_one_of(&["revisionName", "configurationName"]).to_string(),
            "expected exactly one, got both: configurationName, revisionName"
        );
        assert_eq!(
            FieldError::invalid_key_name("a b", "revisionName", &["x".into(), "y".into()])
                .to_string(),
            "invalid key name \"a b\": revisionName\nx, y"
        );
    }
}
