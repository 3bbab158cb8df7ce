//! kn's list tables: Go `text/tabwriter` with minwidth 6, padding 3, tab-separated cells, upper-case
//! headers, and no padding after the last cell (so rows ending in an empty cell keep trailing spaces).

use std::io::Write;

use tabwriter::TabWriter;

/// A table of text cells, rendered exactly like kn's `tabwriter` output.
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column names (written upper-case).
    pub fn new<S: AsRef<str>>(headers: &[S]) -> Self {
        Table {
            headers: headers.iter().map(|h| h.as_ref().to_uppercase()).collect(),
            rows: Vec::new(),
        }
    }

    /// Puts a column in front of all others (the NAMESPACE column of `-A`).
    pub fn with_leading_column(mut self, header: &str) -> Self {
        self.headers.insert(0, header.to_uppercase());
        self
    }

    /// Appends a row; its cells must match the headers.
    pub fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.headers.len());
        self.rows.push(row);
    }

    /// The (upper-case) column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The data rows, in order.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True without data rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Renders the table, with or without the header row.
    pub fn render(&self, headers: bool) -> String {
        // The Rust port applies minwidth before padding, Go after: (3, 3) here is Go's (6, 3).
        let mut tw = TabWriter::new(Vec::new()).minwidth(3).padding(3).ansi(true);
        let mut write_row = |cells: &[String]| {
            let _ = writeln!(tw, "{}", cells.join("\t"));
        };
        if headers {
            write_row(&self.headers);
        }
        for row in &self.rows {
            write_row(row);
        }
        let bytes = tw.into_inner().unwrap_or_default();
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// Cuts a cell to at most `max` characters, ending in ` ...` when cut (kn's revision list).
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(4)).collect();
    format!("{kept} ...")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_go_tabwriter_including_trailing_spaces() {
        let mut table = Table::new(&[
            "Name",
            "URL",
            "Latest",
            "Age",
            "Conditions",
            "Ready",
            "Reason",
        ]);
        table.push(
            [
                "hello",
                "http://hello.default.example.com",
                "hello-00002",
                "2m42s",
                "3 OK / 3",
                "True",
                "",
            ]
            .map(String::from)
            .to_vec(),
        );
        table.push(
            [
                "failing",
                "http://failing.default.example.com",
                "",
                "5m",
                "0 OK / 3",
                "False",
                "RevisionMissing : Configuration \"failing\" does not have any ready Revision.",
            ]
            .map(String::from)
            .to_vec(),
        );
        assert_eq!(
            table.render(true),
            "NAME      URL                                  LATEST        AGE     CONDITIONS   READY   REASON\n\
             hello     http://hello.default.example.com     hello-00002   2m42s   3 OK / 3     True    \n\
             failing   http://failing.default.example.com                 5m      0 OK / 3     False   RevisionMissing : Configuration \"failing\" does not have any ready Revision.\n"
        );
    }

    #[test]
    fn short_columns_are_six_wide_and_headers_can_be_dropped() {
        let mut table = Table::new(&["a", "b"]);
        table.push(vec!["x".into(), "y".into()]);
        assert_eq!(table.render(true), "A     B\nx     y\n");
        assert_eq!(table.render(false), "x     y\n");
        assert_eq!(truncate("abcdefghij", 8), "abcd ...");
        assert_eq!(truncate("abc", 8), "abc");
    }
}
