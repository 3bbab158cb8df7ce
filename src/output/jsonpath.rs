//! `-o jsonpath=…`, `jsonpath-as-json` and `jsonpath-file` as kubectl's cli-runtime printer runs
//! them: the template is client-go's JSONPath (the `kubetext` crate); this module adds kubectl's
//! messages around it (parse errors are usage errors, found before any request).

use serde_json::Value;

use crate::error::{Error, Result};

/// A parsed template.
#[derive(Debug, Clone)]
pub struct JsonPathTemplate {
    source: String,
    path: kubetext::jsonpath::JsonPath,
}

impl JsonPathTemplate {
    /// Parses a template; a bad one is kubectl's `error parsing jsonpath TEMPLATE, WHY`.
    pub fn parse(source: &str) -> Result<Self> {
        let path = kubetext::jsonpath::JsonPath::parse(source)
            .map_err(|e| Error::usage(format!("error parsing jsonpath {source}, {e}")))?;
        Ok(JsonPathTemplate {
            source: source.to_string(),
            path,
        })
    }

    /// Renders the template against `data`. A missing field is an error unless `allow_missing`
    /// (kubectl's `--allow-missing-template-keys`, default true).
    pub fn render(&self, data: &Value, allow_missing: bool) -> Result<String> {
        self.path
            .clone()
            .allow_missing_keys(allow_missing)
            .execute(data)
            .map_err(|e| self.exec_error(&e, data))
    }

    /// `-o jsonpath-as-json=…`: each piece's results as an indented JSON array.
    pub fn render_json(&self, data: &Value, allow_missing: bool) -> Result<String> {
        self.path
            .clone()
            .allow_missing_keys(allow_missing)
            .execute_json(data)
            .map_err(|e| self.exec_error(&e, data))
    }

    /// The first result of the first piece (kubectl's `--sort-by` key), missing keys allowed;
    /// `None` when there is none or the path fails on this item.
    pub fn first_value(&self, data: &Value) -> Option<Value> {
        let groups = self.path.find_results(data).ok()?;
        groups.first()?.first()?.value().cloned()
    }

    /// cli-runtime's message, with the object the template ran on.
    fn exec_error(&self, err: &kubetext::jsonpath::ExecError, data: &Value) -> Error {
        let template = &self.source;
        Error::failed(format!(
            "error executing jsonpath {}: Error executing template: {err}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n",
            kubetext::gofmt::quote(template),
            kubetext::gofmt::sharp_v(data),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(template: &str, data: &Value) -> String {
        JsonPathTemplate::parse(template)
            .unwrap()
            .render(data, true)
            .unwrap()
    }

    #[test]
    fn kubectl_paths_ranges_and_literals() {
        let svc = json!({"status": {"traffic": [
            {"tag": "a", "percent": 70}, {"tag": "b", "percent": 30}]}});
        assert_eq!(
            render(
                r#"{range .status.traffic[*]}{.tag}{","}{.percent}{"|"}{end}"#,
                &svc
            ),
            "a,70|b,30|"
        );
        assert_eq!(
            render("{range .status.traffic[*]}{.tag}{'\\n'}{end}", &svc),
            "a\nb\n"
        );
    }

    #[test]
    fn errors_are_kubectls() {
        let err = JsonPathTemplate::parse("{.items,.kind}").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.to_string(),
            "error parsing jsonpath {.items,.kind}, unrecognized character in action: U+002C ','"
        );
        let obj = json!({"metadata": {"name": "a"}});
        let template = JsonPathTemplate::parse("{.status.url}").unwrap();
        assert_eq!(template.render(&obj, true).unwrap(), "");
        let err = template.render(&obj, false).unwrap_err();
        assert_eq!(err.exit_code(), 1);
        assert_eq!(
            err.to_string(),
            "error executing jsonpath \"{.status.url}\": Error executing template: status is not found. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.status.url}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"metadata\":map[string]interface {}{\"name\":\"a\"}}\n\n"
        );
    }
}
