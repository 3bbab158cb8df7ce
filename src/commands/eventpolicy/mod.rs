//! `knit eventpolicy` (alias `eventpolicies`): EventPolicies (eventing.knative.dev/v1alpha1), who
//! may send events to which resources when OIDC authentication is on.

pub mod create;
pub mod delete;
pub mod describe;
pub mod list;
pub mod update;

use clap::Args;
use serde_json::Value;

use crate::client::Client;
use crate::commands::args::eventing::sink_mappings;
use crate::context::Context;
use crate::edit::eventing::policy::{
    ListOp, PolicyEdit, RefPattern, SelectorSpec, parse_labels, split_removal,
};
use crate::error::{Error, Result};
use crate::ops::sink::{self, SinkArg};

/// Manage event policies
#[derive(Args, Debug)]
#[command(
    about = "Manage event policies",
    long_about = "Manage event policies: which senders (object references or OIDC subjects) may send events to which resources, when OIDC authentication is enabled",
    override_usage = "COMMAND"
)]
pub struct EventPolicyCommand {
    #[command(subcommand)]
    pub verb: Option<EventPolicyVerb>,
}

noun_verbs! {
    /// The verbs of `knit eventpolicy`.
    pub enum EventPolicyVerb for EventPolicyCommand at ["eventpolicy"] {
        Create(create::CreateArgs),
        Delete(delete::DeleteArgs),
        Describe(describe::DescribeArgs),
        Update(update::UpdateArgs),
        #[command(visible_alias = "ls")]
        List(list::ListArgs),
    }
}

/// The flags `create` and `update` share.
#[derive(Args, Debug, Clone, Default)]
pub struct PolicyFlags {
    #[arg(
        long = "to",
        value_name = "stringArray",
        help = "Resource the policy applies to, in the policy's namespace, as PREFIX:NAME (the --sink prefixes: broker, channel, ksvc, a sink mapping or GROUP/VERSION/RESOURCE, e.g. 'broker:default'). Repeatable. Append '-' to remove it (e.g. --to broker:default-). Without --to and --to-selector the policy applies to every resource of its namespace."
    )]
    pub to: Vec<String>,
    #[arg(
        long = "to-selector",
        value_name = "stringArray",
        help = "Resources the policy applies to by label, as KIND:KEY=VALUE[,KEY=VALUE...] with KIND one of broker, channel, inmemorychannel, ksvc, jobsink, integrationsink, eventtransform, sequence, parallel, requestreply (e.g. 'broker:team=a'). Repeatable. 'KIND-' removes the selectors of that kind."
    )]
    pub to_selector: Vec<String>,
    #[arg(
        long = "from",
        value_name = "stringArray",
        help = "Sender allowed by the policy, as PREFIX:NAME[:NAMESPACE] (e.g. 'sources.knative.dev/v1/pingsources:heartbeat'); the object must exist. Its OIDC identity is resolved by the controller. Repeatable. Append '-' to remove it."
    )]
    pub from: Vec<String>,
    #[arg(
        long = "from-subject",
        value_name = "stringArray",
        help = "OIDC subject allowed by the policy (e.g. 'system:serviceaccount:ns:sa'); a trailing '*' matches any suffix. Repeatable. Append '-' to remove it."
    )]
    pub from_subject: Vec<String>,
    #[arg(
        long = "cesql",
        value_name = "string",
        help = "CloudEvents SQL expression the admitted events must also match (e.g. \"type = 'order.created'\"). An empty value removes the filter."
    )]
    pub cesql: Option<String>,
}

/// The `--to-selector` kinds: prefix, apiVersion, kind.
const SELECTOR_KINDS: &[(&str, &str, &str)] = &[
    ("broker", "eventing.knative.dev/v1", "Broker"),
    ("channel", "messaging.knative.dev/v1", "Channel"),
    (
        "inmemorychannel",
        "messaging.knative.dev/v1",
        "InMemoryChannel",
    ),
    ("ksvc", "serving.knative.dev/v1", "Service"),
    ("jobsink", "sinks.knative.dev/v1alpha1", "JobSink"),
    (
        "integrationsink",
        "sinks.knative.dev/v1alpha1",
        "IntegrationSink",
    ),
    (
        "eventtransform",
        "eventing.knative.dev/v1alpha1",
        "EventTransform",
    ),
    ("sequence", "flows.knative.dev/v1", "Sequence"),
    ("parallel", "flows.knative.dev/v1", "Parallel"),
    (
        "requestreply",
        "eventing.knative.dev/v1alpha1",
        "RequestReply",
    ),
];

fn selector_kind(flag_value: &str, prefix: &str) -> Result<(String, String)> {
    SELECTOR_KINDS
        .iter()
        .find(|(p, _, _)| *p == prefix)
        .map(|(_, api_version, kind)| (api_version.to_string(), kind.to_string()))
        .ok_or_else(|| {
            let accepted: Vec<&str> = SELECTOR_KINDS.iter().map(|(p, _, _)| *p).collect();
            Error::usage(format!(
                "invalid argument \"{flag_value}\" for \"--to-selector\" flag: unknown kind '{prefix}'; expected one of {}",
                accepted.join(", ")
            ))
        })
}

/// A `--to`/`--from` value as an object name (URLs and paths are refused).
fn object_arg(flag: &str, text: &str) -> Result<SinkArg> {
    let arg: SinkArg = text.parse().map_err(|e| {
        Error::usage(format!(
            "invalid argument \"{text}\" for \"{flag}\" flag: {e}"
        ))
    })?;
    match &arg {
        SinkArg::Ref { path: None, .. } => Ok(arg),
        _ => Err(Error::usage(format!(
            "invalid argument \"{text}\" for \"{flag}\" flag: an event policy names objects, not URLs or paths; expected PREFIX:NAME or PREFIX:NAME:NAMESPACE"
        ))),
    }
}

impl PolicyFlags {
    /// The edit these flags ask for: added references are looked up (they must exist, and the
    /// server tells their kind), removals are matched by resource and name.
    pub async fn resolve(
        &self,
        ctx: &Context,
        client: &Client,
        namespace: &str,
    ) -> Result<PolicyEdit> {
        let mappings = sink_mappings(ctx);
        let mut edit = PolicyEdit {
            cesql: self.cesql.clone(),
            ..Default::default()
        };
        for (flag, values) in [("--to", &self.to), ("--from", &self.from)] {
            for value in values {
                let (text, remove) = split_removal(value);
                let arg = object_arg(flag, text)?;
                let target = sink::target(&arg, flag, &mappings, namespace)?
                    .expect("object_arg returns references only");
                if flag == "--to" && target.namespace != namespace {
                    return Err(Error::usage(format!(
                        "invalid argument \"{value}\" for \"--to\" flag: an event policy applies to resources of its own namespace '{namespace}', not '{}'",
                        target.namespace
                    )));
                }
                if remove {
                    let pattern = RefPattern {
                        group: target.gvr.group.clone(),
                        resource: target.gvr.resource.clone(),
                        name: target.name.clone(),
                        namespace: Some(target.namespace.clone()),
                    };
                    match flag {
                        "--to" => edit.to_removals.push(pattern),
                        _ => edit.from_removals.push(pattern),
                    }
                    continue;
                }
                let destination = sink::resolve(client, &arg, flag, &mappings, namespace).await?;
                let mut reference = destination.get("ref").cloned().unwrap_or(Value::Null);
                if flag == "--to" {
                    // `to[].ref` has no namespace: the policy's own.
                    if let Some(r) = reference.as_object_mut() {
                        r.remove("namespace");
                    }
                    edit.to.push(reference);
                } else {
                    edit.from.push(reference);
                }
            }
        }
        for value in &self.to_selector {
            match value.split_once(':') {
                Some((prefix, labels)) => {
                    let (api_version, kind) = selector_kind(value, prefix)?;
                    let labels = parse_labels("--to-selector", labels)
                        .map_err(|e| Error::usage(e.to_string()))?;
                    edit.to_selectors.push(SelectorSpec {
                        api_version,
                        kind,
                        labels,
                    });
                }
                None => match split_removal(value) {
                    (prefix, true) => edit
                        .to_selector_removals
                        .push(selector_kind(value, prefix)?),
                    _ => {
                        return Err(Error::usage(format!(
                            "invalid argument \"{value}\" for \"--to-selector\" flag: expected KIND:KEY=VALUE[,KEY=VALUE...], or KIND- to remove the selectors of KIND"
                        )));
                    }
                },
            }
        }
        for value in &self.from_subject {
            edit.subjects.push(match split_removal(value) {
                (sub, true) => ListOp::Remove(sub.to_string()),
                (sub, false) if !sub.is_empty() => ListOp::Add(sub.to_string()),
                _ => {
                    return Err(Error::usage(
                        "invalid argument \"\" for \"--from-subject\" flag: the subject is empty",
                    ));
                }
            });
        }
        Ok(edit)
    }
}
