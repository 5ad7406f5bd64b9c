#!/usr/bin/env python3
"""Measures what trust and isolation cost, as ratios against a baseline of the same run.

1. Per request: the C `hello` plugin loaded in-process (baseline) against the same plugin in a
   worker process (`isolation: process`), over one keep-alive connection on loopback.
2. At start-up: time until /readyz reports the initial load complete, with --no-probe
   (baseline), probing with an empty cache, and probing with a warm cache.

Usage: benchmarks/isolation_cost.py [--server PATH] [--plugins DIR] [--requests N]
Defaults: .build/release/catalog-server and ./plugins (run ./build-plugins.sh first).
Machines here are shared and noisy: read the ratios, not the absolute numbers.
"""
import argparse, http.client, json, os, socket, statistics, subprocess, tempfile, time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(server, plugins, sources, extra, cache):
    port = free_port()
    args = [server, "--listen", f"127.0.0.1:{port}", "--plugins-dir", plugins, "--sources", sources,
            "--probe-cache", cache, "--log-level", "error"] + extra
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/readyz")
            body = json.loads(connection.getresponse().read())
            if body["components"]["initial_load"]["status"] == "complete":
                return process, port, time.perf_counter() - started
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.005)


def latencies(port, path, count):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    samples = []
    for _ in range(count):
        began = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status
        samples.append(time.perf_counter() - began)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default=".build/release/catalog-server")
    parser.add_argument("--plugins", default="plugins")
    parser.add_argument("--requests", type=int, default=3000)
    options = parser.parse_args()

    work = tempfile.mkdtemp(prefix="catalog-bench-")
    plugins = os.path.join(work, "plugins")
    os.mkdir(plugins, 0o755)
    for name in sorted(os.listdir(options.plugins)):
        if name.endswith(".so"):
            with open(os.path.join(options.plugins, name), "rb") as source, open(os.path.join(plugins, name), "wb") as target:
                target.write(source.read())
    in_process = os.path.join(work, "in-process.yaml")
    isolated = os.path.join(work, "isolated.yaml")
    open(in_process, "w").write("catalogs: {}\n")
    open(isolated, "w").write("plugins:\n  hello: {isolation: process}\n")
    cache = os.path.join(work, "probe-cache.json")
    path = "/api/hello_catalog/v1/greetings/bench"

    results = {}
    for label, sources in (("in-process", in_process), ("process", isolated)):
        process, port, _ = start(options.server, plugins, sources, [], cache)
        try:
            latencies(port, path, options.requests // 10)  # warm up
            results[label] = latencies(port, path, options.requests)
        finally:
            process.terminate()
            process.wait()
    base = statistics.median(results["in-process"])
    print(f"per request ({options.requests} sequential keep-alive GETs to the C hello plugin):")
    for label, samples in results.items():
        median, p99 = statistics.median(samples), sorted(samples)[int(len(samples) * 0.99)]
        print(f"  {label:10}  median {median * 1e6:8.1f} us  p99 {p99 * 1e6:8.1f} us  ratio {median / base:5.2f}x")

    startups = {}
    for label, extra in (("no probe", ["--no-probe"]), ("cold probe", ["--clear-probe-cache"]), ("warm probe", [])):
        process, _, seconds = start(options.server, plugins, in_process, extra, cache)
        process.terminate()
        process.wait()
        startups[label] = seconds
    count = len([n for n in os.listdir(plugins) if n.endswith(".so")])
    print(f"start-up until the initial load is complete ({count} plugin files):")
    for label, seconds in startups.items():
        print(f"  {label:10}  {seconds * 1000:8.1f} ms  ratio {seconds / startups['no probe']:5.2f}x")


if __name__ == "__main__":
    main()
