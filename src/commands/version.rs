//! `knit version`: knit's version, git commit, build date and the Knative APIs it speaks
//! (kn-reference §7.3), plain or as `-o json|yaml`.

use std::collections::BTreeMap;

use clap::Args;
use serde::Serialize;

use crate::context::Context;
use crate::error::{Error, Result};

/// Show the version of this client
#[derive(Args, Debug)]
#[command(
    about = "Show the version of this client",
    long_about = "Show the version of this client"
)]
pub struct VersionArgs {
    /// Output format. One of: json|yaml.
    #[arg(verbatim_doc_comment, short, long, value_name = "string")]
    pub output: Option<String>,
}

pub async fn run(args: &VersionArgs, ctx: &Context) -> Result<()> {
    let text = VersionInfo::current()
        .render(args.output.as_deref())
        .map_err(|message| Error::usage_in("version", message))?;
    ctx.print(&text)
}

/// knit's version, as `v` + the crate version.
pub fn version() -> String {
    format!("v{}", env!("CARGO_PKG_VERSION"))
}

/// Git commit knit was built from (empty when built outside git).
pub const GIT_COMMIT: &str = env!("KNIT_GIT_COMMIT");

/// Build date, `YYYY-MM-DD HH:MM:SS` UTC.
pub const BUILD_DATE: &str = env!("KNIT_BUILD_DATE");

/// Knative API group versions knit reads and writes, by area.
pub const SERVING_APIS: [&str; 2] = ["serving.knative.dev/v1", "serving.knative.dev/v1beta1"];
pub const EVENTING_APIS: [&str; 4] = [
    "sources.knative.dev/v1",
    "eventing.knative.dev/v1",
    "eventing.knative.dev/v1beta2",
    "messaging.knative.dev/v1",
];

/// The facts `knit version` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    pub version: String,
    pub build_date: String,
    pub git_revision: String,
    pub serving: Vec<String>,
    pub eventing: Vec<String>,
}

impl VersionInfo {
    /// This build's facts.
    pub fn current() -> VersionInfo {
        VersionInfo {
            version: version(),
            build_date: BUILD_DATE.to_string(),
            git_revision: GIT_COMMIT.to_string(),
            serving: SERVING_APIS.iter().map(|s| s.to_string()).collect(),
            eventing: EVENTING_APIS.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// kn's plain layout.
    pub fn plain(&self) -> String {
        let mut out = format!(
            "Version:      {}\nBuild Date:   {}\nGit Revision: {}\nSupported APIs:\n* Serving\n",
            self.version, self.build_date, self.git_revision
        );
        for api in &self.serving {
            out.push_str(&format!("  - {api}\n"));
        }
        out.push_str("* Eventing\n");
        for api in &self.eventing {
            out.push_str(&format!("  - {api}\n"));
        }
        out
    }

    /// `-o json` / `-o yaml` (either case), else kn's error message.
    pub fn render(&self, output: Option<&str>) -> Result<String, String> {
        let Some(format) = output.filter(|o| !o.is_empty()) else {
            return Ok(self.plain());
        };
        let apis = BTreeMap::from([
            ("eventing", self.eventing.clone()),
            ("serving", self.serving.clone()),
        ]);
        match format {
            "json" | "JSON" => {
                // Go's json.MarshalIndent(v, "", "\t"), in kn's field order.
                #[derive(Serialize)]
                #[serde(rename_all = "PascalCase")]
                struct Json<'a> {
                    version: &'a str,
                    build_date: &'a str,
                    git_revision: &'a str,
                    #[serde(rename = "SupportedAPIs")]
                    supported_apis: &'a BTreeMap<&'static str, Vec<String>>,
                }
                let doc = Json {
                    version: &self.version,
                    build_date: &self.build_date,
                    git_revision: &self.git_revision,
                    supported_apis: &apis,
                };
                let mut buf = Vec::new();
                let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
                let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
                doc.serialize(&mut ser).map_err(|e| e.to_string())?;
                let mut text = String::from_utf8(buf).map_err(|e| e.to_string())?;
                // kn prints no trailing newline here; knit ends the line like every other output.
                text.push('\n');
                Ok(text)
            }
            "yaml" | "YAML" => {
                // Keys sorted, as kn's YAML printer does.
                #[derive(Serialize)]
                #[serde(rename_all = "PascalCase")]
                struct Yaml<'a> {
                    build_date: &'a str,
                    git_revision: &'a str,
                    #[serde(rename = "SupportedAPIs")]
                    supported_apis: &'a BTreeMap<&'static str, Vec<String>>,
                    version: &'a str,
                }
                let doc = Yaml {
                    build_date: &self.build_date,
                    git_revision: &self.git_revision,
                    supported_apis: &apis,
                    version: &self.version,
                };
                serde_saphyr::to_string(&doc).map_err(|e| e.to_string())
            }
            _ => {
                Err("invalid value for output flag, choose one among 'json' or 'yaml'".to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> VersionInfo {
        VersionInfo {
            version: "v0.1.0".into(),
            build_date: "2026-11-21 10:00:00".into(),
            git_revision: "abcdef12".into(),
            ..VersionInfo::current()
        }
    }

    #[test]
    fn plain_layout() {
        insta::assert_snapshot!(sample().render(None).unwrap(), @r"
        Version:      v0.1.0
        Build Date:   2026-11-21 10:00:00
        Git Revision: abcdef12
        Supported APIs:
        * Serving
          - serving.knative.dev/v1
          - serving.knative.dev/v1beta1
        * Eventing
          - sources.knative.dev/v1
          - eventing.knative.dev/v1
          - eventing.knative.dev/v1beta2
          - messaging.knative.dev/v1
        ");
    }

    #[test]
    fn json_is_tab_indented_in_kn_field_order() {
        let text = sample().render(Some("JSON")).unwrap();
        assert!(text.starts_with("{\n\t\"Version\": \"v0.1.0\",\n\t\"BuildDate\""));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["GitRevision"], "abcdef12");
        assert_eq!(v["SupportedAPIs"]["serving"][0], "serving.knative.dev/v1");
    }

    #[test]
    fn yaml_has_sorted_keys() {
        insta::assert_snapshot!(sample().render(Some("yaml")).unwrap(), @r#"
        BuildDate: "2026-11-21 10:00:00"
        GitRevision: abcdef12
        SupportedAPIs:
          eventing:
          - sources.knative.dev/v1
          - eventing.knative.dev/v1
          - eventing.knative.dev/v1beta2
          - messaging.knative.dev/v1
          serving:
          - serving.knative.dev/v1
          - serving.knative.dev/v1beta1
        Version: v0.1.0
        "#);
    }

    #[test]
    fn other_formats_are_rejected_with_kns_message() {
        assert_eq!(
            sample().render(Some("table")).unwrap_err(),
            "invalid value for output flag, choose one among 'json' or 'yaml'"
        );
    }

    #[test]
    fn build_metadata_is_present() {
        assert_eq!(BUILD_DATE.len(), "2026-11-21 10:00:00".len());
        assert_eq!(version(), format!("v{}", env!("CARGO_PKG_VERSION")));
    }
}
