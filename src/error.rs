//! The one error type of knit: what went wrong (message), what to do (hint) and the exit code.
//!
//! API errors are translated here, in one place, into kn's messages (kn-reference §11.3).

use std::fmt;

/// Exit code of a successful run.
pub const EXIT_OK: u8 = 0;
/// Exit code of a run that failed at runtime (API error, timeout, not found, …).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code of a usage error: bad flags or arguments, detected before any request is sent.
pub const EXIT_USAGE: u8 = 2;

/// An error `Status` returned by the API server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiStatus {
    /// HTTP status code (`code` of the Status).
    pub code: u16,
    /// Machine-readable reason, e.g. `NotFound`, `AlreadyExists`, `Conflict`.
    pub reason: String,
    /// Human-readable message, passed through unchanged to the user.
    pub message: String,
    /// `details.name` when the server names the object.
    pub name: Option<String>,
}

impl ApiStatus {
    /// 404 NotFound.
    pub fn is_not_found(&self) -> bool {
        self.code == 404
    }
    /// 403 Forbidden.
    pub fn is_forbidden(&self) -> bool {
        self.code == 403
    }
    /// 409 AlreadyExists.
    pub fn is_already_exists(&self) -> bool {
        self.code == 409 && self.reason == "AlreadyExists"
    }
    /// 409 Conflict (stale resourceVersion).
    pub fn is_conflict(&self) -> bool {
        self.code == 409 && self.reason != "AlreadyExists"
    }
    /// 410 Gone / Expired (watch resourceVersion too old).
    pub fn is_gone(&self) -> bool {
        self.code == 410
    }
}

/// Everything that can make a knit command fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad flags or arguments (exit 2). `command` is the command path (`service describe`) when known,
    /// so the hint can point at the right `--help`.
    #[error("{message}")]
    Usage {
        message: String,
        command: Option<String>,
    },
    /// The API server refused the request; its message is shown unchanged.
    #[error("{}", .0.message)]
    Api(ApiStatus),
    /// A Knative API is not served by the cluster (404 on the resource type). `group` is the
    /// family name (`Serving`); `api_group`/`version` what knit asked for ("" when several
    /// groups are involved); `served` the versions one discovery call found, `None` when no
    /// discovery was done (then the message is kn's).
    #[error("{}", not_installed_message(.group, .api_group, .version, .served.as_deref(), .bin))]
    NotInstalled {
        group: String,
        api_group: String,
        version: String,
        served: Option<Vec<String>>,
        bin: String,
    },
    /// No kubeconfig could be found at all.
    #[error(
        "no kubeconfig has been provided, please use a valid configuration to connect to the cluster"
    )]
    NoKubeconfig,
    /// The kubeconfig exists but cannot be used (bad file, unknown context, …).
    #[error("{0}")]
    Config(String),
    /// The cluster could not be reached.
    #[error("{0}")]
    Connection(String),
    /// A wait that ended without its goal (kn's texts: the object's failure reason, or
    /// `timeout: … not ready after N seconds`); callers that wait as one step of something
    /// larger (a rollout) tell it apart from a request that failed.
    #[error("{message}")]
    Wait { end: WaitEnd, message: String },
    /// Any other runtime failure with a complete, user-facing message (refused operations, …).
    #[error("{0}")]
    Failed(String),
    /// The command has printed all it has to say and only sets the exit code (`--diff` that found
    /// differences exits 1, like `kubectl diff`). Nothing is printed for it.
    #[error("")]
    Silent(u8),
    /// Several independent failures (e.g. `service delete a b c`); printed one `Error:` per line.
    #[error("{}", join_messages(.0))]
    Multiple(Vec<Error>),
    /// A server-side apply was refused because other field managers own fields it would change
    /// (409 with `FieldManagerConflict` causes). `object` is `service.serving.knative.dev/NAME`.
    #[error("{}", apply_conflict_message(.object, .conflicts))]
    ApplyConflict {
        object: String,
        conflicts: Vec<FieldConflict>,
    },
}

/// How a wait ended without its goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitEnd {
    /// The object reported a failure (its Ready condition stayed False past the window).
    Failed,
    /// The timeout passed first.
    TimedOut,
}

/// One field a server-side apply could not take, and who owns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldConflict {
    /// The field path as the server prints it (`.spec.template.spec.containers`).
    pub field: String,
    /// The owner as the server describes it, e.g. `"kubectl-edit" using serving.knative.dev/v1
    /// at 2026-01-02T03:04:05Z` (an update) or `"other"` (an apply).
    pub owner: String,
}

impl FieldConflict {
    /// `kubectl-edit (update at 2026-01-02T03:04:05Z)` / `other (server-side apply)`.
    fn describe_owner(&self) -> String {
        let text = self.owner.trim();
        // The server quotes the manager name Go-style (%q), which JSON reads for plain names.
        let Some(end) = text[1..].find('"').filter(|_| text.starts_with('"')) else {
            return text.to_string();
        };
        let quoted = &text[..end + 2];
        let manager = serde_json::from_str::<String>(quoted).unwrap_or_else(|_| quoted.to_string());
        let manager = if manager.is_empty() {
            "(unnamed manager)".to_string()
        } else {
            manager
        };
        let rest = text[end + 2..].trim();
        let (subresource, rest) = match rest.strip_prefix("with subresource ") {
            Some(after) => {
                let (sub, rest) = after.split_once(' ').unwrap_or((after, ""));
                (
                    format!(", subresource {}", sub.trim_matches('"')),
                    rest.trim(),
                )
            }
            None => (String::new(), rest),
        };
        // knit's own create/update writes are an Update manager named like its apply manager;
        // say which, or "owned by knit" reads as a conflict with itself.
        let own = if manager == crate::identity::FIELD_MANAGER {
            ", by a knit create or update command"
        } else {
            ""
        };
        match rest.strip_prefix("using ") {
            Some(update) => match update.split_once(" at ") {
                Some((_, time)) => format!("{manager} (update{subresource} at {time}{own})"),
                None => format!("{manager} (update{subresource}{own})"),
            },
            None => format!("{manager} (server-side apply{subresource})"),
        }
    }
}

/// The apply conflict text: every field with its owner, and how to take the fields over.
fn apply_conflict_message(object: &str, conflicts: &[FieldConflict]) -> String {
    let count = match conflicts.len() {
        1 => "1 field is owned by another field manager".to_string(),
        n => format!("{n} fields are owned by other field managers"),
    };
    let width = conflicts.iter().map(|c| c.field.len()).max().unwrap_or(0);
    let mut text = format!("cannot apply {object}: {count}:");
    for conflict in conflicts {
        text.push_str(&format!(
            "\n  {:width$}  owned by {}",
            conflict.field,
            conflict.describe_owner()
        ));
    }
    text.push_str(
        "\nNothing was changed. To take these fields over, apply again with --force-conflicts: \
         your values replace theirs and they stop owning the fields.",
    );
    text
}

/// The "not installed" text: kn's combined sentence without discovery; with it, either
/// "not installed" or "installed at another version", each saying what to do.
fn not_installed_message(
    family: &str,
    api_group: &str,
    version: &str,
    served: Option<&[String]>,
    bin: &str,
) -> String {
    match served {
        None => format!(
            "no or newer Knative {family} API found on the backend, please verify the installation or update the '{bin}' client"
        ),
        Some([]) => format!(
            "Knative {family} is not installed: the cluster does not serve the API group {api_group}. Install Knative {family}, or check that --context/--kubeconfig select the right cluster"
        ),
        Some(versions) => format!(
            "this cluster serves {api_group} at {}, but {bin} needs {api_group}/{version}: upgrade Knative {family} on the cluster",
            versions.join(", ")
        ),
    }
}

fn join_messages(errors: &[Error]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\nError: ")
}

/// Result alias used across knit.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A usage error (exit 2) without a known command path.
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            command: None,
        }
    }

    /// A usage error (exit 2) raised by the command at `command` (e.g. `"service describe"`).
    pub fn usage_in(command: &str, message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            command: Some(command.to_string()),
        }
    }

    /// A runtime failure with a complete message (exit 1).
    pub fn failed(message: impl Into<String>) -> Self {
        Error::Failed(message.into())
    }

    /// A wait that ended without its goal, with kn's message for it.
    pub fn wait(end: WaitEnd, message: impl Into<String>) -> Self {
        Error::Wait {
            end,
            message: message.into(),
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage { .. } => EXIT_USAGE,
            Error::Silent(code) => *code,
            Error::Multiple(errors) if !errors.is_empty() => {
                if errors.iter().all(|e| e.exit_code() == EXIT_USAGE) {
                    EXIT_USAGE
                } else {
                    EXIT_FAILURE
                }
            }
            _ => EXIT_FAILURE,
        }
    }

    /// The API status behind this error, if it is one.
    pub fn api_status(&self) -> Option<&ApiStatus> {
        match self {
            Error::Api(status) => Some(status),
            _ => None,
        }
    }

    /// True for a 404 NotFound answer on an object.
    pub fn is_not_found(&self) -> bool {
        self.api_status().is_some_and(ApiStatus::is_not_found)
    }

    /// True for a 409 Conflict answer (stale resourceVersion).
    pub fn is_conflict(&self) -> bool {
        self.api_status().is_some_and(ApiStatus::is_conflict)
    }

    /// True for a 403 Forbidden answer.
    pub fn is_forbidden(&self) -> bool {
        self.api_status().is_some_and(ApiStatus::is_forbidden)
    }

    /// True for a 410 Gone answer (a watch resumed from a resourceVersion too old).
    pub fn is_gone(&self) -> bool {
        self.api_status().is_some_and(ApiStatus::is_gone)
    }

    /// True for a 409 AlreadyExists answer.
    pub fn is_already_exists(&self) -> bool {
        self.api_status().is_some_and(ApiStatus::is_already_exists)
    }

    /// The `Run '<bin> … --help' for usage` line printed under the error (kn-reference §11.2).
    ///
    /// Like kn, a `'<bin> <command>'` quoted in the message names the command; otherwise the
    /// command that raised a usage error, otherwise the root.
    pub fn hint(&self, bin: &str) -> String {
        let message = self.to_string();
        let quoted_prefix = format!("'{bin} ");
        if let Some(start) = message.find(&quoted_prefix)
            && let Some(len) = message[start + 1..].find('\'')
        {
            let cmd = &message[start + 1..start + 1 + len];
            return format!("Run '{cmd} --help' for usage");
        }
        match self {
            Error::Usage {
                command: Some(command),
                ..
            } if !command.is_empty() => format!("Run '{bin} {command} --help' for usage"),
            _ => format!("Run '{bin} --help' for usage"),
        }
    }

    /// Renders the error the way kn prints it on stderr: `Error: <msg>` and the hint line.
    pub fn render(&self, bin: &str) -> String {
        let message = self.to_string();
        let message = strip_error_prefix(&message);
        format!("Error: {message}\n{}\n", self.hint(bin))
    }
}

/// Removes one leading `error:` (any case), so errors never read `Error: Error: …`.
fn strip_error_prefix(message: &str) -> &str {
    let trimmed = message.trim_start();
    if trimmed.len() >= 6 && trimmed[..6].eq_ignore_ascii_case("error:") {
        trimmed[6..].trim_start()
    } else {
        message
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::Failed(err.to_string())
    }
}

impl fmt::Display for ApiStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Go's text for a failed file operation (`*fs.PathError`): `open PATH: no such file or
/// directory`, as kn prints it, instead of Rust's `No such file or directory (os error 2)`.
pub fn path_error(op: &str, path: &std::path::Path, err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let why = match err.kind() {
        ErrorKind::NotFound => "no such file or directory".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory => "is a directory".to_string(),
        ErrorKind::NotADirectory => "not a directory".to_string(),
        _ => {
            // Rust adds ` (os error N)` to the OS's own message, which Go prints lower-cased.
            let text = err.to_string();
            let text = text
                .split(" (os error")
                .next()
                .unwrap_or_default()
                .to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    };
    // Go reads a directory successfully at open and fails at read.
    let op = if err.kind() == ErrorKind::IsADirectory {
        "read"
    } else {
        op
    };
    format!("{op} {}: {why}", path.display())
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
