#!/usr/bin/env python3
"""Soak: does the server give back what a long list load takes? Samples resident memory and
thread count of the server while wrk loads a list endpoint, twice, with an idle pause after each.

A leak grows across rounds; a pool that is merely used grows in the first round and is given back
(or stays flat) in the idle pause and the second round.

Usage: benchmarks/soak.py [--server PATH] [--plugins DIR] [--seconds N] [--rounds N] [--idle N]
Defaults: .build/release/catalog-server, ./plugins (./build-plugins.sh), 60 s per round, 2 rounds,
15 s idle. Needs wrk (Debian: apt-get install wrk). Prints one line per sample phase; the figures
depend on the machine: compare rounds of one run, not runs of different machines.
"""
import argparse, os, shutil, socket, subprocess, sys, tempfile, time, json, http.client

PATH = "/api/mcp_catalog/v1alpha1/mcpservers?pageSize=100"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample(pid):
    """Resident memory in MiB and thread count of a process, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["Threads"])


def wait_ready(port):
    for _ in range(600):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/readyz")
            if json.loads(connection.getresponse().read())["components"]["initial_load"]["status"] == "complete":
                return
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.05)
    sys.exit("the server did not become ready")


def watch(pid, seconds, peaks):
    """Samples every 0.5 s for `seconds`; returns the last sample and records peaks."""
    end = time.monotonic() + seconds
    last = sample(pid)
    while time.monotonic() < end:
        time.sleep(0.5)
        last = sample(pid)
        peaks[0] = max(peaks[0], last[0])
        peaks[1] = max(peaks[1], last[1])
    return last


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default=".build/release/catalog-server")
    parser.add_argument("--plugins", default="plugins")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--idle", type=int, default=15)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    work = tempfile.mkdtemp(prefix="catalog-soak-")
    plugins = os.path.join(work, "plugins")
    os.mkdir(plugins, 0o755)
    for name in sorted(os.listdir(options.plugins)):
        if name.endswith(".so"):
            shutil.copyfile(os.path.join(options.plugins, name), os.path.join(plugins, name))
            os.chmod(os.path.join(plugins, name), 0o755)
    port = free_port()
    server = subprocess.Popen(
        [options.server, "--listen", f"127.0.0.1:{port}", "--plugins-dir", plugins, "--state-dir", os.path.join(work, "state"),
         "--probe-cache", os.path.join(work, "probe-cache.json"), "--log-level", "error"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port)
        time.sleep(1)
        rss, threads = sample(server.pid)
        print(f"{'phase':22} {'RSS MiB':>8} {'threads':>8} {'req/s':>9}")
        print(f"{'start':22} {rss:8.1f} {threads:8d} {'':>9}")
        for round in range(1, options.rounds + 1):
            peaks = [0.0, 0]
            load = subprocess.Popen(
                ["wrk", "-t2", "-c32", f"-d{options.seconds}s", f"http://127.0.0.1:{port}{PATH}"],
                stdout=subprocess.PIPE, text=True)
            watch(server.pid, options.seconds, peaks)
            output, _ = load.communicate()
            rate = next((line.split()[1] for line in output.splitlines() if line.startswith("Requests/sec")), "?")
            print(f"{f'round {round}: peak':22} {peaks[0]:8.1f} {peaks[1]:8d} {rate:>9}")
            rss, threads = watch(server.pid, options.idle, [0.0, 0])
            print(f"{f'round {round}: +{options.idle}s idle':22} {rss:8.1f} {threads:8d} {'':>9}")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
