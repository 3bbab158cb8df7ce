//! Command dispatch: one folder per noun, one file per verb; each verb has an `Args` (clap
//! derive) and a `run(args, ctx)`. Shared flag groups live in [`args`].

pub mod apply;
pub mod args;
pub mod broker;
pub mod channel;
pub mod completion;
pub mod container;
pub mod domain;
pub mod dry_run;
pub mod emulator;
pub mod eventing_common;
pub mod eventpolicy;
pub mod eventtransform;
pub mod eventtype;
pub mod explain;
pub mod integrationsink;
pub mod options;
pub mod plugin;
pub mod revision;
pub mod route;
pub mod secret;
pub mod service;
pub mod source;
pub mod subscription;
pub mod trigger;
pub mod version;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::error::{Error, Result};

/// Runs the parsed command line.
pub async fn run(cli: Cli, ctx: &Context) -> Result<()> {
    match cli.command {
        None => {
            let mut cmd = crate::cli::command();
            ctx.print(&cmd.render_long_help().to_string())
        }
        Some(Command::Service(cmd)) => service::run(cmd, ctx).await,
        Some(Command::Container(cmd)) => container::run(cmd, ctx).await,
        Some(Command::Revision(cmd)) => revision::run(cmd, ctx).await,
        Some(Command::Route(cmd)) => route::run(cmd, ctx).await,
        Some(Command::Domain(cmd)) => domain::run(cmd, ctx).await,
        Some(Command::Source(cmd)) => source::run(*cmd, ctx).await,
        Some(Command::Broker(cmd)) => broker::run(cmd, ctx).await,
        Some(Command::Trigger(cmd)) => trigger::run(cmd, ctx).await,
        Some(Command::Channel(cmd)) => channel::run(cmd, ctx).await,
        Some(Command::Subscription(cmd)) => subscription::run(cmd, ctx).await,
        Some(Command::Eventtype(cmd)) => eventtype::run(cmd, ctx).await,
        Some(Command::Eventpolicy(cmd)) => eventpolicy::run(cmd, ctx).await,
        Some(Command::Eventtransform(cmd)) => eventtransform::run(cmd, ctx).await,
        Some(Command::Integrationsink(cmd)) => integrationsink::run(cmd, ctx).await,
        Some(Command::Secret(cmd)) => secret::run(cmd, ctx).await,
        Some(Command::Plugin(cmd)) => plugin::run(cmd, ctx).await,
        Some(Command::Completion(args)) => completion::run(&args, ctx).await,
        Some(Command::Version(args)) => version::run(&args, ctx).await,
        Some(Command::Options(args)) => options::run(&args, ctx).await,
        Some(Command::Emulator(args)) => emulator::run(&args, ctx).await,
        Some(Command::Apply(args)) => apply::run(&args, ctx).await,
        Some(Command::Explain(args)) => explain::run(&args, ctx).await,
    }
}

/// kn's error for a group given without a sub-command:
/// `no sub-command given for 'knit service'. Available sub-commands: apply, create, …`.
pub fn no_subcommand(path: &[&str]) -> Error {
    let bin = crate::bin_name();
    let root = crate::cli::command();
    let mut cmd = &root;
    for name in path {
        match cmd.find_subcommand(name) {
            Some(sub) => cmd = sub,
            None => break,
        }
    }
    let mut names: Vec<&str> = cmd
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .map(|c| c.get_name())
        .collect();
    names.sort_unstable();
    Error::usage_in(
        &path.join(" "),
        format!(
            "no sub-command given for '{bin} {}'. Available sub-commands: {}",
            path.join(" "),
            names.join(", ")
        ),
    )
}
