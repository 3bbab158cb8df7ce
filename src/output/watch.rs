//! Streaming output of `list --watch`: table rows printed one event at a time with stable column
//! widths, or one object per event in a structured format.
//!
//! kubectl re-runs its tabwriter for every event, so columns jump around as names get longer. Here
//! the widths are those of the first table printed (kn's tabwriter rule: the longest cell plus 3,
//! at least 6) and only ever grow, so a stream of rows stays aligned unless a longer cell arrives.

use serde_json::Value;

use super::structured::{OutputFormat, Printer, qualified_name};
use super::table::Table;
use crate::error::Result;

/// Prints the rows of watch events under the header of the initial table.
#[derive(Debug, Clone)]
pub struct RowStream {
    widths: Vec<usize>,
    headers_wanted: bool,
    headers_printed: bool,
}

/// kn's column rule: text width plus padding 3, at least 6.
fn column_width(text: &str) -> usize {
    (text.chars().count() + 3).max(6)
}

impl RowStream {
    /// A stream continuing `initial` (already printed, with its header when `headers`), or
    /// starting fresh when nothing was printed yet (the header then comes with the first row).
    pub fn new(initial: Option<&Table>, headers: bool) -> Self {
        let mut stream = RowStream {
            widths: Vec::new(),
            headers_wanted: headers,
            headers_printed: false,
        };
        if let Some(table) = initial {
            if headers {
                stream.grow(table.headers());
            }
            for row in table.rows() {
                stream.grow(row);
            }
            stream.headers_printed = true;
        }
        stream
    }

    fn grow(&mut self, cells: &[String]) {
        if self.widths.len() < cells.len() {
            self.widths.resize(cells.len(), 0);
        }
        for (width, cell) in self.widths.iter_mut().zip(cells) {
            *width = (*width).max(column_width(cell));
        }
    }

    fn line(&self, cells: &[String]) -> String {
        let mut out = String::new();
        let last = cells.len().saturating_sub(1);
        for (i, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if i < last {
                let pad = self.widths[i].saturating_sub(cell.chars().count());
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
        out
    }

    /// The text for the rows of `table` (the rows of one event), preceded by the header when
    /// none was printed yet.
    pub fn rows(&mut self, table: &Table) -> String {
        let mut out = String::new();
        if !self.headers_printed {
            if self.headers_wanted {
                self.grow(table.headers());
            }
            for row in table.rows() {
                self.grow(row);
            }
            if self.headers_wanted {
                out.push_str(&self.line(table.headers()));
            }
            self.headers_printed = true;
        }
        for row in table.rows() {
            self.grow(row);
            out.push_str(&self.line(row));
        }
        out
    }
}

/// One object of a watch event in a structured format: `-o name` prints its name, JSON and YAML
/// documents follow each other (YAML separated by `---`, as kubectl does).
pub fn object(printer: &Printer, object: Value, first: bool) -> Result<String> {
    Ok(match printer.format {
        OutputFormat::Name => format!("{}\n", qualified_name(&object)),
        OutputFormat::Yaml if !first => format!("---\n{}", printer.print_owned(object)?),
        _ => printer.print_owned(object)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        let mut t = Table::new(&["Name", "Ready"]);
        for row in rows {
            t.push(row.iter().map(|c| c.to_string()).collect());
        }
        t
    }

    #[test]
    fn rows_keep_the_widths_of_the_initial_table_and_only_grow() {
        let initial = table(&[&["hello", "True"]]);
        assert_eq!(initial.render(true), "NAME    READY\nhello   True\n");
        let mut stream = RowStream::new(Some(&initial), true);
        assert_eq!(stream.rows(&table(&[&["a", "False"]])), "a       False\n");
        assert_eq!(
            stream.rows(&table(&[&["a-much-longer-name", "True"]])),
            "a-much-longer-name   True\n"
        );
        assert_eq!(
            stream.rows(&table(&[&["b", "True"]])),
            "b                    True\n"
        );
    }

    #[test]
    fn without_an_initial_table_the_header_comes_with_the_first_row() {
        let mut stream = RowStream::new(None, true);
        assert_eq!(
            stream.rows(&table(&[&["web", "Unknown"]])),
            "NAME   READY\nweb    Unknown\n"
        );
        let mut quiet = RowStream::new(None, false);
        assert_eq!(quiet.rows(&table(&[&["web", "True"]])), "web   True\n");
    }
}
