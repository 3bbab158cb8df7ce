//! The flags every `events` verb takes (NAME, `-n`, `-w`, `-o`) and its run: check the object
//! exists, then list (or follow) the events of its scope.

use clap::Args;

use crate::client::kinds::ResourceKind;
use crate::commands::args::namespace::NamespaceArgs;
use crate::commands::args::output::OutputArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::events::Scope;

/// `NAME`, `-n`, `-w`, `-o`.
#[derive(Args, Debug)]
pub struct EventsFlags {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        short = 'w',
        long = "watch",
        help = "After listing the events, keep printing new ones until interrupted (Ctrl-C)."
    )]
    pub watch: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

impl EventsFlags {
    /// Runs `command` (`service events` …) for the one object of `kind` named; `what` names it
    /// in the usage error (`service`, `ping source` …); `scope` makes the scope from the name.
    pub async fn run(
        &self,
        ctx: &Context,
        command: &str,
        what: &str,
        kind: &ResourceKind,
        scope: fn(String) -> Scope,
    ) -> Result<()> {
        let [name] = self.names.as_slice() else {
            return Err(Error::usage_in(
                command,
                format!("'{command}' requires the {what} name given as single argument"),
            ));
        };
        let namespace = self.namespace.resolve(ctx)?;
        let printer = self.output.printer(false)?;
        let client = ctx.client().await?;
        client.get(kind, &namespace, name).await?;
        let scope = scope(name.clone());
        crate::events::print(client, &namespace, scope, self.watch, printer.as_ref(), ctx).await
    }
}
