//! Machine-readable output (`-o json|yaml|name|jsonpath…|go-template…|url`), printed the way
//! kubectl's printers print (4-space JSON with Go's HTML escaping, sorted keys; lists as `XList`).

mod gojson;
mod template;

use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value;

use super::jsonpath::JsonPathTemplate;
use crate::client::ResourceKind;
use crate::error::{Error, Result};

pub(super) use self::gojson::GoFormatter;
pub use self::gojson::{to_go_json, to_yaml};
use self::template::{go_parse_error, go_template};

/// The formats every list and describe accepts (without `url`), in kubectl's error order.
pub const FORMATS: &[&str] = &[
    "go-template",
    "go-template-file",
    "json",
    "jsonpath",
    "jsonpath-as-json",
    "jsonpath-file",
    "name",
    "template",
    "templatefile",
    "yaml",
];

/// A resolved `-o` choice.
#[derive(Debug, Clone)]
pub enum OutputFormat {
    Json,
    Yaml,
    Name,
    /// Only the URL (`service/domain describe -o url`).
    Url,
    JsonPath(JsonPathTemplate),
    JsonPathAsJson(JsonPathTemplate),
    GoTemplate(String),
}

impl OutputFormat {
    /// Resolves `-o` and `--template` like cli-runtime: `jsonpath=T` / `jsonpath` + `--template T`,
    /// `go-template`/`template` (+`-file`), `--template` alone meaning go-template. Files are read
    /// here, so every problem is reported before any request.
    pub fn resolve(
        output: Option<&str>,
        template: Option<&str>,
        allow_url: bool,
    ) -> Result<Option<OutputFormat>> {
        Self::resolve_among(output, template, allow_url, &[])
    }

    /// [`OutputFormat::resolve`] for a command that also prints formats of its own (`wide` on
    /// lists, checked by the caller first): they are named among the allowed formats when `-o`
    /// names none.
    pub fn resolve_among(
        output: Option<&str>,
        template: Option<&str>,
        allow_url: bool,
        also: &[&str],
    ) -> Result<Option<OutputFormat>> {
        let template = template.filter(|t| !t.is_empty());
        let output = match (output, template) {
            (Some(o), _) if !o.is_empty() => o,
            (_, Some(_)) => "go-template",
            _ => return Ok(None),
        };
        let (name, inline) = match output.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (output, None),
        };
        let lower = name.to_ascii_lowercase();
        let simple = match lower.as_str() {
            "json" => Some(OutputFormat::Json),
            "yaml" => Some(OutputFormat::Yaml),
            "name" => Some(OutputFormat::Name),
            "url" if allow_url => Some(OutputFormat::Url),
            _ => None,
        };
        if let Some(format) = simple {
            if inline.is_some() {
                return Err(unknown_format(output, also));
            }
            return Ok(Some(format));
        }
        if !FORMATS.contains(&name) {
            return Err(unknown_format(output, also));
        }
        let text = match inline.or(template) {
            Some(t) if !t.is_empty() => t.to_string(),
            _ => {
                return Err(Error::usage(
                    "template format specified but no template given",
                ));
            }
        };
        let text = if name.ends_with("-file") || name == "templatefile" {
            let path = PathBuf::from(&text);
            std::fs::read_to_string(&path).map_err(|e| {
                Error::usage(format!(
                    "error reading --template {}, {}",
                    path.display(),
                    crate::error::path_error("open", &path, &e)
                ))
            })?
        } else {
            text
        };
        Ok(Some(match name {
            "jsonpath" | "jsonpath-file" => OutputFormat::JsonPath(JsonPathTemplate::parse(&text)?),
            "jsonpath-as-json" => OutputFormat::JsonPathAsJson(JsonPathTemplate::parse(&text)?),
            _ => {
                // Parse now so a broken template is a usage error, not a runtime one.
                gotmpl::Template::new("output").parse(&text).map_err(|e| {
                    let e = go_parse_error(&e.to_string());
                    Error::usage(format!("error parsing template {text}, {e}"))
                })?;
                super::gotemplate::check_blocks(&text).map_err(|e| {
                    Error::usage(format!(
                        "error parsing template {text}, template: output:1: {e}"
                    ))
                })?;
                OutputFormat::GoTemplate(text)
            }
        }))
    }
}

/// kubectl's message, which (as in kn) does not list `url` even where it is accepted.
fn unknown_format(output: &str, also: &[&str]) -> Error {
    let mut allowed = FORMATS.to_vec();
    if !also.is_empty() {
        allowed.extend_from_slice(also);
        allowed.sort_unstable();
    }
    let allowed = allowed.join(",");
    Error::usage(format!(
        "unable to match a printer suitable for the output format \"{output}\", allowed formats are: {allowed}"
    ))
}

/// Prints objects and lists in a structured format.
#[derive(Debug, Clone)]
pub struct Printer {
    pub format: OutputFormat,
    pub allow_missing_keys: bool,
    pub show_managed_fields: bool,
}

impl Printer {
    /// One object.
    pub fn print(&self, object: &Value) -> Result<String> {
        self.print_owned(object.clone())
    }

    /// One object the caller no longer needs (saves a copy of it).
    pub fn print_owned(&self, mut object: Value) -> Result<String> {
        // Like kubectl and kn, only json and yaml hide managedFields; templates see the object.
        if !self.show_managed_fields
            && matches!(self.format, OutputFormat::Json | OutputFormat::Yaml)
        {
            strip_managed_fields(&mut object);
        }
        match &self.format {
            OutputFormat::Json => to_go_json(&object),
            OutputFormat::Yaml => to_yaml(&object),
            OutputFormat::Name => Ok(format!("{}\n", qualified_name(&object))),
            OutputFormat::Url => Ok(format!(
                "{}\n",
                object
                    .pointer("/status/url")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            )),
            OutputFormat::JsonPath(t) => t.render(&object, self.allow_missing_keys),
            OutputFormat::JsonPathAsJson(t) => t.render_json(&object, self.allow_missing_keys),
            OutputFormat::GoTemplate(text) => go_template(text, &object, self.allow_missing_keys),
        }
    }

    /// A list of objects of one kind, printed as a `KindList` (`-o name`: one line per item).
    pub fn print_list(&self, kind: &ResourceKind, items: &[Value]) -> Result<String> {
        if let OutputFormat::Name = self.format {
            return Ok(names(items));
        }
        self.print_owned(list_object(kind, items))
    }

    /// [`Printer::print_list`] for items the caller no longer needs (no copy of them is made).
    pub fn print_list_owned(&self, kind: &ResourceKind, items: Vec<Value>) -> Result<String> {
        if let OutputFormat::Name = self.format {
            return Ok(names(&items));
        }
        let mut list = list_object(kind, &[]);
        list["items"] = Value::Array(items);
        self.print_owned(list)
    }
}

/// A list printed item by item, byte for byte as [`Printer::print_list_owned`] prints it whole:
/// the `XList` head, each item as it arrives, then the tail. Only json, yaml and name print an
/// item without seeing the others; templates get the whole list.
pub struct ListWriter<'a> {
    printer: &'a Printer,
    api_version: String,
    kind: String,
    list_kind: String,
    items: usize,
}

impl<'a> ListWriter<'a> {
    /// `None` when the format needs the whole list at once.
    pub fn new(printer: &'a Printer, kind: &ResourceKind) -> Option<ListWriter<'a>> {
        if !matches!(
            printer.format,
            OutputFormat::Json | OutputFormat::Yaml | OutputFormat::Name
        ) {
            return None;
        }
        Some(ListWriter {
            printer,
            api_version: kind.api_version(),
            kind: kind.kind.to_string(),
            list_kind: kind.list_kind(),
            items: 0,
        })
    }

    /// What comes before the first item.
    pub fn begin(&self) -> Result<String> {
        Ok(match self.printer.format {
            OutputFormat::Json => format!(
                "{{\n    \"apiVersion\": {},\n    \"items\": [",
                to_go_json(&self.api_version)?.trim_end()
            ),
            OutputFormat::Yaml => to_yaml(&serde_json::json!({"apiVersion": self.api_version}))?,
            _ => String::new(),
        })
    }

    /// One item, as it sits in the whole list.
    pub fn item(&mut self, mut item: Value) -> Result<String> {
        let first = self.items == 0;
        self.items += 1;
        if !self.printer.show_managed_fields {
            strip_managed_fields(&mut item);
        }
        match self.printer.format {
            OutputFormat::Json => {
                let mut out = Vec::from(if first { "\n        " } else { ",\n        " });
                let mut ser = serde_json::Serializer::with_formatter(&mut out, GoFormatter::at(2));
                item.serialize(&mut ser)
                    .map_err(|e| Error::failed(format!("cannot encode JSON: {e}")))?;
                Ok(String::from_utf8(out)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
            }
            OutputFormat::Yaml => {
                let text = to_yaml(&item)?;
                let mut out = String::with_capacity(text.len() + text.len() / 8 + 8);
                if first {
                    out.push_str("items:\n");
                }
                // A sequence entry: `- ` before the first line, two spaces before the others
                // (empty lines of a block scalar stay empty).
                for (i, line) in text.split_inclusive('\n').enumerate() {
                    if i == 0 {
                        out.push_str("- ");
                    } else if line != "\n" {
                        out.push_str("  ");
                    }
                    out.push_str(line);
                }
                Ok(out)
            }
            _ => Ok(format!("{}\n", qualified_name(&item))),
        }
    }

    /// [`ListWriter::item`] from the item's bytes as the server sent them, for `-o json`
    /// (`None` for the other formats, which print from a parsed object). Reading the bytes
    /// once, without building a `Value`, is most of the cost of printing a long list.
    pub fn raw_item(&mut self, raw: &[u8]) -> Option<std::result::Result<Vec<u8>, String>> {
        if !matches!(self.printer.format, OutputFormat::Json) {
            return None;
        }
        let first = self.items == 0;
        let mut out = Vec::with_capacity(raw.len() + raw.len() / 2);
        out.extend_from_slice(if first { b"\n        " } else { b",\n        " });
        let edits = super::rawjson::ItemEdits {
            drop_managed_fields: !self.printer.show_managed_fields,
            type_meta: (&self.api_version, &self.kind),
        };
        Some(
            super::rawjson::write_item(&mut out, raw, 2, edits).map(|()| {
                self.items += 1;
                // Only valid UTF-8 was copied (`write_item` checks the item first).
                out
            }),
        )
    }

    /// What comes after the last item.
    pub fn end(&self) -> Result<String> {
        let empty = self.items == 0;
        Ok(match self.printer.format {
            OutputFormat::Json => format!(
                "{},\n    \"kind\": {}\n}}\n",
                if empty { "]" } else { "\n    ]" },
                to_go_json(&self.list_kind)?.trim_end()
            ),
            OutputFormat::Yaml => format!(
                "{}{}",
                if empty { "items: []\n" } else { "" },
                to_yaml(&serde_json::json!({"kind": self.list_kind}))?
            ),
            _ => String::new(),
        })
    }
}

fn names(items: &[Value]) -> String {
    items
        .iter()
        .map(|i| format!("{}\n", qualified_name(i)))
        .collect()
}

/// The `XList` wrapper kn prints: `apiVersion`, `items`, `kind` (no list metadata, as kn's
/// unstructured list conversion drops it).
pub fn list_object(kind: &ResourceKind, items: &[Value]) -> Value {
    serde_json::json!({
        "apiVersion": kind.api_version(),
        "kind": kind.list_kind(),
        "items": items,
    })
}

fn strip_managed_fields(object: &mut Value) {
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    if let Some(Value::Array(items)) = object.get_mut("items") {
        items.iter_mut().for_each(strip_managed_fields);
    }
}

/// `kind.group/name` (`service.serving.knative.dev/hello`, `secret/foo`).
pub fn qualified_name(object: &Value) -> String {
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let api_version = object
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let name = object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match api_version.split_once('/') {
        Some((group, _)) => format!("{kind}.{group}/{name}"),
        None => format!("{kind}/{name}"),
    }
}

#[cfg(test)]
#[path = "structured_tests.rs"]
mod tests;
