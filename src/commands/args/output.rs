//! `-o/--output`, `--template`, `--allow-missing-template-keys`, `--show-managed-fields` and (on
//! lists) `--no-headers`: kubectl's print flags as kn exposes them; and the flags the Serving
//! describes share, resolved into the describe engine's [`DescribeTarget`] ([`crate::ops::describe`]).

use clap::Args;

use super::eventing::single_name;
use super::namespace::NamespaceArgs;
use crate::context::Context;
use crate::error::Result;
use crate::ops::describe::DescribeTarget;
use crate::output::structured::{OutputFormat, Printer};

/// The print flags of every list and describe command.
#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    #[arg(
        help = "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).",
        short = 'o',
        long = "output",
        value_name = "string"
    )]
    pub output: Option<String>,
    #[arg(
        help = "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].",
        long = "template",
        value_name = "string"
    )]
    pub template: Option<String>,
    #[arg(
        help = "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.",
        long = "allow-missing-template-keys",
        value_name = "bool",
        num_args = 0..=1,
        require_equals = true,
        default_value_t = true,
        default_missing_value = "true",
        action = clap::ArgAction::Set
    )]
    pub allow_missing_template_keys: bool,
    #[arg(
        help = "If true, keep the managedFields when printing objects in JSON or YAML format.",
        long = "show-managed-fields",
        value_name = "bool",
        num_args = 0..=1,
        require_equals = true,
        default_value_t = false,
        default_missing_value = "true",
        action = clap::ArgAction::Set
    )]
    pub show_managed_fields: bool,
}

impl OutputArgs {
    /// The structured printer chosen by the flags, `None` for kn's human output. `allow_url`
    /// admits `-o url` (service, domain describe). Called before any request.
    pub fn printer(&self, allow_url: bool) -> Result<Option<Printer>> {
        self.printer_among(allow_url, &[])
    }

    /// [`OutputArgs::printer`] for a command that also prints the formats `also` itself.
    pub fn printer_among(&self, allow_url: bool, also: &[&str]) -> Result<Option<Printer>> {
        Ok(OutputFormat::resolve_among(
            self.output.as_deref(),
            self.template.as_deref(),
            allow_url,
            also,
        )?
        .map(|format| Printer {
            format,
            allow_missing_keys: self.allow_missing_template_keys,
            show_managed_fields: self.show_managed_fields,
        }))
    }
}

/// The flags every Serving describe takes: NAME, `-n`, the print flags and `-v`.
#[derive(Args, Debug)]
pub struct DescribeFlags {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[arg(help = "More output.", short = 'v', long = "verbose")]
    pub verbose: bool,
}

// The flags' side of the describe engine's input.
impl<'a> DescribeTarget<'a> {
    /// Checks a describe's flags in kn's order, before any request: exactly one NAME (else the
    /// usage error `arity` of `command`), the print format (`allow_url` admits `-o url`), the
    /// namespace.
    pub fn resolve(
        ctx: &Context,
        names: &'a [String],
        namespace: &NamespaceArgs,
        output: &OutputArgs,
        command: &str,
        arity: &str,
        allow_url: bool,
    ) -> Result<Self> {
        let name = single_name(names, command, arity)?;
        let printer = output.printer(allow_url)?;
        let namespace = namespace.resolve(ctx)?;
        Ok(DescribeTarget {
            name,
            printer,
            namespace,
        })
    }
}

impl DescribeFlags {
    /// [`DescribeTarget::resolve`] of these flags.
    pub fn resolve(
        &self,
        ctx: &Context,
        command: &str,
        arity: &str,
        allow_url: bool,
    ) -> Result<DescribeTarget<'_>> {
        DescribeTarget::resolve(
            ctx,
            &self.names,
            &self.namespace,
            &self.output,
            command,
            arity,
            allow_url,
        )
    }
}

/// The print flags of list commands: [`OutputArgs`] plus `--no-headers`.
#[derive(Args, Debug, Clone)]
pub struct ListOutputArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    #[arg(
        help = "When using the default output format, don't print headers (default: print headers).",
        long = "no-headers",
        value_name = "bool",
        num_args = 0..=1,
        require_equals = true,
        default_value_t = false,
        default_missing_value = "true",
        action = clap::ArgAction::Set
    )]
    pub no_headers: bool,
}
