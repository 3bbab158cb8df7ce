//! Helpers shared by the emulator's integration tests: start an emulator in-process and get
//! a kube-rs client or raw HTTP responses for it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use knit_emulator::{Config, Emulator};
use serde_json::Value;

/// Skips the calling test for want of `tool`, with one line on the real stderr (libtest does not
/// capture direct writes); where `KNIT_REQUIRE_TOOLS` names the tool, as CI's does, it fails.
pub fn skip(tool: &str) {
    let required = std::env::var("KNIT_REQUIRE_TOOLS").unwrap_or_default();
    assert!(
        !required.split([',', ' ']).any(|t| t == tool),
        "{tool} is not installed, but KNIT_REQUIRE_TOOLS says this machine has it"
    );
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test}: {tool} is not installed"
    );
}

/// Starts the `knit-emulator` program with `args`; its first stdout line is the address.
pub fn spawn(args: &[&str]) -> (std::process::Child, SocketAddr) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_knit-emulator"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("knit-emulator starts");
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let addr: SocketAddr = first
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("first line is an address: {first:?}"));
    (child, addr)
}

pub async fn start(config: Config) -> (Emulator, kube::Client) {
    let emulator = Emulator::start(config).await.expect("emulator starts");
    let client = client_for(&emulator.kubeconfig_yaml("test")).await;
    (emulator, client)
}

pub async fn client_for(kubeconfig: &str) -> kube::Client {
    let kubeconfig = kube::config::Kubeconfig::from_yaml(kubeconfig).expect("kubeconfig parses");
    let config = kube::Config::from_custom_kubeconfig(
        kubeconfig,
        &kube::config::KubeConfigOptions::default(),
    )
    .await
    .expect("kubeconfig loads");
    kube::Client::try_from(config).expect("client builds")
}

/// A raw HTTP/1.1 response.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The `message` of a Status body, empty when there is none.
    pub fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(pos) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..pos]).unwrap_or("0").trim(), 16)
                .unwrap_or(0);
        data = &data[pos + 2..];
        if size == 0 || data.len() < size {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}

/// Sends one request (blocking; run it in `spawn_blocking` from async tests) and reads the
/// whole response.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawResponse {
    let mut stream = TcpStream::connect(addr).expect("connects");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("writes head");
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("reads response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response has a head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    RawResponse {
        status,
        headers,
        body,
    }
}

/// `request` from async code.
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawResponse {
    let (method, path, body) = (method.to_string(), path.to_string(), body.to_vec());
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        request(addr, &method, &path, &refs, &body)
    })
    .await
    .expect("request task")
}

pub const JSON: (&str, &str) = ("Content-Type", "application/json");

pub fn ksvc(name: &str, image: &str) -> Value {
    serde_json::json!({
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {"template": {"spec": {"containers": [{"image": image}]}}},
    })
}

/// A watch response read event by event (blocking).
pub struct WatchReader {
    reader: std::io::BufReader<TcpStream>,
    pending: Vec<u8>,
    done: bool,
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

impl WatchReader {
    pub fn open(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> WatchReader {
        use std::io::BufRead;
        let mut stream = TcpStream::connect(addr).expect("connects");
        let mut head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).expect("writes");
        let mut reader = std::io::BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).expect("status line");
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        let mut headers = Vec::new();
        loop {
            line.clear();
            reader.read_line(&mut line).expect("header");
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        WatchReader {
            reader,
            pending: Vec::new(),
            done: false,
            status,
            headers,
        }
    }

    /// The next event, or `None` when the server ended the stream.
    pub fn next_event(&mut self) -> Option<Value> {
        use std::io::BufRead;
        loop {
            if let Some(pos) = self.pending.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=pos).collect();
                return Some(serde_json::from_slice(&line).expect("event is JSON"));
            }
            if self.done {
                return None;
            }
            let mut size_line = String::new();
            if self.reader.read_line(&mut size_line).unwrap_or(0) == 0 {
                self.done = true;
                continue;
            }
            let size = usize::from_str_radix(size_line.trim(), 16).unwrap_or(0);
            if size == 0 {
                self.done = true;
                continue;
            }
            let mut chunk = vec![0; size + 2];
            self.reader.read_exact(&mut chunk).expect("chunk");
            chunk.truncate(size);
            self.pending.extend_from_slice(&chunk);
        }
    }

    /// Events until `stop` returns true for one (included).
    pub fn until(&mut self, stop: impl Fn(&Value) -> bool) -> Vec<Value> {
        let mut events = Vec::new();
        while let Some(e) = self.next_event() {
            let last = stop(&e);
            events.push(e);
            if last {
                break;
            }
        }
        events
    }
}

/// Blocking JSON helpers against one emulator.
pub struct Http(pub SocketAddr);

impl Http {
    pub fn get(&self, path: &str) -> RawResponse {
        request(self.0, "GET", path, &[], b"")
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> RawResponse {
        request(self.0, "GET", path, headers, b"")
    }

    pub fn send(&self, method: &str, path: &str, content_type: &str, body: &[u8]) -> RawResponse {
        request(
            self.0,
            method,
            path,
            &[("Content-Type", content_type)],
            body,
        )
    }

    pub fn post(&self, path: &str, body: &Value) -> RawResponse {
        self.send(
            "POST",
            path,
            "application/json",
            body.to_string().as_bytes(),
        )
    }

    pub fn put(&self, path: &str, body: &Value) -> RawResponse {
        self.send("PUT", path, "application/json", body.to_string().as_bytes())
    }

    pub fn patch(&self, path: &str, content_type: &str, body: &Value) -> RawResponse {
        self.send("PATCH", path, content_type, body.to_string().as_bytes())
    }

    /// A JSON merge patch (`application/merge-patch+json`).
    pub fn merge_patch(&self, path: &str, body: &Value) -> RawResponse {
        self.patch(path, "application/merge-patch+json", body)
    }

    /// A server-side apply of a YAML manifest (`application/apply-patch+yaml`).
    pub fn apply_yaml(&self, path: &str, yaml: &str) -> RawResponse {
        self.send(
            "PATCH",
            path,
            "application/apply-patch+yaml",
            yaml.as_bytes(),
        )
    }

    pub fn delete(&self, path: &str, body: &Value) -> RawResponse {
        self.send(
            "DELETE",
            path,
            "application/json",
            body.to_string().as_bytes(),
        )
    }
}

pub fn configmap(ns: &str, name: &str) -> Value {
    serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ns}})
}
