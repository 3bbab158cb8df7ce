//! Traffic computation: parsing, tags, untag, `@latest`, the automatic remainder, errors.

use super::*;

fn edit(traffic: &[&str], tags: &[&str], untags: &[&str]) -> TrafficEdit {
    TrafficEdit {
        traffic: traffic.iter().map(|s| s.parse().unwrap()).collect(),
        tags: tags.iter().map(|s| s.parse().unwrap()).collect(),
        untags: untags.iter().map(|s| s.to_string()).collect(),
    }
}

fn ctx<'a>(status: &'a [Value], new_revision: bool) -> TrafficContext<'a> {
    TrafficContext {
        service_name: "hello",
        status_traffic: status,
        latest_ready: Some("hello-00002"),
        new_revision,
        is_create: false,
    }
}

fn default_spec() -> Vec<Value> {
    vec![json!({"latestRevision": true, "percent": 100})]
}

/// hello-00001 tagged `stable`, hello-00002 the latest ready, 50/50.
fn split_status() -> Vec<Value> {
    vec![
        json!({"revisionName": "hello-00001", "tag": "stable", "percent": 50, "latestRevision": false}),
        json!({"revisionName": "hello-00002", "percent": 50, "latestRevision": true}),
    ]
}

fn split_spec() -> Vec<Value> {
    vec![
        json!({"revisionName": "hello-00001", "tag": "stable", "percent": 50, "latestRevision": false}),
        json!({"latestRevision": true, "percent": 50}),
    ]
}

#[test]
fn traffic_arg_forms() {
    assert_eq!(
        "rev=50%".parse::<TrafficArg>(),
        Ok(TrafficArg {
            reference: "rev".into(),
            percent: 50
        })
    );
    assert_eq!(
        "30".parse::<TrafficArg>(),
        Ok(TrafficArg {
            reference: LATEST.into(),
            percent: 30
        })
    );
    assert_eq!(
        "a=b=1".parse::<TrafficArg>().unwrap_err(),
        "expecting the value format in value1=value2, given a=b=1"
    );
    assert_eq!(
        "=1".parse::<TrafficArg>().unwrap_err(),
        "expecting the value format in value1=value2, given =1"
    );
    assert_eq!(
        "a=x".parse::<TrafficArg>().unwrap_err(),
        "error converting given x to integer value for traffic distribution"
    );
    assert_eq!(
        "a=101".parse::<TrafficArg>().unwrap_err(),
        "invalid value for traffic percent 101, expected 0 <= percent <= 100"
    );
    assert_eq!(
        "foo".parse::<TagArg>(),
        Ok(TagArg {
            revision: LATEST.into(),
            tag: "foo".into()
        })
    );
}

#[test]
fn validation_errors() {
    assert_eq!(
        edit(&[], &["@latest=a", "@latest=b"], &[])
            .validate()
            .unwrap_err()
            .to_string(),
        "repetition of identifier @latest is not allowed, use only once with --tag flag"
    );
    assert_eq!(
        edit(&["r=10", "r=20"], &[], &[])
            .validate()
            .unwrap_err()
            .to_string(),
        "repetition of revision reference r is not allowed, use only once with --traffic flag"
    );
    assert_eq!(
        edit(&["@latest=60", "@latest=60"], &[], &[])
            .validate()
            .unwrap_err()
            .to_string(),
        "repetition of identifier @latest is not allowed, use only once with --traffic flag"
    );
    assert_eq!(
        edit(&["a=70", "b=50"], &[], &[])
            .validate()
            .unwrap_err()
            .to_string(),
        "given traffic percents sum to 120, want <=100"
    );
}

#[test]
fn tag_latest_on_default_traffic() {
    let status =
        vec![json!({"revisionName": "hello-00002", "percent": 100, "latestRevision": true})];
    let out = compute(
        &default_spec(),
        &edit(&[], &["@latest=current"], &[]),
        &ctx(&status, false),
    )
    .unwrap();
    assert_eq!(
        out,
        vec![json!({"latestRevision": true, "percent": 100, "tag": "current"})]
    );
}

#[test]
fn tag_latest_rules() {
    let spec = vec![json!({"latestRevision": true, "percent": 100, "tag": "current"})];
    let c = ctx(&[], false);
    // Same tag again is a no-op.
    assert_eq!(
        compute(&spec, &edit(&[], &["@latest=current"], &[]), &c).unwrap(),
        spec
    );
    assert_eq!(
        compute(&spec, &edit(&[], &["@latest=other"], &[]), &c)
            .unwrap_err()
            .to_string(),
        "tag 'current' exists on latest ready revision of service, refusing to overwrite existing tag with 'other', add flag '--untag current' in command to untag it"
    );
    // Untag first, then re-tag.
    assert_eq!(
        compute(&spec, &edit(&[], &["@latest=other"], &["current"]), &c).unwrap(),
        vec![json!({"latestRevision": true, "percent": 100, "tag": "other"})]
    );
}

#[test]
fn tag_used_elsewhere_is_refused() {
    let c = ctx(&[], false);
    assert_eq!(
        compute(&split_spec(), &edit(&[], &["@latest=stable"], &[]), &c)
            .unwrap_err()
            .to_string(),
        "refusing to overwrite existing tag in service, add flag '--untag stable' in command to untag it"
    );
    assert_eq!(
        compute(&split_spec(), &edit(&[], &["hello-00003=stable"], &[]), &c)
            .unwrap_err()
            .to_string(),
        "refusing to overwrite existing tag in service, add flag '--untag stable' in command to untag it"
    );
    // The same tag on the same revision is fine.
    assert_eq!(
        compute(&split_spec(), &edit(&[], &["hello-00001=stable"], &[]), &c).unwrap(),
        split_spec()
    );
}

#[test]
fn tagging_revisions_adds_zero_percent_targets() {
    let c = ctx(&[], false);
    let out = compute(
        &split_spec(),
        &edit(&[], &["hello-00003=canary", "hello-00001=old"], &[]),
        &c,
    )
    .unwrap();
    assert_eq!(
        out,
        vec![
            json!({"revisionName": "hello-00001", "tag": "stable", "percent": 50, "latestRevision": false}),
            json!({"latestRevision": true, "percent": 50}),
            json!({"tag": "canary", "revisionName": "hello-00003", "latestRevision": false, "percent": 0}),
            // A revision that already has a tag gets a second target.
            json!({"tag": "old", "revisionName": "hello-00001", "latestRevision": false, "percent": 0}),
        ]
    );
}

#[test]
fn untag_removes_zero_percent_targets_and_reports_missing_tags() {
    let spec = vec![
        json!({"latestRevision": true, "percent": 100}),
        json!({"revisionName": "hello-00001", "tag": "old", "percent": 0}),
    ];
    let c = ctx(&[], false);
    assert_eq!(
        compute(&spec, &edit(&[], &[], &["old"]), &c).unwrap(),
        default_spec()
    );
    assert_eq!(
        compute(&spec, &edit(&[], &[], &["x", "old", "y"]), &c)
            .unwrap_err()
            .to_string(),
        "tag(s) x, y not present for any revisions of service hello"
    );
}

#[test]
fn full_split_by_tag_revision_and_latest() {
    let status = split_status();
    let out = compute(
        &split_spec(),
        &edit(&["stable=20", "@latest=80"], &[], &[]),
        &ctx(&status, false),
    )
    .unwrap();
    assert_eq!(
        out,
        vec![
            json!({"revisionName": "hello-00001", "tag": "stable", "percent": 20, "latestRevision": false}),
            json!({"latestRevision": true, "percent": 80}),
        ]
    );
    // A revision not in the block yet gets a new target; untagged 0% targets go.
    let out = compute(
        &split_spec(),
        &edit(&["hello-00003=100"], &[], &[]),
        &ctx(&status, false),
    )
    .unwrap();
    assert_eq!(
        out,
        vec![
            json!({"revisionName": "hello-00001", "tag": "stable", "percent": 0, "latestRevision": false}),
            json!({"revisionName": "hello-00003", "latestRevision": false, "percent": 100}),
        ]
    );
}

#[test]
fn remainder_goes_to_the_unnamed_revision() {
    let status = split_status();
    // @latest names hello-00002, so hello-00001 gets the rest.
    let out = compute(
        &split_spec(),
        &edit(&["@latest=30"], &[], &[]),
        &ctx(&status, false),
    )
    .unwrap();
    assert_eq!(out[0]["percent"], 70);
    assert_eq!(out[1]["percent"], 30);
    // A tag names its revision (kn misses this: it only sees a client-side annotation), and
    // the rest goes to the other revision by name, as kn's e2e "45:55 automatic traffic split"
    // expects: the @latest target, left at 0% without a tag, is dropped.
    let out = compute(
        &split_spec(),
        &edit(&["stable=10"], &[], &[]),
        &ctx(&status, false),
    )
    .unwrap();
    assert_eq!(
        out,
        vec![
            json!({"revisionName": "hello-00001", "tag": "stable", "percent": 10, "latestRevision": false}),
            json!({"revisionName": "hello-00002", "latestRevision": false, "percent": 90}),
        ]
    );
    // Named explicitly, the remainder goes to the name.
    let named_status = vec![
        json!({"revisionName": "hello-00001", "percent": 50}),
        json!({"revisionName": "hello-00002", "percent": 50}),
    ];
    let out = compute(
        &named_status,
        &edit(&["hello-00001=25"], &[], &[]),
        &ctx(&named_status, false),
    )
    .unwrap();
    assert_eq!(
        out[1],
        json!({"revisionName": "hello-00002", "percent": 75})
    );
}

#[test]
fn remainder_with_a_new_revision() {
    let status =
        vec![json!({"revisionName": "hello-00002", "percent": 100, "latestRevision": true})];
    // Canary: 10% to the coming revision, the rest stays on the current one.
    let out = compute(
        &default_spec(),
        &edit(&["@latest=10"], &[], &[]),
        &ctx(&status, true),
    )
    .unwrap();
    assert_eq!(
        out,
        vec![
            json!({"latestRevision": true, "percent": 10}),
            json!({"revisionName": "hello-00002", "latestRevision": false, "percent": 90}),
        ]
    );
    // Naming every current revision sends the rest to @latest.
    let out = compute(
        &default_spec(),
        &edit(&["hello-00002=40"], &[], &[]),
        &ctx(&status, true),
    )
    .unwrap();
    assert_eq!(
        out,
        vec![
            json!({"latestRevision": true, "percent": 60}),
            json!({"revisionName": "hello-00002", "latestRevision": false, "percent": 40}),
        ]
    );
}

#[test]
fn remainder_errors() {
    let status = vec![
        json!({"revisionName": "r1", "percent": 30}),
        json!({"revisionName": "r2", "percent": 30}),
        json!({"revisionName": "r3", "percent": 40}),
    ];
    let spec = status.clone();
    assert_eq!(
        compute(&spec, &edit(&["r1=10"], &[], &[]), &ctx(&status, false))
            .unwrap_err()
            .to_string(),
        "unable to allocate the remaining traffic: 90%. Reason: incorrect number of revisions specified. Only 1 revision should be missing"
    );
    assert_eq!(
        compute(
            &spec,
            &edit(&["r1=10", "r2=10", "r3=10"], &[], &[]),
            &ctx(&status, false)
        )
        .unwrap_err()
        .to_string(),
        "unable to allocate the remaining traffic: 70%. Reason: incorrect number of revisions specified. Only 1 revision should be missing"
    );
    // Without any routed revision there is nothing to give the rest to.
    assert_eq!(
        compute(&[], &edit(&["@latest=50"], &[], &[]), &ctx(&[], false))
            .unwrap_err()
            .to_string(),
        "unable to allocate the remaining traffic: 50%. Reason: incorrect number of revisions specified. Only 1 revision should be missing"
    );
    // Naming revisions that get no traffic now does not let the rest go to the one that does
    // (issue 11): kn counts the routed targets.
    let single = vec![json!({"revisionName": "r3", "latestRevision": true, "percent": 100})];
    assert_eq!(
        compute(
            &single,
            &edit(&["r1=50", "r2=20"], &[], &[]),
            &ctx(&single, false)
        )
        .unwrap_err()
        .to_string(),
        "unable to allocate the remaining traffic: 30%. Reason: incorrect number of revisions specified. Only 1 revision should be missing"
    );
    // Two of three routed revisions named: the rest goes to the third.
    let out = compute(
        &spec,
        &edit(&["r1=10", "r2=10"], &[], &[]),
        &ctx(&status, false),
    )
    .unwrap();
    assert_eq!(
        out.iter()
            .map(|t| t["percent"].as_i64().unwrap())
            .sum::<i64>(),
        100
    );
}

#[test]
fn create_with_tags_routes_everything_to_latest() {
    let c = TrafficContext {
        is_create: true,
        ..ctx(&[], true)
    };
    assert_eq!(
        compute(&[], &edit(&[], &["v1"], &[]), &c).unwrap(),
        vec![json!({"tag": "v1", "latestRevision": true, "percent": 100})]
    );
}

#[test]
fn unknown_target_fields_survive() {
    let spec = vec![json!({"latestRevision": true, "percent": 100, "x-target": {"a": 1}})];
    let status =
        vec![json!({"revisionName": "hello-00002", "percent": 100, "latestRevision": true})];
    let out = compute(
        &spec,
        &edit(&["@latest=100"], &["@latest=t"], &[]),
        &ctx(&status, false),
    )
    .unwrap();
    assert_eq!(
        out,
        vec![json!({"latestRevision": true, "percent": 100, "tag": "t", "x-target": {"a": 1}})]
    );
}
