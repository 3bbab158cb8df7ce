//! Unit tests of the write pipeline's no-op detection.

use super::*;

#[test]
fn a_no_op_differs_only_in_field_times_and_their_order() {
    let object = |name: &str, n: i64, managers: [(&str, &str); 2]| {
        json!({
            "metadata": {"name": name, "managedFields": managers
                .iter()
                .map(|(m, t)| json!({"manager": m, "time": t}))
                .collect::<Vec<_>>()},
            "spec": {"n": n},
        })
    };
    let a = object("x", 1, [("a", "1"), ("b", "2")]);
    assert!(same_but_field_times(
        &a,
        &object("x", 1, [("b", "9"), ("a", "8")])
    ));
    for other in [
        object("x", 2, [("a", "1"), ("b", "2")]),
        object("y", 1, [("a", "1"), ("b", "2")]),
        object("x", 1, [("a", "1"), ("c", "2")]),
        json!({"metadata": {"name": "x"}, "spec": {"n": 1}}),
        json!({"metadata": "x", "spec": {"n": 1}}),
        json!(null),
    ] {
        assert!(!same_but_field_times(&a, &other), "{other}");
        assert!(!same_but_field_times(&other, &a), "{other}");
    }
    let mut extra = a.clone();
    extra["metadata"]["labels"] = json!({"k": "v"});
    assert!(!same_but_field_times(&a, &extra));
    extra = a.clone();
    extra["status"] = json!({});
    assert!(!same_but_field_times(&a, &extra));
}
