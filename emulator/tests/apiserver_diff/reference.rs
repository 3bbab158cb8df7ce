//! The reference kit's real cluster (`cluster up DIR [ARGS]`, stopped with `cluster down DIR` on
//! drop), kube clients for a kubeconfig, and the field-by-field report of two answers: shared by
//! apiserver_diff and admission_diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The running reference cluster; `cluster down` on drop, whatever happened.
pub struct Reference {
    script: PathBuf,
    pub dir: tempfile::TempDir,
}

impl Drop for Reference {
    fn drop(&mut self) {
        let _ = Command::new(&self.script)
            .arg("down")
            .arg(self.dir.path())
            .status();
    }
}

/// `cluster up DIR ARGS…` in a fresh temp dir; panics with the script's stderr if it fails.
pub fn start_reference(script: &Path, args: &[&str]) -> Reference {
    let dir = tempfile::tempdir().expect("temp dir");
    let reference = Reference {
        script: script.to_path_buf(),
        dir,
    };
    let out = Command::new(script)
        .arg("up")
        .arg(reference.dir.path())
        .args(args)
        .output()
        .expect("the reference cluster script runs");
    assert!(
        out.status.success(),
        "`{} up {}` failed:\n{}",
        script.display(),
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    reference
}

pub async fn client_for(kubeconfig: &str) -> kube::Client {
    let kubeconfig = kube::config::Kubeconfig::from_yaml(kubeconfig).expect("kubeconfig parses");
    let config = kube::Config::from_custom_kubeconfig(
        kubeconfig,
        &kube::config::KubeConfigOptions::default(),
    )
    .await
    .expect("kubeconfig loads");
    kube::Client::try_from(config).expect("client builds")
}

/// One answer as a failure report shows it: the status, each warning, then the body.
pub fn show(status: u16, warnings: &[String], body: &Value) -> String {
    let mut text = format!("{status}");
    for w in warnings {
        text.push_str(&format!("\n  Warning: {w}"));
    }
    text.push('\n');
    text.push_str(&serde_json::to_string_pretty(body).unwrap_or_default());
    text
}

/// The paths where two bodies differ, each with both values (reference first).
pub fn differences(path: &str, want: &Value, got: &Value, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let (x, y) = (
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                );
                if a.contains_key(k) != b.contains_key(k) {
                    let show = |m: &serde_json::Map<String, Value>| {
                        m.get(k).map_or("(absent)".to_string(), Value::to_string)
                    };
                    out.push(format!(
                        "  {path}.{k}: reference {} | emulator {}",
                        show(a),
                        show(b)
                    ));
                } else if x != y {
                    differences(&format!("{path}.{k}"), x, y, out);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&format!("{path}[{i}]"), x, y, out);
            }
        }
        _ if want != got => out.push(format!("  {path}: reference {want} | emulator {got}")),
        _ => {}
    }
}
