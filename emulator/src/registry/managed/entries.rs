//! The `managedFields` entries themselves: reading and writing them, and recording who owns
//! what after a create, an update or a taking of ownership.

use super::*;
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
        }
    }

    /// Gives up the fields of `other` it owns.
    pub fn give_up(&mut self, other: &FieldSet) {
        if other.is_empty() {
            return;
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

    fn from_json(value: &Value) -> Option<Entry> {
        value.as_object()?;
        Some(Entry {
            raw: None,
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
            fields: value
                .get("fieldsV1")
                .map(FieldSet::from_fields_v1)
                .unwrap_or_default(),
        })
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
        entry["fieldsV1"] = self.fields.to_fields_v1();
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
        .filter(|e| !e.fields.is_empty())
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
        Some(entry) => {
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
    list.retain(|e| !e.fields.is_empty());
    list
}

/// Records a create by `manager`: it owns the fields it sent (`owned`, taken before mutating
/// admission), or with `applied` the fields of its server-side apply configuration, as an
/// `Apply` entry.
pub fn record_create(
    ti: &TypeInfo,
    object: &mut Value,
    manager: &str,
    applied: Option<FieldSet>,
    owned: FieldSet,
) {
    let (fields, operation) = match applied {
        Some(set) => (set, "Apply"),
        None => (owned, "Update"),
    };
    let list = take_ownership(
        Vec::new(),
        &fields,
        manager,
        operation,
        &ti.rt.api_version(),
        None,
        true,
    );
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
            Some(Value::Array(sent)) => entries_keeping_json(sent),
            _ => stored_entries(old),
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
    list.retain(|e| !e.fields.is_empty());
    set_entries(new, list);
}
