#!/usr/bin/env bash
# Fuzzes catalog-server's own endpoints (framework, console, management API, the agents and
# knowledge catalogs, our extensions of the MCP and model catalogs, the C hello plugin) with
# schemathesis against the server's OpenAPI document: no 5xx, documented status codes, content
# types and response headers, responses that match the schemas. The Kubeflow contract's routes
# are fuzzed by Tests/Contract/run.sh.
#
#   Tests/OpenAPI/run.sh [SECONDS [DOCUMENT]]      (default 60, and the document file below)
#
# DOCUMENT (or $OPENAPI_DOCUMENT) is a file, a URL, or `served` for the started server's own
# /openapi.yaml; default: Sources/CatalogServer/Resources/openapi.yaml.
#
# The server runs with every shipped plugin (model, mcp, agents, knowledge, hello-c) on its
# embedded development configuration (no --sources: it is the one configuration with sources for
# all four catalogs, and the document's examples name its entities), with a fresh state directory
# in a temporary directory, so management writes change nothing outside it.
#
# Environment:
#   CATALOG_BIN_DIR      directory holding the catalog-server binary (and, for a SwiftPM build,
#                        lib{Model,Mcp,Agents,Knowledge}Catalog.so); default: `swift build --show-bin-path`
#   CATALOG_PLUGINS_DIR  directory holding model.so, mcp.so, agents.so, knowledge.so and hello-c.so
#                        (as build-plugins.sh writes them); default: $CATALOG_BIN_DIR/plugins when
#                        it exists, else the SwiftPM products of $CATALOG_BIN_DIR, with hello-c.so
#                        compiled from Sources/Catalogs/HelloC by cc
#   OPENAPI_DOCUMENT     the document, when not given as the second argument
#   SCHEMATHESIS         the schemathesis command (4.x); default: schemathesis on PATH
#   SCHEMATHESIS_ARGS    more arguments for `schemathesis run` (e.g. --report junit)
#   OPENAPI_PORT         the port the server listens on; default: a free one
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
schemathesis="${SCHEMATHESIS:-schemathesis}"
seconds="${1:-60}"
case "$seconds" in
    '' | *[!0-9]*) echo "usage: Tests/OpenAPI/run.sh [SECONDS [DOCUMENT]]  (see the comment at the top)" >&2; exit 2 ;;
esac
document="${2:-${OPENAPI_DOCUMENT:-$root/Sources/CatalogServer/Resources/openapi.yaml}}"
bin="${CATALOG_BIN_DIR:-$(cd "$root" && swift build --show-bin-path)}"
bin="$(cd "$bin" && pwd)"

work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
mkdir -m 0755 "$work/plugins"

# The five shipped plugins, "<file in the plugin directory>:<SwiftPM product>".
plugins_dir="${CATALOG_PLUGINS_DIR:-}"
[ -z "$plugins_dir" ] && [ -d "$bin/plugins" ] && plugins_dir="$bin/plugins"
for entry in model:ModelCatalog mcp:McpCatalog agents:AgentsCatalog knowledge:KnowledgeCatalog hello-c:; do
    name="${entry%%:*}"
    product="${entry##*:}"
    if [ -n "$plugins_dir" ]; then
        install -m 0755 "$plugins_dir/$name.so" "$work/plugins/$name.so"
    elif [ -n "$product" ]; then
        install -m 0755 "$bin/lib$product.so" "$work/plugins/$name.so"
    else
        "${CC:-cc}" -std=c11 -O2 -fPIC -shared -I "$root/PluginSDK/include" \
            "$root/Sources/Catalogs/HelloC/hello_plugin.c" -o "$work/plugins/$name.so"
    fi
done

port="${OPENAPI_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
base="http://127.0.0.1:$port"
# The binary runs where it lies: it finds its embedded configuration beside itself. The
# server's own environment variables are cleared so that nothing but these flags configures it.
env -u CATALOG_SOURCES -u CATALOG_PLUGINS_DIR -u CATALOG_STATE_DIR -u CATALOG_AUTH_TOKENS -u CATALOG_LISTEN \
    "$bin/catalog-server" --listen "127.0.0.1:$port" --plugins-dir "$work/plugins" --state-dir "$work/state" \
    --no-probe --reconcile-interval 0 --log-level warning &
server=$!
ready=""
for _ in $(seq 1 150); do
    if curl -fs "$base/readyz" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.2
done
if [ -z "$ready" ]; then
    echo "run.sh: the server did not become ready on $base" >&2
    curl -s "$base/readyz" >&2 || true
    exit 1
fi
plugins="$(curl -fs "$base/api/plugins" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(sorted(p["name"] for p in d["plugins"] if p["healthy"])))')"
if [ "$plugins" != "agents hello knowledge mcp model" ]; then
    echo "run.sh: expected the five shipped plugins to serve, got: $plugins" >&2
    exit 1
fi

[ "$document" = served ] && document="$base/openapi.yaml"
# A server built before /openapi.yaml and the console existed: fuzz the rest.
exclude=()
if [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/openapi.yaml")" = 404 ]; then
    echo "run.sh: this server does not serve /openapi.yaml or /console yet; leaving those paths out" >&2
    exclude=(--exclude-path-regex '^/(openapi\.yaml|console)')
fi

cd "$work"
# shellcheck disable=SC2086
"$schemathesis" --config-file "$here/schemathesis.toml" run "$document" --url "$base" \
    "${exclude[@]}" --phases examples,coverage,fuzzing --max-time "$seconds" --seed 1 \
    --generation-database none ${SCHEMATHESIS_ARGS:-}
