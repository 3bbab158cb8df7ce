//! Names as Knative and Kubernetes make and check them: kmeta `ChildName` hashing, FQDN checks
//! over `kuberules::names` (apimachinery's validators), and container image references as
//! go-containerregistry parses them.

use kuberules::names::{dns1123_label, dns1123_subdomain};

/// The longest name Kubernetes accepts for most objects.
const LONGEST: usize = 63;
const MD5_LEN: usize = 32;
const HEAD: usize = LONGEST - MD5_LEN;

/// kmeta `ChildName`: `parent + suffix`, with the parent cut and followed by its MD5 when
/// the result would be longer than 63 characters.
pub fn child_name(parent: &str, suffix: &str) -> String {
    if parent.len() <= LONGEST.saturating_sub(suffix.len()) {
        return format!("{parent}{suffix}");
    }
    if HEAD <= suffix.len() {
        let digest = format!("{:x}", md5::compute(format!("{parent}{suffix}").as_bytes()));
        let head = &parent[..floor_char_boundary(parent, HEAD.min(parent.len()))];
        let mut ret = format!("{head}{digest}");
        if ret.len() < LONGEST {
            let d = LONGEST - ret.len();
            ret.push_str(&suffix[..floor_char_boundary(suffix, d.min(suffix.len()))]);
        }
        return make_valid_name(ret);
    }
    let cut = floor_char_boundary(parent, HEAD - suffix.len());
    format!(
        "{}{:x}{}",
        &parent[..cut],
        md5::compute(parent.as_bytes()),
        suffix
    )
}

fn make_valid_name(mut n: String) -> String {
    while n.chars().last().is_some_and(|c| !c.is_ascii_alphanumeric()) {
        n.pop();
    }
    n
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The name of the Revision a Configuration creates for one of its generations.
pub fn revision_name(configuration: &str, generation: i64) -> String {
    child_name(configuration, &format!("-{generation:05}"))
}

/// apimachinery `IsFullyQualifiedDomainName(field, name)` rendered as its aggregate error
/// (`FIELD: Invalid value: "X": …`), None when the name is valid.
pub fn fqdn_error(field: &str, name: &str) -> Option<String> {
    let q = crate::crd::gofmt::quote;
    if name.is_empty() {
        return Some(format!("{field}: Required value"));
    }
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    let errs = dns1123_subdomain(trimmed);
    if !errs.is_empty() {
        return Some(format!(
            "{field}: Invalid value: {}: {}",
            q(trimmed),
            errs.join(",")
        ));
    }
    if trimmed.split('.').count() < 2 {
        return Some(format!(
            "{field}: Invalid value: {}: should be a domain with at least two segments separated by dots",
            q(trimmed)
        ));
    }
    for label in trimmed.split('.') {
        let errs = dns1123_label(label);
        if !errs.is_empty() {
            return Some(format!(
                "{field}: Invalid value: {}: {}",
                q(label),
                errs.join(",")
            ));
        }
    }
    None
}

/// Go's `fmt.Sprint` of a `[]string`: `[a b c]`.
pub fn go_string_slice(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// A container image reference as go-containerregistry's `name.ParseReference` (weak
/// validation) understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host as go-containerregistry reports it (`index.docker.io` for Docker Hub).
    pub registry: String,
    pub repository: String,
    /// Tag (defaults to `latest`) when the reference has no digest.
    pub tag: Option<String>,
    /// `sha256:…` when the reference carries a digest.
    pub digest: Option<String>,
}

const DEFAULT_REGISTRY: &str = "index.docker.io";

impl ImageRef {
    /// Parses a reference; the error is go-containerregistry's text.
    pub fn parse(image: &str) -> Result<ImageRef, String> {
        parse_tag(image)
            .or_else(|| parse_digest(image))
            .ok_or_else(|| format!("could not parse reference: {image}"))
    }

    /// `REGISTRY/REPOSITORY` (the reference's context).
    pub fn context(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The tag or digest the registry is asked about.
    pub fn identifier(&self) -> &str {
        self.digest
            .as_deref()
            .or(self.tag.as_deref())
            .unwrap_or("latest")
    }
}

fn split_repo(name: &str) -> Option<(String, String)> {
    let (registry, repo) = match name.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (first.to_string(), rest.to_string())
        }
        _ => (String::new(), name.to_string()),
    };
    if repo.is_empty()
        || !repo.bytes().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'_' | b'-' | b'.' | b'/')
        })
    {
        return None;
    }
    if !registry.is_empty() && !valid_authority(&registry) {
        return None;
    }
    let registry = match registry.as_str() {
        "" | "docker.io" => DEFAULT_REGISTRY.to_string(),
        other => other.to_string(),
    };
    let repo = if registry == DEFAULT_REGISTRY && !repo.contains('/') {
        format!("library/{repo}")
    } else {
        repo
    };
    Some((registry, repo))
}

fn valid_authority(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':' | b'_' | b'[' | b']')
        })
}

fn parse_tag(image: &str) -> Option<ImageRef> {
    if image.contains('@') {
        return None;
    }
    // A tag follows the last ':' unless that ':' belongs to a registry port.
    let (name, tag) = match image.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => (name, tag),
        _ => (image, "latest"),
    };
    if tag.is_empty()
        || tag.len() > 127
        || !tag
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
    {
        return None;
    }
    let (registry, repository) = split_repo(name)?;
    Some(ImageRef {
        registry,
        repository,
        tag: Some(tag.to_string()),
        digest: None,
    })
}

fn parse_digest(image: &str) -> Option<ImageRef> {
    let (name, digest) = image.split_once('@')?;
    let hex = digest.strip_prefix("sha256:")?;
    if hex.len() != 64 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    // A tag before the digest is allowed and ignored.
    let name = match name.rsplit_once(':') {
        Some((n, tag)) if !tag.contains('/') => n,
        _ => name,
    };
    let (registry, repository) = split_repo(name)?;
    Some(ImageRef {
        registry,
        repository,
        tag: None,
        digest: Some(digest.to_string()),
    })
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(data: &[u8]) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, data);
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revision_names_are_zero_padded() {
        assert_eq!(revision_name("hello", 1), "hello-00001");
        assert_eq!(revision_name("hello", 123456), "hello-123456");
    }

    #[test]
    fn long_names_are_hashed() {
        let parent = "a".repeat(60);
        let name = revision_name(&parent, 1);
        assert_eq!(name.len(), 63);
        assert_eq!(
            name,
            format!(
                "{}{:x}-00001",
                "a".repeat(25),
                md5::compute(parent.as_bytes())
            )
        );
    }

    #[test]
    fn images_parse_like_go_containerregistry() {
        let r = ImageRef::parse("nginx").unwrap();
        assert_eq!(r.context(), "index.docker.io/library/nginx");
        assert_eq!(r.identifier(), "latest");
        let r = ImageRef::parse("ghcr.io/knative/helloworld-go:latest").unwrap();
        assert_eq!(r.context(), "ghcr.io/knative/helloworld-go");
        let r = ImageRef::parse("localhost:5000/app").unwrap();
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.identifier()),
            ("localhost:5000", "app", "latest")
        );
        let d = format!("sha256:{}", "a".repeat(64));
        let r = ImageRef::parse(&format!("docker.io/foo/bar@{d}")).unwrap();
        assert_eq!(r.digest.as_deref(), Some(d.as_str()));
        assert_eq!(
            ImageRef::parse("Foo").unwrap_err(),
            "could not parse reference: Foo"
        );
    }

    #[test]
    fn sha256_is_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
