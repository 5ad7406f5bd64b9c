#!/usr/bin/env bash
# Builds the plugin author's templates as a third party would: copied out of the repository,
# each from its own directory, the Swift one depending on PluginSDK alone (and unit-tested with
# CatalogPluginSDKTesting), the C one with its Makefile; then loads both into the server (probe
# on, as an operator runs it) and calls their routes. Needs a built package (swift build).
#
#   Tests/Examples/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$(cd "$root" && swift build --show-bin-path)"

work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "examples: $*" >&2; exit 1; }

# The Swift template, outside the repository, pointing at this checkout's SDK.
cp -R "$root/PluginSDK/Examples/SwiftCatalog" "$work/tools-catalog"
sed -i "s|.package(path: \"../..\")|.package(path: \"$root/PluginSDK\")|" "$work/tools-catalog/Package.swift"
(cd "$work/tools-catalog" && swift build -c release && swift test)
resolved="$(ls "$work/tools-catalog/.build/checkouts")"
[ "$resolved" = "Yams" ] || fail "a plugin package should resolve only the SDK's dependency (Yams), resolved: $resolved"

# The C template, with its Makefile.
cp -R "$root/PluginSDK/Examples/CCatalog" "$work/quotes"
make -C "$work/quotes" HEADER_DIR="$root/PluginSDK/include"

mkdir -m 0755 "$work/plugins"
install -m 0755 "$work/tools-catalog/.build/release/libToolsCatalog.so" "$work/plugins/tools.so"
install -m 0755 "$work/quotes/quotes.so" "$work/plugins/quotes.so"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
"$bin/catalog-server" --listen "127.0.0.1:$port" --plugins-dir "$work/plugins" --sources "$work/tools-catalog/sources.yaml" \
    --state-dir "$work/state" --probe-cache "$work/probe-cache.json" --reconcile-interval 0 --log-level warning &
server=$!
for _ in $(seq 1 150); do curl -fs "$base/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

ready="$(curl -fs "$base/readyz")" || fail "the server did not become ready"
[ "$(echo "$ready" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" = ready ] || fail "not ready: $ready"
curl -fs "$base/api/plugins" | python3 -c '
import json, sys
plugins = {p["name"]: p for p in json.load(sys.stdin)["plugins"]}
assert sorted(plugins) == ["quotes", "tools"], plugins
assert plugins["quotes"]["abiVersion"] == "1.0", plugins["quotes"]
assert plugins["tools"]["swiftVersion"], plugins["tools"]
'
curl -fs "$base/api/tools_catalog/v1alpha1/tools?orderBy=timeoutSeconds" | python3 -c '
import json, sys
page = json.load(sys.stdin)
assert [t["name"] for t in page["items"]] == ["web-search", "sql-query", "run-python"], page'
curl -fs "$base/api/quotes_catalog/v1/quotes/2" | python3 -c '
import json, sys
assert json.load(sys.stdin)["quote"].startswith("Make it work"), "quote"'
echo "examples: the Swift and C templates built outside the repository, loaded and served"
