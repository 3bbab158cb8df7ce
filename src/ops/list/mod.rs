//! The list engine: fetch a collection with the command's filters and the selectors, sort it,
//! print kn's table (optionally wide) or a structured list, then follow a watch. Fed by
//! [`ListSettings`], which `commands::args::list` resolves from the list flags.

mod stream;

use std::cell::RefCell;
use std::time::Duration;

use serde_json::Value;

use crate::client::follow::{Collection, Follower, Observed};
use crate::client::{Client, Gvr, ListOptions, ObjectList, ResourceKind};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::Printer;
use crate::output::sort::SortBy;
use crate::output::table::Table;
use crate::output::views::wide;
use crate::output::watch::{self, RowStream};

/// How a list prints: kn's table (optionally wide) or a structured format.
#[derive(Debug, Clone)]
pub enum ListMode {
    Table { wide: bool },
    Structured(Printer),
}

/// Joins two selectors with `,` (the API's AND).
fn and(a: Option<String>, b: Option<&String>) -> Option<String> {
    match (a, b.filter(|s| !s.is_empty())) {
        (Some(a), Some(b)) => Some(format!("{a},{b}")),
        (a, b) => a.or_else(|| b.cloned()),
    }
}

/// A fetched listing, ready to print and maybe follow ([`ListRun::present`]).
pub struct Listing<'a> {
    pub items: Vec<Value>,
    /// The types to watch, each with the resourceVersion its list was read at.
    pub watches: Vec<(Watched<'a>, String)>,
    pub options: &'a ListOptions,
    /// kn's message for an empty list.
    pub empty: &'a str,
    pub table: &'a TableFn<'a>,
    /// Whose `-o wide` columns to add ([`wide::columns`]).
    pub wide_kind: &'a str,
    /// The whole list in a structured format (kn's `XList`).
    pub structured: &'a dyn Fn(&Printer, Vec<Value>) -> Result<String>,
}

/// What a watch follows: a kind knit knows, or a resource type found at run time (a source CRD)
/// with its kind.
#[derive(Debug, Clone, Copy)]
pub enum Watched<'a> {
    Kind(&'a ResourceKind),
    Dynamic(&'a Gvr, &'a str),
}

impl Watched<'_> {
    fn collection(&self) -> Collection<'_> {
        match self {
            Watched::Kind(kind) => Collection::Kind(kind),
            Watched::Dynamic(gvr, _) => Collection::Dynamic(gvr),
        }
    }

    /// Sets `apiVersion`/`kind` on an object of a run-time type that lacks them.
    pub fn fill(&self, object: &mut Value) {
        if let (Watched::Dynamic(gvr, kind), Value::Object(map)) = (self, object) {
            map.entry("apiVersion")
                .or_insert_with(|| Value::String(gvr.api_version()));
            map.entry("kind")
                .or_insert_with(|| Value::String(kind.to_string()));
        }
    }
}

/// Builds kn's table for some objects of one kind (all namespaces and now already captured).
pub type TableFn<'a> = dyn Fn(&[Value]) -> Result<Table> + 'a;

/// What a list command asks for, its flags checked and its namespace resolved.
#[derive(Debug, Clone)]
pub struct ListSettings {
    pub mode: ListMode,
    pub sort: Option<SortBy>,
    /// `None`: all namespaces.
    pub namespace: Option<String>,
    pub all_namespaces: bool,
    pub no_headers: bool,
    /// `-l`: a label selector ANDed with the command's own.
    pub selector: Option<String>,
    /// `--field-selector`, ANDed likewise.
    pub field_selector: Option<String>,
    /// Follow a watch after the list (`-w`).
    pub watch: bool,
    /// Follow a watch without listing first.
    pub watch_only: bool,
    /// Stop watching after this long.
    pub watch_timeout: Option<Duration>,
}

/// One run of a list command: its settings and the clock reading its ages are computed from.
#[derive(Debug, Clone)]
pub struct ListRun {
    pub mode: ListMode,
    pub sort: Option<SortBy>,
    /// `None`: all namespaces.
    pub namespace: Option<String>,
    pub all_namespaces: bool,
    pub no_headers: bool,
    selector: Option<String>,
    field_selector: Option<String>,
    watch: bool,
    watch_only: bool,
    watch_timeout: Option<Duration>,
    now: jiff::Timestamp,
}

impl ListRun {
    /// A run of `settings`, with ages as of `now`.
    pub fn new(settings: ListSettings, now: jiff::Timestamp) -> ListRun {
        let ListSettings {
            mode,
            sort,
            namespace,
            all_namespaces,
            no_headers,
            selector,
            field_selector,
            watch,
            watch_only,
            watch_timeout,
        } = settings;
        ListRun {
            mode,
            sort,
            namespace,
            all_namespaces,
            no_headers,
            selector,
            field_selector,
            watch,
            watch_only,
            watch_timeout,
            now,
        }
    }

    /// True when following a watch after (or instead of) the list.
    pub fn watching(&self) -> bool {
        self.watch || self.watch_only
    }

    /// True for kn's own table with no kubectl extra: the fast paths may be used.
    pub fn plain(&self) -> bool {
        matches!(self.mode, ListMode::Table { wide: false })
            && self.sort.is_none()
            && !self.watching()
    }

    /// A usage error for `--watch` where a command cannot watch (`why` says where).
    pub fn refuse_watch(&self, why: &str) -> Result<()> {
        if self.watching() {
            return Err(Error::usage(format!(
                "--watch and --watch-only are not supported {why}"
            )));
        }
        Ok(())
    }

    /// The command's own filters AND the selectors given on the command line.
    pub fn options(&self, base: ListOptions) -> ListOptions {
        ListOptions {
            label_selector: and(base.label_selector, self.selector.as_ref()),
            field_selector: and(base.field_selector, self.field_selector.as_ref()),
        }
    }

    /// Applies the selectors the way the API server would, for objects that never went through
    /// one (`--target` files): the selector rules the emulator serves, with the server's error messages.
    pub fn select_locally(&self, items: &mut Vec<Value>) -> Result<()> {
        use kuberules::selectors::{FieldSelector, LabelSelector, Selection};
        let selection = Selection {
            labels: LabelSelector::parse(self.selector.as_deref().unwrap_or(""))
                .map_err(Error::failed)?,
            fields: FieldSelector::parse(
                self.field_selector.as_deref().unwrap_or(""),
                &["metadata.name", "metadata.namespace"],
            )
            .map_err(Error::failed)?,
        };
        items.retain(|item| selection.matches(item));
        Ok(())
    }

    /// Sorts items by `--sort-by`, if given.
    pub fn sort_items(&self, items: &mut Vec<Value>) {
        if let Some(sort) = &self.sort {
            sort.sort(items);
        }
    }

    /// LIST with the combined filters, sorted by `--sort-by`.
    pub async fn fetch(
        &self,
        client: &Client,
        kind: &ResourceKind,
        options: &ListOptions,
    ) -> Result<ObjectList> {
        let mut list = client
            .list(kind, self.namespace.as_deref(), options)
            .await?;
        self.sort_items(&mut list.items);
        Ok(list)
    }

    /// kn's table for `items`, in kn's order or (with `--sort-by`) in the items' order, plus the
    /// wide columns of `wide_kind` with `-o wide`.
    pub fn table(&self, items: &[Value], table: &TableFn, wide_kind: &str) -> Result<Table> {
        let wide = matches!(self.mode, ListMode::Table { wide: true });
        if self.sort.is_none() && !wide {
            return table(items);
        }
        // One row per object, so each row can be paired with its object.
        let mut rows: Vec<(Vec<String>, &Value)> = Vec::with_capacity(items.len());
        for item in items {
            for row in table(std::slice::from_ref(item))?.rows() {
                rows.push((row.clone(), item));
            }
        }
        if self.sort.is_none() {
            // Keep kn's row order: match each row of the full table to its object's row.
            let full = table(items)?;
            let mut ordered = Vec::with_capacity(rows.len());
            for row in full.rows() {
                if let Some(at) = rows.iter().position(|(r, _)| r == row) {
                    ordered.push(rows.swap_remove(at));
                }
            }
            ordered.append(&mut rows);
            rows = ordered;
        }
        let mut narrow = Table::new(table(&[])?.headers());
        let objects: Vec<&Value> = rows.iter().map(|(_, o)| *o).collect();
        for (row, _) in rows {
            narrow.push(row);
        }
        Ok(if wide {
            wide::widen(&narrow, &objects, wide::columns(wide_kind), self.now)
        } else {
            narrow
        })
    }

    /// The usual list command: fetch `kind` with the command's own filters and the flags, then
    /// show it.
    pub async fn run(
        &self,
        ctx: &Context,
        kind: &ResourceKind,
        base: ListOptions,
        empty: &str,
        table: &TableFn<'_>,
    ) -> Result<()> {
        let options = self.options(base);
        if self.stream(ctx, kind, &options).await? {
            return Ok(());
        }
        let list = self.fetch(ctx.client().await?, kind, &options).await?;
        self.show(ctx, kind, &options, list, empty, table).await
    }

    /// Prints a fetched list (kn's empty message, the table, or a structured list) and, with
    /// `--watch`, follows changes from the list's resourceVersion.
    pub async fn show(
        &self,
        ctx: &Context,
        kind: &ResourceKind,
        options: &ListOptions,
        list: ObjectList,
        empty: &str,
        table: &TableFn<'_>,
    ) -> Result<()> {
        let structured =
            |printer: &Printer, items: Vec<Value>| printer.print_list_owned(kind, items);
        self.present(
            ctx,
            Listing {
                items: list.items,
                watches: vec![(Watched::Kind(kind), list.resource_version)],
                options,
                empty,
                table,
                wide_kind: kind.kind,
                structured: &structured,
            },
        )
        .await
    }

    /// Prints a listing and, with `--watch`, follows all of its types at once.
    pub async fn present(&self, ctx: &Context, listing: Listing<'_>) -> Result<()> {
        let table = listing.table;
        let wide_kind = listing.wide_kind;
        let mut initial = None;
        let mut printed = false;
        if !self.watch_only {
            match &self.mode {
                ListMode::Structured(printer) if self.watching() => {
                    for item in listing.items.iter() {
                        if !emit(ctx, &watch::object(printer, item.clone(), !printed)?)? {
                            return Ok(());
                        }
                        printed = true;
                    }
                }
                ListMode::Structured(printer) => {
                    return ctx.print(&(listing.structured)(printer, listing.items)?);
                }
                ListMode::Table { .. } if listing.items.is_empty() => {
                    if !self.watching() {
                        return ctx.println(listing.empty);
                    }
                    ctx.eprint(&format!("{}\n", listing.empty))?;
                }
                ListMode::Table { .. } => {
                    let t = self.table(&listing.items, table, wide_kind)?;
                    if !self.watching() {
                        return ctx.print(&t.render(!self.no_headers));
                    }
                    if !emit(ctx, &t.render(!self.no_headers))? {
                        return Ok(());
                    }
                    initial = Some(t);
                }
            }
        }
        if !self.watching() {
            return Ok(());
        }
        let out = RefCell::new(EventPrinter {
            run: self,
            rows: RowStream::new(initial.as_ref(), !self.no_headers),
            first: !printed,
            table,
            wide_kind,
        });
        // Each type is followed on its own; the first to end (a closed stdout, an error)
        // ends them all.
        let follows = futures::future::select_all(listing.watches.into_iter().map(
            |(watched, resource_version)| {
                Box::pin(follow(
                    ctx,
                    self,
                    watched,
                    listing.options,
                    resource_version,
                    &out,
                ))
            },
        ));
        let timeout = async {
            match self.watch_timeout {
                Some(t) => tokio::time::sleep(t).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            (result, _, _) = follows => result,
            _ = timeout => Ok(()),
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    }
}

/// Writes watch output; `Ok(false)` when stdout is closed (`knit service list -w | head -3`),
/// which ends the watch (`Context::print` ignores a closed pipe, so the watch would never end).
fn emit(ctx: &Context, text: &str) -> Result<bool> {
    use std::io::Write;
    let plain = text
        .bytes()
        .all(|b| matches!(b, b' '..=b'~' | b'\n' | b'\t' | b'\r'));
    if !plain {
        ctx.print(text)?;
        return Ok(true);
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Prints the objects of watch events.
struct EventPrinter<'a> {
    run: &'a ListRun,
    rows: RowStream,
    first: bool,
    table: &'a TableFn<'a>,
    wide_kind: &'a str,
}

impl EventPrinter<'_> {
    /// Prints one object; `Ok(false)` when nobody reads stdout any more.
    fn print(&mut self, ctx: &Context, object: Value) -> Result<bool> {
        let text = match &self.run.mode {
            ListMode::Structured(printer) => watch::object(printer, object, self.first)?,
            ListMode::Table { .. } => {
                let t =
                    self.run
                        .table(std::slice::from_ref(&object), self.table, self.wide_kind)?;
                self.rows.rows(&t)
            }
        };
        self.first = false;
        emit(ctx, &text)
    }
}

/// Follows the collection from `resource_version`, printing every ADDED/MODIFIED/DELETED object;
/// after 410 Gone the current objects are listed and printed again.
async fn follow(
    ctx: &Context,
    run: &ListRun,
    watched: Watched<'_>,
    options: &ListOptions,
    resource_version: String,
    out: &RefCell<EventPrinter<'_>>,
) -> Result<()> {
    let client = ctx.client().await?;
    let mut follower = Follower::new(
        client,
        watched.collection(),
        run.namespace.as_deref(),
        options.clone(),
    )
    .resume(resource_version);
    loop {
        let objects = match follower.next().await? {
            Observed::Listed(mut items) => {
                run.sort_items(&mut items);
                items
            }
            Observed::Added(object) | Observed::Modified(object) | Observed::Deleted(object) => {
                vec![object]
            }
        };
        for mut object in objects {
            watched.fill(&mut object);
            if !out.borrow_mut().print(ctx, object)? {
                return Ok(());
            }
        }
    }
}

/// Decodes list items into a view type.
pub fn decode<T: serde::de::DeserializeOwned>(items: &[Value]) -> Result<Vec<T>> {
    items.iter().map(crate::api::from_value::<T>).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_are_anded_with_the_commands_own_filters() {
        assert_eq!(
            and(Some("a=b".into()), Some(&"c=d".to_string())),
            Some("a=b,c=d".into())
        );
        assert_eq!(and(None, Some(&"c=d".to_string())), Some("c=d".into()));
        assert_eq!(and(Some("a=b".into()), None), Some("a=b".into()));
        assert_eq!(and(None, Some(&String::new())), None);
    }
}
