import CatalogJSON
import CatalogServer
import Foundation
import Synchronization
import Testing
@testable import CatalogTestSupport

/// Changes to configuration files, data files and the plugin directory while the server runs.
@Suite("Reconcile without a restart")
struct ReconcileTests {
    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    static func names(_ result: HTTPResult) -> [String] {
        result.json["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    @Test func changedDataAndSectionsApplyUnderLoadWithoutMixedPages() async throws {
        let fixtures = try PluginFixtures("reconcile")
        try await fixtures.addSwiftPlugin("McpCatalog", as: "mcp.so")
        try await fixtures.addFixture("alpha.so", defines: ["-DFIXTURE_NAME=\"alpha\""])
        try await fixtures.addFixture("beta.so", defines: ["-DFIXTURE_NAME=\"beta\""])
        let data = fixtures.scratch.appendingPathComponent("mcp.yaml")
        try FileManager.default.copyItem(at: TestPaths.referenceData.appendingPathComponent("mcp-servers.yaml"), to: data)
        let sources = fixtures.scratch.appendingPathComponent("sources.yaml")
        func configuration(alphaLabels: String) -> String {
            """
            catalogs:
              mcp:
                sources: [{id: m, type: yaml, properties: {yamlCatalogPath: mcp.yaml}}]
              alpha: {labels: [\(alphaLabels)]}
              beta: {labels: [b]}
            """
        }
        try Self.write(configuration(alphaLabels: "a"), to: sources)
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources.path])
        let before = Self.names(try await server.get("/api/mcp_catalog/v1alpha1/mcpservers"))
        let after = before.map { $0 == "jira-mcp-server" ? "jira-cloud-mcp-server" : $0 }.sorted()

        // Stopped by a flag, never by cancellation: cancelling a task inside URLSession's
        // `data(for:)` can deadlock in swift-corelibs-foundation (seen here).
        let problems = Mutex<[String]>([])
        let done = Mutex(false)
        let load = Task {
            while !done.withLock({ $0 }) {
                let page = try? await server.get("/api/mcp_catalog/v1alpha1/mcpservers")
                guard let page else {
                    problems.withLock { $0.append("request failed") }
                    continue
                }
                let names = Self.names(page)
                if page.status != 200 || (names != before && names != after) {
                    problems.withLock { $0.append("\(page.status) \(names)") }
                }
            }
        }
        let text = try String(contentsOf: data, encoding: .utf8)
        try Self.write(text.replacingOccurrences(of: "\"jira-mcp-server\"", with: "\"jira-cloud-mcp-server\""), to: data)
        await server.server.host.reconcile()
        #expect(Self.names(try await server.get("/api/mcp_catalog/v1alpha1/mcpservers")) == after, "the changed data file was reloaded")

        try Self.write(configuration(alphaLabels: "a, changed"), to: sources)
        await server.server.host.reconcile()
        done.withLock { $0 = true }
        _ = await load.value
        #expect(problems.withLock { $0 }.isEmpty, "every request during the reconciles saw the old or the new catalog")
        #expect(try await server.get("/api/alpha_catalog/v1/applies").json["applies"] == 1, "alpha's section changed")
        #expect(try await server.get("/api/beta_catalog/v1/applies").json["applies"] == 0, "beta's did not")
        try await server.stop()
    }

    /// The loop itself: an edit to a data file is served within the interval, nobody calls reconcile().
    @Test func theIntervalPicksUpAnExternalEdit() async throws {
        let fixtures = try PluginFixtures("reconcile-interval")
        try await fixtures.addKnowledgePlugin()
        let data = fixtures.scratch.appendingPathComponent("knowledge.yaml")
        try Self.write("knowledgesources:\n  - {name: before}\n", to: data)
        let sources = try EndToEndTests.writeSources(in: fixtures.scratch, dataPath: data.path)
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources], reconcileInterval: .milliseconds(200))
        let list = "/api/knowledge_catalog/v1alpha1/knowledgesources"
        #expect(Self.names(try await server.get(list)) == ["before"])
        try await Task.sleep(for: .milliseconds(1100))  // a modification time clearly after the load's
        try Self.write("knowledgesources:\n  - {name: after}\n", to: data)
        var seen: [String] = []
        for _ in 0..<50 where seen != ["after"] {
            try await Task.sleep(for: .milliseconds(100))
            seen = Self.names(try await server.get(list))
        }
        #expect(seen == ["after"], "served within a few intervals")
        try await server.stop()
    }

    @Test func reconcileWaitsForTheInitialLoad() async throws {
        let fixtures = try PluginFixtures("reconcile-early")
        try await fixtures.addFixture("early.so", defines: ["-DFIXTURE_NAME=\"early\""])
        let host = PluginHost(
            pluginsDirectory: fixtures.directory.path, configuration: SourcesConfiguration(), deadlines: CallDeadlines(),
            logger: .init(label: "reconcile-test"))
        await host.reconcile()
        #expect(host.registry.all.isEmpty, "nothing is loaded before the initial load")
        await host.loadAll()
        try await fixtures.addFixture("later.so", defines: ["-DFIXTURE_NAME=\"later\""])
        await host.reconcile()
        #expect(host.registry.all.map(\.name) == ["early", "later"], "an early reconcile does not block later ones")
    }

    @Test func aMalformedFileKeepsTheLastGoodConfiguration() async throws {
        let fixtures = try PluginFixtures("reconcile-bad")
        try await fixtures.addKnowledgePlugin()
        let sources = try EndToEndTests.writeSources(in: fixtures.scratch)
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources])
        let good = try String(contentsOfFile: sources, encoding: .utf8)
        try Self.write(good + "\n  broken: [\n", to: URL(fileURLWithPath: sources))
        await server.server.host.reconcile()
        let stale = try await server.get("/readyz")
        #expect(stale.json["status"] == "degraded")
        #expect(stale.json["components"]?["configuration"]?["status"] == "stale")
        #expect(stale.json["components"]?["configuration"]?["details"]?.stringValue?.contains(sources) == true)
        #expect(try await server.get("/api/knowledge_catalog/v1alpha1/knowledgesources").json["size"] == 7, "still served")

        try Self.write(good, to: URL(fileURLWithPath: sources))
        await server.server.host.reconcile()
        #expect(try await server.get("/readyz").json["components"]?["configuration"]?["status"] == "current")
        try await server.stop()
    }

    @Test func newPluginFilesLoadAndChangedOnesWaitForARestart() async throws {
        let fixtures = try PluginFixtures("reconcile-hot-add")
        try await fixtures.addFixture("first.so", defines: ["-DFIXTURE_NAME=\"first\""])
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory)
        #expect(try await server.get("/api/late_catalog/v1/ping").status == 404)

        try await fixtures.addFixture("late.so", defines: ["-DFIXTURE_NAME=\"late\""])
        try await fixtures.addFixture("first.so", defines: ["-DFIXTURE_NAME=\"first\"", "-DFIXTURE_INIT_FAILS"])
        await server.server.host.reconcile()
        #expect(try await server.get("/api/late_catalog/v1/ping").json == ["pong": "late"])
        #expect(try await server.get("/api/first_catalog/v1/ping").status == 200, "the loaded image keeps serving")
        let listing = try await server.get("/api/plugins")
        let late = listing.json["plugins"]?.arrayValue?.first { $0["name"] == "late" }
        #expect(late?["lateLoaded"] == true)
        #expect(listing.json["plugins"]?.arrayValue?.first { $0["name"] == "first" }?["lateLoaded"] == false)
        let pending = listing.json["pendingRestart"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(pending.count == 1 && pending[0].contains("first.so changed"), "\(pending)")
        try await server.stop()
    }
}
