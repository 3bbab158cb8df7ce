//! The write engine's Service part, what `service create|update|apply|import` share: running the
//! pure edit with the clock, RNG and profiles of this run, reading Service files, and kn's
//! wait-then-report output.

use std::path::Path;

use serde_json::Value;

use crate::client::Client;
use crate::client::kinds::{REVISION, SERVICE};
use crate::context::Context;
use crate::edit::digest;
use crate::edit::profile::{NameValue, Profile, Profiles};
use crate::edit::service::{self, EditEnv, Mode, Outcome, ServiceEdit};
use crate::error::{Error, Result};
use crate::ops::wait::WaitSettings;
use crate::output::messages;
use crate::output::progress::Progress;

/// The profiles of this run: the built-ins overlaid with the config file's.
pub fn profiles(ctx: &Context) -> Profiles {
    let pairs = |list: &[crate::config::NamedValue]| -> Vec<NameValue> {
        list.iter()
            .map(|nv| NameValue {
                name: nv.name.clone(),
                value: nv.value.clone(),
            })
            .collect()
    };
    let from_config: Profiles = ctx
        .config
        .profiles
        .iter()
        .map(|(name, p)| {
            (
                name.clone(),
                Profile {
                    annotations: pairs(&p.annotations),
                    labels: pairs(&p.labels),
                },
            )
        })
        .collect();
    crate::edit::profile::merged(&from_config)
}

/// An unknown `--profile` is refused before anything is sent.
pub fn check_profile(edit: &ServiceEdit, profiles: &Profiles) -> Result<()> {
    match &edit.profile {
        Some(arg) if profiles.get(&arg.name).is_none_or(|p| p.is_empty()) => {
            Err(Error::usage(format!("profile {} doesn't exist", arg.name)))
        }
        _ => Ok(()),
    }
}

/// Runs the pure edit with this run's clock, randomness and profiles.
pub fn apply_edit(
    ctx: &Context,
    service: &mut Value,
    edit: &ServiceEdit,
    mode: Mode,
    profiles: &Profiles,
    base_revision: Option<&Value>,
) -> Result<Outcome> {
    let mut rng = rand::rng();
    service::apply(
        service,
        edit,
        EditEnv {
            mode,
            now: ctx.now,
            rng: &mut rng,
            profiles,
            base_revision,
        },
    )
    .map_err(|e| Error::failed(e.to_string()))
}

/// Reads the first YAML or JSON document of a file (`-f/--filename`, import files).
pub fn read_document(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::usage(crate::error::path_error("open", path, &e)))?;
    let mut documents: Vec<Value> = serde_saphyr::from_multiple(&text)
        .map_err(|e| Error::usage(format!("cannot parse {}: {e}", path.display())))?;
    if documents.is_empty() {
        return Err(Error::usage(format!(
            "{} holds no document",
            path.display()
        )));
    }
    Ok(documents.swap_remove(0))
}

/// How the final URL line reads.
pub enum Latest<'a> {
    /// `Service 'x' <verb> to latest revision 'r' …`, unless the latest ready revision is still
    /// this one (then it reads `(unchanged)`).
    Changed {
        verb: &'a str,
        before: Option<&'a str>,
    },
    /// `Service 'x' with latest revision 'r' (unchanged) …`.
    Unchanged,
}

/// kn's closing lines: which revision serves, and where.
pub fn show_url(ctx: &Context, service: &Value, latest: Latest<'_>) -> Result<()> {
    let name = service
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let url = service
        .pointer("/status/url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let revision = service
        .pointer("/status/latestReadyRevisionName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let line = match latest {
        Latest::Changed { before, .. } if before == Some(revision) => {
            messages::service_unchanged_url(name, revision)
        }
        Latest::Unchanged => messages::service_unchanged_url(name, revision),
        Latest::Changed { verb, .. } => messages::service_url(name, verb, revision),
    };
    ctx.println(&format!("{line}\n{url}"))
}

/// The words of one write operation's output.
pub struct Report<'a> {
    /// `Creating service`, `Updating Service`, …: heads the progress block.
    pub heading: &'a str,
    /// `created`, `updated`, …
    pub done: &'a str,
    /// The latest ready revision before the write (for `(unchanged)`).
    pub before: Option<&'a str>,
}

/// kn's `waitIfRequested`: without waiting, `Service 'x' <done> in namespace 'ns'.`; with it,
/// `<Heading> 'x' in namespace 'ns':`, the progress lines and the URL.
pub async fn wait_if_requested(
    ctx: &Context,
    client: &Client,
    name: &str,
    namespace: &str,
    wait: Option<WaitSettings>,
    report: Report<'_>,
) -> Result<()> {
    let Some(settings) = wait else {
        return ctx.println(&messages::service_done(name, report.done, namespace));
    };
    ctx.println(&format!(
        "{} '{name}' in namespace '{namespace}':",
        report.heading
    ))?;
    ctx.println("")?;
    let mut progress = Progress::stdout(ctx.stdout_tty);
    let outcome = crate::ops::wait::wait_for_ready(
        client,
        &SERVICE,
        namespace,
        name,
        settings,
        &mut progress,
    )
    .await?;
    ctx.println("")?;
    show_url(
        ctx,
        &outcome.object,
        Latest::Changed {
            verb: report.done,
            before: report.before,
        },
    )
}

/// What [`base_revision`] read: the service (when it had to look), which the update then edits
/// without reading it again, and the revision whose digest the update pins to.
#[derive(Default)]
pub(crate) struct BaseRead {
    pub service: Option<Value>,
    pub revision: Option<Value>,
}

/// The revision whose digest an update without `--image` pins to; looked up only when the
/// edit will pin. kn's intended warning is printed when there is none.
pub(crate) async fn base_revision(
    ctx: &Context,
    client: &Client,
    namespace: &str,
    name: &str,
    edit: &ServiceEdit,
) -> Result<BaseRead> {
    if edit.pod_spec.image.is_some()
        || !edit.lock_to_digest()
        || !edit.any_mutation()
        || edit.redeploy
    {
        return Ok(BaseRead::default());
    }
    let service = client.get(&SERVICE, namespace, name).await?;
    let revision = pinned_revision(ctx, client, namespace, edit, &service).await?;
    Ok(BaseRead {
        service: Some(service),
        revision,
    })
}

async fn pinned_revision(
    ctx: &Context,
    client: &Client,
    namespace: &str,
    edit: &ServiceEdit,
    service: &Value,
) -> Result<Option<Value>> {
    if !edit.may_pin_digest(service) {
        return Ok(None);
    }
    let warn = || ctx.eprint("Warning: No revision found to update image digest\n");
    let Some(reference) = digest::base_revision_ref(service) else {
        warn()?;
        return Ok(None);
    };
    match client.get(&REVISION, namespace, reference.name()).await {
        Ok(revision) if digest::accept_base_revision(service, &reference, &revision) => {
            Ok(Some(revision))
        }
        Ok(_) => {
            warn()?;
            Ok(None)
        }
        // Like kn: a base revision that is gone means no pinning, not a failed update.
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}
