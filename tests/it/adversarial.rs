//! Hostile command lines: `service create` and `service update` with every value-taking flag fed
//! values chosen to break parsers (empty, signs, separators, control characters, huge numbers,
//! very long text). Whatever knit is given, it never panics, exits 0, 1 or 2, says `Error:` on
//! every failure, names the flag in every flag-value error, and writes nothing when it fails.
//! Cases come from a seeded generator, so a failure prints the seed and the exact line.

use crate::common::Cluster;

/// Flags of `service create`/`update` that take a value.
const FLAGS: &[&str] = &[
    "--annotation",
    "--annotation-revision",
    "--annotation-service",
    "--arg",
    "--cmd",
    "--concurrency-limit",
    "--env",
    "--env-from",
    "--env-value-from",
    "--label",
    "--label-revision",
    "--label-service",
    "--limit",
    "--mount",
    "--node-affinity",
    "--node-selector",
    "--port",
    "--probe-liveness",
    "--probe-liveness-opts",
    "--probe-readiness",
    "--probe-readiness-opts",
    "--pull-policy",
    "--pull-secret",
    "--request",
    "--revision-name",
    "--scale",
    "--scale-activation",
    "--scale-init",
    "--scale-max",
    "--scale-metric",
    "--scale-min",
    "--scale-target",
    "--scale-utilization",
    "--scale-window",
    "--security-context",
    "--service-account",
    "--tag",
    "--timeout",
    "--toleration",
    "--user",
    "--volume",
];

/// Values that have broken parsers somewhere.
const VALUES: &[&str] = &[
    "",
    "-",
    "--",
    "-1",
    "0",
    "1",
    "+5",
    "1.5",
    "1e3",
    "NaN",
    "99999999999999999999",
    "-9223372036854775808",
    "=",
    "==",
    "a=",
    "=b",
    "a=b=c",
    "a-",
    "A=1,B=2",
    ",,",
    ":",
    "a:b:c",
    "..",
    "1..",
    "..5",
    "5..1",
    "http://",
    "exec:",
    "tcp:abc",
    "cm:",
    "secret:x:y",
    "config-map:c:/path",
    "/etc/passwd",
    "pvc:claim:rw",
    "emptyDir:e:type=Memory,size=-1Mi",
    "x=y:NoSchedule:Bad",
    "cpu=-1",
    "memory=1Zi",
    "@latest=",
    "hello-00001=101",
    "ünïcødé=🦀",
    "bell\u{7}=1",
    "line\nbreak=1",
    "tab\tvalue",
    "'quoted'",
    "\"dq\"",
    "${HOME}",
    "$(rm -rf /)",
    "restricted",
    "strict",
    "none",
];

/// A small seeded generator (xorshift64*): deterministic per seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }

    fn value(&mut self) -> String {
        match self.next() % 10 {
            // Long values and long lists of them.
            0 => "x".repeat(300 + (self.next() % 5000) as usize),
            1 => (0..50)
                .map(|i| format!("k{i}=v"))
                .collect::<Vec<_>>()
                .join(","),
            _ => self.pick(VALUES).to_string(),
        }
    }
}

fn seed() -> u64 {
    std::env::var("KNIT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        })
}

/// Runs `cases` command lines made by `line`, checks each outcome, and returns which cases
/// succeeded.
fn fuzz(
    cluster: &Cluster,
    cases: usize,
    mut line: impl FnMut(&mut Rng, usize) -> Vec<String>,
) -> Vec<bool> {
    let seed = seed();
    let mut rng = Rng(seed);
    (0..cases)
        .map(|case| {
            let args = line(&mut rng, case);
            let argv: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = cluster.knit(&argv);
            let context = format!("seed {seed} (KNIT_FUZZ_SEED), case {case}: {argv:?}\n{out:?}");
            assert!(matches!(out.code, 0..=2), "unexpected exit code: {context}");
            assert!(!out.stderr.contains("panicked"), "panic: {context}");
            if out.code != 0 {
                assert!(
                    out.stderr.contains("Error: "),
                    "no error message: {context}"
                );
            }
            if out.stderr.contains("invalid argument") {
                assert!(
                    FLAGS
                        .iter()
                        .any(|f| out.stderr.contains(&format!("\"{f}\""))),
                    "a flag-value error that names no flag: {context}"
                );
            }
            out.code == 0
        })
        .collect()
}

#[test]
fn hostile_service_creates_never_panic_and_write_nothing_when_they_fail() {
    let cluster = Cluster::start();
    let succeeded = fuzz(&cluster, 150, |rng, case| {
        let name = format!("fz{case}");
        let mut args: Vec<String> = ["service", "create", &name, "--image", "img", "--no-wait"]
            .map(String::from)
            .to_vec();
        for _ in 0..1 + rng.next() % 3 {
            args.push(rng.pick(FLAGS).to_string());
            args.push(rng.value());
        }
        args
    });
    // Exactly the creates that succeeded stored a service; the failed ones left nothing.
    let listed = cluster.knit(&["service", "list", "-o", "name"]).ok().stdout;
    let mut stored: Vec<&str> = listed.lines().collect();
    stored.sort_unstable();
    let mut expected: Vec<String> = (0..succeeded.len())
        .filter(|&case| succeeded[case])
        .map(|case| format!("service.serving.knative.dev/fz{case}"))
        .collect();
    expected.sort_unstable();
    assert_eq!(stored, expected);
}

#[test]
fn hostile_service_updates_never_panic_and_change_nothing_when_they_fail() {
    let cluster = Cluster::start();
    cluster.ready_service("default", "target", "img");
    // What an update writes: the spec and, with it, the generation (status moves on its own).
    let before = |c: &Cluster| {
        let json = c
            .knit(&["service", "describe", "target", "-o", "json"])
            .ok()
            .stdout;
        let service: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        (
            service["metadata"]["generation"].clone(),
            service["spec"].clone(),
        )
    };
    let mut last = before(&cluster);
    let seed = seed();
    let mut rng = Rng(seed);
    for case in 0..100 {
        let mut args: Vec<String> = ["service", "update", "target", "--no-wait"]
            .map(String::from)
            .to_vec();
        for _ in 0..1 + rng.next() % 3 {
            args.push(rng.pick(FLAGS).to_string());
            args.push(rng.value());
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = cluster.knit(&argv);
        let context = format!("seed {seed} (KNIT_FUZZ_SEED), case {case}: {argv:?}\n{out:?}");
        assert!(matches!(out.code, 0..=2), "unexpected exit code: {context}");
        assert!(!out.stderr.contains("panicked"), "panic: {context}");
        let now = before(&cluster);
        if out.code == 0 {
            last = now;
        } else {
            assert!(
                out.stderr.contains("Error: "),
                "no error message: {context}"
            );
            assert_eq!(now, last, "a failed update changed the service: {context}");
        }
    }
}
