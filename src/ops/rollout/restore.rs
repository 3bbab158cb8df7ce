//! Rollback and abort (traffic and template put back, state cleared) and the guarded write
//! every step goes through.

use serde_json::Value;

use super::{Rollout, latest_ready, restored, traffic_table};
use crate::client::kinds::SERVICE;
use crate::edit::rollout::{self as plan, State};
use crate::error::{Error, Result};

impl Rollout<'_> {
    /// Restores the previous traffic and template and clears the state; the command then fails
    /// with `reason` (after printing `headline`).
    pub(super) async fn rollback(&self, state: &State, headline: &str, reason: &str) -> Result<()> {
        self.line(headline)?;
        match self.restore(state).await {
            Ok(_) => {
                self.line(&format!("Rolled back: {}.", restored(state)))?;
                Err(Error::failed(format!(
                    "the rollout of service '{}' was rolled back: {reason}",
                    self.name
                )))
            }
            Err(e) => Err(Error::failed(format!(
                "the rollout of service '{}' failed ({reason}) and could not be rolled back: {e}",
                self.name
            ))),
        }
    }

    pub(super) async fn abort(&self, state: &State) -> Result<()> {
        let service = self.restore(state).await?;
        let revision = state.revision.as_deref().unwrap_or("(new revision)");
        self.ctx.eprint(&format!(
            "Rollout of revision '{revision}' on service '{}' in namespace '{}' aborted; {}.\n",
            self.name,
            self.namespace,
            restored(state)
        ))?;
        self.ctx.print(&traffic_table(&service))
    }

    async fn restore(&self, state: &State) -> Result<Value> {
        self.update_checked(state, |service| {
            let traffic = plan::restored_traffic(state, latest_ready(service));
            plan::set_traffic(service, traffic);
            plan::restore_template(service, state);
            State::clear(service);
        })
        .await
    }

    /// Writes `next` with `traffic`, provided the stored state is still `expected`.
    pub(super) async fn write(
        &self,
        expected: &State,
        next: &State,
        traffic: Option<Vec<Value>>,
    ) -> Result<Value> {
        self.update_checked(expected, |service| {
            if let Some(traffic) = &traffic {
                plan::set_traffic(service, Some(traffic.clone()));
            }
            next.store(service);
        })
        .await
    }

    /// An optimistic update that refuses to go on when another command changed the rollout.
    pub(super) async fn update_checked(
        &self,
        expected: &State,
        change: impl Fn(&mut Value),
    ) -> Result<Value> {
        let name = self.name;
        let updated = self
            .client
            .update_with_retry(&SERVICE, self.namespace, name, |service| {
                let stored = State::read(service).ok().flatten();
                if stored.as_ref() != Some(expected) {
                    return Err(Error::failed(format!(
                        "the rollout of service '{name}' was changed by another command (promoted, aborted or restarted); this one stops here"
                    )));
                }
                change(service);
                Ok(())
            })
            .await?;
        Ok(updated.after)
    }
}
