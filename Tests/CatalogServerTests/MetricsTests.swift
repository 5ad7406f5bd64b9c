import CatalogJSON
import CatalogServer
import Foundation
import Testing

@testable import CatalogTestSupport

/// `GET /metrics`: the traffic just sent and the load failures, in Prometheus' text format.
@Suite("Metrics")
struct MetricsTests {
    /// The lines of the server's `/metrics`.
    static func lines(_ server: TestServer) async throws -> [String] {
        String(decoding: try await server.get("/metrics").body, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The value of the first series of `name` whose labels include all of `labels`.
    static func value(_ lines: [String], _ name: String, _ labels: [String]) -> Double? {
        lines.first { $0.hasPrefix(name + "{") && labels.allSatisfy($0.contains) }
            .flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
    }

    @Test func metricsShowTrafficFailuresAndTheBuild() async throws {
        let fixtures = try PluginFixtures("metrics")
        try await fixtures.addHelloPlugin()
        try await fixtures.addNotAnELFFile("notes.so")
        try await fixtures.addHostile("slow.so", defines: ["-DHOSTILE_NAME=\"slow\""])
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory)
        for _ in 0..<3 { _ = try await server.get("/api/hello_catalog/v1/greetings/ada") }
        _ = try await server.get("/api/slow_catalog/v1/complete")
        _ = try await server.get("/api/slow_catalog/v1/informational")  // answers 101: the client gets a 502

        let metrics = try await server.get("/metrics")
        #expect(metrics.status == 200 && metrics.contentType?.hasPrefix("text/plain") == true)
        let lines = String(decoding: metrics.body, as: UTF8.self).split(separator: "\n").map(String.init)
        func line(_ name: String, _ labels: [String]) -> String? {
            lines.first { $0.hasPrefix(name + "{") && labels.allSatisfy($0.contains) }
        }
        let greetings = line("catalog_plugin_requests_total", [#"plugin="hello""#, #"route="/greetings/{name}""#, #"method="GET""#, #"status="200""#])
        #expect(greetings?.hasSuffix(" 3") == true, "\(lines.filter { $0.contains("requests_total") })")
        for route in ["/complete", "/informational"] {
            #expect(line("catalog_plugin_requests_total", [#"plugin="slow""#, #"route="\#(route)""#, #"status="502""#])?.hasSuffix(" 1") == true,
                    "what is sent is counted: \(route)")
        }
        #expect(line("catalog_plugin_calls_total", [#"plugin="slow""#, #"outcome="protocol""#])?.hasSuffix(" 2") == true)
        #expect(!lines.contains { $0.contains(#"status="101""#) })
        #expect(line("catalog_plugin_request_duration_seconds_count", [#"plugin="hello""#])?.hasSuffix(" 3") == true)
        #expect(line("catalog_plugin_load_failures_total", [#"stage="open""#])?.hasSuffix(" 1") == true)
        #expect(line("catalog_server_build_info", [#"abi="\#(ABIVersion.host)""#]) != nil)
        #expect(line("catalog_plugin_request_duration_seconds_bucket", [#"plugin="hello""#, #"le="0.001""#]) != nil, "buckets in seconds")
        #expect(!lines.contains { $0.contains("ada") }, "no raw paths or names in labels")
        let exported = Set(lines.filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
        #expect(exported.subtracting(try Self.documentedMetrics()).isEmpty, "every metric is in docs/operations.md")
        try await server.stop()
    }

    /// The metric names in docs/operations.md's table.
    static func documentedMetrics() throws -> Set<String> {
        let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        return Set(text.split(separator: "\n").compactMap { line in
            line.hasPrefix("| `catalog_") ? line.dropFirst(3).prefix { $0 != "`" }.description : nil
        })
    }

    /// The Grafana dashboard in docs/ is valid JSON whose queries use only documented metrics.
    @Test func theDashboardQueriesDocumentedMetrics() throws {
        let data = try Data(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/grafana-dashboard.json"))
        let dashboard = try JSONCoding.decode(data)
        let queries = (dashboard["panels"]?.arrayValue ?? []).flatMap { $0["targets"]?.arrayValue ?? [] }.compactMap { $0["expr"]?.stringValue }
        #expect(queries.count >= 9)
        let documented = try Self.documentedMetrics()
        for query in queries {
            let names = query.split(whereSeparator: { !($0.isLetter || $0 == "_") }).filter { $0.hasPrefix("catalog_") }
                .map { name in ["_bucket", "_count", "_sum"].reduce(String(name)) { $0.hasSuffix($1) ? String($0.dropLast($1.count)) : $0 } }
            #expect(!names.isEmpty && names.allSatisfy(documented.contains), "\(query) uses \(names); documented: \(documented.sorted())")
        }
    }

    @Test func everyRequestHasAnIdThatThePluginSees() async throws {
        let fixtures = try PluginFixtures("request-id")
        try await fixtures.addHostile("echo.so", defines: ["-DHOSTILE_NAME=\"echo\""])
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory)
        let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let given = try await server.get("/api/echo_catalog/v1/headers", headers: ["X-Request-Id": "client-42", "traceparent": trace])
        #expect(given.headers["x-request-id"] == "client-42")
        #expect(given.json == ["x-request-id": "client-42", "traceparent": .string(trace)], "the plugin sees the id and the trace context")
        let made = try await server.get("/api/echo_catalog/v1/headers")
        let id = try #require(made.headers["x-request-id"])
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
        #expect(made.json["x-request-id"] == .string(id), "a generated id reaches the plugin too")
        #expect(try await server.get("/healthz").headers["x-request-id"] != id, "each request gets an id of its own")
        let unusable = try await server.get("/api/echo_catalog/v1/headers", headers: ["X-Request-Id": String(repeating: "x", count: 200)])
        let replacement = try #require(unusable.headers["x-request-id"])
        #expect(replacement.count == 32, "an over-long id is replaced")
        #expect(unusable.json["x-request-id"] == .string(replacement), "and the plugin sees the replacement, not the client's")
        try await server.stop()
    }

    @Test func probesAndReconcilesAreCounted() async throws {
        let fixtures = try PluginFixtures("metrics-probe")
        try await fixtures.addHelloPlugin()
        try await fixtures.addFixture("crasher.so", defines: ["-DFIXTURE_NAME=\"crasher\"", "-DFIXTURE_INIT_TRAPS"])
        let server = try await TestServer.start(
            pluginsDirectory: fixtures.directory, trust: TrustSettings(probe: ProbeTests.probeSettings(cache: nil)))
        await server.server.host.reconcile()
        let text = String(decoding: try await server.get("/metrics").body, as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("catalog_probes_total{") && $0.contains(#"result="passed""#) && $0.contains(#"source="child""#) && $0.hasSuffix(" 1") }, "\(text)")
        #expect(lines.contains { $0.hasPrefix("catalog_probes_total{") && $0.contains(#"result="quarantined""#) && $0.hasSuffix(" 1") })
        #expect(lines.contains { $0.hasPrefix("catalog_probe_duration_seconds_count") && $0.hasSuffix(" 2") })
        #expect(lines.contains { $0.hasPrefix("catalog_reconciles_total{") && $0.contains(#"outcome="ok""#) && $0.hasSuffix(" 1") })
        try await server.stop()
    }
}
