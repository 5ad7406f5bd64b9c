// swift-tools-version:6.1
import PackageDescription

// A catalog plugin as a third party writes it: its own package, depending on the plugin SDK
// alone. Copied out of the catalog-server repository, point the path at your checkout's
// PluginSDK (the package's identity is the folder's name, "PluginSDK"), or, once the SDK is
// published, use its git URL: .package(url: "https://…/PluginSDK.git", from: "0.6.0").
let package = Package(
    name: "tools-catalog",
    products: [
        // The .so the server loads: build with `swift build -c release`, then copy
        // .build/release/libToolsCatalog.so into the server's plugin directory.
        .library(name: "ToolsCatalog", type: .dynamic, targets: ["ToolsCatalog"])
    ],
    dependencies: [
        .package(path: "../..")
    ],
    targets: [
        .target(
            name: "ToolsCatalog",
            dependencies: [.product(name: "CatalogPluginSDK", package: "PluginSDK")],
            // Bind the plugin's own copy of the SDK first, never another image's.
            linkerSettings: [.unsafeFlags(["-Xlinker", "-Bsymbolic"])]
        ),
        .testTarget(
            name: "ToolsCatalogTests",
            dependencies: ["ToolsCatalog", .product(name: "CatalogPluginSDKTesting", package: "PluginSDK")]
        ),
    ]
)
