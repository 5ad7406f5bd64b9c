import CatalogJSON
import CatalogServer
import Foundation
import Testing
@testable import CatalogTestSupport

/// A plugin that never finishes `init` does not keep the others offline: each file is served
/// as soon as its own probe, init and start are done, at the first start and at every later one.
@Suite("Start-up with a hanging plugin", .timeLimit(.minutes(3)))
struct StartupTests {
    static let mcpList = "/api/mcp_catalog/v1alpha1/mcpservers"

    /// Polls `path` until it answers 200; the number of polls is bounded by `attempts`.
    static func waitForOK(_ address: String, _ path: String, attempts: Int = 200) async throws -> HTTPResult {
        var last: HTTPResult?
        for _ in 0..<attempts {
            if let answer = try? await HTTPResult.fetch(URL(string: "http://\(address)\(path)")!) {
                if answer.status == 200 { return answer }
                last = answer
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CommandFailure(description: "\(path) never answered 200; last: \(last.map { "\($0.status) \($0.json)" } ?? "nothing")")
    }

    @Test func theShippedCatalogsServeWhileAPluginHangsInInitAtEveryStart() async throws {
        let fixtures = try PluginFixtures("startup-hang")
        try await fixtures.addShippedCatalogs()
        try await fixtures.addHelloPlugin()
        try await fixtures.addFixture("hang.so", defines: ["-DFIXTURE_NAME=\"hang\"", "-DFIXTURE_INIT_HANGS"])
        let sources = try HostilePluginTests.sources(HostilePluginTests.mcpSource, in: fixtures)
        let shipped = [
            "/api/model_catalog/v1alpha1/models", "/api/agents_catalog/v1alpha1/agents",
            "/api/knowledge_catalog/v1alpha1/knowledgesources", "/api/hello_catalog/v1/greetings/x",
        ]
        // The probe timeout is far beyond how long the others take; they must not wait for it.
        let arguments = [
            "--listen", "127.0.0.1:0", "--plugins-dir", fixtures.directory.path, "--sources", sources,
            "--state-dir", fixtures.scratch.appendingPathComponent("state").path,
            "--probe-cache", fixtures.scratch.appendingPathComponent("probe-cache.json").path,
            "--probe-timeout", "20", "--readiness-grace", "1", "--reconcile-interval", "0",
        ]

        // First start: the hanging file is probed, and quarantined when its probe times out.
        let first = try await ServerProcess.start(arguments, untilListening: true)
        defer { if first.process.isRunning { first.process.terminate() } }
        #expect(try await Self.waitForOK(first.address, Self.mcpList).json["size"] == 6)
        for path in shipped { #expect(try await Self.waitForOK(first.address, path).status == 200) }
        let whileLoading = try await HTTPResult.fetch(URL(string: "http://\(first.address)/api/plugins")!)
        let loading = whileLoading.json["loading"]?.arrayValue ?? []
        #expect(loading.count == 1 && loading.first?["file"]?.stringValue?.hasSuffix("hang.so") == true, "\(whileLoading.json)")
        #expect(loading.first?["stage"] == "probe")
        // Past the grace, readiness answers without it and names it.
        let ready = try await Self.waitForOK(first.address, "/readyz")
        #expect(ready.json["status"] == "degraded")
        #expect(ready.json["components"]?["plugins"]?["details"]?.stringValue?.contains("still loading") == true, "\(ready.json)")
        _ = try await first.output.waitForLine(containing: "still loading after")
        // The probe times out: quarantined with its reason.
        _ = try await first.output.waitForLine(containing: "catalog-server started", timeout: .seconds(60))
        let failures = try await HTTPResult.fetch(URL(string: "http://\(first.address)/api/plugins")!).json["failures"]?.arrayValue ?? []
        #expect(failures.contains { $0["file"]?.stringValue?.hasSuffix("hang.so") == true && $0["reason"]?.stringValue?.contains("did not finish within") == true }, "\(failures)")
        first.process.terminate()
        let firstProcess = first.process
        try await onThread { firstProcess.waitUntilExit() }

        // Second start: the file is held back from the start, so the server is ready at once,
        // and it is probed again in the background.
        let second = try await ServerProcess.start(arguments)
        defer { if second.process.isRunning { second.process.terminate() } }
        #expect(second.summary.contains("5 plugin(s) serving, 1 failure(s)"), "\(second.summary)")
        for path in shipped { #expect(try await HTTPResult.fetch(URL(string: "http://\(second.address)\(path)")!).status == 200) }
        #expect(try await HTTPResult.fetch(URL(string: "http://\(second.address)\(Self.mcpList)")!).json["size"] == 6)
        let held = try await HTTPResult.fetch(URL(string: "http://\(second.address)/api/plugins")!).json["failures"]?.arrayValue?.first
        #expect(held?["stage"] == "probe")
        #expect(held?["reason"]?.stringValue?.contains("timed out at the previous start") == true, "\(held ?? .null)")
        #expect(try await HTTPResult.fetch(URL(string: "http://\(second.address)/readyz")!).status == 200)
        _ = try await second.output.waitForLine(containing: "probing \(fixtures.directory.path)/hang.so again in the background")
        second.process.terminate()
        let secondProcess = second.process
        try await onThread { secondProcess.waitUntilExit() }
    }

    @Test func readinessWaitsForTheGraceThenSaysWhatIsLoading() async throws {
        let fixtures = try PluginFixtures("startup-grace")
        try await fixtures.addHelloPlugin()
        try await fixtures.addFixture("hang.so", defines: ["-DFIXTURE_NAME=\"hang\"", "-DFIXTURE_INIT_HANGS"])
        let sources = try HostilePluginTests.sources("plugins:\n  hang:\n    deadlines: {init: 30s}\n", in: fixtures)
        let server = try await ServerProcess.start([
            "--listen", "127.0.0.1:0", "--plugins-dir", fixtures.directory.path, "--sources", sources,
            "--state-dir", fixtures.scratch.appendingPathComponent("state").path, "--no-probe",
            "--readiness-grace", "2", "--strict-readiness", "--reconcile-interval", "0",
        ], untilListening: true)
        defer { kill(server.process.processIdentifier, SIGKILL) }
        // Without probing, the hanging init runs in the server: the other plugin serves meanwhile.
        #expect(try await Self.waitForOK(server.address, "/api/hello_catalog/v1/greetings/x").status == 200)
        var strict: HTTPResult?
        for _ in 0..<100 {
            let answer = try await HTTPResult.fetch(URL(string: "http://\(server.address)/readyz")!)
            if answer.json["components"]?["plugins"]?["loading"]?.arrayValue?.isEmpty == false {
                strict = answer
                break
            }
            #expect(answer.status == 503)
            try await Task.sleep(for: .milliseconds(50))
        }
        let answer = try #require(strict, "past the grace, readiness lists what is loading")
        #expect(answer.status == 503, "strict readiness: not ready while a plugin is loading")
        #expect(answer.json["status"] == "not_ready")
        let loading = answer.json["components"]?["plugins"]?["loading"]?.arrayValue?.first
        #expect(loading?["stage"] == "init")
        #expect(loading?["file"]?.stringValue?.hasSuffix("hang.so") == true)
    }
}
