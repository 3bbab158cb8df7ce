//! The `managedFields` entries themselves: reading and writing them, and recording who owns
//! what after a create, an update or a taking of ownership.

use super::*;

use super::field_set::{may_have_member, only_dot_keys, text_has_member};
use crate::json::At;

/// One parsed `managedFields` entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub manager: String,
    pub operation: String,
    pub api_version: String,
    pub time: Option<String>,
    pub subresource: Option<String>,
    pub fields: FieldSet,
    /// The entry as stored, written back as it is while nothing in it changes (re-rendering
    /// every entry of every write was a tenth of the emulator's time). Only entries the
    /// emulator rendered itself keep it: [`stored_entries`]. Private, so every change of the
    /// entry goes through a method that drops it.
    raw: Option<Value>,
    /// `fields` is not parsed yet: the entry's fields are only in `raw`'s `fieldsV1`, and are
    /// parsed when a write changes them (most writes touch one manager's fields). Only
    /// [`record_update`]'s own lists hold such entries.
    lazy: bool,
}

impl Entry {
    /// A new entry, rendered from its fields.
    pub fn new(
        manager: &str,
        operation: &str,
        api_version: &str,
        time: Option<String>,
        subresource: Option<String>,
        fields: FieldSet,
    ) -> Entry {
        Entry {
            manager: manager.to_string(),
            operation: operation.to_string(),
            api_version: api_version.to_string(),
            time,
            subresource,
            fields,
            raw: None,
            lazy: false,
        }
    }

    /// Parses the fields of a lazy entry.
    fn parse(&mut self) {
        if self.lazy {
            self.fields = (self.raw.as_ref())
                .and_then(|raw| raw.get("fieldsV1"))
                .map(FieldSet::from_fields_v1)
                .unwrap_or_default();
            self.lazy = false;
        }
    }

    /// Owns no field.
    pub fn is_empty(&self) -> bool {
        if !self.lazy {
            return self.fields.is_empty();
        }
        // Every key but "." leads to at least one member (see FieldSet::from_fields_v1).
        match (self.raw.as_ref()).and_then(|raw| raw.get("fieldsV1")) {
            Some(Value::Object(fields)) => fields.keys().all(|k| k == "."),
            Some(Value::String(text)) => only_dot_keys(text),
            _ => true,
        }
    }

    /// Gives up the fields of `other` it owns.
    pub fn give_up(&mut self, other: &FieldSet) {
        if other.is_empty() {
            return;
        }
        if self.lazy {
            let fields_v1 = self.raw.as_ref().and_then(|raw| raw.get("fieldsV1"));
            let owns_some = match fields_v1 {
                // Stored text is read only where it may hold one of the paths.
                Some(Value::String(text)) => other
                    .paths
                    .iter()
                    .any(|p| may_have_member(text, p) && text_has_member(text, p)),
                other_form => other.paths.iter().any(|p| has_member(other_form, p)),
            };
            if !owns_some {
                return;
            }
            self.parse();
        }
        let before = self.fields.paths.len();
        if other.paths.len() < before {
            for path in &other.paths {
                self.fields.paths.remove(path);
            }
        } else {
            self.fields.paths.retain(|p| !other.paths.contains(p));
        }
        if self.fields.paths.len() != before {
            self.raw = None;
        }
    }

    /// Whether a lazy entry owns every path of `set` (read off its stored text).
    fn owns_all(&self, set: &FieldSet) -> bool {
        let text = match (self.lazy, self.raw.as_ref().and_then(|r| r.get("fieldsV1"))) {
            (true, Some(Value::String(text))) => text,
            _ => return false,
        };
        set.paths.iter().all(|p| text_has_member(text, p))
    }

    fn from_json(value: &Value) -> Option<Entry> {
        value.as_object()?;
        let mut entry = Entry::header(value);
        entry.fields = value
            .get("fieldsV1")
            .map(FieldSet::from_fields_v1)
            .unwrap_or_default();
        Some(entry)
    }

    /// The entry `value` but its fields, which are left empty.
    fn header(value: &Value) -> Entry {
        Entry {
            raw: None,
            lazy: false,
            // Go omits an empty manager (a request without a User-Agent or fieldManager).
            manager: value
                .get("manager")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            operation: value
                .get("operation")
                .and_then(Value::as_str)
                .unwrap_or("Update")
                .to_string(),
            api_version: value
                .get("apiVersion")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            time: value
                .get("time")
                .and_then(Value::as_str)
                .map(str::to_string),
            subresource: value
                .get("subresource")
                .and_then(Value::as_str)
                .map(str::to_string),
            fields: FieldSet::default(),
        }
    }

    fn into_json(self) -> Value {
        if let Some(raw) = self.raw {
            return raw;
        }
        let mut entry = json!({
            "operation": self.operation,
            "apiVersion": self.api_version,
        });
        if !self.manager.is_empty() {
            entry["manager"] = json!(self.manager);
        }
        if let Some(time) = &self.time {
            entry["time"] = json!(time);
        }
        entry["fieldsType"] = json!("FieldsV1");
        entry["fieldsV1"] = Value::String(self.fields.to_fields_v1_text());
        if let Some(sub) = &self.subresource {
            entry["subresource"] = json!(sub);
        }
        entry
    }

    /// How conflict messages name this manager.
    pub fn describe(&self) -> String {
        let mut text = format!("{:?}", self.manager);
        if let Some(sub) = &self.subresource {
            text = format!("{text} with subresource {sub:?}");
        }
        // Upstream names a manager by its identifier, which never includes the time.
        if self.operation == "Update" {
            text = format!("{text} using {}", self.api_version);
        }
        text
    }

    fn same_owner(&self, manager: &str, operation: &str, subresource: Option<&str>) -> bool {
        self.manager == manager
            && self.operation == operation
            && self.subresource.as_deref() == subresource
    }
}

pub fn entries(object: &Value) -> Vec<Entry> {
    object
        .at("/metadata/managedFields")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Entry::from_json).collect())
        .unwrap_or_default()
}

/// [`entries`] of an object the emulator stored: each keeps its JSON, written back unchanged
/// unless the entry changes.
pub fn stored_entries(object: &Value) -> Vec<Entry> {
    object
        .at("/metadata/managedFields")
        .and_then(Value::as_array)
        .map(|a| entries_keeping_json(a.clone()))
        .unwrap_or_default()
}

/// Whether the `fieldsV1` object `fields_v1` has `path` as a member, as
/// [`FieldSet::from_fields_v1`] would find it, without parsing it.
fn has_member(fields_v1: Option<&Value>, path: &Path) -> bool {
    if path.is_empty() {
        // The root is never a member.
        return false;
    }
    let mut node = fields_v1;
    for elem in path {
        node = node.and_then(Value::as_object).and_then(|m| m.get(elem));
    }
    match node {
        None => false,
        Some(Value::Object(m)) => m.is_empty() || m.contains_key("."),
        Some(_) => true,
    }
}

/// Entries that keep (own) their JSON, their fields left unparsed until changed: for
/// [`record_update`] only, whose every use of the fields parses them when needed.
fn lazy_entries(list: Vec<Value>) -> Vec<Entry> {
    list.into_iter()
        .filter(Value::is_object)
        .map(|v| {
            let mut entry = Entry::header(&v);
            entry.raw = Some(v);
            entry.lazy = true;
            entry
        })
        .collect()
}

/// Parsed entries that keep (own) their JSON.
fn entries_keeping_json(list: Vec<Value>) -> Vec<Entry> {
    list.into_iter()
        .filter_map(|v| {
            let mut entry = Entry::from_json(&v)?;
            entry.raw = Some(v);
            Some(entry)
        })
        .collect()
}

pub fn set_entries(object: &mut Value, mut entries: Vec<Entry>) {
    // Upstream's order (sortEncodedManagedFields): Apply before Update, then by time, manager,
    // apiVersion and subresource.
    entries.sort_by(|a, b| {
        (
            &a.operation,
            seconds(&a.time),
            &a.manager,
            &a.api_version,
            &a.subresource,
        )
            .cmp(&(
                &b.operation,
                seconds(&b.time),
                &b.manager,
                &b.api_version,
                &b.subresource,
            ))
    });
    let list: Vec<Value> = entries
        .into_iter()
        .filter(|e| !e.is_empty())
        .map(Entry::into_json)
        .collect();
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        if list.is_empty() {
            meta.remove("managedFields");
        } else {
            meta.insert("managedFields".into(), Value::Array(list));
        }
    }
}

/// An RFC 3339 timestamp cut to whole seconds (they sort as text); none sorts first.
pub(super) fn seconds(time: &Option<String>) -> &str {
    time.as_deref().map_or("", |t| t.get(..19).unwrap_or(t))
}

/// Gives `manager` ownership of `owned` in its entry for (operation, subresource), taking
/// those fields from every other entry.
pub fn take_ownership(
    mut list: Vec<Entry>,
    owned: &FieldSet,
    manager: &str,
    operation: &str,
    api_version: &str,
    subresource: Option<&str>,
    replace: bool,
) -> Vec<Entry> {
    for entry in list.iter_mut() {
        if !entry.same_owner(manager, operation, subresource) {
            entry.give_up(owned);
        }
    }
    let now = crate::registry::now_timestamp();
    match list
        .iter_mut()
        .find(|e| e.same_owner(manager, operation, subresource))
    {
        Some(entry) if !replace && entry.owns_all(owned) => {
            // Nothing to add: only the entry's stamp changes, its stored text is kept.
            entry.api_version = api_version.to_string();
            entry.time = Some(now);
            if let Some(Value::Object(raw)) = entry.raw.as_mut() {
                raw.insert("apiVersion".into(), json!(entry.api_version));
                raw.insert("time".into(), json!(entry.time));
            }
        }
        Some(entry) => {
            entry.parse();
            if replace {
                entry.fields = owned.clone();
            } else {
                entry.fields.paths.extend(owned.paths.iter().cloned());
            }
            entry.api_version = api_version.to_string();
            entry.time = Some(now);
            entry.raw = None;
        }
        None => list.push(Entry::new(
            manager,
            operation,
            api_version,
            Some(now),
            subresource.map(str::to_string),
            owned.clone(),
        )),
    }
    list.retain(|e| !e.is_empty());
    list
}

/// Records a create by `manager`: it owns the fields it sent (`owned`, the `fieldsV1` text
/// of [`created_fields_text`], taken before mutating admission), or with `applied` the fields
/// of its server-side apply configuration, as an `Apply` entry.
pub fn record_create(
    ti: &TypeInfo,
    object: &mut Value,
    manager: &str,
    applied: Option<FieldSet>,
    owned: String,
) {
    let now = crate::registry::now_timestamp();
    let list = match applied {
        Some(set) => vec![Entry::new(
            manager,
            "Apply",
            &ti.rt.api_version(),
            Some(now),
            None,
            set,
        )],
        None => {
            // The entry `Entry::into_json` renders, its fields rendered already.
            let mut entry = json!({
                "operation": "Update",
                "apiVersion": ti.rt.api_version(),
                "time": now,
                "fieldsType": "FieldsV1",
                "fieldsV1": owned,
            });
            if !manager.is_empty() {
                entry["manager"] = json!(manager);
            }
            lazy_entries(vec![entry])
        }
    };
    // set_entries leaves out an entry that owns nothing.
    set_entries(object, list);
}

/// Records an update by `manager` from `old` to `new`: it takes ownership of what it changed;
/// removed fields are released by everyone. When the request itself rewrote
/// `metadata.managedFields` (as kubectl does when it moves client-side-apply ownership to
/// server-side apply), the written entries are the starting point, as upstream honours them.
pub fn record_update(ti: &TypeInfo, old: &Value, new: &mut Value, manager: &str, status: bool) {
    let requested = new.at("/metadata/managedFields").filter(|m| m.is_array());
    let explicit = requested.is_some() && requested != old.at("/metadata/managedFields");
    let (changed, removed) = changed_leaves(ti, old, new, status);
    if changed.is_empty()
        && removed.is_empty()
        && new.at("/metadata/managedFields") == old.at("/metadata/managedFields")
    {
        // Nothing to own or give up, and the entries are the stored ones.
        return;
    }
    let mut list = if explicit {
        entries(new)
    } else {
        // The request carries the stored entries, or none: moved out of it, not copied from
        // the stored object (set_entries writes the result back).
        match new
            .pointer_mut("/metadata/managedFields")
            .filter(|m| m.is_array())
            .map(Value::take)
        {
            Some(Value::Array(sent)) => lazy_entries(sent),
            _ => old
                .at("/metadata/managedFields")
                .and_then(Value::as_array)
                .map(|a| lazy_entries(a.clone()))
                .unwrap_or_default(),
        }
    };
    for entry in list.iter_mut() {
        entry.give_up(&removed);
    }
    if !changed.is_empty() {
        let subresource = status.then_some("status");
        list = take_ownership(
            list,
            &changed,
            manager,
            "Update",
            &ti.rt.api_version(),
            subresource,
            false,
        );
    }
    list.retain(|e| !e.is_empty());
    set_entries(new, list);
}

#[cfg(test)]
#[path = "entries_tests.rs"]
mod tests;
