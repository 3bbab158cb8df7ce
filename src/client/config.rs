//! Where the cluster is and who we are: kubeconfig loading (kubectl's rules), in-cluster config,
//! the namespace default, impersonation, and building the kube client (with `--log-http`).

use std::path::{Path, PathBuf};

use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};

use super::Client;
use crate::error::{Error, Result};

/// The global connection flags (`--kubeconfig`, `--context`, `--cluster`, `--as*`, `--log-http`).
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub cluster: Option<String>,
    pub impersonate: Option<String>,
    pub impersonate_groups: Vec<String>,
    pub impersonate_uid: Option<String>,
    pub log_http: bool,
}

/// Loads the kubeconfig like kubectl: `--kubeconfig` (must exist), else every existing file of
/// `$KUBECONFIG` merged (first value wins), else `~/.kube/config`. `None` when there is none.
pub fn load_kubeconfig(options: &ConnectOptions) -> Result<Option<Kubeconfig>> {
    if let Some(path) = &options.kubeconfig {
        if !path.exists() {
            let shown = path.display().to_string();
            let separator = if cfg!(windows) { ';' } else { ':' };
            return Err(Error::Config(if shown.contains(separator) {
                format!(
                    "can not find config file. '{shown}' looks like a path. Please use the env var KUBECONFIG if you want to check for multiple configuration files"
                )
            } else {
                format!("can not find config file: '{shown}'")
            }));
        }
        return read(path).map(Some);
    }
    if let Some(value) = std::env::var_os("KUBECONFIG") {
        let paths: Vec<PathBuf> = std::env::split_paths(&value)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        if !paths.is_empty() {
            let mut merged: Option<Kubeconfig> = None;
            // Missing files are skipped, as client-go does.
            for path in paths.iter().filter(|p| p.exists()) {
                let next = read(path)?;
                merged = Some(match merged {
                    None => next,
                    Some(m) => m.merge(next).map_err(|e| Error::Config(e.to_string()))?,
                });
            }
            return Ok(merged);
        }
    }
    match etcetera::home_dir() {
        Ok(home) => {
            let path = home.join(".kube").join("config");
            if path.exists() {
                read(&path).map(Some)
            } else {
                Ok(None)
            }
        }
        Err(_) => Ok(None),
    }
}

fn read(path: &Path) -> Result<Kubeconfig> {
    Kubeconfig::read_from(path).map_err(|e| Error::Config(describe_kubeconfig_error(&e)))
}

fn describe_kubeconfig_error(err: &KubeconfigError) -> String {
    match err {
        KubeconfigError::CurrentContextNotSet => {
            "no kubeconfig has been provided, please use a valid configuration to connect to the cluster".to_string()
        }
        KubeconfigError::LoadContext(name) => format!("context \"{name}\" does not exist"),
        KubeconfigError::LoadClusterOfContext(name) => format!("cluster \"{name}\" does not exist"),
        other => {
            let mut text = other.to_string();
            let mut source = std::error::Error::source(other);
            while let Some(s) = source {
                text.push_str(": ");
                text.push_str(&s.to_string());
                source = s.source();
            }
            text
        }
    }
}

/// The namespace of the selected context, else `default` (also when there is no kubeconfig).
pub fn context_namespace(options: &ConnectOptions, kubeconfig: Option<&Kubeconfig>) -> String {
    let Some(config) = kubeconfig else {
        return "default".to_string();
    };
    let name = options.context.as_ref().or(config.current_context.as_ref());
    name.and_then(|name| config.contexts.iter().find(|c| &c.name == name))
        .and_then(|c| c.context.as_ref())
        .and_then(|c| c.namespace.clone())
        .filter(|ns| !ns.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

/// The User-Agent knit sends: `knit/v1.2.3 (linux/x86_64)`.
pub fn user_agent() -> String {
    format!(
        "{}/v{} ({}/{})",
        FIELD_MANAGER,
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// The field manager of knit's server-side applies, and the prefix of its User-Agent.
pub const FIELD_MANAGER: &str = "knit";

/// Builds the kube client from the kubeconfig (or in-cluster settings) and the global flags.
pub async fn build_client(options: &ConnectOptions) -> Result<Client> {
    build_client_from(options, load_kubeconfig(options)?).await
}

/// [`build_client`] with a kubeconfig the caller already loaded (it is read once per run).
pub async fn build_client_from(
    options: &ConnectOptions,
    kubeconfig: Option<Kubeconfig>,
) -> Result<Client> {
    let mut config = match kubeconfig {
        Some(kubeconfig) => {
            let kube_options = KubeConfigOptions {
                context: options.context.clone(),
                cluster: options.cluster.clone(),
                user: None,
            };
            kube::Config::from_custom_kubeconfig(kubeconfig, &kube_options)
                .await
                .map_err(|e| Error::Config(describe_kubeconfig_error(&e)))?
        }
        None => kube::Config::incluster().map_err(|_| Error::NoKubeconfig)?,
    };
    // Like client-go's `kn/VERSION (os/arch)`: the server derives the field manager of every
    // non-apply write from the first part ("knit"), so managedFields name knit's writes.
    if let Ok(agent) = http::HeaderValue::from_str(&user_agent()) {
        config.headers.push((http::header::USER_AGENT, agent));
    }
    if let Some(user) = &options.impersonate {
        config.auth_info.impersonate = Some(user.clone());
    }
    if !options.impersonate_groups.is_empty() {
        config.auth_info.impersonate_groups = Some(options.impersonate_groups.clone());
    }
    if let Some(uid) = &options.impersonate_uid {
        config.auth_info.impersonate_uid = Some(uid.clone());
    }
    skip_unused_trust_store(&mut config);
    let kube = if options.log_http {
        super::log_http::logging_client(config)?
    } else {
        kube::client::ClientBuilder::try_from(config)
            .map_err(|e| Error::Config(e.to_string()))?
            .with_layer(&super::warnings::WarningsLayer::default())
            .build()
    };
    Ok(Client::from_kube(kube))
}

/// kube builds a TLS connector even for a plain `http://` server (the emulator, `kubectl proxy`),
/// and without a CA in the kubeconfig that means reading every system root certificate — a few
/// milliseconds on each run for a connection that never uses TLS. An empty CA list avoids it.
/// Behind an `https://` proxy the connector does carry TLS, so the trust store is kept.
fn skip_unused_trust_store(config: &mut kube::Config) {
    let plain_http = config.cluster_url.scheme() == Some(&http::uri::Scheme::HTTP);
    if plain_http && config.proxy_url.is_none() && config.root_cert.is_none() {
        config.root_cert = Some(Vec::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_CONTEXTS: &str = r#"
apiVersion: v1
kind: Config
current-context: a
clusters:
- name: c
  cluster: {server: "http://127.0.0.1:1"}
contexts:
- name: a
  context: {cluster: c, namespace: team-a}
- name: b
  context: {cluster: c}
users: []
"#;

    #[test]
    fn namespace_comes_from_the_selected_context_then_default() {
        let config = Kubeconfig::from_yaml(TWO_CONTEXTS).unwrap();
        let mut options = ConnectOptions::default();
        assert_eq!(context_namespace(&options, Some(&config)), "team-a");
        options.context = Some("b".into());
        assert_eq!(context_namespace(&options, Some(&config)), "default");
        assert_eq!(context_namespace(&options, None), "default");
    }

    #[test]
    fn a_missing_kubeconfig_flag_is_reported_like_kn() {
        let options = ConnectOptions {
            kubeconfig: Some("/nonexistent/kubeconfig".into()),
            ..Default::default()
        };
        let err = load_kubeconfig(&options).unwrap_err();
        assert_eq!(
            err.to_string(),
            "can not find config file: '/nonexistent/kubeconfig'"
        );
        let options = ConnectOptions {
            kubeconfig: Some("/a/one:/b/two".into()),
            ..Default::default()
        };
        assert!(
            load_kubeconfig(&options)
                .unwrap_err()
                .to_string()
                .contains("looks like a path")
        );
    }

    /// Exactly one rustls crypto provider must be compiled in, or building an HTTPS client panics
    /// at runtime (rust-ecosystem.md §2.3). Both client stacks are built for real here.
    #[tokio::test]
    async fn https_clients_build_with_one_crypto_provider() {
        let config = kube::Config::new("https://127.0.0.1:6443".parse().unwrap());
        kube::Client::try_from(config.clone()).expect("default stack");
        crate::client::log_http::logging_client(config).expect("--log-http stack");
    }

    #[test]
    fn plain_http_servers_skip_the_system_trust_store() {
        let mut config = kube::Config::new("http://127.0.0.1:8001".parse().unwrap());
        skip_unused_trust_store(&mut config);
        assert_eq!(config.root_cert, Some(Vec::new()));

        let mut config = kube::Config::new("https://10.0.0.1:6443".parse().unwrap());
        skip_unused_trust_store(&mut config);
        assert_eq!(config.root_cert, None);

        let mut config = kube::Config::new("http://10.0.0.1:8080".parse().unwrap());
        config.proxy_url = Some("https://proxy.example:3128".parse().unwrap());
        skip_unused_trust_store(&mut config);
        assert_eq!(config.root_cert, None);
    }
}
