//! `service describe` on a terminal (forced with `KNIT_FORCE_TTY`): the Traffic section draws each
//! target's share as a bar. Into a pipe the view stays kn's (the other describe tests).

use crate::common;

use common::Cluster;

const IMAGE: &str = "gcr.io/knative-samples/helloworld-go";

fn describe_tty(c: &Cluster, name: &str) -> String {
    c.knit_with(
        &["service", "describe", name],
        &[("KNIT_FORCE_TTY", "1")],
        None,
    )
    .snapshot()
}

/// `hello` with revisions `hello-00001` .. `hello-0000N`.
fn revisions(n: usize) -> Cluster {
    let c = Cluster::start();
    c.run(&format!("service create hello --image {IMAGE} --env V=1"))
        .ok();
    for i in 2..=n {
        c.knit(&["service", "update", "hello", "--env", &format!("V={i}")])
            .ok();
    }
    c
}

#[test]
fn all_traffic_to_latest_is_one_full_bar() {
    let c = revisions(1);
    insta::assert_snapshot!(describe_tty(&c, "hello"));
}

#[test]
fn the_plain_view_has_no_bars() {
    let c = revisions(1);
    let out = c.knit(&["service", "describe", "hello"]).ok();
    assert!(!out.stdout.contains("Traffic:"), "{}", out.stdout);
    assert!(!out.stdout.contains('█'), "{}", out.stdout);
}

#[test]
fn a_tagged_fifty_fifty_split() {
    let c = revisions(2);
    c.run(
        "service update hello --tag hello-00001=blue,hello-00002=green --traffic blue=50,green=50",
    )
    .ok();
    insta::assert_snapshot!(describe_tty(&c, "hello"));
}

#[test]
fn a_three_way_split_with_latest() {
    let c = revisions(3);
    c.run("service update hello --tag hello-00001=old,@latest=current --traffic old=10,hello-00002=25,@latest=65")
    .ok();
    insta::assert_snapshot!(describe_tty(&c, "hello"));
}

#[test]
fn a_zero_percent_tag_has_an_empty_bar() {
    let c = revisions(2);
    c.knit(&["service", "update", "hello", "--tag", "hello-00001=preview"])
        .ok();
    insta::assert_snapshot!(describe_tty(&c, "hello"));
}
