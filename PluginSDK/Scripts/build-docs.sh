#!/usr/bin/env bash
# Builds the SDK's DocC documentation (CatalogPluginSDK and CatalogPluginSDKTesting) into
# DIR (default .build/docs) with the toolchain's docc, and fails on any DocC warning.
#
#   PluginSDK/Scripts/build-docs.sh [DIR]
set -euo pipefail
sdk="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$sdk/.build/docs}"
mkdir -p "$out"
# Symbol graphs of every module, public symbols only (SwiftPM writes them under .build).
(cd "$sdk" && swift package dump-symbol-graph --minimum-access-level public >/dev/null)
graphs="$(find "$sdk/.build" -type d -name symbolgraph | head -1)"
docc="$(command -v docc || echo "$(dirname "$(readlink -f "$(command -v swift)")")/docc")"
status=0
for module in CatalogPluginSDK CatalogPluginSDKTesting; do
    module_graphs="$(mktemp -d)"
    cp "$graphs/$module".symbols.json "$module_graphs/"
    log="$(mktemp)"
    "$docc" convert "$sdk/Sources/$module/$module.docc" --additional-symbol-graph-dir "$module_graphs" \
        --fallback-display-name "$module" --fallback-bundle-identifier "catalog-server.$module" \
        --output-dir "$out/$module.doccarchive" --analyze >"$log" 2>&1 || status=1
    if grep -q "warning:" "$log"; then
        grep -A3 "warning:" "$log" >&2
        status=1
    fi
    echo "build-docs: $module -> $out/$module.doccarchive"
done
exit $status
