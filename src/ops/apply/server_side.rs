//! One server-side apply as knit does it: read the live object, move a client-side apply's
//! ownership to knit (once), then send the apply patch as field manager `knit`.

use serde_json::Value;

use crate::client::{Client, PatchKind, ResourceKind, WriteOptions};
use crate::edit::apply::{CLIENT_SIDE_APPLIERS, apply_configuration, client_side_apply_upgrade};
use crate::error::{Error, Result};
use crate::identity::FIELD_MANAGER;

/// The fields knit's apply owns (its managedFields entry without the time).
fn knit_fields(object: &Value) -> Option<Value> {
    object
        .pointer("/metadata/managedFields")?
        .as_array()?
        .iter()
        .find(|e| e["manager"] == FIELD_MANAGER && e["operation"] == "Apply")
        .map(|e| e["fieldsV1"].clone())
}

/// Attempts of the ownership move before giving up on concurrent writes.
const UPGRADE_ATTEMPTS: u32 = 10;

/// The object before (`None`: it did not exist) and after an apply.
#[derive(Debug, Clone)]
pub struct Applied {
    pub before: Option<Value>,
    pub after: Value,
}

impl Applied {
    /// The apply created the object.
    pub fn created(&self) -> bool {
        self.before.is_none()
    }

    /// The apply changed the object: its spec or metadata, or what knit owns of it. A
    /// resourceVersion that moved is not enough: a controller may have written the status
    /// between the read and the apply.
    pub fn changed(&self) -> bool {
        let Some(before) = &self.before else {
            return true;
        };
        crate::output::diff::strip_noise(before) != crate::output::diff::strip_noise(&self.after)
            || knit_fields(before) != knit_fields(&self.after)
    }

    /// The spec changed (generation moved): what makes a new revision of a Service.
    pub fn spec_changed(&self) -> bool {
        let generation = |o: &Value| o.pointer("/metadata/generation").and_then(Value::as_i64);
        self.before
            .as_ref()
            .is_none_or(|b| generation(b) != generation(&self.after))
    }
}

/// Server-side applies `object` (named `name`) as field manager `knit`; `force` takes over
/// fields other managers own. A refused apply names every conflicting field and its owner.
pub async fn apply(
    client: &Client,
    kind: &ResourceKind,
    namespace: &str,
    name: &str,
    object: &Value,
    force: bool,
) -> Result<Applied> {
    apply_with(
        client,
        kind,
        namespace,
        name,
        object,
        force,
        &WriteOptions::default(),
    )
    .await
}

/// [`apply`] with `options`. A server dry run (`dryRun=All`) stores nothing, so a pending move
/// of client-side-apply ownership cannot happen first: conflicts with exactly those managers
/// (which the real apply would not have) are then forced in the dry run, others are reported.
pub async fn apply_with(
    client: &Client,
    kind: &ResourceKind,
    namespace: &str,
    name: &str,
    object: &Value,
    force: bool,
    options: &WriteOptions,
) -> Result<Applied> {
    let mut before = client.get_opt(kind, namespace, name).await?;
    let mut pending_upgrade = false;
    let mut attempt = 0;
    while let Some(patch) = before
        .as_ref()
        .and_then(|live| client_side_apply_upgrade(live, FIELD_MANAGER, &kind.api_version()))
    {
        if options.dry_run {
            pending_upgrade = true;
            break;
        }
        // The patch is guarded by the resourceVersion read; a controller's status write in
        // between makes it fail with 409, then the object is read again.
        attempt += 1;
        match client
            .patch(kind, namespace, name, &PatchKind::Merge(patch))
            .await
        {
            Ok(upgraded) => before = Some(upgraded),
            Err(e) if e.is_conflict() && attempt < UPGRADE_ATTEMPTS => {
                before = client.get_opt(kind, namespace, name).await?;
            }
            Err(e) => return Err(e),
        }
    }
    let send = |force: bool| {
        let patch = PatchKind::Apply {
            manager: FIELD_MANAGER.to_string(),
            force,
            object: apply_configuration(object),
        };
        async move {
            client
                .patch_with(kind, namespace, name, &patch, options)
                .await
        }
    };
    let after = match send(force).await {
        Err(Error::ApplyConflict { conflicts, .. })
            if pending_upgrade
                && conflicts
                    .iter()
                    .all(|c| owned_by_client_side_applier(&c.owner)) =>
        {
            send(true).await
        }
        other => other,
    }
    .map_err(|e| match e {
        Error::ApplyConflict { conflicts, .. } => Error::ApplyConflict {
            object: format!("{}/{name}", kind.name_prefix()),
            conflicts,
        },
        other => other,
    })?;
    Ok(Applied { before, after })
}

/// Whether a conflict owner (`"kn" using serving.knative.dev/v1 at …`) is an update by one of
/// the client-side appliers whose ownership knit takes over.
fn owned_by_client_side_applier(owner: &str) -> bool {
    CLIENT_SIDE_APPLIERS
        .iter()
        .any(|m| owner.starts_with(&format!("{m:?} using ")))
}
