//! `knit emulator`: run a local emulated Knative cluster in the foreground, so knit (and kubectl)
//! can be tried with no cluster at all.
//!
//! Its context (`knit-emulator-PORT`, or `--name`) is merged into a kubeconfig of knit's own by default
//! (`$XDG_STATE_HOME/knit/emulator/kubeconfig`), into another file with `--write-kubeconfig`, or into
//! the user's own kubeconfig only with `--update-kubeconfig`. On Ctrl-C (or SIGTERM) the emulator
//! stops, saves `--state` if given, and the context is removed again.

use crate::commands::args::duration::parse_duration;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use kube::config::Kubeconfig;

use crate::context::Context;
use crate::error::{Error, Result};

/// Run a local Knative emulator (a sandbox cluster, no containers run)
#[derive(Args, Debug)]
#[command(
    about = "Run a local Knative emulator (a sandbox cluster, no containers run)",
    long_about = "Run a local Knative emulator in the foreground: a Kubernetes API server with Knative Serving and Eventing behaviour, for trying knit (and kubectl) without a cluster. No containers run; services become ready after --ready-delay.\n\nA context named after the port (knit-emulator-PORT, or --name) is written to a kubeconfig of knit's own (see --write-kubeconfig), or merged into your own kubeconfig with --update-kubeconfig, so several emulators can share one KUBECONFIG. Ctrl-C stops the emulator and removes the context again; with --state FILE the objects survive restarts.",
    after_help = "# Start a sandbox and point knit at it (in a second terminal, run the printed export)\nknit emulator\n\n# Keep the objects across restarts, on a fixed port\nknit emulator --state ~/.knit-sandbox.json --listen 127.0.0.1:8443\n\n# Make revisions take 2 seconds to become ready, and images from bad.io unfetchable\nknit emulator --ready-delay 2s --unfetchable-image 'bad.io/*'\n\n# Add the context to your own kubeconfig instead of a separate file\nknit emulator --update-kubeconfig"
)]
pub struct EmulatorArgs {
    /// Address to listen on; port 0 picks a free port
    #[arg(long, value_name = "string", default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Kubeconfig file to write the emulator's context to (default: $XDG_STATE_HOME/knit/emulator/kubeconfig)
    #[arg(long, value_name = "string", conflicts_with = "update_kubeconfig")]
    pub write_kubeconfig: Option<PathBuf>,
    /// Merge the emulator's context into your own kubeconfig (--kubeconfig, else the first file of $KUBECONFIG, else ~/.kube/config) instead of a separate file; the current context is not changed
    #[arg(long)]
    pub update_kubeconfig: bool,
    /// Name of the kubeconfig context, cluster and user (default: knit-emulator-PORT, from the port it listens on)
    #[arg(long, value_name = "string")]
    pub name: Option<String>,
    /// Load the emulated cluster's objects from this file at start and save them on every change
    #[arg(long, value_name = "string")]
    pub state: Option<PathBuf>,
    /// Domain of Knative service URLs (written into config-domain)
    #[arg(long, value_name = "string", default_value = "svc.cluster.local")]
    pub domain: String,
    /// How long a new revision takes to become ready, e.g. 500ms, 2s, 1m30s
    #[arg(long, value_name = "duration", default_value = "0s", value_parser = parse_duration)]
    pub ready_delay: Duration,
    /// Images matching this glob cannot be fetched: their revisions fail (repeatable)
    #[arg(long = "unfetchable-image", value_name = "glob")]
    pub unfetchable_images: Vec<String>,
    /// Serve HTTPS with a certificate authority generated at start
    #[arg(long)]
    pub tls: bool,
    /// Require this bearer token on every request (it is written into the kubeconfig)
    #[arg(long, value_name = "string")]
    pub token: Option<String>,
    /// Serve only the Kubernetes API with the Knative CRDs: no Knative defaulting, validation or controllers (objects get no status), as a cluster with the CRDs but no Knative installed
    #[arg(long)]
    pub no_knative: bool,
    /// Reconcile this many objects at once (default: one per CPU, at most 8); 1 reconciles in arrival order, so runs are reproducible
    #[arg(long, value_name = "int", value_parser = knit_emulator::config::parse_workers)]
    pub workers: Option<usize>,
}

/// knit's own kubeconfig for the emulator.
pub fn default_kubeconfig_path() -> PathBuf {
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy()
        .ok()
        .map(|b| b.state_dir().unwrap_or_else(|| b.data_dir()))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("knit").join("emulator").join("kubeconfig")
}

/// The user's own kubeconfig file: `--kubeconfig`, else the first entry of `$KUBECONFIG`, else
/// `~/.kube/config` (kubectl writes to the same one).
fn user_kubeconfig_path(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    if let Some(value) = std::env::var_os("KUBECONFIG")
        && let Some(first) = std::env::split_paths(&value).find(|p| !p.as_os_str().is_empty())
    {
        return Ok(first);
    }
    etcetera::home_dir()
        .map(|h| h.join(".kube").join("config"))
        .map_err(|_| Error::failed("cannot find your home directory to locate ~/.kube/config"))
}

/// Merge the emulator's cluster, user and context (all named `name`) into the kubeconfig at
/// `path`, replacing earlier entries of that name and keeping everything else. Sets the current
/// context only when `set_current` is true or the file has none.
pub fn merge_into(path: &Path, emulator_yaml: &str, name: &str, set_current: bool) -> Result<()> {
    let ours = Kubeconfig::from_yaml(emulator_yaml)
        .map_err(|e| Error::failed(format!("invalid emulator kubeconfig: {e}")))?;
    let mut config = read_or_empty(path)?;
    remove_entries(&mut config, name);
    config.clusters.extend(ours.clusters);
    config.auth_infos.extend(ours.auth_infos);
    config.contexts.extend(ours.contexts);
    if set_current || config.current_context.as_deref().unwrap_or("").is_empty() {
        config.current_context = Some(name.to_string());
    }
    write_private(path, &config)
}

/// Remove the emulator's entries (named `name`) from the kubeconfig at `path`; the file is deleted
/// when nothing else is left in it. Returns whether anything was removed.
pub fn remove_from(path: &Path, name: &str) -> Result<bool> {
    if !path.exists() {
        return Ok(false);
    }
    let mut config = read_or_empty(path)?;
    let before = config.clusters.len() + config.auth_infos.len() + config.contexts.len();
    remove_entries(&mut config, name);
    let after = config.clusters.len() + config.auth_infos.len() + config.contexts.len();
    if before == after {
        return Ok(false);
    }
    if config.current_context.as_deref() == Some(name) {
        config.current_context = None;
    }
    if after == 0 {
        std::fs::remove_file(path)
            .map_err(|e| Error::failed(format!("cannot remove {}: {e}", path.display())))?;
    } else {
        write_private(path, &config)?;
    }
    Ok(true)
}

fn remove_entries(config: &mut Kubeconfig, name: &str) {
    config.clusters.retain(|c| c.name != name);
    config.auth_infos.retain(|a| a.name != name);
    config.contexts.retain(|c| c.name != name);
}

fn read_or_empty(path: &Path) -> Result<Kubeconfig> {
    if !path.exists() {
        return Ok(Kubeconfig {
            api_version: Some("v1".into()),
            kind: Some("Config".into()),
            ..Kubeconfig::default()
        });
    }
    Kubeconfig::read_from(path)
        .map_err(|e| Error::failed(format!("cannot read kubeconfig {}: {e}", path.display())))
}

fn write_private(path: &Path, config: &Kubeconfig) -> Result<()> {
    let text = serde_saphyr::to_string(config)
        .map_err(|e| Error::failed(format!("cannot write kubeconfig: {e}")))?;
    let fail = |e: std::io::Error| Error::failed(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    std::fs::write(path, text).map_err(fail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(fail)?;
    }
    Ok(())
}

pub async fn run(args: &EmulatorArgs, ctx: &Context) -> Result<()> {
    let bin = crate::bin_name();
    if let Some(name) = args.name.as_deref().filter(|n| n.trim().is_empty()) {
        return Err(Error::usage_in(
            "emulator",
            format!(
                "invalid argument {name:?} for \"--name\" flag: a context name cannot be empty"
            ),
        ));
    }
    let kubeconfig = if args.update_kubeconfig {
        user_kubeconfig_path(ctx.connect.kubeconfig.as_deref())?
    } else {
        args.write_kubeconfig
            .clone()
            .unwrap_or_else(default_kubeconfig_path)
    };
    let config = knit_emulator::Config {
        listen: args.listen,
        tls: args.tls,
        token: args.token.clone(),
        domain: args.domain.clone(),
        ready_delay: args.ready_delay,
        unfetchable_images: args.unfetchable_images.clone(),
        state_file: args.state.clone(),
        knative: !args.no_knative,
        workers: args
            .workers
            .unwrap_or_else(knit_emulator::config::default_workers),
        ..knit_emulator::Config::default()
    };
    if let Some(warning) = knit_emulator::foreground::exposure_warning(&config) {
        ctx.eprint(&format!("{bin}: {warning}\n"))?;
    }
    let emulator = knit_emulator::Emulator::start(config)
        .await
        .map_err(|e| Error::failed(format!("cannot start the emulator: {e}")))?;
    // Listening before the context is announced, so a quick Ctrl-C still removes it.
    let stop = knit_emulator::foreground::shutdown_signal();
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| knit_emulator::context_name(emulator.addr().port()));
    // A separate file is ours: make its context current. The user's own kubeconfig keeps theirs.
    if let Err(err) = merge_into(
        &kubeconfig,
        &emulator.kubeconfig_yaml(&name),
        &name,
        !args.update_kubeconfig,
    ) {
        emulator.shutdown().await;
        return Err(err);
    }

    let mut text = format!(
        "Knative emulator listening on {}\nContext '{name}' written to {}\n\n",
        emulator.url(),
        kubeconfig.display()
    );
    if args.update_kubeconfig {
        text.push_str(&format!(
            "To use it, add --context {name} to commands (or run: kubectl config use-context {name}):\n  {bin} --context {name} service create hello --image ghcr.io/knative/helloworld-go\n"
        ));
    } else {
        text.push_str(&format!(
            "To use it, in another terminal:\n  export KUBECONFIG={}\n  {bin} service create hello --image ghcr.io/knative/helloworld-go\n  {bin} service list\n",
            kubeconfig.display()
        ));
    }
    if let Some(state) = &args.state {
        text.push_str(&format!("\nObjects are saved to {}.\n", state.display()));
    }
    text.push_str("\nPress Ctrl-C to stop.\n");
    ctx.print(&text)?;

    stop.await;
    emulator.shutdown().await;
    let removed = remove_from(&kubeconfig, &name)?;
    let mut bye = String::from("Emulator stopped");
    if removed {
        bye.push_str(&format!(
            "; context '{name}' removed from {}",
            kubeconfig.display()
        ));
    }
    bye.push_str(".\n");
    ctx.print(&bye)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("5 s").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("s").is_err());
    }

    const NAME: &str = "knit-emulator-1234";
    const OURS: &str = "apiVersion: v1\nkind: Config\nclusters:\n- name: knit-emulator-1234\n  cluster:\n    server: http://127.0.0.1:1234\nusers:\n- name: knit-emulator-1234\n  user: {}\ncontexts:\n- name: knit-emulator-1234\n  context:\n    cluster: knit-emulator-1234\n    user: knit-emulator-1234\ncurrent-context: knit-emulator-1234\n";

    #[test]
    fn merge_keeps_other_entries_and_unknown_fields_then_removal_restores() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        let theirs = "apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n    server: https://prod.example.com\n    x-vendor-field: keep-me\nusers:\n- name: admin\n  user:\n    token: secret-token\ncontexts:\n- name: prod\n  context:\n    cluster: prod\n    user: admin\n    namespace: team\ncurrent-context: prod\npreferences: {}\n";
        std::fs::write(&path, theirs).unwrap();
        merge_into(&path, OURS, NAME, false).unwrap();
        let merged = Kubeconfig::read_from(&path).unwrap();
        assert_eq!(merged.current_context.as_deref(), Some("prod"));
        let names: Vec<_> = merged.contexts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["prod", NAME]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("x-vendor-field: keep-me"), "{text}");
        assert!(text.contains("secret-token"));
        // Merging again replaces rather than duplicates.
        merge_into(
            &path,
            &OURS.replace("127.0.0.1:1234", "127.0.0.1:5678"),
            NAME,
            false,
        )
        .unwrap();
        let merged = Kubeconfig::read_from(&path).unwrap();
        assert_eq!(merged.clusters.len(), 2);
        assert!(std::fs::read_to_string(&path).unwrap().contains("5678"));

        assert!(remove_from(&path, NAME).unwrap());
        let restored = Kubeconfig::read_from(&path).unwrap();
        assert_eq!(restored.contexts.len(), 1);
        assert_eq!(restored.current_context.as_deref(), Some("prod"));
        assert!(!remove_from(&path, NAME).unwrap());
    }

    #[test]
    fn a_file_of_our_own_is_created_current_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join("kubeconfig");
        merge_into(&path, OURS, NAME, true).unwrap();
        let written = Kubeconfig::read_from(&path).unwrap();
        assert_eq!(written.current_context.as_deref(), Some(NAME));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(remove_from(&path, NAME).unwrap());
        assert!(!path.exists());
    }

    #[test]
    fn two_names_live_side_by_side() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        merge_into(&path, OURS, NAME, true).unwrap();
        let other = OURS.replace("1234", "5678");
        merge_into(&path, &other, "knit-emulator-5678", true).unwrap();
        let merged = Kubeconfig::read_from(&path).unwrap();
        let names: Vec<_> = merged.contexts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, [NAME, "knit-emulator-5678"]);
        assert_eq!(merged.clusters.len(), 2);
        assert_eq!(
            merged.current_context.as_deref(),
            Some("knit-emulator-5678")
        );
        assert!(remove_from(&path, "knit-emulator-5678").unwrap());
        let left = Kubeconfig::read_from(&path).unwrap();
        let names: Vec<_> = left.contexts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, [NAME]);
        assert_eq!(left.current_context, None);
    }
}
