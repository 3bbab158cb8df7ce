//! The objects of the admission differential, read from `cases/*.yaml` (files in name order,
//! cases in file order; later cases may patch or read objects earlier ones created, all in
//! namespace `adiff`). Each file is a YAML list of cases:
//!
//! ```yaml
//! - name: what the case shows            # unique within its file
//!   create: {apiVersion: …, kind: …, metadata: {name: …}, spec: …}   # POST
//!   # or patch: {apiVersion, kind, metadata: {name}, …}  merge patch of that object (UPDATE)
//!   # or get: {apiVersion, kind, metadata: {name}}       read back (conversion)
//!   # or delete: {apiVersion, kind, metadata: {name}}
//!   differs: "Serving v1.NN: release note …"   # only where the emulator follows a newer release
//! ```
//!
//! `differs` may also start `Reference kit: ` where a real installation runs something the
//! kit does not (the InMemoryChannel's own webhook) or runs something the emulator keeps with
//! its controllers (the SinkBinding reconciler inside the eventing webhook).

use std::path::Path;

use serde_json::Value;

pub enum Op {
    Create(Value),
    Patch(Value),
    Get(Value),
    Delete(Value),
}

impl Op {
    pub fn object(&self) -> &Value {
        match self {
            Op::Create(o) | Op::Patch(o) | Op::Get(o) | Op::Delete(o) => o,
        }
    }
}

pub struct Case {
    pub file: String,
    pub name: String,
    pub op: Op,
    /// Why the emulator answers differently on purpose: the newer release that changed it.
    pub differs: Option<String>,
}

pub fn load() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/admission_diff/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let list: Vec<Value> =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut names = std::collections::BTreeSet::new();
        for entry in list {
            cases.push(parse(&file, entry, &mut names));
        }
    }
    cases
}

fn parse(file: &str, entry: Value, names: &mut std::collections::BTreeSet<String>) -> Case {
    let name = entry["name"]
        .as_str()
        .unwrap_or_else(|| panic!("{file}: a case without a name: {entry}"))
        .to_string();
    assert!(names.insert(name.clone()), "{file}: case {name:?} twice");
    let ops: Vec<Op> = [
        ("create", Op::Create as fn(Value) -> Op),
        ("patch", Op::Patch),
        ("get", Op::Get),
        ("delete", Op::Delete),
    ]
    .into_iter()
    .filter_map(|(key, make)| entry.get(key).map(|o| make(o.clone())))
    .collect();
    let [op] = <[Op; 1]>::try_from(ops).unwrap_or_else(|_| {
        panic!("{file}: {name}: give exactly one of create, patch, get, delete")
    });
    let object = op.object();
    let named = object
        .pointer("/metadata/name")
        .is_some_and(Value::is_string)
        || (matches!(op, Op::Create(_))
            && object
                .pointer("/metadata/generateName")
                .is_some_and(Value::is_string));
    assert!(
        object["apiVersion"].is_string() && object["kind"].is_string() && named,
        "{file}: {name}: the object needs apiVersion, kind and metadata.name (or generateName, to create)"
    );
    let differs = entry
        .get("differs")
        .map(|d| d.as_str().unwrap_or_default().to_string());
    if let Some(why) = &differs {
        assert!(
            why.starts_with("Serving v1.")
                || why.starts_with("Eventing v1.")
                || why.starts_with("Reference kit: "),
            "{file}: {name}: a `differs` marker names the release that explains it (\"Serving v1.NN: …\" or \"Eventing v1.NN: …\"), or what the reference kit does not run (\"Reference kit: …\"), not {why:?}"
        );
    }
    Case {
        file: file.to_string(),
        name,
        op,
        differs,
    }
}
