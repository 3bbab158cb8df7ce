//! One server-side apply as knit does it: read the live object, move a client-side apply's
//! ownership to knit (once), then send the apply patch as field manager `knit`.

use serde_json::Value;

use crate::client::config::FIELD_MANAGER;
use crate::client::{Client, PatchKind, ResourceKind};
use crate::edit::apply::{apply_configuration, client_side_apply_upgrade};
use crate::error::{Error, Result};

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

    /// The stored object changed (its resourceVersion moved).
    pub fn changed(&self) -> bool {
        let rv = |o: &Value| o.pointer("/metadata/resourceVersion").cloned();
        self.before
            .as_ref()
            .is_none_or(|b| rv(b) != rv(&self.after))
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
    let mut before = client.get_opt(kind, namespace, name).await?;
    if let Some(patch) = before
        .as_ref()
        .and_then(|live| client_side_apply_upgrade(live, FIELD_MANAGER, &kind.api_version()))
    {
        before = Some(
            client
                .patch(kind, namespace, name, &PatchKind::Merge(patch))
                .await?,
        );
    }
    let patch = PatchKind::Apply {
        manager: FIELD_MANAGER.to_string(),
        force,
        object: apply_configuration(object),
    };
    let after = client
        .patch(kind, namespace, name, &patch)
        .await
        .map_err(|e| match e {
            Error::ApplyConflict { conflicts, .. } => Error::ApplyConflict {
                object: format!("{}/{name}", kind.name_prefix()),
                conflicts,
            },
            other => other,
        })?;
    Ok(Applied { before, after })
}
