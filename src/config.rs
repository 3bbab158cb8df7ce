//! knit's configuration file: where it lives, the kn-compatible keys it understands, and loading it.
//!
//! Location (first that exists wins, unless `--config FILE` names one explicitly):
//! 1. `$XDG_CONFIG_HOME/knit/config.yaml` (`~/.config/knit/config.yaml`; `%APPDATA%\knit\config.yaml` on Windows)
//! 2. kn's own file, `$XDG_CONFIG_HOME/kn/config.yaml` (`%APPDATA%\kn\config.yaml`), so that a kn user's
//!    settings apply to knit with nothing to copy
//! 3. kn's deprecated `~/.kn/config.yaml`
//!
//! No file at all is fine (built-in defaults). An explicit `--config` that does not exist is an error,
//! so that a typo is not silently ignored. knit never creates or writes a configuration file: kn writes
//! a commented template on every run where none exists, which users dislike.
//!
//! Keys are kn's (`pkg/config`): `plugins.directory` (legacy `plugins-dir`), `eventing.sink-mappings`
//! (legacy `sink`), `eventing.channel-type-mappings`, `profiles`, `features.context-sharing`. knit also
//! honours `plugins.path-lookup` (legacy `lookup-plugins`), which kn documents but ignores. Unknown
//! keys are ignored, as kn (viper) does. A malformed file is an error naming the file, line, column and
//! key path.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// File name inside the configuration directory.
pub const FILE_NAME: &str = "config.yaml";

/// An extra `--sink` prefix (kn's `eventing.sink-mappings`), e.g. `svc` → core v1 `services`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SinkMapping {
    pub prefix: String,
    /// API group; kn's template writes `core` for the core group, which the API knows as "",
    /// so `core` is normalised to "" when the file is read.
    #[serde(default)]
    pub group: String,
    pub version: String,
    pub resource: String,
}

/// A channel type alias (kn's `eventing.channel-type-mappings`), e.g. `Kafka` → `KafkaChannel`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ChannelTypeMapping {
    pub alias: String,
    pub group: String,
    pub version: String,
    pub kind: String,
}

/// One `name`/`value` pair of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NamedValue {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// A named set of annotations and labels applied by `service create|update|apply --profile NAME`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub annotations: Vec<NamedValue>,
    #[serde(default)]
    pub labels: Vec<NamedValue>,
}

/// The settings knit runs with: the file's contents merged over the built-in defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file that was read, if any.
    pub file: Option<PathBuf>,
    /// Directories searched for plugins before `$PATH`, in order.
    pub plugin_dirs: Vec<PathBuf>,
    /// Whether plugins are also looked up on `$PATH` (default true).
    pub lookup_plugins_in_path: bool,
    pub sink_mappings: Vec<SinkMapping>,
    pub channel_type_mappings: Vec<ChannelTypeMapping>,
    /// Built-in profiles (`istio`) overlaid with the file's; a profile of the same name in the file wins.
    pub profiles: BTreeMap<String, Profile>,
    /// kn's `features.context-sharing`. Read so kn's files parse; it only affects plugins compiled
    /// into kn, which knit has none of, so knit does nothing with it.
    pub context_sharing: bool,
}

/// Where the default files and directories are, for the current user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locations {
    /// `$XDG_CONFIG_HOME/knit` (or the platform equivalent).
    pub knit_dir: PathBuf,
    /// `$XDG_CONFIG_HOME/kn`, kn's directory.
    pub kn_dir: PathBuf,
    /// kn's deprecated `~/.kn`.
    pub kn_legacy_dir: Option<PathBuf>,
    /// The user's home, for `~` in configured paths.
    pub home: Option<PathBuf>,
}

impl Locations {
    /// The locations for the current user (XDG on Linux and macOS, `%APPDATA%` on Windows).
    pub fn from_env() -> Locations {
        use etcetera::BaseStrategy;
        match etcetera::choose_base_strategy() {
            Ok(base) => Locations::under(base.config_dir(), Some(base.home_dir().to_path_buf())),
            // No home directory at all: fall back to relative names, which simply will not exist.
            Err(_) => Locations::under(PathBuf::from(".config"), None),
        }
    }

    /// The locations below a given configuration base directory (tests use a temporary one).
    pub fn under(config_base: PathBuf, home: Option<PathBuf>) -> Locations {
        let kn_legacy_dir = if cfg!(windows) {
            None
        } else {
            home.as_ref().map(|h| h.join(".kn"))
        };
        Locations {
            knit_dir: config_base.join("knit"),
            kn_dir: config_base.join("kn"),
            kn_legacy_dir,
            home,
        }
    }

    /// Candidate configuration files, in the order they are tried.
    pub fn config_candidates(&self) -> Vec<PathBuf> {
        let mut files = vec![self.knit_dir.join(FILE_NAME), self.kn_dir.join(FILE_NAME)];
        if let Some(legacy) = &self.kn_legacy_dir {
            files.push(legacy.join(FILE_NAME));
        }
        files
    }

    /// Default plugin directories: knit's own, then kn's (so installed kn plugins keep working).
    pub fn default_plugin_dirs(&self) -> Vec<PathBuf> {
        vec![self.knit_dir.join("plugins"), self.kn_dir.join("plugins")]
    }

    /// Expand a leading `~` the way kn (go-homedir) does.
    pub fn expand_tilde(&self, path: &str) -> PathBuf {
        match (&self.home, path.strip_prefix('~')) {
            (Some(home), Some("")) => home.clone(),
            (Some(home), Some(rest)) if rest.starts_with('/') || rest.starts_with('\\') => {
                home.join(&rest[1..])
            }
            _ => PathBuf::from(path),
        }
    }
}

/// Why the configuration could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// `--config` named a file that does not exist.
    NotFound { file: PathBuf },
    /// The file exists but could not be read.
    Read { file: PathBuf, message: String },
    /// The file is not valid YAML, or a key has the wrong shape.
    Invalid {
        file: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        /// Dotted path of the offending key, e.g. `eventing.sink-mappings[0].prefix`.
        key: Option<String>,
        message: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NotFound { file } => {
                write!(f, "cannot find config file '{}'", file.display())
            }
            ConfigError::Read { file, message } => {
                write!(f, "cannot read config file '{}': {message}", file.display())
            }
            ConfigError::Invalid {
                file,
                line,
                column,
                key,
                message,
            } => {
                write!(f, "invalid config file '{}'", file.display())?;
                match (line, column) {
                    (Some(l), Some(c)) => write!(f, " at line {l}, column {c}")?,
                    (Some(l), None) => write!(f, " at line {l}")?,
                    _ => {}
                }
                if let Some(key) = key {
                    write!(f, ", key '{key}'")?;
                }
                write!(f, ": {message}")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

impl Default for Config {
    fn default() -> Self {
        Config {
            file: None,
            plugin_dirs: Vec::new(),
            lookup_plugins_in_path: true,
            sink_mappings: Vec::new(),
            channel_type_mappings: Vec::new(),
            profiles: builtin_profiles(),
            context_sharing: false,
        }
    }
}

impl Config {
    /// Load the configuration for a run: `explicit` is `--config`, `plugins_dir` is the hidden
    /// `--plugins-dir` override.
    pub fn load(
        locations: &Locations,
        explicit: Option<&Path>,
        plugins_dir: Option<&str>,
    ) -> Result<Config, ConfigError> {
        let file = match explicit {
            Some(path) => {
                if !path.exists() {
                    return Err(ConfigError::NotFound {
                        file: path.to_path_buf(),
                    });
                }
                Some(path.to_path_buf())
            }
            None => locations
                .config_candidates()
                .into_iter()
                .find(|p| p.is_file()),
        };
        let raw = match &file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
                    file: path.clone(),
                    message: e.to_string(),
                })?;
                parse(&text).map_err(|e| e.in_file(path))?
            }
            None => RawFile::default(),
        };
        Ok(Config::from_raw(raw, file, locations, plugins_dir))
    }

    /// Build a configuration from YAML text (used for files and tests).
    pub fn from_yaml(
        text: &str,
        file: &Path,
        locations: &Locations,
    ) -> Result<Config, ConfigError> {
        let raw = parse(text).map_err(|e| e.in_file(file))?;
        Ok(Config::from_raw(
            raw,
            Some(file.to_path_buf()),
            locations,
            None,
        ))
    }

    fn from_raw(
        raw: RawFile,
        file: Option<PathBuf>,
        locations: &Locations,
        plugins_dir_flag: Option<&str>,
    ) -> Config {
        let configured_dir = plugins_dir_flag
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .or_else(|| raw.plugins.as_ref().and_then(|p| p.directory.clone()))
            .or(raw.plugins_dir)
            .filter(|d| !d.is_empty());
        let plugin_dirs = match configured_dir {
            Some(dir) => vec![locations.expand_tilde(&dir)],
            None => locations.default_plugin_dirs(),
        };
        let lookup_plugins_in_path = raw
            .plugins
            .as_ref()
            .and_then(|p| p.path_lookup)
            .or(raw.lookup_plugins)
            .unwrap_or(true);
        let eventing = raw.eventing.unwrap_or_default();
        let mut sink_mappings = eventing.sink_mappings.or(raw.sink).unwrap_or_default();
        for m in &mut sink_mappings {
            if m.group == "core" {
                m.group.clear();
            }
        }
        let mut profiles = builtin_profiles();
        profiles.extend(raw.profiles.unwrap_or_default());
        Config {
            file,
            plugin_dirs,
            lookup_plugins_in_path,
            sink_mappings,
            channel_type_mappings: eventing.channel_type_mappings.unwrap_or_default(),
            profiles,
            context_sharing: raw
                .features
                .and_then(|f| f.context_sharing)
                .unwrap_or(false),
        }
    }

    /// The profile of that name, if the file or the built-ins define it.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }
}

/// kn's built-in profiles (kn-reference §9.3).
pub fn builtin_profiles() -> BTreeMap<String, Profile> {
    let nv = |name: &str, value: &str| NamedValue {
        name: name.to_string(),
        value: value.to_string(),
    };
    BTreeMap::from([(
        "istio".to_string(),
        Profile {
            annotations: vec![
                nv("sidecar.istio.io/inject", "true"),
                nv("sidecar.istio.io/rewriteAppHTTPProbers", "true"),
                nv("serving.knative.openshift.io/enablePassthrough", "true"),
            ],
            labels: vec![],
        },
    )])
}

// The file as written. Every field is optional and unknown keys are ignored, like kn's viper.
#[derive(Debug, Default, Deserialize)]
struct RawFile {
    plugins: Option<RawPlugins>,
    #[serde(rename = "plugins-dir")]
    plugins_dir: Option<String>,
    #[serde(rename = "lookup-plugins")]
    lookup_plugins: Option<bool>,
    eventing: Option<RawEventing>,
    sink: Option<Vec<SinkMapping>>,
    profiles: Option<BTreeMap<String, Profile>>,
    features: Option<RawFeatures>,
}

#[derive(Debug, Default, Deserialize)]
struct RawPlugins {
    directory: Option<String>,
    #[serde(rename = "path-lookup")]
    path_lookup: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
struct RawEventing {
    #[serde(rename = "sink-mappings")]
    sink_mappings: Option<Vec<SinkMapping>>,
    #[serde(rename = "channel-type-mappings")]
    channel_type_mappings: Option<Vec<ChannelTypeMapping>>,
}

#[derive(Debug, Default, Deserialize)]
struct RawFeatures {
    #[serde(rename = "context-sharing")]
    context_sharing: Option<bool>,
}

// A parse failure before the file name is known.
struct ParseFailure {
    line: Option<usize>,
    column: Option<usize>,
    key: Option<String>,
    message: String,
}

impl ParseFailure {
    fn in_file(self, file: &Path) -> ConfigError {
        ConfigError::Invalid {
            file: file.to_path_buf(),
            line: self.line,
            column: self.column,
            key: self.key,
            message: self.message,
        }
    }
}

fn parse(text: &str) -> Result<RawFile, ParseFailure> {
    // A file holding only comments (kn's template) or nothing at all is an empty configuration.
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(RawFile::default());
    }
    let mut key_path: Option<String> = None;
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    let result = serde_saphyr::with_deserializer_from_str_with_options(text, options, |de| {
        serde_path_to_error::deserialize::<_, Option<RawFile>>(de).map_err(|e| {
            let path = e.path().to_string();
            if !matches!(path.as_str(), "" | "." | "?") {
                key_path = Some(path);
            }
            e.into_inner()
        })
    });
    match result {
        Ok(raw) => Ok(raw.unwrap_or_default()),
        Err(err) => {
            let location = err.location();
            Err(ParseFailure {
                line: location.map(|l| l.line() as usize),
                column: location.map(|l| l.column() as usize),
                key: key_path,
                message: error_message(&err),
            })
        }
    }
}

// serde-saphyr's message without its own " at line X column Y" suffix (the location is reported
// separately).
fn error_message(err: &serde_saphyr::Error) -> String {
    let full = err.to_string();
    let first = full.lines().next().unwrap_or_default().trim().to_string();
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first,
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
