//! kubectl's list flags on every list command: `-l/--selector`, `--field-selector`, `--sort-by`,
//! `-o wide`, `-w/--watch`, `--watch-only`, `--watch-timeout`, resolved into the list engine's
//! [`ListSettings`] (the engine is [`crate::ops::list`]).

use std::time::Duration;

use clap::Args;

use super::duration::parse_duration;
use super::namespace::ListNamespaceArgs;
use super::output::ListOutputArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ops::list::{ListMode, ListRun, ListSettings};
use crate::output::sort::SortBy;

/// The selection, ordering and watch flags of list commands.
#[derive(Args, Debug, Clone, Default)]
pub struct ListQueryArgs {
    #[arg(
        help = "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.",
        short = 'l',
        long = "selector",
        value_name = "string"
    )]
    pub selector: Option<String>,
    #[arg(
        help = "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.",
        long = "field-selector",
        value_name = "string"
    )]
    pub field_selector: Option<String>,
    #[arg(
        help = "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string.",
        long = "sort-by",
        value_name = "string"
    )]
    pub sort_by: Option<String>,
    #[arg(
        help = "After listing/getting the requested object, watch for changes.",
        short = 'w',
        long = "watch"
    )]
    pub watch: bool,
    #[arg(
        help = "Watch for changes to the requested object(s), without listing/getting first.",
        long = "watch-only"
    )]
    pub watch_only: bool,
    #[arg(
        help = "With --watch or --watch-only, stop watching after this long and exit 0 (e.g. 30s, 5m). Default: watch until interrupted.",
        long = "watch-timeout",
        value_name = "duration",
        value_parser = parse_duration
    )]
    pub watch_timeout: Option<Duration>,
}

impl ListOutputArgs {
    /// The print mode; `-o wide` is accepted here only, for lists.
    pub fn mode(&self) -> Result<ListMode> {
        if self.output.output.as_deref() == Some("wide") {
            return Ok(ListMode::Table { wide: true });
        }
        Ok(match self.output.printer_among(false, &["wide"])? {
            Some(printer) => ListMode::Structured(printer),
            None => ListMode::Table { wide: false },
        })
    }
}

/// `-o`'s help on list commands, which also print `wide` tables.
pub fn wide_help(arg: clap::Arg) -> clap::Arg {
    arg.help("Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, wide).")
}

impl ListQueryArgs {
    /// Checks every list flag (before any request) and resolves the namespace.
    pub fn settings(
        &self,
        ctx: &Context,
        namespace: &ListNamespaceArgs,
        output: &ListOutputArgs,
    ) -> Result<ListSettings> {
        let mode = output.mode()?;
        let sort = self.sort_by.as_deref().map(SortBy::parse).transpose()?;
        if self.watch_timeout.is_some() && !self.watch && !self.watch_only {
            return Err(Error::usage(
                "--watch-timeout can only be used with --watch or --watch-only",
            ));
        }
        Ok(ListSettings {
            mode,
            sort,
            namespace: namespace.resolve(ctx)?,
            all_namespaces: namespace.all_namespaces,
            no_headers: output.no_headers,
            selector: self.selector.clone(),
            field_selector: self.field_selector.clone(),
            watch: self.watch,
            watch_only: self.watch_only,
            watch_timeout: self.watch_timeout,
        })
    }

    /// The list engine's run of these flags and the command's other list flags.
    pub fn resolve(
        &self,
        ctx: &Context,
        namespace: &ListNamespaceArgs,
        output: &ListOutputArgs,
    ) -> Result<ListRun> {
        Ok(ListRun::new(
            self.settings(ctx, namespace, output)?,
            ctx.now,
        ))
    }
}
