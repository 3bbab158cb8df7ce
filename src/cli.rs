//! The root command line: global flags and the nouns. Sub-commands live in `commands/<noun>`.

mod parse;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::client::ConnectOptions;
use crate::commands;
use crate::commands::args::{paired, pflag_args, pflag_values};
use crate::context::Context;
use crate::error::Result;

/// knit: manage Knative Serving and Eventing resources (a drop-in replacement for kn).
#[derive(Parser, Debug)]
#[command(
    name = "knit",
    about = ROOT_ABOUT,
    long_about = ROOT_LONG_ABOUT,
    disable_version_flag = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

const ROOT_ABOUT: &str =
    "knit is the command line interface for managing Knative Serving and Eventing resources";
const ROOT_LONG_ABOUT: &str = "knit is the command line interface for managing Knative Serving and Eventing resources\n\n\
                  Find more information about Knative at: https://knative.dev";

/// Flags accepted by every command, anywhere on the line (kn's persistent flags, `kn options`).
#[derive(Args, Debug, Clone, Default)]
pub struct GlobalArgs {
    #[arg(
        help = "kubectl configuration file (default: ~/.kube/config)",
        long,
        global = true,
        value_name = "string"
    )]
    pub kubeconfig: Option<PathBuf>,
    #[arg(
        help = "name of the kubeconfig context to use",
        long,
        global = true,
        value_name = "string"
    )]
    pub context: Option<String>,
    #[arg(
        help = "name of the kubeconfig cluster to use",
        long,
        global = true,
        value_name = "string"
    )]
    pub cluster: Option<String>,
    #[arg(
        help = "username to impersonate for the operation",
        long = "as",
        global = true,
        value_name = "string"
    )]
    pub as_user: Option<String>,
    #[arg(
        help = "group to impersonate for the operation, this flag can be repeated to specify multiple groups",
        long = "as-group",
        global = true,
        value_name = "stringArray"
    )]
    pub as_group: Vec<String>,
    #[arg(
        help = "uid to impersonate for the operation",
        long = "as-uid",
        global = true,
        value_name = "string"
    )]
    pub as_uid: Option<String>,
    #[arg(
        help = "knit configuration file (default: ~/.config/knit/config.yaml, else kn's ~/.config/kn/config.yaml)",
        long,
        global = true,
        value_name = "string"
    )]
    pub config: Option<PathBuf>,
    #[arg(
        help = "log http traffic",
        long = "log-http",
        global = true,
        value_name = "bool",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true"
    )]
    pub log_http: Option<bool>,
    #[arg(
        help = "Do not log http traffic",
        long = "no-log-http",
        global = true,
        hide = true,
        value_name = "bool",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true"
    )]
    pub no_log_http: Option<bool>,
    #[arg(
        help = "The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests.",
        long = "request-timeout",
        global = true,
        value_name = "string",
        default_value = "0",
        value_parser = crate::commands::args::duration::parse_request_timeout
    )]
    pub request_timeout: Option<std::time::Duration>,
    /// Directory holding plugins (overrides the config file's plugins.directory)
    #[arg(
        long = "plugins-dir",
        global = true,
        hide = true,
        value_name = "string"
    )]
    pub plugins_dir: Option<String>,
}

impl GlobalArgs {
    /// The connection settings these flags select (validating the `--log-http` pair).
    pub fn connect_options(&self) -> Result<ConnectOptions> {
        Ok(ConnectOptions {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
            cluster: self.cluster.clone(),
            impersonate: self.as_user.clone(),
            impersonate_groups: self.as_group.clone(),
            impersonate_uid: self.as_uid.clone(),
            log_http: paired::resolve("log-http", self.log_http, self.no_log_http, false)?,
            request_timeout: self.request_timeout.filter(|t| !t.is_zero()),
        })
    }
}

/// One noun of [`Command`], described the way its derive builds it, so start-up can build the
/// one noun a command line names and leave the others as bare names (see [`command_for`]).
struct Noun {
    name: &'static str,
    aliases: &'static [&'static str],
    /// The variant's doc comment (as written, with its leading space), which replaces the inner
    /// type's about.
    about: Option<&'static str>,
    build: fn(clap::Command) -> clap::Command,
}

/// Declares the nouns once: the `Command` enum clap derives the whole tree from, and the
/// [`NOUNS`] table start-up builds one noun from ([`command_for`]). A variant's doc comment
/// becomes its about, as with a hand-written derive.
macro_rules! nouns {
    ($(
        $(#[doc = $about:literal])?
        $variant:ident($ty:ty) = $name:literal $([$($alias:literal),+])?
    ),* $(,)?) => {
        /// The nouns (kn-reference §3).
        #[derive(Subcommand, Debug)]
        pub enum Command {
            $(
                $(#[doc = $about])?
                #[command(name = $name $(, visible_aliases = [$($alias),+])?)]
                $variant($ty),
            )*
        }

        /// [`Command`]'s variants in order (a test checks each against the derive).
        const NOUNS: &[Noun] = &[$(
            Noun {
                name: $name,
                aliases: &[$($($alias),+)?],
                about: nouns!(@about $($about)?),
                build: <$ty as clap::Args>::augment_args,
            },
        )*];
    };
    (@about $about:literal) => { Some($about) };
    (@about) => { None };
}

nouns! {
    /// Manage Knative services
    Service(commands::service::ServiceCommand) = "service" ["ksvc", "services"],
    /// Manage service revisions
    Revision(commands::revision::RevisionCommand) = "revision" ["revisions"],
    /// List and describe service routes
    Route(commands::route::RouteCommand) = "route" ["routes"],
    /// Manage domain mappings
    Domain(commands::domain::DomainCommand) = "domain" ["domains"],
    Container(commands::container::ContainerCommand) = "container" ["containers"],
    /// Manage event sources
    Source(Box<commands::source::SourceCommand>) = "source" ["sources"],
    /// Manage message brokers
    Broker(commands::broker::BrokerCommand) = "broker" ["brokers"],
    /// Manage event triggers
    Trigger(commands::trigger::TriggerCommand) = "trigger" ["triggers"],
    /// Manage event channels
    Channel(commands::channel::ChannelCommand) = "channel" ["channels"],
    /// Manage event subscriptions
    Subscription(commands::subscription::SubscriptionCommand) = "subscription" ["subscriptions", "sub"],
    /// Manage event sequences
    Sequence(commands::sequence::SequenceCommand) = "sequence" ["sequences", "seq"],
    /// Manage event parallels
    Parallel(commands::parallel::ParallelCommand) = "parallel" ["parallels"],
    /// Manage job sinks
    Jobsink(commands::jobsink::JobSinkCommand) = "jobsink" ["jobsinks"],
    /// Manage request-replies
    Requestreply(commands::requestreply::RequestReplyCommand) = "requestreply" ["requestreplies"],
    /// Manage eventtypes
    Eventtype(commands::eventtype::EventTypeCommand) = "eventtype" ["eventtypes"],
    /// Manage event policies
    Eventpolicy(commands::eventpolicy::EventPolicyCommand) = "eventpolicy" ["eventpolicies"],
    /// Manage event transforms
    Eventtransform(commands::eventtransform::EventTransformCommand) = "eventtransform" ["eventtransforms"],
    /// Manage integration sinks
    Integrationsink(commands::integrationsink::IntegrationSinkCommand) = "integrationsink" ["integrationsinks"],
    /// Manage secrets
    Secret(commands::secret::SecretCommand) = "secret" ["secrets"],
    Plugin(commands::plugin::PluginCommand) = "plugin" ["plugins"],
    Completion(commands::completion::CompletionArgs) = "completion",
    Version(commands::version::VersionArgs) = "version",
    Options(commands::options::OptionsArgs) = "options",
    Emulator(commands::emulator::EmulatorArgs) = "emulator",
    Apply(commands::apply::ApplyArgs) = "apply",
    Explain(commands::explain::ExplainArgs) = "explain",
    Doctor(commands::doctor::DoctorArgs) = "doctor",
}

/// Runs the parsed command line: the root's help, or the named noun's `run`.
pub async fn run(cli: Cli, ctx: &Context) -> Result<()> {
    match cli.command {
        None => {
            let mut cmd = command();
            ctx.print(&cmd.render_long_help().to_string())
        }
        Some(Command::Service(cmd)) => commands::service::run(cmd, ctx).await,
        Some(Command::Container(cmd)) => commands::container::run(cmd, ctx).await,
        Some(Command::Revision(cmd)) => commands::revision::run(cmd, ctx).await,
        Some(Command::Route(cmd)) => commands::route::run(cmd, ctx).await,
        Some(Command::Domain(cmd)) => commands::domain::run(cmd, ctx).await,
        Some(Command::Source(cmd)) => commands::source::run(*cmd, ctx).await,
        Some(Command::Broker(cmd)) => commands::broker::run(cmd, ctx).await,
        Some(Command::Trigger(cmd)) => commands::trigger::run(cmd, ctx).await,
        Some(Command::Channel(cmd)) => commands::channel::run(cmd, ctx).await,
        Some(Command::Subscription(cmd)) => commands::subscription::run(cmd, ctx).await,
        Some(Command::Sequence(cmd)) => commands::sequence::run(cmd, ctx).await,
        Some(Command::Parallel(cmd)) => commands::parallel::run(cmd, ctx).await,
        Some(Command::Jobsink(cmd)) => commands::jobsink::run(cmd, ctx).await,
        Some(Command::Requestreply(cmd)) => commands::requestreply::run(cmd, ctx).await,
        Some(Command::Eventtype(cmd)) => commands::eventtype::run(cmd, ctx).await,
        Some(Command::Eventpolicy(cmd)) => commands::eventpolicy::run(cmd, ctx).await,
        Some(Command::Eventtransform(cmd)) => commands::eventtransform::run(cmd, ctx).await,
        Some(Command::Integrationsink(cmd)) => commands::integrationsink::run(cmd, ctx).await,
        Some(Command::Secret(cmd)) => commands::secret::run(cmd, ctx).await,
        Some(Command::Plugin(cmd)) => commands::plugin::run(cmd, ctx).await,
        Some(Command::Completion(args)) => commands::completion::run(&args, ctx).await,
        Some(Command::Version(args)) => commands::version::run(&args, ctx).await,
        Some(Command::Options(args)) => commands::options::run(&args, ctx).await,
        Some(Command::Emulator(args)) => commands::emulator::run(&args, ctx).await,
        Some(Command::Apply(args)) => commands::apply::run(&args, ctx).await,
        Some(Command::Explain(args)) => commands::explain::run(&args, ctx).await,
        Some(Command::Doctor(args)) => commands::doctor::run(&args, ctx).await,
    }
}

/// The clap definition with the binary name kn would show (`basename(argv[0])`).
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let name = crate::bin_name_static();
    pflag_values(Cli::command().name(name).bin_name(name))
}

/// The clap definition for running one command line: the root and its global flags, the noun
/// the line names built in full (with pflag's value rule), every other noun only by name and
/// aliases. Building all ~150 commands with their help texts is most of a trivial command's
/// start-up; only help, completion and error messages need the whole tree ([`command`]).
/// Parsing with this tree gives the same matches as with the whole one for the named noun.
pub fn command_for(args: &[std::ffi::OsString]) -> clap::Command {
    let stubs = |selected: Option<&str>| {
        let name = crate::bin_name_static();
        let root = clap::Command::new(name)
            .about(ROOT_ABOUT)
            .long_about(ROOT_LONG_ABOUT)
            .disable_version_flag(true);
        let mut root = <GlobalArgs as clap::Args>::augment_args(root);
        for noun in NOUNS {
            let mut cmd = clap::Command::new(noun.name);
            if Some(noun.name) == selected {
                cmd = (noun.build)(cmd);
                if let Some(about) = noun.about {
                    cmd = cmd.about(about.trim()).long_about(None);
                }
            }
            cmd = cmd.visible_aliases(noun.aliases.iter().copied());
            root = root.subcommand(if Some(noun.name) == selected {
                pflag_values(cmd)
            } else {
                cmd
            });
        }
        pflag_args(root.name(name).bin_name(name))
    };
    let mut bare = stubs(None);
    bare.build();
    let invocation = crate::invocation::Invocation::scan(&bare, args);
    match invocation.command_path.first() {
        Some(noun) => stubs(Some(noun)),
        None => stubs(None),
    }
}

pub use self::parse::{Parsed, command_path, parse, parse_with};

#[cfg(test)]
#[path = "cli_tests.rs"]
mod tests;
