#!/usr/bin/env bash
# Drives the built-in console (/console/) in headless Chromium against the real server: every
# shipped plugin plus a broken .so, an admin token, and a knowledge source with hostile strings.
# Needs a built package (swift build and the plugins, as Tests/Contract/run.sh), Debian's
# `chromium` and `chromium-driver`, and a python with selenium in $PYTHON (default python3).
#
#   Tests/Browser/run.sh
#
# Environment:
#   PYTHON               python with selenium (default python3)
#   CONSOLE_SCREENSHOTS  where the PNG of each step goes (default: a temporary directory, printed)
#   CONSOLE_BASE_URL     test a server that is already running there; nothing is started
#   CATALOG_BIN_DIR      where catalog-server and the lib*Catalog.so are (default: swift build --show-bin-path)
#   CATALOG_PLUGINS_DIR  take the plugin .so files from this directory instead of CATALOG_BIN_DIR
#   CONSOLE_PORT         the server's port (default: a free one)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"

if [[ -n "${CONSOLE_BASE_URL:-}" ]]; then
    exec "$python" "$here/console_test.py"
fi

bin="${CATALOG_BIN_DIR:-$(cd "$root" && swift build --show-bin-path)}"
[[ -x "$bin/catalog-server" ]] || { echo "run.sh: no catalog-server in $bin (swift build first)" >&2; exit 2; }

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The plugins: the shipped ones, and one broken file.
mkdir -m 0755 "$work/plugins"
if [[ -n "${CATALOG_PLUGINS_DIR:-}" ]]; then
    for so in "$CATALOG_PLUGINS_DIR"/*.so; do
        [[ "$(basename "$so")" == broken.so ]] || install -m 0755 "$so" "$work/plugins/"
    done
else
    for entry in ModelCatalog:model McpCatalog:mcp AgentsCatalog:agents KnowledgeCatalog:knowledge; do
        install -m 0755 "$bin/lib${entry%%:*}.so" "$work/plugins/${entry##*:}.so"
    done
    "${CC:-cc}" -std=c11 -O2 -fPIC -shared -I "$root/PluginSDK/include" \
        "$root/Sources/Catalogs/HelloC/hello_plugin.c" -o "$work/plugins/hello-c.so"
fi
printf 'not a plugin' > "$work/plugins/broken.so"
chmod 0755 "$work/plugins/broken.so"

# Management writes need this admin token: the test sees the 401 first, then enters it.
token="console-test-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s admin\n' "$token" > "$work/tokens"
chmod 0600 "$work/tokens"

# The development configuration plus a knowledge source whose strings are markup.
cat > "$work/hostile.yaml" <<'YAML'
knowledgesources:
  - name: zz-hostile-entry
    description: "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script> & <b>not bold</b>"
    sourceType: document
    location: "javascript:alert(1)"
    provider: "<i>Evil</i> \"Corp\""
    status: active
    documentCount: 1
YAML
cat > "$work/extra-sources.yaml" <<'YAML'
catalogs:
  knowledge:
    sources:
      - id: console-test-hostile
        name: "<b>Hostile</b> strings"
        type: yaml
        labels: ["<script>label</script>"]
        properties:
          yamlCatalogPath: hostile.yaml
YAML

free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="${CONSOLE_PORT:-$(free_port)}"
(cd "$work" && exec "$bin/catalog-server" --listen "127.0.0.1:$port" --plugins-dir "$work/plugins" \
    --sources "$root/Sources/catalog-server/Defaults/sources.yaml" --sources "$work/extra-sources.yaml" \
    --state-dir "$work/state" --auth-tokens "$work/tokens" --no-probe --reconcile-interval 0 --log-level warning) \
    2> "$work/server.log" &
pids+=($!)
for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 || { echo "run.sh: the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }

base="http://127.0.0.1:$port"
if ! curl -fs "$base/console/" >/dev/null 2>&1; then
    echo "run.sh: $base/console/ is not served: this catalog-server binary has no console (rebuild it)" >&2
    exit 1
fi

status=0
CONSOLE_BASE_URL="$base" CONSOLE_ADMIN_TOKEN="$token" CONSOLE_BROKEN_FILE=broken.so \
    "$python" "$here/console_test.py" || status=$?
if [[ $status -ne 0 ]]; then
    echo "run.sh: server log:" >&2
    tail -n 40 "$work/server.log" >&2
fi
exit $status
