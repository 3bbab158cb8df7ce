//! `--target PATH`: work on local files instead of a cluster (service create/update/delete/
//! describe/list; kn-reference §4.11).

use std::path::PathBuf;

use clap::Args;

use crate::ops::offline::OfflineStore;

/// The `--target` flag.
#[derive(Args, Debug, Clone, Default)]
pub struct TargetArgs {
    #[arg(
        help = "Work on local directory instead of a remote cluster (experimental)",
        long = "target",
        value_name = "string"
    )]
    pub target: Option<PathBuf>,
}

impl TargetArgs {
    /// The offline store when `--target` was given.
    pub fn store(&self) -> Option<OfflineStore> {
        self.target.as_ref().map(OfflineStore::new)
    }
}
