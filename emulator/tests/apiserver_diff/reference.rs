//! The reference kit's real cluster (`cluster up DIR [ARGS]`, stopped with `cluster down DIR` on
//! drop) and kube clients for a kubeconfig: shared by apiserver_diff and admission_diff.

use std::path::{Path, PathBuf};
use std::process::Command;

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
