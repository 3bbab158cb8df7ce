//! The pod spec flags kn shares between `service create|update|apply`, `container add` and
//! `source container`, and their resolution into an [`edit::podspec::PodSpecEdit`].
//!
//! `--env`, `--env-value-from` and `--env-file` are merged in command-line order: their
//! positions come from clap's `ArgMatches::indices_of`, so every spelling (`-e A=1`,
//! `-eA=1`, `--env=A=1`) keeps its place.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches, value_parser};
use serde_json::Value;

use crate::edit::error::EditError;
use crate::edit::kv::{KeyValueArg, StrictKeyValue};
use crate::edit::podspec::{
    self, EnvArg, EnvFromArg, EnvOp, EnvValueFromArg, MountArg, NodeAffinityTerm, PodSpecEdit,
    PortSpec, ProbeHandler, ProbeOptions, PullPolicy, ResourceArg, SecurityContextPreset,
    Toleration, VolumeArg,
};
use crate::error::{Error, Result};

/// Help of `--env` on update and container add (create omits the removal sentence, like kn).
pub const ENV_HELP_UPDATE: &str = "Environment variable to set. NAME=value; you may provide this flag any number of times to set multiple environment variables. To unset, specify the environment variable name followed by a \"-\" (e.g., NAME-).";
pub const ENV_HELP_CREATE: &str = "Environment variable to set. NAME=value; you may provide this flag any number of times to set multiple environment variables.";
pub const ENV_VALUE_FROM_HELP_UPDATE: &str = "Add environment variable from a value of key in ConfigMap (prefix cm: or config-map:) or a Secret (prefix sc: or secret:). Example: --env-value-from NAME=cm:myconfigmap:key or --env-value-from NAME=secret:mysecret:key. You can use this flag multiple times. To unset a value from a ConfigMap/Secret key reference, append \"-\" to the key, e.g. --env-value-from ENV-.";
pub const ENV_VALUE_FROM_HELP_CREATE: &str = "Add environment variable from a value of key in ConfigMap (prefix cm: or config-map:) or a Secret (prefix sc: or secret:). Example: --env-value-from NAME=cm:myconfigmap:key or --env-value-from NAME=secret:mysecret:key. You can use this flag multiple times.";
pub const ENV_FROM_HELP_UPDATE: &str = "Add environment variables from a ConfigMap (prefix cm: or config-map:) or a Secret (prefix secret:). Example: --env-from cm:myconfigmap or --env-from secret:mysecret. You can use this flag multiple times. To unset a ConfigMap/Secret reference, append \"-\" to the name, e.g. --env-from cm:myconfigmap-.";
pub const ENV_FROM_HELP_CREATE: &str = "Add environment variables from a ConfigMap (prefix cm: or config-map:) or a Secret (prefix secret:). Example: --env-from cm:myconfigmap or --env-from secret:mysecret. You can use this flag multiple times.";

/// One env source as typed, before files are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvSource {
    Env(EnvArg),
    ValueFrom(EnvValueFromArg),
    File(PathBuf),
}

/// `-e/--env`, `--env-value-from` and `--env-file`, in the order they were given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvArgs {
    pub ordered: Vec<EnvSource>,
}

impl EnvArgs {
    pub fn is_empty(&self) -> bool {
        self.ordered.is_empty()
    }

    /// Reads `--env-file` and returns the sources as edits.
    pub fn resolve(&self) -> Result<Vec<EnvOp>> {
        self.ordered
            .iter()
            .map(|source| match source {
                EnvSource::Env(arg) => Ok(EnvOp::Env(arg.clone())),
                EnvSource::ValueFrom(arg) => Ok(EnvOp::ValueFrom(arg.clone())),
                EnvSource::File(path) => {
                    let content = std::fs::read_to_string(path).map_err(|e| {
                        Error::usage(format!(
                            "Invalid --env-file: {}",
                            crate::error::path_error("open", path, &e)
                        ))
                    })?;
                    podspec::parse_env_file(&content)
                        .map(EnvOp::File)
                        .map_err(|e| Error::usage(format!("Invalid --env-file: {e}")))
                }
            })
            .collect()
    }
}

impl Args for EnvArgs {
    fn augment_args(cmd: Command) -> Command {
        cmd.arg(
            Arg::new("env")
                .short('e')
                .long("env")
                .value_name("stringArray")
                .action(ArgAction::Append)
                .allow_hyphen_values(true)
                .value_parser(value_parser!(EnvArg))
                .help(ENV_HELP_UPDATE),
        )
        .arg(
            Arg::new("env-value-from")
                .long("env-value-from")
                .value_name("stringArray")
                .action(ArgAction::Append)
                .value_parser(value_parser!(EnvValueFromArg))
                .help(ENV_VALUE_FROM_HELP_UPDATE),
        )
        .arg(
            Arg::new("env-file")
                .long("env-file")
                .value_name("string")
                .action(ArgAction::Set)
                .value_parser(value_parser!(PathBuf))
                .help("Path to a file containing environment variables (e.g. --env-file=/home/knative/service1/env)."),
        )
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

fn indexed<T: Clone + Send + Sync + 'static>(
    matches: &ArgMatches,
    id: &str,
    wrap: impl Fn(T) -> EnvSource,
) -> Vec<(usize, EnvSource)> {
    match (matches.get_many::<T>(id), matches.indices_of(id)) {
        (Some(values), Some(indices)) => indices
            .zip(values.cloned())
            .map(|(index, value)| (index, wrap(value)))
            .collect(),
        _ => Vec::new(),
    }
}

impl FromArgMatches for EnvArgs {
    fn from_arg_matches(matches: &ArgMatches) -> std::result::Result<Self, clap::Error> {
        let mut all = indexed(matches, "env", EnvSource::Env);
        all.extend(indexed(matches, "env-value-from", EnvSource::ValueFrom));
        all.extend(indexed(matches, "env-file", EnvSource::File));
        all.sort_by_key(|(index, _)| *index);
        Ok(Self {
            ordered: all.into_iter().map(|(_, source)| source).collect(),
        })
    }

    fn update_from_arg_matches(
        &mut self,
        matches: &ArgMatches,
    ) -> std::result::Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

/// The pod spec flags.
#[derive(Args, Debug, Clone, Default, PartialEq)]
pub struct PodSpecArgs {
    /// Image to run.
    #[arg(verbatim_doc_comment, long = "image", value_name = "string", action = ArgAction::Append)]
    pub image: Vec<String>,
    /// Image pull policy. Valid values (case insensitive): Always | Never | IfNotPresent
    #[arg(verbatim_doc_comment, long = "pull-policy", value_name = "string")]
    pub pull_policy: Option<PullPolicy>,
    #[command(flatten)]
    pub env: EnvArgs,
    #[arg(verbatim_doc_comment, long = "env-from", value_name = "stringArray", help = ENV_FROM_HELP_UPDATE)]
    pub env_from: Vec<EnvFromArg>,
    /// Mount a ConfigMap (prefix cm: or config-map:), a Secret (prefix secret: or sc:), an EmptyDir (prefix ed: or emptyDir:), a PersistentVolumeClaim (prefix pvc: or persistentVolumeClaim) or an existing Volume (without any prefix) on the specified directory. Example: --mount /mydir=cm:myconfigmap, --mount /mydir=secret:mysecret, --mount /mydir=emptyDir:myvol or --mount /mydir=myvolume. When a configmap or a secret is specified, a corresponding volume is automatically generated. You can mount a volume with readOnly config (true | false) also. Example: --mount /mydir=ed:ed1:readOnly=true. You can specify a volume subpath by following the volume name with slash separated path. Example: --mount /mydir=cm:myconfigmap/subpath/to/be/mounted. You can use this flag multiple times. For unmounting a directory, append "-", e.g. --mount /mydir-, which also removes any auto-generated volume.
    #[arg(verbatim_doc_comment, long = "mount", value_name = "stringArray")]
    pub mount: Vec<MountArg>,
    /// Add a volume from a ConfigMap (prefix cm: or config-map:) a Secret (prefix secret: or sc:), an EmptyDir (prefix ed: or emptyDir:) or a PersistentVolumeClaim (prefix pvc: or persistentVolumeClaim). PersistentVolumeClaim only works if the feature gate is enabled in Knative Serving feature flags configuration. Example: --volume myvolume=cm:myconfigmap, --volume myvolume=secret:mysecret or --volume emptyDir:myvol:size=1Gi,type=Memory. You can use this flag multiple times. To unset a ConfigMap/Secret reference, append "-" to the name, e.g. --volume myvolume-.
    #[arg(verbatim_doc_comment, long = "volume", value_name = "stringArray")]
    pub volume: Vec<VolumeArg>,
    /// Specify command to be used as entrypoint instead of default one. Example: --cmd /app/start or --cmd sh --cmd /app/start.sh or --cmd /app/start --arg myArg to pass additional arguments.
    #[arg(
        verbatim_doc_comment,
        long = "cmd",
        value_name = "stringArray",
        allow_hyphen_values = true
    )]
    pub cmd: Vec<String>,
    /// Add argument to the container command. Example: --arg myArg1 --arg --myArg2 --arg myArg3=3. You can use this flag multiple times.
    #[arg(
        verbatim_doc_comment,
        long = "arg",
        value_name = "stringArray",
        allow_hyphen_values = true
    )]
    pub arg: Vec<String>,
    /// Specify path to file including definition for additional containers, alternatively use '-' to read from stdin. Example: --containers ./containers.yaml or --containers -.
    #[arg(
        verbatim_doc_comment,
        long = "containers",
        alias = "extra-containers",
        value_name = "string"
    )]
    pub containers: Option<String>,
    /// Add liveness probe to Service deployment. Supported probe types are HTTGet, Exec and TCPSocket. Format: [http,https]:host:port:path, exec:cmd[,cmd,...], tcp:host:port.
    #[arg(verbatim_doc_comment, long = "probe-liveness", value_name = "string")]
    pub probe_liveness: Option<ProbeHandler>,
    /// Add common options to liveness probe. Common opts (comma separated, case insensitive): InitialDelaySeconds=<int_value>, FailureThreshold=<int_value>, SuccessThreshold=<int_value>, PeriodSeconds=<int_value>, TimeoutSeconds=<int_value>
    #[arg(
        verbatim_doc_comment,
        long = "probe-liveness-opts",
        value_name = "string"
    )]
    pub probe_liveness_opts: Option<ProbeOptions>,
    /// Add readiness probe to Service deployment. Supported probe types are HTTGet, Exec and TCPSocket. Format: [http,https]:host:port:path, exec:cmd[,cmd,...], tcp:host:port.
    #[arg(verbatim_doc_comment, long = "probe-readiness", value_name = "string")]
    pub probe_readiness: Option<ProbeHandler>,
    /// Add common options to readiness probe. Common opts (comma separated, case insensitive): InitialDelaySeconds=<int_value>, FailureThreshold=<int_value>, SuccessThreshold=<int_value>, PeriodSeconds=<int_value>, TimeoutSeconds=<int_value>
    #[arg(
        verbatim_doc_comment,
        long = "probe-readiness-opts",
        value_name = "string"
    )]
    pub probe_readiness_opts: Option<ProbeOptions>,
    /// The resource requirement limits for this Service. For example, 'cpu=100m,memory=256Mi'. You can use this flag multiple times. To unset a resource limit, append "-" to the resource name, e.g. '--limit memory-'.
    #[arg(
        verbatim_doc_comment,
        long = "limit",
        value_name = "strings",
        value_delimiter = ','
    )]
    pub limit: Vec<ResourceArg>,
    /// The resource requirement requests for this Service. For example, 'cpu=100m,memory=256Mi'. You can use this flag multiple times. To unset a resource request, append "-" to the resource name, e.g. '--request cpu-'.
    #[arg(
        verbatim_doc_comment,
        long = "request",
        value_name = "strings",
        value_delimiter = ','
    )]
    pub request: Vec<ResourceArg>,
    /// The port where application listens on, in the format 'NAME:PORT', where 'NAME' is optional. Examples: '--port h2c:8080' , '--port 8080'.
    #[arg(
        verbatim_doc_comment,
        short = 'p',
        long = "port",
        value_name = "string"
    )]
    pub port: Option<PortSpec>,
    /// Service account name to set. An empty argument ("") clears the service account. The referenced service account must exist in the service's namespace.
    #[arg(verbatim_doc_comment, long = "service-account", value_name = "string")]
    pub service_account: Option<String>,
    /// Image pull secret to set. An empty argument ("") clears the pull secret. The referenced secret must exist in the service's namespace.
    #[arg(verbatim_doc_comment, long = "pull-secret", value_name = "string")]
    pub pull_secret: Option<String>,
    /// The user ID to run the container (e.g., 1001).
    #[arg(
        verbatim_doc_comment,
        long = "user",
        value_name = "int",
        allow_negative_numbers = true
    )]
    pub user: Option<i64>,
    /// Predefined security context for the service. Accepted values: 'none' for no security context and 'strict' for dropping all capabilities, running as non-root, and no privilege escalation. (default "none")
    #[arg(verbatim_doc_comment, long = "security-context", value_name = "string")]
    pub security_context: Option<SecurityContextPreset>,
    /// Add node selector to be set, you may provide this flag any number of times to set multiple node selectors, works if feature flag is enabled in Knative Serving feature flags configuration. Example: --node-selector Disktype="ssd". To unset, specify the key name followed by a "-", example: --node-selector Disktype- .
    #[arg(
        verbatim_doc_comment,
        long = "node-selector",
        value_name = "stringArray"
    )]
    pub node_selector: Vec<KeyValueArg>,
    /// Add toleration to be set, works if the feature gate is enabled in Knative Serving feature flags configuration. Example: --tolerations Key="key1",Operator="Equal",Value="value1",Effect="NoSchedule"
    #[arg(
        verbatim_doc_comment,
        long = "toleration",
        value_name = "strings",
        value_delimiter = ','
    )]
    pub toleration: Vec<StrictKeyValue>,
    /// Add node affinity to be set - only works if the feature gate is enabled in Knative Serving feature flags configuration. When key, operator, values (whitespace separated) and weight are defined for a type, they will be appended in nodeSelectorTerms in case of Required clause, implying the terms will be ORed, and for Preferred clause, all of them will be added in preferredDuringSchedulingIgnoredDuringExecution. Example: --node-affinity Type="Required",Key="topology.kubernetes.io/zone",Operator="In",Values="antarctica-east1 antarctica-west1" or --node-affinity Type="Preferred",Key="topology.kubernetes.io/zone",Operator="In",Values="antarctica-east1",Weight="1"
    #[arg(
        verbatim_doc_comment,
        long = "node-affinity",
        value_name = "strings",
        value_delimiter = ','
    )]
    pub node_affinity: Vec<StrictKeyValue>,
}

/// Where `--containers` / piped input comes from.
pub trait ContainerInput {
    /// The content of `--containers -` or of piped stdin.
    fn stdin(&mut self) -> std::io::Result<String>;
    /// Whether stdin is a terminal (then it is never read unless `-` is given).
    fn stdin_is_terminal(&self) -> bool;
}

/// The process's real stdin.
pub struct ProcessStdin;

impl ContainerInput for ProcessStdin {
    fn stdin(&mut self) -> std::io::Result<String> {
        let mut text = String::new();
        std::io::stdin().lock().read_to_string(&mut text)?;
        Ok(text)
    }

    fn stdin_is_terminal(&self) -> bool {
        std::io::stdin().is_terminal()
    }
}

/// Parses a PodSpec fragment (`containers: [...]`), YAML or JSON.
pub fn parse_containers(text: &str, origin: &str) -> Result<Vec<Value>> {
    let fragment: Value = serde_saphyr::from_str(text)
        .map_err(|e| Error::usage(format!("cannot read containers from {origin}: {e}")))?;
    podspec::containers_of_fragment(&fragment)
        .map_err(|e| Error::usage(format!("cannot read containers from {origin}: {e}")))
}

fn read_containers(spec: &str, input: &mut dyn ContainerInput) -> Result<Vec<Value>> {
    let (text, origin) = if spec == "-" {
        let text = input
            .stdin()
            .map_err(|e| Error::failed(format!("cannot read containers from stdin: {e}")))?;
        (text, "stdin")
    } else {
        let text = std::fs::read_to_string(Path::new(spec))
            .map_err(|e| Error::usage(crate::error::path_error("open", Path::new(spec), &e)))?;
        (text, spec)
    };
    // kn's decoder finds no document at all in zero bytes and fails with Go's bare `EOF`; a
    // blank line or a comment is an empty fragment that adds no container.
    if text.is_empty() {
        return Err(Error::usage("EOF"));
    }
    parse_containers(&text, origin)
}

/// The one term `--toleration` or `--node-affinity` builds from its pairs, `None` when not given.
fn scheduling_term<T>(
    pairs: &[StrictKeyValue],
    build: impl FnOnce(&[StrictKeyValue]) -> std::result::Result<T, EditError>,
) -> Result<Option<T>> {
    if pairs.is_empty() {
        return Ok(None);
    }
    build(pairs)
        .map(Some)
        .map_err(|e| Error::usage(e.to_string()))
}

impl PodSpecArgs {
    /// Flags that must be given at most once, checked before anything else.
    pub fn image(&self) -> Result<Option<String>> {
        match self.image.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one.clone())),
            [_, second, ..] => Err(Error::usage(format!(
                "invalid argument \"{second}\" for \"--image\" flag: can be provided only once"
            ))),
        }
    }

    /// Resolves the flags into an edit: reads `--env-file` and `--containers`, builds the
    /// toleration and affinity term. `piped` makes a non-terminal stdin count as
    /// `--containers -` when it holds data (`container add`).
    pub fn to_edit(&self, input: &mut dyn ContainerInput, piped: bool) -> Result<PodSpecEdit> {
        let image = self.image()?;
        let extra_containers = match &self.containers {
            Some(spec) => Some(read_containers(spec, input)?),
            None if piped && !input.stdin_is_terminal() => {
                let text = input.stdin().map_err(|e| {
                    Error::failed(format!("cannot read containers from stdin: {e}"))
                })?;
                if text.trim().is_empty() {
                    None
                } else {
                    Some(parse_containers(&text, "stdin")?)
                }
            }
            None => None,
        };
        let toleration = scheduling_term(&self.toleration, Toleration::from_pairs)?;
        let node_affinity = scheduling_term(&self.node_affinity, NodeAffinityTerm::from_pairs)?;
        Ok(PodSpecEdit {
            image,
            pull_policy: self.pull_policy,
            env: self.env.resolve()?,
            env_from: self.env_from.clone(),
            mounts: self.mount.clone(),
            volumes: self.volume.clone(),
            command: (!self.cmd.is_empty()).then(|| self.cmd.clone()),
            args: (!self.arg.is_empty()).then(|| self.arg.clone()),
            extra_containers,
            liveness: self.probe_liveness.clone(),
            liveness_opts: self.probe_liveness_opts.clone(),
            readiness: self.probe_readiness.clone(),
            readiness_opts: self.probe_readiness_opts.clone(),
            limits: self.limit.clone(),
            requests: self.request.clone(),
            port: self.port.clone(),
            service_account: self.service_account.clone(),
            pull_secret: self.pull_secret.clone(),
            user: self.user,
            security_context: self.security_context,
            node_selector: self.node_selector.clone(),
            toleration,
            node_affinity,
        })
    }
}

#[cfg(test)]
#[path = "podspec_tests.rs"]
mod tests;
