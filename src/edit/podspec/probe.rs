//! `--probe-liveness`/`--probe-readiness` handlers and their `-opts` common options.

use std::str::FromStr;

use serde_json::{Value, json};

use crate::edit::json;

/// A probe handler: `http:HOST:PORT:PATH`, `https:…`, `exec:CMD[,CMD…]` or `tcp:HOST:PORT`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeHandler {
    /// `httpGet`, `exec` or `tcpSocket`.
    key: &'static str,
    body: Value,
}

/// The handler keys a probe can carry; setting one replaces any other.
const HANDLER_KEYS: [&str; 4] = ["httpGet", "exec", "tcpSocket", "grpc"];

fn port_value(port: &str) -> Value {
    match port.parse::<i64>() {
        Ok(number) => json!(number),
        Err(_) => Value::String(port.to_string()),
    }
}

impl FromStr for ProbeHandler {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err("no probe parameters detected; supported formats: [http,https]:host:port:path, exec:cmd[,cmd,...], tcp:host:port".to_string());
        }
        let parts: Vec<&str> = s.split(':').collect();
        if parts.len() > 4 {
            return Err("too many probe parameters provided, please check the format".to_string());
        }
        match parts[0] {
            "http" | "https" => {
                let [scheme, host, port, path] = parts.as_slice() else {
                    return Err(
                        "unexpected probe format, please use 'http:host:port:path'".to_string()
                    );
                };
                let mut body = json!({});
                if *scheme == "https" {
                    json::set(&mut body, "scheme", json!("HTTPS"));
                }
                if !host.is_empty() {
                    json::set(&mut body, "host", json!(host));
                }
                if !port.is_empty() {
                    json::set(&mut body, "port", port_value(port));
                }
                if !path.is_empty() {
                    json::set(&mut body, "path", json!(path));
                }
                Ok(Self {
                    key: "httpGet",
                    body,
                })
            }
            "exec" => {
                let [_, commands] = parts.as_slice() else {
                    return Err("unexpected probe format, please use 'exec:<exec_command>[,<exec_command>,...]'".to_string());
                };
                if commands.is_empty() {
                    return Err(
                        "at least one command parameter is required for Exec probe".to_string()
                    );
                }
                let command: Vec<&str> = commands.split(',').collect();
                Ok(Self {
                    key: "exec",
                    body: json!({ "command": command }),
                })
            }
            "tcp" => {
                let [_, host, port] = parts.as_slice() else {
                    return Err("unexpected probe format, please use 'tcp:host:port'".to_string());
                };
                if port.is_empty() {
                    return Err("unexpected probe format, please use 'tcp:host:port'".to_string());
                }
                let mut body = json!({ "port": port_value(port) });
                if !host.is_empty() {
                    json::set(&mut body, "host", json!(host));
                }
                Ok(Self {
                    key: "tcpSocket",
                    body,
                })
            }
            other => Err(format!(
                "unsupported probe type '{other}'; supported types: http, https, exec, tcp"
            )),
        }
    }
}

/// `InitialDelaySeconds=…,TimeoutSeconds=…,PeriodSeconds=…,SuccessThreshold=…,FailureThreshold=…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeOptions(Vec<(&'static str, i64)>);

impl FromStr for ProbeOptions {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut options: Vec<(&'static str, i64)> = Vec::new();
        for option in s.split(',') {
            let Some((key, value)) = option.split_once('=') else {
                return Err(format!(
                    "argument requires a value that contains the \"=\" character; got \"{option}\""
                ));
            };
            let field = match key.trim().to_ascii_lowercase().as_str() {
                "initialdelayseconds" => "initialDelaySeconds",
                "timeoutseconds" => "timeoutSeconds",
                "periodseconds" => "periodSeconds",
                "successthreshold" => "successThreshold",
                "failurethreshold" => "failureThreshold",
                _ => {
                    return Err(format!(
                        "not a valid probe parameter name '{key}'; valid names: InitialDelaySeconds, TimeoutSeconds, PeriodSeconds, SuccessThreshold, FailureThreshold"
                    ));
                }
            };
            let number = parse_go_int32(value.trim())
                .ok_or_else(|| format!("not a numeric value for parameter '{key}'"))?;
            if options.iter().any(|(f, _)| *f == field) {
                return Err(format!("the probe parameter '{key}' is given twice"));
            }
            options.push((field, number));
        }
        Ok(Self(options))
    }
}

/// Go's `strconv.ParseInt(s, 0, 32)`: decimal, or 0x/0o/0b prefixed.
fn parse_go_int32(s: &str) -> Option<i64> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let digits = digits.replace('_', "");
    let value = if let Some(hex) = digits.strip_prefix("0x").or(digits.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix("0o").or(digits.strip_prefix("0O")) {
        i64::from_str_radix(oct, 8).ok()?
    } else if let Some(bin) = digits.strip_prefix("0b").or(digits.strip_prefix("0B")) {
        i64::from_str_radix(bin, 2).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse::<i64>().ok()?
    };
    let value = if negative { -value } else { value };
    i32::try_from(value).ok().map(i64::from)
}

/// Sets the handler of the probe `key` (`livenessProbe`/`readinessProbe`) of a container.
pub fn set_handler(container: &mut Value, key: &str, handler: &ProbeHandler) {
    let probe = json::object(container, key);
    for other in HANDLER_KEYS {
        json::remove(probe, other);
    }
    json::set(probe, handler.key, handler.body.clone());
}

/// Sets common options on the probe `key` of a container.
pub fn set_options(container: &mut Value, key: &str, options: &ProbeOptions) {
    let probe = json::object(container, key);
    for (field, value) in &options.0 {
        json::set(probe, field, json!(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handler(s: &str) -> ProbeHandler {
        s.parse().unwrap()
    }

    #[test]
    fn handler_forms() {
        assert_eq!(
            handler("http::8080:/healthz"),
            ProbeHandler {
                key: "httpGet",
                body: json!({"port": 8080, "path": "/healthz"})
            }
        );
        assert_eq!(
            handler("https:example.com:http:/"),
            ProbeHandler {
                key: "httpGet",
                body: json!({"scheme": "HTTPS", "host": "example.com", "port": "http", "path": "/"})
            }
        );
        assert_eq!(
            handler("exec:cat,/tmp/ok"),
            ProbeHandler {
                key: "exec",
                body: json!({"command": ["cat", "/tmp/ok"]})
            }
        );
        assert_eq!(
            handler("tcp::5000"),
            ProbeHandler {
                key: "tcpSocket",
                body: json!({"port": 5000})
            }
        );
    }

    #[test]
    fn handler_errors_are_kns() {
        let err = |s: &str| s.parse::<ProbeHandler>().unwrap_err();
        assert_eq!(
            err("grpc:x"),
            "unsupported probe type 'grpc'; supported types: http, https, exec, tcp"
        );
        assert_eq!(
            err("http:h:1"),
            "unexpected probe format, please use 'http:host:port:path'"
        );
        assert_eq!(
            err("http:a:b:c:d"),
            "too many probe parameters provided, please check the format"
        );
        assert_eq!(
            err("exec:"),
            "at least one command parameter is required for Exec probe"
        );
        assert_eq!(
            err("tcp:h"),
            "unexpected probe format, please use 'tcp:host:port'"
        );
        assert!(err("").starts_with("no probe parameters detected"));
    }

    #[test]
    fn options_parse_case_insensitively() {
        let opts: ProbeOptions = "initialDelaySeconds=5, periodseconds = 0x10"
            .parse()
            .unwrap();
        assert_eq!(
            opts,
            ProbeOptions(vec![("initialDelaySeconds", 5), ("periodSeconds", 16)])
        );
        let err = |s: &str| s.parse::<ProbeOptions>().unwrap_err();
        assert_eq!(
            err("TimeoutSeconds=x"),
            "not a numeric value for parameter 'TimeoutSeconds'"
        );
        assert!(err("Foo=1").starts_with("not a valid probe parameter name 'Foo'"));
        assert!(err("Foo").contains("\"=\" character"));
        assert!(err("PeriodSeconds=1,periodSeconds=2").contains("given twice"));
        assert_eq!(
            err("PeriodSeconds=99999999999"),
            "not a numeric value for parameter 'PeriodSeconds'"
        );
    }

    #[test]
    fn handler_replaces_the_old_one_and_keeps_options() {
        let mut c =
            json!({"livenessProbe": {"exec": {"command": ["x"]}, "periodSeconds": 3, "x-p": 1}});
        set_handler(&mut c, "livenessProbe", &handler("tcp::80"));
        set_options(
            &mut c,
            "livenessProbe",
            &"failureThreshold=4".parse().unwrap(),
        );
        assert_eq!(
            c,
            json!({"livenessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 3, "failureThreshold": 4, "x-p": 1}})
        );
    }
}
