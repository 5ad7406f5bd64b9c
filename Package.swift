// swift-tools-version:6.1
import PackageDescription

/// Shipped plugins bind their own symbols first (`-Bsymbolic`), so the copy of the SDK inside
/// a plugin image never resolves to another image's copy.
let pluginLinkerSettings: [LinkerSetting] = [.unsafeFlags(["-Xlinker", "-Bsymbolic"])]

let package = Package(
    name: "catalog-server",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "catalog-server", targets: ["catalog-server"]),
        .library(name: "CatalogServer", targets: ["CatalogServer"]),
        .library(name: "CatalogPluginSDK", targets: ["CatalogPluginSDK"]),
        // Shipped catalogs: each one is its own loadable `.so` (see build-plugins.sh).
        .library(name: "KnowledgeCatalog", type: .dynamic, targets: ["KnowledgeCatalog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
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
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
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
        .target(
            name: "KnowledgeCatalog",
            dependencies: ["CatalogPluginSDK"],
            path: "Sources/Catalogs/Knowledge",
            linkerSettings: pluginLinkerSettings
        ),
        .testTarget(
            name: "CatalogServerTests",
            dependencies: [
                "CatalogServer",
                "CatalogJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
