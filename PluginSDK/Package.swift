// swift-tools-version:6.1
import PackageDescription

/// The catalog plugin SDK on its own: the C header of the plugin ABI, the Swift SDK that plugin
/// authors depend on, and its testing module. It depends on Yams alone, so a plugin package
/// resolves nothing of the server's.
///
/// In a plugin's Package.swift:
///
/// ```swift
/// .package(path: "../catalog-server/PluginSDK"),   // or .package(url: …, from: "0.6.0")
/// …
/// .target(name: "MyCatalog", dependencies: [.product(name: "CatalogPluginSDK", package: "PluginSDK")])
/// ```
let package = Package(
    name: "PluginSDK",
    products: [
        .library(name: "CatalogPluginSDK", targets: ["CatalogPluginSDK"]),
        .library(name: "CatalogPluginSDKTesting", targets: ["CatalogPluginSDKTesting"]),
        // The host builds on these two as well.
        .library(name: "CCatalogPlugin", targets: ["CCatalogPlugin"]),
        .library(name: "CatalogJSON", targets: ["CatalogJSON"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2")
    ],
    targets: [
        // The ABI: one C header, the only contract between host and plugins.
        .target(name: "CCatalogPlugin", path: "include", publicHeadersPath: "."),
        // JSON values and YAML decoding shared by the host and the SDK (each image links its own copy).
        .target(name: "CatalogJSON", dependencies: [.product(name: "Yams", package: "Yams")]),
        // The Swift SDK plugin authors depend on.
        .target(name: "CatalogPluginSDK", dependencies: ["CCatalogPlugin", "CatalogJSON"]),
        // Runs a plugin in the test's process: no .so, no server.
        .target(name: "CatalogPluginSDKTesting", dependencies: ["CatalogPluginSDK", "CatalogJSON", "CCatalogPlugin"]),
    ]
)
