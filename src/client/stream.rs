//! LIST answers read item by item as the body arrives: each item of the `items` array is handed
//! over as soon as its closing bracket is read, so printing a list of any length holds one item
//! (and one network chunk) at a time, never the page or the whole list.

use kube::core::Request;
use serde_json::Value;

use super::{Client, ListOptions, ResourceKind, api_error, fill_type_meta, translate};
use crate::error::{Error, Result};

impl Client {
    /// LIST `kind` in `namespace` (`None`: all namespaces), following `continue` tokens, and call
    /// `each` with every item in the server's order (with `apiVersion`/`kind` filled in). `each`
    /// returns `Ok(false)` to stop early (stdout closed). Returns the list's resourceVersion.
    pub async fn list_each(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        options: &ListOptions,
        each: &mut dyn FnMut(Value) -> Result<bool>,
    ) -> Result<String> {
        let mut raw = |item: &[u8]| each(parse_item(kind, item)?);
        self.list_each_raw(kind, namespace, options, &mut raw).await
    }

    /// [`Client::list_each`] handing over each item's bytes as the server sent them (without
    /// `apiVersion`/`kind` filled in), for printers that need no parsed object.
    pub async fn list_each_raw(
        &self,
        kind: &ResourceKind,
        namespace: Option<&str>,
        options: &ListOptions,
        each: &mut dyn FnMut(&[u8]) -> Result<bool>,
    ) -> Result<String> {
        use http_body_util::BodyExt as _;

        let req = Request::new(kind.collection_path(namespace));
        let mut params = options.params();
        let mut resource_version = None;
        loop {
            let request = req
                .list(&params)
                .map_err(|e| Error::failed(format!("failed to build request: {e}")))?;
            let response = self
                .kube
                .send(request.map(kube::client::Body::from))
                .await
                .map_err(|e| translate(kind, e))?;
            let status = response.status();
            let mut body = response.into_body();
            let failed = status.is_client_error() || status.is_server_error();
            let mut splitter = ItemSplitter::default();
            let mut error_body = Vec::new();
            let mut going = true;
            while let Some(frame) = body.frame().await {
                let frame = frame.map_err(|e| translate(kind, e))?;
                let Ok(data) = frame.into_data() else {
                    continue;
                };
                if failed {
                    error_body.extend_from_slice(&data);
                    continue;
                }
                if !going {
                    continue;
                }
                for item in splitter.feed(&data).map_err(|e| bad_json(kind, e))? {
                    if !each(&item)? {
                        going = false;
                        break;
                    }
                }
            }
            if failed {
                return Err(translate(kind, api_error(status, &error_body)));
            }
            if !going {
                return Ok(resource_version.unwrap_or_default());
            }
            let rest: Value =
                serde_json::from_slice(&splitter.finish().map_err(|e| bad_json(kind, e))?)
                    .map_err(|e| translate(kind, kube::Error::SerdeError(e)))?;
            let meta = rest.get("metadata");
            if resource_version.is_none() {
                resource_version = Some(
                    meta.and_then(|m| m.get("resourceVersion"))
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                );
            }
            match meta
                .and_then(|m| m.get("continue"))
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
            {
                Some(token) => params.continue_token = Some(token.to_string()),
                None => return Ok(resource_version.unwrap_or_default()),
            }
        }
    }
}

/// One item of a LIST answer, parsed, with `apiVersion`/`kind` filled in.
pub fn parse_item(kind: &ResourceKind, raw: &[u8]) -> Result<Value> {
    let mut item: Value =
        serde_json::from_slice(raw).map_err(|e| translate(kind, kube::Error::SerdeError(e)))?;
    fill_type_meta(&mut item, kind);
    Ok(item)
}

/// A LIST answer that is not the JSON it should be.
pub fn bad_json(kind: &ResourceKind, message: &str) -> Error {
    use serde::de::Error as _;
    translate(
        kind,
        kube::Error::SerdeError(serde_json::Error::custom(message)),
    )
}

/// Splits a LIST body into its items and the rest (the top-level object with `"items": []`),
/// tracking only nesting and strings: each item is parsed on its own afterwards.
#[derive(Default)]
pub(crate) struct ItemSplitter {
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// The last string read directly inside the top-level object (the key before a value).
    key: Vec<u8>,
    in_items: bool,
    item: Vec<u8>,
    rest: Vec<u8>,
}

impl ItemSplitter {
    /// Takes the next bytes of the body; returns the items they complete.
    pub(crate) fn feed(&mut self, bytes: &[u8]) -> std::result::Result<Vec<Vec<u8>>, &'static str> {
        let mut done = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if self.in_items && self.depth > 2 {
                // Inside an item: find where it ends, then copy it at once (byte by byte, this
                // loop was a fifth of `-o json`).
                let (used, ended) = self.scan_item(&bytes[i..]);
                self.item.extend_from_slice(&bytes[i..i + used]);
                i += used;
                if ended {
                    done.push(std::mem::take(&mut self.item));
                }
                continue;
            }
            let b = bytes[i];
            i += 1;
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
                if self.depth == 1 && self.in_string {
                    self.key.push(b);
                }
                self.rest.push(b);
                continue;
            }
            match b {
                b'"' => {
                    self.in_string = true;
                    if self.depth == 1 {
                        self.key.clear();
                    }
                }
                b'{' | b'[' => {
                    self.depth += 1;
                    if self.depth == 2 && b == b'[' && self.key == b"items" {
                        self.in_items = true;
                        self.rest.push(b);
                        continue;
                    }
                    if self.in_items && self.depth == 3 {
                        self.item.clear();
                        self.item.push(b);
                        continue;
                    }
                }
                b'}' | b']' => {
                    if self.depth == 0 {
                        return Err("unbalanced brackets in the list");
                    }
                    self.depth -= 1;
                    if self.in_items && self.depth == 1 {
                        self.in_items = false;
                    }
                }
                _ => {}
            }
            if self.in_items && self.depth == 2 {
                if !(b.is_ascii_whitespace() || b == b',') {
                    return Err("a list item is not an object");
                }
            } else {
                self.rest.push(b);
            }
        }
        Ok(done)
    }

    /// Reads item bytes up to the item's closing bracket: how many belong to the item, and
    /// whether it ended there. Strings are skipped to their next quote or backslash at once.
    fn scan_item(&mut self, bytes: &[u8]) -> (usize, bool) {
        let mut i = 0;
        while i < bytes.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    i += 1;
                    continue;
                }
                match memchr::memchr2(b'"', b'\\', &bytes[i..]) {
                    None => return (bytes.len(), false),
                    Some(at) => {
                        i += at;
                        if bytes[i] == b'\\' {
                            self.escaped = true;
                        } else {
                            self.in_string = false;
                        }
                        i += 1;
                    }
                }
                continue;
            }
            match bytes[i] {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth -= 1;
                    if self.depth == 2 {
                        return (i + 1, true);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        (bytes.len(), false)
    }

    /// The body without its items, once it has all been fed.
    pub(crate) fn finish(self) -> std::result::Result<Vec<u8>, &'static str> {
        if self.depth != 0 || self.in_string {
            return Err("the list ended early");
        }
        Ok(self.rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(body: &str, chunk: usize) -> (Vec<String>, String) {
        let mut splitter = ItemSplitter::default();
        let mut items = Vec::new();
        for part in body.as_bytes().chunks(chunk) {
            for item in splitter.feed(part).unwrap() {
                items.push(String::from_utf8(item).unwrap());
            }
        }
        (
            items,
            String::from_utf8(splitter.finish().unwrap()).unwrap(),
        )
    }

    #[test]
    fn items_come_out_one_by_one_whatever_the_chunks() {
        let body = r#"{"apiVersion":"v1","items":[{"a":"x]}\"{","b":[1,{"c":[]}]}, {"items":[2]},{"d":"q\\","e":"]} long text, é"}],"kind":"L","metadata":{"continue":"t","resourceVersion":"7"}}"#;
        for chunk in [1, 2, 3, 7, 1000] {
            let (items, rest) = split(body, chunk);
            assert_eq!(
                items,
                [
                    r#"{"a":"x]}\"{","b":[1,{"c":[]}]}"#,
                    r#"{"items":[2]}"#,
                    r#"{"d":"q\\","e":"]} long text, é"}"#
                ],
                "chunks of {chunk}"
            );
            assert_eq!(
                rest,
                r#"{"apiVersion":"v1","items":[],"kind":"L","metadata":{"continue":"t","resourceVersion":"7"}}"#
            );
        }
    }

    #[test]
    fn metadata_before_items_and_empty_lists() {
        let (items, rest) = split(r#"{"metadata":{"items":["no"]},"items":null}"#, 4);
        assert!(items.is_empty());
        assert_eq!(rest, r#"{"metadata":{"items":["no"]},"items":null}"#);
        let (items, rest) = split(r#"{"kind":"items","items":[ ]}"#, 5);
        assert!(items.is_empty());
        assert_eq!(rest, r#"{"kind":"items","items":[]}"#);
    }

    #[test]
    fn broken_bodies_are_errors() {
        let mut s = ItemSplitter::default();
        assert!(s.feed(br#"{"items":[1]}"#).is_err());
        let mut s = ItemSplitter::default();
        s.feed(br#"{"items":[{"a":1}"#).unwrap();
        assert!(s.finish().is_err());
    }
}
