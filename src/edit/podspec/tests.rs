//! Tests of the pod spec edits shared by Service and the sources.

use super::*;

fn pod() -> Value {
    json!({"containers": [{"image": "old", "x-c": true}], "x-pod": 1})
}

#[test]
fn pull_policy_is_case_insensitive() {
    assert_eq!(
        "ifnotpresent".parse::<PullPolicy>(),
        Ok(PullPolicy::IfNotPresent)
    );
    assert_eq!(
        "sometimes".parse::<PullPolicy>().unwrap_err(),
        "invalid --pull-policy sometimes. Valid arguments (case insensitive): Always | Never | IfNotPresent"
    );
}

#[test]
fn port_forms() {
    assert_eq!(
        "h2c:8080".parse::<PortSpec>(),
        Ok(PortSpec {
            name: Some("h2c".into()),
            port: 8080
        })
    );
    assert_eq!("80".parse::<PortSpec>().unwrap().name, None);
    for bad in ["http", "h2c:x", "70000", "0", ""] {
        assert_eq!(
            bad.parse::<PortSpec>().unwrap_err(),
            format!(
                "the port specification '{bad}' is not valid. Please provide in the format 'NAME:PORT', where 'NAME' is optional. Examples: '--port h2c:8080' , '--port 8080'."
            )
        );
    }
}

#[test]
fn security_context_values() {
    assert_eq!(
        "STRICT".parse::<SecurityContextPreset>(),
        Ok(SecurityContextPreset::Strict)
    );
    assert_eq!(
        "loose".parse::<SecurityContextPreset>().unwrap_err(),
        "invalid --security-context loose. Valid arguments: strict | none"
    );
}

#[test]
fn image_and_pull_policy() {
    let mut p = pod();
    let edit = PodSpecEdit {
        image: Some("new".into()),
        pull_policy: Some(PullPolicy::Always),
        ..Default::default()
    };
    edit.apply(&mut p).unwrap();
    assert_eq!(
        p,
        json!({"containers": [{"image": "new", "imagePullPolicy": "Always", "x-c": true}], "x-pod": 1})
    );
    assert!(edit.is_mutation());
    assert!(
        !PodSpecEdit {
            pull_policy: Some(PullPolicy::Never),
            ..Default::default()
        }
        .is_mutation()
    );
}

#[test]
fn empty_pod_spec_gets_a_main_container() {
    let mut p = json!({});
    PodSpecEdit {
        image: Some("img".into()),
        ..Default::default()
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(p, json!({"containers": [{"image": "img"}]}));
}

#[test]
fn cmd_and_arg_replace() {
    let mut p = json!({"containers": [{"command": ["a"], "args": ["x", "y"]}]});
    PodSpecEdit {
        command: Some(vec!["sh".into(), "-c".into()]),
        args: Some(vec!["z".into()]),
        ..Default::default()
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(
        p,
        json!({"containers": [{"command": ["sh", "-c"], "args": ["z"]}]})
    );
}

#[test]
fn port_replaces_list_and_keeps_first_entry_fields() {
    let mut p = json!({"containers": [{"ports": [{"containerPort": 80, "name": "http1", "protocol": "TCP"}, {"containerPort": 9}]}]});
    PodSpecEdit {
        port: Some("8080".parse().unwrap()),
        ..Default::default()
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(
        p,
        json!({"containers": [{"ports": [{"containerPort": 8080, "protocol": "TCP"}]}]})
    );
}

#[test]
fn service_account_and_pull_secret_set_and_clear() {
    let mut p = pod();
    PodSpecEdit {
        service_account: Some("sa".into()),
        pull_secret: Some(" regcred ".into()),
        ..Default::default()
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(p["serviceAccountName"], "sa");
    assert_eq!(p["imagePullSecrets"], json!([{"name": "regcred"}]));
    PodSpecEdit {
        service_account: Some(String::new()),
        pull_secret: Some(String::new()),
        ..Default::default()
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(p, pod());
}

#[test]
fn user_then_security_context() {
    let mut p = json!({"containers": [{"securityContext": {"readOnlyRootFilesystem": true}}]});
    PodSpecEdit {
        user: Some(1001),
        ..Default::default()
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(
        p["containers"][0]["securityContext"],
        json!({"readOnlyRootFilesystem": true, "runAsUser": 1001})
    );
    PodSpecEdit {
        security_context: Some(SecurityContextPreset::Strict),
        ..Default::default()
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(
        p["containers"][0]["securityContext"],
        json!({"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}, "runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}})
    );
    PodSpecEdit {
        security_context: Some(SecurityContextPreset::None),
        ..Default::default()
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(p, json!({"containers": [{}]}));
    PodSpecEdit {
        user: Some(1001),
        security_context: Some(SecurityContextPreset::Strict),
        ..Default::default()
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(
        p["containers"][0]["securityContext"],
        json!({"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}, "runAsNonRoot": true, "runAsUser": 1001, "seccompProfile": {"type": "RuntimeDefault"}})
    );
}

#[test]
fn extra_containers_append_or_replace_by_name() {
    let mut p =
        json!({"containers": [{"name": "main", "image": "m"}, {"name": "side", "image": "s1"}]});
    PodSpecEdit {
        extra_containers: Some(vec![
            json!({"name": "side", "image": "s2"}),
            json!({"name": "extra", "image": "e"}),
        ]),
        ..Default::default()
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(
        p,
        json!({"containers": [
            {"name": "main", "image": "m"},
            {"name": "side", "image": "s2"},
            {"name": "extra", "image": "e"}
        ]})
    );
}

#[test]
fn probes_go_to_the_main_container() {
    let mut p = pod();
    PodSpecEdit {
        liveness: Some("http::8080:/live".parse().unwrap()),
        readiness_opts: Some("PeriodSeconds=5".parse().unwrap()),
        ..Default::default()
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(
        p["containers"][0]["livenessProbe"],
        json!({"httpGet": {"port": 8080, "path": "/live"}})
    );
    assert_eq!(
        p["containers"][0]["readinessProbe"],
        json!({"periodSeconds": 5})
    );
}

#[test]
fn fragment_containers() {
    assert_eq!(
        containers_of_fragment(&json!({"containers": [{"name": "a"}]})).unwrap(),
        vec![json!({"name": "a"})]
    );
    assert!(containers_of_fragment(&json!({"containers": "a"})).is_err());
}
