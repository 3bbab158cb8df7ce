//! Command dispatch: one folder per noun, one file per verb; each verb has an `Args` (clap
//! derive) and a `run(args, ctx)`. Shared flag groups live in [`args`].

/// A noun's verb enum and its `run`: each variant holds the verb's `Args` and dispatches to the
/// `run` of the module it names; no verb at all gets kn's "no sub-command" error.
macro_rules! noun_verbs {
    (
        $(#[$meta:meta])*
        pub enum $verb:ident for $command:ident at [$($path:literal),+] {
            $($(#[$attr:meta])* $variant:ident($module:ident::$args:ident)),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(clap::Subcommand, Debug)]
        pub enum $verb {
            $($(#[$attr])* $variant($module::$args),)+
        }

        pub async fn run(
            cmd: $command,
            ctx: &$crate::context::Context,
        ) -> $crate::error::Result<()> {
            match cmd.verb {
                None => Err($crate::commands::no_subcommand(ctx, &[$($path),+])),
                $(Some($verb::$variant(args)) => $module::run(&args, ctx).await,)+
            }
        }
    };
}

pub mod apply;
pub mod args;
pub mod broker;
pub mod channel;
pub mod completion;
pub mod container;
pub mod doctor;
pub mod domain;
pub mod emulator;
pub mod eventpolicy;
pub mod eventtransform;
pub mod eventtype;
pub mod explain;
pub mod integrationsink;
pub mod jobsink;
pub mod options;
pub mod parallel;
pub mod plugin;
pub mod requestreply;
pub mod revision;
pub mod route;
pub mod secret;
pub mod sequence;
pub mod service;
pub mod source;
pub mod subscription;
pub mod trigger;
pub mod version;

use crate::context::Context;
use crate::error::Error;

/// kn's error for a group given without a sub-command:
/// `no sub-command given for 'knit service'. Available sub-commands: apply, create, …`.
pub fn no_subcommand(ctx: &Context, path: &[&str]) -> Error {
    let bin = crate::bin_name();
    let root = ctx.command_tree();
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
