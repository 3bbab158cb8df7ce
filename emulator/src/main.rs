//! The `knit-emulator` program: runs the emulated cluster in the foreground.
//!
//! Prints the address it listens on as its first stdout line, optionally writes a kubeconfig,
//! and shuts down cleanly (saving `--state`) on SIGINT or SIGTERM. TLS is off by default
//! (`--tls` generates a CA and serves HTTPS).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use knit_emulator::foreground::{self, shutdown_signal};
use knit_emulator::{Config, Emulator};

// The emulator copies and frees JSON trees all the time; mimalloc's thread-local free lists
// cut that cost well below glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A Kubernetes API server with Knative Serving and Eventing behaviour (no containers run).
#[derive(Debug, Parser)]
#[command(name = "knit-emulator", version)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Write a kubeconfig for the emulator to this file.
    #[arg(long, value_name = "FILE")]
    kubeconfig: Option<PathBuf>,
    /// Name of the cluster, user and context in the written kubeconfig (default:
    /// knit-emulator-PORT, from the port it listens on).
    #[arg(long, alias = "context", value_name = "NAME", value_parser = parse_name)]
    name: Option<String>,
    /// Serve HTTPS with a CA generated at start.
    #[arg(long, overrides_with = "no_tls")]
    tls: bool,
    /// Serve plain HTTP (the default).
    #[arg(long = "no-tls", overrides_with = "tls")]
    no_tls: bool,
    /// Require this bearer token on every request.
    #[arg(long)]
    token: Option<String>,
    /// Domain of Knative service URLs (written into config-domain).
    #[arg(long, default_value = "svc.cluster.local")]
    domain: String,
    /// How long a new Revision takes to become ready, e.g. 500ms, 2s, 1m30s.
    #[arg(long, value_name = "DURATION", default_value = "0s", value_parser = parse_duration)]
    ready_delay: Duration,
    /// Images matching this glob cannot be fetched (repeatable).
    #[arg(long = "unfetchable-image", value_name = "GLOB")]
    unfetchable_images: Vec<String>,
    /// Load the cluster's objects from this file at start and save them on every change.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Serve a bare Kubernetes API server with the Knative CRDs: no Knative webhooks,
    /// controllers or system namespaces, as a cluster where Knative is not installed.
    #[arg(long)]
    no_knative: bool,
    /// Keep Knative's admission webhooks but run none of its controllers: objects are defaulted
    /// and validated, but get no status and no child objects.
    #[arg(long)]
    no_controllers: bool,
    /// Reconcile this many objects at once (default: one per CPU, at most 8); 1 reconciles
    /// in arrival order, so runs are reproducible.
    #[arg(long, value_name = "N", value_parser = knit_emulator::config::parse_workers)]
    workers: Option<usize>,
}

/// A Go-style duration (`300ms`, `2s`, `1m30s`, `1h`), with this program's wording of an error.
fn parse_duration(text: &str) -> Result<Duration, String> {
    kubetext::duration::parse_duration(text)
        .ok_or_else(|| format!("invalid duration {text:?} (examples: 500ms, 2s, 1m30s)"))
}

/// A kubeconfig name: not empty.
fn parse_name(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("a context name cannot be empty".to_string());
    }
    Ok(text.to_string())
}

fn main() -> ExitCode {
    let args = Args::parse();
    let config = Config {
        listen: args.listen,
        tls: args.tls && !args.no_tls,
        token: args.token,
        domain: args.domain,
        ready_delay: args.ready_delay,
        unfetchable_images: args.unfetchable_images,
        state_file: args.state,
        knative: !args.no_knative,
        controllers: !args.no_controllers,
        workers: args
            .workers
            .unwrap_or_else(knit_emulator::config::default_workers),
        ..Config::default()
    };
    if let Some(warning) = foreground::exposure_warning(&config) {
        eprintln!("knit-emulator: {warning}");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("knit-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let emulator = match Emulator::start(config).await {
            Ok(e) => e,
            Err(e) => {
                eprintln!("knit-emulator: {e}");
                return ExitCode::FAILURE;
            }
        };
        let signal = shutdown_signal();
        // The kubeconfig is in place before the address line announces readiness.
        if let Some(path) = &args.kubeconfig {
            let name = args
                .name
                .clone()
                .unwrap_or_else(|| knit_emulator::context_name(emulator.addr().port()));
            if let Err(e) = emulator.write_kubeconfig(path, &name) {
                eprintln!(
                    "knit-emulator: cannot write kubeconfig {}: {e}",
                    path.display()
                );
                emulator.shutdown().await;
                return ExitCode::FAILURE;
            }
            eprintln!(
                "knit-emulator: kubeconfig written to {} (context {})",
                path.display(),
                name
            );
        }
        println!("{}", emulator.addr());
        eprintln!("knit-emulator: serving {}", emulator.url());
        signal.await;
        emulator.shutdown().await;
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("1m30s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("5").is_err());
    }

    #[test]
    fn invalid_durations_are_quoted() {
        assert_eq!(
            parse_duration("fast").unwrap_err(),
            "invalid duration \"fast\" (examples: 500ms, 2s, 1m30s)"
        );
    }
}
