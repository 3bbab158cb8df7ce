//! Tests of the pod spec flag group and its resolution into edits.

use super::*;
use clap::Parser;

#[derive(Parser, Debug)]
struct Probe {
    #[command(flatten)]
    pod: PodSpecArgs,
}

fn parse(args: &[&str]) -> std::result::Result<PodSpecArgs, clap::Error> {
    let mut argv = vec!["probe"];
    argv.extend_from_slice(args);
    Probe::try_parse_from(argv).map(|p| p.pod)
}

struct NoStdin;
impl ContainerInput for NoStdin {
    fn stdin(&mut self) -> std::io::Result<String> {
        panic!("stdin must not be read")
    }
    fn stdin_is_terminal(&self) -> bool {
        true
    }
}

struct Piped(&'static str);
impl ContainerInput for Piped {
    fn stdin(&mut self) -> std::io::Result<String> {
        Ok(self.0.to_string())
    }
    fn stdin_is_terminal(&self) -> bool {
        false
    }
}

#[test]
fn env_sources_keep_command_line_order_in_every_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("env");
    std::fs::write(&file, "F=file\n").unwrap();
    let file_arg = format!("--env-file={}", file.display());
    let pod = parse(&[
        "-eA=1",
        "--env-value-from",
        "B=cm:c:k",
        &file_arg,
        "--env=C=3",
        "-e",
        "D=4",
    ])
    .unwrap();
    let ops = pod.env.resolve().unwrap();
    assert_eq!(
        ops,
        vec![
            EnvOp::Env("A=1".parse().unwrap()),
            EnvOp::ValueFrom("B=cm:c:k".parse().unwrap()),
            EnvOp::File(vec!["F=file".parse().unwrap()]),
            EnvOp::Env("C=3".parse().unwrap()),
            EnvOp::Env("D=4".parse().unwrap()),
        ]
    );
}

#[test]
fn bad_values_fail_while_parsing_and_name_the_flag() {
    for (args, needle) in [
        (vec!["--env", "NOEQUALS"], "\"=\" character"),
        (vec!["--limit", "memory=lots"], "invalid quantity \"lots\""),
        (vec!["--mount", "/x=foo:bar"], "unsupported volume type"),
        (vec!["--probe-liveness", "grpc:1"], "unsupported probe type"),
        (
            vec!["--port", "http"],
            "the port specification 'http' is not valid",
        ),
        (
            vec!["--pull-policy", "sometimes"],
            "invalid --pull-policy sometimes",
        ),
        (
            vec!["--security-context", "x"],
            "invalid --security-context x",
        ),
        (vec!["--toleration", "Key"], "\"=\" character"),
    ] {
        let err = parse(&args).unwrap_err();
        assert_eq!(
            err.kind(),
            clap::error::ErrorKind::ValueValidation,
            "{args:?}"
        );
        let text = err.to_string();
        assert!(text.contains(needle), "{args:?}: {text}");
        assert!(text.contains(args[0]), "{args:?}: {text}");
    }
}

#[test]
fn image_twice_is_refused() {
    let pod = parse(&["--image", "a", "--image", "b"]).unwrap();
    assert_eq!(
        pod.image().unwrap_err().to_string(),
        "invalid argument \"b\" for \"--image\" flag: can be provided only once"
    );
}

#[test]
fn comma_separated_flags_split() {
    let pod = parse(&["--limit", "cpu=1,memory=2Gi", "--limit", "gpu-"]).unwrap();
    assert_eq!(pod.limit.len(), 3);
    let edit = parse(&["--toleration", "Key=k,Operator=Exists"])
        .unwrap()
        .to_edit(&mut NoStdin, false)
        .unwrap();
    assert!(edit.toleration.is_some());
}

#[test]
fn hyphen_values_for_arg_and_cmd() {
    let pod = parse(&["--arg", "--verbose", "--cmd", "-x"]).unwrap();
    assert_eq!(pod.arg, vec!["--verbose"]);
    assert_eq!(pod.cmd, vec!["-x"]);
}

#[test]
fn piped_stdin_is_read_only_when_asked_and_non_empty() {
    let pod = parse(&["--image", "x"]).unwrap();
    assert_eq!(
        pod.to_edit(&mut NoStdin, true).unwrap().extra_containers,
        None
    );
    assert_eq!(
        pod.to_edit(&mut Piped(""), true).unwrap().extra_containers,
        None
    );
    assert_eq!(
        pod.to_edit(&mut Piped("containers: []"), false)
            .unwrap()
            .extra_containers,
        None
    );
    let edit = pod
        .to_edit(&mut Piped("containers:\n- name: a\n  image: x\n"), true)
        .unwrap();
    assert_eq!(
        edit.extra_containers,
        Some(vec![serde_json::json!({"name": "a", "image": "x"})])
    );
    let dash = parse(&["--containers", "-"]).unwrap();
    assert_eq!(
        dash.to_edit(&mut Piped("{\"containers\": [{\"name\": \"j\"}]}"), false)
            .unwrap()
            .extra_containers,
        Some(vec![serde_json::json!({"name": "j"})])
    );
}

#[test]
fn env_file_errors_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("env");
    std::fs::write(&file, "BROKEN\n").unwrap();
    let pod = parse(&["--env-file", file.to_str().unwrap()]).unwrap();
    let err = pod.to_edit(&mut NoStdin, false).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert_eq!(
        err.to_string(),
        "Invalid --env-file: argument requires a value that contains the \"=\" character; got \"BROKEN\""
    );
}
