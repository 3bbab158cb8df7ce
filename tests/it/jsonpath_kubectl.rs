//! Differential test of `-o jsonpath=…`, `jsonpath-as-json` and `go-template=…` against real
//! kubectl: every template of tests/it/data/*_templates.txt runs through `kubectl get` and through
//! knit on the same emulator objects; stdout, exit status and error text must agree, except for
//! the documented differences (knit exits 2 for a template that does not parse, where kubectl
//! exits 1; kubectl wraps a list in a `v1 List`, knit prints kn's typed list). Every mismatch is
//! reported before the test fails. go-template errors are compared by exit status only (knit's
//! gotmpl engine words them differently); a line marked `gotmpl-gap` would be a known gap of
//! gotmpl (none is, now that knit adds `%T` and Go's block checks).

use std::path::Path;

use crate::common::{Cluster, Outcome, kubectl_bin};

/// One line of a templates file.
struct Case {
    scope: String,
    options: Vec<String>,
    template: String,
}

fn cases(file: &str) -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/data")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("templates file");
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let (head, template) = line.split_once('\t').expect("SCOPE<TAB>TEMPLATE");
            let mut parts = head.split(',').map(str::to_string);
            Case {
                scope: parts.next().expect("scope"),
                options: parts.collect(),
                template: template.to_string(),
            }
        })
        .collect()
}

/// The objects every template reads: two services (one with a tag, a 70/30 traffic split, env,
/// labels and annotations with dots), their revisions.
fn seeded_cluster() -> Cluster {
    let c = Cluster::start();
    for line in [
        "service create s1 --image nginx --env A=1 --env B=two -l app.kubernetes.io/name=web -l tier=front -a note=hi -a example.com/owner=team-a",
        "service update s1 --env C=3 --tag s1-00001=old",
        "service update s1 --traffic old=30,@latest=70",
        "service create s2 --image httpd --concurrency-limit 10 -l app.kubernetes.io/name=api -a 'example.com/owner=team <a>' --scale-min 1 --scale-max 5",
    ] {
        c.run(line).ok();
    }
    c
}

/// kubectl's and knit's command lines for a case.
fn commands(case: &Case, format: &str) -> (Vec<String>, Vec<String>) {
    let (kubectl, knit): (&[&str], &[&str]) = match case.scope.as_str() {
        "svc" => (&["get", "ksvc", "s1"], &["service", "describe", "s1"]),
        "svcs" => (&["get", "ksvc"], &["service", "list"]),
        "rev" => (
            &["get", "revision", "s1-00001"],
            &["revision", "describe", "s1-00001"],
        ),
        // kn lists revisions newest first in every format (knit does too); kubectl keeps the
        // server's order, which --sort-by asks knit for.
        "revs" => (
            &["get", "revisions"],
            &["revision", "list", "--sort-by", "{.metadata.name}"],
        ),
        other => panic!("unknown scope {other}"),
    };
    let format = if case.options.iter().any(|o| o == "json") {
        "jsonpath-as-json"
    } else {
        format
    };
    let mut extra = vec![format!("-o={format}={}", case.template)];
    if case.options.iter().any(|o| o == "strict") {
        extra.push("--allow-missing-template-keys=false".to_string());
    }
    let with = |base: &[&str]| {
        base.iter()
            .map(|s| s.to_string())
            .chain(extra.iter().cloned())
            .collect()
    };
    (with(kubectl), with(knit))
}

/// The message of a failed run without its `error: ` / `Error: ` prefix and knit's usage hint.
fn message(out: &Outcome) -> String {
    let text = out
        .stderr
        .strip_prefix("error: ")
        .or_else(|| out.stderr.strip_prefix("Error: "))
        .unwrap_or(&out.stderr);
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.len() >= 2 && lines[lines.len() - 2].starts_with("Run '") {
        lines.remove(lines.len() - 2);
    }
    lines.join("\n")
}

fn words(s: &str) -> Vec<&str> {
    let mut w: Vec<&str> = s.split_whitespace().collect();
    w.sort_unstable();
    w
}

const GO_PARSE_ERROR: &str = "error parsing template";

enum Verdict {
    Identical,
    Documented(&'static str),
    Mismatch,
}

fn judge(case: &Case, kubectl: &Outcome, knit: &Outcome, parse_error: &str) -> Verdict {
    let sorted = case.options.iter().any(|o| o == "sorted");
    let same_stdout = if sorted {
        words(&kubectl.stdout) == words(&knit.stdout)
    } else {
        kubectl.stdout == knit.stdout
    };
    let (km, nm) = (message(kubectl), message(knit));
    // A list's error dump shows the list wrapper, which differs; the message up to it must not.
    let dump = "\tobject given to jsonpath engine was:";
    let lists = matches!(case.scope.as_str(), "svcs" | "revs");
    let same_message = if lists {
        km.split(dump).next() == nm.split(dump).next()
    } else {
        km == nm
    };
    if case.options.iter().any(|o| o == "list-wrapper") {
        // kubectl reads `kind: List`, `apiVersion: v1`; kn's typed list must show through.
        return if knit.code == 0 && knit.stdout != kubectl.stdout {
            Verdict::Documented("list wrapper")
        } else {
            Verdict::Mismatch
        };
    }
    if case.options.iter().any(|o| o == "gotmpl-gap") && !(same_stdout && same_message) {
        return Verdict::Documented("gotmpl gap");
    }
    // knit's go-template engine (the gotmpl crate) words its errors its own way and prints no
    // debugging dump on stdout: when both fail, only the exit status is compared.
    let go_error = parse_error == GO_PARSE_ERROR && kubectl.code != 0 && knit.code != 0;
    if go_error {
        return match (kubectl.code, knit.code) {
            (1, 1 | 2) => Verdict::Documented("go-template error text"),
            _ => Verdict::Mismatch,
        };
    }
    if !(same_stdout && same_message) {
        return Verdict::Mismatch;
    }
    match (kubectl.code, knit.code) {
        (a, b) if a == b => {
            if lists && km != nm {
                Verdict::Documented("list wrapper in the error dump")
            } else {
                Verdict::Identical
            }
        }
        (1, 2) if km.starts_with(parse_error) => Verdict::Documented("usage error exits 2"),
        _ => Verdict::Mismatch,
    }
}

fn differential(file: &str, format: &str, parse_error: &str, minimum: usize) {
    let Some(bin) = kubectl_bin() else {
        return;
    };
    let _ = bin;
    let cases = cases(file);
    assert!(
        cases.len() >= minimum,
        "{file} has {} templates",
        cases.len()
    );
    let c = seeded_cluster();
    let results: Vec<(usize, Verdict, Outcome, Outcome)> = std::thread::scope(|s| {
        let workers = 4;
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (c, cases) = (&c, &cases);
                s.spawn(move || {
                    let mut out = Vec::new();
                    for (i, case) in cases.iter().enumerate().skip(w).step_by(workers) {
                        let (kargs, nargs) = commands(case, format);
                        let kargs: Vec<&str> = kargs.iter().map(String::as_str).collect();
                        let nargs: Vec<&str> = nargs.iter().map(String::as_str).collect();
                        let kubectl = c.kubectl(&kargs, "").expect("kubectl");
                        let knit = c.knit(&nargs);
                        let verdict = judge(case, &kubectl, &knit, parse_error);
                        out.push((i, verdict, kubectl, knit));
                    }
                    out
                })
            })
            .collect();
        let mut all: Vec<_> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect();
        all.sort_by_key(|r| r.0);
        all
    });
    let (mut identical, mut documented, mut mismatches) = (0, 0, Vec::new());
    let mut reasons = std::collections::BTreeMap::new();
    for (i, verdict, kubectl, knit) in &results {
        match verdict {
            Verdict::Identical => identical += 1,
            Verdict::Documented(why) => {
                documented += 1;
                *reasons.entry(*why).or_insert(0) += 1;
            }
            Verdict::Mismatch => {
                let case = &cases[*i];
                mismatches.push(format!(
                    "template [{}] {:?}\n  kubectl: exit {} stdout {:?} stderr {:?}\n  knit:    exit {} stdout {:?} stderr {:?}",
                    [case.scope.clone()]
                        .into_iter()
                        .chain(case.options.iter().cloned())
                        .collect::<Vec<_>>()
                        .join(","),
                    case.template,
                    kubectl.code,
                    kubectl.stdout,
                    kubectl.stderr,
                    knit.code,
                    knit.stdout,
                    knit.stderr
                ));
            }
        }
    }
    println!(
        "{file}: {} templates, {identical} identical, {documented} documented differences {reasons:?}, {} mismatches",
        cases.len(),
        mismatches.len()
    );
    for m in &mismatches {
        println!("{m}");
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} templates differ from kubectl (listed above)",
        mismatches.len(),
        cases.len()
    );
}

#[test]
fn jsonpath_matches_kubectl() {
    differential(
        "jsonpath_templates.txt",
        "jsonpath",
        "error parsing jsonpath",
        300,
    );
}

#[test]
fn go_template_matches_kubectl() {
    differential(
        "gotemplate_templates.txt",
        "go-template",
        GO_PARSE_ERROR,
        60,
    );
}
