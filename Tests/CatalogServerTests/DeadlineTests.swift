import CatalogJSON
import CatalogServer
import Foundation
import Testing
@testable import CatalogTestSupport

/// A slow or silent plugin gets deadlines; it never delays another plugin.
@Suite("Per-plugin deadlines and isolation of slow plugins")
struct DeadlineTests {
    static func sources(_ yaml: String, in directory: URL) throws -> String {
        let file = directory.appendingPathComponent("sources.yaml")
        try Data(yaml.utf8).write(to: file)
        return file.path
    }

    @Test func repeatedTimeoutsDegradeThePluginUntilItAnswersAgain() async throws {
        let fixtures = try PluginFixtures("deadline-degraded")
        try await fixtures.addFixture("slowpoke.so", defines: ["-DFIXTURE_NAME=\"slowpoke\""])
        let sources = try Self.sources("plugins:\n  slowpoke:\n    deadlines: {request: 200ms}\n", in: fixtures.scratch)
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources])
        for _ in 0..<3 {
            let silent = try await server.get("/api/slowpoke_catalog/v1/silent")
            #expect(silent.status == 504)
            #expect(silent.json["error"] == "plugin \"slowpoke\" did not answer GET /api/slowpoke_catalog/v1/silent within 0.2 seconds")
        }
        let plugin = try #require(try await server.get("/api/plugins").json["plugins"]?.arrayValue?.first)
        #expect(plugin["healthy"] == false)
        #expect(plugin["status"]?["lastError"]?.stringValue?.contains("3 consecutive requests exceeded") == true)
        #expect(try await server.get("/readyz").json["status"] == "degraded")

        #expect(try await server.get("/api/slowpoke_catalog/v1/ping").status == 200)
        #expect(try await server.get("/api/plugins").json["plugins"]?.arrayValue?.first?["healthy"] == true)
        try await server.stop()
    }

    /// Blocked handlers hold their threads until the test releases them; another plugin's
    /// requests must complete meanwhile (if they queued behind the blocked threads they could
    /// not, and would fail at the client's timeout).
    @Test func aBlockingPluginDoesNotDelayAnotherPlugin() async throws {
        let fixtures = try PluginFixtures("deadline-blocking")
        let release = fixtures.scratch.appendingPathComponent("release")
        try await fixtures.addHelloPlugin()
        try await fixtures.addFixture("blocker.so", defines: ["-DFIXTURE_NAME=\"blocker\"", "-DFIXTURE_RELEASE_FILE=\"\(release.path)\""])
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory)
        let blocked = ProcessInfo.processInfo.activeProcessorCount * 3
        let blockers = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<blocked { group.addTask { try await server.get("/api/blocker_catalog/v1/slow").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        for _ in 0..<5 {
            #expect(try await server.get("/api/hello_catalog/v1/greetings/fast").status == 200)
        }
        #expect(!FileManager.default.fileExists(atPath: release.path), "the blockers were still blocked meanwhile")
        try Data().write(to: release)
        #expect(try await blockers.value == Array(repeating: 200, count: blocked))
        try await server.stop()
    }

    @Test func requestsBeyondTheConcurrencyLimitAnswer503() async throws {
        let fixtures = try PluginFixtures("deadline-limit")
        try await fixtures.addFixture("narrow.so", defines: ["-DFIXTURE_NAME=\"narrow\""])
        let sources = try Self.sources("plugins:\n  narrow:\n    maxConcurrentRequests: 2\n", in: fixtures.scratch)
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources])
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 { group.addTask { try await server.get("/api/narrow_catalog/v1/slow").status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 200 }.count >= 2)
        #expect(statuses.contains(503), "\(statuses)")
        try await server.stop()
    }

    @Test func pluginSettingsParseAndMerge() async throws {
        let directory = try TestPaths.temporaryDirectory("plugin-settings")
        let base = try Self.sources("plugins:\n  mcp:\n    deadlines: {request: 5s, init: 2m}\n    maxConcurrentRequests: 8\n", in: directory)
        let overlayDirectory = directory.appendingPathComponent("overlay")
        try FileManager.default.createDirectory(at: overlayDirectory, withIntermediateDirectories: true)
        let overlay = try Self.sources("plugins:\n  mcp:\n    deadlines: {request: 250ms}\n", in: overlayDirectory)
        let settings = try #require(try SourcesConfiguration.load(paths: [base, overlay]).plugins["mcp"])
        #expect(settings.requestDeadline == .milliseconds(250))
        #expect(settings.initDeadline == .seconds(120))
        #expect(settings.startDeadline == nil, "init and start are separate deadlines")
        #expect(settings.maxConcurrentRequests == 8)

        for (yaml, message) in [
            ("plugins:\n  mcp:\n    isolation: thread\n", "plugins.mcp.isolation must be in-process or process"),
            ("plugins:\n  mcp:\n    sandbox: true\n", "plugins.mcp.sandbox is not a plugin setting"),
            ("plugins:\n  mcp:\n    deadlines: {request: soon}\n", "plugins.mcp.deadlines.request must be a positive duration"),
            ("plugins:\n  mcp:\n    deadlines: {lunch: 1s}\n", "plugins.mcp.deadlines.lunch is not a deadline"),
        ] {
            let file = try Self.sources(yaml, in: directory)
            #expect(throws: YAMLDocumentError.self) { try SourcesConfiguration.load(paths: [file]) }
            do { _ = try SourcesConfiguration.load(paths: [file]) } catch { #expect("\(error)".contains(message), "\(error)") }
        }
    }
}
