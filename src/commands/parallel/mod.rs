//! `knit parallel` (alias `parallels`): flows.knative.dev Parallels, which send an event to
//! every branch whose filter accepts it.

pub mod create;
pub mod delete;
pub mod describe;
pub mod list;
pub mod update;

use std::str::FromStr;

use clap::Args;

use crate::commands::args::eventing::{resolve_opt, sink_mappings};
use crate::context::Context;
use crate::edit::eventing::flows::Branch;
use crate::error::Result;
use crate::ops::sink::{SinkArg, resolve};

/// Manage parallels
#[derive(Args, Debug)]
#[command(
    about = "Manage event parallels",
    long_about = "Manage event parallels: branches that each receive the events their filter accepts",
    override_usage = "COMMAND"
)]
pub struct ParallelCommand {
    #[command(subcommand)]
    pub verb: Option<ParallelVerb>,
}

noun_verbs! {
    /// The verbs of `knit parallel`.
    pub enum ParallelVerb for ParallelCommand at ["parallel"] {
        Create(create::CreateArgs),
        Update(update::UpdateArgs),
        #[command(alias = "ls")]
        List(list::ListArgs),
        Delete(delete::DeleteArgs),
        Describe(describe::DescribeArgs),
    }
}

pub(crate) const BRANCH_HELP: &str = "A branch of the parallel: repeat the flag for each branch. Either a sink (the branch's subscriber, receiving every event) or comma-separated KEY=SINK pairs with KEY one of 'subscriber' (required), 'filter' (called first; the event goes on only when it answers with an event) and 'reply' (where the subscriber's answer goes; default the parallel's --reply). A SINK is NAME (a Knative service), PREFIX:NAME[:NAMESPACE] or an http(s) URL without commas. Example: '--branch filter=ksvc:only-orders,subscriber=ksvc:orders,reply=broker:default'.";

/// One `--branch` value, checked for form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchArg {
    pub filter: Option<SinkArg>,
    pub subscriber: SinkArg,
    pub reply: Option<SinkArg>,
}

const BRANCH_KEYS: [&str; 3] = ["filter", "subscriber", "reply"];

impl FromStr for BranchArg {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let keyed = BRANCH_KEYS.iter().any(|k| s.starts_with(&format!("{k}=")));
        if !keyed {
            return Ok(BranchArg {
                filter: None,
                subscriber: s.parse()?,
                reply: None,
            });
        }
        let (mut filter, mut subscriber, mut reply) = (None, None, None);
        for part in s.split(',') {
            let Some((key, value)) = part.split_once('=') else {
                return Err(format!(
                    "'{part}' is not KEY=SINK; expected KEY one of filter, subscriber, reply"
                ));
            };
            let slot = match key {
                "filter" => &mut filter,
                "subscriber" => &mut subscriber,
                "reply" => &mut reply,
                _ => {
                    return Err(format!(
                        "unknown key '{key}'; expected one of filter, subscriber, reply"
                    ));
                }
            };
            if slot.is_some() {
                return Err(format!("'{key}' is given twice"));
            }
            *slot = Some(
                value
                    .parse::<SinkArg>()
                    .map_err(|e| format!("{key}: {e}"))?,
            );
        }
        let Some(subscriber) = subscriber else {
            return Err("a branch needs 'subscriber=SINK'".to_string());
        };
        Ok(BranchArg {
            filter,
            subscriber,
            reply,
        })
    }
}

/// Resolves `--branch` values (each named object must exist), in order.
pub(crate) async fn resolve_branches(
    ctx: &Context,
    branches: &[BranchArg],
    namespace: &str,
) -> Result<Option<Vec<Branch>>> {
    if branches.is_empty() {
        return Ok(None);
    }
    let client = ctx.client().await?;
    let m = sink_mappings(ctx);
    let mut out = Vec::new();
    for b in branches {
        out.push(Branch {
            filter: resolve_opt(client, b.filter.as_ref(), "--branch", &m, namespace).await?,
            subscriber: resolve(client, &b.subscriber, "--branch", &m, namespace).await?,
            reply: resolve_opt(client, b.reply.as_ref(), "--branch", &m, namespace).await?,
        });
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sink(s: &str) -> SinkArg {
        s.parse().unwrap()
    }

    #[test]
    fn branch_forms() {
        assert_eq!(
            "ksvc:a".parse::<BranchArg>().unwrap(),
            BranchArg {
                filter: None,
                subscriber: sink("ksvc:a"),
                reply: None
            }
        );
        assert_eq!(
            "filter=f,subscriber=http://s.example/x,reply=broker:b"
                .parse::<BranchArg>()
                .unwrap(),
            BranchArg {
                filter: Some(sink("f")),
                subscriber: sink("http://s.example/x"),
                reply: Some(sink("broker:b"))
            }
        );
        // A URL with '=' in its query is a plain subscriber.
        assert_eq!(
            "http://s/?a=b".parse::<BranchArg>().unwrap().subscriber,
            sink("http://s/?a=b")
        );
        let err = |s: &str| s.parse::<BranchArg>().unwrap_err();
        assert_eq!(err("filter=f"), "a branch needs 'subscriber=SINK'");
        assert_eq!(
            err("subscriber=a,sub=b"),
            "unknown key 'sub'; expected one of filter, subscriber, reply"
        );
        assert_eq!(
            err("subscriber=a,subscriber=b"),
            "'subscriber' is given twice"
        );
        assert_eq!(
            err("subscriber=a,b"),
            "'b' is not KEY=SINK; expected KEY one of filter, subscriber, reply"
        );
        assert!(err("subscriber=").starts_with("subscriber: the value is empty"));
    }
}
