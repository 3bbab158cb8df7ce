//! Field sets: the paths a manager owns, read from and written to `fieldsV1` as a tree or as
//! the compact text objects are stored with (`fields_form`).

use std::collections::BTreeSet;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value, json};

use super::Path;

/// A set of owned field paths (each path is a member: a leaf field or a list item itself).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet {
    pub paths: BTreeSet<Path>,
}

impl FieldSet {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Parses a `fieldsV1` object, or its stored text (see `fields_form`).
    pub fn from_fields_v1(value: &Value) -> FieldSet {
        if let Value::String(text) = value {
            return serde_json::from_str::<Value>(text)
                .map(|tree| FieldSet::from_fields_v1(&tree))
                .unwrap_or_default();
        }
        fn walk(value: &Value, prefix: &mut Path, out: &mut BTreeSet<Path>) {
            let Some(map) = value.as_object() else { return };
            for (key, child) in map {
                if key == "." {
                    continue;
                }
                prefix.push(key.clone());
                let child_map = child.as_object();
                if child_map.is_none_or(|m| m.is_empty() || m.contains_key(".")) {
                    out.insert(prefix.clone());
                }
                walk(child, prefix, out);
                prefix.pop();
            }
        }
        let mut paths = BTreeSet::new();
        walk(value, &mut Vec::new(), &mut paths);
        FieldSet { paths }
    }

    /// Renders the `fieldsV1` object.
    pub fn to_fields_v1(&self) -> Value {
        // Sorted paths put a member just before its children, and keep each subtree's paths
        // together: the tree is built in one pass, without looking a node up again.
        fn tree(paths: &[&[String]], depth: usize) -> Map<String, Value> {
            let mut out = Map::new();
            let mut rest = paths;
            while let Some(first) = rest.first() {
                let elem = &first[depth];
                let len = rest.iter().take_while(|p| p[depth] == *elem).count();
                let (group, after) = rest.split_at(len);
                let member = first.len() == depth + 1;
                let mut node = tree(if member { &group[1..] } else { group }, depth + 1);
                if member && !node.is_empty() {
                    node.insert(".".into(), json!({}));
                }
                out.insert(elem.clone(), Value::Object(node));
                rest = after;
            }
            out
        }
        let paths: Vec<&[String]> = (self.paths.iter())
            .map(Vec::as_slice)
            .filter(|p| !p.is_empty())
            .collect();
        Value::Object(tree(&paths, 0))
    }

    /// Renders the `fieldsV1` object as the text [`FieldSet::to_fields_v1`] would serialize
    /// to (the stored form), without building the tree.
    pub fn to_fields_v1_text(&self) -> String {
        fn tree(paths: &[&[String]], depth: usize, member: bool, out: &mut Vec<u8>) {
            out.push(b'{');
            // A member with children is marked by a "." key, in its sorted place.
            let mut dot = member && !paths.is_empty();
            let mut first = true;
            let mut rest = paths;
            while let Some(head) = rest.first() {
                let elem = &head[depth];
                if dot && elem.as_str() > "." {
                    if !first {
                        out.push(b',');
                    }
                    out.extend_from_slice(b"\".\":{}");
                    first = false;
                    dot = false;
                }
                let len = rest.iter().take_while(|p| p[depth] == *elem).count();
                let (group, after) = rest.split_at(len);
                let is_member = head.len() == depth + 1;
                if !first {
                    out.push(b',');
                }
                first = false;
                write_key(out, elem);
                tree(
                    if is_member { &group[1..] } else { group },
                    depth + 1,
                    is_member,
                    out,
                );
                rest = after;
            }
            if dot {
                if !first {
                    out.push(b',');
                }
                out.extend_from_slice(b"\".\":{}");
            }
            out.push(b'}');
        }
        let paths: Vec<&[String]> = (self.paths.iter())
            .map(Vec::as_slice)
            .filter(|p| !p.is_empty())
            .collect();
        let mut out = Vec::with_capacity(32 * paths.len() + 2);
        tree(&paths, 0, false, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        FieldSet {
            paths: self.paths.difference(&other.paths).cloned().collect(),
        }
    }

    pub fn union(&self, other: &FieldSet) -> FieldSet {
        FieldSet {
            paths: self.paths.union(&other.paths).cloned().collect(),
        }
    }

    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        FieldSet {
            paths: self.paths.intersection(&other.paths).cloned().collect(),
        }
    }
}

/// Writes `"key":`, the key of a `fieldsV1` object, escaped as JSON.
pub(super) fn write_key(out: &mut Vec<u8>, key: &str) {
    // Writing a string into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, key);
    out.push(b':');
}

/// A key of a `fieldsV1` object as the text readers see it, read without copying it.
enum Key {
    /// The path element looked for.
    Next,
    /// The "." mark of a member with children.
    Dot,
    Other,
}

/// Reads a key as a [`Key`]; `.0` is the path element looked for, if any.
struct KeySeed<'p>(Option<&'p str>);

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, key: &str) -> Result<Key, E> {
        Ok(match key {
            _ if Some(key) == self.0 => Key::Next,
            "." => Key::Dot,
            _ => Key::Other,
        })
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

/// Whether the stored `fieldsV1` text may have `path` as a member: each of its elements is a
/// key somewhere in it. False means it has not.
pub(super) fn may_have_member(text: &str, path: &Path) -> bool {
    path.iter().all(|elem| {
        if elem.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            // Written as it is, between quotes.
            text.match_indices(elem.as_str()).any(|(at, _)| {
                text.as_bytes().get(at.wrapping_sub(1)) == Some(&b'"')
                    && text.as_bytes().get(at + elem.len()) == Some(&b'"')
            })
        } else {
            let quoted = serde_json::to_string(elem.as_str()).unwrap_or_default();
            text.contains(quoted.as_str())
        }
    })
}

/// Whether the `fieldsV1` text has `path` as a member, as [`FieldSet::from_fields_v1`] would
/// find it: read in one pass, without building the tree.
pub(super) fn text_has_member(text: &str, path: &[String]) -> bool {
    /// At the node of a path: whether the rest of the path (`.0`) is a member below it.
    struct Find<'p>(&'p [String]);
    impl<'de> DeserializeSeed<'de> for Find<'_> {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Find<'_> {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a fieldsV1 node")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            // Read to the end: the deserializer fails a map left unfinished.
            let (mut empty, mut dot, mut below) = (true, false, false);
            while let Some(key) = map.next_key_seed(KeySeed(self.0.first().map(String::as_str)))? {
                empty = false;
                match key {
                    Key::Next => below = map.next_value_seed(Find(&self.0[1..]))?,
                    Key::Dot => {
                        dot = true;
                        map.next_value::<IgnoredAny>()?;
                    }
                    Key::Other => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(if self.0.is_empty() {
                empty || dot
            } else {
                below
            })
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(self.0.is_empty())
        }
        fn visit_str<E>(self, _: &str) -> Result<bool, E> {
            Ok(self.0.is_empty())
        }
        fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
            Ok(self.0.is_empty())
        }
        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(self.0.is_empty())
        }
        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(self.0.is_empty())
        }
        fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
            Ok(self.0.is_empty())
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(self.0.is_empty())
        }
    }
    if path.is_empty() {
        // The root is never a member.
        return false;
    }
    let mut de = serde_json::Deserializer::from_str(text);
    Find(path).deserialize(&mut de).unwrap_or(false)
}

/// Whether the `fieldsV1` text has no key but "." at its top (so no member), read without
/// building the tree.
pub(super) fn only_dot_keys(text: &str) -> bool {
    struct OnlyDots;
    impl<'de> Visitor<'de> for OnlyDots {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a fieldsV1 object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            // Read to the end: the deserializer fails a map left unfinished.
            let mut only_dots = true;
            while let Some(key) = map.next_key_seed(KeySeed(None))? {
                only_dots &= matches!(key, Key::Dot);
                map.next_value::<IgnoredAny>()?;
            }
            Ok(only_dots)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_map(OnlyDots).unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Emptiness read off stored `fieldsV1` text agrees with parsing it.
    #[test]
    fn emptiness_of_fields_text_agrees_with_parsing_it() {
        for doc in [
            json!({}),
            json!({".": {}}),
            json!({".": {}, "f:a": {}}),
            json!({"f:a": {}}),
            json!({"+": {}, ".": {}}),
            json!({"f:spec": {".": {}, "f:x": {}}, "f:status": {}}),
        ] {
            let text = doc.to_string();
            let parsed = FieldSet::from_fields_v1(&doc);
            assert_eq!(only_dot_keys(&text), parsed.is_empty(), "{text}");
        }
    }
}
