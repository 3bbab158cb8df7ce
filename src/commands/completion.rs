//! `knit completion SHELL`: print the shell code that enables completion (kn-reference §7.2).
//! The scripts call back into knit, which completes commands, flags, plugins and resource names
//! from the cluster.

use clap::Args;

use crate::completion::{SHELLS, registration_script};
use crate::context::Context;
use crate::error::{Error, Result};

/// Output shell completion code
#[derive(Args, Debug)]
#[command(
    about = "Output shell completion code",
    long_about = "This command prints shell completion code which needs to be evaluated\nto provide interactive completion\n\nSupported Shells:\n - bash\n - elvish\n - fish\n - powershell\n - zsh",
    override_usage = "SHELL",
    after_help = " # Generate completion code for bash\n source <(knit completion bash)\n\n # Generate completion code for elvish\n eval (knit completion elvish | slurp)\n\n # Generate completion code for fish\n knit completion fish | source\n\n # Generate completion code for powershell\n knit completion powershell | Out-String | Invoke-Expression\n\n # Generate completion code for zsh\n source <(knit completion zsh)"
)]
pub struct CompletionArgs {
    /// The shell: bash, elvish, fish, powershell or zsh
    #[arg(value_name = "SHELL")]
    pub shell: Vec<String>,
}

fn quoted_list() -> String {
    let quoted: Vec<String> = SHELLS.iter().map(|s| format!("'{s}'")).collect();
    let (last, rest) = quoted
        .split_last()
        .map(|(l, r)| (l.clone(), r.join(", ")))
        .unwrap_or_default();
    format!("{rest} or {last}")
}

pub async fn run(args: &CompletionArgs, ctx: &Context) -> Result<()> {
    let [shell] = args.shell.as_slice() else {
        return Err(Error::usage_in(
            "completion",
            format!(
                "Only one argument can be provided, either {}",
                quoted_list()
            ),
        ));
    };
    match registration_script(shell, &crate::bin_name()) {
        Some(script) => ctx.print(&script),
        None => Err(Error::usage_in(
            "completion",
            format!("{} shell completion is supported", quoted_list()),
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shell_list_reads_like_kn() {
        assert_eq!(
            super::quoted_list(),
            "'bash', 'elvish', 'fish', 'powershell' or 'zsh'"
        );
    }
}
