//! kn's paired booleans (`--wait`/`--no-wait`, …): each half is an optional bool flag
//! (`--x`, `--x=true`); giving both, or `--x=false`, is refused with kn's messages.

use crate::error::{Error, Result};

/// Resolves a `--NAME`/`--no-NAME` pair to its effective value.
///
/// `positive`/`negative` are the parsed values (`Some(true)` for a bare flag), `default` applies
/// when neither is given.
pub fn resolve(
    name: &str,
    positive: Option<bool>,
    negative: Option<bool>,
    default: bool,
) -> Result<bool> {
    if positive.is_some() && negative.is_some() {
        return Err(Error::usage(format!(
            "only one of --no-{name} and --{name} may be specified"
        )));
    }
    if positive == Some(false) {
        return Err(Error::usage(format!(
            "use --no-{name} instead of providing \"false\" to --{name}"
        )));
    }
    if negative == Some(false) {
        return Err(Error::usage(format!(
            "use --{name} instead of providing \"false\" to --no-{name}"
        )));
    }
    Ok(match (positive, negative) {
        (Some(true), _) => true,
        (_, Some(true)) => false,
        _ => default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_follow_kn_rules() {
        assert!(resolve("wait", None, None, true).unwrap());
        assert!(!resolve("wait", None, None, false).unwrap());
        assert!(resolve("wait", Some(true), None, false).unwrap());
        assert!(!resolve("wait", None, Some(true), true).unwrap());
        assert_eq!(
            resolve("wait", Some(true), Some(true), true)
                .unwrap_err()
                .to_string(),
            "only one of --no-wait and --wait may be specified"
        );
        assert_eq!(
            resolve("wait", Some(false), None, true)
                .unwrap_err()
                .to_string(),
            "use --no-wait instead of providing \"false\" to --wait"
        );
        assert_eq!(
            resolve("wait", Some(false), None, true)
                .unwrap_err()
                .exit_code(),
            2
        );
    }
}
