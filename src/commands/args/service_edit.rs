//! The Service edit flags of `service create|update|apply` (kn's ConfigurationEditFlags) and
//! their resolution into an [`edit::service::ServiceEdit`].

use clap::Args;

use super::paired;
use super::podspec::{
    ContainerInput, ENV_FROM_HELP_CREATE, ENV_HELP_CREATE, ENV_VALUE_FROM_HELP_CREATE, PodSpecArgs,
};
use crate::edit::kv::KeyValueArg;
use crate::edit::profile::ProfileArg;
use crate::edit::revision_name::RevisionNameTemplate;
use crate::edit::service::{ConcurrencyLimit, ScaleRange, ScaleWindow, ServiceEdit};
use crate::error::{Error, Result};

pub const LABEL_HELP_UPDATE: &str = "Labels to set for both Service and Revision. name=value; you may provide this flag any number of times to set multiple labels. To unset, specify the label name followed by a \"-\" (e.g., name-).";
pub const LABEL_HELP_CREATE: &str = "Labels to set for both Service and Revision. name=value; you may provide this flag any number of times to set multiple labels.";
pub const ANNOTATION_HELP_UPDATE: &str = "Annotations to set for both Service and Revision. name=value; you may provide this flag any number of times to set multiple annotations. To unset, specify the annotation name followed by a \"-\" (e.g., name-).";
pub const ANNOTATION_HELP_CREATE: &str = "Annotations to set for both Service and Revision. name=value; you may provide this flag any number of times to set multiple annotations.";

/// The Service edit flags.
#[derive(Args, Debug, Clone, Default, PartialEq)]
pub struct ServiceEditArgs {
    #[command(flatten)]
    pub pod_spec: PodSpecArgs,
    /// Set the Minimum and Maximum number of replicas. You can use this flag to set both to a single value, or set a range with min/max values, or set either min or max values without specifying the other. Example: --scale 5 (scale-min = 5, scale-max = 5) or --scale 1..5 (scale-min = 1, scale-max = 5) or --scale 1.. (scale-min = 1, scale-max = unchanged) or --scale ..5 (scale-min = unchanged, scale-max = 5)
    #[arg(verbatim_doc_comment, long = "scale", value_name = "string")]
    pub scale: Option<ScaleRange>,
    /// Minimum number of replicas.
    #[arg(verbatim_doc_comment, long = "scale-min", value_name = "int")]
    pub scale_min: Option<i64>,
    /// Maximum number of replicas.
    #[arg(verbatim_doc_comment, long = "scale-max", value_name = "int")]
    pub scale_max: Option<i64>,
    /// Minimum non-zero value that a service should scale to.
    #[arg(verbatim_doc_comment, long = "scale-activation", value_name = "int")]
    pub scale_activation: Option<i64>,
    /// Set the name of the metric the PodAutoscaler should scale on. Example: --scale-metric rps (to scale on rps) or --scale-metric concurrency (to scale on concurrency). The default metric is concurrency.
    #[arg(verbatim_doc_comment, long = "scale-metric", value_name = "string")]
    pub scale_metric: Option<String>,
    /// Duration to look back for making auto-scaling decisions. The service is scaled to zero if no request was received in during that time. (eg: 10s)
    #[arg(
        long = "scale-window",
        alias = "autoscale-window",
        value_name = "string"
    )]
    pub scale_window: Option<ScaleWindow>,
    /// Specify that the service be private. (--no-cluster-local will make the service publicly available)
    #[arg(verbatim_doc_comment, long = "cluster-local", value_name = "bool", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub cluster_local: Option<bool>,
    /// Do not specify that the service be private. (--no-cluster-local will make the service publicly available) (default true)
    #[arg(verbatim_doc_comment, long = "no-cluster-local", value_name = "bool", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub no_cluster_local: Option<bool>,
    /// Recommendation for what metric value the PodAutoscaler should attempt to maintain. Use with --scale-metric flag to configure the metric name for which the target value should be maintained. Default metric name is concurrency. The flag defaults to --concurrency-limit when given.
    #[arg(
        verbatim_doc_comment,
        long = "scale-target",
        alias = "concurrency-target",
        value_name = "int"
    )]
    pub scale_target: Option<i64>,
    /// Hard Limit of concurrent requests to be processed by a single replica.
    #[arg(
        verbatim_doc_comment,
        long = "concurrency-limit",
        value_name = "int",
        allow_negative_numbers = true
    )]
    pub concurrency_limit: Option<ConcurrencyLimit>,
    /// Percentage of concurrent requests utilization before scaling up. (default 70)
    #[arg(
        verbatim_doc_comment,
        long = "scale-utilization",
        alias = "concurrency-utilization",
        value_name = "int"
    )]
    pub scale_utilization: Option<i64>,
    /// Service label to set. name=value; you may provide this flag any number of times to set multiple labels. To unset, specify the label name followed by a "-" (e.g., name-). This flag takes precedence over the "label" flag.
    #[arg(
        verbatim_doc_comment,
        long = "label-service",
        value_name = "stringArray"
    )]
    pub label_service: Vec<KeyValueArg>,
    /// Revision label to set. name=value; you may provide this flag any number of times to set multiple labels. To unset, specify the label name followed by a "-" (e.g., name-). This flag takes precedence over the "label" flag.
    #[arg(
        verbatim_doc_comment,
        long = "label-revision",
        value_name = "stringArray"
    )]
    pub label_revision: Vec<KeyValueArg>,
    /// The revision name to set. Must start with the service name and a dash as a prefix. Empty revision name will result in the server generating a name for the revision. Accepts golang templates, allowing {{.Service}} for the service name, {{.Generation}} for the generation, and {{.Random [n]}} for n random consonants (e.g. {{.Service}}-{{.Random 5}}-{{.Generation}})
    #[arg(verbatim_doc_comment, long = "revision-name", value_name = "string")]
    pub revision_name: Option<RevisionNameTemplate>,
    /// Keep the running image for the service constant when not explicitly specifying the image. (--no-lock-to-digest pulls the image tag afresh with each new revision) (default true)
    #[arg(verbatim_doc_comment, long = "lock-to-digest", value_name = "bool", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub lock_to_digest: Option<bool>,
    /// Do not keep the running image for the service constant when not explicitly specifying the image. (--no-lock-to-digest pulls the image tag afresh with each new revision)
    #[arg(verbatim_doc_comment, long = "no-lock-to-digest", value_name = "bool", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub no_lock_to_digest: Option<bool>,
    /// Service annotation to set. name=value; you may provide this flag any number of times to set multiple annotations. To unset, specify the annotation name followed by a "-" (e.g., name-). This flag takes precedence over the "annotation" flag.
    #[arg(
        verbatim_doc_comment,
        long = "annotation-service",
        value_name = "stringArray"
    )]
    pub annotation_service: Vec<KeyValueArg>,
    /// Revision annotation to set. name=value; you may provide this flag any number of times to set multiple annotations. To unset, specify the annotation name followed by a "-" (e.g., name-). This flag takes precedence over the "annotation" flag.
    #[arg(
        verbatim_doc_comment,
        long = "annotation-revision",
        value_name = "stringArray"
    )]
    pub annotation_revision: Vec<KeyValueArg>,
    /// Initial number of replicas with which a service starts. Can be 0 or a positive integer.
    #[arg(verbatim_doc_comment, long = "scale-init", value_name = "int")]
    pub scale_init: Option<i64>,
    /// Duration in seconds that the request routing layer will wait for a request delivered to a container to begin replying (default 300)
    #[arg(verbatim_doc_comment, long = "timeout", value_name = "int", value_parser = clap::value_parser!(i64).range(0..))]
    pub timeout: Option<i64>,
    /// The profile name must be defined in config.yaml or part of the built-in profile, e.g. Istio. Related annotations and labels will be added to the service.To unset, specify the profile name followed by a "-" (e.g., name-).
    #[arg(verbatim_doc_comment, long = "profile", value_name = "string")]
    pub profile: Option<ProfileArg>,
    #[arg(verbatim_doc_comment, short = 'a', long = "annotation", value_name = "stringArray", help = ANNOTATION_HELP_UPDATE)]
    pub annotation: Vec<KeyValueArg>,
    #[arg(verbatim_doc_comment, short = 'l', long = "label", value_name = "stringArray", help = LABEL_HELP_UPDATE)]
    pub label: Vec<KeyValueArg>,
}

impl ServiceEditArgs {
    /// True when no edit flag was given: every flag's default is "not given", so a new flag
    /// counts here without being listed.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Resolves the flags (reading `--env-file`/`--containers`) and checks their combinations;
    /// every problem is a usage error raised before any request.
    pub fn to_edit(&self, input: &mut dyn ContainerInput, from_file: bool) -> Result<ServiceEdit> {
        let cluster_local = match (self.cluster_local, self.no_cluster_local) {
            (None, None) => None,
            (positive, negative) => {
                Some(paired::resolve("cluster-local", positive, negative, false)?)
            }
        };
        let lock_to_digest = match (self.lock_to_digest, self.no_lock_to_digest) {
            (None, None) => None,
            (positive, negative) => {
                Some(paired::resolve("lock-to-digest", positive, negative, true)?)
            }
        };
        let edit = ServiceEdit {
            pod_spec: self.pod_spec.to_edit(input, false)?,
            scale: self.scale,
            scale_min: self.scale_min,
            scale_max: self.scale_max,
            scale_init: self.scale_init,
            scale_activation: self.scale_activation,
            scale_target: self.scale_target,
            scale_metric: self.scale_metric.clone(),
            scale_utilization: self.scale_utilization,
            scale_window: self.scale_window.clone(),
            concurrency_limit: self.concurrency_limit,
            timeout: self.timeout,
            cluster_local,
            labels: self.label.clone(),
            labels_service: self.label_service.clone(),
            labels_revision: self.label_revision.clone(),
            annotations: self.annotation.clone(),
            annotations_service: self.annotation_service.clone(),
            annotations_revision: self.annotation_revision.clone(),
            revision_name: self.revision_name.clone(),
            lock_to_digest,
            profile: self.profile.clone(),
            from_file,
            redeploy: false,
        };
        edit.validate().map_err(|e| Error::usage(e.to_string()))?;
        Ok(edit)
    }
}

/// create and apply declare the whole service, so their env, annotation and label flags say
/// nothing of unsetting with `-`. Called from `#[command(declaring_help())]`, once the flags are in.
pub trait DeclaringHelp {
    fn declaring_help(self) -> Self;
}

impl DeclaringHelp for clap::Command {
    fn declaring_help(self) -> Self {
        self.mut_arg("env", |a| a.help(ENV_HELP_CREATE))
            .mut_arg("env-value-from", |a| a.help(ENV_VALUE_FROM_HELP_CREATE))
            .mut_arg("env_from", |a| a.help(ENV_FROM_HELP_CREATE))
            .mut_arg("annotation", |a| a.help(ANNOTATION_HELP_CREATE))
            .mut_arg("label", |a| a.help(LABEL_HELP_CREATE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::args::podspec::ProcessStdin;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Probe {
        #[command(flatten)]
        edit: ServiceEditArgs,
    }

    fn parse(args: &[&str]) -> std::result::Result<ServiceEditArgs, clap::Error> {
        let mut argv = vec!["probe"];
        argv.extend_from_slice(args);
        // Through the same pflag value rule as the real command tree.
        use clap::{CommandFactory, FromArgMatches};
        let matches =
            crate::commands::args::pflag_values(Probe::command()).try_get_matches_from(argv)?;
        Probe::from_arg_matches(&matches).map(|p| p.edit)
    }

    fn edit(args: &[&str]) -> Result<ServiceEdit> {
        parse(args).unwrap().to_edit(&mut ProcessStdin, false)
    }

    #[test]
    fn empty_means_no_flag() {
        assert!(parse(&[]).unwrap().is_empty());
        assert!(!parse(&["--no-cluster-local"]).unwrap().is_empty());
        assert!(!parse(&["-eA=1"]).unwrap().is_empty());
    }

    #[test]
    fn deprecated_aliases_still_work() {
        let e = edit(&[
            "--autoscale-window",
            "10s",
            "--concurrency-target",
            "5",
            "--concurrency-utilization",
            "50",
        ])
        .unwrap();
        assert_eq!(e.scale_window, Some(ScaleWindow("10s".into())));
        assert_eq!(e.scale_target, Some(5));
        assert_eq!(e.scale_utilization, Some(50));
    }

    #[test]
    fn paired_flags() {
        assert_eq!(
            edit(&["--cluster-local"]).unwrap().cluster_local,
            Some(true)
        );
        assert_eq!(
            edit(&["--no-cluster-local"]).unwrap().cluster_local,
            Some(false)
        );
        assert_eq!(edit(&[]).unwrap().lock_to_digest, None);
        assert_eq!(
            edit(&["--no-lock-to-digest"]).unwrap().lock_to_digest,
            Some(false)
        );
        assert_eq!(
            edit(&["--cluster-local", "--no-cluster-local"])
                .unwrap_err()
                .to_string(),
            "only one of --no-cluster-local and --cluster-local may be specified"
        );
        assert_eq!(
            edit(&["--lock-to-digest=false"]).unwrap_err().to_string(),
            "use --no-lock-to-digest instead of providing \"false\" to --lock-to-digest"
        );
    }

    #[test]
    fn combination_errors_are_usage_errors() {
        let err = edit(&["--scale", "1", "--scale-max", "2"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.to_string(),
            "only --scale or --scale-max can be specified"
        );
    }

    #[test]
    fn parse_time_rejections() {
        for (args, needle) in [
            (
                vec!["--scale", "x"],
                "Scale must be of the format x..y or x",
            ),
            (vec!["--revision-name", "{{.Nope}}"], "unsupported action"),
            (vec!["--label", "=x"], "the key is empty"),
        ] {
            let err = parse(&args).unwrap_err();
            let text = err.to_string();
            assert!(text.contains(needle), "{args:?}: {text}");
        }
    }

    /// Values kn reads as given (pflag takes `-1` as the value) and then checks itself, most
    /// with Knative Serving's `ValidateAnnotations`: the texts kn v1.15.0 prints.
    #[test]
    fn value_checks_read_as_kns() {
        for (args, want) in [
            (
                vec!["--scale-window", "soon"],
                "invalid duration for 'scale-window': time: invalid duration \"soon\"",
            ),
            (
                vec!["--concurrency-limit", "-1"],
                "invalid concurrency-limit -1 (must not be less than 0)",
            ),
            (
                vec!["--concurrency-limit", "-1", "--scale-target", "0"],
                "target 0 should be at least 0.01: autoscaling.knative.dev/target",
            ),
            (
                vec!["--scale-min", "-1"],
                "expected 0 <= -1 <= 2147483647: autoscaling.knative.dev/min-scale",
            ),
            (
                vec!["--scale", "-1"],
                "expected 0 <= -1 <= 2147483647: autoscaling.knative.dev/max-scale",
            ),
            (
                vec!["--scale-utilization", "0"],
                "expected 1 <= 0 <= 100: autoscaling.knative.dev/target-utilization-percentage",
            ),
            (
                vec!["--scale-window", "-1s"],
                "expected 6s <= -1s <= 1h0m0s: autoscaling.knative.dev/window",
            ),
            (
                vec!["--scale-init", "-1"],
                "invalid value: -1: autoscaling.knative.dev/initial-scale must be greater than 0",
            ),
        ] {
            let err = edit(&args).unwrap_err();
            assert_eq!(err.to_string(), want, "{args:?}");
        }
    }
}
