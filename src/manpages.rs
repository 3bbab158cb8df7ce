//! Man pages, one per command (`knit.1`, `knit-service.1`, `knit-service-create.1` …), rendered by
//! clap_mangen from the same clap tree as the help, plus an EXAMPLES section from the examples
//! (`after_help`) and SEE ALSO links. The pages are checked in under `man/`; regenerate them with
//! `cargo run --example gen-assets`.

use clap::Command;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

/// `(file name, roff text)` for every visible command of `root`, parents before children.
pub fn render_all(root: &Command) -> Vec<(String, String)> {
    let mut root = root.clone().disable_help_subcommand(true);
    root.build();
    let mut pages = Vec::new();
    walk(&root, &root, None, &mut pages);
    pages
}

fn walk(root: &Command, cmd: &Command, parent: Option<&str>, pages: &mut Vec<(String, String)>) {
    let name = cmd
        .get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string();
    pages.push((format!("{name}.1"), render_page(root, cmd, &name, parent)));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        walk(root, sub, Some(&name), pages);
    }
}

fn render_page(root: &Command, cmd: &Command, name: &str, parent: Option<&str>) -> String {
    let is_root = parent.is_none();
    // Global options are documented once, on knit(1) and knit-options(1).
    // clap's own --help text ("see a summary with '-h'") does not describe knit's help.
    let mut page_cmd = cmd.clone().mut_args(|a| {
        if a.get_id() == "help" {
            a.hide(true)
        } else {
            a
        }
    });
    if !is_root && cmd.get_name() != "options" {
        // `mut_args` keeps the order of arguments (positionals depend on it).
        page_cmd = page_cmd.mut_args(|a| if a.is_global_set() { a.hide(true) } else { a });
    }
    if cmd.get_name() == "options" {
        for arg in root.get_arguments().filter(|a| a.is_global_set()) {
            if page_cmd.get_arguments().all(|a| a.get_id() != arg.get_id()) {
                page_cmd = page_cmd.arg(arg.clone());
            }
        }
    }
    let man = Man::new(page_cmd.clone());
    let mut out = Vec::new();
    // The title is written by hand: clap_mangen drops an empty date argument, which shifts the
    // source and manual into the wrong .TH fields.
    out.extend_from_slice(
        format!(
            // `.ad l`: flag texts hold long unbreakable tokens that troff cannot justify.
            ".TH {} 1 \"\" \"knit {}\" \"knit manual\"\n.ad l\n",
            roff_escape(&name.to_uppercase()),
            env!("CARGO_PKG_VERSION")
        )
        .as_bytes(),
    );
    // Each write goes to a Vec, which cannot fail.
    let _ = man.render_name_section(&mut out);
    match cmd.get_overridden_usage() {
        // kn-style usages ("NAME --image IMAGE") leave out the command; clap_mangen would print
        // them bare, so the synopsis is written here, as `man kubectl-get` reads.
        Some(usage) => {
            let path = cmd.get_bin_name().unwrap_or(name);
            let mut synopsis = Roff::new();
            synopsis.control("SH", ["SYNOPSIS"]);
            let usage = usage.to_string();
            let usage = usage.trim();
            let (usage, options) = match usage.strip_suffix("[options]") {
                Some(rest) => (rest.trim_end(), true),
                None => (
                    usage,
                    page_cmd
                        .get_arguments()
                        .any(|a| !a.is_hide_set() && !a.is_positional()),
                ),
            };
            let mut line = vec![bold(path)];
            if !usage.is_empty() {
                line.push(roman(format!(" {usage}")));
            }
            if options {
                line.extend([roman(" ["), italic("options"), roman("]")]);
            }
            synopsis.text(line);
            let _ = synopsis.to_writer(&mut out);
        }
        None => {
            let _ = man.render_synopsis_section(&mut out);
        }
    }
    let _ = man.render_description_section(&mut out);
    if page_cmd
        .get_arguments()
        .any(|a| !a.is_hide_set() && a.get_id() != "help")
    {
        let _ = man.render_options_section(&mut out);
    }
    if page_cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        let _ = man.render_subcommands_section(&mut out);
    }
    let mut roff = Roff::new();
    if let Some(examples) = cmd.get_after_help().map(|s| s.to_string()) {
        let examples = crate::help::examples_text(&examples).trim_matches('\n');
        if !examples.trim().is_empty() {
            roff.control("SH", ["EXAMPLES"]);
            roff.control("nf", []);
            for line in dedent(examples) {
                roff.text([roman(line)]);
            }
            roff.control("fi", []);
        }
    }
    let mut see_also = Vec::new();
    if let Some(parent) = parent {
        see_also.push(format!("{parent}(1)"));
    }
    if !is_root {
        see_also.push("knit-options(1)".to_string());
    }
    if !see_also.is_empty() {
        roff.control("SH", ["SEE ALSO"]);
        roff.text([roman(see_also.join(", "))]);
    }
    let _ = roff.to_writer(&mut out);
    // Every clap_mangen section repeats roff's apostrophe preamble; keep it once, at the top.
    let text = String::from_utf8_lossy(&out);
    let mut page = String::from(PREAMBLE);
    for line in text.lines() {
        if !PREAMBLE.lines().any(|p| p == line) {
            page.push_str(line);
            page.push('\n');
        }
    }
    page
}

const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

fn roff_escape(text: &str) -> String {
    text.replace('\\', "\\e").replace('-', "\\-")
}

fn dedent(text: &str) -> Vec<String> {
    let common = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                l[common..].trim_end().to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Arg;

    #[test]
    fn one_page_per_visible_command_with_examples() {
        let root = Command::new("knit")
            .about("knit manages Knative")
            .arg(
                Arg::new("context")
                    .long("context")
                    .global(true)
                    .help("context to use"),
            )
            .subcommand(
                Command::new("service").about("Manage services").subcommand(
                    Command::new("list")
                        .about("List services")
                        .after_help("  # List all services\n  knit service list\n"),
                ),
            )
            .subcommand(Command::new("hidden").hide(true));
        let pages = render_all(&root);
        let names: Vec<_> = pages.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(names, ["knit.1", "knit-service.1", "knit-service-list.1"]);
        let list = &pages[2].1;
        assert!(list.starts_with(
            ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH KNIT\\-SERVICE\\-LIST 1 \"\" \"knit "
        ));
        assert_eq!(list.matches(".ds Aq").count(), 2);
        assert!(list.contains("knit\\-service\\-list \\- List services"));
        assert!(list.contains(".SH EXAMPLES\n.nf\n# List all services\nknit service list\n.fi\n"));
        assert!(list.contains(".SH \"SEE ALSO\"\nknit\\-service(1), knit\\-options(1)"));
        // Every synopsis starts with the command itself.
        assert!(
            list.contains(".SH SYNOPSIS\n\\fBknit service list\\fR"),
            "{list}"
        );
        // Global flags only on the root page.
        assert!(!list.contains("context"));
        assert!(pages[0].1.contains("context to use"));
    }
}
