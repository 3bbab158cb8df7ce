//! `knit doctor`: whether knit can work against the current cluster, and how its Knative is
//! set up, one OK/WARN/FAIL line per check (the checks are `diagnose::doctor`).

use clap::Args;

use crate::commands::args::namespace::NamespaceArgs;
use crate::context::Context;
use crate::diagnose::doctor;
use crate::error::{Error, Result};
use crate::output::views::diagnosis;

const EXAMPLES: &str = "
  # Check the cluster of the current context
  knit doctor

  # Check the permissions in namespace 'dev', for a program
  knit doctor -n dev -o json";

/// Check the cluster, your permissions and the Knative installation
#[derive(Args, Debug)]
#[command(
    about = "Check the cluster, your permissions and the Knative installation",
    long_about = "Check that the cluster answers, who you are to it (SelfSubjectReview), that you may do what knit does in the namespace (SelfSubjectAccessReview per verb and resource), which Knative Serving and Eventing versions are installed, and Knative's networking layer, domain, feature flags and autoscaler defaults. Each check prints OK, WARN or FAIL with what to do. Exits 0 when every check is OK, 1 otherwise.",
    after_help = EXAMPLES
)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    /// Output format. One of: json.
    #[arg(short, long, value_name = "string")]
    pub output: Option<String>,
}

pub async fn run(args: &DoctorArgs, ctx: &Context) -> Result<()> {
    if let Some(o) = args.output.as_deref().filter(|o| *o != "json") {
        return Err(Error::usage_in(
            "doctor",
            format!("invalid value '{o}' for '--output': only json is supported"),
        ));
    }
    let namespace = args.namespace.resolve(ctx)?;
    let server = ctx
        .kubeconfig()
        .ok()
        .flatten()
        .and_then(|k| crate::client::config::selected_server(k, &ctx.connect));
    let report = match ctx.client().await {
        Ok(client) => doctor::run(client, server.as_deref(), &namespace).await,
        Err(e) => doctor::Report {
            ok: false,
            checks: vec![doctor::Check {
                name: "cluster".into(),
                level: doctor::Level::Fail,
                message: format!("cannot connect: {e}"),
                hint: "check the kubeconfig (--kubeconfig, --context)".into(),
            }],
        },
    };
    match args.output.as_deref() {
        Some(_) => ctx.println(
            &serde_json::to_string_pretty(&report).map_err(|e| Error::failed(e.to_string()))?,
        )?,
        None => ctx.print(&diagnosis::doctor(&report))?,
    }
    if report.ok {
        Ok(())
    } else {
        Err(Error::Silent(1))
    }
}
