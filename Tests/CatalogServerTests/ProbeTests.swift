import CatalogJSON
import CatalogPluginSDK
import CatalogServer
import Foundation
import Logging
import Testing
@testable import CatalogTestSupport

/// Plugins that crash or hang while loading are caught by the probe child, never the server.
@Suite("Load probe")
struct ProbeTests {
    static func probeSettings(cache: String?, timeout: Duration = .seconds(20), executable: String = TestPaths.executable) -> ProbeSettings {
        ProbeSettings(executable: executable, timeout: timeout, cachePath: cache)
    }

    private func screen(_ fixtures: PluginFixtures, _ settings: ProbeSettings) async throws -> [String: FileScreening] {
        let host = PluginHost(
            pluginsDirectory: fixtures.directory.path, configuration: SourcesConfiguration(), deadlines: CallDeadlines(),
            trust: TrustSettings(probe: settings), logger: Logger(label: "probe-test"))
        let screenings = await host.screen(try host.pluginFiles())
        return Dictionary(uniqueKeysWithValues: screenings.map { (($0.file as NSString).lastPathComponent, $0) })
    }

    @Test func crashesAndHangsAreQuarantinedWithTheirReason() async throws {
        let fixtures = try PluginFixtures("probe")
        try await fixtures.addHelloPlugin()
        try await fixtures.addFixture("segfault.so", defines: ["-DFIXTURE_REGISTER_SEGFAULTS"])
        try await fixtures.addFixture("trap.so", defines: ["-DFIXTURE_NAME=\"trap\"", "-DFIXTURE_INIT_TRAPS"])
        try await fixtures.addFixture("hang.so", defines: ["-DFIXTURE_NAME=\"hang\"", "-DFIXTURE_INIT_HANGS"])
        try await fixtures.addSwiftPlugin("FixtureFatalErrorPlugin", as: "fatal-error.so")
        let screenings = try await screen(fixtures, Self.probeSettings(cache: nil, timeout: .seconds(8)))

        #expect(screenings["hello-c.so"]?.failure == nil)
        #expect(screenings["hello-c.so"]?.report?.plugins.map(\.name) == ["hello"])
        let segfault = try #require(screenings["segfault.so"]?.failure)
        #expect(segfault.stage == .probe)
        #expect(segfault.reason.hasPrefix("probe died of signal \(SIGSEGV)"), "\(segfault.reason)")
        let trap = try #require(screenings["trap.so"]?.failure)
        #expect(trap.reason.hasPrefix("probe died of signal \(SIGILL)"), "\(trap.reason)")
        let fatal = try #require(screenings["fatal-error.so"]?.failure)
        #expect(fatal.stage == .probe)
        #expect(fatal.reason.contains("probe died of signal"), "\(fatal.reason)")
        #expect(fatal.reason.contains("fixture: the configuration is impossible"), "the stderr tail carries the trap message: \(fatal.reason)")
        let hang = try #require(screenings["hang.so"]?.failure)
        #expect(hang.reason.hasPrefix("probe did not finish within 8.0 seconds; killed"), "\(hang.reason)")
    }

    @Test func verdictsAreCachedByFileButTimeoutsAreNot() async throws {
        let fixtures = try PluginFixtures("probe-cache")
        try await fixtures.addHelloPlugin()
        try await fixtures.addFixture("segfault.so", defines: ["-DFIXTURE_REGISTER_SEGFAULTS"])
        try await fixtures.addFixture("hang.so", defines: ["-DFIXTURE_NAME=\"hang\"", "-DFIXTURE_INIT_HANGS"])
        let cache = fixtures.scratch.appendingPathComponent("cache/probe-cache.json").path
        // The limit is what the hanging fixture costs; a busy machine may take seconds to start a debug probe.
        let first = try await screen(fixtures, Self.probeSettings(cache: cache, timeout: .seconds(8)))
        try #require(first["hello-c.so"]?.failure == nil, "the good plugin passes its first probe: \(String(describing: first["hello-c.so"]?.failure))")
        #expect(FileManager.default.fileExists(atPath: cache))

        // A probe executable that cannot start shows which verdicts come from the cache.
        let offline = Self.probeSettings(cache: cache, timeout: .seconds(2), executable: "/nonexistent/catalog-server")
        let second = try await screen(fixtures, offline)
        #expect(second["hello-c.so"]?.failure == nil, "a passed verdict is reused")
        #expect(second["segfault.so"]?.failure?.reason.contains("signal \(SIGSEGV)") == true, "a crash verdict is reused")
        #expect(second["hang.so"]?.failure?.reason.contains("cannot start the probe") == true, "a timeout is probed again")

        try await fixtures.addFixture("segfault.so", defines: ["-DFIXTURE_NAME=\"fixed\""])
        let changed = try await screen(fixtures, offline)
        #expect(changed["segfault.so"]?.failure?.reason.contains("cannot start the probe") == true, "a changed file is probed again")

        try ProbeCache.clear(path: cache)
        #expect(!FileManager.default.fileExists(atPath: cache))
    }

    @Test func serverWithEveryBadFixtureServesTheGoodCatalogs() async throws {
        let fixtures = try await EndToEndTests.pluginDirectory()
        try await fixtures.addShippedCatalogs()
        try await fixtures.addFixture("segfault.so", defines: ["-DFIXTURE_REGISTER_SEGFAULTS"])
        try await fixtures.addFixture("hang.so", defines: ["-DFIXTURE_NAME=\"hang\"", "-DFIXTURE_INIT_HANGS"])
        try await fixtures.addSwiftPlugin("FixtureFatalErrorPlugin", as: "fatal-error.so")
        try await fixtures.addFixture("writable.so", defines: ["-DFIXTURE_NAME=\"writable\""])
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: fixtures.directory.appendingPathComponent("writable.so").path)
        let server = try await TestServer.start(
            pluginsDirectory: fixtures.directory, sources: [try CatalogTests.referenceSources(in: fixtures.scratch)],
            trust: TrustSettings(probe: Self.probeSettings(cache: nil, timeout: .seconds(8))))

        for path in ["/api/model_catalog/v1alpha1/models", "/api/mcp_catalog/v1alpha1/mcpservers",
                     "/api/agents_catalog/v1alpha1/agents", "/api/knowledge_catalog/v1alpha1/knowledgesources"] {
            #expect(try await server.get(path).status == 200, "\(path)")
        }
        let failures = try #require(try await server.get("/api/plugins").json["failures"]?.arrayValue)
        func stage(_ file: String) -> String? {
            failures.first { $0["file"]?.stringValue?.hasSuffix("/" + file) == true }?["stage"]?.stringValue
        }
        #expect(stage("segfault.so") == "probe")
        #expect(stage("hang.so") == "probe")
        #expect(stage("fatal-error.so") == "probe")
        #expect(stage("writable.so") == "permissions")
        #expect(stage("future.so") == "abi")
        #expect(stage("failing-init.so") == "init")
        try await server.stop()
    }

    @Test func verifyPrintsATableAndFailsOnRefusedFiles() async throws {
        let fixtures = try PluginFixtures("verify")
        try await fixtures.addHelloPlugin()
        try await fixtures.addKnowledgePlugin()
        let clean = try await runCommand([TestPaths.executable, "plugins", "verify", fixtures.directory.path, "--sources", try EndToEndTests.writeSources(in: fixtures.scratch)])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("FILE") && clean.output.contains("VERDICT"))
        #expect(clean.output.contains("knowledge v1alpha1") && clean.output.contains("capabilities.v2"))
        #expect(clean.output.contains("CatalogPluginSDK \(PluginExport.sdkVersion)") && clean.output.contains("C (no SDK)"))

        try await fixtures.addFixture("segfault.so", defines: ["-DFIXTURE_REGISTER_SEGFAULTS"])
        try await fixtures.addFixture("future.so", defines: ["-DFIXTURE_ABI_MAJOR=99"])
        let refused = try await runCommand([TestPaths.executable, "plugins", "verify", fixtures.directory.path])
        #expect(refused.status == 1)
        let lines = refused.output.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("segfault.so") && $0.contains("refused") && $0.contains("probe: probe died of signal") })
        #expect(lines.contains { $0.hasPrefix("future.so") && $0.contains("refused") && $0.contains("abi: ") })
        #expect(lines.contains { $0.hasPrefix("hello-c.so") && $0.contains(" ok") })
    }
}
