//! The one-line verdict of a diagnosis: the most specific cause found in the tree, said so a
//! person knows what to do next. Causes in order: images that cannot be pulled, crashing
//! containers, referenced objects that do not exist, the deepest failed object, then waiting.

use std::collections::BTreeMap;

use super::{Health, Node};

const PULL_REASONS: [&str; 5] = [
    "ErrImagePull",
    "ImagePullBackOff",
    "InvalidImageName",
    "ErrImageNeverPull",
    "ContainerMissing",
];

/// The verdict for `tree`; `noun` is the command's noun (`service`, `trigger` …) for hints.
pub fn verdict(tree: &Node, noun: &str) -> String {
    if let Some(v) = image_pull(tree) {
        return v;
    }
    if let Some(v) = crashing(tree) {
        return v;
    }
    if let Some(v) = missing(tree, None) {
        return v;
    }
    if let Some(v) = deepest_failure(tree) {
        return v;
    }
    if let Some(node) = tree
        .walk()
        .into_iter()
        .rev()
        .find(|n| n.health == Health::Pending)
    {
        let why = node
            .findings
            .iter()
            .find(|f| !f.reason.is_empty())
            .map(|f| format!(" ({})", f.reason))
            .unwrap_or_default();
        return format!(
            "{} {} is not ready yet{why}: wait, then run '{} {noun} diagnose {}' again",
            node.kind.to_lowercase(),
            node.name,
            crate::bin_name(),
            tree.name
        );
    }
    let detail = if tree.detail.is_empty() {
        String::new()
    } else {
        format!(" ({})", tree.detail)
    };
    format!(
        "{} {} is Ready{detail}",
        tree.kind.to_lowercase(),
        tree.name
    )
}

/// `image X cannot be pulled (ErrImagePull on 2 pods): …`, from pods' waiting containers, else
/// from a Revision's ContainerMissing condition (digest resolution failed).
fn image_pull(tree: &Node) -> Option<String> {
    // image → (reason → count of objects)
    let mut pods: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut revisions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for node in tree.walk() {
        for f in &node.findings {
            if !PULL_REASONS.contains(&f.reason.as_str()) {
                continue;
            }
            if f.source == "container" {
                *pods
                    .entry(f.image.clone())
                    .or_default()
                    .entry(f.reason.clone())
                    .or_default() += 1;
            } else if f.source == "condition"
                && f.subject == "ContainerHealthy"
                && let Some(image) = quoted_image(&f.message)
            {
                revisions.entry(image).or_default().push(node.name.clone());
            }
        }
    }
    let hint = "check the image name or the pull secret";
    if let Some((image, reasons)) = pods.iter().next() {
        let counts: Vec<String> = reasons
            .iter()
            .map(|(reason, n)| format!("{reason} on {n} pod{}", plural(*n)))
            .collect();
        return Some(format!(
            "image {image} cannot be pulled ({}): {hint}",
            counts.join(", ")
        ));
    }
    let (image, names) = revisions.iter().next()?;
    Some(format!(
        "image {image} cannot be pulled (ContainerMissing on revision{} {}): {hint}",
        plural(names.len()),
        names.join(", ")
    ))
}

/// The image in `Unable to fetch image "X": …`.
fn quoted_image(message: &str) -> Option<String> {
    let rest = message.split_once("image \"")?.1;
    Some(rest.split_once('"')?.0.to_string())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A container that keeps failing: CrashLoopBackOff or a non-zero exit.
fn crashing(tree: &Node) -> Option<String> {
    let pods: Vec<(&Node, &super::Finding)> = tree
        .walk()
        .into_iter()
        .flat_map(|n| n.findings.iter().map(move |f| (n, f)))
        .filter(|(_, f)| {
            f.source == "container"
                && (f.reason == "CrashLoopBackOff" || f.status.contains("terminated"))
        })
        .collect();
    let (pod, first) = pods.first()?;
    let exit = pods
        .iter()
        .find(|(_, f)| f.message.starts_with("exit code"))
        .map(|(_, f)| format!(", {}", f.message))
        .unwrap_or_default();
    let count = {
        let mut names: Vec<&str> = pods.iter().map(|(n, _)| n.name.as_str()).collect();
        names.dedup();
        names.len()
    };
    Some(format!(
        "container {} keeps failing ({} on {count} pod{}{exit}): read its logs with 'kubectl logs {} -c {} --previous'",
        first.subject,
        first.reason,
        plural(count),
        pod.name,
        first.subject
    ))
}

/// The first object that is referenced but missing, with what refers to it.
fn missing(node: &Node, parent: Option<&Node>) -> Option<String> {
    if node.health == Health::Missing {
        let kind = node.kind.to_lowercase();
        if kind == "broker" {
            let bin = crate::bin_name();
            let p = parent.map(|p| format!(" ({} {} refers to it)", p.kind.to_lowercase(), p.name));
            return Some(format!(
                "broker {} does not exist{}: create it with '{bin} broker create {}'",
                node.name,
                p.unwrap_or_default(),
                node.name
            ));
        }
        return Some(match parent {
            Some(p) => format!(
                "{kind} {} does not exist ({} {} refers to it): create it, or point {} {} at one that exists",
                node.name,
                p.kind.to_lowercase(),
                p.name,
                p.kind.to_lowercase(),
                p.name
            ),
            None => format!("{kind} {} does not exist", node.name),
        });
    }
    node.children.iter().find_map(|c| missing(c, Some(node)))
}

/// The deepest failed object, by its most specific False condition (not `Ready`, which repeats
/// it) or its first Warning event.
fn deepest_failure(tree: &Node) -> Option<String> {
    let node = tree
        .walk()
        .into_iter()
        .rev()
        .find(|n| n.health == Health::Failed)?;
    let finding = node
        .findings
        .iter()
        .find(|f| f.status == "False" && f.subject != "Ready" && f.subject != "Succeeded")
        .or_else(|| node.findings.iter().find(|f| f.status == "False"))
        .or_else(|| node.findings.first())?;
    let mut why = finding.reason.clone();
    if !finding.message.is_empty() {
        why = if why.is_empty() {
            finding.message.clone()
        } else {
            format!("{why}: {}", finding.message)
        };
    }
    Some(format!(
        "{} {} is not ready: {why}",
        node.kind.to_lowercase(),
        node.name
    ))
}

#[cfg(test)]
mod tests {
    use super::super::Finding;
    use super::*;

    fn finding(source: &str, subject: &str, status: &str, reason: &str, message: &str) -> Finding {
        Finding {
            source: source.into(),
            subject: subject.into(),
            status: status.into(),
            reason: reason.into(),
            message: message.into(),
            image: String::new(),
        }
    }

    #[test]
    fn pull_failures_on_pods_name_the_image_and_count_pods() {
        let mut svc = Node::new("Service", "s");
        svc.health = Health::Failed;
        for name in ["p1", "p2"] {
            let mut pod = Node::new("Pod", name);
            pod.health = Health::Failed;
            let mut f = finding("container", "user-container", "waiting", "ErrImagePull", "");
            f.image = "ghcr.io/x:bad".into();
            pod.findings.push(f);
            svc.children.push(pod);
        }
        assert_eq!(
            verdict(&svc, "service"),
            "image ghcr.io/x:bad cannot be pulled (ErrImagePull on 2 pods): check the image name or the pull secret"
        );
    }

    #[test]
    fn a_revision_without_pods_names_the_image_from_its_condition() {
        let mut rev = Node::new("Revision", "s-00001");
        rev.health = Health::Failed;
        rev.findings.push(finding(
            "condition",
            "ContainerHealthy",
            "False",
            "ContainerMissing",
            "Unable to fetch image \"ghcr.io/x:bad\": failed to resolve image to digest",
        ));
        assert_eq!(
            verdict(&rev, "service"),
            "image ghcr.io/x:bad cannot be pulled (ContainerMissing on revision s-00001): check the image name or the pull secret"
        );
    }

    #[test]
    fn missing_references_name_who_refers_to_them() {
        let mut trigger = Node::new("Trigger", "t");
        trigger.health = Health::Failed;
        trigger.children.push(Node::missing("Broker", "b"));
        assert_eq!(
            verdict(&trigger, "trigger"),
            format!(
                "broker b does not exist (trigger t refers to it): create it with '{} broker create b'",
                crate::bin_name()
            )
        );
        trigger.children[0] = Node::missing("Service", "s");
        assert_eq!(
            verdict(&trigger, "trigger"),
            "service s does not exist (trigger t refers to it): create it, or point trigger t at one that exists"
        );
    }

    #[test]
    fn failures_prefer_the_specific_condition_then_pending_then_ready() {
        let mut route = Node::new("Route", "r");
        route.health = Health::Failed;
        route
            .findings
            .push(finding("condition", "Ready", "False", "X", "x"));
        route.findings.push(finding(
            "condition",
            "IngressReady",
            "False",
            "NoIngress",
            "no ingress",
        ));
        assert_eq!(
            verdict(&route, "route"),
            "route r is not ready: NoIngress: no ingress"
        );
        let mut svc = Node::new("Service", "s");
        svc.health = Health::Pending;
        svc.findings
            .push(finding("condition", "Ready", "Unknown", "Deploying", ""));
        assert_eq!(
            verdict(&svc, "service"),
            format!(
                "service s is not ready yet (Deploying): wait, then run '{} service diagnose s' again",
                crate::bin_name()
            )
        );
        let mut ok = Node::new("Service", "s");
        ok.detail = "http://s.default.example.com".into();
        assert_eq!(
            verdict(&ok, "service"),
            "service s is Ready (http://s.default.example.com)"
        );
    }

    #[test]
    fn crash_loops_point_at_the_logs() {
        let mut pod = Node::new("Pod", "p1");
        pod.health = Health::Failed;
        pod.findings.push(finding(
            "container",
            "user-container",
            "waiting",
            "CrashLoopBackOff",
            "back-off",
        ));
        pod.findings.push(finding(
            "container",
            "user-container",
            "last terminated",
            "Error",
            "exit code 1, 3 restarts",
        ));
        assert_eq!(
            verdict(&pod, "service"),
            "container user-container keeps failing (CrashLoopBackOff on 1 pod, exit code 1, 3 restarts): read its logs with 'kubectl logs p1 -c user-container --previous'"
        );
    }
}
