//! `knit-emulator --state` under `kill -9`: ten writers create, update and delete ConfigMaps
//! while the process is killed at a random moment, twenty times over one state file. After
//! each restart every acknowledged write is there and no acknowledged delete came back; only
//! the one request a writer had in flight may have gone either way.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const RUNS: u64 = 20;
const WRITERS: usize = 10;

fn spawn(state: &str) -> (Child, SocketAddr) {
    crate::common::spawn(&["--listen", "127.0.0.1:0", "--state", state])
}

/// One request; `None` when the server did not answer (it was killed).
fn send(addr: SocketAddr, method: &str, path: &str, body: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let line = String::from_utf8_lossy(&raw);
    line.split(' ').nth(1)?.parse().ok()
}

/// A ConfigMap's state: absent, or present with its value.
type State = Option<u64>;

/// What a key may hold after the crash: the last acknowledged state, or the in-flight one.
#[derive(Debug, Default, Clone)]
struct Expect {
    acknowledged: State,
    in_flight: Option<State>,
}

fn body(name: &str, value: u64) -> String {
    format!(
        r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"{name}","namespace":"default"}},"data":{{"v":"{value}"}}}}"#
    )
}

/// Writer `w`'s loop in run `run`: create a key, update it twice, delete every third one.
fn writer(
    addr: SocketAddr,
    w: usize,
    run: u64,
    stop: Arc<AtomicBool>,
    expect: Arc<Mutex<BTreeMap<String, Expect>>>,
) {
    let base = "/api/v1/namespaces/default/configmaps";
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        let name = format!("w{w}-r{run}-{i}");
        let mut steps: Vec<(&str, String, State)> = vec![
            ("POST", base.to_string(), Some(0)),
            ("PUT", format!("{base}/{name}"), Some(1)),
            ("PUT", format!("{base}/{name}"), Some(2)),
        ];
        if i % 3 == 0 {
            steps.push(("DELETE", format!("{base}/{name}"), None));
        }
        for (method, path, state) in steps {
            expect
                .lock()
                .unwrap()
                .entry(name.clone())
                .or_default()
                .in_flight = Some(state);
            let payload = state.map(|v| body(&name, v)).unwrap_or_default();
            match send(addr, method, &path, &payload) {
                Some(200 | 201) => {
                    let mut expect = expect.lock().unwrap();
                    let entry = expect.get_mut(&name).unwrap();
                    entry.acknowledged = state;
                    entry.in_flight = None;
                }
                Some(code) => panic!("{method} {path}: unexpected {code}"),
                // Killed: the request may or may not have been applied; stop writing.
                None => return,
            }
        }
        i += 1;
    }
}

fn read_state(addr: SocketAddr, name: &str) -> State {
    let mut stream = TcpStream::connect(addr).expect("the restarted emulator answers");
    let head = format!(
        "GET /api/v1/namespaces/default/configmaps/{name} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    if raw.starts_with("HTTP/1.1 404") {
        return None;
    }
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    let json = &raw[raw.find("\r\n\r\n").unwrap() + 4..];
    let object: serde_json::Value = serde_json::from_str(json).unwrap();
    Some(object["data"]["v"].as_str().unwrap().parse().unwrap())
}

#[test]
fn acknowledged_writes_survive_kill_9_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let state = state.to_str().unwrap();
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    let expect: Arc<Mutex<BTreeMap<String, Expect>>> = Arc::default();
    for run in 0..RUNS {
        let (mut child, addr) = spawn(state);
        // Every key of earlier runs is as the crash left it.
        for (name, e) in expect.lock().unwrap().iter() {
            let found = read_state(addr, name);
            assert!(
                found == e.acknowledged || Some(found) == e.in_flight,
                "run {run} (seed {seed}): {name} is {found:?}, acknowledged {:?}, in flight {:?}",
                e.acknowledged,
                e.in_flight
            );
        }
        // Settle each key to what was found, so later runs check against it.
        for (name, e) in expect.lock().unwrap().iter_mut() {
            e.acknowledged = read_state(addr, name);
            e.in_flight = None;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (stop, expect) = (stop.clone(), expect.clone());
                std::thread::spawn(move || writer(addr, w, run, stop, expect))
            })
            .collect();
        // A pseudo-random moment between 50 and 450 ms into the writes.
        let delay = 50
            + (seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(run.wrapping_mul(1442695040888963407))
                >> 33)
                % 400;
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().expect("kill -9");
        child.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        for w in writers {
            w.join().expect("writer");
        }
    }
    let (mut child, addr) = spawn(state);
    for (name, e) in expect.lock().unwrap().iter() {
        let found = read_state(addr, name);
        assert!(
            found == e.acknowledged || Some(found) == e.in_flight,
            "final (seed {seed}): {name} is {found:?}, acknowledged {:?}, in flight {:?}",
            e.acknowledged,
            e.in_flight
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // No temp file is left behind by twenty crashes.
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["state.json", "state.json.wal"]);
}
