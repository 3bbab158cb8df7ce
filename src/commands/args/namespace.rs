//! `-n/--namespace` (every command that talks to the cluster) and `-A/--all-namespaces` (lists).

use clap::Args;

use crate::context::Context;
use crate::error::Result;

/// `-n, --namespace`.
#[derive(Args, Debug, Clone, Default)]
pub struct NamespaceArgs {
    #[arg(
        help = "Specify the namespace to operate in.",
        short = 'n',
        long = "namespace",
        value_name = "string"
    )]
    pub namespace: Option<String>,
}

impl NamespaceArgs {
    /// The namespace to use: `-n`, else the kubeconfig context's, else `default`.
    pub fn resolve(&self, ctx: &Context) -> Result<String> {
        ctx.namespace(self.namespace.as_deref())
    }
}

/// `-n, --namespace` plus `-A, --all-namespaces` for list commands.
#[derive(Args, Debug, Clone, Default)]
pub struct ListNamespaceArgs {
    #[command(flatten)]
    pub namespace: NamespaceArgs,
    #[arg(
        help = "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.",
        short = 'A',
        long = "all-namespaces"
    )]
    pub all_namespaces: bool,
}

impl ListNamespaceArgs {
    /// `None` for all namespaces (`-A` wins over `-n`), else the resolved namespace.
    pub fn resolve(&self, ctx: &Context) -> Result<Option<String>> {
        if self.all_namespaces {
            Ok(None)
        } else {
            self.namespace.resolve(ctx).map(Some)
        }
    }
}
