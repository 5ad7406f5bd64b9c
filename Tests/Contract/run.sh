#!/usr/bin/env bash
# Fuzzes the model and MCP catalogs' Kubeflow-contract routes with schemathesis against upstream's
# catalog-openapi.yaml: no 5xx, documented status codes and content types, responses that match
# the schemas. Needs a built package (swift build) and schemathesis on PATH or in $SCHEMATHESIS.
#
#   Tests/Contract/run.sh [SECONDS]      (default 60)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
contract="$root/../shared/reference/upstream/catalog-openapi.yaml"
schemathesis="${SCHEMATHESIS:-schemathesis}"
seconds="${1:-60}"
bin="$(cd "$root" && swift build --show-bin-path)"

work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -m 0755 "$work/plugins"
install -m 0755 "$bin/libMcpCatalog.so" "$work/plugins/mcp.so"
install -m 0755 "$bin/libModelCatalog.so" "$work/plugins/model.so"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$bin/catalog-server" --listen "127.0.0.1:$port" --plugins-dir "$work/plugins" --sources "$here/sources.yaml" \
    --state-dir "$work/state" --no-probe --reconcile-interval 0 --log-level warning &
server=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done

cd "$here"
"$schemathesis" --config-file "$here/schemathesis.toml" run "$contract" --url "http://127.0.0.1:$port" \
    --include-path-regex '^/api/(mcp|model)_catalog/' \
    --phases examples,coverage,fuzzing --max-time "$seconds" --seed 1
