// swift-tools-version:6.1
import PackageDescription

extension Target {
    /// A shipped catalog plugin. It binds its own symbols first (`-Bsymbolic`), so the copy of
    /// the SDK inside the plugin image never resolves to another image's copy.
    static func catalogPlugin(name: String, path: String) -> Target {
        .target(
            name: name, dependencies: ["CatalogPluginSDK"], path: path,
            linkerSettings: [.unsafeFlags(["-Xlinker", "-Bsymbolic"])])
    }
}

let package = Package(
    name: "catalog-server",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "catalog-server", targets: ["catalog-server"]),
        .library(name: "CatalogServer", targets: ["CatalogServer"]),
        .library(name: "CatalogPluginSDK", targets: ["CatalogPluginSDK"]),
        // Shipped catalogs: each one is its own loadable `.so` (see build-plugins.sh).
        .library(name: "ModelCatalog", type: .dynamic, targets: ["ModelCatalog"]),
        .library(name: "McpCatalog", type: .dynamic, targets: ["McpCatalog"]),
        .library(name: "AgentsCatalog", type: .dynamic, targets: ["AgentsCatalog"]),
        .library(name: "KnowledgeCatalog", type: .dynamic, targets: ["KnowledgeCatalog"]),
        // A broken plugin the tests need built as real Swift: it calls fatalError in init.
        .library(name: "FixtureFatalErrorPlugin", type: .dynamic, targets: ["FixtureFatalErrorPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // The ABI: one C header, the only contract between host and plugins.
        .target(
            name: "CCatalogPlugin",
            path: "PluginSDK",
            exclude: ["Sources"],
            publicHeadersPath: "include"
        ),
        // JSON values and YAML decoding shared by the host and the SDK (each image links its own copy).
        .target(
            name: "CatalogJSON",
            dependencies: [.product(name: "Yams", package: "Yams")],
            path: "PluginSDK/Sources/CatalogJSON"
        ),
        // The Swift SDK that plugin authors depend on.
        .target(
            name: "CatalogPluginSDK",
            dependencies: ["CCatalogPlugin", "CatalogJSON"],
            path: "PluginSDK/Sources/CatalogPluginSDK"
        ),
        // The host: loader, registry, configuration, lifecycle and HTTP.
        .target(
            name: "CatalogServer",
            dependencies: [
                "CCatalogPlugin",
                "CatalogJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // Compiled into the binary: served at /openapi.yaml and /console/ with no files beside it.
            resources: [
                .embedInCode("Resources/openapi.yaml"),
                .embedInCode("Resources/console/index.html"),
                .embedInCode("Resources/console/console.js"),
                .embedInCode("Resources/console/console.css"),
            ]
        ),
        .executableTarget(
            name: "catalog-server",
            dependencies: [
                "CatalogServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Defaults")]
        ),
        .catalogPlugin(name: "ModelCatalog", path: "Sources/Catalogs/Model"),
        .catalogPlugin(name: "McpCatalog", path: "Sources/Catalogs/MCP"),
        .catalogPlugin(name: "AgentsCatalog", path: "Sources/Catalogs/Agents"),
        .catalogPlugin(name: "KnowledgeCatalog", path: "Sources/Catalogs/Knowledge"),
        .catalogPlugin(name: "FixtureFatalErrorPlugin", path: "Tests/Fixtures/FatalErrorPlugin"),
        // The SDK's query engine on its own.
        .testTarget(
            name: "CatalogPluginSDKTests",
            dependencies: ["CatalogPluginSDK", "CatalogJSON"]
        ),
        // What the host and command-line tests share: a server in this process or as a child,
        // plugin fixtures, raw connections, paths.
        .target(
            name: "CatalogTestSupport",
            dependencies: [
                "CatalogServer",
                "CatalogJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Support"
        ),
        // The command line: options, help, start-up and shutdown of the real binary.
        .testTarget(
            name: "CatalogServerCLITests",
            dependencies: ["CatalogTestSupport", "CatalogServer", "CatalogJSON"]
        ),
        // The host and the shipped catalogs, end to end over loopback.
        .testTarget(
            name: "CatalogServerTests",
            dependencies: [
                "CatalogTestSupport",
                "CatalogServer",
                "CatalogJSON",
                "CatalogPluginSDK",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
