//! Structured lists printed as they arrive: `-o json|yaml|name` without `--sort-by` or a watch
//! goes from the response to stdout item by item, so memory stays flat in the list's length.

use super::{ListMode, ListRun};
use crate::client::{ListOptions, ResourceKind, stream};
use crate::context::Context;
use crate::error::Result;
use crate::output::structured::ListWriter;

/// Output gathered into blocks of this size before each write.
const BLOCK: usize = 64 << 10;

impl ListRun {
    /// Prints `kind`'s list in the structured format straight from the response. `Ok(false)`
    /// when this run needs the whole list (the table, `--sort-by`, a watch, a template) and
    /// nothing was done.
    pub async fn stream(
        &self,
        ctx: &Context,
        kind: &ResourceKind,
        options: &ListOptions,
    ) -> Result<bool> {
        let ListMode::Structured(printer) = &self.mode else {
            return Ok(false);
        };
        if self.sort.is_some() || self.watching() {
            return Ok(false);
        }
        let Some(mut writer) = ListWriter::new(printer, kind) else {
            return Ok(false);
        };
        let client = ctx.client().await?;
        // Nothing reaches stdout before the first block fills, so a LIST that fails prints
        // only its error, as the whole-list printer does.
        let mut out = Blocks {
            ctx,
            text: writer.begin()?.into_bytes(),
            open: true,
        };
        let mut each = |raw: &[u8]| -> Result<bool> {
            match writer.raw_item(raw) {
                Some(text) => out.push(&text.map_err(|e| stream::bad_json(kind, &e))?),
                None => out.push(writer.item(stream::parse_item(kind, raw)?)?.as_bytes()),
            }
        };
        client
            .list_each_raw(kind, self.namespace.as_deref(), options, &mut each)
            .await?;
        if out.open {
            out.text.extend_from_slice(writer.end()?.as_bytes());
            out.flush()?;
        }
        Ok(true)
    }
}

/// stdout in blocks of UTF-8 text; `open` turns false once nobody reads it (`| head -1`).
struct Blocks<'a> {
    ctx: &'a Context,
    text: Vec<u8>,
    open: bool,
}

impl Blocks<'_> {
    fn push(&mut self, text: &[u8]) -> Result<bool> {
        self.text.extend_from_slice(text);
        if self.text.len() >= BLOCK {
            self.flush()?;
        }
        Ok(self.open)
    }

    fn flush(&mut self) -> Result<()> {
        use std::io::Write;
        let text = std::mem::take(&mut self.text);
        // Text with an escape sequence goes through the colour-aware printer, as whole lists do.
        if crate::context::has_escape_bytes(&text) {
            return self.ctx.print(&String::from_utf8_lossy(&text));
        }
        let mut stdout = std::io::stdout().lock();
        match stdout.write_all(&text).and_then(|_| stdout.flush()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.open = false;
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }
}
