//! The describe engine: GET one object, then print it in the chosen `-o` format or as the noun's
//! view renders its typed form. Fed by [`DescribeTarget`], which `commands::args::output`
//! resolves from a describe's NAME, `-n` and print flags.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::kinds::ResourceKind;
use crate::context::Context;
use crate::error::Result;
use crate::output::structured::{OutputFormat, Printer};

/// What a describe works from once its flags are checked.
pub struct DescribeTarget<'a> {
    pub name: &'a str,
    pub printer: Option<Printer>,
    pub namespace: String,
}

/// A describe's output: GETs the target, then prints it in the chosen format, or else as
/// `view` renders its typed form.
pub async fn describe_one<T: DeserializeOwned>(
    ctx: &Context,
    target: DescribeTarget<'_>,
    kind: &ResourceKind,
    view: impl FnOnce(&T) -> String,
) -> Result<()> {
    let object = ctx
        .client()
        .await?
        .get(kind, &target.namespace, target.name)
        .await?;
    match target.printer {
        Some(printer) => ctx.print(&printer.print(&object)?),
        None => ctx.print(&view(&crate::api::from_value(&object)?)),
    }
}

/// `describe NAME` of an addressable (the Eventing nouns): as [`describe_one`], except that
/// `-o url` prints the object's address.
pub async fn describe_addressable<T: DeserializeOwned>(
    ctx: &Context,
    target: DescribeTarget<'_>,
    kind: &ResourceKind,
    view: impl FnOnce(&T) -> String,
) -> Result<()> {
    let url = matches!(&target.printer, Some(p) if matches!(p.format, OutputFormat::Url));
    if !url {
        return describe_one(ctx, target, kind, view).await;
    }
    let client = ctx.client().await?;
    let object = client.get(kind, &target.namespace, target.name).await?;
    ctx.print(&address_url(&object))
}

/// The `-o url` of an addressable's describe: its `status.address.url` (empty when not
/// addressable, where kn crashed for channels).
pub fn address_url(object: &Value) -> String {
    let url = object
        .pointer("/status/address/url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    format!("{url}\n")
}
