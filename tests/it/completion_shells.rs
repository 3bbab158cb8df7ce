//! The checked-in completion scripts in real shells against the emulator: bash (its completion
//! function given what bash gives it), zsh (interactive, in a pseudo-terminal through `zpty`) and
//! fish (`complete -C`) complete `-n`, `-o`, `--broker`, sinks, revisions and tags exactly;
//! PowerShell and elvish, not installed here, through the protocol their scripts speak.

use std::path::Path;
use std::process::Command;

use knit_emulator::resource::GroupResource;
use serde_json::json;

use crate::common::Cluster;

/// A real shell, or `None` (and the one-line skip notice) when it is not installed.
fn shell(name: &str) -> Option<std::path::PathBuf> {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().into());
    crate::common::tool_available(name, found.is_some())
        .then_some(found)
        .flatten()
}

fn script(file: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(file)
}

/// A cluster to complete against: namespace `team` with brokers `b1`, `b2` and service `s` with
/// two revisions, the first tagged `blue`; `default` holds a broker `elsewhere`.
fn seeded() -> Cluster {
    let cluster = Cluster::start();
    cluster
        .api()
        .create(
            &GroupResource::new("", "namespaces"),
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}}),
        )
        .unwrap();
    for line in [
        "service create s --image ghcr.io/knative/helloworld-go -n team",
        "service update s --env A=1 -n team",
        "service update s --tag s-00001=blue -n team",
        "broker create b1 -n team",
        "broker create b2 -n team",
        "broker create elsewhere",
    ] {
        let out = cluster.run(line);
        assert_eq!(out.code, 0, "{line}: {}", out.stderr);
    }
    cluster
}

/// The lines every shell completes, and the candidates expected: namespaces for `-n`, formats
/// for `-o`, brokers of the namespace on the line, revision references for `--tag`.
const CASES: &[(&str, &[&str])] = &[
    (
        "knit service list -n ",
        &[
            "default",
            "knative-eventing",
            "knative-serving",
            "kube-node-lease",
            "kube-public",
            "kube-system",
            "team",
        ],
    ),
    (
        "knit service list -o ",
        &[
            "json",
            "yaml",
            "name",
            "go-template",
            "go-template-file",
            "template",
            "templatefile",
            "jsonpath",
            "jsonpath-as-json",
            "jsonpath-file",
            "wide",
        ],
    ),
    (
        "knit service describe s -o js",
        &["json", "jsonpath", "jsonpath-as-json", "jsonpath-file"],
    ),
    ("knit trigger create t -n team --broker ", &["b1", "b2"]),
    ("knit trigger create t --broker ", &["elsewhere"]),
    (
        "knit service update s -n team --tag ",
        &["@latest=", "s-00001=", "s-00002="],
    ),
    (
        "knit service update s -n team --traffic ",
        &["@latest=", "s-00001=", "s-00002=", "blue="],
    ),
    ("knit service update s -n team --untag ", &["blue"]),
    (
        "knit trigger create t -n team --sink broker:",
        &["broker:b1", "broker:b2"],
    ),
    (
        "knit revision describe -n team s-0000",
        &["s-00001", "s-00002"],
    ),
    ("knit completion z", &["zsh"]),
    ("knit service list --context ", &["emulator"]),
    (
        "knit service list -o=js",
        &[
            "-o=json",
            "-o=jsonpath",
            "-o=jsonpath-as-json",
            "-o=jsonpath-file",
        ],
    ),
    (
        "knit service update s -n team --traffic blue=50,s-",
        &["blue=50,s-00001=", "blue=50,s-00002="],
    ),
    ("knit service list --cluster em", &["emulator"]),
];

/// The environment every shell runs knit in: the built binary first on PATH, the cluster's
/// kubeconfig, a private home.
fn shell_command(program: &Path, cluster: &Cluster) -> Command {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_knit")).parent().unwrap();
    let mut cmd = Command::new(program);
    cmd.env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
        .env("HOME", cluster.home())
        .env("XDG_CONFIG_HOME", cluster.home().join("config"))
        .env("KUBECONFIG", cluster.kubeconfig())
        .env("TERM", "xterm");
    cmd
}

fn check(shell: &str, got: Vec<Vec<String>>) {
    for ((line, want), got) in CASES.iter().zip(got) {
        assert_eq!(got, *want, "{shell}: {line:?}");
    }
}

#[test]
fn bash_completes_flag_values_from_the_cluster() {
    let Some(bash) = shell("bash") else { return };
    let cluster = seeded();
    let mut got: Vec<Vec<String>> = Vec::new();
    let mut want: Vec<Vec<String>> = Vec::new();
    for (line, expected) in CASES {
        // What bash gives a completion function: the line and cursor, COMP_WORDS split at
        // blanks and at COMP_WORDBREAKS (`=`, `:`), and the part of the word after the last
        // break as $2, which is all bash replaces. The script reads the line itself.
        let words: Vec<&str> = line.split(' ').collect();
        let cur = words[words.len() - 1];
        let kept = cur.rfind(['=', ':']).map_or("", |i| &cur[..=i]);
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let program = format!(
            "source {script}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; \
             COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_TYPE=9; \
             _clap_complete_knit knit '{bash_cur}' '{prev}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script = script("knit.bash").display(),
            words = quoted.join(" "),
            cword = words.len() - 1,
            bash_cur = &cur[kept.len()..],
            prev = words[words.len() - 2],
        );
        let out = shell_command(&bash, &cluster)
            .arg("-c")
            .arg(program)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{line}");
        got.push(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(String::from)
                .collect(),
        );
        want.push(
            expected
                .iter()
                .map(|w| w.strip_prefix(kept).unwrap_or(w).to_string())
                .collect::<Vec<_>>(),
        );
    }
    for ((line, _), (got, want)) in CASES.iter().zip(got.iter().zip(&want)) {
        assert_eq!(got, want, "bash: {line:?}");
    }
    // `--sink broker:` leaves `broker:` on the line and offers what follows it.
    assert_eq!(want[8], ["b1", "b2"]);
}

#[test]
fn fish_completes_flag_values_from_the_cluster() {
    let Some(fish) = shell("fish") else { return };
    let cluster = seeded();
    let mut got = Vec::new();
    for (line, _) in CASES {
        // `complete -C` runs fish's own completion machinery on a command line.
        let out = shell_command(&fish, &cluster)
            .args(["--no-config", "-c"])
            .arg(format!(
                "source {}; complete -C'{line}'",
                script("knit.fish").display()
            ))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{line}");
        got.push(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(|l| l.split('\t').next().unwrap_or_default().to_string())
                .collect(),
        );
    }
    check("fish", got);
}

/// Drives an interactive zsh in a pseudo-terminal (zsh's own `zpty`): types each line and a
/// TAB, records what the completion system was given through a `compadd` wrapper into
/// OUTDIR/N, then ^X (bound to a widget that marks N done and clears the line).
const ZSH_DRIVER: &str = r#"
script=$1 outdir=$2; shift 2
zmodload zsh/zpty || exit 3
zpty knitz zsh -f -i
zpty -w knitz "PS1=''"
zpty -w knitz "autoload -U compinit && compinit -u -D"
zpty -w knitz "source ${(q)script}"
zpty -w knitz "integer knit_n=1"
zpty -w knitz "compadd() { if (( \${@[(I)-[OAD]]} )); then builtin compadd \"\$@\"; return; fi; local -a hits; builtin compadd -A hits \"\$@\"; print -rl -- \$hits >> ${(q)outdir}/\$knit_n; builtin compadd \"\$@\" }"
zpty -w knitz "knit-next() { : >> ${(q)outdir}/\$knit_n.done; (( knit_n++ )); BUFFER='' }; zle -N knit-next; bindkey '^X' knit-next; bindkey '^I' complete-word"
zpty -w knitz "print RE''ADY"
zpty -r -m knitz junk '*READY*' || exit 5
integer n=1
for line in "$@"; do
  zpty -w -n knitz "$line"$'\t\x18'
  for i in {1..1000}; do [[ -e $outdir/$n.done ]] && break; zpty -r -t knitz junk; sleep 0.02; done
  [[ -e $outdir/$n.done ]] || exit 4
  (( n++ ))
done
zpty -d knitz
"#;

#[test]
fn zsh_completes_flag_values_from_the_cluster() {
    let Some(zsh) = shell("zsh") else { return };
    let cluster = seeded();
    let driver = cluster.write("drive.zsh", ZSH_DRIVER);
    let outdir = cluster.path("zsh-out");
    std::fs::create_dir_all(&outdir).unwrap();
    let out = shell_command(&zsh, &cluster)
        .arg("-f")
        .arg(&driver)
        .arg(script("_knit"))
        .arg(&outdir)
        .args(CASES.iter().map(|(line, _)| line))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "zsh driver exited {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let got = (1..=CASES.len())
        .map(|n| {
            std::fs::read_to_string(outdir.join(n.to_string()))
                .unwrap_or_default()
                .lines()
                .map(String::from)
                .collect()
        })
        .collect();
    check("zsh", got);
}

/// PowerShell and elvish are not installed here: their scripts call the same protocol, so the
/// answers they are given are checked at that level, for each kind of value.
#[test]
fn powershell_and_elvish_get_flag_values_through_the_protocol() {
    let cluster = seeded();
    for shell in ["powershell", "elvish"] {
        for (line, want) in [
            ("knit service list -n t", &["team"][..]),
            (
                "knit service list -o js",
                &["json", "jsonpath", "jsonpath-as-json", "jsonpath-file"],
            ),
            ("knit trigger create t -n team --broker ", &["b1", "b2"]),
            (
                "knit service update s -n team --tag ",
                &["@latest=", "s-00001=", "s-00002="],
            ),
        ] {
            let words: Vec<&str> = line.split(' ').collect();
            let out = cluster
                .knit_command(&[])
                .arg("--")
                .args(&words)
                .env("COMPLETE", shell)
                .env("_CLAP_IFS", "\n")
                .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
                .output()
                .unwrap();
            assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{shell}: {line}");
            let got: Vec<String> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(|l| l.split('\t').next().unwrap_or_default().to_string())
                .collect();
            assert_eq!(got, want, "{shell}: {line}");
        }
    }
}
