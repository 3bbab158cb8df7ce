//! The parts of Go's `net/url` that Knative's URL handling relies on: splitting a URL into
//! scheme/host/path/query/fragment, `IsAbs`, `String` and RFC 3986 `ResolveReference`
//! (Go's variant, which differs in details from the WHATWG rules of the `url` crate).

use kubetext::gofmt::quote;

/// A parsed URL, kept in its escaped form (Knative never re-escapes sink URLs).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GoUrl {
    pub scheme: String,
    /// `user:pass@` part, without the `@`; `None` when absent.
    pub user: Option<String>,
    pub host: String,
    /// Whether the URL had an authority (`//`), so `String` writes it back.
    pub has_authority: bool,
    pub path: String,
    pub query: Option<String>,
    pub fragment: Option<String>,
}

fn split_scheme(s: &str) -> (&str, &str) {
    for (i, c) in s.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i > 0 => return (&s[..i], &s[i + 1..]),
            _ => return ("", s),
        }
    }
    ("", s)
}

impl GoUrl {
    /// Parses like Go's `url.Parse` (lenient: Knative stores what the API accepted).
    pub fn parse(raw: &str) -> GoUrl {
        let mut u = GoUrl::default();
        let (rest, fragment) = match raw.split_once('#') {
            Some((r, f)) => (r, Some(f.to_string())),
            None => (raw, None),
        };
        u.fragment = fragment;
        let (scheme, rest) = split_scheme(rest);
        u.scheme = scheme.to_string();
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q.to_string())),
            None => (rest, None),
        };
        u.query = query;
        if let Some(after) = rest.strip_prefix("//") {
            u.has_authority = true;
            let (authority, path) = match after.find('/') {
                Some(i) => (&after[..i], &after[i..]),
                None => (after, ""),
            };
            match authority.rsplit_once('@') {
                Some((user, host)) => {
                    u.user = Some(user.to_string());
                    u.host = host.to_string();
                }
                None => u.host = authority.to_string(),
            }
            u.path = path.to_string();
        } else {
            u.path = rest.to_string();
        }
        u
    }

    /// Go's `IsAbs`: a non-empty scheme.
    pub fn is_abs(&self) -> bool {
        !self.scheme.is_empty()
    }

    /// Go's `ResolveReference` (RFC 3986 §5.2 with Go's path merging).
    pub fn resolve_reference(&self, r: &GoUrl) -> GoUrl {
        let mut url = r.clone();
        if r.scheme.is_empty() {
            url.scheme = self.scheme.clone();
        }
        if !r.scheme.is_empty() || r.has_authority || r.user.is_some() {
            url.path = resolve_path(&r.path, "");
            return url;
        }
        if r.path.is_empty() && r.query.is_none() {
            url.query = self.query.clone();
            if r.fragment.is_none() {
                url.fragment = self.fragment.clone();
            }
        }
        url.host = self.host.clone();
        url.user = self.user.clone();
        url.has_authority = self.has_authority;
        url.path = resolve_path(&self.path, &r.path);
        url
    }
}

impl std::fmt::Display for GoUrl {
    /// Go's `URL.String` for the shapes Knative produces.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.scheme.is_empty() {
            write!(f, "{}:", self.scheme)?;
        }
        if self.has_authority || !self.host.is_empty() || self.user.is_some() {
            f.write_str("//")?;
            if let Some(user) = &self.user {
                write!(f, "{user}@")?;
            }
            f.write_str(&self.host)?;
            if !self.path.is_empty() && !self.path.starts_with('/') {
                f.write_str("/")?;
            }
        }
        f.write_str(&self.path)?;
        if let Some(q) = &self.query {
            write!(f, "?{q}")?;
        }
        if let Some(fr) = &self.fragment {
            write!(f, "#{fr}")?;
        }
        Ok(())
    }
}

/// Go's `resolvePath`: merges a reference path into a base path and removes dot segments.
fn resolve_path(base: &str, reference: &str) -> String {
    let full = if reference.is_empty() {
        base.to_string()
    } else if !reference.starts_with('/') {
        let i = base.rfind('/').map(|i| i + 1).unwrap_or(0);
        format!("{}{}", &base[..i], reference)
    } else {
        reference.to_string()
    };
    if full.is_empty() {
        return String::new();
    }
    let mut dst = String::from("/");
    let mut first = true;
    let mut last = "";
    for elem in full.split('/') {
        last = elem;
        if elem == "." {
            first = false;
            continue;
        }
        if elem == ".." {
            let s = dst[1..].to_string();
            dst = String::from("/");
            match s.rfind('/') {
                None => first = true,
                Some(index) => dst.push_str(&s[..index]),
            }
        } else {
            if !first {
                dst.push('/');
            }
            dst.push_str(elem);
            first = false;
        }
    }
    if last == "." || last == ".." {
        dst.push('/');
    }
    if dst.len() > 1 && dst.as_bytes()[1] == b'/' {
        dst.remove(0);
    }
    dst
}

/// Go's `url.Parse` error for `raw`, `None` when Go accepts it: the exact text Go prints
/// (`parse "http://x/\b": net/url: invalid control character in URL`), which kn shows when it
/// parses a flag as a URL (`eventtype create --source`) before sending anything.
pub fn parse_error(raw: &str) -> Option<String> {
    let (before_fragment, fragment) = match raw.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (raw, None),
    };
    if let Err(e) = strict_parse(before_fragment) {
        return Some(format!("parse {}: {e}", quote(before_fragment)));
    }
    if let Some(fragment) = fragment
        && let Err(e) = unescape_check(fragment, Mode::Fragment)
    {
        return Some(format!("parse {}: {e}", quote(raw)));
    }
    None
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Host,
    Path,
    UserPassword,
    Fragment,
}

// Go's `parse(rawURL, viaRequest=false)`, errors only.
fn strict_parse(raw: &str) -> Result<(), String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    if raw == "*" {
        return Ok(());
    }
    // getScheme
    let mut scheme = "";
    let mut rest = raw;
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => {
                scheme = &raw[..i];
                rest = &raw[i + 1..];
                break;
            }
            _ => break,
        }
    }
    let rest = if rest.ends_with('?') && rest.matches('?').count() == 1 {
        &rest[..rest.len() - 1]
    } else {
        rest.split_once('?').map_or(rest, |(r, _)| r)
    };
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            return Ok(()); // an opaque URL
        }
        let segment = rest.split_once('/').map_or(rest, |(s, _)| s);
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    let mut path = rest;
    if (!scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, p) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        parse_authority(authority)?;
        path = p;
    }
    unescape_check(path, Mode::Path)
}

fn parse_authority(authority: &str) -> Result<(), String> {
    let (userinfo, host) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    parse_host(host)?;
    if let Some(userinfo) = userinfo {
        let valid = userinfo
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&c));
        if !valid {
            return Err("net/url: invalid userinfo".into());
        }
        for part in userinfo.splitn(2, ':') {
            unescape_check(part, Mode::UserPassword)?;
        }
    }
    Ok(())
}

fn valid_optional_port(port: &str) -> bool {
    port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
}

fn parse_host(host: &str) -> Result<(), String> {
    if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let port = &host[i + 1..];
        if !valid_optional_port(port) {
            return Err(format!("invalid port {} after host", quote(port)));
        }
        return Ok(());
    }
    if let Some(i) = host.rfind(':') {
        let port = &host[i..];
        if !valid_optional_port(port) {
            return Err(format!("invalid port {} after host", quote(port)));
        }
    }
    unescape_check(host, Mode::Host)
}

// Go's `shouldEscape` for the characters `unescape` checks in a host.
fn host_byte_needs_escape(c: u8) -> bool {
    !(c.is_ascii_alphanumeric() || b"!$&'()*+,;=:[]<>\"-_.~".contains(&c))
}

// Go's `unescape`, errors only: a malformed `%` escape, or a byte not allowed in a host.
fn unescape_check(s: &str, mode: Mode) -> Result<(), String> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = |j: usize| bytes.get(j).is_some_and(|b| b.is_ascii_hexdigit());
                if !hex(i + 1) || !hex(i + 2) {
                    let end = (i + 3).min(bytes.len());
                    let bad = String::from_utf8_lossy(&bytes[i..end]);
                    return Err(format!("invalid URL escape {}", quote(&bad)));
                }
                let high = (bytes[i + 1] as char).to_digit(16).unwrap_or(0);
                if mode == Mode::Host && high < 8 && &s[i..i + 3] != "%25" {
                    return Err(format!("invalid URL escape {}", quote(&s[i..i + 3])));
                }
                i += 3;
            }
            c => {
                if mode == Mode::Host && c < 0x80 && host_byte_needs_escape(c) {
                    return Err(format!(
                        "invalid character {} in host name",
                        quote(&(c as char).to_string())
                    ));
                }
                i += 1;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(base: &str, r: &str) -> String {
        GoUrl::parse(base)
            .resolve_reference(&GoUrl::parse(r))
            .to_string()
    }

    #[test]
    fn absolute_path_replaces_the_base_path() {
        assert_eq!(
            resolve("http://display.default.svc.cluster.local", "/extra/path"),
            "http://display.default.svc.cluster.local/extra/path"
        );
        assert_eq!(
            resolve(
                "http://broker-ingress.knative-eventing.svc.cluster.local/ns/b",
                "/x"
            ),
            "http://broker-ingress.knative-eventing.svc.cluster.local/x"
        );
    }

    #[test]
    fn relative_path_is_relative_to_the_last_segment() {
        assert_eq!(
            resolve(
                "http://broker-ingress.knative-eventing.svc.cluster.local/ns/b",
                "x"
            ),
            "http://broker-ingress.knative-eventing.svc.cluster.local/ns/x"
        );
        assert_eq!(
            resolve("http://a.b.svc.cluster.local", "foo"),
            "http://a.b.svc.cluster.local/foo"
        );
        assert_eq!(resolve("http://h/a/b/c", "../d"), "http://h/a/d");
        assert_eq!(resolve("http://h/a/b/", "./"), "http://h/a/b/");
    }

    #[test]
    fn query_only_reference_keeps_the_path() {
        assert_eq!(resolve("http://h/a/b", "?x=1"), "http://h/a/b?x=1");
    }

    #[test]
    fn parse_errors_read_as_go_prints_them() {
        let cases = [
            (
                "http://x/a\u{8}",
                r#"parse "http://x/a\b": net/url: invalid control character in URL"#,
            ),
            (
                "ht tp://x",
                r#"parse "ht tp://x": first path segment in URL cannot contain colon"#,
            ),
            (":foo", r#"parse ":foo": missing protocol scheme"#),
            (
                "http://x/%zz",
                r#"parse "http://x/%zz": invalid URL escape "%zz""#,
            ),
            (
                "http://x/%4",
                r#"parse "http://x/%4": invalid URL escape "%4""#,
            ),
            (
                "http://x:8a/",
                r#"parse "http://x:8a/": invalid port ":8a" after host"#,
            ),
            (
                "http://a b/",
                r#"parse "http://a b/": invalid character " " in host name"#,
            ),
            (
                "http://[::1/",
                r#"parse "http://[::1/": missing ']' in host"#,
            ),
            (
                "http://u{@h/",
                r#"parse "http://u{@h/": net/url: invalid userinfo"#,
            ),
            (
                "http://x/#%zz",
                r#"parse "http://x/#%zz": invalid URL escape "%zz""#,
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_error(raw).as_deref(), Some(want), "{raw:?}");
        }
        for ok in [
            "http://x/a",
            "",
            "path",
            "mailto:a b",
            "http://[::1]:80/",
            "/a?b#c",
            "http://x/%41",
        ] {
            assert_eq!(parse_error(ok), None, "{ok:?}");
        }
    }

    #[test]
    fn parse_and_print_round_trip() {
        for s in [
            "http://example.com",
            "https://u:p@example.com:8443/a/b?c=d#e",
            "/relative/path",
            "path",
        ] {
            assert_eq!(GoUrl::parse(s).to_string(), s);
        }
        let u = GoUrl::parse("http://example.com/x");
        assert!(u.is_abs());
        assert_eq!(u.host, "example.com");
        assert!(!GoUrl::parse("/x").is_abs());
        assert_eq!(GoUrl::parse("http:/x").host, "");
    }
}
