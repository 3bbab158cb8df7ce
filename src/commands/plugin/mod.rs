//! `knit plugin` [alias `plugins`]: manage knit (and kn) plugins.

pub mod list;

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::error::{Error, Result};
use crate::plugin::Search;

/// Manage knit plugins
#[derive(Args, Debug)]
#[command(
    override_usage = "[options]",
    about = "Manage knit plugins",
    long_about = "Manage knit plugins\n\nPlugins provide extended functionality that is not part of the core knit command-line distribution.\nPlease refer to the documentation and examples for more information about how to write your own plugins.\nPlugins are executables named knit-NAME or kn-NAME (so kn's plugins work too) in knit's or kn's plugin directory or on $PATH."
)]
pub struct PluginCommand {
    #[command(subcommand)]
    pub verb: Option<PluginVerb>,
}

/// The verbs of `knit plugin`.
#[derive(Subcommand, Debug)]
pub enum PluginVerb {
    #[command(visible_alias = "ls")]
    List(list::ListArgs),
}

pub async fn run(cmd: PluginCommand, ctx: &Context) -> Result<()> {
    match cmd.verb {
        None => Err(super::no_subcommand(ctx, &["plugin"])),
        Some(PluginVerb::List(args)) => {
            let search = Search::new(&ctx.config, std::env::var_os("PATH").as_deref());
            let listing = search.list(&ctx.command_tree());
            let (text, failed) = list::render(&listing, &search, args.verbose);
            ctx.print(&text)?;
            if failed {
                return Err(Error::failed("plugin validation errors"));
            }
            Ok(())
        }
    }
}
