//! Build metadata for `knit version`: the git commit and the build date.
//!
//! Works in a git checkout, in a clean clone, from `cargo install --path .` and from a source
//! tarball without git (the commit is then empty). `SOURCE_DATE_EPOCH` makes the date reproducible;
//! `KNIT_GIT_COMMIT` overrides the commit (for packagers building outside git).
//!
//! It also links the `knit` binary with packed relative relocations (DT_RELR) where the linker
//! and C library support them: start-up then reads a few KiB of relocations instead of MiBs.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    pack_relative_relocations();
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    println!("cargo:rerun-if-env-changed=KNIT_GIT_COMMIT");

    let commit = std::env::var("KNIT_GIT_COMMIT")
        .ok()
        .or_else(|| git(&["rev-parse", "--short=8", "HEAD"]))
        .unwrap_or_default();
    println!("cargo:rustc-env=KNIT_GIT_COMMIT={commit}");

    // Re-run when HEAD moves (a commit, a checkout); `.git` may be a file in a worktree, so ask git.
    for path in ["HEAD", "logs/HEAD"] {
        if let Some(p) = git(&["rev-parse", "--git-path", path]) {
            println!("cargo:rerun-if-changed={p}");
        }
    }

    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    println!("cargo:rustc-env=KNIT_BUILD_DATE={}", format_utc(epoch));
}

/// `knit version` spent a seventh of its time in the dynamic loader applying ~150k RELA relative
/// relocations (3.5 MiB of table); DT_RELR packs them into a bitmap and keeps the binary PIE (ASLR).
/// It needs binutils >= 2.38 (or lld) and glibc >= 2.36 at build and run time, so a probe link of
/// an empty program decides; `KNIT_NO_RELR=1` turns it off (e.g. to ship to older glibc).
fn pack_relative_relocations() {
    println!("cargo:rerun-if-env-changed=KNIT_NO_RELR");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if matches!(var("KNIT_NO_RELR").as_str(), "" | "0")
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && matches!(var("CARGO_CFG_TARGET_ARCH").as_str(), "x86_64" | "aarch64")
        && var("HOST") == var("TARGET")
        && probe_relr(&var("OUT_DIR"))
    {
        println!("cargo:rustc-link-arg-bin=knit=-Wl,-z,pack-relative-relocs");
    }
}

/// Links and runs an empty C program with the flag: the linker must take it without a warning
/// (old ld ignores unknown `-z` options with one) and the result must load.
fn probe_relr(out_dir: &str) -> bool {
    use std::io::Write;
    let linker = std::env::var("RUSTC_LINKER").unwrap_or_else(|_| "cc".into());
    let exe = std::path::Path::new(out_dir).join("relr-probe");
    let child = Command::new(&linker)
        .args([
            "-x",
            "c",
            "-",
            "-fPIE",
            "-pie",
            "-Wl,-z,pack-relative-relocs",
            "-o",
        ])
        .arg(&exe)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else { return false };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"int main(void) { return 0; }\n");
    }
    let linked = child
        .wait_with_output()
        .is_ok_and(|out| out.status.success() && out.stderr.is_empty());
    linked && Command::new(&exe).status().is_ok_and(|s| s.success())
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// `YYYY-MM-DD HH:MM:SS` in UTC (kn's layout), without a date crate in the build script.
fn format_utc(epoch: u64) -> String {
    let days = (epoch / 86_400) as i64;
    let secs = epoch % 86_400;
    // Howard Hinnant's civil-from-days algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}
