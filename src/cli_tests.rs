//! Tests of the clap root: global flags, the noun table, and parsing edge cases.

use super::parse::{levenshtein, suggestions};
use super::*;

#[test]
fn unknown_commands_are_suggested_as_cobra_does() {
    assert_eq!(levenshtein("serve", "service"), 2);
    assert_eq!(levenshtein("bogus", "route"), 4);
    assert_eq!(suggestions(&command(), "serve"), ["service"]);
    assert_eq!(suggestions(&command(), "rev"), ["revision"]);
    assert!(suggestions(&command(), "bogus").is_empty());
}

#[test]
fn a_line_s_tree_holds_its_noun_exactly_as_the_whole_tree_does() {
    let mut whole = command();
    whole.build();
    let names: Vec<&str> = whole
        .get_subcommands()
        .map(|c| c.get_name())
        .filter(|n| *n != "help")
        .collect();
    assert_eq!(names, NOUNS.iter().map(|n| n.name).collect::<Vec<_>>());
    let debug = |c: &clap::Command| format!("{c:?}");
    for noun in NOUNS {
        let word = noun.aliases.first().copied().unwrap_or(noun.name);
        let args: Vec<std::ffi::OsString> = ["knit", "--context", "x", word]
            .iter()
            .map(Into::into)
            .collect();
        let mut tree = command_for(&args);
        tree.build();
        assert_eq!(
            debug(tree.find_subcommand(noun.name).unwrap()),
            debug(whole.find_subcommand(noun.name).unwrap()),
            "{}",
            noun.name
        );
        // The root's own `--help` wording depends on whether any noun has a long about;
        // it only shows in help, which is always rendered from the whole tree.
        let root_args = |c: &clap::Command| {
            let args: Vec<_> = c.get_arguments().filter(|a| a.get_id() != "help").collect();
            format!("{args:?}")
        };
        assert_eq!(root_args(&tree), root_args(&whole));
        for (ours, theirs) in tree.get_subcommands().zip(whole.get_subcommands()) {
            assert_eq!(ours.get_name(), theirs.get_name());
            assert_eq!(
                ours.get_all_aliases().collect::<Vec<_>>(),
                theirs.get_all_aliases().collect::<Vec<_>>()
            );
            assert_eq!(
                ours.get_visible_aliases().count(),
                theirs.get_visible_aliases().count()
            );
            assert_eq!(ours.is_hide_set(), theirs.is_hide_set());
        }
        assert_eq!(
            tree.get_subcommands().count(),
            whole.get_subcommands().count()
        );
    }
}

#[test]
fn the_command_tree_is_consistent() {
    command().debug_assert();
}

#[test]
fn flags_after_positionals_and_aliases_parse() {
    let args: Vec<std::ffi::OsString> = [
        "knit",
        "ksvc",
        "describe",
        "foo",
        "-n",
        "bar",
        "--context",
        "c",
    ]
    .iter()
    .map(Into::into)
    .collect();
    let Parsed::Run(cli) = parse("knit", &args).unwrap() else {
        panic!("expected a command");
    };
    assert_eq!(cli.global.context.as_deref(), Some("c"));
    assert_eq!(command_path(&command(), &args), ["service", "describe"]);
}

#[test]
fn parse_errors_read_like_kn() {
    let err = |line: &[&str]| {
        let args: Vec<std::ffi::OsString> = line.iter().map(Into::into).collect();
        match parse("knit", &args) {
            Err(e) => (e.exit_code(), e.to_string()),
            Ok(_) => panic!("{line:?} parsed"),
        }
    };
    assert_eq!(
        err(&["knit", "service", "list", "--foo"]),
        (2, "unknown flag: --foo for 'knit service list'".to_string())
    );
    assert_eq!(
        err(&["knit", "service", "create", "x", "--image"]),
        (
            2,
            "flag needs an argument: --image for 'knit service create'".to_string()
        )
    );
    // pflag's wording for a shorthand (kn v1.15.0: `'o' in -o for 'kn service list'`).
    for line in [
        &["knit", "service", "list", "-Ao"][..],
        &["knit", "service", "list", "-o"],
    ] {
        assert_eq!(
            err(line),
            (
                2,
                "flag needs an argument: 'o' in -o for 'knit service list'".to_string()
            )
        );
    }
    assert_eq!(
            err(&["knit", "service", "foo"]),
            (
                2,
                "unknown sub-command 'foo' for 'knit service'. Available sub-commands: apply, create, delete, describe, diagnose, events, export, history, import, list, logs, rollback, rollout, update, wait"
                    .to_string()
            )
        );
    assert_eq!(
        err(&["knit", "domain", "create", "x"]),
        (2, "required flag(s) \"ref\" not set".to_string())
    );
    assert_eq!(
            err(&["knit", "service", "wait", "x", "--wait-timeout", "soon"]),
            (
                2,
                "invalid argument \"soon\" for \"--wait-timeout\" flag: strconv.ParseInt: parsing \"soon\": invalid syntax for 'knit service wait'".to_string()
            )
        );
    assert_eq!(
        err(&["knit", "domain", "create", "x", "--ref", "svc:x"]),
        (
            2,
            "invalid argument \"svc:x\" for \"--ref\" flag: unsupported sink prefix: 'svc'"
                .to_string()
        )
    );
}
