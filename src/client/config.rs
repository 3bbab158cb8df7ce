//! Where the cluster is and who we are: kubeconfig loading (kubectl's rules), in-cluster config,
//! the namespace default, impersonation, and building the kube client (with `--log-http`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kube::client::AuthError;
use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};

use super::Client;
use crate::error::{Error, Result};
use crate::identity::user_agent;

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
    /// `--request-timeout`: how long one request may wait for the server's answer.
    pub request_timeout: Option<std::time::Duration>,
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

/// Reads one kubeconfig file; errors name the file as kubectl's do
/// (`error loading config file "PATH": …`), with the parser's first line only.
fn read(path: &Path) -> Result<Kubeconfig> {
    Kubeconfig::read_from(path).map_err(|e| {
        let detail = match &e {
            KubeconfigError::Parse(parse) => {
                let text = parse.to_string();
                let first = text.lines().next().unwrap_or_default();
                first.strip_prefix("error: ").unwrap_or(first).to_string()
            }
            other => describe_kubeconfig_error(other),
        };
        Error::Config(format!(
            "error loading config file \"{}\": {detail}",
            path.display()
        ))
    })
}

/// The selected user's exec credential plugin, as the kubeconfig names it: errors name it
/// (kube's own errors would print its whole environment and output instead).
static EXEC_COMMAND: OnceLock<String> = OnceLock::new();

/// An error from building or using the kube client, as text that never carries a credential.
/// kube's exec-plugin errors print the plugin's environment, arguments and stdout (the token),
/// so any of them in `err`'s chain is retold the way client-go words it.
pub(crate) fn credential_safe(err: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(auth) = e.downcast_ref::<AuthError>() {
            return Some(describe_auth_error(auth));
        }
        if let Some(kube::Error::Auth(auth)) = e.downcast_ref::<kube::Error>() {
            return Some(describe_auth_error(auth));
        }
        next = e.source();
    }
    None
}

fn describe_auth_error(err: &AuthError) -> String {
    let cmd = EXEC_COMMAND
        .get()
        .map_or("the credential plugin", String::as_str);
    let detail = match err {
        // Go's ExitCode() is -1 for a process killed by a signal.
        AuthError::AuthExecRun { out, .. } => format!(
            "exec: executable {cmd} failed with exit code {}",
            out.status.code().unwrap_or(-1)
        ),
        AuthError::AuthExecStart(io)
            if io.kind() == std::io::ErrorKind::NotFound && !cmd.contains('/') =>
        {
            format!("exec: executable {cmd} not found")
        }
        AuthError::AuthExecStart(io) => format!("exec: fork/exec {cmd}: {}", go_errno(io)),
        // The parser's message quotes the output it could not read: the token.
        AuthError::AuthExecParse(_) => {
            format!("exec: executable {cmd}: decoding stdout: not an ExecCredential")
        }
        AuthError::ExecPluginFailed => {
            format!("exec: executable {cmd} printed an ExecCredential without a status")
        }
        other => other.to_string(),
    };
    format!("getting credentials: {detail}")
}

/// An OS error as Go prints it: `no such file or directory`, not `No such file or directory (os error 2)`.
fn go_errno(err: &std::io::Error) -> String {
    let text = err.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// kube's errors while building the client, told without credentials.
pub(crate) fn build_error(err: kube::Error) -> Error {
    Error::Config(credential_safe(&err).unwrap_or_else(|| err.to_string()))
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

/// The server URL of the selected context's cluster (`--context`, `--cluster` as kubectl picks them).
pub fn selected_server(config: &Kubeconfig, options: &ConnectOptions) -> Option<String> {
    let context = options.context.as_ref().or(config.current_context.as_ref());
    let cluster = options.cluster.clone().or_else(|| {
        let name = context?;
        let found = config.contexts.iter().find(|c| &c.name == name)?;
        found.context.as_ref().map(|c| c.cluster.clone())
    })?;
    let found = config.clusters.iter().find(|c| c.name == cluster)?;
    found.cluster.as_ref()?.server.clone()
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
            let server = selected_server(&kubeconfig, options);
            let config = kube::Config::from_custom_kubeconfig(kubeconfig, &kube_options)
                .await
                .map_err(|e| match (e, server) {
                    // client-go's wording, which names the URL.
                    (KubeconfigError::ParseClusterUrl(_), Some(server)) => Error::Config(format!(
                        "host must be a URL or a host:port pair: {server:?}"
                    )),
                    (e, _) => Error::Config(describe_kubeconfig_error(&e)),
                })?;
            if let Some(command) = config
                .auth_info
                .exec
                .as_ref()
                .and_then(|e| e.command.clone())
            {
                let _ = EXEC_COMMAND.set(command);
            }
            config
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
    let timeout = options.request_timeout.map(RequestTimeoutLayer);
    let kube = super::stack::kube_client(config, options.log_http, timeout)?;
    Ok(Client::from_kube(kube))
}

/// `--request-timeout`: a request whose answer has not started within the limit fails with an
/// error that names the flag. Only the answer's start is timed, so watches stay open.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestTimeoutLayer(pub std::time::Duration);

/// The error of a request that timed out.
#[derive(Debug, thiserror::Error)]
#[error("the server did not answer within {} (--request-timeout)", humantime(*.0))]
pub struct RequestTimedOut(std::time::Duration);

fn humantime(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

impl<S> tower::Layer<S> for RequestTimeoutLayer {
    type Service = RequestTimeout<S>;
    fn layer(&self, inner: S) -> Self::Service {
        RequestTimeout {
            inner: tower::timeout::Timeout::new(inner, self.0),
            limit: self.0,
        }
    }
}

/// The service of [`RequestTimeoutLayer`]: tower's timeout, with its error naming the flag.
#[derive(Clone)]
pub(crate) struct RequestTimeout<S> {
    inner: tower::timeout::Timeout<S>,
    limit: std::time::Duration,
}

impl<S, R> tower::Service<R> for RequestTimeout<S>
where
    S: tower::Service<R>,
    S::Error: Into<tower::BoxError>,
    S::Future: Send + 'static,
    S::Response: 'static,
{
    type Response = S::Response;
    type Error = tower::BoxError;
    type Future =
        futures::future::BoxFuture<'static, std::result::Result<S::Response, tower::BoxError>>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::result::Result<(), tower::BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        let limit = self.limit;
        let answer = self.inner.call(request);
        Box::pin(async move {
            answer.await.map_err(|e| {
                if e.is::<tower::timeout::error::Elapsed>() {
                    Box::new(RequestTimedOut(limit)) as tower::BoxError
                } else {
                    e
                }
            })
        })
    }
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
        kube::Client::try_from(config.clone()).expect("kube's stack");
        super::super::stack::kube_client(config.clone(), false, None).expect("knit's stack");
        super::super::stack::kube_client(config, true, None).expect("--log-http stack");
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
