//! `knit eventtransform` (alias `eventtransforms`): EventTransforms (eventing.knative.dev/v1alpha1),
//! addressable JSONata transformations of events, optionally forwarding to a sink.

pub mod create;
pub mod delete;
pub mod describe;
pub mod list;
pub mod update;

use clap::Args;

/// Manage event transforms
#[derive(Args, Debug)]
#[command(
    about = "Manage event transforms",
    long_about = "Manage event transforms: addressable JSONata transformations of events, which reply with the transformed event or send it to a sink",
    override_usage = "COMMAND"
)]
pub struct EventTransformCommand {
    #[command(subcommand)]
    pub verb: Option<EventTransformVerb>,
}

noun_verbs! {
    /// The verbs of `knit eventtransform`.
    pub enum EventTransformVerb for EventTransformCommand at ["eventtransform"] {
        Create(create::CreateArgs),
        Delete(delete::DeleteArgs),
        Describe(describe::DescribeArgs),
        Update(update::UpdateArgs),
        #[command(visible_alias = "ls")]
        List(list::ListArgs),
    }
}

/// The flags `create` and `update` share (the sink is added by each verb).
#[derive(Args, Debug, Clone, Default)]
pub struct TransformFlags {
    #[arg(
        long = "jsonata",
        value_name = "string",
        help = "JSONata expression that transforms each event (e.g. '{\"specversion\": \"1.0\", \"id\": id, \"type\": \"transformed\", \"source\": source, \"data\": data}'). Required by Knative."
    )]
    pub jsonata: Option<String>,
    #[arg(
        long = "reply-jsonata",
        value_name = "string",
        help = "JSONata expression that transforms the sink's reply (needs --sink). An empty value removes it."
    )]
    pub reply_jsonata: Option<String>,
    #[arg(
        long = "reply-discard",
        value_name = "bool",
        num_args = 0..=1,
        default_missing_value = "true",
        help = "Discard the sink's reply instead of returning it (needs --sink). --reply-discard=false returns it again."
    )]
    pub reply_discard: Option<bool>,
}

impl TransformFlags {
    /// The edit of these flags, with the resolved sink.
    pub fn edit(
        &self,
        sink: Option<serde_json::Value>,
    ) -> crate::edit::eventing::transform::TransformEdit {
        crate::edit::eventing::transform::TransformEdit {
            jsonata: self.jsonata.clone(),
            sink,
            reply_jsonata: self.reply_jsonata.clone(),
            reply_discard: self.reply_discard,
        }
    }
}
