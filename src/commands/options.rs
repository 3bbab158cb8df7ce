//! `knit options`: the flags every command accepts (kn-reference §2.1, §7.4).

use clap::Args;

use crate::context::Context;
use crate::error::Result;

/// Print the list of flags inherited by all commands
#[derive(Args, Debug)]
#[command(
    about = "Print the list of flags inherited by all commands",
    long_about = "Print the list of flags inherited by all commands",
    after_help = "# Print flags inherited by all commands\nknit options"
)]
pub struct OptionsArgs {
    /// Ignored: like kn, `options` accepts anything after it.
    #[arg(hide = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

pub async fn run(_args: &OptionsArgs, ctx: &Context) -> Result<()> {
    ctx.print(&crate::help::render_options(&ctx.command_tree()))
}
