//! `--traffic`, `--tag` and `--untag` (update) and `--tag` alone (create).

use clap::Args;

use crate::edit::traffic::{TagArg, TrafficArg, TrafficEdit};
use crate::error::{Error, Result};

pub const TAG_HELP: &str = "Set tag (format: --tag revisionRef=tagName) where revisionRef can be a revision or '@latest' string representing latest ready revision. This flag can be specified multiple times.";

/// The traffic flags of `service update`.
#[derive(Args, Debug, Clone, Default)]
pub struct TrafficArgs {
    /// Set traffic distribution (format: --traffic revisionRef=percent) where revisionRef can be a revision or a tag or '@latest' string representing latest ready revision. This flag can be given multiple times with percent summing up to 100%.
    #[arg(
        verbatim_doc_comment,
        long = "traffic",
        value_name = "strings",
        value_delimiter = ','
    )]
    pub traffic: Vec<TrafficArg>,
    #[arg(verbatim_doc_comment, long = "tag", value_name = "strings", value_delimiter = ',', help = TAG_HELP)]
    pub tag: Vec<TagArg>,
    /// Untag revision (format: --untag tagName). This flag can be specified multiple times.
    #[arg(
        verbatim_doc_comment,
        long = "untag",
        value_name = "strings",
        value_delimiter = ','
    )]
    pub untag: Vec<String>,
}

impl TrafficArgs {
    /// The traffic edit, with the checks that need no cluster done.
    pub fn to_edit(&self) -> Result<TrafficEdit> {
        let edit = TrafficEdit {
            traffic: self.traffic.clone(),
            tags: self.tag.clone(),
            untags: self.untag.clone(),
        };
        edit.validate().map_err(|e| Error::usage(e.to_string()))?;
        Ok(edit)
    }
}

/// `--tag` of `service create`.
#[derive(Args, Debug, Clone, Default)]
pub struct TagArgs {
    #[arg(verbatim_doc_comment, long = "tag", value_name = "strings", value_delimiter = ',', help = TAG_HELP)]
    pub tag: Vec<TagArg>,
}

impl TagArgs {
    pub fn to_edit(&self) -> Result<TrafficEdit> {
        let edit = TrafficEdit {
            tags: self.tag.clone(),
            ..Default::default()
        };
        edit.validate().map_err(|e| Error::usage(e.to_string()))?;
        Ok(edit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Probe {
        #[command(flatten)]
        traffic: TrafficArgs,
    }

    fn parse(args: &[&str]) -> std::result::Result<TrafficArgs, clap::Error> {
        let mut argv = vec!["probe"];
        argv.extend_from_slice(args);
        Probe::try_parse_from(argv).map(|p| p.traffic)
    }

    #[test]
    fn comma_separated_and_repeated() {
        let t = parse(&[
            "--traffic",
            "a=50,b=25",
            "--traffic",
            "@latest=25",
            "--tag",
            "a=x,@latest=y",
            "--untag",
            "p,q",
        ])
        .unwrap();
        assert_eq!(t.traffic.len(), 3);
        assert_eq!(t.tag.len(), 2);
        assert_eq!(t.untag, vec!["p", "q"]);
        assert!(t.to_edit().is_ok());
    }

    #[test]
    fn malformed_values_are_rejected_while_parsing() {
        let err = parse(&["--traffic", "a=b=c"]).unwrap_err().to_string();
        assert!(
            err.contains("expecting the value format in value1=value2, given a=b=c"),
            "{err}"
        );
        let err = parse(&["--traffic", "a=150"]).unwrap_err().to_string();
        assert!(
            err.contains("invalid value for traffic percent 150"),
            "{err}"
        );
    }

    #[test]
    fn sum_above_100_is_a_usage_error() {
        let err = parse(&["--traffic", "a=60,b=60"])
            .unwrap()
            .to_edit()
            .unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.to_string(),
            "given traffic percents sum to 120, want <=100"
        );
    }
}
