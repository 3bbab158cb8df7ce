//! The pod spec's volumes: names, exactly one source each (feature-gated ones included), and
//! the secret, configMap, projected and emptyDir sources' own rules.

use super::*;

/// Volume name → volume.
pub(super) type Volumes = BTreeMap<String, Value>;

pub(super) fn validate_volumes(
    features: &Features,
    vs: &[Value],
    mounted: &BTreeSet<String>,
) -> (Volumes, FieldError) {
    let mut volumes = Volumes::new();
    let mut errs = FieldError::none();
    for (i, v) in vs.iter().enumerate() {
        let name = s(v, "name").to_string();
        if volumes.contains_key(&name) {
            errs.push(
                FieldError::new(format!("duplicate volume name {}", quote(&name)), &["name"])
                    .via_index(i),
            );
        }
        if !mounted.contains(&name) {
            errs.push(
                FieldError::new(
                    format!("volume with name {} not mounted", quote(&name)),
                    &["name"],
                )
                .via_index(i),
            );
        }
        errs.push(validate_volume(features, v).via_index(i));
        volumes.insert(name, v.clone());
    }
    (volumes, errs)
}

pub(super) fn validate_volume(features: &Features, v: &Value) -> FieldError {
    let mut errs = FieldError::none();
    let name = s(v, "name");
    if let Some(pvc) = v.get("persistentVolumeClaim").filter(|p| !p.is_null()) {
        let claim = s(pvc, "claimName");
        if !features.enabled("kubernetes.podspec-persistent-volume-claim") {
            errs.push(FieldError::new(
                format!("Persistent volume claim support is disabled, but found persistent volume claim {claim}"),
                &[],
            ));
        }
        let read_only = pvc
            .get("readOnly")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !read_only && !features.enabled("kubernetes.podspec-persistent-volume-write") {
            errs.push(FieldError::new(
                format!(
                    "Persistent volume write support is disabled, but found persistent volume claim {claim} that is not read-only"
                ),
                &[],
            ));
        }
    }
    let has = |k: &str| v.get(k).is_some_and(|x| !x.is_null());
    if has("emptyDir") && !features.enabled("kubernetes.podspec-volumes-emptydir") {
        errs.push(FieldError::new(
            format!("EmptyDir volume support is disabled, but found EmptyDir volume {name}"),
            &[],
        ));
    }
    if name.is_empty() {
        errs = FieldError::missing(&["name"]);
    } else if !dns1123_label(name).is_empty() {
        errs = FieldError::invalid_value(name, "name");
    }
    let mut gated: Vec<&str> = GATED_VOLUME_SOURCES
        .iter()
        .filter(|(k, flag)| has(k) && !features.enabled(flag))
        .map(|(k, _)| *k)
        .collect();
    // `VolumeSourceMask` drops a claim unless its feature is on (besides the messages above).
    if has("persistentVolumeClaim")
        && !features.enabled("kubernetes.podspec-persistent-volume-claim")
    {
        gated.push("persistentVolumeClaim");
    }
    if !gated.is_empty() {
        errs.push(FieldError::disallowed(&gated));
    }
    let mut specified: Vec<&str> = Vec::new();
    for k in [
        "secret",
        "configMap",
        "projected",
        "emptyDir",
        "persistentVolumeClaim",
    ] {
        if has(k) {
            specified.push(k);
        }
    }
    for (k, flag) in GATED_VOLUME_SOURCES {
        if has(k) && features.enabled(flag) {
            specified.push(k);
        }
    }
    for k in ["secret", "configMap"] {
        if let Some(src) = v.get(k) {
            for (i, item) in arr(src, "items").iter().enumerate() {
                errs.push(
                    validate_key_to_path(item)
                        .via_field_index("items", i)
                        .via_field(k),
                );
            }
        }
    }
    if let Some(p) = v.get("projected") {
        for (i, proj) in arr(p, "sources").iter().enumerate() {
            errs.push(validate_projection(proj).via_field_index("projected", i));
        }
    }
    if let Some(ed) = v.get("emptyDir").filter(|e| !e.is_null()) {
        let medium = s(ed, "medium");
        if !medium.is_empty() && medium != "Memory" {
            errs.push(FieldError::invalid_value(medium, "medium").via_field("emptyDir"));
        }
    }
    if specified.is_empty() {
        let mut paths = vec!["secret", "configMap", "projected"];
        if features.enabled("kubernetes.podspec-volumes-emptydir") {
            paths.push("emptyDir");
        }
        if features.enabled("kubernetes.podspec-persistent-volume-claim") {
            paths.push("persistentVolumeClaim");
        }
        errs.push(FieldError::missing_one_of(&paths));
    } else if specified.len() > 1 {
        errs.push(FieldError::multiple_one_of(&specified));
    }
    errs
}

pub(super) fn validate_key_to_path(item: &Value) -> FieldError {
    let mut errs = FieldError::none();
    if s(item, "key").is_empty() {
        errs.push(FieldError::missing(&["key"]));
    }
    if s(item, "path").is_empty() {
        errs.push(FieldError::missing(&["path"]));
    }
    errs
}

pub(super) fn validate_projection(p: &Value) -> FieldError {
    let mut errs = FieldError::none();
    let mut specified = Vec::new();
    for k in ["secret", "configMap", "serviceAccountToken", "downwardAPI"] {
        let Some(src) = p.get(k).filter(|x| !x.is_null()) else {
            continue;
        };
        specified.push(k);
        let mut e = FieldError::none();
        match k {
            "secret" | "configMap" => {
                if s(src, "name").is_empty() {
                    e.push(FieldError::missing(&["name"]));
                }
                for (i, item) in arr(src, "items").iter().enumerate() {
                    e.push(validate_key_to_path(item).via_field_index("items", i));
                }
            }
            "serviceAccountToken" => {
                if s(src, "path").is_empty() {
                    e.push(FieldError::missing(&["path"]));
                }
            }
            _ => {
                for (i, f) in arr(src, "items").iter().enumerate() {
                    let mut fe = FieldError::none();
                    let field_ref = f.get("fieldRef").is_some_and(|x| !x.is_null());
                    let res_ref = f.get("resourceFieldRef").is_some_and(|x| !x.is_null());
                    if !field_ref && !res_ref {
                        fe.push(FieldError::missing_one_of(&[
                            "fieldRef",
                            "resourceFieldRef",
                        ]));
                    }
                    if field_ref && res_ref {
                        fe.push(FieldError::new(
                            "Within a single item, cannot set both",
                            &["resourceFieldRef", "fieldRef"],
                        ));
                    }
                    if s(f, "path").is_empty() {
                        fe.push(FieldError::missing(&["path"]));
                    }
                    e.push(fe.via_field_index("items", i));
                }
            }
        }
        errs.push(e.via_field(k));
    }
    if specified.is_empty() {
        errs.push(FieldError::missing_one_of(&[
            "secret",
            "configMap",
            "serviceAccountToken",
            "downwardAPI",
        ]));
    } else if specified.len() > 1 {
        errs.push(FieldError::multiple_one_of(&specified));
    }
    errs
}
