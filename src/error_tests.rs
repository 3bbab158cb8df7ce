//! Unit tests of `error.rs`.

use super::*;

#[test]
fn file_errors_read_as_go_prints_them() {
    let missing = std::fs::read_to_string("/nonexistent/x.yaml").unwrap_err();
    assert_eq!(
        path_error(
            "open",
            std::path::Path::new("/nonexistent/x.yaml"),
            &missing
        ),
        "open /nonexistent/x.yaml: no such file or directory"
    );
}

#[test]
fn usage_errors_exit_2_and_point_at_their_command() {
    let err = Error::usage_in(
        "service describe",
        "'service describe' requires the service name given as single argument",
    );
    assert_eq!(err.exit_code(), 2);
    assert_eq!(
        err.render("knit"),
        "Error: 'service describe' requires the service name given as single argument\n\
         Run 'knit service describe --help' for usage\n"
    );
}

#[test]
fn a_quoted_command_in_the_message_wins_like_kn() {
    let err = Error::usage("unknown flag: --foo for 'knit service create'");
    assert_eq!(
        err.hint("knit"),
        "Run 'knit service create --help' for usage"
    );
}

#[test]
fn apply_conflicts_name_fields_and_owners() {
    let err = Error::ApplyConflict {
        object: "service.serving.knative.dev/web".into(),
        conflicts: vec![
            FieldConflict {
                field: ".metadata.labels.a".into(),
                owner: "\"ops\"".into(),
            },
            FieldConflict {
                field: ".spec.template.spec.containers".into(),
                owner: "\"kubectl-edit\" using serving.knative.dev/v1 at 2026-01-02T03:04:05Z"
                    .into(),
            },
            FieldConflict {
                field: ".status.x".into(),
                owner: "\"ctl\" with subresource \"status\" using v1".into(),
            },
        ],
    };
    assert_eq!(err.exit_code(), 1);
    assert_eq!(
        err.to_string(),
        "cannot apply service.serving.knative.dev/web: 3 fields are owned by other field managers:\n\
         \x20 .metadata.labels.a              owned by ops (server-side apply)\n\
         \x20 .spec.template.spec.containers  owned by kubectl-edit (update at 2026-01-02T03:04:05Z)\n\
         \x20 .status.x                       owned by ctl (update, subresource status)\n\
         Nothing was changed. To take these fields over, apply again with --force-conflicts: \
         your values replace theirs and they stop owning the fields."
    );
}

#[test]
fn runtime_errors_exit_1_with_the_generic_hint() {
    let err = Error::Api(ApiStatus {
        code: 404,
        reason: "NotFound".into(),
        message: "services.serving.knative.dev \"foo\" not found".into(),
        name: Some("foo".into()),
    });
    assert_eq!(err.exit_code(), 1);
    assert!(err.is_not_found());
    assert_eq!(
        err.render("knit"),
        "Error: services.serving.knative.dev \"foo\" not found\nRun 'knit --help' for usage\n"
    );
}

#[test]
fn wait_failures_exit_1_with_their_message_as_is() {
    let err = Error::wait(
        WaitEnd::TimedOut,
        "timeout: service 'a' not ready after 5 seconds",
    );
    assert_eq!(err.exit_code(), 1);
    assert_eq!(
        err.render("kn"),
        "Error: timeout: service 'a' not ready after 5 seconds\nRun 'kn --help' for usage\n"
    );
}

#[test]
fn multiple_errors_print_one_error_line_each() {
    let err = Error::Multiple(vec![Error::failed("a"), Error::failed("b")]);
    assert_eq!(
        err.render("knit"),
        "Error: a\nError: b\nRun 'knit --help' for usage\n"
    );
}

#[test]
fn a_leading_error_prefix_is_not_doubled() {
    assert_eq!(
        Error::failed("error: boom").render("kn"),
        "Error: boom\nRun 'kn --help' for usage\n"
    );
}
