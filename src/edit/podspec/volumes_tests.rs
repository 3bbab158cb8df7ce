//! Tests of the volume and mount edits.

use super::*;

fn mount(s: &str) -> MountArg {
    s.parse().unwrap()
}

fn volume(s: &str) -> VolumeArg {
    s.parse().unwrap()
}

fn pod() -> Value {
    json!({"containers": [{"image": "img", "x-c": 1}], "x-p": 2})
}

#[test]
fn generated_names_follow_kn() {
    // sha1("/mydir") starts with 3c0c9b6b…; the leading slash is dropped.
    let name = generate_volume_name("/mydir");
    assert!(name.starts_with("mydir-"), "{name}");
    assert_eq!(name.len(), "mydir-".len() + 8);
    let expected_sum = &sha1_smol::Sha1::from("/mydir").digest().to_string()[..8];
    assert_eq!(&name[6..], expected_sum);
    let upper = generate_volume_name("/My Dir/Sub_x");
    assert!(upper.starts_with("my-dir-sub-x-"), "{upper}");
    assert!(generate_volume_name("_x").starts_with("k--x-"));
    let long = generate_volume_name(&format!("/{}", "a".repeat(80)));
    assert_eq!(long.len(), 63);
    assert!(long.ends_with("-n"));
}

#[test]
fn mount_forms() {
    assert_eq!(
        mount("/d=cm:conf/sub/path:readOnly=false"),
        MountArg::Set {
            path: "/d".into(),
            source: MountSource::ConfigMap("conf".into()),
            sub_path: Some("sub/path".into()),
            read_only: Some(false),
        }
    );
    assert_eq!(
        mount("/d=myvol:ReadOnly=true"),
        MountArg::Set {
            path: "/d".into(),
            source: MountSource::Volume("myvol".into()),
            sub_path: None,
            read_only: Some(true),
        }
    );
    assert_eq!(mount("/d-"), MountArg::Remove("/d".into()));
    assert!(matches!(
        mount("/d=ed:x"),
        MountArg::Set {
            source: MountSource::EmptyDir,
            ..
        }
    ));
    assert!(matches!(
        mount("/d=persistentVolumeClaim:c"),
        MountArg::Set {
            source: MountSource::Pvc(_),
            ..
        }
    ));
}

#[test]
fn mount_errors() {
    let err = |s: &str| s.parse::<MountArg>().unwrap_err();
    assert!(err("/d=foo:bar").starts_with("unsupported volume type \"foo\""));
    assert!(err("/d=cm:c:ro=1").starts_with("unknown mount option \"ro\""));
    assert!(err("/d=cm:c:readOnly").starts_with("mount option \"readOnly\" requires a value"));
    assert!(err("/d=cm:c:readOnly=yes").contains("use true or false"));
    assert!(err("/d").contains("\"=\" character"));
    assert!(err("/d=cm:").contains("volume name is empty"));
}

#[test]
fn volume_forms_and_errors() {
    assert_eq!(
        volume("v=ed:v:type=Memory,size=100Mi"),
        VolumeArg::Set {
            name: "v".into(),
            source: VolumeSource::EmptyDir {
                medium: Some("Memory".into()),
                size_limit: Some("100Mi".into())
            }
        }
    );
    assert_eq!(volume("v-"), VolumeArg::Remove("v".into()));
    let err = |s: &str| s.parse::<VolumeArg>().unwrap_err();
    assert!(err("v=ed:v:type=Memory,type=x").contains("cannot repeat the key \"type\""));
    assert!(err("v=ed:v:size").starts_with("incorrect format to specify emptyDir type"));
    assert!(err("v=ed:v:size=lots").contains("invalid emptyDir size"));
    assert!(err("v=cm:c:x").starts_with("incorrect mount details for type \"cm\""));
    assert!(err("v=foo:c").starts_with("unsupported volume source type \"foo\""));
    assert!(err("v=cm").contains("\":\" character"));
    assert!(err("v=cm:").contains("cannot be an empty string"));
}

#[test]
fn typed_mount_generates_volume_and_read_only() {
    let mut p = pod();
    apply_mounts_and_volumes(&mut p, 0, &[mount("/etc/conf=cm:conf")], &[]).unwrap();
    let name = generate_volume_name("/etc/conf");
    assert_eq!(
        p,
        json!({
            "containers": [{"image": "img", "x-c": 1, "volumeMounts": [
                {"mountPath": "/etc/conf", "name": name, "readOnly": true}
            ]}],
            "volumes": [{"name": name, "configMap": {"name": "conf"}}],
            "x-p": 2
        })
    );
    // Unmounting removes the generated volume too.
    apply_mounts_and_volumes(&mut p, 0, &[mount("/etc/conf-")], &[]).unwrap();
    assert_eq!(p, pod());
}

#[test]
fn empty_dir_and_pvc_default_to_writable() {
    let mut p = pod();
    apply_mounts_and_volumes(
        &mut p,
        0,
        &[mount("/cache=ed:c"), mount("/data=pvc:claim/sub")],
        &[],
    )
    .unwrap();
    let mounts = &p["containers"][0]["volumeMounts"];
    assert_eq!(mounts[0].get("readOnly"), None);
    assert_eq!(mounts[1]["subPath"], "sub");
    assert_eq!(p["volumes"][0]["emptyDir"], json!({}));
    assert_eq!(
        p["volumes"][1]["persistentVolumeClaim"],
        json!({"claimName": "claim"})
    );
}

#[test]
fn named_volume_then_mount() {
    let mut p = pod();
    apply_mounts_and_volumes(&mut p, 0, &[mount("/v=myvol")], &[volume("myvol=secret:s")]).unwrap();
    assert_eq!(
        p["volumes"],
        json!([{"name": "myvol", "secret": {"secretName": "s"}}])
    );
    assert_eq!(
        p["containers"][0]["volumeMounts"],
        json!([{"mountPath": "/v", "name": "myvol", "readOnly": true}])
    );
    // A mounted volume cannot be removed; an unmounted one can.
    let err = apply_mounts_and_volumes(&mut p, 0, &[], &[volume("myvol-")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The volume \"myvol\" cannot be removed because it is mounted"
    );
    apply_mounts_and_volumes(&mut p, 0, &[mount("/v-")], &[volume("myvol-")]).unwrap();
    assert_eq!(p, pod());
}

#[test]
fn unknown_volume_is_an_error() {
    let mut p = pod();
    let err = apply_mounts_and_volumes(&mut p, 0, &[mount("/v=nope")], &[]).unwrap_err();
    assert_eq!(err.to_string(), "There is no volume matched with \"nope\"");
}

#[test]
fn repointing_a_volume_keeps_unknown_fields() {
    let mut p = json!({"containers": [{}], "volumes": [{"name": "v", "configMap": {"name": "a"}, "x-v": 3}]});
    apply_mounts_and_volumes(&mut p, 0, &[], &[volume("v=pvc:claim")]).unwrap();
    assert_eq!(
        p["volumes"],
        json!([{"name": "v", "persistentVolumeClaim": {"claimName": "claim"}, "x-v": 3}])
    );
}
