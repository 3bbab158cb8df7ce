//! Flag groups shared across nouns (flattened into each command's `Args`), and pflag's value rule
//! that the whole tree follows.

pub mod delivery;
pub mod diagnose;
pub mod dry_run;
pub mod duration;
pub mod eventing;
pub mod events;
pub mod integration;
pub mod list;
pub mod logs;
pub mod namespace;
pub mod output;
pub mod paired;
pub mod podspec;
pub mod service_edit;
pub mod sink;
pub mod target;
pub mod traffic;
pub mod wait;

/// pflag's rule, which kn follows: a flag that needs a value takes the next argument as that
/// value whatever it starts with, so `--scale-min -1` sets -1 (for the server to judge) and
/// `--image --x` sets `--x`. Clap would read a leading `-` as the next flag.
pub fn pflag_values(cmd: clap::Command) -> clap::Command {
    pflag_args(cmd).mut_subcommands(pflag_values)
}

/// [`pflag_values`] for the flags of `cmd` itself.
pub fn pflag_args(cmd: clap::Command) -> clap::Command {
    cmd.mut_args(|arg| {
        let needs_value = !arg.is_positional()
            && arg.get_action().takes_values()
            && arg.get_num_args().is_none_or(|n| n.min_values() > 0);
        if needs_value {
            arg.allow_hyphen_values(true)
        } else {
            arg
        }
    })
}
