//! The common case of [`super::write_item`] in one pass, without building a tree: every
//! object's keys already in order (as API servers send them), no string or number that prints
//! differently, `apiVersion` and `kind` present. Anything else is left to the tree path.

use super::{ItemEdits, MAX_DEPTH, PLAIN, indent, number_at};

/// Appends the item as [`super::write_item`] would, or leaves `out` as it was and returns
/// `false` when the item needs the tree path.
pub(super) fn write(out: &mut Vec<u8>, raw: &[u8], level: usize, edits: ItemEdits) -> bool {
    let start = out.len();
    let mut direct = Direct {
        bytes: raw,
        at: 0,
        out,
        drop_managed_fields: edits.drop_managed_fields,
    };
    let done = direct.object(level, 0, Place::Item).is_some() && {
        direct.skip_space();
        direct.at == raw.len()
    };
    if !done {
        out.truncate(start);
    }
    done
}

/// Which object is being written: the edits apply to the item and its metadata only.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Item,
    Metadata,
    Other,
}

struct Direct<'a, 'o> {
    bytes: &'a [u8],
    at: usize,
    out: &'o mut Vec<u8>,
    drop_managed_fields: bool,
}

impl<'a> Direct<'a, '_> {
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn next_is(&mut self, byte: u8) -> bool {
        self.skip_space();
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// A string without escapes or characters Go escapes: its text between the quotes.
    fn plain_string(&mut self) -> Option<&'a [u8]> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        let start = self.at + 1;
        let mut end = start;
        while self.bytes.get(end).is_some_and(|&b| PLAIN[b as usize]) {
            end += 1;
        }
        if self.bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        Some(&self.bytes[start..end])
    }

    fn value(&mut self, level: usize, depth: usize, place: Place) -> Option<()> {
        self.skip_space();
        match *self.bytes.get(self.at)? {
            b'{' => self.object(level, depth, place),
            b'[' => self.array(level, depth),
            b'"' => {
                let start = self.at;
                self.plain_string()?;
                self.out.extend_from_slice(&self.bytes[start..self.at]);
                Some(())
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.integer(),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.bytes[self.at..].starts_with(word).then_some(())?;
        self.at += word.len();
        self.out.extend_from_slice(word);
        Some(())
    }

    /// An integer that prints as it is (the tree path's plain numbers); others need the tree.
    fn integer(&mut self) -> Option<()> {
        let (text, plain) = number_at(self.bytes, &mut self.at);
        plain.then_some(())?;
        self.out.extend_from_slice(text);
        Some(())
    }

    fn array(&mut self, level: usize, depth: usize) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.at += 1;
        if self.next_is(b']') {
            self.out.extend_from_slice(b"[]");
            return Some(());
        }
        self.out.push(b'[');
        let mut first = true;
        loop {
            self.out
                .extend_from_slice(if first { b"\n" } else { b",\n" });
            first = false;
            indent(self.out, level + 1);
            self.value(level + 1, depth + 1, Place::Other)?;
            if self.next_is(b']') {
                break;
            }
            self.next_is(b',').then_some(())?;
        }
        self.out.push(b'\n');
        indent(self.out, level);
        self.out.push(b']');
        Some(())
    }

    fn object(&mut self, level: usize, depth: usize, place: Place) -> Option<()> {
        if depth >= MAX_DEPTH || !self.next_is(b'{') {
            return None;
        }
        let mut seen_type = (false, false);
        if self.next_is(b'}') {
            (place != Place::Item).then_some(())?;
            self.out.extend_from_slice(b"{}");
            return Some(());
        }
        self.out.push(b'{');
        let mut previous: Option<&[u8]> = None;
        let mut written = 0;
        loop {
            self.skip_space();
            let key = self.plain_string()?;
            // Keys must arrive in order, each once; sorting and repeats are the tree path's.
            if previous.is_some_and(|p| p >= key) {
                return None;
            }
            previous = Some(key);
            self.next_is(b':').then_some(())?;
            if place == Place::Metadata && self.drop_managed_fields && key == b"managedFields" {
                // Written and taken back: the value is still checked as the tree path does.
                let mark = self.out.len();
                self.value(level + 1, depth + 1, Place::Other)?;
                self.out.truncate(mark);
            } else {
                self.out
                    .extend_from_slice(if written == 0 { b"\n" } else { b",\n" });
                written += 1;
                indent(self.out, level + 1);
                self.out.push(b'"');
                self.out.extend_from_slice(key);
                self.out.extend_from_slice(b"\": ");
                let inner = match (place, key) {
                    (Place::Item, b"metadata") => Place::Metadata,
                    _ => Place::Other,
                };
                if place == Place::Item {
                    seen_type.0 |= key == b"apiVersion";
                    seen_type.1 |= key == b"kind";
                }
                self.value(level + 1, depth + 1, inner)?;
            }
            if self.next_is(b'}') {
                break;
            }
            self.next_is(b',').then_some(())?;
        }
        // An item without its type gets it added, in order: the tree path does that.
        if place == Place::Item && seen_type != (true, true) {
            return None;
        }
        if written == 0 {
            // Only managedFields was there: the tree path prints the empty map.
            return None;
        }
        self.out.push(b'\n');
        indent(self.out, level);
        self.out.push(b'}');
        Some(())
    }
}
