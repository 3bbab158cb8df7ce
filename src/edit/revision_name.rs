//! `--revision-name` templates: `{{.Service}}`, `{{.Generation}}` and `{{.Random n}}`.

use std::str::FromStr;

use rand::{Rng, RngCore};

/// The consonants kn draws `{{.Random n}}` from.
const CONSONANTS: &[u8] = b"bcdfghjklmnpqrstvwxyz";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Service,
    Generation,
    Random(usize),
}

/// A parsed `--revision-name` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionNameTemplate {
    parts: Vec<Part>,
}

impl FromStr for RevisionNameTemplate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(start) = rest.find("{{") {
            let mut text = rest[..start].to_string();
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                return Err(format!(
                    "invalid --revision-name template \"{s}\": unclosed action; use {{{{.Service}}}}, {{{{.Generation}}}} or {{{{.Random n}}}}"
                ));
            };
            let mut action = &after[..end];
            rest = &after[end + 2..];
            // Go's trim markers `{{- ` and ` -}}` eat the whitespace next to the action.
            if let Some(trimmed) = action.strip_prefix("- ") {
                action = trimmed;
                text = text.trim_end().to_string();
            }
            let mut trim_after = false;
            if let Some(trimmed) = action.strip_suffix(" -") {
                action = trimmed;
                trim_after = true;
            }
            if !text.is_empty() {
                parts.push(Part::Text(text));
            }
            let words: Vec<&str> = action.split_whitespace().collect();
            let part = match words.as_slice() {
                [".Service"] => Part::Service,
                [".Generation"] => Part::Generation,
                [".Random", n] => match n.parse::<usize>() {
                    Ok(n) if n <= 63 => Part::Random(n),
                    _ => {
                        return Err(format!(
                            "invalid --revision-name template \"{s}\": {{{{.Random {n}}}}} needs a count between 0 and 63"
                        ));
                    }
                },
                _ => {
                    return Err(format!(
                        "invalid --revision-name template \"{s}\": unsupported action \"{{{{{action}}}}}\"; use {{{{.Service}}}}, {{{{.Generation}}}} or {{{{.Random n}}}}"
                    ));
                }
            };
            parts.push(part);
            if trim_after {
                rest = rest.trim_start();
            }
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Self { parts })
    }
}

impl RevisionNameTemplate {
    /// Renders the name for the next revision of `service` at `generation` (the Service's
    /// current generation + 1). The result is prefixed with `<service>-` unless it already
    /// starts with it; an empty result means "let the server name it".
    pub fn render(&self, service: &str, generation: i64, rng: &mut dyn RngCore) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Service => out.push_str(service),
                Part::Generation => out.push_str(&generation.to_string()),
                Part::Random(n) => {
                    for _ in 0..*n {
                        let index = rng.random_range(0..CONSONANTS.len());
                        out.push(CONSONANTS[index] as char);
                    }
                }
            }
        }
        if out.is_empty() {
            return out;
        }
        let prefix = format!("{service}-");
        if !out.starts_with(&prefix) {
            out.insert_str(0, &prefix);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn render(template: &str) -> String {
        let template: RevisionNameTemplate = template.parse().unwrap();
        template.render("hello", 3, &mut StdRng::seed_from_u64(7))
    }

    #[test]
    fn service_and_generation() {
        assert_eq!(render("{{.Service}}-v{{.Generation}}"), "hello-v3");
        assert_eq!(render("v{{ .Generation }}"), "hello-v3");
        assert_eq!(render("hello-x"), "hello-x");
        assert_eq!(render(""), "");
    }

    #[test]
    fn random_consonants() {
        let name = render("{{.Random 5}}");
        assert_eq!(name.len(), "hello-".len() + 5);
        assert!(
            name["hello-".len()..]
                .bytes()
                .all(|b| CONSONANTS.contains(&b)),
            "{name}"
        );
        // The same seed gives the same name: the randomness is injected.
        assert_eq!(name, render("{{.Random 5}}"));
    }

    #[test]
    fn trim_markers() {
        assert_eq!(render("a  {{- .Generation -}}  b"), "hello-a3b");
    }

    #[test]
    fn errors() {
        let err = |s: &str| s.parse::<RevisionNameTemplate>().unwrap_err();
        assert!(err("{{.Foo}}").contains("unsupported action \"{{.Foo}}\""));
        assert!(err("{{.Service").contains("unclosed action"));
        assert!(err("{{.Random x}}").contains("needs a count"));
    }
}
