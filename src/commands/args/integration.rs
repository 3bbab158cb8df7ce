//! The type flags of `source integration` and `integrationsink` (`--timer`, `--log`,
//! `--aws-s3`, …) and the AWS credentials, resolved into an [`IntegrationEdit`]'s settings.

use clap::Args;

use crate::edit::eventing::integration::{
    AWS_DDB_STREAMS, AWS_S3, AWS_SNS, AWS_SQS, IntegrationEdit, IntegrationType, LOG, TIMER,
};
use crate::error::{Error, Result};

/// `--aws-secret`, `--aws-service-account`.
#[derive(Args, Debug, Clone, Default)]
pub struct AwsAuthArgs {
    #[arg(
        long = "aws-secret",
        value_name = "string",
        help = "Secret holding the AWS credentials (keys aws.accessKey and aws.secretKey); required by the AWS types. An empty value removes it."
    )]
    pub aws_secret: Option<String>,
    #[arg(
        long = "aws-service-account",
        value_name = "string",
        help = "Service account the AWS integration runs as. An empty value removes it."
    )]
    pub aws_service_account: Option<String>,
}

/// The type flags of IntegrationSources.
#[derive(Args, Debug, Clone, Default)]
pub struct SourceTypeArgs {
    #[arg(long = "timer", value_name = "stringArray", help = concat!("Timer source settings as KEY=VALUE[,KEY=VALUE...]: period (ms), message, contentType, repeatCount (e.g. 'period=2000,message=hello'). ", "Repeatable; KEY- removes a key on update. Giving a type replaces the current one."))]
    pub timer: Vec<String>,
    #[arg(long = "aws-s3", value_name = "stringArray", help = concat!("AWS S3 source settings as KEY=VALUE[,KEY=VALUE...]: arn and region (required), deleteAfterRead, moveAfterRead, destinationBucket, destinationBucketPrefix, destinationBucketSuffix, autoCreateBucket, prefix, ignoreBody, forcePathStyle, delay, maxMessagesPerPoll, uriEndpointOverride, overrideEndpoint. ", "Repeatable; KEY- removes a key on update. Giving a type replaces the current one."))]
    pub aws_s3: Vec<String>,
    #[arg(long = "aws-sqs", value_name = "stringArray", help = concat!("AWS SQS source settings as KEY=VALUE[,KEY=VALUE...]: arn and region (required), deleteAfterRead, autoCreateQueue, host, protocol, queueURL, greedy, delay, maxMessagesPerPoll, waitTimeSeconds, visibilityTimeout, uriEndpointOverride, overrideEndpoint. ", "Repeatable; KEY- removes a key on update. Giving a type replaces the current one."))]
    pub aws_sqs: Vec<String>,
    #[arg(long = "aws-ddb-streams", value_name = "stringArray", help = concat!("AWS DynamoDB Streams source settings as KEY=VALUE[,KEY=VALUE...]: table and region (required), streamIteratorType, delay, uriEndpointOverride, overrideEndpoint. ", "Repeatable; KEY- removes a key on update. Giving a type replaces the current one."))]
    pub aws_ddb_streams: Vec<String>,
    #[command(flatten)]
    pub auth: AwsAuthArgs,
}

/// The type flags of IntegrationSinks.
#[derive(Args, Debug, Clone, Default)]
pub struct SinkTypeArgs {
    #[arg(long = "log", value_name = "stringArray", help = concat!("Log sink settings as KEY=VALUE[,KEY=VALUE...]: loggerName, level, logMask, marker, multiline, showAllProperties, showBody, showBodyType, showExchangePattern, showHeaders, showProperties, showStreams, showCachedStreams (e.g. 'level=INFO,showHeaders=true'; '--log level=INFO' alone logs every event). ", "Repeatable; KEY- removes a key on update. Giving a type replaces the current one."))]
    pub log: Vec<String>,
    #[arg(long = "aws-s3", value_name = "stringArray", help = concat!("AWS S3 sink settings as KEY=VALUE[,KEY=VALUE...]: arn and region (required), and the S3 options of 'source integration'. ", "Repeatable; KEY- removes a key on update. Giving a type replaces the current one."))]
    pub aws_s3: Vec<String>,
    #[arg(long = "aws-sqs", value_name = "stringArray", help = concat!("AWS SQS sink settings as KEY=VALUE[,KEY=VALUE...]: arn and region (required), and the SQS options of 'source integration'. ", "Repeatable; KEY- removes a key on update. Giving a type replaces the current one."))]
    pub aws_sqs: Vec<String>,
    #[arg(long = "aws-sns", value_name = "stringArray", help = concat!("AWS SNS sink settings as KEY=VALUE[,KEY=VALUE...]: arn and region (required), autoCreateTopic, uriEndpointOverride, overrideEndpoint. ", "Repeatable; KEY- removes a key on update. Giving a type replaces the current one."))]
    pub aws_sns: Vec<String>,
    #[command(flatten)]
    pub auth: AwsAuthArgs,
}

/// The one type given (all its flag values parsed), if any.
fn settings(
    given: &[(&'static IntegrationType, &Vec<String>)],
) -> Result<
    Option<(
        &'static IntegrationType,
        Vec<crate::edit::eventing::integration::Setting>,
    )>,
> {
    let used: Vec<_> = given.iter().filter(|(_, v)| !v.is_empty()).collect();
    if used.len() > 1 {
        let flags: Vec<&str> = given.iter().map(|(t, _)| t.flag).collect();
        return Err(Error::usage(format!(
            "only one of {} may be given: Knative runs exactly one type",
            flags.join(", ")
        )));
    }
    let Some((t, values)) = used.first() else {
        return Ok(None);
    };
    let mut all = Vec::new();
    for v in values.iter() {
        all.extend(t.parse(v).map_err(|e| Error::usage(e.to_string()))?);
    }
    Ok(Some((*t, all)))
}

fn edit_with(
    settings: Option<(
        &'static IntegrationType,
        Vec<crate::edit::eventing::integration::Setting>,
    )>,
    auth: &AwsAuthArgs,
) -> IntegrationEdit {
    IntegrationEdit {
        settings,
        aws_secret: auth.aws_secret.clone(),
        aws_service_account: auth.aws_service_account.clone(),
        ..Default::default()
    }
}

impl SourceTypeArgs {
    /// The edit of these flags; `required` asks for a type (create).
    pub fn edit(&self, required: bool) -> Result<IntegrationEdit> {
        let given = [
            (&TIMER, &self.timer),
            (&AWS_S3, &self.aws_s3),
            (&AWS_SQS, &self.aws_sqs),
            (&AWS_DDB_STREAMS, &self.aws_ddb_streams),
        ];
        let s = settings(&given)?;
        if required && s.is_none() {
            return Err(Error::usage(
                "a source type is required: one of --timer, --aws-s3, --aws-sqs, --aws-ddb-streams",
            ));
        }
        Ok(edit_with(s, &self.auth))
    }
}

impl SinkTypeArgs {
    /// The edit of these flags; `required` asks for a type (create).
    pub fn edit(&self, required: bool) -> Result<IntegrationEdit> {
        let given = [
            (&LOG, &self.log),
            (&AWS_S3, &self.aws_s3),
            (&AWS_SQS, &self.aws_sqs),
            (&AWS_SNS, &self.aws_sns),
        ];
        let s = settings(&given)?;
        if required && s.is_none() {
            return Err(Error::usage(
                "a sink type is required: one of --log, --aws-s3, --aws-sqs, --aws-sns",
            ));
        }
        Ok(edit_with(s, &self.auth))
    }
}
