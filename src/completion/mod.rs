//! Shell completion: the scripts `knit completion SHELL` prints (checked in under `completions/`),
//! and the dynamic completion they call back into (`COMPLETE=<shell> knit -- <words>`), which
//! completes commands, flags, plugin names and resource names from the cluster.

use std::io::Write;

use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

/// The environment variable that switches knit into completion mode.
pub const ENV_VAR: &str = "COMPLETE";

/// Shells knit completes for, in the order they are listed in messages.
pub const SHELLS: [&str; 5] = ["bash", "elvish", "fish", "powershell", "zsh"];

fn completer_for(shell: &str) -> Option<&'static dyn EnvCompleter> {
    Some(match shell {
        "bash" => &Bash,
        "elvish" => &Elvish,
        "fish" => &Fish,
        "powershell" => &Powershell,
        "zsh" => &Zsh,
        _ => return None,
    })
}

/// The script that registers completion for `bin` in `shell`; it calls `bin` (looked up on
/// `$PATH`) to compute candidates, so it never goes stale when knit's commands change.
pub fn registration_script(shell: &str, bin: &str) -> Option<String> {
    let completer = completer_for(shell)?;
    let mut buf = Vec::new();
    completer
        .write_registration(ENV_VAR, bin, bin, bin, &mut buf)
        .ok()?;
    let mut text = String::from_utf8(buf).ok()?;
    // clap starts some scripts with a blank line; the checked-in files should not.
    text = text.trim_start_matches('\n').to_string();
    Some(text)
}

/// Conventional file name of each shell's script (as installed by packagers).
pub fn script_file_name(shell: &str) -> Option<&'static str> {
    Some(match shell {
        "bash" => "knit.bash",
        "elvish" => "knit.elv",
        "fish" => "knit.fish",
        "powershell" => "_knit.ps1",
        "zsh" => "_knit",
        _ => return None,
    })
}

/// Write the script for `shell` to `out`.
pub fn write_script(shell: &str, bin: &str, out: &mut dyn Write) -> std::io::Result<()> {
    match registration_script(shell, bin) {
        Some(script) => out.write_all(script.as_bytes()),
        None => Err(std::io::Error::other(format!("unknown shell {shell}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_has_a_script_and_a_file_name() {
        for shell in SHELLS {
            let script = registration_script(shell, "knit").unwrap();
            assert!(script.contains("knit"), "{shell}");
            assert!(script_file_name(shell).is_some());
        }
        assert!(registration_script("tcsh", "knit").is_none());
    }

    #[test]
    fn zsh_script_registers_itself_when_sourced() {
        // kn's zsh script needed an extra `compdef _kn kn` (knative/client#839); this one does it.
        let script = registration_script("zsh", "knit").unwrap();
        assert!(script.starts_with("#compdef knit\n"));
        assert!(
            script
                .trim_end()
                .ends_with("compdef _clap_dynamic_completer_knit knit")
        );
    }
}
