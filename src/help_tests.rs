//! Tests of the kn-style help renderer.

use super::*;
use clap::ArgAction;
use std::path::PathBuf;

fn root() -> Command {
    let mut cmd = Command::new("knit")
            .about("knit manages Knative")
            .long_about("knit is the command line interface for managing Knative Serving and Eventing resources\n\nFind more information about Knative at: https://knative.dev")
            .arg(Arg::new("kubeconfig").long("kubeconfig").global(true).value_name("string").help("kubectl configuration file (default: ~/.kube/config)"))
            .arg(Arg::new("log-http").long("log-http").global(true).action(ArgAction::SetTrue).help("log http traffic"))
            .arg(Arg::new("plugins-dir").long("plugins-dir").global(true).hide(true))
            .subcommand(
                Command::new("service")
                    .about("Manage Knative services")
                    .visible_aliases(["ksvc", "services"])
                    .subcommand(
                        Command::new("list")
                            .about("List services")
                            .visible_alias("ls")
                            .after_help("  # List all services\n  knit service list\n\n  # List in JSON\n  knit service list -o json")
                            .arg(Arg::new("name").value_name("NAME"))
                            .arg(Arg::new("namespace").short('n').long("namespace").value_name("string").help("Specify the namespace to operate in."))
                            .arg(Arg::new("all-namespaces").short('A').long("all-namespaces").action(ArgAction::SetTrue).help("If present, list the requested object(s) across all namespaces."))
                            .arg(Arg::new("wait-timeout").long("wait-timeout").value_name("int").default_value("600").help("Seconds to wait."))
                            .arg(Arg::new("output").short('o').long("output").value_name("string").default_value("table").help("Output format.\nOne of: json, yaml."))
                    )
                    .subcommand(Command::new("create").about("Create a service").override_usage("NAME --image IMAGE").arg(Arg::new("name").required(true).value_name("NAME"))),
            )
            .subcommand(Command::new("broker").about("Manage message brokers"))
            .subcommand(Command::new("subscription").about("Manage event subscriptions"))
            .subcommand(Command::new("version").about("Show the version of this client"))
            .subcommand(Command::new("emulator").about("Run a local Knative emulator"))
            .subcommand(Command::new("options").about("Print the list of flags inherited by all commands"));
    cmd.build();
    cmd
}

#[test]
fn root_help_groups_commands_like_kn() {
    let plugins = [Plugin {
        name: "knit-hello".into(),
        path: PathBuf::from("/p/knit-hello"),
        command_parts: vec!["hello".into()],
    }];
    insta::assert_snapshot!(render_at(&root(), &[], "knit", &plugins, None), @r#"
        knit is the command line interface for managing Knative Serving and Eventing resources

        Find more information about Knative at: https://knative.dev

        Serving Commands:
          service      Manage Knative services

        Eventing Commands:
          broker       Manage message brokers
          subscription Manage event subscriptions

        Other Commands:
          version      Show the version of this client
          emulator     Run a local Knative emulator

        Plugins:
          hello       /p/knit-hello


        Use "knit <command> --help" for more information about a given command.
        Use "knit options" for a list of global command-line options (applies to all commands).
        "#);
}

#[test]
fn group_help_lists_available_commands() {
    let path = ["ksvc".to_string()];
    insta::assert_snapshot!(render_at(&root(), &path, "kn", &[], None), @r#"
        Manage Knative services

        Usage:
          kn service [options]

        Aliases: 
          service, ksvc, services

        Available Commands:
          create      Create a service
          list        List services


        Use "kn <command> --help" for more information about a given command.
        Use "kn options" for a list of global command-line options (applies to all commands).
        "#);
}

#[test]
fn leaf_help_shows_examples_and_pflag_style_options() {
    let path = ["service".to_string(), "ls".to_string()];
    insta::assert_snapshot!(render_at(&root(), &path, "knit", &[], None), @r#"
        List services

        Usage:
          knit service list [NAME] [options]

        Aliases: 
          list, ls

        Examples:

          # List all services
          knit service list

          # List in JSON
          knit service list -o json


        Options:
          -A, --all-namespaces     If present, list the requested object(s) across all namespaces.
          -n, --namespace string   Specify the namespace to operate in.
          -o, --output string      Output format.
                                   One of: json, yaml. (default "table")
              --wait-timeout int   Seconds to wait. (default 600)

        Use "knit options" for a list of global command-line options (applies to all commands).
        "#);
}

#[test]
fn usage_can_be_overridden() {
    let path = ["service".to_string(), "create".to_string()];
    let help = render_at(&root(), &path, "knit", &[], None);
    assert!(
        help.contains("Usage:\n  knit service create NAME --image IMAGE [options]\n"),
        "{help}"
    );
}

#[test]
fn options_lists_visible_global_flags() {
    insta::assert_snapshot!(render_options(&root()), @r"
        The following options can be passed to any command:

              --kubeconfig string   kubectl configuration file (default: ~/.kube/config)
              --log-http            log http traffic
        ");
}
