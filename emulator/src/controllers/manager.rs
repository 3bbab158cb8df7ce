//! Runs the Knative controllers: every storage change goes to each controller's `keys_for`;
//! keys are de-duplicated and reconciled in arrival order, by one worker or by several side by
//! side (a key is never reconciled twice at once: one that changes meanwhile waits, as in
//! client-go's work queue); `Requeue::After` and failed reconciles come back through timers.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::{Controller, Requeue};
use crate::cluster::{ClusterApi, EventKind, ObjectEvent};
use crate::registry::Registry;
use crate::resource::ObjectKey;
use crate::status::ApiError;
use crate::store::Change;

/// How long a failed reconcile waits before its first retry; doubled on every further failure.
const RETRY_AFTER: Duration = Duration::from_millis(50);
/// The longest wait between retries of a failing key.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// One controller's key.
type Job = (usize, ObjectKey);
/// A finished reconcile, as a worker reports it.
type Done = (usize, ObjectKey, Result<Requeue, ApiError>);

pub struct Manager {
    controllers: Arc<Vec<Box<dyn Controller>>>,
    registry: Arc<Registry>,
    workers: usize,
    queue: VecDeque<Job>,
    /// Keys waiting to be reconciled (in `queue`, or changed while being reconciled).
    queued: HashSet<Job>,
    /// Keys a worker is reconciling now.
    processing: HashSet<Job>,
    timers: BTreeMap<(Instant, u64), Job>,
    seq: u64,
    /// Consecutive failures per key, for exponential backoff.
    failures: HashMap<Job, u32>,
}

impl Manager {
    pub fn new(controllers: Vec<Box<dyn Controller>>, registry: Arc<Registry>) -> Manager {
        Manager {
            controllers: Arc::new(controllers),
            registry,
            workers: 1,
            queue: VecDeque::new(),
            queued: HashSet::new(),
            processing: HashSet::new(),
            timers: BTreeMap::new(),
            seq: 0,
            failures: HashMap::new(),
        }
    }

    /// Reconciles on `workers` threads at once (1: in order, on the manager's own thread).
    pub fn with_workers(mut self, workers: usize) -> Manager {
        self.workers = workers.max(1);
        self
    }

    fn enqueue(&mut self, index: usize, key: ObjectKey) {
        let job = (index, key);
        if self.queued.insert(job.clone()) && !self.processing.contains(&job) {
            self.queue.push_back(job);
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
            key: &change.key,
            object: change.object.object(),
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

    /// The next key to reconcile, marked as being reconciled.
    fn take(&mut self) -> Option<Job> {
        let job = self.queue.pop_front()?;
        self.queued.remove(&job);
        self.processing.insert(job.clone());
        Some(job)
    }

    fn finish(&mut self, (index, key, result): Done) {
        let job = (index, key);
        self.processing.remove(&job);
        // Changed while it was being reconciled: its turn comes again.
        if self.queued.contains(&job) {
            self.queue.push_back(job.clone());
        }
        let (index, key) = job;
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
    }

    fn reconcile_one(&mut self) -> bool {
        let Some((index, key)) = self.take() else {
            return false;
        };
        let result =
            self.controllers[index].reconcile(&key, self.registry.as_ref() as &dyn ClusterApi);
        self.finish((index, key, result));
        true
    }

    /// Starts the worker threads: jobs go in through the returned sender, results come back on
    /// `done`. The workers end when the sender is dropped. `None` if no thread could start (the
    /// manager then reconciles on its own thread).
    fn start_workers(
        &mut self,
        done: mpsc::UnboundedSender<Done>,
    ) -> Option<std::sync::mpsc::Sender<Job>> {
        let (jobs, rx) = std::sync::mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let mut started = 0;
        for n in 0..self.workers {
            let (rx, done) = (rx.clone(), done.clone());
            let (controllers, registry) = (self.controllers.clone(), self.registry.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("knit-controller-{n}"))
                .spawn(move || {
                    loop {
                        let job = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok((index, key)) = job else { return };
                        let result = controllers[index]
                            .reconcile(&key, registry.as_ref() as &dyn ClusterApi);
                        if done.send((index, key, result)).is_err() {
                            return;
                        }
                    }
                });
            match spawned {
                Ok(_) => started += 1,
                Err(e) => eprintln!("knit-emulator: cannot start controller worker {n}: {e}"),
            }
        }
        // Never more jobs in flight than threads to run them.
        self.workers = started.max(1);
        (started > 0).then_some(jobs)
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
                key: &key,
                object: stored.object(),
            });
        }
        let (done_tx, mut done) = mpsc::unbounded_channel::<Done>();
        let jobs = if self.workers > 1 {
            self.start_workers(done_tx)
        } else {
            None
        };
        loop {
            while let Ok(change) = feed.try_recv() {
                self.observe_change(&change);
            }
            while let Ok(finished) = done.try_recv() {
                self.finish(finished);
            }
            self.fire_due_timers();
            if *shutdown.borrow() {
                return;
            }
            match &jobs {
                None => {
                    if self.reconcile_one() {
                        tokio::task::yield_now().await;
                        continue;
                    }
                }
                Some(jobs) => {
                    while self.processing.len() < self.workers
                        && let Some(job) = self.take()
                    {
                        if jobs.send(job).is_err() {
                            return;
                        }
                    }
                }
            }
            let next_timer = self.timers.keys().next().map(|(at, _)| *at);
            tokio::select! {
                change = feed.recv() => match change {
                    Some(change) => self.observe_change(&change),
                    None => return,
                },
                Some(finished) = done.recv() => self.finish(finished),
                _ = async { match next_timer { Some(at) => tokio::time::sleep_until(at).await, None => std::future::pending().await } } => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}
