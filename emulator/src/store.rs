//! Versioned object storage: objects by (group/resource, namespace, name) at their storage
//! version, one global resourceVersion counter, a bounded per-resource change history for
//! watch resumption (and 410 Gone beyond it), and change fan-out to watchers and listeners.
//!
//! Objects are kept as `Arc<Stored>` holding their serialized JSON and the parsed object, so
//! lists and watches clone pointers under the lock and serialize nothing while holding it, and
//! reads by controllers and the write pipeline copy the object instead of parsing it again.
//!
//! Long because: one lock-guarded structure whose operations share its invariants (the counter,
//! the history, the watchers); split, one locking discipline would be spread over files.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::ops::Bound;
use std::sync::{Arc, LazyLock, Mutex, OnceLock, RwLock};

use bytes::Bytes;
use foldhash::{HashMap, HashMapExt};
use serde_json::{Map, Value};
use tokio::sync::{broadcast, mpsc};

use kuberules::selectors::Selection;

use crate::cluster::EventKind;
use crate::json::At;
use crate::resource::{GroupResource, ObjectKey};

/// One stored object version: its serialized JSON (what reads over HTTP send), the object
/// itself (what controllers and the write pipeline read; parsing the JSON on every read was a
/// fifth of the emulator's time), and its revision. The metadata the store, selectors and the
/// garbage collector read is read from the object: keeping copies of it cost every write
/// a dozen allocations.
#[derive(Debug)]
pub struct Stored {
    /// The object as JSON, `metadata.resourceVersion` included: written on first read, since
    /// most versions written by controllers are never read over HTTP.
    json: OnceLock<Bytes>,
    /// The same object, parsed; shared with readers that only look at it. Its `managedFields`
    /// are in their stored form (`fields_form`).
    object: Arc<Value>,
    /// The revision this version was written at.
    pub rv: u64,
}

impl Stored {
    fn new(mut value: Value, rv: u64) -> Arc<Stored> {
        crate::fields_form::compact(&mut value);
        if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("resourceVersion".into(), Value::String(rv.to_string()));
        }
        Arc::new(Stored {
            json: OnceLock::new(),
            object: Arc::new(value),
            rv,
        })
    }

    /// The object as JSON, `metadata.resourceVersion` included.
    pub fn json(&self) -> &Bytes {
        self.json
            .get_or_init(|| Bytes::from(crate::fields_form::to_vec(self.object.as_ref())))
    }

    /// A copy of the object (its `managedFields` in their stored form: `fields_form`).
    pub fn value(&self) -> Value {
        self.object.as_ref().clone()
    }

    /// The object, shared: no copy is made.
    pub fn shared(&self) -> Arc<Value> {
        self.object.clone()
    }

    /// The object, borrowed.
    pub fn object(&self) -> &Value {
        &self.object
    }

    fn metadata(&self, field: &str) -> Option<&Value> {
        self.object.get("metadata")?.get(field)
    }

    fn text(&self, field: &str) -> &str {
        self.metadata(field).and_then(Value::as_str).unwrap_or("")
    }

    pub fn api_version(&self) -> &str {
        (self.object.get("apiVersion"))
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.text("namespace")
    }

    pub fn name(&self) -> &str {
        self.text("name")
    }

    pub fn uid(&self) -> &str {
        self.text("uid")
    }

    /// `metadata.labels` (empty when there are none).
    pub fn labels(&self) -> &Map<String, Value> {
        static NONE: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);
        (self.metadata("labels"))
            .and_then(Value::as_object)
            .unwrap_or(&NONE)
    }

    /// Whether `metadata.deletionTimestamp` is set.
    pub fn deleting(&self) -> bool {
        self.metadata("deletionTimestamp")
            .is_some_and(|v| !v.is_null())
    }

    pub fn finalizers(&self) -> impl Iterator<Item = &str> {
        (self.metadata("finalizers").and_then(Value::as_array))
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
    }

    /// `uid`s of the owner references.
    pub fn owners(&self) -> impl Iterator<Item = &str> {
        (self.metadata("ownerReferences").and_then(Value::as_array))
            .into_iter()
            .flatten()
            .filter_map(|r| r.get("uid").and_then(Value::as_str))
    }
}

/// Selecting stored objects by the metadata the store keeps apart, without reading the object
/// for labels, name or namespace.
pub trait SelectStored {
    fn matches_stored(&self, object: &Stored) -> bool;
}

impl SelectStored for Selection {
    fn matches_stored(&self, object: &Stored) -> bool {
        let labels = object.labels();
        self.matches_indexed(labels, object.name(), object.namespace(), &object.object)
    }
}

/// One change, as watchers and listeners see it.
#[derive(Debug)]
pub struct Change {
    pub kind: EventKind,
    pub key: ObjectKey,
    /// The object after the change; for `Deleted`, its last state at the deletion revision.
    pub object: Arc<Stored>,
    /// The object before the change (absent for `Added`), so selector watches can tell when
    /// an object stops or starts matching.
    pub previous: Option<Arc<Stored>>,
}

impl Change {
    pub fn rv(&self) -> u64 {
        self.object.rv
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    NotFound,
    AlreadyExists,
    /// The stored revision differs from the expected one.
    Conflict {
        current: u64,
    },
}

/// Why a watch cannot start: its resourceVersion is older than the retained history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooOld {
    pub requested: u64,
    /// The oldest revision a watch can still start from.
    pub oldest: u64,
}

/// The initial state of a watch: history to replay and a live feed after it.
pub struct WatchStart {
    /// Changes after the requested revision, oldest first.
    pub backlog: Vec<Arc<Change>>,
    pub live: broadcast::Receiver<Arc<Change>>,
    /// The revision current when the watch was registered.
    pub current_rv: u64,
}

/// One resource's objects by namespace, then name: looked up by borrowed names (no key is
/// built per read) in a hash map, and kept in name order beside it for lists.
#[derive(Default)]
struct Objects {
    by_namespace: BTreeMap<String, Names>,
    len: usize,
}

/// The objects of one namespace: hashed by name (reads and updates, most of the store's work,
/// do not compare names along a B-tree), and their names in order (lists).
#[derive(Default)]
struct Names {
    objects: HashMap<String, Arc<Stored>>,
    order: BTreeSet<String>,
}

impl Objects {
    fn get(&self, namespace: &str, name: &str) -> Option<&Arc<Stored>> {
        self.by_namespace.get(namespace)?.objects.get(name)
    }

    fn insert(&mut self, namespace: &str, name: &str, stored: Arc<Stored>) -> Option<Arc<Stored>> {
        let names = match self.by_namespace.get_mut(namespace) {
            Some(names) => names,
            None => self.by_namespace.entry(namespace.to_string()).or_default(),
        };
        let previous = match names.objects.get_mut(name) {
            Some(slot) => Some(std::mem::replace(slot, stored)),
            None => {
                names.objects.insert(name.to_string(), stored);
                names.order.insert(name.to_string());
                None
            }
        };
        if previous.is_none() {
            self.len += 1;
        }
        previous
    }

    fn remove(&mut self, namespace: &str, name: &str) -> Option<Arc<Stored>> {
        let names = self.by_namespace.get_mut(namespace)?;
        let removed = names.objects.remove(name)?;
        names.order.remove(name);
        if names.objects.is_empty() {
            self.by_namespace.remove(namespace);
        }
        self.len -= 1;
        Some(removed)
    }

    /// Every object as (namespace, name, object), ordered by namespace then name.
    fn iter(&self) -> impl Iterator<Item = (&String, &String, &Arc<Stored>)> {
        self.by_namespace.iter().flat_map(|(ns, names)| {
            (names.order.iter()).filter_map(move |name| Some((ns, name, names.objects.get(name)?)))
        })
    }

    /// The objects in `namespace` (or all), in order, strictly after `after` when given.
    fn range<'a>(
        &'a self,
        namespace: Option<&'a str>,
        after: Option<&'a (String, String)>,
    ) -> impl Iterator<Item = &'a Arc<Stored>> + 'a {
        let first_namespace = match (after, namespace) {
            (Some((ns, _)), _) => Bound::Included(ns.as_str()),
            (None, Some(ns)) => Bound::Included(ns),
            (None, None) => Bound::Unbounded,
        };
        self.by_namespace
            .range::<str, _>((first_namespace, Bound::Unbounded))
            .take_while(move |(ns, _)| namespace.is_none_or(|want| ns.as_str() == want))
            .flat_map(move |(ns, names)| {
                let first_name = match after {
                    Some((after_ns, name)) if after_ns == ns => Bound::Excluded(name.as_str()),
                    _ => Bound::Unbounded,
                };
                (names.order.range::<str, _>((first_name, Bound::Unbounded)))
                    .filter_map(|name| names.objects.get(name))
            })
    }

    fn count(&self, namespace: Option<&str>) -> usize {
        match namespace {
            None => self.len,
            Some(ns) => self.by_namespace.get(ns).map_or(0, |n| n.objects.len()),
        }
    }
}

#[derive(Default)]
struct Table {
    objects: Objects,
    history: VecDeque<Arc<Change>>,
    /// Every change with rv > window_start is still in `history`.
    window_start: u64,
}

struct Inner {
    rv: u64,
    tables: HashMap<GroupResource, Table>,
    /// Owner uid → the objects naming it in `ownerReferences`, kept with every write so
    /// controllers find an owner's children without visiting its siblings.
    dependents: HashMap<String, BTreeSet<ObjectKey>>,
    /// uid → the object that has it (the garbage collector finds owners by uid).
    by_uid: HashMap<String, ObjectKey>,
}

impl Inner {
    /// Moves `key` in the owner index from the owners of `old` to those of `new`, and in the
    /// uid index from `old`'s uid to `new`'s.
    fn reindex(&mut self, key: &ObjectKey, old: Option<&Stored>, new: Option<&Stored>) {
        let old_uid = old.map(Stored::uid).unwrap_or_default();
        let new_uid = new.map(Stored::uid).unwrap_or_default();
        if old_uid != new_uid {
            if !old_uid.is_empty() && self.by_uid.get(old_uid) == Some(key) {
                self.by_uid.remove(old_uid);
            }
            if !new_uid.is_empty() {
                self.by_uid.insert(new_uid.to_string(), key.clone());
            }
        }
        fn owners(s: Option<&Stored>) -> impl Iterator<Item = &str> {
            s.into_iter().flat_map(Stored::owners)
        }
        // Under the store's lock: most writes keep their owners, and need no list of them.
        if owners(old).eq(owners(new)) {
            return;
        }
        let (old, new): (Vec<&str>, Vec<&str>) = (owners(old).collect(), owners(new).collect());
        for uid in old.iter().filter(|u| !new.contains(u)) {
            if let Some(set) = self.dependents.get_mut(*uid) {
                set.remove(key);
                if set.is_empty() {
                    self.dependents.remove(*uid);
                }
            }
        }
        for uid in new.iter().filter(|u| !old.contains(u)) {
            self.dependents
                .entry(uid.to_string())
                .or_default()
                .insert(key.clone());
        }
    }
}

/// A receiver of every change `wants`.
struct Listener {
    tx: mpsc::UnboundedSender<Arc<Change>>,
    wants: fn(&Change) -> bool,
}

pub struct Store {
    inner: RwLock<Inner>,
    history_capacity: usize,
    /// One live feed per resource: a change wakes only the watches of its own resource.
    feeds: Mutex<HashMap<GroupResource, broadcast::Sender<Arc<Change>>>>,
    listeners: Mutex<Vec<Listener>>,
    journal: Mutex<Option<Box<dyn Journal>>>,
}

/// Where every change is made durable before the write that made it returns (`--state`).
/// It is called under the store's write lock, so it sees changes in revision order.
pub trait Journal: Send {
    fn record(&mut self, change: &Change);
    /// How many changes were recorded since the last [`Journal::reset`].
    fn records(&self) -> usize;
    /// Empties the journal: a snapshot now holds everything it recorded.
    fn reset(&mut self) -> std::io::Result<()>;
}

/// How many changes a slow watcher may fall behind before it is told to re-list. Changes a
/// watcher has not read stay in memory, so this bounds what slow watchers can hold.
const FEED_CAPACITY: usize = 4096;

impl Store {
    /// `history_capacity`: changes kept per resource for watch resumption.
    pub fn new(history_capacity: usize) -> Store {
        Store {
            inner: RwLock::new(Inner {
                rv: 0,
                tables: HashMap::new(),
                dependents: HashMap::new(),
                by_uid: HashMap::new(),
            }),
            history_capacity: history_capacity.max(1),
            feeds: Mutex::new(HashMap::new()),
            listeners: Mutex::new(Vec::new()),
            journal: Mutex::new(None),
        }
    }

    /// Records every later change in `journal` before the write returns.
    pub fn set_journal(&self, journal: Box<dyn Journal>) {
        *self.journal.lock().unwrap_or_else(|e| e.into_inner()) = Some(journal);
    }

    /// Runs `f` with every object, the current revision and the journal while no change can
    /// be made, so a snapshot and the log it replaces agree (compaction).
    pub fn compact_with<T>(
        &self,
        f: impl FnOnce(u64, Vec<(ObjectKey, Arc<Stored>)>, &mut dyn Journal) -> T,
    ) -> Option<T> {
        let inner = self.write();
        let mut journal = self.journal.lock().unwrap_or_else(|e| e.into_inner());
        let journal = journal.as_mut()?;
        Some(f(inner.rv, Self::all(&inner), journal.as_mut()))
    }

    fn all(inner: &Inner) -> Vec<(ObjectKey, Arc<Stored>)> {
        let mut all = Vec::new();
        for (gr, table) in &inner.tables {
            for (ns, name, obj) in table.objects.iter() {
                all.push((ObjectKey::new(gr.clone(), ns, name), obj.clone()));
            }
        }
        all
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The latest revision written.
    pub fn current_rv(&self) -> u64 {
        self.read().rv
    }

    /// The oldest revision still covered by the change history of `gr`: watches and continue
    /// tokens from before it are expired.
    pub fn oldest_rv(&self, gr: &GroupResource) -> u64 {
        self.read()
            .tables
            .get(gr)
            .map(|t| t.window_start)
            .unwrap_or(0)
    }

    /// The live feed of `gr`'s changes.
    fn subscribe(&self, gr: &GroupResource) -> broadcast::Receiver<Arc<Change>> {
        self.feeds
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(gr.clone())
            .or_insert_with(|| broadcast::channel(FEED_CAPACITY).0)
            .subscribe()
    }

    /// Every later change is sent to the returned channel, in revision order.
    pub fn listen(&self) -> mpsc::UnboundedReceiver<Arc<Change>> {
        self.listen_where(|_| true)
    }

    /// [`Store::listen`] for the changes `wants` accepts: a listener is not woken for the
    /// others.
    pub fn listen_where(&self, wants: fn(&Change) -> bool) -> mpsc::UnboundedReceiver<Arc<Change>> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Listener { tx, wants });
        rx
    }

    pub fn get(&self, key: &ObjectKey) -> Option<Arc<Stored>> {
        let inner = self.read();
        inner
            .tables
            .get(&key.gr)?
            .objects
            .get(&key.namespace, &key.name)
            .cloned()
    }

    /// One object and the revision it was read at (one consistent read, as a list's).
    pub fn get_at_rv(&self, key: &ObjectKey) -> (Option<Arc<Stored>>, u64) {
        let inner = self.read();
        let object = inner
            .tables
            .get(&key.gr)
            .and_then(|t| t.objects.get(&key.namespace, &key.name))
            .cloned();
        (object, inner.rv)
    }

    /// Objects of a resource, ordered by namespace then name: all namespaces when `namespace`
    /// is `None`, starting strictly after `after` (a (namespace, name) pair) when given.
    /// Returns the objects and the revision they were read at.
    pub fn list(
        &self,
        gr: &GroupResource,
        namespace: Option<&str>,
        after: Option<&(String, String)>,
    ) -> (Vec<Arc<Stored>>, u64) {
        let inner = self.read();
        let Some(table) = inner.tables.get(gr) else {
            return (Vec::new(), inner.rv);
        };
        let items = table.objects.range(namespace, after).cloned().collect();
        (items, inner.rv)
    }

    /// The objects of `gr` whose `ownerReferences` name the owner with `owner_uid`, by key.
    pub fn dependents(&self, gr: &GroupResource, owner_uid: &str) -> Vec<Arc<Stored>> {
        let inner = self.read();
        let (Some(keys), Some(table)) = (inner.dependents.get(owner_uid), inner.tables.get(gr))
        else {
            return Vec::new();
        };
        keys.iter()
            .filter(|k| &k.gr == gr)
            .filter_map(|k| table.objects.get(&k.namespace, &k.name))
            .cloned()
            .collect()
    }

    /// The keys of every object (of any resource) naming `owner_uid` in its ownerReferences.
    pub fn dependent_keys(&self, owner_uid: &str) -> Vec<ObjectKey> {
        self.read()
            .dependents
            .get(owner_uid)
            .map(|keys| keys.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The key of the object whose uid is `uid`, if it exists.
    pub fn key_of_uid(&self, uid: &str) -> Option<ObjectKey> {
        self.read().by_uid.get(uid).cloned()
    }

    /// Number of objects of a resource (in a namespace, or all).
    pub fn count(&self, gr: &GroupResource, namespace: Option<&str>) -> usize {
        let inner = self.read();
        let Some(table) = inner.tables.get(gr) else {
            return 0;
        };
        table.objects.count(namespace)
    }

    /// Resources that have held objects.
    pub fn resources(&self) -> Vec<GroupResource> {
        self.read().tables.keys().cloned().collect()
    }

    /// Stores a new object at a new revision.
    pub fn create(&self, key: &ObjectKey, value: Value) -> Result<Arc<Stored>, StoreError> {
        let mut inner = self.write();
        let rv = inner.rv + 1;
        // A new table has lost no history: every change of this resource is in it.
        let table = inner.tables.entry(key.gr.clone()).or_default();
        if table.objects.get(&key.namespace, &key.name).is_some() {
            return Err(StoreError::AlreadyExists);
        }
        let stored = Stored::new(value, rv);
        table
            .objects
            .insert(&key.namespace, &key.name, stored.clone());
        inner.rv = rv;
        inner.reindex(key, None, Some(&stored));
        let evicted = self.publish(
            &mut inner,
            Change {
                kind: EventKind::Added,
                key: key.clone(),
                object: stored.clone(),
                previous: None,
            },
        );
        drop(inner);
        drop(evicted);
        Ok(stored)
    }

    /// Replaces an object whose stored revision is `expected_rv`.
    pub fn update(
        &self,
        key: &ObjectKey,
        expected_rv: u64,
        value: Value,
    ) -> Result<Arc<Stored>, StoreError> {
        let mut inner = self.write();
        let rv = inner.rv + 1;
        let table = inner.tables.get_mut(&key.gr).ok_or(StoreError::NotFound)?;
        let current = (table.objects)
            .get(&key.namespace, &key.name)
            .ok_or(StoreError::NotFound)?;
        if current.rv != expected_rv {
            return Err(StoreError::Conflict {
                current: current.rv,
            });
        }
        let stored = Stored::new(value, rv);
        let previous = (table.objects).insert(&key.namespace, &key.name, stored.clone());
        inner.rv = rv;
        inner.reindex(key, previous.as_deref(), Some(&stored));
        let evicted = self.publish(
            &mut inner,
            Change {
                kind: EventKind::Modified,
                key: key.clone(),
                object: stored.clone(),
                previous,
            },
        );
        drop(inner);
        drop(evicted);
        Ok(stored)
    }

    /// Removes an object (at `expected_rv` when given). Returns its last state, carrying the
    /// revision of the deletion.
    pub fn delete(
        &self,
        key: &ObjectKey,
        expected_rv: Option<u64>,
    ) -> Result<Arc<Stored>, StoreError> {
        let mut inner = self.write();
        let rv = inner.rv + 1;
        let table = inner.tables.get_mut(&key.gr).ok_or(StoreError::NotFound)?;
        let current = (table.objects)
            .get(&key.namespace, &key.name)
            .ok_or(StoreError::NotFound)?;
        if let Some(expected) = expected_rv
            && current.rv != expected
        {
            return Err(StoreError::Conflict {
                current: current.rv,
            });
        }
        let previous = table.objects.remove(&key.namespace, &key.name);
        inner.reindex(key, previous.as_deref(), None);
        let last = Stored::new(
            previous.as_ref().map(|p| p.value()).unwrap_or(Value::Null),
            rv,
        );
        inner.rv = rv;
        let evicted = self.publish(
            &mut inner,
            Change {
                kind: EventKind::Deleted,
                key: key.clone(),
                object: last.clone(),
                previous,
            },
        );
        drop(inner);
        drop(evicted);
        Ok(last)
    }

    /// Records and sends a change; returns the changes that fell out of the history, for the
    /// caller to drop after releasing the lock (freeing old objects need not block readers).
    #[must_use]
    fn publish(&self, inner: &mut Inner, change: Change) -> Vec<Arc<Change>> {
        if let Some(journal) = self
            .journal
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            journal.record(&change);
        }
        let change = Arc::new(change);
        let mut evicted = Vec::new();
        if let Some(table) = inner.tables.get_mut(&change.key.gr) {
            table.history.push_back(change.clone());
            while table.history.len() > self.history_capacity {
                if let Some(old) = table.history.pop_front() {
                    table.window_start = old.rv();
                    evicted.push(old);
                }
            }
        }
        // No receiver is not an error: nobody is watching.
        if let Some(feed) = self
            .feeds
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&change.key.gr)
        {
            let _ = feed.send(change.clone());
        }
        let mut listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        listeners.retain(|l| !(l.wants)(&change) || l.tx.send(change.clone()).is_ok());
        evicted
    }

    /// Registers a watch of `gr` from revision `from` (changes after it are replayed) or, with
    /// `None`, from now. Fails when `from` is older than the retained history.
    pub fn watch(&self, gr: &GroupResource, from: Option<u64>) -> Result<WatchStart, TooOld> {
        let inner = self.read();
        let live = self.subscribe(gr);
        let backlog = match (from, inner.tables.get(gr)) {
            (None, _) => Vec::new(),
            (Some(from), Some(table)) => {
                if from < table.window_start {
                    return Err(TooOld {
                        requested: from,
                        oldest: table.window_start + 1,
                    });
                }
                let skip = table.history.partition_point(|c| c.rv() <= from);
                table.history.iter().skip(skip).cloned().collect()
            }
            (Some(_), None) => Vec::new(),
        };
        Ok(WatchStart {
            backlog,
            live,
            current_rv: inner.rv,
        })
    }

    /// Lists the objects of `gr` (in `namespace`, or all) and registers a watch for every
    /// change after that list, atomically.
    pub fn list_and_watch(
        &self,
        gr: &GroupResource,
        namespace: Option<&str>,
    ) -> (Vec<Arc<Stored>>, WatchStart) {
        let inner = self.read();
        let live = self.subscribe(gr);
        let items = match inner.tables.get(gr) {
            None => Vec::new(),
            Some(table) => table.objects.range(namespace, None).cloned().collect(),
        };
        (
            items,
            WatchStart {
                backlog: Vec::new(),
                live,
                current_rv: inner.rv,
            },
        )
    }

    /// Every object with its key, and the current revision (for saving state).
    pub fn snapshot(&self) -> (u64, Vec<(ObjectKey, Arc<Stored>)>) {
        let inner = self.read();
        (inner.rv, Self::all(&inner))
    }

    /// Loads objects saved by [`Store::snapshot`] into an empty store, without events. Each
    /// object keeps the revision in its `metadata.resourceVersion` (capped by `rv`).
    pub fn restore(&self, rv: u64, objects: Vec<(ObjectKey, Value)>) {
        let mut inner = self.write();
        let mut max_rv = rv;
        for (key, value) in objects {
            let obj_rv = value
                .at("/metadata/resourceVersion")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(rv);
            max_rv = max_rv.max(obj_rv);
            let stored = Stored::new(value, obj_rv);
            inner.reindex(&key, None, Some(&stored));
            let table = inner.tables.entry(key.gr.clone()).or_default();
            table.objects.insert(&key.namespace, &key.name, stored);
        }
        inner.rv = max_rv;
        for table in inner.tables.values_mut() {
            table.window_start = max_rv;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(ns: &str, name: &str) -> ObjectKey {
        ObjectKey::new(GroupResource::of("", "configmaps"), ns, name)
    }

    fn obj(name: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}})
    }

    #[test]
    fn the_owner_index_follows_every_write() {
        let store = Store::new(10);
        let owned_by = |uid: &str| {
            json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "c", "ownerReferences": [{"uid": uid}]}})
        };
        let k = key("a", "c");
        let names = |uid: &str| -> Vec<String> {
            store
                .dependents(&k.gr, uid)
                .iter()
                .map(|s| s.name().to_string())
                .collect()
        };
        let created = store.create(&k, owned_by("u1")).unwrap();
        store.create(&key("a", "free"), obj("free")).unwrap();
        assert_eq!(names("u1"), ["c"]);
        store.update(&k, created.rv, owned_by("u2")).unwrap();
        assert!(names("u1").is_empty());
        assert_eq!(names("u2"), ["c"]);
        let secrets = GroupResource::of("", "secrets");
        assert!(store.dependents(&secrets, "u2").is_empty());
        store.delete(&k, None).unwrap();
        assert!(names("u2").is_empty());
        store.restore(9, vec![(k.clone(), owned_by("u3"))]);
        assert_eq!(names("u3"), ["c"]);
        assert_eq!(store.dependent_keys("u3"), std::slice::from_ref(&k));
    }

    #[test]
    fn the_uid_index_follows_creates_deletes_and_restores() {
        let with_uid = |name: &str, uid: &str| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "uid": uid}});
        let store = Store::new(10);
        let (a, b) = (key("ns", "a"), key("ns", "b"));
        store.create(&a, with_uid("a", "ua")).unwrap();
        store.create(&b, obj("b")).unwrap();
        assert_eq!(store.key_of_uid("ua"), Some(a.clone()));
        assert_eq!(store.key_of_uid(""), None);
        store.delete(&a, None).unwrap();
        assert_eq!(store.key_of_uid("ua"), None);
        // Re-created under the same name: a new uid, and the old one is gone for good.
        store.create(&a, with_uid("a", "ua2")).unwrap();
        assert_eq!(store.key_of_uid("ua2"), Some(a.clone()));
        assert_eq!(store.key_of_uid("ua"), None);
        let restored = Store::new(10);
        restored.restore(3, vec![(b.clone(), with_uid("b", "ub"))]);
        assert_eq!(restored.key_of_uid("ub"), Some(b));
    }

    #[test]
    fn revisions_are_global_and_written_into_objects() {
        let store = Store::new(10);
        let a = store.create(&key("a", "x"), obj("x")).unwrap();
        let b = store
            .create(
                &ObjectKey::new(GroupResource::of("", "secrets"), "a", "y"),
                obj("y"),
            )
            .unwrap();
        assert_eq!((a.rv, b.rv), (1, 2));
        assert_eq!(a.value()["metadata"]["resourceVersion"], "1");
        assert_eq!(
            std::str::from_utf8(b.json()).unwrap(),
            r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"y","resourceVersion":"2"}}"#
        );
        assert_eq!(
            store.create(&key("a", "x"), obj("x")).unwrap_err(),
            StoreError::AlreadyExists
        );
        assert_eq!(store.current_rv(), 2);
    }

    #[test]
    fn update_checks_expected_revision() {
        let store = Store::new(10);
        store.create(&key("a", "x"), obj("x")).unwrap();
        assert_eq!(
            store.update(&key("a", "x"), 7, obj("x")).unwrap_err(),
            StoreError::Conflict { current: 1 }
        );
        assert_eq!(store.update(&key("a", "x"), 1, obj("x")).unwrap().rv, 2);
        assert_eq!(
            store.update(&key("a", "nope"), 1, obj("x")).unwrap_err(),
            StoreError::NotFound
        );
    }

    #[test]
    fn list_orders_by_namespace_then_name_and_pages() {
        let store = Store::new(10);
        for (ns, name) in [("b", "z"), ("a", "y"), ("b", "a"), ("c", "c")] {
            store.create(&key(ns, name), obj(name)).unwrap();
        }
        let names = |items: Vec<Arc<Stored>>| -> Vec<String> {
            items.iter().map(|o| o.name().to_string()).collect()
        };
        let gr = GroupResource::of("", "configmaps");
        assert_eq!(names(store.list(&gr, None, None).0), ["y", "a", "z", "c"]);
        assert_eq!(names(store.list(&gr, Some("b"), None).0), ["a", "z"]);
        assert_eq!(
            names(
                store
                    .list(&gr, Some("b"), Some(&("b".into(), "a".into())))
                    .0
            ),
            ["z"]
        );
        assert_eq!(
            names(store.list(&gr, None, Some(&("b".into(), "z".into()))).0),
            ["c"]
        );
        assert_eq!(store.count(&gr, Some("b")), 2);
        // Pages run on across namespaces, and from a key that is no longer there.
        assert_eq!(
            names(store.list(&gr, None, Some(&("a".into(), "y".into()))).0),
            ["a", "z", "c"]
        );
        assert_eq!(
            names(store.list(&gr, None, Some(&("b".into(), "m".into()))).0),
            ["z", "c"]
        );
        assert_eq!(store.count(&gr, None), 4);
        store.delete(&key("c", "c"), None).unwrap();
        assert_eq!(store.count(&gr, None), 3);
        assert_eq!(store.count(&gr, Some("c")), 0);
        assert_eq!(
            names(store.list(&gr, Some("c"), None).0),
            Vec::<String>::new()
        );
        store.create(&key("c", "c"), obj("c")).unwrap();
        assert_eq!(names(store.list(&gr, None, None).0), ["y", "a", "z", "c"]);
    }

    #[test]
    fn delete_reports_last_state_at_deletion_revision() {
        let store = Store::new(10);
        store.create(&key("a", "x"), obj("x")).unwrap();
        let gone = store.delete(&key("a", "x"), None).unwrap();
        assert_eq!(gone.rv, 2);
        assert_eq!(gone.value()["metadata"]["resourceVersion"], "2");
        assert!(store.get(&key("a", "x")).is_none());
    }

    #[test]
    fn watch_replays_history_and_rejects_too_old_revisions() {
        let store = Store::new(2);
        let gr = GroupResource::of("", "configmaps");
        for name in ["a", "b", "c"] {
            store.create(&key("ns", name), obj(name)).unwrap();
        }
        // Capacity 2: changes 2 and 3 kept, so watching from 1 works and from 0 does not.
        let start = store.watch(&gr, Some(1)).unwrap();
        assert_eq!(
            start.backlog.iter().map(|c| c.rv()).collect::<Vec<_>>(),
            [2, 3]
        );
        assert_eq!(
            store.watch(&gr, Some(0)).err(),
            Some(TooOld {
                requested: 0,
                oldest: 2
            })
        );
        let mut live = store.watch(&gr, None).unwrap().live;
        store.create(&key("ns", "d"), obj("d")).unwrap();
        assert_eq!(live.try_recv().unwrap().rv(), 4);
    }
}
