//! Image digest pinning (`--lock-to-digest`): remember the image the user asked for and run
//! the digest the base revision resolved, so unrelated updates do not pull a new image.

use serde_json::{Value, json};

use super::EditError;
use super::json;

/// The image the user asked for, on the revision template.
pub const USER_IMAGE_ANNOTATION: &str = "client.knative.dev/user-image";
/// When kn last changed the template (RFC 3339, UTC).
pub const UPDATE_TIMESTAMP_ANNOTATION: &str = "client.knative.dev/updateTimestamp";

/// The revision a Service's template corresponds to, and how to recognise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseRevisionRef {
    /// The template names its revision explicitly.
    Named(String),
    /// `status.latestCreatedRevisionName`, valid only if its image matches the template's.
    LatestCreated(String),
}

impl BaseRevisionRef {
    pub fn name(&self) -> &str {
        match self {
            Self::Named(name) | Self::LatestCreated(name) => name,
        }
    }
}

/// Which revision to fetch as the base revision, if any can be known.
pub fn base_revision_ref(service: &Value) -> Option<BaseRevisionRef> {
    if let Some(name) =
        json::get_str(service, &["spec", "template", "metadata", "name"]).filter(|n| !n.is_empty())
    {
        return Some(BaseRevisionRef::Named(name.to_string()));
    }
    json::get_str(service, &["status", "latestCreatedRevisionName"])
        .filter(|n| !n.is_empty())
        .map(|n| BaseRevisionRef::LatestCreated(n.to_string()))
}

fn first_container_image(pod_spec: Option<&Value>) -> Option<&str> {
    pod_spec?.get("containers")?.get(0)?.get("image")?.as_str()
}

/// Whether a fetched revision can serve as the base for the Service's template: a latest-created
/// revision whose image differs is out of date.
pub fn accept_base_revision(
    service: &Value,
    reference: &BaseRevisionRef,
    revision: &Value,
) -> bool {
    match reference {
        BaseRevisionRef::Named(_) => true,
        BaseRevisionRef::LatestCreated(_) => {
            let template_image =
                first_container_image(json::get(service, &["spec", "template", "spec"]));
            let revision_image = first_container_image(revision.get("spec"));
            template_image == revision_image
        }
    }
}

/// Records the user's image in the template's `user-image` annotation; an image already pinned
/// to a digest keeps the annotation it has.
pub fn update_user_image_annotation(template: &mut Value) {
    let Some(image) = first_container_image(template.get("spec")).map(str::to_string) else {
        return;
    };
    let meta = json::object(template, "metadata");
    // An empty value is `service create`'s placeholder, not a remembered image.
    let remembered = json::map_entry(meta, "annotations", USER_IMAGE_ANNOTATION)
        .is_some_and(|stored| !stored.is_empty());
    if image.contains('@') && remembered {
        return;
    }
    json::set_map_entry(meta, "annotations", USER_IMAGE_ANNOTATION, &image);
}

/// Replaces the template's image with the digest the base revision resolved.
pub fn pin_to_digest(template: &mut Value, base: &Value) -> Result<(), EditError> {
    let template_name = json::get_str(template, &["metadata", "name"]).unwrap_or("");
    let base_name = json::get_str(base, &["metadata", "name"]).unwrap_or("");
    let Some(current) = first_container_image(template.get("spec")).map(str::to_string) else {
        return Err(EditError::new(format!(
            "can not pin image to digest: no container given in current revision {template_name}"
        )));
    };
    let Some(base_container) = json::get(base, &["spec", "containers"]).and_then(|c| c.get(0))
    else {
        return Err(EditError::new(format!(
            "can not pin image to digest: no container found in base revision {base_name}"
        )));
    };
    let base_image = base_container
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or("");
    // Already pinned: nothing to do (and a base read before a concurrent writer pinned the
    // template may still name the tag).
    if current.contains('@') {
        return Ok(());
    }
    if current != base_image {
        return Err(EditError::new(format!(
            "can not pin image to digest: current revision {template_name} contains unexpected image ({current}) that does not fit to the base revision's {base_name} image ({base_image})"
        )));
    }
    let base_container_name = base_container.get("name").and_then(Value::as_str);
    let statuses = json::get(base, &["status", "containerStatuses"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let status = statuses
        .iter()
        .find(|s| {
            base_container_name.is_some()
                && s.get("name").and_then(Value::as_str) == base_container_name
        })
        .or_else(|| statuses.first());
    let digest = status
        .and_then(|s| s.get("imageDigest"))
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty());
    if let Some(digest) = digest {
        let container = super::podspec::container_at(json::object(template, "spec"), 0);
        json::set(container, "image", json!(digest));
    }
    Ok(())
}

/// `--redeploy`: puts back the tag the user asked for where the template runs a pinned digest of
/// that same repository, so the server resolves the tag again for the new revision. A digest the
/// user gave directly (no matching `user-image`) stays.
pub fn unpin_to_user_image(template: &mut Value) {
    let Some(image) = first_container_image(template.get("spec")).map(str::to_string) else {
        return;
    };
    let Some((pinned_repo, _)) = image.split_once('@') else {
        return;
    };
    let Some(user_image) = json::get(template, &["metadata"])
        .and_then(|meta| json::map_entry(meta, "annotations", USER_IMAGE_ANNOTATION))
        .map(str::to_string)
        .filter(|u| !u.is_empty() && !u.contains('@'))
    else {
        return;
    };
    if normalized_repository(&user_image) != normalized_repository(pinned_repo) {
        return;
    }
    let container = super::podspec::container_at(json::object(template, "spec"), 0);
    json::set(container, "image", json!(user_image));
}

/// An image's repository without tag or digest, with Docker Hub's implied registry and
/// `library/` spelled out (`nginx:1` and `index.docker.io/library/nginx@sha256:…` match).
fn normalized_repository(image: &str) -> String {
    let without_digest = image.split('@').next().unwrap_or(image);
    let repo = match without_digest.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => without_digest,
    };
    let (first, rest) = repo.split_once('/').unwrap_or(("", repo));
    let explicit_registry = first.contains('.') || first.contains(':') || first == "localhost";
    match (first, explicit_registry) {
        ("", _) => format!("index.docker.io/library/{rest}"),
        ("docker.io" | "index.docker.io", _) if !rest.contains('/') => {
            format!("index.docker.io/library/{rest}")
        }
        ("docker.io" | "index.docker.io", _) => format!("index.docker.io/{rest}"),
        (_, true) => repo.to_string(),
        (_, false) => format!("index.docker.io/{repo}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pinned(image: &str, user_image: Option<&str>) -> Value {
        let mut t = json!({"metadata": {}, "spec": {"containers": [{"image": image}]}});
        if let Some(user_image) = user_image {
            t["metadata"]["annotations"] = json!({USER_IMAGE_ANNOTATION: user_image});
        }
        t
    }

    #[test]
    fn redeploy_puts_the_tag_back_for_a_pinned_digest() {
        for (image, user_image, expected) in [
            ("gcr.io/a/b@sha256:1", "gcr.io/a/b", "gcr.io/a/b"),
            ("gcr.io/a/b@sha256:1", "gcr.io/a/b:v2", "gcr.io/a/b:v2"),
            (
                "index.docker.io/library/nginx@sha256:1",
                "nginx:1.25",
                "nginx:1.25",
            ),
            (
                "index.docker.io/me/app@sha256:1",
                "docker.io/me/app",
                "docker.io/me/app",
            ),
            (
                "localhost:5000/app@sha256:1",
                "localhost:5000/app:v1",
                "localhost:5000/app:v1",
            ),
            // A digest of another image than the remembered one was given on purpose.
            (
                "gcr.io/other@sha256:1",
                "gcr.io/a/b",
                "gcr.io/other@sha256:1",
            ),
            // Not pinned: the tag is resolved anew anyway.
            ("gcr.io/a/b:v1", "gcr.io/a/b:v1", "gcr.io/a/b:v1"),
        ] {
            let mut t = pinned(image, Some(user_image));
            unpin_to_user_image(&mut t);
            assert_eq!(
                t["spec"]["containers"][0]["image"], expected,
                "{image} {user_image}"
            );
        }
        let mut t = pinned("gcr.io/a/b@sha256:1", None);
        unpin_to_user_image(&mut t);
        assert_eq!(t["spec"]["containers"][0]["image"], "gcr.io/a/b@sha256:1");
    }

    fn service(template_name: Option<&str>, latest_created: &str) -> Value {
        let mut s = json!({
            "spec": {"template": {"metadata": {}, "spec": {"containers": [{"image": "img:1"}]}}},
            "status": {"latestCreatedRevisionName": latest_created}
        });
        if let Some(name) = template_name {
            s["spec"]["template"]["metadata"]["name"] = json!(name);
        }
        s
    }

    fn revision(image: &str, digest: &str) -> Value {
        json!({
            "metadata": {"name": "svc-00001"},
            "spec": {"containers": [{"name": "user-container", "image": image}]},
            "status": {"containerStatuses": [{"name": "user-container", "imageDigest": digest}]}
        })
    }

    #[test]
    fn base_revision_prefers_the_template_name() {
        assert_eq!(
            base_revision_ref(&service(Some("svc-v2"), "svc-00001")),
            Some(BaseRevisionRef::Named("svc-v2".into()))
        );
        assert_eq!(
            base_revision_ref(&service(None, "svc-00001")),
            Some(BaseRevisionRef::LatestCreated("svc-00001".into()))
        );
        assert_eq!(base_revision_ref(&service(None, "")), None);
    }

    #[test]
    fn latest_created_must_match_the_image() {
        let svc = service(None, "svc-00001");
        let reference = base_revision_ref(&svc).unwrap();
        assert!(accept_base_revision(
            &svc,
            &reference,
            &revision("img:1", "d")
        ));
        assert!(!accept_base_revision(
            &svc,
            &reference,
            &revision("img:2", "d")
        ));
    }

    #[test]
    fn user_image_annotation_keeps_the_tag_once_pinned() {
        let mut t = json!({"spec": {"containers": [{"image": "img:1"}]}});
        update_user_image_annotation(&mut t);
        assert_eq!(t["metadata"]["annotations"][USER_IMAGE_ANNOTATION], "img:1");
        t["spec"]["containers"][0]["image"] = json!("img@sha256:abc");
        update_user_image_annotation(&mut t);
        assert_eq!(t["metadata"]["annotations"][USER_IMAGE_ANNOTATION], "img:1");
    }

    #[test]
    fn a_digest_replaces_the_create_placeholder() {
        let mut t = json!({
            "metadata": {"annotations": {USER_IMAGE_ANNOTATION: ""}},
            "spec": {"containers": [{"image": "img@sha256:abc"}]}
        });
        update_user_image_annotation(&mut t);
        assert_eq!(
            t["metadata"]["annotations"][USER_IMAGE_ANNOTATION],
            "img@sha256:abc"
        );
    }

    #[test]
    fn pins_to_the_base_digest() {
        let mut t =
            json!({"metadata": {"name": ""}, "spec": {"containers": [{"image": "img:1", "x": 1}]}});
        pin_to_digest(&mut t, &revision("img:1", "img@sha256:abc")).unwrap();
        assert_eq!(
            t["spec"]["containers"][0],
            json!({"image": "img@sha256:abc", "x": 1})
        );
    }

    #[test]
    fn mismatched_base_image_is_an_error() {
        let mut t =
            json!({"metadata": {"name": "svc-v3"}, "spec": {"containers": [{"image": "img:2"}]}});
        let err = pin_to_digest(&mut t, &revision("img:1", "d")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "can not pin image to digest: current revision svc-v3 contains unexpected image (img:2) that does not fit to the base revision's svc-00001 image (img:1)"
        );
    }

    #[test]
    fn an_already_pinned_template_stays_as_it_is() {
        let mut t = json!({"spec": {"containers": [{"image": "img@sha256:old"}]}});
        pin_to_digest(&mut t, &revision("img:1", "img@sha256:new")).unwrap();
        assert_eq!(t["spec"]["containers"][0]["image"], "img@sha256:old");
    }

    #[test]
    fn no_digest_leaves_the_image() {
        let mut t = json!({"spec": {"containers": [{"image": "img:1"}]}});
        pin_to_digest(&mut t, &revision("img:1", "")).unwrap();
        assert_eq!(t["spec"]["containers"][0]["image"], "img:1");
    }
}
