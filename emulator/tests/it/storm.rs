//! Hostile clients against `knit-emulator`: a thousand watchers that never read while large
//! objects change, and a JSON patch that doubles a list with every copy. The emulator stays up
//! and its memory stays bounded (a slow watcher holds a few events, then is closed).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

const WATCHERS: usize = 1000;
const WRITES: usize = 1000;
const RSS_LIMIT_KIB: u64 = 500 * 1024;

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS")
}

fn send(addr: SocketAddr, method: &str, path: &str, content_type: &str, body: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).expect("the emulator answers");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    raw.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn slow_watchers_and_a_patch_bomb_leave_the_emulator_up_and_bounded() {
    if cfg!(not(target_os = "linux")) {
        println!("storm: skipped: RSS is read from /proc, which only Linux has");
        return;
    }
    let (mut child, addr) = crate::common::spawn(&["--listen", "127.0.0.1:0"]);
    let base = "/api/v1/namespaces/default/configmaps";

    // Watchers that send their request and never read a byte of the answer.
    let watchers: Vec<TcpStream> = (0..WATCHERS)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            let head = format!("GET {base}?watch=1 HTTP/1.1\r\nHost: {addr}\r\n\r\n");
            s.write_all(head.as_bytes()).unwrap();
            s
        })
        .collect();
    // 10 KB objects changing: every watcher is sent every change.
    let padding = "x".repeat(10_000);
    for i in 0..WRITES {
        let name = format!("c{}", i % 20);
        let body = format!(
            r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"{name}"}},"data":{{"a":"{padding}{i}"}}}}"#
        );
        let (method, path) = if i < 20 {
            ("POST", base.to_string())
        } else {
            ("PUT", format!("{base}/{name}"))
        };
        assert_eq!(
            send(addr, method, &path, "application/json", &body),
            if i < 20 { 201 } else { 200 }
        );
    }
    let rss = rss_kib(child.id());
    assert!(
        rss < RSS_LIMIT_KIB,
        "RSS {rss} KiB with {WATCHERS} slow watchers"
    );

    // 1.9 KB of copies that would double a list forty times.
    let bomb: Vec<String> =
        std::iter::once(r#"{"op":"add","path":"/metadata/finalizers","value":["a"]}"#.to_string())
            .chain((0..40).map(|_| {
                r#"{"op":"copy","from":"/metadata/finalizers","path":"/metadata/finalizers/-"}"#
                    .to_string()
            }))
            .collect();
    let code = send(
        addr,
        "PATCH",
        &format!("{base}/c0"),
        "application/json-patch+json",
        &format!("[{}]", bomb.join(",")),
    );
    assert_eq!(code, 422);
    assert_eq!(
        send(addr, "GET", &format!("{base}/c0"), "application/json", ""),
        200
    );
    let rss = rss_kib(child.id());
    assert!(rss < RSS_LIMIT_KIB, "RSS {rss} KiB after the patch bomb");
    drop(watchers);
    child.kill().unwrap();
    child.wait().unwrap();
}
