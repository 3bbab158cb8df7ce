//! Tests of doctor's judges: each check's verdict from fixed inputs.

use super::judge::{autoscaler, domain, features, installed, networking, user};
use super::{Level, json};

#[test]
fn permissions_fail_for_serving_and_warn_for_the_rest() {
    use super::judge::permissions;
    let ok = permissions("serving", "ns", 3, &[]);
    assert_eq!(
        (ok.level, ok.message.as_str()),
        (Level::Ok, "all 3 allowed in namespace ns")
    );
    let denied = vec!["create services.serving.knative.dev".to_string()];
    let fail = permissions("serving", "ns", 3, &denied);
    assert_eq!(fail.level, Level::Fail);
    assert_eq!(
        fail.message,
        "1 of 3 denied in namespace ns: create services.serving.knative.dev"
    );
    assert_eq!(permissions("eventing", "ns", 3, &denied).level, Level::Warn);
}

#[test]
fn versions_come_from_the_namespace_label() {
    let ns = json!({"metadata": {"labels": {"app.kubernetes.io/version": "1.15.0"}}});
    let c = installed("serving", "serving.knative.dev", &["v1".into()], Some(&ns));
    assert_eq!(c.message, "Knative Serving 1.15.0 (serving.knative.dev/v1)");
    let missing = installed("eventing", "eventing.knative.dev", &[], None);
    assert_eq!(missing.level, Level::Warn);
    let unknown = installed("serving", "serving.knative.dev", &["v1".into()], None);
    assert_eq!(unknown.level, Level::Warn);
    assert_eq!(
        installed("serving", "serving.knative.dev", &[], None).level,
        Level::Fail
    );
}

#[test]
fn domains_warn_when_unset_or_the_placeholder() {
    assert_eq!(domain(Some(&json!({"_example": "x"}))).level, Level::Warn);
    assert_eq!(domain(Some(&json!({"example.com": ""}))).level, Level::Warn);
    let ok = domain(Some(
        &json!({"apps.acme.io": "", "internal.acme.io": "selector:\n  app: x\n"}),
    ));
    assert_eq!(
        (ok.level, ok.message.as_str()),
        (Level::Ok, "apps.acme.io, 1 more for labelled services")
    );
}

#[test]
fn settings_read_with_knatives_defaults() {
    let net = networking(Some(
        &json!({"ingress-class": "kourier.ingress.networking.knative.dev"}),
    ));
    assert_eq!(
        net.message,
        "Kourier (ingress-class kourier.ingress.networking.knative.dev)"
    );
    assert_eq!(features(None).message, "Knative's defaults");
    assert_eq!(
        autoscaler(Some(&json!({"enable-scale-to-zero": "false"})), None).message,
        "kpa.autoscaling.knative.dev, target 100 requests per pod, no scale to zero, stable window 60s, initial scale 1, request timeout 300s"
    );
    let anon = user(&json!({"status": {"userInfo": {"username": "system:anonymous"}}}));
    assert_eq!(anon.level, Level::Warn);
}
