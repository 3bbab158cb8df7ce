//! The source layout rules of issue 18, checked over the sources of `knit` (`src/`), the emulator
//! (`emulator/src/`), `kubetext` (`kubetext/src/`) and `kuberules` (`kuberules/src/`): no import
//! cycle among a crate's top-level modules, and no non-test file over 500 lines unless its header
//! says why (`//! Long because: …`).
//!
//! An edge y→x is a `crate::x` path (or a `super::` path climbing out to x, or a name the crate
//! root re-exports from x) written in module y outside `#[cfg(test)]` code. Comments and string
//! literals are blanked first, so a path quoted in text is no edge. Test files (`tests.rs`,
//! `*_tests.rs`, files under a `tests/` folder, modules declared `#[cfg(test)] mod x;`) are exempt
//! from both rules. A file's length is all its lines, inline tests included (move a big test
//! module into a sibling `tests.rs` to shorten it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest a non-test source file may be without a reason at its top.
const MAX_LINES: usize = 500;
/// The header line that gives a long file's reason.
const LONG_MARKER: &str = "//! Long because:";

/// One source file of a crate, relative to the crate's `src/`.
struct Source {
    /// Path shown in messages, relative to the workspace.
    shown: String,
    /// Module path: `admission/serving/podspec.rs` → `["admission", "serving", "podspec"]`;
    /// a `mod.rs` is its folder; the crate root (`lib.rs`) is empty.
    module: Vec<String>,
    text: String,
}

/// One `use` of module `to` from module `from`, where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Edge {
    from: String,
    to: String,
    at: String,
}

// ---------------------------------------------------------------------------------------------
// Masking: comments, strings and test-only code become spaces, newlines are kept for line numbers.

/// The text with comments, string and char literals blanked (newlines kept).
fn blank_comments_and_strings(text: &str) -> Vec<char> {
    let src: Vec<char> = text.chars().collect();
    let mut out = src.clone();
    let blank = |out: &mut Vec<char>, from: usize, to: usize| {
        for c in out.iter_mut().take(to.min(src.len())).skip(from) {
            if *c != '\n' {
                *c = ' ';
            }
        }
    };
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        let next = src.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            let end = (i..src.len())
                .find(|&j| src[j] == '\n')
                .unwrap_or(src.len());
            blank(&mut out, i, end);
            i = end;
        } else if c == '/' && next == Some('*') {
            let (mut depth, mut j) = (1, i + 2);
            while j < src.len() && depth > 0 {
                if src[j] == '/' && src.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 2;
                } else if src[j] == '*' && src.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if (c == 'r' || c == 'b')
            && (i == 0 || !ident(src[i - 1]))
            && raw_string_hashes(&src, i).is_some()
        {
            let (open, hashes) = raw_string_hashes(&src, i).unwrap_or_default();
            let mut j = open + 1;
            'scan: while j < src.len() {
                if src[j] == '"' && (1..=hashes).all(|k| src.get(j + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break 'scan;
                }
                j += 1;
            }
            blank(&mut out, i, j);
            i = j;
        } else if c == '"' {
            let mut j = i + 1;
            while j < src.len() && src[j] != '"' {
                j += if src[j] == '\\' { 2 } else { 1 };
            }
            blank(&mut out, i, j + 1);
            i = j + 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{1F600}'), or a lifetime ('a), which is left alone.
            if next == Some('\\') {
                let end = (i + 2..src.len())
                    .find(|&j| src[j] == '\'')
                    .unwrap_or(src.len());
                blank(&mut out, i, end + 1);
                i = end + 1;
            } else if src.get(i + 2) == Some(&'\'') {
                blank(&mut out, i, i + 3);
                i += 3;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// For a raw string starting at `i` (`r"`, `r#"`, `br#"`): the index of its opening quote and the
/// number of `#`s.
fn raw_string_hashes(src: &[char], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    if src[j] == 'b' {
        j += 1;
    }
    if src.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while src.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (src.get(j) == Some(&'"')).then_some((j, hashes))
}

/// What [`blank_test_items`] blanked.
#[derive(Default)]
struct TestItems {
    /// Names of `#[cfg(test)] mod x;` declarations, whose files are test files.
    mods: Vec<String>,
}

/// Blanks every item marked `#[cfg(test)]` in already comment-free text: up to its `;` (`mod
/// tests;`, a `use`) or through its braced body.
fn blank_test_items(chars: &mut [char]) -> TestItems {
    let mut found = TestItems::default();
    let marker: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut i = 0;
    while i + marker.len() <= chars.len() {
        if chars[i..i + marker.len()] != marker[..] {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + marker.len();
        let item_start = j;
        let is_use = {
            let rest: String = chars[j..chars.len().min(j + 200)].iter().collect();
            let rest = rest.trim_start();
            rest.starts_with("use ") || rest.starts_with("pub use ")
        };
        let (mut paren, mut end) = (0i32, chars.len());
        while j < chars.len() {
            match chars[j] {
                '(' | '[' => paren += 1,
                ')' | ']' => paren -= 1,
                ';' if paren == 0 => {
                    end = j + 1;
                    break;
                }
                '{' if paren == 0 && !is_use => {
                    end = matching_brace(chars, j);
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        let item: String = chars[item_start..end.min(chars.len())].iter().collect();
        let words: Vec<&str> = item
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ';'))
            .filter(|w| !w.is_empty())
            .collect();
        if let Some(p) = words.iter().position(|w| *w == "mod")
            && let Some(name) = words.get(p + 1)
            && let Some(name) = name.strip_suffix(';')
        {
            found.mods.push(name.to_string());
        }
        for c in chars.iter_mut().take(end).skip(start) {
            if *c != '\n' {
                *c = ' ';
            }
        }
        i = end;
    }
    found
}

/// The index just past the `}` closing the `{` at `open`.
fn matching_brace(chars: &[char], open: usize) -> usize {
    let mut depth = 0;
    for (j, c) in chars.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    chars.len()
}

/// The code of a file as the build sees it outside tests, and what was test code.
fn non_test_code(text: &str) -> (Vec<char>, TestItems) {
    let mut chars = blank_comments_and_strings(text);
    let tests = blank_test_items(&mut chars);
    (chars, tests)
}

// ---------------------------------------------------------------------------------------------
// Edges.

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The identifier starting at `i` (after spaces), and where it ends.
fn ident_at(chars: &[char], mut i: usize) -> (String, usize) {
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    let start = i;
    while i < chars.len() && is_ident(chars[i]) {
        i += 1;
    }
    (chars[start..i].iter().collect(), i)
}

/// The first identifiers of each entry of the `{…}` group opening at `open`.
fn group_heads(chars: &[char], open: usize) -> Vec<String> {
    let end = matching_brace(chars, open);
    let mut heads = Vec::new();
    let (mut depth, mut entry_start) = (0, open + 1);
    for j in open + 1..end {
        match chars[j] {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            ',' | '}' if depth == 0 => {
                let (head, _) = ident_at(chars, entry_start);
                if !head.is_empty() {
                    heads.push(head);
                }
                entry_start = j + 1;
            }
            _ => {}
        }
    }
    heads
}

/// The top-level modules a file's non-test code names, each with its 1-based line. `module` is the
/// file's module path, `reexports` what the crate root re-exports (name → its module).
fn uses_in(
    code: &[char],
    module: &[String],
    reexports: &BTreeMap<String, String>,
) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let newlines: Vec<usize> = (0..code.len()).filter(|&j| code[j] == '\n').collect();
    let line_of = |i: usize| newlines.partition_point(|&n| n < i) + 1;
    let mut i = 0;
    while i < code.len() {
        let starts_word = i == 0 || !is_ident(code[i - 1]) || code[i - 1] == '$';
        let (word, after) = ident_at(code, i);
        if word.is_empty() || !starts_word || after == i {
            i += 1;
            continue;
        }
        let path_follows = |at: usize| code.get(at) == Some(&':') && code.get(at + 1) == Some(&':');
        let mut heads = Vec::new();
        if word == "crate" && path_follows(after) {
            let mut k = after + 2;
            while code.get(k).is_some_and(|c| c.is_whitespace()) {
                k += 1;
            }
            if code.get(k) == Some(&'{') {
                heads = group_heads(code, k);
            } else {
                heads.push(ident_at(code, k).0);
            }
            heads = heads
                .into_iter()
                .map(|h| reexports.get(&h).cloned().unwrap_or(h))
                .collect();
        } else if word == "super" && (i == 0 || code[i - 1] != ':') {
            // `super::super::x`: climbing out of the file's top-level module names x.
            let (mut ups, mut k) = (0, i);
            loop {
                let (w, end) = ident_at(code, k);
                if w == "super" && path_follows(end) {
                    ups += 1;
                    k = end + 2;
                } else {
                    break;
                }
            }
            // A `mod.rs`'s path is its folder, so its `super` is one level up like any file's.
            if ups > 0 && ups == module.len() {
                heads.push(ident_at(code, k).0);
            }
        }
        for head in heads {
            if !head.is_empty() && head != "self" {
                found.push((head, line_of(i)));
            }
        }
        i = after;
    }
    found
}

/// Names the crate root re-exports, mapped to the module they come from (`pub use status::ApiError`).
fn root_reexports(root: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let (code, _) = non_test_code(root);
    let code: String = code.into_iter().collect();
    for stmt in code.split(';') {
        let stmt = stmt.trim();
        let Some(path) = stmt.strip_prefix("pub use ") else {
            continue;
        };
        let path = path.trim().trim_start_matches("crate::");
        let Some((module, rest)) = path.split_once("::") else {
            continue;
        };
        let rest = rest.trim();
        let names: Vec<&str> = match rest.rsplit_once('{') {
            Some((_, group)) => group.trim_end_matches('}').split(',').collect(),
            None => vec![rest.rsplit("::").next().unwrap_or(rest)],
        };
        for name in names {
            let name = name.split(" as ").last().unwrap_or(name).trim();
            if !name.is_empty() && name != "self" {
                map.insert(name.to_string(), module.trim().to_string());
            }
        }
    }
    map
}

/// Every edge between distinct top-level modules of one crate.
fn crate_edges(sources: &[Source]) -> Vec<Edge> {
    let modules: BTreeSet<&str> = sources
        .iter()
        .filter_map(|s| s.module.first().map(String::as_str))
        .collect();
    let reexports = sources
        .iter()
        .find(|s| s.module.is_empty())
        .map(|root| root_reexports(&root.text))
        .unwrap_or_default();
    let mut edges = Vec::new();
    for source in sources {
        let Some(from) = source.module.first() else {
            continue;
        };
        let (code, _) = non_test_code(&source.text);
        for (to, line) in uses_in(&code, &source.module, &reexports) {
            if &to != from && modules.contains(to.as_str()) {
                edges.push(Edge {
                    from: from.clone(),
                    to,
                    at: format!("{}:{line}", source.shown),
                });
            }
        }
    }
    edges
}

/// Each set of modules that reach one another (strongly connected, more than one module), with a
/// cycle through it spelled out edge by edge.
fn cycles(edges: &[Edge]) -> Vec<String> {
    let mut next: BTreeMap<&str, BTreeMap<&str, &Edge>> = BTreeMap::new();
    for e in edges {
        next.entry(&e.from).or_default().entry(&e.to).or_insert(e);
    }
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for to in next.get(m.as_str()).into_iter().flat_map(|t| t.keys()) {
                if seen.insert(to.to_string()) {
                    todo.push(to.to_string());
                }
            }
        }
        seen
    };
    let mut done = BTreeSet::new();
    let mut reports = Vec::new();
    for from in next.keys() {
        if done.contains(*from) {
            continue;
        }
        let forward = reach(from);
        if !forward.contains(*from) {
            continue;
        }
        let group: BTreeSet<String> = forward
            .into_iter()
            .filter(|m| reach(m).contains(*from))
            .collect();
        done.extend(group.iter().cloned());
        // The shortest way back to `from`, breadth first.
        let mut came: BTreeMap<&str, &Edge> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([*from]);
        let mut closing = None;
        while let Some(m) = queue.pop_front() {
            for (to, edge) in next.get(m).into_iter().flatten() {
                if *to == *from {
                    closing = Some(*edge);
                    queue.clear();
                    break;
                }
                if group.contains(*to) && !came.contains_key(to) {
                    came.insert(to, edge);
                    queue.push_back(to);
                }
            }
        }
        let mut path = Vec::new();
        let mut edge = closing;
        while let Some(e) = edge {
            path.push(e);
            edge = if e.from == *from {
                None
            } else {
                came.get(e.from.as_str()).copied()
            };
        }
        path.reverse();
        let mut report = format!(
            "cycle among {{{}}}: {from}",
            group.into_iter().collect::<Vec<_>>().join(", ")
        );
        for e in &path {
            report.push_str(&format!(" -> {}", e.to));
        }
        for e in &path {
            report.push_str(&format!("\n    {} -> {} at {}", e.from, e.to, e.at));
        }
        reports.push(report);
    }
    reports
}

// ---------------------------------------------------------------------------------------------
// Long files.

/// Whether the file's leading `//!` header gives a reason for its length.
fn has_long_reason(text: &str) -> bool {
    text.lines()
        .skip_while(|l| l.trim().is_empty() || l.starts_with("#!["))
        .take_while(|l| l.starts_with("//!"))
        .any(|l| {
            l.strip_prefix(LONG_MARKER)
                .is_some_and(|reason| !reason.trim().is_empty())
        })
}

fn long_file(source: &Source) -> Option<String> {
    let lines = source.text.lines().count();
    (lines > MAX_LINES && !has_long_reason(&source.text)).then(|| {
        format!(
            "{} has {lines} lines (over {MAX_LINES}) and no `{LONG_MARKER} …` line in its header",
            source.shown
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Reading a crate.

fn is_test_path(rel: &Path) -> bool {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || rel.components().any(|c| c.as_os_str() == "tests")
}

fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.trim_end_matches(".rs");
    if stem != "mod" && !(parts.is_empty() && stem == "lib") {
        parts.push(stem.to_string());
    }
    parts
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The non-test library sources of the crate whose `src/` is `src`, `main.rs` (its own crate) left out.
fn read_crate(workspace: &Path, src: &str) -> Vec<Source> {
    let root = workspace.join(src);
    let mut paths = Vec::new();
    collect(&root, &mut paths);
    paths.sort();
    let mut sources: Vec<Source> = paths
        .iter()
        .filter_map(|path| {
            let rel = path.strip_prefix(&root).ok()?;
            if rel == Path::new("main.rs") || rel.starts_with("bin") || is_test_path(rel) {
                return None;
            }
            let text = std::fs::read_to_string(path).ok()?;
            if text.trim_start().starts_with("#![cfg(test)]") {
                return None;
            }
            Some(Source {
                shown: format!("{src}/{}", rel.display()),
                module: module_of(rel),
                text,
            })
        })
        .collect();
    // Drop the files of modules declared `#[cfg(test)] mod x;` (and everything under them).
    let test_only: Vec<Vec<String>> = sources
        .iter()
        .flat_map(|s| {
            let (_, tests) = non_test_code(&s.text);
            let parent = s.module.clone();
            tests.mods.into_iter().map(move |m| {
                let mut path = parent.clone();
                path.push(m);
                path
            })
        })
        .collect();
    sources.retain(|s| !test_only.iter().any(|t| s.module.starts_with(t)));
    sources
}

const CRATES: [&str; 4] = ["src", "emulator/src", "kubetext/src", "kuberules/src"];

#[test]
fn top_level_modules_form_no_cycle() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    for src in CRATES {
        let sources = read_crate(workspace, src);
        assert!(sources.len() > 3, "no sources read under {src}");
        problems.extend(
            cycles(&crate_edges(&sources))
                .into_iter()
                .map(|c| format!("{src}: {c}")),
        );
    }
    assert!(
        problems.is_empty(),
        "top-level modules must depend one way only; found {}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn no_long_file_without_a_reason() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    for src in CRATES {
        problems.extend(read_crate(workspace, src).iter().filter_map(long_file));
    }
    assert!(
        problems.is_empty(),
        "split these files along their seams, or say at their top why they are one piece ({LONG_MARKER} …); {} found:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The check itself, on small inputs.

fn source(path: &str, text: &str) -> Source {
    Source {
        shown: format!("src/{path}"),
        module: module_of(Path::new(path)),
        text: text.to_string(),
    }
}

#[test]
fn a_fabricated_cycle_is_found_with_its_files_and_lines() {
    let sources = [
        source("lib.rs", "pub mod a;\npub mod b;\npub mod c;\n"),
        source("a/mod.rs", "//! a\nuse crate::b::thing;\n"),
        source("b/inner.rs", "//! b\n\nfn f() { crate::c::go(); }\n"),
        source("c.rs", "use crate::{\n    a::x,\n    b,\n};\n"),
    ];
    let found = cycles(&crate_edges(&sources));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0],
        "cycle among {a, b, c}: a -> b -> c -> a\n    a -> b at src/a/mod.rs:2\n    b -> c at src/b/inner.rs:3\n    c -> a at src/c.rs:1"
    );
}

#[test]
fn one_way_uses_make_no_cycle() {
    let sources = [
        source("lib.rs", "pub mod a;\npub mod b;\n"),
        source("a.rs", "use crate::b::Thing;\nuse crate::a::Other;\n"),
        source("b.rs", "use super::Thing;\nuse std::fmt;\n"),
    ];
    let edges = crate_edges(&sources);
    assert_eq!(edges.len(), 1, "{edges:?}");
    assert!(cycles(&edges).is_empty());
}

#[test]
fn test_code_comments_and_strings_are_no_edges() {
    let sources = [
        source("lib.rs", "pub mod a;\npub mod b;\n"),
        source("a.rs", "use crate::b::Thing;\n"),
        source(
            "b.rs",
            concat!(
                "//! see crate::a::x\n",
                "const S: &str = \"crate::a::x\";\n",
                "const R: &str = r#\"crate::a::\"x\"#;\n",
                "const C: char = '\"'; /* crate::a */\n",
                "fn f<'a>(x: &'a str) {}\n",
                "#[cfg(test)]\nuse crate::a::y;\n",
                "#[cfg(test)]\nmod tests {\n    use crate::a::z;\n    fn g() { if true { crate::a::w(); } }\n}\n",
            ),
        ),
    ];
    assert!(cycles(&crate_edges(&sources)).is_empty());
    // The same use outside test code closes the cycle.
    let mut sources = sources;
    sources[2].text.push_str("fn h() { crate::a::v(); }\n");
    assert_eq!(cycles(&crate_edges(&sources)).len(), 1);
}

#[test]
fn super_paths_and_root_reexports_are_edges() {
    let sources = [
        source(
            "lib.rs",
            "pub mod a;\npub mod b;\npub use a::{Thing, Other as O};\n",
        ),
        source(
            "a/x/y.rs",
            "use super::super::super::b::z;\nuse super::super::w;\n",
        ),
        source("b.rs", "fn f() -> crate::Thing { todo!() }\n"),
    ];
    let edges = crate_edges(&sources);
    let pairs: Vec<(&str, &str)> = edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(pairs, [("a", "b"), ("b", "a")]);
    assert_eq!(cycles(&edges).len(), 1);
}

#[test]
fn long_files_need_a_reason_in_their_header() {
    let body = "fn f() {}\n".repeat(MAX_LINES + 1);
    let plain = source("big.rs", &format!("//! Big.\n{body}"));
    assert_eq!(
        long_file(&plain).as_deref(),
        Some("src/big.rs has 502 lines (over 500) and no `//! Long because: …` line in its header")
    );
    let reasoned = source(
        "big.rs",
        &format!("//! Big.\n//!\n//! Long because: one table.\n{body}"),
    );
    assert_eq!(long_file(&reasoned), None);
    // An empty reason, or the marker below the header, is no reason.
    let empty = source("big.rs", &format!("//! Big.\n//! Long because:\n{body}"));
    assert!(long_file(&empty).is_some());
    let late = source("big.rs", &format!("//! Big.\n{body}//! Long because: x\n"));
    assert!(long_file(&late).is_some());
    // Exactly the limit passes; inline tests count towards it.
    let short = "fn f() {}\n".repeat(MAX_LINES - 1);
    assert_eq!(
        long_file(&source("ok.rs", &format!("//! Ok.\n{short}"))),
        None
    );
    let with_tests = source(
        "ok.rs",
        &format!("//! Ok.\n{short}#[cfg(test)]\nmod tests {{}}\n"),
    );
    assert!(long_file(&with_tests).is_some());
}

#[test]
fn test_files_are_exempt() {
    assert!(is_test_path(Path::new("admission/serving/tests.rs")));
    assert!(is_test_path(Path::new("crd/schema_tests.rs")));
    assert!(is_test_path(Path::new("tests/x.rs")));
    assert!(!is_test_path(Path::new("registry/write.rs")));
    let mut code = blank_comments_and_strings("#[cfg(test)]\nmod testing;\nmod real;\n");
    assert_eq!(blank_test_items(&mut code).mods, ["testing"]);
}
