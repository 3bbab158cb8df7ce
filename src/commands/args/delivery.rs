//! The delivery flags of `broker create|update` (kn's `DeliveryOptionFlags`): `--dl-sink`,
//! `--retry`, `--timeout`, `--backoff-policy`, `--backoff-delay`, `--retry-after-max`.

use clap::Args;

use crate::client::Client;
use crate::edit::eventing::delivery::{BackoffPolicy, DeliveryEdit, IsoDuration};
use crate::error::Result;
use crate::ops::sink::{self, SinkArg, SinkMappings};

/// `spec.delivery` flags; a flag not given leaves its field as it is.
#[derive(Args, Debug, Clone, Default)]
pub struct DeliveryArgs {
    #[arg(
        long = "dl-sink",
        value_name = "string",
        help = "The sink receiving event that could not be sent to a destination."
    )]
    pub dl_sink: Option<SinkArg>,
    #[arg(
        long = "retry",
        value_name = "int32",
        value_parser = clap::value_parser!(i32).range(0..),
        allow_negative_numbers = true,
        help = "The minimum number of retries the sender should attempt when sending an event before moving it to the dead letter sink."
    )]
    pub retry: Option<i32>,
    #[arg(
        long = "timeout",
        value_name = "string",
        help = "The timeout of each single request. The value must be greater than 0."
    )]
    pub timeout: Option<IsoDuration>,
    #[arg(
        long = "backoff-policy",
        value_name = "string",
        help = "The retry backoff policy (linear, exponential)."
    )]
    pub backoff_policy: Option<BackoffPolicy>,
    #[arg(
        long = "backoff-delay",
        value_name = "string",
        help = "The delay before retrying."
    )]
    pub backoff_delay: Option<IsoDuration>,
    #[arg(
        long = "retry-after-max",
        value_name = "string",
        help = "An optional upper bound on the duration specified in a \"Retry-After\" header when calculating backoff times for retrying 429 and 503 response codes. Setting the value to zero (\"PT0S\") can be used to opt-out of respecting \"Retry-After\" header values altogether. This value only takes effect if \"Retry\" is configured, and also depends on specific implementations (Channels, Sources, etc.) choosing to provide this capability."
    )]
    pub retry_after_max: Option<IsoDuration>,
}

impl DeliveryArgs {
    /// True when no delivery flag was given.
    pub fn is_empty(&self) -> bool {
        self.dl_sink.is_none()
            && self.retry.is_none()
            && self.timeout.is_none()
            && self.backoff_policy.is_none()
            && self.backoff_delay.is_none()
            && self.retry_after_max.is_none()
    }

    /// The edit these flags ask for, with `--dl-sink` resolved (its object must exist).
    pub async fn resolve(
        &self,
        client: &Client,
        mappings: &SinkMappings,
        namespace: &str,
    ) -> Result<DeliveryEdit> {
        let dead_letter_sink = match &self.dl_sink {
            Some(arg) => Some(sink::resolve(client, arg, "--dl-sink", mappings, namespace).await?),
            None => None,
        };
        Ok(DeliveryEdit {
            dead_letter_sink,
            retry: self.retry,
            timeout: self.timeout.clone(),
            backoff_policy: self.backoff_policy,
            backoff_delay: self.backoff_delay.clone(),
            retry_after_max: self.retry_after_max.clone(),
        })
    }
}
