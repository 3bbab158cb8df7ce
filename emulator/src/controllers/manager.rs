//! Runs the Knative controllers: every storage change goes to each controller's `keys_for`;
//! keys are de-duplicated and reconciled in arrival order, by one worker or by several side by
//! side (a key is never reconciled twice at once: one that changes meanwhile waits, as in
//! client-go's work queue); `Requeue::After` and failed reconciles come back through timers.
//! Workers take their next key from the shared queue themselves, so a finished reconcile does
//! not wait for the manager's thread to hand out the next one.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use foldhash::{HashMap, HashSet};
use tokio::sync::{Notify, mpsc, watch};
use tokio::time::Instant;

use super::{Controller, Requeue};
use crate::cluster::{ClusterApi, EventKind, ObjectEvent};
use crate::registry::Registry;
use crate::resource::ObjectKey;
use crate::status::ApiError;
use crate::store::Change;

/// How long a failed reconcile waits before its first retry; doubled on every further failure.
const RETRY_AFTER: Duration = Duration::from_millis(50);
/// How long the manager lets changes gather while every worker has work.
const GATHER: Duration = Duration::from_millis(1);
/// The longest wait between retries of a failing key.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// One controller's key.
type Job = (usize, ObjectKey);

/// The work queue, shared by the manager (which adds keys) and the workers (which take them).
#[derive(Default)]
struct Queue {
    queue: VecDeque<Job>,
    /// Keys waiting to be reconciled (in `queue`, or changed while being reconciled).
    queued: HashSet<Job>,
    /// Keys a worker is reconciling now.
    processing: HashSet<Job>,
    timers: BTreeMap<(Instant, u64), Job>,
    seq: u64,
    /// Consecutive failures per key, for exponential backoff.
    failures: HashMap<Job, u32>,
    /// Workers waiting for a key (so a wake-up is only sent when someone waits).
    idle: usize,
    /// The manager has stopped: workers return.
    stopped: bool,
}

impl Queue {
    /// Whether the key is new to the queue (not waiting, not being reconciled).
    fn enqueue(&mut self, job: Job) -> bool {
        if self.queued.insert(job.clone()) && !self.processing.contains(&job) {
            self.queue.push_back(job);
            return true;
        }
        false
    }

    /// Whether the key went into the queue now (rather than onto a timer).
    fn schedule(&mut self, job: Job, after: Duration) -> bool {
        if after.is_zero() {
            return self.enqueue(job);
        }
        self.seq += 1;
        self.timers.insert((Instant::now() + after, self.seq), job);
        false
    }

    /// Moves due timers into the queue; how many keys that added.
    fn fire_due_timers(&mut self) -> usize {
        let now = Instant::now();
        let mut added = 0;
        while let Some(entry) = self.timers.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let job = entry.remove();
            added += usize::from(self.enqueue(job));
        }
        added
    }

    /// Every worker is reconciling and more keys are waiting.
    fn busy(&self) -> bool {
        self.idle == 0 && !self.queue.is_empty()
    }

    fn next_timer(&self) -> Option<Instant> {
        self.timers.keys().next().map(|(at, _)| *at)
    }

    /// The next key to reconcile, marked as being reconciled.
    fn take(&mut self) -> Option<Job> {
        let job = self.queue.pop_front()?;
        self.queued.remove(&job);
        self.processing.insert(job.clone());
        Some(job)
    }

    /// Records a finished reconcile: a key changed meanwhile goes back in the queue, a
    /// requeue or a failure onto a timer.
    fn finish(&mut self, job: Job, result: Result<Requeue, ApiError>) {
        self.processing.remove(&job);
        // Changed while it was being reconciled: its turn comes again.
        if self.queued.contains(&job) {
            self.queue.push_back(job.clone());
        }
        match result {
            Ok(requeue) => {
                self.failures.remove(&job);
                if let Requeue::After(after) = requeue {
                    self.schedule(job, after);
                }
            }
            Err(_) => {
                let failures = self.failures.entry(job.clone()).or_insert(0);
                let wait = RETRY_AFTER
                    .saturating_mul(1 << (*failures).min(10))
                    .min(MAX_RETRY_AFTER);
                *failures += 1;
                self.schedule(job, wait);
            }
        }
    }
}

/// The queue with what its users wait on: workers for keys, the manager for a new earliest
/// timer.
#[derive(Default)]
struct Shared {
    queue: Mutex<Queue>,
    work: Condvar,
    timers_changed: Notify,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wakes up to `n` idle workers.
    fn wake(&self, queue: &Queue, n: usize) {
        let n = n.min(queue.idle);
        if n == queue.idle {
            if n > 0 {
                self.work.notify_all();
            }
        } else {
            for _ in 0..n {
                self.work.notify_one();
            }
        }
    }

    /// Records a finished reconcile; tells the manager when it set a timer earlier than the
    /// one it sleeps until.
    fn finish(&self, queue: &mut Queue, job: Job, result: Result<Requeue, ApiError>) {
        let earliest = queue.next_timer();
        queue.finish(job, result);
        if queue.next_timer() != earliest {
            self.timers_changed.notify_one();
        }
    }
}

/// Stops the workers however the manager's loop ends.
struct StopWorkers(Arc<Shared>);

impl Drop for StopWorkers {
    fn drop(&mut self) {
        self.0.lock().stopped = true;
        self.0.work.notify_all();
    }
}

pub struct Manager {
    controllers: Arc<Vec<Box<dyn Controller>>>,
    registry: Arc<Registry>,
    workers: usize,
    shared: Arc<Shared>,
}

impl Manager {
    pub fn new(controllers: Vec<Box<dyn Controller>>, registry: Arc<Registry>) -> Manager {
        Manager {
            controllers: Arc::new(controllers),
            registry,
            workers: 1,
            shared: Arc::default(),
        }
    }

    /// Reconciles on `workers` threads at once (1: in order, on the manager's own thread).
    pub fn with_workers(mut self, workers: usize) -> Manager {
        self.workers = workers.max(1);
        self
    }

    /// The keys each controller wants reconciled after `event`, with the controller's index.
    /// Computed without the queue's lock, which the workers need to take keys.
    fn keys_for(&self, event: &ObjectEvent, into: &mut Vec<(usize, ObjectKey)>) {
        for (index, controller) in self.controllers.iter().enumerate() {
            let keys = controller.keys_for(event, self.registry.as_ref() as &dyn ClusterApi);
            into.extend(keys.into_iter().map(|key| (index, key)));
        }
    }

    fn keys_for_change(&self, change: &Change, into: &mut Vec<(usize, ObjectKey)>) {
        let event = ObjectEvent::new(change.kind, &change.key, change.object.object());
        self.keys_for(&event, into)
    }

    /// Reconciles one key on this thread; false when the queue is empty.
    fn reconcile_one(&self) -> bool {
        let Some((index, key)) = self.shared.lock().take() else {
            return false;
        };
        let result =
            self.controllers[index].reconcile(&key, self.registry.as_ref() as &dyn ClusterApi);
        let mut queue = self.shared.lock();
        self.shared.finish(&mut queue, (index, key), result);
        true
    }

    /// Starts the worker threads; how many started (none: the manager then reconciles on its
    /// own thread).
    fn start_workers(&self) -> usize {
        let mut started = 0;
        for n in 0..self.workers {
            let shared = self.shared.clone();
            let (controllers, registry) = (self.controllers.clone(), self.registry.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("knit-controller-{n}"))
                .spawn(move || work(&shared, &controllers, &registry));
            match spawned {
                Ok(_) => started += 1,
                Err(e) => eprintln!("knit-emulator: cannot start controller worker {n}: {e}"),
            }
        }
        started
    }

    /// Reconciles what already exists, then follows `feed` until `shutdown`.
    pub async fn run(
        self,
        mut feed: mpsc::UnboundedReceiver<Arc<Change>>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        if self.controllers.is_empty() {
            return;
        }
        let (_, objects) = self.registry.store.snapshot();
        let mut keys = Vec::new();
        for (key, stored) in objects {
            let event = ObjectEvent::new(EventKind::Added, &key, stored.object());
            self.keys_for(&event, &mut keys);
        }
        {
            let mut queue = self.shared.lock();
            for key in keys.drain(..) {
                queue.enqueue(key);
            }
        }
        let _stop = StopWorkers(self.shared.clone());
        let workers = if self.workers > 1 {
            self.start_workers()
        } else {
            0
        };
        let mut changes = Vec::new();
        loop {
            while let Ok(change) = feed.try_recv() {
                changes.push(change);
            }
            for change in changes.drain(..) {
                self.keys_for_change(&change, &mut keys);
            }
            let next_timer = {
                let mut queue = self.shared.lock();
                let mut added = queue.fire_due_timers();
                for key in keys.drain(..) {
                    added += usize::from(queue.enqueue(key));
                }
                if workers > 0 {
                    self.shared.wake(&queue, added);
                }
                queue.next_timer()
            };
            if *shutdown.borrow() {
                return;
            }
            if workers == 0 && self.reconcile_one() {
                tokio::task::yield_now().await;
                continue;
            }
            tokio::select! {
                change = feed.recv() => match change {
                    Some(change) => {
                        changes.push(change);
                        if workers > 0 && self.shared.lock().busy() {
                            // Every worker has keys waiting: let changes gather rather than
                            // wake this thread for each one (a wake-up costs more than a key).
                            tokio::time::sleep(GATHER).await;
                        }
                    }
                    None => return,
                },
                _ = self.shared.timers_changed.notified() => {}
                _ = async { match next_timer { Some(at) => tokio::time::sleep_until(at).await, None => std::future::pending().await } } => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}

/// A worker: takes the next key, reconciles it, records the result and takes the next one
/// under the same lock, until the manager stops.
fn work(shared: &Shared, controllers: &[Box<dyn Controller>], registry: &Registry) {
    let mut queue = shared.lock();
    loop {
        if queue.stopped {
            return;
        }
        let Some((index, key)) = queue.take() else {
            queue.idle += 1;
            queue = shared.work.wait(queue).unwrap_or_else(|e| e.into_inner());
            queue.idle -= 1;
            continue;
        };
        drop(queue);
        let result = controllers[index].reconcile(&key, registry as &dyn ClusterApi);
        queue = shared.lock();
        shared.finish(&mut queue, (index, key), result);
        // This worker takes the next key; any beyond it go to one that waits.
        if queue.queue.len() > 1 {
            shared.wake(&queue, queue.queue.len() - 1);
        }
    }
}
