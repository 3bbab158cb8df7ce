//! Edits of a pod spec and its main container: the flags kn shares between `service
//! create|update|apply`, `container add` and `source container`.

pub mod env;
pub mod probe;
pub mod resources;
pub mod scheduling;
pub mod volumes;

use std::str::FromStr;

use serde_json::{Value, json};

pub use env::{EnvArg, EnvFromArg, EnvOp, EnvValueFromArg, KeyRef, parse_env_file};
pub use probe::{ProbeHandler, ProbeOptions};
pub use resources::ResourceArg;
pub use scheduling::{NodeAffinityTerm, Toleration};
pub use volumes::{MountArg, MountSource, VolumeArg, VolumeSource, generate_volume_name};

use super::EditError;
use super::json;
use super::kv::KeyValueArg;

/// `--pull-policy`, case-insensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullPolicy {
    Always,
    Never,
    IfNotPresent,
}

impl PullPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Always => "Always",
            Self::Never => "Never",
            Self::IfNotPresent => "IfNotPresent",
        }
    }
}

impl FromStr for PullPolicy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "always" => Ok(Self::Always),
            "never" => Ok(Self::Never),
            "ifnotpresent" => Ok(Self::IfNotPresent),
            _ => Err(format!(
                "invalid --pull-policy {s}. Valid arguments (case insensitive): Always | Never | IfNotPresent"
            )),
        }
    }
}

/// `--port [NAME:]PORT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortSpec {
    pub name: Option<String>,
    pub port: u16,
}

impl FromStr for PortSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = || {
            format!(
                "the port specification '{s}' is not valid. Please provide in the format 'NAME:PORT', where 'NAME' is optional. Examples: '--port h2c:8080' , '--port 8080'."
            )
        };
        let (name, port) = match s.split_once(':') {
            Some((name, port)) => (Some(name.to_string()), port),
            None => (None, s),
        };
        let port: u16 = port.parse().map_err(|_| error())?;
        if port == 0 {
            return Err(error());
        }
        Ok(Self {
            name: name.filter(|n| !n.is_empty()),
            port,
        })
    }
}

/// `--security-context none|strict`, case-insensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityContextPreset {
    None,
    Strict,
}

impl FromStr for SecurityContextPreset {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "none" => Ok(Self::None),
            "strict" => Ok(Self::Strict),
            _ => Err(format!(
                "invalid --security-context {s}. Valid arguments: strict | none"
            )),
        }
    }
}

/// All pod spec flags of one command line, already parsed and resolved (files read).
#[derive(Debug, Clone, Default)]
pub struct PodSpecEdit {
    pub image: Option<String>,
    pub pull_policy: Option<PullPolicy>,
    /// `--env`, `--env-value-from` and `--env-file`, in command-line order.
    pub env: Vec<EnvOp>,
    pub env_from: Vec<EnvFromArg>,
    pub mounts: Vec<MountArg>,
    pub volumes: Vec<VolumeArg>,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    /// Containers from `--containers FILE|-`.
    pub extra_containers: Option<Vec<Value>>,
    pub liveness: Option<ProbeHandler>,
    pub liveness_opts: Option<ProbeOptions>,
    pub readiness: Option<ProbeHandler>,
    pub readiness_opts: Option<ProbeOptions>,
    pub limits: Vec<ResourceArg>,
    pub requests: Vec<ResourceArg>,
    pub port: Option<PortSpec>,
    pub service_account: Option<String>,
    pub pull_secret: Option<String>,
    pub user: Option<i64>,
    pub security_context: Option<SecurityContextPreset>,
    pub node_selector: Vec<KeyValueArg>,
    pub toleration: Option<Toleration>,
    pub node_affinity: Option<NodeAffinityTerm>,
}

impl PodSpecEdit {
    /// kn's "revision-changing mutation" flags of this group (`--pull-policy` is not one).
    pub fn is_mutation(&self) -> bool {
        self.image.is_some()
            || !self.env.is_empty()
            || !self.env_from.is_empty()
            || !self.mounts.is_empty()
            || !self.volumes.is_empty()
            || self.command.is_some()
            || self.args.is_some()
            || self.extra_containers.is_some()
            || self.liveness.is_some()
            || self.liveness_opts.is_some()
            || self.readiness.is_some()
            || self.readiness_opts.is_some()
            || !self.limits.is_empty()
            || !self.requests.is_empty()
            || self.port.is_some()
            || self.service_account.is_some()
            || self.pull_secret.is_some()
            || self.user.is_some()
            || self.security_context.is_some()
            || !self.node_selector.is_empty()
            || self.toleration.is_some()
            || self.node_affinity.is_some()
    }

    /// True when no flag of this group was given.
    pub fn is_empty(&self) -> bool {
        !self.is_mutation() && self.pull_policy.is_none()
    }

    /// Applies the edit to a pod spec (`spec.template.spec` of a Service). The main container
    /// is the first one, created when the spec has none.
    pub fn apply(&self, pod_spec: &mut Value) -> Result<(), EditError> {
        json::as_object(pod_spec);
        const MAIN: usize = 0;
        if !self.env.is_empty() {
            env::apply_env(container_at(pod_spec, MAIN), &self.env);
        }
        if !self.env_from.is_empty() {
            env::apply_env_from(container_at(pod_spec, MAIN), &self.env_from);
        }
        volumes::apply_mounts_and_volumes(pod_spec, MAIN, &self.mounts, &self.volumes)?;
        if let Some(image) = &self.image {
            json::set(container_at(pod_spec, MAIN), "image", json!(image));
        }
        if let Some(policy) = self.pull_policy {
            json::set(
                container_at(pod_spec, MAIN),
                "imagePullPolicy",
                json!(policy.as_str()),
            );
        }
        if !self.requests.is_empty() {
            resources::apply(container_at(pod_spec, MAIN), "requests", &self.requests);
        }
        if !self.limits.is_empty() {
            resources::apply(container_at(pod_spec, MAIN), "limits", &self.limits);
        }
        if let Some(command) = &self.command {
            json::set(container_at(pod_spec, MAIN), "command", json!(command));
        }
        if let Some(args) = &self.args {
            json::set(container_at(pod_spec, MAIN), "args", json!(args));
        }
        if let Some(port) = &self.port {
            set_port(container_at(pod_spec, MAIN), port);
        }
        if let Some(account) = &self.service_account {
            let account = account.trim();
            if account.is_empty() {
                json::remove(pod_spec, "serviceAccountName");
            } else {
                json::set(pod_spec, "serviceAccountName", json!(account));
            }
        }
        if let Some(secret) = &self.pull_secret {
            let secret = secret.trim();
            if secret.is_empty() {
                json::remove(pod_spec, "imagePullSecrets");
            } else {
                json::set(pod_spec, "imagePullSecrets", json!([{ "name": secret }]));
            }
        }
        if let Some(extra) = &self.extra_containers {
            merge_containers(pod_spec, extra);
        }
        if let Some(handler) = &self.liveness {
            probe::set_handler(container_at(pod_spec, MAIN), "livenessProbe", handler);
        }
        if let Some(options) = &self.liveness_opts {
            probe::set_options(container_at(pod_spec, MAIN), "livenessProbe", options);
        }
        if let Some(handler) = &self.readiness {
            probe::set_handler(container_at(pod_spec, MAIN), "readinessProbe", handler);
        }
        if let Some(options) = &self.readiness_opts {
            probe::set_options(container_at(pod_spec, MAIN), "readinessProbe", options);
        }
        match self.security_context {
            Some(SecurityContextPreset::None) => {
                json::remove(container_at(pod_spec, MAIN), "securityContext");
            }
            Some(SecurityContextPreset::Strict) => json::set(
                container_at(pod_spec, MAIN),
                "securityContext",
                json!({
                    "allowPrivilegeEscalation": false,
                    "capabilities": {"drop": ["ALL"]},
                    "runAsNonRoot": true,
                    "seccompProfile": {"type": "RuntimeDefault"}
                }),
            ),
            None => {}
        }
        // After the preset, as kn: `--user 1001 --security-context strict` keeps the user.
        if let Some(user) = self.user {
            let context = json::object(container_at(pod_spec, MAIN), "securityContext");
            json::set(context, "runAsUser", json!(user));
        }
        scheduling::apply_node_selector(pod_spec, &self.node_selector);
        if let Some(toleration) = &self.toleration {
            scheduling::apply_toleration(pod_spec, toleration);
        }
        if let Some(term) = &self.node_affinity {
            scheduling::apply_node_affinity(pod_spec, term);
        }
        Ok(())
    }
}

/// The container at `index` of a pod spec; missing containers are created empty.
pub fn container_at(pod_spec: &mut Value, index: usize) -> &mut Value {
    let containers = json::array(pod_spec, "containers");
    while containers.len() <= index {
        containers.push(json!({}));
    }
    let container = &mut containers[index];
    json::as_object(container);
    container
}

/// `--port` replaces the port list with one port; the first entry keeps its unknown fields.
fn set_port(container: &mut Value, port: &PortSpec) {
    let ports = json::array(container, "ports");
    ports.truncate(1);
    if ports.is_empty() {
        ports.push(json!({}));
    }
    let entry = &mut ports[0];
    json::set(entry, "containerPort", json!(port.port));
    match &port.name {
        Some(name) => json::set(entry, "name", json!(name)),
        None => {
            json::remove(entry, "name");
        }
    }
}

/// `--containers`: containers with a name already in the spec replace it; the others are
/// appended.
pub fn merge_containers(pod_spec: &mut Value, extra: &[Value]) {
    let containers = json::array(pod_spec, "containers");
    for container in extra {
        let name = container.get("name").and_then(Value::as_str);
        let existing = name.and_then(|name| {
            containers
                .iter()
                .position(|c| c.get("name").and_then(Value::as_str) == Some(name))
        });
        match existing {
            Some(index) => containers[index] = container.clone(),
            None => containers.push(container.clone()),
        }
    }
}

/// Reads the containers of a PodSpec fragment (`containers: [...]`), as `--containers` takes it.
pub fn containers_of_fragment(fragment: &Value) -> Result<Vec<Value>, EditError> {
    match fragment.get("containers") {
        Some(Value::Array(items)) => Ok(items.clone()),
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(_) => Err(EditError::new(
            "the containers file must hold a PodSpec fragment with a 'containers' list",
        )),
    }
}

#[cfg(test)]
mod tests;
