//! Help text fitted to a terminal's width (issue 17): kubectl-style hanging indents, so every
//! line stays within the width. Piped help never comes here.

/// How a line's continuation lines are indented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Prose: continuation lines keep the line's own indentation.
    Prose,
    /// A usage line: continuation lines are indented four columns further.
    Hanging,
    /// `  name        summary`: continuation lines start under the summary at `column`.
    Listing { column: usize },
    /// Examples: a `# comment` continues as a comment; a command line breaks with ` \` and
    /// continues four columns further in, so it can still be pasted into a shell.
    Example,
}

/// Every line of `text` that is wider than `width` is wrapped in `style`; others are unchanged.
pub fn fit(text: &str, width: usize, style: Style) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in text.split('\n') {
        if line.chars().count() <= width {
            out.push(line.to_string());
        } else {
            out.extend(wrap_line(line, width, style));
        }
    }
    out.join("\n")
}

fn wrap_line(line: &str, width: usize, style: Style) -> Vec<String> {
    let content = line.trim_start();
    let indent = &line[..line.len() - content.len()];
    // Keep at least 20 columns of text, whatever the indentation.
    let room_after = |prefix: usize, suffix: usize| width.saturating_sub(prefix + suffix).max(20);
    match style {
        Style::Prose => {
            let room = room_after(indent.len(), 0);
            prefixed(wrap_words(content, room, room), indent, indent, "")
        }
        Style::Hanging => {
            let rest = format!("{indent}    ");
            let words = wrap_words(
                content,
                room_after(indent.len(), 0),
                room_after(rest.len(), 0),
            );
            prefixed(words, indent, &rest, "")
        }
        Style::Listing { column } => match line.get(..column) {
            // The name column stays as it is; the summary wraps beside it.
            Some(head) if head.ends_with(' ') && column + 20 <= width => {
                let room = width - column;
                let words = wrap_words(&line[column..], room, room);
                prefixed(words, head, &" ".repeat(column), "")
            }
            _ => wrap_line(line, width, Style::Hanging),
        },
        Style::Example => {
            if let Some(comment) = content.strip_prefix('#') {
                let comment = comment.trim_start();
                let lead = format!("{indent}# ");
                let room = room_after(lead.len(), 0);
                prefixed(wrap_words(comment, room, room), &lead, &lead, "")
            } else {
                let rest = format!("{indent}    ");
                let words = wrap_words(
                    content,
                    room_after(indent.len(), 2),
                    room_after(rest.len(), 2),
                );
                prefixed(words, indent, &rest, " \\")
            }
        }
    }
}

// Prefixes the first and the other lines; all lines but the last get `suffix`.
fn prefixed(lines: Vec<String>, first: &str, rest: &str, suffix: &str) -> Vec<String> {
    let last = lines.len().saturating_sub(1);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let prefix = if i == 0 { first } else { rest };
            let end = if i < last { suffix } else { "" };
            format!("{prefix}{l}{end}")
        })
        .collect()
}

/// Greedy word wrap of one paragraph: the first line holds at most `first` characters, the
/// others `rest`. A word longer than its line is cut.
pub fn wrap_words(text: &str, first: usize, rest: usize) -> Vec<String> {
    let len = |s: &str| s.chars().count();
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let room = |lines: &Vec<String>| if lines.is_empty() { first } else { rest }.max(1);
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && len(&line) + 1 + len(word) <= room(&lines) {
            line.push(' ');
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut word = word.to_string();
        while len(&word) > room(&lines) {
            let cut: String = word.chars().take(room(&lines)).collect();
            word = word.chars().skip(room(&lines)).collect();
            lines.push(cut);
        }
        line = word;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// One flag's lines: the description wraps at spaces and continues under its `column`; with
/// less than 24 columns left for it, it starts on the next line at column 16 (as pflag does).
pub fn flag_lines(left: &str, usage: &str, column: usize, width: usize) -> Vec<String> {
    let indent = if width.saturating_sub(column) >= 24 && left.len() < column {
        column
    } else {
        16
    };
    let room = width.saturating_sub(indent).max(20);
    let mut body = Vec::new();
    for part in usage.split('\n') {
        body.extend(wrap_words(part, room, room));
    }
    let pad = " ".repeat(indent);
    let mut lines = Vec::new();
    if indent == column {
        let mut body = body.into_iter();
        lines.push(format!(
            "{left:<column$}{}",
            body.next().unwrap_or_default()
        ));
        lines.extend(body.map(|l| format!("{pad}{l}")));
    } else {
        lines.push(left.to_string());
        lines.extend(body.into_iter().map(|l| format!("{pad}{l}")));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_keeps_its_indentation_and_short_lines_stay() {
        let text = "short\n  one two three four five six seven eight nine ten eleven twelve";
        insta::assert_snapshot!(fit(text, 30, Style::Prose), @r"
        short
          one two three four five six
          seven eight nine ten eleven
          twelve
        ");
    }

    #[test]
    fn listings_hang_under_the_summary() {
        let line = "  service      Manage Knative services and their revisions and routes";
        insta::assert_snapshot!(fit(line, 40, Style::Listing { column: 15 }), @r"
          service      Manage Knative services
                       and their revisions and
                       routes
        ");
    }

    #[test]
    fn example_commands_continue_with_a_backslash_and_comments_as_comments() {
        let text = "  # Create a service with an annotation and a label and more\n  knit service create s3 --image knativesamples/helloworld --annotation a=b";
        insta::assert_snapshot!(fit(text, 40, Style::Example), @r"
          # Create a service with an annotation
          # and a label and more
          knit service create s3 --image \
              knativesamples/helloworld \
              --annotation a=b
        ");
    }

    #[test]
    fn flags_wrap_under_their_column_or_below_when_narrow() {
        let lines = flag_lines(
            "  -n, --namespace string",
            "Specify the namespace to operate in.",
            27,
            52,
        );
        assert_eq!(
            lines,
            [
                "  -n, --namespace string   Specify the namespace to",
                "                           operate in."
            ]
        );
        let lines = flag_lines(
            "      --a-very-long-flag-name string",
            "Some words here.",
            39,
            50,
        );
        assert_eq!(
            lines,
            [
                "      --a-very-long-flag-name string",
                "                Some words here."
            ]
        );
    }

    #[test]
    fn a_word_longer_than_the_room_is_cut() {
        assert_eq!(
            wrap_words("abcdefghij xy", 4, 4),
            ["abcd", "efgh", "ij", "xy"]
        );
    }
}
