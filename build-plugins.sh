#!/usr/bin/env bash
# Builds every shipped catalog plugin as a loadable .so into DIR (default: ./plugins).
#
#   ./build-plugins.sh [DIR]
#
# Environment: CONFIGURATION=release|debug (default release), CC (default cc).
set -euo pipefail

cd "$(dirname "$0")"
out_dir="${1:-plugins}"
configuration="${CONFIGURATION:-release}"
cc_command="${CC:-cc}"

# Swift plugins: "<SwiftPM product>:<file name in the plugin directory>".
swift_plugins=(
    "ModelCatalog:model"
    "McpCatalog:mcp"
    "AgentsCatalog:agents"
    "KnowledgeCatalog:knowledge"
)
# C plugins: "<source file>:<file name in the plugin directory>".
c_plugins=(
    "Sources/Catalogs/HelloC/hello_plugin.c:hello-c"
)

mkdir -p "$out_dir"
bin_path="$(swift build -c "$configuration" --show-bin-path)"

for entry in "${swift_plugins[@]}"; do
    product="${entry%%:*}"
    name="${entry##*:}"
    echo "build-plugins: building Swift plugin $product ($configuration)"
    swift build -c "$configuration" --product "$product"
    install -m 0755 "$bin_path/lib$product.so" "$out_dir/$name.so"
done

for entry in "${c_plugins[@]}"; do
    source="${entry%%:*}"
    name="${entry##*:}"
    echo "build-plugins: compiling C plugin $source"
    "$cc_command" -std=c11 -O2 -Wall -Wextra -Werror -fPIC -shared -I PluginSDK/include "$source" -o "$out_dir/$name.so"
done

echo "build-plugins: $(( ${#swift_plugins[@]} + ${#c_plugins[@]} )) plugin(s) in $out_dir:"
ls -l "$out_dir"/*.so
