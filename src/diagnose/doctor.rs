//! `knit doctor`'s checks: the cluster answers, who knit is to it, whether that user may do
//! what knit does, which Knative is installed and how it is configured. Each check is OK,
//! WARN or FAIL with what to do; the reading is here, the judging in `judge` (pure).

use futures::future::join_all;
use serde::Serialize;
use serde_json::{Value, json};

use crate::client::kinds::{self, ResourceKind};
use crate::client::{Client, ResourceKind as Kind};

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: String,
    pub level: Level,
    pub message: String,
    /// What to do about a WARN or FAIL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hint: String,
}

fn check(name: &str, level: Level, message: impl Into<String>, hint: impl Into<String>) -> Check {
    Check {
        name: name.to_string(),
        level,
        message: message.into(),
        hint: hint.into(),
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub ok: bool,
    pub checks: Vec<Check>,
}

/// What knit does, per area: the resources and the verbs its commands send.
const WRITE: &[&str] = &[
    "get", "list", "watch", "create", "update", "patch", "delete",
];
const READ: &[&str] = &["get", "list", "watch"];
/// The resources of one area, each with the verbs knit sends.
type Uses = &'static [(ResourceKind, &'static [&'static str])];
pub const USES: &[(&str, Uses)] = &[
    (
        "serving",
        &[
            (kinds::SERVICE, WRITE),
            (kinds::CONFIGURATION, READ),
            (kinds::REVISION, &["get", "list", "watch", "delete"]),
            (kinds::ROUTE, READ),
            (kinds::DOMAIN_MAPPING, WRITE),
        ],
    ),
    (
        "eventing",
        &[
            (kinds::BROKER, WRITE),
            (kinds::TRIGGER, WRITE),
            (kinds::CHANNEL, WRITE),
            (kinds::SUBSCRIPTION, WRITE),
            (kinds::EVENT_TYPE, WRITE),
            (kinds::PING_SOURCE, WRITE),
            (kinds::API_SERVER_SOURCE, WRITE),
            (kinds::CONTAINER_SOURCE, WRITE),
            (kinds::SINK_BINDING, WRITE),
        ],
    ),
    (
        "core",
        &[
            (kinds::SECRET, &["get", "list", "create", "delete"]),
            (kinds::EVENT, &["list", "watch"]),
            (kinds::POD, &["get", "list"]),
        ],
    ),
];

/// Runs every check. `server` is the kubeconfig's URL (for the message only).
pub async fn run(client: &Client, server: Option<&str>, namespace: &str) -> Report {
    let mut checks = Vec::new();
    let at = server.map(|s| format!(" at {s}")).unwrap_or_default();
    match client.get_document("/version").await {
        Ok(Some(v)) => checks.push(check(
            "cluster",
            Level::Ok,
            format!(
                "reachable{at}, Kubernetes {}",
                v["gitVersion"].as_str().unwrap_or("(version unknown)")
            ),
            "",
        )),
        Ok(None) => checks.push(check(
            "cluster",
            Level::Warn,
            format!("reachable{at}, but it does not serve /version"),
            "",
        )),
        Err(e) => {
            checks.push(check(
                "cluster",
                Level::Fail,
                format!("not reachable{at}: {e}"),
                "check the kubeconfig context (--kubeconfig, --context) and that the cluster is running",
            ));
            return Report { ok: false, checks };
        }
    }
    checks.push(whoami(client).await);
    for (area, uses) in USES {
        checks.push(permissions(client, namespace, area, uses).await);
    }
    for (name, group, ns) in [
        ("serving", "serving.knative.dev", "knative-serving"),
        ("eventing", "eventing.knative.dev", "knative-eventing"),
    ] {
        let served = client.served_versions(group).await.unwrap_or_default();
        let namespace = client
            .get_opt(&kinds::NAMESPACE, "", ns)
            .await
            .ok()
            .flatten();
        checks.push(judge::installed(name, group, &served, namespace.as_ref()));
    }
    let data = |ns: &'static str, name: &'static str| async move {
        client
            .get_opt(&kinds::CONFIG_MAP, ns, name)
            .await
            .ok()
            .flatten()
            .map(|cm| cm["data"].clone())
    };
    let serving_installed = checks
        .iter()
        .any(|c| c.name == "serving" && c.level != Level::Fail);
    let s = "knative-serving";
    let network = data(s, "config-network").await;
    if serving_installed && network.is_none() {
        checks.push(check(
            "settings",
            Level::Warn,
            "Knative Serving's ConfigMaps (config-network, config-domain …) are not in knative-serving",
            "check the installation: kubectl get configmaps -n knative-serving",
        ));
    } else if serving_installed {
        checks.push(judge::networking(network.as_ref()));
        checks.push(judge::domain(data(s, "config-domain").await.as_ref()));
        checks.push(judge::features(data(s, "config-features").await.as_ref()));
        checks.push(judge::autoscaler(
            data(s, "config-autoscaler").await.as_ref(),
            data(s, "config-defaults").await.as_ref(),
        ));
    }
    Report {
        ok: checks.iter().all(|c| c.level == Level::Ok),
        checks,
    }
}

async fn whoami(client: &Client) -> Check {
    let review = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"});
    match client
        .create(&kinds::SELF_SUBJECT_REVIEW, "", &review)
        .await
    {
        Ok(answer) => judge::user(&answer),
        Err(e) if e.is_not_found() => check(
            "user",
            Level::Warn,
            "the cluster does not serve SelfSubjectReview (Kubernetes before 1.28): user unknown",
            "",
        ),
        Err(e) => check("user", Level::Warn, format!("cannot ask who I am: {e}"), ""),
    }
}

/// One SelfSubjectAccessReview per verb and resource of `area`, sent together.
async fn permissions(
    client: &Client,
    namespace: &str,
    area: &str,
    uses: &[(Kind, &[&str])],
) -> Check {
    let asks: Vec<(&Kind, &str)> = uses
        .iter()
        .flat_map(|(kind, verbs)| verbs.iter().map(move |v| (kind, *v)))
        .collect();
    let answers = join_all(asks.iter().map(|(kind, verb)| {
        let review = json!({
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "spec": {"resourceAttributes": {
                "namespace": namespace, "verb": verb, "group": kind.group, "resource": kind.plural,
            }},
        });
        async move {
            client
                .create(&kinds::SELF_SUBJECT_ACCESS_REVIEW, "", &review)
                .await
        }
    }))
    .await;
    let mut denied = Vec::new();
    for ((kind, verb), answer) in asks.iter().zip(answers) {
        match answer {
            Ok(a) if a.pointer("/status/allowed").and_then(Value::as_bool) == Some(true) => {}
            Ok(_) => denied.push(format!("{verb} {}", kind.group_resource())),
            Err(e) => {
                return check(
                    &format!("{area} permissions"),
                    Level::Warn,
                    format!("cannot ask the cluster: {e}"),
                    "",
                );
            }
        }
    }
    judge::permissions(area, namespace, asks.len(), &denied)
}

pub mod judge {
    //! The verdict of each check from what was read (pure).

    use std::collections::BTreeMap;

    use serde_json::Value;

    use super::{Check, Level, check};

    pub fn user(answer: &Value) -> Check {
        let info = &answer["status"]["userInfo"];
        let name = info["username"].as_str().unwrap_or_default();
        let groups: Vec<&str> = info["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if name.is_empty() || name == "system:anonymous" {
            return check(
                "user",
                Level::Warn,
                "anonymous: the cluster did not recognise any credentials",
                "check the user of the kubeconfig context (token, client certificate or exec plugin)",
            );
        }
        let groups = if groups.is_empty() {
            String::new()
        } else {
            format!(" (groups {})", groups.join(", "))
        };
        check("user", Level::Ok, format!("{name}{groups}"), "")
    }

    pub fn permissions(area: &str, namespace: &str, asked: usize, denied: &[String]) -> Check {
        let name = format!("{area} permissions");
        if denied.is_empty() {
            return check(
                &name,
                Level::Ok,
                format!("all {asked} allowed in namespace {namespace}"),
                "",
            );
        }
        // Without Serving knit cannot do its main job; the rest only limits some commands.
        let level = if area == "serving" {
            Level::Fail
        } else {
            Level::Warn
        };
        let shown: Vec<&str> = denied.iter().take(6).map(String::as_str).collect();
        let more = if denied.len() > shown.len() {
            format!(" and {} more", denied.len() - shown.len())
        } else {
            String::new()
        };
        check(
            &name,
            level,
            format!(
                "{} of {asked} denied in namespace {namespace}: {}{more}",
                denied.len(),
                shown.join(", ")
            ),
            format!(
                "ask a cluster administrator for a role that allows them, e.g. kubectl create rolebinding knit-edit --clusterrole=edit --user=USER -n {namespace}"
            ),
        )
    }

    pub fn installed(
        name: &str,
        group: &str,
        served: &[String],
        namespace: Option<&Value>,
    ) -> Check {
        let title = if name == "serving" {
            "Knative Serving"
        } else {
            "Knative Eventing"
        };
        if served.is_empty() {
            // knit's Serving commands need Serving; Eventing only its eventing commands.
            let level = if name == "serving" {
                Level::Fail
            } else {
                Level::Warn
            };
            return check(
                name,
                level,
                format!("{title} is not installed ({group} is not served)"),
                "install it: https://knative.dev/docs/install/",
            );
        }
        let version = namespace
            .and_then(|ns| ns.pointer("/metadata/labels"))
            .and_then(|labels| {
                labels["app.kubernetes.io/version"]
                    .as_str()
                    .or_else(|| labels[&format!("{name}.knative.dev/release")].as_str())
            })
            .map(|v| v.trim_start_matches('v').to_string());
        let apis = served
            .iter()
            .map(|v| format!("{group}/{v}"))
            .collect::<Vec<_>>()
            .join(", ");
        match version {
            Some(v) => check(name, Level::Ok, format!("{title} {v} ({apis})"), ""),
            None => check(
                name,
                Level::Warn,
                format!(
                    "{title} serves {apis}, but its version is unknown (no knative-{name} namespace with a version label)"
                ),
                format!("check the installation: kubectl get deployments -n knative-{name}"),
            ),
        }
    }

    /// The `data` of a ConfigMap without Knative's `_example` documentation.
    fn settings(data: Option<&Value>) -> BTreeMap<String, String> {
        data.and_then(Value::as_object)
            .map(|d| {
                d.iter()
                    .filter(|(k, _)| k.as_str() != "_example")
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn networking(data: Option<&Value>) -> Check {
        let s = settings(data);
        let class = s
            .get("ingress-class")
            .or_else(|| s.get("ingress.class"))
            .cloned();
        let layer = |class: &str| match class.split('.').next().unwrap_or_default() {
            "kourier" => "Kourier".to_string(),
            "istio" => "Istio".to_string(),
            "contour" => "Contour".to_string(),
            "gateway-api" => "Gateway API".to_string(),
            other => other.to_string(),
        };
        let scheme = s
            .get("default-external-scheme")
            .map(|v| format!(", external scheme {v}"))
            .unwrap_or_default();
        match class {
            Some(c) => check(
                "networking",
                Level::Ok,
                format!("{} (ingress-class {c}){scheme}", layer(&c)),
                "",
            ),
            None => check(
                "networking",
                Level::Ok,
                format!("Istio, Knative's default (config-network sets no ingress-class){scheme}"),
                "",
            ),
        }
    }

    pub fn domain(data: Option<&Value>) -> Check {
        let s = settings(data);
        let default = s
            .iter()
            .find(|(_, v)| v.trim().is_empty())
            .map(|(k, _)| k.clone());
        let others = s.len() - usize::from(default.is_some());
        let selectors = if others > 0 {
            format!(", {others} more for labelled services")
        } else {
            String::new()
        };
        let fix = "set one: kubectl patch configmap config-domain -n knative-serving --type merge -p '{\"data\":{\"DOMAIN\":\"\"}}'";
        match default.as_deref() {
            None | Some("svc.cluster.local") => check(
                "domain",
                Level::Warn,
                format!(
                    "none set: Routes get svc.cluster.local URLs, reachable only inside the cluster{selectors}"
                ),
                fix,
            ),
            Some("example.com") => check(
                "domain",
                Level::Warn,
                format!("example.com, Knative's placeholder: URLs will not resolve{selectors}"),
                fix,
            ),
            Some(d) => check("domain", Level::Ok, format!("{d}{selectors}"), ""),
        }
    }

    pub fn features(data: Option<&Value>) -> Check {
        let s = settings(data);
        if s.is_empty() {
            return check("features", Level::Ok, "Knative's defaults", "");
        }
        let set: Vec<String> = s.iter().map(|(k, v)| format!("{k}={v}")).collect();
        check("features", Level::Ok, set.join(", "), "")
    }

    pub fn autoscaler(autoscaler: Option<&Value>, defaults: Option<&Value>) -> Check {
        let a = settings(autoscaler);
        let d = settings(defaults);
        let get = |m: &BTreeMap<String, String>, k: &str, default: &str| {
            m.get(k).cloned().unwrap_or_else(|| default.to_string())
        };
        let class = get(&a, "pod-autoscaler-class", "kpa.autoscaling.knative.dev");
        let target = get(&a, "container-concurrency-target-default", "100");
        let zero = if get(&a, "enable-scale-to-zero", "true") == "true" {
            format!(
                "scale to zero after {}",
                get(&a, "scale-to-zero-grace-period", "30s")
            )
        } else {
            "no scale to zero".to_string()
        };
        let window = get(&a, "stable-window", "60s");
        let initial = get(&a, "initial-scale", "1");
        let timeout = get(&d, "revision-timeout-seconds", "300");
        check(
            "autoscaler",
            Level::Ok,
            format!(
                "{class}, target {target} requests per pod, {zero}, stable window {window}, initial scale {initial}, request timeout {timeout}s"
            ),
            "",
        )
    }
}

#[cfg(test)]
#[path = "doctor_tests.rs"]
mod tests;
