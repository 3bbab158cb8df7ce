//! Tests of the error translation.

use super::*;
use crate::client::kinds;

fn not_found(details_name: Option<&str>) -> kube::Error {
    let mut status = kube::core::Status::failure(
        "the server could not find the requested resource",
        "NotFound",
    )
    .with_code(404);
    if let Some(name) = details_name {
        status.message = format!("services.serving.knative.dev \"{name}\" not found");
        status.details = serde_json::from_value(serde_json::json!({
            "name": name, "group": "serving.knative.dev", "kind": "services"
        }))
        .ok();
    }
    kube::Error::Api(status.boxed())
}

#[test]
fn a_404_without_an_object_means_knative_is_not_installed() {
    let err = translate(&kinds::SERVICE, not_found(None));
    assert_eq!(
        err.to_string(),
        "no or newer Knative Serving API found on the backend, please verify the installation or update the 'knit' client"
    );
    let err = translate(&kinds::SERVICE, not_found(Some("hello")));
    assert!(err.is_not_found());
    assert_eq!(
        err.to_string(),
        "services.serving.knative.dev \"hello\" not found"
    );
    // Core kinds are always installed: their 404s stay API errors.
    assert!(translate(&kinds::SECRET, not_found(None)).is_not_found());
}
