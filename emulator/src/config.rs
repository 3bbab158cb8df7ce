//! Runtime settings of one emulated cluster (flags of `knit-emulator`, or set by tests).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything that can be tuned about an emulated cluster.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on; port 0 picks a free one.
    pub listen: SocketAddr,
    /// Serve HTTPS with a self-signed CA generated at start.
    pub tls: bool,
    /// When set, every request must carry `Authorization: Bearer <token>` (401 otherwise).
    pub token: Option<String>,
    /// Domain written into `config-domain` at start (Knative's own default is `svc.cluster.local`).
    pub domain: String,
    /// How long a new Revision stays in its "Deploying" Unknown state before becoming Ready.
    pub ready_delay: Duration,
    /// Glob patterns of images that "cannot be fetched" (the Revision fails with ContainerMissing).
    pub unfetchable_images: Vec<String>,
    /// Load state from this file at start and save it after every change.
    pub state_file: Option<PathBuf>,
    /// User name reported for requests (Knative's creator/lastModifier annotations).
    pub user: String,
    /// Ends every watch after at most this long, whatever its timeoutSeconds, as a proxy or load
    /// balancer in front of a real API server does; clients must resume from the last
    /// resourceVersion they saw. `None`: only timeoutSeconds (or the default) ends a watch.
    pub watch_cutoff: Option<Duration>,
    /// Run Knative's admission webhooks and controllers and create its system namespaces and
    /// ConfigMaps. `false` leaves a bare Kubernetes API server with the Knative CRDs, as a
    /// cluster with the CRDs applied but Knative not installed (the reference for API-server
    /// semantics).
    pub knative: bool,
    /// Run Knative's controllers (with `knative`). `false` keeps Knative's admission webhooks
    /// and system ConfigMaps but writes no status and creates no child objects, as a cluster
    /// where only Knative's webhooks run (the reference for admission).
    pub controllers: bool,
    /// How many reconciles run at once (never two of the same object by the same controller).
    /// 1 reconciles in arrival order, so runs are reproducible; more keep up with many objects
    /// on several cores, as Knative's controllers run several workers each.
    pub workers: usize,
}

/// The most reconciles a command line may ask to run at once.
pub const MAX_WORKERS: usize = 64;

/// Reconciles at once when a command line does not say: one per CPU (at most 8).
pub fn default_workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}

/// `--workers`: a whole number from 1 to [`MAX_WORKERS`].
pub fn parse_workers(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_WORKERS).contains(&n) => Ok(n),
        _ => Err(format!(
            "invalid number of workers {text:?}: a whole number from 1 to {MAX_WORKERS}"
        )),
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: false,
            token: None,
            domain: "svc.cluster.local".to_string(),
            ready_delay: Duration::from_millis(0),
            unfetchable_images: Vec::new(),
            state_file: None,
            user: "kubernetes-admin".to_string(),
            watch_cutoff: None,
            knative: true,
            controllers: true,
            workers: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_are_a_whole_number_from_one_to_the_limit() {
        assert_eq!(parse_workers("1"), Ok(1));
        assert_eq!(parse_workers("64"), Ok(64));
        for bad in ["0", "65", "-1", "two", ""] {
            assert_eq!(
                parse_workers(bad),
                Err(format!(
                    "invalid number of workers {bad:?}: a whole number from 1 to 64"
                ))
            );
        }
        assert!((1..=8).contains(&default_workers()));
    }
}
