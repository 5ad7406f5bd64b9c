import CatalogJSON
@testable import CatalogServer
import Foundation
import Logging
import Synchronization
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import CatalogTestSupport

/// Hostile plugins (`Tests/Fixtures/hostile_plugin.c`, built with cc against the header) try
/// to stall, impersonate, desync or crash the host; each test replays one attack and checks
/// that it is contained while the shipped catalogs keep serving.
@Suite("Hostile plugins", .timeLimit(.minutes(3)))
struct HostilePluginTests {
    /// A client that gives up after a few seconds: the requests below must not wait for a
    /// blocked plugin, and without this they would wait the default 20 s and then fail.
    static let impatient: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 4
        configuration.httpMaximumConnectionsPerHost = 16
        return URLSession(configuration: configuration)
    }()

    static func promptly(_ server: TestServer, _ path: String) async throws -> HTTPResult {
        let (data, response) = try await impatient.data(from: URL(string: "http://127.0.0.1:\(server.port)\(path)")!)
        let http = try #require(response as? HTTPURLResponse)
        return HTTPResult(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"), body: data)
    }

    static func sources(_ yaml: String, in fixtures: PluginFixtures) throws -> String {
        let file = fixtures.scratch.appendingPathComponent("sources.yaml")
        try Data(yaml.utf8).write(to: file)
        return file.path
    }

    static let mcpSource = """
        catalogs:
          mcp:
            sources: [{id: mcp, type: yaml, properties: {yamlCatalogPath: "\(TestPaths.referenceData.appendingPathComponent("mcp-servers.yaml").path)"}}]

        """

    @Test func aBlockingHealthCheckOrOperationStallsNothingElse() async throws {
        let fixtures = try PluginFixtures("hostile-stall")
        try await fixtures.addHelloPlugin()
        try await fixtures.addHostile("sloth.so", defines: ["-DHOSTILE_NAME=\"sloth\"", "-DHOSTILE_HEALTH_BLOCKS"])
        try await fixtures.addHostile("dawdler.so", defines: ["-DHOSTILE_NAME=\"dawdler\"", "-DHOSTILE_INVOKE_BLOCKS"])
        let sources = try Self.sources("plugins:\n  dawdler:\n    deadlines: {operation: 3s}\n", in: fixtures)
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources])

        // Four diagnostics calls block four of the dawdler's threads for 30 s each (their
        // clients get 504 after 3 s).
        let blocked = (0..<4).map { _ in
            Task { try? await server.get("/api/dawdler_catalog/v1/management/diagnostics") }
        }
        try await Task.sleep(for: .milliseconds(300))
        for _ in 0..<3 {
            #expect(try await Self.promptly(server, "/healthz").status == 200)
            #expect(try await Self.promptly(server, "/api/plugins").status == 200)
            #expect(try await Self.promptly(server, "/readyz").status == 200)
            #expect(try await Self.promptly(server, "/api/hello_catalog/v1/greetings/x").status == 200)
            #expect(try await Self.promptly(server, "/api/sloth_catalog/v1/ping").status == 200)
        }
        try await Task.sleep(for: PluginHealth.deadline + .milliseconds(500))
        let plugins = try await Self.promptly(server, "/api/plugins").json["plugins"]?.arrayValue ?? []
        let health = Dictionary(uniqueKeysWithValues: plugins.map { ($0["name"]?.stringValue ?? "", $0["healthy"]?.boolValue ?? true) })
        #expect(health["sloth"] == false, "a healthy() that does not return makes its plugin unhealthy: \(health)")
        let sloth = plugins.first { $0["name"] == "sloth" }
        #expect(sloth?["status"]?["lastError"]?.stringValue?.contains("healthy() of plugin \"sloth\" has not returned") == true, "\(sloth ?? .null)")
        #expect(health["hello"] == true)
        let readiness = try await Self.promptly(server, "/readyz").json
        #expect(readiness["status"] == "degraded")
        #expect(readiness["components"]?["plugins"]?["details"]?.stringValue?.contains("sloth") == true, "\(readiness)")
        for request in blocked { _ = await request.value }  // 504 at the 3 s deadline; never cancelled (see IsolationTests)
        try await server.stop()
    }

    /// The probe asks `healthy` itself (a crash there is caught before the server loads the
    /// file), but does not wait past the deadline for one that blocks.
    @Test func aProbeDoesNotWaitForABlockingHealthCheck() async throws {
        let fixtures = try PluginFixtures("hostile-probe-health")
        try await fixtures.addHostile("sloth.so", defines: ["-DHOSTILE_NAME=\"sloth\"", "-DHOSTILE_HEALTH_BLOCKS"])
        let host = PluginHost(
            pluginsDirectory: fixtures.directory.path, configuration: SourcesConfiguration(), deadlines: CallDeadlines(),
            trust: TrustSettings(probe: ProbeTests.probeSettings(cache: nil, timeout: .seconds(20))), logger: Logger(label: "probe-health"))
        let screening = try #require(await host.screen(try host.pluginFiles()).first)
        #expect(screening.failure == nil, "\(screening.failure.map { "\($0)" } ?? "")")
        #expect(screening.report?.plugins.first?.healthy == false)
    }

    /// A worker whose first frame is garbage (here a header announcing 4 GiB) is killed and its
    /// plugin refused; the start-up does not wait for it.
    @Test func aWorkerThatGarblesItsReadyReportIsRefusedNotWaitedFor() async throws {
        let fixtures = try PluginFixtures("hostile-garble")
        try await fixtures.addSwiftPlugin("McpCatalog", as: "mcp.so")
        try await fixtures.addHostile("garbler.so", defines: ["-DHOSTILE_NAME=\"garbler\"", "-DHOSTILE_GARBLE_INIT"])
        let sources = try Self.sources(Self.mcpSource + "plugins:\n  garbler: {isolation: process}\n", in: fixtures)
        let server = try await TestServer.start(
            pluginsDirectory: fixtures.directory, sources: [sources], trust: TrustSettings(probe: ProbeTests.probeSettings(cache: nil)))
        let plugins = try await server.get("/api/plugins").json
        let failure = plugins["failures"]?.arrayValue?.first { $0["file"]?.stringValue?.hasSuffix("garbler.so") == true }
        #expect(failure?["reason"]?.stringValue?.contains("did not report ready") == true, "\(plugins)")
        #expect(try await server.get("/api/mcp_catalog/v1alpha1/mcpservers").json["size"] == 6)
        try await server.stop()
    }

    @Test func aPluginCannotAnswerAnotherPluginsRequests() async throws {
        let fixtures = try PluginFixtures("hostile-steal")
        try await fixtures.addHelloPlugin()
        try await fixtures.addSwiftPlugin("McpCatalog", as: "mcp.so")
        try await fixtures.addHostile("thief.so", defines: ["-DHOSTILE_NAME=\"thief\""])
        try await fixtures.addHostile("forger.so", defines: ["-DHOSTILE_NAME=\"forger\""])
        let sources = try Self.sources(Self.mcpSource + "plugins:\n  forger: {isolation: process}\n", in: fixtures)
        let server = try await TestServer.start(
            pluginsDirectory: fixtures.directory, sources: [sources],
            trust: TrustSettings(probe: ProbeTests.probeSettings(cache: nil)))

        let answers = try await withThrowingTaskGroup(of: (String, HTTPResult).self) { group in
            for round in 0..<40 {
                group.addTask { ("thief", try await server.get("/api/thief_catalog/v1/steal")) }
                if round % 8 == 0 { group.addTask { ("forger", try await server.get("/api/forger_catalog/v1/forge")) } }
                group.addTask { ("hello", try await server.get("/api/hello_catalog/v1/greetings/n\(round)")) }
                group.addTask { ("mcp", try await server.get("/api/mcp_catalog/v1alpha1/mcpservers?pageSize=2")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for (target, answer) in answers where target == "hello" || target == "mcp" {
            #expect(answer.status == 200, "\(target): \(answer.status)")
            #expect(answer.json["stolen"] == nil, "\(target) got a forged answer")
        }
        #expect(answers.filter { $0.0 == "hello" }.allSatisfy { $0.1.json["language"] == "C" })
        #expect(answers.filter { $0.0 == "mcp" }.allSatisfy { $0.1.json["size"] == 6 })

        // Forged frames may have garbled the forger's own channel, and its worker been restarted:
        // that is its own loss. Once it is back, printing to standard output does not break it.
        for _ in 0..<300 where try await server.get("/api/forger_catalog/v1/ping").status != 200 {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await server.get("/api/forger_catalog/v1/print").json == ["printed": true])
        // A request ended with complete() instead of respond(): one answer, in a worker and in process.
        for plugin in ["forger", "thief"] {
            let completed = try await server.get("/api/\(plugin)_catalog/v1/complete")
            #expect(completed.status == 502, "\(plugin): \(completed.status)")
            #expect(completed.json["message"] == .string("plugin \"\(plugin)\" answered GET /api/\(plugin)_catalog/v1/complete with complete() instead of respond()"))
        }
        #expect(try await server.get("/api/forger_catalog/v1/ping").json == ["pong": "forger"])
        try await server.stop()
    }

    @Test func aNewcomerCannotTakeAnotherCatalogsBasePath() async throws {
        let fixtures = try PluginFixtures("hostile-base-path")
        try await fixtures.addSwiftPlugin("McpCatalog", as: "mcp.so")
        try await fixtures.addHostile("00-usurper.so", defines: ["-DHOSTILE_NAME=\"usurper\"", "-DHOSTILE_BASE_PATH=\"/api/mcp_catalog/v1alpha1\""])
        try await fixtures.addHostile("01-climber.so", defines: ["-DHOSTILE_NAME=\"climber\"", "-DHOSTILE_BASE_PATH=\"/x/../api/plugins\""])
        try await fixtures.addHostile("02-dots.so", defines: ["-DHOSTILE_NAME=\"dots\"", "-DHOSTILE_VERSION=\"..\""])
        let sources = try Self.sources(Self.mcpSource, in: fixtures)
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources])

        #expect(try await server.get("/api/mcp_catalog/v1alpha1/mcpservers").json["size"] == 6, "the real catalog keeps its place")
        #expect(try await server.get("/api/plugins").json["count"] != nil)
        let failures = try await server.get("/api/plugins").json["failures"]?.arrayValue ?? []
        func reason(_ file: String) -> String {
            failures.first { $0["file"]?.stringValue?.hasSuffix(file) == true }?["reason"]?.stringValue ?? "(none)"
        }
        #expect(reason("00-usurper.so").contains("belongs to the plugin named \"mcp\""), "\(failures)")
        #expect(reason("01-climber.so").contains("'.' or '..'"), "\(failures)")
        #expect(reason("02-dots.so").contains("version"), "\(failures)")
        #expect(try await server.get("/api/plugins").status == 200)
        try await server.stop()
    }

    /// A file that registers another catalog's *name* cannot answer for it either, whichever
    /// file loads first: a name two files register is served by neither.
    @Test func aNewcomerCannotTakeAnotherCatalogsName() async throws {
        let fixtures = try PluginFixtures("hostile-name")
        try await fixtures.addSwiftPlugin("McpCatalog", as: "mcp.so")
        try await fixtures.addHostile("zz-impostor.so", defines: ["-DHOSTILE_NAME=\"mcp\"", "-DHOSTILE_VERSION=\"v1alpha1\""])
        let sources = try Self.sources(Self.mcpSource, in: fixtures)
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources])
        let answer = try await server.get("/api/mcp_catalog/v1alpha1/ping")
        #expect(answer.json["pong"] == nil, "the impostor never answers")
        #expect(try await server.get("/api/mcp_catalog/v1alpha1/mcpservers").status == 503)
        let failures = try await server.get("/api/plugins").json["failures"]?.arrayValue ?? []
        #expect(failures.filter { $0["stage"] == "duplicate" }.count == 2, "\(failures)")
        try await server.stop()
    }

    @Test func aDescriptorIsNeverReadPastItsDeclaredSize() async throws {
        let fixtures = try PluginFixtures("hostile-tiny")
        try await fixtures.addHelloPlugin()
        // The bytes after the declared 8 lie on an unmapped page: reading them faults.
        try await fixtures.addHostile("tiny.so", defines: ["-DHOSTILE_TINY_DESCRIPTOR"])
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory)
        let failures = try await server.get("/api/plugins").json["failures"]?.arrayValue ?? []
        let tiny = try #require(failures.first { $0["file"]?.stringValue?.hasSuffix("tiny.so") == true })
        #expect(tiny["stage"] == "abi")
        #expect(tiny["reason"]?.stringValue?.contains("ABI 1.\(ABIVersion.host.minor + 1)") == true, "\(tiny)")
        #expect(try await server.get("/api/hello_catalog/v1/greetings/x").status == 200)
        try await server.stop()
    }

    @Test func oversizedAnswersAndRouteFloodsAreRefused() async throws {
        let fixtures = try PluginFixtures("hostile-sizes")
        try await fixtures.addHelloPlugin()
        try await fixtures.addHostile("big.so", defines: ["-DHOSTILE_NAME=\"big\"", "-DHOSTILE_HUGE_BYTES=(40*1024*1024)"])
        try await fixtures.addHostile("flood.so", defines: ["-DHOSTILE_NAME=\"flood\"", "-DHOSTILE_ROUTES=10000"])
        // The limit is process-wide (tests run side by side), so this one relies on the default 32 MiB.
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory)
        let huge = try await server.get("/api/big_catalog/v1/huge")
        #expect(huge.status == 502)
        #expect(huge.json["error"]?.stringValue?.contains("exceeds the limit of 33554432 bytes") == true, "\(huge.json)")
        #expect(try await server.get("/api/big_catalog/v1/ping").status == 200)

        let failures = try await server.get("/api/plugins").json["failures"]?.arrayValue ?? []
        let flood = try #require(failures.first { $0["plugin"] == "flood" })
        #expect(flood["reason"]?.stringValue?.contains("more than \(RouteTable.maximumRoutes) routes") == true, "\(flood)")

        let nul = try await server.get("/api/hello_catalog/v1/greetings/a%00b")
        #expect(nul.status == 400)
        #expect(nul.json["error"]?.stringValue?.contains("NUL") == true)
        #expect(try await server.get("/api/hello_catalog/v1/greetings/x?lang=%00").status == 400)
        try await server.stop()
    }

    /// A plugin's bytes never shape HTTP framing: its own framing headers are dropped, a 204
    /// carries no body, and a pipelined request behind it gets its own, intact answer.
    @Test func aPluginCannotShapeHTTPFraming() async throws {
        let fixtures = try PluginFixtures("hostile-framing")
        try await fixtures.addHostile("framer.so", defines: ["-DHOSTILE_NAME=\"framer\""])
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory)
        let port = server.port
        let (data, _) = try await onThread {
            let connection = try RawConnection(port: port)
            let base = "/api/framer_catalog/v1"
            try connection.send(
                "GET \(base)/framing HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET \(base)/nocontent HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET \(base)/informational HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET \(base)/ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            return connection.readUntilClosed()
        }
        let responses = RawResponse.parseAll(data)
        try #require(responses.count == 4, "\(String(decoding: data, as: UTF8.self))")
        let framing = responses[0]
        #expect(framing.status == 200)
        #expect(String(decoding: framing.body, as: UTF8.self).hasPrefix("{\"framing\":\"mine\"}HTTP/1.1 200 OK"), "the whole body, as data")
        #expect(framing.header("content-length") == ["\(framing.body.count)"])
        #expect(framing.header("transfer-encoding").isEmpty && framing.header("connection").isEmpty)
        #expect(framing.header("x-plugin") == ["kept"])
        #expect(responses[1].status == 204 && responses[1].body.isEmpty)
        #expect(responses[2].status == 502)
        #expect(responses[3].status == 200 && String(decoding: responses[3].body, as: UTF8.self) == #"{"pong":"framer"}"#)
        try await server.stop()
    }

    /// `exit()` from a plugin ends the real server with a line saying so and a failure status;
    /// a request past its deadline is logged.
    @Test func aPluginThatCallsExitIsReported() async throws {
        let fixtures = try PluginFixtures("hostile-exit")
        try await fixtures.addHostile("quitter.so", defines: ["-DHOSTILE_NAME=\"quitter\""])
        try await fixtures.addFixture("silent.so", defines: ["-DFIXTURE_NAME=\"silent\""])
        let sources = try Self.sources("plugins:\n  silent:\n    deadlines: {request: 200ms}\n", in: fixtures)
        let state = fixtures.scratch.appendingPathComponent("state")
        let server = try await ServerProcess.start([
            "--listen", "127.0.0.1:0", "--plugins-dir", fixtures.directory.path, "--sources", sources,
            "--state-dir", state.path, "--probe-cache", fixtures.scratch.appendingPathComponent("probe-cache.json").path,
        ])
        #expect(try await HTTPResult.fetch(URL(string: "http://\(server.address)/api/silent_catalog/v1/silent")!).status == 504)
        _ = try await server.output.waitForLine(containing: "got no answer within 0.2 seconds; answered 504")
        _ = try? await HTTPResult.fetch(URL(string: "http://\(server.address)/api/quitter_catalog/v1/exit")!)
        let process = server.process
        try await onThread { process.waitUntilExit() }
        #expect(process.terminationStatus == ExitGuard.status)
        _ = try await server.output.waitForLine(containing: "exit() was called while the server was serving")
    }
}
