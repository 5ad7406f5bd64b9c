import CatalogJSON
import CatalogServer
import Foundation
import Synchronization
import Testing
@testable import CatalogTestSupport

/// `isolation: process`: a plugin in a worker process that crashes is restarted while the
/// other plugins keep answering.
@Suite("Process isolation", .timeLimit(.minutes(2)))
struct IsolationTests {
    @Test func aCrashingWorkerIsRestartedWhileOthersKeepServing() async throws {
        let fixtures = try PluginFixtures("isolation")
        try await fixtures.addHelloPlugin()
        try await fixtures.addFixture("crasher.so", defines: ["-DFIXTURE_NAME=\"crasher\""])
        try await fixtures.addSwiftPlugin("McpCatalog", as: "mcp.so")
        let data = TestPaths.referenceData.appendingPathComponent("mcp-servers.yaml").path
        let sources = fixtures.scratch.appendingPathComponent("sources.yaml")
        try Data("""
            catalogs:
              mcp:
                sources: [{id: mcp, type: yaml, properties: {yamlCatalogPath: "\(data)"}}]
            plugins:
              crasher: {isolation: process}
              mcp: {isolation: process}
            """.utf8).write(to: sources)
        let server = try await TestServer.start(
            pluginsDirectory: fixtures.directory, sources: [sources.path],
            trust: TrustSettings(probe: ProbeTests.probeSettings(cache: nil)))

        let listing = try await server.get("/api/plugins")
        let isolation = Dictionary(uniqueKeysWithValues: (listing.json["plugins"]?.arrayValue ?? []).map {
            ($0["name"]?.stringValue ?? "", $0["isolation"]?.stringValue ?? "")
        })
        #expect(isolation == ["hello": "in-process", "crasher": "process", "mcp": "process"])
        #expect(try await server.get("/api/crasher_catalog/v1/ping").json == ["pong": "crasher"])
        #expect(try await server.get("/api/mcp_catalog/v1alpha1/mcpservers").json["size"] == 6, "requests reach the worker")
        #expect(try await server.get("/api/plugins/mcp/capabilities").json["schemaVersion"] == "v1", "so do capability calls")
        #expect(try await server.get("/api/mcp_catalog/v1alpha1/management/entities/jira-mcp-server").json["kind"] == "McpServer")

        // Load on the in-process plugin while the worker crashes and comes back.
        // Stopped by a flag, never by cancellation: cancelling a task inside URLSession's
        // `data(for:)` can deadlock in swift-corelibs-foundation (seen here).
        let failures = Mutex(0)
        let done = Mutex(false)
        let load = Task {
            var count = 0
            while !done.withLock({ $0 }) && count < 2000 {
                let status = try? await server.get("/api/hello_catalog/v1/greetings/load").status
                if status != 200 { failures.withLock { $0 += 1 } }
                count += 1
            }
            return count
        }
        let crash = try await server.get("/api/crasher_catalog/v1/crash")
        #expect(crash.status == 502)
        #expect(crash.json["error"]?.stringValue?.contains("exited (signal \(SIGSEGV)") == true, "\(crash.json)")
        let down = try await server.get("/api/crasher_catalog/v1/ping")
        #expect(down.status == 503, "answers 503 while the worker restarts")

        var restarted = false
        for _ in 0..<100 where !restarted {
            try await Task.sleep(for: .milliseconds(100))
            restarted = try await server.get("/api/crasher_catalog/v1/ping").status == 200
        }
        #expect(restarted, "the worker was restarted")
        let metrics = try await MetricsTests.lines(server)
        #expect(MetricsTests.value(metrics, "catalog_plugin_calls_total", [#"plugin="crasher""#, #"kind="request""#, #"outcome="crashed""#]) == 1)
        #expect(MetricsTests.value(metrics, "catalog_plugin_requests_total", [#"plugin="crasher""#, #"route="/crash""#, #"status="502""#]) == 1)
        #expect((MetricsTests.value(metrics, "catalog_worker_restarts_total", [#"plugin="crasher""#]) ?? 0) >= 1)
        #expect(MetricsTests.value(metrics, "catalog_entities", [#"plugin="mcp""#, #"source="mcp""#]) == 6, "counted through the worker")
        #expect(try await server.get("/api/mcp_catalog/v1alpha1/mcpservers").status == 200, "the other worker is unaffected")
        done.withLock { $0 = true }
        let served = await load.value
        #expect(served > 0)
        #expect(failures.withLock { $0 } == 0, "no request to the in-process plugin failed")
        try await server.stop()
    }

    /// A plugin in a worker shares the worker's memory and socket, so it can write a ready
    /// report of its own. The host validates the routes it reports as `add_route` would: a
    /// route under `/management` fails the plugin, and nothing of the report is published.
    @Test func aForgedReadyReportWithARefusedRoutePublishesNothing() async throws {
        let fixtures = try PluginFixtures("forged-ready")
        try await fixtures.addFixture("forger.so", defines: ["-DFIXTURE_NAME=\"forger\"", "-DFIXTURE_FORGES_READY"])
        let sources = fixtures.scratch.appendingPathComponent("sources.yaml")
        try Data("plugins:\n  forger: {isolation: process}\n".utf8).write(to: sources)
        let server = try await TestServer.start(
            pluginsDirectory: fixtures.directory, sources: [sources.path],
            trust: TrustSettings(probe: ProbeTests.probeSettings(cache: nil)))

        let ping = try await server.get("/api/forger_catalog/v1/ping")
        #expect(ping.status == 503, "\(ping.json)")
        #expect(ping.json["message"]?.stringValue?.contains("invalid routes") == true, "\(ping.json)")
        #expect(ping.json["message"]?.stringValue?.contains("/management/x") == true, "\(ping.json)")
        let listing = try await server.get("/api/plugins")
        let forger = listing.json["plugins"]?.arrayValue?.first { $0["name"] == "forger" }
        #expect(forger?["status"]?["serving"] == false && forger?["routes"]?.arrayValue?.isEmpty == true, "\(String(describing: forger))")
        #expect(try await server.get("/api/plugins/forger/capabilities").json["forged"] == nil, "the forged document is not published")
        try await server.stop()
    }
}
