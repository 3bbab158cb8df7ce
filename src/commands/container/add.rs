//! `knit container add NAME --image IMAGE`: prints a PodSpec fragment with one more container,
//! for `service create --containers -` (outputs chain through pipes).

use clap::Args;
use serde_json::{Value, json};

use crate::commands::args::podspec::{ContainerInput, PodSpecArgs, ProcessStdin};
use crate::context::Context;
use crate::edit::json;
use crate::error::{Error, Result};
use crate::output::structured::to_yaml;

const EXAMPLES: &str = "Examples:
  The command is Beta and may change in the future releases.

  The 'container add' represents utility command that prints YAML container spec to standard output. It's useful for
  multi-container use cases to create definition with help of standard 'knit' option flags. It accepts all container related
  flag available for 'service create'. The command can be chained through Unix pipes to create multiple containers at once.

  # Add a container 'sidecar' from image 'docker.io/example/sidecar' and print it to standard output (Beta)
  knit container add sidecar --image docker.io/example/sidecar

  # Add command can be chained by standard Unix pipe symbol '|' and passed to 'service add|update|apply' commands (Beta)
  knit container add sidecar --image docker.io/example/sidecar:first | \\
  knit container add second --image docker.io/example/sidecar:second | \\
  knit service create myksvc --image docker.io/example/my-app:latest --containers -";

/// Add a container
#[derive(Args, Debug)]
#[command(
    about = "Add a container",
    long_about = "Add a container",
    override_usage = "NAME",
    after_help = EXAMPLES,
    args_override_self = true,
    mut_arg("volume", |a| a.hide(true)),
)]
pub struct AddArgs {
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub pod_spec: PodSpecArgs,
}

pub fn run(args: &AddArgs, ctx: &Context) -> Result<()> {
    let output = add(args, &mut ProcessStdin)?;
    ctx.print(&output)
}

/// Builds the fragment: the new container first, then the containers read from `--containers`
/// or a pipe.
pub fn add(args: &AddArgs, input: &mut dyn ContainerInput) -> Result<String> {
    let [name] = args.names.as_slice() else {
        return Err(Error::usage(
            "'container add' requires the container name given as single argument",
        ));
    };
    if args.pod_spec.image()?.is_none() {
        return Err(Error::usage(
            "'container add'  requires the image name to run provided with the --image option",
        ));
    }
    let edit = args.pod_spec.to_edit(input, true)?;
    let mut pod_spec = json!({ "containers": [{}] });
    edit.apply(&mut pod_spec)
        .map_err(|e| Error::failed(e.to_string()))?;
    json::set(
        crate::edit::podspec::container_at(&mut pod_spec, 0),
        "name",
        Value::String(name.clone()),
    );
    // kn prints Go structs: every container carries `resources: {}`.
    for container in json::array(&mut pod_spec, "containers") {
        json::as_object(container)
            .entry("resources")
            .or_insert_with(|| json!({}));
    }
    to_yaml(&pod_spec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Probe {
        #[command(flatten)]
        add: AddArgs,
    }

    struct Stdin(&'static str, bool);
    impl ContainerInput for Stdin {
        fn stdin(&mut self) -> std::io::Result<String> {
            Ok(self.0.to_string())
        }
        fn stdin_is_terminal(&self) -> bool {
            self.1
        }
    }

    fn run_add(args: &[&str], stdin: Stdin) -> Result<String> {
        let mut argv = vec!["add"];
        argv.extend_from_slice(args);
        let probe = Probe::try_parse_from(argv).unwrap();
        add(&probe.add, &mut { stdin })
    }

    #[test]
    fn one_container() {
        let out = run_add(&["side", "--image", "nginx", "-e", "A=1"], Stdin("", true)).unwrap();
        assert_eq!(
            out,
            "containers:\n- env:\n  - name: A\n    value: \"1\"\n  image: nginx\n  name: side\n  resources: {}\n"
        );
    }

    #[test]
    fn piped_containers_follow_the_new_one() {
        let piped = "containers:\n- image: first\n  name: a\n  resources: {}\n";
        let out = run_add(&["b", "--image", "second"], Stdin(piped, false)).unwrap();
        assert_eq!(
            out,
            "containers:\n- image: second\n  name: b\n  resources: {}\n- image: first\n  name: a\n  resources: {}\n"
        );
    }

    #[test]
    fn empty_ci_stdin_is_not_an_error() {
        let out = run_add(&["b", "--image", "x"], Stdin("", false)).unwrap();
        assert_eq!(out, "containers:\n- image: x\n  name: b\n  resources: {}\n");
    }

    #[test]
    fn errors() {
        assert_eq!(
            run_add(&["--image", "x"], Stdin("", true))
                .unwrap_err()
                .to_string(),
            "'container add' requires the container name given as single argument"
        );
        assert_eq!(
            run_add(&["a"], Stdin("", true)).unwrap_err().to_string(),
            "'container add'  requires the image name to run provided with the --image option"
        );
    }
}
