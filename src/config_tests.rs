//! Tests of config.yaml: locations, parsing and the flag defaults it sets.

use super::*;

fn locs(dir: &Path) -> Locations {
    Locations::under(dir.join(".config"), Some(dir.to_path_buf()))
}

fn load_text(text: &str) -> Result<Config, ConfigError> {
    let home = Path::new("/home/me");
    Config::from_yaml(text, Path::new("/cfg/config.yaml"), &locs(home))
}

#[test]
fn kn_default_template_is_an_empty_configuration() {
    // The commented template kn writes when no file exists.
    let template = "# Taken from https://github.com/knative/client/blob/main/docs/README.md#options\n#\n#plugins:\n#  directory: ~/.config/kn/plugins\n#eventing:\n#  sink-mappings:\n#  - prefix: svc\n#    group: core\n#    version: v1\n#    resource: services\n#  channel-type-mappings:\n#  - alias: Kafka\n#    group: messaging.knative.dev\n#    version: v1alpha1\n#    kind: KafkaChannel\n";
    let cfg = load_text(template).unwrap();
    assert_eq!(
        cfg.plugin_dirs,
        vec![
            PathBuf::from("/home/me/.config/knit/plugins"),
            PathBuf::from("/home/me/.config/kn/plugins")
        ]
    );
    assert!(cfg.lookup_plugins_in_path);
    assert!(cfg.sink_mappings.is_empty());
    assert_eq!(cfg.profiles, builtin_profiles());
}

#[test]
fn kn_sample_config_is_read_as_is() {
    // kn's own test configuration (pkg/config/config_test.go), uncommented template keys included.
    let text = r#"
plugins:
  directory: /tmp
profiles:
  knative:
    labels:
      - name: environment
        value: "knative"
    annotations:
      - name: sidecar.knative.io/inject
        value: "true"
      - name: sidecar.knative.io/rewriteAppHTTPProbers
        value: "true"
eventing:
  sink-mappings:
  - prefix: service
    resource: services
    group: core
    version: v1
  channel-type-mappings:
  - alias: kafka
    kind: KafkaChannel
    group: messaging.knative.dev
    version: v1alpha1
"#;
    let cfg = load_text(text).unwrap();
    assert_eq!(cfg.file, Some(PathBuf::from("/cfg/config.yaml")));
    assert_eq!(cfg.plugin_dirs, vec![PathBuf::from("/tmp")]);
    assert!(cfg.lookup_plugins_in_path);
    assert_eq!(
        cfg.sink_mappings,
        vec![SinkMapping {
            prefix: "service".into(),
            group: "".into(),
            version: "v1".into(),
            resource: "services".into(),
        }]
    );
    assert_eq!(
        cfg.channel_type_mappings,
        vec![ChannelTypeMapping {
            alias: "kafka".into(),
            group: "messaging.knative.dev".into(),
            version: "v1alpha1".into(),
            kind: "KafkaChannel".into(),
        }]
    );
    let knative = cfg.profile("knative").unwrap();
    assert_eq!(
        knative.labels,
        vec![NamedValue {
            name: "environment".into(),
            value: "knative".into()
        }]
    );
    assert_eq!(knative.annotations.len(), 2);
    assert_eq!(
        knative.annotations[1].name,
        "sidecar.knative.io/rewriteAppHTTPProbers"
    );
    // Built-ins stay available next to the file's profiles.
    assert_eq!(cfg.profile("istio"), builtin_profiles().get("istio"));
}

#[test]
fn legacy_keys_are_honoured() {
    let text = "plugins-dir: ~/legacy-plugins\nlookup-plugins: false\nsink:\n- prefix: svc\n  resource: services\n  group: core\n  version: v1\n";
    let cfg = load_text(text).unwrap();
    assert_eq!(
        cfg.plugin_dirs,
        vec![PathBuf::from("/home/me/legacy-plugins")]
    );
    assert!(!cfg.lookup_plugins_in_path);
    assert_eq!(cfg.sink_mappings.len(), 1);
    assert_eq!(cfg.sink_mappings[0].prefix, "svc");
}

#[test]
fn new_keys_win_over_legacy_keys() {
    let text = "plugins-dir: /old\nplugins:\n  directory: /new\n  path-lookup: true\nlookup-plugins: false\nsink:\n- {prefix: old, resource: r, group: g, version: v1}\neventing:\n  sink-mappings:\n  - {prefix: new, resource: r, group: g, version: v1}\n";
    let cfg = load_text(text).unwrap();
    assert_eq!(cfg.plugin_dirs, vec![PathBuf::from("/new")]);
    assert!(cfg.lookup_plugins_in_path);
    assert_eq!(cfg.sink_mappings[0].prefix, "new");
}

#[test]
fn a_profile_in_the_file_replaces_the_builtin_of_the_same_name() {
    let text = "profiles:\n  istio:\n    labels:\n    - name: mine\n      value: x\n";
    let cfg = load_text(text).unwrap();
    let istio = cfg.profile("istio").unwrap();
    assert!(istio.annotations.is_empty());
    assert_eq!(istio.labels[0].name, "mine");
}

#[test]
fn unknown_keys_and_context_sharing_are_accepted() {
    let text = "features:\n  context-sharing: true\nsomething-new:\n  nested: [1, 2]\n";
    let cfg = load_text(text).unwrap();
    assert!(cfg.context_sharing);
}

#[test]
fn a_wrong_type_names_file_line_and_key() {
    let text = "plugins:\n  directory: /x\neventing:\n  sink-mappings:\n  - prefix: svc\n    group: core\n    version: [v1]\n    resource: services\n";
    let err = load_text(text).unwrap_err();
    let ConfigError::Invalid {
        file, line, key, ..
    } = &err
    else {
        panic!("unexpected error {err:?}");
    };
    assert_eq!(file, Path::new("/cfg/config.yaml"));
    assert_eq!(*line, Some(7));
    assert_eq!(key.as_deref(), Some("eventing.sink-mappings[0].version"));
    insta::assert_snapshot!(err.to_string(), @"invalid config file '/cfg/config.yaml' at line 7, column 14, key 'eventing.sink-mappings[0].version': expected string scalar");
}

#[test]
fn a_missing_field_names_the_entry() {
    let text = "eventing:\n  channel-type-mappings:\n  - alias: kafka\n    group: messaging.knative.dev\n    version: v1alpha1\n";
    let err = load_text(text).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"invalid config file '/cfg/config.yaml' at line 5, column 5, key 'eventing.channel-type-mappings[0]': missing field `kind`");
}

#[test]
fn broken_yaml_names_file_and_line() {
    let text = "plugins:\n  directory: /x\n eventing: [\n";
    let err = load_text(text).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"invalid config file '/cfg/config.yaml' at line 3, column 2: while parsing a block mapping, did not find expected key");
}

#[test]
fn a_scalar_document_is_rejected() {
    let err = load_text("just a string\n").unwrap_err();
    insta::assert_snapshot!(err.to_string(), @"invalid config file '/cfg/config.yaml' at line 1, column 1: expected mapping start");
}

#[test]
fn explicit_missing_file_is_an_error_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope").join("config.yaml");
    let err = Config::load(&locs(dir.path()), Some(&missing), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("cannot find config file '{}'", missing.display())
    );
    assert!(!dir.path().join("nope").exists());
}

#[test]
fn default_lookup_prefers_knit_then_kn_and_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    let l = locs(dir.path());
    // Nothing anywhere: defaults, and no file or directory appears.
    let cfg = Config::load(&l, None, None).unwrap();
    assert_eq!(cfg.file, None);
    assert!(!l.knit_dir.exists() && !l.kn_dir.exists());

    std::fs::create_dir_all(&l.kn_dir).unwrap();
    std::fs::write(
        l.kn_dir.join(FILE_NAME),
        "plugins:\n  directory: /from-kn\n",
    )
    .unwrap();
    let cfg = Config::load(&l, None, None).unwrap();
    assert_eq!(cfg.file, Some(l.kn_dir.join(FILE_NAME)));
    assert_eq!(cfg.plugin_dirs, vec![PathBuf::from("/from-kn")]);

    std::fs::create_dir_all(&l.knit_dir).unwrap();
    std::fs::write(
        l.knit_dir.join(FILE_NAME),
        "plugins:\n  directory: /from-knit\n",
    )
    .unwrap();
    let cfg = Config::load(&l, None, Some("/flag")).unwrap();
    assert_eq!(cfg.file, Some(l.knit_dir.join(FILE_NAME)));
    // The hidden --plugins-dir flag wins over the file.
    assert_eq!(cfg.plugin_dirs, vec![PathBuf::from("/flag")]);
}

#[test]
fn tilde_expansion() {
    let l = locs(Path::new("/home/me"));
    assert_eq!(l.expand_tilde("~"), PathBuf::from("/home/me"));
    assert_eq!(l.expand_tilde("~/p"), PathBuf::from("/home/me/p"));
    assert_eq!(l.expand_tilde("~other/p"), PathBuf::from("~other/p"));
    assert_eq!(l.expand_tilde("/abs"), PathBuf::from("/abs"));
}
