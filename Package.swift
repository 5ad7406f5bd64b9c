// swift-tools-version:6.1
import PackageDescription

extension Target {
    /// A shipped catalog's code: a library that its plugin target and the tests link.
    static func catalog(name: String, path: String) -> Target {
        .target(name: name, dependencies: [.product(name: "CatalogPluginSDK", package: "PluginSDK")], path: path)
    }

    /// A plugin image (`.so`): a catalog's `catalog_plugin_register` export over its library, or
    /// a test fixture. It binds its own symbols first (`-Bsymbolic`), so the copy of the SDK
    /// inside the plugin image never resolves to another image's copy.
    static func pluginImage(name: String, path: String, catalog: String? = nil) -> Target {
        .target(
            name: name,
            dependencies: (catalog.map { [.target(name: $0)] } ?? []) + [.product(name: "CatalogPluginSDK", package: "PluginSDK")],
            path: path, linkerSettings: [.unsafeFlags(["-Xlinker", "-Bsymbolic"])])
    }
}

let package = Package(
    name: "catalog-server",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "catalog-server", targets: ["catalog-server"]),
        .library(name: "CatalogServer", targets: ["CatalogServer"]),
        // Shipped catalogs: each one is its own loadable `.so` (see build-plugins.sh).
        .library(name: "ModelCatalog", type: .dynamic, targets: ["ModelCatalogPlugin"]),
        .library(name: "McpCatalog", type: .dynamic, targets: ["McpCatalogPlugin"]),
        .library(name: "AgentsCatalog", type: .dynamic, targets: ["AgentsCatalogPlugin"]),
        .library(name: "KnowledgeCatalog", type: .dynamic, targets: ["KnowledgeCatalogPlugin"]),
        // A broken plugin the tests need built as real Swift: it calls fatalError in init.
        .library(name: "FixtureFatalErrorPlugin", type: .dynamic, targets: ["FixtureFatalErrorPlugin"]),
    ],
    dependencies: [
        // The plugin SDK, a package of its own (PluginSDK/Package.swift).
        .package(path: "PluginSDK"),
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
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // The host: loader, registry, configuration, lifecycle and HTTP.
        .target(
            name: "CatalogServer",
            dependencies: [
                .product(name: "CCatalogPlugin", package: "PluginSDK"),
                .product(name: "CatalogJSON", package: "PluginSDK"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            // Compiled into the binary: served at /openapi.yaml and /console/ with no files beside it.
            resources: [
                .embedInCode("Resources/openapi.yaml"),
                .embedInCode("Resources/capabilities-v2.schema.json"),  // a link to PluginSDK's published schema
                .embedInCode("Resources/console/index.html"),
                .embedInCode("Resources/console/console.js"),
                .embedInCode("Resources/console/console.css"),
            ]
        ),
        .executableTarget(
            name: "catalog-server",
            dependencies: [
                "CatalogServer",
                .product(name: "CatalogJSON", package: "PluginSDK"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Defaults")]
        ),
        .catalog(name: "ModelCatalog", path: "Sources/Catalogs/Model"),
        .catalog(name: "McpCatalog", path: "Sources/Catalogs/MCP"),
        .catalog(name: "AgentsCatalog", path: "Sources/Catalogs/Agents"),
        .catalog(name: "KnowledgeCatalog", path: "Sources/Catalogs/Knowledge"),
        .pluginImage(name: "ModelCatalogPlugin", path: "Sources/CatalogPlugins/Model", catalog: "ModelCatalog"),
        .pluginImage(name: "McpCatalogPlugin", path: "Sources/CatalogPlugins/MCP", catalog: "McpCatalog"),
        .pluginImage(name: "AgentsCatalogPlugin", path: "Sources/CatalogPlugins/Agents", catalog: "AgentsCatalog"),
        .pluginImage(name: "KnowledgeCatalogPlugin", path: "Sources/CatalogPlugins/Knowledge", catalog: "KnowledgeCatalog"),
        // A broken plugin the tests need built as real Swift: it calls fatalError in init.
        .pluginImage(name: "FixtureFatalErrorPlugin", path: "Tests/Fixtures/FatalErrorPlugin"),
        // The shipped catalogs' own unit tests, in this process through CatalogPluginSDKTesting.
        .testTarget(
            name: "CatalogsTests",
            dependencies: [
                "ModelCatalog", "McpCatalog", "AgentsCatalog", "KnowledgeCatalog",
                .product(name: "CatalogPluginSDKTesting", package: "PluginSDK"),
                .product(name: "CatalogPluginSDK", package: "PluginSDK"),
                .product(name: "CatalogJSON", package: "PluginSDK"),
            ]
        ),
        // The SDK's query engine on its own.
        .testTarget(
            name: "CatalogPluginSDKTests",
            dependencies: [
                .product(name: "CatalogPluginSDK", package: "PluginSDK"), .product(name: "CatalogJSON", package: "PluginSDK"),
                // The reference the YAML reader is compared with: Yams' node tree.
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // What the host and command-line tests share: a server in this process or as a child,
        // plugin fixtures, raw connections, paths.
        .target(
            name: "CatalogTestSupport",
            dependencies: [
                "CatalogServer",
                .product(name: "CatalogJSON", package: "PluginSDK"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Support"
        ),
        // The command line: options, help, start-up and shutdown of the real binary.
        .testTarget(
            name: "CatalogServerCLITests",
            dependencies: ["CatalogTestSupport", "CatalogServer", .product(name: "CatalogJSON", package: "PluginSDK")]
        ),
        // The host and the shipped catalogs, end to end over loopback.
        .testTarget(
            name: "CatalogServerTests",
            dependencies: [
                "CatalogTestSupport",
                "CatalogServer",
                .product(name: "CatalogJSON", package: "PluginSDK"),
                .product(name: "CatalogPluginSDK", package: "PluginSDK"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
