#!/usr/bin/env python3
"""Side-by-side benchmark of knit against a raw GET (curl), kubectl and kn on the emulator.

Usage: scripts/bench.py [--sizes 100,500,2000] [--runs 15] [--version-runs 200]
                        [--knit target/release/knit] [--kn PATH] [--instructions]
       scripts/bench.py --against OTHER_KNIT [--knit target/release/knit] [--rounds 8]
                        [--services 1000]

Build first with `cargo build --release`. The emulator is knit's own (`knit emulator
--ready-delay 0`), started on 127.0.0.1 and stopped at the end. kn is included when the
reference kit is present (../shared/tools/reference/kn, or --kn); its wrapper script is not
timed, only the unpacked binary.

Every timed command is started directly and reaped with wait4, which gives its CPU time
(user+sys); wall time is measured around start and reap. No wrapper process (GNU time, a
shell) is timed with it: a wrapper's own start is the same for every contender and hid the
difference between them (it was ~2 ms, most of `knit version`). Peak RSS comes from three
further runs under GNU time (/usr/bin/time -f %M, the command's own peak): a child of this
Python process would report Python's own size as its peak. Runs alternate
between contenders (run 1 of each, then run 2 of each, ...), and medians are reported.
Create-to-Ready POSTs N services over one keep-alive connection, waits until every one is
Ready and reports the emulator's own CPU time for it (from /proc). It prints figures and
ratios and asserts nothing: timings on a shared machine are noisy; say how loaded it was.

--against compares two builds' emulators instead: each round starts one of each on a fresh
state and has both create the same services to Ready at the same time, so a change in the
machine's speed (a quarter or more over a day on shared machines) hits both alike; which one
starts first alternates. It prints each round's CPU per service and the median ratio.
"""

import argparse
import glob
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find_kn(explicit):
    """The unpacked kn binary (the kit's wrapper would add a bash start to every run)."""
    if explicit:
        return explicit
    wrapper = os.path.join(ROOT, "..", "shared", "tools", "reference", "kn")
    if not os.path.exists(wrapper):
        wrapper = "/work/shared/tools/reference/kn"
    if not os.path.exists(wrapper):
        return None
    # The first run unpacks it into the cache.
    subprocess.run([wrapper, "version"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    found = sorted(glob.glob(os.path.join(cache, "knit-reference", "kn-v*", "kn")))
    return found[-1] if found else None


def measure(cmd, env):
    """Runs cmd once: (wall ms, user+sys CPU ms); None if it failed."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def peak_rss(cmd, env, runs=3):
    """Median peak RSS (MiB) of cmd over `runs` runs under GNU time; None if it failed."""
    peaks = []
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r") as out:
            proc = subprocess.run(
                ["/usr/bin/time", "-f", "%M", "-o", out.name] + cmd,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            )
            text = out.read().strip().splitlines()
            if proc.returncode != 0 or not text:
                return None
            peaks.append(int(text[-1]) / 1024)
    return statistics.median(peaks)


def instructions(cmd, env):
    """User-space instructions of one run of cmd under callgrind; None if it failed."""
    with tempfile.NamedTemporaryFile("r") as log:
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
             f"--log-file={log.name}"] + cmd,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        if proc.returncode != 0:
            return None
        for line in log.read().splitlines():
            if "Collected :" in line:
                return int(line.rsplit(":", 1)[1].strip().replace(",", ""))
    return None


def report_instructions(contenders, env, base):
    """Prints each contender's instruction count and its ratio to `base`'s."""
    counts = {label: instructions(cmd, env) for label, cmd in contenders}
    print("  instructions (callgrind, one run each):")
    for label, count in counts.items():
        text = f"{count:,}" if count else "failed"
        ratio = ""
        if count and counts.get(base) and label != base:
            ratio = f"  ({base} / this: {counts[base] / count:.2f}x)"
        print(f"    {label:32} {text:>15}{ratio}")


def alternate(contenders, runs, env):
    """{label: [(wall, cpu, rss)]}, running the contenders in turn, rotating who goes first;
    rss is each contender's median peak from its memory runs."""
    samples = {label: [] for label, _ in contenders}
    for label, cmd in contenders:  # warm-up: page cache, first connection
        if measure(cmd, env) is None:
            print(f"  warning: {label} failed: {' '.join(cmd)}", file=sys.stderr)
    for i in range(runs):
        order = contenders[i % len(contenders):] + contenders[: i % len(contenders)]
        for label, cmd in order:
            sample = measure(cmd, env)
            if sample is not None:
                samples[label].append(sample)
    for label, cmd in contenders:
        rss = peak_rss(cmd, env)
        samples[label] = [(wall, cpu, rss or 0.0) for wall, cpu in samples[label]]
    return samples


def medians(samples):
    if not samples:
        return None
    return tuple(statistics.median(s[k] for s in samples) for k in range(3))


def report(title, samples, base, others):
    """Prints medians and knit's ratios against each of `others`."""
    print(f"\n{title}")
    print(f"  {'':34} {'wall ms':>9} {'cpu ms':>9} {'peak MiB':>9}  runs")
    meds = {label: medians(s) for label, s in samples.items()}
    for label, m in meds.items():
        if m:
            print(f"  {label:34} {m[0]:9.2f} {m[1]:9.2f} {m[2]:9.1f}  {len(samples[label])}")
        else:
            print(f"  {label:34} {'failed':>9}")
    b = meds.get(base)
    for other in others:
        o = meds.get(other)
        if b and o:
            print(
                f"  {base} / {other}: wall {b[0] / o[0]:.2f}x, cpu {b[1] / max(o[1], 1e-3):.2f}x, "
                f"memory {b[2] / o[2]:.2f}x ({b[2] - o[2]:+.1f} MiB)"
            )
    return meds


class Emulator:
    def __init__(self, knit, workdir):
        self.kubeconfig = os.path.join(workdir, "kubeconfig")
        self.proc = subprocess.Popen(
            [knit, "emulator", "--listen", "127.0.0.1:0", "--write-kubeconfig", self.kubeconfig,
             "--ready-delay", "0s"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ, HOME=workdir, XDG_STATE_HOME=workdir),
        )
        deadline = time.time() + 60
        server = None
        while time.time() < deadline and server is None:
            if os.path.exists(self.kubeconfig):
                for line in open(self.kubeconfig):
                    if line.strip().startswith("server:"):
                        server = line.split("server:", 1)[1].strip().strip("'\"")
            time.sleep(0.05)
        if server is None:
            self.stop()
            sys.exit("the emulator did not start")
        self.url = server
        parsed = urllib.parse.urlparse(server)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)

    def request(self, method, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        payload = json.dumps(body) if body is not None else None
        try:
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            # The server closed the idle keep-alive connection: once more on a new one.
            self.conn.close()
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        if response.status >= 300 and response.status != 409:
            sys.exit(f"{method} {path}: {response.status} {data[:300]!r}")
        return json.loads(data) if data else None

    def cpu_seconds(self):
        fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def service(name, namespace):
    return {
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"template": {"spec": {"containers": [
            {"image": "ghcr.io/knative/helloworld-go", "env": [{"name": "TARGET", "value": name}]}
        ]}}},
    }


def is_ready(service):
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (service.get("status") or {}).get("conditions", []))


class ReadyWatch(threading.Thread):
    """Follows a watch of the namespace's services (as `kubectl wait` and kn do) until `n`
    are Ready at once. Polling whole lists instead cost the emulator and this script more CPU
    than the controllers at 2,000 services."""

    def __init__(self, emulator, namespace, n):
        super().__init__(daemon=True)
        parsed = urllib.parse.urlparse(emulator.url)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=900)
        self.conn.request("GET", f"/apis/serving.knative.dev/v1/namespaces/{namespace}/services"
                                 "?watch=1&timeoutSeconds=900")
        self.response = self.conn.getresponse()
        self.n = n
        self.done = threading.Event()

    def run(self):
        ready = set()
        while len(ready) < self.n:
            line = self.response.readline()
            if not line:
                return
            event = json.loads(line)
            name = event["object"]["metadata"]["name"]
            if event["type"] != "DELETED" and is_ready(event["object"]):
                ready.add(name)
            else:
                ready.discard(name)
        self.done.set()
        self.conn.close()


def create_to_ready(emulator, namespace, n):
    """Seeds n services; (wall s, emulator CPU s) from the first POST until all are Ready."""
    emulator.request("POST", "/api/v1/namespaces",
                     {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    watch = ReadyWatch(emulator, namespace, n)
    watch.start()
    cpu0, start = emulator.cpu_seconds(), time.perf_counter()
    for i in range(n):
        emulator.request("POST", f"/apis/serving.knative.dev/v1/namespaces/{namespace}/services",
                         service(f"svc-{i:05}", namespace))
    if not watch.done.wait(900):
        print(f"  warning: not all {n} services became Ready", file=sys.stderr)
    return time.perf_counter() - start, emulator.cpu_seconds() - cpu0


def side_by_side(knit, other, rounds, n):
    """Both builds' emulators creating n services to Ready at the same time, `rounds` times;
    prints CPU per service of each and the ratio other / knit."""
    builds = [knit, other]
    ratios = []
    print(f"create-to-Ready of {n} services, both emulators at once, {rounds} rounds")
    print(f"  A: {knit}\n  B: {other}")
    for r in range(rounds):
        order = [0, 1] if r % 2 == 0 else [1, 0]
        dirs = [tempfile.mkdtemp(prefix="knit-bench-") for _ in builds]
        emulators = {}
        try:
            for i in order:
                emulators[i] = Emulator(builds[i], dirs[i])
            results = {}
            threads = [threading.Thread(
                target=lambda i=i: results.__setitem__(i, create_to_ready(emulators[i], "bench", n)))
                for i in order]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            for e in emulators.values():
                e.stop()
            for d in dirs:
                shutil.rmtree(d, ignore_errors=True)
        if len(results) < 2:
            sys.exit(f"round {r + 1}: an emulator did not get its services to Ready")
        a, b = (results[i][1] / n * 1000 for i in (0, 1))
        ratios.append(b / a)
        print(f"  round {r + 1}: A {a:.2f} ms, B {b:.2f} ms of CPU per service, B/A {b / a:.3f}")
    print(f"  B/A median {statistics.median(ratios):.3f} (from {min(ratios):.3f} to {max(ratios):.3f})")


def get_vs_list_by_name(emulator, namespace, rounds=4, per_round=500):
    """Emulator CPU per request (ms) of a GET and of a LIST by name (what every wait sends),
    alternating blocks of requests over one keep-alive connection."""
    base = f"/apis/serving.knative.dev/v1/namespaces/{namespace}/services"
    kinds = {"GET": f"{base}/svc-00000",
             "LIST by name": f"{base}?fieldSelector=metadata.name%3Dsvc-00000"}
    cpu = {k: 0.0 for k in kinds}
    for _ in range(rounds):
        for kind, path in kinds.items():
            before = emulator.cpu_seconds()
            for _ in range(per_round):
                emulator.request("GET", path)
            cpu[kind] += emulator.cpu_seconds() - before
    n = rounds * per_round
    return {k: v / n * 1000 for k, v in cpu.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--version-runs", type=int, default=200)
    parser.add_argument("--knit", default=os.path.join(ROOT, "target", "release", "knit"))
    parser.add_argument("--kn", default=None)
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions under callgrind (needs valgrind)")
    parser.add_argument("--against", default=None,
                        help="another knit build: compare the two emulators side by side")
    parser.add_argument("--rounds", type=int, default=8, help="side by side: at least 1")
    parser.add_argument("--services", type=int, default=1000)
    args = parser.parse_args()

    knit = os.path.abspath(args.knit)
    if not os.access(knit, os.X_OK):
        sys.exit(f"{knit} is missing: run `cargo build --release` first")
    if args.against:
        other = os.path.abspath(args.against)
        if not os.access(other, os.X_OK):
            sys.exit(f"{other} is not an executable knit")
        if args.rounds < 1 or args.services < 1:
            sys.exit("--rounds and --services take a whole number from 1")
        side_by_side(knit, other, args.rounds, args.services)
        return
    kn = find_kn(args.kn)
    kubectl = shutil.which("kubectl")
    curl = shutil.which("curl")
    if not curl or not os.access("/usr/bin/time", os.X_OK):
        sys.exit("needs curl, and GNU time at /usr/bin/time for peak memory")
    if args.instructions and not shutil.which("valgrind"):
        sys.exit("--instructions needs valgrind")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if load[0] > 0.5 * (os.cpu_count() or 1):
        print("note: the machine is loaded; wall times are inflated, compare CPU times and ratios")
    print(f"knit: {knit}\nkn:   {kn or 'absent (no reference kit)'}\nkubectl: {kubectl or 'absent'}")

    workdir = tempfile.mkdtemp(prefix="knit-bench-")
    empty_config = os.path.join(workdir, "kn-config.yaml")
    open(empty_config, "w").close()
    try:
        env = dict(os.environ, HOME=workdir, XDG_CONFIG_HOME=os.path.join(workdir, "config"),
                   NO_COLOR="1")
        # /bin/true under the same measurement: the floor of any process start here.
        contenders = [("knit version", [knit, "version"]), ("floor (/bin/true)", ["/bin/true"])]
        if kn:
            contenders.append(("kn version", [kn, "version", "--config", empty_config]))
        report(f"version ({args.version_runs} runs)",
               alternate(contenders, args.version_runs, env), "knit version", ["floor (/bin/true)", "kn version"])
        if args.instructions:
            report_instructions(contenders, env, "knit version")

        emulator = Emulator(knit, workdir)
        env["KUBECONFIG"] = emulator.kubeconfig
        try:
            for n in [int(s) for s in args.sizes.split(",") if s]:
                ns = f"bench-{n}"
                wall, cpu = create_to_ready(emulator, ns, n)
                print(f"\n{n} services created to Ready (--ready-delay 0): {wall:.2f} s wall, "
                      f"{cpu:.2f} s emulator CPU ({cpu / n * 1000:.2f} ms per service)")
                per = get_vs_list_by_name(emulator, ns)
                print(f"emulator CPU per request at {n} services: GET {per['GET']:.3f} ms, "
                      f"LIST by name {per['LIST by name']:.3f} ms "
                      f"({per['LIST by name'] / max(per['GET'], 1e-9):.2f}x)")
                url = f"{emulator.url}/apis/serving.knative.dev/v1/namespaces/{ns}/services"
                get = ("raw GET (curl)", [curl, "-sf", "-o", "/dev/null", url])
                table = [get, ("knit service list", [knit, "service", "list", "-n", ns])]
                as_json = [get, ("knit service list -o json",
                                 [knit, "service", "list", "-n", ns, "-o", "json"])]
                if kubectl:
                    table.append(("kubectl get ksvc", [kubectl, "get", "ksvc", "-n", ns]))
                    as_json.append(("kubectl get ksvc -o json",
                                    [kubectl, "get", "ksvc", "-n", ns, "-o", "json"]))
                if kn:
                    table.append(("kn service list",
                                  [kn, "service", "list", "-n", ns, "--config", empty_config]))
                    as_json.append(("kn service list -o json",
                                    [kn, "service", "list", "-n", ns, "-o", "json",
                                     "--config", empty_config]))
                others = ["raw GET (curl)", "kubectl get ksvc", "kn service list"]
                report(f"service list, {n} services ({args.runs} runs)",
                       alternate(table, args.runs, env), "knit service list", others)
                if args.instructions:
                    report_instructions(table, env, "knit service list")
                others = ["raw GET (curl)", "kubectl get ksvc -o json", "kn service list -o json"]
                report(f"service list -o json, {n} services ({args.runs} runs)",
                       alternate(as_json, args.runs, env), "knit service list -o json", others)
                if args.instructions:
                    report_instructions(as_json, env, "knit service list -o json")
        finally:
            emulator.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
