//! The row orders of kn's eventing lists: by name, or with `-A` the `default` namespace first and
//! then the other namespaces in order (each stable over the API order).

/// Sorts rows by name (stable).
pub fn by_name<T>(items: &mut [&T], name: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| name(a).cmp(name(b)));
}

/// Puts the `default` namespace first, then the others by namespace (stable).
pub fn default_namespace_first<T>(items: &mut [&T], namespace: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| {
        let key = |t: &T| (namespace(t) != "default", namespace(t).to_string());
        key(a).cmp(&key(b))
    });
}

/// kn's order for most eventing lists: by name, or default-namespace-first with `-A`.
pub fn kn_order<T>(
    items: &mut [&T],
    all_namespaces: bool,
    namespace: impl Fn(&T) -> &str,
    name: impl Fn(&T) -> &str,
) {
    if all_namespaces {
        default_namespace_first(items, namespace);
    } else {
        by_name(items, name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders() {
        let data = [("b", "x"), ("default", "z"), ("a", "y"), ("default", "a")];
        let mut items: Vec<&(&str, &str)> = data.iter().collect();
        default_namespace_first(&mut items, |t| t.0);
        assert_eq!(
            items,
            vec![
                &("default", "z"),
                &("default", "a"),
                &("a", "y"),
                &("b", "x")
            ]
        );
        kn_order(&mut items, false, |t| t.0, |t| t.1);
        assert_eq!(
            items,
            vec![
                &("default", "a"),
                &("b", "x"),
                &("a", "y"),
                &("default", "z")
            ]
        );
    }
}
