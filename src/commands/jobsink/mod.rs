//! `knit jobsink` (alias `jobsinks`): sinks.knative.dev JobSinks, which run a Kubernetes Job
//! for every event they receive.

pub mod create;
pub mod delete;
pub mod describe;
pub mod list;
pub mod update;

use clap::Args;

use crate::edit::eventing::jobsink::JobSinkEdit;
use crate::edit::kv::KeyValueArg;
use crate::error::Result;

/// Manage job sinks
#[derive(Args, Debug)]
#[command(
    about = "Manage job sinks",
    long_about = "Manage job sinks: sinks that run a Kubernetes Job for every event they receive (the event is mounted at /etc/jobsink-event/event)",
    override_usage = "COMMAND"
)]
pub struct JobSinkCommand {
    #[command(subcommand)]
    pub verb: Option<JobSinkVerb>,
}

noun_verbs! {
    /// The verbs of `knit jobsink`.
    pub enum JobSinkVerb for JobSinkCommand at ["jobsink"] {
        Create(create::CreateArgs),
        Update(update::UpdateArgs),
        #[command(alias = "ls")]
        List(list::ListArgs),
        Delete(delete::DeleteArgs),
        Describe(describe::DescribeArgs),
    }
}

/// The Job's container: `--image`, `--env`, `--cmd`, `--arg`.
#[derive(Args, Debug, Clone, Default)]
pub struct JobArgs {
    #[arg(
        long = "image",
        value_name = "string",
        help = "Image the Job's container runs, e.g. 'docker.io/library/bash:5'."
    )]
    pub image: Option<String>,
    #[arg(
        short = 'e',
        long = "env",
        value_name = "stringArray",
        help = "Environment variable of the Job's container as NAME=VALUE; 'NAME-' removes it. Repeat for several."
    )]
    pub env: Vec<KeyValueArg>,
    #[arg(
        long = "cmd",
        value_name = "stringArray",
        help = "The container's command (its entrypoint), replacing the image's: repeat for each word, e.g. '--cmd cat'."
    )]
    pub cmd: Vec<String>,
    #[arg(
        long = "arg",
        value_name = "stringArray",
        help = "An argument of the container's command, replacing all arguments: repeat for each, e.g. '--arg /etc/jobsink-event/event'."
    )]
    pub arg: Vec<String>,
}

impl JobArgs {
    /// The edit these flags ask for.
    pub fn edit(&self, command: &str) -> Result<JobSinkEdit> {
        crate::edit::kv::check_duplicates("--env", &self.env)
            .map_err(|e| crate::error::Error::usage_in(command, e.to_string()))?;
        let some = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
        Ok(JobSinkEdit {
            image: self.image.clone(),
            env: self.env.clone(),
            command: some(&self.cmd),
            args: some(&self.arg),
        })
    }
}
