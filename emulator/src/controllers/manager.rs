//! Runs the Knative controllers: every storage change goes to each controller's `keys_for`;
//! keys are de-duplicated and reconciled one at a time in arrival order; `Requeue::After` and
//! failed reconciles come back through timers.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::{Controller, Requeue};
use crate::cluster::{ClusterApi, EventKind, ObjectEvent};
use crate::registry::Registry;
use crate::resource::ObjectKey;
use crate::store::Change;

/// How long a failed reconcile waits before its first retry; doubled on every further failure.
const RETRY_AFTER: Duration = Duration::from_millis(50);
/// The longest wait between retries of a failing key.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

pub struct Manager {
    controllers: Vec<Box<dyn Controller>>,
    registry: Arc<Registry>,
    queue: VecDeque<(usize, ObjectKey)>,
    queued: HashSet<(usize, ObjectKey)>,
    timers: BTreeMap<(Instant, u64), (usize, ObjectKey)>,
    seq: u64,
    /// Consecutive failures per key, for exponential backoff.
    failures: HashMap<(usize, ObjectKey), u32>,
}

impl Manager {
    pub fn new(controllers: Vec<Box<dyn Controller>>, registry: Arc<Registry>) -> Manager {
        Manager {
            controllers,
            registry,
            queue: VecDeque::new(),
            queued: HashSet::new(),
            timers: BTreeMap::new(),
            seq: 0,
            failures: HashMap::new(),
        }
    }

    fn enqueue(&mut self, index: usize, key: ObjectKey) {
        if self.queued.insert((index, key.clone())) {
            self.queue.push_back((index, key));
        }
    }

    fn schedule(&mut self, index: usize, key: ObjectKey, after: Duration) {
        if after.is_zero() {
            self.enqueue(index, key);
            return;
        }
        self.seq += 1;
        self.timers
            .insert((Instant::now() + after, self.seq), (index, key));
    }

    fn observe(&mut self, event: &ObjectEvent) {
        for index in 0..self.controllers.len() {
            let keys =
                self.controllers[index].keys_for(event, self.registry.as_ref() as &dyn ClusterApi);
            for key in keys {
                self.enqueue(index, key);
            }
        }
    }

    fn observe_change(&mut self, change: &Change) {
        let event = ObjectEvent {
            kind: change.kind,
            key: change.key.clone(),
            object: change.object.value(),
        };
        self.observe(&event);
    }

    fn fire_due_timers(&mut self) {
        let now = Instant::now();
        while let Some(entry) = self.timers.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let (index, key) = entry.remove();
            self.enqueue(index, key);
        }
    }

    fn reconcile_one(&mut self) -> bool {
        let Some((index, key)) = self.queue.pop_front() else {
            return false;
        };
        self.queued.remove(&(index, key.clone()));
        let result =
            self.controllers[index].reconcile(&key, self.registry.as_ref() as &dyn ClusterApi);
        match result {
            Ok(requeue) => {
                self.failures.remove(&(index, key.clone()));
                if let Requeue::After(after) = requeue {
                    self.schedule(index, key, after);
                }
            }
            Err(_) => {
                let failures = self.failures.entry((index, key.clone())).or_insert(0);
                let wait = RETRY_AFTER
                    .saturating_mul(1 << (*failures).min(10))
                    .min(MAX_RETRY_AFTER);
                *failures += 1;
                self.schedule(index, key, wait);
            }
        }
        true
    }

    /// Reconciles what already exists, then follows `feed` until `shutdown`.
    pub async fn run(
        mut self,
        mut feed: mpsc::UnboundedReceiver<Arc<Change>>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        if self.controllers.is_empty() {
            return;
        }
        let (_, objects) = self.registry.store.snapshot();
        for (key, stored) in objects {
            self.observe(&ObjectEvent {
                kind: EventKind::Added,
                key,
                object: stored.value(),
            });
        }
        loop {
            while let Ok(change) = feed.try_recv() {
                self.observe_change(&change);
            }
            self.fire_due_timers();
            if self.reconcile_one() {
                tokio::task::yield_now().await;
                continue;
            }
            let next_timer = self.timers.keys().next().map(|(at, _)| *at);
            tokio::select! {
                change = feed.recv() => match change {
                    Some(change) => self.observe_change(&change),
                    None => return,
                },
                _ = async { match next_timer { Some(at) => tokio::time::sleep_until(at).await, None => std::future::pending().await } } => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}
