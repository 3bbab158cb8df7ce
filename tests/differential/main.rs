//! The differential suite (issue 11): every command line of `cases/*.txt` runs through the real
//! kn v1.15.0 and through knit, each against its own fresh emulator, and their stdout, stderr and
//! exit codes must match after `normalise`. The reference is found through `KNIT_REFERENCE_KN`
//! (`.ci/run` sets it from `../shared/tools/reference/kn`); without it the suite says it is
//! skipped. `cargo test --test differential -- WORD…` runs only the cases whose name contains a
//! WORD; `DIFFERENTIAL_JOBS` sets how many cases run at once.

// The harness of tests/it, shared: this suite uses its cluster, argv and run, not its snapshot macros.
#[path = "../it/common/mod.rs"]
#[allow(unused_macros, unused_imports)]
mod common;

mod cases;
mod normalise;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use cases::{Case, Marker};
use common::{Cluster, Outcome, argv};

fn main() -> ExitCode {
    let Some(kn) = std::env::var_os("KNIT_REFERENCE_KN").filter(|v| !v.is_empty()) else {
        println!(
            "differential: skipped: KNIT_REFERENCE_KN is not set (the real kn v1.15.0 is \
             ../shared/tools/reference/kn; .ci/run sets it)"
        );
        return ExitCode::SUCCESS;
    };
    let kn = PathBuf::from(kn);
    if !kn.is_file() {
        println!(
            "differential: KNIT_REFERENCE_KN is {}, which is not a file",
            kn.display()
        );
        return ExitCode::FAILURE;
    }
    let cases = match load() {
        Ok(cases) => cases,
        Err(e) => {
            println!("differential: {e}");
            return ExitCode::FAILURE;
        }
    };
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let cases: Vec<Case> = cases
        .into_iter()
        .filter(|c| filters.is_empty() || filters.iter().any(|f| c.name.contains(f.as_str())))
        .collect();
    let reference = Reference::new(kn);
    let jobs = std::env::var("DIFFERENTIAL_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(4usize)
        .max(1);

    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Report)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(cases.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(case) = cases.get(i) else { break };
                    let report = run_case(&reference, case);
                    print!("{}", report.text);
                    results.lock().expect("results").push((i, report));
                }
            });
        }
    });

    let results = results.into_inner().expect("results");
    let failed: Vec<&str> = {
        let mut failed: Vec<(usize, &str)> = results
            .iter()
            .filter(|(_, r)| r.failed)
            .map(|(i, _)| (*i, cases[*i].name.as_str()))
            .collect();
        failed.sort();
        failed.into_iter().map(|(_, n)| n).collect()
    };
    let lines: usize = cases.iter().map(|c| c.lines.len()).sum();
    let differs: usize = results.iter().map(|(_, r)| r.differs).sum();
    let known: usize = results.iter().map(|(_, r)| r.known).sum();
    println!(
        "differential: {} cases ({lines} command lines): {} passed, {} failed; {differs} lines \
         differ on purpose, {known} lines differ in known ways being fixed elsewhere",
        cases.len(),
        cases.len() - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        println!("failed cases: {}", failed.join(" "));
        ExitCode::FAILURE
    }
}

/// Every case of every `cases/*.txt`, in file then file order; names must be unique.
fn load() -> Result<Vec<Case>, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut cases: Vec<Case> = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        for case in cases::parse(&file, &text)? {
            if let Some(other) = cases.iter().find(|c| c.name == case.name) {
                return Err(format!(
                    "{}: case {} is already defined at {}",
                    case.at, case.name, other.at
                ));
            }
            cases.push(case);
        }
    }
    Ok(cases)
}

/// How to run the real kn: its wrapper unpacks the binary into a cache under `$HOME`, which each
/// run replaces with the case's home; the cache dir is therefore fixed from this process's own.
struct Reference {
    wrapper: PathBuf,
    cache: Option<std::ffi::OsString>,
}

impl Reference {
    fn new(wrapper: PathBuf) -> Reference {
        let cache = std::env::var_os("KNIT_REF_CACHE").or_else(|| {
            let base = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
            Some(base.join("knit-reference").into_os_string())
        });
        Reference { wrapper, cache }
    }

    /// `kn ARGS` against `cluster`, isolated as `Cluster::knit_command` isolates knit: a cleared
    /// environment, the cluster's kubeconfig, and its temp dir as `$HOME` (kn writes its default
    /// config file there).
    fn command(&self, cluster: &Cluster, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.wrapper);
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", cluster.home())
            .env("XDG_CONFIG_HOME", cluster.home().join("config"))
            .env("KUBECONFIG", cluster.kubeconfig())
            .env("NO_COLOR", "1");
        if let Some(cache) = &self.cache {
            cmd.env("KNIT_REF_CACHE", cache);
        }
        cmd
    }
}

/// What one case did: its printed report and counts.
struct Report {
    text: String,
    failed: bool,
    differs: usize,
    known: usize,
}

fn run_case(reference: &Reference, case: &Case) -> Report {
    let kn_cluster = Cluster::start();
    let knit_cluster = Cluster::start();
    for cluster in [&kn_cluster, &knit_cluster] {
        std::fs::create_dir_all(cluster.path("work")).expect("work dir");
        for (name, content) in &case.files {
            let path = cluster.path("work").join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("file dir");
            }
            std::fs::write(path, content).expect("write case file");
        }
    }
    let mut text = String::new();
    let mut failed = false;
    let (mut differs, mut known) = (0, 0);
    for line in &case.lines {
        let args = argv(&line.text);
        let stdin = |cluster: &Cluster| {
            line.stdin
                .as_ref()
                .map(|f| std::fs::read_to_string(cluster.path("work").join(f)).expect("stdin file"))
        };
        let (kn_out, knit_out) = std::thread::scope(|scope| {
            let kn = scope.spawn(|| {
                let mut cmd = match kubectl_line(&args) {
                    Some(kubectl) => kubectl_command(&kn_cluster, kubectl),
                    None => reference.command(&kn_cluster, &args),
                };
                cmd.current_dir(kn_cluster.path("work"));
                common::run(cmd, stdin(&kn_cluster).as_deref())
            });
            let mut cmd = match kubectl_line(&args) {
                Some(kubectl) => kubectl_command(&knit_cluster, kubectl),
                None => knit_cluster.knit_command(&args),
            };
            cmd.current_dir(knit_cluster.path("work"));
            let knit = common::run(cmd, stdin(&knit_cluster).as_deref());
            (kn.join().expect("kn run"), knit)
        });
        let mismatch = compare(
            (&kn_out, kn_cluster.home()),
            (&knit_out, knit_cluster.home()),
        );
        let marker = line.marker.as_ref().or(case.marker.as_ref());
        match (marker, mismatch) {
            (None, None) => {}
            (None, Some(diff)) => {
                failed = true;
                text += &format!("  {} differs: {}\n{diff}", line.at, line.text);
            }
            (Some(Marker::Differs(_)), Some(_)) => differs += 1,
            (Some(Marker::Differs(why)), None) => {
                failed = true;
                text += &format!(
                    "  {} is marked `differs: {why}` but kn and knit agree: {}\n",
                    line.at, line.text
                );
            }
            (Some(Marker::Known(_)), Some(_)) => known += 1,
            (Some(Marker::Known(item)), None) => {
                text += &format!(
                    "  {} known: {item}: kn and knit agree now, drop the marker: {}\n",
                    line.at, line.text
                );
            }
        }
    }
    let status = if failed { "FAIL" } else { "ok  " };
    Report {
        text: format!("{status} {} ({})\n{text}", case.name, case.at),
        failed,
        differs,
        known,
    }
}

/// The arguments of a `kubectl …` line (a setup step as kn's e2e scenarios take them), if it is one.
fn kubectl_line<'a>(args: &'a [&'a str]) -> Option<&'a [&'a str]> {
    match args.split_first() {
        Some((&"kubectl", rest)) => Some(rest),
        _ => None,
    }
}

/// Real kubectl against one side's emulator; both sides run it, so its output is compared too.
fn kubectl_command(cluster: &Cluster, args: &[&str]) -> Command {
    let kubectl = common::kubectl_bin().expect(
        "a case runs kubectl, which is not installed (it is on every CI machine; see .ci/run)",
    );
    let mut cmd = Command::new(kubectl);
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", cluster.home())
        .env("KUBECONFIG", cluster.kubeconfig());
    cmd
}

/// `None` when both runs (each with its `$HOME`) agree after normalising, else a report of every stream that differs.
fn compare(
    (kn, kn_home): (&Outcome, &Path),
    (knit, knit_home): (&Outcome, &Path),
) -> Option<String> {
    let kn_stdout = normalise::normalise(&kn.stdout, false, kn_home);
    let kn_stderr = normalise::normalise(&kn.stderr, false, kn_home);
    let knit_stdout = normalise::normalise(&knit.stdout, true, knit_home);
    let knit_stderr = normalise::hint(
        &normalise::normalise(&knit.stderr, true, knit_home),
        &kn_stderr,
    );
    let mut report = String::new();
    // README "Exit codes": kn exits 1 for every error, knit 2 for a usage error.
    let codes_agree = kn.code == knit.code || (kn.code == 1 && knit.code == 2);
    if !codes_agree {
        report += &format!("    exit code: kn {}, knit {}\n", kn.code, knit.code);
    }
    for (stream, want, got) in [
        ("stdout", &kn_stdout, &knit_stdout),
        ("stderr", &kn_stderr, &knit_stderr),
    ] {
        if want != got {
            report += &format!("    {stream} (- kn, + knit):\n");
            let diff = similar::TextDiff::from_lines(want.as_str(), got.as_str());
            for hunk in diff.unified_diff().context_radius(2).iter_hunks() {
                for change in hunk.iter_changes() {
                    let sign = match change.tag() {
                        similar::ChangeTag::Delete => '-',
                        similar::ChangeTag::Insert => '+',
                        similar::ChangeTag::Equal => ' ',
                    };
                    let value = change.value();
                    report += &format!("      {sign}{value}");
                    if !value.ends_with('\n') {
                        report += "⏎\n";
                    }
                }
                report += "      ~\n";
            }
        }
    }
    (!report.is_empty()).then_some(report)
}
