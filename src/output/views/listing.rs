//! The row orders of kn's eventing lists (by name, or with `-A` the `default` namespace first and
//! then the other namespaces in order, each stable over the API order) and their table frame.

use crate::output::table::Table;

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

/// A list table of `headers` with one row of `cells` per item, in the order given; `-A` adds a
/// leading NAMESPACE column.
pub fn namespaced_table<'a, T: 'a>(
    headers: &[&str],
    items: impl IntoIterator<Item = &'a T>,
    all_namespaces: bool,
    namespace: impl Fn(&T) -> &str,
    cells: impl Fn(&T) -> Vec<String>,
) -> Table {
    let mut table = Table::new(headers);
    if all_namespaces {
        table = table.with_leading_column("Namespace");
    }
    for item in items {
        let mut row = cells(item);
        if all_namespaces {
            row.insert(0, namespace(item).to_string());
        }
        table.push(row);
    }
    table
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
