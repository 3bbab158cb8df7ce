//! The flags every `diagnose` verb takes (NAME, `-n`, `-o json`) and how its result is printed:
//! the tree and verdict, or JSON; exit status 1 unless everything is healthy.

use clap::Args;

use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::diagnose::Diagnosis;
use crate::error::{Error, Result};
use crate::output::views::diagnosis;

/// `NAME`, `-n`, `-o`.
#[derive(Args, Debug)]
pub struct DiagnoseFlags {
    #[arg(value_name = "NAME")]
    pub name: String,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    /// Output format. One of: json.
    #[arg(short, long, value_name = "string")]
    pub output: Option<String>,
}

impl DiagnoseFlags {
    /// The namespace, once `-o` is known to be valid (checked before any request).
    pub fn resolve(&self, ctx: &Context, command: &str) -> Result<String> {
        if let Some(o) = self.output.as_deref().filter(|o| *o != "json") {
            return Err(Error::usage_in(
                command,
                format!("invalid value '{o}' for '--output': only json is supported"),
            ));
        }
        self.namespace.resolve(ctx)
    }

    /// Prints `d` and turns an unhealthy result into exit status 1 (nothing more on stderr:
    /// the verdict says it).
    pub fn finish(&self, ctx: &Context, d: &Diagnosis) -> Result<()> {
        if self.output.is_some() {
            let text = serde_json::to_string_pretty(d).map_err(|e| Error::failed(e.to_string()))?;
            ctx.println(&text)?;
        } else {
            ctx.print(&diagnosis::diagnosis(d))?;
        }
        if d.healthy {
            Ok(())
        } else {
            Err(Error::Silent(1))
        }
    }
}
