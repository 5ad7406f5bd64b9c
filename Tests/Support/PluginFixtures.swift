import Foundation

/// Builds plugin files for the tests: the shipped plugins and the broken fixtures of
/// `Tests/Fixtures`, compiled with `cc` into a directory of the test's own.
struct PluginFixtures {
    /// The plugin directory the server under test scans.
    let directory: URL
    /// Scratch space for things that must not be in the plugin directory.
    let scratch: URL

    init(_ label: String) throws {
        directory = try TestPaths.temporaryDirectory(label)
        scratch = try TestPaths.temporaryDirectory(label + "-scratch")
    }

    private static let header = TestPaths.packageRoot.appendingPathComponent("PluginSDK/include").path
    private static let fixtureSource = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/fixture_plugin.c").path
    private static let hostileSource = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/hostile_plugin.c").path

    /// The shipped Swift catalogs, file name → SwiftPM product.
    static let shippedCatalogs = ["model.so": "ModelCatalog", "mcp.so": "McpCatalog", "agents.so": "AgentsCatalog", "knowledge.so": "KnowledgeCatalog"]

    /// All four shipped Swift catalogs (those not added yet).
    func addShippedCatalogs() async throws {
        for (file, product) in Self.shippedCatalogs
        where !FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) {
            try await addSwiftPlugin(product, as: file)
        }
    }

    /// The shipped Swift knowledge plugin.
    func addKnowledgePlugin() async throws {
        try await addSwiftPlugin("KnowledgeCatalog", as: "knowledge.so")
    }

    /// A shipped Swift plugin, as `swift test` built it.
    func addSwiftPlugin(_ productName: String, as name: String) async throws {
        let product = TestPaths.buildProducts.appendingPathComponent("lib\(productName).so")
        guard FileManager.default.fileExists(atPath: product.path) else {
            throw CommandFailure(description: "\(product.path) was not built; run the tests with `swift test`")
        }
        try FileManager.default.copyItem(at: product, to: directory.appendingPathComponent(name))
    }

    /// The shipped C plugin, compiled as build-plugins.sh does.
    func addHelloPlugin(as name: String = "hello-c.so") async throws {
        try await compile(
            [TestPaths.packageRoot.appendingPathComponent("Sources/Catalogs/HelloC/hello_plugin.c").path],
            into: directory.appendingPathComponent(name))
    }

    /// A fixture variant of `Tests/Fixtures/fixture_plugin.c`, e.g. `["-DFIXTURE_INIT_FAILS"]`.
    func addFixture(_ name: String, defines: [String] = [], extra: [String] = []) async throws {
        try await compile(defines + [Self.fixtureSource] + extra, into: directory.appendingPathComponent(name))
    }

    /// `Tests/Fixtures/target_1_0_plugin.c`: today's header with `CATALOG_TARGET_ABI_MINOR 0`.
    func addTargetingABI10(_ name: String, defines: [String] = []) async throws {
        let source = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/target_1_0_plugin.c").path
        try await compile(defines + [source], into: directory.appendingPathComponent(name))
    }

    /// A variant of `Tests/Fixtures/hostile_plugin.c`, e.g. `["-DHOSTILE_HEALTH_BLOCKS"]`.
    func addHostile(_ name: String, defines: [String] = []) async throws {
        try await compile(defines + [Self.hostileSource, "-lpthread"], into: directory.appendingPathComponent(name))
    }

    /// A fixture that needs a shared library the loader cannot find.
    func addFixtureWithMissingDependency(_ name: String) async throws {
        let dependency = scratch.appendingPathComponent("libcatalog_fixture_dependency.so")
        try await compile(
            [TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/fixture_dependency.c").path], into: dependency)
        try await addFixture(
            name, defines: ["-DFIXTURE_NAME=\"needs-dependency\"", "-DFIXTURE_NEEDS_DEPENDENCY"],
            extra: ["-L", scratch.path, "-lcatalog_fixture_dependency"])
    }

    /// A file named like a plugin that is not a shared object at all.
    func addNotAnELFFile(_ name: String) async throws {
        try Data("this is not a shared object\n".utf8).write(to: directory.appendingPathComponent(name))
    }

    private func compile(_ arguments: [String], into output: URL) async throws {
        let result = try await runCommand(
            ["cc", "-std=c11", "-Wall", "-Werror", "-fPIC", "-shared", "-I", Self.header] + arguments + ["-o", output.path])
        guard result.status == 0 else {
            throw CommandFailure(description: "cc failed for \(output.lastPathComponent):\n\(result.output)")
        }
    }
}
